/*
 * The TLB model (mmu/model.h) on litmus shapes, named as in the public
 * litmus suites (CoWT, CoWT1, CoWinvT, ...), and on the 2017 linux-mm report's
 * sequence. Each test drives the real page-table library (or hand-written
 * events where that is clearer), replays the recorded events into the model
 * after every call, and asserts the EXACT set of allowed outcomes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "host/support/arch_log.h"
#include "host/support/mmu_host.h"
#include "mmu/model.h"
#include "mmu/pool.h"
#include "mmu/pt.h"
#include "mmu/pt_write.h"
#include "mmu/tlb.h"

#define K4 PT_GRANULE_SIZE /* the page of the granule in force */
#define M2 pt_block_size_min() /* the smallest block: 2M, 32M, 512M */
#define VA1 0x40000000ull /* 1G-aligned: its L3 index is 0 */
#define OFF 0x18ull       /* the accessed byte, inside the first 4K */
#define PA_X 0x09000000ull  /* the 4K page mapped first ("old") */
#define PA_Y 0x0a000000ull  /* the 4K page a leaf is rewritten to ("new") */
#define PA_2M 0x20000000ull /* the block of the remap ("new"): 512M-aligned, a block at every granule */
#define PROT PT_PROT_NORMAL_XN

#define B(o) OUTCOME_BIT(OUTCOME_##o)

static struct pt_space sp;
static struct model M;
static size_t fed;

static int setup_cpus(unsigned ncpus)
{
	struct model_config cfg;

	mmu_host_reset();
	assert_int_equal(pt_space_init(&sp), PT_OK);
	model_config_default(&cfg);
	cfg.ncpus = ncpus;
	assert_int_equal(model_init(&M, &cfg), MODEL_OK);
	assert_int_equal(model_attach(&M, sp.root, sp.start_level), MODEL_OK);
	arch_log_clear();
	fed = 0;
	return 0;
}

static int setup(void **state)
{
	(void)state;
	return setup_cpus(1);
}

static int setup2(void **state)
{
	(void)state;
	return setup_cpus(2);
}

/* Replay the events the library recorded since the last call, on CPU cpu. */
static enum model_status feed_on(unsigned cpu)
{
	enum model_status st = M.status;

	assert_int_equal(arch_log_total(), arch_log_count()); /* nothing dropped */
	for (; fed < arch_log_count(); fed++) {
		const struct arch_event *e = arch_log_get(fed);
		st = model_on_event(&M, cpu, e->kind, e->a, e->b, e->c);
	}
	return st;
}

static void feed(void)
{
	assert_int_equal(feed_on(0), MODEL_OK);
}

/* A hand-written event (one the library has no instruction wrapper for), in order with the log. */
static void event(unsigned cpu, enum arch_event_kind k, uint64_t a, uint64_t b)
{
	feed();
	assert_int_equal(model_on_event(&M, cpu, k, a, b, 0), MODEL_OK);
}

static void print_set(const char *what, outcome_set_t s)
{
	print_message("%s:", what);
	for (unsigned o = 0; o < OUTCOME_COUNT; o++)
		if (s & OUTCOME_BIT(o))
			print_message(" %s", outcome_name((enum outcome)o));
	print_message("\n");
}

static void expect_answer(const struct model_answer *a, outcome_set_t want)
{
	char line[512];

	assert_int_equal(a->status, MODEL_OK);
	if (a->allowed == want && !getenv("MODEL_VERBOSE"))
		return;
	print_set("allowed ", a->allowed);
	print_set("expected", want);
	for (unsigned o = 0; o < OUTCOME_COUNT; o++)
		if (model_format_witness(a, (enum outcome)o, line, sizeof(line)) >= 0)
			print_message("  %s\n", line);
	if (a->allowed != want)
		fail();
}

static struct model_answer ans;

/* A load of va on cpu; markers: the PA of that byte under the new and under the old mapping. */
static void expect_at(unsigned cpu, uint64_t va, uint64_t new_pa, uint64_t old_pa, outcome_set_t want)
{
	struct model_markers mk = {new_pa, old_pa};

	feed();
	model_access(&M, cpu, va, MODEL_ACCESS_READ, &mk, &ans);
	expect_answer(&ans, want);
}

/* One access of `kind` at VA1+OFF on cpu; new_pa, old_pa: the pages (or block) each mapping uses. */
static void expect_access(unsigned cpu, enum model_access_kind kind, uint64_t new_pa, uint64_t old_pa,
			  outcome_set_t want)
{
	struct model_markers mk = {new_pa + OFF, old_pa + OFF};

	feed();
	model_access(&M, cpu, VA1 + OFF, kind, &mk, &ans);
	expect_answer(&ans, want);
}

static void expect_load(uint64_t new_pa, uint64_t old_pa, outcome_set_t want)
{
	expect_access(0, MODEL_ACCESS_READ, new_pa, old_pa, want);
}

static void expect_witness(enum outcome o, const char *want)
{
	char line[512];

	assert_true(model_format_witness(&ans, o, line, sizeof(line)) > 0);
	assert_string_equal(line, want);
}

/* The entry at `level` on the walk for va (the tables must reach that level). */
static pt_entry_t *entry_at(uint64_t va, int level)
{
	pt_entry_t *table = sp.root;
	for (int l = sp.start_level; l < level; l++) {
		pt_entry_t d = pt_read_desc(&table[pt_va_index(va, l)]);
		assert_int_equal(desc_type(d, l), DESC_TABLE);
		table = (pt_entry_t *)(uintptr_t)desc_oa(d, l);
	}
	return &table[pt_va_index(va, level)];
}

