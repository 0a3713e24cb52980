/*
 * t_vm.c: mremap (shrink, grow in place, move, MREMAP_FIXED,
 * MREMAP_DONTUNMAP, on private and shared memory), mincore, msync and
 * madvise's advice, with good and bad arguments.
 *
 * Interface: vm_tests[] (utest.h).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "utest.h"

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ	22
#define MADV_POPULATE_WRITE	23
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP	4
#endif

#define PRIV		(MAP_PRIVATE | MAP_ANONYMOUS)
#define SHARED		(MAP_SHARED | MAP_ANONYMOUS)
#define RW		(PROT_READ | PROT_WRITE)

static long
vm_mremap(void *old, size_t old_len, size_t new_len, int flags, void *new_addr)
{
	return sys5(SYS_mremap, old, old_len, new_len, flags, new_addr);
}

/* Map n pages, each filled with its number plus c. */
static char *
map_filled(size_t n, int flags, int c)
{
	long p = sys_mmap(0, n * PGSIZE, RW, flags, -1, 0);

	if (sys_iserr(p))
		return 0;
	for (size_t i = 0; i < n; i++)
		memset((char *)p + i * PGSIZE, (int)(c + i), PGSIZE);
	return (char *)p;
}

static int
page_is(const char *p, int c)
{
	for (size_t i = 0; i < PGSIZE; i++)
		if (p[i] != (char)c)
			return 0;
	return 1;
}

static void
c_read(void *arg)
{
	(void)*(volatile char *)arg;
}

static void
t_mremap_shrink(void)
{
	char *p = map_filled(4, PRIV, 'a');

	CHECK(p != 0, "mmap failed");
	CHECK_EQ(vm_mremap(p, 4 * PGSIZE, 2 * PGSIZE, 0, 0), (long)p);
	CHECK(page_is(p, 'a') && page_is(p + PGSIZE, 'b'), "kept pages changed");
	CHECK_SIGNAL(c_read, p + 2 * PGSIZE, SIGSEGV);
	CHECK_SIGNAL(c_read, p + 3 * PGSIZE, SIGSEGV);
	/* Same length: nothing to do. */
	CHECK_EQ(vm_mremap(p, 2 * PGSIZE, 2 * PGSIZE, 0, 0), (long)p);
	sys_munmap(p, 2 * PGSIZE);
}

static void
t_mremap_grow_in_place(void)
{
	char *p = map_filled(8, PRIV, 'a');

	CHECK(p != 0, "mmap failed");
	CHECK_EQ(sys_munmap(p + 2 * PGSIZE, 6 * PGSIZE), 0);
	CHECK_EQ(vm_mremap(p, 2 * PGSIZE, 5 * PGSIZE, 0, 0), (long)p);
	CHECK(page_is(p, 'a') && page_is(p + PGSIZE, 'b'), "old pages changed");
	CHECK(page_is(p + 2 * PGSIZE, 0) && page_is(p + 4 * PGSIZE, 0), "new pages not zero");
	p[5 * PGSIZE - 1] = 1;
	CHECK_SIGNAL(c_read, p + 5 * PGSIZE, SIGSEGV);
	sys_munmap(p, 5 * PGSIZE);
}

/* A blocked grow: ENOMEM without MREMAP_MAYMOVE, a move with it. */
static void
t_mremap_move(void)
{
	char *p = map_filled(3, PRIV, 'a');
	long q;

	CHECK(p != 0, "mmap failed");
	/* Another protection keeps the third page a region of its own, as on Linux. */
	CHECK_EQ(sys_mprotect(p + 2 * PGSIZE, PGSIZE, PROT_READ), 0);
	CHECK_ERR(vm_mremap(p, 2 * PGSIZE, 4 * PGSIZE, 0, 0), ENOMEM);
	CHECK(page_is(p, 'a'), "failed mremap changed the pages");
	CHECK_OK(q, vm_mremap(p, 2 * PGSIZE, 4 * PGSIZE, MREMAP_MAYMOVE, 0));
	CHECK(q != (long)p, "moved to where it was");
	CHECK(page_is((char *)q, 'a') && page_is((char *)q + PGSIZE, 'b'), "data not moved");
	CHECK(page_is((char *)q + 2 * PGSIZE, 0), "grown part not zero");
	((char *)q)[4 * PGSIZE - 1] = 1;
	CHECK_SIGNAL(c_read, p, SIGSEGV);
	CHECK(page_is(p + 2 * PGSIZE, 'c'), "the page after changed");
	sys_munmap((void *)q, 4 * PGSIZE);
	sys_munmap(p + 2 * PGSIZE, PGSIZE);
}

