/*
 * uvm.c: user address spaces (see uvm.h).
 *
 * Leaf entries of user pages: P|U, W only for writable regions whose frame
 * is not shared, NX unless executable.  A frame shared after fork has W
 * clear and PTE_COW set; the first write copies it (or, if the other
 * sharers are gone, just takes it back).  A PROT_NONE page keeps its frame
 * with P clear and PTE_NONE set, so mprotect can give it back.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/uvm.h>
#include <keel/vm.h>
#include <keel/kheap.h>
#include <keel/pageref.h>
#include <keel/pmm.h>
#include <arch/arch.h>

#define HAS_FRAME(e)	((e) & (PTE_P | PTE_NONE))

static struct aspace *active;

static uint64_t
leaf_flags(uint32_t prot)
{
	uint64_t f = PTE_P | PTE_U;

	if (prot == 0)
		return PTE_NONE | PTE_NX;
	if (prot & VM_W)
		f |= PTE_W;
	if (!(prot & VM_X))
		f |= PTE_NX;
	return f;
}

static void
flush(struct aspace *as, uint64_t va)
{
	if (as == active)
		arch_tlb_flush_page(va);
}

void
as_activate(struct aspace *as)
{
	if (as == active)
		return;
	active = as;
	arch_as_load(as ? as->as_root : vm_kernel_root());
}

struct aspace *
as_create(void)
{
	struct aspace *as = kzalloc(sizeof(*as));
	uint64_t *pml4, *kpml4 = PHYS_TO_VIRT(vm_kernel_root());

	if (as == 0)
		return 0;
	as->as_root = vm_ctx()->pt_alloc(0);
	if (as->as_root == 0) {
		kfree(as);
		return 0;
	}
	/* The shared kernel half (vm.h): 256 entries, present since vm_init. */
	pml4 = PHYS_TO_VIRT(as->as_root);
	memcpy(&pml4[KERNEL_PML4_FIRST], &kpml4[KERNEL_PML4_FIRST],
	    (PT_ENTRIES - KERNEL_PML4_FIRST) * sizeof(uint64_t));
	return as;
}

/*
 * Exit visits every entry of every user table, fork those of the regions'
 * ranges, and most entries are empty: a group of 8 is passed over with one
 * test when all are 0.
 */
#define GROUP	8	/* fork_leaf spells a group out: keep them in step */

static int
group_empty(const uint64_t *t)
{
	return !(t[0] | t[1] | t[2] | t[3] | t[4] | t[5] | t[6] | t[7]);
}

/* Drop the frames of a leaf table, clearing it. */
static void
free_leaf(uint64_t *t)
{
	uint64_t e;
	int g, i;

	for (g = 0; g < PT_ENTRIES; g += GROUP) {
		if (group_empty(&t[g]))
			continue;
#pragma clang loop unroll(full)
		for (i = g; i < g + GROUP; i++) {
			e = t[i];
			t[i] = 0;
			if (HAS_FRAME(e))
				pageref_dec(e & PTE_ADDR_MASK);
		}
	}
}

/*
 * Free the user frames and tables below table (level 3..1).  Each entry is
 * cleared as it goes, so the emptied table is reused without clearing.
 */
static void
free_tree(uint64_t table, int level)
{
	uint64_t *t = PHYS_TO_VIRT(table), e;
	int g, i;

	if (level == 1) {
		free_leaf(t);
		vm_pt_free_zeroed(table);
		return;
	}
	for (g = 0; g < PT_ENTRIES; g += GROUP) {
		if (group_empty(&t[g]))
			continue;
		for (i = g; i < g + GROUP; i++) {
			e = t[i];
			t[i] = 0;
			if (e & PTE_P)
				free_tree(e & PTE_ADDR_MASK, level - 1);
		}
	}
	vm_pt_free_zeroed(table);
}

void
as_destroy(struct aspace *as)
{
	uint64_t *pml4 = PHYS_TO_VIRT(as->as_root);
	struct vma *v, *next;
	int i, j;

	ASSERT(as != active);
	for (i = 0; i < KERNEL_PML4_FIRST; i += GROUP) {
		if (group_empty(&pml4[i]))
			continue;
		for (j = i; j < i + GROUP; j++)
			if (pml4[j] & PTE_P)
				free_tree(pml4[j] & PTE_ADDR_MASK, 3);
	}
	pmm_free(as->as_root);
	for (v = as->as_vmas; v; v = next) {
		next = v->v_next;
		kfree(v);
	}
	kfree(as);
}

