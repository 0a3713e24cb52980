/*
 * test_kheap.c: host tests of the kernel heap (kernel/mm/kheap.c) over the
 * real frame allocator (kernel/mm/pmm.c) on fake physical memory: 64 MiB
 * standing for [4 GiB, 4 GiB + 64 MiB).  Every test starts from a fresh
 * pmm_init and kheap_init.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <keel/kernel.h>
#include <keel/kheap.h>
#include "kstub.h"

#define FAKE_BASE	0x100000000UL
#define FAKE_SIZE	(64UL << 20)
#define MAX_BLOCK	(PAGE_SIZE << PMM_MAX_ORDER)

static uint8_t *fake;
static uint64_t start_free;	/* pmm_free_frames() before the test */

/* Two ranges with a hole, so heap pages come from either side of it. */
static const struct mm_range ranges[] = {
	{ FAKE_BASE, FAKE_BASE + 0x1000000 },
	{ FAKE_BASE + 0x1400000, FAKE_BASE + FAKE_SIZE },
};
static const struct mm_range span = { FAKE_BASE, FAKE_BASE + FAKE_SIZE };

static uint64_t rng_state;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int
setup(void **state)
{
	/* Garbage, as fresh RAM would be, and no slab headers from earlier tests. */
	memset(fake, 0xdb, FAKE_SIZE);
	pmm_init(ranges, ARRAY_SIZE(ranges), span, (uint64_t)(uintptr_t)fake - FAKE_BASE);
	kheap_init();
	start_free = pmm_free_frames();
	return 0;
}

/* What an allocation of size really takes: its class, or whole frames. */
static uint64_t
rounded(size_t size)
{
	uint64_t r = 16;

	while (r < size)
		r *= 2;
	return r <= KHEAP_MAX_SMALL ? r : (r < PAGE_SIZE ? PAGE_SIZE : r);
}

static struct kheap_stats
stats(void)
{
	struct kheap_stats st;

	kheap_stats(&st);
	return st;
}

static void
fill(void *p, size_t size, uint32_t seed)
{
	uint8_t *b = p;
	size_t i;

	for (i = 0; i < size; i++)
		b[i] = (uint8_t)(seed * 31 + i * 7 + (i >> 8));
}

static void
check(const void *p, size_t size, uint32_t seed)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < size; i++)
		if (b[i] != (uint8_t)(seed * 31 + i * 7 + (i >> 8)))
			fail_msg("object %p (size %zu, seed %u) byte %zu changed",
			    p, size, seed, i);
}

static int
in_fake(const void *p, size_t size)
{
	return (const uint8_t *)p >= fake &&
	    (const uint8_t *)p + size <= fake + FAKE_SIZE;
}

/* Everything freed: the frames are all back once the cache is trimmed. */
static void
assert_all_returned(void)
{
	struct kheap_stats st = stats();

	assert_int_equal(st.ks_objects, 0);
	assert_int_equal(st.ks_inuse, 0);
	assert_int_equal(pmm_free_frames() + st.ks_pages, start_free);
	kheap_trim();
	assert_int_equal(stats().ks_pages, 0);
	assert_int_equal(pmm_free_frames(), start_free);
}

static int
kfree_panics(void *p)
{
	return EXPECT_PANIC(kfree(p));
}

static int
kmalloc_panics(size_t size)
{
	return EXPECT_PANIC(kmalloc(size));
}

static void
assert_panic_says(const char *what)
{
	if (strstr(kstub_last_panic, what) == NULL)
		fail_msg("panic message \"%s\" does not say \"%s\"", kstub_last_panic, what);
}

static void
test_every_class(void **state)
{
	static const size_t sizes[] = {
		0, 1, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129,
		255, 256, 257, 511, 512, 513, 1000, 1023, 1024, 1025, 2047, 2048,
	};
	void *p[ARRAY_SIZE(sizes)];
	uint64_t inuse = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = kmalloc(sizes[i]);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % KHEAP_ALIGN, 0);
		assert_true(in_fake(p[i], rounded(sizes[i])));
		inuse += rounded(sizes[i]);
		assert_int_equal(stats().ks_inuse, inuse);
		assert_int_equal(stats().ks_objects, i + 1);
		/* The whole class size is usable. */
		fill(p[i], rounded(sizes[i]), i);
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		check(p[i], rounded(sizes[i]), i);
		kfree(p[i]);
		inuse -= rounded(sizes[i]);
		assert_int_equal(stats().ks_inuse, inuse);
	}
	assert_all_returned();
}

