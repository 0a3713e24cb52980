/*
 * ktest_mm.c: in-kernel self-tests of the frame allocator, kernel page
 * tables, kernel stacks and the W^X / user-bit audit, on the real machine
 * state (the host tests cover the same logic on fake memory).
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/ktest.h>
#include <keel/uvm.h>
#include <keel/vmobj.h>
#include <uapi/mman.h>
#include <keel/vm.h>
#include <keel/smp.h>
#include <keel/cpu.h>
#include <keel/kheap.h>
#include <keel/pageref.h>
#include <keel/pmm.h>
#include <arch/arch.h>
#include <arch/cpu.h>
#include <arch/cpufeat.h>
#include <arch/gdt.h>
#include <arch/segments.h>

KTEST(pmm_alloc_free)
{
	uint64_t before = pmm_free_frames(), pa[64];
	int i, j;

	for (i = 0; i < 64; i++) {
		pa[i] = pmm_alloc();
		KT_ASSERT(pa[i] != 0 && (pa[i] & (PAGE_SIZE - 1)) == 0);
		for (j = 0; j < i; j++)
			KT_ASSERT(pa[j] != pa[i]);
		/* Reachable and writable through the direct map. */
		*(volatile uint64_t *)PHYS_TO_VIRT(pa[i]) = pa[i];
	}
	KT_ASSERT(pmm_free_frames() == before - 64);
	for (i = 0; i < 64; i++) {
		KT_ASSERT(*(volatile uint64_t *)PHYS_TO_VIRT(pa[i]) == pa[i]);
		pmm_free(pa[i]);
	}
	KT_ASSERT(pmm_free_frames() == before);
}

KTEST(pmm_contiguous)
{
	uint64_t before = pmm_free_frames();
	uint64_t pa = pmm_alloc_order(PMM_MAX_ORDER);

	KT_ASSERT(pa != 0);
	KT_ASSERT((pa & ((PAGE_SIZE << PMM_MAX_ORDER) - 1)) == 0);
	KT_ASSERT(pmm_free_frames() == before - (1u << PMM_MAX_ORDER));
	pmm_free_order(pa, PMM_MAX_ORDER);
	KT_ASSERT(pmm_free_frames() == before);
}

KTEST(vm_map_translate_unmap)
{
	uint64_t va = MMIO_AREA + MMIO_AREA_SIZE - 16 * PAGE_SIZE, pa, got, flags;

	pa = pmm_alloc();
	KT_ASSERT(pa != 0);
	KT_ASSERT(vm_map(va, pa, PAGE_SIZE, PTE_W | PTE_NX) == PT_OK);
	KT_ASSERT(pt_translate(vm_ctx(), vm_kernel_root(), va, &got, &flags) == PT_OK);
	KT_ASSERT(got == pa);
	KT_ASSERT((flags & PTE_W) && (flags & PTE_NX) && !(flags & PTE_U));
	/* The mapping and the direct map alias the same frame. */
	*(volatile uint64_t *)va = 0x1234abcd;
	KT_ASSERT(*(volatile uint64_t *)PHYS_TO_VIRT(pa) == 0x1234abcd);
	KT_ASSERT(vm_map(va, pa, PAGE_SIZE, PTE_NX) == PT_EEXIST);
	KT_ASSERT(vm_unmap(va, PAGE_SIZE) == PT_OK);
	KT_ASSERT(pt_translate(vm_ctx(), vm_kernel_root(), va, 0, 0) == 1);
	KT_ASSERT(!vm_kernel_readable(va, 8));
	pmm_free(pa);
}

KTEST(vm_kernel_image_wx)
{
	extern char __text_start[], __rodata_start[], __data_start[];
	uint64_t flags;

	KT_ASSERT(pt_translate(vm_ctx(), vm_kernel_root(), (uint64_t)__text_start, 0,
	    &flags) == PT_OK);
	KT_ASSERT(!(flags & PTE_W) && !(flags & PTE_NX));
	KT_ASSERT(pt_translate(vm_ctx(), vm_kernel_root(), (uint64_t)__rodata_start, 0,
	    &flags) == PT_OK);
	KT_ASSERT(!(flags & PTE_W) && (flags & PTE_NX));
	KT_ASSERT(pt_translate(vm_ctx(), vm_kernel_root(), (uint64_t)__data_start, 0,
	    &flags) == PT_OK);
	KT_ASSERT((flags & PTE_W) && (flags & PTE_NX));
	/* The boot stack's guard page is not mapped. */
	KT_ASSERT(pt_translate(vm_ctx(), vm_kernel_root(), (uint64_t)boot_stack_guard,
	    0, 0) == 1);
	KT_ASSERT(vm_guard_name((uint64_t)boot_stack_guard) != 0);
}

