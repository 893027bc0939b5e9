/*
 * Scenario memory and VAs: scratch RAM for the markers, the slots the engine
 * hands out, the safety rule for every test mapping, and the untimed cleanup.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/cpuinfo.h"
#include "mmu/boot_map.h"
#include "mmu/geometry.h"
#include "mmu/pool.h"
#include "mmu/pt_write.h"
#include "mmu/sweep.h"
#include "mmu/tlb.h"
#include "mmu/walk.h"
#include "platform/boot_info.h"
#include "tests/scn_internal.h"

static bool overlaps(uint64_t lo, uint64_t hi, uint64_t b_lo, uint64_t b_hi)
{
	return lo < b_hi && b_lo < hi;
}

bool scn_is_ram(uint64_t pa, uint64_t size)
{
	const struct board_config *cfg = &boot_info()->config;

	for (unsigned i = 0; i < cfg->mem_count; i++)
		if (pa >= cfg->mem[i].base && pa + size <= cfg->mem[i].base + cfg->mem[i].size && pa + size > pa)
			return true;
	return false;
}

/* No-map reserved memory must not be mapped at all (it may be secure memory); unrecorded regions count. */
static bool overlaps_no_map(uint64_t lo, uint64_t hi)
{
	const struct board_config *cfg = &boot_info()->config;

	if (cfg->reserved_dropped) /* unknown regions: only the image itself is known to be safe */
		return !(lo >= boot_info()->image_lo && hi <= boot_info()->image_hi);
	for (unsigned i = 0; i < cfg->reserved_count; i++)
		if (cfg->reserved[i].no_map && overlaps(lo, hi, cfg->reserved[i].base, cfg->reserved[i].base + cfg->reserved[i].size))
			return true;
	return false;
}

const char *scn_mapping_unsafe(uint64_t pa, uint64_t size, pt_attrs_t attrs)
{
	/* Tests map data only: executable test mappings would let a stale translation be fetched from. */
	if ((attrs & (PTE_PXN | PTE_UXN)) != (PTE_PXN | PTE_UXN))
		return "not execute-never (PXN and UXN must both be set)";
	/*
	 * Normal memory may be read speculatively at any time (Arm ARM DDI 0487
	 * M.a.a, "Normal memory"); a Normal mapping of a peripheral (the Pi 3's
	 * 0x3F000000 sits in RAM's first GiB) could touch device registers.
	 */
	if (desc_memtype(attrs) == MT_DEVICE_nGnRnE)
		return 0;
	if (!scn_is_ram(pa, size))
		return "Normal memory outside the DTB's RAM";
	if (overlaps_no_map(pa, pa + size))
		return "Normal memory over a no-map reserved region (or more reserved regions than recorded)";
	return 0;
}

/*
 * Highest 2 MiB-aligned 6 MiB (A, B, C) in region r clear of the image, the DTB and reserved memory,
 * and, if `block` is not 0, whose `block`-aligned window is all RAM; or 0.
 */
static uint64_t scratch_in_region(const struct boot_info *bi, const struct mem_region *r, uint64_t block)
{
	const uint64_t need = 3 * SZ_2M;
	uint64_t base = r->base, end = (r->base + r->size) & ~(SZ_2M - 1);

	for (uint64_t top = end; top >= base + need && top - need >= base; top -= SZ_2M) {
		uint64_t lo = top - need;
		if (overlaps(lo, top, bi->image_lo, bi->image_hi) || overlaps(lo, top, bi->dtb_lo, bi->dtb_hi) ||
		    boot_info_overlaps_reserved(lo, top))
			continue;
		if (top > PTE_ADDR_MASK || (block && !scn_is_ram(lo & ~(block - 1), block)))
			continue;
		return lo;
	}
	return 0;
}

/* Identity-mapped as Normal memory in the live space (markers are written through it). */
static bool identity_normal(struct pt_space *s, uint64_t pa)
{
	struct pt_translation tr;
	return pt_translate(s, pa, &tr) == PT_OK && tr.ok && tr.pa == pa &&
	       (tr.attrs & PTE_ATTRINDX_MASK) == PTE_ATTRINDX(MT_NORMAL);
}

