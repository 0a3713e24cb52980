/*
 * t_mem.c: tests of the address space calls: brk, mmap (anonymous,
 * private), munmap and mprotect, with good and bad arguments; what must
 * fault is touched in a child and the parent checks for SIGSEGV.
 *
 * Interface: mem_tests[] (utest.h).
 */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "utest.h"

#define KERNEL_ADDR	0xffff800000000000UL
#define MAP_ANON_PRIV	(MAP_PRIVATE | MAP_ANONYMOUS)
#define RW		(PROT_READ | PROT_WRITE)

static unsigned long
pg_roundup(unsigned long a)
{
	return (a + PGSIZE - 1) & ~(PGSIZE - 1);
}

static int
all_bytes(const void *p, int c, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != (unsigned char)c)
			return 0;
	return 1;
}

/* Children that touch the address they are given. */
static void
c_read(void *arg)
{
	volatile char *p = arg;

	(void)*p;
}

static void
c_write(void *arg)
{
	volatile char *p = arg;

	*p = 1;
}

static void
t_brk_query(void)
{
	long cur = sys_brk(0);

	CHECK(cur > 0 && !sys_iserr(cur), "brk(0) = %s", ut_rstr(cur));
	CHECK_EQ(sys_brk(0), cur);
}

static void
t_brk_grow_shrink(void)
{
	unsigned long cur = sys_brk(0), base = pg_roundup(cur);
	unsigned long top = base + 16 * PGSIZE;
	char *p = (char *)base;

	CHECK_EQ(sys_brk((void *)top), top);
	CHECK_EQ(sys_brk(0), top);
	CHECK(all_bytes(p, 0, top - base), "new heap not zero-filled");
	memset(p, 0x5a, top - base);
	CHECK(all_bytes(p, 0x5a, top - base), "heap did not keep what was written");
	/* Shrink: the pages above the new break are gone. */
	CHECK_EQ(sys_brk((void *)(base + PGSIZE)), base + PGSIZE);
	CHECK_EQ(sys_brk(0), base + PGSIZE);
	CHECK(all_bytes(p, 0x5a, PGSIZE), "kept page changed");
	CHECK_SIGNAL(c_read, p + 2 * PGSIZE, SIGSEGV);
	CHECK_SIGNAL(c_write, p + 15 * PGSIZE, SIGSEGV);
	/* Grown again: fresh zero pages, not the old contents. */
	CHECK_EQ(sys_brk((void *)top), top);
	CHECK(all_bytes(p + PGSIZE, 0, top - base - PGSIZE), "regrown heap not zero");
	CHECK_EQ(sys_brk((void *)cur), cur);
	CHECK_EQ(sys_brk(0), cur);
}

static void
t_brk_bad(void)
{
	long cur = sys_brk(0);

	/* A break that cannot be set leaves it alone, and brk returns it. */
	CHECK_EQ(sys_brk((void *)KERNEL_ADDR), cur);
	CHECK_EQ(sys_brk((void *)0x0000800000000000UL), cur);
	CHECK_EQ(sys_brk((void *)1), cur);	/* below the heap's start */
	CHECK_EQ(sys_brk(0), cur);
}

static void
t_mmap_anon(void)
{
	long p;

	CHECK_OK(p, sys_mmap(0, 3 * PGSIZE, RW, MAP_ANON_PRIV, -1, 0));
	CHECK((p & (PGSIZE - 1)) == 0, "mmap = %#lx: not page-aligned", p);
	CHECK(all_bytes((void *)p, 0, 3 * PGSIZE), "not zero-filled");
	memset((void *)p, 0x33, 3 * PGSIZE);
	CHECK(all_bytes((void *)p, 0x33, 3 * PGSIZE), "did not keep what was written");
	CHECK_EQ(sys_munmap((void *)p, 3 * PGSIZE), 0);
	/* A length that is not a page multiple is rounded up. */
	CHECK_OK(p, sys_mmap(0, 100, RW, MAP_ANON_PRIV, -1, 0));
	memset((void *)p, 1, PGSIZE);
	CHECK_EQ(sys_munmap((void *)p, 100), 0);
}

static void
t_mmap_many(void)
{
	static long maps[64];

	for (int i = 0; i < 64; i++) {
		CHECK_OK(maps[i], sys_mmap(0, PGSIZE, RW, MAP_ANON_PRIV, -1, 0));
		for (int j = 0; j < i; j++)
			CHECK(maps[j] != maps[i], "two mappings at %#lx", maps[i]);
		*(long *)maps[i] = i;
	}
	for (int i = 0; i < 64; i++) {
		CHECK_EQ(*(long *)maps[i], i);
		CHECK_EQ(sys_munmap((void *)maps[i], PGSIZE), 0);
	}
}

