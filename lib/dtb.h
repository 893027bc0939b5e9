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
#include "lib/irq.h"

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
/* A header is at least 40 bytes; more than 2 MiB is refused, as Linux does (MAX_FDT_SIZE). */
#define DTB_MIN_SIZE 40u
#define DTB_MAX_SIZE (2u << 20)

/* Checked with the MMU off before anything else is read: the magic and a sane total size. */
bool dtb_header_plausible(uint32_t magic, uint32_t totalsize);

/* True if `p` is non-NULL, 8-byte aligned, carries the FDT magic and libfdt accepts the header. */
bool dtb_valid(const void *p);
size_t dtb_size(const void *fdt);
/* The root `model`, or NULL if absent or not a string. */
const char *dtb_model(const void *fdt);
/* The idx-th string of the root `compatible`, or NULL. */
const char *dtb_root_compatible(const void *fdt, int idx);
/* /chosen/bootargs, or NULL; *malformed (if not NULL): present but not a NUL-terminated string. */
const char *dtb_bootargs(const void *fdt, bool *malformed);
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
/* The GICv2 or BCM2836 local controller the DTB describes (true), else what else is there (IRQC_UNSUPPORTED or IRQC_NONE). */
bool dtb_irq_controller(const void *fdt, struct irqc_desc *out);
/* The virtual timer's INTID from the arm,armv8-timer node, or `fallback`. */
unsigned dtb_timer_virt_intid(const void *fdt, unsigned fallback);
/* CPU address of the idx-th `reg` entry of a node, through all parent `ranges`. */
bool dtb_node_reg(const void *fdt, int node, int idx, uint64_t *addr, uint64_t *size);

#endif
