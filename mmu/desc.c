/* Descriptor encode/decode (Arm ARM D8.3) and the live-change rule Linux uses. */
#include "mmu/desc.h"

#include "lib/enum_names.h"

/* Layout guards: the fields are disjoint and sit where the Arm ARM puts them. */
_Static_assert((PTE_ATTR_LOWER_MASK & PTE_ATTR_UPPER_MASK) == 0, "lower/upper attrs overlap");
_Static_assert((PTE_ATTR_MASK & PTE_ADDR_MASK) == 0, "attrs overlap the output address");
_Static_assert((PTE_ATTR_MASK & PTE_TYPE_MASK) == 0, "attrs overlap the type bits");
_Static_assert((PTE_ADDR_MASK & PTE_TYPE_MASK) == 0, "OA overlaps the type bits");
_Static_assert(PTE_ADDR_MASK == ((1ull << 48) - 1) - ((1ull << 12) - 1), "OA is bits [47:12]");
_Static_assert(PTE_AF == 0x400 && PTE_NG == 0x800 && PTE_RDONLY == 0x80, "lower attribute positions");
_Static_assert(PTE_CONT == 0x0010000000000000ull && PTE_PXN == 0x0020000000000000ull &&
		       PTE_UXN == 0x0040000000000000ull,
	       "upper attributes [54:52]");
_Static_assert(PTE_SW_MASK == 0x0780000000000000ull, "software bits [58:55]");
_Static_assert(((PTE_ATTR_UPPER_MASK | PTE_ATTR_LOWER_MASK | PTE_ADDR_MASK | PTE_TYPE_MASK) &
		(PTE_TABLE_PXN | PTE_TABLE_XN | PTE_TABLE_AP_MASK | PTE_TABLE_NS)) == 0,
	       "table attributes [63:59] are separate");
_Static_assert(MAIR_EL1_VALUE == 0xff4400ull, "MAIR_EL1 layout");
_Static_assert(sizeof(pt_entry_t) == 8, "descriptors are 64-bit");

static const char *const desc_type_names[DESC_RESERVED + 1] = {
	[DESC_INVALID] = "invalid",
	[DESC_TABLE] = "table",
	[DESC_BLOCK] = "block",
	[DESC_PAGE] = "page",
	[DESC_RESERVED] = "reserved",
};

const char *desc_type_name(enum desc_type t)
{
	return ENUM_NAME(desc_type_names, t, "?");
}

const char *pt_memtype_name(unsigned attrindx)
{
	switch (attrindx) {
	case MT_DEVICE_nGnRnE:
		return "DEVICE/nGnRnE";
	case MT_NORMAL_NC:
		return "MEM/NORMAL-NC";
	case MT_NORMAL:
		return "MEM/NORMAL";
	default:
		return "MAIR?";
	}
}
