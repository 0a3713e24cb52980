/*
 * mem.c: from the UEFI memory map to the frame allocator.
 *
 * Free to allocate: conventional memory, boot-services code and data (the
 * firmware is gone, and the kernel loaded its own GDT and IDT before this),
 * loader code and data, less what lives there and is still needed: the
 * kernel image, the boot info, the memory map itself, the initrd, and the
 * loader's page tables until the kernel switched to its own.  Reserved,
 * ACPI (reclaim and NVS), runtime-services, MMIO and unusable memory are
 * never handed out.
 */
#include <keel/kernel.h>
#include <keel/mem.h>
#include <keel/pageref.h>
#include <keel/pmm.h>
#include <lib/memmap.h>

#define MEM_MAXRANGES	1024

static struct mm_range freer[MEM_MAXRANGES];
static uint64_t span_end;		/* of the frames pmm manages */
uint64_t mem_trampoline;		/* MEM_TRAMPOLINE_PAGES below 1 MiB, or 0 */

static int
reserve(int n, uint64_t pa, uint64_t size)
{
	if (size == 0)
		return n;
	n = mm_remove(freer, n, MEM_MAXRANGES, ROUNDDOWN(pa, PAGE_SIZE),
	    ROUNDUP(pa + size, PAGE_SIZE));
	if (n < 0)
		panic("mem_init: too many free ranges");
	return n;
}

/*
 * The application processors start in real mode at a page below 1 MiB
 * (the SIPI vector): MEM_TRAMPOLINE_PAGES of RAM the firmware called free,
 * never page 0, withheld from the allocator for good.  The highest such
 * range below 640 KiB is taken (where nothing of the legacy PC lives).
 */
static int
reserve_trampoline(int n)
{
	uint64_t size = MEM_TRAMPOLINE_PAGES * PAGE_SIZE, lo, hi;
	int i;

	for (i = n - 1; i >= 0; i--) {
		lo = MAX(freer[i].mr_base, PAGE_SIZE);
		hi = MIN(freer[i].mr_end, 0xa0000);
		if (hi > lo && hi - lo >= size) {
			mem_trampoline = ROUNDDOWN(hi - size, PAGE_SIZE);
			if (mem_trampoline >= lo)
				return reserve(n, mem_trampoline, size);
		}
	}
	mem_trampoline = 0;
	return n;
}

void
mem_init(const struct bootinfo *bi)
{
	struct mm_range span;
	int n;

	n = mm_ranges(PHYS_TO_VIRT(bi->bi_mmap), bi->bi_mmap_size,
	    bi->bi_mmap_desc_size, MM_FREE_TYPES, freer, MEM_MAXRANGES);
	if (n <= 0)
		panic("mem_init: no free memory in the memory map");
	span.mr_base = freer[0].mr_base;
	span.mr_end = freer[n - 1].mr_end;
	n = reserve(n, bi->bi_kernel_phys, bi->bi_kernel_size);
	n = reserve(n, VIRT_TO_PHYS(bi), sizeof(*bi));
	n = reserve(n, bi->bi_mmap, bi->bi_mmap_size);
	n = reserve(n, bi->bi_initrd_phys, bi->bi_initrd_size);
	n = reserve(n, bi->bi_pt_phys, bi->bi_pt_pages * PAGE_SIZE);
	n = reserve_trampoline(n);
	pmm_init(freer, n, span, DIRECT_MAP_BASE);
	span_end = span.mr_end;
	mem_print();
}

void
mem_init_pagerefs(void)
{
	pageref_init(span_end);
}

void
mem_reclaim_loader_tables(const struct bootinfo *bi)
{
	pmm_add_range(bi->bi_pt_phys, bi->bi_pt_phys + bi->bi_pt_pages * PAGE_SIZE);
}

void
mem_print(void)
{
	kprintf("pmm: %lu MiB free of %lu MiB managed (%lu KiB of frame metadata)\n",
	    pmm_free_frames() >> 8, pmm_total_frames() >> 8, pmm_meta_frames() * 4);
}
