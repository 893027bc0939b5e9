/*
 * Inspection: software translation from memory, hardware translation with
 * AT S1E1R + PAR_EL1 (target only), and a ptdump-style dump.
 */
#ifndef BBMPROBE_MMU_WALK_H
#define BBMPROBE_MMU_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "mmu/pt.h"

enum pt_fault_kind {
	PT_FAULT_NONE = 0,
	PT_FAULT_TRANSLATION, /* invalid or reserved descriptor, or VA outside the TTBR0 range (level 0) */
	PT_FAULT_ACCESS_FLAG, /* leaf with AF=0 (no hardware AF update assumed) */
	PT_FAULT_EXTERNAL,    /* host only: a table address outside the pool cannot be read */
};
const char *pt_fault_name(enum pt_fault_kind f);

struct pt_translation {
	bool ok;
	enum pt_fault_kind fault;
	int level;        /* leaf level, or the level the fault is reported at */
	uint64_t pa;      /* output address of va (filled for access-flag faults too) */
	uint64_t size;    /* bytes the leaf maps */
	pt_entry_t desc;  /* leaf or faulting descriptor */
	pt_attrs_t attrs;
};

/* Software walk of s for va, reading the tables as a walker would. */
enum pt_status pt_translate(const struct pt_space *s, uint64_t va, struct pt_translation *out);

/* PAR_EL1 after AT S1E1R (Arm ARM D19.2.118). */
struct pt_par {
	bool available; /* false on the host */
	bool fault;     /* PAR.F */
	uint64_t raw;
	uint64_t pa;    /* PA of va (PA[47:12] | va[11:0]) when !fault */
	unsigned fst;   /* fault status code (DFSC encoding) when fault */
	bool ptw;       /* stage 2 fault during a stage 1 walk */
	unsigned attr;  /* MAIR attribute byte when !fault */
	unsigned sh;
};
void pt_par_decode(uint64_t par, uint64_t va, struct pt_par *out);
/* Target: AT S1E1R va; isb; read PAR_EL1. Host: PT_ERR_UNAVAILABLE, out->available = false. */
enum pt_status pt_hw_translate(uint64_t va, struct pt_par *out);

/* Linux ptdump-style tree of s, one "# " line per table or run of like leaves. */
void pt_dump(const struct pt_space *s);

#endif
