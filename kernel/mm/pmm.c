/*
 * pmm.c: the buddy allocator of physical frames (see pmm.h).
 *
 * A block of order k is 2^k frames whose first frame number is a multiple of
 * 2^k; its buddy is the block of the same order whose frame number differs
 * only in bit k.  Freeing a block merges it with its buddy for as long as the
 * buddy is free and whole, so freed memory returns to large blocks.
 *
 * Free blocks sit on one list per order, doubly linked through the first 16
 * bytes of each free block (reached through virt_offset), so that a buddy is
 * unlinked in O(1) when it merges.  Nothing else in a frame is read or
 * written, and an allocated block is not touched at all.
 *
 * The per-frame metadata (pm_meta below, one byte per frame of the span) is
 * carved out of the top of the highest free range that can hold it: low
 * memory is what constrained users need (a real-mode trampoline below 1 MiB,
 * 32-bit DMA below 4 GiB).  Its frames are marked managed but belong to no
 * block, so they can never be freed, allocated or added, and they are not
 * counted in pmm_total_frames (pmm_meta_frames says how many there are).
 */
#include <keel/kernel.h>
#include <keel/pmm.h>
#include <keel/spinlock.h>

/*
 * pm_meta[pfn - pm_base_pfn], one byte per frame of the span:
 *   FM_ORDER	the block's order, when FM_FREE or FM_ALLOC is set
 *   FM_FREE	first frame of a free block, which is on pm_free[order]
 *   FM_ALLOC	first frame of an allocated block
 *   FM_MANAGED	the frame was given to the allocator, or holds pm_meta
 * Invariants: FM_FREE and FM_ALLOC are never both set and either implies
 * FM_MANAGED; every frame of a block is FM_MANAGED; the frames of a block
 * after its first carry neither FM_FREE nor FM_ALLOC.  The last is what lets
 * a free tell the start of an allocated block from the middle of one, or
 * from memory that was freed already and merged.
 */
#define FM_ORDER	0x0f
#define FM_FREE		0x10
#define FM_ALLOC	0x20
#define FM_MANAGED	0x40
_Static_assert(PMM_MAX_ORDER <= FM_ORDER, "an order must fit in FM_ORDER");

/* Lives in the first bytes of a free block, and only while it is free. */
struct free_block {
	struct free_block *fb_next;
	struct free_block *fb_prev;
};

/*
 * The allocator's state, set by pmm_init.  pm_lock covers all of it and
 * the free blocks' links: every public function but the address
 * conversions and the counts (a word read) takes it.  It is a leaf: nothing
 * is called with it held.
 *
 * Invariants: pm_free_frames is the sum of 2^k over the blocks on every
 * pm_free[k]; pm_total_frames counts the FM_MANAGED frames outside
 * [pm_meta_pfn, pm_meta_pfn + pm_meta_frames).
 */
static struct spinlock pm_lock = SPINLOCK_INIT("pmm");
static uint64_t pm_virt_offset;
static uint8_t *pm_meta;
static uint64_t pm_base_pfn;		/* first frame of the span */
static uint64_t pm_npfn;		/* frames in the span: entries of pm_meta */
static uint64_t pm_meta_pfn;		/* where pm_meta itself lives */
static uint64_t pm_meta_frames;
static uint64_t pm_free_count;
static uint64_t pm_total_count;
/* Circular lists with a sentinel head, so unlinking needs no special case. */
static struct free_block pm_free[PMM_MAX_ORDER + 1];

static int
in_span(uint64_t pfn)
{
	return pfn >= pm_base_pfn && pfn - pm_base_pfn < pm_npfn;
}

static uint8_t *
meta(uint64_t pfn)
{
	return &pm_meta[pfn - pm_base_pfn];
}

static int
is_meta_frame(uint64_t pfn)
{
	return pfn >= pm_meta_pfn && pfn - pm_meta_pfn < pm_meta_frames;
}

void *
pmm_phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)(pa + pm_virt_offset);
}

