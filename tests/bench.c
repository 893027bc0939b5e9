/*
 * bench: cost of the seed cycle (map 4K, access, unmap with the leaf TLBI, map
 * 2M, access, unmap) through the library (a prepared VA, pt_va_*) and the
 * scenario instrumentation, against a hand-written loop of the same descriptor
 * stores, barriers and TLBIs with no bookkeeping, monitor off and on.
 *
 * Estimator: per-cycle times (CNTVCT) over short interleaved rounds (the
 * paths take turns every BENCH_ROUND_CYCLES cycles, so all of them see the
 * same load), each path's median cycle, and their ratio. The spread is the
 * interquartile range of the per-round ratios (range: min..max). Medians,
 * because on a loaded host a preempted cycle is an outlier, not a trend. One
 * line per policy and monitor setting:
 * `# bench policy=P monitor=off|on ratio=R target=T met=yes|no spread=Q1..Q3 range=MIN..MAX ...`.
 *
 * Asserted: that it measured (cycles ran, time advanced, every path ran as
 * many cycles), that the library did exactly the baseline's writes, barriers
 * and TLBIs (counted by a sink on the library's event stream), and the
 * monitor's count. Never a timing threshold. `make bench` runs this group on QEMU virt.
 */
#include <stdio.h>
#include <stdlib.h>

#include "boot/exception.h"
#include "boot/hot_data.h"
#include "lib/timing.h"
#include "mmu/pt_va.h"
#include "mmu/pt_write.h"
#include "mmu/tlb.h"
#include "mmu/unsafe.h"
#include "tests/scenario.h"

#define BENCH_ROUND_CYCLES 10u /* cycles per path per round: short, so load changes hit every path */
#define BENCH_MAX_CYCLES 5000u /* per path; iters above it is clamped (the image's BSS must stay under 1 MiB) */
#define BENCH_MAX_ROUNDS (BENCH_MAX_CYCLES / BENCH_ROUND_CYCLES)
#define BENCH_WARMUP 8         /* untimed cycles per path first: code translated, TLB warm */
#define BENCH_CHECK_CYCLES 8   /* untimed cycles per path with the monitor counting events */
#define TARGET_OFF_X100 120
#define TARGET_ON_X100 200
#define BENCH_SLOT 32
#define MARK_OLD_BENCH 0x4f4c4442454e4348ull
#define MARK_NEW_BENCH 0x4e455742454e4348ull

enum bench_path { PATH_BASELINE, PATH_LIB_MONITOR_OFF, PATH_LIB_MONITOR_ON, PATH_COUNT };

struct bench {
	struct scn_env env;
	enum pt_policy policy;
	uint64_t va;
	pt_entry_t *pmdp;      /* the slot's PMD entry (its L2 table stays once created) */
	struct pt_va h;        /* the library's prepared VA: the slot */
	struct histogram hist; /* library path: the access after the 2M map */
	uint64_t api_errors, warm_mismatch;
	/* The cycle's two accesses, classified after the timed window (bookkeeping, not the sequence). */
	struct fault_record warm, probe;
	uint64_t warm_value, probe_value;
	bool probed;
	unsigned cycles[PATH_COUNT];          /* timed cycles run */
	uint64_t ticks[PATH_COUNT];           /* their sum */
	uint32_t median[PATH_COUNT];          /* median cycle, ticks */
	unsigned rounds;
};

/* Per-round ratios x100 of each library path to the baseline (index: path - 1). */
static uint16_t round_ratio[PATH_COUNT - 1][BENCH_MAX_ROUNDS];

/* Per-cycle ticks of each path, in run order (round after round). */
/* 16 bits: a cycle is a few thousand ticks at most; a longer one (preempted) saturates, and medians ignore it. */
static uint16_t samples[PATH_COUNT][BENCH_MAX_CYCLES];
static uint16_t sorted[BENCH_MAX_CYCLES];

/* The baseline's PTE table: a fresh zeroed table per cycle, like the pool gives the library. 4K granule only. */
static pt_entry_t baseline_table[SZ_4K / sizeof(pt_entry_t)] __attribute__((aligned(SZ_4K)));
static volatile uint64_t load_sink;

/*
 * The library cycle: the prepared VA's calls with their statuses checked, and
 * the accesses through probe_read64() (fault armed), as scenarios make them.
 * What the accesses read is classified after the timed window (account_cycle()).
 * Both cycles are functions of their own in fixed code sections (boot/hot_data.h).
 */
