/* Flat VA->PA reference model and the random operation driver (see ref_model.h). */
#include "host/support/ref_model.h"

#include <stdio.h>

#include "mmu/pool.h"
#include "mmu/sweep.h"
#include "mmu/walk.h"

#define K4 4096ull
#define M2 (2ull << 20)
#define G1 (1ull << 30)

static uint64_t ref_pa[REF_PAGES];
static uint8_t ref_attr[REF_PAGES];

static const pt_attrs_t attr_sets[REF_ATTR_SETS] = {PT_PROT_NORMAL, PT_PROT_DEVICE, PT_PROT_NORMAL_RO};

pt_attrs_t ref_attr_value(unsigned attr)
{
	return attr_sets[attr % REF_ATTR_SETS];
}

void ref_reset(void)
{
	for (size_t i = 0; i < REF_PAGES; i++) {
		ref_pa[i] = REF_UNMAPPED;
		ref_attr[i] = 0;
	}
}

static bool clip(uint64_t *va, uint64_t *size)
{
	uint64_t end = *va + *size;
	if (*va < REF_VA_BASE)
		*va = REF_VA_BASE;
	if (end > REF_VA_BASE + REF_VA_SIZE)
		end = REF_VA_BASE + REF_VA_SIZE;
	if (end <= *va)
		return false;
	*size = end - *va;
	return true;
}

void ref_set(uint64_t va, uint64_t pa, uint64_t size, unsigned attr)
{
	uint64_t v = va, sz = size;
	if (!clip(&v, &sz))
		return;
	for (uint64_t off = 0; off < sz; off += K4) {
		size_t i = (size_t)((v + off - REF_VA_BASE) >> 12);
		ref_pa[i] = pa == REF_UNMAPPED ? REF_UNMAPPED : pa + (v - va) + off;
		ref_attr[i] = (uint8_t)attr;
	}
}

uint64_t ref_get(uint64_t va)
{
	if (va < REF_VA_BASE || va >= REF_VA_BASE + REF_VA_SIZE)
		return REF_UNMAPPED;
	return ref_pa[(va - REF_VA_BASE) >> 12];
}

bool ref_check_range(const struct pt_space *s, uint64_t va, uint64_t size, char *msg, size_t n)
{
	va &= ~(K4 - 1);
	if (!clip(&va, &size))
		return true;
	uint64_t end = va + size;
	while (va < end) {
		struct pt_translation tr;
		if (pt_translate(s, va, &tr) != PT_OK) {
			snprintf(msg, n, "pt_translate failed at 0x%llx", (unsigned long long)va);
			return false;
		}
		uint64_t span, first_pa = REF_UNMAPPED;
		if (tr.ok) {
			uint64_t base = va & ~(tr.size - 1);
			span = base + tr.size - va;
			first_pa = tr.pa;
		} else if (tr.fault == PT_FAULT_TRANSLATION) {
			uint64_t lsz = pt_level_size(tr.level);
			span = (va & ~(lsz - 1)) + lsz - va;
		} else {
			snprintf(msg, n, "unexpected %s fault at 0x%llx level %d", pt_fault_name(tr.fault),
				 (unsigned long long)va, tr.level);
			return false;
		}
		if (span > end - va)
			span = end - va;
		for (uint64_t off = 0; off < span; off += K4) {
			size_t i = (size_t)((va + off - REF_VA_BASE) >> 12);
			uint64_t want = ref_pa[i];
			uint64_t got = first_pa == REF_UNMAPPED ? REF_UNMAPPED : first_pa + off;
			if (want != got) {
				snprintf(msg, n, "VA 0x%llx: tables give %s0x%llx (level %d), model says %s0x%llx",
					 (unsigned long long)va + off, got == REF_UNMAPPED ? "unmapped " : "",
					 (unsigned long long)got, tr.level, want == REF_UNMAPPED ? "unmapped " : "",
					 (unsigned long long)want);
				return false;
			}
			if (tr.ok && tr.attrs != ref_attr_value(ref_attr[i])) {
				snprintf(msg, n, "VA 0x%llx: attrs 0x%llx, model 0x%llx", (unsigned long long)va + off,
					 (unsigned long long)tr.attrs,
					 (unsigned long long)ref_attr_value(ref_attr[i]));
				return false;
			}
		}
		va += span;
	}
	return true;
}

bool ref_check_pool(const struct pt_space *s, enum pt_policy policy, char *msg, size_t n)
{
	struct pt_sweep_report r;
	struct pt_pool_stats ps;
	if (pt_sweep(s, &r) != PT_OK) {
		snprintf(msg, n, "sweep failed");
		return false;
	}
	pt_pool_get_stats(&ps);
	if (r.dangling || r.foreign || r.shared || r.misplaced) {
		snprintf(msg, n, "sweep anomalies: dangling=%u foreign=%u shared=%u misplaced=%u", r.dangling,
			 r.foreign, r.shared, r.misplaced);
		return false;
	}
	if (r.live != r.reachable + r.leaked || r.live != ps.live || ps.allocated - ps.freed != ps.live ||
	    ps.live > ps.high_water || ps.live > ps.capacity) {
		snprintf(msg, n, "accounting: sweep live=%u reachable=%u leaked=%u, pool live=%u alloc=%llu freed=%llu hw=%u",
			 r.live, r.reachable, r.leaked, ps.live, (unsigned long long)ps.allocated,
			 (unsigned long long)ps.freed, ps.high_water);
		return false;
	}
	if (policy != PT_POLICY_LINUX_4_14 && r.leaked) {
		snprintf(msg, n, "%s leaked %u table pages", pt_policy_name(policy), r.leaked);
		return false;
	}
	return true;
}

