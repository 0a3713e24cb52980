/*
 * memmap.c: UEFI memory map to sorted, merged ranges (see memmap.h).
 *
 * Insertion keeps the list sorted and merged at every step, so the work is
 * O(n * m) for n descriptors and m ranges: fine for the few hundred entries
 * real firmware produces, and no allocation is needed.
 */
#include <lib/memmap.h>

static void
move_ranges(struct mm_range *dst, struct mm_range *src, int n)
{
	int i;

	if (dst < src)
		for (i = 0; i < n; i++)
			dst[i] = src[i];
	else
		for (i = n - 1; i >= 0; i--)
			dst[i] = src[i];
}

int
mm_add(struct mm_range *r, int n, int max, uint64_t base, uint64_t end)
{
	int i, j;

	if (base >= end)
		return n;
	/* First range that ends at or after base: it may merge. */
	for (i = 0; i < n && r[i].mr_end < base; i++)
		;
	/* Ranges i..j-1 touch or overlap [base, end). */
	for (j = i; j < n && r[j].mr_base <= end; j++) {
		if (r[j].mr_base < base)
			base = r[j].mr_base;
		if (r[j].mr_end > end)
			end = r[j].mr_end;
	}
	if (j == i) {
		if (n == max)
			return -1;
		move_ranges(&r[i + 1], &r[i], n - i);
		n++;
	} else {
		move_ranges(&r[i + 1], &r[j], n - j);
		n -= j - i - 1;
	}
	r[i].mr_base = base;
	r[i].mr_end = end;
	return n;
}

int
mm_remove(struct mm_range *r, int n, int max, uint64_t base, uint64_t end)
{
	int i;

	if (base >= end)
		return n;
	for (i = 0; i < n; i++) {
		if (r[i].mr_end <= base || r[i].mr_base >= end)
			continue;
		if (r[i].mr_base < base && r[i].mr_end > end) {
			/* Split in two. */
			if (n == max)
				return -1;
			move_ranges(&r[i + 1], &r[i], n - i);
			n++;
			r[i].mr_end = base;
			r[i + 1].mr_base = end;
			return n;
		}
		if (r[i].mr_base < base) {
			r[i].mr_end = base;
		} else if (r[i].mr_end > end) {
			r[i].mr_base = end;
		} else {
			move_ranges(&r[i], &r[i + 1], n - i - 1);
			n--;
			i--;
		}
	}
	return n;
}

int
mm_ranges(const void *map, uint64_t size, uint64_t stride, uint32_t want,
    struct mm_range *out, int max)
{
	const unsigned char *p = map;
	uint64_t off;
	int n = 0;

	/* Descriptors hold 64-bit fields: a stride that misaligns them is malformed. */
	if (stride < sizeof(struct efi_mdesc) || stride % 8 || size % stride)
		return -1;
	for (off = 0; off < size; off += stride) {
		const struct efi_mdesc *d = (const struct efi_mdesc *)(p + off);
		uint64_t end;

		if (d->md_type >= 32 || !(want & (1u << d->md_type)))
			continue;
		if (d->md_pages == 0)
			continue;
		if (d->md_pages > (~0UL >> PAGE_SHIFT) ||
		    d->md_phys > ~0UL - (d->md_pages << PAGE_SHIFT))
			return -1;
		end = d->md_phys + (d->md_pages << PAGE_SHIFT);
		n = mm_add(out, n, max, d->md_phys & ~(PAGE_SIZE - 1), end);
		if (n < 0)
			return -1;
	}
	return n;
}
