/*
 * map_range()/unmap_range() and the BBM primitives, mirroring Linux
 * lib/ioremap.c ioremap_page_range() with CONFIG_HAVE_ARCH_HUGE_VMAP, and
 * mm/vmalloc.c vunmap_range(). The 2018 fix is mirrored from
 * arch/arm64/mm/mmu.c pmd_free_pte_page()/pud_free_pmd_page().
 *
 * Safe with the MMU off: no libc, no printing, no large aggregate copies.
 */
#include "boot/hot_data.h"
#include "mmu/pt.h"

#include "lib/enum_names.h"

#include "mmu/geometry.h"
#include "mmu/pool.h"
#include "mmu/pt_write.h"
#include "mmu/pt_va.h"
#include "mmu/tlb.h"
#include "mmu/walk.h"

static const char *const status_names[PT_STATUS_COUNT] = {
	[PT_OK] = "ok",
	[PT_ERR_NOMEM] = "out of table pages",
	[PT_ERR_MISALIGNED] = "misaligned VA or PA",
	[PT_ERR_BAD_SIZE] = "size is zero or not a multiple of the granule",
	[PT_ERR_VA_RANGE] = "VA out of range",
	[PT_ERR_OVERLAP] = "overlaps an existing mapping",
	[PT_ERR_LIVE_CHANGE] = "live change refused (needs break-before-make)",
	[PT_ERR_PARTIAL_BLOCK] = "range covers part of a block",
	[PT_ERR_INVALID_ARG] = "invalid argument",
	[PT_ERR_UNAVAILABLE] = "unavailable here",
};

const char *pt_strerror(enum pt_status st)
{
	return ENUM_NAME(status_names, st, "unknown status");
}

static const char *const policy_names[PT_POLICY_COUNT] = {
	[PT_POLICY_LINUX_4_14] = "linux-4.14",
	[PT_POLICY_LINUX_FIXED] = "linux-fixed",
	[PT_POLICY_REFUSE_LIVE] = "refuse-live",
};

const char *pt_policy_name(enum pt_policy p)
{
	return ENUM_NAME(policy_names, p, "?");
}

static const char *const tlbi_scope_names[PT_TLBI_SCOPE_COUNT] = {
	[PT_TLBI_NONE] = "none",
	[PT_TLBI_LEAF] = "leaf",
	[PT_TLBI_ALL_LEVELS] = "all-levels",
	[PT_TLBI_ALL] = "all",
};

const char *pt_tlbi_scope_name(enum pt_tlbi_scope s)
{
	return ENUM_NAME(tlbi_scope_names, s, "?");
}

static pt_entry_t *table_ptr(pt_entry_t d, int level)
{
	return (pt_entry_t *)(uintptr_t)desc_oa(d, level);
}

/* End of the entry at `level` that holds va, clipped to end. */
static uint64_t slot_end(uint64_t va, int level, uint64_t end)
{
	uint64_t next = (va | (pt_level_size(level) - 1)) + 1;
	return next < end ? next : end;
}

static enum pt_status check_range(const struct pt_space *s, uint64_t va, uint64_t size)
{
	if (!s || !s->root)
		return PT_ERR_INVALID_ARG;
	if (size == 0 || !pt_is_aligned(size, PT_GRANULE_SIZE))
		return PT_ERR_BAD_SIZE;
	if (!pt_is_aligned(va, PT_GRANULE_SIZE))
		return PT_ERR_MISALIGNED;
	if (!pt_space_holds(s, va, size) || va + size == 0) /* up to 2^64 exactly: the loops' end would wrap */
		return PT_ERR_VA_RANGE;
	return PT_OK;
}

static enum pt_status space_init(struct pt_space *s, uint64_t va_base)
{
	if (!s)
		return PT_ERR_INVALID_ARG;
	s->start_level = PT_START_LEVEL;
	s->va_base = va_base;
	s->va_limit = PT_VA_LIMIT;
	s->root = pt_pool_alloc(s, PT_START_LEVEL, va_base, 0);
	return s->root ? PT_OK : PT_ERR_NOMEM;
}

enum pt_status pt_space_init(struct pt_space *s)
{
	return space_init(s, 0);
}

enum pt_status pt_space_init_ttbr1(struct pt_space *s)
{
	return space_init(s, PT_TTBR1_VA_BASE);
}

/*
 * Free a table and every table below it, top-down. Reads a table's entries
 * after freeing it: the pool leaves contents alone until the next alloc.
 */