KTEST(vm_upper_half_prepopulated)
{
	uint64_t *pml4 = PHYS_TO_VIRT(vm_kernel_root());
	int i;

	for (i = 0; i < KERNEL_PML4_FIRST; i++)
		KT_ASSERT(pml4[i] == 0);
	for (i = KERNEL_PML4_FIRST; i < PT_ENTRIES; i++)
		KT_ASSERT((pml4[i] & PTE_P) && !(pml4[i] & PTE_U));
	KT_ASSERT((read_cr3() & PTE_ADDR_MASK) == vm_kernel_root());
}

KTEST(vm_audit_clean_kernel)
{
	struct vm_audit a;

	vm_audit(vm_kernel_root(), &a);
	KT_ASSERT(a.va_leaves > 0);
	KT_ASSERT(a.va_wx == 0);
	KT_ASSERT(a.va_user_kernel == 0);
}

/* The audit must be able to fail: plant violations in a scratch tree. */
KTEST(vm_audit_finds_violations)
{
	struct pt_ctx *ctx = vm_ctx();
	uint64_t root = ctx->pt_alloc(ctx->pt_arg), frame = pmm_alloc();
	struct vm_audit a;

	KT_ASSERT(root != 0 && frame != 0);
	KT_ASSERT(pt_map(ctx, root, KVA_BASE + 0x1000, frame, PAGE_SIZE, PTE_W) == PT_OK);
	KT_ASSERT(pt_map(ctx, root, KVA_BASE + 0x2000, frame, PAGE_SIZE,
	    PTE_U | PTE_NX) == PT_OK);
	KT_ASSERT(pt_map(ctx, root, 0x400000, frame, PAGE_SIZE, PTE_U | PTE_NX) == PT_OK);
	vm_audit(root, &a);
	KT_ASSERT(a.va_leaves == 3);
	KT_ASSERT(a.va_wx == 1);
	KT_ASSERT(a.va_user_kernel == 1);
	KT_ASSERT(a.va_first_bad == KVA_BASE + 0x1000);
	/* Scratch tables are not freed page by page; leak check is not the point. */
	pmm_free(frame);
}

KTEST(kstack_guard_and_reuse)
{
	uint64_t before = pmm_free_frames();
	uint64_t top = kstack_alloc(), top2;

	KT_ASSERT(top != 0);
	KT_ASSERT(vm_kernel_readable(top - KSTACK_SIZE, KSTACK_SIZE));
	KT_ASSERT(!vm_kernel_readable(top - KSTACK_SIZE - PAGE_SIZE, 8));
	KT_ASSERT(vm_guard_name(top - KSTACK_SIZE - 8) != 0);
	*(volatile uint64_t *)(top - 8) = 42;
	/* A freed stack stays mapped in the cache and comes back first... */
	kstack_free(top);
	top2 = kstack_alloc();
	KT_ASSERT(top2 == top);
	kstack_free(top2);
	/* ...until trimmed: then unmapped, its frames free, its slot reused. */
	vm_trim();
	KT_ASSERT(!vm_kernel_readable(top - 8, 8));
	KT_ASSERT(pmm_free_frames() >= before);
	top2 = kstack_alloc();
	KT_ASSERT(top2 == top);
	kstack_free(top2);
}

/*
 * More stacks at once than the old free list held (1,024): after all are
 * freed and trimmed, as many again come from the freed slots, none from
 * new ones (a dropped slot was lost for good: fork failed in the end).
 */
KTEST(kstack_slots_never_lost)
{
	enum { N = 1100 };
	uint64_t *tops = kmalloc(N * sizeof(*tops)), highest = 0;
	int i, n;

	KT_ASSERT(tops != 0);
	for (n = 0; n < N && (tops[n] = kstack_alloc()) != 0; n++)
		highest = MAX(highest, tops[n]);
	for (i = 0; i < n; i++)
		kstack_free(tops[i]);
	vm_trim();
	for (i = 0; i < n; i++) {
		tops[i] = kstack_alloc();
		if (tops[i] == 0 || tops[i] > highest) {
			if (tops[i])
				kstack_free(tops[i]);
			break;
		}
	}
	KT_ASSERT(n == N);	/* checked after the frees: nothing left mapped */
	KT_ASSERT(i == n);
	while (i-- > 0)
		kstack_free(tops[i]);
	vm_trim();
	kfree(tops);
}

/*
 * Stacks freed past the cache go in batches, one shootdown each: 64
 * stacks freed onto an empty cache make 64 / 8 - 2 releases (the cache
 * keeps up to 16), every released stack unmapped and its frames given
 * back; with several CPUs, one round of IPIs per batch, not per page.
 */
