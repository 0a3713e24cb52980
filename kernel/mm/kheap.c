/*
 * kheap.c: the kernel heap (see kheap.h).
 *
 * Small objects live in slabs: a buddy block of 2^kc_order frames that
 * starts with a struct slab header, followed by kc_nobj objects of one size
 * class.  The order is chosen per class so that the header wastes at most one
 * object in eight.  Free objects are linked through their first word, so
 * kmalloc and kfree of a small object are O(1).
 *
 * Large objects are a buddy block of their own, with nothing in front: their
 * order is already in the frame allocator's metadata, so kfree asks
 * pmm_block_of which allocated block holds a pointer and learns both where
 * the block starts and how big it is.  A pointer at the start of its block is
 * a large object (a slab's first bytes are its header, never an object);
 * anything else must be an object inside a slab.
 *
 * What kfree checks, all O(1):
 *   - the pointer is KHEAP_ALIGN aligned;
 *   - it lies in a block the frame allocator has handed out;
 *   - inside a slab: the header's magic is right and the pointer is the
 *     start of one of its objects, which is allocated (a per-slab bitmap),
 *     so double frees and interior pointers panic;
 *   - at the start of a block: the block is not a slab.
 * Not caught: a block that someone took from pmm directly, then passed to
 * kfree, is freed as a large object; and a large object whose first bytes
 * happen to be exactly a slab header of itself is refused as one.
 *
 * Empty slabs go back to pmm, except for one per class that is kept, so that
 * an object allocated and freed in a loop does not take a block from pmm and
 * give it back every time.  kheap_trim releases those too.
 */
#include <keel/kernel.h>
#include <keel/kheap.h>
#include <keel/spinlock.h>

#define SLAB_MAGIC	0x62616c73706165ebULL	/* arbitrary; xored with the address */
#define SLAB_MAP_WORDS	4			/* bitmap of up to 256 objects */

/*
 * The first bytes of every slab.  Invariants: sl_magic is SLAB_MAGIC xor the
 * header's own address while the slab exists and 0 once it is released, so
 * neither a copy of a header nor a stale one passes for a slab;
 * bit i of sl_used is set exactly when object i is allocated, sl_inuse counts
 * those bits, and every other object is on sl_free.
 */
struct slab {
	uint64_t sl_magic;
	struct slab *sl_next;		/* on kc_partial, when not full or empty */
	struct slab *sl_prev;
	void *sl_free;			/* free objects, linked by their first word */
	uint16_t sl_class;		/* index in kh_class */
	uint16_t sl_inuse;
	uint32_t sl_pad;
	uint64_t sl_used[SLAB_MAP_WORDS];
};

/* Objects start here: the header rounded up so they stay KHEAP_ALIGN aligned. */
#define SLAB_HDR_SIZE	ROUNDUP(sizeof(struct slab), KHEAP_ALIGN)

/*
 * One size class: objects of 1 << kc_shift bytes.
 * Invariants: kc_partial holds exactly the slabs with 0 < sl_inuse < kc_nobj;
 * full slabs are on no list (kfree finds them from the pointer); kc_empty is
 * the one cached slab with sl_inuse == 0, or NULL.
 */
struct kclass {
	unsigned kc_shift;
	unsigned kc_order;		/* a slab is 2^kc_order frames */
	unsigned kc_nobj;		/* objects per slab */
	struct slab *kc_partial;
	struct slab *kc_empty;
};

#define KHEAP_MIN_SHIFT	4		/* 16 bytes: KHEAP_ALIGN */
#define NCLASS		8		/* 16 .. 2048 */
_Static_assert((1 << KHEAP_MIN_SHIFT) == KHEAP_ALIGN, "smallest class is the alignment");
_Static_assert((1 << (KHEAP_MIN_SHIFT + NCLASS - 1)) == KHEAP_MAX_SMALL,
    "largest class is KHEAP_MAX_SMALL");

/*
 * Slab orders: one frame up to 512-byte objects, then larger slabs so that
 * at least 7 objects fit beside the header.
 */
static const uint8_t slab_order[NCLASS] = { 0, 0, 0, 0, 0, 0, 1, 2 };

/*
 * The heap's state.  kh_lock covers kh_class, every slab header and free
 * list, and the counters; pmm takes its own lock underneath (the order:
 * kheap, then pmm).
 */
static struct spinlock kh_lock = SPINLOCK_INIT("kheap");
static struct kclass kh_class[NCLASS];
static struct kheap_stats kh_stats;

