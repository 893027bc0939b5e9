/* Host-side helpers shared by the mmu/ tests and fuzz targets. */
#ifndef BBMPROBE_HOST_SUPPORT_MMU_HOST_H
#define BBMPROBE_HOST_SUPPORT_MMU_HOST_H

/* Fresh state: empty pool (no limit), monitor reset and disabled (printing on), event log cleared. */
void mmu_host_reset(void);

#endif
