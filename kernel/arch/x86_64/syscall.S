/*
 * syscall.S: the SYSCALL entry point and the return to ring 3.
 *
 *	syscall_entry: the target of MSR_LSTAR.
 * On entry (SDM Vol. 2B, SYSCALL): ring 0, rcx = user rip, r11 = user
 * rflags, rsp still the user's (never trusted, never touched), IF, TF,
 * DF, AC and NT cleared by MSR_FMASK, GS still the user's.  We switch to the
 * thread's kernel stack and build the same struct trapframe an interrupt
 * builds (vector T_SYSCALL_FAST), so fork, exec and signals see one layout,
 * then call
 *	void syscall_dispatch(struct trapframe *tf);
 *
 *	user_return: back to ring 3 from a trapframe at rsp (also the path of
 * a new process's first entry).  SYSRETQ when the frame allows it, as Linux
 * does: rip canonical and in the user half (a non-canonical rcx would make
 * SYSRET fault in ring 0 on the user's stack), the user code and stack
 * selectors, no TF/RF; otherwise IRETQ.  Interrupts stay off from here on.
 */
#include "percpu.h"
#include "segments.h"
#include "regs.h"
#include "trapframe.h"
#include "../../../shared/layout.h"

#define T_SYSCALL_FAST	0x100	/* a vector number no interrupt has */
#define TF_RIP		(TF_CS - 8)
#define TF_RFLAGS	(TF_CS + 8)
#define TF_RSP		(TF_CS + 16)
#define TF_SS		(TF_CS + 24)
#define RFLAGS_TF_RF	0x10100

	.text
	.globl	syscall_entry
syscall_entry:
	swapgs
	movq	%rsp, %gs:PC_USER_RSP
	movq	%gs:PC_KSTACK_TOP, %rsp
	pushq	$SEL_UDATA		/* ss */
	pushq	%gs:PC_USER_RSP		/* rsp */
	pushq	%r11			/* rflags */
	pushq	$SEL_UCODE		/* cs */
	pushq	%rcx			/* rip */
	pushq	$0			/* error code */
	pushq	$T_SYSCALL_FAST
	PUSH_REGS
	xorl	%ebp, %ebp		/* backtraces end here */
	movq	%rsp, %rdi
	sti
	call	syscall_dispatch
	/* fall through */

	.globl	user_return
user_return:
	cli
	movq	TF_RIP(%rsp), %rcx
	movq	$USER_TOP, %r11
	cmpq	%r11, %rcx
	jae	iret_path
	cmpq	$SEL_UCODE, TF_CS(%rsp)
	jne	iret_path
	cmpq	$SEL_UDATA, TF_SS(%rsp)
	jne	iret_path
	testq	$RFLAGS_TF_RF, TF_RFLAGS(%rsp)
	jnz	iret_path
	POP_REGS
	movq	TF_RIP - TF_VECTOR(%rsp), %rcx
	movq	TF_RFLAGS - TF_VECTOR(%rsp), %r11
	movq	TF_RSP - TF_VECTOR(%rsp), %rsp
	swapgs
	sysretq

iret_path:
	jmp	trap_return
