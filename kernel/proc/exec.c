/*
 * exec.c: execve: a static ELF from the initramfs into a new address space.
 *
 * The new address space is built completely (segments copied in, the stack
 * and its arguments written) before the old one is touched, so a failing
 * exec returns its error to a process that is still intact.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/exec.h>
#include <keel/file.h>
#include <keel/proc.h>
#include <keel/random.h>
#include <keel/cpio.h>
#include <keel/fs.h>
#include <keel/vfs.h>
#include <keel/uelf.h>
#include <keel/usercopy.h>
#include <keel/uvm.h>
#include <keel/kheap.h>
#include <lib/elf64.h>
#include <arch/arch.h>
#include <uapi/auxv.h>
#include <uapi/mount.h>

#define ARG_MAX		(128 * 1024)	/* argument and environment bytes */
/*
 * Pointers in argv plus envp: Linux limits only their bytes, and xargs
 * packs thousands of short words into one command.  As many as strings of
 * 3 bytes fill ARG_MAX; the vector with its two nulls is then 256 KiB.
 */
#define ARGV_MAX	(ARG_MAX / 4 - 2)

#define NAUX		18	/* the entries below plus AT_NULL, rounded up */

static uint32_t
seg_prot(uint32_t pf)
{
	return ((pf & PF_R) ? VM_R : 0) | ((pf & PF_W) ? VM_W : 0) |
	    ((pf & PF_X) ? VM_X : 0);
}

static int
load_segments(struct aspace *as, const struct uelf *ue, const char *file, uint64_t base)
{
	uint64_t prev_end = 0;
	int i, err;

	for (i = 0; i < ue->ue_nseg; i++) {
		const struct uelf_seg *s = &ue->ue_seg[i];
		uint64_t lo = ROUNDDOWN(s->us_vaddr + base, PAGE_SIZE);
		uint64_t hi = ROUNDUP(s->us_vaddr + base + s->us_memsz, PAGE_SIZE);
		uint32_t prot = seg_prot(s->us_flags);

		if (lo < prev_end) {
			/* A page shared with the previous segment gets both permissions. */
			struct vma *v = as_find(as, lo);

			err = as_protect(as, lo, PAGE_SIZE, (v ? v->v_prot : 0) | prot);
			if (err)
				return err;
			lo = prev_end;
		}
		if (hi > lo && (err = as_map(as, lo, hi - lo, prot, VK_IMAGE)))
			return err;
		err = as_copyout(as, s->us_vaddr + base, file + s->us_offset, s->us_filesz);
		if (err)
			return err;
		prev_end = MAX(prev_end, hi);
	}
	as->as_brk_base = as->as_brk = prev_end;
	return 0;
}

/*
 * The whole program file into a kernel buffer (kfree it): read through its
 * node, whatever file system it is on.
 */
static int
read_image(struct vnode *vn, uint64_t size, char **out)
{
	char *buf = kmalloc(size);
	uint64_t done = 0;
	int64_t r;

	if (buf == 0)
		return -ENOMEM;
	while (done < size) {
		r = vfs_read_kernel(vn, done, buf + done, size - done);
		if (r <= 0) {
			kfree(buf);
			return r ? (int)r : -EIO;
		}
		done += r;
	}
	*out = buf;
	return 0;
}

static uint64_t
count(char *const v[], uint64_t *bytes)
{
	uint64_t n = 0;

	for (; v && v[n]; n++)
		*bytes += strlen(v[n]) + 1;
	return n;
}

/*
 * The System V initial stack, from the top: AT_RANDOM's 16 bytes, the
 * strings, then (16-byte aligned at argc) argc, argv[], 0, envp[], 0, auxv.
 */
static int
build_stack(struct aspace *as, char *const argv[], char *const envp[],
    const char *path, const struct uelf *ue, uint64_t base, uint64_t *rsp,
    struct proc_args *pa, uint64_t stack_size, const struct cred *cr, int secure)
{
	uint64_t strbytes = 16, argc, envc, nptr, sp, top = USER_STACK_TOP;
	uint64_t *ptrs, strp, i, k, size;
	uint64_t aux[2 * NAUX];
	char *buf;
	int err, na = 0;

