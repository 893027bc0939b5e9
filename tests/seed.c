/*
 * The 2017 ioremap report (linux-mm, "does ioremap() cause memory leak?"):
 * ioremap 4K, access, iounmap (leaf TLBI), then ioremap 2M (or 1G) at the same
 * VA while the PMD (PUD) still points to the old table. Linux 4.14
 * ioremap_page_range() -> pmd_set_huge() overwrote the table entry without
 * break-before-make and leaked the table; the 2018 fix calls
 * pmd_free_pte_page() / pud_free_pmd_page() first. docs/scenarios.md.
 */
#include "mmu/pool.h"
#include "mmu/pt_write.h"
#include "mmu/unsafe.h"
#include "tests/scenario.h"

/* What replaces the old table entry. */
struct seed_variant {
	const char *name;
	bool by_policy;       /* map_range() with `policy`; else pt_unsafe_bbm_replace() with `seq` */
	enum pt_policy policy;
	enum bbm_seq seq;
	int expected_rule;
	bool monitor_blind;
};

/* ioremap(4K) of the old page, a load (fills TLB and walk caches), iounmap() with the leaf TLBI. */
static void ioremap_access_iounmap_4k(struct scn_iter *it, uint64_t va)
{
	scn_map(it, va, it->env->pa_old, SZ_4K, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE);
	scn_warm(it, va, it->old_marker);
	if (unmap_range(it->env->space, va, SZ_4K, PT_TLBI_LEAF) != PT_OK)
		it->api_errors++;
}

/* The big mapping by policy: 4.14 overwrites, fixed frees the table with BBM first, refuse-live refuses. */
static void ioremap_big(struct scn_iter *it, uint64_t pa, uint64_t size, enum pt_policy policy)
{
	enum pt_status st = map_range(it->env->space, it->slot, pa, size, PT_PROT_NORMAL, policy);

	if (policy == PT_POLICY_REFUSE_LIVE && st == PT_ERR_LIVE_CHANGE)
		it->refused++;
	else if (st != PT_OK)
		it->api_errors++;
}

static void seed_2m_body(struct scn_iter *it)
{
	const struct seed_variant *v = it->arg;

	ioremap_access_iounmap_4k(it, it->slot);
	if (v->by_policy) {
		ioremap_big(it, it->env->pa_new, SZ_2M, v->policy);
		return;
	}
	/* pmd_free_pte_page() + pmd_set_huge() with one step of the BBM sequence broken. */
	pt_entry_t *pmdp = scn_entry_at(it->env->space, it->slot, 2);
	pt_entry_t old = pmdp ? pt_read_desc(pmdp) : 0;
	if (desc_type(old, 2) != DESC_TABLE) {
		it->api_errors++;
		return;
	}
	pt_unsafe_bbm_replace(pmdp, it->slot, desc_block(2, it->env->pa_new, PT_PROT_NORMAL), v->seq);
	/* pte_free_kernel(): Linux frees between break and make; the unsafe primitive leaves it to us. */
	if (!pt_pool_free((pt_entry_t *)(uintptr_t)desc_oa(old, 2)))
		it->api_errors++;
}

/* PUD level: the old 4K page sits where the 1G block will map A, so one VA reads either marker. */
static void seed_1g_body(struct scn_iter *it)
{
	const struct seed_variant *v = it->arg;

	it->probe_va = it->slot + (it->env->pa_new - it->env->pa_1g);
	ioremap_access_iounmap_4k(it, it->probe_va);
	ioremap_big(it, it->env->pa_1g, SZ_1G, v->policy);
}

static outcome_set_t allowed_after(enum pt_policy p, bool correct)
{
	if (p == PT_POLICY_REFUSE_LIVE)
		return OUTCOME_BIT(OUTCOME_FAULT_T3); /* nothing new mapped: the cleared PTE faults */
	return correct ? OUTCOMES_AFTER_BBM : OUTCOMES_WITHOUT_BBM;
}

