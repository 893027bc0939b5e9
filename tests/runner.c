/*
 * Runner: collects the tests registered in the `test_cases` section, selects
 * them by name/group/glob, runs each in isolated_call() so an unexpected
 * exception fails that test only, and prints TAP 13 + SUMMARY.
 */
#include "tests/runner.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "boot/exception.h"
#include "boot/sysregs.h"
#include "lib/escape.h"
#include "lib/glob.h"
#include "lib/tap.h"
#include "lib/watchdog.h"
#include "mmu/pool.h"
#include "platform/exit.h"
#include "tests/registry.h"
#include "tests/scenario.h"
#include "tests/summary.h"

#define MAX_TESTS 256

extern const struct test_case __start_test_cases[], __stop_test_cases[];

static const struct test_case *all_tests[MAX_TESTS];
static unsigned all_count;
static bool run_selected[MAX_TESTS];
static struct tap_counts counts;
static unsigned harness_only_failures; /* failed tests whose every failure was a harness error */

static void full_name(const struct test_case *t, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", t->group, t->name);
}

/*
 * Groups run bottom-up: the exception machinery first, then the page-table
 * library on the real MMU, then the scenarios that rely on both. Groups not
 * listed follow, by name.
 */
static const char *const group_order[] = {"selftest", "mmu", "seed", "seed1g", "live", "bench"};

static unsigned group_rank(const char *group)
{
	unsigned n = sizeof(group_order) / sizeof(group_order[0]);

	for (unsigned i = 0; i < n; i++)
		if (!strcmp(group, group_order[i]))
			return i;
	return n;
}

static int compare_tests(const struct test_case *a, const struct test_case *b)
{
	unsigned ra = group_rank(a->group), rb = group_rank(b->group);
	int c = ra != rb ? (ra < rb ? -1 : 1) : strcmp(a->group, b->group);

	return c ? c : strcmp(a->name, b->name);
}

/* Registration order depends on the linker; sort so TAP numbering is stable and dependencies run first. */
static void collect_tests(void)
{
	/* The section bounds are separate objects to C: count entries from the address span. */
	size_t n = ((uintptr_t)__stop_test_cases - (uintptr_t)__start_test_cases) / sizeof(struct test_case);

	all_count = 0;
	for (size_t k = 0; k < n && all_count < MAX_TESTS; k++) {
		const struct test_case *t = &__start_test_cases[k];
		unsigned i = all_count++;
		while (i > 0 && compare_tests(all_tests[i - 1], t) > 0) {
			all_tests[i] = all_tests[i - 1];
			i--;
		}
		all_tests[i] = t;
	}
}

static bool pattern_matches(const char *pat, size_t len, const struct test_case *t)
{
	char name[96];

	full_name(t, name, sizeof(name));
	if (t->flags & TEST_EXPLICIT)
		return strlen(name) == len && !strncmp(name, pat, len);
	return glob_match(pat, len, name) || glob_match(pat, len, t->group);
}

static void print_test_list(void)
{
	char name[96];
	int width = 0;

	for (unsigned i = 0; i < all_count; i++) {
		full_name(all_tests[i], name, sizeof(name));
		width = (int)strlen(name) > width ? (int)strlen(name) : width;
	}
	for (unsigned i = 0; i < all_count; i++) {
		full_name(all_tests[i], name, sizeof(name));
		unsigned flags = all_tests[i]->flags;
		printf("#   %-*s %s%s\n", width, name, all_tests[i]->purpose,
		       (flags & TEST_EXPLICIT)      ? " [runs only when named exactly]"
		       : (flags & TEST_NOT_DEFAULT) ? " [not in the default suite]"
						    : "");
	}
}

/* "'PATTERN' matches no test (tests=LIST)": the bad pattern first and whole, both escaped. */
static void no_match_error(const char *patterns, const char *p, size_t len)
{
	char pat[ESCAPED_SIZE(BOOTARGS_VALUE_MAX)], all[ESCAPED_SIZE(BOOTARGS_VALUE_MAX)];
	char msg[sizeof(pat) + sizeof(all) + 40];

	escape_text(pat, sizeof(pat), p, len);
	escape_text(all, sizeof(all), patterns, BOOTARGS_VALUE_MAX);
	snprintf(msg, sizeof(msg), "'%s' matches no test (tests=%s)", pat, all);
	runner_usage_error(msg);
}

