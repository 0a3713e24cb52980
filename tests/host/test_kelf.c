/*
 * test_kelf.c: host tests for kelf_check (lib/kelf.c).
 *
 * Each test builds a kernel ELF image in memory: an Elf64_Ehdr, the program
 * headers right after it, and segment contents further on.  The good image
 * is a small kernel like the real one (text R-X, rodata R, data RW with a
 * bss); the other tests break one thing in it and check the reason given.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <lib/kelf.h>
#include <lib/elf64.h>
#include <shared/layout.h>

#define IMG_SIZE	8192
#define IMG_PAYLOAD	1024	/* segment contents start here */
#define IMG_MAXPH	((IMG_PAYLOAD - sizeof(Elf64_Ehdr)) / sizeof(Elf64_Phdr))

struct img {
	union {
		unsigned char b[IMG_SIZE];
		uint64_t align;		/* kelf_check reads the headers in place */
	} u;
	uint64_t len;		/* what kelf_check is told */
	uint64_t next;		/* next free payload offset */
	Elf64_Ehdr *eh;
	Elf64_Phdr *ph;
	struct kelf_image ki;
};

static struct img im;

static void
img_init(void)
{
	memset(&im, 0, sizeof(im));
	im.len = IMG_SIZE;
	im.next = IMG_PAYLOAD;
	im.eh = (Elf64_Ehdr *)im.u.b;
	im.ph = (Elf64_Phdr *)(im.u.b + sizeof(Elf64_Ehdr));
	memcpy(im.eh->e_ident, "\177ELF", 4);
	im.eh->e_ident[EI_CLASS] = ELFCLASS64;
	im.eh->e_ident[EI_DATA] = ELFDATA2LSB;
	im.eh->e_ident[EI_VERSION] = EV_CURRENT;
	im.eh->e_type = ET_EXEC;
	im.eh->e_machine = EM_X86_64;
	im.eh->e_version = EV_CURRENT;
	im.eh->e_phoff = sizeof(Elf64_Ehdr);
	im.eh->e_phentsize = sizeof(Elf64_Phdr);
	im.eh->e_ehsize = sizeof(Elf64_Ehdr);
}

/* Append a program header; its filesz bytes come from the payload area. */
static Elf64_Phdr *
img_seg(uint32_t type, uint32_t flags, uint64_t vaddr, uint64_t filesz,
    uint64_t memsz)
{
	Elf64_Phdr *ph;

	assert_true(im.eh->e_phnum < IMG_MAXPH);
	assert_true(im.next + filesz <= IMG_SIZE);
	ph = &im.ph[im.eh->e_phnum++];
	ph->p_type = type;
	ph->p_flags = flags;
	ph->p_offset = im.next;
	ph->p_vaddr = vaddr;
	ph->p_paddr = vaddr - KERNEL_BASE;
	ph->p_filesz = filesz;
	ph->p_memsz = memsz;
	ph->p_align = PAGE_SIZE;
	memset(im.u.b + im.next, 0xcc, filesz);
	im.next += (filesz + 15) & ~15UL;
	return ph;
}

/*
 * The good kernel.  Addresses are deliberately not page aligned at the
 * ends, so ki_vlo and ki_vhi show the rounding.
 */
#define TEXT_VA		(KERNEL_BASE + 0x120)
#define RODATA_VA	(KERNEL_BASE + 0x1000)
#define DATA_VA		(KERNEL_BASE + 0x2000)
#define DATA_MEMSZ	0x2ff0		/* 0x80 of .data, the rest .bss */
#define ENTRY		(TEXT_VA + 0x10)

static void
img_kernel(void)
{
	img_init();
	img_seg(PT_LOAD, PF_R | PF_X, TEXT_VA, 0x200, 0x200);
	img_seg(PT_LOAD, PF_R, RODATA_VA, 0x100, 0x100);
	img_seg(PT_LOAD, PF_R | PF_W, DATA_VA, 0x80, DATA_MEMSZ);
	/* Not loadable: must be skipped, not counted. */
	img_seg(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0);
	im.eh->e_entry = ENTRY;
}

static const char *
check(void)
{
	return kelf_check(im.u.b, im.len, &im.ki);
}

/* kelf_check must refuse the image with a reason containing `part`. */
static void
refused(const char *part)
{
	const char *why = check();

	if (why == NULL)
		fail_msg("image accepted, expected a refusal containing \"%s\"", part);
	if (strstr(why, part) == NULL)
		fail_msg("reason \"%s\" does not contain \"%s\"", why, part);
}

