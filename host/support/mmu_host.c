/* Host-side helpers shared by the mmu/ tests and fuzz targets. */
#include "host/support/mmu_host.h"

#include "host/support/arch_log.h"
#include "mmu/asid.h"
#include "mmu/monitor.h"
#include "mmu/pool.h"

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
