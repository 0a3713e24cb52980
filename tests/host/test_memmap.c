/*
 * test_memmap.c: host tests for lib/memmap.c (mm_ranges, mm_add, mm_remove).
 *
 * The memory maps are adversarial on purpose: real firmware hands out
 * descriptors 48 bytes apart (more than the 40-byte struct), unsorted,
 * sometimes overlapping, with zero-length entries and hundreds of them.
 * The padding between descriptors is filled with junk, so code that walks
 * by sizeof instead of the stride reads garbage and fails.  A randomized
 * test checks mm_add and mm_remove against a bitmap of pages.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <lib/memmap.h>

#define MAP_MAX		512	/* descriptors */
#define MAP_MAXSTRIDE	64
#define GiB		(1UL << 30)
#define MiB		(1UL << 20)

struct map {
	union {
		unsigned char b[MAP_MAX * MAP_MAXSTRIDE];
		uint64_t align;
	} u;
	uint64_t stride;
	uint64_t size;
};

static struct map m;

static void
map_init(uint64_t stride)
{
	assert_true(stride >= sizeof(struct efi_mdesc) && stride <= MAP_MAXSTRIDE);
	memset(m.u.b, 0xa5, sizeof(m.u.b));	/* junk where firmware has its own */
	m.stride = stride;
	m.size = 0;
}

static void
map_add(uint32_t type, uint64_t phys, uint64_t pages)
{
	struct efi_mdesc d = {
		.md_type = type,
		.md_phys = phys,
		.md_virt = 0,
		.md_pages = pages,
		.md_attr = 0xf,		/* EFI_MEMORY_UC | WC | WT | WB */
	};

	assert_true(m.size + m.stride <= sizeof(m.u.b));
	memcpy(m.u.b + m.size, &d, sizeof(d));
	m.size += m.stride;
}

static int
map_ranges(uint32_t want, struct mm_range *out, int max)
{
	return mm_ranges(m.u.b, m.size, m.stride, want, out, max);
}

#define T(type)		(1u << (type))

/* out[i] must be [base, end). */
static void
expect_range(const struct mm_range *out, int i, uint64_t base, uint64_t end)
{
	if (out[i].mr_base != base || out[i].mr_end != end)
		fail_msg("range %d is [%#lx, %#lx), expected [%#lx, %#lx)", i,
		    (unsigned long)out[i].mr_base, (unsigned long)out[i].mr_end,
		    (unsigned long)base, (unsigned long)end);
}

/*
 * A small map shaped like OVMF's, out of order.  RAM: [0, 0x9f000),
 * [1 MiB, 2 GiB - 16 MiB) in pieces of several types with ACPI in between,
 * and 2 GiB above 4 GiB.  Not RAM: the legacy hole, MMIO, reserved.
 */
static void
map_ovmf_like(uint64_t stride)
{
	map_init(stride);
	map_add(EFI_MD_CONVENTIONAL, 0x100000000UL, 0x80000);	/* 4-6 GiB */
	map_add(EFI_MD_BS_CODE, 0x0, 0x1);
	map_add(EFI_MD_CONVENTIONAL, 0x1000, 0x9e);
	map_add(EFI_MD_RESERVED, 0x9f000, 0x61);		/* to 1 MiB */
	map_add(EFI_MD_LOADER_DATA, 0x200000, 0x100);
	map_add(EFI_MD_CONVENTIONAL, 0x100000, 0x100);
	map_add(EFI_MD_ACPI_NVS, 0x300000, 0x10);
	map_add(EFI_MD_CONVENTIONAL, 0x310000, 0x7ecf0);	/* to 0x7f000000 */
	map_add(EFI_MD_MMIO, 0xffc00000, 0x400);
	map_add(EFI_MD_BS_DATA, 0x7f000000, 0x10);
	map_add(EFI_MD_RT_DATA, 0x7f010000, 0x10);
}

