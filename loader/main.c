/*
 * main.c: the loader's boot flow.
 *
 * efi_main loads \boot\kernel.elf, \boot\initrd.cpio and \boot\cmdline.txt
 * from the volume the loader itself came from, validates the kernel, builds
 * the page tables described in shared/bootinfo.h, exits boot services and
 * jumps to the kernel.  Any failure before ExitBootServices prints one line
 * saying what and why, frees what was allocated and returns to the firmware.
 */
#include "loader.h"
#include <shared/bootinfo.h>
#include <shared/layout.h>
#include <lib/elf64.h>
#include <lib/fmt.h>
#include <lib/kelf.h>
#include <lib/memmap.h>
#include <lib/pagetable.h>

#define KERNEL_PATH	L"\\boot\\kernel.elf"
#define KERNEL_NAME	"\\boot\\kernel.elf"
#define INITRD_PATH	L"\\boot\\initrd.cpio"
#define CMDLINE_PATH	L"\\boot\\cmdline.txt"

#define MAX_RANGES	512
#define EBS_TRIES	4
/* Spare room in the final memory-map buffer, for descriptors that appear late. */
#define MMAP_SLACK	(16 * 64 + EFI_PAGE_SIZE)

static struct mm_range ranges[MAX_RANGES];

/* ---- the volume and its files ---- */

static EFI_STATUS
open_boot_volume(EFI_HANDLE image, EFI_LOADED_IMAGE **li, EFI_FILE_HANDLE *vol)
{
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *fs;
	EFI_STATUS st;

	st = BS->HandleProtocol(image, &LoadedImageProtocol, (void **)li);
	if (EFI_ERROR(st))
		return fail(st, "loader: no LoadedImage protocol: %s", efi_strerror(st));
	st = BS->HandleProtocol((*li)->DeviceHandle, &FileSystemProtocol, (void **)&fs);
	if (EFI_ERROR(st))
		return fail(st, "loader: boot device has no file system: %s",
		    efi_strerror(st));
	st = fs->OpenVolume(fs, vol);
	if (EFI_ERROR(st))
		return fail(st, "loader: cannot open the boot volume: %s", efi_strerror(st));
	return EFI_SUCCESS;
}

/* Copy printable ASCII; anything else makes the text unusable (returns -1). */
static int
ascii_line(char *out, int max, const void *src, int n, int wide)
{
	int i, len = 0;

	for (i = 0; i < n; i++) {
		unsigned c = wide ? ((const CHAR16 *)src)[i] : ((const unsigned char *)src)[i];

		if (c == 0 || c == '\n' || c == '\r')
			break;
		if (c == '\t')
			c = ' ';
		if (c < 0x20 || c > 0x7e)
			return -1;
		if (len < max - 1)
			out[len++] = (char)c;
	}
	while (len > 0 && out[len - 1] == ' ')
		len--;
	out[len] = 0;
	return len;
}

/*
 * Load options from a boot entry or the UEFI shell override cmdline.txt.
 * The shell passes the image's own name first; drop a first word ending in
 * ".efi".  Binary load options (some firmware passes a GUID) are ignored.
 */
static int
cmdline_from_options(EFI_LOADED_IMAGE *li, char *out, int max)
{
	char tmp[BOOTINFO_CMDLINE_MAX];
	char *p = tmp;
	int n, i;

	if (li->LoadOptions == NULL || li->LoadOptionsSize < 2)
		return 0;
	n = ascii_line(tmp, sizeof(tmp), li->LoadOptions, li->LoadOptionsSize / 2, 1);
	if (n <= 0)
		return 0;
	while (*p == ' ')
		p++;
	for (i = 0; p[i] && p[i] != ' '; i++)
		;
	if (i >= 4 && (p[i - 4] == '.') && (p[i - 3] | 0x20) == 'e' &&
	    (p[i - 2] | 0x20) == 'f' && (p[i - 1] | 0x20) == 'i')
		for (p += i; *p == ' '; p++)
			;
	if (*p == 0)
		return 0;
	fmt_snprintf(out, max, "%s", p);
	return 1;
}