static void
t_mmap_large(void)
{
	const unsigned long len = 32UL << 20;
	long p;

	CHECK_OK(p, sys_mmap(0, len, RW, MAP_ANON_PRIV, -1, 0));
	for (unsigned long off = 0; off < len; off += 256 * 1024)
		*(long *)(p + off) = off;
	for (unsigned long off = 0; off < len; off += 256 * 1024)
		CHECK_EQ(*(long *)(p + off), off);
	CHECK_EQ(sys_munmap((void *)p, len), 0);
}

static void
t_mmap_fixed(void)
{
	long p, q;

	/* Reserve four pages, then map a fresh page over the second. */
	CHECK_OK(p, sys_mmap(0, 4 * PGSIZE, RW, MAP_ANON_PRIV, -1, 0));
	memset((void *)p, 0xaa, 4 * PGSIZE);
	CHECK_OK(q, sys_mmap((void *)(p + PGSIZE), PGSIZE, RW, MAP_ANON_PRIV | MAP_FIXED, -1, 0));
	CHECK_EQ(q, p + PGSIZE);
	CHECK(all_bytes((void *)q, 0, PGSIZE), "MAP_FIXED page not fresh");
	CHECK(all_bytes((void *)p, 0xaa, PGSIZE), "page before changed");
	CHECK(all_bytes((void *)(p + 2 * PGSIZE), 0xaa, 2 * PGSIZE), "pages after changed");
	/* Into a hole: exactly where asked. */
	CHECK_EQ(sys_munmap((void *)p, 4 * PGSIZE), 0);
	CHECK_OK(q, sys_mmap((void *)(p + 2 * PGSIZE), PGSIZE, RW, MAP_ANON_PRIV | MAP_FIXED, -1, 0));
	CHECK_EQ(q, p + 2 * PGSIZE);
	*(volatile char *)q = 1;
	CHECK_EQ(sys_munmap((void *)q, PGSIZE), 0);
}

static void
t_mmap_einval(void)
{
	long p;

	CHECK_ERR(sys_mmap(0, 0, RW, MAP_ANON_PRIV, -1, 0), EINVAL);
	CHECK_OK(p, sys_mmap(0, 2 * PGSIZE, RW, MAP_ANON_PRIV, -1, 0));
	CHECK_ERR(sys_mmap((void *)(p + 1), PGSIZE, RW, MAP_ANON_PRIV | MAP_FIXED, -1, 0), EINVAL);
	CHECK_ERR(sys_mmap((void *)(p + 100), PGSIZE, RW, MAP_ANON_PRIV | MAP_FIXED, -1, 0), EINVAL);
	sys_munmap((void *)p, 2 * PGSIZE);
	/* Neither MAP_PRIVATE nor MAP_SHARED. */
	CHECK_ERR(sys_mmap(0, PGSIZE, RW, MAP_ANONYMOUS, -1, 0), EINVAL);
	/* An offset that is not a page multiple. */
	CHECK_ERR(sys_mmap(0, PGSIZE, RW, MAP_ANON_PRIV, -1, 1), EINVAL);
}

static void
t_mmap_enomem(void)
{
	/* Nothing can be mapped in the kernel half or above user space. */
	CHECK_ERR(sys_mmap((void *)KERNEL_ADDR, PGSIZE, RW, MAP_ANON_PRIV | MAP_FIXED, -1, 0), ENOMEM);
	CHECK_ERR(sys_mmap((void *)0x0000800000000000UL, PGSIZE, RW, MAP_ANON_PRIV | MAP_FIXED, -1, 0), ENOMEM);
	/* Longer than the whole user half. */
	CHECK_ERR(sys_mmap(0, 1UL << 47, RW, MAP_ANON_PRIV, -1, 0), ENOMEM);
	CHECK_ERR(sys_mmap(0, -PGSIZE, RW, MAP_ANON_PRIV, -1, 0), ENOMEM);
}

static void
t_mmap_prot_none(void)
{
	long p;

	CHECK_OK(p, sys_mmap(0, PGSIZE, PROT_NONE, MAP_ANON_PRIV, -1, 0));
	CHECK_SIGNAL(c_read, (void *)p, SIGSEGV);
	CHECK_SIGNAL(c_write, (void *)(p + 8), SIGSEGV);
	/* The kernel cannot read it either. */
	CHECK_ERR(sys_write(1, (void *)p, 8), EFAULT);
	sys_munmap((void *)p, PGSIZE);
}

static void
t_munmap_touch(void)
{
	long p;

	CHECK_OK(p, sys_mmap(0, PGSIZE, RW, MAP_ANON_PRIV, -1, 0));
	*(volatile char *)p = 1;
	CHECK_EQ(sys_munmap((void *)p, PGSIZE), 0);
	CHECK_SIGNAL(c_read, (void *)p, SIGSEGV);
	CHECK_SIGNAL(c_write, (void *)p, SIGSEGV);
}

