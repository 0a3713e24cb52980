/*
 * t_shm.c: shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS) across fork:
 * writes seen both ways and across generations, kept by the others after
 * one process unmaps it, never copy-on-write, mprotect of a part,
 * MADV_DONTNEED (the data stays in the shared object), the advice that
 * shared memory refuses, and no memory leaked by any of it.
 *
 * Interface: shm_tests[] (utest.h).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include "utest.h"

#define MAP_ANON_SHARED	(MAP_SHARED | MAP_ANONYMOUS)
#define RW		(PROT_READ | PROT_WRITE)

static char *
shm_map(size_t len)
{
	long p = sys_mmap(0, len, RW, MAP_ANON_SHARED, -1, 0);

	return sys_iserr(p) ? 0 : (char *)p;
}

/* Children: check or write the first word of the page they are given. */
static void
c_expect_first(void *arg)
{
	CCHECK_EQ(*(volatile long *)arg, 0x1111);
	*(volatile long *)arg = 0x2222;
}

static void
c_write(void *arg)
{
	*(volatile char *)arg = 1;
}

static void
t_shm_fork(void)
{
	char *p = shm_map(2 * PGSIZE);
	long pid;
	int st;

	CHECK(p != 0, "mmap MAP_SHARED|MAP_ANONYMOUS failed");
	CHECK(p[0] == 0 && p[2 * PGSIZE - 1] == 0, "not zero-filled");
	*(long *)p = 0x1111;
	/* The child sees the parent's write and the parent sees the child's. */
	CHECK_EXIT(c_expect_first, p, 0);
	CHECK_EQ(*(long *)p, 0x2222);
	/* A page first touched by the child is shared too. */
	CHECK_OK(pid, sys_fork());
	if (pid == 0) {
		p[PGSIZE + 5] = 'c';
		sys_exit_group(0);
	}
	CHECK_EQ(ut_wait(pid, &st), 0);
	CHECK_EQ(p[PGSIZE + 5], 'c');
	CHECK_EQ(sys_munmap(p, 2 * PGSIZE), 0);
}

