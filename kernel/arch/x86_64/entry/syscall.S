/*
 * syscall.S: the system-call entry points and the return to ring 3.
 *
 *	syscall_entry: the target of MSR_LSTAR.
 * On entry (SDM Vol. 2B, SYSCALL): ring 0, rcx = user rip, r11 = user
 * rflags, rsp still the user's (never trusted, never touched), IF, TF,
 * DF, AC and NT cleared by MSR_FMASK, GS still the user's.  We switch to the
 * thread's kernel stack and build a struct trapframe (trapframe.h, vector
 * T_SYSCALL_FAST, tf_err the call's number) and call the table's function
 *	long fn(rdi, rsi, rdx, r10, r8, r9);
 * directly.  The frame is partial (PUSH_ARGS only) unless the call needs
 * the whole user context (syscall_full64: fork, execve, rt_sigreturn,
 * rt_sigsuspend) or rflags has TF or RF; the callee-saved registers stay
 * live in the registers, C preserving them.  When the return finds work
 * to do (a signal to deliver, a switch due) the frame is completed first:
 * the user context must be whole wherever it may be copied or replaced.
 * A partial frame leaves the user's rbp live, so a backtrace through a
 * fast call ends at it (ksyms.c stops at any address below the kernel).
 * The fast paths (64-bit and int $0x80) take no kernel lock: once several
 * CPUs run, smp_init sets every bit of syscall_full64/32 but the nolock
 * calls' (syscall_64.tbl), so every other call goes the full way, which
 * locks (KLOCK_ENTER/EXIT); one CPU pays nothing.  The return work of a
 * fast call (a signal, a switch) takes the lock first.
 *
 *	int80_entry: the int $0x80 gate (i386 numbers and arguments, Linux's
 * compat convention).  The same design: a partial frame, after the check
 * trap_dispatch makes of every trap from ring 3 (the frame sits at the top
 * of the running thread's kernel stack), the table's function, IRETQ.
 * Anything unusual (a trap from ring 0, a misplaced frame, fork, a bad
 * number) takes the generic path: trap_common and trap_dispatch.
 *
 *	user_return: back to ring 3 from a full trapframe at rsp.  SYSRETQ
 * when the frame allows it, as Linux does: SYSRET loads rip from rcx and
 * rflags from r11, so only when the frame's rcx and r11 already hold
 * exactly those (a system call's own frame; never one that rt_sigreturn,
 * a signal delivery or exec rewrote: they return every register as the
 * frame has it), rip canonical and in the user half (a non-canonical rcx
 * would make SYSRET fault in ring 0 on the user's stack), the user code
 * and stack selectors, no TF/RF; otherwise IRETQ.  Interrupts stay off
 * from here on.  The fast SYSCALL return needs no such checks: the frame
 * it returns from is the one SYSCALL made, rcx below USER_TOP (an
 * instruction ends at most at USER_TOP, which is canonical).
 */
#include <generated/asm-offsets.h>
#include <arch/segments.h>
#include <arch/regs.h>
#include <arch/traps.h>
#include <keel/syscall.h>
#include <uapi/errno.h>
#include <shared/layout.h>
#include <lib/cpureg.h>

#define RFLAGS_TF_RF	(RFLAGS_TF | RFLAGS_RF)

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
	pushq	%rax			/* tf_err: the number */
	pushq	$T_SYSCALL_FAST
	PUSH_ARGS
	subq	$TF_R10, %rsp		/* rcx, r11, callee-saved: not yet */
	testl	$RFLAGS_TF_RF, %r11d
	jnz	syscall_full
	cmpq	$NSYSCALL64, %rax
	jae	syscall_enosys
	btq	%rax, syscall_full64(%rip)
	jc	syscall_full
	movq	%gs:PC_THREAD, %r11
	movq	%rax, T_SYSCALL_NR(%r11)
	movq	%r10, %rcx
	sti
	call	*syscall_table64(, %rax, 8)
syscall_exit:
	cli
	movq	%gs:PC_THREAD, %rcx
	movq	T_SIGMASK(%rcx), %rdx
	notq	%rdx
	testq	T_SIGPENDING(%rcx), %rdx
	jnz	syscall_work
	cmpl	$0, %gs:PC_NEED_RESCHED
	jnz	syscall_work
	movq	$-1, T_SYSCALL_NR(%rcx)
	movq	TF_R10(%rsp), %r10
	movq	TF_R9(%rsp), %r9
	movq	TF_R8(%rsp), %r8
	movq	TF_RDI(%rsp), %rdi
	movq	TF_RSI(%rsp), %rsi
	movq	TF_RDX(%rsp), %rdx
	movq	TF_RIP(%rsp), %rcx
	movq	TF_RFLAGS(%rsp), %r11
	movq	TF_RSP(%rsp), %rsp
	swapgs
	sysretq

syscall_enosys:
	cmpl	$0, smp_live(%rip)
	jne	syscall_full		/* several CPUs: only that path locks */
	movq	%gs:PC_THREAD, %r11
	movq	%rax, T_SYSCALL_NR(%r11)
	movq	$-ENOSYS, %rax
	sti
	jmp	syscall_exit

	/* Work before returning: complete the frame, then the C side. */
