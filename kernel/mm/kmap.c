/*
 * kmap.c: the kernel's page tables, shared by every address space.
 *
 * Interface (vm.h):
 *	vm_init(bi)		replace the loader's tables with the kernel's own
 *	vm_map, vm_unmap	map and unmap in the kernel half
 *	vm_kernel_root, vm_ctx	the kernel's PML4 and its pt_ctx (lib/pagetable.h)
 *	vm_kernel_readable	whether a kernel range is mapped (fault-free reads)
 *	vm_pt_free_zeroed	an emptied page-table page back to the cache
 *	vm_pt_pages_allocated	page-table pages handed out (leak accounting)
 *	vm_trim			give back what the caches hold (and kstack_trim's)
 *
 * vm_init builds the direct map of all RAM (global, no-execute), the kernel
 * image mapped W^X from the linker's section boundaries, and all 256 upper
 * PML4 entries present (the invariant in vm.h).  Page-table pages, user and
 * kernel, all come from pt_alloc_frame through vm_ctx(), with a small cache
 * of zeroed pages.
 */
#include <keel/kernel.h>
#include <keel/smp.h>
#include <keel/spinlock.h>
#include <keel/vm.h>
#include <keel/pmm.h>
#include <lib/memmap.h>
#include <arch/arch.h>

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __kernel_end[];

static uint64_t kroot;			/* the kernel's PML4 */
static uint64_t kernel_phys, kernel_virt;

static uint64_t pt_pages;		/* page-table pages ever allocated */

/*
 * Page-table pages that were freed empty (vm_pt_free_zeroed) and are ready
 * for the next table without clearing: an exit frees a process's tables
 * and the next fork wants as many.  pt_lock covers the cache: page faults
 * make tables under their address space's lock alone, on several CPUs at
 * once, while exits give theirs back (a leaf lock: the frame allocator is
 * called outside it).
 */
#define PT_CACHE	16
static uint64_t pt_cache[PT_CACHE];
static int pt_ncached;
static struct spinlock pt_lock = SPINLOCK_INIT("ptcache");

static uint64_t
pt_alloc_frame(void *arg)
{
	uint64_t pa = 0, fl;

	(void)arg;
	fl = spin_lock_irqsave(&pt_lock);
	if (pt_ncached > 0)
		pa = pt_cache[--pt_ncached];
	spin_unlock_irqrestore(&pt_lock, fl);
	if (pa == 0 && (pa = pmm_alloc()) != 0)
		memset(PHYS_TO_VIRT(pa), 0, PAGE_SIZE);
	if (pa)
		__atomic_add_fetch(&pt_pages, 1, __ATOMIC_RELAXED);
	return pa;
}

void
vm_pt_free_zeroed(uint64_t pa)
{
	uint64_t fl = spin_lock_irqsave(&pt_lock);

	if (pt_ncached < PT_CACHE) {
		pt_cache[pt_ncached++] = pa;
		pa = 0;
	}
	spin_unlock_irqrestore(&pt_lock, fl);
	if (pa)
		pmm_free(pa);
}

uint64_t
vm_pt_pages_allocated(void)
{
	return pt_pages;
}

static uint64_t *
pt_direct(void *arg, uint64_t pa)
{
	(void)arg;
	return PHYS_TO_VIRT(pa);
}

static struct pt_ctx kctx = { pt_alloc_frame, pt_direct, 0, 0, 1 };

struct pt_ctx *
vm_ctx(void)
{
	return &kctx;
}

uint64_t
vm_kernel_root(void)
{
	return kroot;
}

static void
map_or_panic(uint64_t va, uint64_t pa, uint64_t size, uint64_t flags, const char *what)
{
	int err = pt_map(&kctx, kroot, va, pa, size, flags);

	if (err)
		panic("vm_init: cannot map %s at 0x%lx (%d)", what, va, err);
}

static void
map_image(uint64_t lo, uint64_t hi, uint64_t flags, const char *what)
{
	map_or_panic(lo, kernel_phys + (lo - kernel_virt), hi - lo, flags | PTE_G, what);
}