/*
 * Scratch whose largest-block window (1 GiB at 4K) is all RAM first (the PUD scenarios map that
 * window), then the highest.
 */
static uint64_t pick_scratch(void)
{
	const struct boot_info *bi = boot_info();
	uint64_t best = 0;
	bool best_ram = false;

	/* The largest block of the granule: 1G at 4K, else the level-2 block (32M, 512M). */
	uint64_t big = pt_block_size_max();

	for (unsigned i = 0; i < bi->config.mem_count; i++) {
		/* In each region, the highest scratch under an all-RAM block first (a Pi's first GiB holds devices). */
		uint64_t lo = scratch_in_region(bi, &bi->config.mem[i], big);
		if (!lo)
			lo = scratch_in_region(bi, &bi->config.mem[i], 0);
		if (!lo)
			continue;
		bool ram = scn_is_ram(lo & ~(big - 1), big);
		if (!best || (ram && !best_ram) || (ram == best_ram && lo > best)) {
			best = lo;
			best_ram = ram;
		}
	}
	return best;
}

bool scn_skip_unless_4k(struct test_ctx *t, const char *why)
{
	if (PT_GRANULE_SHIFT == PT_GRANULE_4K)
		return false;
	test_skip(t, "%s granule: %s", pt_granule_name(PT_GRANULE_SHIFT), why);
	return true;
}

bool scn_env_init(struct test_ctx *t, struct scn_env *env)
{
	uint64_t best = pick_scratch();

	memset(env, 0, sizeof(*env));
	env->space = env->user = boot_map_space();
	env->window = SCN_WINDOW;
	if (!best) {
		test_skip(t, "no 2 MiB-aligned 6 MiB of RAM clear of the image, the DTB and reserved memory");
		return false;
	}
	env->pa_new = best;
	env->pa_old = best + SZ_2M;
	env->pa_poison = best + 2 * SZ_2M;
	env->pa_1g = best & ~(SZ_1G - 1);
	env->pa_1g_all_ram = scn_is_ram(env->pa_1g, SZ_1G);
	env->pa_block = best & ~(pt_block_size_min() - 1);
	env->pa_block_all_ram = scn_is_ram(env->pa_block, pt_block_size_min());
	if (!identity_normal(env->space, env->pa_new) || !identity_normal(env->space, env->pa_poison + SZ_2M - 8)) {
		test_skip(t, "scratch RAM 0x%llx is not identity-mapped as Normal memory", (unsigned long long)best);
		return false;
	}
	struct pt_translation tr;
	if (pt_translate(env->space, SCN_WINDOW, &tr) != PT_OK || tr.ok) {
		test_skip(t, "the test VA window 0x%llx is already mapped", (unsigned long long)SCN_WINDOW);
		return false;
	}
	test_verbose(t, 2, "scratch: new block A 0x%llx, old block B 0x%llx, poison block C 0x%llx, 1 GiB window 0x%llx%s",
		     (unsigned long long)env->pa_new, (unsigned long long)env->pa_old,
		     (unsigned long long)env->pa_poison, (unsigned long long)env->pa_1g,
		     env->pa_1g_all_ram ? "" : " (not all RAM: no 1 GiB block is mapped there)");
	return true;
}

/*
 * Window k (from the top) of `span` bytes, span-aligned, in region r: RAM, clear of the image, the DTB,
 * reserved memory and the A/B/C scratch [lo, hi); 0 if none.
 */
static uint64_t run_window(const struct boot_info *bi, const struct mem_region *r, uint64_t span, uint64_t lo,
			   uint64_t hi, uint64_t below)
{
	uint64_t end = (r->base + r->size) & ~(span - 1);

	if (below < end)
		end = below & ~(span - 1);
	for (uint64_t w = end; w >= span && w - span >= r->base; w -= span) {
		uint64_t b = w - span;
		if (overlaps(b, w, bi->image_lo, bi->image_hi) || overlaps(b, w, bi->dtb_lo, bi->dtb_hi) ||
		    boot_info_overlaps_reserved(b, w) || overlaps(b, w, lo, hi) || w > PTE_ADDR_MASK)
			continue;
		return b;
	}
	return 0;
}

