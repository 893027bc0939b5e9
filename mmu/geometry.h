/*
 * Translation geometry in one place: granule, VA size, levels, entries per
 * table, and which levels may hold blocks or pages (Arm ARM D8.2, "Translation
 * table lookup"; Linux arch/arm64/include/asm/pgtable-hwdef.h ARM64_HW_PGTABLE_LEVEL_SHIFT).
 *
 * Only the 4K granule with a 48-bit VA is built today. Everything below is
 * derived from PT_GRANULE_SHIFT and PT_VA_BITS, so 16K/64K would change the
 * constants here (and pt_level_allows_block()) without touching callers.
 */
#ifndef BBMPROBE_MMU_GEOMETRY_H
#define BBMPROBE_MMU_GEOMETRY_H

#include <stdbool.h>
#include <stdint.h>

#define PT_GRANULE_SHIFT 12
#define PT_GRANULE_SIZE (1ull << PT_GRANULE_SHIFT)
#define PT_VA_BITS 48
#define PT_VA_LIMIT (1ull << PT_VA_BITS) /* TTBR0 region: [0, 2^48) */

/* A table is one granule of 8-byte descriptors: 512 entries for 4K. */
#define PT_ENTRY_SHIFT 3
#define PT_TABLE_SHIFT (PT_GRANULE_SHIFT - PT_ENTRY_SHIFT)
#define PT_ENTRIES (1u << PT_TABLE_SHIFT)

/* Levels are numbered as the Arm ARM does; the last level maps pages. */
#define PT_LAST_LEVEL 3
/* First level: the one whose shift leaves at most PT_TABLE_SHIFT bits of VA (0 for 4K/48-bit). */
#define PT_START_LEVEL                                                                                           \
	(PT_LAST_LEVEL - (PT_VA_BITS - PT_GRANULE_SHIFT + PT_TABLE_SHIFT - 1) / PT_TABLE_SHIFT + 1)
#define PT_LEVELS (PT_LAST_LEVEL - PT_START_LEVEL + 1)

_Static_assert(PT_START_LEVEL == 0 && PT_LEVELS == 4, "4K granule, 48-bit VA: walks start at level 0");
_Static_assert(PT_ENTRIES == 512, "4K granule: 512 entries per table");

/* VA bits resolved below `level`: 39/30/21/12 for L0-L3. */
static inline unsigned pt_level_shift(int level)
{
	return PT_GRANULE_SHIFT + (unsigned)(PT_LAST_LEVEL - level) * PT_TABLE_SHIFT;
}

/* Bytes one entry at `level` covers: 512G, 1G, 2M, 4K. */
static inline uint64_t pt_level_size(int level)
{
	return 1ull << pt_level_shift(level);
}

/* Entries in a table at `level` (the start level may be shorter than a full table). */
static inline unsigned pt_level_entries(int level)
{
	unsigned bits = PT_VA_BITS - pt_level_shift(level);
	return bits < PT_TABLE_SHIFT ? 1u << bits : PT_ENTRIES;
}

/* Index of `va` in the table at `level`. */
static inline unsigned pt_va_index(uint64_t va, int level)
{
	return (unsigned)((va >> pt_level_shift(level)) & (pt_level_entries(level) - 1));
}

/* 4K granule without FEAT_LPA2: blocks at L1 (1G) and L2 (2M) only (Arm ARM D8.3.1). */
static inline bool pt_level_allows_block(int level)
{
	return level == 1 || level == 2;
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

static inline bool pt_is_aligned(uint64_t x, uint64_t size)
{
	return (x & (size - 1)) == 0;
}

static inline bool pt_level_valid(int level)
{
	return level >= PT_START_LEVEL && level <= PT_LAST_LEVEL;
}

/* Linux names for the levels, for dumps: PGD/PUD/PMD/PTE (4 levels). */
static inline const char *pt_level_linux_name(int level)
{
	static const char *const names[] = {"PGD", "PUD", "PMD", "PTE"};
	return pt_level_valid(level) ? names[level - PT_START_LEVEL + (4 - PT_LEVELS)] : "?";
}

#endif
