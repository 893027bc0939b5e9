/* What boot learned about the machine, kept for the tests above (see boot_info.h). */
#include "platform/boot_info.h"

static struct boot_info info;

const struct boot_info *boot_info(void)
{
	return &info;
}

void boot_info_set(const struct boot_info *i)
{
	info = *i;
}

bool boot_info_overlaps_reserved(uint64_t lo, uint64_t hi)
{
	const struct board_config *cfg = &info.config;

	if (cfg->reserved_dropped)
		return true;
	for (unsigned i = 0; i < cfg->reserved_count; i++)
		if (lo < cfg->reserved[i].base + cfg->reserved[i].size && cfg->reserved[i].base < hi)
			return true;
	return false;
}
