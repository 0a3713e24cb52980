/*
 * sys_mem.c: brk, mmap, munmap, mprotect, madvise, mremap, msync and
 * mincore, with Linux's argument checks.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/file.h>
#include <keel/proc.h>
#include <keel/sysproc.h>
#include <keel/usercopy.h>
#include <keel/uvm.h>
#include <keel/vmobj.h>
#include <uapi/mman.h>

/* Region permissions are PROT_ bits: as_map and as_protect take them as they are. */
#define PROT_ALL	(PROT_READ | PROT_WRITE | PROT_EXEC)
_Static_assert(VM_R == PROT_READ && VM_W == PROT_WRITE && VM_X == PROT_EXEC, "VM_ = PROT_");

long
sys_brk(uint64_t addr)
{
	return as_set_brk(curproc()->p_as, addr);
}

/*
 * The checks come in Linux's order (sys_mmap, do_mmap, get_unmapped_area),
 * so a call with several things wrong fails with the errno Linux gives.
 * Unknown prot bits are ignored, as do_mmap does.
 */
long
sys_mmap(uint64_t addr, uint64_t len, int prot, int flags, int fd, int64_t off)
{
	struct aspace *as = curproc()->p_as;
	struct file *f = 0;
	uint64_t start;
	int err, anon;

	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS) && (f = fd_file(fd)) == 0)
		return -EBADF;
	if (len == 0)
		return -EINVAL;
	len = ROUNDUP(len, PAGE_SIZE);
	if (len == 0 || len > USER_TOP)
		return -ENOMEM;
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr > USER_TOP - len)
			return -ENOMEM;
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if (addr < USER_BASE)
			return -EPERM;	/* below mmap_min_addr */
		start = addr;
		if ((flags & MAP_FIXED_NOREPLACE) && !as_range_free(as, start, len))
			return -EEXIST;
	} else {
		/* A hint is used when that range is free. */
		start = ROUNDDOWN(addr, PAGE_SIZE);
		if (start < USER_BASE || start >= USER_MMAP_TOP ||
		    len > USER_MMAP_TOP - start || !as_range_free(as, start, len))
			start = as_find_gap(as, len);
		if (start == 0)
			return -ENOMEM;
	}
	if (f) {
		int type = flags & MAP_TYPE, acc = f->f_flags & O_ACCMODE;

		if (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE)
			return -EINVAL;
		/*
		 * do_mmap: a shared writable mapping needs the file open for
		 * writing, any mapping needs it open for reading, and only then
		 * does the file's kind count (shared file mappings are not
		 * supported: -ENODEV, as for a file that cannot be mapped).
		 */
		if (type != MAP_PRIVATE && (prot & VM_W) && acc != O_WRONLY && acc != O_RDWR)
			return -EACCES;
		if (acc != O_RDONLY && acc != O_RDWR)
			return -EACCES;
		if (f->f_ops->f_mmap_anon)
			type = type == MAP_PRIVATE ? MAP_PRIVATE : MAP_SHARED;
		else if (type != MAP_PRIVATE || f->f_ops->mmap == 0)
			return -ENODEV;
		flags = (flags & ~MAP_TYPE) | type;
	} else if ((flags & MAP_TYPE) != MAP_PRIVATE && (flags & MAP_TYPE) != MAP_SHARED) {
		return -EINVAL;		/* MAP_SHARED_VALIDATE too, in 6.1 */
	}
	anon = f == 0 || f->f_ops->f_mmap_anon;
	if ((flags & MAP_FIXED) && !(flags & MAP_FIXED_NOREPLACE))
		as_unmap(as, start, len);
	if (anon && (flags & MAP_TYPE) == MAP_SHARED) {
		/*
		 * Shared anonymous: a memory object of the mapping's size
		 * (vmobj.h).  A /dev/zero mapping keeps its offset as the
		 * object's first page, as Linux's shmem_zero_setup does.
		 */
		struct vmobj *o = vmobj_create(len >> PAGE_SHIFT);

		if (o == 0)
			return -ENOMEM;
		err = as_map_shared(as, start, len, prot & PROT_ALL, o, f ? off >> PAGE_SHIFT : 0);
		vmobj_rele(o);
		return err ? err : (long)start;
	}
	err = as_map(as, start, len, prot & PROT_ALL, anon ? VK_ANON : VK_FILE);
	if (err)
		return err;
	if (!anon && (err = f->f_ops->mmap(f, as, start, len, off)) != 0) {
		as_unmap(as, start, len);
		return err;
	}
	return start;
}