	argc = count(argv, &strbytes);
	envc = count(envp, &strbytes);
	strbytes += strlen(path) + 1;
	if (strbytes > ARG_MAX || argc + envc > ARGV_MAX)
		return -E2BIG;
	nptr = 1 + argc + 1 + envc + 1 + 2 * NAUX;
	sp = ROUNDDOWN(top - strbytes, 16) - nptr * 8;
	sp = ROUNDDOWN(sp, 16);
	size = top - sp;
	buf = kzalloc(size);
	if (buf == 0)
		return -ENOMEM;
	ptrs = (uint64_t *)buf;

	/* Strings, upwards from just above the pointers. */
	strp = top - strbytes;
	random_bytes(buf + (strp - sp), 16);	/* AT_RANDOM */
	k = strp + 16;
	ptrs[0] = argc;
	pa->pa_arg_start = k;
	for (i = 0; i < argc; i++) {
		ptrs[1 + i] = k;
		memcpy(buf + (k - sp), argv[i], strlen(argv[i]) + 1);
		k += strlen(argv[i]) + 1;
	}
	pa->pa_arg_end = pa->pa_env_start = k;
	for (i = 0; i < envc; i++) {
		ptrs[1 + argc + 1 + i] = k;
		memcpy(buf + (k - sp), envp[i], strlen(envp[i]) + 1);
		k += strlen(envp[i]) + 1;
	}
	pa->pa_env_end = k;
	memcpy(buf + (k - sp), path, strlen(path) + 1);

#define AUX(key, val)	do { aux[na++] = (key); aux[na++] = (val); } while (0)
	AUX(AT_PHDR, ue->ue_phdr ? ue->ue_phdr + base : 0);
	AUX(AT_PHENT, sizeof(Elf64_Phdr));
	AUX(AT_PHNUM, ue->ue_phnum);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_BASE, 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, ue->ue_entry + base);
	AUX(AT_UID, cr->c_uid);
	AUX(AT_EUID, cr->c_euid);
	AUX(AT_GID, cr->c_gid);
	AUX(AT_EGID, cr->c_egid);
	AUX(AT_HWCAP, 0);
	AUX(AT_CLKTCK, 100);
	AUX(AT_SECURE, secure);
	AUX(AT_RANDOM, strp);
	AUX(AT_EXECFN, k);
#undef AUX
	ASSERT(na <= 2 * NAUX - 2);
	memcpy(&ptrs[1 + argc + 1 + envc + 1], aux, na * 8);
	/* The remaining slots are zero: AT_NULL. */

	err = as_map(as, top - stack_size, stack_size, VM_R | VM_W |
	    (ue->ue_exec_stack ? VM_X : 0), VK_STACK);
	if (err == 0)
		err = as_copyout(as, sp, buf, size);
	kfree(buf);
	*rsp = pa->pa_start_stack = sp;
	return err;
}

/*
 * A program file: regular, executable by the caller (root: by someone)
 * and not on a noexec mount, as Linux's do_open_execat wants.
 */
static int
exec_open(struct vnode *cwd, const char *path, struct vnode **vn, struct kstat *st)
{
	int err = namei(cwd, path, NAMEI_FOLLOW, vn);

	if (err)
		return err;
	err = vfs_getattr(*vn, st);
	if (err == 0 && (!S_ISREG(st->st_mode) || ((*vn)->v_mount->m_flags & MS_NOEXEC)))
		err = -EACCES;	/* as Linux: not a regular, executable file */
	if (err == 0)
		err = vfs_permission(*vn, MAY_EXEC);
	if (err)
		vn_rele(*vn);
	return err;
}

static int
spacetab(char c)
{
	return c == ' ' || c == '\t';
}

/* The first byte of [s, last] that is not a space or tab, or 0. */
static char *
skip_spacetab(char *s, char *last)
{
	for (; s <= last; s++)
		if (!spacetab(*s))
			return s;
	return 0;
}

/* The first space, tab or NUL of [s, last], or 0. */
static char *
find_terminator(char *s, char *last)
{
	for (; s <= last; s++)
		if (spacetab(*s) || *s == 0)
			return s;
	return 0;
}

/*
 * A "#!" line, parsed in place as Linux's load_script does it: the
 * interpreter's name and at most one argument (the rest of the line,
 * spaces inside it kept).  buf holds the file's first BINPRM_BUF_SIZE
 * bytes, zero-padded, and one more NUL.  An interpreter name that may be
 * cut short by the buffer's end (no newline, no blank after it) is
 * -ENOEXEC: a truncated argument is fine, the interpreter rereads the line.
 */
