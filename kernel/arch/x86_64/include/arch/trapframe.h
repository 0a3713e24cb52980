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

/* offsetof(struct trapframe, tf_...) */
#define TF_R15		0
#define TF_R14		8
#define TF_R13		16
#define TF_R12		24
#define TF_RBP		32
#define TF_RBX		40
#define TF_R11		48
#define TF_RCX		56
#define TF_R10		64	/* the first register every entry saves */
#define TF_R9		72
#define TF_R8		80
#define TF_RDI		88
#define TF_RSI		96
#define TF_RDX		104
#define TF_RAX		112
#define TF_VECTOR	120
#define TF_ERR		128
#define TF_RIP		136
#define TF_CS		144
#define TF_RFLAGS	152
#define TF_RSP		160
#define TF_SS		168
#define TF_SIZE		176

#ifndef __ASSEMBLER__
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

#define TF_CHECK(f, off) \
	_Static_assert(__builtin_offsetof(struct trapframe, f) == off, #off)
TF_CHECK(tf_r15, TF_R15);
TF_CHECK(tf_r14, TF_R14);
TF_CHECK(tf_r13, TF_R13);
TF_CHECK(tf_r12, TF_R12);
TF_CHECK(tf_rbp, TF_RBP);
TF_CHECK(tf_rbx, TF_RBX);
TF_CHECK(tf_r11, TF_R11);
TF_CHECK(tf_rcx, TF_RCX);
TF_CHECK(tf_r10, TF_R10);
TF_CHECK(tf_r9, TF_R9);
TF_CHECK(tf_r8, TF_R8);
TF_CHECK(tf_rdi, TF_RDI);
TF_CHECK(tf_rsi, TF_RSI);
TF_CHECK(tf_rdx, TF_RDX);
TF_CHECK(tf_rax, TF_RAX);
TF_CHECK(tf_vector, TF_VECTOR);
TF_CHECK(tf_err, TF_ERR);
TF_CHECK(tf_rip, TF_RIP);
TF_CHECK(tf_cs, TF_CS);
TF_CHECK(tf_rflags, TF_RFLAGS);
TF_CHECK(tf_rsp, TF_RSP);
TF_CHECK(tf_ss, TF_SS);
#undef TF_CHECK
_Static_assert(sizeof(struct trapframe) == TF_SIZE, "TF_SIZE");
#endif
#endif /* ARCH_TRAPFRAME_H */
