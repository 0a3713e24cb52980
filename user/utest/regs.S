/*
 * regs.S: a register-preservation probe for utest (only assembly can
 * fill every register and look at them again).
 *
 * long regs_check(long seed, long loops, long nr);
 *
 * On entry (System V): rdi seed, rsi loops (> 0), rdx nr.  Fills rbx,
 * rbp, rsi, rdi, rdx, r8-r10, r12-r15 and both halves of xmm0-xmm15 with
 * seed + i, spins `loops` times (making system call nr on each turn when
 * nr >= 0: Linux's syscall instruction changes only rax, rcx and r11),
 * then checks every one.  Returns 0, or the 1-based number of the first
 * register found changed, in the order above (xmm0 is 13).  Preserves the
 * callee-saved registers as the ABI requires.
 */
	.text
	.globl	regs_check
	.type	regs_check, @function
regs_check:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	sub	$24, %rsp
	mov	%rdi, 0(%rsp)		/* seed */
	mov	%rsi, 8(%rsp)		/* loops left */
	mov	%rdx, 16(%rsp)		/* nr */

	.macro	fill reg, i
	mov	0(%rsp), \reg
	add	$\i, \reg
	.endm
	.macro	fillx n, i
	mov	0(%rsp), %rax
	add	$\i, %rax
	movq	%rax, %xmm\n
	punpcklqdq %xmm\n, %xmm\n
	.endm
	fill	%rbx, 1
	fill	%rbp, 2
	fill	%rsi, 3
	fill	%rdi, 4
	fill	%rdx, 5
	fill	%r8, 6
	fill	%r9, 7
	fill	%r10, 8
	fill	%r12, 9
	fill	%r13, 10
	fill	%r14, 11
	fill	%r15, 12
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	fillx	\n, 13+\n
	.endr

1:	cmpq	$0, 16(%rsp)
	jl	2f
	mov	16(%rsp), %rax
	syscall
2:	decq	8(%rsp)
	jnz	1b

	.macro	check reg, i
	mov	0(%rsp), %rax
	add	$\i, %rax
	cmp	%rax, \reg
	mov	$\i, %eax
	jne	9f
	.endm
	/* Both 64-bit halves of xmm\n must be seed + i. */
	.macro	checkx n, i
	mov	0(%rsp), %rcx
	add	$\i, %rcx
	mov	$\i, %eax
	movq	%xmm\n, %r11
	cmp	%rcx, %r11
	jne	9f
	pshufd	$0x4e, %xmm\n, %xmm\n
	movq	%xmm\n, %r11
	cmp	%rcx, %r11
	jne	9f
	.endm
	check	%rbx, 1
	check	%rbp, 2
	check	%rsi, 3
	check	%rdi, 4
	check	%rdx, 5
	check	%r8, 6
	check	%r9, 7
	check	%r10, 8
	check	%r12, 9
	check	%r13, 10
	check	%r14, 11
	check	%r15, 12
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	checkx	\n, 13+\n
	.endr
	xor	%eax, %eax
9:	add	$24, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret
	.size	regs_check, .-regs_check

	.section .note.GNU-stack, "", @progbits
