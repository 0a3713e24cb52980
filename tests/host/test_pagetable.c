/*
 * test_pagetable.c: host tests for lib/pagetable.c against fake physical
 * memory.
 *
 * Page-table pages come from a static array of FAKE_PAGES pages that poses
 * as physical memory at FAKE_BASE.  pt_alloc hands them out zeroed, in
 * order, until a limit the test may lower; pt_ptr fails the test when asked
 * for anything but a page it handed out, so a bad table address in an entry
 * is caught where it is followed.  The tests walk the tables themselves to
 * see which page sizes were chosen.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <lib/pagetable.h>

#define FAKE_PAGES	4096
#define FAKE_BASE	0x7e000000UL	/* distinctive, and not 0 */
#define GiB		(1UL << 30)
#define MiB		(1UL << 20)
#define KVA		0xffffc00000000000UL	/* KVA_BASE: 512 GiB aligned */

static struct fake {
	uint64_t mem[FAKE_PAGES][PT_ENTRIES] __attribute__((aligned(4096)));
	int next;	/* pages handed out */
	int limit;	/* pt_alloc fails from here on */
} fake;

static uint64_t
fake_alloc(void *arg)
{
	struct fake *f = arg;

	if (f->next >= f->limit)
		return 0;
	memset(f->mem[f->next], 0, PAGE_SIZE);
	return FAKE_BASE + (uint64_t)f->next++ * PAGE_SIZE;
}

static uint64_t *
fake_ptr(void *arg, uint64_t pa)
{
	struct fake *f = arg;

	if (pa < FAKE_BASE || pa % PAGE_SIZE ||
	    pa >= FAKE_BASE + (uint64_t)f->next * PAGE_SIZE)
		fail_msg("pt_ptr(%#lx): not a page-table page pt_alloc gave out",
		    (unsigned long)pa);
	return f->mem[(pa - FAKE_BASE) / PAGE_SIZE];
}

static struct pt_ctx ctx;
static uint64_t root;

/* Fresh memory, a root table, and the page sizes allowed. */
static void
pt_reset(int allow_2m, int allow_1g)
{
	/* Junk in every page, so only pt_alloc's zeroing makes a table empty. */
	memset(fake.mem, 0xa5, sizeof(fake.mem));
	fake.next = 0;
	fake.limit = FAKE_PAGES;
	ctx = (struct pt_ctx){
		.pt_alloc = fake_alloc,
		.pt_ptr = fake_ptr,
		.pt_arg = &fake,
		.pt_allow_1g = allow_1g,
		.pt_allow_2m = allow_2m,
	};
	root = fake_alloc(&fake);
	assert_int_not_equal(root, 0);
}

/*
 * The entry for va at `level` (4 = PML4), or NULL when the walk stops
 * above it at a missing entry or a large page.
 */
static uint64_t *
pt_entry(uint64_t va, int level)
{
	uint64_t *table = fake_ptr(&fake, root);
	int l;

	for (l = 4; l > level; l--) {
		uint64_t e = table[PT_INDEX(va, l)];

		if (!(e & PTE_P) || (e & PTE_PS))
			return NULL;
		table = fake_ptr(&fake, e & PTE_ADDR_MASK);
	}
	return &table[PT_INDEX(va, level)];
}

/* The level of the leaf that maps va (1 = 4 KiB, 2 = 2 MiB, 3 = 1 GiB), 0 if none. */
static int
leaf_level(uint64_t va)
{
	int level;

	for (level = 4; level >= 1; level--) {
		uint64_t *e = pt_entry(va, level);

		if (e == NULL || !(*e & PTE_P))
			return 0;
		if (level == 1 || (*e & PTE_PS))
			return level;
	}
	return 0;
}

