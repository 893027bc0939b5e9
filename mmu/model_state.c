/*
 * TLB model, events -> state (mmu/model.h). Arm ARM citations are to DDI 0487
 * M.a.a by section title; the R_/I_ rule identifiers are stable across issues.
 *
 * The state is what memory alone does not say:
 *  - table pages: level, VA base, freed (rule 4);
 *  - pending writes: walks may still read the value they replaced (rule 2);
 *  - pending TLBIs: issued, not yet completed by a DSB (rule 3);
 *  - stale entries: valid descriptors that may sit in a TLB or walk cache but
 *    are no longer what memory holds where the walk would read them (rule 1).
 * Current, reachable, valid descriptors are NOT stored: any of them may be
 * cached at any time (R_SQBCS), so a walk reading memory stands for them.
 */
#include "mmu/model.h"

#include "mmu/model_internal.h"
#include "mmu/pt_write.h"

static uint8_t all_cpus(const struct model *m)
{
	return (uint8_t)((1u << m->cfg.ncpus) - 1);
}

/* Keep the first error: later state is incomplete, so every later answer must carry it. */
static void fail(struct model *m, enum model_status st, uint64_t info)
{
	if (m->status == MODEL_OK) {
		m->status = st;
		m->error_info = info;
	}
}

void model_config_default(struct model_config *cfg)
{
	cfg->ncpus = 1;
	cfg->feat_bbm = 0;
	cfg->contiguous = false;
	cfg->asid = 0;
}

static void forget_dynamic(struct model *m)
{
	m->npending = 0;
	m->nstale = 0;
	m->ntlbi = 0;
	m->seq = 0;
	m->writes = 0;
}

enum model_status model_init(struct model *m, const struct model_config *cfg)
{
	if (!m)
		return MODEL_ERR_BAD_ARG;
	m->status = MODEL_OK;
	m->error_info = 0;
	m->attached = false;
	m->root = 0;
	m->root1 = 0;
	m->start_level = PT_START_LEVEL;
	m->npages = 0;
	forget_dynamic(m);
	model_config_default(&m->cfg);
	/* Rule 8: FEAT_BBM level and the contiguous bit are stored; at level 0 they change nothing yet. */
	m->config_ok = cfg && cfg->ncpus > 0 && cfg->ncpus <= MODEL_MAX_CPUS && cfg->feat_bbm <= 2;
	if (m->config_ok)
		m->cfg = *cfg;
	else
		fail(m, MODEL_ERR_BAD_ARG, 0);
	return m->status;
}

int model_page_index(const struct model *m, uint64_t pa)
{
	uint64_t base = pa & ~(PT_GRANULE_SIZE - 1);
	for (unsigned i = 0; i < m->npages; i++)
		if (m->pages[i].pa == base)
			return (int)i;
	return -1;
}

/* Rule 4: a table page's level and VA base, from TABLE_ALLOC, the attach walk, or a table descriptor. */
static struct model_page *learn_page(struct model *m, uint64_t pa, int level, uint64_t va_base)
{
	int i = model_page_index(m, pa);
	struct model_page *p;

	if (i >= 0) {
		p = &m->pages[i];
	} else {
		if (m->npages == MODEL_PAGES_MAX) {
			fail(m, MODEL_ERR_PAGES_FULL, pa);
			return 0;
		}
		p = &m->pages[m->npages++];
		p->pa = pa & ~(PT_GRANULE_SIZE - 1);
		p->freed = false;
		p->zero_cpu = 0;
		p->zero_pending = 0;
	}
	p->level = (int8_t)level;
	p->va_base = va_base;
	return p;
}

static void learn_tree(struct model *m, uint64_t table, int level, uint64_t va_base)
{
	if (!learn_page(m, table, level, va_base) || level == PT_LAST_LEVEL)
		return;
	const pt_entry_t *t = (const pt_entry_t *)(uintptr_t)table;
	for (unsigned i = 0; i < pt_level_entries(level) && m->status == MODEL_OK; i++) {
		pt_entry_t d = pt_read_desc(&t[i]);
		if (desc_type(d, level) == DESC_TABLE)
			learn_tree(m, desc_oa(d, level), level + 1, va_base + (uint64_t)i * pt_level_size(level));
	}
}

