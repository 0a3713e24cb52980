/*
 * uvm.c: user address spaces (see uvm.h).
 *
 * Leaf entries of user pages: P|U, W only for writable regions whose frame
 * is not shared, NX unless executable.  A frame shared after fork has W
 * clear and PTE_COW set; the first write copies it (or, if the other
 * sharers are gone, just takes it back).  A PROT_NONE page keeps its frame
 * with P clear and PTE_NONE set, so mprotect can give it back.  The frames
 * of a shared region (vmobj.h) are never copy-on-write: fork hands them to
 * the child as they are.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/spinlock.h>
#include <keel/uvm.h>
#include <keel/vm.h>
#include <keel/kheap.h>
#include <keel/pageref.h>
#include <keel/pmm.h>
#include <keel/cpu.h>
#include <keel/smp.h>
#include <keel/usercopy.h>
#include <keel/vmobj.h>
#include <uapi/mman.h>
#include <arch/arch.h>

#define HAS_FRAME(e)	((e) & (PTE_P | PTE_NONE))

/* as_lock (uvm.h): interrupts are off while it is held. */
static inline uint64_t
lock(struct aspace *as)
{
	return spin_lock_irqsave(&as->as_lock);
}

static inline void
unlock(struct aspace *as, uint64_t fl)
{
	spin_unlock_irqrestore(&as->as_lock, fl);
}

/*
 * Long walks under as_lock, interrupts off, answer TLB shootdowns as they
 * go (a CPU waiting for this one's answer would otherwise time out).
 */
static inline void
poll_shootdowns(void)
{
	if (smp_live)
		smp_poll(curcpu());
}

typedef void leaf_fn(struct aspace *as, uint64_t va, uint64_t *pte, void *arg);
static void walk_leaves(struct aspace *as, uint64_t table, int level, uint64_t start,
    uint64_t end, leaf_fn *fn, void *arg);

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

/* A leaf of as changed: here, and on every other CPU with as loaded. */
static void
flush(struct aspace *as, uint64_t va)
{
	tlb_shootdown(as, va, 1);
}

/* as_activate's work once several CPUs run: out of line, off the one-CPU path. */
static __attribute__((noinline)) void
activate_smp(struct cpu *c, struct aspace *as, struct aspace *old)
{
	if (as)
		__atomic_or_fetch(&as->as_cpumask, c->c_cpubit, __ATOMIC_SEQ_CST);
	arch_as_load(as ? as->as_root : vm_kernel_root());
	if (old)
		__atomic_and_fetch(&old->as_cpumask, ~c->c_cpubit, __ATOMIC_SEQ_CST);
}

/*
 * Load as (0: the kernel's tables) on this CPU, which then takes as's
 * shootdowns (as_cpumask) until it loads another.
 */
void
as_activate(struct aspace *as)
{
	struct cpu *c = curcpu();
	struct aspace *old = c->c_as;

	if (as == old)
		return;
	c->c_as = as;
	if (__builtin_expect(smp_live, 0))
		activate_smp(c, as, old);
	else	/* one CPU: no shootdown will ask whom to tell */
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
	as->as_lock = (struct spinlock)SPINLOCK_INIT("aspace");
	as->as_refs = 1;
	return as;
}

void
as_hold(struct aspace *as)
{
	__atomic_add_fetch(&as->as_refs, 1, __ATOMIC_RELAXED);
}

void
as_rele(struct aspace *as)
{
	if (__atomic_sub_fetch(&as->as_refs, 1, __ATOMIC_ACQ_REL) == 0)
		as_destroy(as);
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
static inline __attribute__((always_inline)) void
free_leaf_in(uint64_t *t, int smp)
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
				pageref_dec_in(e & PTE_ADDR_MASK, smp);
		}
	}
}

/* smp_live is looked at once per table, not once per page (pageref.h). */
static void
free_leaf(uint64_t *t)
{
	if (smp_live)
		free_leaf_in(t, 1);
	else
		free_leaf_in(t, 0);
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
		poll_shootdowns();	/* an exit's teardown runs without the kernel lock */
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

	ASSERT(as != curcpu()->c_as);
	tlb_unload(as);		/* idle CPUs may still have it loaded */
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
		if (v->v_obj)
			vmobj_rele(v->v_obj);
		kfree(v);
	}
	kfree(as);
}

