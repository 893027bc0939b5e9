/*
 * TLB model, accesses: enumerate every walk an access may take and collect
 * the outcomes, one witness each (mmu/model.h). Arm ARM citations are to
 * DDI 0487 M.a.a by section title and rule identifier.
 *
 * Rule 5: at each level the descriptor comes from memory (the table the
 * previous level named, or the root; the current value, or the value a
 * pending write replaced) or from any stale entry of that level covering the
 * VA. A cached entry is usable without the levels above it, so the stale
 * entries of every level are tried whether or not a memory walk gets there.
 */
#include "mmu/model.h"

#include "mmu/model_internal.h"
#include "mmu/pt_write.h"

struct explore {
	const struct model *m;
	unsigned cpu;
	uint64_t va;
	enum model_access_kind kind;
	const struct model_markers *markers;
	struct model_answer *ans; /* NULL when probing reachability */
	int probe_level;
	uint64_t probe_page;
	bool found;
	enum model_status status;
	unsigned depth; /* the walk so far: path[0..depth) */
	struct model_step path[PT_MAX_LEVELS];
	bool cache_done[PT_LAST_LEVEL + 1];
	/* Rule 6: the first possibly-cached table and leaf entry seen at each level. */
	bool have_table[PT_LAST_LEVEL + 1], have_leaf[PT_LAST_LEVEL + 1];
	struct model_step table_seen[PT_LAST_LEVEL + 1], leaf_seen[PT_LAST_LEVEL + 1];
	/* Rule 6d: the first possibly-cached global and non-global leaf seen at each level. */
	bool have_global[PT_LAST_LEVEL + 1], have_ng[PT_LAST_LEVEL + 1];
	struct model_step global_seen[PT_LAST_LEVEL + 1], ng_seen[PT_LAST_LEVEL + 1];
	/* Rule 6c: per level, the leaves of the VA's contiguous run seen so far, and whether they disagree. */
	struct cont_run {
		bool any, seen, bad;
		uint64_t base;  /* run base PA the first leaf gives */
		pt_entry_t key; /* its attributes and Contiguous bit */
		struct model_step first, other;
	} cont[PT_MAX_LEVELS];
};

static void walk_level(struct explore *x, int level, uint64_t table);

static void allow(struct explore *x, enum outcome o)
{
	struct model_answer *a = x->ans;
	if (!a || (a->allowed & OUTCOME_BIT(o)))
		return; /* probing, or a witness already kept: the first walk found is the witness */
	a->allowed |= OUTCOME_BIT(o);
	struct model_witness *w = &a->witness[o];
	w->kind = MODEL_WITNESS_WALK;
	w->nsteps = (uint8_t)x->depth;
	for (unsigned i = 0; i < x->depth; i++)
		w->step[i] = x->path[i];
}

static bool push(struct explore *x, int level, uint64_t entry, pt_entry_t d, enum model_source src, uint32_t write_no)
{
	if (x->depth == PT_MAX_LEVELS)
		return false; /* cannot happen: one step per level */
	struct model_step *s = &x->path[x->depth++];
	s->entry = entry;
	s->desc = d;
	s->write_no = write_no;
	s->level = (int8_t)level;
	s->source = (uint8_t)src;
	return true;
}

/* Rule 6d: a leaf's nG, kept per level (a global and a non-global leaf usable together may both hit). */
static void note_global(struct explore *x, int level, const struct model_step *top)
{
	bool ng = (top->desc & PTE_NG) != 0;
	bool *have = ng ? &x->have_ng[level] : &x->have_global[level];
	if (!*have) {
		*have = true;
		(ng ? x->ng_seen : x->global_seen)[level] = *top;
	}
}

/* Rule 6: remember the entry on top of the path as possibly cached (R_SQBCS). */
static void note_cacheable(struct explore *x, int level, bool leaf)
{
	const struct model_step *top = &x->path[x->depth - 1];
	if (leaf)
		note_global(x, level, top);
	if (leaf && !x->have_leaf[level]) {
		x->have_leaf[level] = true;
		x->leaf_seen[level] = *top;
	} else if (!leaf && !x->have_table[level]) {
		x->have_table[level] = true;
		x->table_seen[level] = *top;
	}
}

static bool is_write(enum model_access_kind k)
{
	return k == MODEL_ACCESS_WRITE || k == MODEL_ACCESS_AT_S1E1W;
}

