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

const char *dtb_model(const void *fdt)
{
	return fdt_getprop(fdt, 0, "model", NULL);
}

const char *dtb_root_compatible(const void *fdt, int idx)
{
	return fdt_stringlist_get(fdt, 0, "compatible", idx, NULL);
}

const char *dtb_bootargs(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");

	return chosen < 0 ? NULL : fdt_getprop(fdt, chosen, "bootargs", NULL);
}

static uint64_t read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++)
		v = (v << 32) | fdt32_ld(p + i);
	return v;
}

/* #address-cells / #size-cells that apply to the children of `parent`. */
static void child_cells(const void *fdt, int parent, int *ac, int *sc)
{
	*ac = fdt_address_cells(fdt, parent);
	*sc = fdt_size_cells(fdt, parent);
	if (*ac < 1 || *ac > 2)
		*ac = 2;
	if (*sc < 0 || *sc > 2)
		*sc = 1;
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
	child_cells(fdt, bus, &cac, &csc);
	int grand = fdt_parent_offset(fdt, bus);
	if (grand < 0)
		return false;
	child_cells(fdt, grand, &pac, &psc);
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

	if (parent < 0)
		return false;
	child_cells(fdt, parent, &ac, &sc);
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
		const char *status = fdt_getprop(fdt, node, "status", NULL);
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
	const char *method = node < 0 ? NULL : fdt_getprop(fdt, node, "method", NULL);

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
	const char *sp = chosen < 0 ? NULL : fdt_getprop(fdt, chosen, "stdout-path", NULL);

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
