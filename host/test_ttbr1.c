/*
 * TTBR1's space (the upper VA range, kernel-style global mappings) next to
 * TTBR0's with ASIDs, and a live change of nG:
 *  - the library: ranges, the events' VAs (bit 55 says which TTBR), the pool's
 *    VA bases, sweep and monitor in the upper range;
 *  - the model: a second root chosen by VA[55] (Arm ARM DDI 0487 M.a.a, D8.2.3
 *    "Selection between TTBR0 and TTBR1"), global kernel pages under every TLBI
 *    form, a kernel PTE table freed with vaae1is or vae1is of one ASID, and rule
 *    6d (a global and a non-global entry of the running ASID for one VA: a TLB
 *    conflict), with the monitor's count for each, exactly. The same sequences
 *    as the `ttbr1` scenario group (tests/ttbr1.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "host/support/arch_log.h"
#include "host/support/mmu_host.h"
#include "host/support/model_feed.h"
#include "mmu/asid.h"
#include "mmu/model.h"
#include "mmu/monitor.h"
#include "mmu/pool.h"
#include "mmu/pt.h"
#include "mmu/pt_write.h"
#include "mmu/sweep.h"
#include "mmu/tlb.h"
#include "mmu/unsafe.h"
#include "mmu/walk.h"

#define K4 4096ull
#define M2 0x200000ull
#define KVA (PT_TTBR1_VA_BASE + 0x8040000000ull) /* a 2 MiB-aligned kernel VA */
#define OFF 0x18ull
#define PA_X 0x09000000ull /* the page first ("old") */
#define PA_Y 0x0a000000ull /* the page or block after the change ("new") */
#define PROT PT_PROT_NORMAL_XN
#define ASID_A 1
#define ASID_B 2

#define B(o) OUTCOME_BIT(OUTCOME_##o)

static struct pt_space user, kernel;
static struct model M;
static size_t fed;
static struct model_answer ans;

/* ASID 0 runs, TLBs clean, a TTBR0 and a TTBR1 space, model and monitor watching both. */
static void start(void)
{
	struct model_config cfg;

	mmu_host_reset();
	assert_int_equal(pt_space_init(&user), PT_OK);
	assert_int_equal(pt_space_init_ttbr1(&kernel), PT_OK);
	model_config_default(&cfg);
	assert_int_equal(model_watch_space(&M, &cfg, &user, &fed), MODEL_OK);
	assert_int_equal(model_attach_ttbr1(&M, kernel.root), MODEL_OK);
}

static outcome_set_t load(uint64_t va, uint64_t new_pa, uint64_t old_pa)
{
	struct model_markers mk = {new_pa, old_pa};

	assert_true(model_feed_from_log(&M, &fed));
	assert_int_equal(model_access(&M, 0, va, MODEL_ACCESS_READ, &mk, &ans), MODEL_OK);
	return ans.allowed;
}

static void expect_monitor(enum bbm_rule rule, uint64_t n, uint64_t total)
{
	bbm_monitor_enable(false);
	assert_int_equal(bbm_monitor_count(rule), n);
	assert_int_equal(bbm_monitor_total(), total);
}

/* ---- the library: a second space in the upper range ---- */

static void space_ranges(void **state)
{
	struct pt_translation tr;

	(void)state;
	start();
	assert_int_equal(kernel.va_base, 0xffff000000000000ull);
	assert_int_equal(pt_va_ttbr(KVA), 1);
	assert_int_equal(pt_va_ttbr(0x40000000ull), 0);
	/* Each space takes only its own half; the gap between them is neither's. */
	assert_int_equal(map_range(&kernel, 0x40000000ull, PA_X, K4, PROT, PT_POLICY_REFUSE_LIVE), PT_ERR_VA_RANGE);
	assert_int_equal(map_range(&user, KVA, PA_X, K4, PROT, PT_POLICY_REFUSE_LIVE), PT_ERR_VA_RANGE);
	assert_int_equal(map_range(&kernel, PT_VA_LIMIT, PA_X, K4, PROT, PT_POLICY_REFUSE_LIVE), PT_ERR_VA_RANGE);
	assert_int_equal(map_range(&kernel, KVA, PA_X, K4, PROT, PT_POLICY_REFUSE_LIVE), PT_OK);
	assert_int_equal(pt_translate(&kernel, KVA + OFF, &tr), PT_OK);
	assert_true(tr.ok);
	assert_int_equal(tr.pa, PA_X + OFF);
	assert_int_equal(tr.level, 3);
	/* The same low 48 bits in TTBR0's space are not mapped. */
	assert_int_equal(pt_translate(&user, KVA & (PT_VA_LIMIT - 1), &tr), PT_OK);
	assert_false(tr.ok);
	bbm_monitor_enable(false);
}

