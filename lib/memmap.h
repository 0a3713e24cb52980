/*
 * memmap.h: turning a raw UEFI memory map into sorted, merged ranges.
 *
 * Interface:
 *   n = mm_ranges(map, size, stride, want, out, max)
 * collects the descriptors whose type is in the bit set `want` (1 << EFI_MD_*)
 * into out[], sorted by address, with overlapping and adjacent ranges merged
 * and zero-length descriptors dropped.  Returns the number of ranges, or -1
 * when more than max would be needed or the map is malformed (stride smaller
 * than a descriptor or not a multiple of 8, size not a multiple of stride, a
 * range that wraps).
 *
 * Walks by the firmware's descriptor size, never sizeof.  Pure: host tested
 * with adversarial maps, and fuzzed.
 */
#ifndef LIB_MEMMAP_H
#define LIB_MEMMAP_H

#include <stdint.h>
#include <shared/bootinfo.h>
#include <shared/layout.h>

struct mm_range {
	uint64_t mr_base;
	uint64_t mr_end;	/* exclusive */
};

/* Memory that holds RAM contents: everything the direct map covers. */
#define MM_RAM_TYPES	((1u << EFI_MD_LOADER_CODE) | (1u << EFI_MD_LOADER_DATA) | \
			 (1u << EFI_MD_BS_CODE) | (1u << EFI_MD_BS_DATA) | \
			 (1u << EFI_MD_RT_CODE) | (1u << EFI_MD_RT_DATA) | \
			 (1u << EFI_MD_CONVENTIONAL) | (1u << EFI_MD_ACPI_RECLAIM) | \
			 (1u << EFI_MD_ACPI_NVS) | (1u << EFI_MD_PERSISTENT))

/* Memory the kernel may allocate from once the loader's data is consumed. */
#define MM_FREE_TYPES	((1u << EFI_MD_CONVENTIONAL) | (1u << EFI_MD_BS_CODE) | \
			 (1u << EFI_MD_BS_DATA) | (1u << EFI_MD_LOADER_CODE) | \
			 (1u << EFI_MD_LOADER_DATA))

int mm_ranges(const void *map, uint64_t size, uint64_t stride, uint32_t want,
    struct mm_range *out, int max);
/* Insert [base, end) into a sorted merged list of n ranges; returns new n or -1. */
int mm_add(struct mm_range *r, int n, int max, uint64_t base, uint64_t end);
/* Remove [base, end) from a sorted merged list; returns new n or -1. */
int mm_remove(struct mm_range *r, int n, int max, uint64_t base, uint64_t end);

#endif /* LIB_MEMMAP_H */
