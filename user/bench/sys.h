/*
 * sys.h: the raw Linux x86-64 system calls bench measures, one `syscall`
 * instruction each (and i386 getpid through int $0x80), so that no libc
 * wrapper (errno, cancellation points, fork's atfork handlers) is counted.
 * Each returns the kernel's value: -errno on failure.  The constants come
 * from musl's headers.
 */
#ifndef BENCH_SYS_H
#define BENCH_SYS_H

#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define I386_GETPID	20

/* syscall clobbers rcx (return rip) and r11 (rflags). */
static inline long
sys_call3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret)
	    : "a"(nr), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
	return ret;
}

static inline long
sys_call6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall" : "=a"(ret)
	    : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
	    : "rcx", "r11", "memory");
	return ret;
}

static inline long
sys_getpid(void)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"((long)SYS_getpid)
	    : "rcx", "r11", "memory");
	return ret;
}

/* The i386 ABI from 64-bit code: eax the i386 number.  Linux since 4.17
 * keeps r8-r11; older kernels zeroed them, hence the clobbers. */
static inline long
sys_getpid_int80(void)
{
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"((long)I386_GETPID)
	    : "r8", "r9", "r10", "r11", "memory");
	return ret;
}

static inline long
sys_sched_yield(void)
{
	return sys_call3(SYS_sched_yield, 0, 0, 0);
}

static inline long
sys_fork(void)
{
	return sys_call3(SYS_fork, 0, 0, 0);
}

static inline long
sys_wait4(long pid, int *status, int options)
{
	return sys_call6(SYS_wait4, pid, (long)status, options, 0, 0, 0);
}

static inline _Noreturn void
sys_exit_group(int status)
{
	sys_call3(SYS_exit_group, status, 0, 0);
	__builtin_unreachable();
}

static inline long
sys_kill(long pid, int sig)
{
	return sys_call3(SYS_kill, pid, sig, 0);
}

static inline long
sys_read(int fd, void *buf, unsigned long n)
{
	return sys_call3(SYS_read, fd, (long)buf, n);
}

static inline long
sys_write(int fd, const void *buf, unsigned long n)
{
	return sys_call3(SYS_write, fd, (long)buf, n);
}

static inline long
sys_close(int fd)
{
	return sys_call3(SYS_close, fd, 0, 0);
}

static inline long
sys_pipe(int fds[2])
{
	return sys_call3(SYS_pipe, (long)fds, 0, 0);
}

static inline long
sys_mmap(long addr, unsigned long len, int prot, int flags, int fd, long off)
{
	return sys_call6(SYS_mmap, addr, len, prot, flags, fd, off);
}

static inline long
sys_munmap(long addr, unsigned long len)
{
	return sys_call3(SYS_munmap, addr, len, 0);
}

static inline long
sys_madvise(long addr, unsigned long len, int advice)
{
	return sys_call3(SYS_madvise, addr, len, advice);
}

#endif
