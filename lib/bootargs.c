/* Strict boot-argument parser (see bootargs.h). */
#include "bootargs.h"

#include <stdio.h>
#include <string.h>

#include "lib/escape.h"

static const char *const exit_choices[] = {"auto", "halt", "reset", NULL};
static const char *const console_choices[] = {"auto", "pl011", "mini", NULL};
static const char *const inject_choices[] = {"none",      "undef",         "serror",       "hang",
					     "irq-storm", "console-fault", "pool-exhaust", "secondary-undef",
					     "secondary-hang", NULL};
static const char *const trace_choices[] = {"none", "casemate", NULL};
static const char *const granule_choices[] = {"4k", "16k", "64k", NULL};

/* Linux earlycon names (drivers/tty/serial/earlycon.c users) and bbmprobe's driver for each. */
static const struct earlycon_name {
	const char *name;
	const char *driver;
	bool any_width; /* 8250: mmio, mmio16 or mmio32; the others have 32-bit registers only */
} earlycon_names[] = {
	{"pl011", "pl011", false},    {"uart8250", "uart8250", true}, {"uart", "uart8250", true},
	{"ns16550", "uart8250", true}, {"ns16550a", "uart8250", true}, {"cdns", "cdns", false},
	{"imx", "imx", false},        {"ec_imx6q", "imx", false},     {"ec_imx21", "imx", false},
	{"bcm2835aux", "mini-uart", false},
};

#define CONSOLE_NAMES "pl011, uart8250, uart, ns16550, ns16550a, cdns, imx, ec_imx6q, ec_imx21, bcm2835aux"
#define CONSOLE_FORMS "auto, pl011, mini, or NAME,[mmio|mmio16|mmio32,]ADDR[,BAUD[n8][,CLOCK_HZ]] (NAME: " CONSOLE_NAMES ")"
#define CONSOLE_BAUD_MIN 50u
#define CONSOLE_BAUD_MAX 16000000u

#define FIELD(f) offsetof(struct bootargs, f), sizeof(((struct bootargs *)0)->f)

const struct bootarg_spec bootarg_specs[] = {
	{"tests", BOOTARG_STRING, FIELD(tests), 0, 0, NULL, "PATTERN[,PATTERN...]",
	 "tests to run: a name (group/name), a group, or a glob with * and ?", "the default suite"},
	{"iters", BOOTARG_U64, FIELD(iters), 1, 100000000, NULL, "N", "iterations per scenario", "1000"},
	{"seed", BOOTARG_U64, FIELD(seed), 0, UINT64_MAX, NULL, "N", "random seed", "1"},
	{"verbose", BOOTARG_U64, FIELD(verbose), 0, 3, NULL, "N", "0 quiet, 1 normal, 2 detail, 3 trace", "1"},
	{"list", BOOTARG_FLAG, FIELD(list), 0, 1, NULL, "", "list the tests and exit", "off"},
	{"semihosting", BOOTARG_FLAG, FIELD(semihosting), 0, 1, NULL, "",
	 "exit through Arm semihosting (QEMU runner only; never on hardware)", "off"},
	{"exit", BOOTARG_CHOICE, FIELD(exit), 0, 0, exit_choices, "auto|halt|reset",
	 "after the exit line: auto = semihosting/PSCI off, halt = wait, reset = board reset", "auto"},
	{"console", BOOTARG_CONSOLE, FIELD(console), 0, 0, console_choices, "auto|pl011|mini|NAME,[mmio32,]ADDR[,BAUD]",
	 "UART to print on; auto = /chosen/stdout-path, else the board default; NAME,ADDR as Linux earlycon", "auto"},
	{"timeout", BOOTARG_U64, FIELD(timeout), 1, 86400, NULL, "SECONDS",
	 "the watchdog: a test running longer fails and the suite goes on (0 is refused: it cannot be turned off)",
	 "60 + iters/100"},
	{"progress", BOOTARG_U64, FIELD(progress), 1, 3600, NULL, "SECONDS",
	 "a scenario prints a progress line at least this often (and every 10% from 10000 iterations)", "10"},
	{"inject", BOOTARG_CHOICE, FIELD(inject), 0, 0, inject_choices,
	 "undef|serror|hang|irq-storm|console-fault|pool-exhaust|secondary-undef|secondary-hang",
	 "tests only: provoke a failure, honoured only with tests=faults (docs/output.md)", "none"},
	{"trace", BOOTARG_CHOICE, FIELD(trace), 0, 0, trace_choices, "none|casemate",
	 "casemate: print each scenario's writes, barriers and TLBIs as Casemate records on '# cm' lines "
	 "(docs/casemate.md)",
	 "none"},
	{"trace-iters", BOOTARG_U64, FIELD(trace_iters), 1, 1000000, NULL, "N",
	 "with trace=casemate: trace the first N iterations of each scenario, one trace each", "1"},
	{"granule", BOOTARG_CHOICE, FIELD(granule), 0, 0, granule_choices, "4k|16k|64k",
	 "translation granule for the run (TCR_EL1.TG0); one the CPU lacks (ID_AA64MMFR0_EL1) is a usage error",
	 "4k"},
	{"cpu_fail", BOOTARG_U64, FIELD(cpu_fail), 1, 7, NULL, "N",
	 "test hook: CPU N (banner index) is never released, so it fails to start and its tests skip", "none"},
};
const size_t bootarg_spec_count = sizeof(bootarg_specs) / sizeof(bootarg_specs[0]);

