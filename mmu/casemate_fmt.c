/* Casemate trace records from events (see casemate_fmt.h; the mapping is in docs/casemate.md). */
#include "mmu/casemate_fmt.h"

#include <stdio.h>

#include "mmu/desc.h"
#include "mmu/geometry.h"
#include "mmu/tlb.h"

/* The trailing fields every record ends with: (src "NAME:LINE")) */
#define CM_SRC_FMT " (src \"%s:%llu\"))"
#define CM_HEAD_FMT "(%s (id %llu) (tid %u)"

static const char *const tlbi_names[ARCH_EV_KIND_COUNT] = {
	[ARCH_EV_TLBI_VALE1IS] = "vale2is",  [ARCH_EV_TLBI_VAALE1IS] = "vale2is",
	[ARCH_EV_TLBI_VAE1IS] = "vae2is",    [ARCH_EV_TLBI_VAAE1IS] = "vae2is",
	[ARCH_EV_TLBI_VMALLE1IS] = "alle2is", [ARCH_EV_TLBI_VMALLE1] = "alle2",
	[ARCH_EV_TLBI_VALE1] = "alle2",      [ARCH_EV_TLBI_VAE1] = "alle2",
	[ARCH_EV_TLBI_VAAE1] = "alle2",      [ARCH_EV_TLBI_VAALE1] = "alle2",
	/* No ASIDs at EL2 (non-VHE): an ASID's flush can only be over-approximated by all of it. */
	[ARCH_EV_TLBI_ASIDE1IS] = "alle2is",
};

const char *cm_tlbi_name(enum arch_event_kind kind)
{
	return (unsigned)kind < ARCH_EV_KIND_COUNT ? tlbi_names[kind] : NULL;
}

/* Casemate's barrier text for a barrier event, or NULL. */
static const char *barrier_text(enum arch_event_kind kind)
{
	switch (kind) {
	case ARCH_EV_DSB_ISHST:
		return "dsb (kind ishst)";
	case ARCH_EV_DSB_ISH:
	case ARCH_EV_DSB_SY: /* Casemate's parser has no sy; SY orders at least what ISH does */
		return "dsb (kind ish)";
	case ARCH_EV_DSB_NSH:
		return "dsb (kind nsh)";
	case ARCH_EV_ISB:
		return "isb";
	default:
		return NULL;
	}
}

static unsigned long long src_line(const struct cm_src *src)
{
	return (unsigned long long)src->line;
}

static int tlbi_record(char *buf, size_t len, uint64_t id, const struct arch_event *ev, const char *op,
		       const struct cm_src *src)
{
	if (op[0] == 'a') /* alle2, alle2is: no operand */
		return snprintf(buf, len, CM_HEAD_FMT " %s" CM_SRC_FMT, "tlbi", (unsigned long long)id, ev->cpu, op,
				src->name, src_line(src));
	/* The by-VA operand without an ASID: an EL2 (non-VHE) regime has none. */
	return snprintf(buf, len, CM_HEAD_FMT " %s (value 0x%llx)" CM_SRC_FMT, "tlbi", (unsigned long long)id, ev->cpu,
			op, (unsigned long long)tlbi_vaddr(ev->a, 0), src->name, src_line(src));
}

int cm_format_event(char *buf, size_t len, uint64_t id, const struct arch_event *ev, const struct cm_src *src)
{
	const char *text = barrier_text(ev->kind);

	if (text)
		return snprintf(buf, len, CM_HEAD_FMT " %s" CM_SRC_FMT, "barrier", (unsigned long long)id, ev->cpu, text,
				src->name, src_line(src));
	text = cm_tlbi_name(ev->kind);
	if (text)
		return tlbi_record(buf, len, id, ev, text, src);
	switch (ev->kind) {
	case ARCH_EV_WRITE:
		return cm_format_mem_write(buf, len, id, ev->cpu, ev->a, ev->c, src);
	case ARCH_EV_TABLE_ALLOC:
		return cm_format_mem_init(buf, len, id, ev->cpu, ev->a, PT_GRANULE_SIZE, src);
	case ARCH_EV_TABLE_FREE:
		return cm_format_mem_free(buf, len, id, ev->cpu, ev->a, PT_GRANULE_SIZE, src);
	default:
		if (len)
			buf[0] = '\0';
		return 0;
	}
}

static int mem_range(char *buf, size_t len, const char *kind, uint64_t id, unsigned tid, uint64_t addr, uint64_t size,
		     const struct cm_src *src)
{
	return snprintf(buf, len, CM_HEAD_FMT " (address 0x%llx) (size 0x%llx)" CM_SRC_FMT, kind,
			(unsigned long long)id, tid, (unsigned long long)addr, (unsigned long long)size, src->name,
			src_line(src));
}

int cm_format_mem_init(char *buf, size_t len, uint64_t id, unsigned tid, uint64_t addr, uint64_t size,
		       const struct cm_src *src)
{
	return mem_range(buf, len, "mem-init", id, tid, addr, size, src);
}

int cm_format_mem_free(char *buf, size_t len, uint64_t id, unsigned tid, uint64_t addr, uint64_t size,
		       const struct cm_src *src)
{
	return mem_range(buf, len, "mem-free", id, tid, addr, size, src);
}

int cm_format_mem_write(char *buf, size_t len, uint64_t id, unsigned tid, uint64_t addr, uint64_t value,
			const struct cm_src *src)
{
	return snprintf(buf, len, CM_HEAD_FMT " (mem-order plain) (address 0x%llx) (value 0x%llx)" CM_SRC_FMT,
			"mem-write", (unsigned long long)id, tid, (unsigned long long)addr, (unsigned long long)value,
			src->name, src_line(src));
}

int cm_format_ttbr(char *buf, size_t len, uint64_t id, unsigned tid, uint64_t root, const struct cm_src *src)
{
	return snprintf(buf, len, CM_HEAD_FMT " (sysreg ttbr0_el2) (value 0x%llx)" CM_SRC_FMT, "sysreg-write",
			(unsigned long long)id, tid, (unsigned long long)(root & PTE_ADDR_MASK), src->name,
			src_line(src));
}
