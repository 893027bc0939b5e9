/* Board selection: DTB root compatible first, build-time fallback otherwise; console choice. */
#include "platform/platform.h"

#include <stdio.h>
#include <string.h>

#include "lib/dtb.h"

extern const struct platform platform_virt;
extern const struct platform platform_rpi4;
extern const struct platform platform_rpi3;

const struct platform *const platform_all[] = {
	&platform_virt,
	&platform_rpi4,
	&platform_rpi3,
	NULL,
};

#ifndef FALLBACK_BOARD
#define FALLBACK_BOARD "virt"
#endif

const struct platform *platform_match(const void *fdt)
{
	for (int i = 0;; i++) {
		const char *compat = dtb_root_compatible(fdt, i);
		if (!compat)
			return NULL;
		for (const struct platform *const *p = platform_all; *p; p++)
			for (const char *const *c = (*p)->compatible; *c; c++)
				if (!strcmp(*c, compat))
					return *p;
	}
}

static struct console_desc uart_console(const struct board_uart *u)
{
	struct console_desc d = {.driver = console_driver_by_name(u->driver), .port = u->port};
	return d;
}

void platform_default_config(const struct platform *plat, struct board_config *cfg)
{
	*cfg = plat->defaults;
	cfg->console = uart_console(&plat->uarts[0]);
}

const struct platform *platform_fallback(void)
{
	for (const struct platform *const *p = platform_all; *p; p++)
		if (!strcmp((*p)->name, FALLBACK_BOARD))
			return *p;
	return platform_all[0];
}

bool platform_choose_console(const struct platform *plat, const char *choice, struct board_config *cfg,
			     const char **how, char *err, size_t err_len)
{
	if (choice && strcmp(choice, "auto")) {
		const struct board_uart *pick = NULL;
		char names[64] = "";
		size_t used = 0;

		for (unsigned i = 0; i < plat->uart_count; i++) {
			if (!strcmp(plat->uarts[i].name, choice))
				pick = &plat->uarts[i];
			int n = snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "",
					 plat->uarts[i].name);
			if (n > 0 && (size_t)n < sizeof(names) - used)
				used += (size_t)n;
		}
		if (!pick) {
			snprintf(err, err_len, "'console=%s': the %s board has no such UART; it has: %s", choice,
				 plat->name, names);
			return false;
		}
		static char how_buf[32];

		cfg->console = uart_console(pick);
		snprintf(how_buf, sizeof(how_buf), "console=%s", pick->name);
		*how = how_buf;
		return true;
	}
	/*
	 * auto: the DTB's (or default) UART. Its reference clock comes from the
	 * board table, never from the DTB: a UART the board does not list keeps
	 * the firmware's baud rate.
	 */
	cfg->console.port.clock_hz = 0;
	for (unsigned i = 0; i < plat->uart_count; i++) {
		struct console_desc u = uart_console(&plat->uarts[i]);
		if (u.driver == cfg->console.driver && u.port.base == cfg->console.port.base)
			cfg->console.port.clock_hz = u.port.clock_hz;
	}
	return true;
}