void bootargs_defaults(struct bootargs *out)
{
	memset(out, 0, sizeof(*out));
	out->iters = 1000;
	out->seed = 1;
	out->verbose = 1;
	out->progress = 10;
	strcpy(out->exit, "auto");
	strcpy(out->console, "auto");
	strcpy(out->inject, "none");
	strcpy(out->trace, "none");
	out->trace_iters = 1;
	strcpy(out->granule, "4k");
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool bootargs_parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10;
	size_t i = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len)
		return false;
	for (; i < len; i++) {
		unsigned d;
		char c = s[i];
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return false;
		if (v > (UINT64_MAX - d) / base)
			return false; /* overflow */
		v = v * base + d;
	}
	*out = v;
	return true;
}

static const struct bootarg_spec *find_spec(const char *key, size_t len)
{
	for (size_t i = 0; i < bootarg_spec_count; i++)
		if (strlen(bootarg_specs[i].key) == len && !strncmp(bootarg_specs[i].key, key, len))
			return &bootarg_specs[i];
	return NULL;
}

static void list_keys(char *buf, size_t len)
{
	size_t used = 0;

	for (size_t i = 0; i < bootarg_spec_count && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", bootarg_specs[i].key);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

static void list_choices(const struct bootarg_spec *s, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; s->choices[i] && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", s->choices[i]);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/* Show at most this much of a bad value in a message, escaped (escape.h): it came from outside. */
#define SHOWN_MAX 32
struct shown {
	char text[ESCAPED_SIZE(SHOWN_MAX) + 3];
};

static struct shown shown(const char *val, size_t vlen)
{
	struct shown s = {.text = ""};

	size_t n = escape_text(s.text, sizeof(s.text) - 3, val, vlen > SHOWN_MAX ? SHOWN_MAX : vlen);
	if (vlen > SHOWN_MAX)
		memcpy(s.text + n, "...", 4); /* room kept above */
	return s;
}

static bool apply_flag(const struct bootarg_spec *s, const char *val, size_t vlen, bool has_value, bool *field,
		       char *err, size_t err_len)
{
	if (!has_value || (vlen == 1 && val[0] == '1')) {
		*field = true;
	} else if (vlen == 1 && val[0] == '0') {
		*field = false;
	} else {
		snprintf(err, err_len, "'%s' is a flag: write '%s', '%s=1' or '%s=0', not '%s=%s'", s->key, s->key,
			 s->key, s->key, s->key, shown(val, vlen).text);
		return false;
	}
	return true;
}

static bool apply_u64(const struct bootarg_spec *s, const char *val, size_t vlen, bool has_value, uint64_t *field,
		      char *err, size_t err_len)
{
	uint64_t v;

	if (!has_value || !vlen) {
		snprintf(err, err_len, "'%s' needs a value: %s=%s", s->key, s->key, s->value_help);
		return false;
	}
	if (!bootargs_parse_u64(val, vlen, &v)) {
		snprintf(err, err_len, "'%s=%s' is not a number (decimal, or hex with 0x)", s->key, shown(val, vlen).text);
		return false;
	}
	if (v < s->min || v > s->max) {
		snprintf(err, err_len, "'%s=%s' is out of range: %llu to %llu", s->key, shown(val, vlen).text,
			 (unsigned long long)s->min, (unsigned long long)s->max);
		return false;
	}
	*field = v;
	return true;
}

static bool is_choice(const struct bootarg_spec *s, const char *val, size_t vlen)
{
	for (size_t i = 0; s->choices[i]; i++)
		if (strlen(s->choices[i]) == vlen && !strncmp(s->choices[i], val, vlen))
			return true;
	return false;
}

/* BOOTARG_STRING and BOOTARG_CHOICE: a value copied into a fixed-size field. */
static bool apply_text(const struct bootarg_spec *s, const char *val, size_t vlen, bool has_value, char *field,
		       char *err, size_t err_len)
{
	char choices[128];

	if (!has_value || !vlen) {
		snprintf(err, err_len, "'%s' needs a value: %s=%s", s->key, s->key, s->value_help);
		return false;
	}
	if (vlen >= s->size && s->type == BOOTARG_STRING) {
		snprintf(err, err_len, "value of '%s' is %zu characters long; at most %zu", s->key, vlen, s->size - 1);
		return false;
	}
	/* Every choice fits its field, so membership also bounds the length. */
	if (s->type == BOOTARG_CHOICE && !is_choice(s, val, vlen)) {
		list_choices(s, choices, sizeof(choices));
		snprintf(err, err_len, "'%s=%s' is not a valid choice; valid: %s", s->key, shown(val, vlen).text,
			 choices);
		return false;
	}
	memcpy(field, val, vlen);
	field[vlen] = '\0';
	return true;
}

/* One comma-separated field of an earlycon value. */
struct field {
	const char *s;
	size_t len;
};

/* Split at commas into at most max fields; returns the count, max + 1 when there are more. */
static unsigned split_fields(const char *val, size_t len, struct field *f, unsigned max)
{
	unsigned n = 0;
	size_t start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && val[i] != ',')
			continue;
		if (n == max)
			return max + 1;
		f[n].s = val + start;
		f[n].len = i - start;
		n++;
		start = i + 1;
	}
	return n;
}

static bool field_is(const struct field *f, const char *word)
{
	return strlen(word) == f->len && !strncmp(f->s, word, f->len);
}

/* mmio, mmio16 or mmio32: 1 if f is one (and sets the access), 0 if it is not one, -1 on a refused type. */
static int console_iotype(const struct earlycon_name *e, const struct field *f, struct bootargs_console *out,
			  char *err, size_t err_len)
{
	static const struct {
		const char *name;
		uint8_t shift, width;
	} types[] = {{"mmio", 0, 1}, {"mmio16", 1, 2}, {"mmio32", 2, 4}};

	if (field_is(f, "io") || field_is(f, "mmio32be")) {
		snprintf(err, err_len, "'%s': %s", shown(f->s, f->len).text,
			 field_is(f, "io") ? "there is no port I/O on arm64; use mmio, mmio16 or mmio32"
					   : "big-endian registers are not supported; use mmio32");
		return -1;
	}
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (!field_is(f, types[i].name))
			continue;
		if (!e->any_width && types[i].width != 4) {
			snprintf(err, err_len, "%s registers are 32-bit: write mmio32 or no access type, not '%s'",
				 e->name, types[i].name);
			return -1;
		}
		out->reg_shift = e->any_width ? types[i].shift : 0;
		out->reg_io_width = types[i].width;
		return 1;
	}
	return 0;
}

