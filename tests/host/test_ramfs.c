/*
 * test_ramfs.c: host tests for the initramfs tree (kernel/ramfs.c, over
 * kernel/cpio.c), with kmalloc on the host's malloc (kmalloc_stub.c) so
 * AddressSanitizer sees every overflow and leak.
 *
 * Each test builds newc archives in memory (arc_*() below), hands an exact
 * size copy to ramfs_init (kept until the test ends, as the kernel keeps
 * its initrd) and checks the tree through the public interface.  What
 * ramfs_init prints is captured where a test checks it.
 */
#define _GNU_SOURCE	/* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include <uapi/errno.h>
#include <keel/cpio.h>
#include <keel/ramfs.h>

/* kmalloc_stub.c: fail every allocation after this many; -1 never. */
extern long kmalloc_stub_fail_after;

/* ---- building archives ---- */

struct arc {
	uint8_t b[1 << 20];
	size_t len;
};

static struct arc A;
static uint32_t next_ino = 100;

static void
arc_reset(void)
{
	A.len = 0;
}

static void
arc_bytes(const void *p, size_t n)
{
	assert_true(A.len + n <= sizeof(A.b));
	memcpy(A.b + A.len, p, n);
	A.len += n;
}

static void
arc_pad(size_t align)
{
	while (A.len % align)
		A.b[A.len++] = 0;
}

/* One entry with the fields that matter here; ino 0 picks a fresh one. */
static void
arc_ent(const char *name, uint32_t mode, uint32_t ino, uint32_t nlink,
    const void *data, size_t size)
{
	char h[CPIO_HDR_SIZE + 1];

	snprintf(h, sizeof(h), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X"
	    "%08X%08X%08X%08X", ino ? ino : next_ino++, mode, 0, 0, nlink,
	    1700000000 + (uint32_t)A.len, (uint32_t)size, 8, 1, 0, 0,
	    (uint32_t)strlen(name) + 1, 0);
	arc_bytes(h, CPIO_HDR_SIZE);
	arc_bytes(name, strlen(name) + 1);
	arc_pad(4);
	arc_bytes(data, size);
	arc_pad(4);
}

static void
arc_file(const char *name, const char *text)
{
	arc_ent(name, S_IFREG | 0644, 0, 1, text, strlen(text));
}

static void
arc_dir(const char *name, uint32_t perm)
{
	arc_ent(name, S_IFDIR | perm, 0, 2, "", 0);
}

static void
arc_link(const char *name, const char *target)
{
	arc_ent(name, S_IFLNK | 0777, 0, 1, target, strlen(target));
}

static void
arc_trailer(void)
{
	arc_ent(CPIO_TRAILER, 0, 0, 1, "", 0);
}

/* ---- running ramfs_init ---- */

/* Copies of the archives handed to ramfs_init, freed after the tree. */
#define MAXBUFS	64
static uint8_t *bufs[MAXBUFS];
static int nbufs;

static const uint8_t *
keep_copy(void)
{
	uint8_t *p = malloc(A.len ? A.len : 1);

	assert_non_null(p);
	assert_true(nbufs < MAXBUFS);
	memcpy(p, A.b, A.len);
	bufs[nbufs++] = p;
	return p;
}

static int
init(void)
{
	return ramfs_init(keep_copy(), A.len);
}

/* What the last init_captured printed. */
static char out[1 << 16];

/* ramfs_init with stdout captured into out[] (even under KSTUB_QUIET). */
static int
init_captured(void)
{
	const uint8_t *p = keep_copy();
	char *quiet = getenv("KSTUB_QUIET");
	FILE *t = tmpfile();
	int saved, r;
	size_t n;

	assert_non_null(t);
	quiet = quiet ? strdup(quiet) : NULL;
	unsetenv("KSTUB_QUIET");
	fflush(stdout);
	saved = dup(1);
	dup2(fileno(t), 1);
	r = ramfs_init(p, A.len);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	if (quiet) {
		setenv("KSTUB_QUIET", quiet, 1);
		free(quiet);
	}
	rewind(t);
	n = fread(out, 1, sizeof(out) - 1, t);
	out[n] = 0;
	fclose(t);
	return r;
}

static int
teardown(void **state)
{
	ramfs_free();
	while (nbufs > 0)
		free(bufs[--nbufs]);
	kmalloc_stub_fail_after = -1;
	return 0;
}

/* ---- looking at the tree ---- */

static struct rnode *
lk(const char *path)
{
	struct rnode *n = NULL;
	int r = ramfs_lookup(path, &n);

	if (r != 0)
		fail_msg("lookup \"%s\": %d", path, r);
	return n;
}

static int
lkerr(const char *path)
{
	struct rnode *n = NULL;

	return ramfs_lookup(path, &n);
}

static int
lkat(struct rnode *cwd, const char *path, int follow, struct rnode **n)
{
	*n = NULL;
	return ramfs_lookup_at(cwd, path, follow, n);
}

/* The whole contents of a file, NUL-terminated. */
static const char *
cat(const char *path)
{
	static char buf[4096];
	int64_t r;

	r = ramfs_read(lk(path), 0, buf, sizeof(buf) - 1);
	assert_true(r >= 0);
	buf[r] = 0;
	return buf;
}

/* The whole contents of a node, NUL-terminated. */
static const char *
rd(struct rnode *n)
{
	static char buf[8192];
	int64_t r;

	r = ramfs_read(n, 0, buf, sizeof(buf) - 1);
	assert_true(r >= 0);
	buf[r] = 0;
	return buf;
}

static void
wr(struct rnode *n, uint64_t off, const char *text)
{
	assert_int_equal(ramfs_write(n, off, text, strlen(text)),
	    (int64_t)strlen(text));
}

static void
assert_type(struct rnode *n, uint32_t mode)
{
	assert_non_null(n);
	assert_int_equal(n->rn_vnode.v_mode, mode);
}

/* ---- tests ---- */