/* Two mmaps side by side are one region to mremap (Linux merges them). */
static void
t_mremap_adjacent(void)
{
	char *p = map_filled(2, PRIV, 'a');
	long q;

	CHECK(p != 0, "mmap failed");
	CHECK_EQ(sys_munmap(p + PGSIZE, PGSIZE), 0);
	CHECK_OK(q, sys_mmap(p + PGSIZE, PGSIZE, RW, PRIV | MAP_FIXED, -1, 0));
	memset((char *)q, 'z', PGSIZE);
	CHECK_OK(q, vm_mremap(p, 2 * PGSIZE, 3 * PGSIZE, MREMAP_MAYMOVE, 0));
	CHECK(page_is((char *)q, 'a') && page_is((char *)q + PGSIZE, 'z'), "data not moved");
	sys_munmap((void *)q, 3 * PGSIZE);
}

static void
t_mremap_fixed(void)
{
	char *src = map_filled(2, PRIV, 'a'), *dst = map_filled(4, PRIV, 'p');

	CHECK(src && dst, "mmap failed");
	CHECK_EQ(vm_mremap(src, 2 * PGSIZE, 2 * PGSIZE, MREMAP_MAYMOVE | MREMAP_FIXED, dst),
	    (long)dst);
	CHECK(page_is(dst, 'a') && page_is(dst + PGSIZE, 'b'), "data not moved");
	CHECK(page_is(dst + 2 * PGSIZE, 'r') && page_is(dst + 3 * PGSIZE, 's'),
	    "the rest of the target changed");
	CHECK_SIGNAL(c_read, src, SIGSEGV);
	/* Shrinking on the way. */
	CHECK_EQ(vm_mremap(dst, 4 * PGSIZE, PGSIZE, MREMAP_MAYMOVE | MREMAP_FIXED, src),
	    (long)src);
	CHECK(page_is(src, 'a'), "data not moved");
	CHECK_SIGNAL(c_read, src + PGSIZE, SIGSEGV);
	CHECK_SIGNAL(c_read, dst + 3 * PGSIZE, SIGSEGV);
	sys_munmap(src, PGSIZE);
}

/* MREMAP_DONTUNMAP: the pages move, the old range stays mapped and empty. */
static void
t_mremap_dontunmap(void)
{
	char *p = map_filled(2, PRIV, 'a');
	long q;

	CHECK(p != 0, "mmap failed");
	CHECK_OK(q, vm_mremap(p, 2 * PGSIZE, 2 * PGSIZE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0));
	CHECK(page_is((char *)q, 'a') && page_is((char *)q + PGSIZE, 'b'), "data not moved");
	CHECK(page_is(p, 0) && page_is(p + PGSIZE, 0), "old range not empty");
	CHECK_ERR(vm_mremap(p, 2 * PGSIZE, 3 * PGSIZE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0),
	    EINVAL);
	CHECK_ERR(vm_mremap(p, 2 * PGSIZE, 2 * PGSIZE, MREMAP_DONTUNMAP, 0), EINVAL);
	sys_munmap(p, 2 * PGSIZE);
	sys_munmap((void *)q, 2 * PGSIZE);
}

