/*
 * "Truthful verdicts": the BBM monitor (mmu/monitor.c, Linux's policy) and the
 * architectural model (mmu/model.h) see the same events; this test asserts
 * they agree on every shape the scenarios run and on random sequences, except
 * for the disagreements listed (and explained) in `exceptions` below.
 *
 * Definitions, for one sequence run from clean TLBs (model_attach, monitor
 * reset and enabled, both then fed every event the library emits):
 *   flagged  = bbm_monitor_total() > 0 after the sequence.
 *   expected(va, kind) = the outcome set a model freshly attached to the
 *              CURRENT tables gives (clean TLBs, no pending writes): exactly
 *              what memory translates to now, the "new" translation or the
 *              fault the current tables give (one outcome).
 *   hazard   = for some probed VA (the VAs the sequence changed) and some
 *              access kind (read, write), the live model allows an outcome
 *              outside expected(va, kind): an old or other translation, a
 *              fault the tables do not give, a TLB conflict, poison.
 * Assertion: flagged == hazard, or the shape is listed in `exceptions` with
 * exactly the (flagged, hazard) pair it shows, so a fix on either side makes
 * the test fail until the list is updated.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "host/support/arch_log.h"
#include "host/support/mmu_host.h"
#include "host/support/ref_model.h"
#include "mmu/asid.h"
#include "mmu/model.h"
#include "mmu/monitor.h"
#include "mmu/pool.h"
#include "mmu/pt.h"
#include "mmu/pt_write.h"
#include "mmu/tlb.h"
#include "mmu/unsafe.h"

#define K4 PT_GRANULE_SIZE /* the page of the granule in force */
#define M2 pt_block_size_min() /* the smallest block: 2M, 32M, 512M */
#define VA1 0x40000000ull /* 1G-aligned: L3 index 0 of its PTE table */
#define VA2 (VA1 + K4)    /* a neighbour under the same PMD */
#define VA3 (VA1 + M2)    /* the next PMD */
#define OFF 0x18ull
#define PA_X 0x09000000ull
#define PA_Y 0x0a000000ull
#define PA_2M 0x20000000ull /* 512M-aligned: a block at every granule */
#define PROT PT_PROT_NORMAL_XN
#define NOT_MAPPED 1ull /* marker no translation can hit (not 4K-aligned plus OFF) */
#define MAX_PROBES 4
#define RANDOM_SEQS 400
#define RANDOM_OPS 5

static struct pt_space sp;
static struct model M; /* fed the live events */
static struct model F; /* attached afresh to the current tables: the expected outcome */
static size_t fed;
static uint64_t probes[MAX_PROBES];
static uint64_t probe_old_pa[MAX_PROBES]; /* where the byte was when probed: witnesses say "old", not "other" */
static unsigned nprobes;

/*
 * The listed disagreements. flagged/hazard: what each side says. A shape not
 * listed must agree; a listed shape must still disagree exactly so.
 */
struct exception {
	const char *shape;
	bool flagged, hazard;
	const char *why;
};

static const struct exception exceptions[] = {
	{"live-oa-change+tlbi", true, false,
	 "policy stricter than the architecture: pgattr_change_is_safe() refuses a live OA change; the Arm ARM "
	 "allows it (old or new until the TLBI completes, CoWT1), only new afterwards"},
	{"split-2m-live+tlbi", true, false,
	 "the hazard is in the window, not afterwards: a live block->table change may give a TLB conflict "
	 "until the TLBI completes (D8.17.2, FEAT_BBM level 0); a check after the sequence cannot see it"},
	{"attr-ro-live-no-tlbi", false, true,
	 "monitor miss: Linux permits the RDONLY change live and relies on the flush that follows; with no "
	 "TLBI a cached writable entry still allows the write"},
	{"pmd-by-va-tlbi-live-child", false, true,
	 "monitor miss: a by-VA TLBI covers the cleared table entry, but the table still holds a valid leaf "
	 "at another VA whose cached copy the by-VA TLBI does not reach (orphan leaf)"},
	{"linux-fixed-live-child", true, false,
	 "policy stricter than the architecture: free-child-live wants a full TLBI before freeing a table "
	 "with valid entries; the by-VA vaae1is of pmd_free_pte_page() already removes the only leaf (at that VA) "
	 "and the table pointer, so nothing stale is left"},
	{"global-to-ng-live", false, true,
	 "policy looser than the architecture: Linux pgattr_change_is_safe() lets a live entry gain nG, but the "
	 "old global and the new non-global entry both match under the running ASID (model rule 6d)"},
	{"no-dsb-after-make", false, true,
	 "monitor miss: no rule for a make not completed by a DSB; the walker may still read the invalid entry"},
};

