/* ESR decoding: EC names, fault status kinds and levels, FAR validity, WnR (boot/esr.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "boot/esr.h"

static uint64_t esr(uint32_t ec, uint32_t iss)
{
	return ((uint64_t)ec << 26) | (1u << 25) | iss;
}

static void translation_faults_carry_their_level(void **state)
{
	(void)state;
	for (uint32_t level = 0; level < 4; level++) {
		struct esr_info e;
		esr_decode(esr(ESR_EC_DABT_CUR, 0x04 + level), &e);
		assert_true(e.is_abort);
		assert_int_equal(e.kind, FAULT_TRANSLATION);
		assert_int_equal(e.level, (int)level);
		assert_string_equal(e.fsc_name, "translation fault");
		assert_string_equal(e.ec_name, "data abort (same EL)");
		assert_true(e.far_valid);
	}
}

static void every_named_status_decodes(void **state)
{
	struct {
		uint32_t fsc;
		enum fault_kind kind;
		int level;
	} cases[] = {
		{0x00, FAULT_ADDR_SIZE, 0},   {0x03, FAULT_ADDR_SIZE, 3},      {0x09, FAULT_ACCESS_FLAG, 1},
		{0x0b, FAULT_ACCESS_FLAG, 3}, {0x0d, FAULT_PERMISSION, 1},     {0x0f, FAULT_PERMISSION, 3},
		{0x10, FAULT_EXTERNAL, -1},   {0x14, FAULT_EXTERNAL, 0},       {0x17, FAULT_EXTERNAL, 3},
		{0x21, FAULT_ALIGNMENT, -1},  {0x30, FAULT_TLB_CONFLICT, -1}, {0x2b, FAULT_TRANSLATION, -1},
		{0x3f, FAULT_OTHER, -1},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int level;
		assert_int_equal(esr_fsc_kind(cases[i].fsc, &level), cases[i].kind);
		assert_int_equal(level, cases[i].level);
	}
	assert_string_equal(esr_fsc_name(0x30), "TLB conflict abort");
	assert_string_equal(esr_fsc_name(0x21), "alignment fault");
	assert_string_equal(esr_fsc_name(0x10), "synchronous external abort");
	assert_string_equal(esr_fsc_name(0x15), "synchronous external abort on table walk");
	assert_string_equal(esr_fsc_name(0x3f), "reserved or unallocated fault status");
}

static void fnv_and_wnr_bits(void **state)
{
	struct esr_info e;

	(void)state;
	esr_decode(esr(ESR_EC_DABT_CUR, (1u << 10) | (1u << 6) | 0x30), &e);
	assert_false(e.far_valid);
	assert_true(e.write);
	assert_int_equal(e.kind, FAULT_TLB_CONFLICT);
	esr_decode(esr(ESR_EC_IABT_CUR, (1u << 6) | 0x05), &e);
	assert_false(e.write); /* WnR means nothing for instruction aborts */
	assert_int_equal(e.level, 1);
}

static void non_aborts_have_no_fault_status(void **state)
{
	struct esr_info e;

	(void)state;
	esr_decode(esr(ESR_EC_SVC64, 0x42), &e);
	assert_false(e.is_abort);
	assert_int_equal(e.kind, FAULT_NONE);
	assert_int_equal(e.level, -1);
	assert_int_equal(e.iss, 0x42);
	assert_string_equal(e.ec_name, "SVC (AArch64)");
	esr_decode(esr(0x3e, 0), &e);
	assert_string_equal(e.ec_name, "reserved or unallocated EC");
	esr_decode(esr(ESR_EC_SERROR, 0), &e);
	assert_string_equal(e.ec_name, "SError");
	esr_decode(esr(ESR_EC_PC_ALIGN, 0), &e);
	assert_true(e.far_valid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(translation_faults_carry_their_level),
		cmocka_unit_test(every_named_status_decodes),
		cmocka_unit_test(fnv_and_wnr_bits),
		cmocka_unit_test(non_aborts_have_no_fault_status),
	};
	return cmocka_run_group_tests_name("esr", tests, NULL, NULL);
}
