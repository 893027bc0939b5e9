/*
 * The steps a scenario row lists, each one function, and their description in
 * words. Notation of the descriptions: docs/scenarios.md.
 */
#include <stdio.h>

#include "boot/exception.h"
#include "mmu/asid.h"
#include "mmu/pool.h"
#include "mmu/pt_write.h"
#include "mmu/tlb.h"
#include "mmu/walk.h"
#include "tests/scn_internal.h"

#define PROBE_POISON 0x9015090150901509ull /* what a faulting load leaves in the register */

static void op_map_page(struct scn_iter *it, int arg)
{
	pt_attrs_t prot = SCN_PROT | ((arg & PAGE_NG) ? PTE_NG : 0);
	uint64_t pa = (arg & PAGE_TO_A) ? it->env->pa_new : it->env->pa_old;
	enum pt_status st = scn_map(it, it->probe_va, pa, PT_GRANULE_SIZE, prot, PT_POLICY_REFUSE_LIVE);

	if (st != PT_OK)
		scn_error(it, "map %s at 0x%llx failed: %s", pt_granule_name(PT_GRANULE_SHIFT),
			  (unsigned long long)it->probe_va, pt_strerror(st));
}

static void op_map_block(struct scn_iter *it, int arg)
{
	/* arg 0: -> B (2 MiB slots only); 1: the slot's block containing A, so the probe reads A through it. */
	uint64_t pa = arg ? scn_block_pa(it->env, it->level) : it->env->pa_old, size = scn_slot_size(it->level);

	if (!arg && it->level != 2) {
		scn_error(it, "OP_MAP_BLOCK to B needs a 2 MiB slot");
		return;
	}
	enum pt_status st = scn_map(it, it->slot, pa, size, SCN_PROT, PT_POLICY_REFUSE_LIVE);
	if (st != PT_OK)
		scn_error(it, "map the block at 0x%llx failed: %s", (unsigned long long)it->slot, pt_strerror(st));
}

static void op_warm(struct scn_iter *it, int arg)
{
	struct fault_record rec;
	uint64_t v = probe_read64(it->probe_va, PROBE_POISON, &rec);
	enum outcome o = outcome_classify_load(rec.taken, rec.kind, rec.level, v, &it->m);
	enum outcome want = arg ? OUTCOME_NEW : OUTCOME_OLD; /* arg 1: the mapping keeps A, before and after */

	scn_model_note_access(it->probe_va, ARCH_ACCESS_READ, o);
	if (o != want)
		scn_error(it, "the warm-up load before the change saw %s, not %s", outcome_name(o), outcome_name(want));
}

static void op_touch(struct scn_iter *it, int arg)
{
	struct fault_record rec;
	uint64_t va = it->probe_va + (uint64_t)arg * PT_GRANULE_SIZE; /* arg pages on: another page's translation */

	/* Unchecked: it only has to make the CPU walk (and maybe cache) the other translation size. */
	(void)probe_read64(va, PROBE_POISON, &rec);
	scn_model_note_access(va, ARCH_ACCESS_READ, rec.taken ? OUTCOME_OTHER : OUTCOME_NEW);
}

static void op_unmap_page(struct scn_iter *it, int arg)
{
	if (unmap_range(it->env->space, it->probe_va, PT_GRANULE_SIZE, (enum pt_tlbi_scope)arg) != PT_OK)
		scn_error(it, "unmap %s at 0x%llx failed", pt_granule_name(PT_GRANULE_SHIFT),
			  (unsigned long long)it->probe_va);
}

static void rewalk_load(struct scn_iter *it)
{
	struct fault_record rec;

	(void)probe_read64(it->probe_va, PROBE_POISON, &rec);
	scn_model_note_access(it->probe_va, ARCH_ACCESS_READ, rec.taken ? OUTCOME_FAULT_T3 : OUTCOME_OTHER);
	if (!rec.taken || rec.kind != FAULT_TRANSLATION || rec.level != 3 || !rec.far_valid || rec.far != it->probe_va)
		scn_error(it, "the re-walk load did not fault at level 3 at 0x%llx (taken %d, FSC 0x%x, FAR 0x%llx)",
			  (unsigned long long)it->probe_va, rec.taken, rec.fsc, (unsigned long long)rec.far);
}