static const struct exception *find_exception(const char *shape)
{
	for (size_t i = 0; i < sizeof(exceptions) / sizeof(exceptions[0]); i++)
		if (strcmp(exceptions[i].shape, shape) == 0)
			return &exceptions[i];
	return NULL;
}

/* Replay the events the library recorded since the last call into the live model. */
static void feed(void)
{
	assert_int_equal(arch_log_total(), arch_log_count());
	for (; fed < arch_log_count(); fed++) {
		const struct arch_event *e = arch_log_get(fed);
		model_on_event(&M, e->cpu, e->kind, e->a, e->b, e->c);
	}
	if (M.status != MODEL_OK)
		fail_msg("model: %s (info %#llx)", model_status_name(M.status), (unsigned long long)M.error_info);
}

static void fresh_space(void)
{
	struct model_config cfg;

	mmu_host_reset();
	bbm_monitor_set_print(false);
	assert_int_equal(pt_space_init(&sp), PT_OK);
	model_config_default(&cfg);
	assert_int_equal(model_init(&M, &cfg), MODEL_OK);
	assert_int_equal(model_init(&F, &cfg), MODEL_OK);
	nprobes = 0;
}

/* From here on both sides watch: TLBs taken clean (as after tlbi vmalle1is; dsb ish; isb). */
static void begin(void)
{
	M.cfg.asid = mmu_running_asid; /* the monitor takes it at enable too */
	assert_int_equal(model_attach(&M, sp.root, sp.start_level), MODEL_OK);
	arch_log_clear();
	fed = 0;
	bbm_monitor_reset();
	bbm_monitor_enable(true);
}

/* Where the byte at va lives now, or NOT_MAPPED. */
static uint64_t current_pa(uint64_t va)
{
	int level;
	const pt_entry_t *e = pt_find_entry(&sp, va, &level);
	if (!e || !desc_is_valid(*e) || desc_type(*e, level) == DESC_TABLE)
		return NOT_MAPPED;
	return desc_oa(*e, level) + (va & (pt_level_size(level) - 1));
}

static void probe(uint64_t va)
{
	assert_true(nprobes < MAX_PROBES);
	probe_old_pa[nprobes] = current_pa(va + OFF);
	probes[nprobes++] = va + OFF;
}

static void print_set(const char *what, outcome_set_t s)
{
	print_message("#   %s:", what);
	for (unsigned o = 0; o < OUTCOME_COUNT; o++)
		if (s & OUTCOME_BIT(o))
			print_message(" %s", outcome_name((enum outcome)o));
	print_message("\n");
}

/* Outcomes the live model allows at va beyond the expected one; print them if `verbose`. */
static outcome_set_t hazard_at(uint64_t va, uint64_t old_pa, enum model_access_kind kind, bool verbose)
{
	struct model_markers mk = {current_pa(va), old_pa};
	struct model_answer live, now;

	assert_int_equal(model_attach(&F, sp.root, sp.start_level), MODEL_OK);
	assert_int_equal(model_access(&F, 0, va, kind, &mk, &now), MODEL_OK);
	assert_int_equal(__builtin_popcount(now.allowed), 1); /* memory alone: one outcome */
	assert_int_equal(model_access(&M, 0, va, kind, &mk, &live), MODEL_OK);
	outcome_set_t extra = live.allowed & ~now.allowed;
	if (verbose && extra) {
		print_message("#  va %#llx %s\n", (unsigned long long)va, kind == MODEL_ACCESS_READ ? "read" : "write");
		print_set("allowed ", live.allowed);
		print_set("expected", now.allowed);
	}
	return extra;
}

