/*
 * vm.h: the kernel half of every address space: its page tables (mm/kmap.c),
 * device mappings (mm/mmio.c), the W^X audit (mm/vmaudit.c) and kernel
 * stacks (mm/kstack.c).  User address spaces are uvm.h's.
 *
 * THE INVARIANT: every kernel mapping lives in the upper half, and all 256
 * upper PML4 entries are made present once, at vm_init, pointing at PDPT
 * pages that are never freed.  An address space created later copies those
 * 256 entries and so shares every kernel mapping, present and future: no
 * kernel mapping is ever propagated, and a kernel stack, the TSS, the GDT,
 * the IDT or the entry code cannot be missing from any CR3.  vm_audit and
 * the entry audit (arch/x86_64/entry/entry_audit.c) check it anyway.
 */
#ifndef VM_H
#define VM_H

#include <stdint.h>
#include <shared/bootinfo.h>
#include <lib/pagetable.h>

#define KSTACK_PAGES	4			/* 16 KiB per kernel stack */
#define KSTACK_SIZE	(KSTACK_PAGES * PAGE_SIZE)
#define KSTACK_SLOT	(8 * PAGE_SIZE)		/* stack at the top, guard below */
#define KSTACK_AREA	KVA_BASE
#define KSTACK_AREA_SIZE (_AC(64, UL) << 30)
#define MMIO_AREA	(KVA_BASE + (_AC(1, UL) << 40))
#define MMIO_AREA_SIZE	(_AC(1, UL) << 40)
/* Share counts of all frames, virtually contiguous (mm/pageref.c): 32 GiB. */
#define PAGEREF_AREA	(KVA_BASE + (_AC(2, UL) << 40))
#define PAGEREF_AREA_SIZE ((DIRECT_MAP_SIZE >> PAGE_SHIFT) * 2)

/* ---- kmap.c: the kernel's page tables ---- */

/* Build the kernel's own page tables from the boot info and switch to them. */
void vm_init(const struct bootinfo *bi);
uint64_t vm_kernel_root(void);
struct pt_ctx *vm_ctx(void);
/* Page-table pages allocated so far, user and kernel (for leak accounting). */
uint64_t vm_pt_pages_allocated(void);
/* Free a page-table page whose 512 entries are all 0 (kept for reuse). */
void vm_pt_free_zeroed(uint64_t pa);
/* Give back what the page-table and kernel-stack caches hold. */
void vm_trim(void);

/* Map/unmap in the kernel half of every address space. */
int vm_map(uint64_t va, uint64_t pa, uint64_t size, uint64_t flags);
int vm_unmap(uint64_t va, uint64_t size);
int vm_unmap_noflush(uint64_t va, uint64_t size);
/* Whether [va, va+len) is mapped in the kernel half (for fault-free reads). */
int vm_kernel_readable(uint64_t va, uint64_t len);

/* ---- mmio.c: device memory in the MMIO area, never unmapped ---- */

/* Device memory, uncached, in the MMIO area; 0 on failure. */
void *vm_map_mmio(uint64_t pa, uint64_t size);
/* Write-combining (framebuffers), in the MMIO area; 0 on failure. */
void *vm_map_wc(uint64_t pa, uint64_t size);

/* ---- vmaudit.c: the W^X audit ---- */

struct vm_audit {
	uint64_t va_leaves;		/* leaf entries checked */
	uint64_t va_wx;			/* writable and executable */
	uint64_t va_user_kernel;	/* user-accessible in the kernel half */
	uint64_t va_first_bad;		/* address of the first violation */
};
/* Walk the tree at root and count W+X pages and user pages in the kernel half. */
void vm_audit(uint64_t root, struct vm_audit *out);

/* ---- kstack.c: kernel stacks in the stack area, each above an unmapped guard ---- */

uint64_t kstack_alloc(void);		/* the top of a new stack, 0 if none */
void kstack_free(uint64_t top);
/* Unmap the stacks kept for reuse (vm_trim). */
void kstack_trim(void);
extern uint64_t kstack_batches;		/* batched releases so far (the self-tests) */
/* Which stack's guard page va is in (the boot stack's or a kernel stack's), or 0. */
const char *vm_guard_name(uint64_t va);

#endif