KTEST(kstack_batched_release)
{
	enum { N = 64, BATCH = 8 };
	uint64_t tops[N], b0, s0, free0;
	int i, unmapped = 0;

	/* A first round makes the stack area's page tables, which stay. */
	for (i = 0; i < N; i++)
		KT_ASSERT((tops[i] = kstack_alloc()) != 0);
	for (i = 0; i < N; i++)
		kstack_free(tops[i]);
	vm_trim();
	free0 = pmm_free_frames();
	for (i = 0; i < N; i++)
		KT_ASSERT((tops[i] = kstack_alloc()) != 0);
	b0 = kstack_batches;
	s0 = tlb_shootdowns;
	for (i = 0; i < N; i++)
		kstack_free(tops[i]);
	KT_ASSERT(kstack_batches - b0 == N / BATCH - 2);
	if (smp_live && ncpus_online > 1)
		KT_ASSERT(tlb_shootdowns - s0 == N / BATCH - 2);
	for (i = 0; i < N; i++)
		unmapped += !vm_kernel_readable(tops[i] - KSTACK_SIZE, KSTACK_SIZE);
	KT_ASSERT(unmapped == N - 2 * BATCH);
	vm_trim();
	KT_ASSERT(pmm_free_frames() == free0);
}

/*
 * A user address space: range operations cost what is mapped, not the
 * range named (64 TiB with two pages in it would take minutes page by
 * page), and the region count stops at MAX_VMAS (Linux's max_map_count),
 * for a new region and for a split alike.
 */
KTEST(uvm_huge_ranges_and_region_limit)
{
	uint64_t before = pmm_free_frames(), base = 0x10000000, len = 64ULL << 40;
	uint64_t far = base + (40ULL << 40), *pte;
	struct aspace *as = as_create();

	KT_ASSERT(as != 0);
	KT_ASSERT(as_map(as, base, len, VM_R | VM_W, VK_ANON) == 0);
	KT_ASSERT(as_fault(as, base, 1, 0) == 0 && as_fault(as, far, 1, 0) == 0);
	KT_ASSERT(as->as_resident == 2);
	KT_ASSERT(as_protect(as, base, len, VM_R) == 0);
	pte = pt_walk(vm_ctx(), as->as_root, far, 0, 1);
	KT_ASSERT(pte != 0 && (*pte & PTE_P) && !(*pte & PTE_W));
	KT_ASSERT(as_discard(as, base, len) == 0 && as->as_resident == 0);
	KT_ASSERT(as_covered(as, base, len) && !as_range_free(as, far, PAGE_SIZE));
	KT_ASSERT(as_discard(as, base - PAGE_SIZE, PAGE_SIZE * 2) == -ENOMEM);

	as->as_nvmas = MAX_VMAS - 1;
	KT_ASSERT(as_map(as, PAGE_SIZE * 16, PAGE_SIZE, VM_R, VK_ANON) == 0);
	KT_ASSERT(as_map(as, PAGE_SIZE * 32, PAGE_SIZE, VM_R, VK_ANON) == -ENOMEM);
	KT_ASSERT(as_unmap(as, far, PAGE_SIZE) == -ENOMEM);
	as->as_nvmas = 2;
	KT_ASSERT(as_unmap(as, base, len) == 0 && as_range_free(as, base, len));
	as_destroy(as);
	vm_trim();
	kheap_trim();
	KT_ASSERT(pmm_free_frames() >= before);
}

/*
 * Shared memory: a 64 TiB shared region (a 4-level object) faulted far out
 * in a parent and its fork maps one frame, counted once per table entry
 * plus once by the object; unmapping in one leaves it to the other, and
 * the last region's end frees it.  mremap moves a 32 TiB region holding two
 * pages at the cost of two pages.
 */