/* Every event of the kernel space names an upper VA: bit 55 says TTBR1. */
static void events_name_ttbr1(void **state)
{
	unsigned allocs = 0, tlbis = 0;

	(void)state;
	start();
	arch_log_clear();
	assert_int_equal(map_range(&kernel, KVA, PA_X, K4, PROT, PT_POLICY_REFUSE_LIVE), PT_OK);
	assert_int_equal(unmap_range(&kernel, KVA, K4, PT_TLBI_ALL_LEVELS), PT_OK);
	for (size_t i = 0; i < arch_log_count(); i++) {
		const struct arch_event *e = arch_log_get(i);
		if (e->kind == ARCH_EV_TABLE_ALLOC) {
			allocs++;
			assert_int_equal(pt_va_ttbr(e->c), 1);
			assert_int_equal(pt_pool_meta((void *)(uintptr_t)e->a)->va_base, e->c);
		} else if (e->kind == ARCH_EV_TLBI_VAAE1IS) {
			tlbis++;
			assert_int_equal(e->a, KVA);
		}
	}
	assert_int_equal(allocs, 3); /* L1, L2, L3 under the kernel root */
	assert_int_equal(tlbis, 1);
	assert_int_equal(pt_pool_meta(kernel.root)->va_base, PT_TTBR1_VA_BASE);
	bbm_monitor_enable(false);
}

/* Sweep and monitor in the upper range: a leaked kernel table and a missed TLBI, each at its upper VA. */
static void sweep_and_monitor(void **state)
{
	struct pt_sweep_report r;
	struct bbm_violation v;

	(void)state;
	start();
	assert_int_equal(map_range(&kernel, KVA, PA_X, K4, PROT, PT_POLICY_REFUSE_LIVE), PT_OK);
	assert_int_equal(pt_sweep(&kernel, &r), PT_OK);
	assert_int_equal(r.leaked + r.dangling + r.misplaced, 0);
	assert_int_equal(r.reachable, 4);
	assert_int_equal(pt_sweep(&user, &r), PT_OK); /* the other space's pages are not its leaks */
	assert_int_equal(r.leaked, 0);
	pt_entry_t *pte = pt_entry_at(&kernel, KVA, 3);
	assert_non_null(pte);
	pt_unsafe_clear(pte, KVA, PT_TLBI_NONE);
	pt_write_desc(pte, desc_page(PA_Y, PROT));
	expect_monitor(BBM_RULE_NO_TLBI, 1, 1);
	assert_true(bbm_monitor_get(0, &v));
	assert_int_equal(v.va, KVA);
	assert_int_equal(v.level, 3);
}

/* Without a TTBR1 root the model faults an upper VA at level 0, like EPD1 = 1. */
static void model_without_ttbr1(void **state)
{
	struct model_config cfg;
	struct model_markers mk = {PA_Y, PA_X};

	(void)state;
	mmu_host_reset();
	assert_int_equal(pt_space_init(&user), PT_OK);
	model_config_default(&cfg);
	assert_int_equal(model_watch_space(&M, &cfg, &user, &fed), MODEL_OK);
	assert_int_equal(model_access(&M, 0, KVA, MODEL_ACCESS_READ, &mk, &ans), MODEL_OK);
	assert_int_equal(ans.allowed, B(FAULT_T0));
	assert_int_equal(model_access(&M, 0, PT_VA_LIMIT, MODEL_ACCESS_READ, &mk, &ans), MODEL_OK);
	assert_int_equal(ans.allowed, B(FAULT_T0)); /* between the ranges */
	assert_int_equal(model_attach_ttbr1(&M, user.root), MODEL_ERR_BAD_ARG); /* one root cannot be both */
	bbm_monitor_enable(false);
}

/* ---- global kernel pages and the TLBI forms ---- */


/* Under ASID A a global kernel page -> X; optionally switch to B; BBM with the form -> Y. */
static outcome_set_t kernel_page(enum mmu_host_tlbi f, uint16_t operand, bool switch_to_b)
{
	start();
	mmu_switch_asid(&user, ASID_A);
	assert_int_equal(map_range(&kernel, KVA, PA_X, K4, PROT, PT_POLICY_REFUSE_LIVE), PT_OK);
	if (switch_to_b)
		mmu_switch_asid(&user, ASID_B);
	pt_entry_t *pte = pt_entry_at(&kernel, KVA, 3);
	assert_non_null(pte);
	pt_write_desc(pte, 0);
	mmu_host_tlbi(f, KVA, operand);
	pt_write_desc(pte, desc_page(PA_Y, PROT));
	dsb_ishst();
	isb();
	return load(KVA + OFF, PA_Y + OFF, PA_X + OFF);
}

