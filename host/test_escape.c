/* Echoing outside input (lib/escape.c) and the bootargs errors that echo it (lib/bootargs.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/bootargs.h"
#include "lib/escape.h"

static void control_bytes_become_hex(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(escape_text(out, sizeof(out), "a\nb\033[2J\007\"\\\xff", 12), 26);
	assert_string_equal(out, "a\\x0ab\\x1b[2J\\x07\"\\x5c\\xff");
	escape_text(out, sizeof(out), "plain text", 100); /* stops at the NUL */
	assert_string_equal(out, "plain text");
}

static void cut_short_visibly_never_mid_escape(void **state)
{
	char out[12];

	(void)state;
	escape_text(out, sizeof(out), "abcdefghijklmnop", 16);
	assert_string_equal(out, "abcdefgh...");
	escape_text(out, sizeof(out), "abcdefg\n\n\n", 10);
	assert_string_equal(out, "abcdefg...");
	/* Exactly fits: no "...". */
	escape_text(out, sizeof(out), "abcdefghijk", 11);
	assert_string_equal(out, "abcdefghijk");
	assert_int_equal(escape_text(out, 0, "x", 1), 0);
}

static void bootargs_errors_echo_escaped(void **state)
{
	struct bootargs args;
	char err[256];

	(void)state;
	assert_false(bootargs_parse("bo\033gus=1", &args, err, sizeof(err)));
	assert_non_null(strstr(err, "unknown boot argument 'bo\\x1bgus'"));
	assert_false(bootargs_parse("iters=1\a2", &args, err, sizeof(err)));
	assert_non_null(strstr(err, "'iters=1\\x072' is not a number"));
	for (const char *p = err; *p; p++)
		assert_true(*p >= 0x20 && *p < 0x7f);
}

static void timeout_and_inject(void **state)
{
	struct bootargs args;
	char err[256];

	(void)state;
	assert_true(bootargs_parse(NULL, &args, err, sizeof(err)));
	assert_int_equal(args.timeout, 0); /* not given: the runner scales it with iters */
	assert_string_equal(args.inject, "none");
	assert_true(bootargs_parse("timeout=5 inject=irq-storm", &args, err, sizeof(err)));
	assert_int_equal(args.timeout, 5);
	assert_string_equal(args.inject, "irq-storm");
	assert_false(bootargs_parse("timeout=0", &args, err, sizeof(err)));
	assert_non_null(strstr(err, "out of range: 1 to 86400"));
	assert_false(bootargs_parse("inject=everything", &args, err, sizeof(err)));
	assert_non_null(strstr(err, "not a valid choice"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(control_bytes_become_hex),
		cmocka_unit_test(cut_short_visibly_never_mid_escape),
		cmocka_unit_test(bootargs_errors_echo_escaped),
		cmocka_unit_test(timeout_and_inject),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
