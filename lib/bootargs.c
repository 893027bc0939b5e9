/* Strict boot-argument parser (see bootargs.h). */
#include "bootargs.h"

#include <stdio.h>
#include <string.h>

#include "lib/escape.h"

static const char *const exit_choices[] = {"auto", "halt", "reset", NULL};
static const char *const console_choices[] = {"auto", "pl011", "mini", NULL};
static const char *const inject_choices[] = {"none",      "undef",         "serror",       "hang",
					     "irq-storm", "console-fault", "pool-exhaust", NULL};

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
	{"console", BOOTARG_CHOICE, FIELD(console), 0, 0, console_choices, "auto|pl011|mini",
	 "UART to print on; auto = /chosen/stdout-path, else the board default", "auto"},
	{"timeout", BOOTARG_U64, FIELD(timeout), 1, 86400, NULL, "SECONDS",
	 "the watchdog: a test running longer fails and the suite goes on (0 is refused: it cannot be turned off)",
	 "60 + iters/100"},
	{"inject", BOOTARG_CHOICE, FIELD(inject), 0, 0, inject_choices,
	 "undef|serror|hang|irq-storm|console-fault|pool-exhaust",
	 "tests only: provoke a failure, honoured only with tests=faults (docs/output.md)", "none"},
};
const size_t bootarg_spec_count = sizeof(bootarg_specs) / sizeof(bootarg_specs[0]);

void bootargs_defaults(struct bootargs *out)
{
	memset(out, 0, sizeof(*out));
	out->iters = 1000;
	out->seed = 1;
	out->verbose = 1;
	strcpy(out->exit, "auto");
	strcpy(out->console, "auto");
	strcpy(out->inject, "none");
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
