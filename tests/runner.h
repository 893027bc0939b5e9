/* The test runner: selection from boot arguments, isolation, TAP output, summary. */
#ifndef BBMPROBE_TESTS_RUNNER_H
#define BBMPROBE_TESTS_RUNNER_H

#include "lib/bootargs.h"

/* Run the selected tests; prints the plan, results and SUMMARY line. Returns the exit status. */
int runner_run(const struct bootargs *args);
/* Report bad boot arguments (TAP "Bail out!", usage, SUMMARY). The caller exits with status 2. */
void runner_usage_error(const char *message);
/* Stop before any test: TAP "Bail out!" with the reason, then SUMMARY. The caller exits. */
void runner_bail_out(const char *reason);

#endif
