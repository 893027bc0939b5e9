/* Casemate trace records from events (mmu/casemate_fmt.c): the exact text casemate-check 3.0.2 parses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mmu/casemate_fmt.h"

static const struct cm_src src = {.name = "seed/remap-linux-4.14", .line = 3};

/* The record for one event, in a buffer of the exporter's size. */
static const char *fmt(enum arch_event_kind kind, uint64_t a, uint64_t b, uint64_t c)
{
	static char buf[256];
	struct arch_event ev = {.kind = kind, .cpu = 0, .a = a, .b = b, .c = c};

	int n = cm_format_event(buf, sizeof(buf), 7, &ev, &src);
	assert_true(n >= 0 && (size_t)n < sizeof(buf));
	assert_int_equal((size_t)n, strlen(buf));
	return buf;
}

static void write_is_a_plain_mem_write(void **state)
{
	(void)state;
	assert_string_equal(fmt(ARCH_EV_WRITE, 0x400d4040, 0x400d5003, 0x6000005fa00709),
			    "(mem-write (id 7) (tid 0) (mem-order plain) (address 0x400d4040) (value 0x6000005fa00709) "
			    "(src \"seed/remap-linux-4.14:3\"))");
}

static void barriers(void **state)
{
	(void)state;
	assert_string_equal(fmt(ARCH_EV_DSB_ISHST, 0, 0, 0),
			    "(barrier (id 7) (tid 0) dsb (kind ishst) (src \"seed/remap-linux-4.14:3\"))");
	assert_string_equal(fmt(ARCH_EV_DSB_ISH, 0, 0, 0),
			    "(barrier (id 7) (tid 0) dsb (kind ish) (src \"seed/remap-linux-4.14:3\"))");
	/* Casemate's parser has no sy: ISH is what SY orders at least. */
	assert_string_equal(fmt(ARCH_EV_DSB_SY, 0, 0, 0),
			    "(barrier (id 7) (tid 0) dsb (kind ish) (src \"seed/remap-linux-4.14:3\"))");
	assert_string_equal(fmt(ARCH_EV_DSB_NSH, 0, 0, 0),
			    "(barrier (id 7) (tid 0) dsb (kind nsh) (src \"seed/remap-linux-4.14:3\"))");
	assert_string_equal(fmt(ARCH_EV_ISB, 0, 0, 0),
			    "(barrier (id 7) (tid 0) isb (src \"seed/remap-linux-4.14:3\"))");
}

/* EL1 operations become their EL2 stage 1 forms; the operand is VA>>12 without an ASID. */
static void tlbis_map_to_el2(void **state)
{
	(void)state;
	assert_string_equal(fmt(ARCH_EV_TLBI_VALE1IS, 0x8001000000, 0, 0),
			    "(tlbi (id 7) (tid 0) vale2is (value 0x8001000) (src \"seed/remap-linux-4.14:3\"))");
	assert_string_equal(fmt(ARCH_EV_TLBI_VAALE1IS, 0x8001000000, 0, 0),
			    "(tlbi (id 7) (tid 0) vale2is (value 0x8001000) (src \"seed/remap-linux-4.14:3\"))");
	assert_string_equal(fmt(ARCH_EV_TLBI_VAAE1IS, 0x8001000000, 0, 0),
			    "(tlbi (id 7) (tid 0) vae2is (value 0x8001000) (src \"seed/remap-linux-4.14:3\"))");
	assert_string_equal(fmt(ARCH_EV_TLBI_VAE1IS, 0x8001000000, 5, 0),
			    "(tlbi (id 7) (tid 0) vae2is (value 0x8001000) (src \"seed/remap-linux-4.14:3\"))");
	assert_string_equal(fmt(ARCH_EV_TLBI_VMALLE1IS, 0, 0, 0),
			    "(tlbi (id 7) (tid 0) alle2is (src \"seed/remap-linux-4.14:3\"))");
	/* Local forms: Casemate has no local by-VA EL2 TLBI; alle2 is local and covers them. */
	static const enum arch_event_kind local[] = {ARCH_EV_TLBI_VMALLE1, ARCH_EV_TLBI_VALE1, ARCH_EV_TLBI_VAE1,
						     ARCH_EV_TLBI_VAAE1, ARCH_EV_TLBI_VAALE1};
	for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++)
		assert_string_equal(fmt(local[i], 0x8001000000, 0, 0),
				    "(tlbi (id 7) (tid 0) alle2 (src \"seed/remap-linux-4.14:3\"))");
	assert_null(cm_tlbi_name(ARCH_EV_WRITE));
	assert_null(cm_tlbi_name(ARCH_EV_KIND_COUNT));
}

static void every_tlbi_kind_has_a_record(void **state)
{
	(void)state;
	for (unsigned k = 1; k < ARCH_EV_KIND_COUNT; k++) {
		const char *name = arch_event_name((enum arch_event_kind)k);
		if (strncmp(name, "tlbi ", 5) == 0)
			assert_non_null(cm_tlbi_name((enum arch_event_kind)k));
	}
}

static void table_pages_init_and_free(void **state)
{
	(void)state;
	assert_string_equal(fmt(ARCH_EV_TABLE_ALLOC, 0x400d5000, 3, 0x8001000000),
			    "(mem-init (id 7) (tid 0) (address 0x400d5000) (size 0x1000) (src \"seed/remap-linux-4.14:3\"))");
	assert_string_equal(fmt(ARCH_EV_TABLE_FREE, 0x400d5000, 3, 0x8001000000),
			    "(mem-free (id 7) (tid 0) (address 0x400d5000) (size 0x1000) (src \"seed/remap-linux-4.14:3\"))");
}

static void access_has_no_record(void **state)
{
	char buf[16] = "junk";
	struct arch_event ev = {.kind = ARCH_EV_ACCESS, .a = 0x8001000000};

	(void)state;
	assert_int_equal(cm_format_event(buf, sizeof(buf), 1, &ev, &src), 0);
	assert_string_equal(buf, "");
}

static void ttbr_drops_the_asid(void **state)
{
	char buf[160];

	(void)state;
	cm_format_ttbr(buf, sizeof(buf), 5, 0, 0x0005000040cf0000ull, &src);
	assert_string_equal(buf, "(sysreg-write (id 5) (tid 0) (sysreg ttbr0_el2) (value 0x40cf0000) "
				 "(src \"seed/remap-linux-4.14:3\"))");
}

static void short_buffer_is_cut_not_overrun(void **state)
{
	char buf[24];
	struct arch_event ev = {.kind = ARCH_EV_WRITE, .a = 0x400d4040, .c = 1};

	(void)state;
	memset(buf, 'x', sizeof(buf));
	int n = cm_format_event(buf, 16, 1, &ev, &src);
	assert_true(n > 15);
	assert_int_equal(strlen(buf), 15);
	assert_int_equal(buf[16], 'x');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(write_is_a_plain_mem_write), cmocka_unit_test(barriers),
		cmocka_unit_test(tlbis_map_to_el2),           cmocka_unit_test(every_tlbi_kind_has_a_record),
		cmocka_unit_test(table_pages_init_and_free),  cmocka_unit_test(access_has_no_record),
		cmocka_unit_test(ttbr_drops_the_asid),        cmocka_unit_test(short_buffer_is_cut_not_overrun),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
