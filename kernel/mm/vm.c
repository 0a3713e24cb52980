/*
 * vm.c: the kernel's page tables, kernel virtual areas and kernel stacks.
 *
 * vm_init replaces the loader's tables with the kernel's own: the direct map
 * of all RAM (global, no-execute), the kernel image mapped W^X from the
 * linker's section boundaries, and all 256 upper PML4 entries present (see
 * the invariant in vm.h).  Kernel stacks and device mappings live in the
 * kernel virtual area (shared/layout.h KVA_BASE).
 */
#include <keel/kernel.h>
#include <keel/vm.h>
#include <keel/pmm.h>
#include <lib/memmap.h>
#include <arch/arch.h>

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __kernel_end[];

static uint64_t kroot;			/* the kernel's PML4 */
static uint64_t kernel_phys, kernel_virt;
static uint64_t mmio_next = MMIO_AREA;

/*
 * Kernel stack slots: a bump index and a stack of freed slots.  The last
 * few stacks freed stay mapped, ready for the next processes (a fork and
 * an exit would otherwise map and unmap KSTACK_SIZE every time).  No more
 * than KSTACK_SLOTS slots are ever made, so every freed one fits in
 * kstack_freed: none is lost, however many processes come and go.
 */
#define KSTACK_CACHE	8
#define KSTACK_SLOTS	8192	/* > NPROC_MAX (4096) + IST stacks + the cache */
static uint64_t kstack_next;
static uint32_t kstack_freed[KSTACK_SLOTS];
static int kstack_nfreed;
static uint64_t kstack_cache[KSTACK_CACHE];	/* tops of mapped, unused stacks */
static int kstack_ncached;

static uint64_t pt_pages;		/* page-table pages ever allocated */

/*
 * Page-table pages that were freed empty (vm_pt_free_zeroed) and are ready
 * for the next table without clearing: an exit frees a process's tables
 * and the next fork wants as many.
 */
#define PT_CACHE	16
static uint64_t pt_cache[PT_CACHE];
static int pt_ncached;

static uint64_t
pt_alloc_frame(void *arg)
{
	uint64_t pa;

	(void)arg;
	if (pt_ncached > 0) {
		pt_pages++;
		return pt_cache[--pt_ncached];
	}
	pa = pmm_alloc();
	if (pa) {
		memset(PHYS_TO_VIRT(pa), 0, PAGE_SIZE);
		pt_pages++;
	}
	return pa;
}

void
vm_pt_free_zeroed(uint64_t pa)
{
	if (pt_ncached < PT_CACHE)
		pt_cache[pt_ncached++] = pa;
	else
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
	uint64_t p;
	int err;

	ASSERT(va >= KERNEL_HALF_BASE);
	err = pt_unmap(&kctx, kroot, va, size);
	for (p = va; p < va + size; p += PAGE_SIZE)
		arch_tlb_flush_page(p);
	return err;
}

static void *
map_device(uint64_t pa, uint64_t size, uint64_t cache)
{
	uint64_t off = pa & (PAGE_SIZE - 1), va = mmio_next;

	size = ROUNDUP(size + off, PAGE_SIZE);
	if (mmio_next + size > MMIO_AREA + MMIO_AREA_SIZE)
		return 0;
	if (vm_map(va, pa - off, size, PTE_W | PTE_NX | PTE_G | cache))
		return 0;
	mmio_next += size + PAGE_SIZE;	/* an unmapped page between mappings */
	return (void *)(va + off);
}

void *
vm_map_mmio(uint64_t pa, uint64_t size)
{
	return map_device(pa, size, PTE_PCD | PTE_PWT);	/* PAT 3: uncached */
}

