/*
 * pageref.c: per-frame share counts (see pageref.h).
 *
 * 16 bits per frame in chunks of 4 MiB (2 Mi frames, 8 GiB of RAM each),
 * all allocated by pageref_init for the frames below the span's end; only
 * the counts of those frames are zeroed (and may be used), so a small
 * machine does not clear a whole 4 MiB chunk at boot.  A count that would
 * overflow sticks at the maximum and the frame is then never freed: a
 * leak, never a use after free.
 */
#include "../kernel.h"
#include "pageref.h"
#include "pmm.h"

#define CHUNK_ENTRIES	PAGEREF_CHUNK_ENTRIES
#define NCHUNKS		PAGEREF_NCHUNKS

uint16_t *pageref_chunks[NCHUNKS];
uint64_t pageref_nframes;		/* counts exist for frames below this */

/* Make every chunk up front, so counting never allocates (or leaks). */
void
pageref_init(uint64_t span_end)
{
	uint64_t c, cpa, n;

	pageref_nframes = ROUNDUP(span_end, PAGE_SIZE) >> PAGE_SHIFT;
	ASSERT(pageref_nframes <= NCHUNKS * CHUNK_ENTRIES);
	for (c = 0; c * CHUNK_ENTRIES < pageref_nframes; c++) {
		cpa = pmm_alloc_order(PAGEREF_CHUNK_ORDER);
		if (cpa == 0)
			panic("pageref: no memory for a count chunk");
		pageref_chunks[c] = pmm_phys_to_virt(cpa);
		n = MIN(pageref_nframes - c * CHUNK_ENTRIES, CHUNK_ENTRIES);
		memset(pageref_chunks[c], 0, n * sizeof(uint16_t));
	}
}

void
pageref_set1(uint64_t pa)
{
	ASSERT(pa >> PAGE_SHIFT < pageref_nframes);
	*pageref_ptr(pa) = 1;
}

unsigned
pageref_odd(uint64_t pa, uint16_t *r)
{
	if (*r == 0)
		panic("pageref: frame 0x%lx is mapped with a share count of 0", pa);
	return *r;
}

unsigned
pageref_get(uint64_t pa)
{
	ASSERT(pa >> PAGE_SHIFT < pageref_nframes);
	return *pageref_ptr(pa);
}