/* va must translate to pa with exactly `flags` in effect. */
static void
expect_map(uint64_t va, uint64_t pa, uint64_t flags)
{
	uint64_t got_pa = ~0UL, got_flags = ~0UL;
	int r = pt_translate(&ctx, root, va, &got_pa, &got_flags);

	if (r != PT_OK)
		fail_msg("translate %#lx: %d, expected a mapping", (unsigned long)va, r);
	if (got_pa != pa)
		fail_msg("translate %#lx: pa %#lx, expected %#lx", (unsigned long)va,
		    (unsigned long)got_pa, (unsigned long)pa);
	if (got_flags != flags)
		fail_msg("translate %#lx: flags %#lx, expected %#lx", (unsigned long)va,
		    (unsigned long)got_flags, (unsigned long)flags);
}

static void
expect_unmapped(uint64_t va)
{
	assert_int_equal(pt_translate(&ctx, root, va, NULL, NULL), 1);
}

static void
test_map_4k(void **state)
{
	uint64_t va = KVA + 0x5000;

	pt_reset(1, 1);
	assert_int_equal(pt_map(&ctx, root, va, 0x12345000, PAGE_SIZE, PTE_W | PTE_NX), PT_OK);
	expect_map(va, 0x12345000, PTE_P | PTE_W | PTE_NX);
	expect_map(va + 0xabc, 0x12345abc, PTE_P | PTE_W | PTE_NX);
	expect_map(va + 0xfff, 0x12345fff, PTE_P | PTE_W | PTE_NX);
	expect_unmapped(va - 1);
	expect_unmapped(va + PAGE_SIZE);
	assert_int_equal(leaf_level(va), 1);
	/* PML4, PDPT, PD, PT. */
	assert_int_equal(fake.next, 4);

	/* Read-only, executable; G, PCD and PWT come through from the leaf. */
	assert_int_equal(pt_map(&ctx, root, va + PAGE_SIZE, 0x2000, PAGE_SIZE,
	    PTE_G | PTE_PCD | PTE_PWT), PT_OK);
	expect_map(va + PAGE_SIZE, 0x2000, PTE_P | PTE_G | PTE_PCD | PTE_PWT);
	/* The same PT served both. */
	assert_int_equal(fake.next, 4);

	/* A user page: U, not W. */
	assert_int_equal(pt_map(&ctx, root, 0x400000, 0x3000, PAGE_SIZE, PTE_U), PT_OK);
	expect_map(0x400123, 0x3123, PTE_P | PTE_U);

	/* Intermediate entries grant everything but U (the leaf decides). */
	assert_int_equal(*pt_entry(va, 4) & (PTE_P | PTE_W | PTE_U | PTE_NX | PTE_PS),
	    PTE_P | PTE_W);
	assert_int_equal(*pt_entry(va, 3) & (PTE_P | PTE_W | PTE_U | PTE_NX | PTE_PS),
	    PTE_P | PTE_W);
	assert_int_equal(*pt_entry(va, 2) & (PTE_P | PTE_W | PTE_U | PTE_NX | PTE_PS),
	    PTE_P | PTE_W);
}

static void
test_effective_flags(void **state)
{
	uint64_t va = 0x7f0000200000UL;

	/* W and U are ANDed across the levels, NX is ORed. */
	pt_reset(1, 1);
	assert_int_equal(pt_map(&ctx, root, va, 0x8000, PAGE_SIZE, PTE_W | PTE_U), PT_OK);
	expect_map(va, 0x8000, PTE_P | PTE_W | PTE_U);

	*pt_entry(va, 2) &= ~PTE_W;
	expect_map(va, 0x8000, PTE_P | PTE_U);
	*pt_entry(va, 2) |= PTE_W;
	*pt_entry(va, 4) &= ~PTE_W;
	expect_map(va, 0x8000, PTE_P | PTE_U);
	*pt_entry(va, 4) |= PTE_W;

	*pt_entry(va, 3) &= ~PTE_U;
	expect_map(va, 0x8000, PTE_P | PTE_W);
	*pt_entry(va, 3) |= PTE_U;

	*pt_entry(va, 4) |= PTE_NX;
	expect_map(va, 0x8000, PTE_P | PTE_W | PTE_U | PTE_NX);
	*pt_entry(va, 4) &= ~PTE_NX;
	*pt_entry(va, 2) |= PTE_NX;
	expect_map(va, 0x8000, PTE_P | PTE_W | PTE_U | PTE_NX);
	*pt_entry(va, 2) &= ~PTE_NX;

	expect_map(va, 0x8000, PTE_P | PTE_W | PTE_U);
}

