/*
 * regcheck.S: what a new program finds in the registers at its first
 * instruction (Linux's check_initial_reg_state: every general register
 * but rsp is 0).  No libc: nothing runs before _start's checks.
 *
 * void _start(void)
 * On entry: the initial process stack at rsp; everything else is checked:
 * rax..r15 but rsp 0, rflags 0x202 (IF), the x87 control word 0x37f and
 * status word 0, MXCSR 0x1f80, xmm0-15 zero, and when the OS has enabled
 * AVX the upper halves of ymm0-15 zero; then (arch_prctl) the FS and GS
 * bases 0.  Prints "regcheck: 1 passed, 0 failed" and exits 0, or prints
 * what was wrong and exits with its number: 1-15 rax, rbx, rcx, rdx, rsi,
 * rdi, rbp, r8-r15; 16 rflags; 17 FCW; 18 FSW; 19 MXCSR; 20+n xmm n;
 * 40+n the upper half of ymm n; 60 FS base; 61 GS base.
 * Run by utest after execve through syscall and int $0x80, and as init.
 */
#define SYS_WRITE	1
#define SYS_ARCH_PRCTL	158
#define SYS_EXIT_GROUP	231
#define ARCH_GET_FS	0x1003
#define ARCH_GET_GS	0x1004

	.text
	.globl	_start
_start:
	pushfq				/* first: every check below sets flags */
	.irp	r, rax,rbx,rcx,rdx,rsi,rdi,rbp,r8,r9,r10,r11,r12,r13,r14,r15
	test	%\r, %\r
	jnz	bad_\r
	.endr
	popq	%rax
	cmp	$0x202, %rax
	mov	$16, %edi
	jne	fail

	sub	$16, %rsp
	fnstcw	(%rsp)
	movzwl	(%rsp), %eax
	cmp	$0x37f, %eax
	mov	$17, %edi
	jne	fail
	fnstsw	%ax
	test	%ax, %ax
	mov	$18, %edi
	jnz	fail
	stmxcsr	(%rsp)
	cmpl	$0x1f80, (%rsp)
	mov	$19, %edi
	jne	fail

	/* Both halves of each xmm. */
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	mov	$20+\n, %edi
	movdqu	%xmm\n, (%rsp)
	cmpq	$0, (%rsp)
	jne	fail
	cmpq	$0, 8(%rsp)
	jne	fail
	.endr

	/* AVX in use only where CPUID says OSXSAVE and AVX and XCR0 has YMM. */
	mov	$1, %eax
	cpuid
	and	$0x18000000, %ecx	/* OSXSAVE (27), AVX (28) */
	cmp	$0x18000000, %ecx
	jne	2f
	xor	%ecx, %ecx
	xgetbv
	and	$6, %eax
	cmp	$6, %eax
	jne	2f
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	mov	$40+\n, %edi
	vextractf128 $1, %ymm\n, %xmm15
	movdqu	%xmm15, (%rsp)
	cmpq	$0, (%rsp)
	jne	fail
	cmpq	$0, 8(%rsp)
	jne	fail
	.endr

2:	mov	$SYS_ARCH_PRCTL, %eax
	mov	$ARCH_GET_FS, %edi
	mov	%rsp, %rsi
	movq	$-1, (%rsp)
	syscall
	mov	$60, %edi
	cmpq	$0, (%rsp)
	jne	fail
	mov	$SYS_ARCH_PRCTL, %eax
	mov	$ARCH_GET_GS, %edi
	mov	%rsp, %rsi
	movq	$-1, (%rsp)
	syscall
	mov	$61, %edi
	cmpq	$0, (%rsp)
	jne	fail

	mov	$SYS_WRITE, %eax
	mov	$1, %edi
	lea	okmsg(%rip), %rsi
	mov	$oklen, %edx
	syscall
	xor	%edi, %edi
	jmp	exit

	/* The general registers' failures: their number in edi. */
	.set	nreg, 1
	.irp	r, rax,rbx,rcx,rdx,rsi,rdi,rbp,r8,r9,r10,r11,r12,r13,r14,r15
bad_\r:
	mov	$nreg, %edi
	jmp	fail
	.set	nreg, nreg + 1
	.endr

/* Print "regcheck: register check N failed" (N in edi, two digits). */
fail:
	mov	%edi, %ebx
	mov	%edi, %eax
	xor	%edx, %edx
	mov	$10, %ecx
	div	%ecx
	add	$'0', %al
	add	$'0', %dl
	mov	%al, failnum(%rip)
	mov	%dl, failnum+1(%rip)
	mov	$SYS_WRITE, %eax
	mov	$1, %edi
	lea	failmsg(%rip), %rsi
	mov	$faillen, %edx
	syscall
	mov	%ebx, %edi
exit:
	mov	$SYS_EXIT_GROUP, %eax
	syscall
	ud2

	.data
okmsg:	.ascii	"\nregcheck: 1 passed, 0 failed\n"	/* on a line of its own */
	oklen = . - okmsg
failmsg: .ascii	"\nregcheck: register check "
failnum: .ascii	"00 failed (see user/regcheck.S)\nregcheck: 0 passed, 1 failed\n"
	faillen = . - failmsg

	.section .note.GNU-stack, "", @progbits
