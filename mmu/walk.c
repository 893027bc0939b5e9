/* Software translation table walk (Arm ARM D8.2) and AT S1E1R decoding. */
#include "mmu/walk.h"

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

static void set_fault(struct pt_translation *out, enum pt_fault_kind f, int level, pt_entry_t d)
{
	out->ok = false;
	out->fault = f;
	out->level = level;
	out->desc = d;
}

enum pt_status pt_translate(const struct pt_space *s, uint64_t va, struct pt_translation *out)
{
	if (!s || !s->root || !out)
		return PT_ERR_INVALID_ARG;
	out->pa = 0;
	out->size = 0;
	out->attrs = 0;
	if (va >= s->va_limit) {
		set_fault(out, PT_FAULT_TRANSLATION, s->start_level, 0);
		return PT_OK;
	}
	const pt_entry_t *table = s->root;
	for (int level = s->start_level; level <= PT_LAST_LEVEL; level++) {
#ifdef BBMPROBE_HOST
		if (!pt_pool_contains(table)) { /* cannot dereference an arbitrary "PA" on the host */
			set_fault(out, PT_FAULT_EXTERNAL, level, 0);
			return PT_OK;
		}
#endif
		pt_entry_t d = pt_read_desc(&table[pt_va_index(va, level)]);
		switch (desc_type(d, level)) {
		case DESC_INVALID:
		case DESC_RESERVED:
			set_fault(out, PT_FAULT_TRANSLATION, level, d);
			return PT_OK;
		case DESC_TABLE:
			table = (const pt_entry_t *)(uintptr_t)desc_oa(d, level);
			continue;
		case DESC_BLOCK:
		case DESC_PAGE:
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
	}
	set_fault(out, PT_FAULT_TRANSLATION, PT_LAST_LEVEL, 0); /* not reached: L3 has no tables */
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