static void
test_valid_kernel(void **state)
{
	const char *why;
	int i;

	img_kernel();
	why = check();
	if (why != NULL)
		fail_msg("good kernel refused: %s", why);
	assert_int_equal(im.ki.ki_nseg, 3);
	assert_int_equal(im.ki.ki_entry, ENTRY);
	assert_int_equal(im.ki.ki_vlo, KERNEL_BASE);
	assert_int_equal(im.ki.ki_vhi, KERNEL_BASE + 0x5000);
	assert_int_equal(im.ki.ki_vlo % PAGE_SIZE, 0);
	assert_int_equal(im.ki.ki_vhi % PAGE_SIZE, 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(im.ki.ki_seg[i].ks_vaddr, im.ph[i].p_vaddr);
		assert_int_equal(im.ki.ki_seg[i].ks_memsz, im.ph[i].p_memsz);
		assert_int_equal(im.ki.ki_seg[i].ks_offset, im.ph[i].p_offset);
		assert_int_equal(im.ki.ki_seg[i].ks_filesz, im.ph[i].p_filesz);
		assert_int_equal(im.ki.ki_seg[i].ks_flags, im.ph[i].p_flags);
	}
	assert_int_equal(im.ki.ki_seg[0].ks_flags, PF_R | PF_X);
	assert_int_equal(im.ki.ki_seg[2].ks_memsz, DATA_MEMSZ);

	/* The file may end exactly where the last segment's bytes end. */
	im.len = im.ph[2].p_offset + im.ph[2].p_filesz;
	assert_null(check());
	/* A zero-size PT_LOAD is ignored, wherever it claims to be. */
	img_seg(PT_LOAD, PF_R, 0x1000, 0, 0)->p_offset = ~0UL;
	im.len = IMG_SIZE;
	assert_null(check());
	assert_int_equal(im.ki.ki_nseg, 3);
}

static void
test_too_short(void **state)
{
	img_kernel();
	im.len = sizeof(Elf64_Ehdr) - 1;
	refused("too short");
	im.len = 0;
	refused("too short");
}

static void
test_bad_ident(void **state)
{
	img_kernel();
	im.eh->e_ident[0] = 0x7e;
	refused("bad magic");
	img_kernel();
	im.eh->e_ident[3] = 'f';
	refused("bad magic");

	img_kernel();
	im.eh->e_ident[EI_CLASS] = 1;	/* ELFCLASS32 */
	refused("64-bit");

	img_kernel();
	im.eh->e_ident[EI_DATA] = 2;	/* ELFDATA2MSB */
	refused("little-endian");

	img_kernel();
	im.eh->e_ident[EI_VERSION] = 0;
	refused("version");
	img_kernel();
	im.eh->e_version = 2;
	refused("version");
}

static void
test_wrong_machine(void **state)
{
	img_kernel();
	im.eh->e_machine = 183;		/* EM_AARCH64 */
	refused("another machine");
	refused("183");
}

static void
test_not_exec(void **state)
{
	img_kernel();
	im.eh->e_type = ET_DYN;
	refused("not an executable");
	img_kernel();
	im.eh->e_type = 1;		/* ET_REL */
	refused("not an executable");
}

static void
test_bad_phentsize(void **state)
{
	img_kernel();
	im.eh->e_phentsize = sizeof(Elf64_Phdr) + 8;
	refused("program header size");
	img_kernel();
	im.eh->e_phentsize = 32;
	refused("program header size");
}

static void
test_phdrs_outside_file(void **state)
{
	img_kernel();
	im.eh->e_phnum = 0;
	refused("no program headers");

	/* The table runs past the end of the file. */
	img_kernel();
	im.eh->e_phoff = IMG_SIZE - sizeof(Elf64_Phdr);
	refused("outside the file");
	img_kernel();
	im.eh->e_phnum = 0xffff;
	refused("outside the file");
	img_kernel();
	im.len = im.eh->e_phoff + 3 * sizeof(Elf64_Phdr);	/* one short */
	refused("outside the file");

	/* phoff + phnum * phentsize wraps to a small number. */
	img_kernel();
	im.eh->e_phoff = 0xffffffffffffff00UL;
	refused("outside the file");

	img_kernel();
	im.eh->e_phoff = sizeof(Elf64_Ehdr) + 4;
	refused("misaligned");
}

static void
test_lower_half(void **state)
{
	img_kernel();
	im.ph[1].p_vaddr = 0x400000;
	refused("lower half");
	refused("segment 1");
	img_kernel();
	im.ph[0].p_vaddr = 0x00007ffffffff000UL;
	refused("lower half");
}