static int
parse_shebang(char *buf, char **name, char **arg)
{
	char *last = buf + BINPRM_BUF_SIZE - 1, *end, *sep;

	for (end = buf; end <= last && *end != '\n'; end++)
		;
	if (end > last) {
		end = skip_spacetab(buf + 2, last);
		if (end == 0 || find_terminator(end, last) == 0)
			return -ENOEXEC;
		end = last;
	}
	while (spacetab(end[-1]))
		end--;
	*name = skip_spacetab(buf + 2, end);
	if (*name == 0 || *name == end)
		return -ENOEXEC;
	*arg = 0;
	sep = find_terminator(*name, end);
	if (sep && *sep)
		*arg = skip_spacetab(sep, end);
	*end = 0;
	if (*arg)
		*sep = 0;
	return 0;
}

/*
 * The program's argv after a script: the interpreter, its argument if
 * any, the script's path in place of argv[0], then argv[1] on (Linux's
 * remove_arg_zero: an empty argv loses nothing).  A new array (kfree it).
 */
static char **
script_argv(char *const argv[], const char *name, const char *arg, const char *script)
{
	uint64_t n = 0, i, k = 0;
	char **v;

	while (argv[n])
		n++;
	v = kmalloc((n + 4) * sizeof(*v));
	if (v == 0)
		return 0;
	v[k++] = (char *)name;
	if (arg)
		v[k++] = (char *)arg;
	v[k++] = (char *)script;
	for (i = 1; i < n; i++)
		v[k++] = argv[i];
	v[k] = 0;
	return v;
}

/*
 * What exec finds behind a path: scripts followed to their interpreter
 * (binfmt_script), at most EXEC_MAX_DEPTH - 1 of them in a chain as
 * Linux's exec_binprm allows, the ELF image read whole.  Holds the
 * strings the new argv points to.
 */
struct binprm {
	char bp_head[EXEC_MAX_DEPTH][BINPRM_BUF_SIZE + 1];	/* "#!" lines */
	char **bp_argv;			/* the current argv, when rewritten */
	const char *bp_file;		/* the program file found last */
	struct vnode *bp_vn;		/* ... its node, held */
	struct kstat bp_st;
};

static int
find_program(struct binprm *bp, struct vnode *cwd, const char *path, char *const argv[])
{
	char *const *av = argv;
	char *name, *arg, **nv;
	int64_t r;
	int depth, err;

	bp->bp_argv = 0;
	bp->bp_file = path;
	err = exec_open(cwd, path, &bp->bp_vn, &bp->bp_st);
	for (depth = 0; err == 0; depth++) {
		char *head;

		/* Linux's exec_binprm: depth > 5 is -ELOOP (a script run by itself). */
		if (depth >= EXEC_MAX_DEPTH) {
			err = -ELOOP;
			goto held;
		}
		head = bp->bp_head[depth];
		memset(head, 0, BINPRM_BUF_SIZE + 1);
		r = vfs_read_kernel(bp->bp_vn, 0, head,
		    MIN((uint64_t)bp->bp_st.st_size, BINPRM_BUF_SIZE));
		if (r < 0) {
			err = (int)r;
			goto held;
		}
		if (head[0] != '#' || head[1] != '!')
			return 0;	/* not a script: the ELF loader decides */
		err = parse_shebang(head, &name, &arg);
		if (err)
			goto held;
		nv = script_argv(av, name, arg, bp->bp_file);
		if (nv == 0) {
			err = -ENOMEM;
			goto held;
		}
		kfree(bp->bp_argv);
		bp->bp_argv = nv;
		av = nv;
		bp->bp_file = name;
		vn_rele(bp->bp_vn);
		/* The interpreter is found from the working directory, as any path. */
		err = exec_open(cwd, name, &bp->bp_vn, &bp->bp_st);
	}
	return err;
held:
	vn_rele(bp->bp_vn);
	return err;
}

/*
 * As Linux's exec_mm_release: the thread's robust futexes are released,
 * and its CLONE_CHILD_CLEARTID word cleared and woken if another process
 * shares the old memory (a CLONE_VM parent waiting on it).
 */
static void
exec_thread_release(struct thread *t)
{
	uint32_t zero = 0;

	futex_exit_robust(t);
	t->t_robust_list = 0;
	if (t->t_clear_tid && t->t_proc->p_as->as_refs > 1 &&
	    copyout(t->t_clear_tid, &zero, sizeof(zero)) == 0)
		futex_wake(t->t_proc->p_as, t->t_clear_tid, 1, ~0U);
	t->t_clear_tid = 0;
}

