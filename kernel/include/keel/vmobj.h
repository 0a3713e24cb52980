/*
 * vmobj.h: shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS): an object of
 * vo_npages page slots, each filled with a zeroed frame on its first touch
 * through any mapping and kept until the last region mapping the object
 * goes.  Linux backs such a mapping with a shmem file of the mapping's
 * size; a fault past that size is SIGBUS, and so it is here.
 *
 * Counting: each region (vma) of the object holds one reference (vo_refs);
 * the object holds one share count (pageref.h) on each of its frames, and
 * each page-table entry mapping one holds another.  So munmap or
 * MADV_DONTNEED in one process drops only that process's entries, the data
 * stays for the others, and the frames are freed with the object.
 *
 * Locking: none yet; every caller runs in the (non-preemptible) kernel on
 * behalf of an address space that maps the object.
 */
#ifndef VMOBJ_H
#define VMOBJ_H

#include <stdint.h>

struct vmobj {
	uint64_t vo_npages;	/* [I] size in pages */
	uint64_t vo_root;	/* slots: a tree of 512-entry pages (physical), 0 if empty */
	int vo_levels;		/* [I] depth of the tree: 1 when the root holds frames */
	int vo_refs;		/* regions mapping it */
};

/* An empty object of npages pages (> 0), one reference; 0 without memory. */
struct vmobj *vmobj_create(uint64_t npages);
void vmobj_hold(struct vmobj *o);
/* Drop a reference; the last frees the frames no page table still maps. */
void vmobj_rele(struct vmobj *o);
/* The frame of page idx (< vo_npages), made zero-filled if absent; 0 without memory. */
uint64_t vmobj_page(struct vmobj *o, uint64_t idx);
/* The frame of page idx if it has one, else 0. */
uint64_t vmobj_lookup(struct vmobj *o, uint64_t idx);

#endif
