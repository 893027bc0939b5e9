/* Device tree queries (see dtb.h). The parsing itself is libfdt's. */
#include "dtb.h"

#include <libfdt.h>
#include <string.h>

size_t dtb_size(const void *fdt)
{
	return fdt_totalsize(fdt);
}

/* A string property, or NULL if absent or not NUL-terminated (*malformed says which, if asked). */
static const char *string_prop(const void *fdt, int node, const char *name, bool *malformed)
{
	int len;
	const char *p = node < 0 ? NULL : fdt_getprop(fdt, node, name, &len);
	bool bad = p && (len <= 0 || p[len - 1] != '\0');

	if (malformed)
		*malformed = bad;
	return bad ? NULL : p;
}

const char *dtb_model(const void *fdt)
{
	return string_prop(fdt, 0, "model", NULL);
}

const char *dtb_root_compatible(const void *fdt, int idx)
{
	return fdt_stringlist_get(fdt, 0, "compatible", idx, NULL);
}

const char *dtb_bootargs(const void *fdt, bool *malformed)
{
	return string_prop(fdt, fdt_path_offset(fdt, "/chosen"), "bootargs", malformed);
}

bool dtb_header_plausible(uint32_t magic, uint32_t totalsize)
{
	return magic == FDT_MAGIC_VALUE && totalsize >= DTB_MIN_SIZE && totalsize <= DTB_MAX_SIZE;
}

static uint64_t read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++)
		v = (v << 32) | fdt32_ld(p + i);
	return v;
}

/*
 * #address-cells / #size-cells that apply to the children of `parent`. Only
 * 1 or 2 address cells and 0 to 2 size cells fit 64 bits: anything else makes
 * the node's addresses unreadable rather than silently misread.
 */
static bool child_cells(const void *fdt, int parent, int *ac, int *sc)
{
	*ac = fdt_address_cells(fdt, parent);
	*sc = fdt_size_cells(fdt, parent);
	return *ac >= 1 && *ac <= 2 && *sc >= 0 && *sc <= 2;
}

/* Map a child-bus address of `node` into the parent bus of its parent, via the parent's `ranges`. */
static bool translate_up(const void *fdt, int bus, uint64_t *addr)
{
	int len;
	const fdt32_t *ranges = fdt_getprop(fdt, bus, "ranges", &len);

	if (!ranges)
		return false; /* no ranges: not translatable (DT spec 2.3.8) */
	if (len == 0)
		return true; /* empty ranges: identity */
	int cac, csc, pac, psc;
	int grand = fdt_parent_offset(fdt, bus);
	if (grand < 0 || !child_cells(fdt, bus, &cac, &csc) || !child_cells(fdt, grand, &pac, &psc))
		return false;
	int entry = cac + pac + csc;
	for (int off = 0; (off + entry) * 4 <= len; off += entry) {
		uint64_t child = read_cells(ranges + off, cac);
		uint64_t parent = read_cells(ranges + off + cac, pac);
		uint64_t size = read_cells(ranges + off + cac + pac, csc);
		if (*addr >= child && *addr - child < size) {
			*addr = parent + (*addr - child);
			return true;
		}
	}
	return false;
}

bool dtb_node_reg(const void *fdt, int node, int idx, uint64_t *addr, uint64_t *size)
{
	int parent = fdt_parent_offset(fdt, node);
	int len, ac, sc;

	if (parent < 0 || !child_cells(fdt, parent, &ac, &sc))
		return false;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || (idx + 1) * (ac + sc) * 4 > len)
		return false;
	*addr = read_cells(reg + idx * (ac + sc), ac);
	*size = read_cells(reg + idx * (ac + sc) + ac, sc);
	for (int bus = parent; bus > 0; bus = fdt_parent_offset(fdt, bus))
		if (!translate_up(fdt, bus, addr))
			return false;
	return true;
}

/* A string property, NULL unless it is NUL-terminated within its length (fdt_getprop does not check). */
static const char *prop_str(const void *fdt, int node, const char *name)
{
	return node < 0 ? NULL : fdt_stringlist_get(fdt, node, name, 0, NULL);
}

static bool node_enabled(const void *fdt, int node)
{
	const char *status = prop_str(fdt, node, "status");

	return !status || !strcmp(status, "okay") || !strcmp(status, "ok");
}

unsigned dtb_memory(const void *fdt, struct mem_region *out, unsigned max)
{
	unsigned n = 0;

	for (int node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", sizeof("memory"));
	     node >= 0 && n < max;
	     node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", sizeof("memory"))) {
		if (!node_enabled(fdt, node))
			continue;
		for (int i = 0; n < max; i++) {
			uint64_t base, size;
			if (!dtb_node_reg(fdt, node, i, &base, &size))
				break;
			if (size) {
				out[n].base = base;
				out[n].size = size;
				n++;
			}
		}
	}
	return n;
}

