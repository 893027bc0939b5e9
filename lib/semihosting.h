/*
 * Arm semihosting (Arm "Semihosting for AArch32 and AArch64", version 2.0):
 * `hlt #0xf000` with an operation in x0. Only ever used when the boot
 * arguments said `semihosting`: on hardware without a debugger the instruction
 * is undefined. Callers that cannot be sure wrap it in guarded_call().
 */
#ifndef BBMPROBE_LIB_SEMIHOSTING_H
#define BBMPROBE_LIB_SEMIHOSTING_H

#include <stdint.h>

/* SYS_WRITE0: a NUL-terminated string to the debugger's console (QEMU: its stderr). */
void semihosting_write0(const char *s);
/* SYS_EXIT_EXTENDED: the emulator exits with `code`; returns only if it did not. */
void semihosting_exit(int code);

#endif
