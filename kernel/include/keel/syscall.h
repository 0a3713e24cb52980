/*
 * syscall.h: system call dispatch (syscall.c, syscall.S) for both entries:
 * SYSCALL (the x86-64 table) and int 0x80 (the i386 table, as Linux gives
 * 64-bit processes: 32-bit arguments in ebx, ecx, edx, esi, edi, ebp).
 * Usable from .S files.
 */
#ifndef SYSCALL_H
#define SYSCALL_H

#define T_SYSCALL_FAST	0x100	/* tf_vector of a SYSCALL entry (syscall.S) */
#define NSYSCALL64	294	/* entries of syscall_table64 */
#define NSYSCALL32	253	/* entries of syscall_table32 */

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <arch/arch.h>

typedef long (*sysfn)(long, long, long, long, long, long);

/*
 * Indexed by number; every entry is a function (sys_enosys where there is
 * no call).  A set bit of syscall_full64/32 marks a call that reads or
 * replaces the whole user context (fork, execve, rt_sigreturn,
 * rt_sigsuspend): the entry saves the full frame before calling it.
 */
extern const sysfn syscall_table64[NSYSCALL64], syscall_table32[NSYSCALL32];
extern uint64_t syscall_full64[(NSYSCALL64 + 63) / 64];
extern uint64_t syscall_full32[(NSYSCALL32 + 63) / 64];

/* After a full-frame call (syscall.S): the return-to-user work, if any. */
void syscall_finish(struct trapframe *tf);
/* int 0x80 through trap_dispatch (the full frame: fork, a bad number). */
void syscall_int80(struct trapframe *tf);
void syscall_init(void);
#endif

#endif
