/*
 * sys_proc.c: process, time, identity and machine system calls.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/exec.h>
#include <keel/file.h>
#include <keel/fs.h>
#include <keel/proc.h>
#include <keel/platform.h>
#include <keel/sysproc.h>
#include <keel/usercopy.h>
#include <keel/pmm.h>
#include <arch/arch.h>
#include <uapi/reboot.h>
#include <uapi/time.h>

struct timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

long
sys_open(uint64_t upath, int flags, int mode)
{
	return sys_openat(AT_FDCWD, upath, flags, mode);
}

long
sys_getpid(void)
{
	return curproc()->p_pid;
}

long
sys_getppid(void)
{
	struct proc *p = curproc()->p_parent;

	return p ? p->p_pid : 0;
}

long
sys_getuid(void)
{
	return 0;	/* everyone is root: no users yet */
}

long
sys_fork(void)
{
	return proc_fork();
}

/* exit(2) ends the calling thread; exit_group(2) its whole process. */
long
sys_exit(int code)
{
	thread_exit((code & 0xff) << 8);
}

long
sys_exit_group(int code)
{
	proc_exit((code & 0xff) << 8);
}

long
sys_gettid(void)
{
	return curthread()->t_tid;
}

static const char zero_rusage[144];

long
sys_wait4(int pid, uint64_t ustatus, int options, uint64_t urusage)
{
	long r;

	/* As on Linux: rusage is written only for a reaped child, after reaping it. */
	r = proc_wait4(pid, ustatus, options);
	if (r > 0 && urusage && copyout(urusage, zero_rusage, sizeof(zero_rusage)))
		return -EFAULT;
	return r;
}

long
sys_waitid(int idtype, int id, uint64_t uinfo, int options, uint64_t urusage)
{
	long r = proc_waitid(idtype, id, uinfo, options);

	/* As wait4's: rusage only when a child was found (si_pid set). */
	if (r == 0 && urusage && uinfo) {
		int32_t pid;

		if (copyin(&pid, uinfo + 16, sizeof(pid)) == 0 && pid &&
		    copyout(urusage, zero_rusage, sizeof(zero_rusage)))
			return -EFAULT;
	}
	return r;
}

long
sys_kill(int pid, int sig)
{
	return proc_kill(pid, sig);
}

long
sys_sched_yield(void)
{
	sched_yield_cpu();
	return 0;
}

/*
 * Sleep until deadline on the clock whose now is clock_ns() + offset.  A
 * handler ends it with -EINTR (never restarted after a handler, as on
 * Linux), the time left going to urem when relative.
 */
static long
sleep_until(uint64_t deadline, uint64_t offset, uint64_t urem)
{
	struct timespec ts;
	uint64_t now;
	int chan;

	while ((now = clock_ns() + offset) < deadline) {
		if (sleep_on(&chan, deadline - offset)) {
			curthread()->t_syscall_nr = -1;
			if (urem) {
				now = clock_ns() + offset;
				ts.tv_sec = (deadline - now) / 1000000000ULL;
				ts.tv_nsec = (deadline - now) % 1000000000ULL;
				if (copyout(urem, &ts, sizeof(ts)))
					return -EFAULT;
			}
			return -EINTR;
		}
	}
	return 0;
}

