/* Machine identity and QEMU detection (see machine.h). */
#include "tests/machine.h"

#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "lib/cpuinfo.h"
#include "lib/dtb.h"
#include "lib/timing.h"
#include "platform/boot_info.h"

/* QEMU's generic timer default for the cores it gives raspi3b/raspi4b (1 GHz / 16). */
#define QEMU_CNTFRQ_DEFAULT 62500000u

static struct machine_info info = {.board = "unknown", .version = "unknown"};

/* QEMU virt writes its own DTB: root compatible "linux,dummy-virt", and a /fw-cfg node. */
static bool dtb_says_qemu(const void *fdt, char *why, size_t len)
{
	for (int i = 0;; i++) {
		const char *c = dtb_root_compatible(fdt, i);
		if (!c)
			break;
		if (!strcmp(c, "linux,dummy-virt") || !strncmp(c, "qemu,", 5)) {
			snprintf(why, len, "DTB root compatible \"%s\"", c);
			return true;
		}
	}
	if (fdt_node_offset_by_compatible(fdt, -1, "qemu,fw-cfg-mmio") >= 0) {
		snprintf(why, len, "DTB has a QEMU fw-cfg node");
		return true;
	}
	return false;
}

/*
 * Elsewhere the DTB cannot tell (raspi3b/raspi4b boot bbmprobe's own; the
 * other machines' trees describe the real board). Firmware programs CNTFRQ_EL0
 * with the board's timer clock (19.2 MHz on a Pi 3, 54 MHz on a Pi 4, 100 MHz
 * on Xilinx boards); QEMU leaves most cores at its 62.5 MHz default. Evidence,
 * not proof, and said so.
 */
static void detect(void)
{
	const struct boot_info *bi = boot_info();
	const void *fdt = bi->dtb_lo ? (const void *)bi->dtb_lo : 0;
	uint64_t freq = timer_frequency();

	info.emu = EMU_UNKNOWN;
	if (fdt && dtb_says_qemu(fdt, info.emu_why, sizeof(info.emu_why))) {
		info.emu = EMU_QEMU;
		return;
	}
	if (freq == QEMU_CNTFRQ_DEFAULT) {
		info.emu = EMU_QEMU_INFERRED;
		snprintf(info.emu_why, sizeof(info.emu_why),
			 "CNTFRQ_EL0 is 62.5 MHz, QEMU's default; board firmware sets the board's timer clock, "
			 "e.g. 19.2 MHz on a Pi 3, 54 MHz on a Pi 4");
		return;
	}
	snprintf(info.emu_why, sizeof(info.emu_why), "nothing identifies an emulator; CNTFRQ_EL0 %llu Hz",
		 (unsigned long long)freq);
}

void machine_init(const char *version)
{
	const struct boot_info *bi = boot_info();
	struct cpu_ids ids;

	cpuinfo_read(&ids);
	info.midr = ids.midr;
	info.version = version;
	info.board = bi->platform ? bi->platform->name : "unknown";
	detect();
}

const struct machine_info *machine(void)
{
	return &info;
}

bool machine_is_qemu(void)
{
	return info.emu != EMU_UNKNOWN;
}

void machine_print_banner(void)
{
	static const char *const what[] = {
		[EMU_UNKNOWN] = "unknown",
		[EMU_QEMU] = "QEMU",
		[EMU_QEMU_INFERRED] = "probably QEMU",
	};

	printf("# emulator: %s (%s)\n", what[info.emu], info.emu_why);
	if (!machine_is_qemu())
		return;
	printf("# QEMU TCG caches final translations only: no table (walk-cache) entries and never invalid\n"
	       "# entries, one translation per page. Outcomes that need a cached table entry or a TLB conflict\n"
	       "# cannot be observed here; each scenario prints what the architecture permits (the model's\n"
	       "# allowed set) next to what this run saw.\n");
	/* QEMU's TLB (accel/tcg/cputlb.c) has no ASID field: the asid group's stale entries cannot show. */
	printf("# QEMU TCG tags no translation with an ASID: a TTBR0_EL1 write that changes the ASID empties its\n"
	       "# TLB, and a by-VA TLBI drops every ASID's copy, so another ASID's stale translation cannot be\n"
	       "# observed here either.\n");
	/* target/arm: TLBI_ASIDE1IS's writefn is tlbi_aa64_vmalle1is_write, the whole TLB. */
	printf("# QEMU TCG's tlbi aside1is empties its whole TLB, global (TTBR1) entries too: the stale global\n"
	       "# translation aside1is leaves (the ttbr1 group) cannot be observed here.\n");
}