enum model_status model_attach(struct model *m, const pt_entry_t *root, int start_level)
{
	if (!m)
		return MODEL_ERR_BAD_ARG;
	if (!m->config_ok)
		return m->status; /* model_init() refused the config */
	m->status = MODEL_OK; /* a fresh start: errors of the previous observation do not apply */
	m->error_info = 0;
	m->npages = 0;
	forget_dynamic(m);
	m->attached = false;
	if (!root || ((uintptr_t)root & (PT_GRANULE_SIZE - 1)) || !pt_level_valid(start_level)) {
		fail(m, MODEL_ERR_BAD_ARG, (uint64_t)(uintptr_t)root);
		return m->status;
	}
	m->root = (uint64_t)(uintptr_t)root;
	m->root1 = 0;
	m->start_level = start_level;
	m->asids[0] = m->cfg.asid; /* the TLBs are clean: only the running ASID has run since */
	m->nasids = 1;
	learn_tree(m, m->root, start_level, 0);
	m->attached = m->status == MODEL_OK;
	return m->status;
}

enum model_status model_attach_ttbr1(struct model *m, const pt_entry_t *root1)
{
	if (!m)
		return MODEL_ERR_BAD_ARG;
	if (m->status != MODEL_OK || !m->attached)
		return m->status != MODEL_OK ? m->status : MODEL_ERR_NOT_ATTACHED;
	if (!root1 || ((uintptr_t)root1 & (PT_GRANULE_SIZE - 1)) || (uint64_t)(uintptr_t)root1 == m->root) {
		fail(m, MODEL_ERR_BAD_ARG, (uint64_t)(uintptr_t)root1);
		return m->status;
	}
	m->root1 = (uint64_t)(uintptr_t)root1;
	learn_tree(m, m->root1, m->start_level, PT_TTBR1_VA_BASE);
	return m->status;
}

static uint64_t entry_va(const struct model_page *p, uint64_t entry)
{
	uint64_t idx = (entry & (PT_GRANULE_SIZE - 1)) / sizeof(pt_entry_t);
	return p->va_base + idx * pt_level_size(p->level);
}

struct stale_origin {
	unsigned writer;      /* CPU whose write (or free) made the entry stale */
	uint32_t write_no;    /* that write; 0 for a page free */
	uint64_t visible_seq; /* 0 while the write may still be unseen by the holder's walks */
	bool refresh;         /* a write: an identical record takes the newer origin */
};

/*
 * Rule 1: record that cpu's TLB may hold desc for [va, va + size of level),
 * tagged `asid` (ignored for a global entry).
 * A write refreshes an identical record: the newer origin survives at least
 * the TLBIs the older one would (it completes later). A free changes no
 * memory, so it leaves an existing record (and any TLBI on its way) alone.
 */
static void add_stale_tagged(struct model *m, unsigned cpu, int level, uint64_t va, pt_entry_t desc, uint64_t entry,
			     const struct stale_origin *o, uint16_t asid)
{
	/* R_CHVGJ: entries from levels other than the last are non-global; leaves follow nG (R_QGKGF). */
	bool global = desc_is_leaf(desc, level) && !(desc & PTE_NG);
	uint64_t base = va & ~(pt_level_size(level) - 1);
	struct model_stale *s = 0;

	asid = global ? 0 : asid;
	for (unsigned i = 0; i < m->nstale && !s; i++) {
		struct model_stale *e = &m->stale[i];
		if (e->cpu == cpu && e->level == level && e->va_base == base && e->desc == desc && e->entry == entry &&
		    e->global == global && e->asid == asid)
			s = e;
	}
	if (s && !o->refresh)
		return;
	if (!s) {
		if (m->nstale == MODEL_STALE_MAX) {
			fail(m, MODEL_ERR_STALE_FULL, entry);
			return;
		}
		s = &m->stale[m->nstale++];
	}
	s->entry = entry;
	s->desc = desc;
	s->va_base = base;
	s->level = (int8_t)level;
	s->cpu = (uint8_t)cpu;
	s->global = global;
	s->asid = asid;
	s->writer = (uint8_t)o->writer;
	s->write_no = o->write_no;
	s->visible_seq = o->visible_seq;
	s->gone_at_isb = false;
}