static void free_subtree(pt_entry_t *table, int level)
{
	pt_pool_free(table);
	if (level == PT_LAST_LEVEL)
		return;
	for (unsigned i = 0; i < pt_level_entries(level); i++) {
		pt_entry_t d = pt_read_desc(&table[i]);
		if (desc_type(d, level) == DESC_TABLE)
			free_subtree(table_ptr(d, level), level + 1);
	}
}

void pt_space_teardown(struct pt_space *s)
{
	if (!s || !s->root)
		return;
	free_subtree(s->root, s->start_level);
	s->root = 0;
}

void pt_tlbi_scope_va(enum pt_tlbi_scope scope, uint64_t va)
{
	pt_tlbi_scope_inline(scope, va);
}

/* ---- Linux 2018 fix: arch/arm64/mm/mmu.c ---- */

HOT_TEXT void pt_linux_pmd_free_pte_page(pt_entry_t *pmdp, uint64_t addr)
{
	pt_entry_t pmd = pt_read_desc(pmdp);

	/* !pmd_present(): nothing to free; a block: Linux VM_WARN_ON(!pmd_table(pmd)) and go on. One test (TCG). */
	if ((pmd & PTE_TYPE_MASK) != PTE_TYPE_TABLE)
		return;
	pt_entry_t *table = table_ptr(pmd, 2); /* pte_offset_kernel(pmdp, addr) */
	pt_write_desc(pmdp, 0);                /* pmd_clear() */
	tlbi_all_levels_va(addr);              /* __flush_tlb_kernel_pgtable(addr) */
	pt_pool_free(table);                   /* pte_free_kernel() */
}

void pt_linux_pud_free_pmd_page(pt_entry_t *pudp, uint64_t addr)
{
	pt_entry_t pud = pt_read_desc(pudp);

	if (!desc_is_valid(pud))
		return;
	if (desc_type(pud, 1) != DESC_TABLE)
		return;
	pt_entry_t *table = table_ptr(pud, 1);
	uint64_t next = addr;
	for (unsigned i = 0; i < PT_ENTRIES; i++, next += pt_level_size(2))
		pt_linux_pmd_free_pte_page(&table[i], next);
	pt_write_desc(pudp, 0);   /* pud_clear() */
	tlbi_all_levels_va(addr); /* __flush_tlb_kernel_pgtable(addr) */
	pt_pool_free(table);      /* pmd_free() */
}

static bool single_leaf_range(uint64_t va, uint64_t pa, uint64_t size)
{
	return pt_single_leaf_level(va, pa, size) >= 0;
}

/* ---- map ---- */

struct map_ctx {
	struct pt_space *s;
	pt_attrs_t attrs;
	enum pt_policy policy;
	bool dry;      /* check only: no write, no alloc; count tables needed */
	unsigned need; /* tables the real run will allocate */
};

static enum pt_status map_level(struct map_ctx *c, pt_entry_t *table, int level, uint64_t va, uint64_t end,
				uint64_t pa);

/* Linux ioremap_pmd_range(): a block only if it covers the whole entry and the PA is aligned. */
static bool leaf_fits(int level, uint64_t va, uint64_t next, uint64_t pa)
{
	if (level == PT_LAST_LEVEL)
		return true;
	if (!pt_level_allows_block(level))
		return false;
	return next - va == pt_level_size(level) && pt_is_aligned(pa, pt_level_size(level));
}

static enum pt_status place_leaf(struct map_ctx *c, pt_entry_t *ptep, int level, uint64_t va, uint64_t pa)
{
	if (!c->dry && !ptep)
		return PT_ERR_INVALID_ARG; /* cannot happen: the real pass only walks real tables */
	pt_entry_t new_desc = desc_leaf(level, pa, c->attrs);
	bool free_old;
	enum pt_status st = pt_leaf_decision(ptep ? pt_read_desc(ptep) : 0, new_desc, level, c->policy, &free_old);
	if (st != PT_OK || c->dry)
		return st;
	if (free_old)
		pt_free_table_for_block(ptep, level, va);
	pt_write_desc(ptep, new_desc);
	return PT_OK;
}