/* What is below USER_BASE was never mapped: unmapping it is a no-op. */
long
sys_munmap(uint64_t addr, uint64_t len)
{
	return as_munmap(curproc()->p_as, addr, len);
}

long
sys_mprotect(uint64_t addr, uint64_t len, int prot)
{
	uint64_t end;

	if ((prot & (PROT_GROWSDOWN | PROT_GROWSUP)) == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	prot &= ~(PROT_GROWSDOWN | PROT_GROWSUP);
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (len == 0)
		return 0;
	len = ROUNDUP(len, PAGE_SIZE);
	end = addr + len;
	if (end <= addr)
		return -ENOMEM;
	if (prot & ~(PROT_ALL | PROT_SEM))
		return -EINVAL;
	/* Nothing is mapped outside [USER_BASE, USER_TOP). */
	if (addr < USER_BASE || end > USER_TOP)
		return -ENOMEM;
	return as_protect(curproc()->p_as, addr, len, prot & PROT_ALL);
}

/* The advice values Linux 6.1 accepts (madvise_behavior_valid). */
#define MADV_LAST	MADV_DONTNEED_LOCKED

long
sys_madvise(uint64_t addr, uint64_t len, int advice)
{
	uint64_t end;

	if (advice < 0 || advice > MADV_LAST || (advice > MADV_DONTNEED && advice < MADV_FREE))
		return -EINVAL;
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	end = addr + ROUNDUP(len, PAGE_SIZE);
	if (len != 0 && end == addr)
		return -EINVAL;
	if (end < addr)
		return -EINVAL;
	if (end == addr)
		return 0;
	/* Nothing is mapped outside [USER_BASE, USER_TOP). */
	if (addr < USER_BASE || end > USER_TOP)
		return -ENOMEM;
	return as_advise(curproc()->p_as, addr, end, advice);
}

long
sys_mremap(uint64_t addr, uint64_t old_len, uint64_t new_len, int flags, uint64_t new_addr)
{
	if (flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	/* DONTUNMAP always moves, and never resizes. */
	if ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	old_len = ROUNDUP(old_len, PAGE_SIZE);
	new_len = ROUNDUP(new_len, PAGE_SIZE);
	if (new_len == 0)
		return -EINVAL;
	return as_remap(curproc()->p_as, addr, old_len, new_len, flags, new_addr);
}

/*
 * Anonymous memory and private copies of files have nothing to write back:
 * msync only checks that the range is mapped (-ENOMEM for a hole, found at
 * once with MS_ASYNC alone, as Linux's loop does).
 */
long
sys_msync(uint64_t start, uint64_t len, int flags)
{
	struct vma *v;
	uint64_t end;
	int hole = 0;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	len = ROUNDUP(len, PAGE_SIZE);
	end = start + len;
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;
	for (v = curproc()->p_as->as_vmas; v && v->v_end <= start; v = v->v_next)
		;
	for (;;) {
		if (v == 0)
			return -ENOMEM;
		if (start < v->v_start) {
			if (flags == MS_ASYNC)
				return -ENOMEM;
			start = v->v_start;
			if (start >= end)
				return -ENOMEM;
			hole = 1;
		}
		start = v->v_end;
		if (start >= end)
			return hole ? -ENOMEM : 0;
		v = v->v_next;
	}
}

/*
 * A page at a time into a buffer, copied out region by region: what was
 * done before a hole is in vec when -ENOMEM comes back, as on Linux.
 */
long
sys_mincore(uint64_t start, uint64_t len, uint64_t vec)
{
	unsigned char buf[256];
	uint64_t pages;
	long n;

	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!user_range_ok(start, len))
		return -ENOMEM;
	pages = (len >> PAGE_SHIFT) + ((len & (PAGE_SIZE - 1)) != 0);
	if (!user_range_ok(vec, pages))
		return -EFAULT;
	while (pages > 0) {
		n = as_mincore(curproc()->p_as, start, MIN(pages, sizeof(buf)), buf);
		if (n < 0)
			return n;
		if (copyout(vec, buf, n))
			return -EFAULT;
		pages -= n;
		vec += n;
		start += n << PAGE_SHIFT;
	}
	return 0;
}
