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
	assert_int_equal(args.progress, 10);
	assert_false(args.list);
	assert_string_equal(args.tests, "");
	assert_string_equal(args.exit, "auto");
	assert_string_equal(args.trace, "none");
	assert_int_equal(args.trace_iters, 1);
	assert_true(bootargs_parse("   ", &args, err, sizeof(err)));
}

static void all_keys_parse(void **state)
{
	(void)state;
	assert_true(bootargs_parse("tests=selftest/*,mmu iters=0x10 seed=18446744073709551615 verbose=3 list "
				   "semihosting=1 exit=halt console=mini progress=2",
				   &args, err, sizeof(err)));
	assert_string_equal(args.tests, "selftest/*,mmu");
	assert_int_equal(args.iters, 16);
	assert_true(args.seed == UINT64_MAX);
	assert_int_equal(args.verbose, 3);
	assert_true(args.list);
	assert_true(args.semihosting);
	assert_string_equal(args.exit, "halt");
	assert_string_equal(args.console, "mini");
	assert_int_equal(args.progress, 2);
}

static void expect_error(const char *line, const char *fragment)
{
	assert_false(bootargs_parse(line, &args, err, sizeof(err)));
	if (!strstr(err, fragment))
		fail_msg("error for '%s' is '%s', expected it to mention '%s'", line, err, fragment);
}

/* trace=casemate and trace-iters=N (mmu/trace_casemate.h). */
static void casemate_trace_arguments(void **state)
{
	(void)state;
	assert_true(bootargs_parse("trace=casemate trace-iters=5", &args, err, sizeof(err)));
	assert_string_equal(args.trace, "casemate");
	assert_int_equal(args.trace_iters, 5);
	expect_error("trace=lttng", "valid: none, casemate");
	expect_error("trace=casemate trace-iters=0", "out of range");
	expect_error("trace-iters=1 trace-iters=2", "given twice");
}

/* granule=4k|16k|64k (TCR_EL1.TG0): the value and its log2; anything else is refused with the choices. */
static void granule_argument(void **state)
{
	(void)state;
	assert_true(bootargs_parse("", &args, err, sizeof(err)));
	assert_string_equal(args.granule, "4k");
	assert_int_equal(bootargs_granule_shift(&args), 12);
	assert_true(bootargs_parse("granule=16k", &args, err, sizeof(err)));
	assert_int_equal(bootargs_granule_shift(&args), 14);
	assert_true(bootargs_parse("granule=64k", &args, err, sizeof(err)));
	assert_int_equal(bootargs_granule_shift(&args), 16);
	expect_error("granule=8k", "valid: 4k, 16k, 64k");
	expect_error("granule=64K", "valid: 4k, 16k, 64k");
	expect_error("granule=4k granule=4k", "given twice");
}