static void rewalk_at(struct scn_iter *it)
{
	struct pt_par par;

	(void)pt_hw_translate(it->probe_va, &par);
	scn_model_note_access(it->probe_va, ARCH_ACCESS_AT, par.fault ? OUTCOME_FAULT_T3 : OUTCOME_OTHER);
	if (par.available && (!par.fault || par.fst != 0x07))
		scn_error(it, "AT S1E1R of the unmapped page did not report a level 3 translation fault (PAR 0x%llx)",
			  (unsigned long long)par.raw);
}

static void op_rewalk(struct scn_iter *it, int arg)
{
	switch ((enum scn_rewalk)arg) {
	case REWALK_LOAD:
		rewalk_load(it);
		break;
	case REWALK_PRFM:
#ifndef BBMPROBE_HOST
		__asm__ volatile("prfm pldl1keep, [%0]" ::"r"(it->probe_va) : "memory");
#endif
		scn_model_note_access(it->probe_va, ARCH_ACCESS_PRFM, OUTCOME_COUNT);
		break;
	case REWALK_AT:
		rewalk_at(it);
		break;
	case REWALK_COUNT:
		scn_error(it, "bad re-walk kind");
		break;
	}
}

/* The slot's entry and, if it holds a table, that table (what a change step unlinks). */
static pt_entry_t *slot_entry(struct scn_iter *it)
{
	pt_entry_t *e = pt_entry_at(it->env->space, it->slot, it->level);
	pt_entry_t d = e ? pt_read_desc(e) : 0;

	it->old_table = desc_type(d, it->level) == DESC_TABLE ? (pt_entry_t *)(uintptr_t)desc_oa(d, it->level) : 0;
	return e;
}

static void op_block(struct scn_iter *it, int arg)
{
	enum pt_policy p = (enum pt_policy)arg;
	uint64_t size = scn_slot_size(it->level);

	(void)slot_entry(it);
	it->policy = pt_policy_name(p);
	enum pt_status st = scn_map(it, it->slot, scn_block_pa(it->env, it->level), size, SCN_PROT, p);
	if (p == PT_POLICY_REFUSE_LIVE && st == PT_ERR_LIVE_CHANGE)
		it->refused++;
	else if (st != PT_OK)
		scn_error(it, "map_range(%s) of the block failed: %s", pt_policy_name(p), pt_strerror(st));
}

/* pmd_free_pte_page() + pmd_set_huge() with the BBM sequence `arg`; the caller frees (Linux: between). */
static void op_bbm_seq(struct scn_iter *it, int arg)
{
	pt_entry_t *e = slot_entry(it);
	pt_entry_t block = scn_leaf_desc(it, it->level, scn_block_pa(it->env, it->level), SCN_PROT);

	it->policy = "bbm-seq";
	if (!e || !it->old_table || !block) {
		scn_error(it, "no table under the slot to replace");
		return;
	}
	pt_unsafe_bbm_replace(e, it->slot, block, (enum bbm_seq)arg);
	if (!pt_pool_free(it->old_table))
		scn_error(it, "freeing the old table 0x%llx failed", (unsigned long long)(uintptr_t)it->old_table);
}

static void op_replace_bbm(struct scn_iter *it, int arg)
{
	pt_entry_t *e = slot_entry(it);
	pt_entry_t d = arg ? (it->new_table ? desc_table((uint64_t)(uintptr_t)it->new_table) : 0)
			   : scn_leaf_desc(it, it->level, scn_block_pa(it->env, it->level), SCN_PROT);

	it->policy = "replace-bbm";
	if (!e || !d || pt_replace_bbm(it->env->space, e, d) != PT_OK)
		scn_error(it, "pt_replace_bbm of the slot entry failed");
}