static int leak_of(enum pt_policy p, int slot_level)
{
	/* 4.14 leaks the table under the overwritten entry: PTE (PMD case) or PMD + PTE (PUD case). */
	return p == PT_POLICY_LINUX_4_14 ? (slot_level == 1 ? 2 : 1) : 0;
}

static void run_leak(struct test_ctx *t, int slot_level)
{
	static const enum pt_policy policies[] = {PT_POLICY_LINUX_4_14, PT_POLICY_LINUX_FIXED, PT_POLICY_REFUSE_LIVE};
	struct scn_env env;
	struct scn_totals tot = {0};

	if (!scn_env_init(t, &env))
		return;
	if (slot_level == 1 && !env.pa_1g_all_ram)
		test_diag(t, "note: the 1 GiB block at 0x%llx also covers PAs outside the DTB's RAM; only A is read",
			  (unsigned long long)env.pa_1g);
	for (unsigned p = 0; p < sizeof(policies) / sizeof(policies[0]); p++) {
		for (int many = 0; many <= 1; many++) {
			struct seed_variant v = {.name = "", .by_policy = true, .policy = policies[p]};
			struct scn_spec spec = {
				.scenario = slot_level == 1 ? "seed1g/leak" : "seed/leak",
				.variant = many ? "many-va" : "same-va",
				.policy = pt_policy_name(policies[p]),
				.allowed = allowed_after(policies[p], policies[p] != PT_POLICY_LINUX_4_14),
				.expected = policies[p] == PT_POLICY_REFUSE_LIVE ? OUTCOME_BIT(OUTCOME_FAULT_T3) : 0,
				.body = slot_level == 1 ? seed_1g_body : seed_2m_body,
				.arg = &v,
				.slot_level = slot_level,
				.slot = 0,
				.many_vas = many,
				.expected_rule = policies[p] == PT_POLICY_LINUX_4_14 ? BBM_RULE_LIVE_CHANGE : -1,
				.leak_per_iter = leak_of(policies[p], slot_level),
				.expect_refused = policies[p] == PT_POLICY_REFUSE_LIVE,
			};
			struct scn_result r;
			scn_run(t, &env, &spec, &r);
			scn_totals_add(&tot, &r);
		}
	}
	scn_set_note(t, &tot);
}

TEST_CASE(seed_leak, "seed", "leak",
	 "4K map/access/iounmap then 2M at the same VA, K times at one VA and at K VAs: table pages leaked per policy")
{
	run_leak(t, 2);
}

TEST_CASE(seed1g_leak, "seed1g", "leak",
	 "the PUD analogue: 4K then a 1G block over the PUD's table: 2 pages leaked per remap under linux-4.14")
{
	run_leak(t, 1);
}

static void run_remap(struct test_ctx *t, const struct seed_variant *v, int slot_level, bool correct)
{
	struct scn_env env;
	struct scn_totals tot = {0};
	struct scn_result r;

	if (!scn_env_init(t, &env))
		return;
	struct scn_spec spec = {
		.scenario = slot_level == 1 ? "seed1g/remap" : "seed/remap",
		.variant = v->name,
		.policy = v->by_policy ? pt_policy_name(v->policy) : "unsafe-bbm-seq",
		.allowed = allowed_after(v->policy, correct),
		.body = slot_level == 1 ? seed_1g_body : seed_2m_body,
		.arg = v,
		.slot_level = slot_level,
		.slot = 8,
		.expected_rule = v->expected_rule,
		.monitor_blind = v->monitor_blind,
		.leak_per_iter = v->by_policy ? leak_of(v->policy, slot_level) : 0,
	};
	scn_run(t, &env, &spec, &r);
	scn_totals_add(&tot, &r);
	scn_set_note(t, &tot);
}

#define POLICY_VARIANT(name_, pol_, rule_) {.name = name_, .by_policy = true, .policy = pol_, .expected_rule = rule_}
#define SEQ_VARIANT(name_, seq_, rule_)                                                                          \
	{.name = name_, .by_policy = false, .policy = PT_POLICY_LINUX_FIXED, .seq = seq_, .expected_rule = rule_}

