/*
 * kstack.c: kernel stacks, each in its own slot of the stack area (vm.h
 * KSTACK_AREA) above an unmapped guard page.
 *
 * Interface (vm.h):
 *	kstack_alloc()		the top of a new KSTACK_SIZE stack, or 0
 *	kstack_free(top)	give it back (kept mapped in a small cache)
 *	kstack_trim()		unmap the cached stacks (vm_trim)
 *	vm_guard_name(va)	which stack's guard page va is in, or 0 (panics)
 */
#include <keel/kernel.h>
#include <keel/vm.h>
#include <keel/pmm.h>
#include <arch/arch.h>

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
		if (pt_translate(vm_ctx(), vm_kernel_root(), p, &pa, 0) != PT_OK)
			continue;
		vm_unmap(p, PAGE_SIZE);
		pmm_free(pa);
	}
	ASSERT(kstack_nfreed < KSTACK_SLOTS);
	kstack_freed[kstack_nfreed++] = (top - KSTACK_AREA) / KSTACK_SLOT - 1;
}

void
kstack_trim(void)
{
	while (kstack_ncached > 0)
		kstack_release(kstack_cache[--kstack_ncached]);
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
