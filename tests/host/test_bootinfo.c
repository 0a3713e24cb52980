/*
 * test_bootinfo.c: host tests for bootinfo_check (kernel/bootinfo.c).
 *
 * good_block() fills in a block as the loader would on QEMU with OVMF; each
 * test breaks one field of it and checks that the block is refused with
 * the right reason, and where there is an edge, that the value just inside
 * it is still accepted.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <keel/bootinfo.h>
#include <shared/layout.h>

static struct bootinfo bi;

static void
good_block(void)
{
	memset(&bi, 0, sizeof(bi));
	bi.bi_magic = BOOTINFO_MAGIC;
	bi.bi_version = BOOTINFO_VERSION;
	bi.bi_size = sizeof(struct bootinfo);
	bi.bi_mmap = 0x7e000000;
	bi.bi_mmap_size = 120 * 48;
	bi.bi_mmap_desc_size = 48;
	bi.bi_mmap_desc_version = 1;
	bi.bi_kernel_phys = 0x1000000;
	bi.bi_kernel_virt = KERNEL_BASE;
	bi.bi_kernel_size = 0x40000;
	bi.bi_initrd_phys = 0x2000000;
	bi.bi_initrd_size = 0x1234;	/* a file: not page sized */
	bi.bi_fb_phys = 0x80000000;
	bi.bi_fb_width = 1280;
	bi.bi_fb_height = 800;
	bi.bi_fb_pitch = 1280;
	bi.bi_fb_size = 1280 * 800 * 4;
	bi.bi_fb_format = BI_FB_BGRX;
	bi.bi_rsdp = 0x7fb7e014;
	bi.bi_rsdp_revision = 2;
	bi.bi_efi_systab = 0x7f9ee018;
	memset(bi.bi_seed, 0x5a, sizeof(bi.bi_seed));
	bi.bi_seed_source = BI_SEED_RDRAND;
	bi.bi_ebs_tries = 1;
	bi.bi_pt_phys = 0x3000000;
	bi.bi_pt_pages = 16;
	strcpy(bi.bi_cmdline, "console=serial loglevel=7");
}

static void
accepted(void)
{
	const char *why = bootinfo_check(&bi);

	if (why != NULL)
		fail_msg("block refused: %s", why);
}

/* The block must be refused with a reason containing `part`. */
static void
refused(const char *part)
{
	const char *why = bootinfo_check(&bi);

	if (why == NULL)
		fail_msg("block accepted, expected a refusal containing \"%s\"", part);
	if (strstr(why, part) == NULL)
		fail_msg("reason \"%s\" does not contain \"%s\"", why, part);
}

static void
test_valid(void **state)
{
	good_block();
	accepted();

	/* Optional parts absent. */
	bi.bi_initrd_phys = 0;
	bi.bi_initrd_size = 0;
	bi.bi_fb_format = BI_FB_NONE;
	bi.bi_fb_phys = bi.bi_fb_size = 0;
	bi.bi_fb_width = bi.bi_fb_height = bi.bi_fb_pitch = 0;
	bi.bi_rsdp = 0;
	bi.bi_cmdline[0] = '\0';
	accepted();

	/* A loader newer than the kernel may pass a larger block. */
	good_block();
	bi.bi_size = sizeof(struct bootinfo) + 64;
	accepted();

	/* Every seed source and every framebuffer format is known. */
	for (bi.bi_seed_source = BI_SEED_EFI_RNG; bi.bi_seed_source <= BI_SEED_TSC;
	    bi.bi_seed_source++)
		accepted();
	bi.bi_seed_source = BI_SEED_TSC;
	for (bi.bi_fb_format = BI_FB_NONE; bi.bi_fb_format <= BI_FB_BITMASK;
	    bi.bi_fb_format++)
		accepted();
}

static void
test_bad_magic(void **state)
{
	good_block();
	bi.bi_magic = 0;
	refused("bad magic");
	good_block();
	bi.bi_magic = BOOTINFO_MAGIC ^ (1ULL << 63);
	refused("bad magic");
}

static void
test_bad_version(void **state)
{
	good_block();
	bi.bi_version = BOOTINFO_VERSION + 1;
	refused("version");
	good_block();
	bi.bi_version = 0;
	refused("version");
}

static void
test_size_too_small(void **state)
{
	good_block();
	bi.bi_size = sizeof(struct bootinfo) - 1;
	refused("smaller");
	good_block();
	bi.bi_size = 0;
	refused("smaller");
}

static void
test_no_mmap(void **state)
{
	good_block();
	bi.bi_mmap = 0;
	refused("no memory map");
	good_block();
	bi.bi_mmap_size = 0;
	refused("no memory map");
}

static void
test_desc_size(void **state)
{
	good_block();
	bi.bi_mmap_desc_size = 32;
	bi.bi_mmap_size = 32 * 10;
	refused("descriptor size");
	good_block();
	bi.bi_mmap_desc_size = 0;
	refused("descriptor size");
	/* Not a multiple of 8. */
	good_block();
	bi.bi_mmap_desc_size = 44;
	bi.bi_mmap_size = 44 * 10;
	refused("descriptor size");
	/* 40, the bare struct, is fine. */
	good_block();
	bi.bi_mmap_desc_size = 40;
	bi.bi_mmap_size = 40 * 10;
	accepted();
}

