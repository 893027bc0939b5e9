/*
 * mmu: the page-table library on the real MMU. Every check compares three
 * views of one address: what the tables say (pt_translate, a software walk),
 * what the MMU says (AT S1E1R + PAR_EL1) and what a load actually returns.
 */
#include <stdint.h>

#include "platform/boot_info.h"
#include "mmu/boot_map.h"
#include "boot/exception.h"
#include "boot/sysregs.h"
#include "mmu/enable.h"
#include "mmu/desc.h"
#include "mmu/pt.h"
#include "mmu/sweep.h"
#include "mmu/walk.h"
#include "tests/registry.h"
#include "tests/scenario.h"

/* VA windows of this group: L0 index 2 (scenarios use index 1, selftest 0 and 511). */
#define MMU_TEST_VA 0x0000010000000000ull
#define MMU_TEST_VA_2M (MMU_TEST_VA + (1ull << 30))
#define MMU_TEST_VA_1G (MMU_TEST_VA + (2ull << 30))
/* The same window in TTBR1's space (the upper range): mmu/ttbr1-roundtrip. */
#define MMU_TEST_KVA (PT_TTBR1_VA_BASE + MMU_TEST_VA)
#define POISON 0xdeadbeefdeadbeefull

/* The live space that translates va: TTBR1's for the upper range (VA[55]), else TTBR0's boot map. */
static struct pt_space *space_of(uint64_t va)
{
	return pt_va_ttbr(va) ? boot_map_kernel_space() : boot_map_space();
}

/* map_range() behind the rule every test mapping keeps (scn_mapping_unsafe): XN, Normal only over RAM. */
static enum pt_status checked_map(struct test_ctx *t, uint64_t va, uint64_t pa, uint64_t size, pt_attrs_t attrs)
{
	const char *why = scn_mapping_unsafe(pa, size, attrs);

	CHECK(t, !why, "refused to map 0x%llx+0x%llx: %s", (unsigned long long)pa, (unsigned long long)size, why);
	return why ? PT_ERR_INVALID_ARG : map_range(space_of(va), va, pa, size, attrs, PT_POLICY_REFUSE_LIVE);
}

/* The three views of one VA. */
struct views {
	struct pt_translation sw;
	struct pt_par hw;
	struct fault_record load;
	uint64_t value;
};

static void look(uint64_t va, struct views *v)
{
	pt_translate(space_of(va), va, &v->sw);
	pt_hw_translate(va, &v->hw);
	v->value = probe_read64(va, POISON, &v->load);
}

/* A mapped VA: the walk and AT give the same PA, the load does not fault. */
static void check_mapped(struct test_ctx *t, uint64_t va, uint64_t pa, enum pt_memtype mt, const char *what)
{
	struct views v;

	look(va, &v);
	CHECK(t, v.sw.ok, "%s: software walk of 0x%llx faults (%s, level %d)", what, (unsigned long long)va,
	      pt_fault_name(v.sw.fault), v.sw.level);
	CHECK(t, v.sw.pa == pa, "%s: software walk gives PA 0x%llx, expected 0x%llx", what,
	      (unsigned long long)v.sw.pa, (unsigned long long)pa);
	CHECK(t, desc_memtype(v.sw.desc) == mt, "%s: memory type %s, expected %s", what,
	      pt_memtype_name(desc_memtype(v.sw.desc)), pt_memtype_name(mt));
	CHECK(t, v.hw.available && !v.hw.fault, "%s: AT S1E1R faults for 0x%llx (FST 0x%x)", what,
	      (unsigned long long)va, v.hw.fst);
	CHECK(t, v.hw.pa == pa, "%s: AT gives PA 0x%llx, expected 0x%llx", what, (unsigned long long)v.hw.pa,
	      (unsigned long long)pa);
	CHECK(t, !v.load.taken, "%s: load from 0x%llx faulted (FSC 0x%x)", what, (unsigned long long)va,
	      v.load.fsc);
}

/*
 * A device address: the walk and AT say identity-mapped Device-nGnRnE. No load:
 * reading a UART or other device register has side effects.
 */
