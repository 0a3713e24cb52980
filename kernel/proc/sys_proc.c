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
#include <uapi/prctl.h>
#include <uapi/reboot.h>
#include <uapi/time.h>

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

long
sys_wait4(int pid, uint64_t ustatus, int options, uint64_t urusage)
{
	struct krusage ru;
	long r;

	/* As on Linux: rusage is written only for a reaped child, after reaping it. */
	r = proc_wait4(pid, ustatus, options, urusage ? &ru : 0);
	if (r > 0 && urusage && copyout(urusage, &ru, sizeof(ru)))
		return -EFAULT;
	return r;
}

long
sys_waitid(int idtype, int id, uint64_t uinfo, int options, uint64_t urusage)
{
	return proc_waitid(idtype, id, uinfo, options, urusage);
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

long
sys_uname(uint64_t ubuf)
{
	static const char fields[6][65] = {
		KERNEL_NAME, KERNEL_NAME, KERNEL_VERSION, ("#1 " KERNEL_NAME),
		"x86_64", "(none)",
	};
	char f[6][65];

	memcpy(f, fields, sizeof(f));
	/* setarch i686 / linux32: personality(PER_LINUX32) (Linux's override_architecture) */
	if ((curproc()->p_personality & PER_MASK) == PER_LINUX32)
		memcpy(f[4], "i686", 5);
	return copyout(ubuf, f, sizeof(f));
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
	/* The length first, as Linux: with a bad one the head is not written. */
	if (copyout(ulen, &len, sizeof(len)) ||
	    copyout(uhead, &t->t_robust_list, sizeof(t->t_robust_list)))
		return -EFAULT;
	return 0;
}

/*
 * Linux's do_send_specific: the thread tid (of the process tgid, if > 0);
 * the signal number is checked once the thread is found
 * (check_kill_permission), so a bad one to no thread is -ESRCH.
 */
static long
thread_kill(int tgid, int tid, int sig)
{
	struct thread *t = thread_find(tid);
	long err;

	if (t == 0 || t->t_state == T_DEAD || (tgid > 0 && t->t_proc->p_pid != tgid))
		return -ESRCH;
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if ((err = cred_may_signal(t->t_proc, sig)) != 0)
		return err;
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
	/* Linux asks for CAP_SYS_BOOT before it looks at the magic numbers. */
	if (!cred_capable())
		return -EPERM;
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