void *
vm_map_wc(uint64_t pa, uint64_t size)
{
	return map_device(pa, size, PTE_PWT);		/* PAT 1: write-combining */
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

const char *
vm_guard_name(uint64_t va)
{
	if (va >= (uint64_t)boot_stack_guard && va < (uint64_t)boot_stack_bottom)
		return "the boot stack";
	if (va >= KSTACK_AREA && va < KSTACK_AREA + KSTACK_AREA_SIZE &&
	    (va - KSTACK_AREA) % KSTACK_SLOT < KSTACK_SLOT - KSTACK_SIZE)
		return "a kernel stack";
	return 0;
}

/* ---- the audit ---- */

static void
audit_walk(uint64_t table, int level, uint64_t base, uint64_t eff,
    struct vm_audit *a)
{
	uint64_t *t = PHYS_TO_VIRT(table);
	int i;

	/* Most of the kernel half's 256 tables are empty: one scan each. */
	if (level < 4 && memzero64(t, PT_ENTRIES))
		return;
	for (i = 0; i < PT_ENTRIES; i++) {
		uint64_t e = t[i], va, f;

		if (!(e & PTE_P))
			continue;
		va = base + ((uint64_t)i << (PAGE_SHIFT + 9 * (level - 1)));
		if (level == 4 && i >= 256)
			va |= 0xffff000000000000UL;	/* sign extension */
		f = (eff & e & (PTE_W | PTE_U)) | ((eff | e) & PTE_NX);
		if (level > 1 && !(e & PTE_PS)) {
			audit_walk(e & PTE_ADDR_MASK, level - 1, va, f, a);
			continue;
		}
		a->va_leaves++;
		if ((f & PTE_W) && !(f & PTE_NX)) {
			if (a->va_wx++ == 0 && a->va_user_kernel == 0)
				a->va_first_bad = va;
		}
		if ((f & PTE_U) && va >= KERNEL_HALF_BASE) {
			if (a->va_user_kernel++ == 0 && a->va_wx == 0)
				a->va_first_bad = va;
		}
	}
}

void
vm_audit(uint64_t root, struct vm_audit *out)
{
	memset(out, 0, sizeof(*out));
	audit_walk(root, 4, 0, PTE_W | PTE_U, out);
}

/* ---- kernel stacks ---- */

static void kstack_release(uint64_t top);

uint64_t
kstack_alloc(void)
{
	uint64_t slot, base, pa, p;

	if (kstack_ncached > 0)
		return kstack_cache[--kstack_ncached];
	if (kstack_nfreed > 0)
		slot = kstack_freed[--kstack_nfreed];
	else if (kstack_next < KSTACK_SLOTS && (kstack_next + 1) * KSTACK_SLOT <= KSTACK_AREA_SIZE)
		slot = kstack_next++;
	else
		return 0;
	base = KSTACK_AREA + slot * KSTACK_SLOT + (KSTACK_SLOT - KSTACK_SIZE);
	for (p = base; p < base + KSTACK_SIZE; p += PAGE_SIZE) {
		pa = pmm_alloc();
		if (pa == 0 || vm_map(p, pa, PAGE_SIZE, PTE_W | PTE_NX | PTE_G)) {
			if (pa)
				pmm_free(pa);
			if (p > base)
				kstack_release(base + KSTACK_SIZE);	/* what was mapped */
			return 0;
		}
	}
	return base + KSTACK_SIZE;
}

void
kstack_free(uint64_t top)
{
	ASSERT(top > KSTACK_AREA && (top - KSTACK_AREA) % KSTACK_SLOT == 0);
	if (kstack_ncached < KSTACK_CACHE) {
		kstack_cache[kstack_ncached++] = top;
		return;
	}
	kstack_release(top);
}

/* Unmap a stack and give its frames and its slot back. */
static void
kstack_release(uint64_t top)
{
	uint64_t base = top - KSTACK_SIZE, p, pa;

	for (p = base; p < top; p += PAGE_SIZE) {
		if (pt_translate(&kctx, kroot, p, &pa, 0) != PT_OK)
			continue;
		pt_unmap(&kctx, kroot, p, PAGE_SIZE);
		arch_tlb_flush_page(p);
		pmm_free(pa);
	}
	ASSERT(kstack_nfreed < KSTACK_SLOTS);
	kstack_freed[kstack_nfreed++] = (top - KSTACK_AREA) / KSTACK_SLOT - 1;
}

void
vm_trim(void)
{
	while (kstack_ncached > 0)
		kstack_release(kstack_cache[--kstack_ncached]);
	while (pt_ncached > 0)
		pmm_free(pt_cache[--pt_ncached]);
}