static void check_device(struct test_ctx *t, uint64_t pa, const char *what)
{
	struct pt_translation sw;
	struct pt_par hw;

	pt_translate(boot_map_space(), pa, &sw);
	pt_hw_translate(pa, &hw);
	CHECK(t, sw.ok && sw.pa == pa && desc_memtype(sw.desc) == MT_DEVICE_nGnRnE,
	      "%s 0x%llx is not identity-mapped as Device", what, (unsigned long long)pa);
	CHECK(t, sw.ok && (sw.desc & (PTE_PXN | PTE_UXN)) == (PTE_PXN | PTE_UXN), "%s 0x%llx is executable", what,
	      (unsigned long long)pa);
	CHECK(t, hw.available && !hw.fault && hw.pa == pa && hw.attr == MAIR_ATTR_DEVICE_nGnRnE,
	      "AT: %s 0x%llx fault=%d PA 0x%llx attr 0x%x", what, (unsigned long long)pa, hw.fault,
	      (unsigned long long)hw.pa, hw.attr);
}

/*
 * A no-map reserved region: first and last page unmapped, per walk and AT (no
 * load: it may be secure memory). The early 2 MiB windows around the image and
 * DTB are mapped before the DTB is read; the banner warns about those.
 */
static void check_not_mapped(struct test_ctx *t, const struct dtb_reserved *r)
{
	const struct boot_info *bi = boot_info();
	uint64_t ends[2] = {r->base, (r->base + r->size - 1) & ~(SZ_4K - 1)};

	for (unsigned i = 0; i < 2; i++) {
		uint64_t pa = ends[i];
		struct pt_translation sw;
		struct pt_par hw;
		bool early = (pa >= (bi->image_lo & ~(SZ_2M - 1)) && pa < ((bi->image_hi + SZ_2M - 1) & ~(SZ_2M - 1))) ||
			     (pa >= (bi->dtb_lo & ~(SZ_2M - 1)) && pa < ((bi->dtb_hi + SZ_2M - 1) & ~(SZ_2M - 1)));
		if (early)
			continue;
		pt_translate(boot_map_space(), pa, &sw);
		pt_hw_translate(pa, &hw);
		CHECK(t, !sw.ok && hw.available && hw.fault, "no-map %s at 0x%llx is mapped (walk %d, AT fault %d)",
		      r->name, (unsigned long long)pa, sw.ok, hw.fault);
	}
}

/* An unmapped VA: all three views report a translation fault at `level`. */
static void check_fault(struct test_ctx *t, uint64_t va, int level, const char *what)
{
	struct views v;

	look(va, &v);
	CHECK(t, !v.sw.ok && v.sw.fault == PT_FAULT_TRANSLATION && v.sw.level == level,
	      "%s: software walk says %s at level %d, expected a translation fault at level %d", what,
	      v.sw.ok ? "mapped" : pt_fault_name(v.sw.fault), v.sw.level, level);
	CHECK(t, v.hw.available && v.hw.fault && v.hw.fst == 0x04u + (unsigned)level,
	      "%s: AT says fault=%d FST 0x%x, expected translation fault level %d (0x%x)", what, v.hw.fault,
	      v.hw.fst, level, 0x04 + level);
	CHECK(t, v.load.taken && v.load.kind == FAULT_TRANSLATION && v.load.level == level,
	      "%s: the load %s (FSC 0x%x), expected a translation fault at level %d", what,
	      v.load.taken ? "faulted differently" : "did not fault", v.load.fsc, level);
	CHECK(t, v.value == POISON, "%s: the faulting load returned data", what);
}

TEST_CASE(mmu_boot_map, "mmu", "boot-map", "RAM is Normal, the console and device windows Device and execute-never, no-map memory unmapped, per walk, AT (and load for RAM)")
{
	const struct boot_info *bi = boot_info();

	/* RAM's whole pages of the granule: a partial page at either end is left unmapped (boot_map.c). */
	uint64_t mask = PT_GRANULE_SIZE - 1;
	for (unsigned i = 0; i < bi->config.mem_count; i++) {
		uint64_t base = (bi->config.mem[i].base + mask) & ~mask;
		uint64_t end = (bi->config.mem[i].base + bi->config.mem[i].size) & ~mask;
		if (end <= base)
			continue;
		check_mapped(t, base, base, MT_NORMAL, "RAM start");
		check_mapped(t, end - 8, end - 8, MT_NORMAL, "RAM end");
	}
	check_mapped(t, bi->image_lo, bi->image_lo, MT_NORMAL, "image");
	check_device(t, bi->config.console.port.base, "console");
	/* First and last page of each device window (rpi3: they share RAM's 1 GiB region, so 2M/4K tables). */
	for (unsigned i = 0; i < bi->config.device_count; i++) {
		check_device(t, bi->config.devices[i].base, "device window start");
		check_device(t, bi->config.devices[i].base + bi->config.devices[i].size - SZ_4K, "device window end");
	}
	for (unsigned i = 0; i < bi->config.reserved_count; i++)
		if (bi->config.reserved[i].no_map)
			check_not_mapped(t, &bi->config.reserved[i]);
	if (t->verbose >= 2)
		pt_dump(boot_map_space());
}

