/*
 * pmm.h: the physical frame allocator, a buddy allocator of 4 KiB frames.
 *
 * Interface:
 *   pmm_init(free, n, span, virt_offset)	once, before anything else here
 *   pa = pmm_alloc();  pmm_free(pa);		one frame; 0 means none left
 *   pa = pmm_alloc_order(k);  pmm_free_order(pa, k);
 *						2^k frames, contiguous and
 *						aligned to 2^k * PAGE_SIZE;
 *						0 also when k > PMM_MAX_ORDER
 *   pmm_add_range(base, end)			more free memory, later
 *   k = pmm_block_of(pa, &base)		the allocated block holding pa
 *   p = pmm_phys_to_virt(pa);  pa = pmm_virt_to_phys(p);
 *   pmm_free_frames(), pmm_total_frames(), pmm_meta_frames()
 *						counts, for tests and meminfo
 *
 * free[] is sorted, merged free memory, as mm_ranges makes it; span is every
 * physical address that may ever be free: the frame metadata covers it, and
 * pmm_add_range may only give memory inside it.  In the kernel, free[] is the
 * memory map's free types minus what is still in use (the kernel image, boot
 * info, memory map, initrd, boot stack, live page tables: all of the loader's
 * allocations are EFI_MD_LOADER_DATA, so leaving that type out is simplest);
 * span runs from the first base to the last end of the MM_FREE_TYPES ranges
 * (or MM_RAM_TYPES, to reclaim ACPI tables too).  What was left out is handed
 * over with pmm_add_range once consumed.  virt_offset is added to a physical
 * address to reach it: DIRECT_MAP_BASE in the kernel.  The metadata costs one
 * byte per frame of the span, holes included (1/4096 of the span), carved
 * out of free[] itself.
 *
 * Frames come back with whatever they held: callers zero them if they care.
 * Physical frame 0 is never handed out, so 0 can mean failure.  Freeing what
 * is not allocated, or with the wrong order, panics: that is a bug.
 *
 * Safe on any CPU, with or without the kernel lock (pm_lock, a leaf).
 */
#ifndef KERNEL_MM_PMM_H
#define KERNEL_MM_PMM_H

#include <stdint.h>
#include <lib/memmap.h>

/* Largest block: 2^PMM_MAX_ORDER frames, 4 MiB. */
#define PMM_MAX_ORDER	10

void pmm_init(const struct mm_range *free, int n, struct mm_range span,
    uint64_t virt_offset);
void pmm_add_range(uint64_t base, uint64_t end);

uint64_t pmm_alloc(void);
uint64_t pmm_alloc_order(unsigned order);
void pmm_free(uint64_t pa);
void pmm_free_order(uint64_t pa, unsigned order);

/*
 * The allocated block that contains pa: returns its order and stores its
 * first address in *basep, or returns -1 when pa is in no allocated block
 * (free, never managed, or outside the span).  O(PMM_MAX_ORDER).
 */
int pmm_block_of(uint64_t pa, uint64_t *basep);

void *pmm_phys_to_virt(uint64_t pa);
uint64_t pmm_virt_to_phys(const void *va);

/* Frames free now; frames managed (free or allocated, not the metadata). */
uint64_t pmm_free_frames(void);
uint64_t pmm_total_frames(void);
/* Frames holding the per-frame metadata, carved out of free memory at init. */
uint64_t pmm_meta_frames(void);

#endif /* KERNEL_MM_PMM_H */
