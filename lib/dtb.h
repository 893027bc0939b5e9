/*
 * Device tree queries on top of libfdt: the console, memory, PSCI conduit,
 * boot arguments, model and root compatible. Addresses are translated through
 * parent `ranges`, because the Pi 4's peripherals sit behind a bus window
 * (0x7e000000 bus -> 0xfe000000 CPU).
 */
#ifndef BBMPROBE_LIB_DTB_H
#define BBMPROBE_LIB_DTB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/console.h"

struct mem_region {
	uint64_t base;
	uint64_t size;
};

enum psci_conduit {
	PSCI_NONE = 0,
	PSCI_HVC,
	PSCI_SMC,
};

#define FDT_MAGIC_VALUE 0xd00dfeedu

/* True if `p` is non-NULL, 8-byte aligned, carries the FDT magic and libfdt accepts the header. */
bool dtb_valid(const void *p);
size_t dtb_size(const void *fdt);
const char *dtb_model(const void *fdt);
/* The idx-th string of the root `compatible`, or NULL. */
const char *dtb_root_compatible(const void *fdt, int idx);
/* /chosen/bootargs, or NULL. */
const char *dtb_bootargs(const void *fdt);
/* Memory from device_type = "memory" nodes; returns how many regions were stored. */
unsigned dtb_memory(const void *fdt, struct mem_region *out, unsigned max);
/* /psci method; PSCI_NONE without a PSCI node. */
enum psci_conduit dtb_psci(const void *fdt);
/*
 * The console named by /chosen/stdout-path (an alias or a path, ":options"
 * stripped). Returns false with a reason in `why` if it is absent or not a UART
 * no registered console driver handles. `path` receives the resolved node path.
 */
bool dtb_stdout_console(const void *fdt, struct console_desc *out, char *path, size_t path_len, const char **why);
/* CPU address of the idx-th `reg` entry of a node, through all parent `ranges`. */
bool dtb_node_reg(const void *fdt, int node, int idx, uint64_t *addr, uint64_t *size);

#endif