/* Fills `selected`; returns false (after printing why) if a pattern matches nothing. */
static bool select_tests(const char *patterns, bool selected[MAX_TESTS])
{
	for (unsigned i = 0; i < all_count; i++)
		selected[i] = !patterns[0] && !(all_tests[i]->flags & (TEST_NOT_DEFAULT | TEST_EXPLICIT));
	for (const char *p = patterns; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		bool any = false;
		for (unsigned i = 0; i < all_count; i++)
			if (len && pattern_matches(p, len, all_tests[i]))
				selected[i] = any = true;
		if (!any) {
			no_match_error(patterns, p, len);
			return false;
		}
		p = end ? end + 1 : p + len;
	}
	return true;
}

void test_diag(struct test_ctx *t, const char *fmt, ...)
{
	va_list ap;

	(void)t;
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void test_verbose(struct test_ctx *t, unsigned level, const char *fmt, ...)
{
	va_list ap;

	if (t->verbose < level)
		return;
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void test_fail_at(struct test_ctx *t, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	t->failures++;
	printf("# FAIL %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void test_note(struct test_ctx *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->note, sizeof(t->note), fmt, ap);
	va_end(ap);
}

void test_harness_error(struct test_ctx *t, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	t->failures++;
	t->harness_failures++;
	printf("# FAIL %s:%d: harness error: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void test_skip(struct test_ctx *t, const char *fmt, ...)
{
	va_list ap;

	t->skipped = true;
	va_start(ap, fmt);
	vsnprintf(t->skip_reason, sizeof(t->skip_reason), fmt, ap);
	va_end(ap);
}

/* Interrupts are taken only inside a test body: that is where the watchdog may end it. */
static void run_test_body(void *arg)
{
	struct test_ctx *t = arg;

	irq_unmask();
	t->test->fn(t);
	(void)irq_save_mask();
}

/* What the runner was doing, for the panic path. */
static const char *current_name;

static void print_line(const char *s)
{
	printf("%s\n", s);
}

/* The panic path: fail the running test; exit.c prints SUMMARY and EXIT after it. */
static void panic_fail_current(void)
{
	char line[160];

	if (current_name) {
		tap_format_result(&counts, line, sizeof(line), TAP_FAIL, current_name, NULL);
		print_line(line);
		printf("# %s ended the run with a panic\n", current_name);
		summary_test_end(TAP_FAIL, false);
	}
	summary_print();
}

void runner_usage_error(const char *message)
{
	printf("Bail out! bad boot arguments: %s\n", message);
	printf("# usage: KEY=VALUE words in /chosen/bootargs (QEMU -append, U-Boot bootargs, cmdline.txt):\n");
	for (size_t i = 0; i < bootarg_spec_count; i++) {
		const struct bootarg_spec *s = &bootarg_specs[i];
		printf("#   %s%s%-22s %s (default: %s)\n", s->key, s->value_help[0] ? "=" : "", s->value_help, s->help,
		       s->default_text);
	}
	if (!all_count)
		collect_tests();
	printf("# tests (tests=NAME, GROUP or glob):\n");
	print_test_list();
}

static void print_ending(const struct test_ctx *t, bool returned, const struct fault_record *what, const char *name)
{
	if (!returned && watchdog_fired())
		printf("# %s ended by the watchdog (timeout=%llu s)\n", name, (unsigned long long)t->timeout_s);
	else if (!returned && (what->vector & 3) == 1)
		printf("# %s ended by an unexpected interrupt\n", name);
	else if (!returned)
		printf("# %s ended by an unexpected exception: %s, ESR 0x%llx, FAR 0x%llx, ELR 0x%llx\n", name,
		       esr_ec_name(what->ec), (unsigned long long)what->esr, (unsigned long long)what->far,
		       (unsigned long long)what->elr);
	else if (t->failures)
		printf("# %s: %u of %u checks failed%s\n", name, t->failures, t->checks,
		       t->harness_failures == t->failures ? " (harness errors only)" : "");
}

/*
 * The test's result. A test that failed or ended while the table pool refused
 * pages failed on the harness's resources: all its failures count as harness
 * errors (the safe reading: nothing is claimed about the CPU).
 */
static enum tap_result judge(struct test_ctx *t, bool returned, uint64_t pool_refused, bool *harness_only)
{
	bool failed = !returned || t->failures;

	*harness_only = false;
	if (!failed)
		return t->skipped ? TAP_SKIP : TAP_PASS;
	if (returned && t->harness_failures == t->failures) {
		*harness_only = true; /* the test said so itself */
	} else if (pool_refused) {
		printf("# harness error: %llu table pages refused (PT_POOL_PAGES=%u); no finding is claimed\n",
		       (unsigned long long)pool_refused, (unsigned)PT_POOL_PAGES);
		if (!t->note[0])
			test_note(t, "harness error: %llu table pages refused (PT_POOL_PAGES=%u)",
				  (unsigned long long)pool_refused, (unsigned)PT_POOL_PAGES);
		*harness_only = true;
	}
	return TAP_FAIL;
}

static uint64_t pool_refusals(void)
{
	struct pt_pool_stats ps;

	pt_pool_get_stats(&ps);
	return ps.failed;
}

/* Run one test isolated, under the watchdog, and print its TAP line. */
static void run_one(const struct test_case *test, const struct bootargs *args)
{
	char name[96], line[288];
	struct test_ctx t = {.test = test, .iters = args->iters, .seed = args->seed, .verbose = (unsigned)args->verbose,
			     .inject = args->inject, .timeout_s = runner_timeout_s(args),
			     .progress_s = args->progress,
			     .cm_trace_iters = strcmp(args->trace, "casemate") == 0 ? args->trace_iters : 0};
	struct fault_record what;
	bool harness_only;

	full_name(test, name, sizeof(name));
	current_name = name;
	summary_test_start(test, counts.next);
	if (args->verbose >= 2)
		printf("# running %s: %s\n", name, test->purpose);
	uint64_t refused = pool_refusals();
	watchdog_arm(t.timeout_s);
	bool returned = isolated_call(run_test_body, &t, &what);
	watchdog_disarm();
	current_name = NULL;
	print_ending(&t, returned, &what, name);
	enum tap_result r = judge(&t, returned, pool_refusals() - refused, &harness_only);
	harness_only_failures += harness_only;
	/* A note rides in the description (tap.c escapes any '#', so it cannot become a directive). */
	char described[sizeof(name) + sizeof(t.note) + 2];
	if (t.note[0] && r != TAP_SKIP)
		snprintf(described, sizeof(described), "%s: %s", name, t.note);
	else
		snprintf(described, sizeof(described), "%s", name);
	tap_format_result(&counts, line, sizeof(line), r, described, t.skip_reason);
	print_line(line);
	summary_test_end(r, harness_only);
}

uint64_t runner_timeout_s(const struct bootargs *args)
{
	return args->timeout ? args->timeout : RUNNER_TIMEOUT_BASE_S + args->iters / RUNNER_ITERS_PER_S;
}

bool runner_prepare(const struct bootargs *args)
{
	static bool selected[MAX_TESTS];

	tap_counts_init(&counts);
	exit_set_counts(&counts);
	collect_tests();
	if (!select_tests(args->tests, selected))
		return false;
	if (args->inject[0] && strcmp(args->inject, "none")) {
		bool any = false;
		for (unsigned i = 0; i < all_count; i++)
			any |= selected[i] && !strcmp(all_tests[i]->group, "faults");
		if (!any) {
			runner_usage_error("inject= is honoured only by the faults tests: select them with tests=faults "
					   "(or tests=faults/NAME)");
			return false;
		}
	}
	memcpy(run_selected, selected, sizeof(run_selected));
	return true;
}

void runner_bail_out(const char *reason)
{
	printf("Bail out! %s\n", reason); /* the caller exits: exit.c prints SUMMARY and EXIT */
}

int runner_run(const struct bootargs *args)
{
	char line[64];
	unsigned planned = 0;

	if (args->list) {
		printf("1..0 # SKIP list only\n");
		printf("# %u tests registered:\n", all_count);
		print_test_list();
		return EXIT_STATUS_PASS;
	}
	for (unsigned i = 0; i < all_count; i++)
		planned += run_selected[i];
	tap_format_plan(line, sizeof(line), planned);
	print_line(line);
	summary_begin(planned);
	exit_set_panic_hook(panic_fail_current);
	for (unsigned i = 0; i < all_count; i++)
		if (run_selected[i])
			run_one(all_tests[i], args);
	exit_set_panic_hook(NULL);
	/* The answers to the 2017 report's questions, before the closing lines scripts rely on. */
	scn_answers_print();
	summary_print();
	/* Status 4 only when nothing but the harness failed: a finding (status 1) is never masked. */
	if (counts.failed)
		return counts.failed > harness_only_failures ? EXIT_STATUS_FAIL : EXIT_STATUS_HARNESS;
	return EXIT_STATUS_PASS;
}
