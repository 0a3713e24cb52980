/*
 * procfs_text.c: the text of /proc's files, in Linux's formats (proc(5)),
 * so that ps, top, free and uptime read them unchanged: what keel does not
 * keep (page faults, load averages, capabilities) reads as Linux's value
 * for none of it.
 *
 * Interface (procfs.h): procfs_text(kind, p, tb), tb_printf.
 */
#include <keel/kernel.h>
#include <keel/cpio.h>	/* S_IF* */
#include <keel/cpu.h>
#include <keel/exec.h>
#include <keel/file.h>
#include <keel/fs.h>
#include <keel/kheap.h>
#include <keel/pci.h>
#include <keel/pmm.h>
#include <keel/proc.h>
#include <keel/procfs.h>
#include <keel/uvm.h>
#include <keel/vfs.h>
#include <lib/fmt.h>
#include <uapi/errno.h>
#include <arch/arch.h>	/* clock_ns, HZ */

#define NS_PER_TICK	(1000000000 / HZ)	/* USER_HZ is HZ: 100 */

void
tb_printf(struct ptext_buf *tb, const char *fmt, ...)
{
	va_list ap;
	uint64_t room = tb->tb_len < tb->tb_cap ? tb->tb_cap - tb->tb_len : 0;

	va_start(ap, fmt);
	tb->tb_len += fmt_vsnprintf(room ? tb->tb_buf + tb->tb_len : 0, room, fmt, ap);
	va_end(ap);
}

static char
thread_state_char(const struct thread *t)
{
	return t->t_state == T_SLEEPING ? 'S' : t->t_state == T_DEAD ? 'Z' : 'R';
}

/*
 * A process is stopped (job control), else running if one of its threads
 * is, else sleeping if one is.
 */
static char
state_char(struct proc *p)
{
	struct thread *t;
	char c = 'D';

	if (p->p_state == P_ZOMBIE)
		return 'Z';
	if (p->p_stopped)
		return 'T';
	for (t = p->p_threads; t; t = t->t_peer) {
		if (t->t_state == T_RUNNING || t->t_state == T_RUNNABLE)
			return 'R';
		if (t->t_state == T_SLEEPING)
			c = 'S';
	}
	return c;
}

/* p's live thread tid, or 0 (gone, or never there). */
static struct thread *
proc_thread(struct proc *p, int tid)
{
	struct thread *t;

	for (t = p->p_threads; t; t = t->t_peer)
		if (t->t_tid == tid)
			return t;
	return 0;
}

/*
 * The first thread is listed as long as the process is: once it exited,
 * Linux keeps it as a zombie thread until the process is reaped (its pid
 * names the process), where keel takes it off p_threads.
 */
int
procfs_nth_tid(struct proc *p, int index)
{
	struct thread *t;

	if (index-- == 0)
		return p->p_pid;
	for (t = p->p_threads; t; t = t->t_peer)
		if (t->t_tid != p->p_pid && index-- == 0)
			return t->t_tid;
	return 0;
}

int
procfs_nthreads(struct proc *p)
{
	return p->p_nthreads + (proc_thread(p, p->p_pid) == 0);
}

int
procfs_has_tid(struct proc *p, int tid)
{
	return tid == p->p_pid || proc_thread(p, tid) != 0;
}

/*
 * What a file says of the thread it is seen through: its tid, state,
 * pending signals, mask and, under task/, its own ticks.  tid 0 is the
 * process: running if one of its threads is, the first thread's signals
 * (Linux's status shows the leader's), the process's ticks.
 */
struct tview {
	int tv_tid;
	char tv_state;
	uint64_t tv_pending, tv_mask;
	uint64_t tv_ticks;
	int tv_cpu;		/* the CPU it last ran on (field 39, ps's PSR) */
};

static void
thread_view(struct proc *p, int tid, int task, struct tview *v)
{
	struct thread *t = tid ? proc_thread(p, tid) : p->p_threads;

	v->tv_tid = tid ? tid : p->p_pid;
	if (tid == 0)
		v->tv_state = state_char(p);
	else if (p->p_state == P_ZOMBIE || t == 0)
		v->tv_state = 'Z';
	else
		v->tv_state = p->p_stopped ? 'T' : thread_state_char(t);
	v->tv_pending = t ? t->t_sigpending : 0;
	v->tv_mask = t ? t->t_sigmask : 0;
	v->tv_ticks = !task ? p->p_ticks : t ? t->t_ticks : 0;
	v->tv_cpu = t ? t->t_cpu : 0;
}

static const char *
state_name(char c)
{
	switch (c) {
	case 'R':
		return "R (running)";
	case 'S':
		return "S (sleeping)";
	case 'Z':
		return "Z (zombie)";
	case 'T':
		return "T (stopped)";
	default:
		return "D (disk sleep)";
	}
}