/* Share one leaf entry with the copy: copy-on-write in both. */
static inline __attribute__((always_inline)) void
fork_pte(uint64_t *s, uint64_t *d)
{
	uint64_t e = *s;

	if (!HAS_FRAME(e))
		return;
	/*
	 * Every shared frame is copy-on-write, present or not (PROT_NONE): a
	 * later mprotect(W) must still copy.
	 */
	e = (e & ~PTE_W) | PTE_COW;
	*s = *d = e;
	pageref_inc(e & PTE_ADDR_MASK);
}

/* Share the frames of entries [lo, hi) of the leaf table s with its copy d. */
static void
fork_leaf(uint64_t *s, uint64_t *d, int lo, int hi)
{
	int g, i;

	for (g = ROUNDDOWN(lo, GROUP); g < hi; g += GROUP) {
		if (group_empty(&s[g]))
			continue;
		if (g >= lo && g + GROUP <= hi) {
			/* A whole group: straight-line code, no loop to run. */
			fork_pte(&s[g + 0], &d[g + 0]);
			fork_pte(&s[g + 1], &d[g + 1]);
			fork_pte(&s[g + 2], &d[g + 2]);
			fork_pte(&s[g + 3], &d[g + 3]);
			fork_pte(&s[g + 4], &d[g + 4]);
			fork_pte(&s[g + 5], &d[g + 5]);
			fork_pte(&s[g + 6], &d[g + 6]);
			fork_pte(&s[g + 7], &d[g + 7]);
		} else {
			for (i = MAX(g, lo); i < MIN(g + GROUP, hi); i++)
				fork_pte(&s[i], &d[i]);
		}
	}
}

/*
 * Copy [start, end) of the table s (level 4..1) into d for a fork, making
 * the tables d lacks: frames are shared copy-on-write.  Only the regions'
 * ranges are visited (a user page lies in a region, always), so the cost
 * follows what is mapped, not the size of the tables.  -ENOMEM when a
 * table cannot be made: what was made is d's, for as_destroy.
 */
static int
fork_range(uint64_t *s, uint64_t *d, int level, uint64_t start, uint64_t end)
{
	int shift = PAGE_SHIFT + 9 * (level - 1), i;
	uint64_t va, next, e, sub;

	if (level == 1) {
		fork_leaf(s, d, PT_INDEX(start, 1), PT_INDEX(end - 1, 1) + 1);
		return 0;
	}
	for (va = start; va < end; va = next) {
		next = MIN(((va >> shift) + 1) << shift, end);
		i = (va >> shift) & (PT_ENTRIES - 1);
		e = s[i];
		if (!(e & PTE_P))
			continue;
		if (!(d[i] & PTE_P)) {
			sub = vm_ctx()->pt_alloc(0);
			if (sub == 0)
				return -ENOMEM;
			d[i] = sub | (e & ~PTE_ADDR_MASK);
		}
		if (fork_range(PHYS_TO_VIRT(e & PTE_ADDR_MASK),
		    PHYS_TO_VIRT(d[i] & PTE_ADDR_MASK), level - 1, va, next))
			return -ENOMEM;
	}
	return 0;
}

struct aspace *
as_fork(struct aspace *parent)
{
	struct aspace *as = as_create();
	uint64_t *ps = PHYS_TO_VIRT(parent->as_root), *cs;
	struct vma *v, **tail;

	if (as == 0)
		return 0;
	cs = PHYS_TO_VIRT(as->as_root);
	tail = &as->as_vmas;
	for (v = parent->as_vmas; v; v = v->v_next) {
		struct vma *c = kmalloc(sizeof(*c));

		if (c == 0 || fork_range(ps, cs, 4, v->v_start, v->v_end)) {
			kfree(c);
			as_destroy(as);
			return 0;
		}
		*c = *v;
		c->v_next = 0;
		*tail = c;
		tail = &c->v_next;
	}
	as->as_brk_base = parent->as_brk_base;
	as->as_brk = parent->as_brk;
	as->as_resident = as->as_resident_peak = parent->as_resident;
	as->as_nvmas = parent->as_nvmas;
	/* The parent's writable pages just became read-only. */
	if (parent == active)
		arch_tlb_flush_all();
	return as;
}