/* OPTIONS: a baud rate, optionally followed by "n" or "n8" (bbmprobe sends 8N1 only). */
static bool console_options(const struct field *f, struct bootargs_console *out, char *err, size_t err_len)
{
	size_t digits = 0;
	uint64_t baud;

	while (digits < f->len && f->s[digits] >= '0' && f->s[digits] <= '9')
		digits++;
	const char *rest = f->s + digits;
	size_t rest_len = f->len - digits;
	if (!digits || !bootargs_parse_u64(f->s, digits, &baud) || baud < CONSOLE_BAUD_MIN || baud > CONSOLE_BAUD_MAX) {
		snprintf(err, err_len, "baud rate '%s' is not a number from %u to %u", shown(f->s, f->len).text,
			 CONSOLE_BAUD_MIN, CONSOLE_BAUD_MAX);
		return false;
	}
	if (!(rest_len == 0 || (rest_len == 1 && rest[0] == 'n') || (rest_len == 2 && !strncmp(rest, "n8", 2)))) {
		snprintf(err, err_len, "'%s': only 8 data bits, no parity (n8) can be sent", shown(f->s, f->len).text);
		return false;
	}
	out->baud = (uint32_t)baud;
	return true;
}

/* ADDR: non-zero, aligned to the access size. */
static bool console_address(const struct field *f, struct bootargs_console *out, char *err, size_t err_len)
{
	if (!f->len || !bootargs_parse_u64(f->s, f->len, &out->addr) || !out->addr) {
		snprintf(err, err_len, "'%s' is not a UART address (decimal, or hex with 0x; not 0)",
			 shown(f->s, f->len).text);
		return false;
	}
	if (out->addr & (out->reg_io_width - 1u)) {
		snprintf(err, err_len, "address 0x%llx is not aligned to its %u-byte registers",
			 (unsigned long long)out->addr, out->reg_io_width);
		return false;
	}
	return true;
}