static uint64_t table_of(const pt_entry_t *ptep)
{
	return (uint64_t)(uintptr_t)ptep & ~(PT_GRANULE_SIZE - 1);
}

static void map4k(uint64_t va, uint64_t pa)
{
	assert_int_equal(map_range(&sp, va, pa, K4, PROT, PT_POLICY_REFUSE_LIVE), PT_OK);
	feed();
}

/* ---- single-entry litmus shapes ---------------------------------------------------------------- */

/* CoWT: a live leaf rewritten x -> y, no TLBI: the TLB may still hold x, the walker may read either. */
static void CoWT(void **state)
{
	(void)state;
	map4k(VA1, PA_X);
	expect_load(PA_Y, PA_X, B(OLD));
	pt_write_desc(entry_at(VA1, 3), desc_page(PA_Y, PROT));
	expect_load(PA_Y, PA_X, B(NEW) | B(OLD));
}

/* CoWT1: the same + dsb; tlbi; dsb; isb: x is gone from memory and from the TLB. */
static void CoWT1(void **state)
{
	(void)state;
	map4k(VA1, PA_X);
	pt_write_desc(entry_at(VA1, 3), desc_page(PA_Y, PROT));
	dsb_sy();
	tlbi_vae1is(VA1, 0);
	dsb_sy();
	isb();
	expect_load(PA_Y, PA_X, B(NEW));
	char want[128];
	snprintf(want, sizeof(want), "new: L0..L2 from memory, L3[0]=%#llx (page 0xa000000) from memory",
		 (unsigned long long)desc_page(PA_Y, PROT));
	expect_witness(OUTCOME_NEW, want);
}

/* CoWinvT: a leaf cleared, no TLBI: the cached x, or the walker's fault on the invalid entry. */
static void CoWinvT(void **state)
{
	(void)state;
	map4k(VA1, PA_X);
	assert_int_equal(unmap_range(&sp, VA1, K4, PT_TLBI_NONE), PT_OK);
	expect_load(PA_Y, PA_X, B(OLD) | B(FAULT_T3));
}

/* CoWinvWT1: single-CPU break-before-make: clear; dsb; tlbi; dsb; write y; dsb; isb. */
static void CoWinvWT1(void **state)
{
	(void)state;
	map4k(VA1, PA_X);
	pt_entry_t *pte = entry_at(VA1, 3);
	pt_write_desc(pte, 0);
	dsb_sy();
	tlbi_vae1is(VA1, 0);
	dsb_sy();
	pt_write_desc(pte, desc_page(PA_Y, PROT));
	dsb_sy();
	isb();
	expect_load(PA_Y, PA_X, B(NEW));
}

/* dsb ishst orders the stores but completes no TLBI, nor does dsb nsh a broadcast one (R_PSMWS). */
static void CoWinvT_dsb_ishst_does_not_complete_tlbi(void **state)
{
	(void)state;
	map4k(VA1, PA_X);
	pt_write_desc(entry_at(VA1, 3), 0);
	dsb_ishst();
	tlbi_vaae1is(VA1);
	dsb_ishst();
	isb();
	expect_load(PA_Y, PA_X, B(OLD) | B(FAULT_T3));
	dsb_nsh(); /* enough for a local TLBI only (R_PSMWS): this one is broadcast */
	isb();
	expect_load(PA_Y, PA_X, B(OLD) | B(FAULT_T3));
	dsb_ish(); /* now it completes; the ISB after it makes it effective on this CPU */
	isb();
	expect_load(PA_Y, PA_X, B(FAULT_T3));
}

/* ---- table swaps under a cached leaf (L2 entry changes, L3 leaf cached) ------------------------ */

/* VA1 -> x through table T1; a second table T2 maps VA1 -> y, complete before it is linked. */
static pt_entry_t *prepare_l23_swap(void)
{
	map4k(VA1, PA_X);
	pt_entry_t *pmdp = entry_at(VA1, 2);
	pt_entry_t *t2 = pt_pool_alloc(&sp, 3, VA1, pmdp);
	assert_non_null(t2);
	pt_write_desc(&t2[pt_va_index(VA1, 3)], desc_page(PA_Y, PROT));
	dsb_ishst();
	return t2;
}

/* CoWT.L23: the L2 entry swapped T1 -> T2 live, no TLBI: the cached T1 pointer and leaf still give x. */
static void CoWT_L23(void **state)
{
	(void)state;
	pt_entry_t *t2 = prepare_l23_swap();
	pt_write_desc(entry_at(VA1, 2), desc_table((uint64_t)(uintptr_t)t2));
	expect_load(PA_Y, PA_X, B(NEW) | B(OLD));
}

/*
 * The swap (L2 entry T1 -> T2, live), then [dsb sy if `dsb_first`]; the local
 * TLBI `tlbi` at VA1 on CPU 0; dsb sy; isb: the CoWT1.L23 shapes below.
 */
static void l23_swap_then_tlbi(enum arch_event_kind tlbi, bool dsb_first)
{
	pt_entry_t *t2 = prepare_l23_swap();
	pt_write_desc(entry_at(VA1, 2), desc_table((uint64_t)(uintptr_t)t2));
	if (dsb_first)
		dsb_sy();
	event(0, tlbi, VA1, 0);
	dsb_sy();
	isb();
}

/* CoWT1.L23: the same + dsb; a LOCAL TLBI by VA, all levels (vae1); dsb; isb: x is gone. */
static void CoWT1_L23(void **state)
{
	(void)state;
	l23_swap_then_tlbi(ARCH_EV_TLBI_VAE1, true);
	expect_load(PA_Y, PA_X, B(NEW));
}