/* These round trips and fault levels are 4K's shapes (4K page, 2M/1G blocks, L0-L3): other granules skip. */
static bool skip_unless_4k(struct test_ctx *t)
{
	return scn_skip_unless_4k(t, "written for 4K pages and 2M/1G blocks (the seed group runs at this granule)");
}

static uint64_t test_page[SZ_4K / 8] __attribute__((aligned(4096)));

TEST_CASE(mmu_roundtrip_4k, "mmu", "roundtrip-4k", "map a page, use it through the MMU, unmap it: all views agree")
{
	if (skip_unless_4k(t))
		return;
	struct pt_space *s = boot_map_space();
	uint64_t pa = (uint64_t)(uintptr_t)test_page;
	enum pt_status st = checked_map(t, MMU_TEST_VA, pa, SZ_4K, PT_PROT_NORMAL_XN);

	CHECK(t, st == PT_OK, "map_range: %s", pt_strerror(st));
	if (st != PT_OK)
		return;
	check_mapped(t, MMU_TEST_VA + 8, pa + 8, MT_NORMAL, "test page");
	/* The alias and the identity map reach the same memory (volatile: C cannot see the alias). */
	((volatile uint64_t *)test_page)[1] = 0x1111222233334444ull;
	CHECK_EQ_U64(t, *(volatile uint64_t *)(uintptr_t)(MMU_TEST_VA + 8), 0x1111222233334444ull);
	*(volatile uint64_t *)(uintptr_t)(MMU_TEST_VA + 16) = 0x5555666677778888ull;
	CHECK_EQ_U64(t, ((volatile uint64_t *)test_page)[2], 0x5555666677778888ull);
	/* Mapping it again is an overlap, refused without touching the tables. */
	st = map_range(s, MMU_TEST_VA, pa, SZ_4K, PT_PROT_NORMAL_XN, PT_POLICY_REFUSE_LIVE);
	CHECK(t, st == PT_ERR_OVERLAP || st == PT_ERR_LIVE_CHANGE, "second map_range: %s", pt_strerror(st));
	check_mapped(t, MMU_TEST_VA, pa, MT_NORMAL, "test page after a refused remap");

	st = unmap_range(s, MMU_TEST_VA, SZ_4K, PT_TLBI_LEAF);
	CHECK(t, st == PT_OK, "unmap_range: %s", pt_strerror(st));
	check_fault(t, MMU_TEST_VA, 3, "unmapped test page");
}

/*
 * TTBR1 on the real MMU: TTBR1_EL1 holds the kernel space's root and TCR_EL1 walks it (EPD1 = 0); an
 * unmapped upper VA faults at level 0 in all three views; a page mapped there is the same memory as
 * its identity mapping; the TTBR0 VA with the same low 48 bits stays unmapped; unmapped, it faults
 * at level 3; the kernel space's sweep is clean.
 */
