/*
 * h_poll.c: bad pointers for the readiness calls: select's fd_sets and
 * timeval, pselect6's argument pack, sigset and timespec, ppoll's sigset
 * and timespec, epoll_ctl's event, the epoll_wait event array, epoll_pwait
 * and epoll_pwait2's sigset and timespec, eventfd's buffers.
 *
 * Linux's answers, beyond -EFAULT with nothing done: select copies whole
 * 64-bit words of nfds bits, so nfds 0 reads nothing; the time left is
 * written back to a timeout only when the call did not fault, and a
 * write that faults is ignored; epoll_wait checks only that its array
 * lies in the user half until it has an event to copy, and an event that
 * could not be copied stays to be reported; an eventfd read takes the
 * count before it copies it out.
 *
 * Interface: poll_ptr_tests[] (hostile.h).
 */
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include "hostile.h"

#define INIT() CHECK(h_bad_init() == 0, "h_bad_init failed")

struct ktimespec { long tv_sec, tv_nsec; };

static const char text_probe[] = "text";

/* A read-only page holding a timeout of t nanoseconds (a timespec or a timeval). */
static void *
ro_timeout(long sec, long frac)
{
	long p = sys_mmap(0, PGSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (sys_iserr(p))
		return 0;
	((long *)p)[0] = sec;
	((long *)p)[1] = frac;
	if (sys_mprotect((void *)p, PGSIZE, PROT_READ))
		return 0;
	return (void *)p;
}

static void
t_select_ptrs(void)
{
	struct { long s, us; } tv0 = { 0, 0 };
	unsigned long set = 0;
	void *ro;
	long f;

	INIT();
	CHECK_EFAULT_NN(sys5(SYS_select, 1, P, 0, 0, &tv0));
	CHECK_EFAULT_NN(sys5(SYS_select, 1, 0, P, 0, &tv0));
	CHECK_EFAULT_NN(sys5(SYS_select, 1, 0, 0, P, &tv0));
	CHECK_EFAULT_NN(sys5(SYS_select, 0, 0, 0, 0, P));
	/* nfds 0 reads and writes no set. */
	for (int k = 0; k < H_NBAD; k++)
		CHECK_EQ(sys5(SYS_select, 0, h_bad[k], h_bad[k], h_bad[k], &tv0), 0);
	/* One bit is a whole word: 8 bytes, past the hole from h_guard - 4. */
	CHECK_ERR(sys5(SYS_select, 1, h_guard - 4, 0, 0, &tv0), EFAULT);
	CHECK_EQ(sys5(SYS_select, 64, h_guard - 8, 0, 0, &tv0), 0);
	/* A set that cannot be written back: -EFAULT after the select. */
	CHECK_ERR(sys5(SYS_select, 1, h_ro, 0, 0, &tv0), EFAULT);
	CHECK_ERR(sys5(SYS_select, 1, text_probe, 0, 0, &tv0), EFAULT);
	CHECK_OK(f, sys_open(DATA_PATH, O_RDONLY));
	set = 1UL << f;
	memcpy(h_guard - 8, &set, 8);
	CHECK_EQ(sys5(SYS_select, f + 1, h_guard - 8, 0, 0, &tv0), 1);
	/* A read-only timeout is used, and its write-back dropped. */
	CHECK(ro = ro_timeout(0, 1000), "mmap");
	CHECK_EQ(sys5(SYS_select, 0, 0, 0, 0, ro), 0);
	CHECK_EQ(((long *)ro)[1], 1000);
	sys_close(f);
}

static void
t_pselect_ptrs(void)
{
	struct ktimespec ts0 = { 0, 0 };
	struct { unsigned long *ss; long len; } pack;
	unsigned long set = 0, mask = 0, cur;
	struct pollfd pf = { .fd = 0, .events = 0 };
	void *ro;

	INIT();
	CHECK_EFAULT_NN(sys6(SYS_pselect6, 1, (long)&set, 0, 0, (long)&ts0, P));
	CHECK_EFAULT_NN(sys6(SYS_pselect6, 1, (long)&set, 0, 0, P, 0));
	pack.len = 8;
	CHECK_EFAULT_NN((pack.ss = (unsigned long *)P,
	    sys6(SYS_pselect6, 1, (long)&set, 0, 0, (long)&ts0, (long)&pack)));
	CHECK_ERR(sys6(SYS_pselect6, 1, (long)&set, 0, 0, (long)&ts0, (long)(h_guard - 8)), EFAULT);
	CHECK_EFAULT_NN(sys5(SYS_ppoll, &pf, 1, &ts0, P, 8));
	CHECK_EFAULT_NN(sys5(SYS_ppoll, &pf, 1, P, 0, 8));
	CHECK_ERR(sys5(SYS_ppoll, &pf, 1, h_guard - 8, 0, 8), EFAULT);
	CHECK_ERR(sys5(SYS_ppoll, &pf, 1, &ts0, h_guard - 4, 8), EFAULT);
	/* The mask is untouched by the failures. */
	CHECK_EQ(sys4(SYS_rt_sigprocmask, 0, 0, &cur, 8), 0);
	CHECK_EQ(cur, 0);
	/* Read-only timeouts: used, the write-back dropped. */
	CHECK(ro = ro_timeout(0, 1000000), "mmap");
	pack.ss = &mask;
	CHECK_EQ(sys6(SYS_pselect6, 0, 0, 0, 0, (long)ro, (long)&pack), 0);
	CHECK_EQ(sys5(SYS_ppoll, &pf, 1, ro, 0, 8), 0);
	CHECK_EQ(((long *)ro)[1], 1000000);
}

static void
t_epoll_ptrs(void)
{
	struct epoll_event ev[2], good = { .events = EPOLLIN, .data.u64 = 1 };
	struct ktimespec ts0 = { 0, 0 };
	long ep, e, e2;

	INIT();
	CHECK_OK(ep, sys1(SYS_epoll_create1, 0));
	CHECK_OK(e, sys2(SYS_eventfd2, 0, EFD_NONBLOCK));
	CHECK_EFAULT(sys4(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, e, P));
	CHECK_ERR(sys4(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, e, h_guard - 6), EFAULT);
	/* DEL reads no event. */
	for (int k = 0; k < H_NBAD; k++)
		CHECK_ERR(sys4(SYS_epoll_ctl, ep, EPOLL_CTL_DEL, e, h_bad[k]), ENOENT);
	CHECK_EQ(sys4(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, e, &good), 0);
	CHECK_EFAULT(sys4(SYS_epoll_ctl, ep, EPOLL_CTL_MOD, e, P));

	/* Nothing ready: only an array outside the user half fails. */
	for (int k = 0; k < H_NBAD; k++) {
		long want = h_bad[k] == 0 || h_bad[k] == (unsigned long)h_guard ? 0 : -EFAULT;

		CHECK_EQ(sys4(SYS_epoll_wait, ep, h_bad[k], 1, 0), want);
	}
	CHECK_EQ(sys4(SYS_epoll_wait, ep, h_guard - 12, 2, 0), 0);
	CHECK_ERR(sys4(SYS_epoll_wait, ep, A_USER_TOP - 12, 2, 0), EFAULT);

	/* Ready, edge-triggered and one-shot: a failed copy reports nothing. */
	good.events = EPOLLIN | EPOLLET | EPOLLONESHOT;
	CHECK_EQ(sys4(SYS_epoll_ctl, ep, EPOLL_CTL_MOD, e, &good), 0);
	CHECK_EQ(sys_write(e, &(unsigned long){ 1 }, 8), 8);
	CHECK_EFAULT(sys4(SYS_epoll_wait, ep, P, 1, 0));
	CHECK_ERR(sys4(SYS_epoll_wait, ep, h_ro, 1, 0), EFAULT);
	CHECK_ERR(sys4(SYS_epoll_wait, ep, text_probe, 1, 0), EFAULT);
	CHECK_ERR(sys4(SYS_epoll_wait, ep, h_guard - 6, 1, 0), EFAULT);
	CHECK_EQ(sys4(SYS_epoll_wait, ep, ev, 2, 0), 1);
	CHECK_EQ(sys4(SYS_epoll_wait, ep, ev, 2, 0), 0);
	/* Two ready, room for one before the hole: the one that fits. */
	CHECK_OK(e2, sys2(SYS_eventfd2, 1, 0));
	good.events = EPOLLIN;
	CHECK_EQ(sys4(SYS_epoll_ctl, ep, EPOLL_CTL_MOD, e, &good), 0);
	CHECK_EQ(sys4(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, e2, &good), 0);
	CHECK_EQ(sys4(SYS_epoll_wait, ep, h_guard - 18, 2, 0), 1);
	CHECK_EQ(sys4(SYS_epoll_wait, ep, ev, 2, 0), 2);

	CHECK_EFAULT_NN(sys6(SYS_epoll_pwait, ep, (long)ev, 1, 0, P, 8));
	CHECK_EFAULT_NN(sys6(SYS_epoll_pwait2, ep, (long)ev, 1, P, 0, 8));
	CHECK_EFAULT_NN(sys6(SYS_epoll_pwait2, ep, (long)ev, 1, (long)&ts0, P, 8));
	sys_close(e2);
	sys_close(e);
	sys_close(ep);
}

static void
t_eventfd_ptrs(void)
{
	unsigned long v = 5, got;
	long e;

	INIT();
	CHECK_OK(e, sys2(SYS_eventfd2, 0, EFD_NONBLOCK));
	CHECK_EFAULT(sys_write(e, (void *)P, 8));
	CHECK_ERR(sys_write(e, h_guard - 4, 8), EFAULT);
	CHECK_ERR(sys_read(e, &got, 8), EAGAIN);	/* nothing was added */
	/* Outside the user half: refused before the read (vfs_read's access_ok). */
	CHECK_EQ(sys_write(e, &v, 8), 8);
	CHECK_ERR(sys_read(e, (void *)A_KHALF, 8), EFAULT);
	CHECK_ERR(sys_read(e, (void *)A_NONCANON_LO, 8), EFAULT);
	/* In it but unmapped or read-only: the count is taken, then -EFAULT. */
	CHECK_ERR(sys_read(e, h_guard, 8), EFAULT);
	CHECK_ERR(sys_read(e, &got, 8), EAGAIN);
	CHECK_EQ(sys_write(e, &v, 8), 8);
	CHECK_ERR(sys_read(e, h_ro, 8), EFAULT);
	CHECK_ERR(sys_read(e, &got, 8), EAGAIN);
	sys_close(e);
}

const struct htest poll_ptr_tests[] = {
	{ "readiness: select with bad fd_sets and timevals -> -EFAULT; nfds 0 reads none",
	  t_select_ptrs, 0 },
	{ "readiness: pselect6 and ppoll with bad packs, sigsets, timespecs -> -EFAULT",
	  t_pselect_ptrs, 0 },
	{ "readiness: epoll_ctl, epoll_wait, pwait, pwait2 with bad pointers -> -EFAULT",
	  t_epoll_ptrs, 0 },
	{ "readiness: eventfd read and write with bad buffers -> -EFAULT", t_eventfd_ptrs, 0 },
	{ 0, 0, 0 },
};
