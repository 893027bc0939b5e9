/* Descriptor encode/decode, geometry, and the live-change rule (mmu/desc.c, mmu/geometry.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mmu/desc.h"
#include "mmu/enable.h"
#include "mmu/geometry.h"
#include "mmu/walk.h"

static void test_geometry(void **state)
{
	(void)state;
	assert_int_equal(pt_level_shift(0), 39);
	assert_int_equal(pt_level_shift(1), 30);
	assert_int_equal(pt_level_shift(2), 21);
	assert_int_equal(pt_level_shift(3), 12);
	assert_int_equal(pt_level_size(1), 1ull << 30);
	assert_int_equal(pt_level_entries(0), 512);
	assert_true(pt_level_allows_block(1) && pt_level_allows_block(2));
	assert_false(pt_level_allows_block(0) || pt_level_allows_block(3));
	assert_true(pt_level_allows_page(3) && !pt_level_allows_page(2));
	uint64_t va = (5ull << 39) | (6ull << 30) | (7ull << 21) | (8ull << 12) | 0x123;
	assert_int_equal(pt_va_index(va, 0), 5);
	assert_int_equal(pt_va_index(va, 1), 6);
	assert_int_equal(pt_va_index(va, 2), 7);
	assert_int_equal(pt_va_index(va, 3), 8);
	assert_string_equal(pt_level_linux_name(2), "PMD");
}

static void test_encode_decode(void **state)
{
	(void)state;
	pt_entry_t t = desc_table(0x40123000);
	assert_int_equal(t, 0x40123003);
	assert_int_equal(desc_type(t, 0), DESC_TABLE);
	assert_int_equal(desc_type(t, 2), DESC_TABLE);
	assert_int_equal(desc_type(t, 3), DESC_PAGE); /* same bits are a page at L3 */
	assert_int_equal(desc_oa(t, 1), 0x40123000);

	pt_entry_t b = desc_block(2, 0x40200000, PT_PROT_NORMAL);
	assert_int_equal(b & PTE_TYPE_MASK, PTE_TYPE_BLOCK);
	assert_int_equal(desc_type(b, 2), DESC_BLOCK);
	assert_int_equal(desc_type(b, 0), DESC_RESERVED); /* no L0 blocks with 4K */
	assert_int_equal(desc_type(b, 3), DESC_RESERVED); /* 0b01 at L3 is reserved */
	assert_int_equal(desc_oa(b, 2), 0x40200000);
	assert_int_equal(desc_attrs(b), PT_PROT_NORMAL);
	assert_int_equal(desc_memtype(b), MT_NORMAL);
	/* A block drops OA bits below its size. */
	assert_int_equal(desc_oa(desc_block(1, 0x40201000, 0), 1), 0x40000000);

	pt_entry_t p = desc_page(0x0900f000, PT_PROT_DEVICE);
	assert_int_equal(desc_type(p, 3), DESC_PAGE);
	assert_int_equal(desc_oa(p, 3), 0x0900f000);
	assert_true(p & PTE_PXN);
	assert_true(p & PTE_UXN);
	assert_true(p & PTE_AF);
	assert_int_equal(desc_memtype(p), MT_DEVICE_nGnRnE);
	assert_int_equal(desc_leaf(3, 0x1000, 0), desc_page(0x1000, 0));
	assert_int_equal(desc_leaf(2, 0x200000, 0), desc_block(2, 0x200000, 0));

	assert_int_equal(desc_type(0, 1), DESC_INVALID);
	/* Attribute bits outside the attribute field never leak into the descriptor. */
	assert_int_equal(desc_page(0x1000, ~0ull) & ~PTE_ATTR_MASK, 0x1000 | PTE_TYPE_PAGE);
	/* Software bits live in [58:55]. */
	assert_int_equal(PTE_SW(0xf), 0x0780000000000000ull);
	assert_string_equal(desc_type_name(DESC_BLOCK), "block");
}

static void test_mair(void **state)
{
	(void)state;
	assert_int_equal((MAIR_EL1_VALUE >> (8 * MT_NORMAL)) & 0xff, 0xff);
	assert_int_equal((MAIR_EL1_VALUE >> (8 * MT_NORMAL_NC)) & 0xff, 0x44);
	assert_int_equal((MAIR_EL1_VALUE >> (8 * MT_DEVICE_nGnRnE)) & 0xff, 0x00);
}

