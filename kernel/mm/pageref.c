/*
 * pageref.c: per-frame share counts (see pageref.h).
 *
 * 16 bits per frame in chunks of 4 MiB (2 Mi frames, 8 GiB of RAM each),
 * allocated when a frame in their range is first counted; chunks stay.  A
 * count that would overflow sticks at the maximum and the frame is then
 * never freed: a leak, never a use after free.
 */
#include "../kernel.h"
#include "pageref.h"
#include "pmm.h"

#define CHUNK_ORDER	PMM_MAX_ORDER
#define CHUNK_ENTRIES	((PAGE_SIZE << CHUNK_ORDER) / sizeof(uint16_t))
#define NCHUNKS		((DIRECT_MAP_SIZE >> PAGE_SHIFT) / CHUNK_ENTRIES)
#define REF_STUCK	0xffff

static uint16_t *chunks[NCHUNKS];

static uint16_t *
ref(uint64_t pa)
{
	uint64_t pfn = pa >> PAGE_SHIFT, c = pfn / CHUNK_ENTRIES;
	uint64_t cpa;

	ASSERT(c < NCHUNKS);
	if (chunks[c] == 0) {
		cpa = pmm_alloc_order(CHUNK_ORDER);
		if (cpa == 0)
			panic("pageref: no memory for a count chunk");
		chunks[c] = pmm_phys_to_virt(cpa);
		memset(chunks[c], 0, PAGE_SIZE << CHUNK_ORDER);
	}
	return &chunks[c][pfn % CHUNK_ENTRIES];
}

/* Make every chunk up front, so counting never allocates (or leaks). */
void
pageref_init(uint64_t span_end)
{
	uint64_t pa;

	for (pa = 0; pa < span_end; pa += CHUNK_ENTRIES * PAGE_SIZE)
		(void)ref(pa);
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
