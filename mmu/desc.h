/*
 * VMSAv8-64 stage 1 descriptors, 4K/16K/64K granule (mmu/geometry.h), 48-bit OA (Arm ARM D8.3,
 * "Translation table descriptor formats"). Bit names follow Linux
 * arch/arm64/include/asm/pgtable-hwdef.h so mirrored code reads the same.
 */
#ifndef BBMPROBE_MMU_DESC_H
#define BBMPROBE_MMU_DESC_H

#include <stdbool.h>
#include <stdint.h>

#include "mmu/geometry.h"

typedef uint64_t pt_entry_t;
/* Leaf attribute bits, in descriptor positions (like Linux pgprot_t), without type and OA. */
typedef uint64_t pt_attrs_t;

#define PTE_VALID (1ull << 0)
#define PTE_TYPE_MASK (3ull << 0)
#define PTE_TYPE_BLOCK (1ull << 0) /* L1/L2 */
#define PTE_TYPE_TABLE (3ull << 0) /* L0-L2 */
#define PTE_TYPE_PAGE (3ull << 0)  /* L3 */

/* Lower attributes [11:2]. */
#define PTE_ATTRINDX_SHIFT 2
#define PTE_ATTRINDX(i) ((uint64_t)(i) << PTE_ATTRINDX_SHIFT)
#define PTE_ATTRINDX_MASK (7ull << PTE_ATTRINDX_SHIFT)
#define PTE_NS (1ull << 5)
#define PTE_USER (1ull << 6)   /* AP[1]: EL0 access */
#define PTE_RDONLY (1ull << 7) /* AP[2]: read-only */
#define PTE_SH_SHIFT 8
#define PTE_SH_MASK (3ull << PTE_SH_SHIFT)
#define PTE_SH_NONE (0ull << PTE_SH_SHIFT)
#define PTE_SH_OUTER (2ull << PTE_SH_SHIFT)
#define PTE_SH_INNER (3ull << PTE_SH_SHIFT)
#define PTE_AF (1ull << 10)
#define PTE_NG (1ull << 11)
/*
 * nT, bit[16] of a Block descriptor (any granule), FEAT_BBM: marks a block
 * whose size is being changed (FEAT_BBM level 1). RES0 without FEAT_BBM. Inside PTE_ADDR_MASK's span,
 * but below every block's output address alignment, so desc_oa() of a block ignores it.
 */
#define PTE_NT (1ull << 16)

/*
 * Output address [47:12] (block OA is further aligned to the block size; a page's or table's
 * to the granule, pt_geom.oa_mask: bits [15:12] of a 64K descriptor are OA[51:48] with FEAT_LPA,
 * RES0 here).
 */
#define PTE_ADDR_MASK 0x0000fffffffff000ull

/* Upper attributes. */
#define PTE_DBM (1ull << 51)   /* Linux PTE_WRITE */
#define PTE_WRITE PTE_DBM
#define PTE_CONT (1ull << 52)
/* Pages in a contiguous run (Arm ARM DDI 0487, "The Contiguous bit"): 16 x 4K, 128 x 16K, 32 x 64K. */
#define PT_CONT_PAGES (pt_geom.cont_pages)
/* Level 2 blocks in a contiguous run: 16 x 2M, 32 x 32M, 32 x 512M (pt_cont_entries() by level). */
#define PT_CONT_BLOCKS (pt_geom.cont_blocks)
#define PTE_PXN (1ull << 53)
#define PTE_UXN (1ull << 54)
#define PTE_SW_SHIFT 55
#define PTE_SW_MASK (0xfull << PTE_SW_SHIFT) /* [58:55] reserved for software */
#define PTE_SW(n) ((uint64_t)(n) << PTE_SW_SHIFT)

#define PTE_ATTR_LOWER_MASK 0x0000000000000ffcull
#define PTE_ATTR_UPPER_MASK (PTE_DBM | PTE_CONT | PTE_PXN | PTE_UXN | PTE_SW_MASK)
#define PTE_ATTR_MASK (PTE_ATTR_LOWER_MASK | PTE_ATTR_UPPER_MASK)

/* Table descriptor hierarchical attributes (not set by this library). */
#define PTE_TABLE_PXN (1ull << 59)
#define PTE_TABLE_XN (1ull << 60)
#define PTE_TABLE_AP_MASK (3ull << 61)
#define PTE_TABLE_NS (1ull << 63)

/* MAIR_EL1 slots (Arm ARM D19.2.97). Index 0 is Device so a zeroed attr field is never cacheable. */
enum pt_memtype {
	MT_DEVICE_nGnRnE = 0,
	MT_NORMAL_NC = 1,
	MT_NORMAL = 2, /* write-back, read/write-allocate, non-transient */
	MT_COUNT
};
#define MAIR_ATTR_DEVICE_nGnRnE 0x00ull
#define MAIR_ATTR_NORMAL_NC 0x44ull
#define MAIR_ATTR_NORMAL_WB 0xffull
#define MAIR_EL1_VALUE                                                                                           \
	((MAIR_ATTR_DEVICE_nGnRnE << (8 * MT_DEVICE_nGnRnE)) | (MAIR_ATTR_NORMAL_NC << (8 * MT_NORMAL_NC)) |     \
	 (MAIR_ATTR_NORMAL_WB << (8 * MT_NORMAL)))