enum psci_conduit dtb_psci(const void *fdt)
{
	int node = fdt_path_offset(fdt, "/psci");
	const char *method = string_prop(fdt, node, "method", NULL);

	if (!method)
		return PSCI_NONE;
	if (!strcmp(method, "hvc"))
		return PSCI_HVC;
	if (!strcmp(method, "smc"))
		return PSCI_SMC;
	return PSCI_NONE;
}

/* The first of the node's compatibles that a registered console driver claims. */
static const struct console_driver *driver_for_node(const void *fdt, int node)
{
	for (int i = 0;; i++) {
		const char *c = fdt_stringlist_get(fdt, node, "compatible", i, NULL);
		if (!c)
			return NULL;
		const struct console_driver *d = console_driver_by_compatible(c);
		if (d)
			return d;
	}
}

static uint32_t prop_u32(const void *fdt, int node, const char *name, uint32_t fallback)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	return p && len >= 4 ? fdt32_ld(p) : fallback;
}

/* Driver, registers and clock of a UART node; false with a reason if it cannot be driven. */
static bool uart_from_node(const void *fdt, int node, struct dtb_uart *out, const char **why)
{
	uint64_t base, size;

	if (fdt_get_path(fdt, node, out->path, (int)sizeof(out->path)) < 0)
		out->path[0] = '\0';
	out->compatible = fdt_stringlist_get(fdt, node, "compatible", 0, NULL);
	out->desc.driver = driver_for_node(fdt, node);
	if (!out->desc.driver) {
		*why = "no console driver claims it";
		return false;
	}
	if (!dtb_node_reg(fdt, node, 0, &base, &size)) {
		*why = "its reg cannot be translated to a CPU address";
		return false;
	}
	uint32_t width = prop_u32(fdt, node, "reg-io-width", 1), shift = prop_u32(fdt, node, "reg-shift", 0);
	out->desc.port = (struct console_port){
		.base = (uintptr_t)base,
		.clock_hz = prop_u32(fdt, node, "clock-frequency", 0),
		.reg_shift = (uint8_t)(shift <= 3 ? shift : 0),
		.reg_io_width = (uint8_t)(width == 2 || width == 4 ? width : 1),
	};
	out->size = size;
	return true;
}

/* "115200n8" -> 115200; 0 when the options do not start with a number. */
static uint32_t options_baud(const char *opt)
{
	uint32_t baud = 0;

	while (opt && *opt >= '0' && *opt <= '9' && baud < 100000000u)
		baud = baud * 10 + (uint32_t)(*opt++ - '0');
	return baud;
}

bool dtb_stdout_console(const void *fdt, struct dtb_uart *out, const char **why)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *sp = prop_str(fdt, chosen, "stdout-path");

	memset(out, 0, sizeof(*out));
	if (!sp) {
		/* U-Boot's fallback too: the first serial alias. */
		sp = prop_str(fdt, fdt_path_offset(fdt, "/aliases"), "serial0");
		out->from_alias = sp != NULL;
	}
	if (!sp) {
		*why = "no /chosen/stdout-path and no serial0 alias";
		return false;
	}
	const char *colon = strchr(sp, ':');
	int namelen = colon ? (int)(colon - sp) : (int)strlen(sp);
	int node = fdt_path_offset_namelen(fdt, sp, namelen);
	if (node < 0) {
		*why = out->from_alias ? "the serial0 alias does not name a node" : "stdout-path does not name a node";
		return false;
	}
	out->options = colon && colon[1] ? colon + 1 : NULL;
	out->options_baud = options_baud(out->options);
	return uart_from_node(fdt, node, out, why);
}

bool dtb_find_uart(const void *fdt, const struct console_driver *driver, struct dtb_uart *out)
{
	const char *why;

	memset(out, 0, sizeof(*out));
	for (int node = fdt_next_node(fdt, -1, NULL); node >= 0; node = fdt_next_node(fdt, node, NULL))
		if (node_enabled(fdt, node) && driver_for_node(fdt, node) == driver &&
		    uart_from_node(fdt, node, out, &why))
			return true;
	return false;
}

static void add_reserved(struct dtb_reserved *out, unsigned max, unsigned *n, unsigned *unrecorded,
			 struct dtb_reserved r)
{
	if (!r.size)
		return;
	if (*n < max)
		out[(*n)++] = r;
	else
		(*unrecorded)++;
}