static void
t_mremap_bad(void)
{
	char *p = map_filled(4, PRIV, 'a');

	CHECK(p != 0, "mmap failed");
	CHECK_ERR(vm_mremap(p, PGSIZE, PGSIZE, 8, 0), EINVAL);		/* unknown flag */
	CHECK_ERR(vm_mremap(p, PGSIZE, 2 * PGSIZE, MREMAP_FIXED, p + 2 * PGSIZE), EINVAL);
	CHECK_ERR(vm_mremap(p + 1, PGSIZE, 2 * PGSIZE, MREMAP_MAYMOVE, 0), EINVAL);
	CHECK_ERR(vm_mremap(p, PGSIZE, 0, MREMAP_MAYMOVE, 0), EINVAL);
	/* A private mapping cannot be duplicated with old length 0. */
	CHECK_ERR(vm_mremap(p, 0, PGSIZE, MREMAP_MAYMOVE, 0), EINVAL);
	/* MREMAP_FIXED: an unaligned target, or one overlapping the source. */
	CHECK_ERR(vm_mremap(p, PGSIZE, PGSIZE, MREMAP_MAYMOVE | MREMAP_FIXED, p + 100), EINVAL);
	CHECK_ERR(vm_mremap(p, 2 * PGSIZE, 2 * PGSIZE, MREMAP_MAYMOVE | MREMAP_FIXED, p + PGSIZE),
	    EINVAL);
	CHECK_ERR(vm_mremap(p + PGSIZE, 2 * PGSIZE, 2 * PGSIZE, MREMAP_MAYMOVE | MREMAP_FIXED, p),
	    EINVAL);
	CHECK(page_is(p, 'a') && page_is(p + 3 * PGSIZE, 'd'), "failed mremap changed the pages");
	/* Across a hole, or from unmapped memory: EFAULT. */
	CHECK_EQ(sys_munmap(p + 2 * PGSIZE, PGSIZE), 0);
	CHECK_ERR(vm_mremap(p, 4 * PGSIZE, 5 * PGSIZE, MREMAP_MAYMOVE, 0), EFAULT);
	CHECK_ERR(vm_mremap(p + 2 * PGSIZE, PGSIZE, 2 * PGSIZE, MREMAP_MAYMOVE, 0), EFAULT);
	CHECK_ERR(vm_mremap(p + 2 * PGSIZE, PGSIZE, PGSIZE, MREMAP_MAYMOVE | MREMAP_FIXED,
	    p + 8 * PGSIZE), EFAULT);
	/* Even a shrink, or no change, needs a region at the address. */
	CHECK_ERR(vm_mremap(p + 2 * PGSIZE, PGSIZE, PGSIZE, 0, 0), EFAULT);
	CHECK_ERR(vm_mremap(p + 2 * PGSIZE, 2 * PGSIZE, PGSIZE, 0, 0), EFAULT);
	/* From a region over a hole: a shrink only unmaps, so that is fine. */
	CHECK_EQ(vm_mremap(p + PGSIZE, 3 * PGSIZE, PGSIZE, 0, 0), (long)(p + PGSIZE));
	CHECK_SIGNAL(c_read, p + 3 * PGSIZE, SIGSEGV);
	/* Moving into the kernel half. */
	CHECK_ERR(vm_mremap(p, PGSIZE, PGSIZE, MREMAP_MAYMOVE | MREMAP_FIXED,
	    (void *)0xffff800000000000UL), EINVAL);
	sys_munmap(p, 4 * PGSIZE);
}

/*
 * Shared memory stays shared when moved: a child that waits sees the
 * parent's write through the new address.  Grown past the object's size,
 * the new part is SIGBUS (Linux's shmem file keeps the mmap's size).  Old
 * length 0 makes a second view of the same memory.
 */
static void
c_sigbus(void *arg)
{
	(void)*(volatile char *)arg;
}

