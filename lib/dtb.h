/*
 * Device tree queries on top of libfdt: the console, memory, reserved memory,
 * CPUs, PSCI conduit, boot arguments, model and root compatible. Addresses are translated through
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

/*
 * NULL if `p` is safe to query: non-NULL, 8-byte aligned, the FDT magic, and a
 * header and structure libfdt accepts (fdt_check_full), every walk of which
 * ends. Otherwise what is wrong, in words (lib/dtb_check.c).
 */
const char *dtb_problem(const void *p);
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
/* A UART node as the DT describes it. */
struct dtb_uart {
	struct console_desc desc; /* driver; base from reg; reg-shift, reg-io-width; clock-frequency (0 if absent) */
	uint64_t size;            /* of its first reg entry (the window mapped as Device memory) */
	uint32_t options_baud;    /* from stdout-path ":115200n8"; 0 without options */
	const char *options;      /* the stdout-path options as written, or NULL */
	bool from_alias;          /* found through /aliases/serial0, not stdout-path */
	const char *compatible;   /* the node's first compatible (points into the DTB), for messages */
	char path[96];            /* the node's full path */
};

/*
 * The console named by /chosen/stdout-path (an alias or a path, ":options"
 * after it), else by the serial0 alias. Returns false with a reason in `why` if
 * neither names a node, or the node is not a UART a registered driver claims.
 */
bool dtb_stdout_console(const void *fdt, struct dtb_uart *out, const char **why);
/* The first enabled node that `driver` claims (console=pl011|mini on a board without a table). */
bool dtb_find_uart(const void *fdt, const struct console_driver *driver, struct dtb_uart *out);

/* A region the firmware must never touch: /memreserve/ or a /reserved-memory child with a reg. */
struct dtb_reserved {
	uint64_t base, size;
	bool no_map;      /* not to be mapped at all (often secure memory) */
	const char *name; /* the node's name, or "/memreserve/" (points into the DTB) */
};

/*
 * Stores up to max regions and returns how many it stored. `unrecorded` counts
 * the ones it could not: beyond max, or a reg it cannot translate (then the
 * caller cannot know what to avoid).
 */
unsigned dtb_reserved(const void *fdt, struct dtb_reserved *out, unsigned max, unsigned *unrecorded);

/* How secondary CPUs start, from /cpus (DT spec 3.8 and the Linux arm64 cpus binding). */
enum cpu_enable_method {
	CPU_ENABLE_NONE = 0,   /* no enable-method: they cannot be started */
	CPU_ENABLE_PSCI,       /* PSCI CPU_ON through /psci's conduit */
	CPU_ENABLE_SPIN_TABLE, /* write the entry point to cpu-release-addr, then SEV */
	CPU_ENABLE_OTHER,      /* something else (method_name says what) */
};

#define CPU_MAX_RELEASE 8

struct cpu_topology {
	unsigned count;                    /* CPU nodes; 0 when not described (no DTB) */
	enum cpu_enable_method method;     /* of the first secondary (of the only CPU when alone) */
	const char *method_name;           /* the enable-method string for CPU_ENABLE_OTHER */
	uint64_t release[CPU_MAX_RELEASE]; /* spin table: cpu-release-addr of each CPU node, in order */
	unsigned release_count;
	/* Per CPU node, in order (the first CPU_MAX_RELEASE): its `reg` (MPIDR affinity) and release address. */
	uint64_t mpidr[CPU_MAX_RELEASE];
	uint64_t release_of[CPU_MAX_RELEASE]; /* 0: the node has no cpu-release-addr */
	bool has_mpidr[CPU_MAX_RELEASE];
};

void dtb_cpus(const void *fdt, struct cpu_topology *out);
/* The GICv2 or BCM2836 local controller the DTB describes (true), else what else is there (IRQC_UNSUPPORTED or IRQC_NONE). */
bool dtb_irq_controller(const void *fdt, struct irqc_desc *out);
/* The virtual timer's INTID from the arm,armv8-timer node, or `fallback`. */
unsigned dtb_timer_virt_intid(const void *fdt, unsigned fallback);
/* CPU address of the idx-th `reg` entry of a node, through all parent `ranges`. */
bool dtb_node_reg(const void *fdt, int node, int idx, uint64_t *addr, uint64_t *size);

#endif
