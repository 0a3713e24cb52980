/*
 * fuzz_kelf.c: libFuzzer harness for kelf_check (lib/kelf.c), the loader's
 * validation of the kernel ELF file.
 *
 * The input is the file.  When kelf_check accepts it, what kelf.h and the
 * loader's copying code rely on must hold: 1..KELF_MAXSEG segments, each
 * with its file bytes inside the input and no more of them than its memory
 * size, all in the kernel area without wrapping, no page shared by two, the
 * entry inside an executable one, and [ki_vlo, ki_vhi) page aligned,
 * covering them all and at most KELF_MAXSPAN long.  When it refuses, the
 * reason must be a short NUL-terminated string.
 */
#include "tests/fuzz/fuzz.h"
#include "lib/kelf.h"
#include "lib/elf64.h"
#include "shared/layout.h"

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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kelf_image img;
	const char *why;

	memset(&img, 0xa5, sizeof(img));
	why = kelf_check(data, size, &img);
	if (why == 0)
		check_image(&img, size);
	else
		FUZZ_CHECK(strnlen(why, 96) < 96 && why[0] != 0, "bad reason string");
	return 0;
}