static bool hazard(bool verbose)
{
	bool any = false;

	feed();
	for (unsigned i = 0; i < nprobes; i++) {
		any |= hazard_at(probes[i], probe_old_pa[i], MODEL_ACCESS_READ, verbose) != 0;
		any |= hazard_at(probes[i], probe_old_pa[i], MODEL_ACCESS_WRITE, verbose) != 0;
	}
	return any;
}

static void print_rules(void)
{
	print_message("#   monitor rules:");
	for (int r = 0; r < BBM_RULE_COUNT; r++)
		if (bbm_monitor_count((enum bbm_rule)r))
			print_message(" %s", bbm_rule_name((enum bbm_rule)r));
	print_message("%s\n", bbm_monitor_total() ? "" : " (none)");
}

static void explain(const char *shape, bool flagged, bool haz)
{
	print_message("# %s: monitor %s, model %s\n", shape, flagged ? "flags" : "silent",
		      haz ? "allows a hazard" : "no hazard");
	print_rules();
	(void)hazard(true);
}

/* Agree, or disagree exactly as listed. */
static void judge(const char *shape)
{
	bool flagged = bbm_monitor_total() > 0, haz = hazard(false);
	const struct exception *x = find_exception(shape);

	print_message("# %-28s monitor %-6s model %-9s%s\n", shape, flagged ? "flags" : "silent",
		      haz ? "hazard" : "no-hazard", x ? "  (listed exception)" : "");
	if (x && (x->flagged != flagged || x->hazard != haz)) {
		explain(shape, flagged, haz);
		fail_msg("%s: listed exception (monitor %d, model %d) no longer holds: update the list", shape,
			 x->flagged, x->hazard);
	}
	if (!x && flagged != haz) {
		explain(shape, flagged, haz);
		fail_msg("%s: unlisted disagreement", shape);
	}
	bbm_monitor_enable(false);
}

/* ---- shapes ------------------------------------------------------------------------------------ */

static pt_entry_t *entry_at(uint64_t va, int want_level)
{
	int level;
	pt_entry_t *e = pt_find_entry(&sp, va, &level);
	assert_non_null(e);
	while (level > want_level) { /* pt_find_entry gives the leaf: climb to the parent */
		e = (pt_entry_t *)pt_pool_meta(e)->parent;
		level--;
	}
	assert_int_equal(level, want_level);
	return e;
}

static void map(uint64_t va, uint64_t pa, uint64_t size, pt_attrs_t attrs, enum pt_policy p)
{
	assert_int_equal(map_range(&sp, va, pa, size, attrs, p), PT_OK);
}

/* The 2017 linux-mm report's sequence: ioremap 4K, iounmap (vaae1is), ioremap 2M under `p`. */
static void report_shape(enum pt_policy p)
{
	map(VA1, PA_X, K4, PROT, PT_POLICY_REFUSE_LIVE);
	begin();
	probe(VA1);
	assert_int_equal(unmap_range(&sp, VA1, K4, PT_TLBI_ALL_LEVELS), PT_OK);
	enum pt_status st = map_range(&sp, VA1, PA_2M, M2, PROT, p);
	assert_int_equal(st, p == PT_POLICY_REFUSE_LIVE ? PT_ERR_LIVE_CHANGE : PT_OK);
}

/* A broken BBM variant on the PMD table entry of VA1 (-> a 2M block), or on the page at VA1. */
static void variant_shape(enum bbm_seq v, bool on_table)
{
	map(VA1, PA_X, K4, PROT, PT_POLICY_REFUSE_LIVE);
	begin();
	probe(VA1);
	if (on_table)
		pt_unsafe_bbm_replace(entry_at(VA1, 2), VA1, desc_block(2, PA_2M, PROT), v);
	else
		pt_unsafe_bbm_replace(entry_at(VA1, 3), VA1, desc_page(PA_Y, PROT), v);
}

