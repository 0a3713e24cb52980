/*
 * syscall.h: system call dispatch (syscall.c) for both entries: SYSCALL
 * (the x86-64 table) and int 0x80 (the i386 table, as Linux gives 64-bit
 * processes: 32-bit arguments in ebx, ecx, edx, esi, edi, ebp).
 */
#ifndef SYSCALL_H
#define SYSCALL_H

#include "arch/x86_64/trapframe.h"

#define T_SYSCALL_FAST	0x100	/* tf_vector of a SYSCALL entry (syscall.S) */

void syscall_dispatch(struct trapframe *tf);
void syscall_int80(struct trapframe *tf);
void syscall_init(void);

#endif