static bool console_clock(const struct field *f, struct bootargs_console *out, char *err, size_t err_len)
{
	uint64_t clock;

	if (!bootargs_parse_u64(f->s, f->len, &clock) || !clock || clock > UINT32_MAX) {
		snprintf(err, err_len, "clock '%s' is not a frequency in Hz (1 to %u)", shown(f->s, f->len).text,
			 UINT32_MAX);
		return false;
	}
	out->clock_hz = (uint32_t)clock;
	return true;
}

static const struct earlycon_name *find_earlycon(const struct field *f)
{
	for (size_t i = 0; i < sizeof(earlycon_names) / sizeof(earlycon_names[0]); i++)
		if (field_is(f, earlycon_names[i].name))
			return &earlycon_names[i];
	return NULL;
}

/* NAME,[IOTYPE,]ADDR[,OPTIONS[,CLOCK]], the order Linux's uart_parse_earlycon() reads. */
static bool parse_console_fields(const struct field *f, unsigned n, struct bootargs_console *out, char *err,
				 size_t err_len)
{
	const struct earlycon_name *e = find_earlycon(&f[0]);

	if (!e) {
		snprintf(err, err_len, "unknown console '%s'; NAME is one of " CONSOLE_NAMES, shown(f[0].s, f[0].len).text);
		return false;
	}
	memset(out, 0, sizeof(*out));
	snprintf(out->driver, sizeof(out->driver), "%s", e->driver);
	out->reg_io_width = e->any_width ? 1 : 4; /* Linux: a bare 8250 address is mmio, 8-bit */
	unsigned i = 1;
	int io = i < n ? console_iotype(e, &f[i], out, err, err_len) : 0;
	if (io < 0)
		return false;
	i += (unsigned)io;
	if (i >= n) {
		snprintf(err, err_len, "%s needs the UART's address: %s,[mmio32,]ADDR[,BAUD]", e->name, e->name);
		return false;
	}
	if (!console_address(&f[i++], out, err, err_len))
		return false;
	if (i < n && !console_options(&f[i++], out, err, err_len))
		return false;
	if (i < n && !console_clock(&f[i++], out, err, err_len))
		return false;
	if (i < n) {
		snprintf(err, err_len, "too many fields after the clock: '%s'", shown(f[i].s, f[i].len).text);
		return false;
	}
	return true;
}

bool bootargs_parse_console(const char *val, size_t len, struct bootargs_console *out, char *err, size_t err_len)
{
	struct field f[6];
	char why[384]; /* room for an escaped field and the list of names */
	unsigned n = split_fields(val, len, f, 5);

	if (n > 5) {
		snprintf(why, sizeof(why), "too many fields; the form is " CONSOLE_FORMS);
	} else if (parse_console_fields(f, n, out, why, sizeof(why))) {
		return true;
	}
	snprintf(err, err_len, "'console=%s': %s", shown(val, len).text, why);
	return false;
}

