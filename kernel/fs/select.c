/*
 * select.c: select(2) and pselect6(2), as Linux's fs/select.c: fd_set
 * bitmaps of nfds bits, copied in whole 64-bit words, waited on through
 * poll_wait (poll.c).
 *
 * Interface: sys_select, sys_pselect6.
 *
 * Linux's rules: nfds below 0 is -EINVAL, above the descriptor table's
 * size it is cut to it (here NOFILE); a set bit for a descriptor that is
 * not open is -EBADF, before any wait; readable is POLLIN_SET (so a pipe
 * without writers, POLLHUP, is readable), writable POLLOUT_SET (a pipe
 * without readers, POLLERR, too), exceptional POLLPRI; each bit counts
 * once in the result.  The timeout is written back with the time left,
 * except for a zero one, and a write that faults is ignored.
 */
#include <keel/kernel.h>
#include <keel/file.h>
#include <keel/poll.h>
#include <keel/proc.h>
#include <keel/usercopy.h>
#include <uapi/errno.h>
#include <uapi/poll.h>

#define FD_WORDS	((NOFILE + 63) / 64)

#define POLLIN_SET	(POLLRDNORM | POLLIN | POLLHUP | POLLERR | 0x0080 /* POLLRDBAND */)
#define POLLOUT_SET	(POLLWRNORM | POLLOUT | POLLERR | 0x0200 /* POLLWRBAND */)
#define POLLEX_SET	POLLPRI

struct select_args {
	int sa_n;
	uint64_t sa_in[FD_WORDS], sa_out[FD_WORDS], sa_ex[FD_WORDS];
	uint64_t sa_rin[FD_WORDS], sa_rout[FD_WORDS], sa_rex[FD_WORDS];
};

static long
select_scan(void *arg)
{
	struct select_args *a = arg;
	long count = 0;

	memset(a->sa_rin, 0, sizeof(a->sa_rin));
	memset(a->sa_rout, 0, sizeof(a->sa_rout));
	memset(a->sa_rex, 0, sizeof(a->sa_rex));
	for (int fd = 0; fd < a->sa_n; fd++) {
		uint64_t bit = 1UL << (fd % 64);
		int w = fd / 64, ev;
		struct file *f;

		if (!((a->sa_in[w] | a->sa_out[w] | a->sa_ex[w]) & bit))
			continue;
		f = fd_file(fd);
		if (f == 0)
			continue;	/* closed while waiting: Linux's POLLNVAL is in no set */
		ev = poll_file(f);
		if ((ev & POLLIN_SET) && (a->sa_in[w] & bit)) {
			a->sa_rin[w] |= bit;
			count++;
		}
		if ((ev & POLLOUT_SET) && (a->sa_out[w] & bit)) {
			a->sa_rout[w] |= bit;
			count++;
		}
		if ((ev & POLLEX_SET) && (a->sa_ex[w] & bit)) {
			a->sa_rex[w] |= bit;
			count++;
		}
	}
	return count;
}

/* A set of a->sa_n bits from the user (none: empty); 0 or -EFAULT. */
static int
set_in(uint64_t *set, uint64_t u, uint64_t bytes)
{
	memset(set, 0, FD_WORDS * 8);
	return u && bytes ? copyin(set, u, bytes) : 0;
}

static int
set_out(uint64_t u, const uint64_t *set, uint64_t bytes)
{
	return u && bytes ? copyout(u, set, bytes) : 0;
}

/* Linux's core_sys_select. */
static long
do_select(int n, uint64_t uin, uint64_t uout, uint64_t uex, uint64_t deadline, int nowait)
{
	struct select_args a;
	uint64_t bytes;
	long r;

	if (n < 0)
		return -EINVAL;
	a.sa_n = MIN(n, NOFILE);
	bytes = (uint64_t)(a.sa_n + 63) / 64 * 8;
	if (set_in(a.sa_in, uin, bytes) || set_in(a.sa_out, uout, bytes) ||
	    set_in(a.sa_ex, uex, bytes))
		return -EFAULT;
	/* Bits past nfds in the last word are not looked at. */
	if (a.sa_n % 64) {
		uint64_t keep = (1UL << (a.sa_n % 64)) - 1;

		a.sa_in[a.sa_n / 64] &= keep;
		a.sa_out[a.sa_n / 64] &= keep;
		a.sa_ex[a.sa_n / 64] &= keep;
	}
	for (int fd = 0; fd < a.sa_n; fd++)
		if (((a.sa_in[fd / 64] | a.sa_out[fd / 64] | a.sa_ex[fd / 64]) >> (fd % 64) & 1) &&
		    fd_file(fd) == 0)
			return -EBADF;
	r = poll_wait(select_scan, &a, deadline, nowait, 0);
	if (r < 0)
		return r;	/* the sets are left as they were */
	if (set_out(uin, a.sa_rin, bytes) || set_out(uout, a.sa_rout, bytes) ||
	    set_out(uex, a.sa_rex, bytes))
		return -EFAULT;
	return r;
}

long
sys_select(int n, uint64_t uin, uint64_t uout, uint64_t uex, uint64_t utv)
{
	struct { int64_t tv_sec, tv_usec; } tv;
	uint64_t deadline = 0;
	int nowait = 0;
	long r;

	if (utv) {
		if (copyin(&tv, utv, sizeof(tv)))
			return -EFAULT;
		/* Linux normalizes tv_usec of a second or more; a negative one is -EINVAL. */
		if (poll_deadline((int64_t)((uint64_t)tv.tv_sec + (uint64_t)(tv.tv_usec / 1000000)),
		    tv.tv_usec % 1000000 * 1000, &deadline, &nowait))
			return -EINVAL;
	}
	r = do_select(n, uin, uout, uex, deadline, nowait);
	if (utv && !nowait) {
		if (deadline) {
			poll_remaining(deadline, &tv.tv_sec, &tv.tv_usec);
			tv.tv_usec /= 1000;
		}
		(void)copyout(utv, &tv, sizeof(tv));
	}
	return r;
}

/*
 * pselect6(2): a timespec, and for its sixth argument the address of
 * { const sigset_t *ss; size_t ss_len; } (null: no mask).
 */
long
sys_pselect6(int n, uint64_t uin, uint64_t uout, uint64_t uex, uint64_t uts, uint64_t usig)
{
	struct { uint64_t ss, ss_len; } pack = { 0, 0 };
	struct { int64_t tv_sec, tv_nsec; } ts;
	uint64_t deadline = 0, old;
	int nowait = 0;
	long r;

	if (usig && copyin(&pack, usig, sizeof(pack)))
		return -EFAULT;
	if (uts) {
		if (copyin(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (poll_deadline(ts.tv_sec, ts.tv_nsec, &deadline, &nowait))
			return -EINVAL;
	}
	r = poll_mask_begin(pack.ss, pack.ss_len, &old);
	if (r)
		return r;
	r = do_select(n, uin, uout, uex, deadline, nowait);
	if (uts && !nowait) {
		if (deadline)
			poll_remaining(deadline, &ts.tv_sec, &ts.tv_nsec);
		(void)copyout(uts, &ts, sizeof(ts));
	}
	return poll_mask_end(old, r);
}
