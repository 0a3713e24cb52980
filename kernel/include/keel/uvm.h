/*
 * uvm.h: user address spaces.
 *
 * An address space is a PML4 whose upper 256 entries are copies of the
 * kernel's (vm.h: shared by construction) and whose lower half is private,
 * plus a sorted list of regions (vmas) saying what may be there.  Pages are
 * made on first touch (demand zero) and shared copy-on-write after fork;
 * the page-fault handler (as_fault) consults the vmas, so an access outside
 * any region, or against its permissions, becomes SIGSEGV.
 *
 * A shared region (MAP_SHARED|MAP_ANONYMOUS) maps pages of a vmobj
 * (vmobj.h): its entries are never copy-on-write, fork gives the child the
 * same frames writable, and a page is found in the object on first touch.
 *
 * An address space is self-contained: nothing here knows which processes
 * (or, later, threads) run in it.
 *
 * Locking: as_lock (a spinlock, class "aspace": after the kernel lock,
 * before kheap, pmm and tlb) covers the page tables of the lower half, the
 * region list and the counts.  Every function here that changes them, or
 * walks the page tables, takes it; the kernel lock is held too, except by
 * as_fault_lockless, the page-fault path that runs without it and only
 * adds pages to private regions.  So the region list changes only under
 * both locks, and a caller holding the kernel lock may read it (as_find,
 * as_find_gap, as_range_free, as_covered) without as_lock.
 */
#ifndef UVM_H
#define UVM_H

#include <stdint.h>
#include <shared/layout.h>
#include <keel/spinlock.h>

/* Region permissions: Linux's PROT_* values. */
#define VM_R		1
#define VM_W		2
#define VM_X		4

/* What a region is for (brk grows only the heap). */
#define VK_IMAGE	1
#define VK_HEAP		2
#define VK_STACK	3
#define VK_ANON		4
#define VK_FILE		5	/* a private copy of a file (mmap of a descriptor) */

/* Region flags (madvise). */
#define VF_DONTFORK	1	/* MADV_DONTFORK: left out of a fork's child */
#define VF_WIPEONFORK	2	/* MADV_WIPEONFORK: zero-filled in a fork's child */

#define USER_STACK_TOP	USER_TOP
#define USER_STACK_SIZE	(_AC(8, UL) << 20)
/* mmap without an address searches down from here. */
#define USER_MMAP_TOP	(USER_STACK_TOP - USER_STACK_SIZE - (_AC(1, UL) << 30))

/* Linux's default vm.max_map_count: one more region is -ENOMEM. */
#define MAX_VMAS	65530

struct vmobj;

struct vma {
	uint64_t v_start, v_end;	/* page aligned, end exclusive */
	uint32_t v_prot;		/* VM_* */
	uint32_t v_kind;		/* VK_* */
	uint32_t v_flags;		/* VF_* */
	struct vmobj *v_obj;		/* shared memory (holds a reference), or 0: private */
	uint64_t v_pgoff;		/* v_obj's page at v_start */
	struct vma *v_next;		/* ascending v_start, no overlap */
};

struct aspace {
	struct spinlock as_lock;	/* see above */
	uint64_t as_root;		/* PML4, physical */
	struct vma *as_vmas;
	uint64_t as_brk_base;		/* where the heap starts */
	uint64_t as_brk;		/* current break */
	uint64_t as_resident;		/* user pages mapped */
	uint64_t as_resident_peak;	/* its highest (getrusage's maxrss) */
	int as_nvmas;			/* at most MAX_VMAS */
	uint64_t as_audited;		/* CPUs whose entry audit it passed (switch.h) */
	volatile uint64_t as_cpumask;	/* CPUs that have it loaded (as_activate) */
	int as_refs;			/* processes using it (clone's CLONE_VM); atomic */
};

struct aspace *as_create(void);
void as_destroy(struct aspace *as);
/* One more process uses as (CLONE_VM); one fewer: destroyed with the last. */
void as_hold(struct aspace *as);
void as_rele(struct aspace *as);
struct aspace *as_fork(struct aspace *parent);

/* Add a region over [start, start+len): the range must be free. -ENOMEM, -EINVAL. */
int as_map(struct aspace *as, uint64_t start, uint64_t len, uint32_t prot, uint32_t kind);
/* The same for a shared region of obj from its page pgoff (takes a reference of its own). */
int as_map_shared(struct aspace *as, uint64_t start, uint64_t len, uint32_t prot,
    struct vmobj *obj, uint64_t pgoff);
int as_unmap(struct aspace *as, uint64_t start, uint64_t len);
/* munmap(2): Linux's bounds (-EINVAL), nothing to do below USER_BASE. */
int as_munmap(struct aspace *as, uint64_t addr, uint64_t len);
int as_protect(struct aspace *as, uint64_t start, uint64_t len, uint32_t prot);
int as_discard(struct aspace *as, uint64_t start, uint64_t len);
/* madvise(2) on [start, end), after its argument checks: 0 or -errno. */
int as_advise(struct aspace *as, uint64_t start, uint64_t end, int advice);
/* mremap(2) after its flag checks, lengths page-rounded, new_len != 0: the address or -errno. */
long as_remap(struct aspace *as, uint64_t addr, uint64_t old_len, uint64_t new_len,
    int flags, uint64_t new_addr);
/*
 * mincore(2) for one region: from start (page aligned) to the end of the
 * region holding it or npages pages, a byte per page in vec (1: resident).
 * The count of pages done, or -ENOMEM when no region holds start.
 */
long as_mincore(struct aspace *as, uint64_t start, uint64_t npages, unsigned char *vec);
/* A free range of len bytes, highest first below USER_MMAP_TOP; 0 if none. */
uint64_t as_find_gap(struct aspace *as, uint64_t len);
struct vma *as_find(struct aspace *as, uint64_t va);
/* Does no region overlap [start, start+len)?  Is all of it in regions? */
int as_range_free(struct aspace *as, uint64_t start, uint64_t len);
int as_covered(struct aspace *as, uint64_t start, uint64_t len);
/* The Linux brk(2) semantics: returns the (possibly unchanged) break. */
uint64_t as_set_brk(struct aspace *as, uint64_t newbrk);

/*
 * Resolve a fault at va: 0 when the access may now proceed, -EFAULT if not
 * (SIGSEGV), -ENXIO past the end of a shared object (SIGBUS), -ENOMEM.
 */
int as_fault(struct aspace *as, uint64_t va, int write, int exec);
/*
 * The same without the kernel lock, for a fault from ring 3: only what
 * needs nothing but as_lock (a zero page or a copy-on-write break in a
 * private region, a stale entry); anything else is -EAGAIN, and so is
 * every failure: the caller then takes the kernel lock and calls as_fault.
 */
int as_fault_lockless(struct aspace *as, uint64_t va, int write, int exec);
/*
 * Write into an address space that need not be the current one (exec,
 * mmap of a file): any region of the user half, writable or not, and the
 * frame as it is (a fresh address space has no copy-on-write pages).
 */
int as_copyout(struct aspace *as, uint64_t va, const void *src, uint64_t len);
/*
 * The same as a thread of as would write (Linux's put_user): writable
 * regions only, a copy-on-write page copied first (clone's CHILD_SETTID
 * into a forked child's memory).  0 or -EFAULT.
 */
int as_put_user(struct aspace *as, uint64_t va, const void *src, uint64_t len);
/* Read from one (/proc): the bytes up to the first address outside a region. */
uint64_t as_copyin(struct aspace *as, uint64_t va, void *dst, uint64_t len);

/* The address space whose lower half is live in CR3 now. */
void as_activate(struct aspace *as);

#endif