static void
cmdline_from_file(EFI_FILE_HANDLE vol, char *out, int max)
{
	uint64_t pa, size;
	EFI_STATUS st;

	out[0] = 0;
	st = file_read(vol, CMDLINE_PATH, &pa, &size);
	if (st == EFI_NOT_FOUND)
		return;
	if (EFI_ERROR(st)) {
		say("loader: cannot read \\boot\\cmdline.txt: %s (ignored)", efi_strerror(st));
		return;
	}
	if (ascii_line(out, max, (void *)pa, size > 4096 ? 4096 : (int)size, 0) < 0) {
		say("loader: \\boot\\cmdline.txt is not plain ASCII (ignored)");
		out[0] = 0;
	}
}

/* ---- what the kernel wants to know about the machine ---- */

static void
find_framebuffer(struct bootinfo *bi)
{
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop = NULL;
	EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info;
	UINTN isz;
	UINT32 m, best = ~0u;
	uint64_t bestarea = 0;
	EFI_STATUS st;

	/* Prefer the adapter behind the console (the screen the user looks at). */
	st = BS->HandleProtocol(ST->ConsoleOutHandle, &GraphicsOutputProtocol, (void **)&gop);
	if (EFI_ERROR(st))
		st = BS->LocateProtocol(&GraphicsOutputProtocol, NULL, (void **)&gop);
	if (EFI_ERROR(st) || gop == NULL) {
		say("loader: no graphics output (%s)", efi_strerror(st));
		return;
	}
	if (gop->Mode->Info->PixelFormat == PixelBltOnly) {
		/* No linear framebuffer in this mode: find the largest one with one. */
		for (m = 0; m < gop->Mode->MaxMode; m++) {
			if (EFI_ERROR(gop->QueryMode(gop, m, &isz, &info)))
				continue;
			if (info->PixelFormat != PixelBltOnly &&
			    (uint64_t)info->HorizontalResolution * info->VerticalResolution > bestarea) {
				bestarea = (uint64_t)info->HorizontalResolution *
				    info->VerticalResolution;
				best = m;
			}
			FreePool(info);
		}
		if (best == ~0u || EFI_ERROR(gop->SetMode(gop, best))) {
			say("loader: no graphics mode with a linear framebuffer");
			return;
		}
	}
	info = gop->Mode->Info;
	bi->bi_fb_phys = gop->Mode->FrameBufferBase;
	bi->bi_fb_size = gop->Mode->FrameBufferSize;
	bi->bi_fb_width = info->HorizontalResolution;
	bi->bi_fb_height = info->VerticalResolution;
	bi->bi_fb_pitch = info->PixelsPerScanLine;
	switch (info->PixelFormat) {
	case PixelRedGreenBlueReserved8BitPerColor:
		bi->bi_fb_format = BI_FB_RGBX;
		break;
	case PixelBlueGreenRedReserved8BitPerColor:
		bi->bi_fb_format = BI_FB_BGRX;
		break;
	default:
		bi->bi_fb_format = BI_FB_BITMASK;
		bi->bi_fb_mask_red = info->PixelInformation.RedMask;
		bi->bi_fb_mask_green = info->PixelInformation.GreenMask;
		bi->bi_fb_mask_blue = info->PixelInformation.BlueMask;
		bi->bi_fb_mask_reserved = info->PixelInformation.ReservedMask;
		break;
	}
}

static void
find_rsdp(struct bootinfo *bi)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;
	UINTN i;

	for (i = 0; i < ST->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &ST->ConfigurationTable[i];

		if (CompareGuid(&t->VendorGuid, &acpi20) == 0) {
			bi->bi_rsdp = (uint64_t)t->VendorTable;
			bi->bi_rsdp_revision = 2;
			return;
		}
		if (CompareGuid(&t->VendorGuid, &acpi10) == 0 && bi->bi_rsdp == 0)
			bi->bi_rsdp = (uint64_t)t->VendorTable;
	}
}

