/*
 * Included first in every target object (-include, Makefile). bbmprobe is one
 * static position-independent image: nothing in it can be preempted or
 * provided by another module. Declaring every symbol hidden, declarations
 * included (the -fvisibility option covers only definitions), lets the
 * compiler address globals PC-relatively (adrp+add) instead of loading their
 * address from the GOT: one data page less on every path that touches a global
 * from another file, which on QEMU TCG is a software-TLB refill after each
 * TLBI that empties it (make bench, docs/scenarios.md).
 */
#pragma GCC visibility push(hidden)
