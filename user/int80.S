/*
 * int80.S: a program without libc that makes its system calls with
 * int $0x80 from 64-bit code, which on Linux means the i386 ABI: the i386
 * system call numbers, eax the number, ebx/ecx/edx the arguments, and only
 * the low 32 bits of each register used (the upper halves are filled with
 * garbage here to prove it).  Pointers must therefore be below 4 GiB:
 * the program is linked non-PIE at 0x400000.
 *
 * void _start(void)
 * On entry: the initial process stack (rsp at argc); nothing else used.
 *
 * It writes "int80 ok\n" to fd 1 (i386 write, eax 4), compares i386 getpid
 * (eax 20) with the 64-bit one (syscall, rax 39), and exits 42 through
 * i386 exit (eax 1).  A failed check exits through 64-bit exit_group:
 * 1 when write did not return 9, 2 when the pids differ, 3 when i386 exit
 * returned.
 */
#define I386_EXIT	1
#define I386_WRITE	4
#define I386_GETPID	20
#define X64_GETPID	39
#define X64_EXIT_GROUP	231

	.text
	.globl	_start
_start:
	movabs	$0xdeadbeef00000001, %rbx	/* fd 1 */
	movabs	$0xdeadbeef00000000, %rcx
	or	$msg, %rcx			/* the low half: msg */
	movabs	$0xdeadbeef00000000, %rdx
	or	$msglen, %rdx
	movabs	$0xdeadbeef00000000, %rax
	or	$I386_WRITE, %rax
	int	$0x80
	cmp	$msglen, %eax
	mov	$1, %edi
	jne	fail

	movabs	$0xdeadbeef00000000, %rax
	or	$I386_GETPID, %rax
	int	$0x80
	push	%rax
	mov	$X64_GETPID, %eax
	syscall
	pop	%rdx
	cmp	%eax, %edx
	mov	$2, %edi
	jne	fail

	movabs	$0xdeadbeef0000002a, %rbx	/* status 42 */
	mov	$I386_EXIT, %eax
	int	$0x80
	mov	$3, %edi
fail:
	mov	$X64_EXIT_GROUP, %eax
	syscall
	ud2

	.section .rodata
msg:	.ascii	"int80 ok\n"
	.set	msglen, . - msg

	.section .note.GNU-stack, "", @progbits
