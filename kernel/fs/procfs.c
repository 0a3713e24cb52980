/*
 * procfs.c: /proc, made up from the kernel's state, in Linux's formats
 * (the text is procfs_text.c's):
 *
 *	/proc/meminfo  uptime  loadavg  stat  bus/pci/devices
 *	/proc/sys/kernel/{pid_max,ostype,osrelease,hostname}
 *	/proc/self -> <pid>, /proc/thread-self -> <pid>/task/<tid> (symlinks)
 *	/proc/<pid>/stat  status  comm (writable: the name)  maps
 *	/proc/<pid>/cmdline  environ (read from the process's memory)
 *	/proc/<pid>/exe  cwd  fd/<n> (magic links)
 *	/proc/<pid>/task/<tid>/ (the same files, seen through one thread)
 *	/proc/mounts, /proc/<pid>/mounts (vfs_mounts_text)
 *
 * It is a file system mounted on /proc (vfs.h): a node is (kind, pid,
 * tid, fd, task), made by lookup and freed with its last reference.  A
 * thread's tid names a directory too, as on Linux: /proc/<tid> is not
 * listed, but a lookup finds it, the process's directory seen through that
 * thread (its stat and status give the tid as the pid).  A file's text is
 * fixed when it is opened (as a snapshot), and so is a directory's list of
 * names; getdents reads that list (file_ops.readdir), so processes that
 * come and go meanwhile neither repeat nor hide an entry.  cmdline and
 * environ are read from the process's memory at each read, as on Linux.
 *
 * The links of a process are Linux's magic links: readlink describes
 * (a path, "pipe:[ino]"), and a path walk jumps to the node itself
 * (vnode_ops.follow_link), so /proc/self/exe runs the same program and
 * /proc/self/fd/N opens the same file however it was named.  A pipe has
 * no node of its own: its fd link leads to a PK_FDOBJ node whose open
 * makes a new end of the pipe (file_ops.reopen).
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/exec.h>
#include <keel/file.h>
#include <keel/fs.h>
#include <keel/proc.h>
#include <keel/procfs.h>
#include <keel/cpio.h>
#include <keel/vfs.h>
#include <keel/usercopy.h>
#include <keel/uvm.h>
#include <lib/fmt.h>
#include <keel/kheap.h>
#include <arch/arch.h>

#define TEXT_MIN	4096	/* a snapshot's first buffer; it grows to fit */
#define LIST_MAX	(64 * 1024)	/* a directory snapshot's names */

#define PROCFS_DEV	3	/* st_dev of its nodes */