/*
 * Rule 6c, the Contiguous bit (when model_config.contiguous): a page, or a
 * level 2 block, with PTE_CONT may be cached as one entry for its whole run
 * of pt_cont_entries(level) entries (16 x 4K pages or 16 x 2M blocks at the 4K
 * granule), so any entry of the VA's run may translate it (Arm ARM DDI 0487,
 * "The Contiguous bit"). Entries of one run that disagree (run base,
 * attributes, the bit itself) make it misprogrammed ("Misprogramming the
 * Contiguous bit"): a TLB conflict abort, or an amalgamation, is allowed too.
 */
static bool cont_level(const struct explore *x, int level)
{
	return x->m->cfg.contiguous && pt_cont_entries(level) != 0;
}

static void cont_note(struct explore *x, int level, pt_entry_t d, uint64_t base)
{
	const struct model_step *top = &x->path[x->depth - 1];
	struct cont_run *r = &x->cont[level];
	pt_entry_t key = desc_attrs(d);

	r->any |= (d & PTE_CONT) != 0;
	if (!r->seen) {
		r->seen = true;
		r->base = base;
		r->key = key;
		r->first = *top;
	} else if (!r->bad && (base != r->base || key != r->key)) {
		r->bad = true;
		r->other = *top;
	}
}

/*
 * A block or page ends the walk, translating to pa. D8.15.5 "MMU fault
 * prioritization from a single address translation stage" (R_XCHFJ): Access
 * flag fault before Permission fault. AF=0 entries are never cached (R_XCLRD).
 */
static void reach_leaf_pa(struct explore *x, int level, pt_entry_t d, uint64_t pa, uint64_t run_base)
{
	if (!x->ans)
		return; /* probing reachability: leaves end walks, nothing to classify */
	if (!(d & PTE_AF)) {
		allow(x, OUTCOME_FAULT_AF);
		return;
	}
	note_cacheable(x, level, true);
	if (cont_level(x, level))
		cont_note(x, level, d, run_base);
	if (is_write(x->kind) && (d & PTE_RDONLY)) {
		allow(x, OUTCOME_FAULT_PERM);
		return;
	}
	if (pa == x->markers->new_pa)
		allow(x, OUTCOME_NEW);
	else if (pa == x->markers->old_pa)
		allow(x, OUTCOME_OLD);
	else
		allow(x, OUTCOME_OTHER);
}

static void reach_leaf(struct explore *x, int level, pt_entry_t d)
{
	uint64_t off = x->va & (pt_level_size(level) - 1);

	reach_leaf_pa(x, level, d, desc_oa(d, level) | off, desc_oa(d, level) - (x->va & (pt_cont_span(level) - 1)) + off);
}

/*
 * Entry j of the VA's run at level (a page at 3, a block at 2), cached as the
 * run's entry: it gives the VA its run base + the VA's offset in the run.
 */
static void use_cont_entry(struct explore *x, int level, uint64_t entry, pt_entry_t d, enum model_source src,
			   uint32_t write_no, unsigned j)
{
	enum desc_type leaf = level == PT_LAST_LEVEL ? DESC_PAGE : DESC_BLOCK;

	if (x->found || x->status != MODEL_OK || desc_type(d, level) != leaf || !(d & PTE_CONT) ||
	    !push(x, level, entry, d, src, write_no))
		return;
	uint64_t base = desc_oa(d, level) - ((uint64_t)j << pt_level_shift(level));
	reach_leaf_pa(x, level, d, base + (x->va & (pt_cont_span(level) - 1)), base);
	x->depth--;
}

/* Use descriptor d at level: fault, translate, or go one level down. */
static void use_desc(struct explore *x, int level, uint64_t entry, pt_entry_t d, enum model_source src,
		     uint32_t write_no)
{
	if (x->found || x->status != MODEL_OK || !push(x, level, entry, d, src, write_no))
		return;
	switch (desc_type(d, level)) {
	case DESC_INVALID:
	case DESC_RESERVED:
		allow(x, (enum outcome)(OUTCOME_FAULT_T0 + level));
		break;
	case DESC_TABLE:
		note_cacheable(x, level, false);
		walk_level(x, level + 1, desc_oa(d, level));
		break;
	case DESC_BLOCK:
	case DESC_PAGE:
		reach_leaf(x, level, d);
		break;
	}
	x->depth--;
}

/* Rule 4: the walk reads a page it cannot rely on; any outcome may follow. */
static void poison(struct explore *x, int level, uint64_t page, enum model_source why)
{
	if (push(x, level, page, 0, why, 0)) {
		allow(x, OUTCOME_POISON);
		x->depth--;
	}
}

