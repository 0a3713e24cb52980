/*
 * h_dos.c: calls whose cost must not grow with the size of the address
 * range they name.  One CPU and a kernel that is not preemptible: a call
 * that loops once per page of a 64 TiB range stops the whole machine for
 * hours.  Linux answers each of these in microseconds (its loops skip
 * empty page tables and walk regions, not pages).
 *
 * What the calls return may differ (a kernel may refuse a 64 TiB mapping
 * with -ENOMEM; Linux's overcommit accounting refuses a 64 TiB heap), so
 * each case accepts the answers a correct kernel may give and checks that
 * it came within DOS_LIMIT_NS.
 *
 * These run last (hostile.c): on a kernel that loops, the first of them
 * never returns and the boot test ends in a timeout.
 *
 * Interface: dos_tests[] (hostile.h).
 */
#include <signal.h>
#include <sys/mman.h>
#include "hostile.h"

#define HUGE		(64UL << 40)		/* 64 TiB, half the user half */
#define DOS_LIMIT_NS	(2 * 1000000000LL)

/* Evaluate expr into var and fail if it took longer than DOS_LIMIT_NS. */
#define TIMED(var, expr) do {						\
	long long _t0 = ut_now_ns();					\
	(var) = (expr);							\
	long long _dt = ut_now_ns() - _t0;				\
	CHECK(_dt < DOS_LIMIT_NS, "%s took %lld ms (= %s)", #expr,	\
	    _dt / 1000000, ut_rstr((long)(var)));			\
} while (0)

static void
t_brk(void)
{
	long cur, r;

	CHECK_OK(cur, sys_brk(0));
	/* Linux: -ENOMEM from its accounting, so the break stays. */
	TIMED(r, sys_brk((void *)(cur + HUGE)));
	CHECK(r == cur || r == (long)(cur + HUGE), "brk: %#lx", r);
	TIMED(r, sys_brk((void *)cur));
	CHECK_EQ(r, cur);
}

static void
t_huge_mapping(void)
{
	long p, r;

	TIMED(p, sys_mmap(0, HUGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
	if (p == -ENOMEM) {
		ut_skip("64 TiB PROT_NONE mapping refused (-ENOMEM)");
		return;
	}
	CHECK(!sys_iserr(p), "mmap: %s", ut_rstr(p));
	TIMED(r, sys_mprotect((void *)p, HUGE, PROT_READ));
	CHECK_EQ(r, 0);
	CHECK_EQ(((volatile char *)p)[HUGE / 2], 0);
	TIMED(r, sys3(SYS_madvise, p, HUGE, MADV_DONTNEED));
	CHECK_EQ(r, 0);
	TIMED(r, sys_mprotect((void *)p, HUGE, PROT_NONE));
	CHECK_EQ(r, 0);
	TIMED(r, sys_munmap((void *)p, HUGE));
	CHECK_EQ(r, 0);
}

static void
t_noreplace(void)
{
	long r, hint = 0x100000000000L;	/* 16 TiB: nothing there */

	TIMED(r, sys_mmap((void *)hint, HUGE, PROT_NONE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0));
	CHECK(r == hint || r == -ENOMEM, "mmap: %s", ut_rstr(r));
	if (r == hint) {
		TIMED(r, sys_munmap((void *)hint, HUGE));
		CHECK_EQ(r, 0);
	}
}

/*
 * 110 TiB with nothing mapped, between the program and the mappings near
 * the stack on either kernel (Linux's mmap base is within 1 TiB of the
 * top of the user half).
 */
#define SPARSE_LO	0x100000000000UL
#define SPARSE_HI	0x7e0000000000UL

static void
t_sparse(void)
{
	long r, len = SPARSE_HI - SPARSE_LO;

	TIMED(r, sys3(SYS_madvise, SPARSE_LO, len, MADV_DONTNEED));
	CHECK_ERR(r, ENOMEM);
	TIMED(r, sys_mprotect((void *)SPARSE_LO, len, PROT_READ));
	CHECK_ERR(r, ENOMEM);
	TIMED(r, sys_munmap((void *)SPARSE_LO, len));
	CHECK_EQ(r, 0);
}

/* Unmapping the whole user half, text and stack included: the process dies. */
static void
c_unmap_all(void *a)
{
	(void)a;
	sys_munmap((void *)0x1000, A_USER_TOP - 0x1000);
	sys_exit_group(9);	/* not reached: the text is gone */
}

static void
t_unmap_all(void)
{
	long long t0 = ut_now_ns();

	CHECK_SIGNAL(c_unmap_all, 0, SIGSEGV);
	CHECK(ut_now_ns() - t0 < DOS_LIMIT_NS, "took %lld ms", (ut_now_ns() - t0) / 1000000);
}

const struct htest dos_tests[] = {
	{ "dos: munmap of the whole user half -> SIGSEGV, in time", t_unmap_all, 0 },
	{ "dos: madvise, mprotect, munmap of an empty 110 TiB range, in time",
	  t_sparse, 0 },
	{ "dos: brk 64 TiB up and back, in time", t_brk, 0 },
	{ "dos: mprotect, madvise, munmap of a 64 TiB PROT_NONE mapping, in time",
	  t_huge_mapping, 0 },
	{ "dos: mmap MAP_FIXED_NOREPLACE of 64 TiB, in time", t_noreplace, 0 },
	{ 0, 0, 0 },
};
