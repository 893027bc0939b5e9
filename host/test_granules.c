/*
 * The page-table library, the monitor and the model at each translation granule (4K, 16K, 64K:
 * mmu/geometry.h). The same tests run three times, one cmocka group per granule, and check:
 * the geometry (Arm ARM D8.2 level shifts, D8.3.1 block levels), page and block maps through
 * the software walk, the pool's page size, and the seed sequence (map a page, unmap it with the
 * leaf TLBI, map a block at the same VA) under each policy: leaks, monitor verdicts and the
 * model's allowed outcomes, which must not depend on the granule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "host/support/arch_log.h"
#include "host/support/mmu_host.h"
#include "mmu/enable.h"
#include "mmu/model.h"
#include "mmu/monitor.h"
#include "mmu/pool.h"
#include "mmu/pt.h"
#include "mmu/pt_va.h"
#include "mmu/sweep.h"
#include "mmu/walk.h"

#define VA1 0x40000000ull     /* 1G-aligned: aligned for every granule's smallest block */
#define PA_PAGE 0x09000000ull /* the small mapping (64K-aligned) */
#define PA_BLOCK 0x80000000ull /* the block (512M-aligned) */
#define OFF 0x18ull
#define PROT PT_PROT_NORMAL_XN
#define B(o) OUTCOME_BIT(OUTCOME_##o)

/* What the Arm ARM's lookup gives for a 48-bit VA (D8.2): per granule, from its shift. */
struct expect_geometry {
	unsigned shift;
	int start_level;
	unsigned root_entries;
	unsigned entries;
	uint64_t block_l2;
	bool block_l1;
	unsigned cont_pages;
	unsigned cont_blocks; /* level 2 blocks in a contiguous run */
	uint64_t cont_block_span;
	const char *root_name;
	unsigned tg0; /* TCR_EL1.TG0 (Arm ARM D19.2): 0b00 4K, 0b10 16K, 0b01 64K */
	unsigned tg1; /* TCR_EL1.TG1, another encoding: 0b10 4K, 0b01 16K, 0b11 64K */
};
static const struct expect_geometry geometries[] = {
	{12, 0, 512, 512, 2ull << 20, true, 16, 16, 32ull << 20, "PGD", 0, 2},
	{14, 0, 2, 2048, 32ull << 20, false, 128, 32, 1ull << 30, "PGD", 2, 1},
	{16, 1, 64, 8192, 512ull << 20, false, 32, 32, 16ull << 30, "PGD", 1, 3},
};

static const struct expect_geometry *want;
static struct pt_space sp;
/* pt_geom.desc_types as linked (the 4K initializer), before any pt_geometry_set(). */
static uint64_t linked_desc_types;

static int use_granule(const struct expect_geometry *g)
{
	want = g;
	if (!pt_geometry_set(g->shift))
		return -1;
	mmu_host_reset(); /* the pool's page size changed: reset it */
	return 0;
}
static int setup_4k(void **state) { (void)state; return use_granule(&geometries[0]); }
static int setup_16k(void **state) { (void)state; return use_granule(&geometries[1]); }
static int setup_64k(void **state) { (void)state; return use_granule(&geometries[2]); }
static int back_to_4k(void **state)
{
	(void)state;
	return pt_geometry_set(PT_GRANULE_4K) ? 0 : -1;
}

