/*
 * Boot arguments: "key=value" words from /chosen/bootargs (QEMU -append, U-Boot
 * bootargs, Pi cmdline.txt). If a lone "--" appears, only the words after the
 * last one are ours (the Pi firmware prepends Linux arguments of its own).
 * Parsing is strict: an unknown key, a malformed or out-of-range number, an
 * overlong value or a repeated key is an error with a readable message.
 * Pure C, unit-tested on the host (host/test_bootargs.c).
 */
#ifndef BBMPROBE_LIB_BOOTARGS_H
#define BBMPROBE_LIB_BOOTARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOOTARGS_LINE_MAX 1024
#define BOOTARGS_VALUE_MAX 256

/*
 * console=NAME,[IOTYPE,]ADDR[,OPTIONS[,CLOCK]]: a UART given by hand, in Linux's
 * earlycon syntax (e.g. uart8250,mmio32,0xfe660000,1500000n8). NAME is a Linux
 * earlycon name, IOTYPE mmio (8-bit registers), mmio16 or mmio32 (8250; the
 * others are 32-bit), OPTIONS a baud rate with an optional "n8", CLOCK the
 * UART's reference clock in Hz.
 */
struct bootargs_console {
	char driver[16]; /* bbmprobe's console driver: pl011, mini-uart, uart8250, cdns, imx */
	uint64_t addr;
	uint8_t reg_shift;    /* 8250: 0 for mmio, 1 for mmio16, 2 for mmio32 */
	uint8_t reg_io_width; /* bytes per access */
	uint32_t baud;        /* 0: keep the boot loader's rate */
	uint32_t clock_hz;    /* 0: unknown (then the rate cannot be programmed) */
};

#define BOOTARGS_CONSOLE_MAX 64

struct bootargs {
	char tests[BOOTARGS_VALUE_MAX]; /* comma-separated names/globs; "" = default suite */
	uint64_t iters;
	uint64_t seed;
	uint64_t verbose;
	bool list;
	bool semihosting;
	char exit[8]; /* auto | halt | reset */
	/* auto | pl011 | mini, or the earlycon text when console_explicit */
	char console[BOOTARGS_CONSOLE_MAX];
	bool console_explicit;
	struct bootargs_console console_port; /* when console_explicit */
	uint64_t timeout; /* the watchdog's seconds per test; 0 (not given): scaled with iters */
	uint64_t progress; /* a scenario's longest silence, in seconds of timer time (progress lines) */
	char inject[16];  /* none | undef | serror | hang | irq-storm | console-fault | pool-exhaust | secondary-undef | secondary-hang */
	uint64_t cpu_fail; /* test hook: this CPU index (1-7) is never released at boot; 0: none */
	char trace[12];   /* none | casemate (mmu/trace_casemate.h) */
	uint64_t trace_iters; /* iterations traced per scenario with trace=casemate */
	char granule[4];  /* 4k | 16k | 64k: TCR_EL1.TG0 for the run (main.c checks the CPU has it) */
};

/* log2 of the granule= value's size: 12, 14 or 16 (12 for anything else). */
unsigned bootargs_granule_shift(const struct bootargs *args);

enum bootarg_type {
	BOOTARG_FLAG,   /* "key" or key=0/1 */
	BOOTARG_U64,    /* decimal or 0x hex within [min, max] */
	BOOTARG_STRING, /* free text up to the field size */
	BOOTARG_CHOICE, /* one of `choices` */
	BOOTARG_CONSOLE, /* one of `choices`, or an earlycon NAME,[IOTYPE,]ADDR[,OPTIONS[,CLOCK]] */
};

struct bootarg_spec {
	const char *key;
	enum bootarg_type type;
	size_t offset;
	size_t size; /* field size for strings */
	uint64_t min, max;
	const char *const *choices; /* NULL-terminated, for BOOTARG_CHOICE */
	const char *value_help;     /* e.g. "N", "PATTERN[,PATTERN...]" */
	const char *help;
	const char *default_text;
};

extern const struct bootarg_spec bootarg_specs[];
extern const size_t bootarg_spec_count;

void bootargs_defaults(struct bootargs *out);
/* Parse `line` (NULL = empty) into *out. On error returns false and writes a message to err. */
bool bootargs_parse(const char *line, struct bootargs *out, char *err, size_t err_len);
/* Lenient check for the "semihosting" flag, used only to deliver the exit status of a bad command line. */
bool bootargs_mentions_semihosting(const char *line);
/*
 * The earlycon form of console= (the text after "console=", `len` bytes). On
 * error returns false with a message in err.
 */
bool bootargs_parse_console(const char *val, size_t len, struct bootargs_console *out, char *err, size_t err_len);
/* Strict number parser shared with tests: decimal or 0x-hex, no sign, no trailing text. */
bool bootargs_parse_u64(const char *s, size_t len, uint64_t *out);

#endif