static void
test_basic(void **state)
{
	struct rnode *rootn, *bin, *hello, *sh;

	arc_reset();
	arc_dir(".", 0700);
	arc_dir("bin", 0755);
	arc_file("bin/hello", "hello, world\n");
	arc_file("./sbin/init", "#!init");
	arc_file("/etc/motd", "motd");
	arc_link("bin/sh", "hello");
	arc_file("empty", "");
	arc_trailer();
	assert_int_equal(init_captured(), 0);
	assert_string_equal(out, "initrd: 4 files, 4 directories, 1 symlinks, 23 bytes\n");

	rootn = ramfs_root();
	assert_non_null(rootn);
	assert_ptr_equal(lk("/"), rootn);
	assert_type(rootn, S_IFDIR | 0700);
	assert_int_equal(rootn->rn_ino, 1);
	assert_ptr_equal(rootn->rn_parent, rootn);
	assert_string_equal(rootn->rn_name, "");
	assert_int_equal(rootn->rn_nlink, 2 + 3);	/* bin, sbin, etc */

	bin = lk("/bin");
	assert_type(bin, S_IFDIR | 0755);
	assert_ptr_equal(bin->rn_parent, rootn);
	assert_string_equal(bin->rn_name, "bin");
	assert_int_equal(bin->rn_nlink, 2);
	hello = lk("/bin/hello");
	assert_type(hello, S_IFREG | 0644);
	assert_int_equal(hello->rn_size, 13);
	assert_int_equal(hello->rn_nlink, 1);
	assert_ptr_equal(hello->rn_parent, bin);
	assert_string_equal(cat("/bin/hello"), "hello, world\n");
	assert_string_equal(cat("/sbin/init"), "#!init");
	assert_string_equal(cat("/etc/motd"), "motd");
	assert_string_equal(cat("/empty"), "");
	assert_type(lk("/sbin"), S_IFDIR | 0755);

	/* The symlink, followed and not. */
	assert_ptr_equal(lk("/bin/sh"), hello);
	assert_int_equal(lkat(NULL, "/bin/sh", 0, &sh), 0);
	assert_type(sh, S_IFLNK | 0777);
	assert_int_equal(sh->rn_size, 5);

	/* Inode numbers are distinct. */
	assert_true(hello->rn_ino != bin->rn_ino && hello->rn_ino != sh->rn_ino &&
	    sh->rn_ino != bin->rn_ino && bin->rn_ino != 1);
}

/* Directories made for names below them, then given their own entry. */
static void
test_implicit_dirs(void **state)
{
	arc_reset();
	arc_file("a/b/c", "deep");
	arc_file("x/y/z", "z");
	arc_dir("a", 0700);
	arc_dir("a/b", 0750);
	arc_trailer();
	assert_int_equal(init(), 0);
	assert_type(lk("/a"), S_IFDIR | 0700);
	assert_type(lk("/a/b"), S_IFDIR | 0750);
	assert_string_equal(cat("/a/b/c"), "deep");
	assert_type(lk("/x"), S_IFDIR | 0755);
	assert_type(lk("/x/y"), S_IFDIR | 0755);
	assert_int_equal(lk("/x")->rn_mtime.tv_sec, 0);
	assert_true(lk("/a")->rn_mtime.tv_sec != 0);
}

/* Later entries win: in one archive and across concatenated ones. */
static void
test_override(void **state)
{
	arc_reset();
	arc_file("etc/motd", "one");
	arc_file("etc/same", "first");
	arc_file("etc/same", "second");
	arc_dir("keep", 0700);
	arc_file("keep/child", "c");
	arc_file("f2d", "file");
	arc_dir("d2f", 0755);
	arc_dir("full", 0755);
	arc_file("full/x", "x");
	arc_file("l2f", "was a file");
	arc_trailer();
	arc_pad(512);
	A.len += 512;		/* NULs between the archives */
	arc_file("etc/motd", "two");
	arc_dir("keep", 0711);
	arc_dir("f2d", 0750);
	arc_file("d2f", "now a file");
	arc_file("full", "refused");
	arc_link("l2f", "etc/motd");
	arc_trailer();
	assert_int_equal(init_captured(), 0);
	assert_non_null(strstr(out, "initrd: skipping full: "));

	assert_string_equal(cat("/etc/motd"), "two");
	assert_string_equal(cat("/etc/same"), "second");
	assert_type(lk("/keep"), S_IFDIR | 0711);
	assert_string_equal(cat("/keep/child"), "c");
	assert_type(lk("/f2d"), S_IFDIR | 0750);
	assert_type(lk("/d2f"), S_IFREG | 0644);
	assert_string_equal(cat("/d2f"), "now a file");
	assert_type(lk("/full"), S_IFDIR | 0755);
	assert_string_equal(cat("/full/x"), "x");
	assert_string_equal(cat("/l2f"), "two");
	assert_int_equal(lk("/etc")->rn_nchild, 2);
}

static void
test_names(void **state)
{
	char name[5000];

	arc_reset();
	arc_file("./a", "a");
	arc_file("/b", "b");
	arc_file(".//c/./d", "d");
	arc_dir("e/", 0700);
	arc_dir("", 0711);		/* the root again */
	arc_file("../escape", "no");
	arc_file("f/../g", "no");
	memset(name, 'n', 256);
	name[256] = 0;
	arc_file(name, "component too long");
	name[255] = 0;
	arc_file(name, "255 is fine");
	memset(name, 'p', sizeof(name));
	name[4096] = 0;
	name[100] = '/';
	arc_file(name, "name too long");
	arc_file("/", "a file cannot be the root");
	arc_trailer();
	assert_int_equal(init_captured(), 0);

	assert_string_equal(cat("/a"), "a");
	assert_string_equal(cat("/b"), "b");
	assert_string_equal(cat("/c/d"), "d");
	assert_type(lk("/e"), S_IFDIR | 0700);
	assert_type(lk("/"), S_IFDIR | 0711);
	assert_int_equal(lkerr("/escape"), -ENOENT);
	assert_int_equal(lkerr("/f"), -ENOENT);
	assert_int_equal(lkerr("/g"), -ENOENT);
	memset(name, 'n', 255);
	name[255] = 0;
	assert_string_equal(cat(name), "255 is fine");
	assert_int_equal(lkerr("/pppp"), -ENOENT);
	assert_int_equal(lk("/")->rn_nchild, 5);	/* a b c e nnn... */
	assert_non_null(strstr(out, "skipping ../escape: "));
	assert_non_null(strstr(out, "skipping f/../g: "));
	assert_non_null(strstr(out, "skipping /: "));
	assert_non_null(strstr(out, "initrd: 4 files, 3 directories, 0 symlinks, 14 bytes\n"));
}