static void op_new_table(struct scn_iter *it, int arg)
{
	int child = it->level + 1;
	pt_entry_t *e = pt_entry_at(it->env->space, it->slot, it->level);
	/* The leaves map what the slot's block of A maps: a split keeps every output address. */
	pt_entry_t leaf0 = scn_leaf_desc(it, child, scn_block_pa(it->env, it->level), SCN_PROT);
	uint64_t sub = pt_level_size(child);

	(void)arg;
	it->new_table = e && leaf0 ? pt_pool_alloc(it->env->space, child, it->slot, e) : 0;
	if (!it->new_table) {
		scn_error(it, "no table page for the split (pool exhausted?)");
		return;
	}
	/* Unreachable until linked, so no BBM applies; the monitor skips the 512 scans meanwhile. */
	bool monitor = bbm_monitor_active;
	bbm_monitor_enable(false);
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		pt_write_desc(&it->new_table[i], leaf0 + i * sub);
	bbm_monitor_enable(monitor);
	dsb_ishst(); /* the table is complete before it is linked */
}

static void op_link_live(struct scn_iter *it, int arg)
{
	pt_entry_t *e = pt_entry_at(it->env->space, it->slot, 2);

	(void)arg;
	it->policy = "unsafe-write";
	if (!e || !it->new_table) {
		scn_error(it, "nothing to link");
		return;
	}
	pt_unsafe_write_no_maintenance(e, desc_table((uint64_t)(uintptr_t)it->new_table)); /* block -> table live */
	dsb_ishst();
	isb();
}

static void op_set_nt(struct scn_iter *it, int arg)
{
	pt_entry_t *e = pt_entry_at(it->env->space, it->slot, it->level);

	(void)arg;
	if (!e || desc_type(pt_read_desc(e), it->level) != DESC_BLOCK) {
		scn_error(it, "no block to set nT on");
		return;
	}
	pt_unsafe_set_nt(e, true);
}

/* FEAT_BBM level 2 (or 1 with nT): the block size changes live, output addresses and attributes kept. */
static void op_split_live(struct scn_iter *it, int arg)
{
	pt_entry_t *e = pt_entry_at(it->env->space, it->slot, it->level);

	(void)arg;
	it->policy = "bbml2";
	if (!e || !it->new_table || desc_type(pt_read_desc(e), it->level) != DESC_BLOCK) {
		scn_error(it, "no block and table to split with");
		return;
	}
	pt_unsafe_change_block_size(e, desc_table((uint64_t)(uintptr_t)it->new_table));
}

/* The reverse: the table's leaves folded into the slot's block; the table is left for the cleanup. */
static void op_fold_live(struct scn_iter *it, int arg)
{
	pt_entry_t *e = slot_entry(it);
	pt_entry_t block = scn_leaf_desc(it, it->level, scn_block_pa(it->env, it->level), SCN_PROT);

	(void)arg;
	it->policy = "bbml2";
	if (!e || !it->old_table || !block) {
		scn_error(it, "no table under the slot to fold");
		return;
	}
	pt_unsafe_change_block_size(e, block);
}

/*
 * ---- contiguous runs at the probe VA: pt_cont_entries(level) entries, entry j -> pa + j x its size:
 * pages at level 3 (the cont rows), level 2 blocks (the cont2m rows, from a run-aligned slot) ----
 */

static pt_entry_t *run_entry(struct scn_iter *it, int level, unsigned j)
{
	return pt_entry_at(it->env->space, it->probe_va + j * pt_level_size(level), level);
}

/* Entry j of a run -> pa's run (the probe then reads pa through it as the run's entry), PTE_CONT if cont. */
static pt_entry_t run_desc(struct scn_iter *it, int level, uint64_t pa, unsigned j, bool cont)
{
	pt_entry_t d = scn_leaf_desc(it, level, pa + j * pt_level_size(level), SCN_PROT);

	return d && cont ? d | PTE_CONT : d;
}