/* Many objects of each class: distinct, aligned, not overlapping. */
static void
test_alignment_and_overlap(void **state)
{
	enum { N = 600 };
	static uint8_t *p[N];
	static size_t sz[N];
	size_t i, j;

	rng_state = 42;
	for (i = 0; i < N; i++) {
		sz[i] = (size_t)1 << (4 + rng() % 8);		/* 16 .. 2048 */
		if (i % 50 == 0)
			sz[i] = 2049 + rng() % 40000;
		p[i] = kmalloc(sz[i]);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % KHEAP_ALIGN, 0);
		if (sz[i] > KHEAP_MAX_SMALL)
			assert_int_equal((uintptr_t)p[i] % PAGE_SIZE, 0);
		memset(p[i], (int)i, sz[i]);
	}
	for (i = 0; i < N; i++)
		for (j = i + 1; j < N; j++)
			assert_true(p[i] + sz[i] <= p[j] || p[j] + sz[j] <= p[i]);
	for (i = 0; i < N; i++) {
		for (j = 0; j < sz[i]; j++)
			assert_int_equal(p[i][j], (uint8_t)i);
		kfree(p[i]);
	}
	assert_all_returned();
}

static void
test_kfree_null(void **state)
{
	struct kheap_stats before = stats();

	kfree(NULL);
	assert_int_equal(stats().ks_objects, before.ks_objects);
	assert_int_equal(pmm_free_frames(), start_free);
}

static void
test_kzalloc(void **state)
{
	static const size_t sizes[] = { 1, 24, 200, 2048, 3000, 20000 };
	uint8_t *p, *q;
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		/* Dirty the memory kzalloc will most likely get back. */
		p = kmalloc(sizes[i]);
		memset(p, 0xee, sizes[i]);
		kfree(p);
		q = kzalloc(sizes[i]);
		assert_non_null(q);
		for (j = 0; j < sizes[i]; j++)
			assert_int_equal(q[j], 0);
		kfree(q);
	}
	assert_all_returned();
}

static void
test_large(void **state)
{
	static const size_t sizes[] = {
		2049, 4095, 4096, 4097, 8192, 12288, 65536, 1 << 20, (1 << 20) + 1,
		KHEAP_MAX_SIZE,
	};
	uint8_t *p[ARRAY_SIZE(sizes)];
	uint64_t pages = 0, frames;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = kmalloc(sizes[i]);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % PAGE_SIZE, 0);
		/* A buddy block: aligned to its own size. */
		assert_int_equal(pmm_virt_to_phys(p[i]) % rounded(sizes[i]), 0);
		frames = rounded(sizes[i]) / PAGE_SIZE;
		pages += frames;
		assert_int_equal(stats().ks_pages, pages);
		assert_int_equal(pmm_free_frames(), start_free - pages);
		fill(p[i], sizes[i], i);
	}
	assert_null(kmalloc(KHEAP_MAX_SIZE + 1));
	assert_null(kmalloc(SIZE_MAX));
	assert_null(kzalloc(SIZE_MAX / 2));
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		check(p[i], sizes[i], i);
		kfree(p[i]);
	}
	assert_int_equal(stats().ks_pages, 0);
	assert_all_returned();
}

/* Empty slabs go back, but for one kept per class. */
static void
test_slab_cache(void **state)
{
	enum { N = 2000 };
	static void *p[N];
	uint64_t after_first;
	int i;

	/* One object in, out, in, out: the slab is kept, pmm is not asked. */
	kfree(kmalloc(16));
	after_first = pmm_free_frames();
	assert_int_equal(after_first, start_free - 1);
	for (i = 0; i < 100; i++) {
		kfree(kmalloc(10));
		assert_int_equal(pmm_free_frames(), after_first);
	}

	/* 2000 16-byte objects need 8 slabs; freed, only one is kept. */
	for (i = 0; i < N; i++)
		p[i] = kmalloc(16);
	assert_int_equal(stats().ks_pages, (N + 250) / 251);
	for (i = 0; i < N; i++)
		kfree(p[i]);
	assert_int_equal(stats().ks_pages, 1);

	/* The 2048-byte class uses 4-frame slabs. */
	p[0] = kmalloc(2048);
	assert_int_equal(stats().ks_pages, 1 + 4);
	kfree(p[0]);
	assert_int_equal(kheap_trim(), 1 + 4);
	assert_int_equal(kheap_trim(), 0);
	assert_all_returned();
}