static void
test_skipped_types(void **state)
{
	char longtarget[RAMFS_PATH_MAX];
	const char *p;
	int lines = 0;

	arc_reset();
	arc_ent("dev/console", S_IFCHR | 0600, 0, 1, "", 0);
	arc_ent("dev/sda", S_IFBLK | 0600, 0, 1, "", 0);
	arc_ent("run/fifo", S_IFIFO | 0600, 0, 1, "", 0);
	arc_ent("run/sock", S_IFSOCK | 0600, 0, 1, "", 0);
	arc_dir("run", 0755);
	arc_ent("weird", 0644, 0, 1, "", 0);
	arc_link("empty-link", "");
	arc_ent("nul-link", S_IFLNK | 0777, 0, 1, "tgt\0junk", 8);
	arc_file("tgt", "T");
	memset(longtarget, 'a', sizeof(longtarget));
	arc_ent("long-link", S_IFLNK | 0777, 0, 1, longtarget, sizeof(longtarget));
	/* Made through a symlink, as Linux would, or skipped if it cannot be. */
	arc_link("dl", "nowhere");
	arc_file("dl/x", "");
	arc_link("fl", "tgt");
	arc_file("fl/x", "");
	arc_link("dirl", "run");
	arc_file("dirl/made", "through dirl");
	arc_trailer();
	assert_int_equal(init_captured(), 0);
	for (p = out; (p = strstr(p, "initrd: skipping ")) != NULL; p++)
		lines++;
	assert_int_equal(lines, 9);
	assert_string_equal(cat("/run/made"), "through dirl");
	assert_int_equal(lkerr("/long-link"), -ENOENT);
	assert_int_equal(lkerr("/nowhere"), -ENOENT);
	assert_non_null(strstr(out, "skipping dev/console: "));
	assert_int_equal(lkerr("/dev/console"), -ENOENT);
	assert_int_equal(lkerr("/dev"), -ENOENT);
	assert_int_equal(lkerr("/run/fifo"), -ENOENT);
	assert_int_equal(lk("/run")->rn_nchild, 1);
	assert_int_equal(lkerr("/weird"), -ENOENT);
	assert_int_equal(lkerr("/empty-link"), -ENOENT);
	/* A target is a string: it ends at a NUL. */
	assert_string_equal(cat("/nul-link"), "T");
	assert_int_equal(lkat(NULL, "/nul-link", 0, &(struct rnode *){ 0 }), 0);
}

/* The tree most lookup tests use. */
static void
std_tree(void)
{
	arc_reset();
	arc_dir("bin", 0755);
	arc_file("bin/busybox", "BB");
	arc_link("bin/sh", "busybox");
	arc_file("usr/lib/libc.a", "LIBC");
	arc_link("lib", "usr/lib");
	arc_link("abs", "/bin/busybox");
	arc_link("a/b/up", "../..");
	arc_link("a/b/side", "../c");
	arc_file("a/c", "C");
	arc_link("dangling", "nowhere");
	arc_link("loop1", "loop2");
	arc_link("loop2", "loop1");
	arc_link("self", "self");
	arc_link("tofile", "bin/busybox");
	arc_link("todir", "bin");
	arc_link("todir2", "bin/");
	arc_link("nested", "lib/../../bin/sh");
	arc_trailer();
	assert_int_equal(init(), 0);
}

static void
test_lookup_paths(void **state)
{
	struct rnode *rootn, *bin, *bb;

	std_tree();
	rootn = ramfs_root();
	bin = lk("/bin");
	bb = lk("/bin/busybox");
	assert_ptr_equal(lk("//"), rootn);
	assert_ptr_equal(lk("/."), rootn);
	assert_ptr_equal(lk("/.."), rootn);
	assert_ptr_equal(lk("/../../.."), rootn);
	assert_ptr_equal(lk("/../bin/../bin/./busybox"), bb);
	assert_ptr_equal(lk("///bin//busybox"), bb);
	assert_ptr_equal(lk("/bin/"), bin);
	assert_ptr_equal(lk("/bin//"), bin);
	assert_ptr_equal(lk("/bin/."), bin);
	assert_ptr_equal(lk("/usr/lib/.."), lk("/usr"));
	assert_ptr_equal(lk("bin/busybox"), bb);	/* relative to the root */
	assert_int_equal(lkerr(""), -ENOENT);
	assert_int_equal(lkerr("/nope"), -ENOENT);
	assert_int_equal(lkerr("/nope/x"), -ENOENT);
	assert_int_equal(lkerr("/nope/"), -ENOENT);
	assert_int_equal(lkerr("/bin/busybox/"), -ENOTDIR);
	assert_int_equal(lkerr("/bin/busybox/x"), -ENOTDIR);
	assert_int_equal(lkerr("/bin/busybox/."), -ENOTDIR);
	assert_int_equal(lkerr("/bin/busybox/.."), -ENOTDIR);
	assert_int_equal(lkerr("/BIN"), -ENOENT);
	assert_int_equal(lkerr("/bi"), -ENOENT);
	assert_int_equal(lkerr("/binx"), -ENOENT);
}

static void
test_lookup_at(void **state)
{
	struct rnode *bin, *n;

	std_tree();
	bin = lk("/bin");
	assert_int_equal(lkat(bin, "busybox", 1, &n), 0);
	assert_ptr_equal(n, lk("/bin/busybox"));
	assert_int_equal(lkat(bin, "..", 1, &n), 0);
	assert_ptr_equal(n, ramfs_root());
	assert_int_equal(lkat(bin, "../usr/lib/libc.a", 1, &n), 0);
	assert_ptr_equal(n, lk("/usr/lib/libc.a"));
	assert_int_equal(lkat(bin, ".", 1, &n), 0);
	assert_ptr_equal(n, bin);
	assert_int_equal(lkat(bin, "/bin", 1, &n), 0);
	assert_ptr_equal(n, bin);
	assert_int_equal(lkat(bin, "bin", 1, &n), -ENOENT);
	assert_int_equal(lkat(NULL, "bin", 1, &n), 0);
	assert_ptr_equal(n, bin);
	/* A file as the directory to start from. */
	assert_int_equal(lkat(lk("/bin/busybox"), "x", 1, &n), -ENOTDIR);
	assert_int_equal(lkat(lk("/bin/busybox"), ".", 1, &n), -ENOTDIR);
	assert_int_equal(lkat(lk("/bin/busybox"), "/bin", 1, &n), 0);
	/* A relative symlink resolves from its own directory, not cwd. */
	assert_int_equal(lkat(lk("/usr"), "../bin/sh", 1, &n), 0);
	assert_ptr_equal(n, lk("/bin/busybox"));
}

static void
test_name_limits(void **state)
{
	char path[RAMFS_PATH_MAX + 16], *p;
	int i;

	std_tree();
	path[0] = '/';
	memset(path + 1, 'x', 255);
	path[256] = 0;
	assert_int_equal(lkerr(path), -ENOENT);
	path[256] = 'x';
	path[257] = 0;
	assert_int_equal(lkerr(path), -ENAMETOOLONG);
	/* Even below a missing directory, even inside a symlink's path. */
	memcpy(path, "/lib/", 5);
	memset(path + 5, 'y', 256);
	path[261] = 0;
	assert_int_equal(lkerr(path), -ENAMETOOLONG);

	/* 4095 bytes is a path, 4096 is not. */
	for (p = path, i = 0; i < RAMFS_PATH_MAX - 1; i += 2) {
		*p++ = '.';
		*p++ = '/';
	}
	path[RAMFS_PATH_MAX - 1] = 0;
	assert_int_equal(strlen(path), 4095);
	assert_ptr_equal(lk(path), ramfs_root());
	path[RAMFS_PATH_MAX - 1] = '/';
	path[RAMFS_PATH_MAX] = 0;
	assert_int_equal(lkerr(path), -ENAMETOOLONG);
	memset(path + RAMFS_PATH_MAX, 'x', 5);
	path[RAMFS_PATH_MAX + 5] = 0;
	assert_int_equal(lkerr(path), -ENAMETOOLONG);
}

