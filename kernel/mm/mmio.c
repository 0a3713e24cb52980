/*
 * mmio.c: device memory mapped into the MMIO area of the kernel half
 * (vm.h MMIO_AREA): registers uncached, framebuffers write-combining.
 *
 * Interface (vm.h):
 *	vm_map_mmio(pa, size)	uncached (PAT 3), or 0
 *	vm_map_wc(pa, size)	write-combining (PAT 1), or 0
 *
 * A bump allocator: mappings are made at boot by drivers and never undone,
 * each followed by an unmapped page so that an overrun faults.
 */
#include <keel/kernel.h>
#include <keel/vm.h>

static uint64_t mmio_next = MMIO_AREA;

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
