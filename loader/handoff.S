/*
 * void handoff(uint64_t cr3, uint64_t entry, uint64_t stack_top,
 *              uint64_t bootinfo);
 *
 * Entered after ExitBootServices, on the firmware's identity-mapped page
 * tables and stack, SysV ABI: rdi = cr3, rsi = entry, rdx = stack_top,
 * rcx = bootinfo (a direct-map address).
 *
 * This page is identity-mapped in the new tables too, so execution continues
 * across the CR3 load; nothing after it touches the old stack.  Leaves the
 * kernel with the state shared/bootinfo.h documents.
 */
#include <lib/cpureg.h>

	.text
	.balign	4096
	.globl	handoff
handoff:
	cli
	mov	%rcx, %r8		/* rdmsr/wrmsr use ecx and edx:eax */
	mov	%rdx, %r9

	/* NX bits in the new tables are reserved unless EFER.NXE is set. */
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_NXE, %eax
	wrmsr

	/* Supervisor writes honour read-only pages (kernel W^X). */
	mov	%cr0, %rax
	or	$CR0_WP, %rax
	mov	%rax, %cr0

	/* Drop any global TLB entries the firmware left. */
	mov	%cr4, %rax
	and	$~CR4_PGE, %rax
	mov	%rax, %cr4

	mov	%rdi, %cr3
	mov	%r9, %rsp
	mov	%r8, %rdi
	xor	%ebp, %ebp
	pushq	$0			/* a null return address ends backtraces */
	jmp	*%rsi
	.globl	handoff_end
handoff_end:
