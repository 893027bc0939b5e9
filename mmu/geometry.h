/*
 * Translation geometry in one place: granule, VA size, levels, entries per
 * table, and which levels may hold blocks or pages (Arm ARM D8.2, "Translation
 * table lookup"; Linux arch/arm64/include/asm/pgtable-hwdef.h ARM64_HW_PGTABLE_LEVEL_SHIFT).
 *
 * The granule (4K, 16K or 64K: TCR_EL1.TG0) is a run-time parameter: one
 * struct, pt_geom, set by pt_geometry_set() while no table exists (at boot, or
 * between host tests) and read by everything else. The VA size is fixed at 48
 * bits. Per-level values are precomputed so the hot path costs one load each.
 */
#ifndef BBMPROBE_MMU_GEOMETRY_H
#define BBMPROBE_MMU_GEOMETRY_H

#include <stdbool.h>
#include <stdint.h>

#define PT_VA_BITS 48
#define PT_VA_LIMIT (1ull << PT_VA_BITS) /* TTBR0 region: [0, 2^48) */
/*
 * TTBR1 region: [2^64 - 2^48, 2^64), T1SZ = 16 (Arm ARM DDI 0487, D8.2.3 "Selection between TTBR0 and
 * TTBR1": VA[55] selects TTBR1, and VA[63:48] must then be all ones or the walk faults at level 0).
 */
#define PT_TTBR1_VA_BASE (~(PT_VA_LIMIT - 1))

/* Which TTBR translates va (0 or 1): VA[55], the bit every event's VA carries. Meaningful only inside the two ranges. */
static inline unsigned pt_va_ttbr(uint64_t va)
{
	return (unsigned)(va >> 55) & 1u;
}

/* Whether va lies in one of the two translated ranges (TTBR0's low or TTBR1's high 2^48 bytes). */
static inline bool pt_va_translated(uint64_t va)
{
	return va < PT_VA_LIMIT || va >= PT_TTBR1_VA_BASE;
}

/* Levels are numbered as the Arm ARM does; the last level maps pages. */
#define PT_LAST_LEVEL 3
#define PT_MAX_LEVELS 4 /* array bound: levels 0..3 */
#define PT_ENTRY_SHIFT 3

/* The granules TCR_EL1.TG0 can select, by log2 of their size. */
enum pt_granule {
	PT_GRANULE_4K = 12,
	PT_GRANULE_16K = 14,
	PT_GRANULE_64K = 16,
};
#define PT_GRANULE_MAX_SIZE (1ull << PT_GRANULE_64K)
#define PT_MAX_ENTRIES (1u << (PT_GRANULE_64K - PT_ENTRY_SHIFT)) /* 8192: a 64K table */

struct pt_geometry {
	unsigned granule_shift;             /* 12, 14, 16 */
	unsigned table_shift;               /* granule_shift - 3: 9, 11, 13 VA bits per full table */
	uint64_t granule_size;
	unsigned entries;                   /* in a full table: 512, 2048, 8192 */
	int start_level;                    /* 0, 0, 1 for a 48-bit VA */
	unsigned block_levels;              /* bit n: level n may hold a block descriptor */
	uint64_t desc_types;                /* enum desc_type of bits[1:0] at a level: nibble 4 * (4 * level + bits) */
	unsigned cont_pages;                /* pages in a contiguous run: 16, 128, 32 */
	unsigned cont_blocks;               /* level 2 blocks in a contiguous run: 16 x 2M, 32 x 32M, 32 x 512M */
	uint64_t oa_mask;                   /* a page's or table's output address bits [47:granule_shift] */
	unsigned level_shift[PT_MAX_LEVELS];   /* VA bits resolved below each level */
	unsigned level_entries[PT_MAX_LEVELS]; /* entries in a table at each level (the start one may be short) */
	int8_t leaf_level_plus1[64];           /* by log2 of a size: 1 + the level a leaf of that size sits at, or 0 */
};

/* The geometry in force. Starts as 4K; change only with no table page live (pt_pool_reset() after). */
extern struct pt_geometry pt_geom;

