/*
 * uelf.c: user ELF validation (see uelf.h).
 *
 * The file comes from the initrd or, later, any file system: every field
 * that becomes an offset, a size or an address is checked against the file
 * length and the user half with arithmetic that cannot wrap ("a <= limit &&
 * b <= limit - a", never "a + b <= limit").  Headers are copied out with
 * memcpy because file data need not be 8-byte aligned.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/uelf.h>
#include <lib/elf64.h>

static int
refuse(struct uelf *out, const char *why)
{
	out->ue_why = why;
	return -ENOEXEC;
}

/* a + b <= limit, without overflow. */
static int
fits(uint64_t a, uint64_t b, uint64_t limit)
{
	return a <= limit && b <= limit - a;
}

/* [a, a + n) lies inside [lo, lo + size); lo + size is known not to wrap. */
static int
inside(uint64_t a, uint64_t n, uint64_t lo, uint64_t size)
{
	return a >= lo && fits(a - lo, n, size);
}

/* Checks one PT_LOAD and appends it to out->ue_seg. */
static int
check_load(struct uelf *out, const Elf64_Phdr *ph, uint64_t len)
{
	struct uelf_seg *s;
	uint64_t end;

	if (out->ue_nseg == UELF_MAXSEG)
		return refuse(out, "too many loadable segments");
	if (ph->p_filesz > ph->p_memsz)
		return refuse(out, "segment file size exceeds its memory size");
	if (!fits(ph->p_offset, ph->p_filesz, len))
		return refuse(out, "segment extends past the end of the file");
	if (ph->p_vaddr % PAGE_SIZE != ph->p_offset % PAGE_SIZE)
		return refuse(out, "segment address and file offset differ "
		    "modulo the page size");
	if (!fits(ph->p_vaddr, ph->p_memsz, UINT64_MAX))
		return refuse(out, "segment wraps the address space");
	end = ph->p_vaddr + ph->p_memsz;
	if (out->ue_pie) {
		if (end > USER_TOP - UELF_PIE_BASE)
			return refuse(out, "position-independent program too "
			    "large for the user half");
	} else {
		if (ph->p_vaddr < USER_BASE)
			return refuse(out, "segment below the lowest user address");
		if (end > USER_TOP)
			return refuse(out, "segment outside the user half");
	}
	/*
	 * Linux wants PT_LOADs in ascending order; a shared page is allowed
	 * (see uelf.h), a shared byte is not.
	 */
	if (out->ue_nseg > 0) {
		s = &out->ue_seg[out->ue_nseg - 1];
		if (ph->p_vaddr < s->us_vaddr + s->us_memsz)
			return refuse(out, "segments overlap or are not in "
			    "ascending order");
	}
	s = &out->ue_seg[out->ue_nseg++];
	s->us_vaddr = ph->p_vaddr;
	s->us_memsz = ph->p_memsz;
	s->us_offset = ph->p_offset;
	s->us_filesz = ph->p_filesz;
	s->us_flags = ph->p_flags & (PF_R | PF_W | PF_X);
	return 0;
}

/* The file-backed segment holding all of [va, va + n), or 0. */
static const struct uelf_seg *
seg_holding(const struct uelf *out, uint64_t va, uint64_t n)
{
	int i;

	for (i = 0; i < out->ue_nseg; i++)
		if (inside(va, n, out->ue_seg[i].us_vaddr, out->ue_seg[i].us_filesz))
			return &out->ue_seg[i];
	return 0;
}

