/*
 * layout.h: the virtual address-space layout shared by the loader, the
 * kernel, the kernel's linker script and assembly.
 *
 * The invariant this layout exists for: every kernel mapping lives in the
 * upper canonical half (PML4 entries 256-511) and every address space shares
 * those 256 entries, so a kernel stack, the TSS, the GDT, the IDT or the
 * entry code can never be missing from whichever CR3 is loaded.  The lower
 * half belongs to user processes only.
 *
 *   0x0000000000000000  user half (USER_BASE .. USER_TOP)
 *   0x00007ffffffff000  last lower-half page: never mappable, because SYSRET
 *                       with RCX pointing here would return to a
 *                       non-canonical address after the instruction.
 *   0xffff800000000000  DIRECT_MAP_BASE: all physical memory, phys + base
 *   0xffffc00000000000  KVA_BASE: kernel virtual allocations (stacks, heap, MMIO)
 *   0xffffffff80000000  KERNEL_BASE: the kernel image (-mcmodel=kernel)
 *
 * Usable from C, assembly and the linker script (no casts, no suffixes that
 * ld does not understand: the _AC macro adds them only for C).
 */
#ifndef SHARED_LAYOUT_H
#define SHARED_LAYOUT_H

#ifdef __ASSEMBLER__
#define _AC(x, s)	x
#else
#define _AC(x, s)	x##s
#endif

#define PAGE_SHIFT		12
#define PAGE_SIZE		(_AC(1, UL) << PAGE_SHIFT)

/* User half.  USER_TOP is exclusive; the page just below it stays unmapped. */
#define USER_BASE		_AC(0x0000000000001000, UL)
#define USER_TOP		_AC(0x00007ffffffff000, UL)

/* Kernel half: PML4 entries KERNEL_PML4_FIRST..511. */
#define KERNEL_HALF_BASE	_AC(0xffff800000000000, UL)
#define KERNEL_PML4_FIRST	256

/* Direct map of all physical memory: PML4 256-383, 64 TiB. */
#define DIRECT_MAP_BASE		_AC(0xffff800000000000, UL)
#define DIRECT_MAP_SIZE		_AC(0x0000400000000000, UL)

/* Kernel virtual area for stacks, heap and device mappings: PML4 384-509. */
#define KVA_BASE		_AC(0xffffc00000000000, UL)
#define KVA_SIZE		_AC(0x00003f0000000000, UL)

/* The kernel image, linked here; the top 2 GiB, as -mcmodel=kernel needs. */
#define KERNEL_BASE		_AC(0xffffffff80000000, UL)

#ifndef __ASSEMBLER__
/* Physical address <-> direct-map address. */
#define PHYS_TO_VIRT(pa)	((void *)((unsigned long)(pa) + DIRECT_MAP_BASE))
#define VIRT_TO_PHYS(va)	((unsigned long)(va) - DIRECT_MAP_BASE)
#endif

#endif /* SHARED_LAYOUT_H */