uint64_t
pmm_virt_to_phys(const void *va)
{
	return (uint64_t)(uintptr_t)va - pm_virt_offset;
}

static void
list_push(uint64_t pfn, unsigned order)
{
	struct free_block *b = pmm_phys_to_virt(pfn << PAGE_SHIFT);
	struct free_block *head = &pm_free[order];

	b->fb_next = head->fb_next;
	b->fb_prev = head;
	head->fb_next->fb_prev = b;
	head->fb_next = b;
}

static void
list_remove(struct free_block *b)
{
	b->fb_prev->fb_next = b->fb_next;
	b->fb_next->fb_prev = b->fb_prev;
}

/*
 * Put the block at pfn on the free lists, merged with its buddies.  Its
 * frames are FM_MANAGED with no other flag; the caller counts them.
 */
static void
free_block(uint64_t pfn, unsigned order)
{
	uint64_t buddy;

	while (order < PMM_MAX_ORDER) {
		buddy = pfn ^ ((uint64_t)1 << order);
		if (!in_span(buddy) || *meta(buddy) != (FM_MANAGED | FM_FREE | order))
			break;
		list_remove(pmm_phys_to_virt(buddy << PAGE_SHIFT));
		*meta(buddy) = FM_MANAGED;
		pfn &= ~((uint64_t)1 << order);
		order++;
	}
	*meta(pfn) = FM_MANAGED | FM_FREE | order;
	list_push(pfn, order);
}

/* Frames [lo, hi) are in the span and not managed yet: manage and free them. */
static void
add_frames(uint64_t lo, uint64_t hi)
{
	uint64_t pfn;
	unsigned order;

	memset(meta(lo), FM_MANAGED, hi - lo);
	/* The largest aligned blocks that fit; free_block merges with neighbours. */
	for (pfn = lo; pfn < hi; pfn += (uint64_t)1 << order) {
		order = 0;
		while (order < PMM_MAX_ORDER &&
		    (pfn & (((uint64_t)2 << order) - 1)) == 0 &&
		    pfn + ((uint64_t)2 << order) <= hi)
			order++;
		free_block(pfn, order);
	}
	pm_free_count += hi - lo;
	pm_total_count += hi - lo;
}

/*
 * The whole frames of [base, end), rounded inward, without frame 0: frame 0
 * is never handed out, so that 0 can mean "no memory".  Empty when lo == hi.
 */
static void
range_frames(uint64_t base, uint64_t end, uint64_t *lo, uint64_t *hi)
{
	*lo = ROUNDUP(base, PAGE_SIZE) >> PAGE_SHIFT;
	*hi = ROUNDDOWN(end, PAGE_SIZE) >> PAGE_SHIFT;
	if (*lo == 0)
		*lo = 1;
	if (*hi < *lo)
		*hi = *lo;
}