/*
 * CoWT1.L23 without the DSB between the write and the TLBI: the TLBI may act
 * before the walker sees the write, and the walker may then re-cache T1
 * (K11.5.3.1: TLB invalidation relies only on completed writes). x allowed.
 */
static void CoWT1_L23_tlbi_before_dsb(void **state)
{
	(void)state;
	l23_swap_then_tlbi(ARCH_EV_TLBI_VAE1, false);
	expect_load(PA_Y, PA_X, B(NEW) | B(OLD));
}

/* CoWT1.L23 with a last-level TLBI (vale1): the walk cache keeps the T1 pointer, T1 still maps x. */
static void CoWT1_L23_leaf_tlbi(void **state)
{
	(void)state;
	l23_swap_then_tlbi(ARCH_EV_TLBI_VALE1, true);
	expect_load(PA_Y, PA_X, B(NEW) | B(OLD));
}

/* CoWT1.L23 on two CPUs: the local TLBI on CPU 0 leaves CPU 1's cached T1 pointer and leaf alone. */
static void CoWT1_L23_local_tlbi_other_cpu(void **state)
{
	(void)state;
	l23_swap_then_tlbi(ARCH_EV_TLBI_VAE1, true);
	expect_access(0, MODEL_ACCESS_READ, PA_Y, PA_X, B(NEW));
	expect_access(1, MODEL_ACCESS_READ, PA_Y, PA_X, B(NEW) | B(OLD));
}

/* ---- the 2017 linux-mm report: ioremap 4K, iounmap, ioremap 2M over the PMD that still points to the PTE table ---- */

/* ioremap(4K) + access + iounmap() with `scope` maintenance; returns the PTE table left behind. */
static uint64_t report_map_unmap_4k(enum pt_tlbi_scope scope)
{
	map4k(VA1, PA_X);
	expect_load(PA_2M, PA_X, B(OLD));
	uint64_t pte_table = table_of(entry_at(VA1, 3));
	assert_int_equal(unmap_range(&sp, VA1, K4, scope), PT_OK); /* W(pte)=0 [; dsb ishst; tlbi; dsb ish; isb] */
	return pte_table;
}

/* Linux 4.14 ioremap(2M): pmd_set_huge() writes the block over the table entry: no break, no TLBI. */
static void report_remap_2m_4_14(void)
{
	arch_log_clear();
	fed = 0;
	assert_int_equal(map_range(&sp, VA1, PA_2M, M2, PROT, PT_POLICY_LINUX_4_14), PT_OK);
	static const enum arch_event_kind seq[] = {ARCH_EV_WRITE, ARCH_EV_DSB_ISHST, ARCH_EV_ISB};
	assert_true(arch_log_barriers_are(seq, 3));
}

/*
 * The report, iounmap as in 4.14 (tlbi vaae1is, all levels): the leaf was
 * cleared, invalidated and the DSB completed, so x is gone. A later walk may
 * re-cache the L0..L2 entries including the PMD's table pointer; the block
 * then replaces that pointer with no break and no TLBI. Allowed: the block,
 * the cached pointer leading to the zeroed PTE (fault-t3), or a TLB conflict.
 */
static void report_4_14(void **state)
{
	char want[256];

	(void)state;
	uint64_t pte_table = report_map_unmap_4k(PT_TLBI_ALL_LEVELS);
	expect_load(PA_2M, PA_X, B(FAULT_T3)); /* the re-walk that faults at L3 */
	report_remap_2m_4_14();
	expect_load(PA_2M, PA_X, B(NEW) | B(FAULT_T3) | B(TLB_CONFLICT));
	/* Writes: L0, L1, L2 table pointers and the PTE (#1-#4), the PTE cleared (#5), the block (#6). */
	snprintf(want, sizeof(want),
		 "fault-t3: L0..L1 from memory, L2 table pointer %#llx from the walk cache (stale since write #6), "
		 "L3[0]=0 from memory",
		 (unsigned long long)pte_table);
	expect_witness(OUTCOME_FAULT_T3, want);
	snprintf(want, sizeof(want),
		 "tlb-conflict: L2 table pointer %#llx from the walk cache (stale since write #6) and "
		 "L2[0]=%#llx (block 0x20000000) from memory both translate VA 0x40000018",
		 (unsigned long long)pte_table, (unsigned long long)desc_block(2, PA_2M, PROT));
	expect_witness(OUTCOME_TLB_CONFLICT, want);
	snprintf(want, sizeof(want), "new: L0..L1 from memory, L2[0]=%#llx (block 0x20000000) from memory",
		 (unsigned long long)desc_block(2, PA_2M, PROT));
	expect_witness(OUTCOME_NEW, want);
}

/*
 * The report with a leaf-only iounmap (tlbi vale1is, what later kernels use):
 * the PTE is a last-level entry, so vale1is removes its cached copy just as
 * vaae1is does, and its DSB completes that. x stays forbidden. What vale1is
 * leaves is walk-cache entries, but the PMD's table pointer is still valid in
 * memory, so it is cacheable anyway: the same set as with vaae1is.
 */
static void report_leaf_tlbi(void **state)
{
	(void)state;
	report_map_unmap_4k(PT_TLBI_LEAF);
	expect_load(PA_2M, PA_X, B(FAULT_T3));
	report_remap_2m_4_14();
	expect_load(PA_2M, PA_X, B(NEW) | B(FAULT_T3) | B(TLB_CONFLICT));
}

