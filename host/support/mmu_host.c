/* Host-side helpers shared by the mmu/ tests and fuzz targets. */
#include "host/support/mmu_host.h"

#include "host/support/arch_log.h"
#include "mmu/asid.h"
#include "mmu/geometry.h"
#include "mmu/monitor.h"
#include "mmu/pool.h"
#include "mmu/tlb.h"

void mmu_host_reset(void)
{
	bbm_monitor_enable(false);
	mmu_running_asid = 0; /* as after boot; no event: nothing watches */
	bbm_monitor_reset();
	bbm_monitor_set_print(true);
	pt_pool_reset();
	arch_log_clear();
}

enum pt_status mmu_host_monitored_space(struct pt_space *sp, bool print)
{
	mmu_host_reset();
	bbm_monitor_set_print(print);
	enum pt_status st = pt_space_init(sp);
	bbm_monitor_enable(st == PT_OK);
	return st;
}

static int use_granule(unsigned shift)
{
	if (!pt_geometry_set(shift))
		return -1;
	mmu_host_reset();
	return 0;
}

int mmu_host_setup_4k(void **state)
{
	(void)state;
	return use_granule(PT_GRANULE_4K);
}

int mmu_host_setup_16k(void **state)
{
	(void)state;
	return use_granule(PT_GRANULE_16K);
}

int mmu_host_setup_64k(void **state)
{
	(void)state;
	return use_granule(PT_GRANULE_64K);
}

int mmu_host_back_to_4k(void **state)
{
	(void)state;
	return use_granule(PT_GRANULE_4K);
}

void mmu_host_tlbi(enum mmu_host_tlbi f, uint64_t va, uint16_t asid)
{
	switch (f) {
	case F_VALE1IS:
		tlbi_leaf_va_asid(va, asid);
		break;
	case F_VAE1IS:
		tlbi_all_levels_va_asid(va, asid);
		break;
	case F_VAALE1IS:
		tlbi_leaf_va_all_asids(va);
		break;
	case F_VAAE1IS:
		tlbi_all_levels_va(va);
		break;
	case F_ASIDE1IS:
		tlbi_asid(asid);
		break;
	}
}