/* The fixed names: each in the directory of kind parent, with its mode. */
static const struct pentry {
	const char *name;
	int kind;
	int parent;
	uint32_t mode;
} fixed[] = {
	{ "meminfo", PK_MEMINFO, PK_ROOT, S_IFREG | 0444 },
	{ "uptime", PK_UPTIME, PK_ROOT, S_IFREG | 0444 },
	{ "loadavg", PK_LOADAVG, PK_ROOT, S_IFREG | 0444 },
	{ "stat", PK_STATALL, PK_ROOT, S_IFREG | 0444 },
	{ "cpuinfo", PK_CPUINFO, PK_ROOT, S_IFREG | 0444 },
	{ "interrupts", PK_INTERRUPTS, PK_ROOT, S_IFREG | 0444 },
	{ "bus", PK_BUS, PK_ROOT, S_IFDIR | 0555 },
	{ "sys", PK_SYS, PK_ROOT, S_IFDIR | 0555 },
	{ "pci", PK_BUSPCI, PK_BUS, S_IFDIR | 0555 },
	{ "devices", PK_PCIDEVICES, PK_BUSPCI, S_IFREG | 0444 },
	{ "kernel", PK_SYSKERNEL, PK_SYS, S_IFDIR | 0555 },
	{ "hostname", PK_HOSTNAME, PK_SYSKERNEL, S_IFREG | 0444 },
	{ "osrelease", PK_OSRELEASE, PK_SYSKERNEL, S_IFREG | 0444 },
	{ "ostype", PK_OSTYPE, PK_SYSKERNEL, S_IFREG | 0444 },
	{ "pid_max", PK_PIDMAX, PK_SYSKERNEL, S_IFREG | 0444 },
	{ "cmdline", PK_CMDLINE, PK_PIDDIR, S_IFREG | 0444 },
	{ "comm", PK_COMM, PK_PIDDIR, S_IFREG | 0644 },
	{ "cwd", PK_CWD, PK_PIDDIR, S_IFLNK | 0777 },
	{ "environ", PK_ENVIRON, PK_PIDDIR, S_IFREG | 0400 },
	{ "exe", PK_EXE, PK_PIDDIR, S_IFLNK | 0777 },
	{ "fd", PK_FDDIR, PK_PIDDIR, S_IFDIR | 0500 },
	{ "maps", PK_MAPS, PK_PIDDIR, S_IFREG | 0444 },
	{ "stat", PK_STAT, PK_PIDDIR, S_IFREG | 0444 },
	/* Linux's /proc/mounts is a link to self/mounts: one table here. */
	{ "mounts", PK_MOUNTS, PK_ROOT, S_IFREG | 0444 },
	{ "mounts", PK_MOUNTS, PK_PIDDIR, S_IFREG | 0444 },
	{ "status", PK_STATUS, PK_PIDDIR, S_IFREG | 0444 },
	{ "task", PK_TASKDIR, PK_PIDDIR, S_IFDIR | 0555 },
	/* /proc/<pid>/task/<tid>/ */
	{ "cmdline", PK_CMDLINE, PK_TIDDIR, S_IFREG | 0444 },
	{ "comm", PK_COMM, PK_TIDDIR, S_IFREG | 0644 },
	{ "cwd", PK_CWD, PK_TIDDIR, S_IFLNK | 0777 },
	{ "environ", PK_ENVIRON, PK_TIDDIR, S_IFREG | 0400 },
	{ "exe", PK_EXE, PK_TIDDIR, S_IFLNK | 0777 },
	{ "fd", PK_FDDIR, PK_TIDDIR, S_IFDIR | 0500 },
	{ "maps", PK_MAPS, PK_TIDDIR, S_IFREG | 0444 },
	{ "mounts", PK_MOUNTS, PK_TIDDIR, S_IFREG | 0444 },
	{ "stat", PK_STAT, PK_TIDDIR, S_IFREG | 0444 },
	{ "status", PK_STATUS, PK_TIDDIR, S_IFREG | 0444 },
};

static uint64_t idle_ns;

void
procfs_account_idle(uint64_t ns)
{
	__atomic_add_fetch(&idle_ns, ns, __ATOMIC_RELAXED);	/* from every CPU's idle loop */
}

uint64_t
procfs_idle_ns(void)
{
	return idle_ns;
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

static const struct pentry *
fixed_entry(int kind)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		if (fixed[i].kind == kind)
			return &fixed[i];
	return 0;
}

/* ---- nodes ---- */

/*
 * What a node is.  A process's nodes have its pid; those seen through one
 * of its threads (under task/<tid>, or under /proc/<tid>) that tid too.
 */
struct pnode {
	struct vnode pn_vnode;
	int pn_kind;
	int pn_pid;		/* a process's nodes; 0 for the rest */
	int pn_tid;		/* the thread it is seen through; 0: the process */
	int pn_task;		/* under /proc/<pid>/task/ */
	int pn_fd;		/* PK_FD, PK_FDOBJ */
};

/* Inode numbers: the root 1, then (pid, tid, task, kind, fd) packed. */
static uint64_t
pino(int kind, int pid, int tid, int task, int fd)
{
	_Static_assert(PID_MAX <= 1 << 16 && NOFILE <= 1 << 24, "pino's fields");
	if (kind == PK_ROOT)
		return 1;
	return (uint64_t)pid << 48 | (uint64_t)tid << 32 | (uint64_t)task << 30 |
	    (uint64_t)kind << 24 | (uint32_t)fd;
}