/*
 * A harness bug: the iounmap TLBI dropped. The cleared PTE's old value may
 * stay cached, so x becomes allowed: a harness that lost the TLBI and saw x
 * is told "allowed" by the model, whatever the scenario's author expected.
 */
static void report_without_iounmap_tlbi(void **state)
{
	char want[256];

	(void)state;
	uint64_t pte_table = report_map_unmap_4k(PT_TLBI_NONE);
	expect_load(PA_2M, PA_X, B(OLD) | B(FAULT_T3));
	report_remap_2m_4_14();
	expect_load(PA_2M, PA_X, B(NEW) | B(OLD) | B(FAULT_T3) | B(TLB_CONFLICT));
	snprintf(want, sizeof(want),
		 "old: L0..L1 from memory, L2 table pointer %#llx from the walk cache (stale since write #6), "
		 "L3 page 0x9000000 from the TLB (stale since write #5)",
		 (unsigned long long)pte_table);
	expect_witness(OUTCOME_OLD, want);
}

/* Linux's fix (pmd_free_pte_page via map_range linux-fixed): clear; dsb ishst; tlbi vaae1is; dsb ish; isb;
 * free; write block; dsb ishst; isb. Only the block. */
static void correct_bbm_linux_fixed(void **state)
{
	(void)state;
	report_map_unmap_4k(PT_TLBI_ALL_LEVELS);
	assert_int_equal(map_range(&sp, VA1, PA_2M, M2, PROT, PT_POLICY_LINUX_FIXED), PT_OK);
	expect_load(PA_2M, PA_X, B(NEW));
}

/* The fix's sequence by hand, `isb_after_tlbi` choosing the ISB after the completing DSB. */
static void fixed_sequence_by_hand(bool isb_after_tlbi, bool final_barriers)
{
	report_map_unmap_4k(PT_TLBI_ALL_LEVELS);
	pt_entry_t *pmdp = entry_at(VA1, 2);
	pt_entry_t *pte_table = (pt_entry_t *)(uintptr_t)desc_oa(pt_read_desc(pmdp), 2);
	pt_write_desc(pmdp, 0);
	dsb_ishst();
	tlbi_vaae1is(VA1);
	dsb_ish();
	if (isb_after_tlbi)
		isb();
	assert_true(pt_pool_free(pte_table));
	pt_write_desc(pmdp, desc_block(2, PA_2M, PROT));
	if (final_barriers) {
		dsb_ishst();
		isb();
	}
}

static void correct_bbm_with_isb(void **state)
{
	(void)state;
	fixed_sequence_by_hand(true, true);
	expect_load(PA_2M, PA_X, B(NEW));
}

static void correct_bbm_without_extra_isb(void **state)
{
	(void)state;
	fixed_sequence_by_hand(false, true);
	expect_load(PA_2M, PA_X, B(NEW));
}

/*
 * No DSB after the make: the walker may still read the invalid entry the block
 * replaced (rule 2). The TLBI before was complete and the ISB made it effective.
 */
static void no_dsb_after_make(void **state)
{
	(void)state;
	fixed_sequence_by_hand(true, false);
	expect_load(PA_2M, PA_X, B(NEW) | B(FAULT_T2));
}

/*
 * No ISB anywhere after the TLBI's DSB: for the issuing CPU's own TLB a TLBI
 * is only guaranteed complete after a Context synchronization event (D8.17.8
 * R_BLDZX, no FEAT_ETS2 assumed), so CPU 0 may still use the cached pointer
 * into the freed PTE table; CPU 1's TLB was done at the DSB (R_YNJCP).
 */
static void correct_bbm_without_any_isb(void **state)
{
	(void)state;
	fixed_sequence_by_hand(false, false);
	dsb_ishst();
	expect_access(0, MODEL_ACCESS_READ, PA_2M, PA_X, B(NEW) | B(POISON) | B(TLB_CONFLICT));
	expect_access(1, MODEL_ACCESS_READ, PA_2M, PA_X, B(NEW));
	isb();
	expect_access(0, MODEL_ACCESS_READ, PA_2M, PA_X, B(NEW));
}

/* A walk through a freed table page: the PMD cleared without a TLBI, the PTE table freed. */
static void walk_through_freed_table(void **state)
{
	char want[256];

	(void)state;
	uint64_t pte_table = report_map_unmap_4k(PT_TLBI_ALL_LEVELS);
	pt_entry_t *pmdp = entry_at(VA1, 2);
	pt_write_desc(pmdp, 0);
	dsb_ishst();
	assert_true(pt_pool_free((pt_entry_t *)(uintptr_t)pte_table));
	expect_load(PA_2M, PA_X, B(FAULT_T2) | B(POISON));
	snprintf(want, sizeof(want),
		 "poison: L0..L1 from memory, L2 table pointer %#llx from the walk cache (stale since write #6), "
		 "L3 table page %#llx was freed: the walk reads whatever it holds now",
		 (unsigned long long)pte_table, (unsigned long long)pte_table);
	expect_witness(OUTCOME_POISON, want);
}

/* ---- orphans: a subtree's entries outlive the link to it --------------------------------------- */

/*
 * Linux's fix relies on the 2M range being unmapped already: with a page still
 * mapped at VA1+4K, pmd_free_pte_page's vaae1is at VA1 does not reach that
 * page's cached leaf, which now conflicts with the block (the monitor's
 * free-child-live case).
 */