/* Select a granule (12, 14 or 16); false (and pt_geom unchanged) for anything else. */
bool pt_geometry_set(unsigned granule_shift);
/* "4K", "16K", "64K" or "?". */
const char *pt_granule_name(unsigned granule_shift);

#define PT_GRANULE_SHIFT (pt_geom.granule_shift)
#define PT_GRANULE_SIZE (pt_geom.granule_size)
#define PT_TABLE_SHIFT (pt_geom.table_shift)
#define PT_ENTRIES (pt_geom.entries)
#define PT_START_LEVEL (pt_geom.start_level)
#define PT_LEVELS (PT_LAST_LEVEL - PT_START_LEVEL + 1)

/* VA bits resolved below `level`: 39/30/21/12 for L0-L3 at 4K; 47/36/25/14 at 16K; -/42/29/16 at 64K. */
static inline unsigned pt_level_shift(int level)
{
	return pt_geom.level_shift[level];
}

/* Bytes one entry at `level` covers: 512G, 1G, 2M, 4K at 4K; 128T, 64G, 32M, 16K; 4T, 512M, 64K. */
static inline uint64_t pt_level_size(int level)
{
	return 1ull << pt_level_shift(level);
}

/* Entries in a table at `level` (the start level may be shorter than a full table: 2 at 16K L0, 64 at 64K L1). */
static inline unsigned pt_level_entries(int level)
{
	return pt_geom.level_entries[level];
}

/* Index of `va` in the table at `level`. */
static inline unsigned pt_va_index(uint64_t va, int level)
{
	return (unsigned)((va >> pt_level_shift(level)) & (pt_level_entries(level) - 1));
}

/*
 * Without FEAT_LPA/LPA2: 4K blocks at L1 (1G) and L2 (2M); 16K and 64K at L2 only
 * (32M, 512M) (Arm ARM D8.3.1, "Block descriptor and Page descriptor formats").
 */
static inline bool pt_level_allows_block(int level)
{
	return (pt_geom.block_levels >> level) & 1u;
}

static inline bool pt_level_allows_page(int level)
{
	return level == PT_LAST_LEVEL;
}

/* Leaf = block or page: the entry that ends a walk with an output address. */
static inline bool pt_level_allows_leaf(int level)
{
	return pt_level_allows_block(level) || pt_level_allows_page(level);
}

/* The largest block size of the granule (1G at 4K, 32M at 16K, 512M at 64K) and the smallest (2M, 32M, 512M). */
static inline uint64_t pt_block_size_max(void)
{
	return pt_level_allows_block(1) ? pt_level_size(1) : pt_level_size(2);
}
static inline uint64_t pt_block_size_min(void)
{
	return pt_level_size(2);
}

/*
 * Entries in a contiguous run at `level` (Arm ARM DDI 0487, "The Contiguous
 * bit"): pages at level 3, blocks at level 2; 0 where this library honours no
 * run (the 4K granule's 16 x 1G level 1 run is not covered).
 */
static inline unsigned pt_cont_entries(int level)
{
	return level == PT_LAST_LEVEL ? pt_geom.cont_pages : level == 2 ? pt_geom.cont_blocks : 0;
}

/* Bytes a contiguous run at `level` covers: 64K and 32M at 4K; 2M and 1G at 16K; 2M and 16G at 64K. */
static inline uint64_t pt_cont_span(int level)
{
	return (uint64_t)pt_cont_entries(level) << pt_level_shift(level);
}

static inline bool pt_is_aligned(uint64_t x, uint64_t size)
{
	return (x & (size - 1)) == 0;
}

static inline bool pt_level_valid(int level)
{
	return level >= PT_START_LEVEL && level <= PT_LAST_LEVEL;
}

/* Linux names for the levels, for dumps: PGD/PUD/PMD/PTE with 4 levels, PGD/PMD/PTE with 3 (PUD folded). */
static inline const char *pt_level_linux_name(int level)
{
	static const char *const four[] = {"PGD", "PUD", "PMD", "PTE"};
	static const char *const three[] = {"?", "PGD", "PMD", "PTE"};
	if (!pt_level_valid(level))
		return "?";
	return PT_START_LEVEL == 0 ? four[level] : three[level];
}

#endif
