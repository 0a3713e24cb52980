/*
 * h_asm.S: the probes of the hostile suite that need an instruction whose
 * operand is an immediate chosen at run time.
 *
 * long h_int_vector(long vector, long rax);
 *
 * On entry (System V): rdi the vector (0..255), rsi the value for rax.
 * Executes `int $vector` in its two-byte form (cd nn: for vector 3 this is
 * not the one-byte int3, cc) with rax = rsi, and returns rax as the
 * instruction left it: for int $0x80, the i386 system call's result.
 * Clobbers only what the ABI lets a call clobber (the i386 system call
 * changes rax alone).
 */
	.text
	.globl	h_int_vector
	.type	h_int_vector, @function
h_int_vector:
	mov	%rsi, %rax
	lea	int_stubs(%rip), %rcx
	and	$0xff, %edi
	lea	(%rcx,%rdi,4), %rcx
	jmp	*%rcx			/* the stub returns to our caller */
	.size	h_int_vector, .-h_int_vector

	/* 256 stubs of 4 bytes: cd nn (int $nn), c3 (ret), 90 (nop). */
	.balign	4
int_stubs:
	.set	vec, 0
	.rept	256
	.byte	0xcd, vec, 0xc3, 0x90
	.set	vec, vec + 1
	.endr

	.section .note.GNU-stack, "", @progbits
