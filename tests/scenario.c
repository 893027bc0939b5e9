/* Scenario engine: one row, N iterations, one verdict (see scenario.h and docs/scenarios.md). */
#include "tests/scenario.h"

#include <stdio.h>
#include <string.h>

#include "boot/exception.h"
#include "lib/timing.h"
#include "mmu/asid.h"
#include "mmu/pool.h"
#include "mmu/pt_write.h"
#include "mmu/trace_casemate.h"
#include "mmu/walk.h"
#include "tests/scn_internal.h"
#include "tests/summary.h"

#define MARK_NEW 0x4e45570000000000ull    /* "NEW" */
#define MARK_OLD 0x4f4c440000000000ull    /* "OLD" */
#define MARK_POISON 0x504f490000000000ull /* "POI" */
#define MARK_STORE 0x5354520000000000ull  /* "STR": what a store probe writes */
#define PROBE_POISON 0x9015090150901509ull
/* many-VA rows spread their iterations over this many slots. */
#define SCN_MANY_VAS 64u

struct scn_run {
	struct test_ctx *t;
	const struct scn_row *row;
	struct scn_env env;
	int level;
	unsigned first_slot, nslots;
	uint64_t tag; /* seed bits in every marker */
	struct scn_result *r;
	char name[96]; /* "seed/remap-linux-4.14": the test's full name, for trace=casemate */
};

/* What the one classified access saw. */
struct scn_probe {
	struct fault_record rec;
	uint64_t value;
	enum outcome o;
};

static void iter_setup(const struct scn_run *run, uint64_t i, struct scn_iter *it)
{
	unsigned n = run->level == 1 ? SCN_SLOTS_1G : SCN_SLOTS_2M;

	memset(it, 0, sizeof(*it));
	it->t = run->t;
	it->env = &run->env;
	it->row = run->row;
	it->index = i;
	it->level = run->level;
	it->slot = scn_slot_va(&run->env, run->level, (unsigned)((run->first_slot + i % run->nslots) % n));
	/* The VA that maps A's offset 0 under the slot's block (the slot itself at 2 MiB). */
	it->probe_va = it->slot + (run->env.pa_new - scn_block_pa(&run->env, run->level));
	/* Distinct per iteration: a value from an earlier one would classify as "other". */
	it->m.new_marker = MARK_NEW | run->tag | (i & 0xffffffffu);
	it->m.old_marker = MARK_OLD | run->tag | (i & 0xffffffffu);
	it->m.poison_marker = MARK_POISON | run->tag | (i & 0xffffffffu);
	*(volatile uint64_t *)(uintptr_t)run->env.pa_new = it->m.new_marker;
	*(volatile uint64_t *)(uintptr_t)run->env.pa_old = it->m.old_marker;
	*(volatile uint64_t *)(uintptr_t)run->env.pa_poison = it->m.poison_marker;
	pt_entry_t *e = pt_entry_at(run->env.space, it->slot, run->level);
	if (e && desc_is_valid(pt_read_desc(e)))
		scn_error(it, "slot 0x%llx is not empty before the sequence", (unsigned long long)it->slot);
}

/* A store probe: completed means the old, writable translation (the new one is read-only). */
static enum outcome probe_store(const struct scn_iter *it, struct scn_probe *p)
{
	uint64_t value = MARK_STORE | (it->index & 0xffffffffu);

	if (!probe_write64(it->probe_va, value, &p->rec))
		return outcome_classify(true, p->rec.kind, p->rec.level, 0, 0, 1);
	p->value = *(volatile uint64_t *)(uintptr_t)it->env->pa_old;
	return p->value == value ? OUTCOME_OLD : OUTCOME_OTHER;
}