static void map_run(struct scn_iter *it, int level, int arg)
{
	uint64_t pa = (arg & RUN_TO_A) ? it->env->pa_new : it->env->pa_old, span = pt_cont_span(level);
	/* The neighbour maps RAM: the page past a page run's (in B's or A's 2M), a block run's first page. */
	uint64_t neighbour_pa = level == PT_LAST_LEVEL ? pa + span : pa;

	/* A neighbour page past the run makes the tables (map_range refuses PTE_CONT); the run by hand. */
	if (scn_map(it, it->probe_va + span, neighbour_pa, SZ_4K, SCN_PROT, PT_POLICY_REFUSE_LIVE) != PT_OK ||
	    !run_entry(it, level, 0)) {
		scn_error(it, "no level %d table for the run at 0x%llx", level, (unsigned long long)it->probe_va);
		return;
	}
	for (unsigned j = 0; j < pt_cont_entries(level); j++)
		pt_write_desc(run_entry(it, level, j), run_desc(it, level, pa, j, arg & RUN_CONT));
	dsb_ishst();
	isb();
}

/* Entry `arg` of the run and its new descriptor (-> A, still contiguous), under `policy`; NULL (an error) if none. */
static pt_entry_t *cont_entry_to_change(struct scn_iter *it, int level, int arg, const char *policy, pt_entry_t *d)
{
	*d = run_desc(it, level, it->env->pa_new, (unsigned)arg, true);
	it->policy = policy;
	if (!run_entry(it, level, 0) || !*d) {
		scn_error(it, "no run to change");
		return 0;
	}
	return run_entry(it, level, (unsigned)arg);
}

static void cont_live(struct scn_iter *it, int level, int arg)
{
	pt_entry_t d;
	pt_entry_t *ptep = cont_entry_to_change(it, level, arg, "unsafe-write", &d);

	if (!ptep)
		return;
	pt_unsafe_write_no_maintenance(ptep, d);
	dsb_ishst();
	isb();
}

static void cont_bbm(struct scn_iter *it, int level, int arg, const char *policy)
{
	pt_entry_t d;
	pt_entry_t *ptep = cont_entry_to_change(it, level, arg, policy, &d);

	if (ptep)
		pt_unsafe_bbm_replace(ptep, it->probe_va + (uint64_t)arg * pt_level_size(level), d, BBM_SEQ_CORRECT);
}

/*
 * BBM of the whole run: clear every entry, flush the range, write them all
 * again: contpte_convert() for pages (arch/arm64/mm/contpte.c); for
 * contiguous PMDs clear_flush() then the writes of set_huge_pte_at()
 * (arch/arm64/mm/hugetlbpage.c), whose flush is one TLBI per block.
 */
static void cont_rewrite(struct scn_iter *it, int level, int arg, const char *policy)
{
	pt_entry_t *e0 = run_entry(it, level, 0);
	pt_entry_t d0 = e0 ? pt_read_desc(e0) : 0;
	unsigned n = pt_cont_entries(level);

	it->policy = policy;
	if (!desc_is_valid(d0)) {
		scn_error(it, "no run to fold or unfold");
		return;
	}
	for (unsigned j = 0; j < n; j++)
		pt_write_desc(run_entry(it, level, j), 0);
	dsb_ishst();
	for (unsigned j = 0; j < n; j++)
		tlbi_vale1is(it->probe_va + j * pt_level_size(level));
	dsb_ish();
	isb();
	for (unsigned j = 0; j < n; j++)
		pt_write_desc(run_entry(it, level, j), run_desc(it, level, desc_oa(d0, level), j, arg));
	dsb_ishst();
	isb();
}

static void op_map_run(struct scn_iter *it, int arg) { map_run(it, PT_LAST_LEVEL, arg); }
static void op_cont_live(struct scn_iter *it, int arg) { cont_live(it, PT_LAST_LEVEL, arg); }
static void op_cont_bbm(struct scn_iter *it, int arg) { cont_bbm(it, PT_LAST_LEVEL, arg, "bbm-one-page"); }
static void op_cont_rewrite(struct scn_iter *it, int arg) { cont_rewrite(it, PT_LAST_LEVEL, arg, "contpte"); }
static void op_map_block_run(struct scn_iter *it, int arg) { map_run(it, 2, arg); }
static void op_cont_block_live(struct scn_iter *it, int arg) { cont_live(it, 2, arg); }
static void op_cont_block_bbm(struct scn_iter *it, int arg) { cont_bbm(it, 2, arg, "bbm-one-block"); }
static void op_cont_block_rewrite(struct scn_iter *it, int arg) { cont_rewrite(it, 2, arg, "hugetlb-cont"); }

