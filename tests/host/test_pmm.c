/*
 * test_pmm.c: host tests of the buddy frame allocator (kernel/mm/pmm.c).
 *
 * Physical memory is faked by a 64 MiB buffer, 4 MiB aligned so that buddy
 * blocks of every order line up, standing for [FAKE_BASE, FAKE_BASE + 64 MiB)
 * with FAKE_BASE at 4 GiB, so every address needs more than 32 bits.  One test
 * places it at physical 0 instead, to see that frame 0 is never handed out.
 * Every test starts from a fresh pmm_init.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <keel/kernel.h>
#include <keel/pmm.h>
#include "kstub.h"

#define FAKE_BASE	0x100000000UL
#define FAKE_SIZE	(64UL << 20)
#define FAKE_FRAMES	(FAKE_SIZE / PAGE_SIZE)
#define MAX_BLOCK	(PAGE_SIZE << PMM_MAX_ORDER)

static uint8_t *fake;		/* FAKE_SIZE bytes, MAX_BLOCK aligned */
static uint64_t fake_base;	/* the physical address fake[0] stands for */
/* Who holds each frame of fake: 0 when the test does not own it. */
static uint32_t owner[FAKE_FRAMES];

/* Sparse, unaligned ranges with holes; the last one ends at the buffer's end. */
static const struct mm_range sparse[] = {
	{ FAKE_BASE + 0x1000 + 123, FAKE_BASE + 0x300000 },
	{ FAKE_BASE + 0x500000 - 1, FAKE_BASE + 0x1400007 },
	{ FAKE_BASE + 0x1800000, FAKE_BASE + 0x1800fff },	/* no whole frame */
	{ FAKE_BASE + 0x2000000, FAKE_BASE + FAKE_SIZE },
};
static const struct mm_range fake_span = { FAKE_BASE, FAKE_BASE + FAKE_SIZE };

/* xorshift64: the same sequence on every host. */
static uint64_t rng_state;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void
fake_init(uint64_t base, const struct mm_range *r, int n, struct mm_range span)
{
	fake_base = base;
	memset(owner, 0, sizeof(owner));
	pmm_init(r, n, span, (uint64_t)(uintptr_t)fake - base);
}

static uint64_t
frame_index(uint64_t pa)
{
	assert_true(pa >= fake_base && pa - fake_base < FAKE_SIZE);
	return (pa - fake_base) / PAGE_SIZE;
}

/* Frames of [base, end) rounded inward, frame 0 left out. */
static uint64_t
range_frames(const struct mm_range *r)
{
	uint64_t lo = (r->mr_base + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t hi = r->mr_end / PAGE_SIZE;

	if (lo == 0)
		lo = 1;
	return hi > lo ? hi - lo : 0;
}

static uint64_t
ranges_frames(const struct mm_range *r, int n)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < n; i++)
		sum += range_frames(&r[i]);
	return sum;
}

/* The block [pa, pa + 2^order frames) lies inside one of the ranges. */
static int
block_in_ranges(uint64_t pa, unsigned order, const struct mm_range *r, int n)
{
	uint64_t end = pa + (PAGE_SIZE << order);
	int i;

	for (i = 0; i < n; i++)
		if (pa >= r[i].mr_base && end <= r[i].mr_end)
			return 1;
	return 0;
}

/* Record a block as owned by tag, failing if any frame was owned already. */
static void
claim(uint64_t pa, unsigned order, uint32_t tag)
{
	uint64_t i, f = frame_index(pa);

	for (i = 0; i < (1UL << order); i++) {
		assert_int_equal(owner[f + i], 0);
		owner[f + i] = tag;
	}
}

static void
unclaim(uint64_t pa, unsigned order, uint32_t tag)
{
	uint64_t i, f = frame_index(pa);

	for (i = 0; i < (1UL << order); i++) {
		assert_int_equal(owner[f + i], tag);
		owner[f + i] = 0;
	}
}

/* How many max-order blocks can be taken now; they are given back. */
static uint64_t
count_max_blocks(void)
{
	static uint64_t got[FAKE_FRAMES >> PMM_MAX_ORDER];
	uint64_t n = 0, pa;

	while ((pa = pmm_alloc_order(PMM_MAX_ORDER)) != 0) {
		assert_true(n < ARRAY_SIZE(got));
		got[n++] = pa;
	}
	for (uint64_t i = 0; i < n; i++)
		pmm_free_order(got[i], PMM_MAX_ORDER);
	return n;
}