struct vma *
as_find(struct aspace *as, uint64_t va)
{
	struct vma *v;

	for (v = as->as_vmas; v && v->v_start <= va; v = v->v_next)
		if (va < v->v_end)
			return v;
	return 0;
}

static int
range_ok(uint64_t start, uint64_t len)
{
	return len != 0 && !(start & (PAGE_SIZE - 1)) && start >= USER_BASE &&
	    start < USER_TOP && len <= USER_TOP - start;
}

int
as_map(struct aspace *as, uint64_t start, uint64_t len, uint32_t prot, uint32_t kind)
{
	struct vma *n, **pp;

	len = ROUNDUP(len, PAGE_SIZE);
	if (!range_ok(start, len))
		return -EINVAL;
	for (pp = &as->as_vmas; *pp && (*pp)->v_start < start + len; pp = &(*pp)->v_next)
		if ((*pp)->v_end > start)
			return -EEXIST;
	if (as->as_nvmas >= MAX_VMAS || (n = kmalloc(sizeof(*n))) == 0)
		return -ENOMEM;
	as->as_nvmas++;
	n->v_start = start;
	n->v_end = start + len;
	n->v_prot = prot;
	n->v_kind = kind;
	/* Insert before the first region that starts at or after the end. */
	for (pp = &as->as_vmas; *pp && (*pp)->v_start < start; pp = &(*pp)->v_next)
		;
	n->v_next = *pp;
	*pp = n;
	return 0;
}

/* Split the region containing va so that one starts exactly at va. */
static int
split_at(struct aspace *as, uint64_t va)
{
	struct vma *v = as_find(as, va), *n;

	if (v == 0 || v->v_start == va)
		return 0;
	if (as->as_nvmas >= MAX_VMAS || (n = kmalloc(sizeof(*n))) == 0)
		return -ENOMEM;
	as->as_nvmas++;
	*n = *v;
	n->v_start = va;
	v->v_end = va;
	v->v_next = n;
	return 0;
}

/*
 * Call fn on every leaf entry holding a frame in [start, end) of the table
 * at table (level 4 = PML4 .. 1), skipping absent tables whole: the cost
 * follows what is mapped, not the length of the range, so no range a
 * process can name keeps the (non-preemptible) kernel busy for long.
 */
typedef void leaf_fn(struct aspace *as, uint64_t va, uint64_t *pte, void *arg);

static void
walk_leaves(struct aspace *as, uint64_t table, int level, uint64_t start,
    uint64_t end, leaf_fn *fn, void *arg)
{
	uint64_t *t = PHYS_TO_VIRT(table), va, next, e;
	int shift = PAGE_SHIFT + 9 * (level - 1);

	for (va = start; va < end; va = next) {
		next = MIN(((va >> shift) + 1) << shift, end);
		e = t[(va >> shift) & (PT_ENTRIES - 1)];
		if (level == 1) {
			if (HAS_FRAME(e))
				fn(as, va, &t[(va >> shift) & (PT_ENTRIES - 1)], arg);
		} else if (e & PTE_P) {
			walk_leaves(as, e & PTE_ADDR_MASK, level - 1, va, next, fn, arg);
		}
	}
}

static void
drop_leaf(struct aspace *as, uint64_t va, uint64_t *pte, void *arg)
{
	pageref_dec(*pte & PTE_ADDR_MASK);
	*pte = 0;
	as->as_resident--;
	flush(as, va);
}

static void
unmap_pages(struct aspace *as, uint64_t start, uint64_t end)
{
	walk_leaves(as, as->as_root, 4, start, end, drop_leaf, 0);
}

/* Does any region overlap [start, end)? */
static int
range_used(struct aspace *as, uint64_t start, uint64_t end)
{
	struct vma *v;

	for (v = as->as_vmas; v && v->v_start < end; v = v->v_next)
		if (v->v_end > start)
			return 1;
	return 0;
}