/* Live 4K -> 2M: the PMD table entry (page still mapped) replaced by a block. */
static void live_4k_to_2m(bool with_bbm)
{
	map(VA1, PA_X, K4, PROT, PT_POLICY_REFUSE_LIVE);
	begin();
	probe(VA1);
	if (with_bbm)
		assert_int_equal(pt_replace_bbm(&sp, entry_at(VA1, 2), desc_block(2, PA_2M, PROT)), PT_OK);
	else
		map(VA1, PA_2M, M2, PROT, PT_POLICY_LINUX_4_14);
}

/* Live 2M -> 4K: split the block (same OA), with BBM, straight over it, or straight over it + TLBI. */
static void live_2m_to_4k(int how)
{
	map(VA1, PA_2M, M2, PROT, PT_POLICY_REFUSE_LIVE);
	begin();
	probe(VA1);
	probe(VA1 + M2 - K4);
	assert_int_equal(pt_split_block(&sp, entry_at(VA1, 2), how == 0), PT_OK);
	if (how == 2) {
		dsb_ishst();
		tlbi_all_levels_va(VA1);
		dsb_ish();
		isb();
	}
}

/* OA change of the page at VA1: 0 live no TLBI, 1 live + TLBI, 2 with BBM. */
static void oa_change(int how)
{
	map(VA1, PA_X, K4, PROT, PT_POLICY_REFUSE_LIVE);
	begin();
	probe(VA1);
	pt_entry_t *pte = entry_at(VA1, 3);
	if (how == 2) {
		assert_int_equal(pt_replace_bbm(&sp, pte, desc_page(PA_Y, PROT)), PT_OK);
		return;
	}
	pt_unsafe_write_no_maintenance(pte, desc_page(PA_Y, PROT));
	if (how == 1) {
		dsb_ishst();
		tlbi_leaf_va(VA1);
		dsb_ish();
		isb();
	}
}

/* Attribute-only change RW -> RO live (what Linux permits), with or without the TLBI after it. */
static void attr_ro(bool tlbi)
{
	map(VA1, PA_X, K4, PROT, PT_POLICY_REFUSE_LIVE);
	begin();
	probe(VA1);
	pt_write_desc(entry_at(VA1, 3), desc_page(PA_X, PT_PROT_NORMAL_RO));
	dsb_ishst();
	if (tlbi) {
		tlbi_leaf_va(VA1);
		dsb_ish();
	}
	isb();
}

/* Linux's fix by hand with pages at VA1 and VA2, the by-VA TLBI at VA1 only: VA2's leaf is orphaned. */
static void pmd_by_va_tlbi_live_child(bool make_dsb)
{
	map(VA1, PA_X, K4, PROT, PT_POLICY_REFUSE_LIVE);
	map(VA2, PA_Y, K4, PROT, PT_POLICY_REFUSE_LIVE);
	begin();
	probe(VA1);
	probe(VA2);
	pt_entry_t *pmdp = entry_at(VA1, 2);
	pt_write_desc(pmdp, 0);
	dsb_ishst();
	tlbi_vaae1is(VA1);
	dsb_ish();
	isb();
	pt_write_desc(pmdp, desc_block(2, PA_2M, PROT));
	if (make_dsb)
		dsb_ishst();
	isb();
}

/* The fix with an empty PTE table and no DSB after the make. */
static void no_dsb_after_make(void)
{
	map(VA1, PA_X, K4, PROT, PT_POLICY_REFUSE_LIVE);
	assert_int_equal(unmap_range(&sp, VA1, K4, PT_TLBI_ALL_LEVELS), PT_OK);
	begin();
	probe(VA1);
	pt_entry_t *pmdp = entry_at(VA1, 2);
	pt_write_desc(pmdp, 0);
	dsb_ishst();
	tlbi_vaae1is(VA1);
	dsb_ish();
	isb();
	pt_write_desc(pmdp, desc_block(2, PA_2M, PROT));
	isb();
}

/* An nG page of ASID 5 (mapped while 5 runs) replaced with BBM, invalidated by VA with ASID `asid`. */
static void ng_page(uint16_t asid)
{
	mmu_switch_asid(&sp, 5);
	map(VA1, PA_X, K4, PROT | PTE_NG, PT_POLICY_REFUSE_LIVE);
	begin();
	probe(VA1);
	pt_entry_t *pte = entry_at(VA1, 3);
	pt_write_desc(pte, 0);
	dsb_ishst();
	tlbi_vae1is(VA1, asid);
	dsb_ish();
	isb();
	pt_write_desc(pte, desc_page(PA_Y, PROT | PTE_NG));
	dsb_ishst();
	isb();
}