void
pmm_init(const struct mm_range *free, int n, struct mm_range span,
    uint64_t virt_offset)
{
	uint64_t lo, hi, end_pfn;
	int i, meta_range;
	unsigned k;

	if (span.mr_base >= span.mr_end || span.mr_end > DIRECT_MAP_SIZE)
		panic("pmm_init: bad span [0x%lx, 0x%lx)", span.mr_base, span.mr_end);
	for (i = 0; i < n; i++) {
		if (free[i].mr_base > free[i].mr_end ||
		    (i > 0 && free[i].mr_base < free[i - 1].mr_end))
			panic("pmm_init: free range %d [0x%lx, 0x%lx) inverted, "
			    "unsorted or overlapping", i, free[i].mr_base, free[i].mr_end);
		if (free[i].mr_base < span.mr_base || free[i].mr_end > span.mr_end)
			panic("pmm_init: free range %d [0x%lx, 0x%lx) outside the "
			    "span [0x%lx, 0x%lx)", i, free[i].mr_base, free[i].mr_end,
			    span.mr_base, span.mr_end);
	}

	pm_virt_offset = virt_offset;
	pm_base_pfn = span.mr_base >> PAGE_SHIFT;
	end_pfn = ROUNDUP(span.mr_end, PAGE_SIZE) >> PAGE_SHIFT;
	pm_npfn = end_pfn - pm_base_pfn;
	pm_meta_frames = ROUNDUP(pm_npfn * sizeof(*pm_meta), PAGE_SIZE) >> PAGE_SHIFT;

	for (meta_range = n - 1; meta_range >= 0; meta_range--) {
		range_frames(free[meta_range].mr_base, free[meta_range].mr_end, &lo, &hi);
		if (hi - lo >= pm_meta_frames)
			break;
	}
	if (meta_range < 0)
		panic("pmm_init: no free range can hold the %lu KiB of frame "
		    "metadata for the span [0x%lx, 0x%lx)", pm_meta_frames * 4,
		    span.mr_base, span.mr_end);
	pm_meta_pfn = hi - pm_meta_frames;
	pm_meta = pmm_phys_to_virt(pm_meta_pfn << PAGE_SHIFT);
	memset(pm_meta, 0, pm_npfn * sizeof(*pm_meta));
	for (lo = pm_meta_pfn; lo < hi; lo++)
		*meta(lo) = FM_MANAGED;

	for (k = 0; k <= PMM_MAX_ORDER; k++)
		pm_free[k].fb_next = pm_free[k].fb_prev = &pm_free[k];
	pm_free_count = 0;
	pm_total_count = 0;
	for (i = 0; i < n; i++) {
		range_frames(free[i].mr_base, free[i].mr_end, &lo, &hi);
		if (i == meta_range)
			hi = pm_meta_pfn;
		add_frames(lo, hi);
	}
}

static void
add_range(uint64_t base, uint64_t end)
{
	uint64_t lo, hi, pfn;

	if (base > end)
		panic("pmm_add_range: inverted range [0x%lx, 0x%lx)", base, end);
	range_frames(base, end, &lo, &hi);
	if (lo == hi)
		return;
	if (!in_span(lo) || !in_span(hi - 1))
		panic("pmm_add_range: [0x%lx, 0x%lx) is outside the span "
		    "[0x%lx, 0x%lx) given to pmm_init", base, end,
		    pm_base_pfn << PAGE_SHIFT, (pm_base_pfn + pm_npfn) << PAGE_SHIFT);
	/* Check it all before changing anything. */
	for (pfn = lo; pfn < hi; pfn++)
		if (*meta(pfn) & FM_MANAGED)
			panic("pmm_add_range: [0x%lx, 0x%lx) overlaps managed "
			    "memory at 0x%lx%s", base, end, pfn << PAGE_SHIFT,
			    is_meta_frame(pfn) ? " (the frame metadata)" : "");
	add_frames(lo, hi);
}

/* Inline in its two callers: a page fault's frame costs no extra call. */
static inline __attribute__((always_inline)) uint64_t
alloc_order(unsigned order)
{
	struct free_block *b;
	uint64_t pfn, buddy;
	unsigned k;

	if (order > PMM_MAX_ORDER)
		return 0;
	for (k = order; k <= PMM_MAX_ORDER; k++)
		if (pm_free[k].fb_next != &pm_free[k])
			break;
	if (k > PMM_MAX_ORDER)
		return 0;
	b = pm_free[k].fb_next;
	list_remove(b);
	pfn = pmm_virt_to_phys(b) >> PAGE_SHIFT;
	ASSERT(*meta(pfn) == (FM_MANAGED | FM_FREE | k));
	/* Split: keep the low half, free the high half, until small enough. */
	while (k > order) {
		k--;
		buddy = pfn + ((uint64_t)1 << k);
		*meta(buddy) = FM_MANAGED | FM_FREE | k;
		list_push(buddy, k);
	}
	*meta(pfn) = FM_MANAGED | FM_ALLOC | order;
	pm_free_count -= (uint64_t)1 << order;
	return pfn << PAGE_SHIFT;
}

