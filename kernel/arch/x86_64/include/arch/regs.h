/*
 * regs.h: assembler macros that push and pop the general registers of a
 * struct trapframe (trapframe.h), in its order, so the interrupt and the
 * syscall entry paths cannot disagree.  For .S files only.
 *
 * PUSH_ARGS saves what every entry saves (tf_rax down to tf_r10);
 * PUSH_REST then completes a full frame (tf_rcx down to tf_r15).
 * SAVE_CALLEE stores the callee-saved registers into a frame whose slots
 * were reserved: a fast system-call path that turns out to need the full
 * frame (their user values are still live there, C having preserved them).
 */
#ifndef ARCH_REGS_H
#define ARCH_REGS_H
#ifdef __ASSEMBLER__
#include <generated/asm-offsets.h>

/*
 * EFLAGS.AC as the user left it (popf) survives an interrupt or trap gate
 * (SYSCALL clears it through MSR_FMASK): set in ring 0 with SMAP on, it
 * would let the kernel touch user pages unchecked.  clac is #UD without
 * SMAP, and AC means nothing in ring 0 then.
 */
.macro CLAC_USER
	cmpl	$0, cpu_features+CF_SMAP(%rip)
	je	.Lno_smap\@
	clac
.Lno_smap\@:
.endm

/*
 * The kernel lock (spinlock.h) on the entry paths: taken after entry from
 * ring 3, dropped just before the return to it.  One compare when the
 * machine has one CPU; every register kept.
 */
.macro KLOCK_ENTER
	cmpl	$0, smp_live(%rip)
	je	.Lklock_in\@
	call	klock_enter_regs
.Lklock_in\@:
.endm

.macro KLOCK_EXIT
	cmpl	$0, smp_live(%rip)
	je	.Lklock_out\@
	call	klock_exit_regs
.Lklock_out\@:
.endm

/* Call fn keeping every caller-saved register (the stack as after a C call). */
.macro CALL_KEEPING_REGS fn
	pushq	%rcx
	pushq	%r11
	PUSH_ARGS
	call	\fn
	POP_ARGS
	popq	%r11
	popq	%rcx
.endm

.macro PUSH_ARGS
	pushq	%rax
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
.endm

.macro POP_ARGS
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rax
.endm

.macro PUSH_REST
	pushq	%rcx
	pushq	%r11
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
.endm

.macro PUSH_REGS
	PUSH_ARGS
	PUSH_REST
.endm

.macro POP_REGS
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	popq	%r11
	popq	%rcx
	POP_ARGS
.endm

.macro SAVE_CALLEE
	movq	%rbx, TF_RBX(%rsp)
	movq	%rbp, TF_RBP(%rsp)
	movq	%r12, TF_R12(%rsp)
	movq	%r13, TF_R13(%rsp)
	movq	%r14, TF_R14(%rsp)
	movq	%r15, TF_R15(%rsp)
.endm

#endif
#endif