static void
shuffle(uint64_t *a, uint64_t n)
{
	uint64_t i, j, t;

	for (i = n; i > 1; i--) {
		j = rng() % i;
		t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

/* Each in a function of its own, so no local is live across the longjmp. */
static int
free_panics(uint64_t pa, unsigned order)
{
	return EXPECT_PANIC(pmm_free_order(pa, order));
}

static int
add_panics(uint64_t base, uint64_t end)
{
	return EXPECT_PANIC(pmm_add_range(base, end));
}

static int
init_panics(const struct mm_range *r, int n, struct mm_range span)
{
	return EXPECT_PANIC(fake_init(FAKE_BASE, r, n, span));
}

static void
assert_panic_says(const char *what)
{
	if (strstr(kstub_last_panic, what) == NULL)
		fail_msg("panic message \"%s\" does not say \"%s\"", kstub_last_panic, what);
}

static void
assert_panic_says_double_free(void)
{
	if (strstr(kstub_last_panic, "double free") == NULL &&
	    strstr(kstub_last_panic, "freed already") == NULL)
		fail_msg("panic message \"%s\" does not say it was freed", kstub_last_panic);
}

static void
test_init_counts(void **state)
{
	uint64_t span_frames = FAKE_FRAMES;

	fake_init(FAKE_BASE, sparse, ARRAY_SIZE(sparse), fake_span);
	assert_int_equal(pmm_meta_frames(), (span_frames + PAGE_SIZE - 1) / PAGE_SIZE);
	assert_int_equal(pmm_total_frames(),
	    ranges_frames(sparse, ARRAY_SIZE(sparse)) - pmm_meta_frames());
	assert_int_equal(pmm_free_frames(), pmm_total_frames());
}

/* The metadata sits at the top of the highest range that can hold it. */
static int
is_meta(uint64_t pa)
{
	uint64_t top = sparse[ARRAY_SIZE(sparse) - 1].mr_end;

	return pa >= top - pmm_meta_frames() * PAGE_SIZE && pa < top;
}

static void
test_alloc_all_free_all(void **state)
{
	static uint64_t got[FAKE_FRAMES];
	uint64_t n = 0, pa, start, max_blocks;

	fake_init(FAKE_BASE, sparse, ARRAY_SIZE(sparse), fake_span);
	start = pmm_free_frames();
	max_blocks = count_max_blocks();
	assert_true(max_blocks > 0);
	assert_int_equal(pmm_free_frames(), start);

	while ((pa = pmm_alloc()) != 0) {
		assert_true(n < start);
		assert_int_equal(pa % PAGE_SIZE, 0);
		assert_true(block_in_ranges(pa, 0, sparse, ARRAY_SIZE(sparse)));
		assert_false(is_meta(pa));
		claim(pa, 0, 1);
		got[n++] = pa;
		assert_int_equal(pmm_free_frames(), start - n);
	}
	assert_int_equal(n, start);
	assert_int_equal(pmm_free_frames(), 0);
	assert_int_equal(pmm_alloc_order(0), 0);
	assert_int_equal(pmm_alloc_order(3), 0);

	rng_state = 0x1234567;
	shuffle(got, n);
	for (uint64_t i = 0; i < n; i++) {
		unclaim(got[i], 0, 1);
		pmm_free(got[i]);
	}
	assert_int_equal(pmm_free_frames(), start);
	assert_int_equal(pmm_total_frames(), start);
	/* Freed one frame at a time in random order: all merged back. */
	assert_int_equal(count_max_blocks(), max_blocks);
}

static void
test_frame0_never(void **state)
{
	static const struct mm_range low[] = {
		{ 0, 0x9f000 },
		{ 0x100000, FAKE_SIZE },
	};
	static const struct mm_range span = { 0, FAKE_SIZE };
	uint64_t pa, n = 0;

	fake_init(0, low, ARRAY_SIZE(low), span);
	assert_int_equal(pmm_total_frames(),
	    0x9f - 1 + (FAKE_SIZE - 0x100000) / PAGE_SIZE - pmm_meta_frames());
	while ((pa = pmm_alloc()) != 0) {
		claim(pa, 0, 1);
		n++;
	}
	assert_int_equal(n, pmm_total_frames());
	assert_int_equal(owner[0], 0);
	assert_int_equal(owner[1], 1);
	assert_true(free_panics(0, 0));
	assert_panic_says("not memory the frame allocator manages");
}

static void
test_orders_aligned_contiguous(void **state)
{
	static uint64_t got[FAKE_FRAMES];
	static unsigned ord[FAKE_FRAMES];
	uint64_t start, pa, n = 0, frames = 0;
	unsigned order;
	int progress;

	fake_init(FAKE_BASE, sparse, ARRAY_SIZE(sparse), fake_span);
	start = pmm_free_frames();
	/* Take blocks of every order in turn until none of any order is left. */
	do {
		progress = 0;
		for (order = 0; order <= PMM_MAX_ORDER; order++) {
			pa = pmm_alloc_order(order);
			if (pa == 0)
				continue;
			progress = 1;
			assert_int_equal(pa % (PAGE_SIZE << order), 0);
			assert_true(block_in_ranges(pa, order, sparse, ARRAY_SIZE(sparse)));
			claim(pa, order, n + 1);
			/* The block is ours: all of it may be written. */
			memset(fake + (pa - fake_base), 0x33, PAGE_SIZE << order);
			got[n] = pa;
			ord[n++] = order;
			frames += 1UL << order;
			assert_int_equal(pmm_free_frames(), start - frames);
		}
	} while (progress);
	assert_int_equal(frames, start);
	assert_int_equal(pmm_alloc_order(PMM_MAX_ORDER + 1), 0);

	for (uint64_t i = 0; i < n; i++) {
		unclaim(got[i], ord[i], i + 1);
		pmm_free_order(got[i], ord[i]);
	}
	assert_int_equal(pmm_free_frames(), start);
}

static void
test_coalescing(void **state)
{
	uint64_t max_blocks, a, b, c;

	fake_init(FAKE_BASE, &fake_span, 1, fake_span);
	max_blocks = count_max_blocks();
	/* 64 MiB, minus 16 KiB of metadata at the top: the last block is split. */
	assert_int_equal(max_blocks, FAKE_SIZE / MAX_BLOCK - 1);

	/* Two buddies merge into their order-1 parent. */
	a = pmm_alloc();
	b = pmm_alloc();
	assert_int_equal(a ^ b, PAGE_SIZE);
	c = a < b ? a : b;
	pmm_free(a);
	pmm_free(b);
	assert_int_equal(pmm_alloc_order(1), c);
	pmm_free_order(c, 1);

	/* An order-1 block freed as two frames is refused: it is one block. */
	c = pmm_alloc_order(1);
	assert_true(free_panics(c + PAGE_SIZE, 0));
	pmm_free_order(c, 1);
	assert_int_equal(count_max_blocks(), max_blocks);
}

static void
test_fragmentation(void **state)
{
	static uint64_t got[FAKE_FRAMES];
	uint64_t n = 0, pa, start, i, kept = 0;

	fake_init(FAKE_BASE, &fake_span, 1, fake_span);
	start = pmm_free_frames();
	while ((pa = pmm_alloc()) != 0)
		got[n++] = pa;
	/* Free every other frame: no two free frames are buddies. */
	for (i = 0; i < n; i++) {
		if ((got[i] / PAGE_SIZE) % 2 == 0)
			pmm_free(got[i]);
		else
			got[kept++] = got[i];
	}
	assert_int_equal(pmm_free_frames(), start - kept);
	assert_int_equal(pmm_alloc_order(1), 0);
	pa = pmm_alloc();
	assert_int_not_equal(pa, 0);
	pmm_free(pa);
	for (i = 0; i < kept; i++)
		pmm_free(got[i]);
	assert_int_equal(pmm_free_frames(), start);
	assert_int_equal(count_max_blocks(), FAKE_SIZE / MAX_BLOCK - 1);
}

static void
test_bad_free_panics(void **state)
{
	uint64_t start, a, b, never, meta;

	fake_init(FAKE_BASE, sparse, ARRAY_SIZE(sparse), fake_span);
	start = pmm_free_frames();
	a = pmm_alloc();
	b = pmm_alloc_order(2);
	never = pmm_alloc();
	pmm_free(never);		/* free now, and not merged into a */
	meta = sparse[ARRAY_SIZE(sparse) - 1].mr_end - PAGE_SIZE;

	assert_true(free_panics(a + 1, 0));
	assert_panic_says("not aligned");
	assert_true(free_panics(b + PAGE_SIZE, 2));
	assert_panic_says("not aligned");
	assert_true(free_panics(b + PAGE_SIZE, 0));
	assert_panic_says("does not start an allocated block");
	assert_true(free_panics(b, 1));
	assert_panic_says("allocated with order 2, freed with order 1");
	assert_true(free_panics(b, 3));		/* misaligned, or the wrong order */
	assert_panic_says("order");
	assert_true(free_panics(a, PMM_MAX_ORDER + 1));
	assert_panic_says("above PMM_MAX_ORDER");
	assert_true(free_panics(never, 0));
	assert_panic_says_double_free();
	assert_true(free_panics(FAKE_BASE + 0x400000, 0));	/* in a hole */
	assert_panic_says("not memory the frame allocator manages");
	assert_true(free_panics(0x1000, 0));			/* below the span */
	assert_panic_says("not memory the frame allocator manages");
	assert_true(free_panics(FAKE_BASE + FAKE_SIZE, 0));	/* above it */
	assert_panic_says("not memory the frame allocator manages");
	assert_true(free_panics(0, 0));
	assert_true(free_panics(meta, 0));
	assert_panic_says("metadata");

	/* Nothing above changed anything: the real frees work. */
	assert_int_equal(pmm_free_frames(), start - 5);
	pmm_free(a);
	pmm_free_order(b, 2);
	assert_int_equal(pmm_free_frames(), start);

	/* Double frees, straight after and after merging. */
	assert_true(free_panics(a, 0));
	assert_panic_says_double_free();
	assert_true(free_panics(b, 2));
	assert_panic_says_double_free();
	assert_int_equal(pmm_free_frames(), start);
}

static void
test_add_range(void **state)
{
	static const struct mm_range part[] = {
		{ FAKE_BASE, FAKE_BASE + 0x200000 },
		{ FAKE_BASE + 0x600000, FAKE_BASE + FAKE_SIZE },
	};
	uint64_t total, max_blocks, meta;

	fake_init(FAKE_BASE, part, ARRAY_SIZE(part), fake_span);
	total = pmm_total_frames();
	assert_int_equal(total, ranges_frames(part, ARRAY_SIZE(part)) - pmm_meta_frames());
	max_blocks = count_max_blocks();

	/* The first 4 MiB block is half there: adding the rest completes it. */
	pmm_add_range(FAKE_BASE + 0x200000, FAKE_BASE + 0x400000);
	assert_int_equal(pmm_total_frames(), total + 512);
	assert_int_equal(pmm_free_frames(), total + 512);
	assert_int_equal(count_max_blocks(), max_blocks + 1);

	/* Unaligned: rounded inward; less than a frame: nothing. */
	pmm_add_range(FAKE_BASE + 0x400001, FAKE_BASE + 0x402fff);
	assert_int_equal(pmm_total_frames(), total + 513);
	pmm_add_range(FAKE_BASE + 0x500001, FAKE_BASE + 0x500fff);
	pmm_add_range(FAKE_BASE + 0x500000, FAKE_BASE + 0x500000);
	assert_int_equal(pmm_total_frames(), total + 513);

	/* Refused, and nothing changed. */
	assert_true(add_panics(FAKE_BASE + 0x3ff000, FAKE_BASE + 0x401000));
	assert_panic_says("overlaps managed memory");
	meta = FAKE_BASE + FAKE_SIZE - PAGE_SIZE;
	assert_true(add_panics(meta, meta + PAGE_SIZE));
	assert_panic_says("metadata");
	assert_true(add_panics(FAKE_BASE + FAKE_SIZE, FAKE_BASE + FAKE_SIZE + PAGE_SIZE));
	assert_panic_says("outside the span");
	assert_true(add_panics(FAKE_BASE - PAGE_SIZE, FAKE_BASE + PAGE_SIZE));
	assert_panic_says("outside the span");
	assert_true(add_panics(FAKE_BASE + 0x500000, FAKE_BASE + 0x4ff000));
	assert_panic_says("inverted");
	assert_int_equal(pmm_total_frames(), total + 513);
	assert_int_equal(pmm_free_frames(), total + 513);

	/* The rest of the hole: every 4 MiB block but the metadata's is whole. */
	pmm_add_range(FAKE_BASE + 0x402000, FAKE_BASE + 0x600000);
	pmm_add_range(FAKE_BASE + 0x400000, FAKE_BASE + 0x401000);
	assert_int_equal(pmm_total_frames(), FAKE_FRAMES - pmm_meta_frames());
	assert_int_equal(pmm_free_frames(), pmm_total_frames());
	assert_int_equal(count_max_blocks(), FAKE_SIZE / MAX_BLOCK - 1);
}

static void
test_block_of(void **state)
{
	uint64_t b, base = 0, f;

	fake_init(FAKE_BASE, &fake_span, 1, fake_span);
	b = pmm_alloc_order(3);
	for (f = 0; f < 8; f++) {
		assert_int_equal(pmm_block_of(b + f * PAGE_SIZE + 8 * f, &base), 3);
		assert_int_equal(base, b);
	}
	assert_int_equal(pmm_block_of(b + 8 * PAGE_SIZE, &base), -1);	/* free */
	assert_int_equal(pmm_block_of(FAKE_BASE - 1, &base), -1);
	assert_int_equal(pmm_block_of(FAKE_BASE + FAKE_SIZE, &base), -1);
	assert_int_equal(pmm_block_of(FAKE_BASE + FAKE_SIZE - 1, &base), -1);	/* metadata */
	assert_int_equal(pmm_block_of(0, &base), -1);
	pmm_free_order(b, 3);
	assert_int_equal(pmm_block_of(b, &base), -1);
	assert_ptr_equal(pmm_phys_to_virt(FAKE_BASE + 5), fake + 5);
	assert_int_equal(pmm_virt_to_phys(fake + 5), FAKE_BASE + 5);
}

/* Allocation reads and writes nothing but the first 16 bytes of free blocks. */
static void
test_contents_untouched(void **state)
{
	uint64_t pa, off;
	uint8_t *p;

	memset(fake, 0x5a, FAKE_SIZE);
	fake_init(FAKE_BASE, sparse, ARRAY_SIZE(sparse), fake_span);
	while ((pa = pmm_alloc()) != 0) {
		p = fake + (pa - fake_base);
		for (off = 16; off < PAGE_SIZE; off++)
			if (p[off] != 0x5a)
				fail_msg("frame 0x%lx byte %lu was written", pa, off);
	}
	/* Frames in holes were never written at all. */
	p = fake + 0x400000;
	for (off = 0; off < 0x100000; off++)
		assert_int_equal(p[off], 0x5a);
}

static void
test_init_refuses(void **state)
{
	static const struct mm_range unsorted[] = {
		{ FAKE_BASE + 0x200000, FAKE_BASE + 0x300000 },
		{ FAKE_BASE, FAKE_BASE + 0x100000 },
	};
	static const struct mm_range tiny[] = {
		{ FAKE_BASE, FAKE_BASE + 0x100000 },
	};
	struct mm_range huge = { FAKE_BASE, FAKE_BASE + (1UL << 40) };
	struct mm_range empty = { FAKE_BASE, FAKE_BASE };

	assert_true(init_panics(unsorted, 2, fake_span));
	assert_panic_says("unsorted");
	assert_true(init_panics(sparse, ARRAY_SIZE(sparse), tiny[0]));
	assert_panic_says("outside the span");
	/* 1 TiB of span needs 256 MiB of metadata: no range holds it. */
	assert_true(init_panics(tiny, 1, huge));
	assert_panic_says("metadata");
	assert_true(init_panics(tiny, 1, empty));
	assert_panic_says("bad span");
}

/*
 * Random allocations and frees of random orders against a model: the blocks
 * we hold (disjoint, inside the ranges, our data intact) and the count of
 * free frames.
 */
struct live {
	uint64_t l_pa;
	unsigned l_order;
	uint32_t l_tag;
};

/* Frames of fake that the allocator manages (the metadata's excluded). */
static uint8_t managed[FAKE_FRAMES];

static void
model_managed(const struct mm_range *r, int n)
{
	uint64_t lo, hi, f;
	int i;

	memset(managed, 0, sizeof(managed));
	for (i = 0; i < n; i++) {
		lo = (r[i].mr_base + PAGE_SIZE - 1) / PAGE_SIZE;
		hi = r[i].mr_end / PAGE_SIZE;
		for (f = lo; f < hi; f++)
			managed[f - fake_base / PAGE_SIZE] = 1;
	}
	for (f = 0; f < pmm_meta_frames(); f++)
		managed[FAKE_FRAMES - 1 - f] = 0;
}

/*
 * Is some aligned block of 2^order frames wholly managed and unowned?  Then
 * the allocator, merging buddies completely, must have a free block of at
 * least that order: two free buddies of one order never stay apart.
 */
static int
model_has_free_block(unsigned order)
{
	uint64_t b, f, n = 1UL << order;

	for (b = 0; b < FAKE_FRAMES; b += n) {
		for (f = b; f < b + n; f++)
			if (!managed[f] || owner[f] != 0)
				break;
		if (f == b + n)
			return 1;
	}
	return 0;
}

static void
stamp(const struct live *l, int check)
{
	uint64_t f, *w;

	for (f = 0; f < (1UL << l->l_order); f++) {
		w = (uint64_t *)(fake + (l->l_pa - fake_base) + f * PAGE_SIZE);
		if (check) {
			assert_int_equal(w[0], l->l_tag);
			assert_int_equal(w[PAGE_SIZE / 8 - 1], ~(uint64_t)l->l_tag);
		} else {
			w[0] = l->l_tag;
			w[PAGE_SIZE / 8 - 1] = ~(uint64_t)l->l_tag;
		}
	}
}

static void
test_random_workload(void **state)
{
	static struct live live[FAKE_FRAMES];
	uint64_t start, held = 0, base, pa, max_blocks;
	unsigned order, step, n = 0, i, fails = 0;
	uint32_t tag = 0;

	fake_init(FAKE_BASE, sparse, ARRAY_SIZE(sparse), fake_span);
	model_managed(sparse, ARRAY_SIZE(sparse));
	start = pmm_free_frames();
	max_blocks = count_max_blocks();
	rng_state = 0x9e3779b97f4a7c15;
	for (step = 0; step < 200000; step++) {
		/* Lean towards allocation early on, so memory runs out at times. */
		if (n > 0 && rng() % 100 < (step < 100000 ? 45 : 55)) {
			i = rng() % n;
			stamp(&live[i], 1);
			assert_int_equal(pmm_block_of(live[i].l_pa + PAGE_SIZE - 1, &base),
			    live[i].l_order);
			assert_int_equal(base, live[i].l_pa);
			unclaim(live[i].l_pa, live[i].l_order, live[i].l_tag);
			pmm_free_order(live[i].l_pa, live[i].l_order);
			held -= 1UL << live[i].l_order;
			live[i] = live[--n];
		} else {
			order = rng() % 4 == 0 ? rng() % (PMM_MAX_ORDER + 1) : 0;
			pa = pmm_alloc_order(order);
			if (pa == 0) {
				/* Refused only when no free block is that big
				   (checked on a sample: the scan is slow). */
				if (order == 0)
					assert_int_equal(start - held, 0);
				if (fails++ % 8 == 0)
					assert_false(model_has_free_block(order));
				continue;
			}
			assert_int_equal(pa % (PAGE_SIZE << order), 0);
			assert_true(block_in_ranges(pa, order, sparse, ARRAY_SIZE(sparse)));
			live[n] = (struct live){ pa, order, ++tag };
			claim(pa, order, tag);
			stamp(&live[n], 0);
			n++;
			held += 1UL << order;
		}
		assert_int_equal(pmm_free_frames(), start - held);
	}
	assert_true(fails > 0);		/* the workload did reach exhaustion */
	while (n > 0) {
		n--;
		stamp(&live[n], 1);
		unclaim(live[n].l_pa, live[n].l_order, live[n].l_tag);
		pmm_free_order(live[n].l_pa, live[n].l_order);
	}
	assert_int_equal(pmm_free_frames(), start);
	assert_int_equal(count_max_blocks(), max_blocks);
}

static int
group_setup(void **state)
{
	fake = aligned_alloc(MAX_BLOCK, FAKE_SIZE);
	return fake == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	free(fake);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_counts),
		cmocka_unit_test(test_alloc_all_free_all),
		cmocka_unit_test(test_frame0_never),
		cmocka_unit_test(test_orders_aligned_contiguous),
		cmocka_unit_test(test_coalescing),
		cmocka_unit_test(test_fragmentation),
		cmocka_unit_test(test_bad_free_panics),
		cmocka_unit_test(test_add_range),
		cmocka_unit_test(test_block_of),
		cmocka_unit_test(test_contents_untouched),
		cmocka_unit_test(test_init_refuses),
		cmocka_unit_test(test_random_workload),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