/* 2040 directories deep: built, looked up and freed without recursion. */
static void
test_deep_tree(void **state)
{
	char name[4100];
	struct rnode *n;
	int i;

	for (i = 0; i < 2040; i++)
		memcpy(name + 2 * i, "d/", 2);
	memcpy(name + 4080, "f", 2);
	arc_reset();
	arc_file(name, "bottom");
	arc_trailer();
	assert_int_equal(init_captured(), 0);
	assert_string_equal(out, "initrd: 1 files, 2041 directories, 0 symlinks, 6 bytes\n");
	assert_string_equal(cat(name), "bottom");
	n = lk(name);
	for (i = 0; i < 2041; i++)
		n = n->rn_parent;
	assert_ptr_equal(n, ramfs_root());
}

static void
test_symlinks(void **state)
{
	struct rnode *n, *bin, *bb;
	char buf[16];

	std_tree();
	bin = lk("/bin");
	bb = lk("/bin/busybox");
	assert_ptr_equal(lk("/bin/sh"), bb);
	assert_ptr_equal(lk("/abs"), bb);
	assert_ptr_equal(lk("/tofile"), bb);
	assert_ptr_equal(lk("/todir"), bin);
	assert_ptr_equal(lk("/todir/sh"), bb);
	assert_ptr_equal(lk("/todir2"), bin);
	assert_string_equal(cat("/lib/libc.a"), "LIBC");
	assert_ptr_equal(lk("/lib/.."), lk("/usr"));	/* ".." is physical */
	assert_ptr_equal(lk("/a/b/up"), ramfs_root());
	assert_ptr_equal(lk("/a/b/up/bin/sh"), bb);
	assert_string_equal(cat("/a/b/side"), "C");
	assert_ptr_equal(lk("/nested"), bb);

	/* Not followed when last, unless asked or a slash follows. */
	assert_int_equal(lkat(NULL, "/bin/sh", 0, &n), 0);
	assert_type(n, S_IFLNK | 0777);
	assert_int_equal(lkat(NULL, "/todir", 0, &n), 0);
	assert_type(n, S_IFLNK | 0777);
	assert_int_equal(lkat(NULL, "/todir/", 0, &n), 0);
	assert_ptr_equal(n, bin);
	assert_int_equal(lkat(NULL, "/todir/.", 0, &n), 0);
	assert_ptr_equal(n, bin);
	assert_int_equal(lkat(NULL, "/todir/sh", 0, &n), 0);
	assert_type(n, S_IFLNK | 0777);
	assert_int_equal(lkat(NULL, "/dangling", 0, &n), 0);
	assert_type(n, S_IFLNK | 0777);
	assert_int_equal(lkat(NULL, "/self", 0, &n), 0);
	assert_type(n, S_IFLNK | 0777);

	/* A trailing slash wants a directory at the end of the link. */
	assert_int_equal(lkerr("/tofile/"), -ENOTDIR);
	assert_int_equal(lkat(NULL, "/tofile/", 0, &n), -ENOTDIR);
	assert_int_equal(lkerr("/bin/sh/"), -ENOTDIR);
	assert_int_equal(lkerr("/tofile/x"), -ENOTDIR);

	assert_int_equal(lkerr("/dangling"), -ENOENT);
	assert_int_equal(lkerr("/dangling/x"), -ENOENT);
	assert_int_equal(lkerr("/loop1"), -ELOOP);
	assert_int_equal(lkerr("/loop2/x"), -ELOOP);
	assert_int_equal(lkerr("/self"), -ELOOP);
	assert_int_equal(lkerr("/self/"), -ELOOP);

	/* readlink */
	assert_int_equal(lkat(NULL, "/abs", 0, &n), 0);
	assert_int_equal(ramfs_readlink(n, buf, sizeof(buf)), 12);
	assert_memory_equal(buf, "/bin/busybox", 12);
	assert_int_equal(ramfs_readlink(n, buf, 4), 4);
	assert_memory_equal(buf, "/bin", 4);
	assert_int_equal(ramfs_readlink(n, buf, 0), 0);
	assert_int_equal(ramfs_readlink(bb, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(ramfs_readlink(bin, buf, sizeof(buf)), -EINVAL);
}

/*
 * RAMFS_MAXSYMLINKS links are followed, one more is -ELOOP: in a chain
 * (c0 -> c1 -> ... -> file) and nested (m0 -> m1/. -> ...), which keeps every
 * rest of a path waiting at once.
 */
static void
chain_tree(int n)
{
	char name[32], target[32];
	int i;

	arc_reset();
	arc_file("d/f", "F");
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		snprintf(target, sizeof(target), i + 1 < n ? "c%d" : "d/f", i + 1);
		arc_link(name, target);
		snprintf(name, sizeof(name), "m%d", i);
		snprintf(target, sizeof(target), i + 1 < n ? "m%d/." : "d", i + 1);
		arc_link(name, target);
	}
	arc_trailer();
	teardown(NULL);
	assert_int_equal(init(), 0);
}

static void
test_symlink_limit(void **state)
{
	chain_tree(RAMFS_MAXSYMLINKS);
	assert_string_equal(cat("/c0"), "F");
	assert_string_equal(cat("/m0/f"), "F");
	assert_ptr_equal(lk("/m0/"), lk("/d"));
	chain_tree(RAMFS_MAXSYMLINKS + 1);
	assert_string_equal(cat("/c1"), "F");
	assert_int_equal(lkerr("/c0"), -ELOOP);
	assert_string_equal(cat("/m1/f"), "F");
	assert_int_equal(lkerr("/m0/f"), -ELOOP);
	assert_int_equal(lkerr("/m0"), -ELOOP);
}

static void
test_read(void **state)
{
	struct rnode *n, *lnk;
	char buf[32];

	arc_reset();
	arc_file("f", "0123456789");
	arc_file("z", "");
	arc_link("l", "f");
	arc_trailer();
	assert_int_equal(init(), 0);
	n = lk("/f");
	memset(buf, 0, sizeof(buf));
	assert_int_equal(ramfs_read(n, 0, buf, 4), 4);
	assert_string_equal(buf, "0123");
	assert_int_equal(ramfs_read(n, 4, buf, 100), 6);
	assert_memory_equal(buf, "456789", 6);
	assert_int_equal(ramfs_read(n, 9, buf, 1), 1);
	assert_int_equal(buf[0], '9');
	assert_int_equal(ramfs_read(n, 10, buf, 1), 0);
	assert_int_equal(ramfs_read(n, 11, buf, 1), 0);
	assert_int_equal(ramfs_read(n, UINT64_MAX, buf, 1), 0);
	assert_int_equal(ramfs_read(n, 3, buf, 0), 0);
	assert_int_equal(ramfs_read(n, 3, NULL, 0), 0);
	assert_int_equal(ramfs_read(n, 2, buf, UINT64_MAX), 8);
	assert_memory_equal(buf, "23456789", 8);
	assert_int_equal(ramfs_read(lk("/z"), 0, buf, sizeof(buf)), 0);
	assert_int_equal(ramfs_read(lk("/"), 0, buf, sizeof(buf)), -EISDIR);
	assert_int_equal(lkat(NULL, "/l", 0, &lnk), 0);
	assert_int_equal(ramfs_read(lnk, 0, buf, sizeof(buf)), -EINVAL);
}

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void
test_dirent(void **state)
{
	enum { N = 5000 };
	static int order[N];
	struct rnode *d, *c, *prev;
	char name[32];
	uint64_t i;
	int j, t;

	for (j = 0; j < N; j++)
		order[j] = j;
	for (j = N - 1; j > 0; j--) {
		t = (int)(rng() % (uint64_t)(j + 1));
		i = (uint64_t)order[j];
		order[j] = order[t];
		order[t] = (int)i;
	}
	arc_reset();
	arc_file("small/b", "");
	arc_file("small/a", "");
	arc_dir("small/c", 0755);
	for (j = 0; j < N; j++) {
		snprintf(name, sizeof(name), "big/f%d", order[j]);
		arc_file(name, name);
	}
	arc_trailer();
	assert_int_equal(init(), 0);

	d = lk("/small");
	assert_int_equal(d->rn_nlink, 3);
	assert_int_equal(ramfs_dirent(d, 0, &c), 1);
	assert_string_equal(c->rn_name, "a");
	assert_int_equal(ramfs_dirent(d, 1, &c), 1);
	assert_string_equal(c->rn_name, "b");
	assert_int_equal(ramfs_dirent(d, 2, &c), 1);
	assert_string_equal(c->rn_name, "c");
	assert_int_equal(ramfs_dirent(d, 3, &c), 0);
	assert_int_equal(ramfs_dirent(d, UINT64_MAX, &c), 0);
	assert_int_equal(ramfs_dirent(lk("/small/a"), 0, &c), -ENOTDIR);
	assert_int_equal(ramfs_dirent(lk("/small/c"), 0, &c), 0);

	d = lk("/big");
	prev = NULL;
	for (i = 0; ramfs_dirent(d, i, &c) == 1; i++) {
		assert_ptr_equal(c->rn_parent, d);
		if (prev)
			assert_true(strcmp(prev->rn_name, c->rn_name) < 0);
		prev = c;
	}
	assert_int_equal(i, N);
	for (j = 0; j < N; j++) {
		snprintf(name, sizeof(name), "/big/f%d", j);
		assert_string_equal(cat(name), name + 1);
	}
}

static void
test_hardlinks(void **state)
{
	struct rnode *a, *b, *c, *x, *y;

	arc_reset();
	/* As cpio writes them: the contents with the last name. */
	arc_ent("a", S_IFREG | 0755, 7, 3, "", 0);
	arc_ent("dir/b", S_IFREG | 0755, 7, 3, "", 0);
	arc_ent("c", S_IFREG | 0755, 7, 3, "shared", 6);
	/* Contents first: a later empty name keeps them. */
	arc_ent("x", S_IFREG | 0644, 8, 2, "xy", 2);
	arc_ent("y", S_IFREG | 0644, 8, 2, "", 0);
	/* The name that stands for a file is replaced: another one does. */
	arc_ent("p1", S_IFREG | 0600, 9, 3, "", 0);
	arc_ent("p2", S_IFREG | 0600, 9, 3, "", 0);
	arc_file("p1", "plain");
	arc_ent("p3", S_IFREG | 0600, 9, 3, "P", 1);
	/* The only name is replaced: the file is forgotten. */
	arc_ent("q1", S_IFREG | 0600, 10, 2, "", 0);
	arc_file("q1", "plain");
	arc_ent("q2", S_IFREG | 0600, 10, 2, "Q", 1);
	/* Same ino and mode, other device (set below): another file. */
	arc_ent("other", S_IFREG | 0755, 7, 2, "O", 1);
	arc_trailer();
	/* Same key in the next archive: another file, and "c" is replaced. */
	arc_ent("later", S_IFREG | 0755, 7, 3, "L", 1);
	arc_file("c", "new c");
	arc_trailer();
	/* The key's device differs for "other". */
	{
		uint8_t *h = memmem(A.b, A.len, "other", 6);

		assert_non_null(h);
		memcpy(h - CPIO_HDR_SIZE + 6 + 8 * 7, "00000009", 8);
	}
	assert_int_equal(init_captured(), 0);

	a = lk("/a");
	b = lk("/dir/b");
	c = lk("/c");
	assert_string_equal(cat("/a"), "shared");
	assert_string_equal(cat("/dir/b"), "shared");
	assert_string_equal(cat("/c"), "new c");
	assert_int_equal(a->rn_ino, b->rn_ino);
	assert_true(c->rn_ino != a->rn_ino);
	assert_int_equal(a->rn_nlink, 2);
	assert_int_equal(b->rn_nlink, 2);
	assert_int_equal(c->rn_nlink, 1);

	x = lk("/x");
	y = lk("/y");
	assert_string_equal(cat("/y"), "xy");
	assert_int_equal(x->rn_ino, y->rn_ino);
	assert_int_equal(x->rn_nlink, 2);
	assert_string_equal(cat("/other"), "O");
	assert_int_equal(lk("/other")->rn_nlink, 1);
	assert_string_equal(cat("/later"), "L");
	assert_int_equal(lk("/later")->rn_nlink, 1);
	assert_true(lk("/later")->rn_ino != a->rn_ino);

	assert_string_equal(cat("/p1"), "plain");
	assert_string_equal(cat("/p2"), "P");
	assert_string_equal(cat("/p3"), "P");
	assert_int_equal(lk("/p2")->rn_ino, lk("/p3")->rn_ino);
	assert_int_equal(lk("/p3")->rn_nlink, 2);
	assert_int_equal(lk("/p1")->rn_nlink, 1);
	assert_string_equal(cat("/q1"), "plain");
	assert_string_equal(cat("/q2"), "Q");
	assert_int_equal(lk("/q2")->rn_nlink, 1);
	assert_true(lk("/q2")->rn_ino != lk("/q1")->rn_ino);
}

static void
test_malformed(void **state)
{
	arc_reset();
	arc_file("a", "A");
	arc_bytes("070701zz", 8);
	assert_int_equal(init_captured(), -EINVAL);
	assert_non_null(strstr(out, "initrd: malformed cpio archive"));
	assert_null(ramfs_root());
	assert_int_equal(lkerr("/"), -ENOENT);

	/* A good tree stays when a second one is refused. */
	arc_reset();
	arc_file("good", "G");
	assert_int_equal(init(), 0);
	arc_reset();
	arc_file("bad", "B");
	A.len -= 4;		/* the data byte and its padding */
	assert_int_equal(init_captured(), -EINVAL);
	assert_string_equal(cat("/good"), "G");
	assert_int_equal(lkerr("/bad"), -ENOENT);

	/* And a good one replaces it. */
	arc_reset();
	arc_file("better", "B");
	assert_int_equal(init(), 0);
	assert_int_equal(lkerr("/good"), -ENOENT);
	assert_string_equal(cat("/better"), "B");
}

/* Out of memory at every allocation in turn: -ENOMEM, no leak (LSan). */
static void
test_enomem(void **state)
{
	char name[32];
	long k;
	int i, r;

	arc_reset();
	arc_file("old", "O");
	assert_int_equal(init(), 0);

	arc_reset();
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "d%d/f%d", i % 3, i);
		arc_file(name, "x");
	}
	arc_ent("h1", S_IFREG | 0644, 5, 2, "", 0);
	arc_ent("h2", S_IFREG | 0644, 5, 2, "H", 1);
	arc_file("d0/f0", "replaced");
	arc_link("l", "d1");
	arc_file("l/g", "through the link");
	arc_trailer();
	for (k = 0;; k++) {
		assert_true(k < 10000);
		kmalloc_stub_fail_after = k;
		r = init_captured();
		kmalloc_stub_fail_after = -1;
		if (r == 0)
			break;
		assert_int_equal(r, -ENOMEM);
		assert_non_null(strstr(out, "initrd: out of memory"));
		free(bufs[--nbufs]);	/* nothing points into it */
		assert_string_equal(cat("/old"), "O");
	}
	assert_true(k > 40);
	assert_string_equal(cat("/d0/f0"), "replaced");
	assert_string_equal(cat("/d1/g"), "through the link");
	assert_string_equal(cat("/h1"), "H");
	assert_int_equal(lkerr("/old"), -ENOENT);
}