/* THE classified access. */
static void probe(struct scn_iter *it, struct scn_probe *p)
{
	struct outcome_markers m = it->m;

	if (it->row->inject == INJECT_SWAP_MARKERS) { /* a deliberate harness bug (inject group) */
		m.new_marker = it->m.old_marker;
		m.old_marker = it->m.new_marker;
	}
	if (it->row->access == ACCESS_STORE) {
		p->o = probe_store(it, p);
	} else {
		p->value = probe_read64(it->probe_va, PROBE_POISON, &p->rec);
		p->o = outcome_classify_load(p->rec.taken, p->rec.kind, p->rec.level, p->value, &m);
	}
	scn_model_note_access(it->probe_va, it->row->access == ACCESS_STORE ? ARCH_ACCESS_WRITE : ARCH_ACCESS_READ,
			      p->o);
	/* A fault at another address than the one probed is the harness's, not the CPU's. */
	if (p->rec.taken && (!p->rec.far_valid || p->rec.far != it->probe_va))
		scn_error(it, "the access faulted with FAR 0x%llx%s, not the probed VA 0x%llx",
			  (unsigned long long)p->rec.far, p->rec.far_valid ? "" : " (not valid)",
			  (unsigned long long)it->probe_va);
}

/* What the tables in memory give for the access, with nothing cached. */
static enum outcome coherent_outcome(const struct scn_iter *it)
{
	struct pt_translation tr;

	if (pt_translate(it->env->space, it->probe_va, &tr) != PT_OK)
		return OUTCOME_OTHER;
	if (!tr.ok && tr.fault == PT_FAULT_TRANSLATION && tr.level >= 0 && tr.level <= 3)
		return (enum outcome)(OUTCOME_FAULT_T0 + tr.level);
	if (!tr.ok)
		return tr.fault == PT_FAULT_ACCESS_FLAG ? OUTCOME_FAULT_AF : OUTCOME_OTHER;
	if (it->row->access == ACCESS_STORE && (tr.desc & PTE_RDONLY))
		return OUTCOME_FAULT_PERM;
	if (tr.pa == it->env->pa_new)
		return OUTCOME_NEW;
	if (tr.pa == it->env->pa_old)
		return OUTCOME_OLD;
	return tr.pa == it->env->pa_poison ? OUTCOME_POISON : OUTCOME_OTHER;
}

/* Keep the first witness of every outcome the model allowed in any iteration. */
static void keep_witnesses(struct scn_result *r, const struct model_answer *ans)
{
	for (unsigned o = 0; o < OUTCOME_COUNT; o++) {
		if (!(ans->allowed & OUTCOME_BIT(o)) || (r->witnesses.allowed & OUTCOME_BIT(o)))
			continue;
		r->witnesses.allowed |= OUTCOME_BIT(o);
		r->witnesses.witness[o] = ans->witness[o];
	}
	if (!r->witnesses.va)
		r->witnesses.va = ans->va;
	if (ans->size_change_level > r->witnesses.size_change_level)
		r->witnesses.size_change_level = ans->size_change_level;
}

/* Untimed: the model's allowed set for this access, then the iteration's verdict. */
static void iter_judge(struct scn_run *run, struct scn_iter *it, const struct scn_probe *p, bool traced)
{
	struct scn_result *r = run->r;
	struct model_answer ans;
	bool overflow;
	enum outcome coherent = coherent_outcome(it);

	(void)scn_model_events(&overflow);
	enum model_status st = traced ? scn_model_answer(it, &ans) : MODEL_ERR_NOT_ATTACHED;
	if (overflow)
		scn_error(it, "more events than the trace buffer holds");
	else if (st != MODEL_OK)
		scn_error(it, "the model could not answer: %s", model_status_name(st));
	else if (!outcome_permitted(ans.allowed, coherent))
		scn_error(it, "the model does not allow %s, what the tables give", outcome_name(coherent));
	if (p->o == OUTCOME_OTHER && !r->h.count[OUTCOME_OTHER]) {
		r->h.first_other_esr = p->rec.taken ? p->rec.esr : 0;
		r->h.first_other_value = p->value;
	}
	if (it->errors) {
		if (!r->h.harness_errors) {
			memcpy(r->error, it->error, sizeof(r->error));
			r->error_iter = it->index;
		}
		histogram_harness_error(&r->h, p->o);
		r->model_status = st;
		return;
	}
	if (!r->h.n)
		r->coherent = coherent;
	keep_witnesses(r, &ans);
	histogram_judge(&r->h, it->index, p->o, ans.allowed, coherent);
}

