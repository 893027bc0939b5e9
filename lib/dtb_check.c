/*
 * Is a device tree blob safe to query (see dtb.h)? libfdt does the checking;
 * this file adds the one walk that libfdt 1.6.1 (Debian bookworm's, on the
 * host and in the target's libfdt.a) cannot be trusted with.
 */
#include "dtb.h"

#include <libfdt.h>

/* A property at struct offset `offset` whose value runs past the blob, or whose header is cut off. */
static bool prop_runs_past_blob(const void *fdt, int offset)
{
	const fdt32_t *len = fdt_offset_ptr(fdt, offset + FDT_TAGSIZE, sizeof(*len));
	/* Where the value starts; no overflow, as fdt_check_header keeps totalsize <= INT_MAX. */
	uint32_t value = fdt_off_dt_struct(fdt) + (uint32_t)offset + (uint32_t)sizeof(struct fdt_property);

	return !len || value > fdt_totalsize(fdt) || fdt32_ld(len) > fdt_totalsize(fdt) - value;
}

/*
 * libfdt before v1.7.0 adds a property's length to an int offset unchecked
 * (fixed upstream by commit 73590342, "libfdt: prevent integer overflow in
 * fdt_next_tag"): a length of 0xfffffff4 wraps the next offset back onto the
 * same tag, and every node walk (fdt_next_node, fdt_check_full) then spins
 * forever. So walk the tags once, refusing a property that runs past the blob
 * and any step that does not move forward: after that, every libfdt walk ends.
 */
static const char *tags_problem(const void *fdt)
{
	int offset = 0;

	for (;;) {
		const fdt32_t *tagp = fdt_offset_ptr(fdt, offset, FDT_TAGSIZE);
		if (tagp && fdt32_ld(tagp) == FDT_PROP && prop_runs_past_blob(fdt, offset))
			return "a property's length runs past the end of the DTB"; /* checked before libfdt adds it */
		int next;
		uint32_t tag = fdt_next_tag(fdt, offset, &next);
		if (next < 0)
			return next == -FDT_ERR_TRUNCATED ? "the structure block is cut short (no FDT_END)"
							  : "a bad tag or length in the structure block";
		if (tag == FDT_END)
			return NULL;
		if (next <= offset)
			return "the structure block's tags do not move forward";
		offset = next;
	}
}

const char *dtb_problem(const void *p)
{
	if (!p)
		return "no address";
	if ((uintptr_t)p & 7)
		return "not 8-byte aligned";
	if (fdt32_ld((const fdt32_t *)p) != FDT_MAGIC_VALUE)
		return "no FDT magic";
	int err = fdt_check_header(p);
	if (err)
		return fdt_strerror(err);
	const char *why = tags_problem(p);
	if (why)
		return why;
	err = fdt_check_full(p, fdt_totalsize(p));
	return err ? fdt_strerror(err) : NULL;
}