static void
test_large_2m(void **state)
{
	uint64_t va = KVA + 4 * MiB;

	pt_reset(1, 0);
	assert_int_equal(pt_map(&ctx, root, va, 64 * MiB, 4 * MiB, PTE_W), PT_OK);
	assert_int_equal(leaf_level(va), 2);
	assert_int_equal(leaf_level(va + 2 * MiB), 2);
	assert_true(*pt_entry(va, 2) & PTE_PS);
	expect_map(va + 0x12345, 64 * MiB + 0x12345, PTE_P | PTE_W);
	expect_map(va + 2 * MiB + 0x1fffff, 66 * MiB + 0x1fffff, PTE_P | PTE_W);
	expect_unmapped(va + 4 * MiB);
	/* PML4, PDPT, PD: no page tables. */
	assert_int_equal(fake.next, 3);
}

static void
test_large_1g(void **state)
{
	uint64_t va = KVA + GiB;

	pt_reset(1, 1);
	assert_int_equal(pt_map(&ctx, root, va, 4 * GiB, 2 * GiB, PTE_W | PTE_NX), PT_OK);
	assert_int_equal(leaf_level(va), 3);
	assert_int_equal(leaf_level(va + GiB), 3);
	assert_true(*pt_entry(va, 3) & PTE_PS);
	expect_map(va + 0x3456789a, 4 * GiB + 0x3456789a, PTE_P | PTE_W | PTE_NX);
	expect_map(va + 2 * GiB - 1, 6 * GiB - 1, PTE_P | PTE_W | PTE_NX);
	/* PML4, PDPT. */
	assert_int_equal(fake.next, 2);
}

static void
test_large_disallowed(void **state)
{
	uint64_t va = KVA + GiB;

	/* No large pages at all: 4 KiB everywhere. */
	pt_reset(0, 0);
	assert_int_equal(pt_map(&ctx, root, va, 2 * MiB, 4 * MiB, 0), PT_OK);
	assert_int_equal(leaf_level(va), 1);
	assert_int_equal(leaf_level(va + 4 * MiB - PAGE_SIZE), 1);
	expect_map(va + 3 * MiB + 5, 5 * MiB + 5, PTE_P);
	/* PML4, PDPT, PD, two PTs. */
	assert_int_equal(fake.next, 5);

	/* 2 MiB only: a 1 GiB aligned gigabyte is 512 PDEs. */
	pt_reset(1, 0);
	assert_int_equal(pt_map(&ctx, root, va, GiB, GiB, 0), PT_OK);
	assert_int_equal(leaf_level(va), 2);
	assert_int_equal(leaf_level(va + GiB - 1), 2);
	assert_int_equal(fake.next, 3);

	/* 1 GiB only: the gigabyte is one entry, the 2 MiB after it 4 KiB pages. */
	pt_reset(0, 1);
	assert_int_equal(pt_map(&ctx, root, va, GiB, GiB + 2 * MiB, 0), PT_OK);
	assert_int_equal(leaf_level(va), 3);
	assert_int_equal(leaf_level(va + GiB), 1);
	assert_int_equal(leaf_level(va + GiB + 2 * MiB - 1), 1);
	expect_map(va + GiB + MiB, 2 * GiB + MiB, PTE_P);
}

static void
test_large_needs_aligned_pa(void **state)
{
	uint64_t va = KVA + GiB;

	/* va is 1 GiB aligned, pa only 4 KiB: large pages would misplace it. */
	pt_reset(1, 1);
	assert_int_equal(pt_map(&ctx, root, va, 0x1000, 2 * MiB, 0), PT_OK);
	assert_int_equal(leaf_level(va), 1);
	expect_map(va + MiB + 0x10, 0x1000 + MiB + 0x10, PTE_P);

	/* pa 2 MiB aligned but not 1 GiB: 2 MiB pages. */
	pt_reset(1, 1);
	assert_int_equal(pt_map(&ctx, root, va, 2 * MiB, GiB, 0), PT_OK);
	assert_int_equal(leaf_level(va), 2);
	expect_map(va + GiB - 1, 2 * MiB + GiB - 1, PTE_P);
}