static void op_refused_live(struct scn_iter *it, int arg)
{
	uint64_t pa = scn_block_pa(it->env, it->level), size = scn_slot_size(it->level);

	(void)arg;
	/* Since 2018 pmd_set_huge() refuses a live OA change (15122ee2c515); the fixed path too. */
	if (map_range(it->env->space, it->slot, pa, size, SCN_PROT, PT_POLICY_REFUSE_LIVE) != PT_ERR_LIVE_CHANGE ||
	    map_range(it->env->space, it->slot, pa, size, SCN_PROT, PT_POLICY_LINUX_FIXED) != PT_ERR_LIVE_CHANGE)
		scn_error(it, "a live OA change was not refused by refuse-live and linux-fixed");
}

static void op_attr_ro(struct scn_iter *it, int arg)
{
	(void)arg;
	it->policy = pt_policy_name(PT_POLICY_REFUSE_LIVE);
	/* Only AP[2] changes: permitted on a live entry (Linux pgattr_change_is_safe()). */
	if (scn_map(it, it->slot, it->env->pa_old, scn_slot_size(it->level), SCN_PROT_RO, PT_POLICY_REFUSE_LIVE) !=
	    PT_OK)
		scn_error(it, "the read-only remap was refused");
}

static void op_tlbi(struct scn_iter *it, int arg)
{
	pt_tlbi_scope_va((enum pt_tlbi_scope)arg, it->probe_va);
}

/*
 * A freed table reused by someone else: every entry now points at C, so a
 * stale walk through it reads the poison marker. The page is no longer ours,
 * so these are plain stores of someone's data, not descriptor writes (no
 * events); the model first reads the page as it was (scn_model_flush).
 */
static void op_poison(struct scn_iter *it, int arg)
{
	const struct pt_page_meta *meta = it->old_table ? pt_pool_meta(it->old_table) : 0;
	int level = meta ? meta->level : 0;
	pt_entry_t d = level ? scn_leaf_desc(it, level, it->env->pa_poison, SCN_PROT) : 0;
	volatile pt_entry_t *page = it->old_table;

	(void)arg;
	if (!meta || meta->state != PT_PAGE_FREE || !d) {
		scn_error(it, "no freed table to poison");
		return;
	}
	scn_model_flush();
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		page[i] = d;
	dsb_ishst();
}

/* ---- ASIDs: the running ASID, and a BBM whose TLBI differs only in ASID scope ---- */

static void op_asid(struct scn_iter *it, int arg)
{
	mmu_switch_asid(it->env->user, (uint16_t)arg); /* TTBR0 carries the ASID, whichever space the row maps in */
}

/* The scope helper of form ASID_TLBI(form, asid) at va (mmu/tlb.h). */
void scn_asid_tlbi(struct scn_iter *it, uint64_t va, int arg)
{
	uint16_t asid = (uint16_t)(arg >> 8);

	switch ((enum scn_asid_tlbi)(arg & 0xff)) {
	case ASID_TLBI_VALE1IS:
		tlbi_leaf_va_asid(va, asid);
		break;
	case ASID_TLBI_VAE1IS:
		tlbi_all_levels_va_asid(va, asid);
		break;
	case ASID_TLBI_VAALE1IS:
		tlbi_leaf_va_all_asids(va);
		break;
	case ASID_TLBI_ASIDE1IS:
		tlbi_asid(asid);
		break;
	case ASID_TLBI_VAAE1IS:
		tlbi_all_levels_va(va);
		break;
	case ASID_TLBI_COUNT:
		scn_error(it, "bad ASID TLBI form");
		break;
	}
}

