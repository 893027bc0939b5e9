/* Board selection (DTB root compatible, generic, build-time fallback) and the DTB's view of the board. */
#include "platform/platform.h"

#include <string.h>

#include "lib/dtb.h"

extern const struct platform platform_board_generic;
extern const struct platform __start_boards[], __stop_boards[];

/* The registered boards (the section bounds are distinct objects to the compiler: count by address). */
static size_t board_count(void)
{
	return ((uintptr_t)__stop_boards - (uintptr_t)__start_boards) / sizeof(struct platform);
}

#ifndef FALLBACK_BOARD
#define FALLBACK_BOARD "virt"
#endif

#define PAGE_MASK 0xfffull

const struct platform *platform_match(const void *fdt)
{
	for (int i = 0;; i++) {
		const char *compat = dtb_root_compatible(fdt, i);
		if (!compat)
			return NULL;
		for (size_t b = 0; b < board_count(); b++)
			for (const char *const *c = __start_boards[b].compatible; *c; c++)
				if (!strcmp(*c, compat))
					return &__start_boards[b];
	}
}

const struct platform *platform_generic(void)
{
	return &platform_board_generic;
}

void platform_default_config(const struct platform *plat, struct board_config *cfg)
{
	*cfg = plat->defaults;
	cfg->console.driver = NULL;
	if (plat->uart_count) {
		cfg->console.driver = console_driver_by_name(plat->uarts[0].driver);
		cfg->console.port = plat->uarts[0].port;
	}
}

static void add_ram(struct board_config *cfg, uint64_t lo, uint64_t hi)
{
	if (hi <= lo)
		return;
	if (cfg->mem_count < PLATFORM_MAX_MEM)
		cfg->mem[cfg->mem_count++] = (struct mem_region){lo, hi - lo};
	else
		cfg->mem_dropped++;
}

/* [lo, hi) less every no-map region, each rounded out to whole pages. */
static void add_ram_around_no_map(struct board_config *cfg, uint64_t lo, uint64_t hi)
{
	while (lo < hi) {
		uint64_t cut_lo = hi, cut_hi = hi;
		for (unsigned i = 0; i < cfg->reserved_count; i++) {
			const struct dtb_reserved *r = &cfg->reserved[i];
			uint64_t r_lo = r->base & ~PAGE_MASK, r_hi = (r->base + r->size + PAGE_MASK) & ~PAGE_MASK;
			if (r->no_map && r_lo < hi && r_hi > lo && r_lo < cut_lo) {
				cut_lo = r_lo > lo ? r_lo : lo;
				cut_hi = r_hi;
			}
		}
		add_ram(cfg, lo, cut_lo);
		lo = cut_hi;
	}
}

void platform_config_from_dtb(const void *fdt, struct board_config *cfg)
{
	struct mem_region mem[PLATFORM_MAX_MEM];
	unsigned n = dtb_memory(fdt, mem, PLATFORM_MAX_MEM);
	struct cpu_topology cpus;

	cfg->reserved_count = dtb_reserved(fdt, cfg->reserved, PLATFORM_MAX_RESERVED, &cfg->reserved_dropped);
	if (n) { /* no-map memory must not be mapped at all, not even as Normal memory nobody touches */
		cfg->mem_count = 0;
		for (unsigned i = 0; i < n; i++)
			add_ram_around_no_map(cfg, mem[i].base, mem[i].base + mem[i].size);
	}
	cfg->psci = dtb_psci(fdt);
	dtb_cpus(fdt, &cpus);
	if (cpus.count)
		cfg->cpus = cpus;
}

const struct platform *platform_fallback(void)
{
	for (size_t b = 0; b < board_count(); b++)
		if (!strcmp(__start_boards[b].name, FALLBACK_BOARD))
			return &__start_boards[b];
	return &platform_board_generic; /* the Makefile only accepts names of board files */
}
