/* The model fed from the host event log (model_feed.h). */
#include "host/support/model_feed.h"

#include "host/support/arch_log.h"
#include "mmu/monitor.h"

bool model_feed_from_log(struct model *m, size_t *fed)
{
	if (arch_log_total() != arch_log_count())
		return false;
	for (; *fed < arch_log_count(); (*fed)++) {
		const struct arch_event *e = arch_log_get(*fed);
		if (model_on_event(m, 0, e->kind, e->a, e->b, e->c) != MODEL_OK)
			return false;
	}
	return true;
}

enum model_status model_watch_space(struct model *m, const struct model_config *cfg, const struct pt_space *sp,
				    size_t *fed)
{
	enum model_status st = model_init(m, cfg);
	if (st == MODEL_OK)
		st = model_attach(m, sp->root, sp->start_level);
	arch_log_clear();
	*fed = 0;
	bbm_monitor_set_print(false);
	bbm_monitor_reset();
	bbm_monitor_enable(true);
	return st;
}
