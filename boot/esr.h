/*
 * ESR_ELx decoding (Arm ARM D19.2.40, "ESR_EL1"). Pure C: also built and
 * unit-tested on the host (host/test_esr.c).
 */
#ifndef BBMPROBE_BOOT_ESR_H
#define BBMPROBE_BOOT_ESR_H

#include <stdbool.h>
#include <stdint.h>

/* Exception classes bbmprobe acts on (ESR.EC, bits [31:26]). */
#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_SVC64 0x15
#define ESR_EC_HVC64 0x16
#define ESR_EC_SMC64 0x17
#define ESR_EC_IABT_LOW 0x20
#define ESR_EC_IABT_CUR 0x21
#define ESR_EC_PC_ALIGN 0x22
#define ESR_EC_DABT_LOW 0x24
#define ESR_EC_DABT_CUR 0x25
#define ESR_EC_SP_ALIGN 0x26
#define ESR_EC_SERROR 0x2f
#define ESR_EC_BRK64 0x3c

/* Fault status codes (DFSC/IFSC, ISS bits [5:0]) that tests classify on. */
#define FSC_TLB_CONFLICT 0x30
#define FSC_ALIGNMENT 0x21
#define FSC_SEA 0x10

/* What a fault status code means, independent of level. */
enum fault_kind {
	FAULT_NONE = 0, /* not an abort */
	FAULT_ADDR_SIZE,
	FAULT_TRANSLATION,
	FAULT_ACCESS_FLAG,
	FAULT_PERMISSION,
	FAULT_TLB_CONFLICT,
	FAULT_ALIGNMENT,
	FAULT_EXTERNAL, /* synchronous external abort, incl. on a table walk */
	FAULT_PARITY,
	FAULT_OTHER,
};

struct esr_info {
	uint64_t esr;
	uint32_t ec;
	uint32_t iss;
	const char *ec_name;
	bool is_abort;     /* instruction or data abort: fsc/kind/level are meaningful */
	uint32_t fsc;      /* DFSC/IFSC */
	const char *fsc_name;
	enum fault_kind kind;
	int level;         /* lookup level of the fault, -1 where the code has none */
	bool far_valid;    /* FAR holds the faulting VA (aborts: !ISS.FnV) */
	bool write;        /* data abort caused by a write (ISS.WnR) */
};

void esr_decode(uint64_t esr, struct esr_info *out);
const char *esr_ec_name(uint32_t ec);
const char *esr_fsc_name(uint32_t fsc);
const char *fault_kind_name(enum fault_kind kind);
/* Kind and level of a fault status code; level -1 where it has none. */
enum fault_kind esr_fsc_kind(uint32_t fsc, int *level);

#endif
