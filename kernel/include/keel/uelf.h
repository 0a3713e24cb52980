/*
 * uelf.h: validation of a user program's ELF file before execve maps it.
 *
 * Interface:
 *   struct uelf ue;
 *   if (uelf_check(buf, len, &ue) < 0)
 *	kprintf("exec %s: %s\n", path, ue.ue_why);	-ENOEXEC
 * On 0, every field of ue is checked and the mapping code can trust it
 * without looking at buf's headers again.  Pure: reads only buf (which may
 * be misaligned, as file data inside a cpio archive is), so it is unit-tested
 * and fuzzed on the host.
 *
 * Accepted: 64-bit little-endian x86-64 ELF, ET_EXEC, or ET_DYN without
 * PT_INTERP (static-pie).  Dynamically linked programs (PT_INTERP) are
 * refused: there is no ld.so here.
 *
 * What the checks guarantee, for the segments in ue_seg (the PT_LOADs with a
 * non-zero p_memsz, in file order):
 *  - us_filesz <= us_memsz, and [us_offset, us_offset + us_filesz) is inside
 *    the file;
 *  - us_vaddr % PAGE_SIZE == us_offset % PAGE_SIZE, so file pages can be
 *    mapped where they go;
 *  - ascending us_vaddr, no byte in two segments.  Two consecutive segments
 *    may share a page (gcc -static -z noseparate-code does it): that page
 *    gets the union of the permissions of the segments touching it, and its
 *    contents must be assembled from both, zeroing only each segment's own
 *    [us_vaddr + us_filesz, us_vaddr + us_memsz) - not to the page's end,
 *    which would wipe the next segment's start;
 *  - ET_EXEC: every byte in [USER_BASE, USER_TOP).  ET_DYN (ue_pie = 1): the
 *    addresses are relative to a base the caller picks; any page-aligned base
 *    with base + ue_vlo >= USER_BASE and base + ue_vhi <= USER_TOP works, and
 *    UELF_PIE_BASE is checked to be one;
 *  - ue_entry is inside a segment with PF_X.
 * For ET_DYN, ue_entry, ue_phdr, ue_tls_vaddr and the us_vaddr are relative
 * to the base; the caller adds it.
 */
#ifndef KERNEL_UELF_H
#define KERNEL_UELF_H

#include <stdint.h>

#define UELF_MAXSEG	16
#define UELF_PIE_BASE	0x400000UL	/* where a static-pie surely fits */

struct uelf_seg {
	uint64_t us_vaddr;
	uint64_t us_memsz;
	uint64_t us_offset;
	uint64_t us_filesz;
	uint32_t us_flags;	/* PF_R | PF_W | PF_X */
};

struct uelf {
	const char *ue_why;	/* why not, for the log: a static string */
	int ue_pie;		/* ET_DYN: add a base to every address */
	uint64_t ue_entry;
	uint64_t ue_vlo;	/* lowest segment address, page aligned down */
	uint64_t ue_vhi;	/* end of the highest segment, page aligned up */
	/*
	 * For the aux vector: AT_PHDR is ue_phdr (plus the base), 0 when the
	 * program headers are not in memory; AT_PHENT is sizeof(Elf64_Phdr).
	 */
	uint64_t ue_phdr;
	uint16_t ue_phnum;
	int ue_exec_stack;	/* PT_GNU_STACK has PF_X; without PT_GNU_STACK,
				   0, as on x86-64 Linux since 5.8 */
	int ue_has_tls;		/* a PT_TLS: the next four are its fields */
	uint64_t ue_tls_vaddr;
	uint64_t ue_tls_memsz;
	uint64_t ue_tls_filesz;
	uint64_t ue_tls_align;
	int ue_nseg;
	struct uelf_seg ue_seg[UELF_MAXSEG];
};

/*
 * 0, or -ENOEXEC with ue_why saying why (the other fields are then
 * meaningless).  p_align is not used: congruence modulo the page size is all
 * the mapping needs, so a base aligned to a larger p_align is the caller's
 * choice.
 */
int uelf_check(const void *buf, uint64_t len, struct uelf *out);

#endif /* KERNEL_UELF_H */
