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
#include <keel/smp.h>
#include <arch/arch.h>

/*
 * Kernel stack slots: a bump index and a stack of freed slots.  The last
 * few stacks freed stay mapped, ready for the next processes (a fork and
 * an exit would otherwise map and unmap KSTACK_SIZE every time).  No more
 * than KSTACK_SLOTS slots are ever made, so every freed one fits in
 * kstack_freed: none is lost, however many processes come and go.
 *
 * Unmapping a stack must reach every CPU's TLB (an IPI to each, and a
 * wait for their answers) before its frames are reused.  So stacks go in
 * batches (Linux's lazy vunmap purge): the cache holds up to KSTACK_CACHE
 * + KSTACK_BATCH, and when it is full KSTACK_BATCH of them are unmapped
 * together and every CPU flushed once, not once per page.
 */
#define KSTACK_CACHE	8
#define KSTACK_BATCH	8
#define KSTACK_SLOTS	8192	/* > NPROC_MAX (4096) + IST stacks + the cache */
static uint64_t kstack_next;
static uint32_t kstack_freed[KSTACK_SLOTS];
static int kstack_nfreed;
static uint64_t kstack_cache[KSTACK_CACHE + KSTACK_BATCH];	/* tops of mapped, unused stacks */
static int kstack_ncached;
uint64_t kstack_batches;	/* releases, each one shootdown (the self-tests) */

static void kstack_release(uint64_t *tops, int n);

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
			if (p > base) {
				uint64_t top = base + KSTACK_SIZE;

				kstack_release(&top, 1);	/* what was mapped */
			}
			return 0;
		}
	}
	return base + KSTACK_SIZE;
}

void
kstack_free(uint64_t top)
{
	ASSERT(top > KSTACK_AREA && (top - KSTACK_AREA) % KSTACK_SLOT == 0);
	if (kstack_ncached == KSTACK_CACHE + KSTACK_BATCH) {
		kstack_ncached -= KSTACK_BATCH;
		kstack_release(&kstack_cache[kstack_ncached], KSTACK_BATCH);
	}
	kstack_cache[kstack_ncached++] = top;
}

/*
 * Unmap n stacks, flush every CPU once for all of them, then give their
 * frames and slots back (KSTACK_BATCH at most).
 */
static void
kstack_release(uint64_t *tops, int n)
{
	uint64_t pa[KSTACK_BATCH * KSTACK_PAGES], base, p;
	int i, npa = 0;

	ASSERT(n <= KSTACK_BATCH);
	for (i = 0; i < n; i++) {
		base = tops[i] - KSTACK_SIZE;
		for (p = base; p < tops[i]; p += PAGE_SIZE) {
			if (pt_translate(vm_ctx(), vm_kernel_root(), p, &pa[npa], 0) != PT_OK)
				continue;
			vm_unmap_noflush(p, PAGE_SIZE);
			npa++;
		}
	}
	/* One stack: its pages; several: every translation (they are far apart). */
	if (n == 1)
		tlb_shootdown_kernel(tops[0] - KSTACK_SIZE, KSTACK_PAGES);
	else
		tlb_shootdown_kernel(0, 0);
	kstack_batches++;
	for (i = 0; i < npa; i++)
		pmm_free(pa[i]);
	for (i = 0; i < n; i++) {
		ASSERT(kstack_nfreed < KSTACK_SLOTS);
		kstack_freed[kstack_nfreed++] = (tops[i] - KSTACK_AREA) / KSTACK_SLOT - 1;
	}
}

void
kstack_trim(void)
{
	int n;

	while (kstack_ncached > 0) {
		n = MIN(kstack_ncached, KSTACK_BATCH);
		kstack_ncached -= n;
		kstack_release(&kstack_cache[kstack_ncached], n);
	}
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