static const struct seed_variant remap_nobbm = POLICY_VARIANT("nobbm", PT_POLICY_LINUX_4_14, BBM_RULE_LIVE_CHANGE);
static const struct seed_variant remap_bbm = POLICY_VARIANT("bbm", PT_POLICY_LINUX_FIXED, -1);

TEST_CASE(seed_remap_nobbm, "seed", "remap-nobbm",
	 "the report's sequence: PMD table->block after iounmap's leaf TLBI, no BBM (linux-4.14)")
{
	run_remap(t, &remap_nobbm, 2, false);
}

TEST_CASE(seed_remap_bbm, "seed", "remap-bbm", "the same on the Linux-fixed path (pmd_free_pte_page first)")
{
	run_remap(t, &remap_bbm, 2, true);
}

TEST_CASE(seed1g_remap_nobbm, "seed1g", "remap-nobbm", "PUD table->1G block after iounmap, no BBM (linux-4.14)")
{
	run_remap(t, &remap_nobbm, 1, false);
}

TEST_CASE(seed1g_remap_bbm, "seed1g", "remap-bbm", "the same on the Linux-fixed path (pud_free_pmd_page first)")
{
	run_remap(t, &remap_bbm, 1, true);
}

/* Broken variants of pmd_free_pte_page(): which monitor rule each one must trip (host/test_mmu_monitor.c). */
static const struct seed_variant broken[] = {
	SEQ_VARIANT("bbm-no-tlbi", BBM_SEQ_NO_TLBI, BBM_RULE_NO_TLBI),
	SEQ_VARIANT("bbm-leaf-tlbi", BBM_SEQ_LEAF_TLBI, BBM_RULE_LEAF_TLBI_TABLE),
	SEQ_VARIANT("bbm-no-dsb-before-tlbi", BBM_SEQ_NO_DSB_BEFORE_TLBI, BBM_RULE_TLBI_BEFORE_DSB),
	SEQ_VARIANT("bbm-no-dsb-after-tlbi", BBM_SEQ_NO_DSB_AFTER_TLBI, BBM_RULE_TLBI_NOT_COMPLETE),
	/* The monitor does not model accesses, so a missing ISB is invisible to it (docs/scenarios.md). */
	{.name = "bbm-no-isb", .policy = PT_POLICY_LINUX_FIXED, .seq = BBM_SEQ_NO_ISB, .expected_rule = -1,
	 .monitor_blind = true},
	SEQ_VARIANT("bbm-tlbi-before-clear", BBM_SEQ_TLBI_BEFORE_CLEAR, BBM_RULE_TLBI_BEFORE_BREAK),
};

#define BROKEN_TEST(id, idx, nm, what)                                                                             \
	TEST_CASE(id, "seed", nm, what)                                                                           \
	{                                                                                                        \
		run_remap(t, &broken[idx], 2, false);                                                            \
	}

BROKEN_TEST(seed_remap_no_tlbi, 0, "remap-bbm-no-tlbi", "the fixed path with no TLBI after clearing the PMD")
BROKEN_TEST(seed_remap_leaf_tlbi, 1, "remap-bbm-leaf-tlbi", "the fixed path with a leaf-only TLBI (vale1is)")
BROKEN_TEST(seed_remap_no_dsb_before, 2, "remap-bbm-no-dsb-before-tlbi", "the fixed path without dsb ishst before the TLBI")
BROKEN_TEST(seed_remap_no_dsb_after, 3, "remap-bbm-no-dsb-after-tlbi", "the fixed path without dsb ish after the TLBI")
BROKEN_TEST(seed_remap_no_isb, 4, "remap-bbm-no-isb", "the fixed path without the isb after the TLBI")
BROKEN_TEST(seed_remap_tlbi_first, 5, "remap-bbm-tlbi-before-clear", "the fixed path issuing the TLBI before the clear")