/*
 * Truncating a file whose contents are still in the archive: the copy the
 * tree makes holds the new size, which may be far below the old one.
 */
static void
test_truncate_archive_file(void **state)
{
	static char big[4800], got[8192];
	struct rnode *n;
	int i;

	for (i = 0; i < (int)sizeof(big); i++)
		big[i] = (char)('a' + i % 26);
	arc_reset();
	arc_ent("test/zero", S_IFREG | 0644, 0, 1, big, sizeof(big));
	arc_ent("test/small", S_IFREG | 0644, 0, 1, big, sizeof(big));
	arc_ent("test/mid", S_IFREG | 0644, 0, 1, big, sizeof(big));
	arc_ent("test/bigger", S_IFREG | 0644, 0, 1, big, sizeof(big));
	arc_ent("test/same", S_IFREG | 0644, 0, 1, big, sizeof(big));
	arc_trailer();
	assert_int_equal(init(), 0);

	n = lk("/test/zero");
	assert_int_equal(ramfs_truncate(n, 0), 0);
	assert_int_equal(n->rn_size, 0);
	assert_string_equal(rd(n), "");
	wr(n, 0, "after");
	assert_string_equal(cat("/test/zero"), "after");

	n = lk("/test/small");
	assert_int_equal(ramfs_truncate(n, 10), 0);
	assert_string_equal(rd(n), "abcdefghij");

	/* Past the first buffer's 256 bytes, short of the old size. */
	n = lk("/test/mid");
	assert_int_equal(ramfs_truncate(n, 300), 0);
	assert_int_equal(ramfs_read(n, 0, got, sizeof(got)), 300);
	assert_memory_equal(got, big, 300);
	wr(n, 300, "!");
	assert_int_equal(ramfs_read(n, 0, got, sizeof(got)), 301);
	assert_int_equal(got[300], '!');

	n = lk("/test/bigger");
	assert_int_equal(ramfs_truncate(n, 6000), 0);
	assert_int_equal(ramfs_read(n, 0, got, sizeof(got)), 6000);
	assert_memory_equal(got, big, sizeof(big));
	for (i = sizeof(big); i < 6000; i++)
		assert_int_equal(got[i], 0);

	n = lk("/test/same");
	assert_int_equal(ramfs_truncate(n, sizeof(big)), 0);
	assert_int_equal(ramfs_read(n, 0, got, sizeof(got)), sizeof(big));
	assert_memory_equal(got, big, sizeof(big));
}

