/*
 * procfs.c: /proc, made up from the kernel's state when a file is opened,
 * in Linux's formats so that ps, free and uptime work unchanged:
 *
 *	/proc/meminfo  /proc/uptime  /proc/loadavg
 *	/proc/<pid>/stat  /proc/<pid>/status  /proc/<pid>/cmdline
 *	/proc/self -> the caller's /proc/<pid>
 *
 * A file's text is fixed when it is opened (as a snapshot).  Directories
 * list their names in f_text, one after another, NUL separated.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/file.h>
#include <keel/fs.h>
#include <keel/proc.h>
#include <keel/ramfs.h>
#include <keel/uvm.h>
#include <lib/fmt.h>
#include <keel/kheap.h>
#include <keel/pmm.h>
#include <arch/clock.h>

#define TEXT_MAX	4096

enum { PF_ROOT, PF_PIDDIR, PF_MEMINFO, PF_UPTIME, PF_LOADAVG, PF_STAT, PF_STATUS,
	PF_CMDLINE };

static const struct {
	const char *name;
	int kind;
} rootfiles[] = {
	{ "meminfo", PF_MEMINFO }, { "uptime", PF_UPTIME }, { "loadavg", PF_LOADAVG },
}, pidfiles[] = {
	{ "stat", PF_STAT }, { "status", PF_STATUS }, { "cmdline", PF_CMDLINE },
};

static uint64_t idle_ns;

void
procfs_account_idle(uint64_t ns)
{
	idle_ns += ns;
}

/* The kind of /proc path and its pid; -ENOENT for what is not there. */
static int
resolve(const char *path, int *pid)
{
	const char *p = path + 5, *q;	/* after "/proc" */
	unsigned i;

	*pid = 0;
	while (*p == '/')
		p++;
	if (*p == 0)
		return PF_ROOT;
	for (i = 0; i < ARRAY_SIZE(rootfiles); i++)
		if (strcmp(p, rootfiles[i].name) == 0)
			return rootfiles[i].kind;
	if (strncmp(p, "self", 4) == 0 && (p[4] == 0 || p[4] == '/')) {
		*pid = curproc()->p_pid;
		p += 4;
	} else {
		if (*p < '1' || *p > '9')
			return -ENOENT;
		*pid = (int)strtou(p);
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (proc_find(*pid) == 0)
		return -ENOENT;
	while (*p == '/')
		p++;
	if (*p == 0)
		return PF_PIDDIR;
	for (q = p; *q && *q != '/'; q++)
		;
	if (*q)
		return -ENOTDIR;
	for (i = 0; i < ARRAY_SIZE(pidfiles); i++)
		if (strcmp(p, pidfiles[i].name) == 0)
			return pidfiles[i].kind;
	return -ENOENT;
}

static char
state_char(struct proc *p)
{
	switch (p->p_state) {
	case P_RUNNING:
	case P_RUNNABLE:
		return 'R';
	case P_SLEEPING:
		return 'S';
	case P_ZOMBIE:
		return 'Z';
	default:
		return 'D';
	}
}

static const char *
state_name(struct proc *p)
{
	switch (state_char(p)) {
	case 'R':
		return "R (running)";
	case 'S':
		return "S (sleeping)";
	case 'Z':
		return "Z (zombie)";
	default:
		return "D (disk sleep)";
	}
}

static int
make_text(int kind, int pid, char *t)
{
	struct proc *p = proc_find(pid);
	uint64_t now = clock_ns(), kb = PAGE_SIZE / 1024, rss, vsz = 0, ticks;
	struct vma *v;

	switch (kind) {
	case PF_MEMINFO:
		return fmt_snprintf(t, TEXT_MAX,
		    "MemTotal:       %8lu kB\nMemFree:        %8lu kB\n"
		    "MemAvailable:   %8lu kB\nBuffers:        %8lu kB\n"
		    "Cached:         %8lu kB\nSwapTotal:      %8lu kB\n"
		    "SwapFree:       %8lu kB\n",
		    pmm_total_frames() * kb, pmm_free_frames() * kb,
		    pmm_free_frames() * kb, 0UL, 0UL, 0UL, 0UL);
	case PF_UPTIME:
		return fmt_snprintf(t, TEXT_MAX, "%lu.%02lu %lu.%02lu\n",
		    now / 1000000000, now / 10000000 % 100,
		    idle_ns / 1000000000, idle_ns / 10000000 % 100);
	case PF_LOADAVG:
		return fmt_snprintf(t, TEXT_MAX, "0.00 0.00 0.00 1/%d %d\n", proc_count(),
		    proc_count());
	default:
		break;
	}
	if (p == 0)
		return -ENOENT;
	rss = p->p_as ? p->p_as->as_resident : 0;
	if (p->p_as)
		for (v = p->p_as->as_vmas; v; v = v->v_next)
			vsz += v->v_end - v->v_start;
	ticks = p->p_ticks;
	switch (kind) {
	case PF_STAT:
		/* The 52 fields of proc(5); what keel does not track is 0. */
		return fmt_snprintf(t, TEXT_MAX,
		    "%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 %lu 0 0 0 20 0 1 0 %lu %lu %lu "
		    "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
		    p->p_pid, p->p_name, state_char(p),
		    p->p_parent ? p->p_parent->p_pid : 0, p->p_pgid, p->p_sid,
		    ticks, p->p_start_ns / (1000000000 / HZ), vsz, rss);
	case PF_STATUS:
		return fmt_snprintf(t, TEXT_MAX,
		    "Name:\t%s\nState:\t%s\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n"
		    "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nVmSize:\t%8lu kB\n"
		    "VmRSS:\t%8lu kB\nThreads:\t1\nSigPnd:\t%016lx\nSigBlk:\t%016lx\n",
		    p->p_name, state_name(p), p->p_pid, p->p_pid,
		    p->p_parent ? p->p_parent->p_pid : 0, vsz / 1024, rss * kb,
		    p->p_sigpending, p->p_sigmask);
	case PF_CMDLINE:
		/* argv is not kept: the program name, NUL terminated. */
		return fmt_snprintf(t, TEXT_MAX, "%s", p->p_name) + 1;
	default:
		return -ENOENT;
	}
}

struct listing {
	char *buf;
	uint64_t len;
};

static void
add_name(struct listing *l, const char *name)
{
	uint64_t n = strlen(name) + 1;

	if (l->len + n <= TEXT_MAX) {
		memcpy(l->buf + l->len, name, n);
		l->len += n;
	}
}

static int
add_pid(struct proc *p, void *arg)
{
	char num[16];

	fmt_snprintf(num, sizeof(num), "%d", p->p_pid);
	add_name(arg, num);
	return 0;
}

int
procfs_open(const char *path, struct file **out)
{
	struct listing l;
	struct file *f;
	int pid, kind = resolve(path, &pid), n;
	unsigned i;

	if (kind < 0)
		return kind;
	f = kzalloc(sizeof(*f));
	l.buf = kmalloc(TEXT_MAX);
	l.len = 0;
	if (f == 0 || l.buf == 0) {
		kfree(f);
		kfree(l.buf);
		return -ENOMEM;
	}
	f->f_type = FT_PROC;
	if (kind == PF_ROOT || kind == PF_PIDDIR) {
		f->f_pos_is_dir = 1;
		if (kind == PF_ROOT) {
			for (i = 0; i < ARRAY_SIZE(rootfiles); i++)
				add_name(&l, rootfiles[i].name);
			add_name(&l, "self");
			proc_foreach(add_pid, &l);
		} else {
			for (i = 0; i < ARRAY_SIZE(pidfiles); i++)
				add_name(&l, pidfiles[i].name);
		}
		f->f_procpid = pid;
		f->f_text = l.buf;
		f->f_textlen = l.len;
	} else {
		n = make_text(kind, pid, l.buf);
		if (n < 0) {
			kfree(l.buf);
			kfree(f);
			return n;
		}
		f->f_text = l.buf;
		f->f_textlen = MIN((uint64_t)n, TEXT_MAX - 1);
	}
	*out = f;
	return 0;
}

int
procfs_dirent(struct file *f, uint64_t index, const char **name, int *isdir)
{
	uint64_t off = 0;

	while (off < f->f_textlen) {
		const char *s = f->f_text + off;

		if (index-- == 0) {
			*name = s;
			/* In /proc: pids and self are directories, the rest files. */
			*isdir = f->f_procpid == 0 && ((*s >= '0' && *s <= '9') ||
			    strcmp(s, "self") == 0);
			return 1;
		}
		off += strlen(s) + 1;
	}
	return 0;
}

int
procfs_stat(const char *path, struct kstat *st)
{
	int pid, kind = resolve(path, &pid);

	if (kind < 0)
		return kind;
	memset(st, 0, sizeof(*st));
	st->st_dev = 3;
	st->st_ino = 0x10000 + (uint64_t)pid * 16 + kind;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	/* Linux gives /proc files size 0: readers read to the end. */
	st->st_mode = (kind == PF_ROOT || kind == PF_PIDDIR) ? S_IFDIR | 0555 :
	    S_IFREG | 0444;
	return 0;
}
