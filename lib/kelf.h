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
	uint64_t ki_entry;
	uint64_t ki_vlo;	/* lowest segment address, page aligned down */
	uint64_t ki_vhi;	/* end of the highest segment, page aligned up */
	int ki_nseg;
	struct kelf_seg ki_seg[KELF_MAXSEG];
};

const char *kelf_check(const void *buf, uint64_t len, struct kelf_image *img);

#endif /* LIB_KELF_H */
