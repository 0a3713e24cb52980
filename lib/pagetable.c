/*
 * pagetable.c: x86-64 page-table construction and lookup (see pagetable.h).
 *
 * Intermediate entries are made permissive (present, writable, and user when
 * the leaf is a user mapping) so that the leaf alone decides the access; the
 * CPU ANDs W and U and ORs NX across the levels (SDM 4.6).
 */
#include <lib/pagetable.h>

int
pt_canonical(uint64_t va)
{
	uint64_t top = va >> 47;

	return top == 0 || top == 0x1ffff;
}

static uint64_t
level_size(int level)
{
	return (uint64_t)1 << (PAGE_SHIFT + 9 * (level - 1));
}

/* The table one level below *pte, made when absent; 0 on failure. */
static uint64_t *
next_table(struct pt_ctx *ctx, uint64_t *pte, uint64_t flags, int *err)
{
	uint64_t pa;

	if (*pte & PTE_P) {
		if (*pte & PTE_PS) {
			*err = PT_EEXIST;
			return 0;
		}
		/* A user leaf below an existing kernel-only table needs U here. */
		*pte |= flags & PTE_U;
		return ctx->pt_ptr(ctx->pt_arg, *pte & PTE_ADDR_MASK);
	}
	pa = ctx->pt_alloc(ctx->pt_arg);
	if (pa == 0) {
		*err = PT_ENOMEM;
		return 0;
	}
	*pte = pa | PTE_P | PTE_W | (flags & PTE_U);
	return ctx->pt_ptr(ctx->pt_arg, pa);
}

static int
can_use_level(struct pt_ctx *ctx, int level, uint64_t va, uint64_t pa,
    uint64_t left)
{
	uint64_t sz = level_size(level);

	if (level == 3 && !ctx->pt_allow_1g)
		return 0;
	if (level == 2 && !ctx->pt_allow_2m)
		return 0;
	return ((va | pa) & (sz - 1)) == 0 && left >= sz;
}

int
pt_map(struct pt_ctx *ctx, uint64_t root, uint64_t va, uint64_t pa,
    uint64_t size, uint64_t flags)
{
	uint64_t end = va + size;
	int err = PT_OK;

	if (((va | pa | size) & (PAGE_SIZE - 1)) || (flags & ~PTE_FLAGS_MASK))
		return PT_EINVAL;
	if (size == 0)
		return PT_OK;
	if (end < va && end != 0)
		return PT_EINVAL;
	if (!pt_canonical(va) || !pt_canonical(end - 1) ||
	    (va >> 47) != ((end - 1) >> 47))
		return PT_EINVAL;

	while (va != end) {
		uint64_t *table = ctx->pt_ptr(ctx->pt_arg, root);
		uint64_t left = end - va;
		int level;

		/* Descend until a leaf of the largest size that fits. */
		for (level = 4; level > 1; level--) {
			uint64_t *pte = &table[PT_INDEX(va, level)];

			if (level <= 3 && can_use_level(ctx, level, va, pa, left) &&
			    !(*pte & PTE_P))
				break;
			table = next_table(ctx, pte, flags, &err);
			if (table == 0)
				return err;
		}
		/*
		 * The leaves that fit in this table, without descending again
		 * for each (a 4 MiB framebuffer is a thousand 4 KiB pages).
		 */
		do {
			if (table[PT_INDEX(va, level)] & PTE_P)
				return PT_EEXIST;
			table[PT_INDEX(va, level)] = pa | flags | PTE_P |
			    (level > 1 ? PTE_PS : 0);
			va += level_size(level);
			pa += level_size(level);
		} while (level == 1 && va != end && PT_INDEX(va, 1) != 0);
	}
	return PT_OK;
}

/*
 * Remove the 4 KiB mappings of [va, va+size).  Page-table pages are kept: the
 * kernel half's are shared by every address space and never freed, the user
 * half's go with the address space.  Large pages in the range are an error.
 */
int
pt_unmap(struct pt_ctx *ctx, uint64_t root, uint64_t va, uint64_t size)
{
	uint64_t end = va + size;

	if ((va | size) & (PAGE_SIZE - 1))
		return PT_EINVAL;
	if (size == 0)
		return PT_OK;
	/* The same range rules as pt_map: a bad range must not alias another. */
	if ((end < va && end != 0) || !pt_canonical(va) || !pt_canonical(end - 1) ||
	    (va >> 47) != ((end - 1) >> 47))
		return PT_EINVAL;
	for (; va != end; va += PAGE_SIZE) {
		uint64_t *table = ctx->pt_ptr(ctx->pt_arg, root);
		int level;

		for (level = 4; level > 1; level--) {
			uint64_t e = table[PT_INDEX(va, level)];

			if (!(e & PTE_P))
				break;
			if (e & PTE_PS)
				return PT_EEXIST;
			table = ctx->pt_ptr(ctx->pt_arg, e & PTE_ADDR_MASK);
		}
		if (level == 1)
			table[PT_INDEX(va, 1)] = 0;
	}
	return PT_OK;
}

/*
 * Translate va.  *flags gets the effective permissions: W and U only when
 * every level grants them, NX when any level sets it.  Returns PT_OK, 1 when
 * va is not mapped, or PT_EINVAL for a non-canonical address.
 */
int
pt_translate(struct pt_ctx *ctx, uint64_t root, uint64_t va, uint64_t *pa,
    uint64_t *flags)
{
	uint64_t *table = ctx->pt_ptr(ctx->pt_arg, root);
	uint64_t eff = PTE_W | PTE_U;
	int level;

	if (!pt_canonical(va))
		return PT_EINVAL;
	for (level = 4; level >= 1; level--) {
		uint64_t e = table[PT_INDEX(va, level)];

		if (!(e & PTE_P))
			return 1;
		eff &= e | ~(PTE_W | PTE_U);
		eff |= e & PTE_NX;
		if (level == 1 || (e & PTE_PS)) {
			uint64_t sz = level_size(level);

			if (pa)
				*pa = (e & PTE_ADDR_MASK & ~(sz - 1)) | (va & (sz - 1));
			if (flags)
				*flags = eff | PTE_P | (e & (PTE_G | PTE_PCD | PTE_PWT));
			return PT_OK;
		}
		table = ctx->pt_ptr(ctx->pt_arg, e & PTE_ADDR_MASK);
	}
	return 1;
}

uint64_t *
pt_walk(struct pt_ctx *ctx, uint64_t root, uint64_t va, int create, int user)
{
	uint64_t *table = ctx->pt_ptr(ctx->pt_arg, root);
	int level, err = PT_OK;

	for (level = 4; level > 1; level--) {
		uint64_t *pte = &table[PT_INDEX(va, level)];

		if (!(*pte & PTE_P) && !create)
			return 0;
		table = next_table(ctx, pte, user ? PTE_U : 0, &err);
		if (table == 0)
			return 0;
	}
	return &table[PT_INDEX(va, 1)];
}
