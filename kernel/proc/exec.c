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
    const char *path, const struct uelf *ue, uint64_t base, uint64_t *rsp)
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
	for (i = 0; i < argc; i++) {
		ptrs[1 + i] = k;
		memcpy(buf + (k - sp), argv[i], strlen(argv[i]) + 1);
		k += strlen(argv[i]) + 1;
	}
	for (i = 0; i < envc; i++) {
		ptrs[1 + argc + 1 + i] = k;
		memcpy(buf + (k - sp), envp[i], strlen(envp[i]) + 1);
		k += strlen(envp[i]) + 1;
	}
	memcpy(buf + (k - sp), path, strlen(path) + 1);

#define AUX(key, val)	do { aux[na++] = (key); aux[na++] = (val); } while (0)
	AUX(AT_PHDR, ue->ue_phdr ? ue->ue_phdr + base : 0);
	AUX(AT_PHENT, sizeof(Elf64_Phdr));
	AUX(AT_PHNUM, ue->ue_phnum);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_BASE, 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, ue->ue_entry + base);
	AUX(AT_UID, 0);
	AUX(AT_EUID, 0);
	AUX(AT_GID, 0);
	AUX(AT_EGID, 0);
	AUX(AT_HWCAP, 0);
	AUX(AT_CLKTCK, 100);
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, strp);
	AUX(AT_EXECFN, k);
#undef AUX
	ASSERT(na <= 2 * NAUX - 2);
	memcpy(&ptrs[1 + argc + 1 + envc + 1], aux, na * 8);
	/* The remaining slots are zero: AT_NULL. */

	err = as_map(as, top - USER_STACK_SIZE, USER_STACK_SIZE, VM_R | VM_W |
	    (ue->ue_exec_stack ? VM_X : 0), VK_STACK);
	if (err == 0)
		err = as_copyout(as, sp, buf, size);
	kfree(buf);
	*rsp = sp;
	return err;
}

int
exec_image(struct proc *p, const char *path, char *const argv[], char *const envp[])
{
	struct vnode *vn;
	struct kstat st;
	struct aspace *as, *old;
	struct uelf ue;
	uint64_t base, rsp;
	const char *name;
	char *image = 0;
	int err;

	err = namei(p->p_cwd, path, NAMEI_FOLLOW, &vn);
	if (err)
		return err;
	err = vfs_getattr(vn, &st);
	if (err == 0 && (!S_ISREG(st.st_mode) || !(st.st_mode & 0111)))
		err = -EACCES;	/* as Linux: not a regular, executable file */
	if (err == 0)
		err = read_image(vn, st.st_size, &image);
	vn_rele(vn);
	if (err)
		return err;
	if (uelf_check(image, st.st_size, &ue)) {
		kprintf("exec: %s: %s\n", path, ue.ue_why);
		kfree(image);
		return -ENOEXEC;
	}
	as = as_create();
	if (as == 0) {
		kfree(image);
		return -ENOMEM;
	}
	base = ue.ue_pie ? UELF_PIE_BASE : 0;
	err = load_segments(as, &ue, image, base);
	kfree(image);
	if (err == 0)
		err = build_stack(as, argv, envp, path, &ue, base, &rsp);
	if (err) {
		as_destroy(as);
		return err;
	}

	/* The point of no return. */
	old = p->p_as;
	p->p_as = as;
	if (p == curproc())
		as_activate(as);
	if (old) {
		cputime_keep_rss(p, old);
		as_destroy(old);
	}
	p->p_undumpable = 0;	/* a new image is dumpable (Linux's begin_new_exec) */
	proc_vfork_release(p);	/* a CLONE_VFORK parent goes on */
	/* Registers, TLS bases and FPU as a new program finds them. */
	arch_user_frame_init(p, ue.ue_entry + base, rsp);
	signal_exec_reset(p);
	file_close_on_exec(p);
	name = path;
	for (const char *s = path; *s; s++)
		if (*s == '/' && s[1])
			name = s + 1;
	memset(p->p_name, 0, sizeof(p->p_name));
	memcpy(p->p_name, name, MIN(strlen(name), sizeof(p->p_name) - 1));
	return 0;
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
