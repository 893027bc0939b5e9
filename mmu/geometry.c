/*
 * The run-time translation geometry (mmu/geometry.h). Level shifts follow the
 * Arm ARM's table lookup (D8.2): each level resolves granule_shift - 3 VA bits
 * above the page offset; the start level is the first one that still has VA
 * bits left for a 48-bit VA. Contiguous run lengths: Arm ARM D8.6.1 ("The
 * Contiguous bit"): 16 x 4K, 128 x 16K, 32 x 64K pages; 16 x 2M, 32 x 32M,
 * 32 x 512M level 2 blocks (the same numbers as Linux's CONT_PTE_SHIFT and
 * CONT_PMD_SHIFT, arch/arm64/include/asm/pgtable-hwdef.h, and the support
 * matrix of arch/arm64/mm/hugetlbpage.c: 64K/32M, 2M/1G, 2M/16G).
 */
#include "mmu/geometry.h"
#include "boot/hot_data.h"

#include "mmu/desc.h"

/*
 * pt_geom.desc_types for a granule's block levels: what bits[1:0] of a
 * descriptor make it at each level (Arm ARM DDI 0487, D8.3 "Translation table
 * descriptor formats"). Bit 0 clear is invalid (0); 0b11 is a table above
 * level 3 and a page at level 3; 0b01 is a block where the granule allows one
 * and otherwise reserved (it faults like an invalid entry). A constant
 * expression, so the linked 4K value and pt_geometry_set() use the one rule.
 */
#define DESC_TYPES_AT(level, at01, at11) (((uint64_t)(at01) << 4 * 1 | (uint64_t)(at11) << 4 * 3) << 16 * (level))
#define DESC_AT01(block_levels, level) (((block_levels) >> (level)) & 1u ? DESC_BLOCK : DESC_RESERVED)
#define DESC_TYPES_FOR(bl)                                                                                             \
	(DESC_TYPES_AT(0, DESC_AT01(bl, 0), DESC_TABLE) | DESC_TYPES_AT(1, DESC_AT01(bl, 1), DESC_TABLE) |             \
	 DESC_TYPES_AT(2, DESC_AT01(bl, 2), DESC_TABLE) | DESC_TYPES_AT(3, DESC_AT01(bl, 3), DESC_PAGE))
_Static_assert(PT_LAST_LEVEL == 3, "DESC_TYPES_FOR() spells out levels 0-3");

/* 4K at reset, as the image is linked: .data, valid with the MMU off before anything runs. */
HOT_DATA struct pt_geometry pt_geom = {
	.granule_shift = 12,
	.table_shift = 9,
	.granule_size = 4096,
	.entries = 512,
	.start_level = 0,
	.block_levels = (1u << 1) | (1u << 2),
	.desc_types = DESC_TYPES_FOR((1u << 1) | (1u << 2)),
	.cont_pages = 16,
	.cont_blocks = 16,
	.oa_mask = 0x0000fffffffff000ull,
	.level_shift = {39, 30, 21, 12},
	.level_entries = {512, 512, 512, 512},
	.leaf_level_plus1 = {[12] = 4, [21] = 3, [30] = 2},
};

static unsigned cont_pages_for(unsigned granule_shift)
{
	return granule_shift == PT_GRANULE_4K ? 16u : granule_shift == PT_GRANULE_16K ? 128u : 32u;
}

/* Field by field, no struct copy: a copy may become a memcpy call, and this runs with the MMU off. */
bool pt_geometry_set(unsigned granule_shift)
{
	if (granule_shift != PT_GRANULE_4K && granule_shift != PT_GRANULE_16K && granule_shift != PT_GRANULE_64K)
		return false;
	struct pt_geometry *g = &pt_geom;
	g->granule_shift = granule_shift;
	g->table_shift = granule_shift - PT_ENTRY_SHIFT;
	g->granule_size = 1ull << granule_shift;
	g->entries = 1u << g->table_shift;
	/* Levels needed to resolve VA bits [47:granule_shift], table_shift bits each, rounded up. */
	unsigned levels = (PT_VA_BITS - granule_shift + g->table_shift - 1) / g->table_shift;
	g->start_level = PT_LAST_LEVEL + 1 - (int)levels;
	g->block_levels = granule_shift == PT_GRANULE_4K ? (1u << 1) | (1u << 2) : 1u << 2;
	g->cont_pages = cont_pages_for(granule_shift);
	g->cont_blocks = granule_shift == PT_GRANULE_4K ? 16u : 32u;
	g->oa_mask = PTE_ADDR_MASK & ~(g->granule_size - 1);
	for (int l = 0; l < PT_MAX_LEVELS; l++) {
		g->level_shift[l] = granule_shift + (unsigned)(PT_LAST_LEVEL - l) * g->table_shift;
		unsigned bits = g->level_shift[l] >= PT_VA_BITS ? 0 : PT_VA_BITS - g->level_shift[l];
		g->level_entries[l] = bits < g->table_shift ? 1u << bits : g->entries;
	}
	for (unsigned sh = 0; sh < 64; sh++)
		g->leaf_level_plus1[sh] = 0;
	for (int l = PT_START_LEVEL; l <= PT_LAST_LEVEL; l++)
		if (l == PT_LAST_LEVEL || pt_level_allows_block(l))
			g->leaf_level_plus1[g->level_shift[l]] = (int8_t)(l + 1);
	g->desc_types = DESC_TYPES_FOR(g->block_levels);
	return true;
}

const char *pt_granule_name(unsigned granule_shift)
{
	switch (granule_shift) {
	case PT_GRANULE_4K:
		return "4K";
	case PT_GRANULE_16K:
		return "16K";
	case PT_GRANULE_64K:
		return "64K";
	default:
		return "?";
	}
}
