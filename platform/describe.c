/* The banner lines that describe the board: memory, reserved memory, console, PSCI, CPUs (see platform.h). */
#include <stdio.h>
#include <string.h>

#include "lib/escape.h"
#include "platform/platform.h"

static void print_memory(const struct board_config *cfg)
{
	for (unsigned i = 0; i < cfg->mem_count; i++)
		printf("# memory: 0x%llx-0x%llx (%llu MiB)\n", (unsigned long long)cfg->mem[i].base,
		       (unsigned long long)(cfg->mem[i].base + cfg->mem[i].size - 1),
		       (unsigned long long)(cfg->mem[i].size >> 20));
	if (!cfg->mem_count)
		printf("# memory: none described; only the image and the DTB are mapped\n");
	if (cfg->mem_dropped)
		printf("# warning: %u piece(s) of RAM left out (room for %u regions)\n", cfg->mem_dropped,
		       (unsigned)PLATFORM_MAX_MEM);
	for (unsigned i = 0; i < cfg->reserved_count; i++) {
		const struct dtb_reserved *r = &cfg->reserved[i];
		printf("# reserved: 0x%llx-0x%llx (%s%s)\n", (unsigned long long)r->base,
		       (unsigned long long)(r->base + r->size - 1), r->name,
		       r->no_map ? ", no-map: not mapped" : ", mapped, never used by tests");
	}
	if (cfg->reserved_dropped)
		printf("# warning: %u reserved region(s) not recorded (unreadable reg, or more than %u); tests find no "
		       "scratch RAM\n",
		       cfg->reserved_dropped, (unsigned)PLATFORM_MAX_RESERVED);
}

/* How the UART is set up: the rate it runs at and, for the 8250, the register layout. */
static void print_uart(const struct console_desc *c, const struct console_report *rep)
{
	const struct console_port *p = &c->port;
	char regs[48] = "";

	if (!strcmp(c->driver->name, "uart8250"))
		snprintf(regs, sizeof(regs), "; reg-shift %u, reg-io-width %u", (unsigned)p->reg_shift,
			 p->reg_io_width ? (unsigned)p->reg_io_width : 1u);
	if (console_port_sets_baud(p))
		printf("# uart: baud %u from a %u Hz reference clock%s\n", (unsigned)p->baud, (unsigned)p->clock_hz,
		       regs);
	else if (p->baud)
		printf("# uart: baud %u asked for, but the reference clock is unknown (give it: ...,BAUD,CLOCK_HZ); "
		       "the boot loader's rate is kept%s\n",
		       (unsigned)p->baud, regs);
	else
		printf("# uart: baud as the boot loader set it%s%s%s%s\n", rep->options ? " (stdout-path options: " : "",
		       rep->options ? rep->options : "", rep->options ? ")" : "", regs);
}

static void print_cpus(const struct cpu_topology *c)
{
	char count[24] = "";
	bool regular = c->release_count > 0;

	if (c->count)
		snprintf(count, sizeof(count), "%u, ", c->count);
	for (unsigned i = 0; i < c->release_count; i++)
		regular = regular && c->release[i] == c->release[0] + 8 * i;
	if (c->count == 1)
		printf("# cpus: 1, no secondaries\n");
	else if (c->method == CPU_ENABLE_PSCI)
		printf("# cpus: %ssecondaries start with PSCI CPU_ON\n", count);
	else if (c->method == CPU_ENABLE_SPIN_TABLE && regular)
		printf("# cpus: %ssecondaries start from the spin table (release address 0x%llx + 8 * cpu)\n", count,
		       (unsigned long long)c->release[0]);
	else if (c->method == CPU_ENABLE_SPIN_TABLE)
		printf("# cpus: %ssecondaries start from the spin table (release addresses 0x%llx, 0x%llx, ...)\n",
		       count, (unsigned long long)c->release[0],
		       (unsigned long long)(c->release_count > 1 ? c->release[1] : 0));
	else if (c->method == CPU_ENABLE_OTHER)
		printf("# cpus: %ssecondaries start with enable-method \"%s\" (not supported)\n", count,
		       c->method_name ? c->method_name : "?");
	else
		printf("# cpus: %sno enable-method: secondaries cannot be started\n", count);
}

static const char *psci_name(enum psci_conduit c)
{
	return c == PSCI_HVC ? "hvc" : c == PSCI_SMC ? "smc" : "none";
}

void platform_print_config(const struct board_config *cfg, const struct console_report *rep)
{
	char how[ESCAPED_SIZE(sizeof(rep->how_buf))]; /* it may quote DTB node names: echoed escaped */

	escape_text(how, sizeof(how), rep->how ? rep->how : "", sizeof(rep->how_buf));
	print_memory(cfg);
	if (!cfg->console.driver)
		printf("# console: none (%s)\n", rep->why_none ? rep->why_none : "?");
	else if (!cfg->console.port.base)
		printf("# console: %s (%s)\n", cfg->console.driver->name, how);
	else
		printf("# console: %s at 0x%llx (%s)\n", cfg->console.driver->name,
		       (unsigned long long)cfg->console.port.base, how);
	if (cfg->console.driver && cfg->console.port.base)
		print_uart(&cfg->console, rep);
	printf("# psci: %s\n", psci_name(cfg->psci));
	print_cpus(&cfg->cpus);
}