void
kheap_init(void)
{
	struct kclass *kc;
	unsigned i;

	for (i = 0; i < NCLASS; i++) {
		kc = &kh_class[i];
		kc->kc_shift = KHEAP_MIN_SHIFT + i;
		kc->kc_order = slab_order[i];
		kc->kc_nobj = ((PAGE_SIZE << kc->kc_order) - SLAB_HDR_SIZE) >> kc->kc_shift;
		ASSERT(kc->kc_nobj <= SLAB_MAP_WORDS * 64 && kc->kc_nobj >= 7);
		kc->kc_partial = NULL;
		kc->kc_empty = NULL;
	}
	memset(&kh_stats, 0, sizeof(kh_stats));
}

/* 2^order frames, giving back the cached empty slabs if that helps. */
static uint64_t trim(void);

static uint64_t
frames_alloc(unsigned order)
{
	uint64_t pa;

	pa = pmm_alloc_order(order);
	if (pa == 0 && trim() > 0)
		pa = pmm_alloc_order(order);
	if (pa != 0)
		kh_stats.ks_pages += (uint64_t)1 << order;
	return pa;
}

static void
frames_free(uint64_t pa, unsigned order)
{
	pmm_free_order(pa, order);
	kh_stats.ks_pages -= (uint64_t)1 << order;
}

static void
partial_push(struct kclass *kc, struct slab *s)
{
	s->sl_prev = NULL;
	s->sl_next = kc->kc_partial;
	if (kc->kc_partial)
		kc->kc_partial->sl_prev = s;
	kc->kc_partial = s;
}

static void
partial_remove(struct kclass *kc, struct slab *s)
{
	if (s->sl_prev)
		s->sl_prev->sl_next = s->sl_next;
	else
		kc->kc_partial = s->sl_next;
	if (s->sl_next)
		s->sl_next->sl_prev = s->sl_prev;
	s->sl_next = s->sl_prev = NULL;
}

static struct slab *
slab_new(struct kclass *kc)
{
	struct slab *s;
	char *obj;
	uint64_t pa;
	unsigned i;

	pa = frames_alloc(kc->kc_order);
	if (pa == 0)
		return NULL;
	s = pmm_phys_to_virt(pa);
	memset(s, 0, sizeof(*s));
	s->sl_magic = SLAB_MAGIC ^ (uintptr_t)s;
	s->sl_class = kc - kh_class;
	/* Link from the top down, so objects are handed out in address order. */
	for (i = kc->kc_nobj; i-- > 0; ) {
		obj = (char *)s + SLAB_HDR_SIZE + ((size_t)i << kc->kc_shift);
		*(void **)obj = s->sl_free;
		s->sl_free = obj;
	}
	return s;
}

/*
 * The magic goes first, so that a large object later at this address cannot
 * look like a slab, whatever pmm leaves in the memory it gets back.
 */
static void
slab_release(struct kclass *kc, struct slab *s)
{
	s->sl_magic = 0;
	frames_free(pmm_virt_to_phys(s), kc->kc_order);
}

static void *
small_alloc(struct kclass *kc)
{
	struct slab *s;
	void *p;
	uint64_t off, i;

	s = kc->kc_partial;
	if (s == NULL) {
		s = kc->kc_empty;
		kc->kc_empty = NULL;
		if (s == NULL && (s = slab_new(kc)) == NULL)
			return NULL;
		partial_push(kc, s);
	}
	p = s->sl_free;
	off = (uintptr_t)p - (uintptr_t)s - SLAB_HDR_SIZE;
	i = off >> kc->kc_shift;
	/* A free object's first word was overwritten: a use after free. */
	if (p == NULL || (uintptr_t)p < (uintptr_t)s + SLAB_HDR_SIZE ||
	    (off & ((1UL << kc->kc_shift) - 1)) != 0 || i >= kc->kc_nobj ||
	    (s->sl_used[i / 64] & (1UL << (i % 64))))
		panic("kmalloc: free list of the %u-byte slab at %p is corrupt "
		    "(next %p): written after kfree?", 1u << kc->kc_shift, s, p);
	s->sl_free = *(void **)p;
	s->sl_used[i / 64] |= 1UL << (i % 64);
	s->sl_inuse++;
	if (s->sl_inuse == kc->kc_nobj)
		partial_remove(kc, s);
	kh_stats.ks_inuse += (uint64_t)1 << kc->kc_shift;
	kh_stats.ks_objects++;
	return p;
}

