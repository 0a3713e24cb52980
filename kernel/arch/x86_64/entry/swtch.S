/*
 * void swtch(uint64_t *save_rsp, uint64_t load_rsp);
 *
 * Save the callee-saved registers on the current kernel stack, store its
 * rsp in *save_rsp, switch to load_rsp and pop the other thread's registers:
 * the System V ABI says the caller saved everything else.  A new thread's
 * stack is prepared (thread.c) so that the first "return" lands in
 * thread_first, then in its entry.
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

/*
 * A new thread's first run: the end of the switch that brought it here
 * (sched_first_run: the scheduler's lock dropped, the kernel lock taken),
 * on a 16-byte aligned stack, then "return" into its entry (trap_return).
 */
	.globl	thread_first
thread_first:
	movq	%rsp, %rbx
	andq	$-16, %rsp
	call	sched_first_run
	movq	%rbx, %rsp
	ret
