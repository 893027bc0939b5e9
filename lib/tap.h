/*
 * TAP version 13 output (testanything.org/tap-version-13-specification) plus
 * bbmprobe's two closing lines, which scripts and labs parse:
 *   SUMMARY: P passed, F failed, S skipped
 *   EXIT: STATUS=n
 * Formatting is pure C (host/test_tap.c); the runner prints the strings.
 */
#ifndef BBMPROBE_LIB_TAP_H
#define BBMPROBE_LIB_TAP_H

#include <stddef.h>

enum tap_result {
	TAP_PASS,
	TAP_FAIL,
	TAP_SKIP,
};

struct tap_counts {
	unsigned next; /* number of the next test point, from 1 */
	unsigned passed, failed, skipped;
};

void tap_counts_init(struct tap_counts *c);
/* Format "ok N - name[ # SKIP reason]" for the next test point and count it. */
int tap_format_result(struct tap_counts *c, char *buf, size_t len, enum tap_result r, const char *name,
		      const char *reason);
int tap_format_plan(char *buf, size_t len, unsigned count);
/* The closing lines; no stdio (usable from the panic path and with the MMU off). Return the full length. */
int tap_format_summary(const struct tap_counts *c, char *buf, size_t len);
int tap_format_exit(int status, char *buf, size_t len);

#endif