static void
t_mremap_shared(void)
{
	char *p = map_filled(3, SHARED, 'a'), c;
	int go[2], st;
	long pid, q, d;

	CHECK(p != 0, "mmap failed");
	/* The object has 3 pages; the view keeps 2, and a private page follows. */
	CHECK_EQ(sys_munmap(p + 2 * PGSIZE, PGSIZE), 0);
	CHECK_EQ(sys1(SYS_pipe, go), 0);
	CHECK_OK(pid, sys_fork());
	if (pid == 0) {
		CCHECK_EQ(sys_read(go[0], &c, 1), 1);
		CCHECK_EQ(p[PGSIZE], 'B');
		sys_exit_group(0);
	}
	/* Blocked after: a move. */
	CHECK_OK(q, sys_mmap(p + 2 * PGSIZE, PGSIZE, PROT_READ, PRIV | MAP_FIXED_NOREPLACE, -1, 0));
	CHECK_OK(q, vm_mremap(p, 2 * PGSIZE, 4 * PGSIZE, MREMAP_MAYMOVE, 0));
	((char *)q)[PGSIZE] = 'B';
	CHECK_EQ(sys_write(go[1], "g", 1), 1);
	CHECK_EQ(ut_wait(pid, &st), 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child %s", ut_status_str(st));
	/* The object's third page is back in view, with its data; the fourth is past its end. */
	CHECK(page_is((char *)q + 2 * PGSIZE, 'c'), "the object's third page lost");
	CHECK_SIGNAL(c_sigbus, (char *)q + 3 * PGSIZE, SIGBUS);
	/* A second view. */
	CHECK_OK(d, vm_mremap((void *)q, 0, 2 * PGSIZE, MREMAP_MAYMOVE, 0));
	CHECK(d != q, "the second view is the first");
	CHECK_EQ(((char *)d)[PGSIZE], 'B');
	((char *)d)[0] = 'D';
	CHECK_EQ(((char *)q)[0], 'D');
	sys_munmap((void *)q, 4 * PGSIZE);
	CHECK_EQ(((char *)d)[0], 'D');
	sys_munmap((void *)d, 2 * PGSIZE);
	sys_munmap(p + 2 * PGSIZE, PGSIZE);
	sys_close(go[0]);
	sys_close(go[1]);
}

/* musl's realloc of a block it mmapped grows and shrinks it with mremap. */
static void
t_realloc_big(void)
{
	unsigned char *p = malloc(1 << 20), *q;

	CHECK(p != 0, "malloc failed");
	for (size_t i = 0; i < 1 << 20; i++)
		p[i] = (unsigned char)(i * 7);
	CHECK((q = realloc(p, 8 << 20)) != 0, "realloc up failed");
	for (size_t i = 0; i < 1 << 20; i++)
		CHECK(q[i] == (unsigned char)(i * 7), "byte %zu lost growing", i);
	memset(q + (1 << 20), 0x5a, 7 << 20);
	CHECK((p = realloc(q, 300 << 10)) != 0, "realloc down failed");
	for (size_t i = 0; i < 300 << 10; i++)
		CHECK(p[i] == (unsigned char)(i * 7), "byte %zu lost shrinking", i);
	free(p);
}

static void
t_mincore(void)
{
	unsigned char vec[8];
	long p, ro;

	CHECK_OK(p, sys_mmap(0, 4 * PGSIZE, RW, PRIV, -1, 0));
	((char *)p)[0] = 1;
	((char *)p)[2 * PGSIZE + 7] = 1;
	memset(vec, 0xee, sizeof vec);
	CHECK_EQ(sys3(SYS_mincore, p, 4 * PGSIZE, vec), 0);
	CHECK(vec[0] == 1 && vec[1] == 0 && vec[2] == 1 && vec[3] == 0 && vec[4] == 0xee,
	    "vec %d %d %d %d %d", vec[0], vec[1], vec[2], vec[3], vec[4]);
	/* A partial last page counts. */
	CHECK_EQ(sys3(SYS_mincore, p + 2 * PGSIZE, PGSIZE + 1, vec), 0);
	CHECK(vec[0] == 1 && vec[1] == 0, "vec %d %d", vec[0], vec[1]);
	CHECK_EQ(sys3(SYS_madvise, p, PGSIZE, MADV_DONTNEED), 0);
	CHECK_EQ(sys3(SYS_mincore, p, PGSIZE, vec), 0);
	CHECK_EQ(vec[0], 0);
	/* Length 0 looks at nothing. */
	CHECK_EQ(sys3(SYS_mincore, 0x1000, 0, vec), 0);
	CHECK_ERR(sys3(SYS_mincore, p + 1, PGSIZE, vec), EINVAL);
	/* Into a read-only, an unmapped or a kernel vector. */
	CHECK_OK(ro, sys_mmap(0, 2 * PGSIZE, PROT_READ, PRIV, -1, 0));
	CHECK_EQ(sys_munmap((void *)(ro + PGSIZE), PGSIZE), 0);
	CHECK_ERR(sys3(SYS_mincore, p, 4 * PGSIZE, ro), EFAULT);
	CHECK_ERR(sys3(SYS_mincore, p, 4 * PGSIZE, ro + PGSIZE), EFAULT);
	CHECK_ERR(sys3(SYS_mincore, p, 4 * PGSIZE, 0), EFAULT);
	CHECK_ERR(sys3(SYS_mincore, p, 4 * PGSIZE, 0xffff800000000000UL), EFAULT);
	sys_munmap((void *)ro, PGSIZE);
	/* Unmapped memory, a hole, the kernel half: ENOMEM. */
	CHECK_EQ(sys_munmap((void *)(p + PGSIZE), PGSIZE), 0);
	memset(vec, 0xee, sizeof vec);
	CHECK_ERR(sys3(SYS_mincore, p, 4 * PGSIZE, vec), ENOMEM);
	CHECK_EQ(vec[0], 0);	/* the part before the hole was done */
	CHECK_ERR(sys3(SYS_mincore, p + PGSIZE, PGSIZE, vec), ENOMEM);
	CHECK_ERR(sys3(SYS_mincore, 0xffff800000000000UL, PGSIZE, vec), ENOMEM);
	CHECK_ERR(sys3(SYS_mincore, 0x7ffffffff000UL, 2 * PGSIZE, vec), ENOMEM);
	sys_munmap((void *)p, 4 * PGSIZE);
}

/* Shared memory: a page another process touched is resident here too. */
static void
c_touch_second(void *arg)
{
	((char *)arg)[PGSIZE] = 1;
}

static void
t_mincore_shared(void)
{
	unsigned char vec[3];
	long p;

	CHECK_OK(p, sys_mmap(0, 3 * PGSIZE, RW, SHARED, -1, 0));
	CHECK_EQ(sys3(SYS_mincore, p, 3 * PGSIZE, vec), 0);
	CHECK(vec[0] == 0 && vec[1] == 0 && vec[2] == 0, "vec %d %d %d", vec[0], vec[1], vec[2]);
	CHECK_EXIT(c_touch_second, (void *)p, 0);
	CHECK_EQ(sys3(SYS_mincore, p, 3 * PGSIZE, vec), 0);
	CHECK(vec[0] == 0 && vec[1] == 1 && vec[2] == 0, "vec %d %d %d", vec[0], vec[1], vec[2]);
	sys_munmap((void *)p, 3 * PGSIZE);
}

static void
t_msync(void)
{
	long p;

	CHECK_OK(p, sys_mmap(0, 3 * PGSIZE, RW, PRIV, -1, 0));
	*(char *)p = 's';
	CHECK_EQ(sys3(SYS_msync, p, 3 * PGSIZE, MS_SYNC), 0);
	CHECK_EQ(sys3(SYS_msync, p, 3 * PGSIZE, MS_ASYNC), 0);
	CHECK_EQ(sys3(SYS_msync, p, 100, MS_INVALIDATE), 0);
	CHECK_EQ(sys3(SYS_msync, p, PGSIZE, MS_SYNC | MS_INVALIDATE), 0);
	CHECK_EQ(sys3(SYS_msync, p, PGSIZE, 0), 0);
	CHECK_EQ(*(char *)p, 's');
	CHECK_ERR(sys3(SYS_msync, p, PGSIZE, MS_SYNC | MS_ASYNC), EINVAL);
	CHECK_ERR(sys3(SYS_msync, p, PGSIZE, 8), EINVAL);
	CHECK_ERR(sys3(SYS_msync, p + 1, PGSIZE, MS_SYNC), EINVAL);
	CHECK_EQ(sys3(SYS_msync, p, 0, MS_SYNC), 0);
	CHECK_EQ(sys_munmap((void *)(p + PGSIZE), PGSIZE), 0);
	CHECK_ERR(sys3(SYS_msync, p, 3 * PGSIZE, MS_SYNC), ENOMEM);
	CHECK_ERR(sys3(SYS_msync, p, 3 * PGSIZE, MS_ASYNC), ENOMEM);
	CHECK_ERR(sys3(SYS_msync, p + PGSIZE, PGSIZE, MS_SYNC), ENOMEM);
	CHECK_ERR(sys3(SYS_msync, 0xffff800000000000UL, PGSIZE, MS_SYNC), ENOMEM);
	CHECK_ERR(sys3(SYS_msync, p, -PGSIZE * 2, MS_SYNC), ENOMEM);	/* wraps */
	sys_munmap((void *)p, 3 * PGSIZE);
	/* Shared memory alike. */
	CHECK_OK(p, sys_mmap(0, PGSIZE, RW, SHARED, -1, 0));
	CHECK_EQ(sys3(SYS_msync, p, PGSIZE, MS_SYNC), 0);
	sys_munmap((void *)p, PGSIZE);
}

/* The hints: accepted, and the data is still there after. */
static void
t_madvise_hints(void)
{
	static const int hints[] = {
		MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MADV_DONTDUMP,
		MADV_DODUMP, MADV_MERGEABLE, MADV_UNMERGEABLE, MADV_HUGEPAGE,
		MADV_NOHUGEPAGE, MADV_COLD, MADV_PAGEOUT,
	};
	char *p = map_filled(2, PRIV, 'h'), *s = map_filled(2, SHARED, 's');

	CHECK(p && s, "mmap failed");
	for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++) {
		CHECK_EQ(sys3(SYS_madvise, p, 2 * PGSIZE, hints[i]), 0);
		CHECK_EQ(sys3(SYS_madvise, s, 2 * PGSIZE, hints[i]), 0);
	}
	CHECK(page_is(p, 'h') && page_is(p + PGSIZE, 'i'), "private data changed");
	CHECK(page_is(s, 's') && page_is(s + PGSIZE, 't'), "shared data changed");
	/* Unknown advice. */
	CHECK_ERR(sys3(SYS_madvise, p, PGSIZE, 5), EINVAL);
	CHECK_ERR(sys3(SYS_madvise, p, PGSIZE, 7), EINVAL);
	CHECK_ERR(sys3(SYS_madvise, p, PGSIZE, 26), EINVAL);
	CHECK_ERR(sys3(SYS_madvise, p, PGSIZE, -1), EINVAL);
	/* A hole: the rest is done, then ENOMEM. */
	CHECK_EQ(sys_munmap(p + PGSIZE, PGSIZE), 0);
	CHECK_ERR(sys3(SYS_madvise, p, 2 * PGSIZE, MADV_WILLNEED), ENOMEM);
	CHECK_ERR(sys3(SYS_madvise, p, 2 * PGSIZE, MADV_DONTNEED), ENOMEM);
	CHECK(page_is(p, 0), "MADV_DONTNEED before the hole not done");
	sys_munmap(p, PGSIZE);
	sys_munmap(s, 2 * PGSIZE);
}