unsigned dtb_reserved(const void *fdt, struct dtb_reserved *out, unsigned max, unsigned *unrecorded)
{
	unsigned n = 0;

	*unrecorded = 0;
	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
		uint64_t base, size;
		if (fdt_get_mem_rsv(fdt, i, &base, &size) == 0)
			add_reserved(out, max, &n, unrecorded, (struct dtb_reserved){base, size, false, "/memreserve/"});
	}
	int parent = fdt_path_offset(fdt, "/reserved-memory");
	int node;
	fdt_for_each_subnode(node, fdt, parent) {
		if (!node_enabled(fdt, node))
			continue;
		bool no_map = fdt_getprop(fdt, node, "no-map", NULL) != NULL;
		const char *name = fdt_get_name(fdt, node, NULL);
		uint64_t base, size;
		int idx = 0;
		/* Nodes with only size/alloc-ranges are for the OS to place; nothing is there yet. */
		for (; dtb_node_reg(fdt, node, idx, &base, &size); idx++)
			add_reserved(out, max, &n, unrecorded, (struct dtb_reserved){base, size, no_map, name ? name : "?"});
		if (!idx && fdt_getprop(fdt, node, "reg", NULL))
			(*unrecorded)++; /* a reg we cannot read: somewhere is reserved, we do not know where */
	}
	return n;
}

static enum cpu_enable_method enable_method(const char *m)
{
	if (!m)
		return CPU_ENABLE_NONE;
	if (!strcmp(m, "psci"))
		return CPU_ENABLE_PSCI;
	if (!strcmp(m, "spin-table"))
		return CPU_ENABLE_SPIN_TABLE;
	return CPU_ENABLE_OTHER;
}

void dtb_cpus(const void *fdt, struct cpu_topology *out)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	int node;

	memset(out, 0, sizeof(*out));
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = prop_str(fdt, node, "device_type");
		if (!type || strcmp(type, "cpu"))
			continue;
		const char *m = prop_str(fdt, node, "enable-method");
		if (out->count <= 1) { /* the first secondary decides; a lone CPU speaks for itself */
			out->method = enable_method(m);
			out->method_name = m;
		}
		int len;
		const fdt32_t *rel = fdt_getprop(fdt, node, "cpu-release-addr", &len);
		bool rel_ok = rel && (len == 4 || len == 8);
		uint64_t rel_addr = rel_ok ? read_cells(rel, len / 4) : 0;
		if (rel_ok && out->release_count < CPU_MAX_RELEASE)
			out->release[out->release_count++] = rel_addr;
		if (out->count < CPU_MAX_RELEASE) {
			/* reg: the MPIDR affinity, one or two cells (#address-cells of /cpus; Linux arm64 cpus binding). */
			const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
			out->has_mpidr[out->count] = reg && (len == 4 || len == 8);
			out->mpidr[out->count] = out->has_mpidr[out->count] ? read_cells(reg, len / 4) : 0;
			out->release_of[out->count] = rel_addr;
		}
		out->count++;
	}
}

/* GICv2 compatibles, as in the Linux device-tree bindings for the Arm GIC. */
static const char *const gicv2_compatible[] = {"arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a9-gic",
					       "arm,cortex-a7-gic", NULL};

static bool compatible_in(const void *fdt, int node, const char *const *list)
{
	for (const char *const *c = list; *c; c++)
		if (fdt_node_check_compatible(fdt, node, *c) == 0)
			return true;
	return false;
}

bool dtb_irq_controller(const void *fdt, struct irqc_desc *out)
{
	uint64_t size;

	out->kind = IRQC_NONE;
	out->dist = out->cpu = 0;
	out->compatible = NULL;
	for (int node = fdt_next_node(fdt, -1, NULL); node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		if (!fdt_getprop(fdt, node, "interrupt-controller", NULL))
			continue;
		const char *compat = string_prop(fdt, node, "compatible", NULL);
		if (!compat)
			continue;
		uint64_t dist, cpu;
		if (compatible_in(fdt, node, gicv2_compatible) && dtb_node_reg(fdt, node, 0, &dist, &size) &&
		    dtb_node_reg(fdt, node, 1, &cpu, &size)) {
			out->kind = IRQC_GICV2;
			out->dist = (uintptr_t)dist;
			out->cpu = (uintptr_t)cpu;
			out->compatible = compat;
			return true;
		}
		if (fdt_node_check_compatible(fdt, node, "brcm,bcm2836-l1-intc") == 0 &&
		    dtb_node_reg(fdt, node, 0, &dist, &size)) {
			out->kind = IRQC_BCM2836;
			out->dist = (uintptr_t)dist;
			out->compatible = compat;
			return true;
		}
		/* The first other controller is named in the banner, in case no GICv2 turns up. */
		if (out->kind == IRQC_NONE && fdt_parent_offset(fdt, node) >= 0) {
			out->kind = IRQC_UNSUPPORTED;
			out->compatible = compat;
		}
	}
	return false;
}

unsigned dtb_timer_virt_intid(const void *fdt, unsigned fallback)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer");
	int len;
	const fdt32_t *irqs = node < 0 ? NULL : fdt_getprop(fdt, node, "interrupts", &len);

	/* The third of its four interrupts is the virtual timer's: <type number flags>, type 1 = PPI. */
	if (!irqs || len < 9 * 4 || fdt32_ld(irqs + 6) != 1 || fdt32_ld(irqs + 7) >= 16)
		return fallback;
	return 16 + fdt32_ld(irqs + 7);
}