static void iter_cleanup(struct scn_run *run, const struct scn_iter *it, uint64_t n)
{
	struct scn_result *r = run->r;
	unsigned dangling = 0;

	r->refused += it->refused;
	if (it->policy && !r->policy)
		r->policy = it->policy;
	if (mmu_running_asid) /* an asid row switched: back to the boot map's ASID 0 before its cleanup */
		mmu_switch_asid(run->env.user, 0);
	/* A full sweep every 16th and on the last iteration, and whenever the live count moved. */
	if (run->row->block_run) {
		r->leaked += scn_cleanup_block_run(&run->env, it->slot, &dangling);
		r->dangling += dangling;
	}
	r->leaked += scn_cleanup_slot(&run->env, it->slot, it->level, &dangling, it->index % 16 == 0 || it->index + 1 == n,
				      PT_TLBI_ALL);
	r->dangling += dangling;
}

/* INJECT_EXHAUST_POOL: allow no new table page while the sequence runs (inject group only). */
static void exhaust_pool(const struct scn_row *row, bool on)
{
	struct pt_pool_stats ps;

	if (row->inject != INJECT_EXHAUST_POOL)
		return;
	pt_pool_get_stats(&ps);
	pt_pool_set_limit(on ? ps.live : ps.capacity);
}

static void iteration(struct scn_run *run, uint64_t i, uint64_t n)
{
	struct scn_iter it;
	struct scn_probe p;

	iter_setup(run, i, &it);
	bool traced = scn_model_begin(&run->env);
	if (i == 0 && run->t->verbose >= 2)
		scn_model_print_next();
	bbm_monitor_enable(true);
	/*
	 * trace=casemate: the same window the monitor sees, as Casemate records (mmu/trace_casemate.h).
	 * Not for a ttbr1 row: Casemate's EL2 regime has one VA range (docs/casemate.md, divergence 5).
	 */
	if (i < run->t->cm_trace_iters && !run->row->ttbr1 && !cm_trace_begin(run->env.space, it.slot, run->name, i))
		scn_error(&it, "trace=casemate: no free event sink for the exporter");
	exhaust_pool(run->row, true);
	uint64_t t0 = timer_counter();
	scn_steps_run(&it);
	probe(&it, &p);
	run->r->sequence_ticks += timer_counter() - t0;
	exhaust_pool(run->row, false);
	cm_trace_end();
	bbm_monitor_enable(false);
	scn_model_end();
	iter_judge(run, &it, &p, traced);
	iter_cleanup(run, &it, n);
}

/*
 * Rows whose shape is 4K's (granule=16k/64k, docs/scenarios.md "Granules"): why the row skips
 * at the granule in force, or NULL. The seed and the page->block rows run at every granule.
 */
