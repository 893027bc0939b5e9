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

enum outcome outcome_classify_load(bool faulted, enum fault_kind kind, int level, uint64_t value,
				   const struct outcome_markers *m)
{
	if (!faulted && value == m->poison_marker && value != m->new_marker && value != m->old_marker)
		return OUTCOME_POISON;
	return outcome_classify(faulted, kind, level, value, m->new_marker, m->old_marker);
}

bool outcome_permitted(outcome_set_t allowed, enum outcome o)
{
	if ((unsigned)o >= OUTCOME_COUNT)
		return false;
	return (allowed & OUTCOME_BIT(o)) || (allowed & OUTCOME_BIT(OUTCOME_POISON));
}

/* Where the next piece of a line goes and how much room is left: never past len. */
static char *at(char *buf, size_t len, size_t used)
{
	return buf + (used < len ? used : len);
}

static size_t room(size_t len, size_t used)
{
	return used < len ? len - used : 0;
}

int outcome_set_format(outcome_set_t set, char *buf, size_t len)
{
	size_t used = 0;

	if (len)
		buf[0] = 0;
	for (unsigned o = 0; o < OUTCOME_COUNT; o++) {
		if (!(set & OUTCOME_BIT(o)))
			continue;
		int n = snprintf(at(buf, len, used), room(len, used), "%s%s", used ? "," : "", outcome_name((enum outcome)o));
		if (n < 0)
			return n;
		used += (size_t)n;
	}
	if (!used)
		return snprintf(buf, len, "none");
	return (int)used;
}

void histogram_init(struct histogram *h, outcome_set_t allowed, outcome_set_t hazards)
{
	memset(h, 0, sizeof(*h));
	h->allowed = allowed;
	h->hazards = hazards & allowed;
}

static void count(struct histogram *h, uint64_t iter, enum outcome o, bool permitted, bool hazard)
{
	h->count[o]++;
	h->n++;
	if (!permitted) {
		if (!h->forbidden) {
			h->first_forbidden = o;
			h->first_forbidden_iter = iter;
		}
		h->forbidden++;
	} else if (hazard) {
		h->hazards_seen++;
	}
}

void histogram_add(struct histogram *h, enum outcome o)
{
	if ((unsigned)o >= OUTCOME_COUNT)
		o = OUTCOME_OTHER;
	count(h, h->n, o, outcome_permitted(h->allowed, o), (h->hazards & OUTCOME_BIT(o)) != 0);
}

void histogram_judge(struct histogram *h, uint64_t iter, enum outcome o, outcome_set_t allowed, enum outcome coherent)
{
	if ((unsigned)o >= OUTCOME_COUNT)
		o = OUTCOME_OTHER;
	h->allowed |= allowed;
	h->hazards |= allowed & ~OUTCOME_BIT(coherent);
	count(h, iter, o, outcome_permitted(allowed, o), o != coherent);
}

void histogram_harness_error(struct histogram *h, enum outcome o)
{
	if ((unsigned)o >= OUTCOME_COUNT)
		o = OUTCOME_OTHER;
	h->count[o]++;
	h->n++;
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
	if (h->forbidden)
		return VERDICT_FORBIDDEN_SEEN;
	if (h->hazards_seen)
		return VERDICT_HAZARD_SEEN;
	if (h->hazards)
		return VERDICT_HAZARD_POSSIBLE;
	return VERDICT_SAFE;
}

static const char *const verdict_names[VERDICT_COUNT] = {
	[VERDICT_SAFE] = "safe",
	[VERDICT_HAZARD_POSSIBLE] = "hazard-possible",
	[VERDICT_HAZARD_SEEN] = "hazard-seen",
	[VERDICT_FORBIDDEN_SEEN] = "forbidden-seen",
	[VERDICT_HARNESS_ERROR] = "harness-error",
};

const char *verdict_name(enum verdict v)
{
	return (unsigned)v < VERDICT_COUNT ? verdict_names[v] : "invalid";
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
	bool allowed = outcome_permitted(h->allowed, o);
	bool hazard = allowed && (h->hazards & OUTCOME_BIT(o));
	bool listed = h->allowed & OUTCOME_BIT(o);
	/* Harness-error iterations are never judged: with nothing else, nothing is allowed or forbidden. */
	const char *label = h->n && h->n == h->harness_errors ? "not judged (harness error)"
			    : !allowed			      ? "FORBIDDEN"
			    : listed			      ? "allowed"
							      : "allowed (walk through a freed table)";

	return snprintf(buf, len, "#   %-13s %10llu %3llu.%02llu%%  %s%s", outcome_name(o),
			(unsigned long long)h->count[o], (unsigned long long)(basis / 100),
			(unsigned long long)(basis % 100), label, hazard ? ", hazard" : "");
}

int histogram_format_keyline(const struct histogram *h, const struct scenario_result *r, char *buf, size_t len)
{
	char allowed[160];
	int n;

	if (len)
		buf[0] = 0;
	n = snprintf(buf, len, "# result scenario=%s variant=%s policy=%s board=%s cpu=0x%08llx version=%s seed=%llu n=%llu",
		     r->scenario, r->variant, r->policy, r->board, (unsigned long long)r->midr, r->version,
		     (unsigned long long)r->seed, (unsigned long long)h->n);
	if (n < 0)
		return -1;
	size_t used = (size_t)n;
	for (unsigned o = 0; o < OUTCOME_COUNT; o++) {
		n = snprintf(at(buf, len, used), room(len, used), " %s=%llu", outcome_name((enum outcome)o),
			     (unsigned long long)h->count[o]);
		if (n < 0)
			return -1;
		used += (size_t)n;
	}
	outcome_set_format(h->allowed, allowed, sizeof(allowed));
	n = snprintf(at(buf, len, used), room(len, used),
		     " leaked=%llu violations=%llu harness-errors=%llu allowed=%s verdict=%s", (unsigned long long)r->leaked,
		     (unsigned long long)r->violations, (unsigned long long)h->harness_errors, allowed,
		     verdict_name(histogram_verdict(h)));
	if (n < 0)
		return -1;
	used += (size_t)n;
	return (int)(used < len ? used : len ? len - 1 : 0);
}

int histogram_format_counts(const struct histogram *h, char *buf, size_t len)
{
	size_t used = 0;
	int n;

	if (len)
		buf[0] = 0;
	for (unsigned o = 0; o < OUTCOME_COUNT; o++) {
		if (!h->count[o])
			continue;
		n = snprintf(at(buf, len, used), room(len, used), "%s=%llu ", outcome_name((enum outcome)o),
			     (unsigned long long)h->count[o]);
		if (n < 0)
			return -1;
		used += (size_t)n;
	}
	n = snprintf(at(buf, len, used), room(len, used), "hazards=%llu forbidden=%llu harness-errors=%llu",
		     (unsigned long long)h->hazards_seen, (unsigned long long)h->forbidden,
		     (unsigned long long)h->harness_errors);
	if (n < 0)
		return -1;
	used += (size_t)n;
	return (int)(used < len ? used : len ? len - 1 : 0);
}
