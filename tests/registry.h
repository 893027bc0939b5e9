/*
 * Test registration and the API a test body uses.
 *
 * A test is a function registered with TEST_CASE() into the `test_cases` linker
 * section; tests/runner.c selects, sorts by name and runs them, each isolated so
 * that an unexpected exception fails only that test. Names are "group/name".
 *
 *   TEST_CASE(selftest_svc, "selftest", "svc-roundtrip", "an SVC reaches the handler and returns")
 *   {
 *           CHECK_EQ_U64(t, svc_echo(7), ~7ull);
 *   }
 */
#ifndef BBMPROBE_TESTS_REGISTRY_H
#define BBMPROBE_TESTS_REGISTRY_H

#include <stdbool.h>
#include <stdint.h>

struct test_ctx;

/* Test flags. */
#define TEST_NOT_DEFAULT (1u << 0) /* run only when selected by name, group or glob (e.g. bench) */
#define TEST_EXPLICIT (1u << 1)    /* run only when its full name is given exactly (ends the run, etc.) */

struct test_case {
	const char *group;
	const char *name; /* without the group */
	const char *purpose;
	void (*fn)(struct test_ctx *t);
	unsigned flags;
	const void *arg; /* the test's data (a scenario row); NULL for plain tests */
};

struct test_ctx {
	const struct test_case *test;
	unsigned checks;
	unsigned failures;
	unsigned harness_failures; /* of the failures, how many were harness errors (nothing claimed about the CPU) */
	bool skipped;
	char skip_reason[96];
	/* Appended to the TAP line as "name: note" (scenario tests: hazards, leaks, violations). */
	char note[112];
	/* From the boot arguments. */
	uint64_t iters;
	uint64_t seed;
	unsigned verbose;
	const char *inject;  /* inject=: honoured only by the faults group */
	uint64_t timeout_s;  /* the watchdog's deadline for this test */
	uint64_t progress_s; /* progress=: a scenario's longest silence, in seconds */
	uint64_t cm_trace_iters; /* trace=casemate: scenario iterations to trace (0: none) */
};

#define TEST_CASE_FLAGS(id, grp, nm, purpose_, flags_)                                                                  \
	static void id(struct test_ctx *t);                                                                              \
	static const struct test_case test_case_##id __attribute__((used, section("test_cases"), aligned(8))) = {          \
		.group = grp, .name = nm, .purpose = purpose_, .fn = id, .flags = flags_};                               \
	static void id(struct test_ctx *t)

#define TEST_CASE(id, grp, nm, purpose_) TEST_CASE_FLAGS(id, grp, nm, purpose_, 0)

/* A test that is a data row run by a shared function (fn reads t->test->arg). */
#define TEST_ROW(id, grp, nm, purpose_, flags_, fn_, arg_)                                                              \
	static const struct test_case test_case_##id __attribute__((used, section("test_cases"), aligned(8))) = {          \
		.group = grp, .name = nm, .purpose = purpose_, .fn = fn_, .flags = flags_, .arg = arg_}

/* Diagnostics: printed as TAP "# " lines under the current test. */
void test_diag(struct test_ctx *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print only when the run's verbosity is at least `level`. */
void test_verbose(struct test_ctx *t, unsigned level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Record a failed check with its location; the test goes on. */
void test_fail_at(struct test_ctx *t, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A failed check that is the harness's, not a finding (pool exhausted, API error): exit status 4 if alone. */
void test_harness_error(struct test_ctx *t, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Set the note the runner appends to this test's TAP line ("ok 3 - group/name: note"). */
void test_note(struct test_ctx *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Mark the test skipped (TAP "# SKIP reason"); call and return. */
void test_skip(struct test_ctx *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define CHECK(t, cond, ...)                                                                                              \
	do {                                                                                                             \
		(t)->checks++;                                                                                           \
		if (!(cond))                                                                                             \
			test_fail_at((t), __FILE__, __LINE__, __VA_ARGS__);                                              \
	} while (0)

#define CHECK_EQ_U64(t, actual, expected)                                                                                \
	do {                                                                                                             \
		uint64_t a_ = (uint64_t)(actual), e_ = (uint64_t)(expected);                                             \
		CHECK((t), a_ == e_, "%s == 0x%llx, expected %s == 0x%llx", #actual, (unsigned long long)a_, #expected, \
		      (unsigned long long)e_);                                                                           \
	} while (0)

#endif