/*
 * A non-global entry may have been cached under any ASID that ran since
 * attach (D8.16.3.1 "Global and process-specific translation table entries":
 * a walk tags it with the ASID current then; R_SQBCS: at any time): one record
 * per such ASID, and the running one. Conservative: an ASID that ran only
 * before the entry was written could not have cached it, but it is counted.
 */
static void add_stale(struct model *m, unsigned cpu, int level, uint64_t va, pt_entry_t desc, uint64_t entry,
		      const struct stale_origin *o)
{
	bool global = desc_is_leaf(desc, level) && !(desc & PTE_NG), running_seen = false;

	for (unsigned i = 0; i < m->nasids && !global; i++) {
		add_stale_tagged(m, cpu, level, va, desc, entry, o, m->asids[i]);
		running_seen |= m->asids[i] == m->cfg.asid;
	}
	if (global || !running_seen) /* a caller may set cfg.asid between events */
		add_stale_tagged(m, cpu, level, va, desc, entry, o, m->cfg.asid);
}

/*
 * Rule 1, orphans: every cacheable descriptor under a table that was reachable
 * may have been cached, for any VA below it, and stays cached after the link
 * to the table is overwritten until a TLBI removes it.
 */
static void snapshot_table(struct model *m, unsigned cpu, uint64_t table, const struct stale_origin *o)
{
	int i = model_page_index(m, table);
	if (i < 0) {
		fail(m, MODEL_ERR_UNKNOWN_TABLE, table);
		return;
	}
	const struct model_page *p = &m->pages[i];
	if (p->freed)
		return; /* captured when it was freed (on_free), if a walk could still reach it then */
	const pt_entry_t *t = (const pt_entry_t *)(uintptr_t)p->pa;
	for (unsigned k = 0; k < pt_level_entries(p->level) && m->status == MODEL_OK; k++) {
		pt_entry_t d = pt_read_desc(&t[k]);
		if (!model_desc_cacheable(d, p->level))
			continue;
		add_stale(m, cpu, p->level, p->va_base + (uint64_t)k * pt_level_size(p->level), d,
			  (uint64_t)(uintptr_t)&t[k], o);
		if (desc_type(d, p->level) == DESC_TABLE)
			snapshot_table(m, cpu, desc_oa(d, p->level), o);
	}
}

/* Rule 2: until a DSB completes it, walks may read the value a write replaced. */
static void add_pending(struct model *m, unsigned cpu, uint64_t entry, pt_entry_t old, uint32_t write_no)
{
	if (m->npending == MODEL_PENDING_MAX) {
		fail(m, MODEL_ERR_PENDING_FULL, entry);
		return;
	}
	struct model_pending_write *w = &m->pending[m->npending++];
	w->entry = entry;
	w->old = old;
	w->write_no = write_no;
	w->cpu = (uint8_t)cpu;
	w->done = 0;
}

/* Per CPU: if a walk could read the overwritten entry, its old value (and subtree) may be cached. */
static void capture_overwritten(struct model *m, unsigned writer, const struct model_page *p, uint64_t entry,
				pt_entry_t old)
{
	uint64_t va = entry_va(p, entry);
	struct stale_origin o = {writer, m->writes, 0, true};

	for (unsigned c = 0; c < m->cfg.ncpus && m->status == MODEL_OK; c++) {
		enum model_status st = MODEL_OK;
		bool reachable = model_page_reachable(m, c, va, p->level, p->pa, &st);
		if (st != MODEL_OK) {
			fail(m, st, entry);
			return;
		}
		if (!reachable)
			continue; /* no walk reads it: copies cached while one could were captured then */
		add_stale(m, c, p->level, va, old, entry, &o);
		if (desc_type(old, p->level) == DESC_TABLE)
			snapshot_table(m, c, desc_oa(old, p->level), &o);
	}
}

static void on_write(struct model *m, unsigned cpu, uint64_t entry, pt_entry_t old, pt_entry_t new_desc)
{
	uint32_t write_no = ++m->writes;
	int i = model_page_index(m, entry);

	if (i < 0 || (entry & (sizeof(pt_entry_t) - 1))) {
		fail(m, MODEL_ERR_UNKNOWN_TABLE, entry); /* level and VA unknown: cannot say what it translates */
		return;
	}
	if (old == new_desc)
		return; /* walks see no difference */
	const struct model_page *p = &m->pages[i];
	if (!p->freed && model_desc_cacheable(old, p->level))
		capture_overwritten(m, cpu, p, entry, old);
	if (desc_type(new_desc, p->level) == DESC_TABLE) /* rule 4: learn the linked table's place */
		learn_page(m, desc_oa(new_desc, p->level), p->level + 1,
			   entry_va(p, entry) & ~(pt_level_size(p->level) - 1));
	add_pending(m, cpu, entry, old, write_no);
}

