/* ESR_ELx decoding: EC names and fault status codes (Arm ARM D19.2.40, tables for ISS encodings). */
#include "esr.h"

#include <stddef.h>

struct code_name {
	uint32_t code;
	const char *name;
};

static const struct code_name ec_names[] = {
	{0x00, "unknown reason"},
	{0x01, "trapped WFI/WFE"},
	{0x03, "trapped MCR/MRC (cp15)"},
	{0x04, "trapped MCRR/MRRC (cp15)"},
	{0x05, "trapped MCR/MRC (cp14)"},
	{0x06, "trapped LDC/STC"},
	{0x07, "trapped SVE/SIMD/FP access"},
	{0x0c, "trapped MRRC (cp14)"},
	{0x0d, "branch target exception"},
	{0x0e, "illegal execution state"},
	{0x11, "SVC (AArch32)"},
	{0x15, "SVC (AArch64)"},
	{0x16, "HVC (AArch64)"},
	{0x17, "SMC (AArch64)"},
	{0x18, "trapped MSR/MRS/system instruction"},
	{0x19, "trapped SVE access"},
	{0x1c, "pointer authentication failure"},
	{0x20, "instruction abort (lower EL)"},
	{0x21, "instruction abort (same EL)"},
	{0x22, "PC alignment fault"},
	{0x24, "data abort (lower EL)"},
	{0x25, "data abort (same EL)"},
	{0x26, "SP alignment fault"},
	{0x28, "FP exception (AArch32)"},
	{0x2c, "FP exception (AArch64)"},
	{0x2f, "SError"},
	{0x30, "breakpoint (lower EL)"},
	{0x31, "breakpoint (same EL)"},
	{0x32, "software step (lower EL)"},
	{0x33, "software step (same EL)"},
	{0x34, "watchpoint (lower EL)"},
	{0x35, "watchpoint (same EL)"},
	{0x38, "BKPT (AArch32)"},
	{0x3c, "BRK (AArch64)"},
};

/* Codes outside the level-indexed ranges handled in esr_fsc_kind(). */
static const struct code_name fsc_names[] = {
	{0x10, "synchronous external abort"},
	{0x11, "synchronous tag check fault"},
	{0x18, "synchronous parity/ECC error"},
	{0x21, "alignment fault"},
	{0x30, "TLB conflict abort"},
	{0x31, "unsupported atomic hardware update"},
	{0x34, "implementation defined (lockdown)"},
	{0x35, "implementation defined (unsupported exclusive or atomic)"},
};

static const char *lookup(const struct code_name *t, size_t n, uint32_t code)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].code == code)
			return t[i].name;
	return NULL;
}

const char *esr_ec_name(uint32_t ec)
{
	const char *n = lookup(ec_names, sizeof(ec_names) / sizeof(ec_names[0]), ec);
	return n ? n : "reserved or unallocated EC";
}

enum fault_kind esr_fsc_kind(uint32_t fsc, int *level)
{
	*level = -1;
	if (fsc <= 0x03) {
		*level = (int)fsc;
		return FAULT_ADDR_SIZE;
	}
	if (fsc >= 0x04 && fsc <= 0x07) {
		*level = (int)(fsc - 0x04);
		return FAULT_TRANSLATION;
	}
	if (fsc >= 0x08 && fsc <= 0x0b) { /* 0x08 (level 0) needs FEAT_LPA2 */
		*level = (int)(fsc - 0x08);
		return FAULT_ACCESS_FLAG;
	}
	if (fsc >= 0x0c && fsc <= 0x0f) { /* 0x0c (level 0) needs FEAT_LPA2 */
		*level = (int)(fsc - 0x0c);
		return FAULT_PERMISSION;
	}
	if (fsc == 0x10)
		return FAULT_EXTERNAL;
	if (fsc >= 0x13 && fsc <= 0x17) { /* on a translation table walk, level -1..3 */
		*level = (int)fsc - 0x14;
		return FAULT_EXTERNAL;
	}
	if (fsc == 0x18)
		return FAULT_PARITY;
	if (fsc >= 0x1b && fsc <= 0x1f) {
		*level = (int)fsc - 0x1c;
		return FAULT_PARITY;
	}
	if (fsc == 0x21)
		return FAULT_ALIGNMENT;
	if (fsc == 0x29) {
		*level = -1;
		return FAULT_ADDR_SIZE;
	}
	if (fsc == 0x2b) {
		*level = -1;
		return FAULT_TRANSLATION;
	}
	if (fsc == 0x30)
		return FAULT_TLB_CONFLICT;
	return FAULT_OTHER;
}

/* The enum-name idiom of lib/enum_names.h, spelled out: boot/ sits below lib/. */
static const char *const fault_kind_names[] = {
	[FAULT_NONE] = "none",
	[FAULT_ADDR_SIZE] = "address size fault",
	[FAULT_TRANSLATION] = "translation fault",
	[FAULT_ACCESS_FLAG] = "access flag fault",
	[FAULT_PERMISSION] = "permission fault",
	[FAULT_TLB_CONFLICT] = "TLB conflict abort",
	[FAULT_ALIGNMENT] = "alignment fault",
	[FAULT_EXTERNAL] = "synchronous external abort",
	[FAULT_PARITY] = "parity/ECC error",
};

const char *fault_kind_name(enum fault_kind kind)
{
	unsigned k = (unsigned)kind;

	return k < sizeof(fault_kind_names) / sizeof(fault_kind_names[0]) && fault_kind_names[k] ? fault_kind_names[k]
												   : "other fault";
}

const char *esr_fsc_name(uint32_t fsc)
{
	int level;
	enum fault_kind kind = esr_fsc_kind(fsc, &level);
	const char *n = lookup(fsc_names, sizeof(fsc_names) / sizeof(fsc_names[0]), fsc);

	if (n)
		return n;
	if (kind == FAULT_EXTERNAL)
		return "synchronous external abort on table walk";
	if (kind == FAULT_PARITY)
		return "parity/ECC error on table walk";
	if (kind == FAULT_OTHER)
		return "reserved or unallocated fault status";
	return fault_kind_name(kind);
}

void esr_decode(uint64_t esr, struct esr_info *out)
{
	out->esr = esr;
	out->ec = (uint32_t)(esr >> 26) & 0x3f;
	out->iss = (uint32_t)esr & 0x1ffffff;
	out->ec_name = esr_ec_name(out->ec);
	out->is_abort = out->ec == ESR_EC_IABT_LOW || out->ec == ESR_EC_IABT_CUR ||
			out->ec == ESR_EC_DABT_LOW || out->ec == ESR_EC_DABT_CUR;
	out->fsc = 0;
	out->fsc_name = "";
	out->kind = FAULT_NONE;
	out->level = -1;
	out->far_valid = false;
	out->write = false;
	if (out->is_abort) {
		out->fsc = out->iss & 0x3f;
		out->fsc_name = esr_fsc_name(out->fsc);
		out->kind = esr_fsc_kind(out->fsc, &out->level);
		out->far_valid = !(out->iss & (1u << 10)); /* FnV */
		if (out->ec == ESR_EC_DABT_LOW || out->ec == ESR_EC_DABT_CUR)
			out->write = (out->iss >> 6) & 1; /* WnR */
	} else if (out->ec == ESR_EC_PC_ALIGN || out->ec == ESR_EC_SP_ALIGN ||
		   out->ec == 0x34 || out->ec == 0x35) {
		out->far_valid = true;
	}
}
