/*
 * bootinfo.h: the boot protocol, the one contract between loader/ and kernel/.
 *
 * The loader jumps to the kernel's ELF entry point with:
 *   - interrupts disabled, CR0.PG|PE|WP, CR4.PAE, EFER.LME|NXE set;
 *   - CR3 = page tables built by the loader (see layout.h): the direct map of
 *     every RAM region of the memory map, the kernel's segments at their link
 *     addresses with their ELF permissions, and an identity mapping of only
 *     the loader's hand-off trampoline page;
 *   - RSP = the top of a BOOT_STACK_SIZE stack, in the direct map;
 *   - RDI = the direct-map address of a struct bootinfo.
 * Boot services have been exited; runtime services were not relocated
 * (SetVirtualAddressMap was not called).
 *
 * Every address in the block is a *physical* address unless its comment says
 * otherwise; the kernel reaches them through the direct map.  Fields are fixed
 * width, little endian, and never reordered: a new field is appended and the
 * version raised.  A kernel refuses a block whose magic or version it does not
 * know, or whose size is smaller than the struct it was built against.
 */
#ifndef SHARED_BOOTINFO_H
#define SHARED_BOOTINFO_H

#include <stdint.h>

#define BOOTINFO_MAGIC		0x4f464e49544f4f42ULL	/* "BOOTINFO" little endian */
#define BOOTINFO_VERSION	1

#define BOOT_STACK_SIZE		(64 * 1024)
#define BOOTINFO_CMDLINE_MAX	512
#define BOOTINFO_SEED_SIZE	32

/* bi_fb_format */
#define BI_FB_NONE		0	/* no linear framebuffer */
#define BI_FB_RGBX		1	/* byte 0 red, 1 green, 2 blue, 3 reserved */
#define BI_FB_BGRX		2	/* byte 0 blue, 1 green, 2 red, 3 reserved */
#define BI_FB_BITMASK		3	/* bi_fb_mask_* say where each colour is */

/* bi_seed_source */
#define BI_SEED_EFI_RNG		1	/* EFI_RNG_PROTOCOL: good entropy */
#define BI_SEED_RDRAND		2	/* RDRAND mixed with the TSC: no EFI RNG */
#define BI_SEED_TSC		3	/* TSC only: weak, flagged as such */

/*
 * The memory map is passed raw, exactly as GetMemoryMap returned it: an array
 * of EFI_MEMORY_DESCRIPTORs, each bi_mmap_desc_size bytes apart (which is
 * larger than sizeof(EFI_MEMORY_DESCRIPTOR) on real firmware: never walk it
 * by sizeof).  The layout of one descriptor is struct efi_mdesc below.
 */
struct efi_mdesc {
	uint32_t md_type;		/* EFI_MEMORY_TYPE, EFI_MD_* below */
	uint32_t md_pad;
	uint64_t md_phys;		/* physical start, 4 KiB aligned */
	uint64_t md_virt;		/* unused: no SetVirtualAddressMap */
	uint64_t md_pages;		/* number of 4 KiB pages */
	uint64_t md_attr;		/* EFI_MEMORY_* attribute bits */
};
_Static_assert(sizeof(struct efi_mdesc) == 40, "UEFI 2.x EFI_MEMORY_DESCRIPTOR");

/* EFI_MEMORY_TYPE values (UEFI 2.10, section 7.2.1). */
#define EFI_MD_RESERVED		0
#define EFI_MD_LOADER_CODE	1
#define EFI_MD_LOADER_DATA	2
#define EFI_MD_BS_CODE		3
#define EFI_MD_BS_DATA		4
#define EFI_MD_RT_CODE		5
#define EFI_MD_RT_DATA		6
#define EFI_MD_CONVENTIONAL	7
#define EFI_MD_UNUSABLE		8
#define EFI_MD_ACPI_RECLAIM	9
#define EFI_MD_ACPI_NVS		10
#define EFI_MD_MMIO		11
#define EFI_MD_MMIO_PORT	12
#define EFI_MD_PAL_CODE		13
#define EFI_MD_PERSISTENT	14
#define EFI_MD_UNACCEPTED	15
#define EFI_MD_NTYPES		16