/* A page of ASID 5 whose nG changes (to `ng`), live or with BBM (pt_replace_bbm(): vaae1is). */
static void ng_change(bool ng, bool bbm)
{
	mmu_switch_asid(&sp, 5);
	map(VA1, PA_X, K4, PROT | (ng ? 0 : PTE_NG), PT_POLICY_REFUSE_LIVE);
	begin();
	probe(VA1);
	pt_entry_t *pte = entry_at(VA1, 3);
	pt_entry_t d = pt_read_desc(pte);
	if (bbm)
		assert_int_equal(pt_replace_bbm(&sp, pte, ng ? d | PTE_NG : d & ~PTE_NG), PT_OK);
	else
		pt_unsafe_set_ng(pte, ng);
}
static void s_ng_to_global_live(void) { ng_change(false, false); }
static void s_ng_to_global_bbm(void) { ng_change(false, true); }
static void s_global_to_ng_live(void) { ng_change(true, false); }
static void s_global_to_ng_bbm(void) { ng_change(true, true); }

/* Linux's fix (map_range linux-fixed) over a PTE table whose only leaf is at the 2M base, VA1. */
static void linux_fixed_live_child(void)
{
	map(VA1, PA_X, K4, PROT, PT_POLICY_REFUSE_LIVE);
	begin();
	probe(VA1);
	map(VA1, PA_2M, M2, PROT, PT_POLICY_LINUX_FIXED);
}

/* A PTE table freed while still linked (free-reachable). */
static void free_live_table(void)
{
	map(VA1, PA_X, K4, PROT, PT_POLICY_REFUSE_LIVE);
	begin();
	probe(VA1);
	pt_entry_t *pte = entry_at(VA1, 3);
	assert_true(pt_pool_free((pt_entry_t *)((uintptr_t)pte & ~(uintptr_t)(PT_GRANULE_SIZE - 1))));
}

static void s_report_4_14(void) { report_shape(PT_POLICY_LINUX_4_14); }
static void s_report_fixed(void) { report_shape(PT_POLICY_LINUX_FIXED); }
static void s_report_refuse(void) { report_shape(PT_POLICY_REFUSE_LIVE); }
static void s_4k_2m_live(void) { live_4k_to_2m(false); }
static void s_4k_2m_bbm(void) { live_4k_to_2m(true); }
static void s_2m_4k_bbm(void) { live_2m_to_4k(0); }
static void s_2m_4k_live(void) { live_2m_to_4k(1); }
static void s_2m_4k_live_tlbi(void) { live_2m_to_4k(2); }
static void s_oa_live(void) { oa_change(0); }
static void s_oa_live_tlbi(void) { oa_change(1); }
static void s_oa_bbm(void) { oa_change(2); }
static void s_attr_tlbi(void) { attr_ro(true); }
static void s_attr_no_tlbi(void) { attr_ro(false); }
static void s_by_va_child(void) { pmd_by_va_tlbi_live_child(true); }
static void s_ng_right(void) { ng_page(5); }
static void s_ng_wrong(void) { ng_page(6); }

struct shape {
	const char *name;
	void (*run)(void);
};

static const struct shape shapes[] = {
	{"report/linux-4.14", s_report_4_14},
	{"report/linux-fixed", s_report_fixed},
	{"report/refuse-live", s_report_refuse},
	{"live-4k-to-2m", s_4k_2m_live},
	{"4k-to-2m-bbm", s_4k_2m_bbm},
	{"split-2m-bbm", s_2m_4k_bbm},
	{"split-2m-live", s_2m_4k_live},
	{"split-2m-live+tlbi", s_2m_4k_live_tlbi},
	{"live-oa-change", s_oa_live},
	{"live-oa-change+tlbi", s_oa_live_tlbi},
	{"oa-change-bbm", s_oa_bbm},
	{"attr-ro-live+tlbi", s_attr_tlbi},
	{"attr-ro-live-no-tlbi", s_attr_no_tlbi},
	{"pmd-by-va-tlbi-live-child", s_by_va_child},
	{"no-dsb-after-make", no_dsb_after_make},
	{"ng-right-asid", s_ng_right},
	{"ng-wrong-asid", s_ng_wrong},
	{"ng-to-global-live", s_ng_to_global_live},
	{"ng-to-global-bbm", s_ng_to_global_bbm},
	{"global-to-ng-live", s_global_to_ng_live},
	{"global-to-ng-bbm", s_global_to_ng_bbm},
	{"free-live-table", free_live_table},
	{"linux-fixed-live-child", linux_fixed_live_child},
};

