/*
 * fuzz_bootinfo.c: libFuzzer harness for bootinfo_check (kernel/bootinfo.c),
 * the kernel's first look at what the loader handed over.
 *
 * The input is the block: its first sizeof(struct bootinfo) bytes, zeros
 * after a short input.  bootinfo_check must not crash on any block, and
 * when it accepts one, every check it makes must really hold, computed
 * here without wrapping arithmetic.  The addresses in the block are
 * physical: they are compared, never dereferenced.
 *
 * Built with -DBOOTINFO_STRICT, it also asserts what the kernel relies on
 * after the check but bootinfo_check does not look at (mem.c reserves
 * [bi_kernel_phys, +bi_kernel_size) and [bi_pt_phys, +bi_pt_pages pages)
 * and hands the rest to the page allocator): a way to show those gaps, not
 * part of `make fuzz`.
 */
#include "fuzz.h"
#include <keel/bootinfo.h>
#include <shared/layout.h>

/* [base, base + size) is physical memory the direct map reaches. */
static int
in_direct_map(uint64_t base, uint64_t size)
{
	return base <= DIRECT_MAP_SIZE && size <= DIRECT_MAP_SIZE - base;
}

static void
check_accepted(const struct bootinfo *bi)
{
	unsigned __int128 fbneed;

	FUZZ_CHECK(bi->bi_magic == BOOTINFO_MAGIC && bi->bi_version == BOOTINFO_VERSION &&
	    bi->bi_size >= sizeof(*bi), "header");
	FUZZ_CHECK(bi->bi_mmap != 0 && bi->bi_mmap_size != 0, "no memory map");
	FUZZ_CHECK(bi->bi_mmap_desc_size >= sizeof(struct efi_mdesc) &&
	    bi->bi_mmap_desc_size % 8 == 0 &&
	    bi->bi_mmap_size % bi->bi_mmap_desc_size == 0,
	    "descriptor size %u, map size %lu", bi->bi_mmap_desc_size, bi->bi_mmap_size);
	FUZZ_CHECK(in_direct_map(bi->bi_mmap, bi->bi_mmap_size),
	    "memory map [0x%lx, +0x%lx) outside physical memory", bi->bi_mmap,
	    bi->bi_mmap_size);
	FUZZ_CHECK(bi->bi_kernel_size != 0 && bi->bi_kernel_phys % PAGE_SIZE == 0 &&
	    bi->bi_kernel_virt % PAGE_SIZE == 0 && bi->bi_kernel_size % PAGE_SIZE == 0,
	    "kernel range");
	FUZZ_CHECK(bi->bi_kernel_virt >= KERNEL_BASE &&
	    bi->bi_kernel_size <= UINT64_MAX - bi->bi_kernel_virt, "kernel virtual range");
	FUZZ_CHECK(in_direct_map(bi->bi_initrd_phys, bi->bi_initrd_size),
	    "initrd [0x%lx, +0x%lx) outside physical memory", bi->bi_initrd_phys,
	    bi->bi_initrd_size);
	FUZZ_CHECK(bi->bi_fb_format <= BI_FB_BITMASK, "framebuffer format %u",
	    bi->bi_fb_format);
	if (bi->bi_fb_format != BI_FB_NONE) {
		fbneed = (unsigned __int128)bi->bi_fb_pitch * bi->bi_fb_height * 4;
		FUZZ_CHECK(bi->bi_fb_width != 0 && bi->bi_fb_height != 0 &&
		    bi->bi_fb_pitch >= bi->bi_fb_width, "framebuffer %ux%u pitch %u",
		    bi->bi_fb_width, bi->bi_fb_height, bi->bi_fb_pitch);
		FUZZ_CHECK(bi->bi_fb_size <= UINT64_MAX - bi->bi_fb_phys,
		    "framebuffer range wraps");
		FUZZ_CHECK(fbneed <= bi->bi_fb_size,
		    "framebuffer of %u lines of %u pixels does not fit in its %lu bytes",
		    bi->bi_fb_height, bi->bi_fb_pitch, bi->bi_fb_size);
	}
	FUZZ_CHECK(bi->bi_seed_source >= BI_SEED_EFI_RNG && bi->bi_seed_source <= BI_SEED_TSC,
	    "seed source %u", bi->bi_seed_source);
	FUZZ_CHECK(memchr(bi->bi_cmdline, 0, sizeof(bi->bi_cmdline)) != 0,
	    "command line not terminated");
#ifdef BOOTINFO_STRICT
	FUZZ_CHECK(in_direct_map(bi->bi_kernel_phys, bi->bi_kernel_size),
	    "kernel image [0x%lx, +0x%lx) outside physical memory", bi->bi_kernel_phys,
	    bi->bi_kernel_size);
	FUZZ_CHECK(bi->bi_pt_pages <= DIRECT_MAP_SIZE / PAGE_SIZE &&
	    in_direct_map(bi->bi_pt_phys, bi->bi_pt_pages * PAGE_SIZE),
	    "loader page tables [0x%lx, +%lu pages) outside physical memory",
	    bi->bi_pt_phys, bi->bi_pt_pages);
#endif
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bootinfo *bi = calloc(1, sizeof(*bi));
	const char *why;

	if (size)
		memcpy(bi, data, size < sizeof(*bi) ? size : sizeof(*bi));
	why = bootinfo_check(bi);
	if (why == 0)
		check_accepted(bi);
	else
		FUZZ_CHECK(why[0] != 0 && strnlen(why, 128) < 128, "bad reason string");
	free(bi);
	return 0;
}