static inline __attribute__((always_inline)) void
free_order(uint64_t pa, unsigned order)
{
	uint64_t pfn = pa >> PAGE_SHIFT;
	uint8_t m;

	if (order > PMM_MAX_ORDER)
		panic("pmm_free: 0x%lx: order %u is above PMM_MAX_ORDER (%d)",
		    pa, order, PMM_MAX_ORDER);
	if (pa & ((PAGE_SIZE << order) - 1))
		panic("pmm_free: 0x%lx is not aligned for an order-%u block", pa, order);
	if (!in_span(pfn) || !(*meta(pfn) & FM_MANAGED))
		panic("pmm_free: 0x%lx is not memory the frame allocator manages", pa);
	if (is_meta_frame(pfn))
		panic("pmm_free: 0x%lx holds the frame allocator's metadata", pa);
	m = *meta(pfn);
	if (m & FM_FREE)
		panic("pmm_free: 0x%lx is already free (double free)", pa);
	if (!(m & FM_ALLOC))
		panic("pmm_free: 0x%lx does not start an allocated block (inside "
		    "one, or freed already)", pa);
	if ((m & FM_ORDER) != order)
		panic("pmm_free: 0x%lx was allocated with order %u, freed with "
		    "order %u", pa, m & FM_ORDER, order);
	*meta(pfn) = FM_MANAGED;
	free_block(pfn, order);
	pm_free_count += (uint64_t)1 << order;
}

static int
block_of(uint64_t pa, uint64_t *basep)
{
	uint64_t pfn = pa >> PAGE_SHIFT, head;
	unsigned k;
	uint8_t m;

	if (!in_span(pfn))
		return -1;
	/* Blocks are disjoint: the one allocated head that covers pfn is it. */
	for (k = 0; k <= PMM_MAX_ORDER; k++) {
		head = pfn & ~(((uint64_t)1 << k) - 1);
		if (!in_span(head))
			break;
		m = *meta(head);
		if ((m & FM_ALLOC) && (m & FM_ORDER) == k) {
			*basep = head << PAGE_SHIFT;
			return k;
		}
	}
	return -1;
}

void
pmm_add_range(uint64_t base, uint64_t end)
{
	uint64_t fl = spin_lock_irqsave(&pm_lock);

	add_range(base, end);
	spin_unlock_irqrestore(&pm_lock, fl);
}

uint64_t
pmm_alloc_order(unsigned order)
{
	uint64_t fl = spin_lock_irqsave(&pm_lock), pa;

	pa = alloc_order(order);
	spin_unlock_irqrestore(&pm_lock, fl);
	return pa;
}

uint64_t
pmm_alloc(void)
{
	uint64_t fl = spin_lock_irqsave(&pm_lock), pa;

	pa = alloc_order(0);
	spin_unlock_irqrestore(&pm_lock, fl);
	return pa;
}

void
pmm_free_order(uint64_t pa, unsigned order)
{
	uint64_t fl = spin_lock_irqsave(&pm_lock);

	free_order(pa, order);
	spin_unlock_irqrestore(&pm_lock, fl);
}

void
pmm_free(uint64_t pa)
{
	uint64_t fl = spin_lock_irqsave(&pm_lock);

	free_order(pa, 0);
	spin_unlock_irqrestore(&pm_lock, fl);
}

/*
 * No lock: the caller owns the block (kfree's slab or large block), and
 * block_of reads only the metadata of frames inside it, up to its head,
 * which no allocation or free on another CPU changes while it is allocated.
 */
int
pmm_block_of(uint64_t pa, uint64_t *basep)
{
	return block_of(pa, basep);
}

uint64_t
pmm_free_frames(void)
{
	return pm_free_count;
}

uint64_t
pmm_total_frames(void)
{
	return pm_total_count;
}

uint64_t
pmm_meta_frames(void)
{
	return pm_meta_frames;
}
