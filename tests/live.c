/*
 * Live remaps: a VALID translation replaced without unmapping it first, with
 * and without break-before-make (Arm ARM D8.16.1). This is where QEMU shows
 * stale translations: its TLB keeps the final translation of the old mapping
 * until a TLBI removes it (QEMU target/arm caches final translations per vCPU). docs/scenarios.md.
 */
#include "mmu/pool.h"
#include "mmu/pt_write.h"
#include "mmu/tlb.h"
#include "mmu/unsafe.h"
#include "tests/scenario.h"

enum live_how {
	LIVE_NOBBM,    /* written over the live entry */
	LIVE_BBM,      /* pt_replace_bbm(): break, TLBI, (free), make */
	LIVE_ATTR_ONLY /* a change pgattr_change_is_safe() permits on a live entry */
};

static void replace_bbm(struct scn_iter *it, pt_entry_t new_desc)
{
	pt_entry_t *pmdp = scn_entry_at(it->env->space, it->slot, 2);

	if (!pmdp || pt_replace_bbm(it->env->space, pmdp, new_desc) != PT_OK)
		it->api_errors++;
}

/* A valid 4K page (old) under a PMD table, replaced by a 2M block (new) at the PMD. */
static void live_4k_to_2m_body(struct scn_iter *it)
{
	enum live_how how = *(const enum live_how *)it->arg;

	scn_map(it, it->slot, it->env->pa_old, SZ_4K, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE);
	scn_warm(it, it->slot, it->old_marker);
	if (how == LIVE_NOBBM) /* pmd_set_huge() over a live table, as 4.14 ioremap did */
		scn_map(it, it->slot, it->env->pa_new, SZ_2M, PT_PROT_NORMAL, PT_POLICY_LINUX_4_14);
	else
		replace_bbm(it, desc_block(2, it->env->pa_new, PT_PROT_NORMAL));
}

/*
 * A valid 2M block (old, B) replaced by a table of 512 4K pages. The pages map
 * A, not B: with the same OA (what pt_split_block() does) a stale block and the
 * new pages would read the same bytes and only a fault or a TLB conflict could
 * show the hazard; moving the OA makes a stale translation visible too.
 */
static void live_2m_to_4k_body(struct scn_iter *it)
{
	enum live_how how = *(const enum live_how *)it->arg;
	struct pt_space *s = it->env->space;

	scn_map(it, it->slot, it->env->pa_old, SZ_2M, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE);
	scn_warm(it, it->slot, it->old_marker);
	pt_entry_t *pmdp = scn_entry_at(s, it->slot, 2);
	pt_entry_t *table = pmdp ? pt_pool_alloc(s, 3, it->slot, pmdp) : 0;
	if (!table) {
		it->api_errors++;
		return;
	}
	/*
	 * No walker can reach this table yet, so filling it cannot break BBM; the
	 * monitor is paused for those 512 writes only to skip its per-write scan
	 * (nothing is tracked at this point, so re-enabling loses nothing).
	 */
	bbm_monitor_enable(false);
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		pt_write_desc(&table[i], desc_page(it->env->pa_new + i * SZ_4K, PT_PROT_NORMAL));
	bbm_monitor_enable(true);
	dsb_ishst(); /* the new table is complete before it is linked */
	pt_entry_t link = desc_table((uint64_t)(uintptr_t)table);
	if (how == LIVE_NOBBM) {
		pt_unsafe_write_no_maintenance(pmdp, link); /* block -> table while live */
		dsb_ishst();
		isb();
	} else {
		replace_bbm(it, link);
	}
}

/* A valid 2M block whose output address (or, for LIVE_ATTR_ONLY, only PXN/RDONLY) changes. */
static void live_oa_change_body(struct scn_iter *it)
{
	enum live_how how = *(const enum live_how *)it->arg;
	struct pt_space *s = it->env->space;

	scn_map(it, it->slot, it->env->pa_old, SZ_2M, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE);
	scn_warm(it, it->slot, it->old_marker);
	switch (how) {
	case LIVE_NOBBM:
		/* Since 2018 pmd_set_huge() refuses this; the 4.14 one wrote it. Both facts are checked. */
		if (map_range(s, it->slot, it->env->pa_new, SZ_2M, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE) !=
			    PT_ERR_LIVE_CHANGE ||
		    map_range(s, it->slot, it->env->pa_new, SZ_2M, PT_PROT_NORMAL, PT_POLICY_LINUX_FIXED) !=
			    PT_ERR_LIVE_CHANGE)
			it->api_errors++;
		scn_map(it, it->slot, it->env->pa_new, SZ_2M, PT_PROT_NORMAL, PT_POLICY_LINUX_4_14);
		break;
	case LIVE_BBM:
		replace_bbm(it, desc_block(2, it->env->pa_new, PT_PROT_NORMAL));
		break;
	case LIVE_ATTR_ONLY:
		/* Same OA, PXN and RDONLY set: permitted on a live entry (Linux pgattr_change_is_safe()). */
		scn_map(it, it->slot, it->env->pa_old, SZ_2M, PT_PROT_NORMAL_RO, PT_POLICY_REFUSE_LIVE);
		/* Old and new translations share B, so B's marker is what the new mapping reads. */
		it->new_marker = it->old_marker;
		it->old_marker = ~it->old_marker;
		break;
	}
}