/* What the maps, stat and status files say about an address space. */
struct mminfo {
	uint64_t vsz, rss;		/* bytes, pages */
	uint64_t data, stack, exe;	/* bytes */
	uint64_t start_code, end_code, start_data, end_data;
};

static void
mm_info(struct proc *p, struct mminfo *m)
{
	struct vma *v;

	memset(m, 0, sizeof(*m));
	if (p->p_as == 0)
		return;
	m->rss = p->p_as->as_resident;
	for (v = p->p_as->as_vmas; v; v = v->v_next) {
		uint64_t len = v->v_end - v->v_start;

		m->vsz += len;
		if (v->v_kind == VK_STACK)
			m->stack += len;
		else if ((v->v_prot & VM_W) && v->v_kind != VK_IMAGE)
			m->data += len;	/* Linux's data_vm: private, writable, not stack */
		if (v->v_kind != VK_IMAGE)
			continue;
		if (v->v_prot & VM_X) {
			if (m->start_code == 0)
				m->start_code = v->v_start;
			m->end_code = v->v_end;
			m->exe += len;
		} else if (v->v_prot & VM_W) {
			m->data += len;
			if (m->start_data == 0)
				m->start_data = v->v_start;
			m->end_data = v->v_end;
		}
	}
}

static void
sig_masks(struct proc *p, uint64_t *ign, uint64_t *cgt)
{
	int s;

	*ign = *cgt = 0;
	for (s = 1; s <= 64; s++) {
		if (p->p_sigact[s - 1].sa_handler == 1)		/* SIG_IGN */
			*ign |= SIGBIT(s);
		else if (p->p_sigact[s - 1].sa_handler != 0)	/* not SIG_DFL */
			*cgt |= SIGBIT(s);
	}
}

/* /proc/PID/stat: the 52 fields of proc(5); the first the tid seen through. */
static void
text_stat(struct proc *p, int tid, int task, struct ptext_buf *tb)
{
	struct mminfo m;
	struct tview v;
	uint64_t ign, cgt;
	int zombie = p->p_state == P_ZOMBIE;

	thread_view(p, tid, task, &v);
	mm_info(p, &m);
	sig_masks(p, &ign, &cgt);
	tb_printf(tb, "%d (%s) %c %d %d %d %d %d %u %lu %lu %lu %lu %lu %lu %ld %ld %ld %ld %d %ld ",
	    v.tv_tid, p->p_name, v.tv_state, p->p_parent ? p->p_parent->p_pid : 0,
	    p->p_pgid, p->p_sid, 0 /* tty_nr: no controlling terminal kept */, -1,
	    0U /* flags */, 0UL, 0UL, 0UL, 0UL,
	    v.tv_ticks, 0UL, 0L, 0L, 20L, 0L, procfs_nthreads(p), 0L);
	tb_printf(tb, "%lu %lu %lu %lu %lu %lu %lu 0 0 %lu %lu %lu %lu 0 0 0 %d %d 0 0 0 0 0 ",
	    p->p_start_ns / NS_PER_TICK, m.vsz, m.rss,
	    p->p_rlim[RLIMIT_RSS].rlim_cur, m.start_code, m.end_code,
	    p->p_as ? p->p_args.pa_start_stack : 0,
	    (v.tv_pending | p->p_sigpending) & 0xffffffff, v.tv_mask & 0xffffffff,
	    ign & 0xffffffff,
	    cgt & 0xffffffff, p->p_exit_signal, v.tv_cpu);
	tb_printf(tb, "%lu %lu %lu %lu %lu %lu %lu %d\n",
	    m.start_data, m.end_data, p->p_as ? p->p_as->as_brk_base : 0,
	    p->p_as ? p->p_args.pa_arg_start : 0, p->p_as ? p->p_args.pa_arg_end : 0,
	    p->p_as ? p->p_args.pa_env_start : 0, p->p_as ? p->p_args.pa_env_end : 0,
	    zombie ? p->p_xstatus : 0);
}

