/*
 * boot_main: from the first C instruction to the exit line.
 *   MMU off: find the DTB (x0, else the board's default address), build the early map.
 *   MMU on:  TLS for picolibc, pick the board, read the DTB, console, banner,
 *            boot arguments, run the tests, exit with their status.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "boot/boot_map.h"
#include "boot/exception.h"
#include "boot/exit.h"
#include "lib/bootargs.h"
#include "lib/console.h"
#include "lib/cpuinfo.h"
#include "lib/dtb.h"
#include "platform/platform.h"
#include "tests/runner.h"

#ifndef BBM_VERSION
#define BBM_VERSION "0.0.0-unknown"
#endif

extern char _text[], _end[], boot_stack_top[];
extern char __tdata_start[], __tdata_end[], __tbss_end[];

/*
 * picolibc keeps errno and friends in TLS (local-exec model). AArch64 TLS
 * variant 1: TPIDR_EL0 points at a 16-byte TCB, the block follows it.
 */
static uint8_t tls_area[16 + 512] __attribute__((aligned(16)));

/* Linker symbols are separate objects to C; measure the span between them as addresses. */
static size_t tls_template_size(void)
{
	return (uintptr_t)__tdata_end - (uintptr_t)__tdata_start;
}

static size_t tls_total_size(void)
{
	return (uintptr_t)__tbss_end - (uintptr_t)__tdata_start;
}

static bool tls_init(void)
{
	size_t tdata = tls_template_size();
	size_t total = tls_total_size();

	if (total > sizeof(tls_area) - 16)
		return false;
	memcpy(tls_area + 16, __tdata_start, tdata);
	memset(tls_area + 16 + tdata, 0, total - tdata);
	__asm__ volatile("msr tpidr_el0, %0" : : "r"(tls_area) : "memory");
	return true;
}

void boot_main(uintptr_t x0, uint64_t entry_el, uintptr_t load_base) __attribute__((noreturn));

/* With the MMU off (Device memory): one aligned 32-bit big-endian load. */
static uint32_t read_be32_mmu_off(uintptr_t addr)
{
	uint32_t v = *(volatile const uint32_t *)addr;

	return __builtin_bswap32(v);
}

static bool dtb_magic_at(uintptr_t addr)
{
	return addr && !(addr & 7) && read_be32_mmu_off(addr) == FDT_MAGIC_VALUE;
}

static const char *psci_name(enum psci_conduit c)
{
	return c == PSCI_HVC ? "hvc" : c == PSCI_SMC ? "smc" : "none";
}

static void print_banner(const struct platform *plat, const char *board_how, const void *fdt, const char *dtb_how,
			 uint64_t entry_el, uintptr_t load_base, const struct board_config *cfg, const char *console_how)
{
	struct cpu_ids ids;
	struct mmu_features mf;
	char cpu[96];
	uint64_t cur_el;

	cpuinfo_read(&ids);
	cpuinfo_decode_mmu(&ids, &mf);
	cpuinfo_describe_midr(ids.midr, cpu, sizeof(cpu));
	__asm__ volatile("mrs %0, CurrentEL" : "=r"(cur_el));

	printf("# bbmprobe %s\n", BBM_VERSION);
	printf("# board: %s (%s)%s%s\n", plat->name, board_how, fdt && dtb_model(fdt) ? ", model: " : "",
	       fdt && dtb_model(fdt) ? dtb_model(fdt) : "");
	printf("# cpu: %s (MIDR 0x%08llx, MPIDR 0x%llx)\n", cpu, (unsigned long long)ids.midr,
	       (unsigned long long)ids.mpidr);
	printf("# entry: EL%llu, running at EL%llu; image at 0x%llx-0x%llx\n", (unsigned long long)entry_el,
	       (unsigned long long)(cur_el >> 2), (unsigned long long)load_base, (unsigned long long)(uintptr_t)_end);
	if (fdt)
		printf("# dtb: 0x%llx, %zu bytes (%s)\n", (unsigned long long)(uintptr_t)fdt, dtb_size(fdt), dtb_how);
	else
		printf("# dtb: none (%s); using the %s board defaults\n", dtb_how, plat->name);
	for (unsigned i = 0; i < cfg->mem_count; i++)
		printf("# memory: 0x%llx-0x%llx (%llu MiB)\n", (unsigned long long)cfg->mem[i].base,
		       (unsigned long long)(cfg->mem[i].base + cfg->mem[i].size - 1),
		       (unsigned long long)(cfg->mem[i].size >> 20));
	printf("# console: %s at 0x%llx (%s)\n", uart_kind_name(cfg->console.kind),
	       (unsigned long long)cfg->console.base, console_how);
	printf("# psci: %s\n", psci_name(cfg->psci));
	if (plat->cpu_start == CPU_START_SPIN_TABLE)
		printf("# cpus: secondaries start from the spin table (release address 0x%llx + 8 * cpu)\n",
		       (unsigned long long)plat->spin_table);
	else
		printf("# cpus: secondaries start with PSCI CPU_ON\n");
	printf("# mmu: PARange %u bits, VA %u bits, granules 4K:%s 16K:%s 64K:%s, ASID %u bits, HAFDBS %u\n",
	       mf.pa_bits, mf.va_bits, mf.gran4 ? "yes" : "no", mf.gran16 ? "yes" : "no", mf.gran64 ? "yes" : "no",
	       mf.asid_bits, mf.hafdbs);
	printf("# mmu: FEAT_BBM level %u, FEAT_TTL %s, TLBI %s, CnP %s (MMFR0 0x%llx MMFR1 0x%llx MMFR2 0x%llx)\n",
	       mf.bbm_level, mf.ttl ? "yes" : "no",
	       mf.tlbi == 0 ? "basic" : mf.tlbi == 1 ? "+outer-shareable" : "+outer-shareable+range",
	       mf.cnp ? "yes" : "no", (unsigned long long)ids.mmfr0, (unsigned long long)ids.mmfr1,
	       (unsigned long long)ids.mmfr2);
}