/*
 * A removed directory held as a working directory, below a removed parent
 * that nothing else holds: ".." still reaches the parent (Linux keeps it
 * too), nothing can be made or found in either, and releasing the working
 * directory frees both.
 */
static void
test_removed_dir_parent(void **state)
{
	char name[RAMFS_NAME_MAX + 1];
	struct rnode *tmp, *a, *b, *n, *dir, *f;

	arc_reset();
	arc_dir("tmp", 01777);
	arc_trailer();
	assert_int_equal(init(), 0);
	tmp = lk("/tmp");
	assert_int_equal(ramfs_create(tmp, "a", S_IFDIR | 0755, &a), 0);
	assert_int_equal(ramfs_create(a, "b", S_IFDIR | 0755, &b), 0);
	assert_int_equal(ramfs_create(tmp, "f", S_IFREG | 0644, &f), 0);
	wr(f, 0, "F");
	ramfs_hold(b);		/* chdir /tmp/a/b */
	assert_int_equal(ramfs_unlink(a, "b", 1), 0);
	assert_int_equal(ramfs_unlink(tmp, "a", 1), 0);
	assert_int_equal(lkerr("/tmp/a"), -ENOENT);
	assert_int_equal(tmp->rn_nchild, 1);
	assert_int_equal(tmp->rn_nlink, 2);
	assert_true(b->rn_gone);

	assert_int_equal(lkat(b, "..", 1, &n), 0);
	assert_ptr_equal(n, a);
	assert_true(a->rn_gone);
	assert_int_equal(lkat(b, "../..", 1, &n), 0);
	assert_ptr_equal(n, tmp);
	assert_int_equal(lkat(b, "../../f", 1, &n), 0);
	assert_ptr_equal(n, f);
	assert_int_equal(lkat(b, ".", 1, &n), 0);
	assert_ptr_equal(n, b);
	assert_int_equal(lkat(b, "x", 1, &n), -ENOENT);
	assert_int_equal(lkat(b, "../b", 1, &n), -ENOENT);
	assert_int_equal(lkat(b, "../../a", 1, &n), -ENOENT);

	/* Nothing is made in them: mkdir x, mkdir ../x, open(O_CREAT). */
	assert_int_equal(ramfs_create(b, "x", S_IFDIR | 0755, &n), -ENOENT);
	assert_int_equal(ramfs_lookup_parent(b, "x", &dir, name), 0);
	assert_ptr_equal(dir, b);
	assert_int_equal(ramfs_lookup_parent(b, "../x", &dir, name), 0);
	assert_ptr_equal(dir, a);
	assert_int_equal(ramfs_create(dir, name, S_IFDIR | 0755, &n), -ENOENT);
	assert_int_equal(ramfs_create(dir, name, S_IFREG | 0644, &n), -ENOENT);
	assert_int_equal(ramfs_lookup_parent(b, "../../x", &dir, name), 0);
	assert_ptr_equal(dir, tmp);

	/* Renames into them, out of them, and of their old names. */
	assert_int_equal(ramfs_rename(tmp, "f", b, "f"), -ENOENT);
	assert_int_equal(ramfs_rename(tmp, "f", a, "g"), -ENOENT);
	assert_int_equal(ramfs_rename(b, "x", tmp, "x"), -ENOENT);
	assert_int_equal(ramfs_rename(a, "b", tmp, "b"), -ENOENT);
	assert_int_equal(ramfs_rename(tmp, "a", tmp, "c"), -ENOENT);
	assert_int_equal(ramfs_unlink(a, "b", 1), -ENOENT);
	assert_int_equal(ramfs_unlink(b, "x", 0), -ENOENT);
	assert_string_equal(cat("/tmp/f"), "F");
	assert_int_equal(tmp->rn_nchild, 1);
	assert_int_equal(ramfs_dirent(a, 0, &n), 0);

	/* A live directory of that name again: not the removed one. */
	assert_int_equal(ramfs_create(tmp, "a", S_IFDIR | 0755, &n), 0);
	assert_true(n != a);
	assert_int_equal(lkat(b, "../../a", 1, &n), 0);
	assert_int_equal(lkat(b, "..", 1, &n), 0);
	assert_ptr_equal(n, a);
	assert_int_equal(ramfs_unlink(tmp, "a", 1), 0);

	/* The last reference frees b, then a, and lets go of /tmp. */
	ramfs_release(b);
	assert_int_equal(tmp->rn_vnode.v_refs, 0);
	assert_int_equal(ramfs_unlink(tmp, "f", 0), 0);
	assert_int_equal(ramfs_unlink(ramfs_root(), "tmp", 1), 0);
	assert_int_equal(lkerr("/tmp"), -ENOENT);
}

