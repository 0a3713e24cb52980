/*
 * sys_mem.c: brk, mmap, munmap, mprotect, with Linux's argument checks.
 */
#include "kernel.h"
#include "errno.h"
#include "file.h"
#include "proc.h"
#include "ramfs.h"
#include "sysproc.h"
#include "uvm.h"

#define MAP_SHARED		0x01
#define MAP_PRIVATE		0x02
#define MAP_TYPE		0x0f
#define MAP_FIXED		0x10
#define MAP_ANONYMOUS		0x20
#define MAP_FIXED_NOREPLACE	0x100000
#define PROT_ALL		(VM_R | VM_W | VM_X)

long
sys_brk(uint64_t addr)
{
	return as_set_brk(curproc()->p_as, addr);
}

long
sys_mmap(uint64_t addr, uint64_t len, int prot, int flags, int fd, int64_t off)
{
	struct aspace *as = curproc()->p_as;
	struct file *f = 0;
	uint64_t start;
	int err;

	if (len == 0 || (prot & ~PROT_ALL) || (off & (PAGE_SIZE - 1)))
		return -EINVAL;
	if ((flags & MAP_TYPE) != MAP_PRIVATE)
		return (flags & MAP_TYPE) == MAP_SHARED ? -ENODEV : -EINVAL;
	if (len > USER_TOP)
		return -ENOMEM;
	len = ROUNDUP(len, PAGE_SIZE);
	if (!(flags & MAP_ANONYMOUS)) {
		f = file_get(fd);
		if (f == 0)
			return -EBADF;
		if (f->f_type != FT_NODE || !S_ISREG(f->f_node->rn_mode))
			return -ENODEV;
	}
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if (addr < USER_BASE || addr >= USER_TOP || len > USER_TOP - addr)
			return -ENOMEM;
		start = addr;
		if (flags & MAP_FIXED_NOREPLACE) {
			uint64_t va;

			for (va = start; va < start + len; va += PAGE_SIZE)
				if (as_find(as, va))
					return -EEXIST;
		} else {
			as_unmap(as, start, len);
		}
	} else {
		/* A hint is used when that range is free. */
		start = ROUNDDOWN(addr, PAGE_SIZE);
		if (start < USER_BASE || start >= USER_MMAP_TOP || len > USER_MMAP_TOP - start ||
		    as_find(as, start) || as_find(as, start + len - 1))
			start = as_find_gap(as, len);
		if (start == 0)
			return -ENOMEM;
	}
	err = as_map(as, start, len, prot, VK_ANON);
	if (err == -EEXIST)
		return -ENOMEM;	/* a region inside the hinted range */
	if (err)
		return err;
	if (f && (uint64_t)off < f->f_node->rn_size) {
		uint64_t n = MIN(len, f->f_node->rn_size - off);

		err = as_copyout(as, start, (const char *)f->f_node->rn_data + off, n);
		if (err) {
			as_unmap(as, start, len);
			return err;
		}
	}
	return start;
}

long
sys_munmap(uint64_t addr, uint64_t len)
{
	if ((addr & (PAGE_SIZE - 1)) || len == 0 || addr >= USER_TOP ||
	    ROUNDUP(len, PAGE_SIZE) > USER_TOP - addr)
		return -EINVAL;
	if (addr < USER_BASE)
		return -EINVAL;
	return as_unmap(curproc()->p_as, addr, len);
}

long
sys_mprotect(uint64_t addr, uint64_t len, int prot)
{
	if ((addr & (PAGE_SIZE - 1)) || (prot & ~PROT_ALL))
		return -EINVAL;
	if (len == 0)
		return 0;
	if (addr < USER_BASE || addr >= USER_TOP || ROUNDUP(len, PAGE_SIZE) > USER_TOP - addr)
		return -ENOMEM;
	return as_protect(curproc()->p_as, addr, len, prot);
}

#define MADV_DONTNEED	4
#define MADV_FREE	8

long
sys_madvise(uint64_t addr, uint64_t len, int advice)
{
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (len == 0)
		return 0;
	if (addr >= USER_TOP || ROUNDUP(len, PAGE_SIZE) > USER_TOP - addr)
		return -EINVAL;
	/* Both may drop the pages; the rest are hints that change nothing here. */
	if (advice == MADV_DONTNEED || advice == MADV_FREE)
		return as_discard(curproc()->p_as, addr, len);
	return 0;
}
