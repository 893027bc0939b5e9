/* Outcome classification, histograms and verdicts (see outcome.h). */
#include "outcome.h"

#include <stdio.h>
#include <string.h>

static const char *const outcome_names[OUTCOME_COUNT] = {
	[OUTCOME_NEW] = "new",
	[OUTCOME_OLD] = "old",
	[OUTCOME_FAULT_T0] = "fault-t0",
	[OUTCOME_FAULT_T1] = "fault-t1",
	[OUTCOME_FAULT_T2] = "fault-t2",
	[OUTCOME_FAULT_T3] = "fault-t3",
	[OUTCOME_FAULT_AF] = "fault-af",
	[OUTCOME_FAULT_PERM] = "fault-perm",
	[OUTCOME_TLB_CONFLICT] = "tlb-conflict",
	[OUTCOME_POISON] = "poison",
	[OUTCOME_OTHER] = "other",
};

const char *outcome_name(enum outcome o)
{
	return (unsigned)o < OUTCOME_COUNT ? outcome_names[o] : "invalid";
}

enum outcome outcome_classify(bool faulted, enum fault_kind kind, int level, uint64_t value, uint64_t new_marker,
			      uint64_t old_marker)
{
	if (faulted) {
		switch (kind) {
		case FAULT_TRANSLATION:
			if (level >= 0 && level <= 3)
				return (enum outcome)(OUTCOME_FAULT_T0 + level);
			return OUTCOME_OTHER;
		case FAULT_ACCESS_FLAG:
			return OUTCOME_FAULT_AF;
		case FAULT_PERMISSION:
			return OUTCOME_FAULT_PERM;
		case FAULT_TLB_CONFLICT:
			return OUTCOME_TLB_CONFLICT;
		default:
			return OUTCOME_OTHER;
		}
	}
	if (value == new_marker)
		return OUTCOME_NEW;
	if (value == old_marker)
		return OUTCOME_OLD;
	return OUTCOME_OTHER;
}

void histogram_init(struct histogram *h, outcome_set_t allowed, outcome_set_t hazards)
{
	memset(h, 0, sizeof(*h));
	h->allowed = allowed;
	h->hazards = hazards;
}

void histogram_add(struct histogram *h, enum outcome o)
{
	if ((unsigned)o >= OUTCOME_COUNT)
		o = OUTCOME_OTHER;
	h->count[o]++;
	h->n++;
}

void histogram_harness_error(struct histogram *h, enum outcome o)
{
	(void)o; /* what the access saw means nothing when the sequence did not run as written */
	h->harness_errors++;
}

uint64_t histogram_count_in(const struct histogram *h, outcome_set_t set)
{
	uint64_t sum = 0;

	for (unsigned o = 0; o < OUTCOME_COUNT; o++)
		if (set & OUTCOME_BIT(o))
			sum += h->count[o];
	return sum;
}

enum verdict histogram_verdict(const struct histogram *h)
{
	if (h->harness_errors)
		return VERDICT_HARNESS_ERROR;
	if (histogram_count_in(h, ~h->allowed))
		return VERDICT_FORBIDDEN;
	if (histogram_count_in(h, h->hazards & h->allowed))
		return VERDICT_HAZARD;
	return VERDICT_NO_HAZARD;
}

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_NO_HAZARD: return "no-hazard";
	case VERDICT_HAZARD: return "hazard";
	case VERDICT_FORBIDDEN: return "forbidden";
	case VERDICT_HARNESS_ERROR: return "harness-error";
	}
	return "invalid";
}

bool histogram_row_wanted(const struct histogram *h, enum outcome o)
{
	if ((unsigned)o >= OUTCOME_COUNT)
		return false;
	return h->count[o] || (h->allowed & OUTCOME_BIT(o));
}

int histogram_format_row(const struct histogram *h, enum outcome o, char *buf, size_t len)
{
	if ((unsigned)o >= OUTCOME_COUNT)
		return snprintf(buf, len, "#   (invalid outcome %u)", (unsigned)o);
	/* Share in hundredths of a percent, rounded, without floating point. */
	uint64_t basis = h->n ? (h->count[o] * 10000 + h->n / 2) / h->n : 0;
	bool allowed = h->allowed & OUTCOME_BIT(o);
	bool hazard = allowed && (h->hazards & OUTCOME_BIT(o));

	return snprintf(buf, len, "#   %-13s %10llu %3llu.%02llu%%  %s%s", outcome_name(o),
			(unsigned long long)h->count[o], (unsigned long long)(basis / 100),
			(unsigned long long)(basis % 100), allowed ? "allowed" : "FORBIDDEN",
			hazard ? ", hazard" : "");
}

int histogram_format_keyline(const struct histogram *h, const struct scenario_result *r, char *buf, size_t len)
{
	size_t used = 0;
	int n = snprintf(buf, len, "# result scenario=%s variant=%s policy=%s n=%llu", r->scenario, r->variant,
			 r->policy, (unsigned long long)h->n);

	if (n < 0)
		return n;
	used = (size_t)n;
	for (unsigned o = 0; o < OUTCOME_COUNT && used < len; o++) {
		if (o == OUTCOME_POISON)
			continue; /* model-only, never observed: the line keeps its fixed key set */
		n = snprintf(buf + used, len - used, " %s=%llu", outcome_name((enum outcome)o),
			     (unsigned long long)h->count[o]);
		if (n < 0)
			return n;
		used += (size_t)n;
	}
	if (used < len) {
		n = snprintf(buf + used, len - used, " leaked=%llu violations=%llu verdict=%s",
			     (unsigned long long)r->leaked, (unsigned long long)r->violations,
			     verdict_name(histogram_verdict(h)));
		if (n < 0)
			return n;
		used += (size_t)n;
	}
	return (int)used;
}
