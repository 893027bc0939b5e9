/* Boot-argument parsing: every key type, every error path, the "--" separator (lib/bootargs.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/bootargs.h"

static struct bootargs args;
static char err[256];

static void defaults_without_arguments(void **state)
{
	(void)state;
	assert_true(bootargs_parse(NULL, &args, err, sizeof(err)));
	assert_int_equal(args.iters, 1000);
	assert_int_equal(args.seed, 1);
	assert_int_equal(args.verbose, 1);
	assert_false(args.list);
	assert_string_equal(args.tests, "");
	assert_string_equal(args.exit, "auto");
	assert_true(bootargs_parse("   ", &args, err, sizeof(err)));
}

static void all_keys_parse(void **state)
{
	(void)state;
	assert_true(bootargs_parse("tests=selftest/*,mmu iters=0x10 seed=18446744073709551615 verbose=3 list "
				   "semihosting=1 exit=halt console=mini",
				   &args, err, sizeof(err)));
	assert_string_equal(args.tests, "selftest/*,mmu");
	assert_int_equal(args.iters, 16);
	assert_true(args.seed == UINT64_MAX);
	assert_int_equal(args.verbose, 3);
	assert_true(args.list);
	assert_true(args.semihosting);
	assert_string_equal(args.exit, "halt");
	assert_string_equal(args.console, "mini");
}

static void expect_error(const char *line, const char *fragment)
{
	assert_false(bootargs_parse(line, &args, err, sizeof(err)));
	if (!strstr(err, fragment))
		fail_msg("error for '%s' is '%s', expected it to mention '%s'", line, err, fragment);
}

static void bad_input_is_rejected_with_a_reason(void **state)
{
	(void)state;
	expect_error("bogus=1", "unknown boot argument 'bogus'");
	expect_error("bogus=1", "valid keys: tests, iters");
	expect_error("iters=12x", "not a number");
	expect_error("iters=", "needs a value");
	expect_error("iters", "needs a value");
	expect_error("iters=0", "out of range");
	expect_error("iters=-1", "not a number");
	expect_error("seed=18446744073709551616", "not a number"); /* overflow */
	expect_error("verbose=4", "out of range: 0 to 3");
	expect_error("list=yes", "is a flag");
	expect_error("exit=explode", "valid: auto, halt, reset");
	expect_error("exit=sideways-and-then-some", "valid: auto, halt, reset");
	expect_error("console=serial0", "valid: auto, pl011, mini");
	expect_error("iters=1 iters=2", "given twice");
	expect_error("tests=", "needs a value");
	expect_error("0x", "unknown boot argument");
}

static void overlong_values_and_lines(void **state)
{
	char line[BOOTARGS_LINE_MAX + 16];

	(void)state;
	strcpy(line, "tests=");
	memset(line + 6, 'a', BOOTARGS_VALUE_MAX);
	line[6 + BOOTARGS_VALUE_MAX] = '\0';
	expect_error(line, "at most 255");
	memset(line, ' ', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	expect_error(line, "at most 1023");
}

static void words_before_double_dash_belong_to_others(void **state)
{
	(void)state;
	/* The Pi firmware prepends Linux arguments bbmprobe does not know. */
	assert_true(bootargs_parse("coherent_pool=1M 8250.nr_uarts=1 console=ttyS0,115200 -- iters=5 list", &args, err,
				   sizeof(err)));
	assert_int_equal(args.iters, 5);
	assert_true(args.list);
	assert_true(bootargs_parse("a=b -- x=y -- seed=7", &args, err, sizeof(err)));
	assert_int_equal(args.seed, 7);
	expect_error("iters=5 --x", "unknown boot argument '--x'");
}

static void semihosting_is_found_even_in_bad_lines(void **state)
{
	(void)state;
	assert_true(bootargs_mentions_semihosting("bogus=1 semihosting"));
	assert_true(bootargs_mentions_semihosting("semihosting=1 iters=x"));
	assert_false(bootargs_mentions_semihosting("semihosting=0"));
	assert_false(bootargs_mentions_semihosting("semihostingx"));
	assert_false(bootargs_mentions_semihosting("semihosting -- iters=1"));
	assert_false(bootargs_mentions_semihosting(NULL));
}

static void numbers(void **state)
{
	uint64_t v;

	(void)state;
	assert_true(bootargs_parse_u64("0", 1, &v) && v == 0);
	assert_true(bootargs_parse_u64("0xFFff", 6, &v) && v == 0xffff);
	assert_false(bootargs_parse_u64("", 0, &v));
	assert_false(bootargs_parse_u64("0x", 2, &v));
	assert_false(bootargs_parse_u64("1 ", 2, &v));
	assert_false(bootargs_parse_u64("0x1g", 4, &v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_without_arguments),
		cmocka_unit_test(all_keys_parse),
		cmocka_unit_test(bad_input_is_rejected_with_a_reason),
		cmocka_unit_test(overlong_values_and_lines),
		cmocka_unit_test(words_before_double_dash_belong_to_others),
		cmocka_unit_test(semihosting_is_found_even_in_bad_lines),
		cmocka_unit_test(numbers),
	};
	return cmocka_run_group_tests_name("bootargs", tests, NULL, NULL);
}