int
uelf_check(const void *buf, uint64_t len, struct uelf *out)
{
	const uint8_t *p = buf;
	const struct uelf_seg *s;
	Elf64_Ehdr eh;
	Elf64_Phdr ph, phdr = { 0 }, tls = { 0 };
	uint64_t phsize;
	int i, r, nphdr = 0, ntls = 0;

	memset(out, 0, sizeof(*out));
	if (len < sizeof(eh))
		return refuse(out, "file too short for an ELF header");
	memcpy(&eh, p, sizeof(eh));
	if (memcmp(eh.e_ident, "\177ELF", 4) != 0)
		return refuse(out, "not an ELF file (bad magic)");
	if (eh.e_ident[EI_CLASS] != ELFCLASS64)
		return refuse(out, "not a 64-bit ELF file");
	if (eh.e_ident[EI_DATA] != ELFDATA2LSB)
		return refuse(out, "not a little-endian ELF file");
	if (eh.e_ident[EI_VERSION] != EV_CURRENT || eh.e_version != EV_CURRENT)
		return refuse(out, "unknown ELF version");
	if (eh.e_machine != EM_X86_64)
		return refuse(out, "not an x86-64 program");
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
		return refuse(out, "not an executable (e_type is neither ET_EXEC "
		    "nor ET_DYN)");
	if (eh.e_phentsize != sizeof(Elf64_Phdr))
		return refuse(out, "bad program header size");
	if (eh.e_phnum == 0)
		return refuse(out, "no program headers");
	/* Linux's limit too (load_elf_phdrs): the table fits in a page. */
	phsize = (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr);
	if (phsize > PAGE_SIZE)
		return refuse(out, "too many program headers");
	if (!fits(eh.e_phoff, phsize, len))
		return refuse(out, "program headers outside the file");

	out->ue_pie = eh.e_type == ET_DYN;
	out->ue_entry = eh.e_entry;
	out->ue_phnum = eh.e_phnum;
	for (i = 0; i < eh.e_phnum; i++) {
		memcpy(&ph, p + eh.e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		switch (ph.p_type) {
		case PT_INTERP:
			return refuse(out, "dynamically linked (PT_INTERP): "
			    "only static programs run here");
		case PT_LOAD:
			/* Nothing to map; Linux ignores them too. */
			if (ph.p_memsz == 0)
				break;
			if ((r = check_load(out, &ph, len)) < 0)
				return r;
			break;
		case PT_PHDR:
			if (nphdr++ > 0)
				return refuse(out, "more than one PT_PHDR");
			phdr = ph;
			break;
		case PT_TLS:
			if (ntls++ > 0)
				return refuse(out, "more than one PT_TLS");
			tls = ph;
			break;
		case PT_GNU_STACK:
			out->ue_exec_stack = (ph.p_flags & PF_X) != 0;
			break;
		}
	}
	if (out->ue_nseg == 0)
		return refuse(out, "no loadable segments");

	for (i = 0; i < out->ue_nseg; i++)
		if ((out->ue_seg[i].us_flags & PF_X) &&
		    inside(out->ue_entry, 1, out->ue_seg[i].us_vaddr,
		    out->ue_seg[i].us_memsz))
			break;
	if (i == out->ue_nseg)
		return refuse(out, "entry point not in an executable segment");

	/*
	 * AT_PHDR: the program reads its headers there (musl finds PT_TLS that
	 * way), so they must be file contents in memory.  PT_PHDR says where;
	 * without it, the segment whose file range holds them does.
	 */
	if (nphdr) {
		if (seg_holding(out, phdr.p_vaddr, phsize) == 0)
			return refuse(out, "PT_PHDR not inside a loaded segment");
		out->ue_phdr = phdr.p_vaddr;
	} else {
		for (i = 0; i < out->ue_nseg; i++) {
			s = &out->ue_seg[i];
			if (inside(eh.e_phoff, phsize, s->us_offset, s->us_filesz)) {
				out->ue_phdr = s->us_vaddr + (eh.e_phoff - s->us_offset);
				break;
			}
		}
	}

	if (ntls) {
		if (tls.p_filesz > tls.p_memsz)
			return refuse(out, "PT_TLS file size exceeds its memory size");
		if (tls.p_align & (tls.p_align - 1))
			return refuse(out, "PT_TLS alignment not a power of two");
		if (!fits(tls.p_vaddr, tls.p_memsz, UINT64_MAX))
			return refuse(out, "PT_TLS wraps the address space");
		if (tls.p_filesz > 0 && seg_holding(out, tls.p_vaddr, tls.p_filesz) == 0)
			return refuse(out, "PT_TLS image not inside a loaded segment");
		out->ue_has_tls = 1;
		out->ue_tls_vaddr = tls.p_vaddr;
		out->ue_tls_memsz = tls.p_memsz;
		out->ue_tls_filesz = tls.p_filesz;
		out->ue_tls_align = tls.p_align;
	}

	/* Ascending and checked against USER_TOP: no rounding can wrap. */
	s = &out->ue_seg[out->ue_nseg - 1];
	out->ue_vlo = ROUNDDOWN(out->ue_seg[0].us_vaddr, PAGE_SIZE);
	out->ue_vhi = ROUNDUP(s->us_vaddr + s->us_memsz, PAGE_SIZE);
	out->ue_why = "ok";
	return 0;
}