static void
check_ovmf_like(uint64_t stride)
{
	struct mm_range out[8];
	int n;

	map_ovmf_like(stride);
	n = map_ranges(MM_RAM_TYPES, out, 8);
	assert_int_equal(n, 3);
	expect_range(out, 0, 0, 0x9f000);
	expect_range(out, 1, 0x100000, 0x7f020000);
	expect_range(out, 2, 0x100000000UL, 0x180000000UL);

	/* Free memory: the ACPI NVS and runtime pages split it. */
	n = map_ranges(MM_FREE_TYPES, out, 8);
	assert_int_equal(n, 4);
	expect_range(out, 0, 0, 0x9f000);
	expect_range(out, 1, 0x100000, 0x300000);
	expect_range(out, 2, 0x310000, 0x7f010000);
	expect_range(out, 3, 0x100000000UL, 0x180000000UL);
}

static void
test_stride48(void **state)
{
	check_ovmf_like(48);
}

static void
test_stride40(void **state)
{
	check_ovmf_like(40);
	check_ovmf_like(64);
}

static void
test_unsorted(void **state)
{
	struct mm_range out[8];
	int n;

	/* Descending, then a low one last. */
	map_init(48);
	map_add(EFI_MD_CONVENTIONAL, 0x900000, 0x10);
	map_add(EFI_MD_CONVENTIONAL, 0x500000, 0x10);
	map_add(EFI_MD_CONVENTIONAL, 0x300000, 0x10);
	map_add(EFI_MD_CONVENTIONAL, 0x700000, 0x10);
	map_add(EFI_MD_CONVENTIONAL, 0x100000, 0x10);
	n = map_ranges(T(EFI_MD_CONVENTIONAL), out, 8);
	assert_int_equal(n, 5);
	expect_range(out, 0, 0x100000, 0x110000);
	expect_range(out, 1, 0x300000, 0x310000);
	expect_range(out, 2, 0x500000, 0x510000);
	expect_range(out, 3, 0x700000, 0x710000);
	expect_range(out, 4, 0x900000, 0x910000);
}

static void
test_overlapping(void **state)
{
	struct mm_range out[8];
	int n;

	map_init(48);
	map_add(EFI_MD_CONVENTIONAL, 0x100000, 0x100);	/* 1 MiB .. 2 MiB */
	map_add(EFI_MD_BS_DATA, 0x180000, 0x100);	/* overlaps its end */
	map_add(EFI_MD_CONVENTIONAL, 0x80000, 0x100);	/* overlaps its start */
	map_add(EFI_MD_CONVENTIONAL, 0x120000, 0x10);	/* inside */
	map_add(EFI_MD_CONVENTIONAL, 0x100000, 0x100);	/* a duplicate */
	map_add(EFI_MD_CONVENTIONAL, 0x400000, 0x10);
	map_add(EFI_MD_CONVENTIONAL, 0x300000, 0x200);	/* swallows the one above */
	n = map_ranges(MM_FREE_TYPES, out, 8);
	assert_int_equal(n, 2);
	expect_range(out, 0, 0x80000, 0x280000);
	expect_range(out, 1, 0x300000, 0x500000);

	/* A range bridging two existing ones merges all three. */
	map_add(EFI_MD_LOADER_CODE, 0x270000, 0x100);
	n = map_ranges(MM_FREE_TYPES, out, 8);
	assert_int_equal(n, 1);
	expect_range(out, 0, 0x80000, 0x500000);
}

static void
test_zero_length(void **state)
{
	struct mm_range out[8];
	int n;

	map_init(48);
	map_add(EFI_MD_CONVENTIONAL, 0x5000, 0);
	assert_int_equal(map_ranges(MM_RAM_TYPES, out, 8), 0);

	/* Zero-length entries neither count against max nor join ranges. */
	map_add(EFI_MD_CONVENTIONAL, 0x1000, 1);
	map_add(EFI_MD_CONVENTIONAL, 0x2000, 0);
	map_add(EFI_MD_CONVENTIONAL, 0x3000, 1);
	map_add(EFI_MD_CONVENTIONAL, 0xfffffffffffff000UL, 0);	/* would wrap if it counted */
	n = map_ranges(MM_RAM_TYPES, out, 2);
	assert_int_equal(n, 2);
	expect_range(out, 0, 0x1000, 0x2000);
	expect_range(out, 1, 0x3000, 0x4000);
}

