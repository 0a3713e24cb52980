/*
 * start.S: bench's entry point (linked with -e bench_start), ahead of
 * musl's _start, so that the boot figure ends at the first instruction the
 * process runs in ring 3.
 *
 * void bench_start(void)
 * On entry: the initial process stack (rsp at argc), rdx the ELF ABI's
 * exit-function pointer (0 from an exec).  Reads the TSC into
 * bench_tsc_start (bench.c), then jumps to _start with rsp and rdx as they
 * came: rdtsc writes only rax and rdx, and r8 is not part of the ABI here.
 */
	.text
	.globl	bench_start
bench_start:
	mov	%rdx, %r8
	rdtsc
	mov	%eax, bench_tsc_start(%rip)
	mov	%edx, bench_tsc_start+4(%rip)
	mov	%r8, %rdx
	jmp	_start

	.section .note.GNU-stack, "", @progbits