static void
test_below_kernel_base(void **state)
{
	/* Upper half, but the direct map or the KVA area, not the image. */
	img_kernel();
	im.ph[2].p_vaddr = KERNEL_HALF_BASE + 0x100000;
	refused("outside the kernel area");
	img_kernel();
	im.ph[0].p_vaddr = KERNEL_BASE - PAGE_SIZE;
	refused("outside the kernel area");
}

static void
test_filesz_over_memsz(void **state)
{
	img_kernel();
	im.ph[1].p_memsz = im.ph[1].p_filesz - 1;
	refused("file size exceeds memory size");
}

static void
test_past_eof(void **state)
{
	img_kernel();
	im.ph[2].p_offset = IMG_SIZE - 0x40;	/* 0x80 bytes from there */
	refused("past the end of the file");

	img_kernel();
	im.len = im.ph[2].p_offset + im.ph[2].p_filesz - 1;
	refused("past the end of the file");

	/* offset + filesz wraps around to well inside the file. */
	img_kernel();
	im.ph[2].p_offset = ~0UL - 0x3f;
	refused("past the end of the file");
	img_kernel();
	im.ph[2].p_offset = 0x100;
	im.ph[2].p_filesz = ~0UL - 0x80;
	im.ph[2].p_memsz = ~0UL - 0x80;
	refused("past the end of the file");
}

static void
test_overlap(void **state)
{
	/* Rodata starting inside text. */
	img_kernel();
	im.ph[1].p_vaddr = TEXT_VA + 0x100;
	refused("overlap");

	/* Disjoint bytes, but data starts in the page rodata ends in. */
	img_kernel();
	im.ph[2].p_vaddr = RODATA_VA + 0x800;
	refused("segments 1 and 2 overlap");

	/* Same, the other way round in the table. */
	img_kernel();
	im.ph[0].p_vaddr = DATA_VA + DATA_MEMSZ;	/* same page as the bss end */
	im.eh->e_entry = im.ph[0].p_vaddr;
	refused("overlap");

	/* A segment entirely inside another one. */
	img_kernel();
	im.ph[0].p_memsz = 0x10000;
	refused("overlap");
}

static void
test_entry(void **state)
{
	img_kernel();
	im.eh->e_entry = KERNEL_BASE + 0x100000;	/* in no segment */
	refused("not in an executable segment");

	img_kernel();
	im.eh->e_entry = RODATA_VA + 8;			/* readable, not executable */
	refused("not in an executable segment");

	img_kernel();
	im.eh->e_entry = DATA_VA + 0x1000;		/* in the bss */
	refused("not in an executable segment");

	/* One past the end of text: outside. */
	img_kernel();
	im.eh->e_entry = TEXT_VA + 0x200;
	refused("not in an executable segment");

	/* The last byte of text and its first: inside. */
	img_kernel();
	im.eh->e_entry = TEXT_VA + 0x1ff;
	assert_null(check());
	im.eh->e_entry = TEXT_VA;
	assert_null(check());
}

static void
test_no_load(void **state)
{
	img_init();
	img_seg(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0);
	img_seg(PT_NULL, 0, KERNEL_BASE, 0x10, 0x10);
	im.eh->e_entry = KERNEL_BASE;
	refused("no loadable segments");
}

static void
test_too_many_segments(void **state)
{
	int i;

	/* KELF_MAXSEG is fine ... */
	img_init();
	for (i = 0; i < KELF_MAXSEG; i++)
		img_seg(PT_LOAD, PF_R | PF_X, KERNEL_BASE + i * PAGE_SIZE, 0x10, 0x10);
	im.eh->e_entry = KERNEL_BASE;
	assert_null(check());
	assert_int_equal(im.ki.ki_nseg, KELF_MAXSEG);

	/* ... one more is not. */
	img_seg(PT_LOAD, PF_R, KERNEL_BASE + KELF_MAXSEG * PAGE_SIZE, 0x10, 0x10);
	refused("more than 8 loadable segments");
}

static void
test_span(void **state)
{
	/* Exactly KELF_MAXSPAN is allowed, a page more is not. */
	img_kernel();
	im.ph[2].p_memsz = KERNEL_BASE + KELF_MAXSPAN - DATA_VA;
	assert_null(check());
	assert_int_equal(im.ki.ki_vhi - im.ki.ki_vlo, KELF_MAXSPAN);

	img_kernel();
	im.ph[2].p_memsz = KERNEL_BASE + KELF_MAXSPAN - DATA_VA + 1;
	refused("spans");

	/* Small segments far apart. */
	img_kernel();
	im.ph[2].p_vaddr = KERNEL_BASE + (1UL << 30);
	refused("spans");
}

