/*
 * kheap.h: the kernel heap, kmalloc and kfree on top of the frame allocator.
 *
 * Interface:
 *   kheap_init()			once, after pmm_init
 *   p = kmalloc(size);  p = kzalloc(size);  kfree(p);
 *   kheap_trim()			give cached empty slabs back to pmm
 *   kheap_stats(&st)			what the heap holds, for tests and meminfo
 *
 * Sizes up to KHEAP_MAX_SMALL are rounded up to a power-of-two size class
 * (16 to 2048 bytes) and served from slabs in O(1); larger sizes get a block
 * of whole frames from pmm_alloc_order, up to KHEAP_MAX_SIZE.  Every pointer
 * is at least KHEAP_ALIGN aligned, and a large one is page aligned.
 *
 * kmalloc returns NULL when memory runs out or size is above KHEAP_MAX_SIZE
 * (the caller reports it); kmalloc(0) returns a distinct smallest object.
 * Memory comes back uninitialized, except from kzalloc.  kfree(NULL) does
 * nothing; kfree of a pointer kmalloc did not return, or a second kfree of
 * one, panics wherever that can be told cheaply (kheap.c says what is
 * checked).
 *
 * Safe on any CPU, with or without the kernel lock (kh_lock, then pmm's).
 */
#ifndef KERNEL_MM_KHEAP_H
#define KERNEL_MM_KHEAP_H

#include <stddef.h>
#include <stdint.h>
#include <keel/pmm.h>

#define KHEAP_ALIGN		16
#define KHEAP_MAX_SMALL		2048
#define KHEAP_MAX_SIZE		(PAGE_SIZE << PMM_MAX_ORDER)

struct kheap_stats {
	uint64_t ks_inuse;	/* bytes in live allocations, as rounded up
				   to their size class or to whole frames */
	uint64_t ks_objects;	/* live allocations */
	uint64_t ks_pages;	/* frames held from pmm: slabs, cached empty
				   slabs included, and large allocations */
};

/* Forgets everything: before the first kmalloc, or in tests after pmm_init. */
void kheap_init(void);

void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);

/* Returns the number of frames given back. */
uint64_t kheap_trim(void);
void kheap_stats(struct kheap_stats *st);

#endif /* KERNEL_MM_KHEAP_H */