static void
test_adjacent_merged(void **state)
{
	struct mm_range out[8];
	int n;

	map_init(48);
	map_add(EFI_MD_CONVENTIONAL, 0x1000, 1);
	map_add(EFI_MD_LOADER_DATA, 0x2000, 2);
	map_add(EFI_MD_BS_CODE, 0x4000, 1);
	map_add(EFI_MD_RESERVED, 0x5000, 1);
	map_add(EFI_MD_CONVENTIONAL, 0x6000, 1);
	n = map_ranges(MM_FREE_TYPES, out, 8);
	assert_int_equal(n, 2);
	expect_range(out, 0, 0x1000, 0x5000);
	expect_range(out, 1, 0x6000, 0x7000);

	/* With the reserved page wanted too, it closes the gap. */
	n = map_ranges(MM_FREE_TYPES | T(EFI_MD_RESERVED), out, 8);
	assert_int_equal(n, 1);
	expect_range(out, 0, 0x1000, 0x7000);
}

static void
test_many_entries(void **state)
{
	struct mm_range *out;
	int i, n;

	/* 450 one-page entries, alternately free and reserved, as firmware
	 * with fragmented boot-services memory produces. */
	map_init(48);
	for (i = 0; i < 450; i++)
		map_add(i % 2 ? EFI_MD_RESERVED : EFI_MD_CONVENTIONAL,
		    0x100000 + (uint64_t)i * PAGE_SIZE, 1);

	/* Exactly as many slots as ranges, on the heap so ASan sees the end. */
	out = malloc(225 * sizeof(*out));
	assert_non_null(out);
	n = map_ranges(T(EFI_MD_CONVENTIONAL), out, 225);
	assert_int_equal(n, 225);
	for (i = 0; i < 225; i++)
		expect_range(out, i, 0x100000 + 2UL * i * PAGE_SIZE,
		    0x100000 + (2UL * i + 1) * PAGE_SIZE);

	n = map_ranges(T(EFI_MD_RESERVED), out, 225);
	assert_int_equal(n, 225);
	expect_range(out, 224, 0x100000 + 449UL * PAGE_SIZE, 0x100000 + 450UL * PAGE_SIZE);

	/* Both types: all one range. */
	n = map_ranges(T(EFI_MD_CONVENTIONAL) | T(EFI_MD_RESERVED), out, 1);
	assert_int_equal(n, 1);
	expect_range(out, 0, 0x100000, 0x100000 + 450UL * PAGE_SIZE);

	/* One slot short. */
	assert_int_equal(map_ranges(T(EFI_MD_CONVENTIONAL), out, 224), -1);
	free(out);
}

static void
test_above_4g(void **state)
{
	struct mm_range out[8];
	int n;

	map_init(48);
	map_add(EFI_MD_CONVENTIONAL, 0x100000000UL, 0x40000);	/* 4 GiB .. 5 GiB */
	map_add(EFI_MD_CONVENTIONAL, 0xfffff000UL, 1);		/* last page below 4 GiB */
	map_add(EFI_MD_PERSISTENT, 0x4000000000UL, 0x100000);	/* 256 GiB, 4 GiB of it */
	map_add(EFI_MD_CONVENTIONAL, (1UL << 52) - 2 * PAGE_SIZE, 2);	/* the top of MAXPHYADDR */
	n = map_ranges(MM_RAM_TYPES, out, 8);
	assert_int_equal(n, 3);
	expect_range(out, 0, 0xfffff000UL, 0x140000000UL);
	expect_range(out, 1, 0x4000000000UL, 0x4100000000UL);
	expect_range(out, 2, (1UL << 52) - 2 * PAGE_SIZE, 1UL << 52);

	/* Persistent memory is RAM but not free. */
	n = map_ranges(MM_FREE_TYPES, out, 8);
	assert_int_equal(n, 2);
	expect_range(out, 1, (1UL << 52) - 2 * PAGE_SIZE, 1UL << 52);
}