static void use_entry(struct explore *x, int level, uint64_t entry, pt_entry_t d, enum model_source src,
		      uint32_t write_no, int cont_j)
{
	if (cont_j < 0)
		use_desc(x, level, entry, d, src, write_no);
	else
		use_cont_entry(x, level, entry, d, src, write_no, (unsigned)cont_j);
}

/*
 * Rule 2: the current value of the entry, and the values of writes this CPU's
 * walks may not see complete yet; newest first; a write complete for this CPU
 * hides every older value (coherence order). cont_j >= 0: entry cont_j of the
 * VA's contiguous run, used as the run's entry (rule 6c).
 */
static void read_entry(struct explore *x, int level, uint64_t entry, int cont_j)
{
	const struct model *m = x->m;

	use_entry(x, level, entry, pt_read_desc((const pt_entry_t *)(uintptr_t)entry), MODEL_SRC_MEMORY, 0, cont_j);
	for (unsigned k = m->npending; k-- > 0;) {
		const struct model_pending_write *w = &m->pending[k];
		if (w->entry != entry)
			continue;
		if (w->done & model_cpu_bit(x->cpu))
			break;
		use_entry(x, level, entry, w->old, MODEL_SRC_PENDING_OLD, w->write_no, cont_j);
	}
}

/*
 * Rule 2: the table the previous level named (or the root): its entry for
 * the VA, through read_entry(). Newest first; a write complete for this CPU hides
 * every older value (coherence order).
 */
static void read_memory(struct explore *x, int level, uint64_t table)
{
	const struct model *m = x->m;
	int i = model_page_index(m, table);

	if (i < 0) {
		x->status = MODEL_ERR_UNKNOWN_TABLE;
		return;
	}
	if (!x->ans && level == x->probe_level && m->pages[i].pa == x->probe_page) {
		x->found = true;
		return;
	}
	if (m->pages[i].freed) {
		poison(x, level, m->pages[i].pa, MODEL_SRC_FREED);
		return;
	}
	if (m->pages[i].zero_pending & model_cpu_bit(x->cpu))
		poison(x, level, m->pages[i].pa, MODEL_SRC_ZEROING);
	unsigned idx = pt_va_index(x->va, level);
	read_entry(x, level, table + (uint64_t)idx * sizeof(pt_entry_t), -1);
	if (!cont_level(x, level))
		return;
	/* Rule 6c: the other entries of the VA's run, each as the run's entry. */
	unsigned n = pt_cont_entries(level), first = idx & ~(n - 1);
	for (unsigned j = 0; j < n; j++)
		if (first + j != idx)
			read_entry(x, level, table + (uint64_t)(first + j) * sizeof(pt_entry_t), (int)j);
}

/*
 * Rule 1/5: stale entries of this CPU's TLB at this level that translate the
 * VA. D8.16.3.1 R_XXNPZ: a non-global entry is used only with its own ASID.
 */
static void read_cache(struct explore *x, int level)
{
	const struct model *m = x->m;
	unsigned n = cont_level(x, level) ? pt_cont_entries(level) : 0; /* rule 6c: the run's entries, or none */
	uint64_t run_mask = ~(pt_cont_span(level) - 1);

	for (unsigned i = 0; i < m->nstale && !x->found; i++) {
		const struct model_stale *s = &m->stale[i];
		if (s->cpu != x->cpu || s->level != level || (!s->global && s->asid != m->cfg.asid))
			continue;
		if (x->va >= s->va_base && x->va - s->va_base < pt_level_size(level))
			use_desc(x, level, s->entry, s->desc, MODEL_SRC_CACHED, s->write_no);
		else if (n && (s->va_base & run_mask) == (x->va & run_mask))
			use_cont_entry(x, level, s->entry, s->desc, MODEL_SRC_CACHED, s->write_no,
				       (unsigned)(s->va_base >> pt_level_shift(level)) % n);
	}
}

static void walk_level(struct explore *x, int level, uint64_t table)
{
	if (x->found || x->status != MODEL_OK)
		return;
	read_memory(x, level, table);
	if (!x->cache_done[level]) {
		x->cache_done[level] = true; /* the cached entries do not depend on the path: try them once */
		read_cache(x, level);
	}
}

/* Walks from the root VA[55] selects (D8.2.3), then cached entries of levels no memory walk reached. */
static void explore_all(struct explore *x)
{
	const struct model *m = x->m;

	walk_level(x, m->start_level, pt_va_ttbr(x->va) ? m->root1 : m->root);
	for (int l = m->start_level; l <= PT_LAST_LEVEL; l++) {
		if (x->cache_done[l])
			continue;
		x->cache_done[l] = true;
		x->depth = 0;
		read_cache(x, l);
	}
}

