/* Names of architectural events, for logs and monitor diagnostics. */
#include "mmu/arch_event.h"

const char *arch_event_name(enum arch_event_kind kind)
{
	switch (kind) {
	case ARCH_EV_WRITE:
		return "write";
	case ARCH_EV_DSB_ISHST:
		return "dsb ishst";
	case ARCH_EV_DSB_ISH:
		return "dsb ish";
	case ARCH_EV_DSB_SY:
		return "dsb sy";
	case ARCH_EV_DSB_NSH:
		return "dsb nsh";
	case ARCH_EV_ISB:
		return "isb";
	case ARCH_EV_TLBI_VALE1IS:
		return "tlbi vale1is";
	case ARCH_EV_TLBI_VAE1IS:
		return "tlbi vae1is";
	case ARCH_EV_TLBI_VAAE1IS:
		return "tlbi vaae1is";
	case ARCH_EV_TLBI_VMALLE1IS:
		return "tlbi vmalle1is";
	case ARCH_EV_TLBI_VMALLE1:
		return "tlbi vmalle1";
	case ARCH_EV_TABLE_ALLOC:
		return "table alloc";
	case ARCH_EV_TABLE_FREE:
		return "table free";
	case ARCH_EV_TLBI_VALE1:
		return "tlbi vale1";
	case ARCH_EV_TLBI_VAE1:
		return "tlbi vae1";
	case ARCH_EV_TLBI_VAAE1:
		return "tlbi vaae1";
	case ARCH_EV_TLBI_VAALE1:
		return "tlbi vaale1";
	case ARCH_EV_TLBI_VAALE1IS:
		return "tlbi vaale1is";
	case ARCH_EV_KIND_COUNT:
		break;
	}
	return "?";
}