syscall_work:
	movq	%rax, TF_RAX(%rsp)
	SAVE_CALLEE
	movq	TF_RIP(%rsp), %rcx	/* what SYSCALL left in rcx and r11 */
	movq	%rcx, TF_RCX(%rsp)
	movq	TF_RFLAGS(%rsp), %r11
	movq	%r11, TF_R11(%rsp)
	xorl	%ebp, %ebp		/* backtraces end here */
	KLOCK_ENTER			/* user_return drops it */
	movq	%rsp, %rdi
	call	proc_user_return_work
	jmp	user_return

	/* A call that needs the whole user context (or TF/RF set). */
syscall_full:
	SAVE_CALLEE
	movq	%rcx, TF_RCX(%rsp)
	movq	%r11, TF_R11(%rsp)
	xorl	%ebp, %ebp
	movq	%gs:PC_THREAD, %r11
	movq	%rax, T_SYSCALL_NR(%r11)
	cmpq	$NSYSCALL64, %rax
	jae	1f
	movq	%r10, %rcx
	sti
	KLOCK_ENTER
	call	*syscall_table64(, %rax, 8)
	jmp	2f
1:	sti
	KLOCK_ENTER
	movq	$-ENOSYS, %rax
2:	movq	%rax, TF_RAX(%rsp)
	movq	%rsp, %rdi
	call	syscall_finish
	/* fall through */

	.globl	user_return
user_return:
	cli
	movq	TF_RIP(%rsp), %rcx
	cmpq	%rcx, TF_RCX(%rsp)
	jne	iret_path
	movq	TF_RFLAGS(%rsp), %r11
	cmpq	%r11, TF_R11(%rsp)
	jne	iret_path
	movq	$USER_TOP, %r11
	cmpq	%r11, %rcx
	jae	iret_path
	cmpq	$SEL_UCODE, TF_CS(%rsp)
	jne	iret_path
	cmpq	$SEL_UDATA, TF_SS(%rsp)
	jne	iret_path
	testq	$RFLAGS_TF_RF, TF_RFLAGS(%rsp)
	jnz	iret_path
	KLOCK_EXIT
	POP_REGS			/* rcx and r11 are SYSRET's rip and rflags */
	movq	TF_RSP - TF_VECTOR(%rsp), %rsp
	swapgs
	sysretq

iret_path:
	jmp	trap_return

	.globl	int80_entry
int80_entry:
	pushq	%rax			/* tf_err: the number */
	pushq	$T_SYSCALL
	testb	$3, TF_CS - TF_VECTOR(%rsp)
	jz	trap_common		/* from ring 0: a bug, reported there */
	cld				/* the user's DF must not reach rep movs */
	CLAC_USER
	swapgs
	PUSH_ARGS
	pushq	%rcx			/* the i386 convention keeps these */
	pushq	%r11
	subq	$TF_R11, %rsp		/* callee-saved: not yet */
	leaq	TF_SIZE(%rsp), %r11
	cmpq	%gs:PC_KSTACK_TOP, %r11
	jne	int80_full		/* trap_dispatch panics about it */
	movl	%eax, %eax
	cmpq	$NSYSCALL32, %rax
	jae	int80_full
	btq	%rax, syscall_full32(%rip)
	jc	int80_full
	movq	%gs:PC_THREAD, %r11
	movq	%rax, T_SYSCALL_NR(%r11)
	/* (ebx, ecx, edx, esi, edi, ebp) zero-extended to the C arguments. */
	movl	%edi, %r8d
	movl	%ebp, %r9d
	movl	%esi, %r10d
	movl	%ecx, %esi
	movl	%r10d, %ecx
	movl	%ebx, %edi
	movl	%edx, %edx
	sti
	call	*syscall_table32(, %rax, 8)
	cli
	movq	%gs:PC_THREAD, %rcx
	movq	T_SIGMASK(%rcx), %rdx
	notq	%rdx
	testq	T_SIGPENDING(%rcx), %rdx
	jnz	int80_work
	cmpl	$0, %gs:PC_NEED_RESCHED
	jnz	int80_work
	movq	$-1, T_SYSCALL_NR(%rcx)
	addq	$TF_R11, %rsp
	popq	%r11
	popq	%rcx
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rdx
	addq	$8, %rsp		/* tf_rax: the result is in rax */
	swapgs
	addq	$16, %rsp		/* vector and error code */
	iretq

int80_work:
	movq	%rax, TF_RAX(%rsp)
	SAVE_CALLEE
	xorl	%ebp, %ebp
	KLOCK_ENTER			/* trap_return drops it */
	movq	%rsp, %rdi
	call	proc_user_return_work
	jmp	trap_return

int80_full:
	SAVE_CALLEE
	xorl	%ebp, %ebp
	movq	%rsp, %rdi
	call	trap_dispatch
	jmp	trap_return

/*
 * The kernel lock for the entry paths (regs.h KLOCK_ENTER/EXIT): C's
 * klock_enter_smp/klock_exit_smp with every caller-saved register kept.  Called
 * with the stack as at a C call (16-byte aligned before the call).
 */
	.globl	klock_enter_regs
klock_enter_regs:
	CALL_KEEPING_REGS klock_enter_smp
	ret

	.globl	klock_exit_regs
klock_exit_regs:
	CALL_KEEPING_REGS klock_exit_smp
	ret
