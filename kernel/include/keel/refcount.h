/*
 * refcount.h: reference counts and pending-signal sets, which code on
 * several CPUs changes: each change is one locked instruction, so no
 * update is lost whichever locks the callers hold (Linux's atomic_t and
 * its set_bit).  A count's last decrement is an acquire and a release:
 * every use of the object before it, on any CPU, comes before the free.
 *
 *   ref_inc(&n)            n++
 *   ref_dec(&n)            --n, returning it: 0 means the caller frees
 *   sigset_add(&s, bits)   s |= bits
 *   sigset_del(&s, bits)   s &= ~bits
 */
#ifndef KEEL_REFCOUNT_H
#define KEEL_REFCOUNT_H

#include <stdint.h>

#define ref_inc(r)	((void)__atomic_add_fetch((r), 1, __ATOMIC_RELAXED))
#define ref_dec(r)	__atomic_sub_fetch((r), 1, __ATOMIC_ACQ_REL)

static inline void
sigset_add(uint64_t *s, uint64_t bits)
{
	__atomic_or_fetch(s, bits, __ATOMIC_RELEASE);
}

static inline void
sigset_del(uint64_t *s, uint64_t bits)
{
	__atomic_and_fetch(s, ~bits, __ATOMIC_RELAXED);
}

#endif /* KEEL_REFCOUNT_H */
