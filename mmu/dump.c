/*
 * ptdump-style listing, modelled on Linux arch/arm64/mm/ptdump.c: one line per
 * table entry, and one per run of leaves at the same level with the same
 * attributes and contiguous output addresses. Lines start with "# " (TAP).
 */
#include <stdio.h>

#include "mmu/geometry.h"
#include "mmu/pool.h"
#include "mmu/pt_write.h"
#include "mmu/walk.h"

struct run {
	bool open;
	int level;
	uint64_t start, end; /* VA, end exclusive */
	uint64_t oa, next_oa;
	pt_entry_t attrs;
	enum desc_type type;
};

struct dump_state {
	struct run run;
	unsigned tables, leaves;
};

static void size_str(uint64_t bytes, char *buf, size_t n)
{
	if (bytes >= (1ull << 30) && !(bytes & ((1ull << 30) - 1)))
		snprintf(buf, n, "%lluG", (unsigned long long)(bytes >> 30));
	else if (bytes >= (1ull << 20) && !(bytes & ((1ull << 20) - 1)))
		snprintf(buf, n, "%lluM", (unsigned long long)(bytes >> 20));
	else
		snprintf(buf, n, "%lluK", (unsigned long long)(bytes >> 10));
}

static void flush_run(struct run *r)
{
	char sz[24]; /* "%llu" of a 64-bit size plus a unit */
	if (!r->open)
		return;
	pt_entry_t a = r->attrs;
	size_str(r->end - r->start, sz, sizeof(sz));
	printf("# 0x%016llx-0x%016llx %7s %s %-5s %s %s %s %s %s %s %s %s %s oa=0x%llx\n",
	       (unsigned long long)r->start, (unsigned long long)r->end, sz, pt_level_linux_name(r->level),
	       r->type == DESC_BLOCK ? "BLK" : "PTE", (a & PTE_RDONLY) ? "ro" : "RW", (a & PTE_PXN) ? "NX" : "x ",
	       (a & PTE_SH_MASK) == PTE_SH_INNER ? "SHD" : (a & PTE_SH_MASK) == PTE_SH_OUTER ? "OSH" : "   ",
	       (a & PTE_AF) ? "AF" : "  ", (a & PTE_NG) ? "NG" : "  ", (a & PTE_CONT) ? "CON" : "   ",
	       (a & PTE_UXN) ? "UXN" : "   ", (a & PTE_SW_MASK) ? "SW" : "  ", pt_memtype_name((unsigned)desc_memtype(a)),
	       (unsigned long long)r->oa);
	r->open = false;
}

static void dump_table(struct dump_state *st, const pt_entry_t *table, int level, uint64_t va_base)
{
	if (!pt_level_valid(level)) /* recursion stops at L3 (desc_type never says TABLE there) */
		return;
	for (unsigned i = 0; i < pt_level_entries(level); i++) {
		pt_entry_t d = pt_read_desc(&table[i]);
		uint64_t va = va_base + (uint64_t)i * pt_level_size(level);
		uint64_t va_end = va + pt_level_size(level);
		enum desc_type t = desc_type(d, level);
		if (t == DESC_INVALID)
			continue;
		if (t == DESC_TABLE || t == DESC_RESERVED) {
			flush_run(&st->run);
			const pt_entry_t *child = (const pt_entry_t *)(uintptr_t)desc_oa(d, level);
			const struct pt_page_meta *m = pt_pool_meta(child);
			printf("# 0x%016llx-0x%016llx L%d %s %s -> 0x%llx%s\n", (unsigned long long)va,
			       (unsigned long long)va_end, level, pt_level_linux_name(level),
			       t == DESC_TABLE ? "table" : "RESERVED", (unsigned long long)desc_oa(d, level),
			       t != DESC_TABLE ? "" : !m ? " (not a pool page)" : m->state == PT_PAGE_LIVE ? "" : " (FREED)");
			if (t != DESC_TABLE)
				continue;
			st->tables++;
#ifdef BBMPROBE_HOST
			if (!m)
				continue;
#endif
			dump_table(st, child, level + 1, va);
			continue;
		}
		st->leaves++;
		uint64_t oa = desc_oa(d, level);
		struct run *r = &st->run;
		if (r->open && r->level == level && r->end == va && r->next_oa == oa && r->attrs == desc_attrs(d)) {
			r->end += pt_level_size(level);
			r->next_oa += pt_level_size(level);
			continue;
		}
		flush_run(r);
		r->open = true;
		r->level = level;
		r->type = t;
		r->start = va;
		r->end = va + pt_level_size(level);
		r->oa = oa;
		r->next_oa = oa + pt_level_size(level);
		r->attrs = desc_attrs(d);
	}
}

void pt_dump(const struct pt_space *s)
{
	struct dump_state st;
	st.run.open = false;
	st.tables = 0;
	st.leaves = 0;
	if (!s || !s->root) {
		printf("# pt_dump: no tables\n");
		return;
	}
	printf("# pt_dump: root 0x%llx (L%d)\n", (unsigned long long)(uintptr_t)s->root, s->start_level);
	dump_table(&st, s->root, s->start_level, s->va_base);
	flush_run(&st.run);
	printf("# pt_dump: %u tables below the root, %u leaf entries\n", st.tables, st.leaves);
}