HOT_TEXT static __attribute__((noinline)) void cycle_library(struct bench *b)
{
	/* Status checks as sums, not branches, stored once: the harness should not add to what is measured. */
	uint64_t errors = pt_va_map(&b->h, b->env.pa_old, SZ_4K, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE) != PT_OK;
	b->warm_value = probe_read64(b->va, 0, &b->warm);
	errors += pt_va_unmap(&b->h, SZ_4K, PT_TLBI_LEAF) != PT_OK;
	enum pt_status st = pt_va_map(&b->h, b->env.pa_new, SZ_2M, PT_PROT_NORMAL, b->policy);
	if (b->policy == PT_POLICY_REFUSE_LIVE) {
		b->api_errors += errors + (st != PT_ERR_LIVE_CHANGE);
		return; /* nothing new is mapped: no access, no unmap */
	}
	errors += st != PT_OK;
	b->probe_value = probe_read64(b->va, 0, &b->probe);
	b->probed = true;
	errors += pt_va_unmap(&b->h, SZ_2M, PT_TLBI_LEAF) != PT_OK;
	b->api_errors += errors;
}

/* Untimed: the first access must have read the old page; the one after the 2M map goes to the histogram. */
static void account_cycle(struct bench *b)
{
	if (b->warm.taken || b->warm_value != MARK_OLD_BENCH)
		b->warm_mismatch++;
	if (b->probed)
		histogram_add(&b->hist, outcome_classify(b->probe.taken, b->probe.kind, b->probe.level, b->probe_value,
							 MARK_NEW_BENCH, MARK_OLD_BENCH));
	b->probed = false;
}

/*
 * The same instruction sequence by hand (what map_range()/unmap_range() and
 * pmd_free_pte_page() emit for this case, DSB/TLBI/ISB via the mmu/tlb.h
 * helpers), with plain loads and nothing else. The PTE table is zeroed each
 * cycle because a new table must be; the 4.14 overwrite goes through the named
 * unsafe primitive because it breaks BBM.
 */
HOT_TEXT_BENCH_BASELINE static __attribute__((noinline)) void cycle_baseline(struct bench *b)
{
	volatile pt_entry_t *zero = baseline_table;
	pt_entry_t *ptep = &baseline_table[pt_va_index(b->va, 3)];

	for (unsigned i = 0; i < SZ_4K / sizeof(pt_entry_t); i++)
		zero[i] = 0;
	dsb_ishst();
	pt_write_desc(b->pmdp, desc_table((uint64_t)(uintptr_t)baseline_table));
	pt_write_desc(ptep, desc_page(b->env.pa_old, PT_PROT_NORMAL));
	dsb_ishst();
	isb();
	load_sink = *(volatile uint64_t *)(uintptr_t)b->va;
	pt_write_desc(ptep, 0);
	tlbi_leaf_va(b->va);
	switch (b->policy) {
	case PT_POLICY_LINUX_4_14:
		pt_unsafe_write_no_maintenance(b->pmdp, desc_block(2, b->env.pa_new, PT_PROT_NORMAL));
		break;
	case PT_POLICY_LINUX_FIXED:
		pt_write_desc(b->pmdp, 0);
		tlbi_all_levels_va(b->va);
		pt_write_desc(b->pmdp, desc_block(2, b->env.pa_new, PT_PROT_NORMAL));
		break;
	case PT_POLICY_REFUSE_LIVE:
	default:
		/* Decided from the entry, as pmd_set_huge() decides, not assumed: a live table refuses the block. */
		if (desc_type(pt_read_desc(b->pmdp), 2) == DESC_TABLE)
			return; /* refused: no further stores */
		pt_write_desc(b->pmdp, desc_block(2, b->env.pa_new, PT_PROT_NORMAL));
		break;
	}
	dsb_ishst();
	isb();
	load_sink = *(volatile uint64_t *)(uintptr_t)b->va;
	pt_write_desc(b->pmdp, 0);
	tlbi_leaf_va(b->va);
}

/* Untimed: back to an empty slot and a clean TLB, reclaiming what 4.14 leaked. */
static void reset_slot(struct bench *b, enum bench_path path)
{
	unsigned dangling;

	/*
	 * Every path only ever uses the slot's base VA, so all levels at that VA is
	 * the narrowest correct cleanup. A full flush here would start each timed
	 * cycle with a cold TLB, which on QEMU charges every distinct code and data
	 * page again and measures footprint rather than the sequence.
	 */
	if (path == PATH_BASELINE) {
		pt_write_desc(b->pmdp, 0); /* the refused case leaves the baseline table linked */
		tlbi_all_levels_va(b->va);
	} else {
		(void)scn_cleanup_slot(&b->env, b->va, 2, &dangling, false, PT_TLBI_ALL_LEVELS);
	}
}

