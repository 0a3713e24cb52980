/*
 * pageref.h: how many user mappings share each physical frame, for
 * copy-on-write.  A frame mapped once has count 1; fork raises it; unmapping
 * lowers it, and the last unmapping frees the frame.
 */
#ifndef PAGEREF_H
#define PAGEREF_H

#include <stdint.h>

void pageref_init(uint64_t span_end);
void pageref_set1(uint64_t pa);
void pageref_inc(uint64_t pa);
/* Lower the count; frees the frame and returns 0 when it was the last. */
unsigned pageref_dec(uint64_t pa);
unsigned pageref_get(uint64_t pa);

#endif