/*
 * The stack's region: RLIMIT_STACK as exec finds it (Linux grows the
 * stack on demand up to it; keel maps the whole region, whose pages come
 * on first touch), at least 128 KiB, and no deeper than the gap above
 * the mmap area, less a guard page.
 */
static uint64_t
stack_size(const struct proc *p)
{
	uint64_t lim = p->p_rlim[RLIMIT_STACK].rlim_cur;

	lim = MIN(lim, USER_STACK_TOP - USER_MMAP_TOP - PAGE_SIZE);
	return ROUNDUP(MAX(lim, (uint64_t)128 * 1024), PAGE_SIZE);
}

int
exec_image(struct proc *p, const char *path, char *const argv[], char *const envp[])
{
	static char *const empty_argv[] = { "", 0 };
	struct binprm *bp;
	struct aspace *as, *old;
	struct thread *t;
	struct exeref *exe = 0;
	struct proc_args pa;
	struct uelf ue;
	struct cred cr;
	uint64_t base, rsp, size;
	int secure;
	const char *name;
	char *image = 0;
	int err;

	/* Linux 5.18 on: an empty argv becomes { "" } (argc is never 0). */
	if (argv == 0 || argv[0] == 0)
		argv = empty_argv;
	bp = kmalloc(sizeof(*bp));
	if (bp == 0)
		return -ENOMEM;
	err = find_program(bp, p->p_cwd, path, argv);
	if (err)
		goto out;
	if (bp->bp_argv)
		argv = bp->bp_argv;
	size = bp->bp_st.st_size;
	/* The ids the new image runs with, from the program file found last. */
	cr = p->p_cred;
	cred_exec(&cr, p->p_no_new_privs, &bp->bp_st,
	    (bp->bp_vn->v_mount->m_flags & MS_NOSUID) != 0, &secure);
	exe = exeref_make(p->p_cwd, bp->bp_file, bp->bp_vn);
	err = exe ? read_image(bp->bp_vn, size, &image) : -ENOMEM;
	vn_rele(bp->bp_vn);
	if (err)
		goto out;
	if (uelf_check(image, size, &ue)) {
		kprintf("exec: %s: %s\n", bp->bp_file, ue.ue_why);
		err = -ENOEXEC;
		goto out;
	}
	as = as_create();
	if (as == 0) {
		err = -ENOMEM;
		goto out;
	}
	base = ue.ue_pie ? UELF_PIE_BASE : 0;
	err = load_segments(as, &ue, image, base);
	kfree(image);
	image = 0;
	if (err == 0)
		err = build_stack(as, argv, envp, path, &ue, base, &rsp, &pa, stack_size(p),
		    &cr, secure);
	if (err) {
		as_destroy(as);
		goto out;
	}

	/* The other threads end first: a failure here leaves them running. */
	if (p == curproc() && (err = proc_exec_single()) != 0) {
		as_destroy(as);
		goto out;
	}
	/* The point of no return. */
	t = p->p_threads;
	if (p == curproc())
		exec_thread_release(t);
	old = p->p_as;
	p->p_as = as;
	if (p == curproc())
		as_activate(as);
	if (old) {
		cputime_keep_rss(p, old);
		as_rele(old);	/* a CLONE_VM parent keeps its own */
	}
	/* A new image is dumpable (Linux's begin_new_exec), unless its ids changed. */
	p->p_undumpable = cr.c_euid != p->p_cred.c_uid || cr.c_egid != p->p_cred.c_gid;
	p->p_cred = cr;	/* the same group list, ids as cred_exec made them */
	proc_vfork_release(p);	/* a CLONE_VFORK parent goes on */
	/* Registers, TLS bases and FPU as a new program finds them. */
	arch_user_frame_init(t, ue.ue_entry + base, rsp);
	signal_exec_reset(t);
	file_close_on_exec(p);
	exeref_rele(p->p_exe);
	p->p_exe = exe;
	exe = 0;
	p->p_args = pa;
	/* The name is the script's, as Linux's comm: the path execve was given. */
	name = path;
	for (const char *s = path; *s; s++)
		if (*s == '/' && s[1])
			name = s + 1;
	memset(p->p_name, 0, sizeof(p->p_name));
	memcpy(p->p_name, name, MIN(strlen(name), sizeof(p->p_name) - 1));
out:
	exeref_rele(exe);
	kfree(image);
	kfree(bp->bp_argv);
	kfree(bp);
	return err;
}

