/*
 * The one VA descent (pt_descend, pt_path_refresh, pt_entry_at) and the
 * prepared VA (pt_va_*): a kept path must give exactly what a fresh walk and
 * the plain map_range()/unmap_range() give, after the tables changed under it
 * too. The randomized test runs one operation script twice, plain and
 * prepared, and compares every operation's status, event log (descriptor
 * writes with their addresses and values, barriers, TLBIs, table alloc/free),
 * pool counters and BBM monitor counts, and the tables themselves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "host/support/arch_log.h"
#include "host/support/mmu_host.h"
#include "host/support/ref_model.h"
#include "mmu/monitor.h"
#include "mmu/pool.h"
#include "mmu/pt.h"
#include "mmu/pt_va.h"
#include "mmu/pt_write.h"
#include "mmu/sweep.h"
#include "mmu/walk.h"

#define G1 (1ull << 30)
#define M2 (2ull << 20)
#define K4 4096ull

static struct pt_space sp;

static int setup(void **state)
{
	(void)state;
	assert_int_equal(mmu_host_monitored_space(&sp, false), PT_OK);
	return 0;
}

/* The entry at `level` for va, written out by hand: an independent check of pt_entry_at(). */
static pt_entry_t *entry_by_hand(uint64_t va, int level)
{
	pt_entry_t *table = sp.root;
	for (int l = sp.start_level;; l++) {
		pt_entry_t *e = &table[pt_va_index(va, l)];
		if (l == level)
			return e;
		if (desc_type(*e, l) != DESC_TABLE)
			return 0;
		table = (pt_entry_t *)(uintptr_t)desc_oa(*e, l);
	}
}

/* A kept path equals a fresh walk: same stop level, entries and values at every level read. */
static void assert_path_is_fresh(const struct pt_path *p)
{
	struct pt_path f;
	assert_int_equal(pt_descend(&sp, p->va, p->stop, &f), p->level);
	assert_int_equal(f.external, p->external);
	for (int l = sp.start_level; l <= f.level; l++) {
		assert_ptr_equal(f.entry[l], p->entry[l]);
		assert_int_equal(f.desc[l], p->desc[l]);
	}
}