/* /h1 and /d/h2: one file of the archive, its contents with the last name. */
static void
hardlink_tree(void)
{
	arc_reset();
	arc_ent("h1", S_IFREG | 0644, 50, 2, "", 0);
	arc_ent("d/h2", S_IFREG | 0644, 50, 2, "shared data", 11);
	arc_file("other", "O");
	arc_trailer();
	teardown(NULL);
	assert_int_equal(init(), 0);
	assert_int_equal(lk("/h1")->rn_nlink, 2);
	assert_string_equal(cat("/h1"), "shared data");
}

/* Changing a hard-linked file through one name shows through the others. */
static void
test_hardlink_write(void **state)
{
	struct rnode *h1, *h2;
	char big[600];

	hardlink_tree();
	h1 = lk("/h1");
	h2 = lk("/d/h2");
	wr(h1, 0, "SHARED");
	assert_string_equal(rd(h2), "SHARED data");
	/* Past the first buffer: both names follow the new one. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	wr(h2, 11, big);
	assert_int_equal(h1->rn_size, 11 + sizeof(big) - 1);
	assert_ptr_equal(h1->rn_data, h2->rn_data);
	assert_int_equal(ramfs_truncate(h1, 3), 0);
	assert_string_equal(rd(h2), "SHA");
	assert_int_equal(h1->rn_ino, h2->rn_ino);
	assert_int_equal(h2->rn_nlink, 2);
	/* Freed with the tree, once (ASan and LSan watch). */
}

/*
 * A name unlinked while open stays the file: writes through it and through
 * the other name meet, whichever goes last frees the contents once.
 */
static void
test_hardlink_unlink_held(void **state)
{
	struct rnode *h1, *h2, *d;

	hardlink_tree();
	h1 = lk("/h1");
	h2 = lk("/d/h2");
	d = lk("/d");
	ramfs_hold(h1);		/* open("/h1") */
	assert_int_equal(ramfs_unlink(ramfs_root(), "h1", 0), 0);
	assert_int_equal(lkerr("/h1"), -ENOENT);
	assert_int_equal(h2->rn_nlink, 1);
	assert_int_equal(h1->rn_nlink, 1);	/* fstat: names left */
	wr(h2, 0, "via h2");
	assert_string_equal(rd(h1), "via h2 data");
	wr(h1, 11, " and more through the unlinked name");
	assert_string_equal(rd(h2), "via h2 data and more through the unlinked name");
	ramfs_release(h1);
	wr(h2, 0, "V");
	assert_string_equal(cat("/d/h2"), "Via h2 data and more through the unlinked name");
	assert_int_equal(h2->rn_nlink, 1);
	assert_int_equal(ramfs_truncate(h2, 1), 0);
	assert_int_equal(ramfs_unlink(d, "h2", 0), 0);

	/* The other order: the last name goes while the first is held. */
	hardlink_tree();
	h1 = lk("/h1");
	h2 = lk("/d/h2");
	ramfs_hold(h1);
	ramfs_hold(h1);		/* a second open file */
	wr(h1, 0, "W");
	assert_int_equal(ramfs_unlink(ramfs_root(), "h1", 0), 0);
	assert_int_equal(ramfs_unlink(lk("/d"), "h2", 0), 0);
	assert_int_equal(h1->rn_nlink, 0);
	assert_string_equal(rd(h1), "Whared data");
	wr(h1, 0, "still here!");
	ramfs_release(h1);
	assert_string_equal(rd(h1), "still here!");
	ramfs_release(h1);
	assert_int_equal(ramfs_root()->rn_vnode.v_refs, 0);
}

