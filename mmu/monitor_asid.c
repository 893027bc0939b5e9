/*
 * The BBM monitor's ASID bookkeeping: which ASIDs may hold a cached copy of a
 * cleared entry, so that a TLBI by ASID (vae1is, vale1is, aside1is) counts as
 * covering it only once every such ASID was invalidated. A global leaf (nG=0)
 * matches every ASID and is reached by any by-VA form whatever its ASID
 * operand; aside1is never reaches it. A non-global entry (nG=1 leaves, and
 * every table entry, which the walk caches tag as non-global) is tagged with
 * the ASID running when a walk cached it (Arm ARM DDI 0487 M.a.a, D8.16.3.1
 * "Global and process-specific translation table entries"; D8.17.5.4 "TLB
 * maintenance instruction scope"). Off the hot path: only nG writes, breaks
 * and ASID switches come here.
 */
#include "mmu/monitor.h"
#include "boot/hot_data.h"

#define ASID_LIVE_MAX 16u

/* Valid nG leaves written while the monitor watched: the ASIDs that ran since each was made valid. */
struct asid_live {
	const pt_entry_t *ptep;
	uint64_t mask;
};

HOT_DATA static struct asid_live live[ASID_LIVE_MAX];
HOT_DATA static unsigned n_live;
HOT_DATA static uint64_t seen;      /* ASIDs that ran since the monitor was enabled */
HOT_DATA static uint64_t running;   /* bbm_asid_bit() of the running ASID */

void bbm_asid_reset(uint16_t running_asid)
{
	running = bbm_asid_bit(running_asid);
	seen = running;
	n_live = 0;
}

void bbm_asid_switch(uint64_t asid)
{
	running = bbm_asid_bit(asid);
	seen |= running;
	for (unsigned i = 0; i < n_live; i++)
		live[i].mask |= running;
}

static struct asid_live *find_live(const pt_entry_t *ptep)
{
	for (unsigned i = 0; i < n_live; i++)
		if (live[i].ptep == ptep)
			return &live[i];
	return 0;
}

void bbm_asid_note_valid(const pt_entry_t *ptep, pt_entry_t desc, int level)
{
	struct asid_live *l = find_live(ptep);

	/* A live change keeps the record: copies cached under earlier ASIDs may still be there. */
	if (l || level < 0 || !desc_is_leaf(desc, level) || !(desc & PTE_NG))
		return;
	if (n_live == ASID_LIVE_MAX)
		return; /* untracked: at its break it gets every ASID seen (conservative) */
	l = &live[n_live++];
	l->ptep = ptep;
	l->mask = running;
}

HOT_TEXT_MONITOR_CALLEE uint64_t bbm_asid_holders(const pt_entry_t *ptep, pt_entry_t old, int level)
{
	struct asid_live *l = find_live(ptep);
	uint64_t mask = l ? l->mask : seen;

	if (l)
		*l = live[--n_live];
	if (level >= 0 && desc_is_leaf(old, level) && !(old & PTE_NG))
		return 0; /* global */
	return mask;
}