bool ref_rng_exhausted(const struct ref_rng *r)
{
	return r->data && r->pos >= r->len;
}

uint64_t ref_rng_next(struct ref_rng *r)
{
	if (r->data) { /* 2 bytes per decision: enough for every choice the driver makes */
		uint64_t v = 0;
		for (int i = 0; i < 2 && r->pos < r->len; i++)
			v |= (uint64_t)r->data[r->pos++] << (8 * i);
		return v * 0x9e3779b97f4a7c15ull >> 16 ^ v; /* keep small inputs spread over big ranges */
	}
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t ref_rng_below(struct ref_rng *r, uint64_t n)
{
	return n ? ref_rng_next(r) % n : 0;
}

static uint64_t hot_chunk(struct ref_rng *r)
{
	uint64_t k = ref_rng_below(r, REF_HOT_CHUNKS);
	return REF_VA_BASE + (k / 32) * G1 + (k % 32) * M2;
}

/* A random (va, size) in the window, biased towards the hot chunks and block-friendly shapes. */
static void pick_range(struct ref_rng *r, uint64_t *va, uint64_t *size)
{
	uint64_t c = hot_chunk(r);
	switch (ref_rng_below(r, 10)) {
	case 0: /* a whole 1G slot */
		*va = REF_VA_BASE + ref_rng_below(r, 2) * G1;
		*size = G1;
		break;
	case 1:
	case 2: /* one or two 2M chunks */
		*va = c;
		*size = (1 + ref_rng_below(r, 2)) * M2;
		break;
	case 3: /* straddling a 2M boundary */
		*va = c + M2 - (1 + ref_rng_below(r, 4)) * K4;
		*size = M2 + (1 + ref_rng_below(r, 8)) * K4;
		break;
	default: /* a few pages */
		*va = c + ref_rng_below(r, 512) * K4;
		*size = (1 + ref_rng_below(r, 8)) * K4;
		break;
	}
	if (*va + *size > REF_VA_BASE + REF_VA_SIZE)
		*size = REF_VA_BASE + REF_VA_SIZE - *va;
}

static uint64_t pick_pa(struct ref_rng *r, uint64_t size)
{
	uint64_t pa = (1 + ref_rng_below(r, 1u << 20)) * K4 * 64; /* below 2^38 */
	unsigned k = (unsigned)ref_rng_below(r, 10);
	if (size >= G1 && k < 8)
		return pa & ~(G1 - 1);
	if (size >= M2 && k < 8)
		return pa & ~(M2 - 1);
	return pa + ref_rng_below(r, 64) * K4;
}

static bool range_unmapped(uint64_t va, uint64_t size)
{
	for (uint64_t off = 0; off < size; off += K4)
		if (ref_get(va + off) != REF_UNMAPPED)
			return false;
	return true;
}

/* Disciplined mode: unmap a range the model shows as one run of mappings (whole blocks included). */
static bool pick_mapped_run(struct ref_rng *r, uint64_t *va, uint64_t *size)
{
	for (int tries = 0; tries < 16; tries++) {
		uint64_t c = hot_chunk(r);
		uint64_t v = c + ref_rng_below(r, 512) * K4;
		if (ref_get(v) == REF_UNMAPPED)
			continue;
		/* grow to the mapped run inside this 2M, rounded out to whatever blocks hold it */
		uint64_t lo = v, hi = v + K4;
		while (lo > c && ref_get(lo - K4) != REF_UNMAPPED)
			lo -= K4;
		while (hi < c + M2 && ref_get(hi) != REF_UNMAPPED)
			hi += K4;
		*va = lo;
		*size = hi - lo;
		return true;
	}
	return false;
}

static bool check_after(struct pt_space *s, enum pt_policy policy, uint64_t va, uint64_t size, char *msg, size_t n)
{
	if (!ref_check_range(s, va, size, msg, n))
		return false;
	return ref_check_pool(s, policy, msg, n);
}

static enum pt_tlbi_scope pick_scope(struct ref_rng *r)
{
	return (enum pt_tlbi_scope)(PT_TLBI_LEAF + ref_rng_below(r, 3));
}

bool ref_random_op(struct pt_space *s, struct ref_rng *r, enum pt_policy policy, bool disciplined,
		   struct ref_run_stats *st, char *msg, size_t n)
{
	uint64_t va, size;
	unsigned op = (unsigned)ref_rng_below(r, 100);
	enum pt_status rc;

	if (op < 45) { /* map */
		pick_range(r, &va, &size);
		if (disciplined && !range_unmapped(va, size))
			return true;
		uint64_t pa = pick_pa(r, size);
		unsigned attr = (unsigned)ref_rng_below(r, REF_ATTR_SETS);
		rc = map_range(s, va, pa, size, ref_attr_value(attr), policy);
		if (rc == PT_OK) {
			ref_set(va, pa, size, attr);
			st->maps_ok++;
		} else if (rc == PT_ERR_OVERLAP || rc == PT_ERR_LIVE_CHANGE || rc == PT_ERR_NOMEM) {
			st->maps_refused++;
		} else {
			snprintf(msg, n, "map_range(0x%llx, 0x%llx, 0x%llx): unexpected %s", (unsigned long long)va,
				 (unsigned long long)pa, (unsigned long long)size, pt_strerror(rc));
			return false;
		}
		return check_after(s, policy, va, size, msg, n);
	}
	if (op < 80) { /* unmap */
		enum pt_tlbi_scope scope = disciplined ? PT_TLBI_LEAF : pick_scope(r);
		if (disciplined && ref_rng_below(r, 2)) {
			/* everything in one chunk (several vunmaps at once), or the 1G block holding it */
			int level;
			va = hot_chunk(r);
			size = M2;
			pt_entry_t *e = pt_find_entry(s, va, &level);
			if (e && level == 1 && desc_type(*e, 1) == DESC_BLOCK) {
				va &= ~(G1 - 1);
				size = G1;
			}
		} else if (disciplined) {
			if (!pick_mapped_run(r, &va, &size))
				return true;
		} else {
			pick_range(r, &va, &size);
		}
		rc = unmap_range(s, va, size, scope);
		if (rc == PT_OK) {
			ref_set(va, REF_UNMAPPED, size, 0);
			st->unmaps_ok++;
		} else if (rc == PT_ERR_PARTIAL_BLOCK) {
			st->unmaps_refused++;
		} else {
			snprintf(msg, n, "unmap_range(0x%llx, 0x%llx): unexpected %s", (unsigned long long)va,
				 (unsigned long long)size, pt_strerror(rc));
			return false;
		}
		return check_after(s, policy, va, size, msg, n);
	}
	if (op < 88) { /* the seed: 4K in, 4K out, 2M over the same chunk */
		uint64_t c = hot_chunk(r);
		if (disciplined && !range_unmapped(c, M2))
			return true;
		uint64_t v = c + ref_rng_below(r, 512) * K4, pa = pick_pa(r, K4);
		rc = map_range(s, v, pa, K4, ref_attr_value(1), policy);
		if (rc == PT_OK) {
			ref_set(v, pa, K4, 1);
			if (unmap_range(s, v, K4, PT_TLBI_LEAF) != PT_OK) {
				snprintf(msg, n, "unmap of a fresh 4K page failed");
				return false;
			}
			ref_set(v, REF_UNMAPPED, K4, 0);
		}
		uint64_t bpa = pick_pa(r, M2) & ~(M2 - 1);
		rc = map_range(s, c, bpa, M2, ref_attr_value(1), policy);
		if (rc == PT_OK)
			ref_set(c, bpa, M2, 1);
		st->remaps++;
		return check_after(s, policy, c, M2, msg, n);
	}
	/* pick an entry somewhere in the hot chunks */
	int level;
	uint64_t v = hot_chunk(r) + ref_rng_below(r, 512) * K4;
	pt_entry_t *e = pt_find_entry(s, v, &level);
	if (!e)
		return true;
	uint64_t lsz = pt_level_size(level), base = v & ~(lsz - 1);
	if (op < 94) { /* split a block with BBM */
		if (desc_type(*e, level) != DESC_BLOCK)
			return true;
		rc = pt_split_block(s, e, true);
		if (rc != PT_OK && rc != PT_ERR_NOMEM) {
			snprintf(msg, n, "split at 0x%llx: %s", (unsigned long long)base, pt_strerror(rc));
			return false;
		}
		st->splits++;
		return check_after(s, policy, base, lsz, msg, n);
	}
	/* replace the entry (whatever it is, incl. a table) by a fresh leaf with BBM */
	if (!pt_level_allows_leaf(level) || base < REF_VA_BASE || base + lsz > REF_VA_BASE + REF_VA_SIZE)
		return true;
	if (disciplined && !range_unmapped(base, lsz))
		return true;
	uint64_t pa = pick_pa(r, lsz) & ~(lsz - 1);
	unsigned attr = (unsigned)ref_rng_below(r, REF_ATTR_SETS);
	rc = pt_replace_bbm(s, e, desc_leaf(level, pa, ref_attr_value(attr)));
	if (rc != PT_OK) {
		snprintf(msg, n, "replace at 0x%llx: %s", (unsigned long long)base, pt_strerror(rc));
		return false;
	}
	ref_set(base, pa, lsz, attr);
	st->replaces++;
	return check_after(s, policy, base, lsz, msg, n);
}