static void linux_fixed_with_live_child(void **state)
{
	(void)state;
	map4k(VA1 + K4, PA_X);
	assert_int_equal(map_range(&sp, VA1, PA_2M, M2, PROT, PT_POLICY_LINUX_FIXED), PT_OK);
	expect_at(0, VA1 + K4 + OFF, PA_2M + K4 + OFF, PA_X + OFF, B(NEW) | B(OLD) | B(TLB_CONFLICT));
	expect_at(0, VA1 + OFF, PA_2M + OFF, PA_X + OFF, B(NEW));
}

/*
 * A PTE table unlinked with a by-VA TLBI at VA1: the leaf at VA1+4K stays
 * cached although no walk reaches level 3 any more (a cached entry needs no
 * levels above it).
 */
static void orphan_leaf_survives_by_va_tlbi(void **state)
{
	(void)state;
	map4k(VA1, PA_Y);
	map4k(VA1 + K4, PA_X);
	pt_write_desc(entry_at(VA1, 2), 0);
	dsb_ishst();
	tlbi_vaae1is(VA1);
	dsb_ish();
	isb();
	expect_at(0, VA1 + OFF, PA_Y + OFF, PA_X + OFF, B(FAULT_T2));
	expect_at(0, VA1 + K4 + OFF, PA_Y + OFF, PA_X + OFF, B(FAULT_T2) | B(OLD));
	tlbi_vmalle1is();
	dsb_ish();
	isb();
	expect_at(0, VA1 + K4 + OFF, PA_Y + OFF, PA_X + OFF, B(FAULT_T2));
}

/*
 * Linux's fix without the extra ISB, pages still mapped at VA1 and VA1+4K:
 * at the free the walk cache may still hold the pointer to the PTE table
 * (R_BLDZX: gone at the next ISB), so its entries are captured; the copy of
 * VA1's leaf was already invalidated by the completed vaae1is and must not
 * come back. The leaf at VA1+4K was never in the TLBI's scope.
 */
static void linux_fixed_no_extra_isb_live_pages(void **state)
{
	(void)state;
	map4k(VA1, PA_X);
	map4k(VA1 + K4, PA_X);
	pt_entry_t *pmdp = entry_at(VA1, 2);
	pt_entry_t *pte_table = (pt_entry_t *)(uintptr_t)desc_oa(pt_read_desc(pmdp), 2);
	pt_write_desc(pmdp, 0);
	dsb_ishst();
	tlbi_vaae1is(VA1);
	dsb_ish();
	assert_true(pt_pool_free(pte_table));
	pt_write_desc(pmdp, desc_block(2, PA_2M, PROT));
	dsb_ishst();
	isb();
	expect_at(0, VA1 + OFF, PA_2M + OFF, PA_X + OFF, B(NEW));
	expect_at(0, VA1 + K4 + OFF, PA_2M + K4 + OFF, PA_X + OFF, B(NEW) | B(OLD) | B(TLB_CONFLICT));
}

/* A table page allocated before attach and linked after: the model learns it from the table descriptor. */
static void table_learned_from_its_link(void **state)
{
	(void)state;
	pt_entry_t *t2 = prepare_l23_swap();
	assert_int_equal(model_attach(&M, sp.root, sp.start_level), MODEL_OK); /* T2 is not reachable yet */
	arch_log_clear();
	fed = 0;
	pt_write_desc(entry_at(VA1, 2), desc_table((uint64_t)(uintptr_t)t2));
	expect_load(PA_Y, PA_X, B(NEW) | B(OLD));
}

/* Writes into a table no walk can reach (link cleared and invalidated) are never cached (rule 1). */
static void unreachable_writes_are_not_cached(void **state)
{
	(void)state;
	map4k(VA1, PA_X);
	pt_entry_t *pte = entry_at(VA1, 3);
	pt_write_desc(entry_at(VA1, 2), 0);
	dsb_ishst();
	tlbi_vaae1is(VA1);
	dsb_ish();
	isb();
	pt_write_desc(pte, desc_page(PA_Y, PROT));
	pt_write_desc(pte, 0);
	dsb_ishst();
	expect_load(PA_Y, PA_X, B(FAULT_T2));
}

/* A live table freed (still linked): poison for a walk, and its entries may have been cached before. */
static void free_of_a_live_table(void **state)
{
	(void)state;
	map4k(VA1, PA_X);
	assert_true(pt_pool_free((pt_entry_t *)(uintptr_t)table_of(entry_at(VA1, 3))));
	expect_load(PA_Y, PA_X, B(POISON) | B(OLD));
	assert_int_equal(M.nstale, 1);
	assert_int_equal(M.stale[0].write_no, 0); /* stale since the free, not since a write */
}

/*
 * Coherence: once a write is complete for a CPU's walks, no older value is
 * readable there. The PTE of VA1 goes 0 -> y on CPU 1 (never completed), then
 * y -> z on CPU 0, completed for CPU 0's walks by dsb nsh, and y's stale copy
 * is removed on CPU 0 by a local TLBI. CPU 0 may now read only z; CPU 1 may
 * still read z, y or 0.
 */
static void coherence_hides_older_values(void **state)
{
	(void)state;
	map4k(VA1 + K4, PA_X); /* the tables, with VA1's PTE still 0 */
	pt_entry_t *pte = entry_at(VA1, 3);
	pt_write_desc(pte, desc_page(PA_Y, PROT));
	assert_int_equal(feed_on(1), MODEL_OK);
	pt_write_desc(pte, desc_page(PA_2M, PROT));
	dsb_nsh();
	event(0, ARCH_EV_TLBI_VAE1, VA1, 0);
	dsb_nsh();
	isb();
	expect_at(0, VA1 + OFF, PA_2M + OFF, PA_Y + OFF, B(NEW));
	expect_at(1, VA1 + OFF, PA_2M + OFF, PA_Y + OFF, B(NEW) | B(OLD) | B(FAULT_T3));
}