/* console=auto|pl011|mini, or the earlycon form (it has a comma). */
static bool apply_console(const struct bootarg_spec *s, const char *val, size_t vlen, bool has_value,
			  struct bootargs *out, char *err, size_t err_len)
{
	if (has_value && memchr(val, ',', vlen)) {
		if (vlen >= sizeof(out->console)) {
			snprintf(err, err_len, "value of 'console' is %zu characters long; at most %zu", vlen,
				 sizeof(out->console) - 1);
			return false;
		}
		if (!bootargs_parse_console(val, vlen, &out->console_port, err, err_len))
			return false;
		out->console_explicit = true;
		memcpy(out->console, val, vlen);
		out->console[vlen] = '\0';
		return true;
	}
	if (has_value && vlen && !is_choice(s, val, vlen)) {
		snprintf(err, err_len, "'console=%s' is not a valid choice; valid: " CONSOLE_FORMS, shown(val, vlen).text);
		return false;
	}
	return apply_text(s, val, vlen, has_value, out->console, err, err_len);
}

static bool apply(const struct bootarg_spec *s, const char *val, size_t vlen, bool has_value, struct bootargs *out,
		  char *err, size_t err_len)
{
	char *field = (char *)out + s->offset;

	switch (s->type) {
	case BOOTARG_FLAG:
		return apply_flag(s, val, vlen, has_value, (bool *)field, err, err_len);
	case BOOTARG_U64:
		return apply_u64(s, val, vlen, has_value, (uint64_t *)(void *)field, err, err_len);
	case BOOTARG_STRING:
	case BOOTARG_CHOICE:
		return apply_text(s, val, vlen, has_value, field, err, err_len);
	case BOOTARG_CONSOLE:
		return apply_console(s, val, vlen, has_value, out, err, err_len);
	}
	return false;
}

/* Start of our words: after the last lone "--", else the whole line. */
static const char *own_words(const char *line)
{
	const char *p = line;

	for (const char *q = line; *q; q++)
		if (q[0] == '-' && q[1] == '-' && (q == line || is_space(q[-1])) && (!q[2] || is_space(q[2])))
			p = q + 2;
	return p;
}

bool bootargs_mentions_semihosting(const char *line)
{
	if (!line)
		return false;
	for (const char *p = own_words(line); *p;) {
		while (is_space(*p))
			p++;
		const char *w = p;
		while (*p && !is_space(*p))
			p++;
		size_t n = (size_t)(p - w);
		if ((n == 11 && !strncmp(w, "semihosting", 11)) || (n == 13 && !strncmp(w, "semihosting=1", 13)))
			return true;
	}
	return false;
}

bool bootargs_parse(const char *line, struct bootargs *out, char *err, size_t err_len)
{
	bool seen[sizeof(bootarg_specs) / sizeof(bootarg_specs[0])] = {false};
	char keys[256];

	bootargs_defaults(out);
	if (err_len)
		err[0] = '\0';
	if (!line)
		return true;
	size_t total = strlen(line);
	if (total >= BOOTARGS_LINE_MAX) {
		snprintf(err, err_len, "boot arguments are %zu characters long; at most %d", total,
			 BOOTARGS_LINE_MAX - 1);
		return false;
	}
	const char *p = own_words(line);

	while (*p) {
		while (is_space(*p))
			p++;
		if (!*p)
			break;
		const char *word = p;
		while (*p && !is_space(*p))
			p++;
		size_t wlen = (size_t)(p - word);
		const char *eq = memchr(word, '=', wlen);
		size_t klen = eq ? (size_t)(eq - word) : wlen;
		const struct bootarg_spec *s = find_spec(word, klen);
		if (!s) {
			list_keys(keys, sizeof(keys));
			snprintf(err, err_len, "unknown boot argument '%s'; valid keys: %s", shown(word, klen).text, keys);
			return false;
		}
		size_t idx = (size_t)(s - bootarg_specs);
		if (seen[idx]) {
			snprintf(err, err_len, "boot argument '%s' is given twice", s->key);
			return false;
		}
		seen[idx] = true;
		const char *val = eq ? eq + 1 : NULL;
		size_t vlen = eq ? wlen - klen - 1 : 0;
		if (!apply(s, val, vlen, eq != NULL, out, err, err_len))
			return false;
	}
	return true;
}

unsigned bootargs_granule_shift(const struct bootargs *args)
{
	if (!strcmp(args->granule, "16k"))
		return 14;
	return !strcmp(args->granule, "64k") ? 16 : 12;
}