/* Share one leaf entry with the copy: copy-on-write in both. */
static inline __attribute__((always_inline)) void
fork_pte(uint64_t *s, uint64_t *d, int smp)
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
	pageref_inc_in(e & PTE_ADDR_MASK, smp);
}

/* Share the frames of entries [lo, hi) of the leaf table s with its copy d. */
static inline __attribute__((always_inline)) void
fork_leaf_in(uint64_t *s, uint64_t *d, int lo, int hi, int smp)
{
	int g, i;

	for (g = ROUNDDOWN(lo, GROUP); g < hi; g += GROUP) {
		if (group_empty(&s[g]))
			continue;
		if (g >= lo && g + GROUP <= hi) {
			/* A whole group: straight-line code, no loop to run. */
			fork_pte(&s[g + 0], &d[g + 0], smp);
			fork_pte(&s[g + 1], &d[g + 1], smp);
			fork_pte(&s[g + 2], &d[g + 2], smp);
			fork_pte(&s[g + 3], &d[g + 3], smp);
			fork_pte(&s[g + 4], &d[g + 4], smp);
			fork_pte(&s[g + 5], &d[g + 5], smp);
			fork_pte(&s[g + 6], &d[g + 6], smp);
			fork_pte(&s[g + 7], &d[g + 7], smp);
		} else {
			for (i = MAX(g, lo); i < MIN(g + GROUP, hi); i++)
				fork_pte(&s[i], &d[i], smp);
		}
	}
}