static void test_pgattr_change_is_safe(void **state)
{
	(void)state;
	pt_entry_t page = desc_page(0x80000000, PT_PROT_NORMAL);
	pt_entry_t blk = desc_block(2, 0x80000000, PT_PROT_NORMAL);

	/* Invalid on either side: creating or taking down. */
	assert_true(pgattr_change_is_safe(0, page));
	assert_true(pgattr_change_is_safe(page, 0));
	assert_true(pgattr_change_is_safe(page, page));
	/* Permitted live changes: PXN, RDONLY, DBM, nG (set), software bits. */
	assert_true(pgattr_change_is_safe(page, page | PTE_PXN));
	assert_true(pgattr_change_is_safe(page, page | PTE_RDONLY));
	assert_true(pgattr_change_is_safe(page | PTE_RDONLY, page));
	assert_true(pgattr_change_is_safe(page, page | PTE_DBM));
	assert_true(pgattr_change_is_safe(page, page | PTE_NG));
	assert_true(pgattr_change_is_safe(page, page | PTE_SW(5)));
	/* Refused: OA, type/size, memory type, AF, SH, UXN, contiguous, nG -> global. */
	assert_false(pgattr_change_is_safe(page, desc_page(0x80001000, PT_PROT_NORMAL)));
	assert_false(pgattr_change_is_safe(desc_table(0x80000000), blk)); /* table -> block */
	assert_false(pgattr_change_is_safe(blk, desc_table(0x80000000))); /* block -> table */
	assert_false(pgattr_change_is_safe(page, desc_page(0x80000000, PT_PROT_NORMAL_NC)));
	assert_false(pgattr_change_is_safe(page, page & ~PTE_AF));
	assert_false(pgattr_change_is_safe(page, (page & ~PTE_SH_MASK) | PTE_SH_OUTER));
	assert_false(pgattr_change_is_safe(page, page & ~PTE_UXN));
	assert_false(pgattr_change_is_safe(page, page | PTE_CONT));
	assert_false(pgattr_change_is_safe(page | PTE_CONT, page | PTE_CONT));
	assert_false(pgattr_change_is_safe(page | PTE_NG, page));
	/* Two table descriptors pointing at different tables: OA change. */
	assert_false(pgattr_change_is_safe(desc_table(0x1000), desc_table(0x2000)));
}

static void test_tcr_sctlr_par(void **state)
{
	(void)state;
	uint64_t tcr = mmu_tcr_value(2); /* PARange 40 bits */
	assert_int_equal(tcr & 0x3f, 16);
	assert_int_equal((tcr >> 14) & 3, 0);   /* TG0 4K */
	assert_int_equal((tcr >> 12) & 3, 3);   /* inner shareable walks */
	assert_int_equal((tcr >> 8) & 0xf, 5);  /* IRGN0 = ORGN0 = WBWA */
	assert_false(tcr & TCR_EPD1);           /* TTBR1 walks on: the kernel space */
	assert_false(tcr & TCR_A1);             /* the ASID lives in TTBR0 (mmu/asid.h) */
	assert_int_equal((tcr >> 16) & 0x3f, 16); /* T1SZ: 48-bit upper range */
	assert_int_equal((tcr >> 30) & 3, 2);   /* TG1 4K */
	assert_int_equal((tcr >> 28) & 3, 3);   /* SH1 inner shareable */
	assert_int_equal((tcr >> 24) & 0xf, 5); /* IRGN1 = ORGN1 = WBWA */
	assert_int_equal((tcr >> 32) & 7, 2);
	assert_int_equal((mmu_tcr_value(6) >> 32) & 7, 5); /* 52-bit PA capped at 48 */
	assert_int_equal(mmu_sctlr_enable_value(0) & 0x1005, 0x1005);

	struct pt_par par;
	pt_par_decode(0xff00000040201000ull | (3 << 7), 0x1234, &par);
	assert_false(par.fault);
	assert_int_equal(par.pa, 0x40201234);
	assert_int_equal(par.attr, 0xff);
	assert_int_equal(par.sh, 3);
	pt_par_decode((0x07 << 1) | 1, 0, &par); /* translation fault, level 3 */
	assert_true(par.fault);
	assert_int_equal(par.fst, 0x07);
	assert_int_equal(pt_hw_translate(0x1000, &par), PT_ERR_UNAVAILABLE);
	assert_false(par.available);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry),
		cmocka_unit_test(test_encode_decode),
		cmocka_unit_test(test_mair),
		cmocka_unit_test(test_pgattr_change_is_safe),
		cmocka_unit_test(test_tcr_sctlr_par),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