/* ---- access kinds, faults, ASIDs, page zeroing, per-CPU barriers ------------------------------- */

/* Permission faults for writes (and AT S1E1W); AT S1E1R and PRFM see what a read sees. */
static void access_kinds(void **state)
{
	(void)state;
	assert_int_equal(map_range(&sp, VA1, PA_X, K4, PT_PROT_NORMAL_RO, PT_POLICY_REFUSE_LIVE), PT_OK);
	expect_access(0, MODEL_ACCESS_READ, PA_Y, PA_X, B(OLD));
	expect_access(0, MODEL_ACCESS_WRITE, PA_Y, PA_X, B(FAULT_PERM));
	expect_access(0, MODEL_ACCESS_AT_S1E1W, PA_Y, PA_X, B(FAULT_PERM));
	expect_access(0, MODEL_ACCESS_AT_S1E1R, PA_Y, PA_X, B(OLD));
	expect_access(0, MODEL_ACCESS_PRFM, PA_Y, PA_X, B(OLD));
	/* A translation to neither marker is "other". */
	expect_access(0, MODEL_ACCESS_READ, PA_Y, PA_2M, B(OTHER));
}

/* AF=0 leaves fault and are never cached (R_XCLRD): rewriting one live leaves no stale "old". */
static void access_flag_entries_are_not_cached(void **state)
{
	(void)state;
	assert_int_equal(map_range(&sp, VA1, PA_X, K4, PROT & ~PTE_AF, PT_POLICY_REFUSE_LIVE), PT_OK);
	expect_load(PA_Y, PA_X, B(FAULT_AF));
	pt_write_desc(entry_at(VA1, 3), desc_page(PA_Y, PROT));
	expect_load(PA_Y, PA_X, B(NEW) | B(FAULT_AF)); /* the walker may still read the AF=0 value */
	dsb_ishst();
	expect_load(PA_Y, PA_X, B(NEW));
}

static void va_out_of_range(void **state)
{
	struct model_markers mk = {0, 0};
	char line[128];

	(void)state;
	assert_int_equal(model_access(&M, 0, PT_VA_LIMIT + 0x1000, MODEL_ACCESS_READ, &mk, &ans), MODEL_OK);
	assert_int_equal(ans.allowed, B(FAULT_T0));
	model_format_witness(&ans, OUTCOME_FAULT_T0, line, sizeof(line));
	assert_string_equal(line, "fault-t0: VA 0x1000000001000 is outside the 48-bit TTBR0 range");
	assert_int_equal(model_format_witness(&ans, OUTCOME_NEW, line, sizeof(line)), -1);
}

/* Non-global leaves and every table entry (R_CHVGJ) belong to an ASID: vae1is of another ASID keeps them. */
static void asid_scoped_tlbi(void **state)
{
	struct model_config cfg;

	(void)state;
	model_config_default(&cfg);
	cfg.asid = 5;
	assert_int_equal(model_init(&M, &cfg), MODEL_OK);
	assert_int_equal(model_attach(&M, sp.root, sp.start_level), MODEL_OK);
	assert_int_equal(map_range(&sp, VA1, PA_X, K4, PROT | PTE_NG, PT_POLICY_REFUSE_LIVE), PT_OK);
	assert_int_equal(unmap_range(&sp, VA1, K4, PT_TLBI_NONE), PT_OK);
	dsb_ishst();
	tlbi_vae1is(VA1, 6);
	dsb_ish();
	isb();
	expect_load(PA_Y, PA_X, B(OLD) | B(FAULT_T3));
	/* A context switch to ASID 6 (model_config.asid is the running ASID): ASID 5's entries do not apply. */
	M.cfg.asid = 6;
	expect_load(PA_Y, PA_X, B(FAULT_T3));
	M.cfg.asid = 5;
	tlbi_vae1is(VA1, 5);
	dsb_ish();
	isb();
	expect_load(PA_Y, PA_X, B(FAULT_T3));
}

/* A table linked before the DSB that completes its zeroing: the walker may see its old contents. */
static void zeroing_not_complete(void **state)
{
	(void)state;
	map4k(VA1, PA_X);
	uint64_t va2 = VA1 + M2;
	pt_entry_t *pmdp2 = entry_at(va2, 2);
	pt_entry_t *t = pt_pool_alloc(&sp, 3, va2, pmdp2);
	assert_non_null(t);
	pt_write_desc(pmdp2, desc_table((uint64_t)(uintptr_t)t)); /* no dsb ishst first */
	struct model_markers mk = {0, 0};
	feed();
	model_access(&M, 0, va2, MODEL_ACCESS_READ, &mk, &ans);
	expect_answer(&ans, B(FAULT_T2) | B(FAULT_T3) | B(POISON));
	dsb_ishst();
	feed();
	model_access(&M, 0, va2, MODEL_ACCESS_READ, &mk, &ans);
	expect_answer(&ans, B(FAULT_T3));
}

/*
 * dsb nsh completes a write for the issuing CPU's walks only. The broadcast
 * TLBI after it is completed by dsb ish, but CPU 1's walker may have re-cached
 * x after the TLBI acted and before the write reached it (K11.5.3.1).
 */