static void
test_bad_stride(void **state)
{
	struct mm_range out[8];

	map_ovmf_like(48);
	assert_int_equal(mm_ranges(m.u.b, m.size, 32, MM_RAM_TYPES, out, 8), -1);
	assert_int_equal(mm_ranges(m.u.b, m.size, 39, MM_RAM_TYPES, out, 8), -1);
	assert_int_equal(mm_ranges(m.u.b, m.size, 0, MM_RAM_TYPES, out, 8), -1);
	/* A size that is not a whole number of descriptors. */
	assert_int_equal(mm_ranges(m.u.b, m.size - 8, 48, MM_RAM_TYPES, out, 8), -1);
	assert_int_equal(mm_ranges(m.u.b, m.size + 40, 48, MM_RAM_TYPES, out, 8), -1);
	assert_int_equal(mm_ranges(m.u.b, 47, 48, MM_RAM_TYPES, out, 8), -1);
	/* An empty map is not malformed. */
	assert_int_equal(mm_ranges(m.u.b, 0, 48, MM_RAM_TYPES, out, 8), 0);
}

static void
test_wrapping_descriptor(void **state)
{
	struct mm_range out[8];

	/* The last page of the address space: its end is 2^64. */
	map_init(48);
	map_add(EFI_MD_CONVENTIONAL, 0x1000, 1);
	map_add(EFI_MD_CONVENTIONAL, 0xfffffffffffff000UL, 1);
	assert_int_equal(map_ranges(MM_RAM_TYPES, out, 8), -1);

	/* pages * 4096 itself overflows. */
	map_init(48);
	map_add(EFI_MD_CONVENTIONAL, 0x1000, 1UL << 52);
	assert_int_equal(map_ranges(MM_RAM_TYPES, out, 8), -1);
	map_init(48);
	map_add(EFI_MD_CONVENTIONAL, 0, ~0UL);
	assert_int_equal(map_ranges(MM_RAM_TYPES, out, 8), -1);

	/* Ending one page short of 2^64 is fine. */
	map_init(48);
	map_add(EFI_MD_CONVENTIONAL, 0xffffffffffffe000UL, 1);
	assert_int_equal(map_ranges(MM_RAM_TYPES, out, 8), 1);
	expect_range(out, 0, 0xffffffffffffe000UL, 0xfffffffffffff000UL);
}

static void
test_too_many_ranges(void **state)
{
	struct mm_range *out;
	int i;

	map_init(48);
	for (i = 0; i < 5; i++)
		map_add(EFI_MD_CONVENTIONAL, (uint64_t)i * 2 * MiB, 1);
	out = malloc(5 * sizeof(*out));
	assert_non_null(out);
	assert_int_equal(map_ranges(MM_RAM_TYPES, out, 5), 5);
	assert_int_equal(map_ranges(MM_RAM_TYPES, out, 4), -1);
	assert_int_equal(map_ranges(MM_RAM_TYPES, out, 1), -1);
	assert_int_equal(map_ranges(MM_RAM_TYPES, out, 0), -1);
	free(out);
}

