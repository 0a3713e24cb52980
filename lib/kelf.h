/*
 * kelf.h: validation of a kernel ELF image before the loader trusts it.
 *
 * Interface:
 *   const char *kelf_check(buf, len, &img)
 * returns 0 and fills img when buf holds a loadable x86-64 kernel, otherwise
 * a short reason ("segment 1 is in the lower half (0x400000)") in a static
 * buffer.  Pure: reads only buf, so it is unit-tested and fuzzed on the host.
 */
#ifndef LIB_KELF_H
#define LIB_KELF_H

#include <stdint.h>

#define KELF_MAXSEG	8
#define KELF_MAXSPAN	(512UL << 20)	/* a kernel larger than this is refused */

struct kelf_seg {
	uint64_t ks_vaddr;
	uint64_t ks_memsz;
	uint64_t ks_offset;
	uint64_t ks_filesz;
	uint32_t ks_flags;	/* PF_R | PF_W | PF_X */
};

struct kelf_image {
	uint64_t ki_nreloc64;	/* KASLR relocation table (tools/relocs.py), */
	uint64_t ki_nreloc32;	/* 0 and 0 when the kernel has none */
	uint64_t ki_reloc;	/* file offset of the first site offset */
	uint64_t ki_entry;
	uint64_t ki_vlo;	/* lowest segment address, page aligned down */
	uint64_t ki_vhi;	/* end of the highest segment, page aligned up */
	int ki_nseg;
	struct kelf_seg ki_seg[KELF_MAXSEG];
};

const char *kelf_check(const void *buf, uint64_t len, struct kelf_image *img);

/*
 * The relocation table tools/relocs.py appends to the kernel, found by its
 * trailer at the end of the file:
 *	uint32_t n64, n32;  uint32_t site[n64 + n32];	offsets from ki_vlo
 *	uint64_t table_offset;  char magic[8] = "KEELRELO"
 * A site of the first n64 holds a 64-bit address, of the rest a 32-bit
 * sign-extended one (-mcmodel=kernel).  kelf_check validates it (every site
 * inside the image) when present.
 */
#define KELF_RELOC_MAGIC	"KEELRELO"

/*
 * Move the loaded image (image: ki_vhi - ki_vlo bytes, as copied from the
 * segments) by delta bytes, adding delta at every site.  delta must keep
 * the kernel within the top 2 GiB.
 */
void kelf_relocate(const void *buf, const struct kelf_image *img, void *image,
    uint64_t delta);

#endif /* LIB_KELF_H */
