/*
 * libFuzzer target: the random operation driver of host/support/ref_model.c
 * with the fuzz input as its source of decisions. Byte 0 picks the policy,
 * byte 1 the regime; every operation is checked against the flat model and
 * the sweep, and aborts on the first mismatch.
 * Build and run: see docs/mmu.md ("Fuzzing").
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "host/support/mmu_host.h"
#include "host/support/ref_model.h"
#include "mmu/monitor.h"

#define MAX_OPS 256

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "fuzz_pt: %s: %s\n", what, msg);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	enum pt_policy policy = (enum pt_policy)(data[0] % PT_POLICY_COUNT);
	bool disciplined = data[1] & 1;
	struct ref_rng rng = {.data = data + 2, .len = size - 2};
	struct ref_run_stats st = {0};
	struct pt_space sp;
	char msg[256];

	mmu_host_reset();
	ref_reset();
	bbm_monitor_set_print(false);
	bbm_monitor_enable(true);
	if (pt_space_init(&sp) != PT_OK)
		die("init", "no root table");
	for (unsigned i = 0; i < MAX_OPS && !ref_rng_exhausted(&rng); i++)
		if (!ref_random_op(&sp, &rng, policy, disciplined, &st, msg, sizeof(msg)))
			die(pt_policy_name(policy), msg);
	if (!ref_check_range(&sp, REF_VA_BASE, REF_VA_SIZE, msg, sizeof(msg)))
		die("final check", msg);
	struct bbm_monitor_stats mon;
	bbm_monitor_get_stats(&mon);
	if (mon.track_overflows)
		die("monitor", "tracking overflow");
	/* A vmalloc-like user of linux-fixed or refuse-live never breaks BBM. */
	if (disciplined && policy != PT_POLICY_LINUX_4_14 && mon.violations)
		die("monitor", "BBM violation in a disciplined run");
	if (policy == PT_POLICY_REFUSE_LIVE && mon.violations)
		die("monitor", "BBM violation under refuse-live");
	bbm_monitor_enable(false);
	return 0;
}