static enum pt_status descend(struct map_ctx *c, pt_entry_t *ptep, int level, uint64_t va, uint64_t next,
			      uint64_t pa)
{
	if (!c->dry && !ptep)
		return PT_ERR_INVALID_ARG; /* cannot happen: the real pass only walks real tables */
	pt_entry_t old = ptep ? pt_read_desc(ptep) : 0;
	pt_entry_t *child = 0;

	switch (desc_type(old, level)) {
	case DESC_INVALID:
		if (c->dry) {
			c->need++; /* and walk an imaginary empty table */
			break;
		}
		child = pt_link_new_table(c->s, ptep, level, va);
		if (!child)
			return PT_ERR_NOMEM;
		break;
	case DESC_TABLE:
		child = table_ptr(old, level);
		break;
	case DESC_BLOCK: /* a smaller mapping inside a live block: needs a split first */
	case DESC_PAGE:
	case DESC_RESERVED:
		return PT_ERR_OVERLAP;
	}
	return map_level(c, child, level + 1, va, next, pa);
}

static enum pt_status map_level(struct map_ctx *c, pt_entry_t *table, int level, uint64_t va, uint64_t end,
				uint64_t pa)
{
	while (va < end) {
		uint64_t next = slot_end(va, level, end);
		pt_entry_t *ptep = table ? &table[pt_va_index(va, level)] : 0;
		enum pt_status st;

		if (leaf_fits(level, va, next, pa))
			st = place_leaf(c, ptep, level, va, pa);
		else
			st = descend(c, ptep, level, va, next, pa);
		if (st != PT_OK)
			return st;
		pa += next - va;
		va = next;
	}
	return PT_OK;
}

/* map_range()'s argument checks, in its order (the prepared path must fail the same way). */
static enum pt_status check_map_args(const struct pt_space *s, uint64_t va, uint64_t pa, uint64_t size,
				     pt_attrs_t attrs, enum pt_policy policy)
{
	enum pt_status st = check_range(s, va, size);
	if (st != PT_OK)
		return st;
	if (!pt_is_aligned(pa, PT_GRANULE_SIZE))
		return PT_ERR_MISALIGNED;
	if (pa > PTE_ADDR_MASK || size - 1 > PTE_ADDR_MASK - pa)
		return PT_ERR_INVALID_ARG; /* beyond a 48-bit OA */
	/* Attribute bits only; no contiguous hint (runs of 16 are not managed here). */
	if ((attrs & ~PTE_ATTR_MASK) || (attrs & PTE_CONT) || (unsigned)policy >= PT_POLICY_COUNT)
		return PT_ERR_INVALID_ARG;
	return PT_OK;
}

enum pt_status map_range(struct pt_space *s, uint64_t va, uint64_t pa, uint64_t size, pt_attrs_t attrs,
			 enum pt_policy policy)
{
	enum pt_status st = check_map_args(s, va, pa, size, attrs, policy);
	if (st != PT_OK)
		return st;

	struct map_ctx c;
	c.s = s;
	c.attrs = attrs;
	c.policy = policy;
	c.need = 0;
	/*
	 * All-or-nothing needs a dry pass first, except for one aligned leaf with
	 * pages to spare for every table it could need: then each error shows on the
	 * way down before the first write, and below a table allocated on the way
	 * the leaf's slot is empty. That is ioremap's common case and the scenarios'.
	 */
	bool one_pass = single_leaf_range(va, pa, size) &&
			pt_pool_available() >= (unsigned)(PT_LAST_LEVEL - s->start_level);
	if (!one_pass) {
		c.dry = true;
		st = map_level(&c, s->root, s->start_level, va, va + size, pa);
		if (st != PT_OK)
			return st;
		/* Tables linux-fixed would free on the way are not credited: the check is conservative. */
		if (!pt_pool_check_available(c.need))
			return PT_ERR_NOMEM;
	}
	c.dry = false;
	st = map_level(&c, s->root, s->start_level, va, va + size, pa);
	if (st != PT_OK)
		return st; /* nothing was written (see above) */
	dsb_ishst(); /* Linux set_pte()/set_pmd() on kernel mappings */
	isb();
	return PT_OK;
}

/* ---- unmap ---- */

struct unmap_ctx {
	enum pt_tlbi_scope scope;
	bool dry;
};

