/*
 * sys.h: raw Linux x86-64 system calls for the user-space tests (utest, hostile, fuzz).
 *
 * Interface: sys0(nr) .. sys6(nr, a1, .., a6) return the kernel's rax as is:
 * a result, or -errno.  The tests call the kernel through these and not
 * through libc wrappers, so that what is checked is exactly what the kernel
 * returned (no vDSO, no errno translation, no extra syscalls libc may add).
 * The named wrappers below are the ones the tests use most.
 */
#ifndef USER_SYS_H
#define USER_SYS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>

static inline long
sys6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	long ret;
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;

	__asm__ volatile("syscall"
	    : "=a"(ret)
	    : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
	    : "rcx", "r11", "memory");
	return ret;
}

#define sys0(nr)			sys6((nr), 0, 0, 0, 0, 0, 0)
#define sys1(nr, a)			sys6((nr), (long)(a), 0, 0, 0, 0, 0)
#define sys2(nr, a, b)			sys6((nr), (long)(a), (long)(b), 0, 0, 0, 0)
#define sys3(nr, a, b, c)		sys6((nr), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sys4(nr, a, b, c, d)		sys6((nr), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define sys5(nr, a, b, c, d, e)		sys6((nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

static inline long sys_read(int fd, void *buf, size_t n) { return sys3(SYS_read, fd, buf, n); }
static inline long sys_write(int fd, const void *buf, size_t n) { return sys3(SYS_write, fd, buf, n); }
static inline long sys_open(const char *path, int flags) { return sys3(SYS_open, path, flags, 0); }
static inline long sys_close(int fd) { return sys1(SYS_close, fd); }
static inline long sys_lseek(int fd, long off, int whence) { return sys3(SYS_lseek, fd, off, whence); }
static inline long sys_getpid(void) { return sys0(SYS_getpid); }
static inline long sys_getppid(void) { return sys0(SYS_getppid); }
static inline long sys_fork(void) { return sys0(SYS_fork); }
static inline long sys_kill(long pid, long sig) { return sys2(SYS_kill, pid, sig); }
static inline long sys_wait4(long pid, int *status, int options) { return sys4(SYS_wait4, pid, status, options, 0); }
static inline long sys_brk(void *addr) { return sys1(SYS_brk, addr); }
static inline long sys_sysinfo(void *si) { return sys1(SYS_sysinfo, si); }
static inline long sys_munmap(void *addr, size_t len) { return sys2(SYS_munmap, addr, len); }
static inline long sys_mprotect(void *addr, size_t len, int prot) { return sys3(SYS_mprotect, addr, len, prot); }
static inline long sys_execve(const char *path, char *const argv[], char *const envp[]) { return sys3(SYS_execve, path, argv, envp); }

static inline long
sys_mmap(void *addr, size_t len, int prot, int flags, int fd, long off)
{
	return sys6(SYS_mmap, (long)addr, (long)len, prot, flags, fd, off);
}

/* exit_group: leave without running libc's atexit or stdio code. */
static inline __attribute__((noreturn)) void
sys_exit_group(int code)
{
	for (;;)
		sys1(SYS_exit_group, code);
}

/* A raw mmap result is an address unless it is in [-4095, -1]. */
static inline int
sys_iserr(long r)
{
	return (unsigned long)r >= (unsigned long)-4095;
}

#endif /* USER_SYS_H */