/* cpu_fail=N names a secondary (1..7, the banner's index); CPU0 cannot be held back, nor one past CPU_MAX. */
static void cpu_fail_names_a_secondary(void **state)
{
	(void)state;
	assert_true(bootargs_parse(NULL, &args, err, sizeof(err)));
	assert_int_equal(args.cpu_fail, 0);
	assert_true(bootargs_parse("cpu_fail=3 inject=secondary-undef", &args, err, sizeof(err)));
	assert_int_equal(args.cpu_fail, 3);
	assert_string_equal(args.inject, "secondary-undef");
	expect_error("cpu_fail=0", "cpu_fail");
	expect_error("cpu_fail=8", "cpu_fail");
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
	expect_error("progress=0", "out of range: 1 to 3600");
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

static void earlycon_console_forms(void **state)
{
	const struct bootargs_console *c = &args.console_port;

	(void)state;
	assert_true(bootargs_parse("console=uart8250,mmio32,0xfe660000,1500000", &args, err, sizeof(err)));
	assert_true(args.console_explicit);
	assert_string_equal(args.console, "uart8250,mmio32,0xfe660000,1500000");
	assert_string_equal(c->driver, "uart8250");
	assert_true(c->addr == 0xfe660000 && c->reg_shift == 2 && c->reg_io_width == 4);
	assert_true(c->baud == 1500000 && c->clock_hz == 0);
	/* Linux: a bare 8250 address is mmio, byte registers one apart; mmio16 spaces them two apart. */
	assert_true(bootargs_parse("console=uart,0x3f8", &args, err, sizeof(err)));
	assert_true(c->reg_shift == 0 && c->reg_io_width == 1 && c->baud == 0);
	assert_true(bootargs_parse("console=ns16550a,mmio16,0x1000,9600n8", &args, err, sizeof(err)));
	assert_true(c->reg_shift == 1 && c->reg_io_width == 2 && c->baud == 9600);
	assert_true(bootargs_parse("console=pl011,0x9000000", &args, err, sizeof(err)));
	assert_true(!strcmp(c->driver, "pl011") && c->addr == 0x9000000 && c->reg_io_width == 4);
	assert_true(bootargs_parse("console=pl011,mmio32,0x9000000", &args, err, sizeof(err)));
	assert_true(c->addr == 0x9000000 && c->reg_shift == 0);
	assert_true(bootargs_parse("console=cdns,0xff000000", &args, err, sizeof(err)));
	assert_string_equal(c->driver, "cdns");
	assert_true(bootargs_parse("console=ec_imx6q,0x30890000,115200n8,80000000", &args, err, sizeof(err)));
	assert_true(!strcmp(c->driver, "imx") && c->baud == 115200 && c->clock_hz == 80000000);
	assert_true(bootargs_parse("console=bcm2835aux,0xfe215040,115200", &args, err, sizeof(err)));
	assert_string_equal(c->driver, "mini-uart");
	/* The short forms stay choices. */
	assert_true(bootargs_parse("console=pl011", &args, err, sizeof(err)));
	assert_false(args.console_explicit);
	assert_string_equal(args.console, "pl011");
}

static void malformed_console_is_rejected_with_a_reason(void **state)
{
	(void)state;
	expect_error("console=foo,0x1000", "unknown console 'foo'; NAME is one of pl011, uart8250");
	expect_error("console=pl011,", "'' is not a UART address");
	expect_error("console=pl011,0x", "is not a UART address");
	expect_error("console=pl011,0", "not 0");
	expect_error("console=pl011,banana", "'banana' is not a UART address");
	expect_error("console=pl011,mmio32", "pl011 needs the UART's address");
	expect_error("console=pl011,0x9000002", "not aligned to its 4-byte registers");
	expect_error("console=uart8250,mmio32,0xfe660001", "not aligned to its 4-byte registers");
	expect_error("console=pl011,mmio,0x9000000", "pl011 registers are 32-bit");
	expect_error("console=uart8250,io,0x3f8", "no port I/O on arm64");
	expect_error("console=uart8250,mmio32be,0x1000", "big-endian");
	expect_error("console=pl011,0x9000000,fast", "baud rate 'fast' is not a number");
	expect_error("console=pl011,0x9000000,20000000", "baud rate '20000000' is not a number from 50 to 16000000");
	expect_error("console=pl011,0x9000000,115200e7", "only 8 data bits, no parity");
	expect_error("console=pl011,0x9000000,115200,0", "clock '0' is not a frequency");
	expect_error("console=pl011,0x9000000,115200,24000000,x", "too many fields after the clock");
	expect_error("console=a,b,c,d,e,f", "too many fields");
	expect_error("console=,0x1000", "unknown console ''");
	expect_error("console=serial0", "'console=serial0' is not a valid choice; valid: auto, pl011, mini, or NAME,");
	expect_error("console=uart8250,mmio32,0xfe660000,1500000n8,24000000000", "is not a frequency");
	expect_error("console=uart8250,mmio32,0x00000000fe660000,1500000n8,2400000000000000000000000000000000000",
		     "at most 63");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(casemate_trace_arguments),
		cmocka_unit_test(granule_argument),
		cmocka_unit_test(defaults_without_arguments),
		cmocka_unit_test(all_keys_parse),
		cmocka_unit_test(bad_input_is_rejected_with_a_reason),
		cmocka_unit_test(overlong_values_and_lines),
		cmocka_unit_test(words_before_double_dash_belong_to_others),
		cmocka_unit_test(semihosting_is_found_even_in_bad_lines),
		cmocka_unit_test(numbers),
		cmocka_unit_test(earlycon_console_forms),
		cmocka_unit_test(malformed_console_is_rejected_with_a_reason),
		cmocka_unit_test(cpu_fail_names_a_secondary),
	};
	return cmocka_run_group_tests_name("bootargs", tests, NULL, NULL);
}
