/*
 * The DTB intake's gate (lib/dtb_check.c) on blobs made with libfdt's own
 * writer, then damaged one field at a time. alarm() turns a walk that never
 * ends (libfdt 1.6.1 on a wrapping property length) into a failed test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libfdt.h>

#include "lib/dtb.h"

#define BLOB_SIZE 1024
#define WALK_SECONDS 10

/* 8-byte aligned, as the firmware requires of a DTB. */
static uint64_t blob[BLOB_SIZE / 8];

/* A small, well-formed tree: a root model and one memory node. */
static void *make_blob(void)
{
	void *fdt = blob;

	memset(blob, 0, sizeof(blob));
	assert_int_equal(fdt_create(fdt, BLOB_SIZE), 0);
	assert_int_equal(fdt_finish_reservemap(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, ""), 0);
	assert_int_equal(fdt_property_string(fdt, "model", "bbmprobe test"), 0);
	assert_int_equal(fdt_begin_node(fdt, "memory@40000000"), 0);
	assert_int_equal(fdt_property_string(fdt, "device_type", "memory"), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_finish(fdt), 0);
	return fdt;
}

/* The 32-bit big-endian word at structure-block offset `off`. */
static void put_struct_word(void *fdt, int off, uint32_t v)
{
	fdt32_st((fdt32_t *)((char *)fdt + fdt_off_dt_struct(fdt) + off), v);
}

static int model_prop_offset(const void *fdt)
{
	int off = fdt_first_property_offset(fdt, 0);

	assert_true(off >= 0);
	return off;
}

static void well_formed_blob_passes(void **state)
{
	(void)state;
	assert_null(dtb_problem(make_blob()));
}

static void header_problems_are_named(void **state)
{
	void *fdt = make_blob();

	(void)state;
	assert_string_equal(dtb_problem(NULL), "no address");
	assert_string_equal(dtb_problem((char *)fdt + 4), "not 8-byte aligned");
	fdt32_st((fdt32_t *)fdt, 0xdeadbeefu);
	assert_string_equal(dtb_problem(fdt), "no FDT magic");
	fdt = make_blob();
	fdt_set_totalsize(fdt, 16);
	assert_non_null(dtb_problem(fdt));
}

/*
 * 0xfffffff4 brings libfdt 1.6.1's next offset back to the same tag (the
 * hang); the others wrap elsewhere or merely run past the blob.
 */
static void property_length_past_the_blob_is_refused(void **state)
{
	static const uint32_t lengths[] = {0xfffffff4u, 0xfffffff8u, 0xfffffffcu, 0x80000000u, 0x7ffffff0u, BLOB_SIZE};

	(void)state;
	alarm(WALK_SECONDS);
	for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		void *fdt = make_blob();
		put_struct_word(fdt, model_prop_offset(fdt) + (int)FDT_TAGSIZE, lengths[i]);
		assert_string_equal(dtb_problem(fdt), "a property's length runs past the end of the DTB");
	}
	alarm(0);
}

static void bad_tag_and_cut_short_structure_are_refused(void **state)
{
	void *fdt = make_blob();

	(void)state;
	put_struct_word(fdt, model_prop_offset(fdt), 0x7u); /* not a tag */
	assert_string_equal(dtb_problem(fdt), "a bad tag or length in the structure block");
	fdt = make_blob();
	fdt_set_size_dt_struct(fdt, fdt_size_dt_struct(fdt) - FDT_TAGSIZE); /* FDT_END falls outside */
	assert_string_equal(dtb_problem(fdt), "the structure block is cut short (no FDT_END)");
}

/* Tags that each move forward but do not make a tree: libfdt's fdt_check_full says so. */
static void unbalanced_nodes_are_refused(void **state)
{
	void *fdt = make_blob();
	int end_node = (int)(fdt_size_dt_struct(fdt) - 2 * FDT_TAGSIZE); /* the root's FDT_END_NODE */

	(void)state;
	put_struct_word(fdt, end_node, FDT_NOP);
	assert_string_equal(dtb_problem(fdt), fdt_strerror(-FDT_ERR_BADSTRUCTURE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(well_formed_blob_passes),
		cmocka_unit_test(header_problems_are_named),
		cmocka_unit_test(property_length_past_the_blob_is_refused),
		cmocka_unit_test(bad_tag_and_cut_short_structure_are_refused),
		cmocka_unit_test(unbalanced_nodes_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