/*
 * Rule 2: a DSB on `cpu` completes that CPU's earlier writes. dsb ishst, ish
 * and sy for walks on every CPU; dsb nsh for this CPU's walks only (D8.17.1
 * R_DDMVT steps 2 and 6; K11.5.3.1 "Ensuring the visibility of updates to
 * translation tables for a uniprocessor": the walker is a separate observer
 * that sees only completed writes).
 */
static void complete_writes(struct model *m, unsigned cpu, uint8_t observers)
{
	unsigned kept = 0;

	for (unsigned i = 0; i < m->npending; i++) {
		struct model_pending_write w = m->pending[i];
		if (w.cpu == cpu)
			w.done |= observers;
		if (w.done != all_cpus(m))
			m->pending[kept++] = w; /* order kept: the newest write to an entry is the last */
	}
	m->npending = kept;
	for (unsigned i = 0; i < m->nstale; i++) {
		struct model_stale *s = &m->stale[i];
		if (s->writer == cpu && !s->visible_seq && (observers & model_cpu_bit(s->cpu)))
			s->visible_seq = m->seq;
	}
	for (unsigned i = 0; i < m->npages; i++)
		if (m->pages[i].zero_cpu == cpu)
			m->pages[i].zero_pending &= (uint8_t)~observers;
}

struct tlbi_scope {
	bool broadcast; /* ...IS: every CPU's TLB; otherwise the issuer's only */
	bool leaf_only; /* ...L: entries from the final lookup level only */
	bool by_va;
	bool any_asid;
	bool nonglobal_only; /* ASIDE1: the ASID's non-global entries, never global ones */
};

/*
 * Rule 3 scopes, D8.17.5.4 "TLB maintenance instruction scope": VA (R_RVMSWQ):
 * non-global entries of the ASID from any level, global entries from the final
 * level; VAL: the same, final level only; VAA (R_RZSXRQ): any level, any ASID;
 * VAAL (R_RJXKNN): final level, any ASID; VMALL: everything of the regime;
 * ASIDE1 (C5.5 "A64 System instructions for TLB maintenance", TLBI ASIDE1IS):
 * every non-global entry of the ASID at any VA and level, no global entry.
 */
static bool tlbi_scope_of(enum arch_event_kind k, struct tlbi_scope *sc)
{
	sc->broadcast = k == ARCH_EV_TLBI_VALE1IS || k == ARCH_EV_TLBI_VAE1IS || k == ARCH_EV_TLBI_VAAE1IS ||
			k == ARCH_EV_TLBI_VAALE1IS || k == ARCH_EV_TLBI_VMALLE1IS;
	sc->leaf_only = k == ARCH_EV_TLBI_VALE1IS || k == ARCH_EV_TLBI_VALE1 || k == ARCH_EV_TLBI_VAALE1IS ||
			k == ARCH_EV_TLBI_VAALE1;
	sc->by_va = k != ARCH_EV_TLBI_VMALLE1IS && k != ARCH_EV_TLBI_VMALLE1;
	sc->nonglobal_only = k == ARCH_EV_TLBI_ASIDE1IS;
	sc->broadcast |= sc->nonglobal_only;
	sc->by_va &= !sc->nonglobal_only;
	sc->any_asid = k == ARCH_EV_TLBI_VAAE1IS || k == ARCH_EV_TLBI_VAAE1 || k == ARCH_EV_TLBI_VAALE1IS ||
		       k == ARCH_EV_TLBI_VAALE1 || (!sc->by_va && !sc->nonglobal_only);
	switch (k) {
	case ARCH_EV_TLBI_ASIDE1IS:
	case ARCH_EV_TLBI_VALE1IS:
	case ARCH_EV_TLBI_VAE1IS:
	case ARCH_EV_TLBI_VAAE1IS:
	case ARCH_EV_TLBI_VMALLE1IS:
	case ARCH_EV_TLBI_VMALLE1:
	case ARCH_EV_TLBI_VALE1:
	case ARCH_EV_TLBI_VAE1:
	case ARCH_EV_TLBI_VAAE1:
	case ARCH_EV_TLBI_VAALE1:
	case ARCH_EV_TLBI_VAALE1IS:
		return true;
	default:
		return false;
	}
}