TEST_CASE(mmu_ttbr1_roundtrip, "mmu", "ttbr1-roundtrip",
	  "TTBR1's space: its root in TTBR1_EL1, an upper-range page used through the MMU and unmapped, all views agree")
{
	struct pt_space *k = boot_map_kernel_space();
	uint64_t pa = (uint64_t)(uintptr_t)test_page;
	struct pt_sweep_report r;

	/* At 16K/64K the ttbr1 scenario rows use TTBR1's space; this 4K page and its L0..L3 levels are 4K's. */
	if (skip_unless_4k(t))
		return;
	CHECK(t, (read_sysreg(ttbr1_el1) & PTE_ADDR_MASK) == (uint64_t)(uintptr_t)k->root && k->root,
	      "TTBR1_EL1 0x%llx, the kernel space's root 0x%llx", (unsigned long long)read_sysreg(ttbr1_el1),
	      (unsigned long long)(uintptr_t)k->root);
	CHECK(t, !(read_sysreg(tcr_el1) & TCR_EPD1), "TCR_EL1 0x%llx: EPD1 set, TTBR1 walks disabled",
	      (unsigned long long)read_sysreg(tcr_el1));
	check_fault(t, MMU_TEST_KVA, 0, "empty TTBR1 range");
	enum pt_status st = checked_map(t, MMU_TEST_KVA, pa, SZ_4K, PT_PROT_NORMAL_XN);
	CHECK(t, st == PT_OK, "map_range in TTBR1's space: %s", pt_strerror(st));
	if (st != PT_OK)
		return;
	check_mapped(t, MMU_TEST_KVA + 8, pa + 8, MT_NORMAL, "TTBR1 page");
	((volatile uint64_t *)test_page)[1] = 0x7777888899990000ull;
	CHECK_EQ_U64(t, *(volatile uint64_t *)(uintptr_t)(MMU_TEST_KVA + 8), 0x7777888899990000ull);
	/* Its level depends on which mmu tests ran before (their tables stay): the walk says which. */
	struct pt_translation low;
	pt_translate(boot_map_space(), MMU_TEST_VA, &low);
	CHECK(t, !low.ok, "the TTBR0 VA 0x%llx with the same low 48 bits is mapped", (unsigned long long)MMU_TEST_VA);
	if (!low.ok)
		check_fault(t, MMU_TEST_VA, low.level, "the TTBR0 VA with the same low 48 bits");
	st = unmap_range(k, MMU_TEST_KVA, SZ_4K, PT_TLBI_LEAF);
	CHECK(t, st == PT_OK, "unmap_range: %s", pt_strerror(st));
	check_fault(t, MMU_TEST_KVA, 3, "unmapped TTBR1 page");
	st = pt_sweep(k, &r);
	CHECK(t, st == PT_OK && r.leaked == 0 && r.dangling == 0 && r.reachable == r.live,
	      "TTBR1 sweep: %s, leaked %u, dangling %u, %u reachable of %u live", pt_strerror(st), r.leaked, r.dangling,
	      r.reachable, r.live);
}

/* The first size-aligned block that the DTB says is all RAM, or 0 (RAM at PA 0 is fine: block 0 is size). */
static uint64_t ram_block(uint64_t size, uint64_t *pa)
{
	const struct board_config *cfg = &boot_info()->config;

	for (unsigned i = 0; i < cfg->mem_count; i++) {
		uint64_t lo = (cfg->mem[i].base + size - 1) & ~(size - 1), end = cfg->mem[i].base + cfg->mem[i].size;
		if (lo + size <= end && lo + size > lo) {
			*pa = lo;
			return size;
		}
	}
	return 0;
}

/* A block alias of RAM: walk, AT and a load agree, and read what the identity map reads. */
static void roundtrip_block(struct test_ctx *t, uint64_t va, uint64_t size, const char *what)
{
	uint64_t pa, off = 0x1000 + 0x10;

	if (!ram_block(size, &pa)) {
		test_diag(t, "%s: skipped: no %llu MiB of RAM by the DTB, and a block over non-RAM would map it as "
			     "Normal memory", what, (unsigned long long)(size >> 20));
		return;
	}
	const char *why = scn_mapping_unsafe(pa, size, PT_PROT_NORMAL_RO);
	if (why) {
		test_diag(t, "%s: skipped: 0x%llx would be %s", what, (unsigned long long)pa, why);
		return;
	}
	/* Read-only, execute-never: the alias is only read. */
	enum pt_status st = checked_map(t, va, pa, size, PT_PROT_NORMAL_RO);
	CHECK(t, st == PT_OK, "%s: map_range: %s", what, pt_strerror(st));
	if (st != PT_OK)
		return;
	struct pt_translation tr;
	pt_translate(boot_map_space(), va + off, &tr);
	CHECK(t, tr.ok && tr.size == size, "%s: walk gives a %llu-byte leaf", what, (unsigned long long)tr.size);
	check_mapped(t, va + off, pa + off, MT_NORMAL, what);
	CHECK_EQ_U64(t, *(volatile uint64_t *)(uintptr_t)(va + off), *(volatile uint64_t *)(uintptr_t)(pa + off));
	st = unmap_range(boot_map_space(), va, size, PT_TLBI_LEAF);
	CHECK(t, st == PT_OK, "%s: unmap_range: %s", what, pt_strerror(st));
	check_fault(t, va + off, size == SZ_1G ? 1 : 2, what);
}