/* The probe page -> A with BBM: W=0; the TLBI (dsb ishst; tlbi; dsb ish; isb); W=A's page, nG kept. */
static void op_bbm_asid(struct scn_iter *it, int arg)
{
	pt_entry_t *e = pt_entry_at(it->env->space, it->probe_va, 3);
	pt_entry_t old = e ? pt_read_desc(e) : 0;
	pt_entry_t d = scn_leaf_desc(it, 3, it->env->pa_new, SCN_PROT | (old & PTE_NG));

	it->policy = "bbm-asid";
	if (!desc_is_valid(old) || !d) {
		scn_error(it, "no page to replace");
		return;
	}
	pt_write_desc(e, 0);
	scn_asid_tlbi(it, it->probe_va, arg);
	pt_write_desc(e, d);
	dsb_ishst();
	isb();
}

struct op_info {
	void (*run)(struct scn_iter *it, int arg);
	const char *words; /* %s gets the argument's name (after the page size, for page_sized() ops) */
};

/* Steps whose words start with a %s for the page size: the granule in force. */
static bool page_sized(enum scn_op op)
{
	return op == OP_MAP_PAGE || op == OP_UNMAP_PAGE;
}

static const struct op_info ops[OP_COUNT] = {
	[OP_MAP_PAGE] = {op_map_page, "map %s -> %s"},
	[OP_MAP_BLOCK] = {op_map_block, "map %s"},
	[OP_WARM] = {op_warm, "load (%s)"},
	[OP_TOUCH] = {op_touch, "load VA+%s (unchecked)"},
	[OP_UNMAP_PAGE] = {op_unmap_page, "unmap %s: W(pte)=0; dsb ishst; %s; dsb ish; isb"},
	[OP_REWALK] = {op_rewalk, "re-walk: %s"},
	[OP_BLOCK] = {op_block, "table->block by %s"},
	[OP_BBM_SEQ] = {op_bbm_seq, "table->block: %s; free the table"},
	[OP_REPLACE_BBM] = {op_replace_bbm, "pt_replace_bbm: W=0; dsb ishst; tlbi; dsb ish; isb; free; W=%s"},
	[OP_NEW_TABLE] = {op_new_table, "new table of 512 %s; dsb ishst"},
	[OP_LINK_LIVE] = {op_link_live, "W(pmd)=table over the live block; dsb ishst; isb"},
	[OP_REFUSED_LIVE] = {op_refused_live, "check linux-fixed and refuse-live refuse"},
	[OP_ATTR_RO] = {op_attr_ro, "W(pmd)=block read-only, same OA; dsb ishst; isb"},
	[OP_TLBI] = {op_tlbi, "dsb ishst; %s; dsb ish; isb"},
	[OP_POISON] = {op_poison, "fill the freed table with pages -> C (poison); dsb ishst"},
	[OP_SET_NT] = {op_set_nt, "W(entry)=block with nT; dsb ishst; isb"},
	[OP_SPLIT_LIVE] = {op_split_live, "W(entry)=table over the live block, same OA and attributes; dsb ishst; isb"},
	[OP_FOLD_LIVE] = {op_fold_live, "W(entry)=block over the live table, same OA and attributes; dsb ishst; isb"},
	[OP_MAP_RUN] = {op_map_run, "map 16 x 4K -> %s; dsb ishst; isb"},
	[OP_CONT_LIVE] = {op_cont_live, "W(pte[%s])=A's page, contiguous, live; dsb ishst; isb"},
	[OP_CONT_BBM] = {op_cont_bbm, "BBM of pte[%s] only: W=0; dsb ishst; tlbi vaae1is; dsb ish; isb; W=A's page, "
				      "contiguous; dsb ishst; isb"},
	[OP_CONT_REWRITE] = {op_cont_rewrite, "contpte: W(pte[0..15])=0; dsb ishst; tlbi vale1is x16; dsb ish; isb; "
					      "W(pte[0..15])=%s; dsb ishst; isb"},
	[OP_MAP_BLOCK_RUN] = {op_map_block_run, "map 16 x 2M -> %s; dsb ishst; isb"},
	[OP_CONT_BLOCK_LIVE] = {op_cont_block_live, "W(pmd[%s])=A's block, contiguous, live; dsb ishst; isb"},
	[OP_CONT_BLOCK_BBM] = {op_cont_block_bbm, "BBM of pmd[%s] only: W=0; dsb ishst; tlbi vaae1is; dsb ish; isb; "
						  "W=A's block, contiguous; dsb ishst; isb"},
	[OP_CONT_BLOCK_REWRITE] = {op_cont_block_rewrite, "hugetlb: W(pmd[0..15])=0; dsb ishst; tlbi vale1is x16; "
							  "dsb ish; isb; W(pmd[0..15])=%s; dsb ishst; isb"},
	[OP_ASID] = {op_asid, "TTBR0_EL1.ASID=%s; isb"},
	[OP_BBM_ASID] = {op_bbm_asid, "W(pte)=0; dsb ishst; %s; dsb ish; isb; W(pte)=A's page; dsb ishst; isb"},
	[OP_PGTABLE_ASID] = {scn_op_pgtable_asid, "W(pmd)=0; dsb ishst; %s; dsb ish; isb; free the PTE table; "
						  "W(pmd)=block -> A; dsb ishst; isb"},
	[OP_NG_LIVE] = {scn_op_ng_live, "W(pte)=the same page, %s, live; dsb ishst; isb"},
	[OP_NG_BBM] = {scn_op_ng_bbm, "pt_replace_bbm: W(pte)=0; dsb ishst; tlbi vaae1is; dsb ish; isb; W(pte)=the same "
				      "page, %s; dsb ishst; isb"},
};