static const enum live_how how_nobbm = LIVE_NOBBM, how_bbm = LIVE_BBM, how_attr = LIVE_ATTR_ONLY;

static void run_live(struct test_ctx *t, const char *scenario, const char *variant, const char *policy,
		     void (*body)(struct scn_iter *), const enum live_how *how, unsigned slot, int expected_rule,
		     int leak)
{
	struct scn_env env;
	struct scn_totals tot = {0};
	struct scn_result r;

	if (!scn_env_init(t, &env))
		return;
	struct scn_spec spec = {
		.scenario = scenario,
		.variant = variant,
		.policy = policy,
		.allowed = *how == LIVE_NOBBM ? OUTCOMES_WITHOUT_BBM : OUTCOMES_AFTER_BBM,
		.body = body,
		.arg = how,
		.slot_level = 2,
		.slot = slot,
		.expected_rule = expected_rule,
		.leak_per_iter = leak,
	};
	scn_run(t, &env, &spec, &r);
	scn_totals_add(&tot, &r);
	scn_set_note(t, &tot);
}

TEST_CASE(live_4k_to_2m_nobbm, "live", "4k-to-2m-nobbm",
	 "a valid 4K page replaced by a 2M block over its live PMD table, no BBM (linux-4.14 pmd_set_huge)")
{
	/* 4.14 also leaks the PTE table, which still holds the valid page. */
	run_live(t, "live/4k-to-2m", "nobbm", "linux-4.14", live_4k_to_2m_body, &how_nobbm, 16,
		 BBM_RULE_LIVE_CHANGE, 1);
}

TEST_CASE(live_4k_to_2m_bbm, "live", "4k-to-2m-bbm", "the same with pt_replace_bbm(): break, tlbi vmalle1is, free, make")
{
	run_live(t, "live/4k-to-2m", "bbm", "replace-bbm", live_4k_to_2m_body, &how_bbm, 17, -1, 0);
}

TEST_CASE(live_2m_to_4k_nobbm, "live", "2m-to-4k-nobbm", "a valid 2M block replaced by a table of 512 pages, no BBM")
{
	run_live(t, "live/2m-to-4k", "nobbm", "unsafe-write", live_2m_to_4k_body, &how_nobbm, 18,
		 BBM_RULE_LIVE_CHANGE, 0);
}

TEST_CASE(live_2m_to_4k_bbm, "live", "2m-to-4k-bbm", "the same with pt_replace_bbm()")
{
	run_live(t, "live/2m-to-4k", "bbm", "replace-bbm", live_2m_to_4k_body, &how_bbm, 19, -1, 0);
}

TEST_CASE(live_oa_change_nobbm, "live", "oa-change-nobbm",
	 "the output address of a valid 2M block changed in place (refused by linux-fixed and refuse-live)")
{
	run_live(t, "live/oa-change", "nobbm", "linux-4.14", live_oa_change_body, &how_nobbm, 20,
		 BBM_RULE_LIVE_CHANGE, 0);
}

TEST_CASE(live_oa_change_bbm, "live", "oa-change-bbm", "the same with pt_replace_bbm()")
{
	run_live(t, "live/oa-change", "bbm", "replace-bbm", live_oa_change_body, &how_bbm, 21, -1, 0);
}

TEST_CASE(live_oa_change_attr, "live", "oa-change-attr",
	 "only PXN and RDONLY change on a valid 2M block: permitted live, must not count as a violation")
{
	run_live(t, "live/oa-change", "attr-only", "refuse-live", live_oa_change_body, &how_attr, 22, -1, 0);
}
