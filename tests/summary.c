/* The end-of-run table (summary.h; the format is in docs/output.md, "The summary table"). */
#include "tests/summary.h"

#include <stdio.h>
#include <string.h>

#include "tests/machine.h"

#define SUMMARY_MAX 256 /* the runner's MAX_TESTS */

struct summary_entry {
	const struct test_case *test;
	unsigned number;       /* the TAP test number */
	enum tap_result result;
	bool ended;            /* summary_test_end() was called */
	bool harness_only;     /* failed on harness errors only (exit status 4 if alone) */
	bool scenario;         /* the counts below were reported */
	enum verdict verdict;
	uint64_t n, hazards, forbidden, leaked, violations, harness_errors;
};

static struct summary_entry entries[SUMMARY_MAX];
static unsigned entry_count, planned_count;
static struct summary_entry *current;

void summary_begin(unsigned planned)
{
	entry_count = 0;
	planned_count = planned;
	current = NULL;
}

void summary_test_start(const struct test_case *test, unsigned number)
{
	if (entry_count == SUMMARY_MAX) {
		current = NULL;
		return;
	}
	current = &entries[entry_count++];
	*current = (struct summary_entry){.test = test, .number = number, .result = TAP_FAIL};
}

void summary_test_end(enum tap_result r, bool harness_only)
{
	if (!current)
		return;
	current->result = r;
	current->harness_only = harness_only;
	current->ended = true;
	current = NULL;
}

void summary_scenario(const struct histogram *h, uint64_t leaked, uint64_t violations)
{
	if (!current)
		return;
	current->scenario = true;
	current->verdict = histogram_verdict(h);
	current->n = h->n;
	current->hazards = h->hazards_seen;
	current->forbidden = h->forbidden;
	current->leaked = leaked;
	current->violations = violations;
	current->harness_errors = h->harness_errors;
}

/* A passing test with no scenario counts says nothing the closing SUMMARY line does not. */
static bool listed(const struct summary_entry *e)
{
	return e->scenario || e->result != TAP_PASS;
}

static const char *result_word(const struct summary_entry *e)
{
	if (e->result == TAP_PASS)
		return "pass";
	if (e->result == TAP_SKIP)
		return "skip";
	return e->harness_only ? "harness" : "fail";
}

struct widths {
	int name, col[6];
};

static const char *const col_names[6] = {"n", "hazards", "forbidden", "leaked", "violations", "errors"};

static void entry_values(const struct summary_entry *e, uint64_t v[6])
{
	v[0] = e->n;
	v[1] = e->hazards;
	v[2] = e->forbidden;
	v[3] = e->leaked;
	v[4] = e->violations;
	v[5] = e->harness_errors;
}

static void measure(struct widths *w)
{
	char buf[24];
	uint64_t v[6];

	w->name = 4;
	for (unsigned c = 0; c < 6; c++)
		w->col[c] = (int)strlen(col_names[c]);
	for (unsigned i = 0; i < entry_count; i++) {
		const struct summary_entry *e = &entries[i];
		if (!listed(e))
			continue;
		int len = (int)(strlen(e->test->group) + 1 + strlen(e->test->name));
		w->name = len > w->name ? len : w->name;
		entry_values(e, v);
		for (unsigned c = 0; c < 6 && e->scenario; c++) {
			int digits = snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v[c]);
			w->col[c] = digits > w->col[c] ? digits : w->col[c];
		}
	}
}

static void print_row(const struct summary_entry *e, const struct widths *w)
{
	char name[96];
	uint64_t v[6];

	snprintf(name, sizeof(name), "%s/%s", e->test->group, e->test->name);
	printf("# table %3u %-7s %-*s %-15s", e->number, result_word(e), w->name, name,
	       e->scenario ? verdict_name(e->verdict) : "-");
	entry_values(e, v);
	for (unsigned c = 0; c < 6; c++) {
		if (e->scenario)
			printf(" %*llu", w->col[c], (unsigned long long)v[c]);
		else
			printf(" %*s", w->col[c], "-");
	}
	printf("\n");
}

static void print_closing(void)
{
	unsigned passed = 0, failed = 0, skipped = 0, unlisted = 0;

	for (unsigned i = 0; i < entry_count; i++) {
		const struct summary_entry *e = &entries[i];
		passed += e->result == TAP_PASS;
		failed += e->result == TAP_FAIL;
		skipped += e->result == TAP_SKIP;
		unlisted += !listed(e);
	}
	printf("# table: %u of %u tests ran: %u passed, %u failed, %u skipped; not listed: %u passed test(s) with no "
	       "scenario\n",
	       entry_count, planned_count, passed, failed, skipped, unlisted);
}

void summary_print(void)
{
	struct widths w;
	bool any_scenario = false;

	if (!entry_count)
		return;
	measure(&w);
	printf("# table %3s %-7s %-*s %-15s", "#", "result", w.name, "test", "verdict");
	for (unsigned c = 0; c < 6; c++)
		printf(" %*s", w.col[c], col_names[c]);
	printf("\n");
	for (unsigned i = 0; i < entry_count; i++) {
		if (listed(&entries[i]))
			print_row(&entries[i], &w);
		any_scenario |= entries[i].scenario;
	}
	print_closing();
	/* The banner said it once; a reader of the table alone must not take "not seen" for "cannot happen". */
	if (any_scenario && machine_is_qemu())
		printf("# table: QEMU TCG caches no table (walk-cache) entries and never two translations of a page: "
		       "hazards that need either cannot be seen here\n");
}