static void test_descent_matches_hand_walk(void **state)
{
	(void)state;
	const uint64_t va[] = {G1, G1 + 3 * M2 + 5 * K4, 2 * G1 + M2, 0x0000ffffffffe000ull, 0};
	assert_int_equal(map_range(&sp, G1 + 3 * M2, 0x80000000, M2 + 8 * K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE),
			 PT_OK);
	assert_int_equal(map_range(&sp, 2 * G1, 0x80000000, G1, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_OK);
	for (size_t i = 0; i < sizeof(va) / sizeof(va[0]); i++) {
		for (int level = 0; level <= PT_LAST_LEVEL; level++)
			assert_ptr_equal(pt_entry_at(&sp, va[i], level), entry_by_hand(va[i], level));
		int level = -1;
		pt_entry_t *e = pt_find_entry(&sp, va[i], &level);
		assert_ptr_equal(e, entry_by_hand(va[i], level));
		assert_true(level == PT_LAST_LEVEL || desc_type(*e, level) != DESC_TABLE);
	}
	struct pt_path p;
	assert_int_equal(pt_descend(&sp, 1ull << 48, PT_LAST_LEVEL, &p), -1);
	assert_null(pt_entry_at(&sp, 1ull << 48, 0));
	assert_null(pt_entry_at(&sp, G1, 4));
	assert_int_equal(pt_descend(&sp, 2 * G1 + M2, PT_LAST_LEVEL, &p), 1); /* stops at the 1G block */
	assert_int_equal(pt_descend(&sp, G1 + 3 * M2, 1, &p), 1);             /* or where asked */
	assert_int_equal(desc_type(p.desc[1], 1), DESC_TABLE);
}

/* Tables freed and reused under a kept path: refresh follows what is there now. */
static void test_refresh_after_tables_changed(void **state)
{
	(void)state;
	const uint64_t va = G1 + 4 * M2 + 7 * K4, other = G1 + 9 * M2 + 7 * K4; /* same L3 index */
	struct pt_path p;
	assert_int_equal(map_range(&sp, va, 0x80000000, K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_OK);
	assert_int_equal(pt_descend(&sp, va, PT_LAST_LEVEL, &p), 3);
	pt_entry_t *old_pte = p.entry[3];

	/* Free the PTE table; the next table allocated (for `other`) reuses its page. */
	assert_int_equal(unmap_range(&sp, va, K4, PT_TLBI_LEAF), PT_OK);
	pt_linux_pmd_free_pte_page(pt_entry_at(&sp, va, 2), va);
	assert_int_equal(map_range(&sp, other, 0x90000000, K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_OK);
	assert_ptr_equal(pt_entry_at(&sp, other, 3), old_pte); /* the kept pointer now aliases `other` */
	assert_int_equal(pt_path_refresh(&sp, &p), 2);          /* va's PMD is empty now */
	assert_path_is_fresh(&p);

	/* A block over the PMD, then a new root: each time the path follows. */
	assert_int_equal(map_range(&sp, va & ~(M2 - 1), 0x80000000, M2, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_OK);
	assert_int_equal(pt_path_refresh(&sp, &p), 2);
	assert_int_equal(desc_type(p.desc[2], 2), DESC_BLOCK);
	bbm_monitor_enable(false);
	pt_space_teardown(&sp);
	assert_int_equal(pt_space_init(&sp), PT_OK); /* the root comes back in the same page, empty */
	assert_ptr_equal(sp.root, p.root);
	assert_int_equal(pt_path_refresh(&sp, &p), 0);
	assert_path_is_fresh(&p);

	/* A root in another page: the kept level-0 entry is no longer the root's. */
	assert_int_equal(map_range(&sp, va, 0x80000000, K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_OK);
	assert_int_equal(pt_path_refresh(&sp, &p), 3);
	pt_space_teardown(&sp);
	pt_entry_t *filler = pt_pool_alloc(&sp, 3, 0, 0); /* takes the old root's page */
	assert_int_equal(pt_space_init(&sp), PT_OK);
	assert_ptr_not_equal(sp.root, p.root);
	assert_int_equal(pt_path_refresh(&sp, &p), 0);
	assert_path_is_fresh(&p);
	assert_true(pt_pool_free(filler));
}

/* The prepared map must not write through a kept pointer into a page now used for another VA. */
static void test_prepared_map_after_reuse(void **state)
{
	(void)state;
	const uint64_t va = G1 + 4 * M2 + 7 * K4, other = G1 + 9 * M2 + 7 * K4;
	struct pt_va h;
	assert_int_equal(pt_va_prepare(&h, &sp, va), PT_OK);
	assert_int_equal(pt_va_map(&h, 0x80000000, K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_OK);
	assert_int_equal(pt_va_unmap(&h, K4, PT_TLBI_LEAF), PT_OK);
	pt_linux_pmd_free_pte_page(pt_entry_at(&sp, va, 2), va);
	assert_int_equal(map_range(&sp, other, 0x90000000, K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_OK);

	assert_int_equal(pt_va_map(&h, 0xa0000000, K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_OK);
	struct pt_translation tr;
	pt_translate(&sp, other, &tr);
	assert_true(tr.ok);
	assert_int_equal(tr.pa, 0x90000000);
	pt_translate(&sp, va, &tr);
	assert_true(tr.ok);
	assert_int_equal(tr.pa, 0xa0000000);
	assert_ptr_equal(pt_va_entry(&h, 3), entry_by_hand(va, 3));

	/* linux-4.14 leaves the PTE table under a block; an unmap must clear the block, not the leaked table. */
	assert_int_equal(pt_va_unmap(&h, K4, PT_TLBI_LEAF), PT_OK);
	assert_int_equal(map_range(&sp, va & ~(M2 - 1), 0xa0000000, M2, PT_PROT_NORMAL, PT_POLICY_LINUX_4_14), PT_OK);
	assert_int_equal(pt_va_unmap(&h, K4, PT_TLBI_LEAF), PT_ERR_PARTIAL_BLOCK);
	/* Not 2M-aligned at va: the plain path, which refuses to cut the block too. */
	assert_int_equal(pt_va_unmap(&h, M2, PT_TLBI_LEAF), PT_ERR_PARTIAL_BLOCK);
	struct pt_va hb;
	assert_int_equal(pt_va_prepare(&hb, &sp, va & ~(M2 - 1)), PT_OK);
	assert_int_equal(pt_va_unmap(&hb, M2, PT_TLBI_LEAF), PT_OK);
	pt_translate(&sp, va, &tr);
	assert_false(tr.ok);
	assert_int_equal(tr.level, 2);
	assert_int_equal(bbm_monitor_count(BBM_RULE_LIVE_CHANGE), 1);
	assert_int_equal(bbm_monitor_total(), 1);
}

static void test_prepare_errors(void **state)
{
	(void)state;
	struct pt_va h;
	arch_log_clear();
	assert_int_equal(pt_va_prepare(&h, &sp, G1 + 8), PT_ERR_MISALIGNED);
	assert_int_equal(pt_va_prepare(&h, &sp, 1ull << 48), PT_ERR_VA_RANGE);
	assert_int_equal(pt_va_prepare(&h, 0, G1), PT_ERR_INVALID_ARG);
	assert_int_equal(pt_va_prepare(&h, &sp, G1), PT_OK);
	assert_int_equal(pt_va_map(0, 0, K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_ERR_INVALID_ARG);
	assert_int_equal(pt_va_unmap(0, K4, PT_TLBI_LEAF), PT_ERR_INVALID_ARG);
	assert_null(pt_va_entry(&h, 4));
	assert_null(pt_va_entry(&h, 2)); /* the walk ends at L0 in an empty space */
	assert_int_equal(pt_va_map(&h, 1ull << 48, K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_ERR_INVALID_ARG);
	assert_int_equal(pt_va_map(&h, 0x80000000, K4, PT_PROT_NORMAL | PTE_CONT, PT_POLICY_REFUSE_LIVE),
			 PT_ERR_INVALID_ARG);
	assert_int_equal(pt_va_map(&h, 0x80000000, 0, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_ERR_BAD_SIZE);
	assert_int_equal(pt_va_unmap(&h, K4, PT_TLBI_SCOPE_COUNT), PT_ERR_INVALID_ARG);
	assert_int_equal(arch_log_total(), 0); /* errors write nothing */
}

/* ---- the randomized comparison: one script, run plain and prepared ---- */

#define STEPS 3000
#define N_VAS 6

/* Handle VAs: 1G-, 2M-aligned and pages, sharing tables in pairs. */
static const uint64_t vas[N_VAS] = {G1, G1 + K4, G1 + 3 * M2, G1 + 3 * M2 + 5 * K4, 2 * G1 + M2,
				    2 * G1 + M2 + 511 * K4};

struct step_record {
	enum pt_status st;
	uint64_t events, hash;
	struct pt_pool_stats pool;
	uint64_t violations, by_rule[BBM_RULE_COUNT], tables;
};

static struct step_record plain_steps[STEPS];

static uint64_t mix(uint64_t h, uint64_t v)
{
	return (h ^ v) * 0x100000001b3ull;
}

static uint64_t log_hash(void)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < arch_log_count(); i++) {
		const struct arch_event *e = arch_log_get(i);
		h = mix(mix(mix(mix(h, e->kind), e->a), e->b), e->c);
	}
	return h;
}

/* Every live pool page's contents and metadata. */
static uint64_t tables_hash(void)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (unsigned i = 0; i < PT_POOL_PAGES; i++) {
		const pt_entry_t *t = pt_pool_page(i);
		const struct pt_page_meta *m = pt_pool_meta(t);
		if (m->state != PT_PAGE_LIVE)
			continue;
		h = mix(mix(mix(mix(h, i), (uint64_t)m->level), m->va_base), (uint64_t)(uintptr_t)m->parent);
		for (unsigned j = 0; j < PT_ENTRIES; j++)
			h = mix(h, t[j]);
	}
	return h;
}

static uint64_t pick_size(struct ref_rng *r)
{
	static const uint64_t sizes[] = {K4, K4, K4, M2, M2, G1, 2 * K4, 0};
	return sizes[ref_rng_below(r, sizeof(sizes) / sizeof(sizes[0]))];
}

/* A leaf, a table, or invalid, at the entry for va at `level`, by BBM (the tables change under kept paths). */
static enum pt_status disturb_replace(struct ref_rng *r, uint64_t va)
{
	int level = 1 + (int)ref_rng_below(r, 3);
	pt_entry_t *e = pt_entry_at(&sp, va, level);
	if (!e)
		return PT_OK;
	uint64_t base = va & ~(pt_level_size(level) - 1);
	switch (ref_rng_below(r, 3)) {
	case 0:
		return pt_replace_bbm(&sp, e, 0);
	case 1:
		return pt_replace_bbm(&sp, e, desc_leaf(level, 0x80000000, PT_PROT_NORMAL)); /* 1G-aligned: fits any level */
	default:
		if (desc_type(*e, level) == DESC_BLOCK)
			return pt_split_block(&sp, e, ref_rng_below(r, 2) != 0);
		e = pt_entry_at(&sp, base, 2);
		if (e)
			pt_linux_pmd_free_pte_page(e, base);
		return PT_OK;
	}
}

/* Free what linux-4.14 leaked (kept paths may point into those pages), so the script does not run dry. */
static void reclaim_leaked(void)
{
	struct pt_sweep_report rep;
	assert_int_equal(pt_sweep(&sp, &rep), PT_OK);
	for (unsigned i = 0; i < rep.n_leaked_items; i++)
		assert_true(pt_pool_free((pt_entry_t *)rep.leaked_items[i].page));
}

/* Plain-API changes both runs make: other ranges, BBM replacements, limits, a new space. */
static enum pt_status disturb(struct ref_rng *r, uint64_t va)
{
	uint64_t k = ref_rng_below(r, 20);
	uint64_t near = (va & ~(M2 - 1)) + ref_rng_below(r, 512) * K4;
	if (k < 6)
		return map_range(&sp, near, 0x90000000, (1 + ref_rng_below(r, 3)) * K4, PT_PROT_DEVICE,
				 (enum pt_policy)ref_rng_below(r, PT_POLICY_COUNT));
	if (k < 10)
		return unmap_range(&sp, va & ~(M2 - 1), M2, PT_TLBI_ALL);
	if (k < 16)
		return disturb_replace(r, va);
	if (k < 19) {
		struct pt_pool_stats ps;
		pt_pool_get_stats(&ps);
		pt_pool_set_limit(k == 18 ? PT_POOL_PAGES : ps.live + (unsigned)ref_rng_below(r, 3));
		return PT_OK;
	}
	/* A fresh space: the root page comes back empty, or (with a page taken first) moves. */
	bool move = ref_rng_below(r, 2) != 0;
	bbm_monitor_enable(false);
	pt_space_teardown(&sp);
	pt_pool_set_limit(PT_POOL_PAGES); /* the space must come back */
	pt_entry_t *filler = move ? pt_pool_alloc(&sp, 3, 0, 0) : 0;
	enum pt_status st = pt_space_init(&sp);
	if (filler)
		pt_pool_free(filler);
	bbm_monitor_enable(true);
	return st;
}

static enum pt_status step(struct ref_rng *r, struct pt_va *h, bool prepared)
{
	unsigned i = (unsigned)ref_rng_below(r, N_VAS);
	uint64_t op = ref_rng_below(r, 10), size = pick_size(r), va = vas[i];
	if (op < 4) {
		uint64_t pa = (0x80000000 + ref_rng_below(r, 4) * G1) & ~(size ? size - 1 : 0);
		if (ref_rng_below(r, 8) == 0)
			pa += K4; /* misaligned for a block: pages, or an error, as map_range() decides */
		pt_attrs_t attrs = ref_attr_value((unsigned)ref_rng_below(r, REF_ATTR_SETS));
		enum pt_policy policy = (enum pt_policy)ref_rng_below(r, PT_POLICY_COUNT);
		return prepared ? pt_va_map(&h[i], pa, size, attrs, policy)
				: map_range(&sp, va, pa, size, attrs, policy);
	}
	if (op < 8) {
		enum pt_tlbi_scope scope = (enum pt_tlbi_scope)ref_rng_below(r, PT_TLBI_SCOPE_COUNT);
		return prepared ? pt_va_unmap(&h[i], size, scope) : unmap_range(&sp, va, size, scope);
	}
	return disturb(r, va);
}

static void record(struct step_record *s, enum pt_status st, bool with_tables)
{
	struct bbm_monitor_stats m;
	s->st = st;
	s->events = arch_log_total();
	s->hash = log_hash();
	pt_pool_get_stats(&s->pool);
	bbm_monitor_get_stats(&m);
	s->violations = m.violations;
	for (unsigned k = 0; k < BBM_RULE_COUNT; k++)
		s->by_rule[k] = m.by_rule[k];
	s->tables = with_tables ? tables_hash() : 0;
}

static void assert_same_step(unsigned i, const struct step_record *a, const struct step_record *b)
{
	if (a->st != b->st || a->events != b->events || a->hash != b->hash || a->violations != b->violations)
		fail_msg("step %u: plain %s, %llu events, %llu violations; prepared %s, %llu events, %llu violations%s",
			 i,
			 pt_strerror(a->st), (unsigned long long)a->events, (unsigned long long)a->violations,
			 pt_strerror(b->st), (unsigned long long)b->events, (unsigned long long)b->violations,
			 a->hash != b->hash ? " (event logs differ)" : "");
	for (unsigned k = 0; k < BBM_RULE_COUNT; k++)
		assert_int_equal(a->by_rule[k], b->by_rule[k]);
	assert_int_equal(a->pool.allocated, b->pool.allocated);
	assert_int_equal(a->pool.freed, b->pool.freed);
	assert_int_equal(a->pool.live, b->pool.live);
	assert_int_equal(a->pool.failed, b->pool.failed);
	assert_int_equal(a->pool.bad_frees, b->pool.bad_frees);
	assert_int_equal(a->tables, b->tables);
}

/* Run the script for `seed`; the plain run records, the prepared run compares. Returns prepared-path hits. */
static unsigned run_script(uint64_t seed, bool prepared)
{
	struct pt_va h[N_VAS];
	struct ref_rng r = {.state = seed};
	unsigned ok = 0;
	setup(0);
	for (unsigned i = 0; i < N_VAS; i++)
		assert_int_equal(pt_va_prepare(&h[i], &sp, vas[i]), PT_OK);
	for (unsigned i = 0; i < STEPS; i++) {
		struct step_record now;
		arch_log_clear();
		enum pt_status st = step(&r, h, prepared);
		ok += st == PT_OK;
		if (i % 20 == 19)
			reclaim_leaked();
		record(prepared ? &now : &plain_steps[i], st, i % 25 == 0 || i + 1 == STEPS);
		if (prepared)
			assert_same_step(i, &plain_steps[i], &now);
	}
	char msg[256];
	if (!ref_check_pool(&sp, PT_POLICY_LINUX_4_14, msg, sizeof(msg)))
		fail_msg("seed 0x%llx: %s", (unsigned long long)seed, msg);
	return ok;
}

static void test_prepared_equals_plain(void **state)
{
	(void)state;
	static const uint64_t seeds[] = {1, 0x5eed, 0xbb3f00d, 42};
	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		unsigned ok_plain = run_script(seeds[i], false);
		unsigned ok_prepared = run_script(seeds[i], true);
		assert_int_equal(ok_plain, ok_prepared);
		assert_true(ok_plain > STEPS / 3); /* the script did work, not only errors */
		struct bbm_monitor_stats m;
		bbm_monitor_get_stats(&m);
		print_message("# seed 0x%llx: %u of %u steps ok, %llu violations, %llu pool allocations\n",
			      (unsigned long long)seeds[i], ok_plain, STEPS, (unsigned long long)m.violations,
			      (unsigned long long)plain_steps[STEPS - 1].pool.allocated);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_descent_matches_hand_walk, setup),
		cmocka_unit_test_setup(test_refresh_after_tables_changed, setup),
		cmocka_unit_test_setup(test_prepared_map_after_reuse, setup),
		cmocka_unit_test_setup(test_prepare_errors, setup),
		cmocka_unit_test(test_prepared_equals_plain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