static void test_shapes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		/* A split writes a whole table in one batch: more than MODEL_PENDING_MAX at 16K/64K. */
		if (PT_GRANULE_SHIFT != PT_GRANULE_4K && !strncmp(shapes[i].name, "split-", 6))
			continue;
		fresh_space();
		shapes[i].run();
		judge(shapes[i].name);
	}
}

/* Every enum bbm_seq variant, on a PMD table entry (-> block) and on a page (-> new OA). */
static void test_variants(void **state)
{
	char name[64];

	(void)state;
	for (int t = 0; t < 2; t++)
		for (int v = 0; v < BBM_SEQ_COUNT; v++) {
			snprintf(name, sizeof(name), "%s/%s", t ? "pmd" : "page", bbm_seq_name((enum bbm_seq)v));
			fresh_space();
			variant_shape((enum bbm_seq)v, t != 0);
			judge(name);
		}
}

/* Every listed exception names a shape this test runs (else the row could never be checked). */
static void test_exceptions_are_run(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(exceptions) / sizeof(exceptions[0]); i++) {
		bool found = false;
		for (size_t j = 0; j < sizeof(shapes) / sizeof(shapes[0]); j++)
			found |= strcmp(exceptions[i].shape, shapes[j].name) == 0;
		assert_true(found);
		assert_true(exceptions[i].flagged != exceptions[i].hazard);
	}
}

/* ---- random sequences ------------------------------------------------------------------------- */

static uint64_t rand_vas[3]; /* VA1, VA2, VA3: set per run (they depend on the granule) */

/* Tag of a table-entry replacement with a by-VA TLBI: does the table hold a valid leaf off va's page? */
static bool table_has_other_leaf(const pt_entry_t *e, int level, uint64_t va)
{
	if (level != 2 || desc_type(*e, level) != DESC_TABLE)
		return false;
	const pt_entry_t *t = (const pt_entry_t *)(uintptr_t)desc_oa(*e, level);
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		if (desc_is_valid(t[i]) && i != pt_va_index(va, 3))
			return true;
	return false;
}

static bool table_has_leaf(const pt_entry_t *e)
{
	const pt_entry_t *t = (const pt_entry_t *)(uintptr_t)desc_oa(*e, 2);
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		if (desc_is_valid(t[i]))
			return true;
	return false;
}

/* Break-before-make or a broken variant of it on va's leaf or its PMD; the tag names the shape it is. */
static const char *rand_replace(struct ref_rng *r, uint64_t va, uint64_t pa)
{
	int level;
	pt_entry_t *e = pt_find_entry(&sp, va, &level);
	if (!e || !desc_is_valid(*e))
		return "skip";
	if (level == 3 && ref_rng_below(r, 2)) {
		e = (pt_entry_t *)pt_pool_meta(e)->parent;
		level = 2;
	}
	pt_entry_t nd = level == 3 ? desc_page(pa, PROT) : desc_block(level, pa & ~(M2 - 1), PROT);
	bool orphans = table_has_other_leaf(e, level, va);
	unsigned v = (unsigned)ref_rng_below(r, BBM_SEQ_COUNT + 2);
	if (v == BBM_SEQ_COUNT) {
		assert_int_equal(pt_replace_bbm(&sp, e, nd), PT_OK); /* tlbi_all() for a table: no orphans */
		return "replace-bbm";
	}
	if (v == BBM_SEQ_COUNT + 1) {
		pt_unsafe_write_no_maintenance(e, nd);
		return "live-oa-change";
	}
	pt_unsafe_bbm_replace(e, va, nd, (enum bbm_seq)v);
	return orphans ? "pmd-by-va-tlbi-live-child" : bbm_seq_name((enum bbm_seq)v);
}