/* /proc/PID/status: Pid: is the tid seen through, Tgid: the process's pid. */
static void
text_status(struct proc *p, int tid, struct ptext_buf *tb)
{
	struct mminfo m;
	struct tview v;
	uint64_t ign, cgt, kb = PAGE_SIZE / 1024;
	int ppid = p->p_parent ? p->p_parent->p_pid : 0;
	const struct cred *c = &p->p_cred;
	uint32_t i;

	thread_view(p, tid, 0, &v);
	mm_info(p, &m);
	sig_masks(p, &ign, &cgt);
	tb_printf(tb, "Name:\t%s\nUmask:\t0%d%d%d\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\n"
	    "PPid:\t%d\nTracerPid:\t0\nUid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n"
	    "FDSize:\t%d\nGroups:\t",
	    p->p_name, (p->p_umask >> 6) & 7, (p->p_umask >> 3) & 7, p->p_umask & 7,
	    state_name(v.tv_state), p->p_pid, v.tv_tid, ppid, c->c_uid, c->c_euid, c->c_suid,
	    c->c_fsuid, c->c_gid, c->c_egid, c->c_sgid, c->c_fsgid, NOFILE);
	/* Linux's: each group and a space, in the sorted order setgroups made. */
	for (i = 0; c->c_groups && i < c->c_groups->g_n; i++)
		tb_printf(tb, "%u ", c->c_groups->g_gid[i]);
	tb_printf(tb, "\nNStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n",
	    p->p_pid, v.tv_tid, p->p_pgid, p->p_sid);
	if (p->p_as)
		tb_printf(tb, "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\nVmLck:\t%8lu kB\n"
		    "VmPin:\t%8lu kB\nVmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\nRssAnon:\t%8lu kB\n"
		    "RssFile:\t%8lu kB\nRssShmem:\t%8lu kB\nVmData:\t%8lu kB\n"
		    "VmStk:\t%8lu kB\nVmExe:\t%8lu kB\nVmLib:\t%8lu kB\nVmPTE:\t%8lu kB\n"
		    "VmSwap:\t%8lu kB\n",
		    m.vsz / 1024, m.vsz / 1024, 0UL, 0UL, m.rss * kb, m.rss * kb,
		    m.rss * kb, 0UL, 0UL, m.data / 1024, m.stack / 1024, m.exe / 1024,
		    0UL, 0UL, 0UL);
	tb_printf(tb, "Threads:\t%d\nSigQ:\t0/%lu\nSigPnd:\t%016lx\nShdPnd:\t%016lx\n"
	    "SigBlk:\t%016lx\nSigIgn:\t%016lx\nSigCgt:\t%016lx\n"
	    "CapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\n"
	    "CapEff:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\n"
	    "CapAmb:\t0000000000000000\nNoNewPrivs:\t0\nSeccomp:\t0\n"
	    "Cpus_allowed:\t1\nCpus_allowed_list:\t0\n"
	    "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n",
	    procfs_nthreads(p), p->p_rlim[RLIMIT_SIGPENDING].rlim_cur, v.tv_pending,
	    p->p_sigpending, v.tv_mask, ign, cgt);
}

/* One line of /proc/PID/maps: the name starts at column 74, as seq_pad puts it. */
static void
maps_line(struct ptext_buf *tb, const struct vma *v, uint64_t dev, uint64_t ino,
    const char *name)
{
	uint64_t start = tb->tb_len;

	tb_printf(tb, "%08lx-%08lx %c%c%cp %08x %02lx:%02lx %lu ", v->v_start, v->v_end,
	    (v->v_prot & VM_R) ? 'r' : '-', (v->v_prot & VM_W) ? 'w' : '-',
	    (v->v_prot & VM_X) ? 'x' : '-', 0, dev >> 8, dev & 0xff, ino);
	if (name) {
		while (tb->tb_len - start < 72)
			tb_printf(tb, " ");
		tb_printf(tb, " %s", name);
	}
	tb_printf(tb, "\n");
}

static void
text_maps(struct proc *p, struct ptext_buf *tb)
{
	char *path = 0;
	struct kstat st;
	struct vma *v;

	if (p->p_as == 0)
		return;
	memset(&st, 0, sizeof(st));
	if (p->p_exe && (path = kmalloc(VFS_PATH_MAX)) != 0) {
		if (exeref_path(p->p_exe, path, VFS_PATH_MAX) < 0 ||
		    vfs_getattr(p->p_exe->er_file, &st) != 0) {
			kfree(path);
			path = 0;
		}
	}
	for (v = p->p_as->as_vmas; v; v = v->v_next) {
		if (v->v_kind == VK_IMAGE && path)
			maps_line(tb, v, st.st_dev, st.st_ino, path);
		else
			maps_line(tb, v, 0, 0, v->v_kind == VK_HEAP ? "[heap]" :
			    v->v_kind == VK_STACK ? "[stack]" : 0);
	}
	kfree(path);
}

static int
count_running(struct proc *p, void *arg)
{
	if (state_char(p) == 'R')
		++*(int *)arg;
	return 0;
}

/* The sum over the CPUs of the counter at off in struct cpu. */
static uint64_t
stat_sum(size_t off)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < ncpus; i++)
		n += *(const volatile uint64_t *)((const char *)&cpus[i] + off);
	return n;
}