/* A sink on the library's event stream counting events by kind (ctx: the counts). */
static void count_sink(void *ctx, const struct arch_event *evs, unsigned n)
{
	uint64_t *by_kind = ctx;
	for (unsigned i = 0; i < n; i++)
		if ((unsigned)evs[i].kind < ARCH_EV_KIND_COUNT)
			by_kind[evs[i].kind]++;
}

/* One cycle of a path (the monitor on for PATH_LIB_MONITOR_ON; events counted into `count` if set); its ticks. */
static uint64_t one_cycle(struct bench *b, enum bench_path path, uint64_t *count)
{
	if (path == PATH_LIB_MONITOR_ON)
		bbm_monitor_enable(true);
	if (count)
		(void)arch_event_subscribe(count_sink, count);
	uint64_t t0 = timer_counter();
	if (path == PATH_BASELINE)
		cycle_baseline(b);
	else
		cycle_library(b);
	arch_event_sync(); /* the consumers' work on this cycle's events is part of the cycle */
	uint64_t ticks = timer_counter() - t0;
	if (count)
		arch_event_unsubscribe(count_sink, count);
	bbm_monitor_enable(false);
	if (path != PATH_BASELINE)
		account_cycle(b);
	reset_slot(b, path);
	return ticks;
}

/* A timed round of `n` cycles of one path, each cycle's ticks kept. */
static void run_round(struct bench *b, enum bench_path path, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t ticks = one_cycle(b, path, 0);
		b->ticks[path] += ticks;
		samples[path][b->cycles[path]++] = ticks > UINT16_MAX ? UINT16_MAX : (uint16_t)ticks;
	}
}

static int cmp_u16(const void *a, const void *b)
{
	unsigned x = *(const uint16_t *)a, y = *(const uint16_t *)b;
	return (x > y) - (x < y);
}

static uint32_t median_of(const uint16_t *v, unsigned n)
{
	if (!n)
		return 0;
	for (unsigned i = 0; i < n; i++)
		sorted[i] = v[i];
	qsort(sorted, n, sizeof(sorted[0]), cmp_u16);
	return n % 2 ? sorted[n / 2] : (uint32_t)(((uint64_t)sorted[n / 2 - 1] + sorted[n / 2] + 1) / 2);
}

/* num/den x100, rounded. */
static unsigned ratio_x100(uint64_t num, uint64_t den)
{
	return den ? (unsigned)((num * 100 + den / 2) / den) : 0;
}

/* Rounds in which the paths take turns (the order reverses every round), then the medians and round ratios. */
static void measure(struct bench *b, unsigned rounds)
{
	for (unsigned p = 0; p < PATH_COUNT; p++)
		for (unsigned i = 0; i < BENCH_WARMUP; i++)
			(void)one_cycle(b, (enum bench_path)p, 0);
	bbm_monitor_reset(); /* count the timed cycles' violations only */
	for (unsigned r = 0; r < rounds; r++)
		for (unsigned k = 0; k < PATH_COUNT; k++)
			run_round(b, (enum bench_path)(r % 2 ? PATH_COUNT - 1 - k : k), BENCH_ROUND_CYCLES);
	b->rounds = rounds;
	for (unsigned p = 0; p < PATH_COUNT; p++)
		b->median[p] = median_of(samples[p], b->cycles[p]);
	for (unsigned r = 0; r < rounds; r++) {
		uint32_t base = median_of(&samples[PATH_BASELINE][r * BENCH_ROUND_CYCLES], BENCH_ROUND_CYCLES);
		for (unsigned p = 1; p < PATH_COUNT; p++) {
			const uint16_t *round = &samples[p][r * BENCH_ROUND_CYCLES];
			unsigned x = ratio_x100(median_of(round, BENCH_ROUND_CYCLES), base);
			round_ratio[p - 1][r] = (uint16_t)(x < UINT16_MAX ? x : UINT16_MAX);
		}
	}
}

