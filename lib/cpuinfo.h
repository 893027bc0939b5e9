/*
 * CPU identification for the banner: MIDR decoded to a part name and revision,
 * and the ID_AA64MMFR0/1/2 and ISAR0 fields that matter to page-table hazards
 * (Arm ARM D19.2). Decoding is pure C (host/test_cpuinfo.c).
 */
#ifndef BBMPROBE_LIB_CPUINFO_H
#define BBMPROBE_LIB_CPUINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cpu_ids {
	uint64_t midr, mpidr, revidr;
	uint64_t mmfr0, mmfr1, mmfr2;
	uint64_t isar0, pfr0;
};

struct mmu_features {
	unsigned pa_bits;       /* from PARange */
	unsigned asid_bits;     /* 8 or 16 */
	bool gran4, gran16, gran64;
	unsigned hafdbs;        /* 0 none, 1 AF, 2 AF+DBM */
	bool vhe, pan;
	unsigned bbm_level;     /* FEAT_BBM: 0, 1 or 2 */
	bool ttl;               /* FEAT_TTL: TLBI level hints */
	bool cnp;
	unsigned va_bits;       /* 48, or 52 with FEAT_LVA */
	unsigned tlbi;          /* ISAR0.TLB: 0 none, 1 TLBI OS, 2 TLBI OS + range */
	bool el2, el3;          /* from PFR0 */
};

/* "Arm Cortex-A72 r0p3" and the like; unknown parts show the raw numbers. */
int cpuinfo_describe_midr(uint64_t midr, char *buf, size_t len);
void cpuinfo_decode_mmu(const struct cpu_ids *ids, struct mmu_features *out);

#ifndef BBMPROBE_HOST
void cpuinfo_read(struct cpu_ids *ids);
#endif

#endif