static enum pt_status unmap_level(struct unmap_ctx *c, pt_entry_t *table, int level, uint64_t va, uint64_t end)
{
	while (va < end) {
		uint64_t next = slot_end(va, level, end);
		pt_entry_t *ptep = &table[pt_va_index(va, level)];
		pt_entry_t old = pt_read_desc(ptep);
		enum pt_status st;

		switch (desc_type(old, level)) {
		case DESC_INVALID:
		case DESC_RESERVED: /* faults like invalid; nothing cached to remove */
			break;
		case DESC_TABLE:
			st = unmap_level(c, table_ptr(old, level), level + 1, va, next);
			if (st != PT_OK)
				return st;
			break;
		case DESC_BLOCK:
		case DESC_PAGE:
			if (next - va != pt_level_size(level))
				return PT_ERR_PARTIAL_BLOCK;
			if (!c->dry) {
				pt_write_desc(ptep, 0); /* pte_clear() / pmd_clear_huge() */
				pt_tlbi_scope_inline(c->scope, va);
			}
			break;
		}
		va = next;
	}
	return PT_OK;
}

enum pt_status unmap_range(struct pt_space *s, uint64_t va, uint64_t size, enum pt_tlbi_scope scope)
{
	enum pt_status st = check_range(s, va, size);
	if (st != PT_OK)
		return st;
	if ((unsigned)scope >= PT_TLBI_SCOPE_COUNT)
		return PT_ERR_INVALID_ARG;
	struct unmap_ctx c;
	c.scope = scope;
	/* One aligned leaf: a block cutting through it contains it and is found before any write. */
	if (!single_leaf_range(va, va, size)) {
		c.dry = true;
		st = unmap_level(&c, s->root, s->start_level, va, va + size);
		if (st != PT_OK)
			return st;
	}
	c.dry = false;
	return unmap_level(&c, s->root, s->start_level, va, va + size);
}

/* ---- prepared VA (mmu/pt_va.h): the walk done once, revalidated per call ---- */

/* What a handle points to until pt_va_prepare() succeeds: no root, so every call takes the full path and fails. */
static struct pt_space unprepared;

enum pt_status pt_va_prepare(struct pt_va *h, struct pt_space *s, uint64_t va)
{
	if (!h)
		return PT_ERR_INVALID_ARG;
	/* Unusable until the walk succeeds: a root that differs from the space's sends the inline paths out of line. */
	h->s = &unprepared;
	h->path.root = &pt_path_placeholder;
	h->path.va = 0;
	h->path.stop = PT_LAST_LEVEL;
	pt_path_set_stop(&h->path, PT_START_LEVEL - 1);
	if (!s || !s->root)
		return PT_ERR_INVALID_ARG;
	if (!pt_is_aligned(va, PT_GRANULE_SIZE))
		return PT_ERR_MISALIGNED;
	if (pt_descend(s, va, PT_LAST_LEVEL, &h->path) < 0)
		return PT_ERR_VA_RANGE;
	h->s = s;
	return PT_OK;
}

/* The kept path, up to date; NULL if it cannot be used (no root, or on the host a table outside the pool). */
static struct pt_path *fresh_path(struct pt_va *h)
{
	if (pt_path_refresh(h->s, &h->path) < 0 || pt_path_external(&h->path))
		return 0;
	return &h->path;
}

pt_entry_t *pt_va_entry(struct pt_va *h, int level)
{
	const struct pt_path *p = h ? fresh_path(h) : 0;
	if (!p || !pt_level_valid(level) || p->level < level)
		return 0;
	return p->entry[level];
}

enum pt_status pt_va_map_full(struct pt_va *h, uint64_t pa, uint64_t size, pt_attrs_t attrs, enum pt_policy policy)
{
	if (!h)
		return PT_ERR_INVALID_ARG;
	int level = pt_leaf_level_of_size(size);
	if (pt_va_map_args_bad(h->s, h->path.va, pa, size, attrs, policy, level))
		level = -1;
	struct pt_path *p = level < 0 ? 0 : fresh_path(h);
	if (!p) /* an error, a range, or a path it cannot use: the plain path says which */
		return map_range(h->s, h->path.va, pa, size, attrs, policy);
	/*
	 * map_range()'s one-leaf pass on the path: tables linked top-down, then the
	 * leaf. Below a table linked here the leaf's slot is empty, so every error
	 * shows before the first write.
	 */
	int top = p->level;
	if (top < level) {
		if (desc_type(p->desc[top], top) != DESC_INVALID)
			return PT_ERR_OVERLAP; /* a smaller mapping inside a live block */
		/* One table: its allocation fails before any write, counted as map_range()'s check would. */
		if (level - top > 1 && !pt_pool_check_available((unsigned)(level - top)))
			return PT_ERR_NOMEM;
		for (int l = top; l < level; l++)
			if (!pt_va_link_table(h->s, p, l))
				return PT_ERR_NOMEM; /* cannot happen: checked above */
	}
	return pt_va_place_leaf(p, level, pt_va_leaf_desc(level, pa, attrs), policy);
}

