/*
 * The architectural events the library performs: descriptor writes, barriers,
 * TLB maintenance, table-page frees. The BBM monitor consumes them on both
 * target and host; on the host (-DBBM_HOST) every one is also appended to an
 * event log (host/support/arch_log.c) that tests read and clear.
 */
#ifndef BBM_MMU_ARCH_EVENT_H
#define BBM_MMU_ARCH_EVENT_H

#include <stdint.h>

enum arch_event_kind {
	ARCH_EV_WRITE = 1,      /* a = ptep, b = old, c = new */
	ARCH_EV_DSB_ISHST,
	ARCH_EV_DSB_ISH,
	ARCH_EV_DSB_SY,
	ARCH_EV_DSB_NSH,
	ARCH_EV_ISB,
	ARCH_EV_TLBI_VALE1IS,   /* a = va, b = asid; last level only, broadcast */
	ARCH_EV_TLBI_VAE1IS,    /* a = va, b = asid; all levels, one ASID (and global entries) */
	ARCH_EV_TLBI_VAAE1IS,   /* a = va; all levels, all ASIDs */
	ARCH_EV_TLBI_VMALLE1IS, /* everything at EL1&0, broadcast */
	ARCH_EV_TLBI_VMALLE1,   /* everything at EL1&0, this CPU only */
	ARCH_EV_TABLE_ALLOC,    /* a = table page, b = level, c = VA base */
	ARCH_EV_TABLE_FREE,     /* a = table page, b = level, c = VA base */
	/* Local (this CPU only) forms and the all-ASID last-level forms; the TLB model consumes them. */
	ARCH_EV_TLBI_VALE1,     /* a = va, b = asid; last level only, this CPU */
	ARCH_EV_TLBI_VAE1,      /* a = va, b = asid; all levels, one ASID (and global leaves), this CPU */
	ARCH_EV_TLBI_VAAE1,     /* a = va; all levels, all ASIDs, this CPU */
	ARCH_EV_TLBI_VAALE1,    /* a = va; last level only, all ASIDs, this CPU */
	ARCH_EV_TLBI_VAALE1IS,  /* a = va; last level only, all ASIDs, broadcast */
	ARCH_EV_KIND_COUNT
};

#ifdef BBM_HOST
/* Defined in host/support/arch_log.c. */
void arch_event_record(enum arch_event_kind kind, uint64_t a, uint64_t b, uint64_t c);
#endif

const char *arch_event_name(enum arch_event_kind kind);

#endif