/* MADV_DONTFORK: the child has no such mapping; MADV_DOFORK gives it back. */
static void
t_madvise_dontfork(void)
{
	char *p = map_filled(3, PRIV, 'f');

	CHECK(p != 0, "mmap failed");
	CHECK_EQ(sys3(SYS_madvise, p + PGSIZE, PGSIZE, MADV_DONTFORK), 0);
	CHECK_SIGNAL(c_read, p + PGSIZE, SIGSEGV);
	CHECK_EXIT(c_read, p, 0);
	CHECK_EXIT(c_read, p + 2 * PGSIZE, 0);
	CHECK(page_is(p + PGSIZE, 'g'), "the parent's page changed");
	CHECK_EQ(sys3(SYS_madvise, p, 3 * PGSIZE, MADV_DOFORK), 0);
	CHECK_EXIT(c_read, p + PGSIZE, 0);
	sys_munmap(p, 3 * PGSIZE);
}

/* MADV_WIPEONFORK: the child finds zero; MADV_KEEPONFORK undoes it. */
static void
c_expect(void *arg)
{
	CCHECK_EQ(*(volatile char *)arg, 'w');
}

static void
c_expect_next(void *arg)
{
	CCHECK_EQ(*(volatile char *)arg, 'x');
}

static void
c_expect_zero(void *arg)
{
	CCHECK_EQ(*(volatile char *)arg, 0);
	*(volatile char *)arg = 'c';
}