enum pt_status pt_va_unmap_full(struct pt_va *h, uint64_t size, enum pt_tlbi_scope scope)
{
	if (!h)
		return PT_ERR_INVALID_ARG;
	uint64_t va = h->path.va;
	int level = pt_leaf_level_of_size(size);
	if (pt_va_unmap_args_bad(h->s, va, size, scope, level))
		level = -1;
	struct pt_path *p = level < 0 ? 0 : fresh_path(h);
	if (!p) /* an error, a range, or a path it cannot use: the plain path says which */
		return unmap_range(h->s, va, size, scope);
	if (p->level < level) /* the walk ends above: a hole, or a block the range cuts */
		return desc_is_leaf(p->desc[p->level], p->level) ? PT_ERR_PARTIAL_BLOCK : PT_OK;
	switch (desc_type(p->desc[level], level)) {
	case DESC_INVALID:
	case DESC_RESERVED:
		return PT_OK;
	case DESC_TABLE: /* every leaf under it, each with its TLBI: the plain path's range walk */
		return unmap_range(h->s, va, size, scope);
	case DESC_BLOCK:
	case DESC_PAGE:
		break;
	}
	pt_write_desc(p->entry[level], 0); /* pte_clear() / pmd_clear_huge() */
	pt_tlbi_scope_inline(scope, va);
	p->desc[level] = 0;
	pt_path_set_stop(p, level);
	return PT_OK;
}

/* ---- correct BBM primitives ---- */

/* Level and VA of an entry in a live pool table. */
static bool entry_where(const pt_entry_t *ptep, int *level, uint64_t *va)
{
	const struct pt_page_meta *m = pt_pool_meta(ptep);
	if (!m || m->state != PT_PAGE_LIVE || ((uintptr_t)ptep & 7) || !pt_level_valid(m->level))
		return false;
	unsigned idx = (unsigned)(((uintptr_t)ptep & (PT_GRANULE_SIZE - 1)) / sizeof(pt_entry_t));
	*level = m->level;
	*va = m->va_base + (uint64_t)idx * pt_level_size(m->level);
	return true;
}

enum pt_status pt_replace_bbm(const struct pt_space *s, pt_entry_t *ptep, pt_entry_t new_desc)
{
	int level;
	uint64_t va;

	if (!s || !ptep || !entry_where(ptep, &level, &va))
		return PT_ERR_INVALID_ARG;
	pt_entry_t old = pt_read_desc(ptep);
	enum desc_type t = desc_type(old, level);

	if (desc_is_valid(old)) {
		pt_write_desc(ptep, 0); /* break */
		/* A page is one TLB entry; a block may be held fractured, a table has children: all. */
		if (t == DESC_PAGE)
			tlbi_all_levels_va(va);
		else
			tlbi_all();
		if (t == DESC_TABLE)
			free_subtree(table_ptr(old, level), level + 1);
	}
	if (desc_type(new_desc, level) == DESC_TABLE)
		pt_pool_set_parent(table_ptr(new_desc, level), ptep);
	pt_write_desc(ptep, new_desc); /* make */
	dsb_ishst();
	isb();
	return PT_OK;
}

enum pt_status pt_split_block(const struct pt_space *s, pt_entry_t *ptep, bool with_bbm)
{
	int level;
	uint64_t va;

	if (!s || !ptep || !entry_where(ptep, &level, &va))
		return PT_ERR_INVALID_ARG;
	pt_entry_t old = pt_read_desc(ptep);
	if (desc_type(old, level) != DESC_BLOCK)
		return PT_ERR_INVALID_ARG;
	pt_entry_t *child = pt_pool_alloc(s, level + 1, va, ptep);
	if (!child)
		return PT_ERR_NOMEM;
	uint64_t oa = desc_oa(old, level), sub = pt_level_size(level + 1);
	pt_attrs_t attrs = desc_attrs(old);
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		pt_write_desc(&child[i], desc_leaf(level + 1, oa + i * sub, attrs));
	dsb_ishst(); /* new table complete before it is linked */
	pt_entry_t table = desc_table((uint64_t)(uintptr_t)child);
	if (with_bbm)
		return pt_replace_bbm(s, ptep, table);
	pt_write_desc(ptep, table); /* block -> table while live: no BBM */
	dsb_ishst();
	isb();
	return PT_OK;
}