static void
test_mixed_sizes(void **state)
{
	/*
	 * A direct-map range that starts 4 KiB below a 2 MiB boundary that is
	 * itself 2 MiB below a 1 GiB boundary, and ends 2 MiB + 4 KiB past the
	 * next one: 4K, 2M, 1G, 2M, 4K.
	 */
	uint64_t base = 0xffff800000000000UL;
	uint64_t pa = GiB - 2 * MiB - PAGE_SIZE;
	uint64_t size = PAGE_SIZE + 2 * MiB + GiB + 2 * MiB + PAGE_SIZE;
	uint64_t va = base + pa;

	pt_reset(1, 1);
	assert_int_equal(pt_map(&ctx, root, va, pa, size, PTE_W | PTE_NX), PT_OK);
	assert_int_equal(leaf_level(va), 1);
	assert_int_equal(leaf_level(va + PAGE_SIZE), 2);
	assert_int_equal(leaf_level(base + GiB - 1), 2);
	assert_int_equal(leaf_level(base + GiB), 3);
	assert_int_equal(leaf_level(base + 2 * GiB - 1), 3);
	assert_int_equal(leaf_level(base + 2 * GiB), 2);
	assert_int_equal(leaf_level(base + 2 * GiB + 2 * MiB), 1);
	expect_unmapped(va - 1);
	expect_unmapped(va + size);
	expect_map(va, pa, PTE_P | PTE_W | PTE_NX);
	expect_map(base + GiB + 0x1234567, GiB + 0x1234567, PTE_P | PTE_W | PTE_NX);
	expect_map(va + size - 1, pa + size - 1, PTE_P | PTE_W | PTE_NX);

	/* 4 KiB at both ends of a 2 MiB run, 2 MiB pages only. */
	pt_reset(1, 0);
	va = KVA + 2 * MiB - 2 * PAGE_SIZE;
	assert_int_equal(pt_map(&ctx, root, va, 0x800000 - 2 * PAGE_SIZE,
	    2 * PAGE_SIZE + 4 * MiB + 3 * PAGE_SIZE, 0), PT_OK);
	assert_int_equal(leaf_level(va), 1);
	assert_int_equal(leaf_level(va + PAGE_SIZE), 1);
	assert_int_equal(leaf_level(KVA + 2 * MiB), 2);
	assert_int_equal(leaf_level(KVA + 4 * MiB), 2);
	assert_int_equal(leaf_level(KVA + 6 * MiB), 1);
	assert_int_equal(leaf_level(KVA + 6 * MiB + 2 * PAGE_SIZE), 1);
	expect_unmapped(KVA + 6 * MiB + 3 * PAGE_SIZE);
	expect_map(KVA + 6 * MiB + 0x2abc, 0xc00000 + 0x2abc, PTE_P);
}

static void
test_double_map(void **state)
{
	uint64_t va = KVA + 2 * MiB;

	pt_reset(1, 1);
	assert_int_equal(pt_map(&ctx, root, va, 0x1000, PAGE_SIZE, 0), PT_OK);
	assert_int_equal(pt_map(&ctx, root, va, 0x2000, PAGE_SIZE, 0), PT_EEXIST);
	/* A range whose last page is taken. */
	assert_int_equal(pt_map(&ctx, root, va - 2 * PAGE_SIZE, 0x2000, 3 * PAGE_SIZE, 0),
	    PT_EEXIST);
	/* A 2 MiB page over a table that holds a 4 KiB page. */
	assert_int_equal(pt_map(&ctx, root, va, 4 * MiB, 2 * MiB, 0), PT_EEXIST);
	/* The first mapping is untouched. */
	expect_map(va, 0x1000, PTE_P);

	/* A 4 KiB page inside an existing 2 MiB one, and a 1 GiB one over it. */
	assert_int_equal(pt_map(&ctx, root, KVA + 8 * MiB, 8 * MiB, 2 * MiB, 0), PT_OK);
	assert_int_equal(leaf_level(KVA + 8 * MiB), 2);
	assert_int_equal(pt_map(&ctx, root, KVA + 9 * MiB, 0x5000, PAGE_SIZE, 0), PT_EEXIST);
	assert_int_equal(pt_map(&ctx, root, KVA, 0, GiB, 0), PT_EEXIST);
	expect_map(KVA + 9 * MiB, 9 * MiB, PTE_P);

	/* The same 1 GiB page twice. */
	assert_int_equal(pt_map(&ctx, root, KVA + GiB, GiB, GiB, 0), PT_OK);
	assert_int_equal(pt_map(&ctx, root, KVA + GiB, GiB, GiB, 0), PT_EEXIST);
}

