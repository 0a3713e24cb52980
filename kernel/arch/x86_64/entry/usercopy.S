/*
 * usercopy.S: the only instructions that touch user memory on behalf of
 * the kernel.  A fault inside [usercopy_start, usercopy_end) that the user
 * page-fault handler cannot resolve resumes at the routine's fixup, which
 * returns -EFAULT (trap.c).  The C wrappers (usercopy.c) check the range
 * and set EFLAGS.AC around these for SMAP.
 *
 *	long usercopy_raw(void *dst, const void *src, size_t n);
 *		0, or -EFAULT
 *	long usercopy_str_raw(char *dst, const char *src, size_t max);
 *		the string's length (without NUL) when one was found within
 *		max bytes, max when none was, or -EFAULT
 */
#include <uapi/errno.h>

	.text
	.globl	usercopy_start, usercopy_end, usercopy_raw, usercopy_str_raw
	.globl	usercopy_fixup
usercopy_start:
usercopy_raw:
	movq	%rdx, %rcx
	rep movsb
	xorl	%eax, %eax
	ret

usercopy_str_raw:
	xorl	%eax, %eax
1:	cmpq	%rdx, %rax
	je	2f
	movb	(%rsi,%rax), %cl
	movb	%cl, (%rdi,%rax)
	testb	%cl, %cl
	jz	2f
	incq	%rax
	jmp	1b
2:	ret
usercopy_end:

usercopy_fixup:
	movq	$-EFAULT, %rax
	ret
