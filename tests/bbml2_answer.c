/*
 * The "# bbml2:" line: did this CPU behave as Linux's BBML2_NOABORT list
 * requires (5aa4b625762e: FEAT_BBM level 2 AND never a TLB conflict abort for
 * a live change of block size), over every bbml2 shape that ran? Counts the
 * conflict aborts and the accesses that read anything but the one mapping
 * (with the same output address a stale entry of the right size reads the
 * same bytes: `stale` is what an amalgamation or a wrong walk would betray).
 * The architecture permits the aborts even at level 2: a count above 0 is
 * evidence against listing the CPU, never a failed test. docs/scenarios.md.
 */
#include <stdio.h>
#include <string.h>

#include "tests/machine.h"
#include "tests/scn_internal.h"

static struct {
	unsigned ran, skipped, level;
	bool have_level;
	uint64_t n, conflicts, stale, harness_errors;
	char shapes[160];
} b;

static void note_level(unsigned level)
{
	b.level = level;
	b.have_level = true;
}

static void add_shape(const struct scn_row *row)
{
	size_t used = strlen(b.shapes);
	const char *fam = strchr(row->scenario, '/');

	snprintf(b.shapes + used, sizeof(b.shapes) - used, "%s%s-%s", used ? "," : "", fam ? fam + 1 : row->scenario,
		 row->variant);
}

void scn_bbml2_add(const struct scn_row *row, const struct scn_result *r)
{
	const struct histogram *h = &r->h;
	uint64_t judged = h->n - h->harness_errors;

	note_level(r->feat_bbm);
	b.ran++;
	add_shape(row);
	b.n += judged;
	b.harness_errors += h->harness_errors;
	b.conflicts += h->count[OUTCOME_TLB_CONFLICT];
	b.stale += judged - h->count[OUTCOME_NEW] - h->count[OUTCOME_TLB_CONFLICT];
}

void scn_bbml2_skipped(const struct scn_row *row, unsigned feat_bbm)
{
	(void)row;
	note_level(feat_bbm);
	b.skipped++;
}

static const char *noabort(void)
{
	if (!b.ran || b.level < 2)
		return "n/a";
	return b.conflicts || b.stale || !b.n ? "no" : "yes";
}

void scn_bbml2_print(void)
{
	if (!b.have_level)
		return;
	printf("# bbml2: level=%u noabort=%s shapes=%s iterations=%llu conflict_aborts=%llu stale=%llu skipped=%u\n",
	       b.level, noabort(), b.ran ? b.shapes : "none", (unsigned long long)b.n,
	       (unsigned long long)b.conflicts, (unsigned long long)b.stale, b.skipped);
	if (b.skipped && !b.ran)
		printf("# bbml2: FEAT_BBM level %u: changing a live block's size without a break is not permitted "
		       "here, so the shapes do not apply (BBML2_NOABORT needs level 2)\n", b.level);
	if (b.ran && machine_is_qemu())
		printf("# bbml2: QEMU TCG never raises a TLB conflict abort and keeps one translation per page, so "
		       "conflict_aborts=0 here is the emulator's, not evidence about any CPU\n");
}
