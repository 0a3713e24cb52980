/*
 * int80spin.S: a program without libc that writes one line with
 * int $0x80 (i386 write: eax 4, ebx fd, ecx buffer, edx length) and then
 * spins forever in ring 3 without another system call.  Only timer
 * interrupts take the CPU from it, and only a signal (SIGKILL from utest
 * or a kernel test) ends it.
 *
 * void _start(void)
 * On entry: the initial process stack; nothing used.
 */
#define I386_WRITE	4

	.text
	.globl	_start
_start:
	mov	$I386_WRITE, %eax
	mov	$1, %ebx
	mov	$msg, %ecx
	mov	$msglen, %edx
	int	$0x80
1:	jmp	1b

	.section .rodata
msg:	.ascii	"# int80spin: spinning\n"
	.set	msglen, . - msg

	.section .note.GNU-stack, "", @progbits