static const char *granule_skip_reason(const struct scn_row *row)
{
	if (PT_GRANULE_SHIFT == PT_GRANULE_4K)
		return 0;
	if (row->slot_level == 1)
		return "no level-1 block without FEAT_LPA (Arm ARM DDI 0487 D8.3.1; Linux pud_sect_supported() is 4K-only)";
	for (const struct scn_step *s = row->steps; s && s->op != OP_END; s++) {
		switch (s->op) {
		case OP_MAP_BLOCK:
			if (!s->arg)
				return "the old block B would need a second block of RAM at the granule's block size";
			break;
		case OP_NEW_TABLE:
		case OP_LINK_LIVE:
		case OP_SPLIT_LIVE:
		case OP_FOLD_LIVE:
			return "a split writes a whole table at once, more entries than the model's pending buffer holds";
		case OP_MAP_RUN:
		case OP_CONT_LIVE:
		case OP_CONT_BBM:
		case OP_CONT_REWRITE:
			return "the contiguous rows are written for 16 x 4K runs (128 x 16K, 32 x 64K not yet)";
		case OP_MAP_BLOCK_RUN:
		case OP_CONT_BLOCK_LIVE:
		case OP_CONT_BLOCK_BBM:
		case OP_CONT_BLOCK_REWRITE:
			return "the cont2m rows are written for 16 x 2M runs (32 x 32M, 32 x 512M not yet)";
		default:
			break;
		}
	}
	return 0;
}

/* Skip (with the reason) what this machine cannot run safely; claim the slots. */
static bool prepare(struct scn_run *run)
{
	struct test_ctx *t = run->t;
	char why[96];

	run->r->feat_bbm = scn_feat_bbm();
	if (run->r->feat_bbm < run->row->min_bbm) {
		test_skip(t, "FEAT_BBM level %u, the row needs %u (ID_AA64MMFR2_EL1.BBM): not applicable", run->r->feat_bbm,
			  run->row->min_bbm);
		if (run->row->answers & SCN_BBML2)
			scn_bbml2_skipped(run->row, run->r->feat_bbm);
		return false;
	}
	const char *granule_why = granule_skip_reason(run->row);
	if (granule_why) {
		test_skip(t, "%s granule: %s", pt_granule_name(PT_GRANULE_SHIFT), granule_why);
		return false;
	}
	if (!scn_env_init(t, &run->env))
		return false;
	if (run->row->ttbr1)
		scn_env_use_ttbr1(&run->env);
	run->level = run->row->slot_level == 1 ? 1 : 2;
	if (run->level == 2 && !run->env.pa_block_all_ram) {
		test_skip(t, "no %llu MiB block of RAM around the scratch: a block over non-RAM would map it as Normal",
			  (unsigned long long)(pt_block_size_min() >> 20));
		return false;
	}
	if (run->level == 1 && !run->env.pa_1g_all_ram) {
		test_skip(t, "no 1 GiB of RAM by the DTB: a 1G block over non-RAM would map it as Normal");
		return false;
	}
	if (run->row->block_run && !scn_env_use_block_runs(t, &run->env))
		return false;
	run->nslots = run->row->many_vas ? (unsigned)(t->iters < SCN_MANY_VAS ? t->iters : SCN_MANY_VAS) : 1;
	/* A block run takes its run's slots from a run-aligned one, and the neighbour slot past it. */
	unsigned claim = run->row->block_run ? PT_CONT_BLOCKS + 1 : run->nslots;
	if (!scn_slot_claim(&run->env, run->level, claim, run->row->block_run ? PT_CONT_BLOCKS : 1, &run->first_slot)) {
		test_harness_error(t, __FILE__, __LINE__, "no %u empty slots in the test window", claim);
		return false;
	}
	if (!scn_model_open(&run->env, run->r->feat_bbm, why, sizeof(why))) {
		test_harness_error(t, __FILE__, __LINE__, "%s", why);
		return false;
	}
	if (run->row->ttbr1 && t->cm_trace_iters)
		printf("# trace=casemate: no trace for a TTBR1 row (Casemate's EL2 regime has one VA range)\n");
	run->tag = (t->seed & 0xffff) << 32;
	bbm_monitor_enable(false);
	bbm_monitor_reset();
	bbm_monitor_set_print(false);
	bbm_monitor_set_feat_bbm(run->r->feat_bbm);
	return true;
}