void
vm_init(const struct bootinfo *bi)
{
	static struct mm_range ram[512];
	uint32_t r[4];
	uint64_t *pml4;
	int n, i;

	cpuid(0x80000001, 0, r);
	kctx.pt_allow_1g = (r[3] >> 26) & 1;
	kernel_phys = bi->bi_kernel_phys;
	kernel_virt = bi->bi_kernel_virt;

	kroot = pt_alloc_frame(0);
	if (kroot == 0)
		panic("vm_init: no memory for the kernel PML4");
	pml4 = PHYS_TO_VIRT(kroot);
	/* The invariant of vm.h: every kernel-half PML4 entry, once, for good. */
	for (i = KERNEL_PML4_FIRST; i < PT_ENTRIES; i++) {
		uint64_t pdpt = pt_alloc_frame(0);

		if (pdpt == 0)
			panic("vm_init: no memory for the kernel PDPTs");
		pml4[i] = pdpt | PTE_P | PTE_W;
	}

	n = mm_ranges(PHYS_TO_VIRT(bi->bi_mmap), bi->bi_mmap_size,
	    bi->bi_mmap_desc_size, MM_RAM_TYPES, ram, ARRAY_SIZE(ram));
	if (n <= 0)
		panic("vm_init: unusable memory map");
	for (i = 0; i < n; i++)
		map_or_panic(DIRECT_MAP_BASE + ram[i].mr_base, ram[i].mr_base,
		    ram[i].mr_end - ram[i].mr_base, PTE_W | PTE_NX | PTE_G, "RAM");

	map_image((uint64_t)__text_start, (uint64_t)__text_end, 0, "kernel text");
	map_image((uint64_t)__rodata_start, (uint64_t)__rodata_end, PTE_NX, "kernel rodata");
	/* Data and bss, less the boot stack's guard page. */
	map_image((uint64_t)__data_start, (uint64_t)boot_stack_guard, PTE_W | PTE_NX,
	    "kernel data");
	map_image((uint64_t)boot_stack_bottom, (uint64_t)__kernel_end, PTE_W | PTE_NX,
	    "kernel bss");

	arch_vm_kernel_live(kroot);
	kprintf("vm: kernel page tables live: %d RAM ranges direct-mapped with %s pages,"
	    " kernel image W^X\n", n, kctx.pt_allow_1g ? "1 GiB" : "2 MiB");
}

int
vm_map(uint64_t va, uint64_t pa, uint64_t size, uint64_t flags)
{
	ASSERT(va >= KERNEL_HALF_BASE);
	return pt_map(&kctx, kroot, va, pa, size, flags);
}

int
vm_unmap(uint64_t va, uint64_t size)
{
	int err;

	ASSERT(va >= KERNEL_HALF_BASE);
	err = pt_unmap(&kctx, kroot, va, size);
	tlb_shootdown_kernel(va, size / PAGE_SIZE);	/* every CPU's TLB */
	return err;
}

/*
 * The same without the shootdown, for a caller that unmaps several ranges
 * and then flushes every CPU once (tlb_shootdown_kernel) before the
 * frames are reused (kstack.c's batches).
 */
int
vm_unmap_noflush(uint64_t va, uint64_t size)
{
	ASSERT(va >= KERNEL_HALF_BASE);
	return pt_unmap(&kctx, kroot, va, size);
}

int
vm_kernel_readable(uint64_t va, uint64_t len)
{
	uint64_t p;

	if (kroot == 0)
		return va >= KERNEL_HALF_BASE;	/* before vm_init: the loader's tables */
	for (p = ROUNDDOWN(va, PAGE_SIZE); p < va + len; p += PAGE_SIZE)
		if (pt_translate(&kctx, kroot, p, 0, 0) != PT_OK)
			return 0;
	return 1;
}

void
vm_trim(void)
{
	uint64_t pa, fl;

	kstack_trim();
	for (;;) {
		fl = spin_lock_irqsave(&pt_lock);
		pa = pt_ncached > 0 ? pt_cache[--pt_ncached] : 0;
		spin_unlock_irqrestore(&pt_lock, fl);
		if (pa == 0)
			break;
		pmm_free(pa);
	}
}