static void
test_invalid(void **state)
{
	int used;

	pt_reset(1, 1);
	used = fake.next;
	/* Unaligned va, pa, size. */
	assert_int_equal(pt_map(&ctx, root, KVA + 1, 0, PAGE_SIZE, 0), PT_EINVAL);
	assert_int_equal(pt_map(&ctx, root, KVA, 0x800, PAGE_SIZE, 0), PT_EINVAL);
	assert_int_equal(pt_map(&ctx, root, KVA, 0, PAGE_SIZE + 1, 0), PT_EINVAL);
	/* Non-canonical starts, and ranges across the canonical hole. */
	assert_int_equal(pt_map(&ctx, root, 0x0000800000000000UL, 0, PAGE_SIZE, 0), PT_EINVAL);
	assert_int_equal(pt_map(&ctx, root, 0xffff7ffffffff000UL, 0, PAGE_SIZE, 0), PT_EINVAL);
	assert_int_equal(pt_map(&ctx, root, 0x00007ffffffff000UL, 0, 2 * PAGE_SIZE, 0),
	    PT_EINVAL);
	assert_int_equal(pt_map(&ctx, root, 0x00007ffffffff000UL, 0,
	    0xffff800000000000UL - 0x00007ffffffff000UL + PAGE_SIZE, 0), PT_EINVAL);
	/* Wrapping past 2^64 into the lower half. */
	assert_int_equal(pt_map(&ctx, root, 0xfffffffffffff000UL, 0, 2 * PAGE_SIZE, 0),
	    PT_EINVAL);
	/* Flags a caller may not ask for. */
	assert_int_equal(pt_map(&ctx, root, KVA, 0, PAGE_SIZE, PTE_P), PT_EINVAL);
	assert_int_equal(pt_map(&ctx, root, KVA, 0, PAGE_SIZE, PTE_PS), PT_EINVAL);
	assert_int_equal(pt_map(&ctx, root, KVA, 0, PAGE_SIZE, PTE_A | PTE_W), PT_EINVAL);
	assert_int_equal(pt_map(&ctx, root, KVA, 0, PAGE_SIZE, PTE_D), PT_EINVAL);
	assert_int_equal(pt_map(&ctx, root, KVA, 0, PAGE_SIZE, 1UL << 12), PT_EINVAL);
	assert_int_equal(pt_map(&ctx, root, KVA, 0, PAGE_SIZE, 1UL << 52), PT_EINVAL);
	/* Refusals build nothing. */
	assert_int_equal(fake.next, used);
	expect_unmapped(KVA);

	/* The last 2 MiB of the address space is a valid range (it ends at 2^64). */
	assert_int_equal(pt_map(&ctx, root, 0xffffffffffe00000UL, 0x40000000,
	    2 * MiB, 0), PT_OK);
	expect_map(~0UL, 0x40000000 + 2 * MiB - 1, PTE_P);
	/* Size 0 maps nothing. */
	assert_int_equal(pt_map(&ctx, root, KVA, 0, 0, 0), PT_OK);
	expect_unmapped(KVA);
}