/*
 * Renaming a name of a hard-linked file keeps it one of the file's names;
 * renaming onto another name of the file changes nothing (POSIX).
 */
static void
test_hardlink_rename(void **state)
{
	struct rnode *rootn, *h2, *r1, *d;

	hardlink_tree();
	rootn = ramfs_root();
	d = lk("/d");
	h2 = lk("/d/h2");
	wr(h2, 0, "owned!");	/* contents in the heap before the rename */
	assert_int_equal(ramfs_rename(rootn, "h1", rootn, "r1"), 0);
	assert_int_equal(lkerr("/h1"), -ENOENT);
	r1 = lk("/r1");
	assert_int_equal(r1->rn_ino, h2->rn_ino);
	assert_int_equal(r1->rn_nlink, 2);
	assert_int_equal(h2->rn_nlink, 2);
	assert_string_equal(rd(r1), "owned! data");
	wr(r1, 0, "OWNED DATA and then some more, past nothing");
	assert_string_equal(rd(h2), "OWNED DATA and then some more, past nothing");

	assert_int_equal(ramfs_rename(rootn, "r1", d, "h2"), 0);
	assert_ptr_equal(lk("/r1"), r1);
	assert_ptr_equal(lk("/d/h2"), h2);
	assert_int_equal(h2->rn_nlink, 2);

	/* Onto another file's name: that file goes, this one keeps its names. */
	assert_int_equal(ramfs_rename(d, "h2", rootn, "other"), 0);
	h2 = lk("/other");
	assert_int_equal(lkerr("/d/h2"), -ENOENT);
	assert_int_equal(h2->rn_nlink, 2);
	assert_string_equal(rd(h2), "OWNED DATA and then some more, past nothing");

	assert_int_equal(ramfs_unlink(rootn, "r1", 0), 0);
	assert_int_equal(h2->rn_nlink, 1);
	wr(h2, 0, "last!");
	assert_string_equal(cat("/other"), "last! DATA and then some more, past nothing");
	assert_int_equal(ramfs_unlink(rootn, "other", 0), 0);

	/* Contents still in the archive, and the new name unlinked first. */
	hardlink_tree();
	rootn = ramfs_root();
	assert_int_equal(ramfs_rename(lk("/d"), "h2", rootn, "r2"), 0);
	wr(lk("/h1"), 0, "S");
	assert_string_equal(cat("/r2"), "Shared data");
	assert_int_equal(ramfs_unlink(rootn, "r2", 0), 0);
	assert_string_equal(cat("/h1"), "Shared data");
	assert_int_equal(lk("/h1")->rn_nlink, 1);
	assert_int_equal(ramfs_unlink(rootn, "h1", 0), 0);
}

/* Walks the whole tree through the interface, reading everything. */
static void
visit(struct rnode *d, int depth)
{
	struct rnode *c, *n;
	char buf[64];
	uint64_t i;

	assert_true(depth < 5000);
	for (i = 0; ramfs_dirent(d, i, &c) == 1; i++) {
		assert_ptr_equal(c->rn_parent, d);
		if (S_ISDIR(c->rn_vnode.v_mode))
			visit(c, depth + 1);
		else if (S_ISREG(c->rn_vnode.v_mode))
			assert_true(ramfs_read(c, 0, buf, sizeof(buf)) >= 0);
		else
			ramfs_lookup_at(d, c->rn_name, 1, &n);
	}
}

/* Random damage to a good archive: 0 or -EINVAL, and a sane tree. */
static void
test_mutations(void **state)
{
	static const char pick[] = "0123456789abcdefABCDEF\0/.g7";
	static const char *paths[] = { "/", "/bin/sh", "/a/b/up/bin", "/lib/",
		"/loop1", "/nested", "x/../..", "/todir2/busybox" };
	uint8_t good[8192];
	size_t goodlen, i, k, j;
	struct rnode *n;
	char *quiet = getenv("KSTUB_QUIET");
	int round, r, nok = 0;

	std_tree();
	goodlen = A.len;
	assert_true(goodlen <= sizeof(good));
	memcpy(good, A.b, goodlen);
	setenv("KSTUB_QUIET", "1", 1);
	for (round = 0; round < 20000; round++) {
		memcpy(A.b, good, goodlen);
		A.len = goodlen - (rng() % 4 == 0 ? rng() % goodlen : 0);
		for (k = rng() % 4 + 1; k > 0 && A.len > 0; k--) {
			i = rng() % A.len;
			A.b[i] = rng() % 2 ? (uint8_t)pick[rng() % (sizeof(pick) - 1)] :
			    (uint8_t)rng();
		}
		r = init();
		assert_true(r == 0 || r == -EINVAL);
		nok += r == 0;
		if (r == 0) {
			visit(ramfs_root(), 0);
			for (j = 0; j < sizeof(paths) / sizeof(paths[0]); j++)
				ramfs_lookup(paths[j], &n);
		}
		teardown(NULL);
	}
	if (!quiet)
		unsetenv("KSTUB_QUIET");
	/* Both outcomes were exercised. */
	assert_true(nok > 1000 && nok < 19000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_basic, teardown),
		cmocka_unit_test_teardown(test_implicit_dirs, teardown),
		cmocka_unit_test_teardown(test_override, teardown),
		cmocka_unit_test_teardown(test_names, teardown),
		cmocka_unit_test_teardown(test_skipped_types, teardown),
		cmocka_unit_test_teardown(test_lookup_paths, teardown),
		cmocka_unit_test_teardown(test_lookup_at, teardown),
		cmocka_unit_test_teardown(test_name_limits, teardown),
		cmocka_unit_test_teardown(test_deep_tree, teardown),
		cmocka_unit_test_teardown(test_symlinks, teardown),
		cmocka_unit_test_teardown(test_symlink_limit, teardown),
		cmocka_unit_test_teardown(test_read, teardown),
		cmocka_unit_test_teardown(test_dirent, teardown),
		cmocka_unit_test_teardown(test_hardlinks, teardown),
		cmocka_unit_test_teardown(test_malformed, teardown),
		cmocka_unit_test_teardown(test_enomem, teardown),
		cmocka_unit_test_teardown(test_mutations, teardown),
		cmocka_unit_test_teardown(test_truncate_archive_file, teardown),
		cmocka_unit_test_teardown(test_removed_dir_parent, teardown),
		cmocka_unit_test_teardown(test_hardlink_write, teardown),
		cmocka_unit_test_teardown(test_hardlink_unlink_held, teardown),
		cmocka_unit_test_teardown(test_hardlink_rename, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