/* Run the frame allocator dry: kmalloc says NULL, and recovers. */
static void
test_exhaustion(void **state)
{
	static void *big[64], *small[300000];
	int nbig = 0, nsmall = 0, i;
	void *p;

	/* A cached empty slab, to be given back when a large request needs it. */
	kfree(kmalloc(100));
	while ((p = kmalloc(MAX_BLOCK)) != NULL) {
		assert_true(nbig < (int)ARRAY_SIZE(big));
		big[nbig++] = p;
	}
	assert_true(nbig > 0);
	while ((p = kmalloc(16)) != NULL) {
		assert_true(nsmall < (int)ARRAY_SIZE(small));
		small[nsmall++] = p;
	}
	assert_true(nsmall > 0);
	assert_null(kmalloc(5000));
	assert_int_equal(pmm_free_frames(), 0);
	for (i = 0; i < nsmall; i++)
		kfree(small[i]);
	for (i = 0; i < nbig; i++)
		kfree(big[i]);
	assert_all_returned();

	/* The cached slab of another class is trimmed to satisfy this. */
	kfree(kmalloc(100));
	nbig = 0;
	while (kmalloc(PAGE_SIZE) != NULL)
		nbig++;
	assert_int_equal(nbig, start_free);
}

/*
 * Slabs released, then large objects at the same addresses: they must free
 * as large objects, not be taken for the slabs that were there.
 */
static void
test_stale_slab_header(void **state)
{
	static void *obj[251];
	uint8_t *last, *a, *b, *p1, *p2;
	int i;

	for (i = 0; i < 251; i++)
		obj[i] = kmalloc(16);
	last = kmalloc(16);		/* one slab is full: a second one */
	a = (uint8_t *)ROUNDDOWN((uintptr_t)obj[0], PAGE_SIZE);
	b = (uint8_t *)ROUNDDOWN((uintptr_t)last, PAGE_SIZE);
	assert_ptr_equal(b, a + PAGE_SIZE);
	for (i = 0; i < 251; i++)
		kfree(obj[i]);
	assert_int_equal(kheap_trim(), 1);	/* a goes, b stays */
	kfree(last);
	assert_int_equal(kheap_trim(), 1);	/* b goes and merges into a */

	p1 = kmalloc(PAGE_SIZE);
	p2 = kmalloc(PAGE_SIZE);
	assert_ptr_equal(p1, a);
	assert_ptr_equal(p2, b);
	kfree(p2);
	kfree(p1);
	assert_all_returned();
}

/* Random sizes, allocated and freed at random, against a model. */
struct obj {
	uint8_t *o_p;
	size_t o_size;
	uint32_t o_seed;
};

/* Head and tail: enough to see overlap, cheap enough for 300k steps. */
static void
obj_fill(const struct obj *o)
{
	fill(o->o_p, MIN(o->o_size, 64), o->o_seed);
	if (o->o_size >= 128)
		fill(o->o_p + o->o_size - 64, 64, o->o_seed + 1);
}

static void
obj_check(const struct obj *o)
{
	check(o->o_p, MIN(o->o_size, 64), o->o_seed);
	if (o->o_size >= 128)
		check(o->o_p + o->o_size - 64, 64, o->o_seed + 1);
}

static size_t
random_size(void)
{
	uint64_t r = rng() % 1000;

	if (r < 700)
		return rng() % 257;
	if (r < 950)
		return rng() % (KHEAP_MAX_SMALL + 1);
	if (r < 998)
		return KHEAP_MAX_SMALL + 1 + rng() % 60000;
	return rng() % (1 << 20);
}