static void explore_init(struct explore *x, const struct model *m, unsigned cpu, uint64_t va)
{
	x->m = m;
	x->cpu = cpu;
	x->va = va;
	x->kind = MODEL_ACCESS_READ;
	x->markers = 0;
	x->ans = 0;
	x->probe_level = -1;
	x->probe_page = 0;
	x->found = false;
	x->status = MODEL_OK;
	x->depth = 0;
	for (int l = 0; l <= PT_LAST_LEVEL; l++) {
		x->cont[l].any = x->cont[l].seen = x->cont[l].bad = false;
		x->cache_done[l] = false;
		x->have_table[l] = false;
		x->have_leaf[l] = false;
		x->have_global[l] = false;
		x->have_ng[l] = false;
	}
}

bool model_page_reachable(const struct model *m, unsigned cpu, uint64_t va, int level, uint64_t page,
			  enum model_status *st)
{
	struct explore x;

	explore_init(&x, m, cpu, va);
	x.probe_level = level;
	x.probe_page = page & ~(PT_GRANULE_SIZE - 1);
	explore_all(&x);
	*st = x.status;
	return x.found;
}

static void set_conflict(struct model_answer *a, const struct model_step *s0, const struct model_step *s1)
{
	struct model_witness *w = &a->witness[OUTCOME_TLB_CONFLICT];
	a->allowed |= OUTCOME_BIT(OUTCOME_TLB_CONFLICT);
	w->kind = MODEL_WITNESS_CONFLICT;
	w->nsteps = 2;
	w->step[0] = *s0;
	w->step[1] = *s1;
}

/*
 * Rule 6: a TLB conflict abort is possible iff two possibly-cached entries
 * for the VA disagree in size or kind: a table and a block at one level, or
 * leaves at two levels. D8.17.1 (multiple TLB entries for one address: a TLB
 * conflict abort may be detected) and D8.17.2 I_HYQMB (for Table descriptors
 * this also applies to intermediate caching structures). A same-size change
 * of output address is old/new, not a conflict.
 */
static void find_conflict(const struct explore *x, struct model_answer *a)
{
	int first_leaf = -1;

	for (int l = 0; l <= PT_LAST_LEVEL; l++) {
		if (x->have_table[l] && x->have_leaf[l]) {
			set_conflict(a, &x->table_seen[l], &x->leaf_seen[l]);
			return;
		}
		/*
		 * Rule 6d: a global leaf and a non-global one of the running ASID both match the lookup
		 * (D8.16.3.1 R_XXNPZ): two TLB entries for one address, what a live change of nG leaves
		 * behind ("Using break-before-make when updating translation table entries").
		 */
		if (x->have_global[l] && x->have_ng[l]) {
			set_conflict(a, &x->ng_seen[l], &x->global_seen[l]);
			return;
		}
	}
	for (int l = 0; l <= PT_LAST_LEVEL; l++) {
		if (!x->have_leaf[l])
			continue;
		if (first_leaf >= 0) {
			set_conflict(a, &x->leaf_seen[first_leaf], &x->leaf_seen[l]);
			return;
		}
		first_leaf = l;
	}
}

/* How many of the outcomes in set s are translations (new, old, other). */
static unsigned translations(outcome_set_t s)
{
	return !!(s & OUTCOME_BIT(OUTCOME_NEW)) + !!(s & OUTCOME_BIT(OUTCOME_OLD)) + !!(s & OUTCOME_BIT(OUTCOME_OTHER));
}

/*
 * Rule 6b, FEAT_BBM (Arm ARM DDI 0487, "Support levels for changing table or
 * block size"): a conflict between leaves of different sizes that all give
 * the VA one PA with the same attributes is a change of block size only.
 * FEAT_BBM level 2 permits it without a break (level 1 when the block has nT
 * set): the access then uses one of the translations or takes a TLB conflict
 * abort, which stays allowed at every level. Below that level the change
 * breaks BBM, and D8.17.1 ("Using break-before-make when updating translation
 * table entries") also permits an amalgamation of the entries: `other`.
 */
static uint64_t leaf_pa(const struct explore *x, const struct model_step *s)
{
	return desc_oa(s->desc, s->level) | (x->va & (pt_level_size(s->level) - 1));
}

