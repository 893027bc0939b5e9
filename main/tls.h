/*
 * picolibc keeps errno and friends in TLS (local-exec model); each CPU gets its
 * own block, pointed at by its TPIDR_EL0.
 */
#ifndef BBMPROBE_MAIN_TLS_H
#define BBMPROBE_MAIN_TLS_H

#include <stdbool.h>
#include <stddef.h>

/* Set up this CPU's block (MMU on); false if picolibc's TLS does not fit. */
bool tls_init(void);
/* Bytes picolibc's TLS needs, and what each CPU's block holds. */
size_t tls_needed(void);
size_t tls_capacity(void);

#endif