/* Refine the board defaults from the DTB. `console_how` says where the console came from. */
static void board_config_from_dtb(const void *fdt, struct board_config *cfg, const char **console_how,
				  char *console_path, size_t path_len)
{
	struct mem_region mem[PLATFORM_MAX_MEM];
	const char *why = NULL;
	struct console_desc c;
	unsigned n = dtb_memory(fdt, mem, PLATFORM_MAX_MEM);

	if (n) {
		memcpy(cfg->mem, mem, sizeof(mem[0]) * n);
		cfg->mem_count = n;
	}
	cfg->psci = dtb_psci(fdt);
	if (dtb_stdout_console(fdt, &c, console_path, path_len, &why)) {
		cfg->console = c; /* the clock comes from the board's UART table (platform_choose_console) */
		*console_how = console_path;
	} else {
		*console_how = why;
	}
}

void boot_main(uintptr_t x0, uint64_t entry_el, uintptr_t load_base)
{
	const struct platform *plat = platform_fallback();
	const void *fdt = NULL;
	const char *dtb_how = "x0";

	/* --- MMU off: only aligned accesses, no libc. --- */
	uintptr_t dtb_addr = 0;
	if (dtb_magic_at(x0)) {
		dtb_addr = x0;
	} else if (plat->dtb_probe_addr && dtb_magic_at(plat->dtb_probe_addr)) {
		dtb_addr = plat->dtb_probe_addr;
		dtb_how = "not in x0; found at the board's default address";
	} else {
		dtb_how = x0 ? "x0 does not point to a DTB" : "x0 is 0";
	}
	uintptr_t dtb_end = dtb_addr ? dtb_addr + read_be32_mmu_off(dtb_addr + 4) : 0;
	boot_map_early(load_base, (uintptr_t)_end, dtb_addr, dtb_end);

	/* --- MMU on: Normal memory, libc may run. --- */
	bool tls_ok = tls_init();
	exception_set_image_range(load_base, (uintptr_t)boot_stack_top - 64 * 1024, (uintptr_t)boot_stack_top);

	const char *board_how = "no DTB: build-time fallback";
	if (dtb_addr && dtb_valid((const void *)dtb_addr)) {
		fdt = (const void *)dtb_addr;
		const struct platform *m = platform_match(fdt);
		if (m) {
			plat = m;
			board_how = "from DTB compatible";
		} else {
			board_how = "DTB compatible unknown: build-time fallback";
		}
	} else if (dtb_addr) {
		dtb_how = "magic found but libfdt rejects the header";
	}

	struct board_config cfg = plat->defaults;
	const char *console_how = "board default";
	char console_path[96] = "";
	if (fdt)
		board_config_from_dtb(fdt, &cfg, &console_how, console_path, sizeof(console_path));
	else
		cfg.psci = PSCI_NONE; /* unknown without a DTB; a wrong conduit traps */

	struct bootargs args;
	char args_err[256];
	const char *line = fdt ? dtb_bootargs(fdt) : NULL;
	bool args_ok = bootargs_parse(line, &args, args_err, sizeof(args_err));
	/* console=pl011|mini; a UART the board lacks is a usage error, reported on the auto console. */
	if (!platform_choose_console(plat, args_ok ? args.console : "auto", &cfg, &console_how, args_err,
				     sizeof(args_err))) {
		args_ok = false;
		platform_choose_console(plat, "auto", &cfg, &console_how, NULL, 0);
	}

	unsigned unmapped = boot_map_board(&cfg);
	char board_note[128] = "";
	if (plat->init)
		plat->init(&cfg, board_note, sizeof(board_note)); /* pin muxing before the UART starts */
	console_init(&cfg.console);

	/* Exit configuration must hold even when the arguments were bad (status 2 must reach QEMU). */
	struct exit_config ec = {
		.semihosting = args_ok ? args.semihosting : bootargs_mentions_semihosting(line),
		.psci = cfg.psci,
		.action = EXIT_ACTION_AUTO,
		.board_reset = plat->reset,
	};
	if (args_ok && !strcmp(args.exit, "halt"))
		ec.action = EXIT_ACTION_HALT;
	else if (args_ok && !strcmp(args.exit, "reset"))
		ec.action = EXIT_ACTION_RESET;
	bbm_exit_configure(&ec);

	printf("TAP version 13\n");
	print_banner(plat, board_how, fdt, dtb_how, entry_el, load_base, &cfg, console_how);
	if (board_note[0])
		printf("# board setup: %s\n", board_note);
	printf("# exit: %s\n", bbm_exit_describe());
	printf("# bootargs: \"%s\"\n", line ? line : "");
	if (unmapped)
		printf("# warning: %u memory region(s) beyond the boot map's reach were not mapped\n", unmapped);
	if (!tls_ok)
		printf("# warning: picolibc TLS needs %zu bytes, have %zu; errno is unusable\n",
		       tls_total_size(), sizeof(tls_area) - 16);

	/* Unmask SError only now: one raised earlier would have had no console to report on. */
	__asm__ volatile("msr daifclr, #4" ::: "memory");

	if (!args_ok) {
		runner_usage_error(args_err);
		bbm_exit(BBM_STATUS_USAGE);
	}
	bbm_exit(runner_run(&args));
}
