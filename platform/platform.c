/* Board selection: DTB root compatible first, build-time fallback otherwise. */
#include "platform/platform.h"

#include <string.h>

#include "lib/dtb.h"

extern const struct platform platform_virt;

const struct platform *const platform_all[] = {
	&platform_virt,
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