static void
test_out_of_memory(void **state)
{
	pt_reset(1, 1);
	/* Room for the PDPT and PD but not the PT. */
	fake.limit = fake.next + 2;
	assert_int_equal(pt_map(&ctx, root, KVA, 0x1000, PAGE_SIZE, 0), PT_ENOMEM);
	expect_unmapped(KVA);
	/* With one more page it goes through, using what was already built. */
	fake.limit++;
	assert_int_equal(pt_map(&ctx, root, KVA, 0x1000, PAGE_SIZE, 0), PT_OK);
	expect_map(KVA, 0x1000, PTE_P);

	/* Nothing at all left. */
	pt_reset(1, 1);
	fake.limit = fake.next;
	assert_int_equal(pt_map(&ctx, root, 0x400000, 0x1000, PAGE_SIZE, PTE_U), PT_ENOMEM);
	expect_unmapped(0x400000);
}

static void
test_unmap(void **state)
{
	uint64_t va = KVA + 0x10000;

	pt_reset(1, 1);
	assert_int_equal(pt_map(&ctx, root, va, 0x100000, 3 * PAGE_SIZE, PTE_W), PT_OK);
	assert_int_equal(pt_unmap(&ctx, root, va + PAGE_SIZE, PAGE_SIZE), PT_OK);
	expect_map(va, 0x100000, PTE_P | PTE_W);
	expect_unmapped(va + PAGE_SIZE);
	expect_map(va + 2 * PAGE_SIZE, 0x102000, PTE_P | PTE_W);

	/* Unmapping what is not mapped, around and beyond, is fine. */
	assert_int_equal(pt_unmap(&ctx, root, va, 8 * PAGE_SIZE), PT_OK);
	expect_unmapped(va);
	expect_unmapped(va + 2 * PAGE_SIZE);
	assert_int_equal(pt_unmap(&ctx, root, 0x400000, PAGE_SIZE), PT_OK);

	/* The page can be mapped again, somewhere else. */
	assert_int_equal(pt_map(&ctx, root, va + PAGE_SIZE, 0x200000, PAGE_SIZE, 0), PT_OK);
	expect_map(va + PAGE_SIZE, 0x200000, PTE_P);

	/* Unaligned. */
	assert_int_equal(pt_unmap(&ctx, root, va + 1, PAGE_SIZE), PT_EINVAL);
	assert_int_equal(pt_unmap(&ctx, root, va, 100), PT_EINVAL);
	expect_map(va + PAGE_SIZE, 0x200000, PTE_P);

	/* Part of a large page: refused, the page stays. */
	assert_int_equal(pt_map(&ctx, root, KVA + GiB, 0, 2 * MiB, 0), PT_OK);
	assert_int_equal(pt_unmap(&ctx, root, KVA + GiB + PAGE_SIZE, PAGE_SIZE), PT_EEXIST);
	expect_map(KVA + GiB + PAGE_SIZE, PAGE_SIZE, PTE_P);
}

/*
 * A non-canonical or wrapping range names no page; pt_unmap must refuse it
 * (pagetable.h: PT_EINVAL), not drop the bits the CPU would fault on and
 * unmap whatever page they alias.
 */
static void
test_unmap_noncanonical(void **state)
{
	pt_reset(1, 1);
	/* 0x0000800000000000 indexes PML4 entry 256, like 0xffff800000000000. */
	assert_int_equal(pt_map(&ctx, root, 0xffff800000000000UL, 0x1000, PAGE_SIZE, 0), PT_OK);
	assert_int_equal(pt_unmap(&ctx, root, 0x0000800000000000UL, PAGE_SIZE), PT_EINVAL);
	expect_map(0xffff800000000000UL, 0x1000, PTE_P);
}

static void
test_unmap_wrapping(void **state)
{
	/* The last page of the address space and, after wrapping, the first. */
	pt_reset(1, 1);
	assert_int_equal(pt_map(&ctx, root, 0, 0x2000, PAGE_SIZE, PTE_U), PT_OK);
	assert_int_equal(pt_map(&ctx, root, 0xfffffffffffff000UL, 0x3000, PAGE_SIZE, 0), PT_OK);
	assert_int_equal(pt_unmap(&ctx, root, 0xfffffffffffff000UL, 2 * PAGE_SIZE), PT_EINVAL);
	expect_map(0, 0x2000, PTE_P | PTE_U);
	expect_map(0xfffffffffffff000UL, 0x3000, PTE_P);
}

