/*
 * pageref.h: how many user mappings share each physical frame, for
 * copy-on-write.  A frame mapped once has count 1; fork raises it; unmapping
 * lowers it, and the last unmapping frees the frame.
 *
 * pageref_inc and pageref_dec are inline: fork and exit call them once per
 * page of a process, in their tightest loops, and with one CPU they are
 * the plain increment and decrement.  Once several CPUs run they are
 * atomic (a compare and exchange, pageref.c): address spaces that share a
 * frame change its count from different CPUs, under their own locks, not
 * one common lock.
 */
#ifndef PAGEREF_H
#define PAGEREF_H

#include <stdint.h>
#include <keel/kernel.h>
#include <keel/pmm.h>
#include <keel/spinlock.h>
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

/* Both rare cases, 0 and PAGEREF_STUCK, in one test: v - 1 wraps for 0. */
#define PAGEREF_ODD(v)	((uint16_t)((v) - 1) >= PAGEREF_STUCK - 1)

/* Several CPUs, or a rare count: atomic, out of line (pageref.c). */
void pageref_inc_smp(uint64_t pa);
unsigned pageref_dec_smp(uint64_t pa);

/*
 * The forms for a loop over a table (fork, exit): smp is the caller's one
 * look at smp_live for the whole walk, so each entry costs no test of it.
 */
static inline __attribute__((always_inline)) void
pageref_inc_in(uint64_t pa, int smp)
{
	uint16_t *r = pageref_ptr(pa);

	if (!smp && !PAGEREF_ODD(*r))
		(*r)++;
	else
		pageref_inc_smp(pa);
}

static inline __attribute__((always_inline)) unsigned
pageref_dec_in(uint64_t pa, int smp)
{
	uint16_t *r = pageref_ptr(pa);

	if (!smp && !PAGEREF_ODD(*r)) {
		if (--*r == 0)
			pmm_free(pa);
		return *r;
	}
	return pageref_dec_smp(pa);
}

static inline void
pageref_inc(uint64_t pa)
{
	pageref_inc_in(pa, __builtin_expect(smp_live, 0));
}

/* Lower the count; frees the frame and returns 0 when it was the last. */
static inline unsigned
pageref_dec(uint64_t pa)
{
	return pageref_dec_in(pa, __builtin_expect(smp_live, 0));
}

#endif
