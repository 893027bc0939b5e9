/* Host tests that drive the architectural model from the host event log (host/support/arch_log.h). */
#ifndef BBMPROBE_HOST_SUPPORT_MODEL_FEED_H
#define BBMPROBE_HOST_SUPPORT_MODEL_FEED_H

#include <stdbool.h>
#include <stddef.h>

#include "mmu/model.h"
#include "mmu/pt.h"

/*
 * Give the model, as CPU 0, the events the log gained since *fed (advanced).
 * False if the log dropped events or the model refused one.
 */
bool model_feed_from_log(struct model *m, size_t *fed);

/*
 * What the scenario engine starts from: a fresh model (cfg) attached to sp,
 * the log cleared (*fed = 0), the monitor reset, silent and watching.
 */
enum model_status model_watch_space(struct model *m, const struct model_config *cfg, const struct pt_space *sp,
				    size_t *fed);

#endif
