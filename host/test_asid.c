/*
 * Global and non-global (nG) entries, ASIDs and the TLBI forms that differ
 * only there (Arm ARM DDI 0487 M.a.a, D8.16.3.1 "Global and process-specific
 * translation table entries"; D8.17.5.4 "TLB maintenance instruction scope"):
 * a 4K page replaced with BBM whose TLBI is vale1is/vae1is of some ASID,
 * vaale1is or aside1is, with ASID switches around it. The model's allowed set
 * for a load under the final ASID and the BBM monitor's rules, asserted
 * exactly; the same sequences as the `asid` scenario group (tests/asid.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "host/support/arch_log.h"
#include "host/support/mmu_host.h"
#include "host/support/model_feed.h"
#include "mmu/asid.h"
#include "mmu/model.h"
#include "mmu/monitor.h"
#include "mmu/pt.h"
#include "mmu/pt_write.h"
#include "mmu/tlb.h"

#define K4 PT_GRANULE_SIZE /* run at 4K, 16K and 64K: the page of the granule in force */
#define VA1 0x40000000ull
#define OFF 0x18ull
#define PA_X 0x09000000ull /* the page first ("old") */
#define PA_Y 0x0a000000ull /* the page after the BBM ("new") */
#define PROT PT_PROT_NORMAL_XN
#define ASID_A 1
#define ASID_B 2

#define B(o) OUTCOME_BIT(OUTCOME_##o)

static struct pt_space sp;
static struct model M;
static size_t fed;
static struct model_answer ans;


struct shape {
	bool ng;             /* the page is non-global */
	enum mmu_host_tlbi form;      /* the TLBI of the BBM */
	uint16_t operand;    /* its ASID operand (VA, VAL, ASIDE1 forms) */
	uint16_t at_tlbi;    /* the ASID running from the warm-up to the TLBI */
	uint16_t at_access;  /* the ASID running at the load */
};

static void feed(void)
{
	assert_true(model_feed_from_log(&M, &fed));
}

/* ASID 0 runs, TLBs clean, model and monitor watching (what the scenario engine starts from). */
static void start(void)
{
	struct model_config cfg;

	mmu_host_reset();
	assert_int_equal(pt_space_init(&sp), PT_OK);
	model_config_default(&cfg);
	assert_int_equal(model_watch_space(&M, &cfg, &sp, &fed), MODEL_OK);
}


/* Switch to ASID A; map VA1 -> PA_X; switch to at_tlbi; W=0; TLBI; W -> PA_Y; switch to at_access. */
static void run(const struct shape *s)
{
	pt_attrs_t prot = PROT | (s->ng ? PTE_NG : 0);

	start();
	mmu_switch_asid(&sp, ASID_A);
	assert_int_equal(map_range(&sp, VA1, PA_X, K4, prot, PT_POLICY_REFUSE_LIVE), PT_OK);
	if (s->at_tlbi != ASID_A)
		mmu_switch_asid(&sp, s->at_tlbi);
	pt_entry_t *pte = pt_entry_at(&sp, VA1, 3);
	assert_non_null(pte);
	pt_write_desc(pte, 0);
	mmu_host_tlbi(s->form, VA1, s->operand);
	pt_write_desc(pte, desc_page(PA_Y, prot));
	dsb_ishst();
	isb();
	if (s->at_access != s->at_tlbi)
		mmu_switch_asid(&sp, s->at_access);
}

static void expect(const struct shape *s, outcome_set_t want, uint64_t no_tlbi)
{
	struct model_markers mk = {PA_Y + OFF, PA_X + OFF};

	run(s);
	feed();
	assert_int_equal(model_access(&M, 0, VA1 + OFF, MODEL_ACCESS_READ, &mk, &ans), MODEL_OK);
	assert_int_equal(ans.allowed, want);
	bbm_monitor_enable(false);
	assert_int_equal(bbm_monitor_count(BBM_RULE_NO_TLBI), no_tlbi);
	assert_int_equal(bbm_monitor_total(), no_tlbi);
}

/* Linux flush_tlb_page(): vale1is with the mm's ASID. */
static void ng_vale1is_right(void **state)
{
	(void)state;
	expect(&(struct shape){true, F_VALE1IS, ASID_A, ASID_A, ASID_A}, B(NEW), 0);
}

/* The same with another ASID's operand: A's nG copy survives. */
static void ng_vale1is_wrong(void **state)
{
	(void)state;
	expect(&(struct shape){true, F_VALE1IS, ASID_B, ASID_A, ASID_A}, B(NEW) | B(OLD), 1);
}