void scn_steps_run(struct scn_iter *it)
{
	for (const struct scn_step *s = it->row->steps; s && s->op != OP_END; s++) {
		if ((unsigned)s->op >= OP_COUNT || !ops[s->op].run) {
			scn_error(it, "bad step %d", (int)s->op);
			return;
		}
		ops[s->op].run(it, s->arg);
	}
}

static const char *tlbi_words(int scope)
{
	static const char *const w[PT_TLBI_SCOPE_COUNT] = {
		[PT_TLBI_NONE] = "no tlbi",
		[PT_TLBI_LEAF] = "tlbi vale1is",
		[PT_TLBI_ALL_LEVELS] = "tlbi vaae1is",
		[PT_TLBI_ALL] = "tlbi vmalle1is",
	};
	return (unsigned)scope < PT_TLBI_SCOPE_COUNT ? w[scope] : "?";
}

static const char *bbm_seq_words(int seq)
{
	static const char *const w[BBM_SEQ_COUNT] = {
		[BBM_SEQ_CORRECT] = "W=0; dsb ishst; tlbi vaae1is; dsb ish; isb; W=block",
		[BBM_SEQ_NO_TLBI] = "W=0; dsb ishst; dsb ish; isb; W=block",
		[BBM_SEQ_LEAF_TLBI] = "W=0; dsb ishst; tlbi vale1is; dsb ish; isb; W=block",
		[BBM_SEQ_NO_DSB_BEFORE_TLBI] = "W=0; tlbi vaae1is; dsb ish; isb; W=block",
		[BBM_SEQ_NO_DSB_AFTER_TLBI] = "W=0; dsb ishst; tlbi vaae1is; isb; W=block",
		[BBM_SEQ_NO_ISB] = "W=0; dsb ishst; tlbi vaae1is; dsb ish; W=block",
		[BBM_SEQ_TLBI_BEFORE_CLEAR] = "dsb ishst; tlbi vaae1is; W=0; dsb ish; isb; W=block",
	};
	return (unsigned)seq < BBM_SEQ_COUNT ? w[seq] : "?";
}

static const char *asid_tlbi_words(int arg)
{
	static const char *const w[ASID_TLBI_COUNT][3] = {
		[ASID_TLBI_VALE1IS] = {"tlbi vale1is ASID 0", "tlbi vale1is ASID 1", "tlbi vale1is ASID 2"},
		[ASID_TLBI_VAE1IS] = {"tlbi vae1is ASID 0", "tlbi vae1is ASID 1", "tlbi vae1is ASID 2"},
		[ASID_TLBI_VAALE1IS] = {"tlbi vaale1is", "tlbi vaale1is", "tlbi vaale1is"},
		[ASID_TLBI_ASIDE1IS] = {"tlbi aside1is ASID 0", "tlbi aside1is ASID 1", "tlbi aside1is ASID 2"},
		[ASID_TLBI_VAAE1IS] = {"tlbi vaae1is", "tlbi vaae1is", "tlbi vaae1is"},
	};
	unsigned form = (unsigned)arg & 0xff, asid = (unsigned)arg >> 8;
	return form < ASID_TLBI_COUNT && asid < 3 ? w[form][asid] : "tlbi ?";
}

