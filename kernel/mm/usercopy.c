/*
 * usercopy.c: range checks and SMAP around the fault-safe copies of
 * usercopy.S.  A fault inside them first gets the user page-fault handler
 * (the page may just not be there yet) and, if that fails, the fixup that
 * makes the copy return -EFAULT (trap.c).
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/usercopy.h>
#include <arch/arch.h>

int
copyin(void *dst, uint64_t usrc, size_t n)
{
	long r;

	if (!user_range_ok(usrc, n))
		return -EFAULT;
	arch_user_access_begin();
	r = usercopy_raw(dst, (const void *)usrc, n);
	arch_user_access_end();
	return (int)r;
}

int
copyout(uint64_t udst, const void *src, size_t n)
{
	long r;

	if (!user_range_ok(udst, n))
		return -EFAULT;
	arch_user_access_begin();
	r = usercopy_raw((void *)udst, src, n);
	arch_user_access_end();
	return (int)r;
}

long
copyin_str(char *dst, uint64_t usrc, size_t max, long toolong)
{
	size_t n = max;
	long r;

	if (usrc >= USER_TOP)
		return -EFAULT;
	if (n > USER_TOP - usrc)
		n = USER_TOP - usrc;	/* the copy faults at the end of the user half */
	arch_user_access_begin();
	r = usercopy_str_raw(dst, (const char *)usrc, n);
	arch_user_access_end();
	if (r < 0)
		return r;
	if ((size_t)r == n) {
		/* No NUL within reach. */
		return n == max ? toolong : -EFAULT;
	}
	return r;
}

/*
 * Copy out as much as the user buffer takes: the bytes copied, or -EFAULT
 * when not even the first byte could be.  For read(2), which on Linux
 * returns a short count when the buffer runs into unmapped memory.
 */
long
copyout_partial(uint64_t udst, const void *src, size_t n)
{
	const char *s = src;
	size_t done = 0;

	while (done < n) {
		size_t k = MIN(n - done, PAGE_SIZE - ((udst + done) & (PAGE_SIZE - 1)));

		if (copyout(udst + done, s + done, k))
			return done ? (long)done : -EFAULT;
		done += k;
	}
	return done;
}

/*
 * Copy in as much as the user buffer gives: the count, or -EFAULT when not
 * even the first byte could be read.  For write(2) to a file, which on
 * Linux writes the bytes before the hole (generic_perform_write).
 */
long
copyin_partial(void *dst, uint64_t usrc, size_t n)
{
	char *d = dst;
	size_t done = 0;

	while (done < n) {
		size_t k = MIN(n - done, PAGE_SIZE - ((usrc + done) & (PAGE_SIZE - 1)));

		if (copyin(d + done, usrc + done, k))
			return done ? (long)done : -EFAULT;
		done += k;
	}
	return done;
}
