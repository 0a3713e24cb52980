/*
 * fuzz_kelf.c: libFuzzer harness for kelf_check (lib/kelf.c), the loader's
 * validation of the kernel ELF file.
 *
 * The input is the file.  When kelf_check accepts it, what kelf.h and the
 * loader's copying code rely on must hold: 1..KELF_MAXSEG segments, each
 * with its file bytes inside the input and no more of them than its memory
 * size, all in the kernel area without wrapping, no page shared by two, the
 * entry inside an executable one, and [ki_vlo, ki_vhi) page aligned,
 * covering them all and at most KELF_MAXSPAN long.  A KASLR relocation
 * table (the trailer tools/relocs.py appends) must lie inside the file
 * before its trailer, each site inside the image; kelf_relocate then runs
 * on an exact-size image (when it spans at most RELOCATE_MAX bytes), so
 * ASan sees any write outside it, and must change no byte outside the
 * sites.  When kelf_check refuses, the reason must be a short
 * NUL-terminated string.
 */
#include "fuzz.h"
#include <lib/kelf.h>
#include <lib/elf64.h>
#include <shared/layout.h>

/* Larger images are checked, not relocated: the copy would cost too much. */
#define RELOCATE_MAX	(1UL << 20)
#define DELTA		(0x2a00000UL)	/* a 2 MiB-aligned KASLR slide */

static uint32_t
rd32(const uint8_t *p)
{
	return fuzz_u32(p);
}

static void
check_image(const struct kelf_image *img, uint64_t len)
{
	uint64_t lo, hi, alo, ahi, blo, bhi;
	int i, j, hasentry = 0;

	FUZZ_CHECK(img->ki_nseg >= 1 && img->ki_nseg <= KELF_MAXSEG, "%d segments",
	    img->ki_nseg);
	FUZZ_CHECK(img->ki_vlo % PAGE_SIZE == 0 && img->ki_vhi % PAGE_SIZE == 0,
	    "vlo 0x%lx vhi 0x%lx", img->ki_vlo, img->ki_vhi);
	FUZZ_CHECK(img->ki_vlo < img->ki_vhi && img->ki_vhi - img->ki_vlo <= KELF_MAXSPAN,
	    "vlo 0x%lx vhi 0x%lx", img->ki_vlo, img->ki_vhi);
	for (i = 0; i < img->ki_nseg; i++) {
		const struct kelf_seg *s = &img->ki_seg[i];

		FUZZ_CHECK(s->ks_memsz > 0, "segment %d empty", i);
		FUZZ_CHECK(s->ks_filesz <= s->ks_memsz, "segment %d", i);
		FUZZ_CHECK(s->ks_offset <= len && s->ks_filesz <= len - s->ks_offset,
		    "segment %d: file bytes [0x%lx, +0x%lx) outside %lu bytes", i,
		    s->ks_offset, s->ks_filesz, len);
		FUZZ_CHECK(s->ks_vaddr >= KERNEL_BASE, "segment %d at 0x%lx", i,
		    s->ks_vaddr);
		/* The end, rounded up to a page, must not wrap. */
		FUZZ_CHECK(s->ks_memsz <= ~0UL - s->ks_vaddr &&
		    s->ks_vaddr + s->ks_memsz <= ~0UL - PAGE_SIZE + 1,
		    "segment %d [0x%lx, +0x%lx) wraps", i, s->ks_vaddr, s->ks_memsz);
		FUZZ_CHECK(s->ks_vaddr >= img->ki_vlo &&
		    s->ks_vaddr + s->ks_memsz <= img->ki_vhi,
		    "segment %d outside [vlo, vhi)", i);
		if ((s->ks_flags & PF_X) && img->ki_entry >= s->ks_vaddr &&
		    img->ki_entry - s->ks_vaddr < s->ks_memsz)
			hasentry = 1;
		alo = s->ks_vaddr & ~(PAGE_SIZE - 1);
		ahi = (s->ks_vaddr + s->ks_memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		for (j = 0; j < i; j++) {
			blo = img->ki_seg[j].ks_vaddr & ~(PAGE_SIZE - 1);
			bhi = (img->ki_seg[j].ks_vaddr + img->ki_seg[j].ks_memsz +
			    PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
			FUZZ_CHECK(ahi <= blo || bhi <= alo, "segments %d and %d share a page",
			    j, i);
		}
	}
	FUZZ_CHECK(hasentry, "entry 0x%lx not in an executable segment", img->ki_entry);
	/* vlo and vhi are the tightest page bounds, not just any. */
	lo = ~0UL;
	hi = 0;
	for (i = 0; i < img->ki_nseg; i++) {
		if (img->ki_seg[i].ks_vaddr < lo)
			lo = img->ki_seg[i].ks_vaddr;
		if (img->ki_seg[i].ks_vaddr + img->ki_seg[i].ks_memsz > hi)
			hi = img->ki_seg[i].ks_vaddr + img->ki_seg[i].ks_memsz;
	}
	FUZZ_CHECK(img->ki_vlo == (lo & ~(PAGE_SIZE - 1)) &&
	    img->ki_vhi == ((hi + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)),
	    "vlo/vhi not the segments' page bounds");
}

/* The relocation table, and kelf_relocate on it. */
static void
check_relocs(const struct kelf_image *img, const uint8_t *file, uint64_t len)
{
	uint64_t n = img->ki_nreloc64 + img->ki_nreloc32, span = img->ki_vhi - img->ki_vlo;
	uint64_t i, site, width;
	uint8_t *image, *touched;

	if (n == 0) {
		FUZZ_CHECK(img->ki_nreloc64 == 0 && img->ki_nreloc32 == 0, "counts");
		return;
	}
	FUZZ_CHECK(len >= 16 && memcmp(file + len - 8, KELF_RELOC_MAGIC, 8) == 0,
	    "relocations without a trailer");
	FUZZ_CHECK(img->ki_reloc >= 8 && img->ki_reloc <= len - 16 &&
	    n <= (len - 16 - img->ki_reloc) / 4,
	    "table [0x%lx, +%lu entries) outside the file", img->ki_reloc, n);
	for (i = 0; i < n; i++) {
		site = rd32(file + img->ki_reloc + 4 * i);
		width = i < img->ki_nreloc64 ? 8 : 4;
		FUZZ_CHECK(site <= span && width <= span - site,
		    "site 0x%lx outside the %lu-byte image", site, span);
	}
	if (span > RELOCATE_MAX)
		return;
	image = malloc(span);
	touched = calloc(span, 1);
	memset(image, 0x5a, span);
	for (i = 0; i < n; i++) {
		site = rd32(file + img->ki_reloc + 4 * i);
		memset(touched + site, 1, i < img->ki_nreloc64 ? 8 : 4);
	}
	kelf_relocate(file, img, image, DELTA);
	for (i = 0; i < span; i++)
		FUZZ_CHECK(touched[i] || image[i] == 0x5a, "byte 0x%lx changed", i);
	free(image);
	free(touched);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kelf_image img;
	const char *why;

	memset(&img, 0xa5, sizeof(img));
	why = kelf_check(data, size, &img);
	if (why == 0) {
		check_image(&img, size);
		check_relocs(&img, data, size);
	} else
		FUZZ_CHECK(strnlen(why, 96) < 96 && why[0] != 0, "bad reason string");
	return 0;
}