/* /proc/stat's cpu lines: the sum, then each online CPU (Linux's show_stat). */
static void
stat_cpus(struct ptext_buf *tb)
{
	uint64_t sum[CPUSTAT_N] = { 0 };
	int i, k;

	for (i = 0; i < ncpus; i++)
		for (k = 0; k < CPUSTAT_N; k++)
			sum[k] += cpus[i].c_stat[k];
	tb_printf(tb, "cpu  %lu %lu %lu %lu 0 0 0 0 0 0\n", sum[CPUSTAT_USER], sum[CPUSTAT_NICE],
	    sum[CPUSTAT_SYSTEM], sum[CPUSTAT_IDLE]);
	for (i = 0; i < ncpus; i++)
		if (cpu_online(&cpus[i]))
			tb_printf(tb, "cpu%d %lu %lu %lu %lu 0 0 0 0 0 0\n", i,
			    cpus[i].c_stat[CPUSTAT_USER], cpus[i].c_stat[CPUSTAT_NICE],
			    cpus[i].c_stat[CPUSTAT_SYSTEM], cpus[i].c_stat[CPUSTAT_IDLE]);
}

int
procfs_text(int kind, struct proc *p, int tid, int task, struct ptext_buf *tb)
{
	uint64_t now = clock_ns(), kb = PAGE_SIZE / 1024, idle = procfs_idle_ns();
	int running = 0, i;

	switch (kind) {
	case PK_MEMINFO:
		tb_printf(tb,
		    "MemTotal:       %8lu kB\nMemFree:        %8lu kB\n"
		    "MemAvailable:   %8lu kB\nBuffers:        %8lu kB\n"
		    "Cached:         %8lu kB\nSwapCached:     %8lu kB\n"
		    "SwapTotal:      %8lu kB\nSwapFree:       %8lu kB\n"
		    "Shmem:          %8lu kB\n",
		    pmm_total_frames() * kb, pmm_free_frames() * kb,
		    pmm_free_frames() * kb, 0UL, 0UL, 0UL, 0UL, 0UL, 0UL);
		return 0;
	case PK_UPTIME:
		tb_printf(tb, "%lu.%02lu %lu.%02lu\n",
		    now / 1000000000, now / 10000000 % 100,
		    idle / 1000000000, idle / 10000000 % 100);
		return 0;
	case PK_LOADAVG:
		proc_foreach(count_running, &running);
		tb_printf(tb, "0.00 0.00 0.00 %d/%d %d\n", running, proc_count(), proc_count());
		return 0;
	case PK_STATALL:
		/* Ticks of USER_HZ (= HZ) each CPU spent per kind, sampled by its tick. */
		stat_cpus(tb);
		proc_foreach(count_running, &running);
		tb_printf(tb, "intr %lu\nctxt %lu\nbtime %lu\nprocs_running %d\nprocs_blocked 0\n",
		    stat_sum(offsetof(struct cpu, c_nintr)), stat_sum(offsetof(struct cpu, c_nswitch)),
		    (clock_boot_epoch_ns()) / 1000000000, running);
		return 0;
	case PK_CPUINFO:
		for (i = 0; i < ncpus; i++) {
			uint64_t room = tb->tb_len < tb->tb_cap ? tb->tb_cap - tb->tb_len : 0;

			if (cpu_online(&cpus[i]))
				tb->tb_len += arch_cpuinfo(&cpus[i], room ? tb->tb_buf + tb->tb_len : 0,
				    (int)room);
		}
		return 0;
	case PK_INTERRUPTS:
		tb->tb_len = arch_interrupts(tb->tb_buf, (int)tb->tb_cap);
		return 0;
	case PK_MOUNTS:
		if (tb->tb_cap < 8192)
			tb->tb_len = 8192;	/* ask for room */
		else
			tb->tb_len = vfs_mounts_text(tb->tb_buf, (int)tb->tb_cap);
		return 0;
	case PK_PCIDEVICES:
		if (tb->tb_cap < 8192)
			tb->tb_len = 8192;	/* ask for room */
		else
			tb->tb_len = pci_format_devices(tb->tb_buf, tb->tb_cap);
		return 0;
	case PK_PIDMAX:
		tb_printf(tb, "%d\n", PID_MAX);
		return 0;
	case PK_OSTYPE:
	case PK_HOSTNAME:
		tb_printf(tb, "%s\n", KERNEL_NAME);	/* uname's sysname and nodename */
		return 0;
	case PK_OSRELEASE:
		tb_printf(tb, "%s\n", KERNEL_VERSION);
		return 0;
	default:
		break;
	}
	if (p == 0)
		return -ENOENT;
	switch (kind) {
	case PK_STAT:
		text_stat(p, tid, task, tb);
		return 0;
	case PK_STATUS:
		text_status(p, tid, tb);
		return 0;
	case PK_COMM:
		tb_printf(tb, "%s\n", p->p_name);
		return 0;
	case PK_MAPS:
		text_maps(p, tb);
		return 0;
	default:
		return -ENOENT;
	}
}
