/*
 * ksyms.h: the kernel's own function symbols, embedded at link time
 * (tools/ksyms.py), for symbolized panics and backtraces.
 */
#ifndef KSYMS_H
#define KSYMS_H

#include <stdint.h>

/* The kernel runs offset bytes above its link address (KASLR). */
void ksym_set_offset(uint64_t offset);
/* The name of the function containing addr, and addr's offset in it. */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);
/* Print "name+0xoff" or "?" for addr. */
void ksym_print(uint64_t addr);
/* Print a frame-pointer backtrace starting at (rip, rbp). */
void backtrace_from(uint64_t rip, uint64_t rbp);
/* Print a backtrace of the caller. */
void backtrace_here(void);

#endif