/* The software facts of the row, asserted exactly. */
static void check_facts(struct test_ctx *t, const struct scn_row *row, const struct scn_result *r)
{
	uint64_t n = r->h.n;

	CHECK(t, r->leaked == (uint64_t)row->leak * n, "%s %s: %llu table pages leaked in %llu iterations, expected %d each",
	      row->scenario, row->variant, (unsigned long long)r->leaked, (unsigned long long)n, row->leak);
	for (unsigned k = 0; k < BBM_RULE_COUNT; k++) {
		uint64_t want = (row->rules & RULE(k)) ? n : 0;
		CHECK(t, r->monitor.by_rule[k] == want, "%s %s: the BBM monitor counted %llu '%s' violations, expected %llu",
		      row->scenario, row->variant, (unsigned long long)r->monitor.by_rule[k],
		      bbm_rule_name((enum bbm_rule)k), (unsigned long long)want);
	}
	CHECK(t, r->monitor.feat_bbm_permitted == (uint64_t)row->permitted * n,
	      "%s %s: the BBM monitor counted %llu changes permitted by FEAT_BBM level %u, expected %u each", row->scenario,
	      row->variant, (unsigned long long)r->monitor.feat_bbm_permitted, r->feat_bbm, row->permitted);
	CHECK(t, r->refused == (row->refused ? n : 0), "%s %s: %llu of %llu changes refused, expected %s", row->scenario,
	      row->variant, (unsigned long long)r->refused, (unsigned long long)n, row->refused ? "all" : "none");
	CHECK(t, r->dangling == 0, "%s %s: the sweep found %llu dangling table pages", row->scenario, row->variant,
	      (unsigned long long)r->dangling);
}

/* The verdict: a harness error, or an outcome the model forbids, fails the test. */
static void check_verdict(struct test_ctx *t, const struct scn_row *row, const struct scn_result *r)
{
	const struct histogram *h = &r->h;

	t->checks++;
	if (h->harness_errors)
		test_harness_error(t, __FILE__, __LINE__, "%s %s: %llu of %llu iterations (first at iteration %llu: %s)",
				   row->scenario, row->variant, (unsigned long long)h->harness_errors,
				   (unsigned long long)h->n, (unsigned long long)r->error_iter, r->error);
	CHECK(t, !h->forbidden,
	      "%s %s: outcome %s forbidden by the architecture: CPU/emulator erratum or harness bug; %llu of %llu "
	      "iterations, first at iteration %llu",
	      row->scenario, row->variant, outcome_name(h->first_forbidden), (unsigned long long)h->forbidden,
	      (unsigned long long)h->n, (unsigned long long)h->first_forbidden_iter);
}

void scn_test(struct test_ctx *t)
{
	static struct scn_result result; /* large (witnesses): not on the stack */
	struct scn_run run = {.t = t, .row = t->test->arg, .r = &result};
	struct scn_progress progress;
	uint64_t n = t->iters;

	memset(&result, 0, sizeof(result));
	if (!run.row || !prepare(&run))
		return;
	snprintf(run.name, sizeof(run.name), "%s-%s", run.row->scenario, run.row->variant);
	result.va = scn_slot_va(&run.env, run.level, run.first_slot) +
		    (run.env.pa_new - scn_block_pa(&run.env, run.level));
	uint64_t t0 = timer_counter();
	scn_progress_start(&progress, t);
	for (uint64_t i = 0; i < n; i++) {
		iteration(&run, i, n);
		scn_progress_after(&progress, i + 1, &result.h);
	}
	result.elapsed_ns = timer_ticks_to_ns(timer_counter() - t0, timer_frequency());
	scn_model_close();
	bbm_monitor_get_stats(&result.monitor);
	result.have_example = bbm_monitor_get(0, &result.example);
	bbm_monitor_set_print(true);
	bbm_monitor_set_feat_bbm(0);
	scn_report(t, run.row, &result);
	check_facts(t, run.row, &result);
	check_verdict(t, run.row, &result);
	scn_answers_add(run.row, &result);
	summary_scenario(&result.h, result.leaked, result.monitor.violations);
	scn_note(t, &result);
}
