/*
 * The one VA descent (pt_descend() and its users), software translation
 * (Arm ARM D8.2) and AT S1E1R decoding. Safe with the MMU off: no libc.
 */
#include "mmu/walk.h"

#include "boot/hot_data.h"
#include "lib/enum_names.h"

#include "mmu/geometry.h"
#include "mmu/pool.h"
#include "mmu/pt_write.h"

static const char *const fault_names[PT_FAULT_EXTERNAL + 1] = {
	[PT_FAULT_NONE] = "none",
	[PT_FAULT_TRANSLATION] = "translation",
	[PT_FAULT_ACCESS_FLAG] = "access flag",
	[PT_FAULT_EXTERNAL] = "external abort on walk",
};

const char *pt_fault_name(enum pt_fault_kind f)
{
	return ENUM_NAME(fault_names, f, "?");
}

/* ---- the one VA descent ---- */

HOT_DATA pt_entry_t pt_path_placeholder; /* read by every revalidation of a stopped path */

/* End the walk at `level`; entries past it (and at it, if its table cannot be read) are the placeholder. */
static int stop_at(struct pt_path *p, int level, bool external)
{
	pt_path_set_stop(p, level);
	if (external) {
		p->external = true;
		p->entry[level] = &pt_path_placeholder;
		p->desc[level] = 0;
	}
	return level;
}

/* Continue p's walk at `level`, whose entry p->entry[level] holds d. */
static int descend_from(struct pt_path *p, int level, pt_entry_t d)
{
	for (;;) {
		p->desc[level] = d;
		if (level >= p->stop || desc_type(d, level) != DESC_TABLE)
			return stop_at(p, level, false);
		pt_entry_t *table = (pt_entry_t *)(uintptr_t)desc_oa(d, level);
		level++;
#ifdef BBMPROBE_HOST
		if (!pt_pool_contains(table)) /* cannot dereference an arbitrary "PA" on the host */
			return stop_at(p, level, true);
#endif
		p->entry[level] = &table[pt_va_index(p->va, level)];
		d = pt_read_desc(p->entry[level]);
	}
}

int pt_descend(const struct pt_space *s, uint64_t va, int stop, struct pt_path *p)
{
	if (!s || !s->root || !pt_space_holds(s, va, 0) || stop < s->start_level || stop > PT_LAST_LEVEL)
		return -1;
	int level = s->start_level;
	p->root = s->root;
	p->va = va;
	p->stop = stop;
	p->external = false; /* set again where the walk stops; the start level is a run-time value */
	for (int l = 0; l < level; l++) { /* above the start level (none for 4K/48-bit): nothing to read */
		p->entry[l] = &pt_path_placeholder;
		p->desc[l] = 0;
	}
#ifdef BBMPROBE_HOST
	if (!pt_pool_contains(s->root))
		return stop_at(p, level, true);
#endif
	p->entry[level] = &s->root[pt_va_index(va, level)];
	return descend_from(p, level, pt_read_desc(p->entry[level]));
}

int pt_path_revalidate(const struct pt_space *s, struct pt_path *p)
{
	if (!s || s->root != p->root)
		return pt_descend(s, p->va, p->stop, p);
	/* An external stop has no entry to re-read at p->level; the ones above still decide. */
	int last = p->external ? p->level - 1 : p->level;
	for (int level = s->start_level; level <= last; level++) {
		pt_entry_t d = pt_read_desc(p->entry[level]);
		if (d != p->desc[level])
			return descend_from(p, level, d); /* everything above is unchanged: entry[level] is right */
	}
	return p->level;
}

pt_entry_t *pt_entry_at(const struct pt_space *s, uint64_t va, int level)
{
	struct pt_path p;

	p.external = false; /* the analyzer cannot see that a valid level is never pt_descend()'s -1 */
	if (!pt_level_valid(level) || pt_descend(s, va, level, &p) != level || p.external)
		return 0;
	return p.entry[level];
}

pt_entry_t *pt_find_entry(const struct pt_space *s, uint64_t va, int *level)
{
	struct pt_path p;

	if (pt_descend(s, va, PT_LAST_LEVEL, &p) < 0 || p.external)
		return 0;
	if (level)
		*level = p.level;
	return p.entry[p.level];
}

/* ---- software translation ---- */

static void set_fault(struct pt_translation *out, enum pt_fault_kind f, int level, pt_entry_t d)
{
	out->ok = false;
	out->fault = f;
	out->level = level;
	out->desc = d;
}

enum pt_status pt_translate(const struct pt_space *s, uint64_t va, struct pt_translation *out)
{
	struct pt_path p;

	if (!s || !s->root || !out)
		return PT_ERR_INVALID_ARG;
	out->pa = 0;
	out->size = 0;
	out->attrs = 0;
	if (pt_descend(s, va, PT_LAST_LEVEL, &p) < 0) { /* VA outside the TTBR0 range: level 0 fault */
		set_fault(out, PT_FAULT_TRANSLATION, s->start_level, 0);
		return PT_OK;
	}
	int level = p.level;
	pt_entry_t d = p.desc[level];
	if (p.external) {
		set_fault(out, PT_FAULT_EXTERNAL, level, 0);
		return PT_OK;
	}
	enum desc_type t = desc_type(d, level);
	if (t != DESC_BLOCK && t != DESC_PAGE) { /* invalid or reserved (a table cannot end a full walk) */
		set_fault(out, PT_FAULT_TRANSLATION, level, d);
		return PT_OK;
	}
	out->size = pt_level_size(level);
	out->pa = desc_oa(d, level) | (va & (out->size - 1));
	out->attrs = desc_attrs(d);
	out->level = level;
	out->desc = d;
	if (!(d & PTE_AF)) {
		set_fault(out, PT_FAULT_ACCESS_FLAG, level, d);
		return PT_OK;
	}
	out->ok = true;
	out->fault = PT_FAULT_NONE;
	return PT_OK;
}

void pt_par_decode(uint64_t par, uint64_t va, struct pt_par *out)
{
	out->available = true;
	out->raw = par;
	out->fault = par & 1;
	out->pa = 0;
	out->fst = 0;
	out->ptw = false;
	out->attr = 0;
	out->sh = 0;
	if (out->fault) {
		out->fst = (unsigned)((par >> 1) & 0x3f);
		out->ptw = (par >> 8) & 1;
	} else {
		out->pa = (par & PTE_ADDR_MASK) | (va & (PT_GRANULE_SIZE - 1));
		out->sh = (unsigned)((par >> 7) & 3);
		out->attr = (unsigned)(par >> 56);
	}
}

enum pt_status pt_hw_translate(uint64_t va, struct pt_par *out)
{
#ifdef BBMPROBE_HOST
	(void)va;
	out->available = false;
	out->fault = false;
	out->raw = 0;
	out->pa = 0;
	return PT_ERR_UNAVAILABLE;
#else
	uint64_t par;
	/* AT does not fault and (for a check) does not need a TLB fill by a real access. */
	__asm__ volatile("at s1e1r, %1\n\tisb\n\tmrs %0, par_el1" : "=r"(par) : "r"(va) : "memory");
	pt_par_decode(par, va, out);
	return PT_OK;
#endif
}
