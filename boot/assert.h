/*
 * ASSERT(): for states the code's own invariants rule out. On the target a
 * failure prints "# ASSERT failed: file:line: expression" and executes BRK, so
 * the exception handler fails the current test (or panics outside one) with a
 * full report; nothing returns a made-up status instead. Host builds use
 * assert(), which ASan/UBSan builds abort on.
 */
#ifndef BBMPROBE_BOOT_ASSERT_H
#define BBMPROBE_BOOT_ASSERT_H

#ifdef BBMPROBE_HOST
#include <assert.h>
#define ASSERT(cond) assert(cond)
#else
void assert_failed(const char *file, int line, const char *expr) __attribute__((noreturn, cold));
#define ASSERT(cond)                                                                                                   \
	do {                                                                                                           \
		if (__builtin_expect(!(cond), 0))                                                                     \
			assert_failed(__FILE__, __LINE__, #cond);                                                      \
	} while (0)
#endif

/* The BRK immediate assert_failed() uses, so the report can name it. */
#define ASSERT_BRK_IMM 0xa55e

#endif