/* A timespec into ns: -EINVAL when malformed; past 2^63 ns it saturates (Linux's ktime). */
static long
timespec_ns(uint64_t uts, uint64_t *ns)
{
	struct timespec ts;

	if (copyin(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	if ((uint64_t)ts.tv_sec >= INT64_MAX / 1000000000ULL)
		*ns = INT64_MAX;
	else
		*ns = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	return 0;
}

long
sys_nanosleep(uint64_t ureq, uint64_t urem)
{
	uint64_t ns;
	long r = timespec_ns(ureq, &ns);

	if (r)
		return r;
	return sleep_until(ns >= INT64_MAX ? UINT64_MAX : clock_ns() + ns, 0, urem);
}

/*
 * clock_nanosleep(2): relative or TIMER_ABSTIME on the realtime,
 * monotonic and boot clocks (the process's CPU clock runs with the wall
 * here); the thread CPU clock cannot be slept on (-EOPNOTSUPP, as Linux).
 */
long
sys_clock_nanosleep(int clock, int flags, uint64_t ureq, uint64_t urem)
{
	uint64_t ns, offset = 0;
	long r;

	switch (clock) {
	case CLOCK_REALTIME:
		offset = clock_boot_epoch_ns();
		break;
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_PROCESS_CPUTIME:
		break;
	case CLOCK_THREAD_CPUTIME:
		return -EOPNOTSUPP;	/* Linux's thread_cpu_nsleep */
	default:
		return -EINVAL;
	}
	r = timespec_ns(ureq, &ns);
	if (r)
		return r;
	if (flags & TIMER_ABSTIME)
		return sleep_until(ns, offset, 0);
	return sleep_until(ns >= INT64_MAX ? UINT64_MAX : clock_ns() + offset + ns, offset, urem);
}

long
sys_clock_gettime(int clock, uint64_t uts)
{
	struct timespec ts;
	uint64_t ns;

	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		ns = clock_ns() + clock_boot_epoch_ns();
		break;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	/* No CPU-time accounting yet: the process clocks run with the wall. */
	case CLOCK_PROCESS_CPUTIME:
	case CLOCK_THREAD_CPUTIME:
		ns = clock_ns();
		break;
	default:
		return -EINVAL;
	}
	ts.tv_sec = ns / 1000000000ULL;
	ts.tv_nsec = ns % 1000000000ULL;
	return copyout(uts, &ts, sizeof(ts));
}

/* gettimeofday(2) and time(2): glibc's fallbacks without a vDSO. */
long
sys_gettimeofday(uint64_t utv, uint64_t utz)
{
	uint64_t ns = clock_ns() + clock_boot_epoch_ns();
	struct { int64_t tv_sec, tv_usec; } tv = { (int64_t)(ns / 1000000000ULL),
		(int64_t)(ns % 1000000000ULL / 1000) };
	struct { int32_t tz_minuteswest, tz_dsttime; } tz = { 0, 0 };	/* UTC */

	if (utv && copyout(utv, &tv, sizeof(tv)))
		return -EFAULT;
	if (utz && copyout(utz, &tz, sizeof(tz)))
		return -EFAULT;
	return 0;
}

long
sys_time(uint64_t ut)
{
	int64_t t = (int64_t)((clock_ns() + clock_boot_epoch_ns()) / 1000000000ULL);

	if (ut && copyout(ut, &t, sizeof(t)))
		return -EFAULT;
	return t;
}

long
sys_uname(uint64_t ubuf)
{
	static const char fields[6][65] = {
		KERNEL_NAME, KERNEL_NAME, KERNEL_VERSION, ("#1 " KERNEL_NAME),
		"x86_64", "(none)",
	};

	return copyout(ubuf, fields, sizeof(fields));
}

/* The FS and GS bases, CPUID faulting, XSAVE components: all the arch's. */
long
sys_arch_prctl(int code, uint64_t addr)
{
	return arch_prctl(curthread(), code, addr);
}

long
sys_clone(uint64_t flags, uint64_t newsp, uint64_t ptid, uint64_t ctid, uint64_t tls)
{
	return proc_clone(flags, newsp, ptid, ctid, tls);
}

/* Linux's struct robust_list_head: three words. */
#define ROBUST_LIST_HEAD_SIZE	24

long
sys_set_robust_list(uint64_t head, uint64_t len)
{
	if (len != ROBUST_LIST_HEAD_SIZE)
		return -EINVAL;
	curthread()->t_robust_list = head;
	return 0;
}

long
sys_get_robust_list(int tid, uint64_t uhead, uint64_t ulen)
{
	struct thread *t = tid ? thread_find(tid) : curthread();
	uint64_t len = ROBUST_LIST_HEAD_SIZE;

	if (t == 0)
		return -ESRCH;
	if (copyout(uhead, &t->t_robust_list, sizeof(t->t_robust_list)) ||
	    copyout(ulen, &len, sizeof(len)))
		return -EFAULT;
	return 0;
}

/* Linux's do_send_specific: the thread tid (of the process tgid, if > 0). */
static long
thread_kill(int tgid, int tid, int sig)
{
	struct thread *t = thread_find(tid);

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (t == 0 || t->t_state == T_DEAD || (tgid > 0 && t->t_proc->p_pid != tgid))
		return -ESRCH;
	if (sig)
		signal_send_thread(t, sig);
	return 0;
}

long
sys_tkill(int tid, int sig)
{
	if (tid <= 0)
		return -EINVAL;
	return thread_kill(0, tid, sig);
}

long
sys_tgkill(int tgid, int tid, int sig)
{
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	return thread_kill(tgid, tid, sig);
}

long
sys_umask(int mask)
{
	struct proc *p = curproc();
	long old = p->p_umask;

	p->p_umask = mask & 0777;
	return old;
}

long
sys_set_tid_address(uint64_t uptr)
{
	curthread()->t_clear_tid = uptr;
	return curthread()->t_tid;
}

long
sys_reboot(uint32_t magic1, uint32_t magic2, uint32_t cmd, uint64_t arg)
{
	(void)arg;
	if (magic1 != REBOOT_MAGIC1 || (magic2 != REBOOT_MAGIC2 &&
	    magic2 != REBOOT_MAGIC2A && magic2 != REBOOT_MAGIC2B &&
	    magic2 != REBOOT_MAGIC2C))
		return -EINVAL;
	switch (cmd) {
	case REBOOT_CMD_POWER_OFF:
	case REBOOT_CMD_HALT:
		kprintf("reboot: power off requested by pid %d\n", curproc()->p_pid);
		machine_stop(EXIT_OK);
	case REBOOT_CMD_RESTART:
		kprintf("reboot: restart requested by pid %d\n", curproc()->p_pid);
		platform_reset();
		machine_stop(EXIT_OK);
	default:
		return -EINVAL;
	}
}

/* struct sysinfo of x86-64 Linux (include/uapi/linux/sysinfo.h). */
struct ksysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint32_t pad2;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
	char reserved[4];
};
_Static_assert(sizeof(struct ksysinfo) == 112, "x86-64 struct sysinfo");

long
sys_sysinfo(uint64_t uinfo)
{
	struct ksysinfo si;

	memset(&si, 0, sizeof(si));
	si.uptime = clock_ns() / 1000000000ULL;
	si.totalram = pmm_total_frames();
	si.freeram = pmm_free_frames();
	si.procs = (uint16_t)proc_count();
	si.mem_unit = PAGE_SIZE;
	return copyout(uinfo, &si, sizeof(si));
}
