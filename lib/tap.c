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

/*
 * The closing lines are built without stdio: they are printed from the panic
 * path and before the MMU is on, where picolibc may not run.
 */
static size_t put_char(char *buf, size_t len, size_t at, char ch)
{
	if (at + 1 < len)
		buf[at] = ch;
	return at + 1;
}

static size_t put_text(char *buf, size_t len, size_t at, const char *s)
{
	while (*s)
		at = put_char(buf, len, at, *s++);
	return at;
}

static size_t put_int(char *buf, size_t len, size_t at, long long v)
{
	char digits[24];
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	int n = 0;

	do
		digits[n++] = (char)('0' + u % 10);
	while ((u /= 10) && n < (int)sizeof(digits));
	if (v < 0)
		at = put_char(buf, len, at, '-');
	while (n--)
		at = put_char(buf, len, at, digits[n]);
	return at;
}

static int finish(char *buf, size_t len, size_t at)
{
	if (len)
		buf[at < len ? at : len - 1] = '\0';
	return (int)at;
}

int tap_format_summary(const struct tap_counts *c, char *buf, size_t len)
{
	size_t at = put_text(buf, len, 0, "SUMMARY: ");

	at = put_int(buf, len, at, c->passed);
	at = put_text(buf, len, at, " passed, ");
	at = put_int(buf, len, at, c->failed);
	at = put_text(buf, len, at, " failed, ");
	at = put_int(buf, len, at, c->skipped);
	at = put_text(buf, len, at, " skipped");
	return finish(buf, len, at);
}

int tap_format_exit(int status, char *buf, size_t len)
{
	return finish(buf, len, put_int(buf, len, put_text(buf, len, 0, "EXIT: STATUS="), status));
}
