/*
 * kernel.ld.S: the kernel's link map, preprocessed with shared/layout.h.
 *
 * Three loadable segments with distinct permissions, each page aligned so
 * that the loader (and later the kernel) can map them W^X:
 *   text   R-X   .text
 *   rodata R--   .rodata
 *   data   RW-   .data, .bss (the boot stack and its guard page at the front)
 */
#include <shared/layout.h>

OUTPUT_FORMAT("elf64-x86-64")
ENTRY(_start)

PHDRS
{
	text	PT_LOAD FLAGS(5);
	rodata	PT_LOAD FLAGS(4);
	data	PT_LOAD FLAGS(6);
}

SECTIONS
{
	. = KERNEL_BASE;
	__kernel_start = .;

	.text : {
		__text_start = .;
		*(.text.entry)
		*(.text .text.*)
	} :text
	. = ALIGN(4096);
	__text_end = .;

	.rodata : {
		__rodata_start = .;
		*(.rodata .rodata.*)
		. = ALIGN(8);
		__ktests_start = .;
		KEEP(*(.ktests))
		__ktests_end = .;
		. = ALIGN(8);
		__ksyms_start = .;
		KEEP(*(.ksyms))
		__ksyms_end = .;
	} :rodata
	. = ALIGN(4096);
	__rodata_end = .;

	.data : {
		__data_start = .;
		*(.data .data.*)
	} :data
	.bss : {
		*(.bss.boot_stack)
		*(.bss .bss.*)
		*(COMMON)
	} :data
	. = ALIGN(4096);
	__kernel_end = .;

	/DISCARD/ : {
		*(.comment)
		*(.note .note.*)
		*(.eh_frame .eh_frame_hdr)
	}
}
