/*
 * _start: the kernel's ELF entry point, jumped to by the loader's handoff.
 *
 * On entry (shared/bootinfo.h): interrupts off, the loader's page tables,
 * rsp on the loader's boot stack in the direct map, rdi = direct-map address
 * of struct bootinfo.  We move to the kernel's own boot stack (in .bss,
 * above a guard page once the kernel maps itself) and call kmain(bootinfo).
 */
	.section .text.entry, "ax"
	.globl	_start
_start:
	cli
	cld
	lea	boot_stack_top(%rip), %rsp
	xor	%ebp, %ebp
	pushq	$0			/* null return address: end of backtrace */
	call	kmain
1:	cli
	hlt
	jmp	1b

	.section .bss.boot_stack, "aw", @nobits
	.balign	4096
	.globl	boot_stack_guard, boot_stack_bottom, boot_stack_top
boot_stack_guard:
	.skip	4096			/* unmapped by vm_init: overflow faults */
boot_stack_bottom:
	.skip	16384
boot_stack_top:
