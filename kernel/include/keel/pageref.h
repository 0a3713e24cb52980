/*
 * pageref.h: how many user mappings share each physical frame, for
 * copy-on-write.  A frame mapped once has count 1; fork raises it; unmapping
 * lowers it, and the last unmapping frees the frame.
 *
 * pageref_inc and pageref_dec are inline: fork and exit call them once per
 * page of a process, in their tightest loops.  They are atomic (a compare
 * and exchange): address spaces that share a frame change its count from
 * different CPUs, under their own locks, not one common lock.
 */
#ifndef PAGEREF_H
#define PAGEREF_H

#include <stdint.h>
#include <keel/kernel.h>
#include <keel/pmm.h>
#include <keel/vm.h>

#define PAGEREF_STUCK		0xffff	/* an overflowed count: never freed */

/* One count per frame from 0 to the span's end, at PAGEREF_AREA (vm.h). */
#define pageref_counts	((uint16_t *)PAGEREF_AREA)
extern uint64_t pageref_nframes;	/* for the range checks */

/* After vm_init: the counts for the frames below span_end, mapped, all 0. */
void pageref_init(uint64_t span_end);
void pageref_set1(uint64_t pa);
unsigned pageref_get(uint64_t pa);

/*
 * The count of a frame that some mapping holds: pageref_set1 checked that
 * it is in range when the frame was first mapped, so inc and dec need not.
 */
static inline uint16_t *
pageref_ptr(uint64_t pa)
{
	return &pageref_counts[pa >> PAGE_SHIFT];
}

/* A count of 0 (a bug: panics) or stuck at the maximum; returns it. */
unsigned pageref_odd(uint64_t pa, uint16_t *r);

static inline void
pageref_inc(uint64_t pa)
{
	uint16_t *r = pageref_ptr(pa), v = __atomic_load_n(r, __ATOMIC_RELAXED);

	do {
		if ((uint16_t)(v - 1) >= PAGEREF_STUCK - 1) {
			(void)pageref_odd(pa, r);
			return;
		}
	} while (!__atomic_compare_exchange_n(r, &v, v + 1, 0, __ATOMIC_RELAXED,
	    __ATOMIC_RELAXED));
}

/*
 * Lower the count; frees the frame and returns 0 when it was the last.
 * Everything this CPU did with the frame comes before the decrement (a
 * release), and the free after every other sharer's (the acquire of the
 * last one).
 */
static inline unsigned
pageref_dec(uint64_t pa)
{
	uint16_t *r = pageref_ptr(pa), v = __atomic_load_n(r, __ATOMIC_RELAXED);

	do {
		if ((uint16_t)(v - 1) >= PAGEREF_STUCK - 1)
			return pageref_odd(pa, r);
	} while (!__atomic_compare_exchange_n(r, &v, v - 1, 0, __ATOMIC_ACQ_REL,
	    __ATOMIC_RELAXED));
	if (v == 1)
		pmm_free(pa);
	return v - 1;
}

#endif