static void
t_madvise_wipeonfork(void)
{
	char *p = map_filled(2, PRIV, 'w');

	CHECK(p != 0, "mmap failed");
	CHECK_EQ(sys3(SYS_madvise, p, PGSIZE, MADV_WIPEONFORK), 0);
	CHECK_EXIT(c_expect_zero, p, 0);
	CHECK_EQ(p[0], 'w');
	CHECK_EXIT(c_expect_next, p + PGSIZE, 0);	/* the page not advised is kept */
	CHECK_EQ(sys3(SYS_madvise, p, PGSIZE, MADV_KEEPONFORK), 0);
	CHECK_EXIT(c_expect, p, 0);
	sys_munmap(p, 2 * PGSIZE);
}

/* MADV_POPULATE_READ/WRITE: every page resident after; the permission must allow it. */
static void
t_madvise_populate(void)
{
	unsigned char vec[4];
	long p, ro, none;

	CHECK_OK(p, sys_mmap(0, 4 * PGSIZE, RW, PRIV, -1, 0));
	CHECK_EQ(sys3(SYS_madvise, p, 2 * PGSIZE, MADV_POPULATE_READ), 0);
	CHECK_EQ(sys3(SYS_madvise, p + 2 * PGSIZE, 2 * PGSIZE, MADV_POPULATE_WRITE), 0);
	CHECK_EQ(sys3(SYS_mincore, p, 4 * PGSIZE, vec), 0);
	CHECK(vec[0] && vec[1] && vec[2] && vec[3], "vec %d %d %d %d", vec[0], vec[1],
	    vec[2], vec[3]);
	CHECK_OK(ro, sys_mmap(0, PGSIZE, PROT_READ, PRIV, -1, 0));
	CHECK_ERR(sys3(SYS_madvise, ro, PGSIZE, MADV_POPULATE_WRITE), EINVAL);
	CHECK_EQ(sys3(SYS_madvise, ro, PGSIZE, MADV_POPULATE_READ), 0);
	CHECK_OK(none, sys_mmap(0, PGSIZE, PROT_NONE, PRIV, -1, 0));
	CHECK_ERR(sys3(SYS_madvise, none, PGSIZE, MADV_POPULATE_READ), EINVAL);
	sys_munmap((void *)none, PGSIZE);
	CHECK_ERR(sys3(SYS_madvise, none, PGSIZE, MADV_POPULATE_READ), ENOMEM);
	sys_munmap((void *)ro, PGSIZE);
	sys_munmap((void *)p, 4 * PGSIZE);
}