static void test_geometry(void **state)
{
	(void)state;
	assert_int_equal(PT_GRANULE_SIZE, 1ull << want->shift);
	assert_int_equal(PT_START_LEVEL, want->start_level);
	assert_int_equal(pt_level_entries(want->start_level), want->root_entries);
	assert_int_equal(pt_level_entries(2), want->entries);
	assert_int_equal(pt_level_size(3), PT_GRANULE_SIZE);
	assert_int_equal(pt_level_size(2), want->block_l2);
	assert_int_equal(pt_block_size_min(), want->block_l2);
	assert_true(pt_level_allows_block(2));
	assert_int_equal(pt_level_allows_block(1), want->block_l1);
	assert_false(pt_level_allows_block(0) || pt_level_allows_block(3));
	assert_int_equal(PT_CONT_PAGES, want->cont_pages);
	assert_int_equal(pt_cont_entries(3), want->cont_pages);
	assert_int_equal(pt_cont_span(3), (uint64_t)want->cont_pages << want->shift);
	assert_int_equal(PT_CONT_BLOCKS, want->cont_blocks);
	assert_int_equal(pt_cont_entries(2), want->cont_blocks);
	assert_int_equal(pt_cont_span(2), want->cont_block_span);
	assert_int_equal(pt_cont_entries(1), 0);
	assert_string_equal(pt_level_linux_name(want->start_level), want->root_name);
	/* The start level's entries times their size is the whole 48-bit VA space. */
	assert_int_equal((uint64_t)pt_level_entries(PT_START_LEVEL) * pt_level_size(PT_START_LEVEL), PT_VA_LIMIT);
	/* A level-1 block encoding is reserved where the granule has none (faults like invalid). */
	assert_int_equal(desc_type(PTE_TYPE_BLOCK | 0x40000000ull, 1), want->block_l1 ? DESC_BLOCK : DESC_RESERVED);
	/* Every level and bits[1:0] (Arm ARM D8.3): bit 0 clear invalid; 0b11 table, page at level 3; 0b01 block
	 * where the granule has blocks, else reserved. Other bits do not matter. */
	for (int level = 0; level <= PT_LAST_LEVEL; level++) {
		bool block = level == 2 || (level == 1 && want->block_l1);
		enum desc_type at11 = level == PT_LAST_LEVEL ? DESC_PAGE : DESC_TABLE;
		for (pt_entry_t high = 0; high < 2; high++) {
			pt_entry_t d = high ? 0xfff0000000000ffcull : 0;
			assert_int_equal(desc_type(d | 0, level), DESC_INVALID);
			assert_int_equal(desc_type(d | 2, level), DESC_INVALID);
			assert_int_equal(desc_type(d | 1, level), block ? DESC_BLOCK : DESC_RESERVED);
			assert_int_equal(desc_type(d | 3, level), at11);
		}
	}
	if (want->shift == PT_GRANULE_4K) /* the linked initializer says what pt_geometry_set() computes */
		assert_int_equal(linked_desc_types, pt_geom.desc_types);
	uint64_t tcr = mmu_tcr_value(2);
	assert_int_equal((tcr >> 14) & 3, want->tg0);
	assert_int_equal(tcr & 0x3f, 16); /* T0SZ: 48-bit VA at every granule */
	assert_int_equal((tcr >> 30) & 3, want->tg1); /* TG1: the TTBR1 (kernel) space has the same granule */
	assert_int_equal((tcr >> 16) & 0x3f, 16);       /* T1SZ */
	assert_false(pt_geometry_set(13));
	assert_int_equal(PT_GRANULE_SHIFT, want->shift); /* refused: unchanged */
}

static void test_pool_pages_are_granules(void **state)
{
	(void)state;
	mmu_host_reset();
	assert_int_equal(pt_pool_capacity(), (unsigned)PT_POOL_PAGES >> (want->shift - 12));
	pt_entry_t *a = pt_pool_alloc(&sp, 3, 0, 0), *b = pt_pool_alloc(&sp, 3, 0, 0);
	assert_non_null(a);
	assert_non_null(b);
	assert_true(pt_is_aligned((uintptr_t)a, PT_GRANULE_SIZE));
	assert_int_equal((uintptr_t)b - (uintptr_t)a, PT_GRANULE_SIZE);
	assert_int_equal(pt_pool_index((const char *)a + PT_GRANULE_SIZE - 1), pt_pool_index(a));
	assert_false(pt_pool_free((pt_entry_t *)((uintptr_t)a + PT_GRANULE_SIZE / 2))); /* inside a page */
	assert_true(pt_pool_free(a) && pt_pool_free(b));
}

static void expect_translation(uint64_t va, uint64_t pa, int level)
{
	struct pt_translation tr;
	pt_translate(&sp, va, &tr);
	assert_true(tr.ok);
	assert_int_equal(tr.level, level);
	assert_int_equal(tr.pa, pa);
}

