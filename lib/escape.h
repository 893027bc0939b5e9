/*
 * Echoing input that came from outside (boot arguments, DTB strings): every
 * byte outside printable ASCII, and the backslash, becomes \xNN, so an echoed value can never start a line, move the cursor or ring a
 * bell: a newline in bootargs cannot forge a "not ok", SUMMARY or EXIT line.
 * Pure C, unit-tested on the host and fuzzed.
 */
#ifndef BBMPROBE_LIB_ESCAPE_H
#define BBMPROBE_LIB_ESCAPE_H

#include <stddef.h>

/*
 * Escape in[0..in_len) (stopping early at a NUL) into out, always terminated.
 * If it does not fit, the output ends with "..." instead of a partial escape.
 * Returns the length written.
 */
size_t escape_text(char *out, size_t out_len, const char *in, size_t in_len);

/* Worst-case output size for n input bytes, terminator included. */
#define ESCAPED_SIZE(n) (4 * (n) + 1)

#endif
