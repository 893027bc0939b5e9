/* TLB model: witnesses and statuses in words (mmu/model.h). */
#include "mmu/model.h"

const char *model_status_name(enum model_status st)
{
	switch (st) {
	case MODEL_OK:
		return "ok";
	case MODEL_ERR_BAD_ARG:
		return "bad argument";
	case MODEL_ERR_NOT_ATTACHED:
		return "not attached to a root table";
	case MODEL_ERR_STALE_FULL:
		return "stale-entry table full";
	case MODEL_ERR_PENDING_FULL:
		return "pending-write table full";
	case MODEL_ERR_TLBI_FULL:
		return "pending-TLBI table full";
	case MODEL_ERR_PAGES_FULL:
		return "table-page table full";
	case MODEL_ERR_UNKNOWN_TABLE:
		return "write to or walk through a table page the model does not know";
	case MODEL_ERR_ASIDS_FULL:
		return "ASID table full";
	case MODEL_STATUS_COUNT:
		break;
	}
	return "?";
}

/* A bounded appender: `used` counts what was wanted, like snprintf; the buffer stays NUL-terminated. */
struct out {
	char *buf;
	size_t len;
	size_t used;
};

static void put_char(struct out *o, char c)
{
	if (o->used + 1 < o->len) {
		o->buf[o->used] = c;
		o->buf[o->used + 1] = 0;
	}
	o->used++;
}

static void put(struct out *o, const char *s)
{
	while (*s)
		put_char(o, *s++);
}

static void put_uint(struct out *o, uint64_t v, unsigned base)
{
	char digits[24];
	unsigned n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n)
		put_char(o, digits[--n]);
}

/* Like printf "%#llx": "0", or "0x" and hex digits. */
static void put_hex(struct out *o, uint64_t v)
{
	if (v)
		put(o, "0x");
	put_uint(o, v, 16);
}

static void put_level(struct out *o, int level)
{
	put_char(o, 'L');
	put_uint(o, (uint64_t)level, 10);
}

static const char *kind_word(pt_entry_t d, int level)
{
	switch (desc_type(d, level)) {
	case DESC_TABLE:
		return "table";
	case DESC_BLOCK:
		return "block";
	case DESC_PAGE:
		return "page";
	case DESC_INVALID:
	case DESC_RESERVED:
		break;
	}
	return 0;
}

/* "L3[5]=0" or "L2[1]=0x10000705 (block 0x10000000)". */
static void put_entry(struct out *o, const struct model_step *s)
{
	unsigned idx = (unsigned)((s->entry & (PT_GRANULE_SIZE - 1)) / sizeof(pt_entry_t));
	const char *what = kind_word(s->desc, s->level);

	put_level(o, s->level);
	put_char(o, '[');
	put_uint(o, idx, 10);
	put(o, "]=");
	put_hex(o, s->desc);
	if (what) {
		put(o, " (");
		put(o, what);
		put_char(o, ' ');
		put_hex(o, desc_oa(s->desc, s->level));
		put_char(o, ')');
	}
}

static void put_cached(struct out *o, const struct model_step *s)
{
	bool table = desc_type(s->desc, s->level) == DESC_TABLE;

	put_level(o, s->level);
	put(o, table ? " table pointer " : desc_type(s->desc, s->level) == DESC_BLOCK ? " block " : " page ");
	put_hex(o, desc_oa(s->desc, s->level));
	put(o, table ? " from the walk cache" : " from the TLB");
	if (s->write_no) {
		put(o, " (stale since write #");
		put_uint(o, s->write_no, 10);
		put_char(o, ')');
	} else {
		put(o, " (stale since its table page was freed)");
	}
}

static void put_step(struct out *o, const struct model_step *s)
{
	switch (s->source) {
	case MODEL_SRC_MEMORY:
		put_entry(o, s);
		put(o, " from memory");
		break;
	case MODEL_SRC_PENDING_OLD:
		put_entry(o, s);
		put(o, " from memory (the value pending write #");
		put_uint(o, s->write_no, 10);
		put(o, " replaced)");
		break;
	case MODEL_SRC_CACHED:
		put_cached(o, s);
		break;
	case MODEL_SRC_FREED:
		put_level(o, s->level);
		put(o, " table page ");
		put_hex(o, s->entry);
		put(o, " was freed: the walk reads whatever it holds now");
		break;
	case MODEL_SRC_ZEROING:
		put_level(o, s->level);
		put(o, " table page ");
		put_hex(o, s->entry);
		put(o, " was re-allocated and its zeroing is not complete: the walk may read its old contents");
		break;
	default:
		put_level(o, s->level);
		put(o, " ?");
		break;
	}
}

/* Table pointers read from memory say nothing new: "L0..L1 from memory". */
static bool is_memory_link(const struct model_witness *w, unsigned i)
{
	const struct model_step *s = &w->step[i];
	return i + 1 < w->nsteps && s->source == MODEL_SRC_MEMORY && desc_type(s->desc, s->level) == DESC_TABLE;
}

static void put_walk(struct out *o, const struct model_witness *w)
{
	for (unsigned i = 0; i < w->nsteps; i++) {
		if (i)
			put(o, ", ");
		if (!is_memory_link(w, i)) {
			put_step(o, &w->step[i]);
			continue;
		}
		unsigned last = i;
		while (last + 1 < w->nsteps && is_memory_link(w, last + 1))
			last++;
		put_level(o, w->step[i].level);
		if (last != i) {
			put(o, "..");
			put_level(o, w->step[last].level);
		}
		put(o, " from memory");
		i = last;
	}
}

int model_format_witness(const struct model_answer *ans, enum outcome o, char *buf, size_t len)
{
	struct out out = {buf, len, 0};

	if (!ans || (unsigned)o >= OUTCOME_COUNT || !(ans->allowed & OUTCOME_BIT(o)))
		return -1;
	if (len)
		buf[0] = 0;
	const struct model_witness *w = &ans->witness[o];
	put(&out, outcome_name(o));
	put(&out, ": ");
	switch (w->kind) {
	case MODEL_WITNESS_CONFLICT:
		put_step(&out, &w->step[0]);
		put(&out, " and ");
		put_step(&out, &w->step[1]);
		put(&out, " both translate VA ");
		put_hex(&out, ans->va);
		break;
	case MODEL_WITNESS_AMALGAM:
		put_step(&out, &w->step[0]);
		put(&out, " and ");
		put_step(&out, &w->step[1]);
		put(&out, " give VA ");
		put_hex(&out, ans->va);
		put(&out, " one output address in two sizes; below FEAT_BBM level ");
		put_uint(&out, ans->size_change_level, 10);
		put(&out, " the change breaks BBM and the TLB may amalgamate them");
		break;
	case MODEL_WITNESS_CONT:
		put_step(&out, &w->step[0]);
		put(&out, " and ");
		put_step(&out, &w->step[1]);
		put(&out, " are entries (pages or blocks) of one contiguous run that disagree: the TLB may use an amalgamation of them for VA ");
		put_hex(&out, ans->va);
		break;
	case MODEL_WITNESS_VA_RANGE:
		put(&out, "VA ");
		put_hex(&out, ans->va);
		put(&out, " is outside the ");
		put_uint(&out, PT_VA_BITS, 10);
		put(&out, "-bit TTBR0 range");
		break;
	default:
		put_walk(&out, w);
		break;
	}
	return (int)out.used;
}
