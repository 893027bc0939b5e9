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
