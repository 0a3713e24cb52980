/*
 * bootinfo.c: validation of the boot-info block before anything in it is
 * used (see shared/bootinfo.h).  The kernel refuses a block that was not
 * written by a loader speaking exactly this protocol version.
 */
#include <keel/bootinfo.h>
#include <shared/layout.h>

static int
wraps(uint64_t base, uint64_t size)
{
	return base + size < base;
}

const char *
bootinfo_check(const struct bootinfo *bi)
{
	int i;

	if (bi->bi_magic != BOOTINFO_MAGIC)
		return "bad magic (not a boot-info block)";
	if (bi->bi_version != BOOTINFO_VERSION)
		return "unsupported protocol version";
	if (bi->bi_size < sizeof(struct bootinfo))
		return "block smaller than this kernel's struct bootinfo";
	if (bi->bi_mmap == 0 || bi->bi_mmap_size == 0)
		return "no memory map";
	if (bi->bi_mmap_desc_size < sizeof(struct efi_mdesc) ||
	    bi->bi_mmap_desc_size % 8 != 0)
		return "memory-map descriptor size too small or misaligned";
	if (bi->bi_mmap_size % bi->bi_mmap_desc_size != 0)
		return "memory-map size is not a whole number of descriptors";
	if (wraps(bi->bi_mmap, bi->bi_mmap_size) ||
	    bi->bi_mmap + bi->bi_mmap_size > DIRECT_MAP_SIZE)
		return "memory map outside physical memory";
	if (bi->bi_kernel_size == 0 || (bi->bi_kernel_phys | bi->bi_kernel_size |
	    bi->bi_kernel_virt) & (PAGE_SIZE - 1))
		return "kernel image range missing or not page aligned";
	if (bi->bi_kernel_virt < KERNEL_BASE || wraps(bi->bi_kernel_virt, bi->bi_kernel_size))
		return "kernel image outside the kernel area";
	if (wraps(bi->bi_kernel_phys, bi->bi_kernel_size) ||
	    bi->bi_kernel_phys + bi->bi_kernel_size > DIRECT_MAP_SIZE)
		return "kernel image outside physical memory";
	if (bi->bi_pt_pages > DIRECT_MAP_SIZE >> PAGE_SHIFT ||
	    wraps(bi->bi_pt_phys, bi->bi_pt_pages << PAGE_SHIFT) ||
	    bi->bi_pt_phys + (bi->bi_pt_pages << PAGE_SHIFT) > DIRECT_MAP_SIZE)
		return "loader page tables outside physical memory";
	if (wraps(bi->bi_initrd_phys, bi->bi_initrd_size) ||
	    bi->bi_initrd_phys + bi->bi_initrd_size > DIRECT_MAP_SIZE)
		return "initrd outside physical memory";
	if (bi->bi_fb_format > BI_FB_BITMASK)
		return "unknown framebuffer format";
	/* pitch * height * 4 <= size, by division: the product could wrap. */
	if (bi->bi_fb_format != BI_FB_NONE &&
	    (bi->bi_fb_pitch < bi->bi_fb_width || bi->bi_fb_width == 0 ||
	    bi->bi_fb_height == 0 || wraps(bi->bi_fb_phys, bi->bi_fb_size) ||
	    bi->bi_fb_height > bi->bi_fb_size / 4 / bi->bi_fb_pitch))
		return "framebuffer geometry inconsistent";
	if (bi->bi_seed_source < BI_SEED_EFI_RNG || bi->bi_seed_source > BI_SEED_TSC)
		return "unknown seed source";
	for (i = 0; i < BOOTINFO_CMDLINE_MAX; i++)
		if (bi->bi_cmdline[i] == 0)
			return 0;
	return "command line not terminated";
}
