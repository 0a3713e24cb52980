/*
 * fuzz_uelf.c: libFuzzer harness for uelf_check (kernel/uelf.c), execve's
 * validation of a user program.
 *
 * The input is the file.  It is checked twice: from an exact-size copy at
 * an odd address (file data inside a cpio archive need not be aligned, and
 * uelf.h promises that works) and from libFuzzer's aligned buffer; both
 * answers must be identical.  When uelf_check accepts, every guarantee
 * listed in uelf.h is checked on the result.
 */
#include "fuzz.h"
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/uelf.h>
#include <lib/elf64.h>

/* [a, a + n) inside [lo, lo + size), without overflow. */
static int
inside(uint64_t a, uint64_t n, uint64_t lo, uint64_t size)
{
	return a >= lo && a - lo <= size && n <= size - (a - lo);
}

static void
check_accepted(const struct uelf *ue, const uint8_t *file, uint64_t len)
{
	uint64_t phsize = (uint64_t)ue->ue_phnum * sizeof(Elf64_Phdr), end;
	int i, hasentry = 0, hasphdr = 0, hastls = 0;
	Elf64_Ehdr eh;

	memcpy(&eh, file, sizeof(eh));
	FUZZ_CHECK(ue->ue_pie == (eh.e_type == ET_DYN), "ue_pie %d", ue->ue_pie);
	FUZZ_CHECK(ue->ue_nseg >= 1 && ue->ue_nseg <= UELF_MAXSEG, "%d segments",
	    ue->ue_nseg);
	FUZZ_CHECK(ue->ue_phnum == eh.e_phnum && phsize <= PAGE_SIZE, "phnum %u",
	    ue->ue_phnum);
	FUZZ_CHECK(strcmp(ue->ue_why, "ok") == 0, "ue_why \"%s\"", ue->ue_why);
	for (i = 0; i < ue->ue_nseg; i++) {
		const struct uelf_seg *s = &ue->ue_seg[i];

		FUZZ_CHECK(s->us_memsz > 0 && s->us_filesz <= s->us_memsz, "segment %d", i);
		FUZZ_CHECK(inside(s->us_offset, s->us_filesz, 0, len),
		    "segment %d: file bytes [0x%lx, +0x%lx) outside %lu bytes", i,
		    s->us_offset, s->us_filesz, len);
		FUZZ_CHECK(s->us_vaddr % PAGE_SIZE == s->us_offset % PAGE_SIZE,
		    "segment %d: vaddr and offset differ modulo the page size", i);
		FUZZ_CHECK((s->us_flags & ~(uint32_t)(PF_R | PF_W | PF_X)) == 0,
		    "segment %d flags 0x%x", i, s->us_flags);
		FUZZ_CHECK(s->us_memsz <= UINT64_MAX - s->us_vaddr, "segment %d wraps", i);
		end = s->us_vaddr + s->us_memsz;
		if (ue->ue_pie)
			FUZZ_CHECK(UELF_PIE_BASE + s->us_vaddr >= USER_BASE &&
			    end <= USER_TOP - UELF_PIE_BASE,
			    "segment %d does not fit at UELF_PIE_BASE", i);
		else
			FUZZ_CHECK(s->us_vaddr >= USER_BASE && end <= USER_TOP,
			    "segment %d [0x%lx, 0x%lx) outside the user half", i,
			    s->us_vaddr, end);
		if (i > 0)
			FUZZ_CHECK(ue->ue_seg[i - 1].us_vaddr + ue->ue_seg[i - 1].us_memsz <=
			    s->us_vaddr, "segments %d and %d overlap or descend", i - 1, i);
		FUZZ_CHECK(s->us_vaddr >= ue->ue_vlo && end <= ue->ue_vhi,
		    "segment %d outside [vlo, vhi)", i);
		if ((s->us_flags & PF_X) && inside(ue->ue_entry, 1, s->us_vaddr, s->us_memsz))
			hasentry = 1;
		if (inside(ue->ue_phdr, phsize, s->us_vaddr, s->us_filesz))
			hasphdr = 1;
		if (ue->ue_has_tls && inside(ue->ue_tls_vaddr, ue->ue_tls_filesz,
		    s->us_vaddr, s->us_filesz))
			hastls = 1;
	}
	FUZZ_CHECK(hasentry, "entry 0x%lx not in an executable segment", ue->ue_entry);
	FUZZ_CHECK(ue->ue_phdr == 0 || hasphdr,
	    "AT_PHDR 0x%lx not file contents of a segment", ue->ue_phdr);
	FUZZ_CHECK(ue->ue_vlo == ROUNDDOWN(ue->ue_seg[0].us_vaddr, PAGE_SIZE) &&
	    ue->ue_vhi == ROUNDUP(end, PAGE_SIZE) && ue->ue_vlo < ue->ue_vhi,
	    "vlo 0x%lx vhi 0x%lx", ue->ue_vlo, ue->ue_vhi);
	if (ue->ue_pie)
		FUZZ_CHECK(UELF_PIE_BASE + ue->ue_vlo >= USER_BASE &&
		    ue->ue_vhi <= USER_TOP - UELF_PIE_BASE, "UELF_PIE_BASE does not fit");
	else
		FUZZ_CHECK(ue->ue_vlo >= USER_BASE && ue->ue_vhi <= USER_TOP,
		    "vlo 0x%lx vhi 0x%lx", ue->ue_vlo, ue->ue_vhi);
	if (ue->ue_has_tls) {
		FUZZ_CHECK(ue->ue_tls_filesz <= ue->ue_tls_memsz, "TLS sizes");
		FUZZ_CHECK((ue->ue_tls_align & (ue->ue_tls_align - 1)) == 0,
		    "TLS alignment 0x%lx", ue->ue_tls_align);
		FUZZ_CHECK(ue->ue_tls_memsz <= UINT64_MAX - ue->ue_tls_vaddr, "TLS wraps");
		FUZZ_CHECK(ue->ue_tls_filesz == 0 || hastls,
		    "TLS image not file contents of a segment");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uelf a, b;
	uint8_t *odd;
	int ra, rb;

	/* Exactly size bytes at an odd address: ASan sees any overread. */
	odd = malloc(size + 1);
	if (size)
		memcpy(odd + 1, data, size);
	memset(&a, 0xa5, sizeof(a));
	ra = uelf_check(odd + 1, size, &a);
	memset(&b, 0x5a, sizeof(b));
	rb = uelf_check(data, size, &b);
	free(odd);

	FUZZ_CHECK(ra == 0 || ra == -ENOEXEC, "returned %d", ra);
	FUZZ_CHECK(ra == rb, "%d at an odd address, %d aligned", ra, rb);
	FUZZ_CHECK(a.ue_why != 0 && a.ue_why == b.ue_why, "reasons differ");
	if (ra == 0) {
		FUZZ_CHECK(memcmp(&a, &b, sizeof(a)) == 0, "results differ with alignment");
		check_accepted(&a, data, size);
	}
	return 0;
}