static void test_map_page_and_block(void **state)
{
	(void)state;
	uint64_t gran = PT_GRANULE_SIZE, block = pt_block_size_min();
	assert_int_equal(mmu_host_monitored_space(&sp, true), PT_OK);
	assert_int_equal(map_range(&sp, VA1, PA_PAGE, gran, PROT, PT_POLICY_REFUSE_LIVE), PT_OK);
	expect_translation(VA1 + OFF, PA_PAGE + OFF, 3);
	assert_int_equal(map_range(&sp, VA1 + gran, PA_PAGE, 4096, PROT, PT_POLICY_REFUSE_LIVE),
			 gran == 4096 ? PT_OK : PT_ERR_BAD_SIZE); /* 4 KiB is not a page of a larger granule */
	assert_int_equal(map_range(&sp, VA1 + block, PA_BLOCK, block, PROT, PT_POLICY_REFUSE_LIVE), PT_OK);
	expect_translation(VA1 + block + gran + OFF, PA_BLOCK + gran + OFF, 2);
	/* Twice the block size: two blocks (and one at level 1 only where the granule has them). */
	uint64_t va2 = VA1 + 2 * pt_level_size(1);
	assert_int_equal(map_range(&sp, va2, PA_BLOCK, 2 * block, PROT, PT_POLICY_REFUSE_LIVE), PT_OK);
	expect_translation(va2 + block + OFF, PA_BLOCK + block + OFF, 2);
	assert_int_equal(bbm_monitor_total(), 0);
	assert_int_equal(unmap_range(&sp, VA1 + block, block, PT_TLBI_LEAF), PT_OK);
	struct pt_translation tr;
	pt_translate(&sp, VA1 + block, &tr);
	assert_false(tr.ok);
	assert_int_equal(tr.level, 2);
	pt_space_teardown(&sp);
}

static struct model M;

static void feed(void)
{
	assert_int_equal(arch_log_total(), arch_log_count());
	for (size_t i = 0; i < arch_log_count(); i++) {
		const struct arch_event *e = arch_log_get(i);
		assert_int_equal(model_on_event(&M, 0, e->kind, e->a, e->b, e->c), MODEL_OK);
	}
	arch_log_clear();
}

/*
 * The seed at this granule's smallest block; returns the model's allowed outcomes for a read
 * at the VA afterwards (new = the block, old = the page). Checks leaks and the monitor on the way.
 */
static outcome_set_t seed(enum pt_policy policy)
{
	struct model_config cfg;
	struct model_answer ans;
	uint64_t block = pt_block_size_min();

	assert_int_equal(mmu_host_monitored_space(&sp, false), PT_OK);
	model_config_default(&cfg);
	assert_int_equal(model_init(&M, &cfg), MODEL_OK);
	assert_int_equal(model_attach(&M, sp.root, sp.start_level), MODEL_OK);
	arch_log_clear();
	assert_int_equal(map_range(&sp, VA1, PA_PAGE, PT_GRANULE_SIZE, PROT, PT_POLICY_REFUSE_LIVE), PT_OK);
	assert_int_equal(unmap_range(&sp, VA1, PT_GRANULE_SIZE, PT_TLBI_LEAF), PT_OK);
	enum pt_status st = map_range(&sp, VA1, PA_BLOCK, block, PROT, policy);
	assert_int_equal(st, policy == PT_POLICY_REFUSE_LIVE ? PT_ERR_LIVE_CHANGE : PT_OK);
	feed();

	struct pt_sweep_report r;
	assert_int_equal(pt_sweep(&sp, &r), PT_OK);
	assert_int_equal(r.leaked, policy == PT_POLICY_LINUX_4_14); /* the orphaned page table */
	assert_int_equal(bbm_monitor_total() > 0, policy == PT_POLICY_LINUX_4_14);

	struct model_markers mk = {PA_BLOCK + OFF, PA_PAGE + OFF};
	assert_int_equal(model_access(&M, 0, VA1 + OFF, MODEL_ACCESS_READ, &mk, &ans), MODEL_OK);
	return ans.allowed;
}

/* The allowed sets the 4K group computed: 16K and 64K must give the same ones. */
static outcome_set_t at_4k[PT_POLICY_COUNT];
static bool have_4k[PT_POLICY_COUNT];

static void check_seed(enum pt_policy policy, outcome_set_t expected)
{
	outcome_set_t got = seed(policy);
	assert_int_equal(got, expected);
	if (PT_GRANULE_SHIFT == PT_GRANULE_4K) {
		at_4k[policy] = got;
		have_4k[policy] = true;
	} else if (have_4k[policy]) {
		assert_int_equal(got, at_4k[policy]);
	}
}