KTEST(uvm_shared_object_and_remap)
{
	uint64_t before = pmm_free_frames(), base = 0x10000000, len = 64ULL << 40;
	uint64_t far = base + (40ULL << 40), *pte, pa;
	struct aspace *as = as_create(), *child;
	struct vmobj *o = vmobj_create(len >> PAGE_SHIFT);

	KT_ASSERT(as != 0 && o != 0 && o->vo_levels == 4);
	KT_ASSERT(as_map_shared(as, base, len, VM_R | VM_W, o, 0) == 0);
	vmobj_rele(o);
	KT_ASSERT(as_fault(as, far, 1, 0) == 0);
	child = as_fork(as);
	KT_ASSERT(child != 0 && child->as_resident == 1);
	pte = pt_walk(vm_ctx(), child->as_root, far, 0, 1);
	KT_ASSERT(pte != 0 && (*pte & PTE_W) && !(*pte & PTE_COW));
	pa = *pte & PTE_ADDR_MASK;
	KT_ASSERT(vmobj_lookup(o, (far - base) >> PAGE_SHIFT) == pa);
	KT_ASSERT(pageref_get(pa) == 3);
	KT_ASSERT(as_unmap(as, base, len) == 0 && pageref_get(pa) == 2);
	KT_ASSERT(as_fault(child, far + PAGE_SIZE, 0, 0) == 0);
	/* Past the object's end: SIGBUS. */
	KT_ASSERT(as_remap(child, base, len, len + PAGE_SIZE, 0, 0) == (long)base);
	KT_ASSERT(as_fault(child, base + len, 0, 0) == -ENXIO);
	as_destroy(child);

	len = 32ULL << 40;
	KT_ASSERT(as_map(as, base, len, VM_R | VM_W, VK_ANON) == 0);
	KT_ASSERT(as_fault(as, base, 1, 0) == 0 && as_fault(as, far - (16ULL << 40), 1, 0) == 0);
	KT_ASSERT(as_remap(as, base, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, base + len) ==
	    (long)(base + len));
	KT_ASSERT(as->as_resident == 2 && as_range_free(as, base, len));
	pte = pt_walk(vm_ctx(), as->as_root, base + len, 0, 1);
	KT_ASSERT(pte != 0 && (*pte & PTE_P));
	as_destroy(as);
	vm_trim();
	kheap_trim();
	KT_ASSERT(pmm_free_frames() >= before);
}

KTEST(cpu_tables_in_kernel_half)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr, idtr;
	int i;

	__asm__ volatile("sgdt %0" : "=m"(gdtr));
	__asm__ volatile("sidt %0" : "=m"(idtr));
	KT_ASSERT(gdtr.base == (uint64_t)gdt_address());
	KT_ASSERT(idtr.base == (uint64_t)idt_address());
	KT_ASSERT(gdtr.base >= KERNEL_HALF_BASE && idtr.base >= KERNEL_HALF_BASE);
	KT_ASSERT(tss_get_rsp0() >= KERNEL_HALF_BASE);
	/* Nothing the firmware left is live: no LDT, no SYSENTER target, no breakpoint. */
	KT_ASSERT(ldt_selector() == 0);
	if (cpu_features.cf_sep)
		KT_ASSERT(rdmsr(MSR_SYSENTER_CS) == 0);
	{
		uint64_t dr7;

		__asm__ volatile("mov %%dr7, %0" : "=r"(dr7));
		KT_ASSERT((dr7 & 0xff) == 0);
	}
	KT_ASSERT(!(read_cr4() & (CR4_PCE | CR4_VME | CR4_PVI)));
	for (i = 1; i <= IST_COUNT; i++) {
		KT_ASSERT(tss_get_ist(i) >= KSTACK_AREA);
		KT_ASSERT(vm_kernel_readable(tss_get_ist(i) - KSTACK_SIZE, KSTACK_SIZE));
	}
}

KTEST(kheap_small_and_large)
{
	uint64_t before = pmm_free_frames();
	void *p[200], *big;
	size_t sz;
	int i;

	for (i = 0; i < 200; i++) {
		sz = 1 + (i * 37) % 2048;
		p[i] = kmalloc(sz);
		KT_ASSERT(p[i] != 0 && ((uint64_t)p[i] & 15) == 0);
		KT_ASSERT((uint64_t)p[i] >= KERNEL_HALF_BASE);
		memset(p[i], i, sz);
	}
	for (i = 0; i < 200; i++)
		KT_ASSERT(((unsigned char *)p[i])[0] == (unsigned char)i);
	big = kzalloc(1 << 20);
	KT_ASSERT(big != 0 && ((unsigned char *)big)[(1 << 20) - 1] == 0);
	kfree(big);
	for (i = 0; i < 200; i++)
		kfree(p[i]);
	kheap_trim();
	KT_ASSERT(pmm_free_frames() == before);	/* the heap gives memory back */
}

/* CR4's protections are pinned: clearing them does not stick. */
KTEST(cr4_pinned)
{
	uint64_t before = read_cr4();

	cpu_write_cr4(before & ~(CR4_SMEP | CR4_SMAP | CR4_UMIP));
	KT_ASSERT((read_cr4() & (CR4_SMEP | CR4_SMAP | CR4_UMIP)) ==
	    (before & (CR4_SMEP | CR4_SMAP | CR4_UMIP)));
	KT_ASSERT(read_cr0() & CR0_WP);
}