/* The machine-readable line for one library path against the baseline; returns the ratio x100. */
static unsigned print_ratio(const struct bench *b, enum bench_path path, unsigned target, char *note, size_t len)
{
	unsigned ratio = ratio_x100(b->median[path], b->median[PATH_BASELINE]), n = b->rounds;
	uint16_t *rr = round_ratio[path - 1];
	uint64_t freq = timer_frequency();

	qsort(rr, n, sizeof(rr[0]), cmp_u16);
	unsigned q1 = rr[n / 4], q3 = rr[(3 * n) / 4 < n ? (3 * n) / 4 : n - 1], lo = rr[0], hi = rr[n - 1];
	bool on = path == PATH_LIB_MONITOR_ON;
	printf("# bench policy=%s monitor=%s ratio=%u.%02u target=%u.%02u met=%s spread=%u.%02u..%u.%02u "
	       "range=%u.%02u..%u.%02u ns=%llu baseline_ns=%llu n=%u rounds=%u\n",
	       pt_policy_name(b->policy), on ? "on" : "off", ratio / 100, ratio % 100, target / 100, target % 100,
	       ratio <= target ? "yes" : "no", q1 / 100, q1 % 100, q3 / 100, q3 % 100, lo / 100, lo % 100, hi / 100,
	       hi % 100, (unsigned long long)timer_ticks_to_ns(b->median[path], freq),
	       (unsigned long long)timer_ticks_to_ns(b->median[PATH_BASELINE], freq), b->cycles[path], n);
	snprintf(note, len, "%u.%02u (target %u.%02u)", ratio / 100, ratio % 100, target / 100, target % 100);
	return ratio;
}

/* Events of each kind over BENCH_CHECK_CYCLES untimed cycles of a path, from the library's event stream. */
static void count_events(struct bench *b, enum bench_path path, uint64_t *by_kind)
{
	for (unsigned k = 0; k < ARCH_EV_KIND_COUNT; k++)
		by_kind[k] = 0;
	for (unsigned i = 0; i < BENCH_CHECK_CYCLES; i++)
		(void)one_cycle(b, path, by_kind);
}

/* The library must issue exactly the baseline's descriptor writes, barriers and TLBIs, and one new table per cycle. */
static void check_same_work(struct test_ctx *t, struct bench *b)
{
	uint64_t base[ARCH_EV_KIND_COUNT], lib[ARCH_EV_KIND_COUNT];

	count_events(b, PATH_BASELINE, base);
	count_events(b, PATH_LIB_MONITOR_OFF, lib);
	for (unsigned k = 1; k < ARCH_EV_KIND_COUNT; k++) {
		if (k == ARCH_EV_TABLE_ALLOC || k == ARCH_EV_TABLE_FREE)
			continue; /* the baseline zeroes its own page: no pool */
		CHECK(t, lib[k] == base[k], "%s: library issued %llu '%s' in %u cycles, the baseline %llu",
		      pt_policy_name(b->policy), (unsigned long long)lib[k], arch_event_name((enum arch_event_kind)k),
		      BENCH_CHECK_CYCLES, (unsigned long long)base[k]);
	}
	CHECK(t, lib[ARCH_EV_TABLE_ALLOC] == BENCH_CHECK_CYCLES, "%s: %llu new tables in %u cycles, expected one each",
	      pt_policy_name(b->policy), (unsigned long long)lib[ARCH_EV_TABLE_ALLOC], BENCH_CHECK_CYCLES);
	uint64_t tlbis = base[ARCH_EV_TLBI_VALE1IS] + base[ARCH_EV_TLBI_VAE1IS] + base[ARCH_EV_TLBI_VAAE1IS] +
			 base[ARCH_EV_TLBI_VMALLE1IS];
	uint64_t barriers = base[ARCH_EV_DSB_ISHST] + base[ARCH_EV_DSB_ISH] + base[ARCH_EV_DSB_SY] + base[ARCH_EV_ISB];
	printf("# bench policy=%s per cycle: writes=%llu barriers=%llu tlbis=%llu new-tables=1, library = baseline\n",
	       pt_policy_name(b->policy), (unsigned long long)(base[ARCH_EV_WRITE] / BENCH_CHECK_CYCLES),
	       (unsigned long long)(barriers / BENCH_CHECK_CYCLES), (unsigned long long)(tlbis / BENCH_CHECK_CYCLES));
}

/* Slot tables created once, markers written, the prepared VA taken. False after a failed check. */
static bool bench_setup(struct test_ctx *t, struct bench *b)
{
	b->va = scn_slot_2m(BENCH_SLOT);
	histogram_init(&b->hist, b->policy == PT_POLICY_LINUX_FIXED ? OUTCOMES_AFTER_BBM : OUTCOMES_WITHOUT_BBM,
		       OUTCOMES_HAZARDS);
	*(volatile uint64_t *)(uintptr_t)b->env.pa_old = MARK_OLD_BENCH;
	*(volatile uint64_t *)(uintptr_t)b->env.pa_new = MARK_NEW_BENCH;
	/* Create the slot's L1/L2 tables once, so every path starts from an empty PMD entry. */
	if (map_range(b->env.space, b->va, b->env.pa_new, SZ_2M, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE) != PT_OK) {
		test_fail_at(t, __FILE__, __LINE__, "cannot map the bench slot 0x%llx", (unsigned long long)b->va);
		return false;
	}
	reset_slot(b, PATH_LIB_MONITOR_OFF);
	b->pmdp = pt_entry_at(b->env.space, b->va, 2);
	CHECK(t, b->pmdp != 0, "no PMD entry for the bench slot");
	CHECK(t, pt_va_prepare(&b->h, b->env.space, b->va) == PT_OK, "cannot prepare the bench slot's VA");
	return b->pmdp != 0 && t->failures == 0;
}