/* flush_tlb_kernel_range(): vaale1is. */
static void kpage_vaale1is(void **state)
{
	(void)state;
	assert_int_equal(kernel_page(F_VAALE1IS, 0, false), B(NEW));
	expect_monitor(BBM_RULE_NO_TLBI, 0, 0);
}

/* A by-VA TLBI reaches a global leaf whatever its ASID operand. */
static void kpage_vale1is_other_asid(void **state)
{
	(void)state;
	assert_int_equal(kernel_page(F_VALE1IS, ASID_B, false), B(NEW));
	expect_monitor(BBM_RULE_NO_TLBI, 0, 0);
}

/* aside1is never reaches a global entry. */
static void kpage_aside1is(void **state)
{
	(void)state;
	assert_int_equal(kernel_page(F_ASIDE1IS, ASID_A, false), B(NEW) | B(OLD));
	expect_monitor(BBM_RULE_NO_TLBI, 1, 1);
}

/* A TTBR0 ASID switch leaves TTBR1's global entry: usable under the new ASID. */
static void kpage_asid_switch(void **state)
{
	(void)state;
	assert_int_equal(kernel_page(F_ASIDE1IS, ASID_A, true), B(NEW) | B(OLD));
	expect_monitor(BBM_RULE_NO_TLBI, 1, 1);
}

/* A stale kernel entry is never used for the TTBR0 VA with the same low 48 bits. */
static void kpage_not_seen_from_ttbr0(void **state)
{
	struct model_markers mk = {PA_Y, PA_X};

	(void)state;
	(void)kernel_page(F_ASIDE1IS, ASID_A, false);
	assert_int_equal(model_access(&M, 0, (KVA & (PT_VA_LIMIT - 1)) + OFF, MODEL_ACCESS_READ, &mk, &ans), MODEL_OK);
	assert_int_equal(ans.allowed, B(FAULT_T0)); /* TTBR0's level 0 entry there is invalid */
	bbm_monitor_enable(false);
}

/*
 * A kernel PTE table walked under A, its page unmapped (vale1is reaches the global leaf), then freed
 * under B (Linux pmd_free_pte_page()) with the form, and a 2M block -> Y; the load under A.
 */
static outcome_set_t kernel_pgtable(enum mmu_host_tlbi f, uint16_t operand)
{
	start();
	mmu_switch_asid(&user, ASID_A);
	assert_int_equal(map_range(&kernel, KVA, PA_X, K4, PROT, PT_POLICY_REFUSE_LIVE), PT_OK);
	mmu_switch_asid(&user, ASID_B);
	assert_int_equal(unmap_range(&kernel, KVA, K4, PT_TLBI_LEAF), PT_OK);
	pt_entry_t *pmd = pt_entry_at(&kernel, KVA, 2);
	assert_non_null(pmd);
	pt_entry_t *table = (pt_entry_t *)(uintptr_t)desc_oa(pt_read_desc(pmd), 2);
	pt_write_desc(pmd, 0);
	mmu_host_tlbi(f, KVA, operand);
	assert_true(pt_pool_free(table));
	pt_write_desc(pmd, desc_block(2, PA_Y, PROT));
	dsb_ishst();
	isb();
	mmu_switch_asid(&user, ASID_A);
	return load(KVA + OFF, PA_Y + OFF, PA_X + OFF);
}

/* __flush_tlb_kernel_pgtable(): vaae1is, every ASID's walk-cache copy. */
static void kpgtable_vaae1is(void **state)
{
	(void)state;
	assert_int_equal(kernel_pgtable(F_VAAE1IS, 0), B(NEW));
	expect_monitor(BBM_RULE_NO_TLBI, 0, 0);
}

/* vae1is of the running ASID: A's copy of the table entry (never global) survives, into a freed page. */
static void kpgtable_vae1is_running_asid(void **state)
{
	(void)state;
	assert_int_equal(kernel_pgtable(F_VAE1IS, ASID_B), B(NEW) | B(TLB_CONFLICT) | B(POISON));
	/* The witness: A's cached L2 table pointer, then the freed PTE table. */
	const struct model_witness *w = &ans.witness[OUTCOME_POISON];
	assert_int_equal(w->nsteps, 4); /* L0, L1 from memory */
	assert_int_equal(w->step[2].level, 2);
	assert_int_equal(w->step[2].source, MODEL_SRC_CACHED);
	assert_int_equal(w->step[3].source, MODEL_SRC_FREED);
	expect_monitor(BBM_RULE_NO_TLBI, 1, 2);
	assert_int_equal(bbm_monitor_count(BBM_RULE_FREE_PARENT_NOT_CLEAN), 1);
}

/* ---- nG changed on a live page (rule 6d) ---- */

