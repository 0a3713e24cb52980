/*
 * void swtch(uint64_t *save_rsp, uint64_t load_rsp);
 *
 * Save the callee-saved registers on the current kernel stack, store its
 * rsp in *save_rsp, switch to load_rsp and pop the other thread's registers:
 * the System V ABI says the caller saved everything else.  A new thread's
 * stack is prepared (proc.c) so that the first "return" lands in its entry.
 */
	.text
	.globl	swtch
swtch:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
