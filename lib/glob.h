/* Shell-style matching with '*' and '?' for test selection (no classes, no escapes). */
#ifndef BBMPROBE_LIB_GLOB_H
#define BBMPROBE_LIB_GLOB_H

#include <stdbool.h>
#include <stddef.h>

bool glob_match(const char *pattern, size_t pattern_len, const char *text);

#endif