static void test_seed_linux_4_14(void **state)
{
	(void)state;
	/* A walk cache may still hold the table pointer: the old table's (invalid) entry, or the block. */
	check_seed(PT_POLICY_LINUX_4_14, B(NEW) | B(FAULT_T3) | B(TLB_CONFLICT));
}

static void test_seed_linux_fixed(void **state)
{
	(void)state;
	check_seed(PT_POLICY_LINUX_FIXED, B(NEW)); /* cleared, TLBI'd and freed before the block */
}

static void test_seed_refuse_live(void **state)
{
	(void)state;
	check_seed(PT_POLICY_REFUSE_LIVE, B(FAULT_T3)); /* nothing changed: the empty page table */
}

/* The seed's events (kind and arguments) through map_range()/unmap_range(), into log[]; returns the count. */
#define MAX_EVENTS 64
static size_t seed_events(bool prepared, enum pt_policy policy, struct arch_event *log)
{
	struct pt_va h;
	uint64_t block = pt_block_size_min(), gran = PT_GRANULE_SIZE;

	assert_int_equal(mmu_host_monitored_space(&sp, false), PT_OK);
	assert_int_equal(pt_va_prepare(&h, &sp, VA1), PT_OK);
	arch_log_clear();
	for (int round = 0; round < 2; round++) { /* the second round runs on a kept, changed path */
		if (prepared) {
			assert_int_equal(pt_va_map(&h, PA_PAGE, gran, PROT, PT_POLICY_REFUSE_LIVE), PT_OK);
			assert_int_equal(pt_va_unmap(&h, gran, PT_TLBI_LEAF), PT_OK);
			(void)pt_va_map(&h, PA_BLOCK, block, PROT, policy);
			(void)pt_va_unmap(&h, block, PT_TLBI_LEAF);
		} else {
			assert_int_equal(map_range(&sp, VA1, PA_PAGE, gran, PROT, PT_POLICY_REFUSE_LIVE), PT_OK);
			assert_int_equal(unmap_range(&sp, VA1, gran, PT_TLBI_LEAF), PT_OK);
			(void)map_range(&sp, VA1, PA_BLOCK, block, PROT, policy);
			(void)unmap_range(&sp, VA1, block, PT_TLBI_LEAF);
		}
	}
	size_t n = arch_log_count();
	assert_true(n > 0 && n <= MAX_EVENTS);
	for (size_t i = 0; i < n; i++)
		log[i] = *arch_log_get(i);
	return n;
}

/* The prepared VA (mmu/pt_va.h, the bench's path) does what map_range()/unmap_range() do, at this granule. */
static void test_prepared_va_matches_map_range(void **state)
{
	(void)state;
	for (int p = 0; p < PT_POLICY_COUNT; p++) {
		static struct arch_event a[MAX_EVENTS], b[MAX_EVENTS];
		size_t na = seed_events(false, (enum pt_policy)p, a), nb = seed_events(true, (enum pt_policy)p, b);
		assert_int_equal(na, nb);
		for (size_t i = 0; i < na; i++) {
			assert_int_equal(a[i].kind, b[i].kind);
			assert_int_equal(a[i].a, b[i].a);
			assert_int_equal(a[i].b, b[i].b);
			assert_int_equal(a[i].c, b[i].c);
		}
	}
}

#define GRANULE_TESTS(name)                                                                                      \
	static const struct CMUnitTest name[] = {                                                                \
		cmocka_unit_test(test_geometry),                                                                 \
		cmocka_unit_test(test_pool_pages_are_granules),                                                  \
		cmocka_unit_test(test_map_page_and_block),                                                       \
		cmocka_unit_test(test_seed_linux_4_14),                                                          \
		cmocka_unit_test(test_seed_linux_fixed),                                                         \
		cmocka_unit_test(test_seed_refuse_live),                                                         \
		cmocka_unit_test(test_prepared_va_matches_map_range),                                            \
	}

int main(void)
{
	linked_desc_types = pt_geom.desc_types;
	GRANULE_TESTS(tests);
	int failed = cmocka_run_group_tests_name("granule 4K", tests, setup_4k, back_to_4k);
	failed += cmocka_run_group_tests_name("granule 16K", tests, setup_16k, back_to_4k);
	failed += cmocka_run_group_tests_name("granule 64K", tests, setup_64k, back_to_4k);
	return failed;
}