static void
cpuid(uint32_t leaf, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
	    : "a"(leaf), "c"(0));
}

static int
rdrand64(uint64_t *v)
{
	unsigned char ok;
	int i;

	for (i = 0; i < 10; i++) {
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return 1;
	}
	return 0;
}

static void
get_seed(struct bootinfo *bi)
{
	EFI_GUID rngguid = EFI_RNG_PROTOCOL_GUID;
	EFI_RNG_PROTOCOL *rng;
	uint64_t *w = (uint64_t *)bi->bi_seed, v;
	uint32_t r[4];
	unsigned i;

	if (!EFI_ERROR(BS->LocateProtocol(&rngguid, NULL, (void **)&rng)) &&
	    !EFI_ERROR(rng->GetRNG(rng, NULL, BOOTINFO_SEED_SIZE, bi->bi_seed))) {
		bi->bi_seed_source = BI_SEED_EFI_RNG;
		return;
	}
	cpuid(1, r);
	bi->bi_seed_source = (r[2] & (1u << 30)) ? BI_SEED_RDRAND : BI_SEED_TSC;
	for (i = 0; i < BOOTINFO_SEED_SIZE / 8; i++) {
		v = 0;
		if (bi->bi_seed_source == BI_SEED_RDRAND && !rdrand64(&v))
			bi->bi_seed_source = BI_SEED_TSC;
		/* The TSC's low bits vary with firmware timing; weak, hence flagged. */
		w[i] = v ^ (rdtsc() * 0x9e3779b97f4a7c15ULL);
	}
	if (bi->bi_seed_source == BI_SEED_TSC)
		say("loader: no EFI RNG and no RDRAND: weak TSC seed");
}

/* ---- page tables ---- */

static struct {
	uint64_t next, end;
} ptpool;

static uint64_t
ptpool_alloc(void *arg)
{
	uint64_t pa;

	(void)arg;
	if (ptpool.next == ptpool.end)
		return 0;
	pa = ptpool.next;
	ptpool.next += EFI_PAGE_SIZE;
	return pa;	/* pages_alloc zeroed the pool */
}

static uint64_t *
ptpool_ptr(void *arg, uint64_t pa)
{
	(void)arg;
	return (uint64_t *)pa;	/* boot services run identity mapped */
}

static int
has_1g_pages(void)
{
	uint32_t r[4];

	cpuid(0x80000000, r);
	if (r[0] < 0x80000001)
		return 0;
	cpuid(0x80000001, r);
	return (r[3] >> 26) & 1;
}

/*
 * Build the tables of shared/bootinfo.h: the direct map of every RAM region
 * (and the framebuffer), the kernel's segments with their ELF permissions, and
 * the hand-off trampoline identity mapped.  Returns the PML4's address or 0.
 */