/* All levels, other ASID: the same. */
static void ng_vae1is_wrong(void **state)
{
	(void)state;
	expect(&(struct shape){true, F_VAE1IS, ASID_B, ASID_A, ASID_A}, B(NEW) | B(OLD), 1);
}

/* Cached under A, invalidated for B (the ASID running at the unmap), then back to A: A's copy is used. */
static void ng_switch_away(void **state)
{
	(void)state;
	expect(&(struct shape){true, F_VALE1IS, ASID_B, ASID_B, ASID_A}, B(NEW) | B(OLD), 1);
}

/* A global entry matches every ASID, and a by-VA TLBI reaches it whatever the ASID operand. */
static void global_vae1is_other_asid(void **state)
{
	(void)state;
	expect(&(struct shape){false, F_VAE1IS, ASID_B, ASID_A, ASID_A}, B(NEW), 0);
}

/* Linux flush_tlb_mm() (aside1is) is for user mappings: a global entry survives it. */
static void global_aside1is(void **state)
{
	(void)state;
	expect(&(struct shape){false, F_ASIDE1IS, ASID_A, ASID_A, ASID_A}, B(NEW) | B(OLD), 1);
}

/* ... and it does remove the ASID's nG entry, at any VA. */
static void ng_aside1is(void **state)
{
	(void)state;
	expect(&(struct shape){true, F_ASIDE1IS, ASID_A, ASID_A, ASID_A}, B(NEW), 0);
}

/* aside1is of another ASID leaves A's entry. */
static void ng_aside1is_wrong(void **state)
{
	(void)state;
	expect(&(struct shape){true, F_ASIDE1IS, ASID_B, ASID_A, ASID_A}, B(NEW) | B(OLD), 1);
}

/* Linux flush_tlb_kernel_range(): vaale1is, every ASID, global or not. */
static void global_vaale1is(void **state)
{
	(void)state;
	expect(&(struct shape){false, F_VAALE1IS, 0, ASID_A, ASID_A}, B(NEW), 0);
}

static void ng_vaale1is_switch_away(void **state)
{
	(void)state;
	expect(&(struct shape){true, F_VAALE1IS, 0, ASID_B, ASID_A}, B(NEW), 0);
}

/* The model without the monitor: a load under B after A's stale entry sees only B's (none) and global ones. */
static void other_asid_does_not_see_stale(void **state)
{
	struct model_markers mk = {PA_Y + OFF, PA_X + OFF};

	(void)state;
	run(&(struct shape){true, F_VALE1IS, ASID_B, ASID_A, ASID_B});
	feed();
	assert_int_equal(model_access(&M, 0, VA1 + OFF, MODEL_ACCESS_READ, &mk, &ans), MODEL_OK);
	assert_int_equal(ans.allowed, B(NEW)); /* B's copy went with vale1is(B); A's is not B's */
}

/* More ASIDs than the model records: a sticky error, never a silent answer. */
static void asids_full(void **state)
{
	(void)state;
	start();
	for (unsigned a = 1; a <= MODEL_ASIDS_MAX; a++)
		mmu_switch_asid(&sp, (uint16_t)a);
	for (; fed < arch_log_count(); fed++) {
		const struct arch_event *e = arch_log_get(fed);
		(void)model_on_event(&M, 0, e->kind, e->a, e->b, e->c);
	}
	assert_int_equal(M.status, MODEL_ERR_ASIDS_FULL);
	bbm_monitor_enable(false);
}

#define T(name, fn) {name, fn, NULL, NULL, NULL}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T("ng/vale1is-right-asid", ng_vale1is_right),
		T("ng/vale1is-wrong-asid", ng_vale1is_wrong),
		T("ng/vae1is-wrong-asid", ng_vae1is_wrong),
		T("ng/switch-away", ng_switch_away),
		T("global/vae1is-other-asid", global_vae1is_other_asid),
		T("global/aside1is", global_aside1is),
		T("ng/aside1is", ng_aside1is),
		T("ng/aside1is-wrong-asid", ng_aside1is_wrong),
		T("global/vaale1is", global_vaale1is),
		T("ng/vaale1is-switch-away", ng_vaale1is_switch_away),
		T("ng/other-asid-load", other_asid_does_not_see_stale),
		T("asids-full", asids_full),
	};
	return MMU_HOST_RUN_AT_GRANULES("asid", tests);
}
