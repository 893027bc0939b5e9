/* Scenario engine (see scenario.h and docs/scenarios.md). */
#include "tests/scenario.h"

#include <stdio.h>
#include <string.h>

#include "platform/boot_info.h"
#include "mmu/boot_map.h"
#include "boot/exception.h"
#include "lib/timing.h"
#include "mmu/geometry.h"
#include "mmu/pool.h"
#include "mmu/pt_write.h"
#include "mmu/sweep.h"
#include "mmu/tlb.h"
#include "mmu/walk.h"

#define MARK_NEW 0x4e45570000000000ull /* "NEW" */
#define MARK_OLD 0x4f4c440000000000ull /* "OLD" */
#define PROBE_POISON 0x9015090150901509ull
/* Progress lines only for runs long enough to need them (the default 1000 stays quiet). */
#define PROGRESS_MIN_ITERS 10000u

static uint64_t pool_refusals(void)
{
	struct pt_pool_stats ps;

	pt_pool_get_stats(&ps);
	return ps.failed;
}

static bool overlaps(uint64_t lo, uint64_t hi, uint64_t b_lo, uint64_t b_hi)
{
	return lo < b_hi && b_lo < hi;
}

static bool range_is_ram(const struct board_config *cfg, uint64_t lo, uint64_t hi)
{
	for (unsigned i = 0; i < cfg->mem_count; i++)
		if (lo >= cfg->mem[i].base && hi <= cfg->mem[i].base + cfg->mem[i].size)
			return true;
	return false;
}