static void
test_translate_noncanonical(void **state)
{
	uint64_t pa = 0x1234, flags = 0x5678;

	pt_reset(1, 1);
	assert_int_equal(pt_map(&ctx, root, 0xffff800000000000UL, 0, GiB, 0), PT_OK);
	/* Same PML4 index as the mapping above, but not canonical. */
	assert_int_equal(pt_translate(&ctx, root, 0x0000800000000000UL, &pa, &flags), PT_EINVAL);
	assert_int_equal(pt_translate(&ctx, root, 0xffff000000000000UL, &pa, &flags), PT_EINVAL);
	assert_int_equal(pt_translate(&ctx, root, 0x8000000000000000UL, &pa, &flags), PT_EINVAL);
	/* The outputs are left alone. */
	assert_int_equal(pa, 0x1234);
	assert_int_equal(flags, 0x5678);
	/* Unmapped canonical addresses return 1. */
	assert_int_equal(pt_translate(&ctx, root, 0x1000, &pa, &flags), 1);
	assert_int_equal(pt_translate(&ctx, root, 0xffff800040000000UL, &pa, &flags), 1);
}

static void
test_user_under_kernel_table(void **state)
{
	uint64_t kva = 0x600000, uva = 0x601000;
	int level;

	/* A kernel-only page first: its tables carry no U. */
	pt_reset(1, 1);
	assert_int_equal(pt_map(&ctx, root, kva, 0x10000, PAGE_SIZE, PTE_W), PT_OK);
	for (level = 4; level >= 2; level--)
		assert_false(*pt_entry(kva, level) & PTE_U);
	expect_map(kva, 0x10000, PTE_P | PTE_W);

	/* A user page beside it, under the same tables: they gain U. */
	assert_int_equal(pt_map(&ctx, root, uva, 0x20000, PAGE_SIZE, PTE_U | PTE_W), PT_OK);
	assert_int_equal(fake.next, 4);		/* no new table */
	for (level = 4; level >= 2; level--)
		assert_true(*pt_entry(uva, level) & PTE_U);
	expect_map(uva, 0x20000, PTE_P | PTE_W | PTE_U);
	/* The kernel page's own leaf still keeps users out. */
	expect_map(kva, 0x10000, PTE_P | PTE_W);
}

static void
test_direct_map_6g(void **state)
{
	uint64_t base = 0xffff800000000000UL;

	/* With 1 GiB pages: the root and one PDPT. */
	pt_reset(1, 1);
	assert_int_equal(pt_map(&ctx, root, base, 0, 6 * GiB, PTE_W | PTE_NX | PTE_G), PT_OK);
	assert_int_equal(fake.next, 2);
	assert_int_equal(leaf_level(base), 3);
	assert_int_equal(leaf_level(base + 6 * GiB - 1), 3);
	expect_map(base + 5 * GiB + 0x1234, 5 * GiB + 0x1234, PTE_P | PTE_W | PTE_NX | PTE_G);
	expect_unmapped(base + 6 * GiB);

	/* With 2 MiB pages: one PD per gigabyte besides. */
	pt_reset(1, 0);
	assert_int_equal(pt_map(&ctx, root, base, 0, 6 * GiB, PTE_W | PTE_NX | PTE_G), PT_OK);
	assert_int_equal(fake.next, 8);
	expect_map(base + 5 * GiB + 0x1234, 5 * GiB + 0x1234, PTE_P | PTE_W | PTE_NX | PTE_G);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_4k),
		cmocka_unit_test(test_effective_flags),
		cmocka_unit_test(test_large_2m),
		cmocka_unit_test(test_large_1g),
		cmocka_unit_test(test_large_disallowed),
		cmocka_unit_test(test_large_needs_aligned_pa),
		cmocka_unit_test(test_mixed_sizes),
		cmocka_unit_test(test_double_map),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_unmap),
		cmocka_unit_test(test_unmap_noncanonical),
		cmocka_unit_test(test_unmap_wrapping),
		cmocka_unit_test(test_translate_noncanonical),
		cmocka_unit_test(test_user_under_kernel_table),
		cmocka_unit_test(test_direct_map_6g),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