static bool tlbi_hits(const struct model_tlbi *t, const struct tlbi_scope *sc, const struct model_stale *s)
{
	if (sc->leaf_only && !desc_is_leaf(s->desc, s->level))
		return false; /* the walk cache keeps table entries: vale1is is not enough for a table */
	if (sc->by_va && (t->va < s->va_base || t->va - s->va_base >= pt_level_size(s->level)))
		return false;
	if (sc->nonglobal_only && s->global)
		return false;
	return sc->any_asid || s->global || s->asid == t->asid;
}

/* The running ASID changes (TTBR0_EL1 write; the ISB after it is its own event). */
static void on_asid_switch(struct model *m, uint64_t asid)
{
	if (asid > 0xffff) {
		fail(m, MODEL_ERR_BAD_ARG, asid);
		return;
	}
	m->cfg.asid = (uint16_t)asid;
	for (unsigned i = 0; i < m->nasids; i++)
		if (m->asids[i] == asid)
			return;
	if (m->nasids == MODEL_ASIDS_MAX) {
		fail(m, MODEL_ERR_ASIDS_FULL, asid);
		return;
	}
	m->asids[m->nasids++] = (uint16_t)asid;
}

static void on_tlbi(struct model *m, unsigned cpu, enum arch_event_kind k, uint64_t va, uint64_t asid)
{
	if (m->ntlbi == MODEL_TLBI_MAX) {
		fail(m, MODEL_ERR_TLBI_FULL, (uint64_t)k);
		return;
	}
	struct model_tlbi *t = &m->tlbi[m->ntlbi++];
	t->va = va;
	t->seq = m->seq;
	t->asid = (uint16_t)asid;
	t->kind = (uint8_t)k;
	t->cpu = (uint8_t)cpu;
}

/*
 * A completed TLBI removes the stale entries it covers, with two limits:
 *  - K11.5.3.1: invalidation "can only rely on seeing updates to memory that
 *    are complete": an entry whose overwriting write was not complete (for
 *    that TLB's walks) when the TLBI was issued may be re-fetched after the
 *    TLBI acted, so it survives;
 *  - D8.17.8 R_BLDZX: for the issuing PE's own TLB the TLBI is only
 *    guaranteed complete after the DSB and a Context synchronization event
 *    (no FEAT_ETS2 assumed): its entries go at that CPU's next ISB.
 * Other CPUs' entries go at the DSB (R_YNJCP).
 */
static void apply_tlbi(struct model *m, const struct model_tlbi *t, const struct tlbi_scope *sc)
{
	unsigned kept = 0;

	for (unsigned i = 0; i < m->nstale; i++) {
		struct model_stale s = m->stale[i];
		bool target = sc->broadcast || s.cpu == t->cpu;
		bool hit = target && s.visible_seq && s.visible_seq < t->seq && tlbi_hits(t, sc, &s);
		if (hit && s.cpu == t->cpu)
			s.gone_at_isb = true;
		else if (hit)
			continue;
		m->stale[kept++] = s;
	}
	m->nstale = kept;
}

/*
 * Rule 3, D8.17.8 R_PSMWS: completing TLB maintenance needs a DSB that applies
 * to loads and stores: dsb ish or sy for broadcast forms, also dsb nsh for
 * local forms; dsb ishst completes none (what Linux relies on with dsb ish).
 */
static void complete_tlbis(struct model *m, unsigned cpu, enum arch_event_kind dsb)
{
	unsigned kept = 0;

	for (unsigned i = 0; i < m->ntlbi; i++) {
		struct model_tlbi t = m->tlbi[i];
		struct tlbi_scope sc;
		(void)tlbi_scope_of((enum arch_event_kind)t.kind, &sc);
		bool done = t.cpu == cpu && dsb != ARCH_EV_DSB_ISHST && (dsb != ARCH_EV_DSB_NSH || !sc.broadcast);
		if (done)
			apply_tlbi(m, &t, &sc);
		else
			m->tlbi[kept++] = t;
	}
	m->ntlbi = kept;
}