/* Both ways while both run: a pipe each way orders the writes. */
static void
t_shm_ping_pong(void)
{
	volatile long *w;
	int up[2], down[2], st;
	long pid, i;
	char c;

	CHECK((w = (volatile long *)shm_map(PGSIZE)) != 0, "mmap failed");
	CHECK_EQ(sys1(SYS_pipe, up), 0);
	CHECK_EQ(sys1(SYS_pipe, down), 0);
	CHECK_OK(pid, sys_fork());
	if (pid == 0) {
		for (i = 0; i < 100; i++) {
			CCHECK_EQ(sys_read(down[0], &c, 1), 1);
			CCHECK_EQ(*w, 2 * i);
			*w = 2 * i + 1;
			CCHECK_EQ(sys_write(up[1], &c, 1), 1);
		}
		sys_exit_group(0);
	}
	for (i = 0; i < 100; i++) {
		*w = 2 * i;
		CHECK_EQ(sys_write(down[1], "x", 1), 1);
		CHECK_EQ(sys_read(up[0], &c, 1), 1);
		CHECK_EQ(*w, 2 * i + 1);
	}
	CHECK_EQ(ut_wait(pid, &st), 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child %s", ut_status_str(st));
	for (i = 0; i < 2; i++) {
		sys_close(up[i]);
		sys_close(down[i]);
	}
	sys_munmap((void *)w, PGSIZE);
}

/* A grandchild's write reaches the grandparent, through a child that has exited. */
static void
c_fork_writer(void *arg)
{
	long pid = sys_fork();
	int st;

	CCHECK(pid >= 0, "fork: %s", ut_rstr(pid));
	if (pid == 0) {
		((volatile long *)arg)[1] = 0x3333;
		sys_exit_group(0);
	}
	CCHECK_EQ(ut_wait(pid, &st), 0);
	CCHECK_EQ(((volatile long *)arg)[1], 0x3333);
	((volatile long *)arg)[2] = 0x4444;
}

static void
t_shm_generations(void)
{
	long *p = (long *)shm_map(PGSIZE);

	CHECK(p != 0, "mmap failed");
	for (int i = 0; i < 3; i++) {
		memset(p, 0, PGSIZE);
		CHECK_EXIT(c_fork_writer, p, 0);
		CHECK_EQ(p[1], 0x3333);
		CHECK_EQ(p[2], 0x4444);
	}
	sys_munmap(p, PGSIZE);
}

/*
 * The parent unmaps its view and the child still has the memory, with
 * what was written; then the child unmaps part of its view and the rest
 * stays.
 */
static void
t_shm_unmap_one(void)
{
	char *p = shm_map(3 * PGSIZE);
	int go[2], st;
	long pid;
	char c;

	CHECK(p != 0, "mmap failed");
	CHECK_EQ(sys1(SYS_pipe, go), 0);
	CHECK_OK(pid, sys_fork());
	if (pid == 0) {
		CCHECK_EQ(sys_read(go[0], &c, 1), 1);
		CCHECK(p[0] == 'a' && p[PGSIZE] == 'b' && p[2 * PGSIZE] == 'c',
		    "child sees %c%c%c", p[0], p[PGSIZE], p[2 * PGSIZE]);
		CCHECK_EQ(sys_munmap(p + PGSIZE, PGSIZE), 0);
		CCHECK(p[0] == 'a' && p[2 * PGSIZE] == 'c', "unmapping the middle lost the rest");
		p[2 * PGSIZE] = 'C';
		sys_exit_group(0);
	}
	p[0] = 'a';
	p[PGSIZE] = 'b';
	p[2 * PGSIZE] = 'c';
	CHECK_EQ(sys_munmap(p, 3 * PGSIZE), 0);
	CHECK_EQ(sys_write(go[1], "g", 1), 1);
	CHECK_EQ(ut_wait(pid, &st), 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child %s", ut_status_str(st));
	sys_close(go[0]);
	sys_close(go[1]);
}

/* Fork copies private pages but not shared ones: the child's writes differ. */
static void
c_write_both(void *arg)
{
	char **pp = arg;

	pp[0][0] = 'S';
	pp[1][0] = 'P';
}

static void
t_shm_not_cow(void)
{
	long priv;
	char *maps[2];

	CHECK((maps[0] = shm_map(PGSIZE)) != 0, "mmap shared failed");
	CHECK_OK(priv, sys_mmap(0, PGSIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	maps[1] = (char *)priv;
	maps[0][0] = 's';
	maps[1][0] = 'p';
	CHECK_EXIT(c_write_both, maps, 0);
	CHECK_EQ(maps[0][0], 'S');
	CHECK_EQ(maps[1][0], 'p');
	sys_munmap(maps[0], PGSIZE);
	sys_munmap(maps[1], PGSIZE);
}

/* mprotect of the middle page: the others stay shared and writable. */
static void
t_shm_mprotect_part(void)
{
	char *p = shm_map(3 * PGSIZE);

	CHECK(p != 0, "mmap failed");
	p[PGSIZE] = 'm';
	CHECK_EQ(sys_mprotect(p + PGSIZE, PGSIZE, PROT_READ), 0);
	CHECK_EQ(p[PGSIZE], 'm');
	CHECK_SIGNAL(c_write, p + PGSIZE, SIGSEGV);
	CHECK_EXIT(c_write, p + 2 * PGSIZE, 0);
	CHECK_EQ(p[2 * PGSIZE], 1);
	CHECK_EXIT(c_write, p, 0);
	CHECK_EQ(p[0], 1);
	CHECK_EQ(sys_mprotect(p + PGSIZE, PGSIZE, RW), 0);
	CHECK_EXIT(c_write, p + PGSIZE, 0);
	CHECK_EQ(p[PGSIZE], 1);
	/* PROT_NONE and back keeps the data. */
	CHECK_EQ(sys_mprotect(p, 3 * PGSIZE, PROT_NONE), 0);
	CHECK_EQ(sys_mprotect(p, 3 * PGSIZE, RW), 0);
	CHECK(p[0] == 1 && p[PGSIZE] == 1 && p[2 * PGSIZE] == 1, "data lost over PROT_NONE");
	sys_munmap(p, 3 * PGSIZE);
}

/*
 * MADV_DONTNEED drops this process's view only: the next touch finds the
 * shared object's page, with its data (private memory comes back zero).
 */
static void
c_dontneed(void *arg)
{
	char *p = arg;

	CCHECK_EQ(sys3(SYS_madvise, p, PGSIZE, MADV_DONTNEED), 0);
	CCHECK_EQ(p[0], 'd');
	p[1] = 'e';
}

static void
t_shm_dontneed(void)
{
	char *p = shm_map(PGSIZE);
	long q;

	CHECK(p != 0, "mmap failed");
	p[0] = 'd';
	CHECK_EQ(sys3(SYS_madvise, p, PGSIZE, MADV_DONTNEED), 0);
	CHECK_EQ(p[0], 'd');
	CHECK_EXIT(c_dontneed, p, 0);
	CHECK_EQ(p[1], 'e');
	CHECK_OK(q, sys_mmap(0, PGSIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	*(char *)q = 'd';
	CHECK_EQ(sys3(SYS_madvise, q, PGSIZE, MADV_DONTNEED), 0);
	CHECK_EQ(*(char *)q, 0);
	sys_munmap(p, PGSIZE);
	sys_munmap((void *)q, PGSIZE);
}

/* What shared memory refuses (madvise), and MAP_SHARED_VALIDATE with no file. */
static void
t_shm_refused(void)
{
	char *p = shm_map(2 * PGSIZE);
	long q;

	CHECK(p != 0, "mmap failed");
	p[0] = 'k';
	CHECK_ERR(sys3(SYS_madvise, p, PGSIZE, MADV_FREE), EINVAL);
	CHECK_ERR(sys3(SYS_madvise, p, PGSIZE, MADV_WIPEONFORK), EINVAL);
	CHECK_EQ(p[0], 'k');
	/* MADV_REMOVE: a private anonymous mapping has no file to punch. */
	CHECK_OK(q, sys_mmap(0, PGSIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	CHECK_ERR(sys3(SYS_madvise, q, PGSIZE, MADV_REMOVE), EINVAL);
	sys_munmap((void *)q, PGSIZE);
	CHECK_ERR(sys_mmap(0, PGSIZE, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	/* A length that is not a page multiple is rounded up. */
	CHECK_OK(q, sys_mmap(0, 100, RW, MAP_ANON_SHARED, -1, 0));
	((char *)q)[PGSIZE - 1] = 1;
	CHECK_EQ(sys_munmap((void *)q, 100), 0);
	sys_munmap(p, 2 * PGSIZE);
}

/*
 * /dev/zero: a shared mapping is shared anonymous memory, a private one
 * private zero-filled memory; writing a shared one needs it open for
 * writing.
 */
static long
open_zero(int flags)
{
	long fd = sys_open("/dev/zero", flags);

	if (fd == -ENOENT) {
		/* Linux's initramfs has no /dev/zero; keel's devfs has. */
		sys2(SYS_mkdir, "/dev", 0755);
		sys3(SYS_mknod, "/dev/zero", S_IFCHR | 0666, makedev(1, 5));
		fd = sys_open("/dev/zero", flags);
	}
	return fd;
}

static void
t_shm_dev_zero(void)
{
	long fd, ro, s, p;

	CHECK_OK(fd, open_zero(O_RDWR));
	CHECK_OK(s, sys_mmap(0, 2 * PGSIZE, RW, MAP_SHARED, fd, 0));
	CHECK_OK(p, sys_mmap(0, PGSIZE, RW, MAP_PRIVATE, fd, 0));
	CHECK(((char *)s)[0] == 0 && ((char *)p)[0] == 0, "not zero-filled");
	*(long *)s = 0x1111;
	*(long *)p = 0x1111;
	CHECK_EXIT(c_expect_first, (void *)s, 0);
	CHECK_EXIT(c_expect_first, (void *)p, 0);
	CHECK_EQ(*(long *)s, 0x2222);
	CHECK_EQ(*(long *)p, 0x1111);
	sys_munmap((void *)s, 2 * PGSIZE);
	sys_munmap((void *)p, PGSIZE);
	CHECK_OK(ro, open_zero(O_RDONLY));
	CHECK_ERR(sys_mmap(0, PGSIZE, RW, MAP_SHARED, ro, 0), EACCES);
	CHECK_OK(s, sys_mmap(0, PGSIZE, PROT_READ, MAP_SHARED, ro, 0));
	CHECK_EQ(*(char *)s, 0);
	sys_munmap((void *)s, PGSIZE);
	sys_close(ro);
	sys_close(fd);
}

/* A child keeps its shared mapping to its end: exit is the last unmap. */
static void
c_shm_churn(void *arg)
{
	char *p = arg;

	memset(p, 'x', 8 * PGSIZE);
	CCHECK_EQ(sys_munmap(p + 2 * PGSIZE, PGSIZE), 0);
	CCHECK_EQ(sys3(SYS_madvise, p + 4 * PGSIZE, PGSIZE, MADV_DONTNEED), 0);
	CCHECK_EQ(sys_mprotect(p + 5 * PGSIZE, PGSIZE, PROT_READ), 0);
}

static void
shm_churn(void)
{
	char *p = shm_map(16 * PGSIZE), *q;
	long r;

	if (p == 0)
		return;
	p[0] = 1;
	p[10 * PGSIZE] = 1;
	CHECK_EXIT(c_shm_churn, p, 0);
	/* The parent's view moves and shrinks; the object outlives the first view. */
	CHECK_OK(r, sys5(SYS_mremap, p, 16 * PGSIZE, 32 * PGSIZE, MREMAP_MAYMOVE, 0));
	q = (char *)r;
	CHECK_EQ(q[3 * PGSIZE], 'x');
	CHECK_EXIT(c_shm_churn, q, 0);
	CHECK_EQ(sys_munmap(q, 8 * PGSIZE), 0);
	CHECK_OK(r, sys_mmap(0, 4 * PGSIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	memset((char *)r, 1, 4 * PGSIZE);
	CHECK_EQ(sys3(SYS_madvise, r, 2 * PGSIZE, MADV_WIPEONFORK), 0);
	CHECK_EQ(sys3(SYS_madvise, r + 2 * PGSIZE, PGSIZE, MADV_DONTFORK), 0);
	CHECK_EXIT(c_write, (char *)r + 3 * PGSIZE, 0);
	sys_munmap((char *)r, 4 * PGSIZE);
	/* The rest of the object goes with the process's last view of it. */
	CHECK_EQ(sys_munmap(q + 8 * PGSIZE, 24 * PGSIZE), 0);
}

/*
 * Shared memory through fork, exit, munmap, mremap and madvise leaks no
 * frame: free memory (sysinfo) is the same before and after 50 rounds.
 * Linux's free memory moves with its caches, so this is keel's test.
 */
static void
t_shm_no_leak(void)
{
	struct utsname u;
	long before, after;

	if (uname(&u) != 0 || strcmp(u.sysname, "keel") != 0) {
		ut_skip("free memory is only exact on keel");
		return;
	}
	for (int i = 0; i < 5; i++)
		shm_churn();
	before = ut_free_bytes();
	for (int i = 0; i < 50 && !ut_cur_failed; i++)
		shm_churn();
	after = ut_free_bytes();
	CHECK(after == before, "free memory %ld before, %ld after: %ld pages leaked",
	    before, after, (before - after) / (long)PGSIZE);
}

const struct utest shm_tests[] = {
	{ "MAP_SHARED|MAP_ANONYMOUS: the child sees the parent's writes and back", t_shm_fork, 0 },
	{ "shared memory ping-pong between running parent and child (100 rounds)", t_shm_ping_pong, 0 },
	{ "shared memory across three generations of fork", t_shm_generations, 0 },
	{ "the child keeps shared memory the parent unmapped, and its unmapped middle's neighbours", t_shm_unmap_one, 0 },
	{ "fork: shared pages are not copy-on-write, private ones are", t_shm_not_cow, 0 },
	{ "mprotect of part of a shared region; PROT_NONE and back keeps the data", t_shm_mprotect_part, 0 },
	{ "MADV_DONTNEED on shared memory keeps the data (private: zero)", t_shm_dontneed, 0 },
	{ "shared memory: MADV_FREE, MADV_WIPEONFORK -> EINVAL; MAP_SHARED_VALIDATE anonymous -> EINVAL", t_shm_refused, 0 },
	{ "/dev/zero: MAP_SHARED is shared memory, MAP_PRIVATE private; EACCES read-only", t_shm_dev_zero, 0 },
	{ "shared memory through fork, exit, munmap, mremap, madvise leaks nothing (sysinfo)", t_shm_no_leak, 0 },
	{ 0, 0, 0 },
};