static void
test_random_workload(void **state)
{
	enum { MAXLIVE = 20000 };
	static struct obj live[MAXLIVE];
	uint64_t inuse = 0;
	uint32_t seed = 0;
	size_t n = 0, i, step;
	struct obj *o;

	rng_state = 0xfeedface12345678;
	for (step = 0; step < 300000; step++) {
		/* Hover around 4000 live objects, about 12 MiB. */
		if (n == MAXLIVE || (n > 0 && rng() % 100 < (n < 4000 ? 40 : 60))) {
			i = rng() % n;
			o = &live[i];
			obj_check(o);
			kfree(o->o_p);
			inuse -= rounded(o->o_size);
			*o = live[--n];
		} else {
			o = &live[n];
			o->o_size = random_size();
			o->o_p = kmalloc(o->o_size);
			if (o->o_p == NULL) {
				/* Only large requests can fail here: 64 MiB is plenty for the rest. */
				assert_true(o->o_size > KHEAP_MAX_SMALL);
				continue;
			}
			assert_int_equal((uintptr_t)o->o_p % KHEAP_ALIGN, 0);
			assert_true(in_fake(o->o_p, o->o_size));
			o->o_seed = ++seed;
			obj_fill(o);
			inuse += rounded(o->o_size);
			n++;
		}
		assert_int_equal(stats().ks_objects, n);
		assert_int_equal(stats().ks_inuse, inuse);
		assert_int_equal(pmm_free_frames() + stats().ks_pages, start_free);
	}
	while (n > 0) {
		o = &live[--n];
		obj_check(o);
		kfree(o->o_p);
	}
	assert_all_returned();
}

static void
test_bad_kfree_panics(void **state)
{
	uint8_t *a, *b, *big, *freed, *bigfreed;
	uint64_t local[2];
	struct kheap_stats before;

	a = kmalloc(32);
	b = kmalloc(32);
	big = kmalloc(3 * PAGE_SIZE);
	freed = kmalloc(64);
	kfree(freed);
	bigfreed = kmalloc(PAGE_SIZE);
	kfree(bigfreed);
	before = stats();

	assert_true(kfree_panics(a + 1));
	assert_panic_says("misaligned");
	assert_true(kfree_panics(a + 8));
	assert_panic_says("misaligned");
	assert_true(kfree_panics(a + 16));
	assert_panic_says("not the start of an object");
	assert_true(kfree_panics(freed));
	assert_panic_says("double free");
	assert_true(kfree_panics((void *)ROUNDDOWN((uintptr_t)a, PAGE_SIZE)));
	assert_panic_says("header of a slab");
	assert_true(kfree_panics((void *)(ROUNDDOWN((uintptr_t)a, PAGE_SIZE) + 16)));
	assert_panic_says("not the start of an object");
	assert_true(kfree_panics(big + PAGE_SIZE));
	assert_panic_says("not a heap object");
	assert_true(kfree_panics(big + 16));
	assert_panic_says("not a heap object");
	assert_true(kfree_panics(bigfreed));
	assert_panic_says("not in memory the heap holds");
	assert_true(kfree_panics(fake + FAKE_SIZE - 4 * PAGE_SIZE));	/* metadata */
	assert_panic_says("not in memory the heap holds");
	assert_true(kfree_panics(fake + 0x1000000));			/* the hole */
	assert_panic_says("not in memory the heap holds");
	assert_true(kfree_panics((void *)ROUNDUP((uintptr_t)local, 16)));
	assert_panic_says("not in memory the heap holds");

	/* None of that changed anything. */
	assert_int_equal(stats().ks_objects, before.ks_objects);
	assert_int_equal(stats().ks_inuse, before.ks_inuse);
	kfree(a);
	kfree(b);
	kfree(big);
	assert_true(kfree_panics(a));
	assert_panic_says("double free");
	assert_true(kfree_panics(big));
	assert_panic_says("not in memory the heap holds");
	assert_all_returned();
}

/* A free object written after kfree is noticed when the list reaches it. */
static void
test_use_after_free_detected(void **state)
{
	void **p = kmalloc(128);

	kfree(p);
	*p = (void *)0x1234;		/* the free-list link */
	kmalloc(128);			/* returns p; the next one is bogus */
	assert_true(kmalloc_panics(128));
	assert_panic_says("corrupt");
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
		cmocka_unit_test_setup(test_every_class, setup),
		cmocka_unit_test_setup(test_alignment_and_overlap, setup),
		cmocka_unit_test_setup(test_kfree_null, setup),
		cmocka_unit_test_setup(test_kzalloc, setup),
		cmocka_unit_test_setup(test_large, setup),
		cmocka_unit_test_setup(test_slab_cache, setup),
		cmocka_unit_test_setup(test_exhaustion, setup),
		cmocka_unit_test_setup(test_stale_slab_header, setup),
		cmocka_unit_test_setup(test_random_workload, setup),
		cmocka_unit_test_setup(test_bad_kfree_panics, setup),
		cmocka_unit_test_setup(test_use_after_free_detected, setup),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
