/*
 * bootargs-check: the firmware's boot-argument checks, run on the host before a line is written
 * where only a real board will read it (make sdcard's cmdline.txt). A bad line is then the same
 * message and status 2 before flashing, not a card that stops with "Bail out!" on the bench.
 *
 *   bootargs-check --tests FILE LINE
 *
 * LINE is parsed by the firmware's own parser (lib/bootargs.c). Each tests= pattern must match a
 * test of FILE (scripts/list-tests: the names the image registers, " exact" after a test that
 * runs only when named exactly), the way tests/runner.c matches them: such a test by its full name
 * only, any other by a glob on its full name or its group. Exit 0 if the firmware would accept
 * LINE, else the firmware's message on stderr and exit 2.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/bootargs.h"
#include "lib/glob.h"

#define MAX_TESTS 256
#define NAME_MAX_LEN 96

struct listed_test {
	char name[NAME_MAX_LEN]; /* group/name */
	bool exact;
};

static struct listed_test tests[MAX_TESTS];
static unsigned test_count;

static int usage_error(const char *message)
{
	fprintf(stderr, "bad boot arguments: %s\n", message);
	return 2;
}

static bool read_tests(const char *path)
{
	char line[NAME_MAX_LEN + 16];
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(stderr, "bootargs-check: cannot read the test list %s\n", path);
		return false;
	}
	while (fgets(line, sizeof(line), f) && test_count < MAX_TESTS) {
		struct listed_test *t = &tests[test_count];
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		char *space = strchr(line, ' ');
		t->exact = space && strcmp(space, " exact") == 0;
		if (space)
			*space = '\0';
		if (!line[0] || strlen(line) >= sizeof(t->name))
			continue;
		memcpy(t->name, line, strlen(line) + 1);
		test_count++;
	}
	fclose(f);
	if (!test_count)
		fprintf(stderr, "bootargs-check: no tests in %s\n", path);
	return test_count > 0;
}

/* tests/runner.c pattern_matches(): explicit tests by full name only, others by name or group. */
static bool pattern_matches(const char *pat, size_t len, const struct listed_test *t)
{
	char group[NAME_MAX_LEN];
	const char *slash = strchr(t->name, '/');
	size_t glen = slash ? (size_t)(slash - t->name) : strlen(t->name);

	if (t->exact)
		return strlen(t->name) == len && strncmp(t->name, pat, len) == 0;
	memcpy(group, t->name, glen);
	group[glen] = '\0';
	return glob_match(pat, len, t->name) || glob_match(pat, len, group);
}

/* tests/runner.c select_tests(): every comma-separated pattern must match some test. */
static bool check_tests(const char *patterns, char *err, size_t err_len)
{
	for (const char *p = patterns; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		bool any = false;
		for (unsigned i = 0; i < test_count && !any; i++)
			any = len && pattern_matches(p, len, &tests[i]);
		if (!any) {
			/* The runner formats into 160 bytes: the same text, cut at the same length. */
			size_t limit = err_len < 160 ? err_len : 160;
			if (snprintf(err, limit, "tests=%s: '%.*s' matches no test", patterns, (int)(len > 60 ? 60 : len),
				     p) < 0)
				err[0] = '\0';
			return false;
		}
		p = end ? end + 1 : p + len;
	}
	return true;
}

int main(int argc, char **argv)
{
	struct bootargs args;
	char err[256];

	if (argc != 4 || strcmp(argv[1], "--tests") != 0) {
		fprintf(stderr, "usage: bootargs-check --tests FILE LINE\n");
		return 2;
	}
	if (!read_tests(argv[2]))
		return 2;
	if (!bootargs_parse(argv[3], &args, err, sizeof(err)))
		return usage_error(err);
	if (!check_tests(args.tests, err, sizeof(err))) {
		usage_error(err);
		fprintf(stderr, "tests (tests=NAME, GROUP or glob):\n");
		for (unsigned i = 0; i < test_count; i++)
			fprintf(stderr, "  %s%s\n", tests[i].name, tests[i].exact ? " (only when named exactly)" : "");
		return 2;
	}
	return 0;
}