/* It measured: cycles ran, time advanced, the paths ran alike; the library's accesses and monitor counts. */
static void check_measured(struct test_ctx *t, const struct bench *b, uint64_t violations)
{
	for (unsigned p = 0; p < PATH_COUNT; p++) {
		CHECK(t, b->cycles[p] > 0 && b->ticks[p] > 0, "path %u measured no time: CNTVCT_EL0 did not advance",
		      p);
		CHECK(t, b->cycles[p] == b->cycles[PATH_BASELINE], "path %u ran %u cycles, the baseline %u", p,
		      b->cycles[p], b->cycles[PATH_BASELINE]);
	}
	uint64_t want = b->policy == PT_POLICY_LINUX_4_14 ? b->cycles[PATH_LIB_MONITOR_ON] : 0;
	CHECK(t, violations == want && bbm_monitor_count(BBM_RULE_LIVE_CHANGE) == want,
	      "the monitor counted %llu violations in %u cycles, expected %llu live-change",
	      (unsigned long long)violations,
	      b->cycles[PATH_LIB_MONITOR_ON], (unsigned long long)want);
	CHECK(t, b->api_errors == 0, "%llu library calls failed during the bench", (unsigned long long)b->api_errors);
	CHECK(t, b->warm_mismatch == 0, "%llu first accesses did not read the old page",
	      (unsigned long long)b->warm_mismatch);
	CHECK(t, histogram_verdict(&b->hist) != VERDICT_FORBIDDEN,
	      "an access after the 2M map gave an outcome forbidden by the architecture: CPU or emulator erratum, "
	      "or a harness bug");
}

static void bench_seed_cycle(struct test_ctx *t, enum pt_policy policy)
{
	struct bench b = {.policy = policy};
	char off[40], on[40];

	/* The hand-written baseline loop writes 4K descriptors into a 4K table: a 4K-only measurement. */
	if (scn_skip_unless_4k(t, "the baseline loop is written for 4K pages and 2M blocks"))
		return;
	if (!scn_env_init(t, &b.env) || !bench_setup(t, &b))
		return;
	unsigned total = t->iters < BENCH_MAX_CYCLES ? (unsigned)t->iters : BENCH_MAX_CYCLES;
	unsigned rounds = total / BENCH_ROUND_CYCLES ? total / BENCH_ROUND_CYCLES : 1;

	bbm_monitor_enable(false);
	bbm_monitor_reset();
	bbm_monitor_set_print(false);
	measure(&b, rounds);
	uint64_t violations = bbm_monitor_total();
	check_measured(t, &b, violations);
	check_same_work(t, &b);
	bbm_monitor_reset();
	bbm_monitor_set_print(true);

	print_ratio(&b, PATH_LIB_MONITOR_OFF, TARGET_OFF_X100, off, sizeof(off));
	print_ratio(&b, PATH_LIB_MONITOR_ON, TARGET_ON_X100, on, sizeof(on));
	test_note(t, "ratio %s, monitor on %s", off, on);
}

TEST_CASE_FLAGS(bench_seed_4_14, "bench", "seed-linux-4.14",
	       "ns per seed cycle under linux-4.14 vs a hand-written loop (monitor off and on)", TEST_NOT_DEFAULT)
{
	bench_seed_cycle(t, PT_POLICY_LINUX_4_14);
}

TEST_CASE_FLAGS(bench_seed_fixed, "bench", "seed-linux-fixed",
	       "ns per seed cycle under linux-fixed vs a hand-written loop (monitor off and on)", TEST_NOT_DEFAULT)
{
	bench_seed_cycle(t, PT_POLICY_LINUX_FIXED);
}

TEST_CASE_FLAGS(bench_seed_refuse, "bench", "seed-refuse-live",
	       "ns per seed cycle under refuse-live (the 2M map is refused) vs a hand-written loop", TEST_NOT_DEFAULT)
{
	bench_seed_cycle(t, PT_POLICY_REFUSE_LIVE);
}