static uint64_t
pn_ino(const struct pnode *pn)
{
	return pino(pn->pn_kind, pn->pn_pid, pn->pn_tid, pn->pn_task, pn->pn_fd);
}

static const struct vnode_ops pnode_ops, plink_ops, pmagic_ops;
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
	.pn_kind = PK_ROOT };

/* The file of p's descriptor fd, or 0 (no reference taken). */
static struct file *
proc_fd(struct proc *p, int fd)
{
	struct fdtable *fdt = p ? p->p_fdt : 0;

	return fdt && fd >= 0 && fd < fdt->fdt_size ? fdt->fdt_files[fd] : 0;
}

/* What a node of kind is: its mode (the type bits are fixed). */
static uint32_t
kind_mode(int kind, struct proc *p, int fd)
{
	const struct pentry *e = fixed_entry(kind);
	struct file *f;
	uint32_t mode = S_IFLNK;

	switch (kind) {
	case PK_ROOT:
	case PK_PIDDIR:
	case PK_TIDDIR:
		return S_IFDIR | 0555;
	case PK_SELF:
	case PK_THREADSELF:
		return S_IFLNK | 0777;
	case PK_FDOBJ:
		return S_IFIFO | 0600;
	case PK_FD:
		/* Linux: the owner's r-x for a readable file, -wx for a writable one. */
		f = proc_fd(p, fd);
		if (f && (f->f_flags & O_ACCMODE) != O_WRONLY)
			mode |= 0500;
		if (f && (f->f_flags & O_ACCMODE) != O_RDONLY)
			mode |= 0300;
		return mode;
	default:
		return e ? e->mode : S_IFREG | 0444;
	}
}