TEST_CASE(mmu_roundtrip_blocks, "mmu", "roundtrip-blocks",
	  "2M and 1G block aliases of RAM read the same data (1G only where the DTB has a whole GiB of RAM)")
{
	if (skip_unless_4k(t))
		return;
	roundtrip_block(t, MMU_TEST_VA_2M, SZ_2M, "2M block");
	roundtrip_block(t, MMU_TEST_VA_1G, SZ_1G, "1G block");
}

TEST_CASE(mmu_fault_levels, "mmu", "fault-levels", "translation faults at L0-L3 agree between walk, AT and load")
{
	if (skip_unless_4k(t))
		return;
	struct pt_space *s = boot_map_space();
	uint64_t pa = (uint64_t)(uintptr_t)test_page;
	/* One page mapped at X builds L1, L2 and L3 tables; its neighbours then fault one level deeper each. */
	uint64_t x = MMU_TEST_VA + 3 * SZ_1G;
	enum pt_status st = checked_map(t, x, pa, SZ_4K, PT_PROT_NORMAL_XN);

	CHECK(t, st == PT_OK, "map_range: %s", pt_strerror(st));
	check_fault(t, 0x0000ff8000000000ull, 0, "L0 entry invalid");
	check_fault(t, MMU_TEST_VA + 512 * SZ_1G, 0, "next L0 entry");
	check_fault(t, x + SZ_1G, 1, "L1 entry invalid");
	check_fault(t, x + SZ_2M, 2, "L2 entry invalid");
	check_fault(t, x + SZ_4K, 3, "L3 entry invalid");
	check_mapped(t, x, pa, MT_NORMAL, "the page itself");
	st = unmap_range(s, x, SZ_4K, PT_TLBI_LEAF);
	CHECK(t, st == PT_OK, "unmap_range: %s", pt_strerror(st));
}

TEST_CASE(mmu_sweep_clean, "mmu", "sweep-clean", "the live tree has no leaked or dangling table pages")
{
	struct pt_sweep_report r;
	enum pt_status st = pt_sweep(boot_map_space(), &r);

	CHECK(t, st == PT_OK, "pt_sweep: %s", pt_strerror(st));
	CHECK(t, r.leaked == 0 && r.dangling == 0, "leaked %u, dangling %u", r.leaked, r.dangling);
	CHECK(t, r.reachable == r.live, "%u pages reachable, %u live", r.reachable, r.live);
	CHECK(t, r.reachable >= 2, "only %u table pages reachable from TTBR0", r.reachable);
	test_verbose(t, 1, "live tree: %u table pages, all reachable", r.reachable);
	if (r.leaked || r.dangling)
		pt_sweep_print(&r);
}

struct leaf_check {
	struct test_ctx *t;
	unsigned normal, bad;
};

/* Every valid leaf under table (level, VA base): Normal memory must be RAM by the DTB. */
static void check_leaves(struct leaf_check *c, const pt_entry_t *table, int level, uint64_t va)
{
	for (unsigned i = 0; i < pt_level_entries(level); i++) {
		pt_entry_t d = table[i];
		uint64_t eva = va + (uint64_t)i * pt_level_size(level);
		if (desc_type(d, level) == DESC_TABLE) {
			check_leaves(c, (const pt_entry_t *)(uintptr_t)desc_oa(d, level), level + 1, eva);
			continue;
		}
		if (!desc_is_leaf(d, level) || desc_memtype(d) == MT_DEVICE_nGnRnE)
			continue;
		c->normal++;
		if (!scn_is_ram(desc_oa(d, level), pt_level_size(level)) && c->bad++ < 4)
			test_fail_at(c->t, __FILE__, __LINE__, "VA 0x%llx maps non-RAM PA 0x%llx (%llu bytes) as Normal memory",
				     (unsigned long long)eva, (unsigned long long)desc_oa(d, level),
				     (unsigned long long)pt_level_size(level));
	}
}

TEST_CASE(mmu_normal_is_ram, "mmu", "normal-is-ram",
	  "every Normal leaf of the live tables is RAM by the DTB (a Normal mapping of a device may be read speculatively)")
{
	const struct pt_space *s = boot_map_space();
	struct leaf_check c = {.t = t};

	check_leaves(&c, s->root, s->start_level, 0);
	t->checks++;
	CHECK(t, c.normal > 0, "no Normal leaf at all in the live tables");
	test_verbose(t, 1, "%u Normal leaves, %u outside RAM", c.normal, c.bad);
}
