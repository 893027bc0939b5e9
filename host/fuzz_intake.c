/*
 * libFuzzer target: what bbmprobe takes from outside before any test runs.
 * An input that starts with the FDT magic is a device tree and goes through
 * the DTB intake (lib/dtb.c on libfdt, as boot does); anything else is a
 * /chosen/bootargs line for the parser. Both must never read out of bounds
 * (ASan), and nothing they produce for echoing may hold a byte outside
 * printable ASCII (a forged output line). Seeds: host/fuzz-seeds/ and the
 * Pi device trees. Build and run: make fuzz (make test runs it briefly).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/bootargs.h"
#include "lib/dtb.h"
#include "lib/escape.h"

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_intake: %s: %s\n", what, detail);
	abort();
}

static void check_printable(const char *what, const char *s)
{
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			die(what, "holds a byte outside printable ASCII");
}

/* lib/dtb.c asks the console layer which driver takes a compatible; the target's live in lib/console.c. */
static const char *const fake_compatible[] = {"arm,pl011", "brcm,bcm2835-aux-uart", NULL};
static const struct console_driver fake_driver = {.name = "fake", .compatible = fake_compatible};

const struct console_driver *console_driver_by_compatible(const char *compatible)
{
	for (const char *const *c = fake_compatible; *c; c++)
		if (!strcmp(*c, compatible))
			return &fake_driver;
	return NULL;
}

static void fuzz_bootargs(const char *line, size_t len)
{
	struct bootargs args;
	char err[256], shown[ESCAPED_SIZE(64)];

	if (!bootargs_parse(line, &args, err, sizeof(err)))
		check_printable("a bootargs error message", err);
	else if (strlen(args.tests) >= sizeof(args.tests) || args.iters < 1 || args.verbose > 3)
		die("bootargs", "accepted a value out of its range");
	(void)bootargs_mentions_semihosting(line);
	for (size_t out = 0; out <= sizeof(shown); out += 7) {
		size_t n = escape_text(shown, out, line, len);
		if (out && (n >= out || shown[n] != '\0'))
			die("escape_text", "overran or did not terminate");
		if (out)
			check_printable("escaped text", shown);
	}
}

static void fuzz_dtb(const void *fdt)
{
	struct mem_region mem[8];
	struct dtb_uart uart;
	struct dtb_reserved reserved[8];
	struct cpu_topology cpus;
	struct irqc_desc irq;
	const char *why = NULL;
	unsigned unrecorded = 0;
	bool malformed;

	if (dtb_problem(fdt))
		return;
	const char *s = dtb_model(fdt);
	if (s)
		(void)strlen(s); /* ASan: a string the intake returns is terminated inside the blob */
	for (int i = 0; (s = dtb_root_compatible(fdt, i)) != NULL && i < 16; i++)
		(void)strlen(s);
	s = dtb_bootargs(fdt, &malformed);
	if (s) {
		fuzz_bootargs(s, strlen(s));
		if (malformed)
			die("dtb_bootargs", "returned a string it called malformed");
	}
	if (dtb_memory(fdt, mem, 8) > 8)
		die("dtb_memory", "stored more regions than asked");
	(void)dtb_psci(fdt);
	if (dtb_stdout_console(fdt, &uart, &why) && !uart.desc.driver)
		die("dtb_stdout_console", "a console without a driver");
	if (dtb_reserved(fdt, reserved, 8, &unrecorded) > 8)
		die("dtb_reserved", "stored more regions than asked");
	dtb_cpus(fdt, &cpus);
	if (cpus.release_count > CPU_MAX_RELEASE)
		die("dtb_cpus", "more release addresses than it has room for");
	if (dtb_irq_controller(fdt, &irq) && irq.kind != IRQC_GICV2 && irq.kind != IRQC_BCM2836)
		die("dtb_irq_controller", "true for a controller that is not driven");
	if (dtb_timer_virt_intid(fdt, 27) >= 32)
		die("dtb_timer_virt_intid", "not a private interrupt");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 8 && data[0] == 0xd0 && data[1] == 0x0d && data[2] == 0xfe && data[3] == 0xed) {
		/* Boot refuses a header whose size is out of bounds (dtb_header_plausible, main/boot_guard.c). */
		uint32_t total = (uint32_t)data[4] << 24 | (uint32_t)data[5] << 16 | (uint32_t)data[6] << 8 | data[7];
		if (!dtb_header_plausible(FDT_MAGIC_VALUE, total) || total > size)
			return 0;
		/* Exactly totalsize bytes (malloc: 16-aligned), so ASan sees any read past the blob. */
		void *fdt = malloc(total);
		if (!fdt)
			return 0;
		memcpy(fdt, data, total);
		fuzz_dtb(fdt);
		free(fdt);
		return 0;
	}
	char *line = malloc(size + 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	fuzz_bootargs(line, size);
	free(line);
	return 0;
}