/* The highest window of span bytes below `below` in any region, or 0. */
static uint64_t pick_run_window(uint64_t span, uint64_t lo, uint64_t hi, uint64_t below)
{
	const struct boot_info *bi = boot_info();
	uint64_t best = 0;

	for (unsigned i = 0; i < bi->config.mem_count; i++) {
		uint64_t b = run_window(bi, &bi->config.mem[i], span, lo, hi, below);
		if (b > best)
			best = b;
	}
	return best;
}

bool scn_env_use_block_runs(struct test_ctx *t, struct scn_env *env)
{
	uint64_t span = pt_cont_span(2), lo = env->pa_new, hi = env->pa_poison + SZ_2M;
	uint64_t a = pick_run_window(span, lo, hi, ~0ull);
	uint64_t b = a ? pick_run_window(span, lo, hi, a) : 0;

	if (!b) {
		/* 95 characters at most (test_ctx.skip_reason). */
		test_skip(t, "no two %llu MiB-aligned %llu MiB RAM windows clear of image, DTB, reserved and scratch",
			  (unsigned long long)(span >> 20), (unsigned long long)(span >> 20));
		return false;
	}
	if (!identity_normal(env->space, a) || !identity_normal(env->space, b)) {
		test_skip(t, "run windows 0x%llx, 0x%llx are not identity-mapped as Normal memory", (unsigned long long)a,
			  (unsigned long long)b);
		return false;
	}
	env->pa_new = a;
	env->pa_old = b;
	/* The block containing A is A's run window itself: the probe VA stays at the slot's base. */
	env->pa_block = a & ~(pt_block_size_min() - 1);
	env->pa_block_all_ram = true;
	test_verbose(t, 2, "block runs: A's run 0x%llx, B's run 0x%llx (%llu MiB each)", (unsigned long long)a,
		     (unsigned long long)b, (unsigned long long)(span >> 20));
	return true;
}

uint64_t scn_slot_size(int level)
{
	return pt_level_size(level);
}

unsigned scn_feat_bbm(void)
{
#ifdef BBMPROBE_HOST
	return 0;
#else
	struct cpu_ids ids;
	struct mmu_features f;

	cpuinfo_read(&ids);
	cpuinfo_decode_mmu(&ids, &f);
	return f.bbm_level;
#endif
}

uint64_t scn_block_pa(const struct scn_env *env, int level)
{
	return level == 1 ? env->pa_1g : env->pa_block;
}

uint64_t scn_slot_va(const struct scn_env *env, int level, unsigned index)
{
	return (level == 1 ? scn_slot_1g(index) : scn_slot_2m(index)) - SCN_WINDOW + env->window;
}

void scn_env_use_ttbr1(struct scn_env *env)
{
	env->space = boot_map_kernel_space();
	env->window = SCN_KWINDOW;
}

/* Next slot to hand out, per size: each run gets fresh VAs, so a leak of one cannot disturb the next. */
static unsigned slot_cursor[2];

static bool slot_empty(const struct scn_env *env, int level, unsigned index)
{
	pt_entry_t *e = pt_entry_at(env->space, scn_slot_va(env, level, index), level);
	return !e || !desc_is_valid(pt_read_desc(e));
}

bool scn_slot_claim(const struct scn_env *env, int level, unsigned count, unsigned align, unsigned *first)
{
	unsigned n = level == 1 ? SCN_SLOTS_1G : SCN_SLOTS_2M;
	unsigned *cursor = &slot_cursor[level == 1];

	if (count > n)
		count = n;
	for (unsigned tries = 0; tries < n; tries++) {
		unsigned base = (*cursor + tries) % n, k = 0;
		if (align > 1 && (base % align || base + count > n))
			continue; /* aligned slots must also be consecutive VAs: no wrap */
		while (k < count && slot_empty(env, level, (base + k) % n))
			k++;
		if (k == count) {
			*first = base;
			*cursor = (base + count) % n;
			return true;
		}
	}
	return false;
}

enum pt_status scn_map(struct scn_iter *it, uint64_t va, uint64_t pa, uint64_t size, pt_attrs_t attrs,
		       enum pt_policy p)
{
	const char *why = scn_mapping_unsafe(pa, size, attrs);

