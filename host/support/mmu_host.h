/* Host-side helpers shared by the mmu/ tests and fuzz targets. */
#ifndef BBMPROBE_HOST_SUPPORT_MMU_HOST_H
#define BBMPROBE_HOST_SUPPORT_MMU_HOST_H

#include <stdbool.h>

#include "mmu/pt.h"

/* Fresh state: empty pool (no limit), monitor reset and disabled (printing on), event log cleared. */
void mmu_host_reset(void);

/* mmu_host_reset(), then a new address space in `sp` with the monitor watching (its lines printed if `print`). */
enum pt_status mmu_host_monitored_space(struct pt_space *sp, bool print);

#endif
