/*
 * trapframe.h: the register frame every interrupt, exception and syscall
 * entry saves on the kernel stack, lowest address first.  Offsets are
 * checked so vectors.S (which pushes it) and C agree.
 */
#ifndef ARCH_TRAPFRAME_H
#define ARCH_TRAPFRAME_H

#define TF_VECTOR	120	/* offsetof(struct trapframe, tf_vector) */
#define TF_CS		144	/* offsetof(struct trapframe, tf_cs) */
#define TF_SIZE		176

#ifndef __ASSEMBLER__
#include <stdint.h>

struct trapframe {
	/* Pushed by trap_common, in reverse order. */
	uint64_t tf_r15, tf_r14, tf_r13, tf_r12, tf_r11, tf_r10, tf_r9, tf_r8;
	uint64_t tf_rbp, tf_rdi, tf_rsi, tf_rdx, tf_rcx, tf_rbx, tf_rax;
	/* Pushed by the vector's stub. */
	uint64_t tf_vector;
	uint64_t tf_err;	/* the CPU's error code, or 0 */
	/* Pushed by the CPU. */
	uint64_t tf_rip, tf_cs, tf_rflags, tf_rsp, tf_ss;
};

_Static_assert(__builtin_offsetof(struct trapframe, tf_vector) == TF_VECTOR, "TF_VECTOR");
_Static_assert(__builtin_offsetof(struct trapframe, tf_cs) == TF_CS, "TF_CS");
_Static_assert(sizeof(struct trapframe) == TF_SIZE, "TF_SIZE");
#endif
#endif /* ARCH_TRAPFRAME_H */
