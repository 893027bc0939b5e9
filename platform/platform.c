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

		cfg->console = pick->desc;
		snprintf(how_buf, sizeof(how_buf), "console=%s", pick->name);
		*how = how_buf;
		return true;
	}
	/*
	 * auto: the DTB's (or default) UART. Its reference clock comes from the
	 * board table, never from the DTB: a UART the board does not list keeps
	 * the firmware's baud rate.
	 */
	cfg->console.clock_hz = 0;
	for (unsigned i = 0; i < plat->uart_count; i++)
		if (plat->uarts[i].desc.kind == cfg->console.kind && plat->uarts[i].desc.base == cfg->console.base)
			cfg->console.clock_hz = plat->uarts[i].desc.clock_hz;
	return true;
}
