/*
 * vectors.S: the 256 interrupt and exception entry stubs and their common
 * path.  Each stub is 16 bytes at trap_stubs + 16 * vector; it pushes a zero
 * where the CPU pushes no error code, then the vector number, and jumps to
 * trap_common, which completes a struct trapframe (trapframe.h) and calls
 *
 *	int trap_dispatch(struct trapframe *tf);
 *
 * NMI and #MC jump to paranoid_entry instead, and the IPIs that take no
 * kernel lock to ipi_entry, so the common path tests no vector.
 *
 * On entry to a stub: the CPU has switched to RSP0 (from ring 3) or an IST
 * stack, or stays on the current kernel stack, and pushed SS, RSP, RFLAGS,
 * CS, RIP (and an error code for the vectors in HAS_ERR).  Interrupt gates:
 * IF is clear.
 */
#include <generated/asm-offsets.h>
#include <arch/regs.h>
#include <arch/traps.h>
#include <lib/cpureg.h>

/* Vectors for which the CPU pushes an error code: #DF #TS #NP #SS #GP #PF #AC #CP #VC #SX. */
#define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
		    (v) == 21 || (v) == 29 || (v) == 30)

	.text
	.balign	16
	.globl	trap_stubs
trap_stubs:
	.set	vec, 0
	.rept	256
	.balign	16
	.if	!HAS_ERR(vec)
	pushq	$0
	.endif
	pushq	$vec
	.if	vec == T_NMI || vec == T_MC
	jmp	paranoid_entry
	.elseif	vec == V_IPI_TLB || vec == V_IPI_STOP || vec == V_IPI_KICK
	jmp	ipi_entry
	.else
	jmp	trap_common
	.endif
	.set	vec, vec + 1
	.endr
	.balign	16
	.globl	trap_stubs_end
trap_stubs_end:				/* idt_init checks the 16-byte spacing */

	.globl	trap_common		/* also int80_entry's slow path */
trap_common:
	cld
	CLAC_USER
	/* Coming from ring 3: the user's GS base must not stay live in the kernel. */
	testb	$3, TF_CS - TF_VECTOR(%rsp)
	jz	1f
	swapgs
1:
	PUSH_REGS
	mov	%rsp, %rdi
	call	trap_dispatch
	testl	%eax, %eax		/* 0: from ring 3, without the kernel lock */
	jz	trap_return_nolock
	.globl	trap_return
trap_return:
	testb	$3, TF_CS(%rsp)
	jz	trap_return_nolock
	KLOCK_EXIT			/* interrupts are off from here to ring 3 */
	.globl	trap_return_nolock	/* also a new thread's first return (thread.c) */
trap_return_nolock:
	POP_REGS
	testb	$3, TF_CS - TF_VECTOR(%rsp)
	jz	2f
	swapgs
2:	add	$16, %rsp		/* vector and error code */
	iretq

/* The TLB, stop and kick IPIs run without the kernel lock (smp.h). */
ipi_entry:
	cld
	CLAC_USER
	testb	$3, TF_CS - TF_VECTOR(%rsp)
	jz	1f
	swapgs
1:	PUSH_REGS
	mov	%rsp, %rdi
	call	trap_ipi
	jmp	trap_return_nolock

/*
 * NMI and #MC (Linux's paranoid entry; their stubs come straight here,
 * since they may arrive anywhere, even between SWAPGS and its reason;
 * CLAC_USER and the direction flag as trap_common's): the mode says nothing about GS
 * (an NMI can land on SYSCALL's first instruction, before its SWAPGS),
 * so the GS base itself is read: a kernel one is negative.  No kernel
 * lock: they interrupt whatever holds it.
 */
paranoid_entry:
	cld
	CLAC_USER
	PUSH_REGS
	movl	$MSR_GS_BASE, %ecx
	rdmsr
	xorl	%ebx, %ebx		/* callee-saved: survives the call */
	testl	%edx, %edx
	js	1f
	swapgs
	movl	$1, %ebx
1:	mov	%rsp, %rdi
	call	trap_paranoid
	testl	%ebx, %ebx
	jz	2f
	swapgs
2:	POP_REGS
	add	$16, %rsp
	iretq