	if (why) {
		scn_error(it, "refused to map 0x%llx+0x%llx: %s", (unsigned long long)pa, (unsigned long long)size, why);
		return PT_ERR_INVALID_ARG;
	}
	return map_range(it->env->space, va, pa, size, attrs, p);
}

pt_entry_t scn_leaf_desc(struct scn_iter *it, int level, uint64_t pa, pt_attrs_t attrs)
{
	const char *why = scn_mapping_unsafe(pa, pt_level_size(level), attrs);

	if (why) {
		scn_error(it, "refused a level %d leaf -> 0x%llx: %s", level, (unsigned long long)pa, why);
		return 0;
	}
	return desc_leaf(level, pa, attrs);
}

void scn_error(struct scn_iter *it, const char *fmt, ...)
{
	va_list ap;

	if (!it->errors++) {
		va_start(ap, fmt);
		vsnprintf(it->error, sizeof(it->error), fmt, ap);
		va_end(ap);
	}
}

unsigned scn_cleanup_block_run(const struct scn_env *env, uint64_t slot, unsigned *dangling)
{
	uint64_t span = pt_cont_span(2), size = pt_level_size(2);

	(void)unmap_range(env->space, slot + size, span - size, PT_TLBI_NONE);
	return scn_cleanup_slot(env, slot + span, 2, dangling, false, PT_TLBI_NONE);
}

/* Pool pages live after the last sweep that found nothing leaked (and reclaimed what it found). */
static unsigned live_when_clean;

/*
 * Free the leaked pages the sweep lists; returns the first sweep's leaked count.
 * Fast path: when the pool holds exactly as many live pages as after the last
 * clean sweep, and the slot is empty again, nothing can have leaked unless a
 * reachable page was also freed (a dangling table, which the periodic forced
 * sweep and the host tests catch), so the walk over every table is skipped.
 */
static unsigned reclaim_leaked(struct pt_space *s, unsigned *dangling, bool force)
{
	struct pt_sweep_report r;
	struct pt_pool_stats ps;
	unsigned first = 0;

	pt_pool_get_stats(&ps);
	*dangling = 0;
	if (!force && ps.live == live_when_clean)
		return 0;
	for (unsigned pass = 0; pass < PT_POOL_PAGES; pass++) {
		if (pt_sweep(s, &r) != PT_OK)
			return first;
		if (pass == 0) {
			first = r.leaked;
			*dangling = r.dangling;
		}
		if (!r.leaked || !r.n_leaked_items)
			break;
		for (unsigned i = 0; i < r.n_leaked_items; i++)
			(void)pt_pool_free((pt_entry_t *)r.leaked_items[i].page);
	}
	if (!r.leaked && !r.dangling) {
		pt_pool_get_stats(&ps);
		live_when_clean = ps.live;
	}
	return first;
}

unsigned scn_cleanup_slot(const struct scn_env *env, uint64_t slot, int slot_level, unsigned *dangling,
			  bool force_sweep, enum pt_tlbi_scope final_tlbi)
{
	pt_entry_t *e = pt_entry_at(env->space, slot, slot_level);

	/*
	 * A table under the slot goes with everything in it (valid pages too):
	 * the final TLBI removes whatever the helper's per-VA TLBI missed before
	 * any page is reused: PT_TLBI_ALL in general, PT_TLBI_ALL_LEVELS (at the
	 * slot's VA) for callers that only ever touch that one VA. A block is
	 * cleared by unmap_range(). No per-entry TLBI: cleanup is not measured.
	 */
	if (e && desc_type(pt_read_desc(e), slot_level) == DESC_TABLE) {
		if (slot_level == 1)
			pt_linux_pud_free_pmd_page(e, slot);
		else
			pt_linux_pmd_free_pte_page(e, slot);
	} else {
		(void)unmap_range(env->space, slot, pt_level_size(slot_level), PT_TLBI_NONE);
	}
	pt_tlbi_scope_va(final_tlbi, slot);
	return reclaim_leaked(env->space, dangling, force_sweep);
}