/* One library-style operation at one of the few VAs. */
static const char *rand_op(struct ref_rng *r)
{
	static const enum pt_tlbi_scope scopes[] = {PT_TLBI_LEAF, PT_TLBI_ALL_LEVELS};
	uint64_t va = rand_vas[ref_rng_below(r, 3)];
	uint64_t pa = ref_rng_below(r, 2) ? PA_X : PA_Y;
	int level;
	pt_entry_t *e;

	switch (ref_rng_below(r, 4)) {
	case 0:
		(void)map_range(&sp, va, pa + (va & (M2 - 1)), K4, PROT, PT_POLICY_REFUSE_LIVE);
		return "map-4k";
	case 1: {
		enum pt_policy p = (enum pt_policy)ref_rng_below(r, PT_POLICY_COUNT);
		e = pt_find_entry(&sp, va, &level);
		bool child = e && level == 3 && table_has_leaf(entry_at(va, 2));
		(void)map_range(&sp, va & ~(M2 - 1), PA_2M, M2, PROT, p);
		return p == PT_POLICY_LINUX_FIXED && child ? "linux-fixed-live-child" : pt_policy_name(p);
	}
	case 2:
		e = pt_find_entry(&sp, va, &level);
		if (e && desc_is_valid(*e))
			(void)unmap_range(&sp, va & ~(pt_level_size(level) - 1), pt_level_size(level),
					  scopes[ref_rng_below(r, 2)]);
		return "unmap";
	default:
		return rand_replace(r, va, pa);
	}
}

/* Did any op of the sequence so far have a listed exception of this direction? */
static bool excused(const char *const *tags, unsigned n, bool flagged, bool haz)
{
	for (unsigned i = 0; i < n; i++) {
		const struct exception *x = find_exception(tags[i]);
		if (x && x->flagged == flagged && x->hazard == haz)
			return true;
	}
	return false;
}

/* One sequence: stop at the first op after which "ever flagged" and "ever a hazard" differ. */
static bool random_sequence(struct ref_rng *r, unsigned seq_no, unsigned *agree, unsigned *both)
{
	const char *tags[RANDOM_OPS];
	bool ever_flag = false, ever_haz = false;

	fresh_space();
	for (unsigned i = 0; i < 3; i++)
		probe(rand_vas[i]);
	begin();
	for (unsigned i = 0; i < RANDOM_OPS; i++) {
		tags[i] = rand_op(r);
		ever_flag |= bbm_monitor_total() > 0;
		ever_haz |= hazard(false);
		if (ever_flag == ever_haz)
			continue;
		if (excused(tags, i + 1, ever_flag, ever_haz))
			return true;
		print_message("# random sequence %u, ops:", seq_no);
		for (unsigned j = 0; j <= i; j++)
			print_message(" %s", tags[j]);
		print_message("\n");
		explain("random", ever_flag, ever_haz);
		return false;
	}
	(*agree)++;
	*both += ever_flag && ever_haz;
	return true;
}

static void test_random(void **state)
{
	struct ref_rng rng = {.state = 0xc0ffee};
	unsigned agree = 0, both = 0;

	(void)state;
	rand_vas[0] = VA1;
	rand_vas[1] = VA2;
	rand_vas[2] = VA3;
	for (unsigned n = 0; n < RANDOM_SEQS; n++)
		if (!random_sequence(&rng, n, &agree, &both))
			fail_msg("random sequence %u: unlisted disagreement", n);
	print_message("# random: %u sequences of %u ops: %u agree throughout (%u flagged and hazardous), "
		      "%u stop at a listed exception\n",
		      RANDOM_SEQS, RANDOM_OPS, agree, both, RANDOM_SEQS - agree);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exceptions_are_run),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_variants),
		cmocka_unit_test(test_random),
	};
	return MMU_HOST_RUN_AT_GRANULES("monitor-model", tests);
}
