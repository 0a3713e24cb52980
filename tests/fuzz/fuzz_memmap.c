/*
 * fuzz_memmap.c: libFuzzer harness for lib/memmap.c: mm_ranges on a raw
 * UEFI memory map, then mm_add and mm_remove on its result.
 *
 * Input layout (little endian):
 *   0  u16 stride		the descriptor size, as firmware reports it
 *   2  u8  flags		bit 0: map size as is, not cut to whole
 *				descriptors; bits 2:1: the type set, 0
 *				MM_RAM_TYPES, 1 MM_FREE_TYPES, 2 the u32 at 4,
 *				3 every type
 *   3  u8  max		the output array holds 1 + max % 64 ranges
 *   4  u32 want		(flags bits 2:1 = 2)
 *   8  u16 ndesc		the map is the next ndesc * stride bytes (or
 *				fewer, when the input ends)
 *   10 map, then operations to the end of the input:
 *	u8 op			bit 0: remove, else add; bit 1: two u64
 *				(base, end) follow, else two u16 (base and
 *				length in pages)
 * The map and the output array are exact-size allocations, so ASan sees
 * any access outside them.  Each result is compared with a model that
 * simply sorts and merges (-1 exactly when a step needs more than max
 * ranges or the map is malformed), and checked to be sorted, merged and
 * non-empty; a refused mm_add or mm_remove must leave the list unchanged.
 */
#include "fuzz.h"
#include <lib/memmap.h>

#define MODEL_MAX	(64 + 2)

/* The model: a sorted, merged list, rebuilt from scratch at every step. */
struct model {
	int n;
	struct mm_range r[MODEL_MAX + 1];
};

static int
range_cmp(const void *a, const void *b)
{
	const struct mm_range *x = a, *y = b;

	return x->mr_base < y->mr_base ? -1 : x->mr_base > y->mr_base;
}

static void
model_add(struct model *m, uint64_t base, uint64_t end)
{
	int i, k;

	if (base >= end)
		return;
	m->r[m->n].mr_base = base;
	m->r[m->n].mr_end = end;
	m->n++;
	qsort(m->r, m->n, sizeof(m->r[0]), range_cmp);
	for (i = 1, k = 0; i < m->n; i++) {
		if (m->r[i].mr_base <= m->r[k].mr_end) {
			if (m->r[i].mr_end > m->r[k].mr_end)
				m->r[k].mr_end = m->r[i].mr_end;
		} else {
			m->r[++k] = m->r[i];
		}
	}
	m->n = k + 1;
}

static void
model_remove(struct model *m, uint64_t base, uint64_t end)
{
	struct model out = { 0 };
	int i;

	if (base >= end)
		return;
	for (i = 0; i < m->n; i++) {
		if (m->r[i].mr_base < base)
			out.r[out.n++] = (struct mm_range){ m->r[i].mr_base,
			    m->r[i].mr_end < base ? m->r[i].mr_end : base };
		if (m->r[i].mr_end > end)
			out.r[out.n++] = (struct mm_range){
			    m->r[i].mr_base > end ? m->r[i].mr_base : end, m->r[i].mr_end };
	}
	*m = out;
}

static void
check_list(const struct mm_range *r, int n, int max, const struct model *m,
    const char *what)
{
	int i;

	FUZZ_CHECK(n >= 0 && n <= max, "%s: %d ranges, max %d", what, n, max);
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(r[i].mr_base < r[i].mr_end, "%s: range %d empty", what, i);
		if (i > 0)
			FUZZ_CHECK(r[i - 1].mr_end < r[i].mr_base,
			    "%s: ranges %d and %d not sorted and merged", what, i - 1, i);
	}
	FUZZ_CHECK(n == m->n && memcmp(r, m->r, n * sizeof(*r)) == 0,
	    "%s: %d ranges, the model has %d", what, n, m->n);
}

/* What mm_ranges should return, into m; -1 or the count. */
static int
model_ranges(const uint8_t *map, uint64_t size, uint64_t stride, uint32_t want,
    int max, struct model *m)
{
	struct efi_mdesc d;
	uint64_t off;

	m->n = 0;
	if (stride < sizeof(d) || stride % 8 || size % stride)
		return -1;
	for (off = 0; off < size; off += stride) {
		memcpy(&d, map + off, sizeof(d));
		if (d.md_type >= 32 || !(want & (1u << d.md_type)) || d.md_pages == 0)
			continue;
		if (d.md_pages > UINT64_MAX >> PAGE_SHIFT ||
		    d.md_phys > UINT64_MAX - (d.md_pages << PAGE_SHIFT))
			return -1;
		model_add(m, d.md_phys & ~(PAGE_SIZE - 1), d.md_phys +
		    (d.md_pages << PAGE_SHIFT));
		if (m->n > max)
			return -1;
	}
	return m->n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t sets[] = { MM_RAM_TYPES, MM_FREE_TYPES, 0, ~0u };
	struct mm_range *r, *saved;
	uint64_t stride, mapsize, base, end;
	struct model m, before;
	const uint8_t *p, *stop = data + size;
	uint32_t want;
	uint8_t *map, op;
	int max, n, want_n;

	if (size < 10)
		return 0;
	stride = fuzz_u16(data);
	want = sets[(data[2] >> 1) & 3];
	if (want == 0)
		want = fuzz_u32(data + 4);
	max = 1 + data[3] % 64;
	mapsize = (uint64_t)fuzz_u16(data + 8) * stride;
	if (mapsize > size - 10)
		mapsize = size - 10;
	if (!(data[2] & 1) && stride)
		mapsize -= mapsize % stride;
	p = data + 10 + mapsize;

	map = malloc(mapsize ? mapsize : 1);
	if (mapsize)
		memcpy(map, data + 10, mapsize);
	r = malloc(max * sizeof(*r));
	saved = malloc(max * sizeof(*r));
	n = mm_ranges(map, mapsize, stride, want, r, max);
	want_n = model_ranges(map, mapsize, stride, want, max, &m);
	free(map);
	FUZZ_CHECK(n == want_n, "mm_ranges: %d, the model says %d", n, want_n);
	if (n < 0) {
		n = 0;
		m.n = 0;
	}
	check_list(r, n, max, &m, "mm_ranges");

	while (p < stop) {
		op = *p++;
		if (op & 2) {
			if (stop - p < 16)
				break;
			base = fuzz_u64(p);
			end = fuzz_u64(p + 8);
			p += 16;
		} else {
			if (stop - p < 4)
				break;
			base = (uint64_t)fuzz_u16(p) << PAGE_SHIFT;
			end = base + ((uint64_t)fuzz_u16(p + 2) << PAGE_SHIFT);
			p += 4;
		}
		before = m;
		memcpy(saved, r, n * sizeof(*r));
		if (op & 1) {
			want_n = mm_remove(r, n, max, base, end);
			model_remove(&m, base, end);
		} else {
			want_n = mm_add(r, n, max, base, end);
			model_add(&m, base, end);
		}
		if (m.n > max) {
			/* Refused: no room, and nothing changed. */
			FUZZ_CHECK(want_n == -1, "%s [0x%lx, 0x%lx): %d ranges, max %d",
			    op & 1 ? "mm_remove" : "mm_add", base, end, want_n, max);
			FUZZ_CHECK(memcmp(saved, r, n * sizeof(*r)) == 0,
			    "a refused %s changed the list", op & 1 ? "mm_remove" : "mm_add");
			m = before;
			continue;
		}
		n = want_n;
		check_list(r, n, max, &m, op & 1 ? "mm_remove" : "mm_add");
	}
	free(r);
	free(saved);
	return 0;
}