/* Is all of [start, end) covered by regions? */
static int
range_covered(struct aspace *as, uint64_t start, uint64_t end)
{
	struct vma *v;

	for (v = as->as_vmas; v && start < end; v = v->v_next) {
		if (v->v_end <= start)
			continue;
		if (v->v_start > start)
			return 0;
		start = v->v_end;
	}
	return start >= end;
}

int
as_range_free(struct aspace *as, uint64_t start, uint64_t len)
{
	return !range_used(as, start, start + len);
}

int
as_covered(struct aspace *as, uint64_t start, uint64_t len)
{
	return range_covered(as, start, start + len);
}

int
as_unmap(struct aspace *as, uint64_t start, uint64_t len)
{
	uint64_t end;
	struct vma **pp, *v;

	len = ROUNDUP(len, PAGE_SIZE);
	if (!range_ok(start, len))
		return -EINVAL;
	end = start + len;
	if (split_at(as, start) || split_at(as, end))
		return -ENOMEM;
	for (pp = &as->as_vmas; (v = *pp) != 0;) {
		if (v->v_start >= start && v->v_end <= end) {
			unmap_pages(as, v->v_start, v->v_end);
			*pp = v->v_next;
			kfree(v);
			as->as_nvmas--;
		} else {
			pp = &v->v_next;
		}
	}
	return 0;
}

static void
protect_leaf(struct aspace *as, uint64_t va, uint64_t *pte, void *arg)
{
	/* Shared frames stay read-only until the write fault copies them. */
	*pte = (*pte & (PTE_ADDR_MASK | PTE_COW)) | leaf_flags(*(uint32_t *)arg);
	if (*pte & PTE_COW)
		*pte &= ~PTE_W;
	flush(as, va);
}

int
as_protect(struct aspace *as, uint64_t start, uint64_t len, uint32_t prot)
{
	uint64_t end;
	struct vma *v;

	len = ROUNDUP(len, PAGE_SIZE);
	if (!range_ok(start, len))
		return -EINVAL;
	end = start + len;
	/* Linux: the whole range must be mapped, else -ENOMEM. */
	if (!range_covered(as, start, end))
		return -ENOMEM;
	if (split_at(as, start) || split_at(as, end))
		return -ENOMEM;
	for (v = as_find(as, start); v && v->v_start < end; v = v->v_next)
		v->v_prot = prot;
	walk_leaves(as, as->as_root, 4, start, end, protect_leaf, &prot);
	return 0;
}

uint64_t
as_find_gap(struct aspace *as, uint64_t len)
{
	uint64_t top = USER_MMAP_TOP, best = 0;
	struct vma *v;

	len = ROUNDUP(len, PAGE_SIZE);
	if (len == 0 || len > USER_MMAP_TOP - USER_BASE)
		return 0;
	/* The highest gap below USER_MMAP_TOP: scan the sorted list once. */
	{
		uint64_t prev_end = USER_BASE;

		for (v = as->as_vmas; v; v = v->v_next) {
			uint64_t gap_end = MIN(v->v_start, top);

			if (gap_end > prev_end && gap_end - prev_end >= len)
				best = gap_end - len;
			if (v->v_end > prev_end)
				prev_end = v->v_end;
		}
		if (top > prev_end && top - prev_end >= len)
			best = top - len;
	}
	return best;
}

uint64_t
as_set_brk(struct aspace *as, uint64_t newbrk)
{
	uint64_t oldtop = ROUNDUP(as->as_brk, PAGE_SIZE), newtop;
	struct vma *heap;

	if (newbrk < as->as_brk_base || newbrk >= USER_MMAP_TOP)
		return as->as_brk;
	newtop = ROUNDUP(newbrk, PAGE_SIZE);
	if (newtop > oldtop) {
		/* Grow the heap region (one vma from as_brk_base), if the range is free. */
		if (range_used(as, oldtop, newtop))
			return as->as_brk;
		heap = oldtop > as->as_brk_base ? as_find(as, oldtop - 1) : 0;
		if (heap && heap->v_kind == VK_HEAP && heap->v_end == oldtop) {
			if (heap->v_next && heap->v_next->v_start < newtop)
				return as->as_brk;
			heap->v_end = newtop;
		} else if (as_map(as, oldtop, newtop - oldtop, VM_R | VM_W, VK_HEAP)) {
			return as->as_brk;
		}
	} else if (newtop < oldtop) {
		as_unmap(as, newtop, oldtop - newtop);
	}
	as->as_brk = newbrk;
	return newbrk;
}

