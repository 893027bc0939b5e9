/* Device tree queries (see dtb.h). The parsing itself is libfdt's. */
#include "dtb.h"

#include <libfdt.h>
#include <string.h>

bool dtb_valid(const void *p)
{
	if (!p || ((uintptr_t)p & 7))
		return false;
	if (fdt32_ld((const fdt32_t *)p) != FDT_MAGIC_VALUE)
		return false;
	return fdt_check_header(p) == 0;
}

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

unsigned dtb_memory(const void *fdt, struct mem_region *out, unsigned max)
{
	unsigned n = 0;

	for (int node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", sizeof("memory"));
	     node >= 0 && n < max;
	     node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", sizeof("memory"))) {
		const char *status = string_prop(fdt, node, "status", NULL);
		if (status && strcmp(status, "okay") && strcmp(status, "ok"))
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

bool dtb_stdout_console(const void *fdt, struct console_desc *out, char *path, size_t path_len, const char **why)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *sp = string_prop(fdt, chosen, "stdout-path", NULL);

	if (!sp) {
		*why = "no /chosen/stdout-path";
		return false;
	}
	const char *colon = strchr(sp, ':');
	int namelen = colon ? (int)(colon - sp) : (int)strlen(sp);
	int node = fdt_path_offset_namelen(fdt, sp, namelen);
	if (node < 0) {
		*why = "stdout-path does not name a node";
		return false;
	}
	if (fdt_get_path(fdt, node, path, (int)path_len) < 0 && path_len)
		path[0] = '\0';
	out->port.clock_hz = 0; /* keep the firmware's baud rate; boards may override */
	out->driver = driver_for_node(fdt, node);
	if (!out->driver) {
		*why = "no console driver for the stdout-path node's compatible";
		return false;
	}
	uint64_t base, size;
	if (!dtb_node_reg(fdt, node, 0, &base, &size)) {
		*why = "console node has no translatable reg";
		return false;
	}
	out->port.base = (uintptr_t)base;
	return true;
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