static void size_change(const struct explore *x, struct model_answer *a, outcome_set_t before)
{
	const struct model_step *first = 0;
	unsigned sizes = 0;
	bool nt = false;

	a->size_change_level = 0;
	if (!(a->allowed & OUTCOME_BIT(OUTCOME_TLB_CONFLICT)) || translations(before) != 1 ||
	    (before & ~(OUTCOME_BIT(OUTCOME_NEW) | OUTCOME_BIT(OUTCOME_OLD) | OUTCOME_BIT(OUTCOME_OTHER))))
		return;
	for (int l = 0; l <= PT_LAST_LEVEL; l++) {
		if (!x->have_leaf[l])
			continue;
		const struct model_step *s = &x->leaf_seen[l];
		nt |= desc_type(s->desc, l) == DESC_BLOCK && (s->desc & PTE_NT);
		sizes++;
		if (!first)
			first = s;
		else if (desc_attrs(s->desc) != desc_attrs(first->desc) || leaf_pa(x, s) != leaf_pa(x, first))
			return;
	}
	if (sizes < 2)
		return;
	a->size_change_level = nt ? 1 : 2;
	if (x->m->cfg.feat_bbm >= a->size_change_level || (a->allowed & OUTCOME_BIT(OUTCOME_OTHER)))
		return;
	a->allowed |= OUTCOME_BIT(OUTCOME_OTHER);
	a->witness[OUTCOME_OTHER] = a->witness[OUTCOME_TLB_CONFLICT];
	a->witness[OUTCOME_OTHER].kind = MODEL_WITNESS_AMALGAM;
}

/* Rule 6c: a misprogrammed run (of pages or of blocks) allows a TLB conflict abort and an amalgamation of its entries. */
static void cont_misprogrammed(const struct explore *x, struct model_answer *a)
{
	const struct cont_run *r = 0;

	for (int l = 0; l <= PT_LAST_LEVEL && !r; l++)
		if (x->cont[l].any && x->cont[l].bad)
			r = &x->cont[l];
	if (!r)
		return;
	if (!(a->allowed & OUTCOME_BIT(OUTCOME_TLB_CONFLICT)))
		set_conflict(a, &r->first, &r->other);
	if (a->allowed & OUTCOME_BIT(OUTCOME_OTHER))
		return;
	struct model_witness *w = &a->witness[OUTCOME_OTHER];
	a->allowed |= OUTCOME_BIT(OUTCOME_OTHER);
	w->kind = MODEL_WITNESS_CONT;
	w->nsteps = 2;
	w->step[0] = r->first;
	w->step[1] = r->other;
}

static enum model_status check_access(const struct model *m, unsigned cpu, enum model_access_kind kind,
				      const struct model_markers *markers)
{
	if (!m || !markers || (unsigned)kind >= MODEL_ACCESS_KIND_COUNT)
		return MODEL_ERR_BAD_ARG;
	if (m->status != MODEL_OK)
		return m->status;
	if (!m->attached)
		return MODEL_ERR_NOT_ATTACHED;
	return cpu < m->cfg.ncpus ? MODEL_OK : MODEL_ERR_BAD_ARG;
}

/*
 * Rule 5. AT and PRFM never fault the program and may fill caches, which
 * changes nothing here (current entries are always cacheable): they get the
 * set a read (AT S1E1W: a write) would, as what PAR_EL1 may report or which
 * translation a prefetch may use.
 */
enum model_status model_access(const struct model *m, unsigned cpu, uint64_t va, enum model_access_kind kind,
			       const struct model_markers *markers, struct model_answer *ans)
{
	struct explore x;

	if (!ans)
		return MODEL_ERR_BAD_ARG;
	ans->allowed = 0;
	ans->size_change_level = 0;
	ans->va = va;
	ans->cpu = cpu;
	ans->status = check_access(m, cpu, kind, markers);
	if (ans->status != MODEL_OK)
		return ans->status;
	/* R_XCHFJ item 2: IA out of both translated ranges; a TTBR1 VA with no TTBR1 table (as EPD1 = 1). */
	if (!pt_va_translated(va) || (pt_va_ttbr(va) && !m->root1)) {
		ans->allowed = OUTCOME_BIT(OUTCOME_FAULT_T0);
		ans->witness[OUTCOME_FAULT_T0].kind = MODEL_WITNESS_VA_RANGE;
		ans->witness[OUTCOME_FAULT_T0].nsteps = 0;
		return MODEL_OK;
	}
	explore_init(&x, m, cpu, va);
	x.kind = kind;
	x.markers = markers;
	x.ans = ans;
	explore_all(&x);
	if (x.status != MODEL_OK) {
		ans->allowed = 0;
		ans->status = x.status;
		return x.status;
	}
	outcome_set_t before = ans->allowed;
	find_conflict(&x, ans);
	size_change(&x, ans, before);
	cont_misprogrammed(&x, ans);
	return MODEL_OK;
}
