/*
 * procfs.c: /proc, made up from the kernel's state when a file is opened,
 * in Linux's formats so that ps, free and uptime work unchanged:
 *
 *	/proc/meminfo  /proc/uptime  /proc/loadavg
 *	/proc/<pid>/stat  /proc/<pid>/status  /proc/<pid>/cmdline
 *	/proc/bus/pci/devices (pci_format_devices)
 *	/proc/mounts, /proc/<pid>/mounts (vfs_mounts_text)
 *	/proc/self -> the caller's /proc/<pid>
 *
 * It is a file system mounted on /proc (vfs.h): a node is (kind, pid),
 * made by lookup and freed with its last reference.  A file's text is
 * fixed when it is opened (as a snapshot), and so is a directory's list of
 * names, kept one after another, NUL separated; getdents reads that list
 * (file_ops.readdir), so processes that come and go meanwhile neither
 * repeat nor hide an entry.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/file.h>
#include <keel/fs.h>
#include <keel/pci.h>
#include <keel/proc.h>
#include <keel/cpio.h>
#include <keel/vfs.h>
#include <keel/usercopy.h>
#include <keel/uvm.h>
#include <lib/fmt.h>
#include <keel/kheap.h>
#include <keel/pmm.h>
#include <arch/arch.h>	/* clock_ns, HZ */

#define TEXT_MAX	8192

#define PROCFS_DEV	3	/* st_dev of its nodes */

/* Node kinds: directories first (isdir_kind). */
enum { PK_ROOT, PK_PIDDIR, PK_BUS, PK_BUSPCI, PK_MEMINFO, PK_UPTIME, PK_LOADAVG, PK_STAT,
	PK_STATUS, PK_CMDLINE, PK_PCIDEVICES, PK_MOUNTS };

/* The fixed names: each in the directory of kind parent. */
static const struct pentry {
	const char *name;
	int kind;
	int parent;
} fixed[] = {
	{ "meminfo", PK_MEMINFO, PK_ROOT }, { "uptime", PK_UPTIME, PK_ROOT },
	{ "loadavg", PK_LOADAVG, PK_ROOT }, { "bus", PK_BUS, PK_ROOT },
	{ "pci", PK_BUSPCI, PK_BUS }, { "devices", PK_PCIDEVICES, PK_BUSPCI },
	{ "stat", PK_STAT, PK_PIDDIR }, { "status", PK_STATUS, PK_PIDDIR },
	{ "cmdline", PK_CMDLINE, PK_PIDDIR },
	/* Linux's /proc/mounts is a link to self/mounts: one table here. */
	{ "mounts", PK_MOUNTS, PK_ROOT }, { "mounts", PK_MOUNTS, PK_PIDDIR },
};

static int
isdir_kind(int kind)
{
	return kind <= PK_BUSPCI;
}

/* The index-th fixed name in a directory of kind dir, or 0. */
static const struct pentry *
fixed_child(int dir, uint64_t index)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		if (fixed[i].parent == dir && index-- == 0)
			return &fixed[i];
	return 0;
}

static int
fixed_count(int dir)
{
	int n = 0;

	while (fixed_child(dir, n))
		n++;
	return n;
}

static uint64_t idle_ns;

void
procfs_account_idle(uint64_t ns)
{
	idle_ns += ns;
}