static void dsb_nsh_is_local(void **state)
{
	(void)state;
	map4k(VA1, PA_X);
	pt_write_desc(entry_at(VA1, 3), 0);
	dsb_nsh();
	tlbi_vaae1is(VA1);
	dsb_ish();
	isb();
	expect_access(0, MODEL_ACCESS_READ, PA_Y, PA_X, B(FAULT_T3));
	expect_access(1, MODEL_ACCESS_READ, PA_Y, PA_X, B(OLD) | B(FAULT_T3));
}

/* ---- errors: capacity, unknown tables, bad arguments --------------------------------------------- */

/* Map n 4K pages from VA1 (in one PTE table), then put a 2M block over their PMD (linux-4.14). */
static enum model_status orphan_pages(unsigned n)
{
	/* PA 4K past a 2M boundary: map_range cannot use a block, so n pages. */
	assert_int_equal(map_range(&sp, VA1, PA_2M + K4, (uint64_t)n * K4, PROT, PT_POLICY_REFUSE_LIVE), PT_OK);
	feed();
	assert_int_equal(map_range(&sp, VA1, PA_2M, M2, PROT, PT_POLICY_LINUX_4_14), PT_OK);
	return feed_on(0);
}

/* n orphaned leaves + the table pointer fill the stale array exactly; one more entry is an error. */
static void capacity_stale_entries(void **state)
{
	struct model_markers mk = {PA_2M + OFF, PA_X + OFF};

	(void)state;
	assert_int_equal(orphan_pages(MODEL_STALE_MAX - 1), MODEL_OK);
	assert_int_equal(M.nstale, MODEL_STALE_MAX);
	assert_int_equal(model_access(&M, 0, VA1 + OFF, MODEL_ACCESS_READ, &mk, &ans), MODEL_OK);
	/* The block is cleared with no TLBI: its old value is one stale entry too many. */
	assert_int_equal(unmap_range(&sp, VA1, M2, PT_TLBI_NONE), PT_OK);
	assert_int_equal(feed_on(0), MODEL_ERR_STALE_FULL);
	assert_int_equal(model_access(&M, 0, VA1 + OFF, MODEL_ACCESS_READ, &mk, &ans), MODEL_ERR_STALE_FULL);
	assert_int_equal(ans.status, MODEL_ERR_STALE_FULL);
	assert_int_equal(ans.allowed, 0);
	/* Sticky: later events do not clear it; a new attach does. */
	dsb_ish();
	assert_int_equal(feed_on(0), MODEL_ERR_STALE_FULL);
	assert_int_equal(model_attach(&M, sp.root, sp.start_level), MODEL_OK);
}

/* More orphans than the array holds: the 4.14 block over a full PTE table. */
static void capacity_orphans_overflow(void **state)
{
	(void)state;
	assert_int_equal(orphan_pages(PT_ENTRIES), MODEL_ERR_STALE_FULL);
	assert_string_equal(model_status_name(M.status), "stale-entry table full");
}

static void capacity_pending_and_tlbi(void **state)
{
	(void)state;
	map4k(VA1, PA_X);
	uint64_t pte = (uint64_t)(uintptr_t)entry_at(VA1, 3);
	pt_entry_t v[2] = {desc_page(PA_X, PROT), desc_page(PA_Y, PROT)};
	enum model_status st = MODEL_OK;
	for (unsigned i = 0; i <= MODEL_PENDING_MAX && st == MODEL_OK; i++)
		st = model_on_event(&M, 0, ARCH_EV_WRITE, pte, v[i & 1], v[(i + 1) & 1]);
	assert_int_equal(st, MODEL_ERR_PENDING_FULL);

	assert_int_equal(model_attach(&M, sp.root, sp.start_level), MODEL_OK);
	for (unsigned i = 0; i <= MODEL_TLBI_MAX && st != MODEL_ERR_TLBI_FULL; i++)
		st = model_on_event(&M, 0, ARCH_EV_TLBI_VAAE1IS, VA1, 0, 0);
	assert_int_equal(st, MODEL_ERR_TLBI_FULL);
}

static void errors(void **state)
{
	struct model_config cfg;
	struct model_markers mk = {0, 0};
	static pt_entry_t stray[PT_MAX_ENTRIES] __attribute__((aligned(PT_GRANULE_MAX_SIZE)));

	(void)state;
	model_config_default(&cfg);
	cfg.ncpus = 0;
	assert_int_equal(model_init(&M, &cfg), MODEL_ERR_BAD_ARG);
	cfg.ncpus = MODEL_MAX_CPUS + 1;
	assert_int_equal(model_init(&M, &cfg), MODEL_ERR_BAD_ARG);
	assert_int_equal(model_attach(&M, sp.root, sp.start_level), MODEL_ERR_BAD_ARG); /* stays refused */
	cfg.ncpus = 1;
	cfg.feat_bbm = 3;
	assert_int_equal(model_init(&M, &cfg), MODEL_ERR_BAD_ARG);
	cfg.feat_bbm = 2;
	cfg.contiguous = true;
	assert_int_equal(model_init(&M, &cfg), MODEL_OK);
	assert_int_equal(model_on_event(&M, 0, ARCH_EV_ISB, 0, 0, 0), MODEL_ERR_NOT_ATTACHED);
	assert_int_equal(model_attach(&M, 0, 0), MODEL_ERR_BAD_ARG);
	assert_int_equal(model_attach(&M, sp.root, sp.start_level), MODEL_OK);
	assert_int_equal(model_access(&M, 1, VA1, MODEL_ACCESS_READ, &mk, &ans), MODEL_ERR_BAD_ARG);
	assert_int_equal(model_access(&M, 0, VA1, MODEL_ACCESS_KIND_COUNT, &mk, &ans), MODEL_ERR_BAD_ARG);
	assert_int_equal(model_on_event(&M, 1, ARCH_EV_ISB, 0, 0, 0), MODEL_ERR_BAD_ARG);
	/* A descriptor write into a page the model never learned: what it translates is unknown. */
	assert_int_equal(model_attach(&M, sp.root, sp.start_level), MODEL_OK);
	assert_int_equal(model_on_event(&M, 0, ARCH_EV_WRITE, (uint64_t)(uintptr_t)&stray[3], 0, 1), MODEL_ERR_UNKNOWN_TABLE);
	assert_int_equal(M.error_info, (uint64_t)(uintptr_t)&stray[3]);
	/* An event kind the model does not know may matter: refused, not ignored. */
	assert_int_equal(model_attach(&M, sp.root, sp.start_level), MODEL_OK);
	assert_int_equal(model_on_event(&M, 0, ARCH_EV_KIND_COUNT, 0, 0, 0), MODEL_ERR_BAD_ARG);
}