static const char *arg_words(const struct scn_step *s)
{
	static const char *const asids[3] = {"0", "1", "2"};

	static const char *const rewalk[REWALK_COUNT] = {
		[REWALK_LOAD] = "ldr (must fault at L3)",
		[REWALK_PRFM] = "prfm pldl1keep",
		[REWALK_AT] = "at s1e1r (must report an L3 fault)",
	};
	switch (s->op) {
	case OP_UNMAP_PAGE:
	case OP_TLBI:
		return tlbi_words(s->arg);
	case OP_REWALK:
		return (unsigned)s->arg < REWALK_COUNT ? rewalk[s->arg] : "?";
	case OP_BLOCK:
		return pt_policy_name((enum pt_policy)s->arg);
	case OP_BBM_SEQ:
		return bbm_seq_words(s->arg);
	case OP_REPLACE_BBM:
		return s->arg ? "table" : "block";
	case OP_TOUCH:
		return s->arg == 1 ? pt_granule_name(PT_GRANULE_SHIFT) : "pages";
	case OP_MAP_BLOCK:
		return s->arg ? "the block -> A's" : "2M -> B";
	case OP_WARM:
		return s->arg ? "A" : "B";
	case OP_NEW_TABLE:
		return s->arg ? "leaves -> the block's OAs" : "pages -> A";
	case OP_MAP_RUN:
	case OP_MAP_BLOCK_RUN:
		return (s->arg & RUN_TO_A) ? ((s->arg & RUN_CONT) ? "A, contiguous" : "A, not contiguous")
					   : ((s->arg & RUN_CONT) ? "B, contiguous" : "B, not contiguous");
	case OP_CONT_LIVE:
	case OP_CONT_BBM:
	case OP_CONT_BLOCK_LIVE:
	case OP_CONT_BLOCK_BBM:
		return s->arg == 0 ? "0" : s->arg == 5 ? "5" : "k";
	case OP_CONT_REWRITE:
		return s->arg ? "the same pages, contiguous (fold)" : "the same pages, not contiguous (unfold)";
	case OP_CONT_BLOCK_REWRITE:
		return s->arg ? "the same blocks, contiguous (fold)" : "the same blocks, not contiguous (unfold)";
	case OP_MAP_PAGE: {
		static const char *const page[4] = {"B", "B, nG", "A", "A, nG"};
		return page[s->arg & (PAGE_NG | PAGE_TO_A)];
	}
	case OP_NG_LIVE:
	case OP_NG_BBM:
		return s->arg ? "nG" : "global";
	case OP_ASID:
		return (unsigned)s->arg < 3 ? asids[s->arg] : "n";
	case OP_BBM_ASID:
	case OP_PGTABLE_ASID:
		return asid_tlbi_words(s->arg);
	default:
		return "";
	}
}

int scn_steps_describe(const struct scn_row *row, char *buf, size_t len)
{
	size_t used = 0;

	if (len)
		buf[0] = 0;
	for (const struct scn_step *s = row->steps; s && s->op != OP_END && used < len; s++) {
		if ((unsigned)s->op >= OP_COUNT || !ops[s->op].words)
			break;
		int n = snprintf(buf + used, len - used, "%s", used ? "; " : "");
		if (n > 0)
			used += (size_t)n;
		if (used < len) {
			const char *page = pt_granule_name(PT_GRANULE_SHIFT);
			n = page_sized(s->op) ? snprintf(buf + used, len - used, ops[s->op].words, page, arg_words(s))
						  : snprintf(buf + used, len - used, ops[s->op].words, arg_words(s));
			if (n > 0)
				used += (size_t)n;
		}
	}
	return (int)used;
}