static void
small_free(struct slab *s, unsigned order, void *p)
{
	struct kclass *kc;
	uint64_t off, i;

	if (s->sl_magic != (SLAB_MAGIC ^ (uintptr_t)s) || s->sl_class >= NCLASS)
		panic("kfree: %p is not a heap object (inside a block that is "
		    "neither a slab nor a large object's start)", p);
	kc = &kh_class[s->sl_class];
	ASSERT(order == kc->kc_order);
	off = (uintptr_t)p - (uintptr_t)s;
	if (off < SLAB_HDR_SIZE || ((off - SLAB_HDR_SIZE) & ((1UL << kc->kc_shift) - 1)) ||
	    ((off - SLAB_HDR_SIZE) >> kc->kc_shift) >= kc->kc_nobj)
		panic("kfree: %p is not the start of an object of the %u-byte "
		    "slab at %p", p, 1u << kc->kc_shift, s);
	i = (off - SLAB_HDR_SIZE) >> kc->kc_shift;
	if (!(s->sl_used[i / 64] & (1UL << (i % 64))))
		panic("kfree: %p (%u-byte object) is already free (double free)",
		    p, 1u << kc->kc_shift);
	s->sl_used[i / 64] &= ~(1UL << (i % 64));
	*(void **)p = s->sl_free;
	s->sl_free = p;
	if (s->sl_inuse == kc->kc_nobj)
		partial_push(kc, s);
	s->sl_inuse--;
	kh_stats.ks_inuse -= (uint64_t)1 << kc->kc_shift;
	kh_stats.ks_objects--;
	if (s->sl_inuse > 0)
		return;
	partial_remove(kc, s);
	if (kc->kc_empty == NULL)
		kc->kc_empty = s;
	else
		slab_release(kc, s);
}

static void *
large_alloc(size_t size)
{
	unsigned order = 0;
	uint64_t pa;

	if (size > KHEAP_MAX_SIZE)
		return NULL;
	while ((PAGE_SIZE << order) < size)
		order++;
	pa = frames_alloc(order);
	if (pa == 0)
		return NULL;
	kh_stats.ks_inuse += PAGE_SIZE << order;
	kh_stats.ks_objects++;
	return pmm_phys_to_virt(pa);
}

void *
kmalloc(size_t size)
{
	uint64_t fl;
	void *p;

	fl = spin_lock_irqsave(&kh_lock);
	if (size > KHEAP_MAX_SMALL) {
		p = large_alloc(size);
	} else {
		/* The class: the power of two at or above size, from 16 up. */
		unsigned i = size <= (1 << KHEAP_MIN_SHIFT) ? 0 :
		    64 - __builtin_clzl(size - 1) - KHEAP_MIN_SHIFT;

		p = small_alloc(&kh_class[i]);
	}
	spin_unlock_irqrestore(&kh_lock, fl);
	return p;
}

void *
kzalloc(size_t size)
{
	void *p;

	p = kmalloc(size);
	if (p)
		memset(p, 0, size);
	return p;
}

static void
free_locked(void *p)
{
	struct slab *s;
	uint64_t pa, base;
	int order;

	if ((uintptr_t)p & (KHEAP_ALIGN - 1))
		panic("kfree: %p is misaligned: not a pointer kmalloc returned", p);
	pa = pmm_virt_to_phys(p);
	order = pmm_block_of(pa, &base);
	if (order < 0)
		panic("kfree: %p is not in memory the heap holds (free, or not "
		    "from the frame allocator)", p);
	s = pmm_phys_to_virt(base);
	if (pa != base) {
		small_free(s, order, p);
		return;
	}
	if (s->sl_magic == (SLAB_MAGIC ^ (uintptr_t)s))
		panic("kfree: %p is the header of a slab, not an object", p);
	kh_stats.ks_inuse -= PAGE_SIZE << order;
	kh_stats.ks_objects--;
	frames_free(base, order);
}

void
kfree(void *p)
{
	uint64_t fl;

	if (p == NULL)
		return;
	fl = spin_lock_irqsave(&kh_lock);
	free_locked(p);
	spin_unlock_irqrestore(&kh_lock, fl);
}

static uint64_t
trim(void)
{
	struct kclass *kc;
	uint64_t n = 0;
	unsigned i;

	for (i = 0; i < NCLASS; i++) {
		kc = &kh_class[i];
		if (kc->kc_empty == NULL)
			continue;
		slab_release(kc, kc->kc_empty);
		n += (uint64_t)1 << kc->kc_order;
		kc->kc_empty = NULL;
	}
	return n;
}

uint64_t
kheap_trim(void)
{
	uint64_t fl = spin_lock_irqsave(&kh_lock), n;

	n = trim();
	spin_unlock_irqrestore(&kh_lock, fl);
	return n;
}

void
kheap_stats(struct kheap_stats *st)
{
	uint64_t fl = spin_lock_irqsave(&kh_lock);

	*st = kh_stats;
	spin_unlock_irqrestore(&kh_lock, fl);
}