static void
test_type_filter(void **state)
{
	static const uint32_t ram[] = { EFI_MD_LOADER_CODE, EFI_MD_LOADER_DATA,
	    EFI_MD_BS_CODE, EFI_MD_BS_DATA, EFI_MD_RT_CODE, EFI_MD_RT_DATA,
	    EFI_MD_CONVENTIONAL, EFI_MD_ACPI_RECLAIM, EFI_MD_ACPI_NVS,
	    EFI_MD_PERSISTENT };
	static const uint32_t free_[] = { EFI_MD_LOADER_CODE, EFI_MD_LOADER_DATA,
	    EFI_MD_BS_CODE, EFI_MD_BS_DATA, EFI_MD_CONVENTIONAL };
	struct mm_range out[EFI_MD_NTYPES + 4];
	unsigned i;
	uint32_t t;
	int n;

	/* One page per type, a page apart, so each shows as its own range. */
	map_init(48);
	for (t = 0; t < EFI_MD_NTYPES; t++)
		map_add(t, (uint64_t)(2 * t + 1) * PAGE_SIZE, 1);
	/* OEM and OS-defined types: never wanted, whatever the mask says. */
	map_add(0x70000000, 0x100000, 1);
	map_add(0x80000000, 0x200000, 1);
	map_add(32, 0x300000, 1);

	n = map_ranges(MM_RAM_TYPES, out, EFI_MD_NTYPES + 4);
	assert_int_equal(n, sizeof(ram) / sizeof(ram[0]));
	for (i = 0; i < sizeof(ram) / sizeof(ram[0]); i++)
		expect_range(out, i, (2 * ram[i] + 1) * PAGE_SIZE, (2 * ram[i] + 2) * PAGE_SIZE);

	n = map_ranges(MM_FREE_TYPES, out, EFI_MD_NTYPES + 4);
	assert_int_equal(n, sizeof(free_) / sizeof(free_[0]));
	for (i = 0; i < sizeof(free_) / sizeof(free_[0]); i++)
		expect_range(out, i, (2 * free_[i] + 1) * PAGE_SIZE, (2 * free_[i] + 2) * PAGE_SIZE);

	/* Every bit set: only the 16 defined types match. */
	n = map_ranges(0xffffffffu, out, EFI_MD_NTYPES + 4);
	assert_int_equal(n, EFI_MD_NTYPES);
	n = map_ranges(0, out, EFI_MD_NTYPES + 4);
	assert_int_equal(n, 0);
}

/* r = the listed ranges; for the mm_add / mm_remove tests. */
static int
ranges_set(struct mm_range *r, int n, const uint64_t *pairs)
{
	int i;

	for (i = 0; i < n; i++) {
		r[i].mr_base = pairs[2 * i];
		r[i].mr_end = pairs[2 * i + 1];
	}
	return n;
}

static void
test_remove_split(void **state)
{
	struct mm_range r[4];
	int n;

	n = ranges_set(r, 1, (uint64_t[]){ 0x1000, 0x10000 });
	n = mm_remove(r, n, 4, 0x4000, 0x6000);
	assert_int_equal(n, 2);
	expect_range(r, 0, 0x1000, 0x4000);
	expect_range(r, 1, 0x6000, 0x10000);

	/* Split the middle one of three: the last moves up. */
	n = ranges_set(r, 3, (uint64_t[]){ 0, 0x1000, 0x2000, 0x9000, 0xa000, 0xb000 });
	n = mm_remove(r, n, 4, 0x3000, 0x4000);
	assert_int_equal(n, 4);
	expect_range(r, 0, 0, 0x1000);
	expect_range(r, 1, 0x2000, 0x3000);
	expect_range(r, 2, 0x4000, 0x9000);
	expect_range(r, 3, 0xa000, 0xb000);
}

static void
test_remove_trim(void **state)
{
	struct mm_range r[4];
	int n;

	n = ranges_set(r, 1, (uint64_t[]){ 0x1000, 0x10000 });
	n = mm_remove(r, n, 4, 0, 0x3000);		/* the front */
	assert_int_equal(n, 1);
	expect_range(r, 0, 0x3000, 0x10000);
	n = mm_remove(r, n, 4, 0xe000, 0x20000);	/* the back */
	assert_int_equal(n, 1);
	expect_range(r, 0, 0x3000, 0xe000);
	n = mm_remove(r, n, 4, 0x3000, 0x4000);		/* the front, exactly */
	assert_int_equal(n, 1);
	expect_range(r, 0, 0x4000, 0xe000);
	n = mm_remove(r, n, 4, 0xd000, 0xe000);		/* the back, exactly */
	assert_int_equal(n, 1);
	expect_range(r, 0, 0x4000, 0xd000);

	/* Touching without overlapping, or empty: no change. */
	n = mm_remove(r, n, 4, 0x1000, 0x4000);
	n = mm_remove(r, n, 4, 0xd000, 0xf000);
	n = mm_remove(r, n, 4, 0x8000, 0x8000);
	n = mm_remove(r, n, 4, 0x9000, 0x5000);
	assert_int_equal(n, 1);
	expect_range(r, 0, 0x4000, 0xd000);
}