/* A process is running if one of its threads is, else sleeping if one is. */
static char
state_char(struct proc *p)
{
	struct thread *t;
	char c = 'D';

	if (p->p_state == P_ZOMBIE)
		return 'Z';
	for (t = p->p_threads; t; t = t->t_peer) {
		if (t->t_state == T_RUNNING || t->t_state == T_RUNNABLE)
			return 'R';
		if (t->t_state == T_SLEEPING)
			c = 'S';
	}
	return c;
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
	case PK_MEMINFO:
		return fmt_snprintf(t, TEXT_MAX,
		    "MemTotal:       %8lu kB\nMemFree:        %8lu kB\n"
		    "MemAvailable:   %8lu kB\nBuffers:        %8lu kB\n"
		    "Cached:         %8lu kB\nSwapTotal:      %8lu kB\n"
		    "SwapFree:       %8lu kB\n",
		    pmm_total_frames() * kb, pmm_free_frames() * kb,
		    pmm_free_frames() * kb, 0UL, 0UL, 0UL, 0UL);
	case PK_UPTIME:
		return fmt_snprintf(t, TEXT_MAX, "%lu.%02lu %lu.%02lu\n",
		    now / 1000000000, now / 10000000 % 100,
		    idle_ns / 1000000000, idle_ns / 10000000 % 100);
	case PK_LOADAVG:
		return fmt_snprintf(t, TEXT_MAX, "0.00 0.00 0.00 1/%d %d\n", proc_count(),
		    proc_count());
	case PK_PCIDEVICES:
		return pci_format_devices(t, TEXT_MAX);
	case PK_MOUNTS:
		return vfs_mounts_text(t, TEXT_MAX);
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
	case PK_STAT:
		/* The 52 fields of proc(5); what keel does not track is 0. */
		return fmt_snprintf(t, TEXT_MAX,
		    "%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 %lu 0 0 0 20 0 1 0 %lu %lu %lu "
		    "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
		    p->p_pid, p->p_name, state_char(p),
		    p->p_parent ? p->p_parent->p_pid : 0, p->p_pgid, p->p_sid,
		    ticks, p->p_start_ns / (1000000000 / HZ), vsz, rss);
	case PK_STATUS:
		return fmt_snprintf(t, TEXT_MAX,
		    "Name:\t%s\nState:\t%s\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n"
		    "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nVmSize:\t%8lu kB\n"
		    "VmRSS:\t%8lu kB\nThreads:\t%d\nSigPnd:\t%016lx\nShdPnd:\t%016lx\n"
		    "SigBlk:\t%016lx\n",
		    p->p_name, state_name(p), p->p_pid, p->p_pid,
		    p->p_parent ? p->p_parent->p_pid : 0, vsz / 1024, rss * kb,
		    p->p_nthreads, p->p_threads ? p->p_threads->t_sigpending : 0,
		    p->p_sigpending, p->p_threads ? p->p_threads->t_sigmask : 0);
	case PK_CMDLINE:
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

/* One name of a directory's snapshot: its type ('d' or 'f'), then the name. */
static void
add_name(struct listing *l, const char *name, int isdir)
{
	uint64_t n = strlen(name) + 1;

	if (l->len + 1 + n <= TEXT_MAX) {
		l->buf[l->len++] = isdir ? 'd' : 'f';
		memcpy(l->buf + l->len, name, n);
		l->len += n;
	}
}

static int
add_pid(struct proc *p, void *arg)
{
	char num[16];

	fmt_snprintf(num, sizeof(num), "%d", p->p_pid);
	add_name(arg, num, 1);
	return 0;
}

/* ---- nodes ---- */

struct pnode {
	struct vnode pn_vnode;
	int pn_kind;
	int pn_pid;		/* PK_PIDDIR and its files; 0 for the rest */
};

/* An open file's snapshot: its text, or a directory's names. */
struct ptext {
	char *pt_buf;
	uint64_t pt_len;
	int pt_isdir;
	int pt_pid;		/* a directory: of this pid (0: /proc) */
};

static const struct vnode_ops pnode_ops;
static int
procfs_statfs(struct mount *m, struct kstatfs *sf)
{
	memset(sf, 0, sizeof(*sf));
	sf->f_type = PROC_SUPER_MAGIC;	/* simple_statfs: the rest 0 */
	sf->f_bsize = PAGE_SIZE;
	sf->f_namelen = VFS_NAME_MAX;
	return 0;
}

static struct mount procfs_mount = { .m_name = "proc", .m_source = "proc", .m_dev = PROCFS_DEV,
	.m_statfs = procfs_statfs };
static struct pnode proc_root = { { &pnode_ops, &procfs_mount, 0, S_IFDIR | 0555, 1, 0 },
	PK_ROOT, 0 };


static int
pnode_get(int kind, int pid, struct vnode **out)
{
	struct pnode *pn;

	if (kind == PK_ROOT) {
		pn = &proc_root;
	} else {
		pn = kzalloc(sizeof(*pn));
		if (pn == 0)
			return -ENOMEM;
		pn->pn_vnode.v_ops = &pnode_ops;
		pn->pn_vnode.v_mount = &procfs_mount;
		pn->pn_vnode.v_mode = isdir_kind(kind) ? S_IFDIR | 0555 : S_IFREG | 0444;
		pn->pn_kind = kind;
		pn->pn_pid = pid;
	}
	vn_hold(&pn->pn_vnode);
	*out = &pn->pn_vnode;
	return 0;
}

static int
name_is(const char *name, size_t len, const char *s)
{
	return strlen(s) == len && memcmp(name, s, len) == 0;
}

static int
pn_lookup(struct vnode *dir, const char *name, size_t len, struct vnode **out)
{
	struct pnode *d = (struct pnode *)dir;
	const struct pentry *e;
	uint64_t pid = 0;
	unsigned i;

	if (name_is(name, len, "..")) {
		for (i = 0; i < ARRAY_SIZE(fixed); i++)
			if (fixed[i].kind == d->pn_kind)
				return pnode_get(fixed[i].parent, 0, out);
		return pnode_get(PK_ROOT, 0, out);	/* the root, a pid's directory */
	}
	for (i = 0; (e = fixed_child(d->pn_kind, i)) != 0; i++)
		if (name_is(name, len, e->name))
			return pnode_get(e->kind, d->pn_kind == PK_PIDDIR ? d->pn_pid : 0, out);
	if (d->pn_kind != PK_ROOT)
		return -ENOENT;
	if (name_is(name, len, "self"))
		return pnode_get(PK_PIDDIR, curproc()->p_pid, out);
	if (name[0] < '1' || name[0] > '9' || len > 9)
		return -ENOENT;
	for (i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -ENOENT;
		pid = pid * 10 + (name[i] - '0');
	}
	if (proc_find((int)pid) == 0)
		return -ENOENT;
	return pnode_get(PK_PIDDIR, (int)pid, out);
}

static int
pn_getattr(struct vnode *vn, struct kstat *st)
{
	struct pnode *pn = (struct pnode *)vn;

	memset(st, 0, sizeof(*st));
	st->st_dev = PROCFS_DEV;
	st->st_ino = 0x10000 + (uint64_t)pn->pn_pid * 16 + pn->pn_kind;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	/* Linux gives /proc files size 0: readers read to the end. */
	st->st_mode = vn->v_mode;
	return 0;
}

struct nth {
	uint64_t want, seen;
	int pid;
};

static int
nth_pid(struct proc *p, void *arg)
{
	struct nth *n = arg;

	if (n->seen++ == n->want) {
		n->pid = p->p_pid;
		return 1;
	}
	return 0;
}

/* The node's own listing, live (getcwd finds a name here); open files list a snapshot. */
static int
pn_readdir(struct vnode *dir, uint64_t index, struct dirent_info *d)
{
	static char num[16];
	struct pnode *pn = (struct pnode *)dir;
	struct nth n = { 0, 0, 0 };

	const struct pentry *e = fixed_child(pn->pn_kind, index);

	if (e) {
		d->d_name = e->name;
		d->d_ino = 0x10000 + (uint64_t)pn->pn_pid * 16 + e->kind;
		d->d_mode = isdir_kind(e->kind) ? S_IFDIR : S_IFREG;
		return 1;
	}
	if (pn->pn_kind != PK_ROOT)
		return 0;
	index -= fixed_count(PK_ROOT);
	if (index == 0) {
		d->d_name = "self";
		d->d_ino = 0x10000 + (uint64_t)curproc()->p_pid * 16 + PK_PIDDIR;
		d->d_mode = S_IFDIR;
		return 1;
	}
	n.want = index - 1;
	proc_foreach(nth_pid, &n);
	if (n.pid == 0)
		return 0;
	fmt_snprintf(num, sizeof(num), "%d", n.pid);
	d->d_name = num;
	d->d_ino = 0x10000 + (uint64_t)n.pid * 16 + PK_PIDDIR;
	d->d_mode = S_IFDIR;
	return 1;
}

static void
pn_inactive(struct vnode *vn)
{
	if (vn != &proc_root.pn_vnode)
		kfree(vn);
}

/* ---- open files: the snapshot ---- */

static long
text_read(struct file *f, uint64_t ubuf, uint64_t n)
{
	struct ptext *t = f->f_data;
	long r;

	if (t->pt_isdir)
		return -EISDIR;
	if (f->f_off >= t->pt_len)
		return 0;
	r = copyout_partial(ubuf, t->pt_buf + f->f_off, MIN(n, t->pt_len - f->f_off));
	if (r > 0)
		f->f_off += r;
	return r;
}

static int64_t
text_lseek(struct file *f, int64_t off, int whence)
{
	return file_lseek_to(f, off, whence, ((struct ptext *)f->f_data)->pt_len);
}

static int
text_readdir(struct file *f, uint64_t index, struct dirent_info *d)
{
	struct ptext *t = f->f_data;
	uint64_t off = 0, i0 = index;

	while (off < t->pt_len) {
		const char *s = t->pt_buf + off;

		if (index-- == 0) {
			d->d_name = s + 1;
			d->d_ino = 0x1000 + i0 + 2;	/* as getdents numbered them */
			d->d_mode = s[0] == 'd' ? S_IFDIR : S_IFREG;
			return 1;
		}
		off += 1 + strlen(s + 1) + 1;
	}
	return 0;
}

static void
text_release(struct file *f)
{
	struct ptext *t = f->f_data;

	kfree(t->pt_buf);
	kfree(t);
}

static const struct file_ops text_ops = {
	.read = text_read,
	.lseek = text_lseek,
	.readdir = text_readdir,
	.release = text_release,
};

static int
pn_open(struct vnode *vn, struct file *f)
{
	struct pnode *pn = (struct pnode *)vn;
	struct ptext *t;
	struct listing l;
	unsigned i;
	int n;

	if ((f->f_flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	t = kzalloc(sizeof(*t));
	l.buf = kmalloc(TEXT_MAX);
	l.len = 0;
	if (t == 0 || l.buf == 0) {
		kfree(t);
		kfree(l.buf);
		return -ENOMEM;
	}
	if (isdir_kind(pn->pn_kind)) {
		t->pt_isdir = 1;
		const struct pentry *e;

		for (i = 0; (e = fixed_child(pn->pn_kind, i)) != 0; i++)
			add_name(&l, e->name, isdir_kind(e->kind));
		if (pn->pn_kind == PK_ROOT) {
			add_name(&l, "self", 1);
			proc_foreach(add_pid, &l);
		}
		t->pt_pid = pn->pn_pid;
		t->pt_len = l.len;
	} else {
		n = make_text(pn->pn_kind, pn->pn_pid, l.buf);
		if (n < 0) {
			kfree(l.buf);
			kfree(t);
			return n;
		}
		t->pt_len = MIN((uint64_t)n, TEXT_MAX - 1);
	}
	t->pt_buf = l.buf;
	f->f_ops = &text_ops;
	f->f_data = t;
	return 0;
}

static const struct vnode_ops pnode_ops = {
	.lookup = pn_lookup,
	.getattr = pn_getattr,
	.readdir = pn_readdir,
	.open = pn_open,
	.inactive = pn_inactive,
};

struct mount *
procfs_mount_point(void)
{
	procfs_mount.m_root = &proc_root.pn_vnode;
	return &procfs_mount;
}