static void
test_wrap(void **state)
{
	/* vaddr + memsz wraps past 2^64. */
	img_kernel();
	im.ph[2].p_memsz = 0x100000000UL;
	refused("wraps");
	img_kernel();
	im.ph[2].p_memsz = ~0UL;
	refused("wraps");

	/* Ending exactly at 2^64 would make the page-rounded end 0. */
	img_kernel();
	im.ph[2].p_vaddr = ~0UL - PAGE_SIZE + 1;
	im.ph[2].p_memsz = PAGE_SIZE;
	refused("wraps");
	/* So would ending inside the last page. */
	img_kernel();
	im.ph[2].p_vaddr = ~0UL - PAGE_SIZE + 1;
	im.ph[2].p_memsz = 0x100;
	refused("wraps");
}

/*
 * The KASLR relocation table at the end of the file (tools/relocs.py):
 * two sites, one 64-bit in .data and one 32-bit in .text.
 */
static void
img_relocs(uint32_t n64, uint32_t n32, const uint32_t *sites, int n)
{
	uint64_t t = (im.next + 7) & ~7UL, i;

	memcpy(im.u.b + t, &n64, 4);
	memcpy(im.u.b + t + 4, &n32, 4);
	for (i = 0; i < (uint64_t)n; i++)
		memcpy(im.u.b + t + 8 + 4 * i, &sites[i], 4);
	im.len = (t + 8 + 4 * n + 7) & ~7UL;
	memcpy(im.u.b + im.len, &t, 8);
	memcpy(im.u.b + im.len + 8, KELF_RELOC_MAGIC, 8);
	im.len += 16;
}

static void
test_relocs(void **state)
{
	const uint32_t sites[] = { 0x2000, 0x130 };
	unsigned char image[0x5000];
	uint64_t v64 = KERNEL_BASE + 0x2040;
	uint32_t v32 = (uint32_t)(KERNEL_BASE + 0x150), got32;
	const uint64_t delta = 0x3fe00000;

	img_kernel();
	assert_null(check());
	assert_int_equal(im.ki.ki_nreloc64 + im.ki.ki_nreloc32, 0);	/* none: stays */
	img_relocs(1, 1, sites, 2);
	assert_null(check());
	assert_int_equal(im.ki.ki_nreloc64, 1);
	assert_int_equal(im.ki.ki_nreloc32, 1);
	memset(image, 0, sizeof(image));
	memcpy(image + 0x2000, &v64, 8);
	memcpy(image + 0x130, &v32, 4);
	kelf_relocate(im.u.b, &im.ki, image, delta);
	memcpy(&v64, image + 0x2000, 8);
	memcpy(&got32, image + 0x130, 4);
	assert_int_equal(v64, KERNEL_BASE + 0x2040 + delta);
	/* Sign extended, the 32-bit site is the moved address too. */
	assert_int_equal((uint64_t)(int64_t)(int32_t)got32, KERNEL_BASE + 0x150 + delta);
}

static void
test_relocs_bad(void **state)
{
	const uint32_t outside[] = { 0x5000 - 4 };	/* 8 bytes would pass the end */
	const uint32_t ok[] = { 0x10 };

	img_kernel();
	img_relocs(1, 0, outside, 1);
	refused("outside the image");
	img_kernel();
	img_relocs(0, 1, outside, 1);
	assert_null(check());			/* 4 bytes fit */
	img_kernel();
	img_relocs(1000, 0, ok, 1);		/* claims more entries than there are */
	refused("runs past");
	img_kernel();
	img_relocs(0, 1, ok, 1);
	memset(im.u.b + im.len - 16, 0xff, 8);	/* table offset past the end */
	refused("outside the file");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_kernel),
		cmocka_unit_test(test_too_short),
		cmocka_unit_test(test_bad_ident),
		cmocka_unit_test(test_wrong_machine),
		cmocka_unit_test(test_not_exec),
		cmocka_unit_test(test_bad_phentsize),
		cmocka_unit_test(test_phdrs_outside_file),
		cmocka_unit_test(test_lower_half),
		cmocka_unit_test(test_below_kernel_base),
		cmocka_unit_test(test_filesz_over_memsz),
		cmocka_unit_test(test_past_eof),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_entry),
		cmocka_unit_test(test_no_load),
		cmocka_unit_test(test_too_many_segments),
		cmocka_unit_test(test_span),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_relocs),
		cmocka_unit_test(test_relocs_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