/* Highest 2 MiB-aligned 4 MiB in region r clear of the image, the DTB and reserved memory, or 0. */
static uint64_t scratch_in_region(const struct boot_info *bi, const struct mem_region *r)
{
	uint64_t base = r->base, end = (r->base + r->size) & ~(SZ_2M - 1);

	for (uint64_t top = end; top >= base + 2 * SZ_2M && top - 2 * SZ_2M >= base; top -= SZ_2M) {
		uint64_t lo = top - 2 * SZ_2M;
		if (overlaps(lo, top, bi->image_lo, bi->image_hi) || overlaps(lo, top, bi->dtb_lo, bi->dtb_hi) ||
		    boot_info_overlaps_reserved(lo, top))
			continue;
		if (top > PTE_ADDR_MASK)
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

bool scn_env_init(struct test_ctx *t, struct scn_env *env)
{
	const struct boot_info *bi = boot_info();
	const struct board_config *cfg = &bi->config;
	uint64_t best = 0;
	bool best_1g_ram = false;

	memset(env, 0, sizeof(*env));
	env->space = boot_map_space();
	/* Prefer scratch whose 1 GiB window is all RAM (the PUD scenarios alias that window). */
	for (unsigned i = 0; i < cfg->mem_count; i++) {
		uint64_t lo = scratch_in_region(bi, &cfg->mem[i]);
		if (!lo)
			continue;
		uint64_t g = lo & ~(SZ_1G - 1);
		bool all_ram = range_is_ram(cfg, g, g + SZ_1G);
		if (!best || (all_ram && !best_1g_ram) || (all_ram == best_1g_ram && lo > best)) {
			best = lo;
			best_1g_ram = all_ram;
		}
	}
	if (!best) {
		test_skip(t, "no 2 MiB-aligned 4 MiB of RAM clear of the image, the DTB and reserved memory");
		return false;
	}
	env->pa_new = best;
	env->pa_old = best + SZ_2M;
	env->pa_1g = best & ~(SZ_1G - 1);
	env->pa_1g_all_ram = best_1g_ram;
	if (!identity_normal(env->space, env->pa_new) || !identity_normal(env->space, env->pa_old + SZ_2M - 8)) {
		test_skip(t, "scratch RAM 0x%llx is not identity-mapped as Normal memory", (unsigned long long)best);
		return false;
	}
	struct pt_translation tr;
	if (pt_translate(env->space, SCN_WINDOW, &tr) != PT_OK || tr.ok) {
		test_skip(t, "the test VA window 0x%llx is already mapped", (unsigned long long)SCN_WINDOW);
		return false;
	}
	struct pt_sweep_report r;
	if (pt_sweep(env->space, &r) != PT_OK || r.leaked || r.dangling) {
		test_skip(t, "the live tables already have %u leaked / %u dangling pages", r.leaked, r.dangling);
		return false;
	}
	test_verbose(t, 2, "scratch: new block A 0x%llx, old block B 0x%llx, 1 GiB window 0x%llx%s",
		     (unsigned long long)env->pa_new, (unsigned long long)env->pa_old, (unsigned long long)env->pa_1g,
		     env->pa_1g_all_ram ? "" : " (partly outside the DTB's RAM)");
	return true;
}

pt_entry_t *scn_entry_at(const struct pt_space *s, uint64_t va, int level)
{
	if (!s || !s->root || va >= s->va_limit || !pt_level_valid(level) || level < s->start_level)
		return 0;
	pt_entry_t *table = s->root;
	for (int l = s->start_level;; l++) {
		pt_entry_t *e = &table[pt_va_index(va, l)];
		if (l == level)
			return e;
		pt_entry_t d = pt_read_desc(e);
		if (desc_type(d, l) != DESC_TABLE)
			return 0;
		table = (pt_entry_t *)(uintptr_t)desc_oa(d, l);
	}
}

void scn_warm(struct scn_iter *it, uint64_t va, uint64_t expect)
{
	struct fault_record rec;
	uint64_t v = probe_read64(va, PROBE_POISON, &rec);

	if (rec.taken || v != expect)
		it->warm_mismatch++;
}

/* One message per test for failed library calls, however many iterations and runs hit them. */
static const struct test_case *api_error_shown;

void scn_map(struct scn_iter *it, uint64_t va, uint64_t pa, uint64_t size, pt_attrs_t attrs, enum pt_policy p)
{
	enum pt_status st = map_range(it->env->space, va, pa, size, attrs, p);

	if (st != PT_OK) {
		it->api_errors++;
		if (api_error_shown != it->t->test) {
			api_error_shown = it->t->test;
			test_diag(it->t, "map_range(0x%llx, 0x%llx, 0x%llx, %s) failed: %s", (unsigned long long)va,
				  (unsigned long long)pa, (unsigned long long)size, pt_policy_name(p), pt_strerror(st));
		}
	}
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

unsigned scn_cleanup_slot(const struct scn_env *env, uint64_t slot, int slot_level, unsigned *dangling, bool force_sweep,
			  enum pt_tlbi_scope final_tlbi)
{
	pt_entry_t *e = scn_entry_at(env->space, slot, slot_level);

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

static uint64_t slot_va(const struct scn_spec *spec, uint64_t i)
{
	unsigned k = spec->slot + (spec->many_vas ? (unsigned)i : 0);
	return spec->slot_level == 1 ? scn_slot_1g(k) : scn_slot_2m(k);
}

static void print_histogram(const struct histogram *h)
{
	char row[128];

	printf("#   %-13s %10s %7s  %s\n", "outcome", "count", "share", "architecture");
	for (unsigned o = 0; o < OUTCOME_COUNT; o++) {
		if (!histogram_row_wanted(h, (enum outcome)o))
			continue;
		histogram_format_row(h, (enum outcome)o, row, sizeof(row));
		printf("%s\n", row);
	}
}

static void print_monitor(const struct scn_result *r)
{
	if (!r->monitor.violations) {
		printf("# BBM monitor: 0 violations\n");
		return;
	}
	printf("# BBM monitor: %llu violations:", (unsigned long long)r->monitor.violations);
	for (unsigned k = 0; k < BBM_RULE_COUNT; k++)
		if (r->monitor.by_rule[k])
			printf(" %s=%llu", bbm_rule_name((enum bbm_rule)k), (unsigned long long)r->monitor.by_rule[k]);
	printf("\n");
	if (r->have_example)
		printf("# BBM monitor example: rule=%s va=0x%llx level=%d old=0x%016llx new=0x%016llx\n",
		       bbm_rule_name(r->example.rule), (unsigned long long)r->example.va, r->example.level,
		       (unsigned long long)r->example.old, (unsigned long long)r->example.new_val);
	if (r->monitor.track_overflows)
		printf("# BBM monitor: %llu cleared entries could not be tracked\n",
		       (unsigned long long)r->monitor.track_overflows);
}

static void check_facts(struct test_ctx *t, const struct scn_spec *spec, const struct scn_result *r)
{
	uint64_t n = r->h.n;
	const char *label = spec->variant;

	if (r->h.harness_errors) {
		/* Nothing below is a finding: the runner reports a harness error (exit status 4). */
		test_harness_error(t, "%s: %llu of %llu iterations did not run (%llu table pages refused; "
				      "PT_POOL_PAGES=%u)", label, (unsigned long long)r->h.harness_errors,
				      (unsigned long long)(n + r->h.harness_errors), (unsigned long long)r->pool_refused,
				      (unsigned)PT_POOL_PAGES);
		return;
	}
	if (histogram_verdict(&r->h) == VERDICT_FORBIDDEN) {
		for (unsigned o = 0; o < OUTCOME_COUNT; o++)
			if (r->h.count[o] && !(r->h.allowed & OUTCOME_BIT(o)))
				test_fail_at(t, __FILE__, __LINE__,
					     "%s %s: outcome %s seen %llu times: forbidden by the architecture: CPU or "
					     "emulator erratum, or a harness bug",
					     spec->scenario, label, outcome_name((enum outcome)o),
					     (unsigned long long)r->h.count[o]);
		if (r->h.count[OUTCOME_OTHER])
			test_diag(t, "first 'other': ESR 0x%llx, value 0x%llx", (unsigned long long)r->h.first_other_esr,
				  (unsigned long long)r->h.first_other_value);
		t->checks++;
	}
	CHECK(t, r->leaked == (uint64_t)spec->leak_per_iter * n,
	      "%s %s (%s): %llu table pages leaked in %llu iterations, expected %d per iteration", spec->scenario,
	      label, spec->policy, (unsigned long long)r->leaked, (unsigned long long)n, spec->leak_per_iter);
	if (spec->expected_rule >= 0)
		CHECK(t, r->monitor.by_rule[spec->expected_rule] == n,
		      "%s %s: the BBM monitor counted %llu '%s' violations in %llu iterations, expected one each",
		      spec->scenario, label, (unsigned long long)r->monitor.by_rule[spec->expected_rule],
		      bbm_rule_name((enum bbm_rule)spec->expected_rule), (unsigned long long)n);
	else if (!spec->monitor_blind)
		CHECK(t, r->monitor.violations == 0, "%s %s: the BBM monitor flagged a correct sequence %llu times",
		      spec->scenario, label, (unsigned long long)r->monitor.violations);
	CHECK(t, r->refused == (spec->expect_refused ? n : 0), "%s %s (%s): %llu of %llu changes refused, expected %s",
	      spec->scenario, label, spec->policy, (unsigned long long)r->refused, (unsigned long long)n,
	      spec->expect_refused ? "all" : "none");
	CHECK(t, r->warm_mismatch == 0, "%s %s: %llu warm-up accesses did not read the old marker (harness bug)",
	      spec->scenario, label, (unsigned long long)r->warm_mismatch);
	CHECK(t, r->api_errors == 0, "%s %s: %llu library calls failed", spec->scenario, label,
	      (unsigned long long)r->api_errors);
	CHECK(t, r->dangling == 0, "%s %s: the sweep found %llu dangling table pages", spec->scenario, label,
	      (unsigned long long)r->dangling);
}

/* Classify one iteration's access; one whose sequence did not run (out of table pages, a failed call) is not judged. */
static void count_iteration(struct scn_result *out, const struct scn_iter *it, const struct fault_record *rec,
			    uint64_t v, uint64_t refused)
{
	enum outcome o = outcome_classify(rec->taken, rec->kind, rec->level, v, it->new_marker, it->old_marker);

	if (refused || it->api_errors) {
		out->pool_refused += refused;
		histogram_harness_error(&out->h, o);
		return;
	}
	if (o == OUTCOME_OTHER && !out->h.count[OUTCOME_OTHER]) {
		out->h.first_other_esr = rec->taken ? rec->esr : 0;
		out->h.first_other_value = v;
	}
	histogram_add(&out->h, o);
}

void scn_run(struct test_ctx *t, const struct scn_env *env, const struct scn_spec *spec, struct scn_result *out)
{
	uint64_t n = t->iters;
	uint64_t tag = (t->seed & 0xffff) << 32;
	bool progress = n >= PROGRESS_MIN_ITERS || t->verbose >= 3;
	uint64_t next_progress = n / 10;
	struct pt_translation tr;

	memset(out, 0, sizeof(*out));
	outcome_set_t expected = spec->expected ? spec->expected : OUTCOME_BIT(OUTCOME_NEW);
	histogram_init(&out->h, spec->allowed, OUTCOMES_WITHOUT_BBM & ~expected);
	if (pt_translate(env->space, slot_va(spec, 0), &tr) != PT_OK || tr.ok) {
		test_fail_at(t, __FILE__, __LINE__, "%s %s: slot 0x%llx is already mapped (an earlier scenario leaked it)",
			     spec->scenario, spec->variant, (unsigned long long)slot_va(spec, 0));
		return;
	}
	bbm_monitor_enable(false);
	bbm_monitor_reset();
	bbm_monitor_set_print(false);

	uint64_t t0 = timer_counter();
	for (uint64_t i = 0; i < n; i++) {
		struct scn_iter it;
		memset(&it, 0, sizeof(it));
		it.t = t;
		it.env = env;
		it.arg = spec->arg;
		it.index = i;
		it.slot = slot_va(spec, i);
		it.slot_level = spec->slot_level;
		it.probe_va = it.slot;
		/* Distinct per iteration: a value from an earlier one would classify as "other". */
		it.new_marker = MARK_NEW | tag | (i & 0xffffffffu);
		it.old_marker = MARK_OLD | tag | (i & 0xffffffffu);
		*(volatile uint64_t *)(uintptr_t)env->pa_new = it.new_marker;
		*(volatile uint64_t *)(uintptr_t)env->pa_old = it.old_marker;

		uint64_t refused = pool_refusals();
		bbm_monitor_enable(true);
		spec->body(&it);
		struct fault_record rec;
		uint64_t v = probe_read64(it.probe_va, PROBE_POISON, &rec);
		bbm_monitor_enable(false);
		refused = pool_refusals() - refused;

		count_iteration(out, &it, &rec, v, refused);
		out->warm_mismatch += it.warm_mismatch;
		out->api_errors += it.api_errors;
		out->refused += it.refused;

		unsigned dangling = 0;
		/* A full sweep every 16th and on the last iteration, and whenever the live count moved. */
		out->leaked += scn_cleanup_slot(env, it.slot, it.slot_level, &dangling, i % 16 == 0 || i + 1 == n,
					    PT_TLBI_ALL);
		out->dangling += dangling;
		if (progress && i + 1 >= next_progress && i + 1 < n) {
			printf("# progress %s-%s: %llu/%llu (%llu%%)\n", spec->scenario, spec->variant,
			       (unsigned long long)(i + 1), (unsigned long long)n,
			       (unsigned long long)((i + 1) * 100 / n));
			next_progress += n / 10 ? n / 10 : 1;
		}
	}
	out->elapsed_ns = timer_ticks_to_ns(timer_counter() - t0, timer_frequency());

	bbm_monitor_get_stats(&out->monitor);
	out->have_example = bbm_monitor_get(0, &out->example);
	bbm_monitor_set_print(true);

	printf("# %s %s (policy %s): %llu iterations in %llu ms\n", spec->scenario, spec->variant, spec->policy,
	       (unsigned long long)n, (unsigned long long)(out->elapsed_ns / 1000000));
	print_histogram(&out->h);
	printf("# leaked table pages: %llu (expected %d per iteration)%s\n", (unsigned long long)out->leaked,
	       spec->leak_per_iter, spec->expect_refused ? "; every change refused by the policy" : "");
	print_monitor(out);
	uint64_t hazards = histogram_count_in(&out->h, out->h.hazards & out->h.allowed);
	if (out->h.harness_errors)
		printf("# %llu iterations did not run as written and are not classified\n",
		       (unsigned long long)out->h.harness_errors);
	else if (hazards)
		printf("# hazard observed: %llu of %llu\n", (unsigned long long)hazards, (unsigned long long)n);
	else if (out->h.allowed & out->h.hazards)
		printf("# hazard not observed in %llu iterations; the BBM monitor counted %llu violations\n",
		       (unsigned long long)n, (unsigned long long)out->monitor.violations);
	else
		printf("# only %s is allowed after this sequence: %llu of %llu\n", expected == OUTCOME_BIT(OUTCOME_NEW) ? "new" : "the expected outcome",
		       (unsigned long long)histogram_count_in(&out->h, expected), (unsigned long long)n);
	char line[320];
	struct scenario_result sr = {spec->scenario, spec->variant, spec->policy, out->leaked,
				     out->monitor.violations};
	histogram_format_keyline(&out->h, &sr, line, sizeof(line));
	printf("%s\n", line);
	check_facts(t, spec, out);
}

void scn_totals_add(struct scn_totals *tot, const struct scn_result *r)
{
	tot->n += r->h.n;
	tot->hazards += histogram_count_in(&r->h, r->h.hazards & r->h.allowed);
	tot->forbidden += histogram_count_in(&r->h, ~r->h.allowed);
	tot->leaked += r->leaked;
	tot->violations += r->monitor.violations;
}

void scn_set_note(struct test_ctx *t, const struct scn_totals *tot)
{
	char forbidden[48] = "";

	if (tot->forbidden)
		snprintf(forbidden, sizeof(forbidden), "forbidden %llu of %llu; ", (unsigned long long)tot->forbidden,
			 (unsigned long long)tot->n);
	if (tot->hazards)
		test_note(t, "%shazard observed: %llu of %llu; leaked %llu; violations %llu", forbidden,
			  (unsigned long long)tot->hazards, (unsigned long long)tot->n, (unsigned long long)tot->leaked,
			  (unsigned long long)tot->violations);
	else
		test_note(t, "%shazard not observed in %llu; leaked %llu; violations %llu", forbidden,
			  (unsigned long long)tot->n, (unsigned long long)tot->leaked,
			  (unsigned long long)tot->violations);
	/* The same facts as a diagnostic, for logs that keep only "# " lines. */
	test_diag(t, "%s", t->note);
}