/* smp_live is looked at once per table, not once per page (pageref.h). */
static void
fork_leaf(uint64_t *s, uint64_t *d, int lo, int hi)
{
	if (smp_live)
		fork_leaf_in(s, d, lo, hi, 1);
	else
		fork_leaf_in(s, d, lo, hi, 0);
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
		poll_shootdowns();
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

/* The child's copy of a shared region: the same frames, writable as they are. */
struct share_arg {
	struct aspace *child;
	int err;
};

static void
share_leaf(struct aspace *as, uint64_t va, uint64_t *pte, void *arg)
{
	struct share_arg *a = arg;
	uint64_t *d;

	if (a->err)
		return;
	if ((d = pt_walk(vm_ctx(), a->child->as_root, va, 1, 1)) == 0) {
		a->err = -ENOMEM;
		return;
	}
	*d = *pte;
	pageref_inc(*pte & PTE_ADDR_MASK);
}

static void
count_leaf(struct aspace *as, uint64_t va, uint64_t *pte, void *arg)
{
	(*(uint64_t *)arg)++;
}

/* Pages with a frame in [start, end). */
static uint64_t
count_frames(struct aspace *as, uint64_t start, uint64_t end)
{
	uint64_t n = 0;

	walk_leaves(as, as->as_root, 4, start, end, count_leaf, &n);
	return n;
}

struct aspace *
as_fork(struct aspace *parent)
{
	struct aspace *as = as_create();
	uint64_t *ps = PHYS_TO_VIRT(parent->as_root), *cs, left = 0, fl;
	struct vma *v, **tail;
	int nvmas = 0;

	if (as == 0)
		return 0;
	fl = lock(parent);	/* its other threads may fault meanwhile */
	cs = PHYS_TO_VIRT(as->as_root);
	tail = &as->as_vmas;
	for (v = parent->as_vmas; v; v = v->v_next) {
		struct share_arg sa = { as, 0 };
		struct vma *c;
		int err = 0;

		if (v->v_flags & VF_DONTFORK) {
			left += count_frames(parent, v->v_start, v->v_end);
			continue;
		}
		if ((c = kmalloc(sizeof(*c))) == 0) {
			err = -ENOMEM;
		} else if (v->v_obj) {
			walk_leaves(parent, parent->as_root, 4, v->v_start, v->v_end,
			    share_leaf, &sa);
			err = sa.err;
		} else if (v->v_flags & VF_WIPEONFORK) {
			left += count_frames(parent, v->v_start, v->v_end);
		} else {
			err = fork_range(ps, cs, 4, v->v_start, v->v_end);
		}
		if (err) {
			unlock(parent, fl);
			kfree(c);
			as_destroy(as);
			return 0;
		}
		*c = *v;
		c->v_next = 0;
		if (c->v_obj)
			vmobj_hold(c->v_obj);
		*tail = c;
		tail = &c->v_next;
		nvmas++;
	}
	as->as_brk_base = parent->as_brk_base;
	as->as_brk = parent->as_brk;
	as->as_resident = as->as_resident_peak = parent->as_resident - left;
	as->as_nvmas = nvmas;
	/*
	 * The parent's writable pages just became read-only: no CPU running
	 * its threads may write them through an old entry from here on.
	 */
	tlb_shootdown(parent, 0, 0);
	unlock(parent, fl);
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

/* Put n (its range free) into the sorted list. */
static void
vma_link(struct aspace *as, struct vma *n)
{
	struct vma **pp;

	for (pp = &as->as_vmas; *pp && (*pp)->v_start < n->v_start; pp = &(*pp)->v_next)
		;
	n->v_next = *pp;
	*pp = n;
	as->as_nvmas++;
}

static int
map_region(struct aspace *as, uint64_t start, uint64_t len, uint32_t prot, uint32_t kind,
    struct vmobj *obj, uint64_t pgoff)
{
	struct vma *n, **pp;

	len = ROUNDUP(len, PAGE_SIZE);
	if (!range_ok(start, len))
		return -EINVAL;
	for (pp = &as->as_vmas; *pp && (*pp)->v_start < start + len; pp = &(*pp)->v_next)
		if ((*pp)->v_end > start)
			return -EEXIST;
	if (as->as_nvmas >= MAX_VMAS || (n = kzalloc(sizeof(*n))) == 0)
		return -ENOMEM;
	n->v_start = start;
	n->v_end = start + len;
	n->v_prot = prot;
	n->v_kind = kind;
	if ((n->v_obj = obj) != 0)
		vmobj_hold(obj);
	n->v_pgoff = pgoff;
	vma_link(as, n);
	return 0;
}

int
as_map(struct aspace *as, uint64_t start, uint64_t len, uint32_t prot, uint32_t kind)
{
	uint64_t fl = lock(as);
	int err;

	err = map_region(as, start, len, prot, kind, 0, 0);
	unlock(as, fl);
	return err;
}

int
as_map_shared(struct aspace *as, uint64_t start, uint64_t len, uint32_t prot,
    struct vmobj *obj, uint64_t pgoff)
{
	uint64_t fl = lock(as);
	int err;

	err = map_region(as, start, len, prot, VK_ANON, obj, pgoff);
	unlock(as, fl);
	return err;
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
	if (n->v_obj) {
		n->v_pgoff += (va - v->v_start) >> PAGE_SHIFT;
		vmobj_hold(n->v_obj);
	}
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
static void
walk_leaves(struct aspace *as, uint64_t table, int level, uint64_t start,
    uint64_t end, leaf_fn *fn, void *arg)
{
	uint64_t *t = PHYS_TO_VIRT(table), va, next, e;
	int shift = PAGE_SHIFT + 9 * (level - 1);

	if (level == 1)
		poll_shootdowns();
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

/*
 * Unmapping in batches (Linux's mmu_gather): the entries are cleared as
 * the walk finds them, their frames kept here, and one shootdown for the
 * whole span (a full flush above TLB_FULL_PAGES) comes before the frames
 * are given back: no CPU may reach a frame through its TLB once it is
 * free, and a range of pages costs one round of IPIs, not one a page.
 */
#define GATHER	64

struct gather {
	uint64_t lo, hi;		/* the span of the entries cleared */
	int n;
	uint64_t pa[GATHER];
};

static void
gather_flush(struct aspace *as, struct gather *g)
{
	int i;

	if (g->n == 0)
		return;
	tlb_shootdown(as, g->lo, (g->hi - g->lo) >> PAGE_SHIFT);
	for (i = 0; i < g->n; i++)
		pageref_dec(g->pa[i]);
	g->n = 0;
}

static void
drop_leaf(struct aspace *as, uint64_t va, uint64_t *pte, void *arg)
{
	struct gather *g = arg;

	if (g->n == GATHER)
		gather_flush(as, g);
	if (g->n == 0)
		g->lo = va;
	g->hi = va + PAGE_SIZE;
	g->pa[g->n++] = *pte & PTE_ADDR_MASK;
	*pte = 0;
	as->as_resident--;
}

static void
unmap_pages(struct aspace *as, uint64_t start, uint64_t end)
{
	struct gather g;

	g.n = 0;
	walk_leaves(as, as->as_root, 4, start, end, drop_leaf, &g);
	gather_flush(as, &g);
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

static int
unmap_range(struct aspace *as, uint64_t start, uint64_t len)
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
			if (v->v_obj)
				vmobj_rele(v->v_obj);
			kfree(v);
			as->as_nvmas--;
		} else {
			pp = &v->v_next;
		}
	}
	return 0;
}

int
as_unmap(struct aspace *as, uint64_t start, uint64_t len)
{
	uint64_t fl = lock(as);
	int err;

	err = unmap_range(as, start, len);
	unlock(as, fl);
	return err;
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

static int
protect_range(struct aspace *as, uint64_t start, uint64_t len, uint32_t prot)
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

int
as_protect(struct aspace *as, uint64_t start, uint64_t len, uint32_t prot)
{
	uint64_t fl = lock(as);
	int err;

	err = protect_range(as, start, len, prot);
	unlock(as, fl);
	return err;
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

static uint64_t
set_brk(struct aspace *as, uint64_t newbrk)
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
		} else if (map_region(as, oldtop, newtop - oldtop, VM_R | VM_W, VK_HEAP, 0, 0)) {
			return as->as_brk;
		}
	} else if (newtop < oldtop) {
		unmap_range(as, newtop, oldtop - newtop);
	}
	as->as_brk = newbrk;
	return newbrk;
}

uint64_t
as_set_brk(struct aspace *as, uint64_t newbrk)
{
	uint64_t fl = lock(as), brk;

	brk = set_brk(as, newbrk);
	unlock(as, fl);
	return brk;
}

/*
 * as_fault's work, as_lock held.  lockless: the kernel lock is not held,
 * so a shared region's object (vmobj.h, under the kernel lock) is not
 * touched: -EAGAIN.  Inline: a first touch is this and little else, and a
 * call with five arguments costs it some 3% (make bench).
 */
static inline __attribute__((always_inline)) int
fault(struct aspace *as, uint64_t va, int write, int exec, int lockless)
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
	if (!HAS_FRAME(*pte) && v->v_obj) {
		if (lockless)
			return -EAGAIN;
		/* The shared object's page: the object keeps it too. */
		uint64_t idx = v->v_pgoff + ((va - v->v_start) >> PAGE_SHIFT);

		if (idx >= v->v_obj->vo_npages)
			return -ENXIO;
		if ((npa = vmobj_page(v->v_obj, idx)) == 0)
			return -ENOMEM;
		pageref_inc(npa);
		*pte = npa | leaf_flags(v->v_prot);
		as->as_resident++;
		return 0;
	}
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
			*pte = npa | leaf_flags(v->v_prot);
			flush(as, va);
			pageref_dec(pa);	/* after: no CPU reads it through an old entry */
			return 0;
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
as_fault(struct aspace *as, uint64_t va, int write, int exec)
{
	uint64_t fl = lock(as);
	int err;

	err = fault(as, va, write, exec, 0);
	unlock(as, fl);
	return err;
}

int
as_fault_lockless(struct aspace *as, uint64_t va, int write, int exec)
{
	uint64_t fl = lock(as);
	int err;

	err = fault(as, va, write, exec, 1);
	unlock(as, fl);
	return err ? -EAGAIN : 0;
}

static int
copy_out(struct aspace *as, uint64_t va, const void *src, uint64_t len)
{
	const unsigned char *s = src;

	/* The kernel half is in every page table: never walk into it. */
	if (!user_range_ok(va, len))
		return -EFAULT;
	while (len > 0) {
		uint64_t off = va & (PAGE_SIZE - 1), n = MIN(len, PAGE_SIZE - off);
		uint64_t *pte;
		int err;

		poll_shootdowns();	/* an image or a file's copy: megabytes */
		pte = pt_walk(vm_ctx(), as->as_root, va, 0, 1);

		if (pte == 0 || !HAS_FRAME(*pte)) {
			/* Make the page as a write fault would, whatever the region's W. */
			struct vma *v = as_find(as, va);
			uint32_t prot;

			if (v == 0)
				return -EFAULT;
			prot = v->v_prot;
			v->v_prot |= VM_W;
			err = fault(as, va, 1, 0, 0);
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

int
as_copyout(struct aspace *as, uint64_t va, const void *src, uint64_t len)
{
	uint64_t fl = lock(as);
	int err;

	err = copy_out(as, va, src, len);
	unlock(as, fl);
	return err;
}

static int
put_user(struct aspace *as, uint64_t va, const void *src, uint64_t len)
{
	const unsigned char *s = src;

	if (!user_range_ok(va, len))
		return -EFAULT;
	while (len > 0) {
		uint64_t off = va & (PAGE_SIZE - 1), n = MIN(len, PAGE_SIZE - off);
		uint64_t *pte;

		if (fault(as, va, 1, 0, 0) != 0)
			return -EFAULT;
		pte = pt_walk(vm_ctx(), as->as_root, va, 0, 1);
		if (pte == 0 || !HAS_FRAME(*pte))
			return -EFAULT;
		memcpy((char *)PHYS_TO_VIRT(*pte & PTE_ADDR_MASK) + off, s, n);
		va += n;
		s += n;
		len -= n;
	}
	return 0;
}

int
as_put_user(struct aspace *as, uint64_t va, const void *src, uint64_t len)
{
	uint64_t fl = lock(as);
	int err;

	err = put_user(as, va, src, len);
	unlock(as, fl);
	return err;
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
	uint64_t fl;

	len = ROUNDUP(len, PAGE_SIZE);
	if (!range_ok(start, len))
		return -EINVAL;
	fl = lock(as);
	unmap_pages(as, start, start + len);
	unlock(as, fl);
	return range_covered(as, start, start + len) ? 0 : -ENOMEM;
}

static int
munmap_range(struct aspace *as, uint64_t addr, uint64_t len)
{
	uint64_t end;

	if ((addr & (PAGE_SIZE - 1)) || addr > USER_TOP)
		return -EINVAL;
	len = ROUNDUP(len, PAGE_SIZE);
	if (len == 0 || len > USER_TOP - addr)
		return -EINVAL;
	end = addr + len;
	if (end <= USER_BASE)
		return 0;
	addr = MAX(addr, USER_BASE);
	return unmap_range(as, addr, end - addr);
}

int
as_munmap(struct aspace *as, uint64_t addr, uint64_t len)
{
	uint64_t fl = lock(as);
	int err;

	err = munmap_range(as, addr, len);
	unlock(as, fl);
	return err;
}

/*
 * Linux merges a new region into a neighbour of the same kind, so one
 * mremap may span what were two mmaps; keel keeps them apart and joins
 * them when mremap needs it.
 */
static int
mergeable(const struct vma *a, const struct vma *b)
{
	return a->v_end == b->v_start && a->v_prot == b->v_prot && a->v_kind == b->v_kind &&
	    a->v_flags == b->v_flags && a->v_obj == b->v_obj &&
	    (a->v_obj == 0 || a->v_pgoff + ((a->v_end - a->v_start) >> PAGE_SHIFT) == b->v_pgoff);
}

static void
merge_next(struct aspace *as, struct vma *v)
{
	struct vma *n = v->v_next;

	v->v_end = n->v_end;
	v->v_next = n->v_next;
	if (n->v_obj)
		vmobj_rele(n->v_obj);
	kfree(n);
	as->as_nvmas--;
}

/* mremap's vma_to_resize: the one region [addr, addr+old_len) lies in. */
static long
remap_region(struct aspace *as, uint64_t addr, uint64_t old_len, struct vma **vp)
{
	struct vma *v = as_find(as, addr);

	if (v == 0)
		return -EFAULT;
	/* Length 0 names a second mapping of shared memory; private has none. */
	if (old_len == 0 && v->v_obj == 0)
		return -EINVAL;
	while (v->v_end - addr < old_len && v->v_next && mergeable(v, v->v_next))
		merge_next(as, v);
	if (old_len > v->v_end - addr)
		return -EFAULT;		/* across regions */
	*vp = v;
	return 0;
}

struct move_arg {
	uint64_t delta;			/* destination - source */
	int err;
};

static void
move_leaf(struct aspace *as, uint64_t va, uint64_t *pte, void *arg)
{
	struct move_arg *m = arg;
	uint64_t *d;

	if (m->err)
		return;
	if ((d = pt_walk(vm_ctx(), as->as_root, va + m->delta, 1, 1)) == 0) {
		m->err = -ENOMEM;
		return;
	}
	*d = *pte;
	*pte = 0;
	flush(as, va);
}

/*
 * mremap's move_vma: a copy of v's part from addr at new_addr (free), the
 * pages of [addr, addr+old_len) moved into it (frames and all: nothing is
 * copied), then the old range unmapped, or with MREMAP_DONTUNMAP left
 * mapped and empty.
 */
static long
remap_move(struct aspace *as, struct vma *v, uint64_t addr, uint64_t old_len,
    uint64_t new_addr, uint64_t new_len, int flags)
{
	struct move_arg m = { new_addr - addr, 0 };
	struct vma *n, **pp;

	if (as->as_nvmas >= MAX_VMAS || (n = kmalloc(sizeof(*n))) == 0)
		return -ENOMEM;
	*n = *v;
	n->v_start = new_addr;
	n->v_end = new_addr + new_len;
	if (n->v_kind == VK_HEAP)
		n->v_kind = VK_ANON;	/* brk knows only the heap where it is */
	if (n->v_obj) {
		n->v_pgoff += (addr - v->v_start) >> PAGE_SHIFT;
		vmobj_hold(n->v_obj);
	}
	vma_link(as, n);
	walk_leaves(as, as->as_root, 4, addr, addr + old_len, move_leaf, &m);
	if (m.err) {
		/* Out of page tables: put back what moved (its tables exist). */
		struct move_arg back = { addr - new_addr, 0 };

		walk_leaves(as, as->as_root, 4, new_addr, new_addr + old_len, move_leaf, &back);
		ASSERT(back.err == 0);
		for (pp = &as->as_vmas; *pp != n; pp = &(*pp)->v_next)
			;
		*pp = n->v_next;
		as->as_nvmas--;
		if (n->v_obj)
			vmobj_rele(n->v_obj);
		kfree(n);
		return -ENOMEM;
	}
	if (!(flags & MREMAP_DONTUNMAP) && old_len)
		unmap_range(as, addr, old_len);
	return new_addr;
}

/* mremap_to: MREMAP_FIXED, or MREMAP_DONTUNMAP with new_addr a hint. */
static long
remap_to(struct aspace *as, uint64_t addr, uint64_t old_len, uint64_t new_len, int flags,
    uint64_t new_addr)
{
	struct vma *v;
	long err;

	if (new_addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (new_len > USER_TOP || new_addr > USER_TOP - new_len)
		return -EINVAL;
	if (addr + old_len > new_addr && new_addr + new_len > addr)
		return -EINVAL;		/* the two ranges overlap */
	/* Room for both ranges to be split in three, as Linux asks before it unmaps. */
	if (as->as_nvmas + 2 >= MAX_VMAS - 3)
		return -ENOMEM;
	if ((flags & MREMAP_FIXED) && (err = munmap_range(as, new_addr, new_len)) != 0)
		return err;
	if (old_len > new_len) {
		if ((err = munmap_range(as, addr + new_len, old_len - new_len)) != 0)
			return err;
		old_len = new_len;
	}
	if ((err = remap_region(as, addr, old_len, &v)) != 0)
		return err;
	if (flags & MREMAP_FIXED) {
		if (new_addr < USER_BASE)
			return -EPERM;	/* below mmap_min_addr, as mmap says */
	} else if (new_addr < USER_BASE || new_addr >= USER_MMAP_TOP ||
	    new_len > USER_MMAP_TOP - new_addr || range_used(as, new_addr, new_addr + new_len)) {
		/* The hint is taken when that range is free. */
		if ((new_addr = as_find_gap(as, new_len)) == 0)
			return -ENOMEM;
	}
	return remap_move(as, v, addr, old_len, new_addr, new_len, flags);
}

/* In mm/mremap.c's order, so that a call with several faults fails as Linux's does. */
static long
remap(struct aspace *as, uint64_t addr, uint64_t old_len, uint64_t new_len, int flags,
    uint64_t new_addr)
{
	struct vma *v;
	uint64_t end;
	long err;

	/* Whatever else is asked, addr must be in a region (6.1 looks first). */
	if (as_find(as, addr) == 0)
		return -EFAULT;
	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP))
		return remap_to(as, addr, old_len, new_len, flags, new_addr);
	/* Shrinking just unmaps the tail (of whatever is there). */
	if (old_len >= new_len) {
		err = munmap_range(as, addr + new_len, old_len - new_len);
		if (err && old_len != new_len)
			return err;
		return addr;
	}
	if ((err = remap_region(as, addr, old_len, &v)) != 0)
		return err;
	/* Grow in place when the range reaches the region's end and what follows is free. */
	end = v->v_end + (new_len - old_len);
	if (old_len == v->v_end - addr && end > v->v_end && end <= USER_TOP &&
	    !range_used(as, v->v_end, end)) {
		v->v_end = end;
		return addr;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	if ((new_addr = as_find_gap(as, new_len)) == 0)
		return -ENOMEM;
	return remap_move(as, v, addr, old_len, new_addr, new_len, flags);
}

long
as_remap(struct aspace *as, uint64_t addr, uint64_t old_len, uint64_t new_len, int flags,
    uint64_t new_addr)
{
	uint64_t fl = lock(as);
	long r;

	r = remap(as, addr, old_len, new_len, flags, new_addr);
	unlock(as, fl);
	return r;
}

struct mincore_arg {
	uint64_t start;
	unsigned char *vec;
};

static void
mincore_leaf(struct aspace *as, uint64_t va, uint64_t *pte, void *arg)
{
	struct mincore_arg *m = arg;

	m->vec[(va - m->start) >> PAGE_SHIFT] = 1;
}

/*
 * A page is resident when this address space maps a frame there (present
 * or PROT_NONE), or, in a shared region, when the object has its page:
 * Linux reports the page cache of a shmem mapping the same way.
 */
long
as_mincore(struct aspace *as, uint64_t start, uint64_t npages, unsigned char *vec)
{
	struct vma *v = as_find(as, start);
	struct mincore_arg m = { start, vec };
	uint64_t end, n, i, idx, fl;

	if (v == 0)
		return -ENOMEM;
	end = MIN(v->v_end, start + (npages << PAGE_SHIFT));
	n = (end - start) >> PAGE_SHIFT;
	memset(vec, 0, n);
	fl = lock(as);
	walk_leaves(as, as->as_root, 4, start, end, mincore_leaf, &m);
	unlock(as, fl);
	if (v->v_obj) {
		idx = v->v_pgoff + ((start - v->v_start) >> PAGE_SHIFT);
		for (i = 0; i < n; i++)
			if (!vec[i] && vmobj_lookup(v->v_obj, idx + i))
				vec[i] = 1;
	}
	return n;
}

/* madvise_populate: fault the pages in as an access would, without the signal. */
static int
populate(struct aspace *as, struct vma *v, uint64_t start, uint64_t end, int write)
{
	uint64_t va;
	int err;

	/* Linux asks for the region's permission (-EINVAL), PROT_NONE included. */
	if (write ? !(v->v_prot & VM_W) : !(v->v_prot & VM_R))
		return -EINVAL;
	for (va = start; va < end; va += PAGE_SIZE) {
		poll_shootdowns();
		if ((err = fault(as, va, write, 0, 0)) != 0)
			return err == -ENOMEM ? -ENOMEM : -EFAULT;	/* SIGBUS: -EFAULT */
	}
	return 0;
}

/*
 * One region's part [start, end) (madvise_vma_behavior).  The advice that
 * only describes an access pattern or asks for huge pages, merging,
 * swapping or dumps has nothing to act on here and succeeds, as on Linux.
 */
static int
advise_region(struct aspace *as, struct vma *v, uint64_t start, uint64_t end, int advice)
{
	uint32_t set = 0, clear = 0;
	struct vma *w;

	switch (advice) {
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
		/* A shared page stays in its object for the others (and for a re-touch). */
		unmap_pages(as, start, end);
		return 0;
	case MADV_FREE:
		/* Only private anonymous memory (vma_is_anonymous). */
		if (v->v_obj || v->v_kind == VK_FILE || v->v_kind == VK_IMAGE)
			return -EINVAL;
		unmap_pages(as, start, end);
		return 0;
	case MADV_REMOVE:
		/*
		 * Punching a hole needs a file behind the region: a private
		 * anonymous one has none, a read-only or private one is
		 * EACCES.  Shared memory objects cannot drop a page from the
		 * other processes' tables (there is no reverse map yet):
		 * -EOPNOTSUPP, what a file system without hole punching says.
		 */
		if (v->v_obj == 0 && v->v_kind != VK_FILE && v->v_kind != VK_IMAGE)
			return -EINVAL;
		if (v->v_obj == 0 || !(v->v_prot & VM_W))
			return -EACCES;
		return -EOPNOTSUPP;
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
		return populate(as, v, start, end, advice == MADV_POPULATE_WRITE);
	case MADV_DONTFORK:
		set = VF_DONTFORK;
		break;
	case MADV_DOFORK:
		clear = VF_DONTFORK;
		break;
	case MADV_WIPEONFORK:
		if (v->v_obj || v->v_kind == VK_FILE || v->v_kind == VK_IMAGE)
			return -EINVAL;
		set = VF_WIPEONFORK;
		break;
	case MADV_KEEPONFORK:
		clear = VF_WIPEONFORK;
		break;
	default:
		return 0;
	}
	if (((v->v_flags | set) & ~clear) == v->v_flags)
		return 0;
	if (split_at(as, start) || split_at(as, end))
		return -ENOMEM;
	for (w = as_find(as, start); w && w->v_start < end; w = w->v_next)
		w->v_flags = (w->v_flags | set) & ~clear;
	return 0;
}

/*
 * madvise_walk_vmas: each region's part in turn; the first error ends it,
 * and a hole is -ENOMEM once the rest is done.
 */
static int
advise(struct aspace *as, uint64_t start, uint64_t end, int advice)
{
	struct vma *v;
	uint64_t part;
	int err, hole = 0;

	for (v = as->as_vmas; v && v->v_end <= start; v = v->v_next)
		;
	for (;;) {
		if (v == 0)
			return -ENOMEM;
		if (start < v->v_start) {
			hole = 1;
			start = v->v_start;
			if (start >= end)
				break;
		}
		part = MIN(v->v_end, end);
		if ((err = advise_region(as, v, start, part, advice)) != 0)
			return err;
		start = part;
		if (start >= end)
			break;
		/* v may have been split, and stays the first part: go on from it. */
		while (v && v->v_end <= start)
			v = v->v_next;
	}
	return hole ? -ENOMEM : 0;
}

int
as_advise(struct aspace *as, uint64_t start, uint64_t end, int advice)
{
	uint64_t fl = lock(as);
	int err;

	err = advise(as, start, end, advice);
	unlock(as, fl);
	return err;
}

/*
 * Read from an address space that need not be the current one (/proc's
 * cmdline, as Linux's access_remote_vm): as many bytes as lie in regions,
 * a page never touched reading as zeros.  The count read.
 */
uint64_t
as_copyin(struct aspace *as, uint64_t va, void *dst, uint64_t len)
{
	char *d = dst;
	uint64_t done = 0, fl = lock(as);

	while (done < len) {
		uint64_t off = va & (PAGE_SIZE - 1), n = MIN(len - done, PAGE_SIZE - off);
		uint64_t *pte;

		if (va >= USER_TOP || as_find(as, va) == 0)
			break;
		pte = pt_walk(vm_ctx(), as->as_root, va, 0, 1);
		if (pte && HAS_FRAME(*pte))
			memcpy(d + done, (char *)PHYS_TO_VIRT(*pte & PTE_ADDR_MASK) + off, n);
		else
			memset(d + done, 0, n);
		va += n;
		done += n;
	}
	unlock(as, fl);
	return done;
}
