/*
 * uvm.h: user address spaces.
 *
 * An address space is a PML4 whose upper 256 entries are copies of the
 * kernel's (vm.h: shared by construction) and whose lower half is private,
 * plus a sorted list of regions (vmas) saying what may be there.  Pages are
 * made on first touch (demand zero) and shared copy-on-write after fork;
 * the page-fault handler (as_fault) consults the vmas, so an access outside
 * any region, or against its permissions, becomes SIGSEGV.
 */
#ifndef UVM_H
#define UVM_H

#include <stdint.h>
#include <shared/layout.h>

/* Region permissions: Linux's PROT_* values. */
#define VM_R		1
#define VM_W		2
#define VM_X		4

/* What a region is for (brk grows only the heap). */
#define VK_IMAGE	1
#define VK_HEAP		2
#define VK_STACK	3
#define VK_ANON		4

#define USER_STACK_TOP	USER_TOP
#define USER_STACK_SIZE	(_AC(8, UL) << 20)
/* mmap without an address searches down from here. */
#define USER_MMAP_TOP	(USER_STACK_TOP - USER_STACK_SIZE - (_AC(1, UL) << 30))

/* Linux's default vm.max_map_count: one more region is -ENOMEM. */
#define MAX_VMAS	65530

struct vma {
	uint64_t v_start, v_end;	/* page aligned, end exclusive */
	uint32_t v_prot;		/* VM_* */
	uint32_t v_kind;		/* VK_* */
	struct vma *v_next;		/* ascending v_start, no overlap */
};

struct aspace {
	uint64_t as_root;		/* PML4, physical */
	struct vma *as_vmas;
	uint64_t as_brk_base;		/* where the heap starts */
	uint64_t as_brk;		/* current break */
	uint64_t as_resident;		/* user pages mapped */
	uint64_t as_resident_peak;	/* its highest (getrusage's maxrss) */
	int as_nvmas;			/* at most MAX_VMAS */
	int as_entered;			/* passed the entry audit (switch.h) */
};

struct aspace *as_create(void);
void as_destroy(struct aspace *as);
struct aspace *as_fork(struct aspace *parent);

/* Add a region over [start, start+len): the range must be free. -ENOMEM, -EINVAL. */
int as_map(struct aspace *as, uint64_t start, uint64_t len, uint32_t prot, uint32_t kind);
int as_unmap(struct aspace *as, uint64_t start, uint64_t len);
int as_protect(struct aspace *as, uint64_t start, uint64_t len, uint32_t prot);
int as_discard(struct aspace *as, uint64_t start, uint64_t len);
/* A free range of len bytes, highest first below USER_MMAP_TOP; 0 if none. */
uint64_t as_find_gap(struct aspace *as, uint64_t len);
struct vma *as_find(struct aspace *as, uint64_t va);
/* Does no region overlap [start, start+len)?  Is all of it in regions? */
int as_range_free(struct aspace *as, uint64_t start, uint64_t len);
int as_covered(struct aspace *as, uint64_t start, uint64_t len);
/* The Linux brk(2) semantics: returns the (possibly unchanged) break. */
uint64_t as_set_brk(struct aspace *as, uint64_t newbrk);

/* Resolve a fault at va: 0 when the access may now proceed, -EFAULT if not. */
int as_fault(struct aspace *as, uint64_t va, int write, int exec);
/* Write into an address space that need not be the current one (exec). */
int as_copyout(struct aspace *as, uint64_t va, const void *src, uint64_t len);

/* The address space whose lower half is live in CR3 now. */
void as_activate(struct aspace *as);

#endif