/* Under A a kernel page -> Y with nG `from`, changed to !from live (or with BBM), then an optional TLBI. */
static outcome_set_t ng_change(bool from, bool bbm, bool tlbi_after)
{
	start();
	mmu_switch_asid(&user, ASID_A);
	assert_int_equal(map_range(&kernel, KVA, PA_Y, K4, PROT | (from ? PTE_NG : 0), PT_POLICY_REFUSE_LIVE), PT_OK);
	pt_entry_t *pte = pt_entry_at(&kernel, KVA, 3);
	assert_non_null(pte);
	pt_entry_t d = pt_read_desc(pte);
	if (bbm)
		assert_int_equal(pt_replace_bbm(&kernel, pte, from ? d & ~PTE_NG : d | PTE_NG), PT_OK);
	else
		pt_unsafe_set_ng(pte, !from);
	if (tlbi_after)
		tlbi_all_levels_va(KVA);
	return load(KVA + OFF, PA_Y + OFF, PA_X + OFF);
}

/* nG -> global live: the old entry of ASID A and the new global one both hit: a TLB conflict. */
static void ng_to_global_live(void **state)
{
	char buf[256];

	(void)state;
	assert_int_equal(ng_change(true, false, false), B(NEW) | B(TLB_CONFLICT));
	assert_int_equal(ans.witness[OUTCOME_TLB_CONFLICT].kind, MODEL_WITNESS_CONFLICT);
	assert_true(model_format_witness(&ans, OUTCOME_TLB_CONFLICT, buf, sizeof(buf)) > 0);
	expect_monitor(BBM_RULE_LIVE_CHANGE, 1, 1); /* pgattr_change_is_safe() refuses it */
}

/* global -> nG live: the architecture allows the same; Linux (and so the monitor) permits it. */
static void global_to_ng_live(void **state)
{
	(void)state;
	assert_int_equal(ng_change(false, false, false), B(NEW) | B(TLB_CONFLICT));
	expect_monitor(BBM_RULE_LIVE_CHANGE, 0, 0);
}

/* Under another ASID the old nG entry of A does not match: no conflict there. */
static void ng_to_global_live_other_asid(void **state)
{
	(void)state;
	start();
	mmu_switch_asid(&user, ASID_A);
	assert_int_equal(map_range(&kernel, KVA, PA_Y, K4, PROT | PTE_NG, PT_POLICY_REFUSE_LIVE), PT_OK);
	pt_entry_t *pte = pt_entry_at(&kernel, KVA, 3);
	assert_non_null(pte);
	pt_unsafe_set_ng(pte, false); /* B never ran before: no copy of the old nG entry is B's */
	mmu_switch_asid(&user, ASID_B);
	assert_int_equal(load(KVA + OFF, PA_Y + OFF, PA_X + OFF), B(NEW));
	bbm_monitor_enable(false);
}

/* A TLBI after the live change removes the old entry: only the new one is left. */
static void ng_to_global_live_then_tlbi(void **state)
{
	(void)state;
	assert_int_equal(ng_change(true, false, true), B(NEW));
	expect_monitor(BBM_RULE_LIVE_CHANGE, 1, 1); /* the monitor judges the write: Linux's rule is stricter */
}

static void ng_to_global_bbm(void **state)
{
	(void)state;
	assert_int_equal(ng_change(true, true, false), B(NEW));
	expect_monitor(BBM_RULE_LIVE_CHANGE, 0, 0);
}

static void global_to_ng_bbm(void **state)
{
	(void)state;
	assert_int_equal(ng_change(false, true, false), B(NEW));
	expect_monitor(BBM_RULE_LIVE_CHANGE, 0, 0);
}

#define T(name, fn) {name, fn, NULL, NULL, NULL}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T("space/ranges", space_ranges),
		T("space/events-name-ttbr1", events_name_ttbr1),
		T("space/sweep-and-monitor", sweep_and_monitor),
		T("model/without-ttbr1", model_without_ttbr1),
		T("kernel-page/vaale1is", kpage_vaale1is),
		T("kernel-page/vale1is-other-asid", kpage_vale1is_other_asid),
		T("kernel-page/aside1is", kpage_aside1is),
		T("kernel-page/asid-switch", kpage_asid_switch),
		T("kernel-page/not-seen-from-ttbr0", kpage_not_seen_from_ttbr0),
		T("kernel-pgtable/vaae1is", kpgtable_vaae1is),
		T("kernel-pgtable/vae1is-running-asid", kpgtable_vae1is_running_asid),
		T("ng-to-global/live", ng_to_global_live),
		T("ng-to-global/live-other-asid", ng_to_global_live_other_asid),
		T("ng-to-global/live-then-tlbi", ng_to_global_live_then_tlbi),
		T("ng-to-global/bbm", ng_to_global_bbm),
		T("global-to-ng/live", global_to_ng_live),
		T("global-to-ng/bbm", global_to_ng_bbm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
