/* TAP 13 line formatting (see tap.h). */
#include "tap.h"

#include <stdio.h>

void tap_counts_init(struct tap_counts *c)
{
	c->next = 1;
	c->passed = c->failed = c->skipped = 0;
}

/* Copy text with '#' escaped and line breaks replaced, so a name cannot start a directive. */
static size_t copy_sanitized(char *dst, size_t room, const char *src)
{
	size_t n = 0;

	for (; src && *src && n + 2 < room; src++) {
		char ch = *src;
		if (ch == '\n' || ch == '\r')
			ch = ' ';
		if (ch == '#')
			dst[n++] = '\\';
		dst[n++] = ch;
	}
	if (room)
		dst[n < room ? n : room - 1] = '\0';
	return n;
}

int tap_format_result(struct tap_counts *c, char *buf, size_t len, enum tap_result r, const char *name,
		      const char *reason)
{
	char safe_name[224], safe_reason[128]; /* name may carry a note (tests/runner.c) */
	unsigned n = c->next++;

	copy_sanitized(safe_name, sizeof(safe_name), name);
	copy_sanitized(safe_reason, sizeof(safe_reason), reason);
	switch (r) {
	case TAP_PASS:
		c->passed++;
		return snprintf(buf, len, "ok %u - %s", n, safe_name);
	case TAP_SKIP:
		c->skipped++;
		return snprintf(buf, len, "ok %u - %s # SKIP %s", n, safe_name, safe_reason);
	case TAP_FAIL:
		break;
	}
	c->failed++;
	return snprintf(buf, len, "not ok %u - %s", n, safe_name);
}

int tap_format_plan(char *buf, size_t len, unsigned count)
{
	return snprintf(buf, len, "1..%u", count);
}

int tap_format_summary(const struct tap_counts *c, char *buf, size_t len)
{
	return snprintf(buf, len, "SUMMARY: %u passed, %u failed, %u skipped", c->passed, c->failed, c->skipped);
}
