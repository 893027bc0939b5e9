/* TAP 13 formatting and counting, test-name globs, CPU ID decoding (lib/tap.c, lib/glob.c, lib/cpuinfo.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/cpuinfo.h"
#include "lib/glob.h"
#include "lib/tap.h"

static void results_are_numbered_and_counted(void **state)
{
	struct tap_counts c;
	char line[256];

	(void)state;
	tap_counts_init(&c);
	tap_format_result(&c, line, sizeof(line), TAP_PASS, "selftest/svc", NULL);
	assert_string_equal(line, "ok 1 - selftest/svc");
	tap_format_result(&c, line, sizeof(line), TAP_FAIL, "seed/leak", NULL);
	assert_string_equal(line, "not ok 2 - seed/leak");
	tap_format_result(&c, line, sizeof(line), TAP_SKIP, "live/4k-to-2m", "no hardware");
	assert_string_equal(line, "ok 3 - live/4k-to-2m # SKIP no hardware");
	assert_int_equal(c.passed, 1);
	assert_int_equal(c.failed, 1);
	assert_int_equal(c.skipped, 1);
	tap_format_summary(&c, line, sizeof(line));
	assert_string_equal(line, "SUMMARY: 1 passed, 1 failed, 1 skipped");
	c.passed = 4294967295u;
	assert_int_equal(tap_format_summary(&c, line, sizeof(line)), 47);
	/* The closing-line prefixes are spelled out once per file: a before-stop check counts them. */
	assert_string_equal(strchr(line, ' ') + 1, "4294967295 passed, 1 failed, 1 skipped");
	/* Cut short, still terminated; the return value is the full length. */
	assert_int_equal(tap_format_summary(&c, line, 12), 47);
	assert_int_equal(strlen(line), 11);
	assert_string_equal(strchr(line, ' ') + 1, "42");
	tap_format_exit(4, line, sizeof(line));
	assert_string_equal(line, "EXIT: STATUS=4");
	tap_format_exit(-1, line, sizeof(line));
	assert_string_equal(strchr(line, '=') + 1, "-1");
	tap_format_plan(line, sizeof(line), 3);
	assert_string_equal(line, "1..3");
}

static void names_cannot_inject_directives(void **state)
{
	struct tap_counts c;
	char line[256];

	(void)state;
	tap_counts_init(&c);
	tap_format_result(&c, line, sizeof(line), TAP_PASS, "a # SKIP b\nnot ok 9", NULL);
	assert_string_equal(line, "ok 1 - a \\# SKIP b not ok 9");
}

static void globs(void **state)
{
	(void)state;
	assert_true(glob_match("selftest/*", 10, "selftest/svc"));
	assert_true(glob_match("*", 1, ""));
	assert_true(glob_match("s?lf*/f*d", 9, "selftest/fault-expected"));
	assert_false(glob_match("selftest", 8, "selftest/svc"));
	assert_false(glob_match("*x", 2, "selftest"));
	assert_true(glob_match("a*b*c", 5, "aXXbYYbZZc"));
	assert_true(glob_match("seed,live", 4, "seed")); /* only the first 4 characters count */
}

static void midr_names(void **state)
{
	char buf[96];

	(void)state;
	cpuinfo_describe_midr(0x410fd083, buf, sizeof(buf));
	assert_string_equal(buf, "Arm Cortex-A72 r0p3");
	cpuinfo_describe_midr(0x411fd0a1, buf, sizeof(buf));
	assert_string_equal(buf, "Arm Cortex-A75 r1p1");
	cpuinfo_describe_midr(0x000f0510, buf, sizeof(buf));
	assert_string_equal(buf, "software/QEMU (0x00) part 0x051 r0p0");
}

static void mmu_feature_fields(void **state)
{
	struct cpu_ids ids = {0};
	struct mmu_features f;

	(void)state;
	/* Cortex-A72 on QEMU: MMFR0 0x1124 (PARange 44 bits, 16-bit ASID, no 16K). */
	ids.mmfr0 = 0x1124;
	ids.mmfr2 = (2ull << 52) | (1ull << 48) | (1ull << 16);
	ids.isar0 = 2ull << 56;
	ids.pfr0 = (1ull << 8) | (1ull << 12);
	cpuinfo_decode_mmu(&ids, &f);
	assert_int_equal(f.pa_bits, 44);
	assert_int_equal(f.asid_bits, 16);
	assert_true(f.gran4);
	assert_true(f.gran64);
	assert_false(f.gran16);
	assert_int_equal(f.bbm_level, 2);
	assert_true(f.ttl);
	assert_int_equal(f.va_bits, 52);
	assert_int_equal(f.tlbi, 2);
	assert_true(f.el2 && f.el3);
	ids.mmfr0 = 0xff000000ull | 0x6;
	cpuinfo_decode_mmu(&ids, &f);
	assert_false(f.gran4);
	assert_int_equal(f.pa_bits, 52);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(results_are_numbered_and_counted),
		cmocka_unit_test(names_cannot_inject_directives),
		cmocka_unit_test(globs),
		cmocka_unit_test(midr_names),
		cmocka_unit_test(mmu_feature_fields),
	};
	return cmocka_run_group_tests_name("tap-glob-cpuinfo", tests, NULL, NULL);
}
