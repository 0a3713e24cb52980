/*
 * pagetable.h: building and reading x86-64 4-level page tables, with no
 * knowledge of where page-table pages come from or how they are reached.
 *
 * Interface:
 *   pt_map(ctx, root, va, pa, size, flags)   map [va, va+size) -> pa
 *   pt_unmap(ctx, root, va, size)            remove 4 KiB mappings
 *   pt_translate(ctx, root, va, &pa, &flags) walk, with effective permissions
 *
 * The same code runs in the loader (pages from AllocatePages, reached by
 * identity), in the kernel (pages from the frame allocator, reached through
 * the direct map) and in host tests (fake physical memory in an array).
 */
#ifndef LIB_PAGETABLE_H
#define LIB_PAGETABLE_H

#include <stdint.h>
#include <lib/pte.h>

struct pt_ctx {
	/* A zeroed 4 KiB page-table page; 0 when memory is exhausted. */
	uint64_t (*pt_alloc)(void *arg);
	/* Where the page at physical address pa can be read and written. */
	uint64_t *(*pt_ptr)(void *arg, uint64_t pa);
	void *pt_arg;
	int pt_allow_1g;	/* CPUID.80000001H:EDX.Page1GB */
	int pt_allow_2m;	/* may use 2 MiB pages */
};

#define PT_OK		0
#define PT_ENOMEM	(-1)	/* pt_alloc failed */
#define PT_EEXIST	(-2)	/* part of the range is already mapped */
#define PT_EINVAL	(-3)	/* unaligned, non-canonical or wrapping range */

int pt_map(struct pt_ctx *ctx, uint64_t root, uint64_t va, uint64_t pa,
    uint64_t size, uint64_t flags);
int pt_unmap(struct pt_ctx *ctx, uint64_t root, uint64_t va, uint64_t size);
int pt_translate(struct pt_ctx *ctx, uint64_t root, uint64_t va, uint64_t *pa,
    uint64_t *flags);
int pt_canonical(uint64_t va);
/*
 * The 4 KiB leaf entry for va, making the tables above it when create is
 * set (intermediates get U when user is set); 0 when absent and not
 * created, when memory ran out, or when a large page covers va.
 */
uint64_t *pt_walk(struct pt_ctx *ctx, uint64_t root, uint64_t va, int create,
    int user);

#endif /* LIB_PAGETABLE_H */
