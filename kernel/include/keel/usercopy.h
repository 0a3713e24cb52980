/*
 * usercopy.h: moving data between the kernel and the current process's
 * user memory.  Every user pointer goes through these: null, kernel-half,
 * non-canonical, unmapped and partly mapped buffers give -EFAULT, never a
 * kernel fault.  SMAP is lifted (STAC) only inside them.
 */
#ifndef USERCOPY_H
#define USERCOPY_H

#include <stddef.h>
#include <stdint.h>
#include <shared/layout.h>

int copyin(void *dst, uint64_t usrc, size_t n);
int copyout(uint64_t udst, const void *src, size_t n);
/* As much as fits before a fault: the count, or -EFAULT for none. */
long copyout_partial(uint64_t udst, const void *src, size_t n);
long copyin_partial(void *dst, uint64_t usrc, size_t n);
/* A NUL-terminated string of at most max-1 chars: its length, -EFAULT or toolong. */
long copyin_str(char *dst, uint64_t usrc, size_t max, long toolong);
/*
 * Whether [u, u+n) lies in the user half (no overflow): Linux's
 * __access_ok, with USER_TOP as TASK_SIZE_MAX: an empty range may sit at
 * the top.  Inline: every system call with a pointer asks.
 */
static inline int
user_range_ok(uint64_t u, size_t n)
{
	return n <= USER_TOP && u <= USER_TOP - n;
}

/* usercopy.S */
extern char usercopy_start[], usercopy_end[], usercopy_fixup[];
long usercopy_raw(void *dst, const void *src, size_t n);
long usercopy_str_raw(char *dst, const char *src, size_t max);

#endif