const struct utest vm_tests[] = {
	{ "mremap shrink in place: the tail is unmapped", t_mremap_shrink, 0 },
	{ "mremap grow in place when the next range is free", t_mremap_grow_in_place, 0 },
	{ "mremap grow blocked: ENOMEM, or a move with MREMAP_MAYMOVE", t_mremap_move, 0 },
	{ "mremap across two adjacent mmaps", t_mremap_adjacent, 0 },
	{ "mremap MREMAP_FIXED onto a mapping, and shrinking while moving", t_mremap_fixed, 0 },
	{ "mremap MREMAP_DONTUNMAP: old range left empty", t_mremap_dontunmap, 0 },
	{ "mremap bad flags, overlap, holes, unmapped -> EINVAL/EFAULT", t_mremap_bad, 0 },
	{ "mremap of shared memory: still shared, SIGBUS past its end, a second view", t_mremap_shared, 0 },
	{ "realloc of a big block up to 8 MiB and down keeps the bytes (musl: mremap)", t_realloc_big, 0 },
	{ "mincore: residency bytes; EINVAL, EFAULT, ENOMEM", t_mincore, 0 },
	{ "mincore of shared memory counts pages another process touched", t_mincore_shared, 0 },
	{ "msync on anonymous memory; bad flags, unaligned, unmapped", t_msync, 0 },
	{ "madvise hints keep the data; unknown advice -> EINVAL, holes -> ENOMEM", t_madvise_hints, 0 },
	{ "madvise MADV_DONTFORK / MADV_DOFORK", t_madvise_dontfork, 0 },
	{ "madvise MADV_WIPEONFORK / MADV_KEEPONFORK", t_madvise_wipeonfork, 0 },
	{ "madvise MADV_POPULATE_READ / MADV_POPULATE_WRITE", t_madvise_populate, 0 },
	{ 0, 0, 0 },
};