struct bootinfo {
	uint64_t bi_magic;		/* BOOTINFO_MAGIC */
	uint32_t bi_version;		/* BOOTINFO_VERSION */
	uint32_t bi_size;		/* sizeof(struct bootinfo) as the loader knew it */

	/* Memory map, raw (see above). */
	uint64_t bi_mmap;		/* physical address of the first descriptor */
	uint64_t bi_mmap_size;		/* bytes used in the buffer */
	uint32_t bi_mmap_desc_size;	/* stride between descriptors */
	uint32_t bi_mmap_desc_version;	/* EFI_MEMORY_DESCRIPTOR_VERSION (1) */

	/* Where the kernel image was put: one physically contiguous block. */
	uint64_t bi_kernel_phys;	/* physical address of bi_kernel_virt */
	uint64_t bi_kernel_virt;	/* virtual address of the lowest segment, page aligned */
	uint64_t bi_kernel_size;	/* bytes, page aligned, all segments */

	/* Initial RAM disk (cpio newc); size 0 when there is none. */
	uint64_t bi_initrd_phys;
	uint64_t bi_initrd_size;

	/* Linear framebuffer from GOP; bi_fb_format BI_FB_NONE when absent. */
	uint64_t bi_fb_phys;
	uint64_t bi_fb_size;		/* bytes */
	uint32_t bi_fb_width;		/* visible pixels */
	uint32_t bi_fb_height;
	uint32_t bi_fb_pitch;		/* pixels per scan line (>= width) */
	uint32_t bi_fb_format;		/* BI_FB_* */
	uint32_t bi_fb_mask_red;	/* for BI_FB_BITMASK */
	uint32_t bi_fb_mask_green;
	uint32_t bi_fb_mask_blue;
	uint32_t bi_fb_mask_reserved;

	/* Firmware tables. */
	uint64_t bi_rsdp;		/* ACPI RSDP, 0 when none */
	uint32_t bi_rsdp_revision;	/* 0: ACPI 1.0 RSDP, 2: ACPI 2.0+ (XSDT) */
	uint32_t bi_pad0;
	uint64_t bi_efi_systab;		/* EFI_SYSTEM_TABLE */

	/* Entropy for the kernel (stack canary, KASLR, ...). */
	uint8_t bi_seed[BOOTINFO_SEED_SIZE];
	uint32_t bi_seed_source;	/* BI_SEED_* */
	uint32_t bi_ebs_tries;		/* ExitBootServices attempts (1 normally) */

	/* TSC readings taken by the loader. */
	uint64_t bi_tsc_loader_start;	/* first instruction of efi_main */
	uint64_t bi_tsc_handoff;	/* just before the jump to the kernel */

	/* Page-table pages the loader allocated (reclaimable once replaced). */
	uint64_t bi_pt_phys;		/* first page-table page */
	uint64_t bi_pt_pages;		/* contiguous pages from bi_pt_phys */

	/* Kernel command line: NUL terminated, at most BOOTINFO_CMDLINE_MAX-1 chars. */
	char bi_cmdline[BOOTINFO_CMDLINE_MAX];
};

_Static_assert(__builtin_offsetof(struct bootinfo, bi_magic) == 0, "magic first");
_Static_assert(__builtin_offsetof(struct bootinfo, bi_version) == 8, "version second");
_Static_assert(__builtin_offsetof(struct bootinfo, bi_size) == 12, "size third");
_Static_assert(__builtin_offsetof(struct bootinfo, bi_mmap) == 16, "layout");
_Static_assert(__builtin_offsetof(struct bootinfo, bi_fb_phys) == 80, "layout");
_Static_assert(__builtin_offsetof(struct bootinfo, bi_rsdp) == 128, "layout");
_Static_assert(__builtin_offsetof(struct bootinfo, bi_seed) == 152, "layout");
_Static_assert(__builtin_offsetof(struct bootinfo, bi_cmdline) == 224, "layout");
_Static_assert(sizeof(struct bootinfo) == 736, "bootinfo size is ABI");

#endif /* SHARED_BOOTINFO_H */