/* Attach learns the tables already there; a truncated witness never overflows. */
static void attach_and_format(void **state)
{
	char small[12];

	(void)state;
	assert_int_equal(map_range(&sp, VA1, PA_X, K4, PROT, PT_POLICY_REFUSE_LIVE), PT_OK);
	assert_int_equal(model_attach(&M, sp.root, sp.start_level), MODEL_OK);
	assert_int_equal(M.npages, 4);
	arch_log_clear();
	fed = 0;
	expect_load(PA_Y, PA_X, B(OLD));
	int n = model_format_witness(&ans, OUTCOME_OLD, small, sizeof(small));
	assert_true(n > (int)sizeof(small));
	assert_int_equal(strlen(small), sizeof(small) - 1);
	for (int s = 0; s < MODEL_STATUS_COUNT; s++)
		assert_string_not_equal(model_status_name((enum model_status)s), "?");
}

#define LITMUS(name, fn, fixture) {name, fn, fixture, NULL, NULL}

int main(void)
{
	const struct CMUnitTest tests[] = {
		LITMUS("CoWT", CoWT, setup),
		LITMUS("CoWinvT", CoWinvT, setup),
		LITMUS("CoWinvWT1", CoWinvWT1, setup),
		LITMUS("CoWinvT+dsb-ishst-does-not-complete-tlbi", CoWinvT_dsb_ishst_does_not_complete_tlbi, setup),
		LITMUS("CoWT.L23", CoWT_L23, setup),
		LITMUS("CoWT1.L23", CoWT1_L23, setup),
		LITMUS("CoWT1.L23+tlbi-before-dsb", CoWT1_L23_tlbi_before_dsb, setup),
		LITMUS("CoWT1.L23+vale1", CoWT1_L23_leaf_tlbi, setup),
		LITMUS("CoWT1.L23+other-cpu", CoWT1_L23_local_tlbi_other_cpu, setup2),
		LITMUS("report/leaf-tlbi", report_leaf_tlbi, setup),
		LITMUS("bbm/linux-fixed", correct_bbm_linux_fixed, setup),
		LITMUS("bbm/with-isb", correct_bbm_with_isb, setup),
		LITMUS("bbm/without-extra-isb", correct_bbm_without_extra_isb, setup),
		LITMUS("bbm/no-dsb-after-make", no_dsb_after_make, setup),
		LITMUS("bbm/no-isb-at-all", correct_bbm_without_any_isb, setup2),
		LITMUS("bbm/linux-fixed-live-child", linux_fixed_with_live_child, setup),
		LITMUS("orphan-leaf-survives-by-va-tlbi", orphan_leaf_survives_by_va_tlbi, setup),
		LITMUS("bbm/linux-fixed-no-extra-isb-live-pages", linux_fixed_no_extra_isb_live_pages, setup),
		LITMUS("table-learned-from-its-link", table_learned_from_its_link, setup),
		LITMUS("unreachable-writes-not-cached", unreachable_writes_are_not_cached, setup),
		LITMUS("free-of-a-live-table", free_of_a_live_table, setup),
		LITMUS("coherence-hides-older-values", coherence_hides_older_values, setup2),
		LITMUS("access-kinds", access_kinds, setup),
		LITMUS("af-not-cached", access_flag_entries_are_not_cached, setup),
		LITMUS("va-out-of-range", va_out_of_range, setup),
		LITMUS("asid", asid_scoped_tlbi, setup),
		LITMUS("zeroing-not-complete", zeroing_not_complete, setup),
		LITMUS("dsb-nsh-is-local", dsb_nsh_is_local, setup2),
		LITMUS("capacity/stale", capacity_stale_entries, setup),
		LITMUS("capacity/pending-tlbi", capacity_pending_and_tlbi, setup),
		LITMUS("errors", errors, setup),
	};
	/* Their witness texts name 4K's table indices and level sizes, or fill a 512-entry table: 4K only. */
	const struct CMUnitTest tests_4k[] = {
		LITMUS("CoWT1", CoWT1, setup),
		LITMUS("report/4.14", report_4_14, setup),
		LITMUS("report/no-iounmap-tlbi", report_without_iounmap_tlbi, setup),
		LITMUS("freed-table-walk", walk_through_freed_table, setup),
		LITMUS("capacity/orphans", capacity_orphans_overflow, setup),
		LITMUS("attach-format", attach_and_format, setup),
	};
	int failed = MMU_HOST_RUN_AT_GRANULES("model", tests);
	return failed + cmocka_run_group_tests_name("model, 4K texts", tests_4k, mmu_host_setup_4k, mmu_host_back_to_4k);
}
