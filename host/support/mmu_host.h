/* Host-side helpers shared by the mmu/ tests and fuzz targets. */
#ifndef BBMPROBE_HOST_SUPPORT_MMU_HOST_H
#define BBMPROBE_HOST_SUPPORT_MMU_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "mmu/pt.h"

/* Fresh state: empty pool (no limit), monitor reset and disabled (printing on), event log cleared. */
void mmu_host_reset(void);

/* mmu_host_reset(), then a new address space in `sp` with the monitor watching (its lines printed if `print`). */
enum pt_status mmu_host_monitored_space(struct pt_space *sp, bool print);

/*
 * cmocka group setups that select a granule (pt_geometry_set(), then mmu_host_reset(): the
 * pool's page size changed), and the teardown back to 4K, the geometry every other test expects.
 */
int mmu_host_setup_4k(void **state);
int mmu_host_setup_16k(void **state);
int mmu_host_setup_64k(void **state);
int mmu_host_back_to_4k(void **state);

/* The TLBI forms the ASID tests compare (mmu/tlb.h's helpers), by name. */
enum mmu_host_tlbi { F_VALE1IS, F_VAE1IS, F_VAALE1IS, F_VAAE1IS, F_ASIDE1IS };
/* Issue form f at va with ASID operand asid (the all-ASID forms ignore it, aside1is ignores va). */
void mmu_host_tlbi(enum mmu_host_tlbi f, uint64_t va, uint16_t asid);

/* Run a cmocka group (an array, as for cmocka_run_group_tests) at 4K, 16K and 64K: failures summed. */
#define MMU_HOST_RUN_AT_GRANULES(name, tests)                                                   \
	(cmocka_run_group_tests_name(name " at 4K", tests, mmu_host_setup_4k, mmu_host_back_to_4k) +   \
	 cmocka_run_group_tests_name(name " at 16K", tests, mmu_host_setup_16k, mmu_host_back_to_4k) + \
	 cmocka_run_group_tests_name(name " at 64K", tests, mmu_host_setup_64k, mmu_host_back_to_4k))

#endif