static void
test_remove_whole(void **state)
{
	struct mm_range r[4];
	int n;

	n = ranges_set(r, 3, (uint64_t[]){ 0x1000, 0x2000, 0x3000, 0x4000, 0x5000, 0x6000 });
	n = mm_remove(r, n, 4, 0x3000, 0x4000);
	assert_int_equal(n, 2);
	expect_range(r, 0, 0x1000, 0x2000);
	expect_range(r, 1, 0x5000, 0x6000);
	n = mm_remove(r, n, 4, 0, 0x1800000);
	assert_int_equal(n, 0);
}

static void
test_remove_across(void **state)
{
	struct mm_range r[8];
	int n;

	/* Trim the first, drop the middle two, trim the last; keep the ends. */
	n = ranges_set(r, 6, (uint64_t[]){ 0x0, 0x1000, 0x2000, 0x4000,
	    0x5000, 0x6000, 0x7000, 0x8000, 0x9000, 0xc000, 0xd000, 0xe000 });
	n = mm_remove(r, n, 8, 0x3000, 0xa000);
	assert_int_equal(n, 4);
	expect_range(r, 0, 0x0, 0x1000);
	expect_range(r, 1, 0x2000, 0x3000);
	expect_range(r, 2, 0xa000, 0xc000);
	expect_range(r, 3, 0xd000, 0xe000);

	/* Two adjacent whole ranges in a row, then a trim. */
	n = ranges_set(r, 3, (uint64_t[]){ 0x1000, 0x2000, 0x3000, 0x4000, 0x5000, 0x8000 });
	n = mm_remove(r, n, 8, 0x1000, 0x6000);
	assert_int_equal(n, 1);
	expect_range(r, 0, 0x6000, 0x8000);
}

static void
test_remove_split_full(void **state)
{
	struct mm_range *r, saved[2];
	int n;

	r = malloc(2 * sizeof(*r));
	assert_non_null(r);
	n = ranges_set(r, 2, (uint64_t[]){ 0x1000, 0x2000, 0x3000, 0x9000 });
	memcpy(saved, r, sizeof(saved));
	assert_int_equal(mm_remove(r, n, 2, 0x4000, 0x5000), -1);
	/* A refusal leaves the list as it was. */
	assert_memory_equal(r, saved, sizeof(saved));
	/* Trimming needs no slot. */
	assert_int_equal(mm_remove(r, n, 2, 0x8000, 0x9000), 2);
	expect_range(r, 1, 0x3000, 0x8000);
	free(r);
}

/*
 * The model: a bitmap of NPAGES pages.  The sorted merged range list of a
 * bitmap is unique, so after every operation the list must equal the runs
 * of set bits exactly.
 */
#define NPAGES	256
#define NOPS	20000

static uint64_t rng_state;