/* Ready-made leaf attributes (EL1 only: UXN always set, AP[1] clear). */
#define PT_PROT_NORMAL (PTE_ATTRINDX(MT_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_UXN)      /* RW, executable */
#define PT_PROT_NORMAL_XN (PT_PROT_NORMAL | PTE_PXN)                                    /* RW data */
#define PT_PROT_NORMAL_RO (PT_PROT_NORMAL | PTE_PXN | PTE_RDONLY)                       /* RO data */
#define PT_PROT_NORMAL_NC (PTE_ATTRINDX(MT_NORMAL_NC) | PTE_SH_INNER | PTE_AF | PTE_PXN | PTE_UXN)
/* Linux PROT_DEVICE_nGnRnE, minus PTE_WRITE (it means DBM here). */
#define PT_PROT_DEVICE (PTE_ATTRINDX(MT_DEVICE_nGnRnE) | PTE_SH_INNER | PTE_AF | PTE_PXN | PTE_UXN)

enum desc_type {
	DESC_INVALID = 0,
	DESC_TABLE,
	DESC_BLOCK,
	DESC_PAGE,
	DESC_RESERVED, /* valid bit set but encoding not allowed at this level: faults like invalid */
};

/* Encoders. Addresses must be aligned to what they map; extra low bits are dropped. */
static inline pt_entry_t desc_table(uint64_t table_pa)
{
	return (table_pa & pt_geom.oa_mask) | PTE_TYPE_TABLE;
}
static inline pt_entry_t desc_block(int level, uint64_t pa, pt_attrs_t attrs)
{
	uint64_t oa = pa & PTE_ADDR_MASK & ~(pt_level_size(level) - 1);
	return oa | (attrs & PTE_ATTR_MASK) | PTE_TYPE_BLOCK;
}
static inline pt_entry_t desc_page(uint64_t pa, pt_attrs_t attrs)
{
	return (pa & pt_geom.oa_mask) | (attrs & PTE_ATTR_MASK) | PTE_TYPE_PAGE;
}
/* Block at L1/L2, page at L3: both encoded, then one picked by level (GCC emits a compare and a branch). */
static inline pt_entry_t desc_leaf(int level, uint64_t pa, pt_attrs_t attrs)
{
	pt_entry_t page = desc_page(pa, attrs), block = desc_block(level, pa, attrs);
	return level == PT_LAST_LEVEL ? page : block;
}

/* Decoders. The type depends on the level (0b11 is table at L0-L2, page at L3). */
static inline bool desc_is_valid(pt_entry_t d)
{
	return (d & PTE_VALID) != 0;
}
/*
 * A lookup by level and bits[1:0] (pt_geom.desc_types), not branches: every
 * map, unmap and monitored write asks, and QEMU TCG ends a translation block
 * at each branch (docs/scenarios.md, "Benchmark").
 */
static inline enum desc_type desc_type(pt_entry_t d, int level)
{
	unsigned nibble = 4u * (4u * (unsigned)level + (unsigned)(d & 3u));
	return (enum desc_type)((pt_geom.desc_types >> nibble) & 0xfu);
}
static inline bool desc_is_leaf(pt_entry_t d, int level)
{
	enum desc_type t = desc_type(d, level);
	return t == DESC_BLOCK || t == DESC_PAGE;
}
/* Next-level table address, or the block/page output address (block-aligned). */
static inline uint64_t desc_oa(pt_entry_t d, int level)
{
	if (desc_type(d, level) == DESC_BLOCK)
		return d & PTE_ADDR_MASK & ~(pt_level_size(level) - 1);
	return d & pt_geom.oa_mask;
}
static inline pt_attrs_t desc_attrs(pt_entry_t d)
{
	return d & PTE_ATTR_MASK;
}
static inline enum pt_memtype desc_memtype(pt_entry_t d)
{
	return (enum pt_memtype)((d & PTE_ATTRINDX_MASK) >> PTE_ATTRINDX_SHIFT);
}
const char *desc_type_name(enum desc_type t);
const char *pt_memtype_name(unsigned attrindx);

/*
 * Mirror of Linux arch/arm64/mm/mmu.c pgattr_change_is_safe(): may a live
 * entry change from `old` to `new` without break-before-make? Invalid old or
 * new: always. Otherwise the OA must not change, neither may be contiguous,
 * nG may be set but not cleared, and only PXN, RDONLY, WRITE(DBM), nG and the
 * software bits may differ (so no type, size, AF, SH or memory type change).
 * Inline: the monitor asks on every write and the map path on every live change.
 */
static inline bool pgattr_change_is_safe(pt_entry_t old, pt_entry_t new_desc)
{
	/* Bits Linux lets change on a live kernel mapping (PTE_SWBITS_MASK since 6.9). */
	pt_entry_t mask = PTE_PXN | PTE_RDONLY | PTE_WRITE | PTE_NG | PTE_SW_MASK;

	/* One expression, no branches (see desc_type()). */
	bool creating_or_removing = (int)!desc_is_valid(old) | (int)!desc_is_valid(new_desc); /* always safe */
	bool same_oa = ((old ^ new_desc) & PTE_ADDR_MASK) == 0; /* a live entry's output address stays */
	bool no_cont = ((old | new_desc) & PTE_CONT) == 0;      /* live contiguous entries: never */
	bool keeps_ng = (old & ~new_desc & PTE_NG) == 0;        /* nG -> global: stale per-ASID entries */
	/* Everything else (type bits, so table<->block and size; AF, SH, AttrIndx) must match. */
	bool rest_same = ((old ^ new_desc) & ~mask) == 0;
	return creating_or_removing | (same_oa & no_cont & keeps_ng & rest_same);
}

#endif