static void
t_munmap_middle(void)
{
	long p;

	CHECK_OK(p, sys_mmap(0, 3 * PGSIZE, RW, MAP_ANON_PRIV, -1, 0));
	memset((void *)p, 7, 3 * PGSIZE);
	CHECK_EQ(sys_munmap((void *)(p + PGSIZE), PGSIZE), 0);
	CHECK_SIGNAL(c_read, (void *)(p + PGSIZE + 100), SIGSEGV);
	CHECK(all_bytes((void *)p, 7, PGSIZE), "first page changed");
	CHECK(all_bytes((void *)(p + 2 * PGSIZE), 7, PGSIZE), "last page changed");
	/* Unmapping a range with a hole in it is fine. */
	CHECK_EQ(sys_munmap((void *)p, 3 * PGSIZE), 0);
	CHECK_SIGNAL(c_read, (void *)p, SIGSEGV);
}

static void
t_munmap_bad(void)
{
	long p;

	CHECK_OK(p, sys_mmap(0, PGSIZE, RW, MAP_ANON_PRIV, -1, 0));
	CHECK_ERR(sys_munmap((void *)(p + 1), PGSIZE), EINVAL);
	CHECK_ERR(sys_munmap((void *)p, 0), EINVAL);
	CHECK_ERR(sys_munmap((void *)KERNEL_ADDR, PGSIZE), EINVAL);
	*(volatile char *)p = 1;	/* still mapped */
	CHECK_EQ(sys_munmap((void *)p, PGSIZE), 0);
	/* Nothing mapped there any more: not an error. */
	CHECK_EQ(sys_munmap((void *)p, PGSIZE), 0);
}

static void
t_mprotect_ro(void)
{
	long p;

	CHECK_OK(p, sys_mmap(0, 2 * PGSIZE, RW, MAP_ANON_PRIV, -1, 0));
	memset((void *)p, 9, 2 * PGSIZE);
	CHECK_EQ(sys_mprotect((void *)p, PGSIZE, PROT_READ), 0);
	CHECK_EQ(*(volatile char *)p, 9);	/* still readable */
	CHECK_SIGNAL(c_write, (void *)p, SIGSEGV);
	CHECK_EXIT(c_write, (void *)(p + PGSIZE), 0);	/* the other page is not */
	/* The kernel must not write into it for us either. */
	CHECK_ERR(sys2(SYS_clock_gettime, 1, p), EFAULT);
	CHECK_EQ(sys_mprotect((void *)p, PGSIZE, RW), 0);
	*(volatile char *)p = 10;
	CHECK_EXIT(c_write, (void *)p, 0);
	CHECK_EQ(sys_mprotect((void *)p, 2 * PGSIZE, PROT_NONE), 0);
	CHECK_SIGNAL(c_read, (void *)(p + PGSIZE), SIGSEGV);
	sys_munmap((void *)p, 2 * PGSIZE);
}

static void
t_mprotect_exec(void)
{
	/* mov $42, %eax; ret */
	static const unsigned char code[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 };
	int (*fn)(void);
	long p;

	CHECK_OK(p, sys_mmap(0, PGSIZE, RW, MAP_ANON_PRIV, -1, 0));
	memcpy((void *)p, code, sizeof code);
	CHECK_EQ(sys_mprotect((void *)p, PGSIZE, PROT_READ | PROT_EXEC), 0);
	fn = (int (*)(void))p;
	CHECK_EQ(fn(), 42);
	CHECK_SIGNAL(c_write, (void *)p, SIGSEGV);
	sys_munmap((void *)p, PGSIZE);
	/* mmap'd executable straight away. */
	CHECK_OK(p, sys_mmap(0, PGSIZE, RW | PROT_EXEC, MAP_ANON_PRIV, -1, 0));
	memcpy((void *)p, code, sizeof code);
	fn = (int (*)(void))p;
	CHECK_EQ(fn(), 42);
	sys_munmap((void *)p, PGSIZE);
}

static void
t_mprotect_bad(void)
{
	long p;

	CHECK_OK(p, sys_mmap(0, 2 * PGSIZE, RW, MAP_ANON_PRIV, -1, 0));
	CHECK_ERR(sys_mprotect((void *)(p + 1), PGSIZE, PROT_READ), EINVAL);
	CHECK_ERR(sys_mprotect((void *)p, PGSIZE, 0x1000), EINVAL);	/* unknown bit */
	CHECK_EQ(sys_mprotect((void *)p, 0, PROT_READ), 0);
	sys_munmap((void *)(p + PGSIZE), PGSIZE);
	/* A range that is not all mapped. */
	CHECK_ERR(sys_mprotect((void *)p, 2 * PGSIZE, PROT_READ), ENOMEM);
	CHECK_ERR(sys_mprotect((void *)(p + PGSIZE), PGSIZE, PROT_READ), ENOMEM);
	sys_munmap((void *)p, PGSIZE);
}

