/*
 * trapframe.h: the register frame every interrupt, exception and syscall
 * entry saves on the kernel stack, lowest address first.  Offsets are
 * checked so the entry stubs (vectors.S, syscall.S) and C agree.
 *
 * The registers are ordered so that the fast system-call paths (syscall.S)
 * can save a partial frame with pushes and one subtraction: what they always
 * save (the argument and caller-saved registers and rax) sits above what
 * only a full frame holds (rcx and r11, which SYSCALL overwrites with rip
 * and rflags, and the callee-saved registers, which C code preserves
 * anyway).  Interrupts, exceptions and the few system calls that read or
 * replace the whole user context save everything.
 */
#ifndef ARCH_TRAPFRAME_H
#define ARCH_TRAPFRAME_H

#include <stdint.h>

struct trapframe {
	/* Full frames only: saved by PUSH_REST (regs.h) or the slow paths. */
	uint64_t tf_r15, tf_r14, tf_r13, tf_r12, tf_rbp, tf_rbx, tf_r11, tf_rcx;
	/* Every entry: PUSH_ARGS. */
	uint64_t tf_r10, tf_r9, tf_r8, tf_rdi, tf_rsi, tf_rdx, tf_rax;
	/* Pushed by the vector's stub. */
	uint64_t tf_vector;
	uint64_t tf_err;	/* the CPU's error code, 0, or a system call's number */
	/* Pushed by the CPU. */
	uint64_t tf_rip, tf_cs, tf_rflags, tf_rsp, tf_ss;
};

#endif /* ARCH_TRAPFRAME_H */