/* The node like's ids name, of kind (its fd for PK_FD and PK_FDOBJ, else 0). */
static int
pnode_get(int kind, const struct pnode *like, int fd, struct vnode **out)
{
	struct pnode *pn;

	if (kind == PK_ROOT) {
		pn = &proc_root;
	} else {
		pn = kzalloc(sizeof(*pn));
		if (pn == 0)
			return -ENOMEM;
		pn->pn_vnode.v_mount = &procfs_mount;
		pn->pn_vnode.v_mode = kind_mode(kind, proc_find(like->pn_pid), fd);
		pn->pn_vnode.v_ops = kind == PK_SELF || kind == PK_THREADSELF ? &plink_ops :
		    S_ISLNK(pn->pn_vnode.v_mode) ? &pmagic_ops : &pnode_ops;
		pn->pn_kind = kind;
		pn->pn_pid = like->pn_pid;
		pn->pn_tid = like->pn_tid;
		pn->pn_task = like->pn_task;
		pn->pn_fd = fd;
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

/* A decimal number without a leading zero, as a pid or fd is named; -1 if not. */
static int
name_number(const char *name, size_t len)
{
	uint64_t n = 0;
	size_t i;

	if (len == 0 || len > 9 || name[0] < '0' || name[0] > '9' || (name[0] == '0' && len > 1))
		return -1;
	for (i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		n = n * 10 + (name[i] - '0');
	}
	return (int)n;
}

/* The process of a process's node, if it and the thread seen through are still there. */
static struct proc *
pn_proc(const struct pnode *pn)
{
	struct proc *p = pn->pn_pid ? proc_find(pn->pn_pid) : 0;

	if (p && pn->pn_tid && !procfs_has_tid(p, pn->pn_tid))
		return 0;
	return p;
}

static int
pn_lookup(struct vnode *dir, const char *name, size_t len, struct vnode **out)
{
	struct pnode *d = (struct pnode *)dir, id = { .pn_pid = d->pn_pid };
	const struct pentry *e;
	struct thread *t;
	struct proc *p = 0;
	unsigned i;
	int n;

	if (name_is(name, len, "..")) {
		switch (d->pn_kind) {
		case PK_FDDIR:
			id = *d;
			return pnode_get(d->pn_task ? PK_TIDDIR : PK_PIDDIR, &id, 0, out);
		case PK_TASKDIR:
			id.pn_tid = d->pn_tid;
			return pnode_get(PK_PIDDIR, &id, 0, out);
		case PK_TIDDIR:
			return pnode_get(PK_TASKDIR, &id, 0, out);
		}
		e = fixed_entry(d->pn_kind);
		id.pn_pid = 0;
		return pnode_get(e ? e->parent : PK_ROOT, &id, 0, out);
	}
	/* A process's directories go with it, a thread's with the thread. */
	if (d->pn_pid) {
		p = pn_proc(d);
		if (p == 0)
			return -ENOENT;
	}
	for (i = 0; (e = fixed_child(d->pn_kind, i)) != 0; i++)
		if (name_is(name, len, e->name))
			return pnode_get(e->kind, d, 0, out);
	n = name_number(name, len);
	switch (d->pn_kind) {
	case PK_ROOT:
		if (name_is(name, len, "self"))
			return pnode_get(PK_SELF, &id, 0, out);
		if (name_is(name, len, "thread-self"))
			return pnode_get(PK_THREADSELF, &id, 0, out);
		if (n <= 0)
			return -ENOENT;
		if (proc_find(n) == 0) {
			/* Another thread's tid: its process, seen through it. */
			if ((t = thread_find(n)) == 0)
				return -ENOENT;
			id.pn_pid = t->t_proc->p_pid;
			id.pn_tid = n;
		} else {
			id.pn_pid = n;
		}
		return pnode_get(PK_PIDDIR, &id, 0, out);
	case PK_TASKDIR:
		if (n <= 0 || !procfs_has_tid(p, n))
			return -ENOENT;
		id.pn_tid = n;
		id.pn_task = 1;
		return pnode_get(PK_TIDDIR, &id, 0, out);
	case PK_FDDIR:
		if (proc_fd(p, n) == 0)
			return -ENOENT;
		return pnode_get(PK_FD, d, n, out);
	default:
		return -ENOENT;
	}
}

static int
pn_getattr(struct vnode *vn, struct kstat *st)
{
	struct pnode *pn = (struct pnode *)vn;
	struct proc *p;
	struct file *f;

	if (pn->pn_kind == PK_FDOBJ) {
		/* What the pipe's fstat says. */
		f = proc_fd(proc_find(pn->pn_pid), pn->pn_fd);
		if (f == 0 || f->f_vnode || f->f_ops->getattr == 0)
			return -ENOENT;
		return f->f_ops->getattr(f, st);
	}
	memset(st, 0, sizeof(*st));
	st->st_dev = PROCFS_DEV;
	st->st_ino = pn_ino(pn);
	st->st_nlink = S_ISDIR(vn->v_mode) ? 2 : 1;
	st->st_blksize = 1024;
	/* Linux's task_dump_owner: a process's files are its effective ids', root's if undumpable. */
	if (pn->pn_pid > 0 && (p = proc_find(pn->pn_pid)) != 0 && !p->p_undumpable) {
		st->st_uid = p->p_cred.c_euid;
		st->st_gid = p->p_cred.c_egid;
	}
	/* Linux gives /proc files size 0: readers read to the end. */
	st->st_mode = vn->v_mode;
	return 0;
}

/* The index-th fd open in p, or -1. */
static int
nth_fd(struct proc *p, uint64_t index)
{
	int fd;

	for (fd = 0; p && p->p_fdt && fd < p->p_fdt->fdt_size; fd++)
		if (p->p_fdt->fdt_files[fd] && index-- == 0)
			return fd;
	return -1;
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

/* The node's own listing, live (getcwd and path searches); open files list a snapshot. */
static int
pn_readdir(struct vnode *dir, uint64_t index, struct dirent_info *d)
{
	static char num[16];
	struct pnode *pn = (struct pnode *)dir;
	const struct pentry *e = fixed_child(pn->pn_kind, index);
	struct nth n = { 0, 0, 0 };
	uint64_t nfixed = 0;
	struct proc *p;
	int fd, tid;

	if (e) {
		d->d_name = e->name;
		d->d_ino = pino(e->kind, pn->pn_pid, pn->pn_tid, pn->pn_task, 0);
		d->d_mode = e->mode;
		return 1;
	}
	while (fixed_child(pn->pn_kind, nfixed))
		nfixed++;
	index -= nfixed;
	switch (pn->pn_kind) {
	case PK_ROOT:
		if (index < 2) {
			d->d_name = index == 0 ? "self" : "thread-self";
			d->d_ino = pino(index == 0 ? PK_SELF : PK_THREADSELF, 0, 0, 0, 0);
			d->d_mode = S_IFLNK;
			return 1;
		}
		n.want = index - 2;
		proc_foreach(nth_pid, &n);
		if (n.pid == 0)
			return 0;
		fmt_snprintf(num, sizeof(num), "%d", n.pid);
		d->d_name = num;
		d->d_ino = pino(PK_PIDDIR, n.pid, 0, 0, 0);
		d->d_mode = S_IFDIR;
		return 1;
	case PK_TASKDIR:
		p = pn_proc(pn);
		tid = p && index < PID_MAX ? procfs_nth_tid(p, (int)index) : 0;
		if (tid == 0)
			return 0;
		fmt_snprintf(num, sizeof(num), "%d", tid);
		d->d_name = num;
		d->d_ino = pino(PK_TIDDIR, pn->pn_pid, tid, 1, 0);
		d->d_mode = S_IFDIR;
		return 1;
	case PK_FDDIR:
		fd = nth_fd(pn_proc(pn), index);
		if (fd < 0)
			return 0;
		fmt_snprintf(num, sizeof(num), "%d", fd);
		d->d_name = num;
		d->d_ino = pino(PK_FD, pn->pn_pid, pn->pn_tid, pn->pn_task, fd);
		d->d_mode = S_IFLNK;
		return 1;
	default:
		return 0;
	}
}

static void
pn_inactive(struct vnode *vn)
{
	if (vn != &proc_root.pn_vnode)
		kfree(vn);
}

/* ---- links ---- */

/* A descriptor's target as Linux's d_path names it: a path, or "pipe:[ino]". */
static int64_t
fd_target(struct file *f, char *buf, uint64_t size)
{
	struct kstat st;

	if (f->f_vnode)
		return vfs_node_path(f->f_vnode, buf, size);
	if (f->f_ops->getattr && f->f_ops->getattr(f, &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO)
		return fmt_snprintf(buf, size, "pipe:[%lu]", st.st_ino);
	return fmt_snprintf(buf, size, "anon_inode:[unknown]");
}

static int64_t
pn_readlink(struct vnode *vn, char *buf, uint64_t len)
{
	struct pnode *pn = (struct pnode *)vn;
	struct proc *p = pn_proc(pn);
	struct file *f;
	char *t;
	int64_t r;

	if (pn->pn_kind == PK_SELF || pn->pn_kind == PK_THREADSELF) {
		if (pn->pn_kind == PK_SELF)
			r = fmt_snprintf(buf, len, "%d", curproc()->p_pid);
		else
			r = fmt_snprintf(buf, len, "%d/task/%d", curproc()->p_pid,
			    curthread()->t_tid);
		return MIN((uint64_t)r, len);
	}
	if (p == 0)
		return -ENOENT;
	t = kmalloc(VFS_PATH_MAX);
	if (t == 0)
		return -ENOMEM;
	switch (pn->pn_kind) {
	case PK_EXE:
		r = p->p_exe ? exeref_path(p->p_exe, t, VFS_PATH_MAX) : -ENOENT;
		break;
	case PK_CWD:
		r = p->p_as ? vfs_dir_path(p->p_cwd, t, VFS_PATH_MAX) : -ENOENT;
		break;
	case PK_FD:
		f = proc_fd(p, pn->pn_fd);
		r = f ? fd_target(f, t, VFS_PATH_MAX) : -ENOENT;
		break;
	default:
		r = -EINVAL;
		break;
	}
	if (r >= 0) {
		r = MIN((uint64_t)r, len);
		memcpy(buf, t, r);
	}
	kfree(t);
	return r;
}

static int
pn_follow_link(struct vnode *vn, struct vnode **out)
{
	struct pnode *pn = (struct pnode *)vn;
	struct proc *p = pn_proc(pn);
	struct vnode *t = 0;
	struct file *f;

	if (p == 0)
		return -ENOENT;
	switch (pn->pn_kind) {
	case PK_EXE:
		t = p->p_exe ? p->p_exe->er_file : 0;
		break;
	case PK_CWD:
		t = p->p_as ? (p->p_cwd ? p->p_cwd : vfs_root()) : 0;
		break;
	case PK_FD:
		f = proc_fd(p, pn->pn_fd);
		if (f && f->f_vnode == 0)
			return f->f_ops->reopen ? pnode_get(PK_FDOBJ, pn, pn->pn_fd, out) :
			    -ENXIO;
		t = f ? f->f_vnode : 0;
		break;
	}
	if (t == 0)
		return -ENOENT;
	vn_hold(t);
	*out = t;
	return 0;
}

/* ---- open files: the snapshot ---- */

/* An open file's snapshot: its text, or a directory's names (type char, name, NUL). */
struct ptext {
	char *pt_buf;
	uint64_t pt_len;
	int pt_isdir;
	int pt_pid;		/* comm's process */
};

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

	if (!t->pt_isdir)
		return 0;	/* a file's text is not a list of names */
	while (off < t->pt_len) {
		const char *s = t->pt_buf + off;

		if (index-- == 0) {
			d->d_name = s + 1;
			d->d_ino = 0x1000 + i0 + 2;	/* as getdents numbered them */
			d->d_mode = s[0] == 'd' ? S_IFDIR : s[0] == 'l' ? S_IFLNK : S_IFREG;
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

/*
 * A write to /proc/PID/comm names the process, as prctl(PR_SET_NAME): the
 * first 15 bytes, whatever they are (a newline too); only a process's own
 * comm (-EINVAL for another's).  The whole count is taken.
 */
static long
comm_write(struct file *f, uint64_t ubuf, uint64_t n)
{
	struct ptext *t = f->f_data;
	struct proc *p = proc_find(t->pt_pid);
	char name[PROC_NAME_MAX];

	memset(name, 0, sizeof(name));
	if (copyin(name, ubuf, MIN(n, sizeof(name) - 1)))
		return -EFAULT;
	if (p == 0)
		return -ESRCH;
	if (p != curproc())
		return -EINVAL;
	memcpy(p->p_name, name, sizeof(name));
	return n;
}

static const struct file_ops text_ops = {
	.read = text_read,
	.lseek = text_lseek,
	.readdir = text_readdir,
	.release = text_release,
};

static long
pde_write(struct file *f, uint64_t ubuf, uint64_t n)
{
	return -EIO;
}

static const struct file_ops text_pde_ops = {
	.read = text_read,
	.write = pde_write,
	.lseek = text_lseek,
	.readdir = text_readdir,
	.release = text_release,
};

static const struct file_ops comm_ops = {
	.read = text_read,
	.write = comm_write,
	.lseek = text_lseek,
	.release = text_release,
};

/* A directory's names now, as text_readdir lists them. */
static int
snapshot_dir(struct pnode *pn, struct ptext_buf *tb)
{
	struct dirent_info d;
	uint64_t i;

	for (i = 0; pn_readdir(&pn->pn_vnode, i, &d) == 1; i++) {
		uint64_t n = strlen(d.d_name) + 1;

		if (tb->tb_len + 1 + n > tb->tb_cap)
			return tb->tb_cap < LIST_MAX ? -ENOSPC : 0;	/* grow, or stop */
		tb->tb_buf[tb->tb_len++] = S_ISDIR(d.d_mode) ? 'd' : S_ISLNK(d.d_mode) ? 'l' : 'f';
		memcpy(tb->tb_buf + tb->tb_len, d.d_name, n);
		tb->tb_len += n;
	}
	return 0;
}

/* The snapshot: text or names, in a buffer grown until it fits. */
static int
make_snapshot(struct pnode *pn, struct ptext_buf *tb)
{
	struct proc *p = pn_proc(pn);
	uint64_t cap = TEXT_MIN;
	int r;

	if (pn->pn_pid && p == 0)
		return -ENOENT;
	for (;;) {
		tb->tb_buf = kmalloc(cap);
		tb->tb_cap = cap;
		tb->tb_len = 0;
		if (tb->tb_buf == 0)
			return -ENOMEM;
		if (S_ISDIR(pn->pn_vnode.v_mode))
			r = snapshot_dir(pn, tb);
		else
			r = procfs_text(pn->pn_kind, p, pn->pn_tid, pn->pn_task, tb);
		if (r == 0 && tb->tb_len < cap)
			return 0;
		kfree(tb->tb_buf);
		tb->tb_buf = 0;
		if (r != 0 && r != -ENOSPC)
			return r;
		cap = r ? cap * 2 : ROUNDUP(tb->tb_len + 1, TEXT_MIN);
	}
}

/* ---- cmdline and environ: read from the process's memory ---- */

struct argsfile {
	int af_pid;
	int af_env;		/* environ, not cmdline */
};

/* Up to n bytes of p's memory at va, page by page, out to ubuf: the count or -EFAULT. */
static long
mem_out(struct proc *p, uint64_t va, uint64_t ubuf, uint64_t n)
{
	char *page = kmalloc(PAGE_SIZE);
	uint64_t done = 0, got;
	long r = 0;

	if (page == 0)
		return -ENOMEM;
	while (done < n) {
		got = as_copyin(p->p_as, va + done, page, MIN(n - done, PAGE_SIZE));
		if (got == 0)
			break;
		r = copyout_partial(ubuf + done, page, got);
		if (r <= 0)
			break;
		done += r;
		if ((uint64_t)r < got)
			break;
	}
	kfree(page);
	return done ? (long)done : r < 0 ? r : 0;
}

/*
 * Linux's get_mm_cmdline: the bytes of [arg_start, arg_end), unless the
 * last of them is no longer a NUL (setproctitle wrote over it): then the
 * one string at arg_start, within a page, with its NUL.  environ is
 * [env_start, env_end).
 */
static long
args_read(struct file *f, uint64_t ubuf, uint64_t n)
{
	struct argsfile *a = f->f_data;
	struct proc *p = proc_find(a->af_pid);
	uint64_t start, end, env_start, env_end, pos = f->f_off, len, i;
	char c = 0, *page;
	long r;

	if (p == 0)
		return -ESRCH;
	if (p->p_as == 0)
		return 0;	/* a zombie: no memory */
	start = p->p_args.pa_arg_start;
	end = p->p_args.pa_arg_end;
	env_start = p->p_args.pa_env_start;
	env_end = p->p_args.pa_env_end;
	if (a->af_env) {
		if (pos >= env_end - env_start)
			return 0;
		r = mem_out(p, env_start + pos, ubuf, MIN(n, env_end - env_start - pos));
	} else {
		if (env_start != end || env_end < env_start)
			env_start = env_end = end;
		len = env_end - start;
		if (pos >= len)
			return 0;
		n = MIN(n, len - pos);
		if (end > start && as_copyin(p->p_as, end - 1, &c, 1) == 1 && c) {
			if (pos >= PAGE_SIZE || (page = kmalloc(PAGE_SIZE)) == 0)
				return pos >= PAGE_SIZE ? 0 : -ENOMEM;
			len = as_copyin(p->p_as, start, page, PAGE_SIZE);
			for (i = 0; i < len && page[i]; i++)
				;
			len = i < len ? i + 1 : len;	/* the NUL, if found */
			r = len > pos ? copyout_partial(ubuf, page + pos, MIN(len - pos, n)) : 0;
			kfree(page);
		} else {
			if (start + pos >= end)
				return 0;
			r = mem_out(p, start + pos, ubuf, MIN(n, end - start - pos));
		}
	}
	if (r > 0)
		f->f_off += r;
	return r;
}

static void
args_release(struct file *f)
{
	kfree(f->f_data);
}

static const struct file_ops args_ops = {
	.read = args_read,
	.lseek = file_lseek_sized,
	.release = args_release,
};

static int
pn_open(struct vnode *vn, struct file *f)
{
	struct pnode *pn = (struct pnode *)vn;
	int acc = f->f_flags & O_ACCMODE, r;
	struct argsfile *a;
	struct ptext_buf tb;
	struct ptext *t;
	struct file *src;

	if (pn->pn_kind == PK_FDOBJ) {
		/* A new end of the pipe; the open file is the pipe's, not this node's. */
		src = proc_fd(proc_find(pn->pn_pid), pn->pn_fd);
		if (src == 0 || src->f_vnode || src->f_ops->reopen == 0)
			return -ENOENT;
		r = src->f_ops->reopen(src, f);
		if (r == 0) {
			f->f_vnode = 0;
			vn_rele(vn);
		}
		return r;
	}
	/*
	 * Root may open any file for writing, as on Linux: a write to a
	 * process's file is then -EINVAL, to /proc's own -EIO (proc_reg_write);
	 * a read-only sysctl refuses even root (sysctl_perm).
	 */
	if (acc != O_RDONLY && pn->pn_kind >= PK_PIDMAX && pn->pn_kind <= PK_HOSTNAME)
		return -EACCES;
	if (pn->pn_kind == PK_CMDLINE || pn->pn_kind == PK_ENVIRON) {
		if (proc_find(pn->pn_pid) == 0)
			return -ENOENT;
		a = kzalloc(sizeof(*a));
		if (a == 0)
			return -ENOMEM;
		a->af_pid = pn->pn_pid;
		a->af_env = pn->pn_kind == PK_ENVIRON;
		f->f_ops = &args_ops;
		f->f_data = a;
		return 0;
	}
	t = kzalloc(sizeof(*t));
	if (t == 0)
		return -ENOMEM;
	r = make_snapshot(pn, &tb);
	if (r) {
		kfree(t);
		return r;
	}
	t->pt_buf = tb.tb_buf;
	t->pt_len = tb.tb_len;
	t->pt_isdir = S_ISDIR(vn->v_mode);
	t->pt_pid = pn->pn_pid;
	f->f_ops = pn->pn_kind == PK_COMM ? &comm_ops : pn->pn_pid ? &text_ops : &text_pde_ops;
	f->f_data = t;
	return 0;
}

/*
 * Linux's proc_fd_permission: a process's own descriptors are its own
 * even when its fd directory is root's (an undumpable process: one that
 * changed its ids).
 */
static int
pn_permission(struct vnode *vn, int mask)
{
	struct pnode *pn = (struct pnode *)vn;
	int r = vfs_generic_permission(vn, mask);

	if (r && pn->pn_kind == PK_FDDIR && pn->pn_pid == curproc()->p_pid)
		r = 0;
	return r;
}

static const struct vnode_ops pnode_ops = {
	.lookup = pn_lookup,
	.permission = pn_permission,
	.getattr = pn_getattr,
	.readdir = pn_readdir,
	.open = pn_open,
	.inactive = pn_inactive,
};

/* /proc/self: an ordinary symlink to the caller's pid. */
static const struct vnode_ops plink_ops = {
	.getattr = pn_getattr,
	.readlink = pn_readlink,
	.inactive = pn_inactive,
};

static const struct vnode_ops pmagic_ops = {
	.getattr = pn_getattr,
	.readlink = pn_readlink,
	.follow_link = pn_follow_link,
	.inactive = pn_inactive,
};

struct mount *
procfs_mount_point(void)
{
	procfs_mount.m_root = &proc_root.pn_vnode;
	return &procfs_mount;
}