int
as_fault(struct aspace *as, uint64_t va, int write, int exec)
{
	struct vma *v = as_find(as, va);
	uint64_t *pte, pa, npa;

	if (v == 0)
		return -EFAULT;
	if ((write && !(v->v_prot & VM_W)) || (exec && !(v->v_prot & VM_X)) ||
	    v->v_prot == 0)
		return -EFAULT;
	va = ROUNDDOWN(va, PAGE_SIZE);
	pte = pt_walk(vm_ctx(), as->as_root, va, 1, 1);
	if (pte == 0)
		return -ENOMEM;
	if (!HAS_FRAME(*pte)) {
		/* Demand zero. */
		npa = pmm_alloc();
		if (npa == 0)
			return -ENOMEM;
		memset(PHYS_TO_VIRT(npa), 0, PAGE_SIZE);
		pageref_set1(npa);
		*pte = npa | leaf_flags(v->v_prot);
		if (++as->as_resident > as->as_resident_peak)
			as->as_resident_peak = as->as_resident;
		return 0;
	}
	pa = *pte & PTE_ADDR_MASK;
	if (write && (*pte & PTE_COW)) {
		if (pageref_get(pa) == 1) {
			/* The other sharers are gone: the frame is ours again. */
			*pte = pa | leaf_flags(v->v_prot);
		} else {
			npa = pmm_alloc();
			if (npa == 0)
				return -ENOMEM;
			memcpy(PHYS_TO_VIRT(npa), PHYS_TO_VIRT(pa), PAGE_SIZE);
			pageref_set1(npa);
			pageref_dec(pa);
			*pte = npa | leaf_flags(v->v_prot);
		}
		flush(as, va);
		return 0;
	}
	/* Stale entry (after mprotect) or a racing TLB: bring it up to date. */
	*pte = (*pte & (PTE_ADDR_MASK | PTE_COW)) | leaf_flags(v->v_prot);
	if (*pte & PTE_COW)
		*pte &= ~PTE_W;
	flush(as, va);
	return 0;
}

int
as_copyout(struct aspace *as, uint64_t va, const void *src, uint64_t len)
{
	const unsigned char *s = src;

	while (len > 0) {
		uint64_t off = va & (PAGE_SIZE - 1), n = MIN(len, PAGE_SIZE - off);
		uint64_t *pte = pt_walk(vm_ctx(), as->as_root, va, 0, 1);
		int err;

		if (pte == 0 || !HAS_FRAME(*pte)) {
			/* Make the page as a write fault would, whatever the region's W. */
			struct vma *v = as_find(as, va);
			uint32_t prot;

			if (v == 0)
				return -EFAULT;
			prot = v->v_prot;
			v->v_prot |= VM_W;
			err = as_fault(as, va, 1, 0);
			v->v_prot = prot;
			if (err)
				return err;
			pte = pt_walk(vm_ctx(), as->as_root, va, 0, 1);
			*pte = (*pte & PTE_ADDR_MASK) | leaf_flags(prot);
		}
		memcpy((char *)PHYS_TO_VIRT(*pte & PTE_ADDR_MASK) + off, s, n);
		va += n;
		s += n;
		len -= n;
	}
	return 0;
}

/*
 * Drop the pages of [start, start+len) but keep the regions: the next
 * touch finds zero-filled pages (MADV_DONTNEED on private anonymous memory).
 * As on Linux, the mapped parts are dropped even when the range has holes,
 * and then -ENOMEM says there were some.
 */
int
as_discard(struct aspace *as, uint64_t start, uint64_t len)
{
	len = ROUNDUP(len, PAGE_SIZE);
	if (!range_ok(start, len))
		return -EINVAL;
	unmap_pages(as, start, start + len);
	return range_covered(as, start, start + len) ? 0 : -ENOMEM;
}
