/*
 * regsig.S: the whole user context, loaded, put through an event and
 * compared with what it must be afterwards (t_regs.c).
 *
 * long regs_run(long mode);
 *
 * On entry (System V): rdi the mode.  Loads regs_load (struct uregs in
 * t_regs.c: rax..r15 but rsp, rflags, then ymm0-15 -- or only their xmm
 * halves when regs_avx is 0) into the registers, then by mode:
 *	REGS_SPIN (0)		256 nops, for signals that interrupt ring 3
 *	REGS_INT80 (1)		int $0x80 with the loaded rax, rbx, rcx, ...
 *	REGS_SYSCALL (2)	syscall with the loaded rax, rdi, rsi, ...
 *				(regs_after_syscall is the address after it)
 * and stores every register into regs_got, which must equal regs_want
 * byte for byte.  Goes round again while *regs_count < regs_until (a
 * signal handler counts).  Returns 0, or 1 + the byte offset in struct
 * uregs of the first difference.  Preserves the callee-saved registers
 * and rsp, and returns with DF and AC clear.
 */
#define U_RFLAGS	120
#define U_VEC		128
#define U_SIZE		640

	.text
	.globl	regs_run, regs_after_syscall
	.type	regs_run, @function
regs_run:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rdi, regs_mode(%rip)

1:	/* Load: the vectors, rflags, then the general registers (mov keeps flags). */
	cmpq	$0, regs_avx(%rip)
	je	2f
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	vmovdqu	regs_load+U_VEC+32*\n(%rip), %ymm\n
	.endr
	jmp	3f
2:	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	movdqu	regs_load+U_VEC+32*\n(%rip), %xmm\n
	.endr
3:	cmpq	$1, regs_mode(%rip)
	je	.Lint80
	jg	.Lsyscall

	pushq	regs_load+U_RFLAGS(%rip)
	popfq
	call	load_gprs
	.rept	256
	nop
	.endr
	jmp	.Lstore

.Lint80:
	pushq	regs_load+U_RFLAGS(%rip)
	popfq
	call	load_gprs
	int	$0x80
	jmp	.Lstore

.Lsyscall:
	pushq	regs_load+U_RFLAGS(%rip)
	popfq
	call	load_gprs
	syscall
regs_after_syscall:

.Lstore:
	/* mov to memory changes no flag: rflags are still the event's. */
	mov	%rax, regs_got+0(%rip)
	mov	%rbx, regs_got+8(%rip)
	mov	%rcx, regs_got+16(%rip)
	mov	%rdx, regs_got+24(%rip)
	mov	%rsi, regs_got+32(%rip)
	mov	%rdi, regs_got+40(%rip)
	mov	%rbp, regs_got+48(%rip)
	mov	%r8, regs_got+56(%rip)
	mov	%r9, regs_got+64(%rip)
	mov	%r10, regs_got+72(%rip)
	mov	%r11, regs_got+80(%rip)
	mov	%r12, regs_got+88(%rip)
	mov	%r13, regs_got+96(%rip)
	mov	%r14, regs_got+104(%rip)
	mov	%r15, regs_got+112(%rip)
	pushfq
	popq	regs_got+U_RFLAGS(%rip)
	cmpq	$0, regs_avx(%rip)
	je	4f
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	vmovdqu	%ymm\n, regs_got+U_VEC+32*\n(%rip)
	.endr
	jmp	5f
4:	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	movdqu	%xmm\n, regs_got+U_VEC+32*\n(%rip)
	.endr
5:	pushq	$2			/* DF and AC off, for cmpsb and C */
	popfq
	lea	regs_got(%rip), %rsi
	lea	regs_want(%rip), %rdi
	mov	$U_SIZE, %ecx
	repe cmpsb
	jne	6f
	mov	regs_count(%rip), %rax
	cmp	regs_until(%rip), %rax
	jl	1b
	xor	%eax, %eax
	jmp	7f
6:	mov	$U_SIZE, %eax		/* 1 + offset = U_SIZE - rcx */
	sub	%rcx, %rax
7:	cmpq	$0, regs_avx(%rip)
	je	8f
	vzeroupper
8:	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret
	.size	regs_run, .-regs_run

/* Every general register but rsp from regs_load; flags untouched. */
load_gprs:
	mov	regs_load+8(%rip), %rbx
	mov	regs_load+16(%rip), %rcx
	mov	regs_load+24(%rip), %rdx
	mov	regs_load+32(%rip), %rsi
	mov	regs_load+40(%rip), %rdi
	mov	regs_load+48(%rip), %rbp
	mov	regs_load+56(%rip), %r8
	mov	regs_load+64(%rip), %r9
	mov	regs_load+72(%rip), %r10
	mov	regs_load+80(%rip), %r11
	mov	regs_load+88(%rip), %r12
	mov	regs_load+96(%rip), %r13
	mov	regs_load+104(%rip), %r14
	mov	regs_load+112(%rip), %r15
	mov	regs_load+0(%rip), %rax
	ret

/*
 * void regs_trash(void): what a signal handler may do to the registers
 * the interrupted code holds: every caller-saved general register and
 * every vector register (ymm where regs_avx) made garbage.
 */
	.globl	regs_trash
	.type	regs_trash, @function
regs_trash:
	mov	$0x5a5a5a5a5a5a5a5a, %rax
	mov	%rax, %rcx
	mov	%rax, %rdx
	mov	%rax, %rsi
	mov	%rax, %rdi
	mov	%rax, %r8
	mov	%rax, %r9
	mov	%rax, %r10
	mov	%rax, %r11
	movq	%rax, %xmm0
	.irp	n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	movdqa	%xmm0, %xmm\n
	.endr
	cmpq	$0, regs_avx(%rip)
	je	1f
	vpcmpeqd %ymm0, %ymm0, %ymm0
	.irp	n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	vmovdqa	%ymm0, %ymm\n
	.endr
	vzeroupper
	vpcmpeqd %ymm0, %ymm0, %ymm0	/* leave one upper half in use */
1:	ret
	.size	regs_trash, .-regs_trash

	.data
	.balign	64
	.globl	regs_load, regs_want, regs_got, regs_avx, regs_count, regs_until
regs_load:	.skip	U_SIZE
regs_want:	.skip	U_SIZE
regs_got:	.skip	U_SIZE
regs_avx:	.quad	0
regs_count:	.quad	0
regs_until:	.quad	0
regs_mode:	.quad	0

	.section .note.GNU-stack, "", @progbits
