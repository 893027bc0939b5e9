/* The test runner: selection from boot arguments, isolation, TAP output, summary. */
#ifndef BBMPROBE_TESTS_RUNNER_H
#define BBMPROBE_TESTS_RUNNER_H

#include "lib/bootargs.h"

#include <stdbool.h>
#include <stdint.h>

/*
 * Check the selection (tests=, inject=) before anything else runs, `list`
 * included; false after a usage error was printed (the caller exits with
 * status 2). Registers the counts the closing SUMMARY line reports.
 */
bool runner_prepare(const struct bootargs *args);
/* Run what runner_prepare() selected; prints the plan and results. Returns the exit status. */
int runner_run(const struct bootargs *args);
/* Report bad boot arguments (TAP "Bail out!" and usage). The caller exits with status 2. */
void runner_usage_error(const char *message);
/* Stop before any test: TAP "Bail out!" with the reason, then SUMMARY. The caller exits. */
void runner_bail_out(const char *reason);

/*
 * The watchdog's deadline per test: timeout= if given, else a base plus one
 * second per RUNNER_ITERS_PER_S iterations (the scenarios scale with iters=).
 */
#define RUNNER_TIMEOUT_BASE_S 60
#define RUNNER_ITERS_PER_S 100
uint64_t runner_timeout_s(const struct bootargs *args);

#endif
