/*
 * The boot steps that touch what may not be there: the DTB x0 points at, the
 * console a DTB names, the interrupt controller, and the boot-phase fault
 * injections of the faults tests. Each says what it found, so a run on a
 * board with a serial cable is never silent and never hangs (docs/output.md).
 */
#ifndef BBMPROBE_MAIN_BOOT_GUARD_H
#define BBMPROBE_MAIN_BOOT_GUARD_H

#include <stddef.h>
#include <stdint.h>

#include "boot/exception.h"
#include "lib/bootargs.h"
#include "mmu/boot_map.h"
#include "mmu/pt.h"
#include "platform/platform.h"

struct dtb_search {
	uintptr_t addr;            /* 0: none found */
	uint32_t size;
	bool at_default;           /* found at the board's default address, not x0 */
	struct fault_record x0_rec; /* reading x0 faulted: what the handler saw */
};

/* MMU off: a DTB at x0, else at the board's default address; every read is an armed probe. */
void dtb_search(uintptr_t x0, uintptr_t board_default, struct dtb_search *out);
/* MMU on: how the DTB was found, or why none was, for the banner. */
void dtb_search_describe(const struct dtb_search *s, uintptr_t x0, char *buf, size_t len);

/* MMU off and no map: say why on the board's default UART, print the closing lines and stop. */
void early_map_failed(const struct platform *plat, enum pt_status st) __attribute__((noreturn));

/*
 * Start cfg->console. A console that lies in RAM, is not mapped, faults or
 * never becomes ready is replaced by the board's default UART (pins set up
 * again); `note` says what happened ("" if nothing did).
 */
void console_start(const struct platform *plat, struct board_config *cfg, const char **how, char *note,
		   size_t note_len, char *board_note, size_t board_note_len);

/* The interrupt controller and the watchdog from the DTB; `note` is the banner's "# watchdog:" text. */
void watchdog_start(const void *fdt, struct boot_map_report *report, char *note, size_t note_len);

/*
 * inject=undef|serror (faults tests only, checked by runner_prepare()): an
 * undefined instruction, or a pending SError, before the runner. serror needs
 * entry at EL2 (the EL2 stub pends a virtual SError); false with why otherwise.
 */
bool inject_check(const struct bootargs *args, uint64_t entry_el, char *err, size_t err_len);
void inject_before_runner(const struct bootargs *args);

#endif
