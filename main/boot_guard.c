/* Boot steps on hardware that may not be there (see boot_guard.h). */
#include "main/boot_guard.h"

#include <stdio.h>
#include <string.h>

#include "boot/sysregs.h"
#include "lib/console.h"
#include "lib/dtb.h"
#include "lib/escape.h"
#include "lib/irq.h"
#include "lib/watchdog.h"
#include "platform/boot_info.h"
#include "platform/exit.h"

/* With the MMU off (Device memory): only aligned loads, each armed. */
static bool dtb_at(uintptr_t addr, uint32_t *size, struct fault_record *rec)
{
	rec->taken = false;
	if (!addr || (addr & 7))
		return false;
	uint64_t head = probe_read64(addr, 0, rec); /* magic and totalsize, big-endian */
	if (rec->taken)
		return false;
	uint32_t magic = __builtin_bswap32((uint32_t)head), total = __builtin_bswap32((uint32_t)(head >> 32));
	if (!dtb_header_plausible(magic, total))
		return false;
	(void)probe_read64((addr + total - 8) & ~(uintptr_t)7, 0, rec); /* its end must exist too */
	return !rec->taken && (*size = total, true);
}

void dtb_search(uintptr_t x0, uintptr_t board_default, struct dtb_search *out)
{
	struct fault_record rec;

	out->addr = 0;
	out->size = 0;
	out->at_default = false;
	if (dtb_at(x0, &out->size, &out->x0_rec)) {
		out->addr = x0;
	} else if (board_default && dtb_at(board_default, &out->size, &rec)) {
		out->addr = board_default;
		out->at_default = true;
	}
}

void dtb_search_describe(const struct dtb_search *s, uintptr_t x0, char *buf, size_t len)
{
	char x0_what[96];

	if (s->x0_rec.taken)
		snprintf(x0_what, sizeof(x0_what), "reading x0 0x%llx faulted (%s)", (unsigned long long)x0,
			 s->x0_rec.kind != FAULT_NONE ? fault_kind_name(s->x0_rec.kind) : esr_ec_name(s->x0_rec.ec));
	else if (!x0)
		snprintf(x0_what, sizeof(x0_what), "x0 is 0");
	else
		snprintf(x0_what, sizeof(x0_what), "x0 0x%llx does not point to a DTB", (unsigned long long)x0);
	if (s->addr && !s->at_default)
		snprintf(buf, len, "x0");
	else if (s->addr)
		snprintf(buf, len, "%s; found at the board's default address", x0_what);
	else
		snprintf(buf, len, "%s", x0_what);
}

void early_map_failed(const struct platform *plat, enum pt_status st)
{
	struct board_config cfg;

	/* Drivers are plain MMIO: they run with the MMU off. No stdio here. */
	platform_default_config(plat, &cfg);
	console_init(&cfg.console);
	console_write_raw("TAP version 13\n# PANIC: the boot map could not be built with the MMU off: ");
	console_write_raw(pt_strerror(st));
	console_write_raw("\n# harness error: the page-table pool (PT_POOL_PAGES) is too small for the boot map\n");
	firmware_exit(EXIT_STATUS_HARNESS);
}

/* Why a console address cannot be a UART: it is RAM, or nothing is mapped there. */
static const char *console_refused(const struct board_config *cfg)
{
	const struct boot_info *bi = boot_info();
	uint64_t base = cfg->console.port.base;

	if (!cfg->console.driver)
		return "no console driver";
	for (unsigned i = 0; i < cfg->mem_count; i++)
		if (base >= cfg->mem[i].base && base - cfg->mem[i].base < cfg->mem[i].size)
			return "lies in RAM";
	if (base >= bi->image_lo && base < bi->image_hi)
		return "lies in the image";
	if (!boot_map_covers(base))
		return "could not be mapped";
	return NULL;
}

void console_start(const struct platform *plat, struct board_config *cfg, const char **how, char *note,
		   size_t note_len, char *board_note, size_t board_note_len)
{
	struct board_config def;
	const char *refused = console_refused(cfg);

	note[0] = '\0';
	if (cfg->console.driver && !cfg->console.port.base) { /* semihosting: no registers to check */
		console_init(&cfg->console);
		return;
	}
	if (!refused) {
		console_init(&cfg->console);
		console_flush(); /* reads its status: a UART that is not there faults or times out here */
		if (console_alive())
			return;
		snprintf(note, note_len, "%s", console_failure());
	} else {
		snprintf(note, note_len, "%s at 0x%llx %s", console_name(&cfg->console),
			 (unsigned long long)cfg->console.port.base, refused);
	}
	platform_default_config(plat, &def);
	if (!def.console.driver ||
	    (def.console.driver == cfg->console.driver && def.console.port.base == cfg->console.port.base))
		return; /* no default, or the default is what failed: nothing left but semihosting, if on */
	cfg->console = def.console;
	*how = "board default: the chosen console is unusable";
	if (plat->init)
		plat->init(cfg, board_note, board_note_len);
	console_init(&cfg->console);
}

struct irq_start {
	const struct irqc_desc *desc;
	const char *why;
	bool ok;
};

static void irq_start_run(void *arg)
{
	struct irq_start *s = arg;

	s->ok = irq_init(s->desc, &s->why);
}

void watchdog_start(const void *fdt, struct boot_map_report *report, char *note, size_t note_len)
{
	struct irqc_desc desc = {.kind = IRQC_NONE};
	struct irq_start s = {.desc = &desc, .why = NULL, .ok = false};
	struct fault_record rec;

	if (fdt && dtb_irq_controller(fdt, &desc)) {
		boot_map_device(desc.dist, 0x1000, report);
		boot_map_device(desc.cpu, 0x2000, report);
	}
	/* Guarded: a DTB may place the controller where nothing answers. */
	if (!guarded_call(irq_start_run, &s, &rec))
		s.why = "the interrupt controller faulted when started";
	unsigned intid = fdt ? dtb_timer_virt_intid(fdt, WATCHDOG_DEFAULT_INTID) : WATCHDOG_DEFAULT_INTID;
	if (s.ok && watchdog_init(intid, &s.why)) {
		snprintf(note, note_len, "virtual timer, INTID %u through the %s", intid, irq_describe());
		return;
	}
	char compat[ESCAPED_SIZE(40)];
	escape_text(compat, sizeof(compat), desc.compatible ? desc.compatible : "", 40);
	snprintf(note, note_len, "off: %s%s%s%s; a hung test is ended only by a runner's timeout", s.why,
		 desc.compatible ? " (" : "", compat, desc.compatible ? ")" : "");
}

bool inject_check(const struct bootargs *args, uint64_t entry_el, char *err, size_t err_len)
{
	if (!strcmp(args->inject, "serror") && entry_el != 2) {
		snprintf(err, err_len, "inject=serror needs entry at EL2 (EL=2 on virt, or a Pi): it pends a virtual "
			 "SError through the EL2 stub; this run entered at EL%llu", (unsigned long long)entry_el);
		return false;
	}
	return true;
}

void inject_before_runner(const struct bootargs *args)
{
	if (!strcmp(args->inject, "undef")) {
		printf("# inject=undef: an undefined instruction before the runner\n");
		__asm__ volatile(".inst 0x00000000" ::: "memory"); /* UDF #0 */
	} else if (!strcmp(args->inject, "serror")) {
		printf("# inject=serror: a virtual SError pending when SErrors are unmasked\n");
		register uint64_t x0 __asm__("x0") = HVC_STUB_PEND_VSERROR;
		__asm__ volatile("hvc #0" : "+r"(x0) : : "memory");
	}
}