/*
 * Copy a user argv or envp into buf; the pointer array goes to *vec.  Its
 * pointers are ptrsize bytes: 8, or 4 for the i386 ABI's execve (int $0x80).
 */
static long
copy_strings(uint64_t uvec, int ptrsize, char **vec, uint64_t *nvec, char *buf,
    uint64_t *used)
{
	uint64_t uptr;
	long n;

	if (uvec == 0)
		return 0;	/* Linux accepts a null argv or envp as empty */
	for (;; uvec += ptrsize) {
		if (*nvec >= ARGV_MAX)
			return -E2BIG;
		uptr = 0;
		if (copyin(&uptr, uvec, ptrsize))
			return -EFAULT;
		if (uptr == 0)
			return 0;
		n = copyin_str(buf + *used, uptr, ARG_MAX - *used, -E2BIG);
		if (n < 0)
			return n;
		vec[(*nvec)++] = buf + *used;
		*used += n + 1;
	}
}

static long
execve_common(uint64_t upath, uint64_t uargv, uint64_t uenvp, int ptrsize)
{
	char *path = kmalloc(VFS_PATH_MAX), *buf = kmalloc(ARG_MAX);
	char **vec = kmalloc((ARGV_MAX + 2) * sizeof(char *));
	uint64_t nvec = 0, used = 0, argc;
	long err;

	if (path == 0 || buf == 0 || vec == 0) {
		err = -ENOMEM;
		goto out;
	}
	err = copyin_str(path, upath, VFS_PATH_MAX, -ENAMETOOLONG);
	if (err < 0)
		goto out;
	err = copy_strings(uargv, ptrsize, vec, &nvec, buf, &used);
	if (err)
		goto out;
	argc = nvec;
	vec[nvec++] = 0;
	err = copy_strings(uenvp, ptrsize, vec, &nvec, buf, &used);
	if (err)
		goto out;
	vec[nvec] = 0;
	err = exec_image(curproc(), path, vec, vec + argc + 1);
out:
	kfree(path);
	kfree(buf);
	kfree(vec);
	return err;
}

long
sys_execve(uint64_t upath, uint64_t uargv, uint64_t uenvp)
{
	return execve_common(upath, uargv, uenvp, 8);
}

/* int $0x80's execve (i386 number 11): 32-bit pointers in argv and envp. */
long
sys_execve32(uint64_t upath, uint64_t uargv, uint64_t uenvp)
{
	return execve_common(upath, uargv, uenvp, 4);
}

struct exeref *
exeref_make(struct vnode *cwd, const char *path, struct vnode *file)
{
	struct exeref *e = kzalloc(sizeof(*e));

	if (e == 0)
		return 0;
	e->er_refs = 1;
	e->er_file = file;
	vn_hold(file);
	/* Without a directory the path reads as the bare name (never expected). */
	if (vfs_locate(cwd, path, &e->er_dir, e->er_name) != 0)
		e->er_dir = 0;
	return e;
}

struct exeref *
exeref_hold(struct exeref *e)
{
	if (e)
		ref_inc(&e->er_refs);
	return e;
}

void
exeref_rele(struct exeref *e)
{
	if (e == 0 || ref_dec(&e->er_refs) > 0)
		return;
	vn_rele(e->er_file);
	if (e->er_dir)
		vn_rele(e->er_dir);
	kfree(e);
}

int64_t
exeref_path(struct exeref *e, char *buf, uint64_t size)
{
	static const char deleted[] = " (deleted)";
	uint64_t n = strlen(e->er_name), len = 0;
	struct vnode *vn;
	int64_t r;
	int gone = 1;

	if (e->er_dir) {
		r = vfs_dir_path(e->er_dir, buf, size);
		if (r < 0)
			return r;
		len = r;
		if (e->er_dir->v_ops->lookup &&
		    e->er_dir->v_ops->lookup(e->er_dir, e->er_name, n, &vn) == 0) {
			gone = vn != e->er_file;
			vn_rele(vn);
		}
	}
	if (len + 1 + n + sizeof(deleted) > size)
		return -ENAMETOOLONG;
	if (len != 1)
		buf[len++] = '/';
	memcpy(buf + len, e->er_name, n);
	len += n;
	if (gone) {
		memcpy(buf + len, deleted, sizeof(deleted));
		len += sizeof(deleted) - 1;
	}
	buf[len] = 0;
	return len;
}
