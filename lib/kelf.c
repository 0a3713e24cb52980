/*
 * kelf.c: kernel ELF validation (see kelf.h).
 *
 * Every field that is used later as an offset, a size or an address is
 * checked here against the file length and the address-space layout, with
 * arithmetic that cannot wrap, so the copying code after it can trust img.
 */
#include <lib/kelf.h>
#include <lib/elf64.h>
#include <lib/fmt.h>
#include <shared/layout.h>

static char why[96];

static const char *check_relocs(const unsigned char *p, uint64_t len,
    struct kelf_image *img);

static const char *
fail(const char *fmt, uint64_t a, uint64_t b)
{
	fmt_snprintf(why, sizeof(why), fmt, a, b);
	return why;
}

/* a + b <= limit, without overflow. */
static int
fits(uint64_t a, uint64_t b, uint64_t limit)
{
	return a <= limit && b <= limit - a;
}

const char *
kelf_check(const void *buf, uint64_t len, struct kelf_image *img)
{
	const Elf64_Ehdr *eh = buf;
	const unsigned char *p = buf;
	int i, j, hasentry = 0;

	if (len < sizeof(Elf64_Ehdr))
		return fail("file too short for an ELF header (%lu bytes)", len, 0);
	if (p[0] != 0x7f || p[1] != 'E' || p[2] != 'L' || p[3] != 'F')
		return "not an ELF file (bad magic)";
	if (p[EI_CLASS] != ELFCLASS64)
		return "not a 64-bit ELF file";
	if (p[EI_DATA] != ELFDATA2LSB)
		return "not a little-endian ELF file";
	if (p[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return "unknown ELF version";
	if (eh->e_machine != EM_X86_64)
		return fail("ELF for another machine (e_machine %lu, want 62 x86-64)",
		    eh->e_machine, 0);
	if (eh->e_type != ET_EXEC)
		return fail("not an executable (e_type %lu)", eh->e_type, 0);
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return fail("bad program header size %lu", eh->e_phentsize, 0);
	if (eh->e_phnum == 0)
		return "no program headers";
	if (!fits(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), len))
		return fail("program headers outside the file (offset %lu, %lu entries)",
		    eh->e_phoff, eh->e_phnum);
	if (eh->e_phoff % 8)
		return "misaligned program headers";

	img->ki_entry = eh->e_entry;
	img->ki_nseg = 0;
	img->ki_vlo = ~0UL;
	img->ki_vhi = 0;
	for (i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(p + eh->e_phoff) + i;
		struct kelf_seg *s;

		if (ph->p_type != PT_LOAD)
			continue;
		if (ph->p_memsz == 0)
			continue;
		if (img->ki_nseg == KELF_MAXSEG)
			return fail("more than %lu loadable segments", KELF_MAXSEG, 0);
		if (ph->p_vaddr < KERNEL_HALF_BASE)
			return fail("segment %lu is in the lower half (0x%lx)", i, ph->p_vaddr);
		if (ph->p_vaddr < KERNEL_BASE)
			return fail("segment %lu is outside the kernel area (0x%lx)", i,
			    ph->p_vaddr);
		if (ph->p_filesz > ph->p_memsz)
			return fail("segment %lu: file size exceeds memory size", i, 0);
		if (!fits(ph->p_offset, ph->p_filesz, len))
			return fail("segment %lu extends past the end of the file (%lu bytes)",
			    i, len);
		if (!fits(ph->p_vaddr, ph->p_memsz, ~0UL) ||
		    ph->p_vaddr + ph->p_memsz > ~0UL - PAGE_SIZE + 1)
			return fail("segment %lu wraps the address space", i, 0);
		s = &img->ki_seg[img->ki_nseg++];
		s->ks_vaddr = ph->p_vaddr;
		s->ks_memsz = ph->p_memsz;
		s->ks_offset = ph->p_offset;
		s->ks_filesz = ph->p_filesz;
		s->ks_flags = ph->p_flags;
		if (s->ks_vaddr < img->ki_vlo)
			img->ki_vlo = s->ks_vaddr;
		if (s->ks_vaddr + s->ks_memsz > img->ki_vhi)
			img->ki_vhi = s->ks_vaddr + s->ks_memsz;
	}
	if (img->ki_nseg == 0)
		return "no loadable segments";

	/*
	 * Segments may not share a page: each page gets one segment's
	 * permissions.
	 */
	for (i = 0; i < img->ki_nseg; i++) {
		struct kelf_seg *a = &img->ki_seg[i];
		uint64_t alo = a->ks_vaddr & ~(PAGE_SIZE - 1);
		uint64_t ahi = (a->ks_vaddr + a->ks_memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

		for (j = i + 1; j < img->ki_nseg; j++) {
			struct kelf_seg *b = &img->ki_seg[j];
			uint64_t blo = b->ks_vaddr & ~(PAGE_SIZE - 1);
			uint64_t bhi = (b->ks_vaddr + b->ks_memsz + PAGE_SIZE - 1) &
			    ~(PAGE_SIZE - 1);

			if (alo < bhi && blo < ahi)
				return fail("segments %lu and %lu overlap", i, j);
		}
		if ((a->ks_flags & PF_X) && img->ki_entry >= a->ks_vaddr &&
		    img->ki_entry < a->ks_vaddr + a->ks_memsz)
			hasentry = 1;
	}
	if (!hasentry)
		return fail("entry point 0x%lx is not in an executable segment",
		    img->ki_entry, 0);

	img->ki_vlo &= ~(PAGE_SIZE - 1);
	img->ki_vhi = (img->ki_vhi + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (img->ki_vhi - img->ki_vlo > KELF_MAXSPAN)
		return fail("image spans %lu bytes, more than %lu", img->ki_vhi - img->ki_vlo,
		    KELF_MAXSPAN);
	return check_relocs(p, len, img);
}

static uint32_t
rd32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t
rd64(const unsigned char *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static const char *
check_relocs(const unsigned char *p, uint64_t len, struct kelf_image *img)
{
	uint64_t toff, n64, n32, span = img->ki_vhi - img->ki_vlo, i;
	int j;

	img->ki_nreloc64 = img->ki_nreloc32 = img->ki_reloc = 0;
	if (len < 16)
		return 0;
	for (j = 0; j < 8; j++)
		if (p[len - 8 + j] != (unsigned char)KELF_RELOC_MAGIC[j])
			return 0;	/* no table: the kernel stays where it was linked */
	toff = rd64(p + len - 16);
	if (!fits(toff, 8, len - 16))
		return "relocation table outside the file";
	n64 = rd32(p + toff);
	n32 = rd32(p + toff + 4);
	if (!fits(toff + 8, (n64 + n32) * 4, len - 16))
		return fail("relocation table (%lu entries) runs past its end", n64 + n32, 0);
	for (i = 0; i < n64 + n32; i++) {
		uint64_t site = rd32(p + toff + 8 + 4 * i);

		if (!fits(site, i < n64 ? 8 : 4, span))
			return fail("relocation site 0x%lx outside the image", site, 0);
	}
	img->ki_nreloc64 = n64;
	img->ki_nreloc32 = n32;
	img->ki_reloc = toff + 8;
	return 0;
}

void
kelf_relocate(const void *buf, const struct kelf_image *img, void *image, uint64_t delta)
{
	const unsigned char *sites = (const unsigned char *)buf + img->ki_reloc;
	unsigned char *im = image;
	uint64_t i, v;

	for (i = 0; i < img->ki_nreloc64 + img->ki_nreloc32; i++) {
		unsigned char *q = im + rd32(sites + 4 * i);

		if (i < img->ki_nreloc64) {
			v = rd64(q) + delta;
			for (int b = 0; b < 8; b++)
				q[b] = (unsigned char)(v >> (8 * b));
		} else {
			v = rd32(q) + delta;
			for (int b = 0; b < 4; b++)
				q[b] = (unsigned char)(v >> (8 * b));
		}
	}
}