static uint32_t
rng(void)
{
	/* xorshift64*: the same sequence on every host. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dUL) >> 32);
}

static int
model_runs(const unsigned char *bit, struct mm_range *out)
{
	int p, n = 0;

	for (p = 0; p < NPAGES; p++) {
		if (!bit[p])
			continue;
		if (n > 0 && out[n - 1].mr_end == (uint64_t)p * PAGE_SIZE)
			out[n - 1].mr_end += PAGE_SIZE;
		else {
			out[n].mr_base = (uint64_t)p * PAGE_SIZE;
			out[n].mr_end = (uint64_t)(p + 1) * PAGE_SIZE;
			n++;
		}
	}
	return n;
}

static void
run_model(int max, uint64_t seed)
{
	unsigned char bit[NPAGES], newbit[NPAGES];
	struct mm_range *r, want[NPAGES / 2 + 1], saved[NPAGES / 2 + 1];
	int n = 0, op, nwant, ret, i, refusals = 0;

	rng_state = seed;
	memset(bit, 0, sizeof(bit));
	r = malloc(max * sizeof(*r));	/* exactly max: ASan catches overruns */
	assert_non_null(r);
	for (op = 0; op < NOPS; op++) {
		int add = rng() % 2;
		uint64_t a = rng() % (NPAGES + 1), b = rng() % (NPAGES + 1);
		uint64_t base, end;

		/* Mostly short ranges; sometimes reversed (a no-op). */
		if (rng() % 4)
			b = a + rng() % 16;
		if (b > NPAGES)
			b = NPAGES;
		base = a * PAGE_SIZE;
		end = b * PAGE_SIZE;

		memcpy(newbit, bit, sizeof(bit));
		for (i = a; i < (int)b; i++)
			newbit[i] = add;
		nwant = model_runs(newbit, want);

		memcpy(saved, r, n * sizeof(*r));
		ret = add ? mm_add(r, n, max, base, end) : mm_remove(r, n, max, base, end);
		if (nwant > max) {
			/* Only a new range or a split can overflow, by one. */
			if (ret != -1)
				fail_msg("op %d: %s [%#lx, %#lx) gave %d ranges, max %d",
				    op, add ? "add" : "remove", (unsigned long)base,
				    (unsigned long)end, ret, max);
			assert_int_equal(nwant, max + 1);
			assert_memory_equal(r, saved, n * sizeof(*r));
			refusals++;
			continue;
		}
		if (ret != nwant)
			fail_msg("op %d: %s [%#lx, %#lx) returned %d, model has %d ranges",
			    op, add ? "add" : "remove", (unsigned long)base,
			    (unsigned long)end, ret, nwant);
		for (i = 0; i < nwant; i++)
			if (r[i].mr_base != want[i].mr_base || r[i].mr_end != want[i].mr_end)
				fail_msg("op %d: range %d is [%#lx, %#lx), model [%#lx, %#lx)",
				    op, i, (unsigned long)r[i].mr_base,
				    (unsigned long)r[i].mr_end,
				    (unsigned long)want[i].mr_base,
				    (unsigned long)want[i].mr_end);
		n = ret;
		memcpy(bit, newbit, sizeof(bit));
	}
	/* The small-max run must really have hit the limit. */
	if (max < NPAGES / 2)
		assert_true(refusals > 0);
	free(r);
}

static void
test_random_vs_bitmap(void **state)
{
	/* Room for every possible list (at most 128 runs in 256 pages). */
	run_model(NPAGES / 2, 0x6b65656c2d6d6d31UL);
	run_model(NPAGES / 2, 12345);
}

static void
test_random_small_max(void **state)
{
	run_model(6, 0x9e3779b97f4a7c15UL);
	run_model(1, 42);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stride48),
		cmocka_unit_test(test_stride40),
		cmocka_unit_test(test_unsorted),
		cmocka_unit_test(test_overlapping),
		cmocka_unit_test(test_zero_length),
		cmocka_unit_test(test_adjacent_merged),
		cmocka_unit_test(test_many_entries),
		cmocka_unit_test(test_above_4g),
		cmocka_unit_test(test_bad_stride),
		cmocka_unit_test(test_wrapping_descriptor),
		cmocka_unit_test(test_too_many_ranges),
		cmocka_unit_test(test_type_filter),
		cmocka_unit_test(test_remove_split),
		cmocka_unit_test(test_remove_trim),
		cmocka_unit_test(test_remove_whole),
		cmocka_unit_test(test_remove_across),
		cmocka_unit_test(test_remove_split_full),
		cmocka_unit_test(test_random_vs_bitmap),
		cmocka_unit_test(test_random_small_max),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
