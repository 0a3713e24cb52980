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

#define CHUNK_ORDER	PMM_MAX_ORDER
#define CHUNK_ENTRIES	((PAGE_SIZE << CHUNK_ORDER) / sizeof(uint16_t))
#define NCHUNKS		((DIRECT_MAP_SIZE >> PAGE_SHIFT) / CHUNK_ENTRIES)
#define REF_STUCK	0xffff

static uint16_t *chunks[NCHUNKS];
static uint64_t nframes;		/* counts exist for frames below this */

static uint16_t *
ref(uint64_t pa)
{
	uint64_t pfn = pa >> PAGE_SHIFT;

	ASSERT(pfn < nframes);
	return &chunks[pfn / CHUNK_ENTRIES][pfn % CHUNK_ENTRIES];
}

/* Make every chunk up front, so counting never allocates (or leaks). */
void
pageref_init(uint64_t span_end)
{
	uint64_t c, cpa, n;

	nframes = ROUNDUP(span_end, PAGE_SIZE) >> PAGE_SHIFT;
	ASSERT(nframes <= NCHUNKS * CHUNK_ENTRIES);
	for (c = 0; c * CHUNK_ENTRIES < nframes; c++) {
		cpa = pmm_alloc_order(CHUNK_ORDER);
		if (cpa == 0)
			panic("pageref: no memory for a count chunk");
		chunks[c] = pmm_phys_to_virt(cpa);
		n = MIN(nframes - c * CHUNK_ENTRIES, CHUNK_ENTRIES);
		memset(chunks[c], 0, n * sizeof(uint16_t));
	}
}

void
pageref_set1(uint64_t pa)
{
	*ref(pa) = 1;
}

void
pageref_inc(uint64_t pa)
{
	uint16_t *r = ref(pa);

	ASSERT(*r > 0);
	if (*r != REF_STUCK)
		(*r)++;
}

unsigned
pageref_dec(uint64_t pa)
{
	uint16_t *r = ref(pa);

	ASSERT(*r > 0);
	if (*r == REF_STUCK)
		return REF_STUCK;
	if (--*r == 0)
		pmm_free(pa);
	return *r;
}

unsigned
pageref_get(uint64_t pa)
{
	return *ref(pa);
}
