/* MIDR and ID register decoding (Arm ARM D19.2.66 MIDR_EL1, D19.2.64-65 ID_AA64MMFRn_EL1). */
#include "cpuinfo.h"

#include "boot/sysregs.h"

#include <stdio.h>

struct part {
	unsigned implementer, partnum;
	const char *name;
};

static const struct part parts[] = {
	{0x41, 0xd03, "Cortex-A53"}, {0x41, 0xd04, "Cortex-A35"}, {0x41, 0xd05, "Cortex-A55"},
	{0x41, 0xd07, "Cortex-A57"}, {0x41, 0xd08, "Cortex-A72"}, {0x41, 0xd09, "Cortex-A73"},
	{0x41, 0xd0a, "Cortex-A75"}, {0x41, 0xd0b, "Cortex-A76"}, {0x41, 0xd0c, "Neoverse-N1"},
	{0x41, 0xd0d, "Cortex-A77"}, {0x41, 0xd40, "Neoverse-V1"}, {0x41, 0xd41, "Cortex-A78"},
	{0x41, 0xd44, "Cortex-X1"},  {0x41, 0xd46, "Cortex-A510"}, {0x41, 0xd47, "Cortex-A710"},
	{0x41, 0xd48, "Cortex-X2"},  {0x41, 0xd49, "Neoverse-N2"}, {0x41, 0xd4b, "Cortex-A78C"},
	{0x41, 0xd4d, "Cortex-A715"}, {0x41, 0xd4e, "Cortex-X3"}, {0x41, 0xd4f, "Neoverse-V2"},
	{0x41, 0xd80, "Cortex-A520"}, {0x41, 0xd81, "Cortex-A720"}, {0x41, 0xd82, "Cortex-X4"},
	{0x41, 0xd84, "Neoverse-V3"}, {0x41, 0xd8e, "Neoverse-N3"}, {0x41, 0xd87, "Cortex-A725"},
	{0x41, 0xd85, "Cortex-X925"}, {0x51, 0x800, "Kryo 2xx/3xx/4xx Gold"}, {0x51, 0x801, "Kryo 2xx/3xx/4xx Silver"},
	{0x61, 0x022, "Apple M1 Icestorm"}, {0x61, 0x023, "Apple M1 Firestorm"}, {0xc0, 0xac3, "AmpereOne"},
};

static const char *implementer_name(unsigned impl)
{
	switch (impl) {
	case 0x00: return "software/QEMU";
	case 0x41: return "Arm";
	case 0x42: return "Broadcom";
	case 0x43: return "Cavium";
	case 0x46: return "Fujitsu";
	case 0x48: return "HiSilicon";
	case 0x4e: return "NVIDIA";
	case 0x51: return "Qualcomm";
	case 0x61: return "Apple";
	case 0xc0: return "Ampere";
	default: return "unknown implementer";
	}
}

int cpuinfo_describe_midr(uint64_t midr, char *buf, size_t len)
{
	unsigned impl = (unsigned)(midr >> 24) & 0xff;
	unsigned variant = (unsigned)(midr >> 20) & 0xf;
	unsigned partnum = (unsigned)(midr >> 4) & 0xfff;
	unsigned rev = (unsigned)midr & 0xf;

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (parts[i].implementer == impl && parts[i].partnum == partnum)
			return snprintf(buf, len, "%s %s r%up%u", implementer_name(impl), parts[i].name, variant, rev);
	return snprintf(buf, len, "%s (0x%02x) part 0x%03x r%up%u", implementer_name(impl), impl, partnum, variant,
			rev);
}

static unsigned field(uint64_t reg, unsigned shift)
{
	return (unsigned)(reg >> shift) & 0xf;
}

void cpuinfo_decode_mmu(const struct cpu_ids *ids, struct mmu_features *out)
{
	static const unsigned pa_bits[] = {32, 36, 40, 42, 44, 48, 52};
	unsigned parange = field(ids->mmfr0, 0);

	out->pa_bits = parange < 7 ? pa_bits[parange] : 0;
	out->asid_bits = field(ids->mmfr0, 4) == 2 ? 16 : 8;
	/* TGran4 and TGran64: 0 = supported, 0xf = not. TGran16: 0 = not, 1/2 = supported. */
	out->gran4 = field(ids->mmfr0, 28) != 0xf;
	out->gran64 = field(ids->mmfr0, 24) != 0xf;
	out->gran16 = field(ids->mmfr0, 20) != 0;
	out->hafdbs = field(ids->mmfr1, 0);
	out->vhe = field(ids->mmfr1, 8) != 0;
	out->pan = field(ids->mmfr1, 20) != 0;
	out->cnp = field(ids->mmfr2, 0) != 0;
	out->va_bits = field(ids->mmfr2, 16) ? 52 : 48;
	out->ttl = field(ids->mmfr2, 48) != 0;
	out->bbm_level = field(ids->mmfr2, 52);
	out->tlbi = field(ids->isar0, 56);
	out->el2 = field(ids->pfr0, 8) != 0;
	out->el3 = field(ids->pfr0, 12) != 0;
}

#ifndef BBMPROBE_HOST
void cpuinfo_read(struct cpu_ids *ids)
{
	ids->midr = read_sysreg(midr_el1);
	ids->mpidr = read_sysreg(mpidr_el1);
	ids->revidr = read_sysreg(revidr_el1);
	ids->mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	ids->mmfr1 = read_sysreg(id_aa64mmfr1_el1);
	/* ID_AA64MMFR2_EL1 by encoding: older assemblers lack the name. */
	ids->mmfr2 = read_sysreg(s3_0_c0_c7_2);
	ids->isar0 = read_sysreg(id_aa64isar0_el1);
	ids->pfr0 = read_sysreg(id_aa64pfr0_el1);
}
#endif
