/*
 * The run at a glance (docs/output.md, "The summary table"): after the last
 * test and the answers, before SUMMARY, one "# table" line per scenario and per
 * test that did not pass, so a person at a serial console reads the run's
 * answer without scrolling back through the histograms.
 */
#ifndef BBMPROBE_TESTS_SUMMARY_H
#define BBMPROBE_TESTS_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/outcome.h"
#include "lib/tap.h"
#include "tests/registry.h"

/* The runner: how many tests will run, each test's start (with its TAP number) and its end. */
void summary_begin(unsigned planned);
void summary_test_start(const struct test_case *test, unsigned number);
void summary_test_end(enum tap_result r, bool harness_only);
/* The scenario engine: the running test's counts, as its "# result" line gives them. */
void summary_scenario(const struct histogram *h, uint64_t leaked, uint64_t violations);
/* The table, then what this platform cannot show (tests/machine.c); nothing if no test started. */
void summary_print(void);

#endif