#define MAP_PATH		"/tmp/utest-map"
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE	0x03
#endif

/*
 * Mapping a file needs a descriptor open for reading, whatever the
 * protection and the type (EACCES, checked before MAP_SHARED itself); a
 * shared writable mapping needs one open for writing too.
 */
static void
t_mmap_file_mode(void)
{
	static const int prots[] = { PROT_NONE, PROT_READ, PROT_WRITE, RW };
	static const int types[] = { MAP_PRIVATE, MAP_SHARED, MAP_SHARED_VALIDATE };
	char buf[PGSIZE];
	long fd, w, r, p;

	sys2(SYS_mkdir, "/tmp", 0755);	/* Linux's initramfs may have none */
	CHECK_OK(fd, sys3(SYS_open, MAP_PATH, O_RDWR | O_CREAT | O_TRUNC, 0644));
	memset(buf, 'm', sizeof buf);
	CHECK_EQ(sys_write(fd, buf, sizeof buf), PGSIZE);
	CHECK_EQ(sys_close(fd), 0);
	CHECK_OK(w, sys_open(MAP_PATH, O_WRONLY));
	CHECK_OK(r, sys_open(MAP_PATH, O_RDONLY));
	for (size_t i = 0; i < sizeof prots / sizeof prots[0]; i++)
		for (size_t t = 0; t < sizeof types / sizeof types[0]; t++)
			CHECK_ERR(sys_mmap(0, PGSIZE, prots[i], types[t], w, 0), EACCES);
	CHECK_ERR(sys_mmap(0, PGSIZE, PROT_WRITE, MAP_SHARED, r, 0), EACCES);
	CHECK_ERR(sys_mmap(0, PGSIZE, RW, MAP_SHARED_VALIDATE, r, 0), EACCES);
	/* The address is checked first. */
	CHECK_ERR(sys_mmap((void *)0x10001000UL, PGSIZE, PROT_READ, MAP_PRIVATE | MAP_FIXED, w, 1),
	    EINVAL);
	/* A private mapping of a read-only descriptor may be written: a copy. */
	CHECK_OK(p, sys_mmap(0, PGSIZE, RW, MAP_PRIVATE, r, 0));
	CHECK(((char *)p)[0] == 'm' && ((char *)p)[PGSIZE - 1] == 'm', "file contents not mapped");
	((char *)p)[0] = 'x';
	CHECK_EQ(sys_munmap((void *)p, PGSIZE), 0);
	CHECK_EQ(sys_read(r, buf, 1), 1);
	CHECK_EQ(buf[0], 'm');
	sys_close(w);
	sys_close(r);
	sys1(SYS_unlink, MAP_PATH);
}

const struct utest mem_tests[] = {
	{ "brk(0) returns the current break", t_brk_query, 0 },
	{ "brk grow (zero-filled), touch, shrink (unmapped), regrow", t_brk_grow_shrink, 0 },
	{ "brk to an impossible address returns the old break", t_brk_bad, 0 },
	{ "mmap anonymous private: aligned, zero-filled, writable", t_mmap_anon, 0 },
	{ "mmap 64 separate pages", t_mmap_many, 0 },
	{ "mmap 32 MiB and touch it sparsely", t_mmap_large, 0 },
	{ "mmap MAP_FIXED over a mapping and into a hole", t_mmap_fixed, 0 },
	{ "mmap length 0, unaligned MAP_FIXED, bad flags/offset -> EINVAL", t_mmap_einval, 0 },
	{ "mmap outside user space or too long -> ENOMEM", t_mmap_enomem, 0 },
	{ "mmap PROT_NONE: touching it -> SIGSEGV", t_mmap_prot_none, 0 },
	{ "munmap: touching the page after -> SIGSEGV", t_munmap_touch, 0 },
	{ "munmap of a middle page keeps its neighbours", t_munmap_middle, 0 },
	{ "munmap unaligned, length 0, kernel half -> EINVAL", t_munmap_bad, 0 },
	{ "mprotect read-only: write -> SIGSEGV; back to RW; PROT_NONE", t_mprotect_ro, 0 },
	{ "mprotect PROT_EXEC: code written to a page runs", t_mprotect_exec, 0 },
	{ "mmap of a file needs it open for reading (MAP_SHARED PROT_WRITE: and writing) -> EACCES", t_mmap_file_mode, 0 },
	{ "mprotect unaligned, bad prot -> EINVAL, unmapped -> ENOMEM", t_mprotect_bad, 0 },
	{ 0, 0, 0 },
};
