/*
 * pageref.c: per-frame share counts (see pageref.h).
 *
 * 16 bits per frame, in one virtually contiguous array at PAGEREF_AREA
 * (so that fork and exit index it directly), made by pageref_init for the
 * frames below the span's end out of the largest blocks pmm has, zeroed and
 * mapped; what lies beyond stays unmapped.  A count that would overflow
 * sticks at the maximum and the frame is then never freed: a leak, never a
 * use after free.
 */
#include <keel/kernel.h>
#include <keel/vm.h>
#include <keel/pageref.h>
#include <keel/pmm.h>

uint64_t pageref_nframes;		/* counts exist for frames below this */

/* Make every count up front, so counting never allocates (or leaks). */
void
pageref_init(uint64_t span_end)
{
	uint64_t bytes, off, pa, len;
	unsigned order;

	pageref_nframes = ROUNDUP(span_end, PAGE_SIZE) >> PAGE_SHIFT;
	bytes = ROUNDUP(pageref_nframes * sizeof(uint16_t), PAGE_SIZE);
	ASSERT(bytes <= PAGEREF_AREA_SIZE);
	for (off = 0; off < bytes; off += len) {
		for (order = 0; order < PMM_MAX_ORDER &&
		    (PAGE_SIZE << order) < bytes - off; order++)
			;
		len = MIN(PAGE_SIZE << order, bytes - off);
		pa = pmm_alloc_order(order);
		if (pa == 0 || vm_map(PAGEREF_AREA + off, pa, len, PTE_W | PTE_NX | PTE_G))
			panic("pageref: no memory for the share counts (%lu KiB)",
			    bytes >> 10);
		memset((char *)pageref_counts + off, 0, len);
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
	if (__atomic_load_n(r, __ATOMIC_RELAXED) == 0)
		panic("pageref: frame 0x%lx is mapped with a share count of 0", pa);
	return *r;
}

unsigned
pageref_get(uint64_t pa)
{
	ASSERT(pa >> PAGE_SHIFT < pageref_nframes);
	/* An acquire: a sharer's last reads of the frame came before its decrement. */
	return __atomic_load_n(pageref_ptr(pa), __ATOMIC_ACQUIRE);
}

void
pageref_inc_smp(uint64_t pa)
{
	uint16_t *r = pageref_ptr(pa), v = __atomic_load_n(r, __ATOMIC_RELAXED);

	do {
		if (PAGEREF_ODD(v)) {
			(void)pageref_odd(pa, r);
			return;
		}
	} while (!__atomic_compare_exchange_n(r, &v, v + 1, 0, __ATOMIC_RELAXED,
	    __ATOMIC_RELAXED));
}

/*
 * Everything this CPU did with the frame comes before the decrement (a
 * release), and the free after every other sharer's (the acquire of the
 * last one).
 */
unsigned
pageref_dec_smp(uint64_t pa)
{
	uint16_t *r = pageref_ptr(pa), v = __atomic_load_n(r, __ATOMIC_RELAXED);

	do {
		if (PAGEREF_ODD(v))
			return pageref_odd(pa, r);
	} while (!__atomic_compare_exchange_n(r, &v, v - 1, 0, __ATOMIC_ACQ_REL,
	    __ATOMIC_RELAXED));
	if (v == 1)
		pmm_free(pa);
	return v - 1;
}