static void on_dsb(struct model *m, unsigned cpu, enum arch_event_kind dsb)
{
	complete_writes(m, cpu, dsb == ARCH_EV_DSB_NSH ? model_cpu_bit(cpu) : all_cpus(m));
	complete_tlbis(m, cpu, dsb);
}

/* The Context synchronization event R_BLDZX asks for on the issuing CPU. */
static void on_isb(struct model *m, unsigned cpu)
{
	unsigned kept = 0;

	for (unsigned i = 0; i < m->nstale; i++)
		if (!(m->stale[i].gone_at_isb && m->stale[i].cpu == cpu))
			m->stale[kept++] = m->stale[i];
	m->nstale = kept;
}

/*
 * Rule 4: a (re-)allocated page is zeroed with plain stores: until this CPU's
 * next DSB, walks may still see its previous contents (rule 2), so reading it
 * may yield poison. Writes pending on its entries are superseded.
 */
static void on_alloc(struct model *m, unsigned cpu, uint64_t page, uint64_t level, uint64_t va_base)
{
	if (level > PT_LAST_LEVEL || !pt_level_valid((int)level)) {
		fail(m, MODEL_ERR_BAD_ARG, page);
		return;
	}
	struct model_page *p = learn_page(m, page, (int)level, va_base);
	if (!p)
		return;
	p->freed = false;
	p->zero_cpu = (uint8_t)cpu;
	p->zero_pending = all_cpus(m);
	unsigned kept = 0;
	for (unsigned i = 0; i < m->npending; i++)
		if ((m->pending[i].entry & ~(PT_GRANULE_SIZE - 1)) != p->pa)
			m->pending[kept++] = m->pending[i];
	m->npending = kept;
}

/*
 * Rule 4: a freed page reads as poison. Its entries may have been cached while
 * a walk could reach it: capture them now, while the page still holds them.
 */
static void on_free(struct model *m, unsigned cpu, uint64_t page)
{
	int i = model_page_index(m, page);
	if (i < 0) {
		fail(m, MODEL_ERR_UNKNOWN_TABLE, page);
		return;
	}
	struct model_page *p = &m->pages[i];
	if (p->freed)
		return;
	struct stale_origin o = {cpu, 0, m->seq, false};
	for (unsigned c = 0; c < m->cfg.ncpus && m->status == MODEL_OK; c++) {
		enum model_status st = MODEL_OK;
		if (model_page_reachable(m, c, p->va_base, p->level, p->pa, &st))
			snapshot_table(m, c, p->pa, &o);
		if (st != MODEL_OK)
			fail(m, st, page);
	}
	p->freed = true;
}

enum model_status model_on_event(struct model *m, unsigned cpu, enum arch_event_kind kind, uint64_t a, uint64_t b,
				 uint64_t c)
{
	struct tlbi_scope sc;

	if (!m)
		return MODEL_ERR_BAD_ARG;
	if (m->status == MODEL_OK && !m->attached)
		fail(m, MODEL_ERR_NOT_ATTACHED, (uint64_t)kind);
	if (m->status == MODEL_OK && cpu >= m->cfg.ncpus)
		fail(m, MODEL_ERR_BAD_ARG, cpu);
	if (m->status != MODEL_OK)
		return m->status;
	m->seq++;
	switch (kind) {
	case ARCH_EV_WRITE:
		on_write(m, cpu, a, b, c);
		break;
	case ARCH_EV_DSB_ISHST:
	case ARCH_EV_DSB_ISH:
	case ARCH_EV_DSB_SY:
	case ARCH_EV_DSB_NSH:
		on_dsb(m, cpu, kind);
		break;
	case ARCH_EV_ISB:
		on_isb(m, cpu);
		break;
	case ARCH_EV_TABLE_ALLOC:
		on_alloc(m, cpu, a, b, c);
		break;
	case ARCH_EV_TABLE_FREE:
		on_free(m, cpu, a);
		break;
	case ARCH_EV_ASID_SWITCH:
		on_asid_switch(m, a);
		break;
	default:
		if (tlbi_scope_of(kind, &sc))
			on_tlbi(m, cpu, kind, a, b);
		else
			fail(m, MODEL_ERR_BAD_ARG, (uint64_t)kind); /* an event the model does not know may matter */
		break;
	}
	return m->status;
}
