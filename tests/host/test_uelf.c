/*
 * test_uelf.c: host tests for uelf_check (kernel/uelf.c).
 *
 * Each test builds a program's ELF image in memory: the Elf64_Ehdr, the
 * program headers right after it, segment contents where their offsets say.
 * The good images copy the layout of real ones: musl-gcc -static (four
 * PT_LOADs R / RX / R / RW with .bss, PT_TLS, PT_GNU_STACK, PT_GNU_RELRO, no
 * PT_PHDR) and gcc -static-pie (ET_DYN from address 0, here with a PT_PHDR).
 * The other tests break one thing and check the reason.  uelf_check always
 * gets an exact-size malloc'd copy, at an odd address in some tests, so
 * AddressSanitizer and UBSan see any read past the end or misaligned load.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <uapi/errno.h>
#include <keel/uelf.h>
#include <lib/elf64.h>
#include <shared/layout.h>

#define IMG_SIZE	0x5000
#define GNU_RELRO	0x6474e552

static const char INTERP_WHY[] =
    "dynamically linked (PT_INTERP): only static programs run here";

struct img {
	union {
		uint8_t b[IMG_SIZE];
		uint64_t align;
	} u;
	uint64_t len;		/* what uelf_check is told */
	Elf64_Ehdr *eh;
	Elf64_Phdr *ph;
	struct uelf ue;
};

static struct img im;

static void
img_init(uint16_t type)
{
	memset(&im, 0, sizeof(im));
	im.len = IMG_SIZE;
	im.eh = (Elf64_Ehdr *)im.u.b;
	im.ph = (Elf64_Phdr *)(im.u.b + sizeof(Elf64_Ehdr));
	memcpy(im.eh->e_ident, "\177ELF", 4);
	im.eh->e_ident[EI_CLASS] = ELFCLASS64;
	im.eh->e_ident[EI_DATA] = ELFDATA2LSB;
	im.eh->e_ident[EI_VERSION] = EV_CURRENT;
	im.eh->e_type = type;
	im.eh->e_machine = EM_X86_64;
	im.eh->e_version = EV_CURRENT;
	im.eh->e_phoff = sizeof(Elf64_Ehdr);
	im.eh->e_phentsize = sizeof(Elf64_Phdr);
	im.eh->e_ehsize = sizeof(Elf64_Ehdr);
}

/* Appends a program header. */
static Elf64_Phdr *
ph(uint32_t type, uint32_t flags, uint64_t off, uint64_t vaddr, uint64_t filesz,
    uint64_t memsz)
{
	Elf64_Phdr *p;

	assert_true(64 + (im.eh->e_phnum + 1) * sizeof(Elf64_Phdr) <= IMG_SIZE);
	p = &im.ph[im.eh->e_phnum++];
	p->p_type = type;
	p->p_flags = flags;
	p->p_offset = off;
	p->p_vaddr = vaddr;
	p->p_paddr = vaddr;
	p->p_filesz = filesz;
	p->p_memsz = memsz;
	p->p_align = type == PT_LOAD ? PAGE_SIZE : 8;
	return p;
}

/* musl-gcc -static hello.c, as readelf -l shows it (see the file comment). */
#define EXE_BASE	0x400000UL
#define EXE_ENTRY	0x401051UL
#define EXE_DATA	0x403fbcUL