static void
test_mmap_size_not_multiple(void **state)
{
	good_block();
	bi.bi_mmap_size = 120 * 48 + 40;
	refused("whole number of descriptors");
	good_block();
	bi.bi_mmap_size = 47;
	refused("whole number of descriptors");
}

static void
test_mmap_outside(void **state)
{
	/* Ending exactly at the end of the direct map is fine, a byte more is not. */
	good_block();
	bi.bi_mmap = DIRECT_MAP_SIZE - bi.bi_mmap_size;
	accepted();
	bi.bi_mmap += 8;
	refused("memory map outside");
	good_block();
	bi.bi_mmap = DIRECT_MAP_SIZE;
	refused("memory map outside");
	/* Wrapping around 2^64. */
	good_block();
	bi.bi_mmap = ~0UL - 47;
	refused("memory map outside");
}

static void
test_kernel_range(void **state)
{
	good_block();
	bi.bi_kernel_phys += 0x800;
	refused("not page aligned");
	good_block();
	bi.bi_kernel_virt += 0x10;
	refused("not page aligned");
	good_block();
	bi.bi_kernel_size = 0x40001;
	refused("not page aligned");
	good_block();
	bi.bi_kernel_size = 0;
	refused("kernel image range missing");

	/* Below KERNEL_BASE: the direct map, the KVA area, the lower half. */
	good_block();
	bi.bi_kernel_virt = KERNEL_BASE - PAGE_SIZE;
	refused("kernel image outside the kernel area");
	good_block();
	bi.bi_kernel_virt = DIRECT_MAP_BASE;
	refused("kernel image outside the kernel area");
	good_block();
	bi.bi_kernel_virt = 0x1000000;
	refused("kernel image outside the kernel area");
	/* Running off the top of the address space. */
	good_block();
	bi.bi_kernel_size = 0x80000000;
	bi.bi_kernel_virt = KERNEL_BASE + PAGE_SIZE;
	refused("kernel image outside the kernel area");
}

static void
test_initrd(void **state)
{
	good_block();
	bi.bi_initrd_phys = ~0UL - 0xfff;
	bi.bi_initrd_size = 0x2000;
	refused("initrd outside");
	good_block();
	bi.bi_initrd_size = ~0UL;
	refused("initrd outside");
	good_block();
	bi.bi_initrd_phys = DIRECT_MAP_SIZE - 0x1000;
	bi.bi_initrd_size = 0x1001;
	refused("initrd outside");
}

static void
test_fb(void **state)
{
	good_block();
	bi.bi_fb_format = BI_FB_BITMASK + 1;
	refused("unknown framebuffer format");
	good_block();
	bi.bi_fb_format = 0xffffffff;
	refused("unknown framebuffer format");

	good_block();
	bi.bi_fb_pitch = bi.bi_fb_width - 1;
	refused("framebuffer geometry");
	/* A wider pitch than width is normal, if the buffer is big enough. */
	good_block();
	bi.bi_fb_pitch = 1344;
	bi.bi_fb_size = 1344 * 800 * 4;
	accepted();
	bi.bi_fb_size -= 4;
	refused("framebuffer geometry");

	good_block();
	bi.bi_fb_size = 1280 * 800 * 4 - 1;
	refused("framebuffer geometry");
	good_block();
	bi.bi_fb_width = bi.bi_fb_pitch = 0;
	refused("framebuffer geometry");
	good_block();
	bi.bi_fb_height = 0;
	refused("framebuffer geometry");
	good_block();
	bi.bi_fb_phys = ~0UL - 0xfff;
	refused("framebuffer geometry");
	/* pitch * height * 4 overflows 32 bits: must still be compared in 64. */
	good_block();
	bi.bi_fb_width = bi.bi_fb_pitch = 0x10000;
	bi.bi_fb_height = 0x10000;
	bi.bi_fb_size = 0x1000;
	refused("framebuffer geometry");
}

static void
test_seed_source(void **state)
{
	good_block();
	bi.bi_seed_source = 0;
	refused("unknown seed source");
	good_block();
	bi.bi_seed_source = BI_SEED_TSC + 1;
	refused("unknown seed source");
	good_block();
	bi.bi_seed_source = 0xffffffff;
	refused("unknown seed source");
}

static void
test_cmdline(void **state)
{
	good_block();
	memset(bi.bi_cmdline, 'a', BOOTINFO_CMDLINE_MAX);
	refused("command line not terminated");
	/* The longest allowed: the NUL in the last byte. */
	bi.bi_cmdline[BOOTINFO_CMDLINE_MAX - 1] = '\0';
	accepted();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_bad_version),
		cmocka_unit_test(test_size_too_small),
		cmocka_unit_test(test_no_mmap),
		cmocka_unit_test(test_desc_size),
		cmocka_unit_test(test_mmap_size_not_multiple),
		cmocka_unit_test(test_mmap_outside),
		cmocka_unit_test(test_kernel_range),
		cmocka_unit_test(test_initrd),
		cmocka_unit_test(test_fb),
		cmocka_unit_test(test_seed_source),
		cmocka_unit_test(test_cmdline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
