/* Choosing the console: console=, the DTB's stdout-path and the board's UART table (see platform.h). */
#include <stdio.h>
#include <string.h>

#include "platform/platform.h"

#define PAGE_MASK 0xfffull

static bool overlaps_ram(const struct board_config *cfg, uint64_t lo, uint64_t hi)
{
	for (unsigned i = 0; i < cfg->mem_count; i++)
		if (lo < cfg->mem[i].base + cfg->mem[i].size && cfg->mem[i].base < hi)
			return true;
	return false;
}

/* The UART's registers, rounded out to pages, as a Device window unless one already holds them. */
static void add_console_window(struct board_config *cfg, uint64_t base, uint64_t size)
{
	uint64_t lo = base & ~PAGE_MASK, hi = (base + (size ? size : 1) + PAGE_MASK) & ~PAGE_MASK;

	for (unsigned i = 0; i < cfg->device_count; i++)
		if (lo >= cfg->devices[i].base && hi <= cfg->devices[i].base + cfg->devices[i].size)
			return;
	if (cfg->device_count < PLATFORM_MAX_DEVICES)
		cfg->devices[cfg->device_count++] = (struct mem_region){lo, hi - lo};
}

/* A UART in the board's table is programmed as the table says; any other keeps the boot loader's rate. */
static void apply_board_clock(const struct platform *plat, struct console_desc *c)
{
	for (unsigned i = 0; i < plat->uart_count; i++)
		if (console_driver_by_name(plat->uarts[i].driver) == c->driver && plat->uarts[i].port.base == c->port.base) {
			c->port.clock_hz = plat->uarts[i].port.clock_hz;
			c->port.baud = plat->uarts[i].port.baud;
		}
}

static void use_dt_uart(struct board_config *cfg, struct console_report *rep, const struct dtb_uart *u,
			const char *prefix)
{
	cfg->console = u->desc;
	add_console_window(cfg, u->desc.port.base, u->size);
	snprintf(rep->how_buf, sizeof(rep->how_buf), "%s%s%s", prefix, u->path,
		 u->from_alias ? ", the serial0 alias: no stdout-path" : "");
	rep->how = rep->how_buf;
	rep->options = u->options;
}

/* stdout-path (or serial0), else the board's first UART, else none. */
static void choose_auto(const struct platform *plat, const void *fdt, struct board_config *cfg,
			struct console_report *rep)
{
	struct dtb_uart u;
	const char *why = "no DTB";
	bool found = fdt && dtb_stdout_console(fdt, &u, &why);

	if (found && overlaps_ram(cfg, u.desc.port.base, u.desc.port.base + u.size)) {
		found = false;
		why = "the stdout-path UART's registers overlap the DTB's RAM";
	}
	if (found) {
		use_dt_uart(cfg, rep, &u, "");
	} else if (plat->uart_count) {
		cfg->console.driver = console_driver_by_name(plat->uarts[0].driver);
		cfg->console.port = plat->uarts[0].port;
		snprintf(rep->how_buf, sizeof(rep->how_buf), "board default%s%s", fdt ? "; DTB: " : "", fdt ? why : "");
		rep->how = rep->how_buf;
	} else {
		cfg->console.driver = NULL;
		if (fdt && u.path[0])
			snprintf(rep->why_buf, sizeof(rep->why_buf), "%s, compatible \"%s\": %s", u.path,
				 u.compatible ? u.compatible : "", why);
		else
			snprintf(rep->why_buf, sizeof(rep->why_buf), "%s", why);
		rep->why_none = rep->why_buf;
		rep->how = "none";
		return;
	}
	apply_board_clock(plat, &cfg->console);
}

/* console=pl011|mini: the board's UART of that name, else the DTB's first node of that type. */
static bool choose_named(const struct platform *plat, const void *fdt, const char *choice, struct board_config *cfg,
			 struct console_report *rep, char *err, size_t err_len)
{
	char names[64] = "";
	size_t used = 0;

	for (unsigned i = 0; i < plat->uart_count; i++) {
		if (!strcmp(plat->uarts[i].name, choice)) {
			cfg->console.driver = console_driver_by_name(plat->uarts[i].driver);
			cfg->console.port = plat->uarts[i].port;
			snprintf(rep->how_buf, sizeof(rep->how_buf), "console=%s", choice);
			rep->how = rep->how_buf;
			return true;
		}
		int n = snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "", plat->uarts[i].name);
		if (n > 0 && (size_t)n < sizeof(names) - used)
			used += (size_t)n;
	}
	struct dtb_uart u;
	const struct console_driver *d = console_driver_by_name(strcmp(choice, "mini") ? choice : "mini-uart");
	if (fdt && d && dtb_find_uart(fdt, d, &u) && !overlaps_ram(cfg, u.desc.port.base, u.desc.port.base + u.size)) {
		char prefix[24];
		snprintf(prefix, sizeof(prefix), "console=%s: ", choice);
		use_dt_uart(cfg, rep, &u, prefix);
		apply_board_clock(plat, &cfg->console);
		return true;
	}
	snprintf(err, err_len, "'console=%s': the %s board has no such UART; it has: %s%s", choice, plat->name,
		 used ? names : "none", fdt ? " (and the DTB has no enabled node of that type)" : "");
	return false;
}

/* console=NAME,ADDR...: that UART; the clock from the stdout-path node when it is the same UART. */
static bool choose_explicit(const void *fdt, const struct bootargs *args, struct board_config *cfg,
			    struct console_report *rep, char *err, size_t err_len)
{
	const struct bootargs_console *c = &args->console_port;
	struct dtb_uart u;
	const char *why;
	uint64_t size = 0x1000;

	if (overlaps_ram(cfg, c->addr, c->addr + 8)) {
		snprintf(err, err_len, "'console=%s': 0x%llx is RAM in the DTB's /memory, not a UART", args->console,
			 (unsigned long long)c->addr);
		return false;
	}
	cfg->console.driver = console_driver_by_name(c->driver);
	cfg->console.port = (struct console_port){.base = (uintptr_t)c->addr, .clock_hz = c->clock_hz,
						  .baud = c->baud, .reg_shift = c->reg_shift,
						  .reg_io_width = c->reg_io_width};
	if (fdt && dtb_stdout_console(fdt, &u, &why) && u.desc.port.base == c->addr) {
		if (!c->clock_hz)
			cfg->console.port.clock_hz = u.desc.port.clock_hz;
		size = u.size;
	}
	add_console_window(cfg, c->addr, size);
	snprintf(rep->how_buf, sizeof(rep->how_buf), "console=%s", args->console);
	rep->how = rep->how_buf;
	return true;
}

bool platform_choose_console(const struct platform *plat, const void *fdt, const struct bootargs *args,
			     struct board_config *cfg, struct console_report *rep, char *err, size_t err_len)
{
	memset(rep, 0, sizeof(*rep));
	if (args && args->console_explicit)
		return choose_explicit(fdt, args, cfg, rep, err, err_len);
	if (args && strcmp(args->console, "auto"))
		return choose_named(plat, fdt, args->console, cfg, rep, err, err_len);
	choose_auto(plat, fdt, cfg, rep);
	return true;
}