static uint64_t
build_tables(struct bootinfo *bi, struct kelf_image *img)
{
	struct pt_ctx ctx = { ptpool_alloc, ptpool_ptr, 0, has_1g_pages(), 1 };
	EFI_MEMORY_DESCRIPTOR *map;
	UINTN nent, key, dsize;
	UINT32 dver;
	uint64_t npool, root, lo, hi, kpages;
	int n, i, err;

	map = LibMemoryMap(&nent, &key, &dsize, &dver);
	if (map == NULL) {
		say("loader: GetMemoryMap failed");
		return 0;
	}
	n = mm_ranges(map, nent * dsize, dsize, MM_RAM_TYPES, ranges, MAX_RANGES);
	FreePool(map);
	if (n > 0 && bi->bi_fb_size)
		n = mm_add(ranges, n, MAX_RANGES, bi->bi_fb_phys & ~(PAGE_SIZE - 1),
		    (bi->bi_fb_phys + bi->bi_fb_size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
	if (n <= 0) {
		say("loader: the memory map is malformed or has over %d RAM ranges",
		    MAX_RANGES);
		return 0;
	}
	if (ranges[n - 1].mr_end > DIRECT_MAP_SIZE) {
		say("loader: RAM ends at 0x%lx, beyond the direct map's %lu TiB",
		    ranges[n - 1].mr_end, DIRECT_MAP_SIZE >> 40);
		return 0;
	}

	/* Generous: each range's ragged ends, one PD per GiB, the kernel's PTs. */
	kpages = (img->ki_vhi - img->ki_vlo) >> PAGE_SHIFT;
	npool = 16 + 4 * (uint64_t)n + (ranges[n - 1].mr_end >> 30) + 2 * (kpages >> 9);
	ptpool.next = pages_alloc(npool);
	if (ptpool.next == 0) {
		say("loader: cannot allocate %lu page-table pages", npool);
		return 0;
	}
	ptpool.end = ptpool.next + npool * EFI_PAGE_SIZE;
	bi->bi_pt_phys = ptpool.next;
	bi->bi_pt_pages = npool;
	root = ptpool_alloc(0);

	for (i = 0; i < n; i++) {
		err = pt_map(&ctx, root, DIRECT_MAP_BASE + ranges[i].mr_base,
		    ranges[i].mr_base, ranges[i].mr_end - ranges[i].mr_base,
		    PTE_W | PTE_NX);
		if (err) {
			say("loader: direct map of 0x%lx-0x%lx failed (%d)",
			    ranges[i].mr_base, ranges[i].mr_end, err);
			return 0;
		}
	}
	for (i = 0; i < img->ki_nseg; i++) {
		struct kelf_seg *s = &img->ki_seg[i];
		uint64_t flags = 0;

		lo = s->ks_vaddr & ~(PAGE_SIZE - 1);
		hi = (s->ks_vaddr + s->ks_memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		if (s->ks_flags & PF_W)
			flags |= PTE_W;
		if (!(s->ks_flags & PF_X))
			flags |= PTE_NX;
		err = pt_map(&ctx, root, lo, bi->bi_kernel_phys + (lo - img->ki_vlo),
		    hi - lo, flags);
		if (err) {
			say("loader: mapping kernel segment %d failed (%d)", i, err);
			return 0;
		}
	}
	lo = (uint64_t)handoff & ~(PAGE_SIZE - 1);
	hi = ((uint64_t)handoff_end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	err = pt_map(&ctx, root, lo, lo, hi - lo, 0);
	if (err) {
		say("loader: identity mapping the trampoline failed (%d)", err);
		return 0;
	}
	return root;
}

/* ---- the flow ---- */

/* The kernel's virtual base moves by a multiple of this, within KASLR_RANGE. */
#define KASLR_ALIGN	(2UL << 20)
#define KASLR_RANGE	(1UL << 30)

static int
has_word(const char *line, const char *word)
{
	uint64_t n = 0, i;

	while (word[n])
		n++;
	for (i = 0; line[i]; i++) {
		if ((i == 0 || line[i - 1] == ' ') && (line[i + n] == ' ' || line[i + n] == 0)) {
			uint64_t k;

			for (k = 0; k < n && line[i + k] == word[k]; k++)
				;
			if (k == n)
				return 1;
		}
	}
	return 0;
}

/*
 * KASLR: a random 2 MiB-aligned offset within the first GiB of the kernel
 * area, from the boot seed, unless the command line says nokaslr or the
 * kernel carries no relocation table.
 */
static uint64_t
kaslr_offset(const struct bootinfo *bi, const struct kelf_image *img)
{
	uint64_t span = img->ki_vhi - img->ki_vlo, slots, seed = 0;
	int i;

	if (img->ki_nreloc64 + img->ki_nreloc32 == 0 || has_word(bi->bi_cmdline, "nokaslr"))
		return 0;
	if (span >= KASLR_RANGE || img->ki_vlo != KERNEL_BASE)
		return 0;
	/* Slot 0 is the link address: never chosen, so "on" always moves it. */
	slots = (KASLR_RANGE - span) / KASLR_ALIGN;
	for (i = 0; i < 8; i++)
		seed = seed << 8 | bi->bi_seed[i];
	return (1 + seed % slots) * KASLR_ALIGN;
}

static EFI_STATUS
load_kernel(EFI_FILE_HANDLE vol, struct bootinfo *bi, struct kelf_image *img)
{
	uint64_t fpa, fsize, kpa, delta;
	const char *why;
	EFI_STATUS st;
	int i;

	st = file_read(vol, KERNEL_PATH, &fpa, &fsize);
	if (EFI_ERROR(st))
		return fail(st, "loader: cannot load " KERNEL_NAME ": %s", efi_strerror(st));
	why = kelf_check((void *)fpa, fsize, img);
	if (why)
		return fail(EFI_LOAD_ERROR, "loader: " KERNEL_NAME " is not a valid kernel: %s",
		    why);
	kpa = pages_alloc((img->ki_vhi - img->ki_vlo) >> PAGE_SHIFT);
	if (kpa == 0)
		return fail(EFI_OUT_OF_RESOURCES, "loader: no memory for the kernel (%lu KiB)",
		    (img->ki_vhi - img->ki_vlo) >> 10);
	for (i = 0; i < img->ki_nseg; i++) {
		struct kelf_seg *s = &img->ki_seg[i];

		/* .bss and the rest of memsz stay zero: pages_alloc cleared them. */
		BS->CopyMem((void *)(kpa + s->ks_vaddr - img->ki_vlo),
		    (void *)(fpa + s->ks_offset), s->ks_filesz);
	}
	delta = kaslr_offset(bi, img);
	if (delta) {
		kelf_relocate((void *)fpa, img, (void *)kpa, delta);
		for (i = 0; i < img->ki_nseg; i++)
			img->ki_seg[i].ks_vaddr += delta;
		img->ki_vlo += delta;
		img->ki_vhi += delta;
		img->ki_entry += delta;
	}
	say("loader: kernel at 0x%lx (%s)", img->ki_vlo, delta ? "KASLR" :
	    img->ki_nreloc64 + img->ki_nreloc32 ? "nokaslr" : "no relocations: KASLR off");
	bi->bi_kernel_phys = kpa;
	bi->bi_kernel_virt = img->ki_vlo;
	bi->bi_kernel_size = img->ki_vhi - img->ki_vlo;
	say("loader: kernel loaded: %lu bytes, %d segments, entry 0x%lx", fsize,
	    img->ki_nseg, img->ki_entry);
	return EFI_SUCCESS;
}

/*
 * The last GetMemoryMap and ExitBootServices, with nothing in between.  A
 * changed map (EFI_INVALID_PARAMETER) is retried a bounded number of times;
 * after the first failed ExitBootServices only these two calls are allowed.
 */
static EFI_STATUS
exit_boot_services(EFI_HANDLE image, struct bootinfo *bi)
{
	UINTN mapsize = 0, bufsize, key, dsize;
	UINT32 dver;
	uint64_t buf;
	EFI_STATUS st;
	uint32_t tries;

	st = BS->GetMemoryMap(&mapsize, NULL, &key, &dsize, &dver);
	if (st != EFI_BUFFER_TOO_SMALL)
		return fail(st, "loader: GetMemoryMap size query: %s", efi_strerror(st));
	bufsize = mapsize + MMAP_SLACK;
	buf = pages_alloc(EFI_SIZE_TO_PAGES(bufsize));
	if (buf == 0)
		return fail(EFI_OUT_OF_RESOURCES, "loader: no memory for the memory map");
	bufsize = EFI_SIZE_TO_PAGES(bufsize) * EFI_PAGE_SIZE;

	for (tries = 1; tries <= EBS_TRIES; tries++) {
		mapsize = bufsize;
		st = BS->GetMemoryMap(&mapsize, (EFI_MEMORY_DESCRIPTOR *)buf, &key,
		    &dsize, &dver);
		if (EFI_ERROR(st))
			break;
		st = BS->ExitBootServices(image, key);
		if (st != EFI_INVALID_PARAMETER)
			break;
	}
	if (EFI_ERROR(st)) {
		if (tries == 1 && st != EFI_INVALID_PARAMETER)
			return fail(st, "loader: GetMemoryMap failed: %s", efi_strerror(st));
		/* Boot services may be half shut down: COM1 is all that is left. */
		early_serial_puts("loader: ExitBootServices failed; giving up\r\n");
		return st;
	}
	bi->bi_mmap = buf;
	bi->bi_mmap_size = mapsize;
	bi->bi_mmap_desc_size = dsize;
	bi->bi_mmap_desc_version = dver;
	bi->bi_ebs_tries = tries;
	return EFI_SUCCESS;
}

EFI_STATUS
efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	uint64_t tsc0 = rdtsc(), bipa, stack, cr3, sz;
	struct kelf_image img;
	EFI_LOADED_IMAGE *li;
	EFI_FILE_HANDLE vol;
	struct bootinfo *bi;
	EFI_STATUS st;

	InitializeLib(image, systab);
	say("loader: start");
	/* Otherwise the firmware resets the machine about 5 minutes from now. */
	BS->SetWatchdogTimer(0, 0, 0, NULL);

	st = open_boot_volume(image, &li, &vol);
	if (EFI_ERROR(st))
		return st;
	bipa = pages_alloc(EFI_SIZE_TO_PAGES(sizeof(*bi)));
	stack = pages_alloc(BOOT_STACK_SIZE >> PAGE_SHIFT);
	if (bipa == 0 || stack == 0)
		return fail(EFI_OUT_OF_RESOURCES, "loader: no memory for the boot info");
	bi = (struct bootinfo *)bipa;
	bi->bi_magic = BOOTINFO_MAGIC;
	bi->bi_version = BOOTINFO_VERSION;
	bi->bi_size = sizeof(*bi);
	bi->bi_tsc_loader_start = tsc0;
	bi->bi_efi_systab = (uint64_t)systab;

	/* The command line and the seed first: KASLR needs both. */
	if (!cmdline_from_options(li, bi->bi_cmdline, sizeof(bi->bi_cmdline)))
		cmdline_from_file(vol, bi->bi_cmdline, sizeof(bi->bi_cmdline));
	say("loader: command line: \"%s\"", bi->bi_cmdline);
	get_seed(bi);

	st = load_kernel(vol, bi, &img);
	if (EFI_ERROR(st))
		return st;

	st = file_read(vol, INITRD_PATH, &bi->bi_initrd_phys, &sz);
	if (st == EFI_NOT_FOUND) {
		say("loader: no \\boot\\initrd.cpio");
	} else if (EFI_ERROR(st)) {
		return fail(st, "loader: cannot load \\boot\\initrd.cpio: %s", efi_strerror(st));
	} else {
		bi->bi_initrd_size = sz;
		say("loader: initrd loaded: %lu bytes", sz);
	}

	vol->Close(vol);

	find_framebuffer(bi);
	find_rsdp(bi);

	cr3 = build_tables(bi, &img);
	if (cr3 == 0)
		return fail(EFI_OUT_OF_RESOURCES, "loader: cannot build the page tables");
	say("loader: page tables built (%lu pages); exiting boot services",
	    (ptpool.next - bi->bi_pt_phys) >> PAGE_SHIFT);

	st = exit_boot_services(image, bi);
	if (EFI_ERROR(st))
		return st;
	early_serial_puts("loader: boot services exited\r\n");
	bi->bi_tsc_handoff = rdtsc();
	handoff(cr3, img.ki_entry, DIRECT_MAP_BASE + stack + BOOT_STACK_SIZE,
	    DIRECT_MAP_BASE + bipa);
}