static void
img_exec(void)
{
	img_init(ET_EXEC);
	ph(PT_LOAD, PF_R, 0, EXE_BASE, 0x1c8, 0x1c8);
	ph(PT_LOAD, PF_R | PF_X, 0x1000, 0x401000, 0xbb7, 0xbb7);
	ph(PT_LOAD, PF_R, 0x2000, 0x402000, 0xc94, 0xc94);
	ph(PT_LOAD, PF_R | PF_W, 0x2fbc, EXE_DATA, 0x154, 0x7fc);
	ph(PT_TLS, PF_R, 0x2fbc, EXE_DATA, 4, 8)->p_align = 4;
	ph(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
	ph(GNU_RELRO, PF_R, 0x2fbc, EXE_DATA, 0x44, 0x44);
	im.eh->e_entry = EXE_ENTRY;
	memset(im.u.b + 0x1000, 0xcc, 0xbb7);
	im.len = 0x2fbc + 0x154;
}

/* gcc -static-pie: ET_DYN from 0, plus a PT_PHDR and a PT_DYNAMIC. */
#define PIE_ENTRY	0x1100UL

static void
img_pie(void)
{
	img_init(ET_DYN);
	ph(PT_PHDR, PF_R, 0x40, 0x40, 6 * 56, 6 * 56);
	ph(PT_LOAD, PF_R, 0, 0, 0x400, 0x400);
	ph(PT_LOAD, PF_R | PF_X, 0x1000, 0x1000, 0x800, 0x800);
	ph(PT_LOAD, PF_R | PF_W, 0x2510, 0x3510, 0x200, 0x1000);
	ph(PT_DYNAMIC, PF_R | PF_W, 0x2600, 0x3600, 0x100, 0x100);
	ph(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
	im.eh->e_entry = PIE_ENTRY;
	im.len = 0x2710;
}

/*
 * uelf_check on a copy skew bytes into an allocation that ends with it, so
 * ASan guards the byte after the last one uelf_check was given.
 */
static int
check_skew(size_t skew)
{
	uint8_t *p = malloc(im.len + skew + (im.len + skew == 0));
	int r;

	assert_non_null(p);
	memcpy(p + skew, im.u.b, im.len);
	r = uelf_check(p + skew, im.len, &im.ue);
	free(p);
	return r;
}

static int
check(void)
{
	return check_skew(0);
}

static void
accepted(void)
{
	if (check() != 0)
		fail_msg("refused: %s", im.ue.ue_why);
}

/* Refused with a reason containing part. */
static void
refused(const char *part)
{
	int r = check();

	if (r == 0)
		fail_msg("accepted, expected a refusal containing \"%s\"", part);
	assert_int_equal(r, -ENOEXEC);
	assert_non_null(im.ue.ue_why);
	if (strstr(im.ue.ue_why, part) == NULL)
		fail_msg("reason \"%s\" does not contain \"%s\"", im.ue.ue_why, part);
}

/* ---- tests ---- */

static void
test_valid_exec(void **state)
{
	int i;

	img_exec();
	accepted();
	assert_string_equal(im.ue.ue_why, "ok");
	assert_int_equal(im.ue.ue_pie, 0);
	assert_int_equal(im.ue.ue_entry, EXE_ENTRY);
	assert_int_equal(im.ue.ue_nseg, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(im.ue.ue_seg[i].us_vaddr, im.ph[i].p_vaddr);
		assert_int_equal(im.ue.ue_seg[i].us_memsz, im.ph[i].p_memsz);
		assert_int_equal(im.ue.ue_seg[i].us_offset, im.ph[i].p_offset);
		assert_int_equal(im.ue.ue_seg[i].us_filesz, im.ph[i].p_filesz);
		assert_int_equal(im.ue.ue_seg[i].us_flags, im.ph[i].p_flags);
	}
	assert_int_equal(im.ue.ue_vlo, EXE_BASE);
	assert_int_equal(im.ue.ue_vhi, 0x405000);
	/* No PT_PHDR: the first PT_LOAD maps file offset 64 at 0x400040. */
	assert_int_equal(im.ue.ue_phdr, EXE_BASE + 64);
	assert_int_equal(im.ue.ue_phnum, 7);
	assert_int_equal(im.ue.ue_exec_stack, 0);
	assert_int_equal(im.ue.ue_has_tls, 1);
	assert_int_equal(im.ue.ue_tls_vaddr, EXE_DATA);
	assert_int_equal(im.ue.ue_tls_filesz, 4);
	assert_int_equal(im.ue.ue_tls_memsz, 8);
	assert_int_equal(im.ue.ue_tls_align, 4);
}

static void
test_valid_pie(void **state)
{
	img_pie();
	accepted();
	assert_int_equal(im.ue.ue_pie, 1);
	assert_int_equal(im.ue.ue_entry, PIE_ENTRY);
	assert_int_equal(im.ue.ue_nseg, 3);
	assert_int_equal(im.ue.ue_vlo, 0);
	assert_int_equal(im.ue.ue_vhi, 0x5000);
	assert_int_equal(im.ue.ue_phdr, 0x40);
	assert_int_equal(im.ue.ue_phnum, 6);
	assert_int_equal(im.ue.ue_has_tls, 0);
	/* The caller's base fits, as promised. */
	assert_true(UELF_PIE_BASE + im.ue.ue_vlo >= USER_BASE);
	assert_true(UELF_PIE_BASE + im.ue.ue_vhi <= USER_TOP);
}

/* File data in a cpio archive is only 4-byte aligned. */
static void
test_misaligned_buffer(void **state)
{
	size_t skew;

	for (skew = 1; skew < 8; skew++) {
		img_exec();
		assert_int_equal(check_skew(skew), 0);
		assert_int_equal(im.ue.ue_entry, EXE_ENTRY);
		img_pie();
		assert_int_equal(check_skew(skew), 0);
		assert_int_equal(im.ue.ue_phdr, 0x40);
	}
}

static void
test_interp(void **state)
{
	img_exec();
	ph(PT_INTERP, PF_R, 0x200, EXE_BASE + 0x200, 28, 28);
	assert_int_equal(check(), -ENOEXEC);
	assert_string_equal(im.ue.ue_why, INTERP_WHY);
	img_pie();
	im.ph[4].p_type = PT_INTERP;
	assert_int_equal(check(), -ENOEXEC);
	assert_string_equal(im.ue.ue_why, INTERP_WHY);
}

static void
test_short_file(void **state)
{
	img_exec();
	im.len = sizeof(Elf64_Ehdr) - 1;
	refused("too short");
	im.len = 0;
	refused("too short");
	/* Headers there, program headers cut. */
	img_exec();
	im.len = 64 + 7 * 56 - 1;
	refused("program headers outside the file");
	/* The last segment's bytes must all be there. */
	img_exec();
	im.len--;
	refused("past the end of the file");
}

static void
test_ident(void **state)
{
	int i;

	for (i = 0; i < 4; i++) {
		img_exec();
		im.eh->e_ident[i] ^= 0x20;
		refused("not an ELF file");
	}
	img_exec();
	im.eh->e_ident[EI_CLASS] = 1;
	refused("64-bit");
	img_exec();
	im.eh->e_ident[EI_CLASS] = 0;
	refused("64-bit");
	img_exec();
	im.eh->e_ident[EI_DATA] = 2;
	refused("little-endian");
	img_exec();
	im.eh->e_ident[EI_VERSION] = 0;
	refused("version");
	img_exec();
	im.eh->e_version = 2;
	refused("version");
	img_exec();
	im.eh->e_machine = 3;		/* EM_386 */
	refused("x86-64");
	img_exec();
	im.eh->e_machine = 183;		/* EM_AARCH64 */
	refused("x86-64");
}

static void
test_type(void **state)
{
	static const uint16_t bad[] = { 0, 1, 4, 0xfe00, 0xffff };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		img_exec();
		im.eh->e_type = bad[i];
		refused("not an executable");
	}
}

static void
test_phdr_table(void **state)
{
	int i;

	img_exec();
	im.eh->e_phentsize = 0;
	refused("program header size");
	img_exec();
	im.eh->e_phentsize = 64;
	refused("program header size");
	img_exec();
	im.eh->e_phentsize = 32;
	refused("program header size");
	img_exec();
	im.eh->e_phnum = 0;
	refused("no program headers");

	/* Offsets that do not fit, or wrap. */
	img_exec();
	im.eh->e_phoff = im.len;
	refused("program headers outside");
	img_exec();
	im.eh->e_phoff = im.len - 7 * 56 + 1;
	refused("program headers outside");
	img_exec();
	im.eh->e_phoff = UINT64_MAX - 100;
	refused("program headers outside");
	img_exec();
	im.eh->e_phoff = UINT64_MAX;
	refused("program headers outside");

	/* Up to a page of them (73), as on Linux; PT_NULLs are ignored. */
	img_exec();
	for (i = 7; i < 73; i++)
		ph(PT_NULL, 0, 0, 0, 0, 0);
	accepted();
	img_exec();
	for (i = 7; i < 74; i++)
		ph(PT_NULL, 0, 0, 0, 0, 0);
	refused("too many program headers");
	img_exec();
	im.eh->e_phnum = 0xffff;	/* PN_XNUM: extended numbering */
	refused("too many program headers");

	/* The table may sit anywhere in the file, unaligned. */
	img_exec();
	memmove(im.u.b + 0x3003, im.ph, 7 * 56);
	im.eh->e_phoff = 0x3003;
	im.len = 0x3003 + 7 * 56;
	accepted();
	assert_int_equal(im.ue.ue_phdr, 0);	/* not inside a segment's file bytes */
}

static void
test_segment_sizes(void **state)
{
	img_exec();
	im.ph[3].p_filesz = im.ph[3].p_memsz + 1;
	refused("file size exceeds its memory size");
	img_exec();
	im.ph[3].p_offset = UINT64_MAX - 0xfff + (EXE_DATA & 0xfff);
	refused("past the end of the file");
	img_exec();
	im.ph[3].p_filesz = UINT64_MAX;
	im.ph[3].p_memsz = UINT64_MAX;
	refused("past the end of the file");
	img_exec();
	im.ph[1].p_offset = 0x4000;
	im.ph[1].p_filesz = im.ph[1].p_memsz = 0x1000;
	refused("past the end of the file");

	/* A segment with no memory is ignored, whatever else it says. */
	img_exec();
	ph(PT_LOAD, PF_X, UINT64_MAX, UINT64_MAX, 5, 0);
	accepted();
	assert_int_equal(im.ue.ue_nseg, 4);
	/* One with memory but no file bytes is .bss: any offset in the file. */
	img_exec();
	ph(PT_LOAD, PF_R | PF_W, 0x1000, 0x500000, 0, 0x3000);
	accepted();
	assert_int_equal(im.ue.ue_nseg, 5);
	assert_int_equal(im.ue.ue_vhi, 0x503000);
}

static void
test_congruence(void **state)
{
	img_exec();
	im.ph[1].p_vaddr += 8;
	refused("modulo the page size");
	img_exec();
	im.ph[3].p_offset -= 4;
	refused("modulo the page size");
	/* Congruent but not equal: fine. */
	img_exec();
	im.ph[2].p_vaddr += 0x10000;
	im.ph[3].p_vaddr += 0x10000;
	im.ph[4].p_vaddr += 0x10000;
	accepted();
}

static void
test_address_range(void **state)
{
	/* Page zero is never user memory. */
	img_exec();
	im.ph[0].p_vaddr = 0;
	refused("lowest user address");
	img_exec();
	im.ph[0].p_vaddr = 0x800;
	im.ph[0].p_offset = 0x800;
	im.ph[0].p_filesz = im.ph[0].p_memsz = 0x100;
	refused("lowest user address");
	img_exec();
	im.ph[0].p_vaddr = USER_BASE;
	accepted();
	assert_int_equal(im.ue.ue_vlo, USER_BASE);

	/* The top of the user half, exclusive. */
	img_exec();
	im.ph[4].p_type = PT_NULL;	/* the TLS image moves away */
	im.ph[3].p_vaddr = USER_TOP - 0x1000 + (EXE_DATA & 0xfff);
	im.ph[3].p_memsz = im.ph[3].p_filesz = 0x1000 - (EXE_DATA & 0xfff);
	accepted();
	assert_int_equal(im.ue.ue_vhi, USER_TOP);
	im.ph[3].p_memsz++;
	refused("outside the user half");
	img_exec();
	im.ph[3].p_vaddr = USER_TOP + (EXE_DATA & 0xfff);
	refused("outside the user half");
	img_exec();
	im.ph[3].p_vaddr = KERNEL_HALF_BASE + (EXE_DATA & 0xfff);
	refused("outside the user half");
	img_exec();
	im.ph[3].p_vaddr = KERNEL_BASE + (EXE_DATA & 0xfff);
	refused("outside the user half");
	/* Past the end of the address space. */
	img_exec();
	im.ph[3].p_vaddr = 0xfffffffffffff000UL + (EXE_DATA & 0xfff);
	refused("wraps");
	img_exec();
	im.ph[3].p_memsz = UINT64_MAX - EXE_DATA + 1;
	refused("wraps");
	img_exec();
	im.ph[3].p_memsz = UINT64_MAX - EXE_DATA;
	refused("outside the user half");
	img_exec();
	im.ph[3].p_memsz = UINT64_MAX;
	refused("wraps");
}

static void
test_pie_range(void **state)
{
	img_pie();
	im.ph[3].p_vaddr = USER_TOP - UELF_PIE_BASE - 0x2000 + 0x510;
	im.ph[3].p_memsz = 0x200;
	accepted();
	assert_int_equal(im.ue.ue_vhi, USER_TOP - UELF_PIE_BASE - 0x1000);
	im.ph[3].p_memsz = 0x2000 - 0x510;
	accepted();
	assert_int_equal(im.ue.ue_vhi, USER_TOP - UELF_PIE_BASE);
	im.ph[3].p_memsz++;
	refused("too large");
	img_pie();
	im.ph[3].p_vaddr = KERNEL_BASE + 0x510;
	refused("too large");
	img_pie();
	im.ph[3].p_memsz = UINT64_MAX;
	refused("wraps");
}

static void
test_order(void **state)
{
	Elf64_Phdr t;

	img_exec();
	t = im.ph[1];
	im.ph[1] = im.ph[2];
	im.ph[2] = t;
	im.eh->e_entry = EXE_ENTRY;
	refused("ascending");
	/* One byte in two segments. */
	img_exec();
	im.ph[1].p_memsz = 0x1001;
	refused("overlap");
	img_exec();
	im.ph[2].p_memsz = 0xfc0;
	im.ph[3].p_vaddr = 0x402000 + (EXE_DATA & 0xfff);
	refused("overlap");
	/* The same page, different bytes: -z noseparate-code does this. */
	img_exec();
	im.ph[1].p_memsz = im.ph[1].p_filesz = 0xbb7;
	im.ph[2].p_vaddr = 0x401bb7;
	im.ph[2].p_offset = 0x1bb7;
	im.ph[2].p_filesz = im.ph[2].p_memsz = 0x10;
	accepted();
	/* Back to back, page aligned. */
	img_exec();
	im.ph[1].p_memsz = im.ph[1].p_filesz = 0x1000;
	accepted();
	/* A duplicate. */
	img_exec();
	im.ph[2] = im.ph[1];
	refused("overlap");
}

static void
test_max_segments(void **state)
{
	int i;

	img_exec();
	for (i = 4; i < UELF_MAXSEG; i++)
		ph(PT_LOAD, PF_R, 0x1000, 0x500000 + 0x1000 * (uint64_t)i, 0x10, 0x10);
	accepted();
	assert_int_equal(im.ue.ue_nseg, UELF_MAXSEG);
	ph(PT_LOAD, PF_R, 0x1000, 0x600000, 0x10, 0x10);
	refused("too many loadable segments");

	img_init(ET_EXEC);
	ph(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
	refused("no loadable segments");
	img_exec();
	for (i = 0; i < 4; i++)
		im.ph[i].p_memsz = 0;
	refused("no loadable segments");
}

static void
test_entry(void **state)
{
	img_exec();
	im.eh->e_entry = 0x401000;
	accepted();
	im.eh->e_entry = 0x401000 + 0xbb6;
	accepted();
	im.eh->e_entry = 0x401000 + 0xbb7;
	refused("entry point");
	im.eh->e_entry = 0x400fff;
	refused("entry point");
	im.eh->e_entry = EXE_BASE;	/* readable, not executable */
	refused("entry point");
	im.eh->e_entry = EXE_DATA;
	refused("entry point");
	im.eh->e_entry = 0;
	refused("entry point");
	im.eh->e_entry = UINT64_MAX;
	refused("entry point");
	/* Only the segment's flags count, not the stack's or the TLS'. */
	img_exec();
	im.ph[1].p_flags = PF_R;
	im.ph[5].p_flags = PF_R | PF_W | PF_X;
	im.ph[4].p_flags = PF_R | PF_X;
	refused("entry point");
	/* PIE: relative to the base. */
	img_pie();
	im.eh->e_entry = 0x17ff;
	accepted();
	im.eh->e_entry = 0x1800;
	refused("entry point");
}

static void
test_at_phdr(void **state)
{
	/* PT_PHDR wins; the first segment grows to hold one more header. */
	img_exec();
	im.ph[0].p_filesz = im.ph[0].p_memsz = 64 + 8 * 56;
	ph(PT_PHDR, PF_R, 0x40, EXE_BASE + 0x40, 8 * 56, 8 * 56);
	accepted();
	assert_int_equal(im.ue.ue_phdr, EXE_BASE + 0x40);
	/* It must be file contents in memory. */
	img_exec();
	ph(PT_PHDR, PF_R, 0x40, 0x300000, 8 * 56, 8 * 56);
	refused("PT_PHDR");
	img_exec();
	ph(PT_PHDR, PF_R, 0x40, EXE_DATA + 0x154 - 8, 8 * 56, 8 * 56);
	refused("PT_PHDR");
	img_exec();
	ph(PT_PHDR, PF_R, 0x40, UINT64_MAX - 8, 8 * 56, 8 * 56);
	refused("PT_PHDR");
	img_exec();
	ph(PT_PHDR, PF_R, 0x40, EXE_BASE + 0x40, 9 * 56, 9 * 56);
	ph(PT_PHDR, PF_R, 0x40, EXE_BASE + 0x40, 9 * 56, 9 * 56);
	refused("more than one PT_PHDR");

	/* Without it: where a PT_LOAD maps the table's file bytes. */
	img_exec();
	memmove(im.u.b + 0x1040, im.ph, 7 * 56);
	im.eh->e_phoff = 0x1040;
	accepted();
	assert_int_equal(im.ue.ue_phdr, 0x401040);
	/* Only partly file bytes of a segment: 0. */
	img_exec();
	memmove(im.u.b + 0x1bb7 - 100, im.ph, 7 * 56);
	im.eh->e_phoff = 0x1bb7 - 100;
	accepted();
	assert_int_equal(im.ue.ue_phdr, 0);
}

static void
test_tls(void **state)
{
	img_exec();
	im.ph[4].p_type = PT_NULL;
	accepted();
	assert_int_equal(im.ue.ue_has_tls, 0);
	assert_int_equal(im.ue.ue_tls_memsz, 0);

	img_exec();
	im.ph[4].p_filesz = 9;
	refused("PT_TLS file size");
	img_exec();
	im.ph[4].p_align = 3;
	refused("alignment");
	img_exec();
	im.ph[4].p_align = 0;
	accepted();
	img_exec();
	im.ph[4].p_align = 64;
	accepted();
	img_exec();
	im.ph[4].p_vaddr = 0x500000;
	refused("PT_TLS image");
	img_exec();
	im.ph[4].p_vaddr = EXE_DATA + 0x152;
	refused("PT_TLS image");	/* runs into .bss */
	img_exec();
	im.ph[4].p_vaddr = UINT64_MAX - 2;
	refused("PT_TLS");
	img_exec();
	im.ph[4].p_memsz = UINT64_MAX;
	refused("wraps");
	/* .tbss only: no image to check. */
	img_exec();
	im.ph[4].p_vaddr = 0x12345678;
	im.ph[4].p_filesz = 0;
	im.ph[4].p_memsz = 0x100;
	accepted();
	assert_int_equal(im.ue.ue_tls_vaddr, 0x12345678);
	img_exec();
	ph(PT_TLS, PF_R, 0x2fbc, EXE_DATA, 4, 8);
	refused("more than one PT_TLS");
}

static void
test_gnu_stack(void **state)
{
	img_exec();
	im.ph[5].p_flags = PF_R | PF_W | PF_X;
	accepted();
	assert_int_equal(im.ue.ue_exec_stack, 1);
	img_exec();
	im.ph[5].p_type = PT_NULL;
	accepted();
	assert_int_equal(im.ue.ue_exec_stack, 0);
}

static uint64_t rng_state = 0x853c49e6748fea9bULL;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* What an accepted image must satisfy, whatever its bytes (see uelf.h). */
static void
check_promises(uint64_t len)
{
	const struct uelf *u = &im.ue;
	const struct uelf_seg *s;
	uint64_t lim = u->ue_pie ? USER_TOP - UELF_PIE_BASE : USER_TOP;
	int i, entry = 0;

	assert_true(u->ue_nseg > 0 && u->ue_nseg <= UELF_MAXSEG);
	for (i = 0; i < u->ue_nseg; i++) {
		s = &u->ue_seg[i];
		assert_true(s->us_filesz <= s->us_memsz && s->us_memsz > 0);
		assert_true(s->us_offset <= len && s->us_filesz <= len - s->us_offset);
		assert_true(s->us_vaddr % PAGE_SIZE == s->us_offset % PAGE_SIZE);
		assert_true(s->us_vaddr <= lim && s->us_memsz <= lim - s->us_vaddr);
		if (!u->ue_pie)
			assert_true(s->us_vaddr >= USER_BASE);
		if (i > 0)
			assert_true(s->us_vaddr >= s[-1].us_vaddr + s[-1].us_memsz);
		if ((s->us_flags & PF_X) && u->ue_entry >= s->us_vaddr &&
		    u->ue_entry - s->us_vaddr < s->us_memsz)
			entry = 1;
	}
	assert_true(entry);
	assert_true(u->ue_vlo % PAGE_SIZE == 0 && u->ue_vhi % PAGE_SIZE == 0);
	assert_true(u->ue_vlo < u->ue_vhi && u->ue_vhi <= lim);
}

static void
test_mutations(void **state)
{
	uint8_t good[IMG_SIZE];
	uint64_t goodlen, i, k;
	int round, r, nok = 0, which;

	for (round = 0; round < 100000; round++) {
		which = round % 2;
		if (which)
			img_pie();
		else
			img_exec();
		goodlen = im.len;
		memcpy(good, im.u.b, goodlen);
		for (k = rng() % 3 + 1; k > 0; k--) {
			/* Mostly the headers: that is where the checks are. */
			i = rng() % 8 ? rng() % (64 + 7 * 56) : rng() % goodlen;
			switch (rng() % 4) {
			case 0:
				im.u.b[i] = (uint8_t)rng();
				break;
			case 1:
				im.u.b[i] ^= (uint8_t)(1u << (rng() % 8));
				break;
			case 2:
				im.u.b[i] = (uint8_t)(rng() % 2 ? 0xff : 0);
				break;
			default:
				im.u.b[i] += (uint8_t)(rng() % 3 - 1);
				break;
			}
		}
		if (rng() % 8 == 0)
			im.len = rng() % (goodlen + 1);
		r = check();
		assert_true(r == 0 || r == -ENOEXEC);
		assert_non_null(im.ue.ue_why);
		if (r == 0) {
			nok++;
			check_promises(im.len);
		}
	}
	assert_true(nok > 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_exec),
		cmocka_unit_test(test_valid_pie),
		cmocka_unit_test(test_misaligned_buffer),
		cmocka_unit_test(test_interp),
		cmocka_unit_test(test_short_file),
		cmocka_unit_test(test_ident),
		cmocka_unit_test(test_type),
		cmocka_unit_test(test_phdr_table),
		cmocka_unit_test(test_segment_sizes),
		cmocka_unit_test(test_congruence),
		cmocka_unit_test(test_address_range),
		cmocka_unit_test(test_pie_range),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_max_segments),
		cmocka_unit_test(test_entry),
		cmocka_unit_test(test_at_phdr),
		cmocka_unit_test(test_tls),
		cmocka_unit_test(test_gnu_stack),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
