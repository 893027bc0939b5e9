/*
 * Casemate trace exporter (`trace=casemate`): one more subscriber of the event
 * stream (mmu/arch_event.h). Between begin and end every event that has a
 * Casemate record (mmu/casemate_fmt.h) is printed as a `# cm RECORD` line, so
 * casemate-check (rems-project/casemate) can check the sequence offline; the
 * lines are TAP diagnostics and never disturb the run. docs/casemate.md.
 *
 * A trace stands alone: begin first gives Casemate the tables the traced VA
 * lives under (mem-init of each table page, mem-write of each non-zero entry,
 * then ttbr0_el2 = the root), because Casemate tracks only memory it was told
 * about and registers a tree when its root is written to a TTBR.
 */
#ifndef BBMPROBE_MMU_TRACE_CASEMATE_H
#define BBMPROBE_MMU_TRACE_CASEMATE_H

#include <stdbool.h>
#include <stdint.h>

#include "mmu/pt.h"

/*
 * Start a trace named `name` (iteration `iter`): print `# cm-trace begin NAME
 * iter=I`, the records for the tables under the root entry that covers `va`
 * (the root's other entries are left out: Casemate sees them as invalid), and
 * subscribe. False (nothing printed) if the stream has no free sink slot.
 */
bool cm_trace_begin(const struct pt_space *s, uint64_t va, const char *name, uint64_t iter);
/* Stop: unsubscribe and print `# cm-trace end NAME iter=I records=N`. No effect without a begin. */
void cm_trace_end(void);

#endif
