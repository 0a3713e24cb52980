/*
 * vmobj.c: shared anonymous memory objects (see vmobj.h).
 *
 * The slots are a radix tree of 512-entry pages, as deep as the size needs
 * (1 level to 2 MiB, 4 to the whole user half), made as pages are touched:
 * what it costs follows what was touched, not the size mapped.
 */
#include <keel/kernel.h>
#include <keel/refcount.h>
#include <keel/kheap.h>
#include <keel/pageref.h>
#include <keel/pmm.h>
#include <keel/vmobj.h>

#define SLOT_BITS	9
#define SLOTS		(1 << SLOT_BITS)

struct vmobj *
vmobj_create(uint64_t npages)
{
	struct vmobj *o;
	int levels = 1;

	ASSERT(npages > 0);
	while (levels < 4 && (npages - 1) >> (SLOT_BITS * levels))
		levels++;
	if ((o = kzalloc(sizeof(*o))) == 0)
		return 0;
	o->vo_npages = npages;
	o->vo_levels = levels;
	o->vo_refs = 1;
	return o;
}

void
vmobj_hold(struct vmobj *o)
{
	ASSERT(o->vo_refs > 0);
	ref_inc(&o->vo_refs);
}

static void
free_node(uint64_t node, int level)
{
	uint64_t *t = PHYS_TO_VIRT(node);
	int i;

	for (i = 0; i < SLOTS; i++) {
		if (t[i] == 0)
			continue;
		if (level == 1)
			pageref_dec(t[i]);
		else
			free_node(t[i], level - 1);
	}
	pmm_free(node);
}

void
vmobj_rele(struct vmobj *o)
{
	ASSERT(o->vo_refs > 0);
	if (ref_dec(&o->vo_refs) > 0)
		return;
	if (o->vo_root)
		free_node(o->vo_root, o->vo_levels);
	kfree(o);
}

/* The slot of page idx, making the tree down to it when make is set. */
static uint64_t *
slot(struct vmobj *o, uint64_t idx, int make)
{
	uint64_t *pp = &o->vo_root, node;
	int level;

	for (level = o->vo_levels; level >= 1; level--) {
		if (*pp == 0) {
			if (!make || (node = pmm_alloc()) == 0)
				return 0;
			memset(PHYS_TO_VIRT(node), 0, PAGE_SIZE);
			*pp = node;
		}
		pp = (uint64_t *)PHYS_TO_VIRT(*pp) +
		    ((idx >> (SLOT_BITS * (level - 1))) & (SLOTS - 1));
	}
	return pp;
}

uint64_t
vmobj_page(struct vmobj *o, uint64_t idx)
{
	uint64_t *s, pa;

	ASSERT(idx < o->vo_npages);
	if ((s = slot(o, idx, 1)) == 0)
		return 0;
	if (*s == 0) {
		if ((pa = pmm_alloc()) == 0)
			return 0;
		memset(PHYS_TO_VIRT(pa), 0, PAGE_SIZE);
		pageref_set1(pa);	/* the object's own count */
		*s = pa;
	}
	return *s;
}

uint64_t
vmobj_lookup(struct vmobj *o, uint64_t idx)
{
	uint64_t *s;

	if (idx >= o->vo_npages || (s = slot(o, idx, 0)) == 0)
		return 0;
	return *s;
}
