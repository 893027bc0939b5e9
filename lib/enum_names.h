/*
 * The one idiom for enum -> name: a designated-initializer table indexed by the
 * enum, looked up with ENUM_NAME(), which bounds-checks and falls back for
 * values the table does not name. Adding an enumerator is one table row.
 *
 *   static const char *const policy_names[PT_POLICY_COUNT] = {[PT_POLICY_LINUX_4_14] = "linux-4.14", ...};
 *   return ENUM_NAME(policy_names, p, "?");
 */
#ifndef BBMPROBE_LIB_ENUM_NAMES_H
#define BBMPROBE_LIB_ENUM_NAMES_H

#define ENUM_NAME(table, value, fallback)                                                                              \
	((unsigned long)(value) < sizeof(table) / sizeof((table)[0]) && (table)[(unsigned long)(value)]                \
		 ? (table)[(unsigned long)(value)]                                                                     \
		 : (fallback))

#endif
