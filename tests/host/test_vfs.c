/*
 * test_vfs.c: the VFS's path walk (kernel/fs/namei.c) over a ramfs tree
 * with another file system mounted on it: ".", ".." and repeated slashes,
 * paths without symlinks, symlinks in and out of a mount, ".." across a
 * mount point (from a mounted root, and from inside the mount), relative
 * paths into a mounted /proc-like tree from "/" and from inside it, the
 * parent lookup of the name-changing calls, symlinks and hard links made
 * through the vnode operations (40 followed, the 41st -ELOOP), and every
 * node's reference count back where it was after each walk.
 *
 * The mounted file system ("minifs") is the test's own: a root directory
 * holding a directory "1" with a file "stat", and a symlink "up" whose
 * target is "../etc" (out of the mount).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <uapi/errno.h>
#include <keel/cpio.h>
#include <keel/fs.h>
#include <keel/ramfs.h>
#include <keel/vfs.h>

/* ---- a newc archive: /etc/passwd, /bin/sh, /lnk -> etc, /abs -> /bin, /proc, /mnt ---- */

static uint8_t arc[8192];
static size_t arclen;

static void
put(const void *p, size_t n)
{
	assert_true(arclen + n <= sizeof(arc));
	memcpy(arc + arclen, p, n);
	arclen += n;
	while (arclen % 4)
		arc[arclen++] = 0;
}

static void
entry(const char *name, uint32_t mode, const char *data)
{
	static uint32_t ino = 10;
	char hdr[111];
	size_t dlen = data ? strlen(data) : 0;

	snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
	    ino++, mode, 0, 0, 1, 0, (unsigned)dlen, 0, 0, 0, 0, (unsigned)strlen(name) + 1, 0);
	memcpy(arc + arclen, hdr, 110);
	arclen += 110;
	put(name, strlen(name) + 1);
	if (dlen)
		put(data, dlen);
}

static void
build_tree(void)
{
	arclen = 0;
	entry("etc", S_IFDIR | 0755, 0);
	entry("etc/passwd", S_IFREG | 0644, "root::0:0::/:/bin/sh\n");
	entry("bin", S_IFDIR | 0755, 0);
	entry("bin/sh", S_IFREG | 0755, "#!");
	entry("lnk", S_IFLNK | 0777, "etc");
	entry("abs", S_IFLNK | 0777, "/bin");
	entry("loop", S_IFLNK | 0777, "loop");
	entry("proc", S_IFDIR | 0555, 0);
	entry("mnt", S_IFDIR | 0755, 0);
	entry("TRAILER!!!", 0, 0);
	assert_int_equal(ramfs_init(arc, arclen), 0);
}

/* ---- minifs ---- */

struct mnode {
	struct vnode vn;
	const char *name;
	const char *target;	/* a symlink's */
	struct mnode *parent;
};

static const struct vnode_ops mini_ops;
static struct mount mini_mount = { .m_name = "minifs" };
static struct mnode mroot = { { &mini_ops, &mini_mount, 0, S_IFDIR | 0555, 1, 0 }, "", 0, 0 };
static struct mnode mdir = { { &mini_ops, &mini_mount, 0, S_IFDIR | 0555, 0, 0 }, "1", 0, &mroot };
static struct mnode mstat = { { &mini_ops, &mini_mount, 0, S_IFREG | 0444, 0, 0 }, "stat", 0, &mdir };
static struct mnode mup = { { &mini_ops, &mini_mount, 0, S_IFLNK | 0777, 0, 0 }, "up", "../etc",
	&mroot };
static struct mnode *const mall[] = { &mroot, &mdir, &mstat, &mup };

static int
mini_lookup(struct vnode *dir, const char *name, size_t len, struct vnode **out)
{
	struct mnode *d = (struct mnode *)dir;

	if (len == 2 && memcmp(name, "..", 2) == 0) {
		*out = &(d->parent ? d->parent : d)->vn;
		vn_hold(*out);
		return 0;
	}
	for (size_t i = 0; i < sizeof(mall) / sizeof(mall[0]); i++) {
		if (mall[i]->parent == d && strlen(mall[i]->name) == len &&
		    memcmp(mall[i]->name, name, len) == 0) {
			*out = &mall[i]->vn;
			vn_hold(*out);
			return 0;
		}
	}
	return -ENOENT;
}

static int64_t
mini_readlink(struct vnode *vn, char *buf, uint64_t len)
{
	const char *t = ((struct mnode *)vn)->target;
	uint64_t n = strlen(t) < len ? strlen(t) : len;

	memcpy(buf, t, n);
	return n;
}

static const struct vnode_ops mini_ops = {
	.lookup = mini_lookup,
	.readlink = mini_readlink,
};

static struct rnode *
node(const char *path)
{
	struct rnode *n;

	assert_int_equal(ramfs_lookup(path, &n), 0);
	return n;
}

static struct vnode *rootvn, *covered;

/* Mount minifs on path; every walk below starts at the ramfs root. */
static void
mount_on(const char *path, struct mount *m, struct vnode *root)
{
	struct vnode *dir = &node(path)->rn_vnode;

	m->m_root = root;
	m->m_covered = covered = dir;
	dir->v_mounted = m;
}

static int
setup(void **state)
{
	(void)state;
	build_tree();
	rootvn = &ramfs_root()->rn_vnode;
	mount_on("/proc", &mini_mount, &mroot.vn);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	covered->v_mounted = 0;
	ramfs_free();
	return 0;
}

/* path from start resolves to want, and no reference is left behind. */
static void
walk_is(struct vnode *start, const char *path, int flags, struct vnode *want)
{
	struct vnode *vn = 0;
	uint32_t refs = want->v_refs;
	int r = namei_at(rootvn, start, path, flags, &vn);

	if (r != 0 || vn != want)
		fail_msg("namei \"%s\": %d, %p, want %p", path, r, (void *)vn, (void *)want);
	assert_int_equal(want->v_refs, refs + 1);
	vn_rele(vn);
	assert_int_equal(want->v_refs, refs);
}

static void
walk_err(struct vnode *start, const char *path, int flags, int err)
{
	struct vnode *vn = 0;
	int r = namei_at(rootvn, start, path, flags, &vn);

	if (r != err)
		fail_msg("namei \"%s\": %d, want %d", path, r, err);
}

static void
test_plain_paths(void **state)
{
	struct vnode *etc = &node("/etc")->rn_vnode, *pw = &node("/etc/passwd")->rn_vnode;

	(void)state;
	walk_is(0, "/", NAMEI_FOLLOW, rootvn);
	walk_is(0, "/etc/passwd", NAMEI_FOLLOW, pw);
	walk_is(0, "//etc///passwd", NAMEI_FOLLOW, pw);
	walk_is(0, "/./etc/./passwd", NAMEI_FOLLOW, pw);
	walk_is(0, "/etc/../etc/passwd", NAMEI_FOLLOW, pw);
	walk_is(0, "/..", NAMEI_FOLLOW, rootvn);
	walk_is(0, "/../../etc", NAMEI_FOLLOW, etc);
	walk_is(etc, "passwd", NAMEI_FOLLOW, pw);
	walk_is(etc, "..", NAMEI_FOLLOW, rootvn);
	walk_is(etc, "../etc/./passwd", NAMEI_FOLLOW, pw);
	walk_is(etc, "/etc", NAMEI_FOLLOW, etc);
	walk_is(0, "/etc/", NAMEI_FOLLOW, etc);
	walk_err(0, "", NAMEI_FOLLOW, -ENOENT);
	walk_err(0, "/nope", NAMEI_FOLLOW, -ENOENT);
	walk_err(0, "/etc/passwd/", NAMEI_FOLLOW, -ENOTDIR);
	walk_err(0, "/etc/passwd/x", NAMEI_FOLLOW, -ENOTDIR);
	walk_err(etc, "passwd/..", NAMEI_FOLLOW, -ENOTDIR);
}

static void
test_symlinks(void **state)
{
	struct vnode *etc = &node("/etc")->rn_vnode, *bin = &node("/bin")->rn_vnode;
	struct rnode *lnkn;
	struct vnode *lnk;

	(void)state;
	assert_int_equal(ramfs_lookup_at(0, "/lnk", 0, &lnkn), 0);
	lnk = &lnkn->rn_vnode;
	walk_is(0, "/lnk", NAMEI_FOLLOW, etc);
	walk_is(0, "/lnk", 0, lnk);		/* the last name is not followed */
	walk_is(0, "/lnk/", 0, etc);		/* unless the path ends in a slash */
	walk_is(0, "/lnk/passwd", 0, &node("/etc/passwd")->rn_vnode);
	walk_is(etc, "../abs", NAMEI_FOLLOW, bin);
	walk_is(etc, "../abs/sh", 0, &node("/bin/sh")->rn_vnode);
	walk_err(0, "/loop", NAMEI_FOLLOW, -ELOOP);
	walk_err(0, "/loop/x", 0, -ELOOP);
}

static void
test_mount_points(void **state)
{
	struct vnode *proc = covered, *etc = &node("/etc")->rn_vnode;

	(void)state;
	/* The covered directory is never reached: its mount's root is. */
	walk_is(0, "/proc", NAMEI_FOLLOW, &mroot.vn);
	walk_is(0, "/proc/", NAMEI_FOLLOW, &mroot.vn);
	walk_is(0, "/proc/1/stat", NAMEI_FOLLOW, &mstat.vn);
	walk_is(0, "/proc/1/../1/stat", NAMEI_FOLLOW, &mstat.vn);
	/* ".." of the mounted root is ".." of what it covers. */
	walk_is(0, "/proc/..", NAMEI_FOLLOW, rootvn);
	walk_is(0, "/proc/../etc", NAMEI_FOLLOW, etc);
	walk_is(&mroot.vn, "..", NAMEI_FOLLOW, rootvn);
	walk_is(&mdir.vn, "../../etc/passwd", NAMEI_FOLLOW, &node("/etc/passwd")->rn_vnode);
	/* A symlink inside the mount pointing out of it. */
	walk_is(0, "/proc/up", NAMEI_FOLLOW, etc);
	walk_is(0, "/proc/up", 0, &mup.vn);
	walk_is(0, "/proc/up/passwd", NAMEI_FOLLOW, &node("/etc/passwd")->rn_vnode);
	assert_int_equal(proc->v_refs, 0);
}

static void
test_relative_into_mount(void **state)
{
	(void)state;
	/* From "/": relative paths cross into /proc. */
	walk_is(rootvn, "proc/1/stat", NAMEI_FOLLOW, &mstat.vn);
	walk_is(rootvn, "./proc/1", NAMEI_FOLLOW, &mdir.vn);
	/* From inside it (a process whose cwd is /proc or /proc/1). */
	walk_is(&mroot.vn, "1/stat", NAMEI_FOLLOW, &mstat.vn);
	walk_is(&mdir.vn, "stat", NAMEI_FOLLOW, &mstat.vn);
	walk_is(&mdir.vn, "..", NAMEI_FOLLOW, &mroot.vn);
	walk_is(&mdir.vn, "../..", NAMEI_FOLLOW, rootvn);
	walk_err(&mroot.vn, "2/stat", NAMEI_FOLLOW, -ENOENT);
}

static void
test_parent(void **state)
{
	char name[VFS_NAME_MAX + 1];
	struct vnode *dir;

	(void)state;
	assert_int_equal(namei_parent_at(rootvn, 0, "/etc/newfile", &dir, name), 0);
	assert_ptr_equal(dir, &node("/etc")->rn_vnode);
	assert_string_equal(name, "newfile");
	vn_rele(dir);
	assert_int_equal(namei_parent_at(rootvn, &mdir.vn, "../x//", &dir, name), 0);
	assert_ptr_equal(dir, &mroot.vn);
	assert_string_equal(name, "x");
	vn_rele(dir);
	assert_int_equal(namei_parent_at(rootvn, 0, "/proc/../etc/y", &dir, name), 0);
	assert_ptr_equal(dir, &node("/etc")->rn_vnode);
	vn_rele(dir);
	assert_int_equal(namei_parent_at(rootvn, 0, "/", &dir, name), -EEXIST);
	assert_int_equal(namei_parent_at(rootvn, 0, "/etc/..", &dir, name), -EEXIST);
	assert_int_equal(namei_parent_at(rootvn, 0, "", &dir, name), -ENOENT);
	assert_int_equal(namei_parent_at(rootvn, 0, "/etc/passwd/z", &dir, name), -ENOTDIR);
	assert_int_equal(namei_parent_at(rootvn, 0, "/nope/z", &dir, name), -ENOENT);
	for (size_t i = 0; i < sizeof(mall) / sizeof(mall[0]); i++)
		assert_int_equal(mall[i]->vn.v_refs, mall[i] == &mroot ? 1 : 0);
}

static void
test_long_names(void **state)
{
	char path[VFS_PATH_MAX + 8];

	(void)state;
	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = 0;
	walk_err(0, path, NAMEI_FOLLOW, -ENAMETOOLONG);
	memset(path, 0, sizeof(path));
	path[0] = '/';
	memset(path + 1, 'b', VFS_NAME_MAX + 1);
	walk_err(0, path, NAMEI_FOLLOW, -ENAMETOOLONG);
}

/*
 * Links made through the vnode operations, as the system calls make them:
 * a chain of 40 symlinks (relative, each naming the last) resolves, the
 * 41st is -ELOOP; a hard link is the same file (inode, contents, nlink
 * on both names) and refuses a directory; readlink is -EINVAL on a file.
 */
static void
test_made_links(void **state)
{
	struct vnode *etc = &node("/etc")->rn_vnode, *vn;
	char name[16], target[16], buf[8];
	struct rnode *a, *b;
	struct kstat st;

	(void)state;
	assert_int_equal(etc->v_ops->symlink(etc, "c0", "passwd"), 0);
	for (int i = 1; i <= 40; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		snprintf(target, sizeof(target), "c%d", i - 1);
		assert_int_equal(etc->v_ops->symlink(etc, name, target), 0);
	}
	assert_int_equal(etc->v_ops->symlink(etc, "c0", "x"), -EEXIST);
	walk_is(0, "/etc/c39", NAMEI_FOLLOW, &node("/etc/passwd")->rn_vnode);
	walk_err(0, "/etc/c40", NAMEI_FOLLOW, -ELOOP);
	walk_err(0, "/etc/c40/x", 0, -ELOOP);
	assert_int_equal(namei_at(rootvn, 0, "/etc/c40", 0, &vn), 0);
	assert_true(S_ISLNK(vn->v_mode));
	assert_int_equal(vn->v_ops->readlink(vn, buf, sizeof(buf)), 3);
	assert_memory_equal(buf, "c39", 3);
	vn_rele(vn);

	vn = &node("/etc/passwd")->rn_vnode;
	assert_int_equal(vn->v_ops->readlink(vn, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(etc->v_ops->link(etc, "pw2", vn), 0);
	assert_int_equal(etc->v_ops->link(etc, "pw2", vn), -EEXIST);
	assert_int_equal(etc->v_ops->link(etc, "d", &node("/bin")->rn_vnode), -EPERM);
	a = node("/etc/passwd");
	b = node("/etc/pw2");
	assert_true(a != b && a->rn_ino == b->rn_ino && a->rn_data == b->rn_data);
	assert_int_equal(vn->v_ops->getattr(&b->rn_vnode, &st), 0);
	assert_int_equal(st.st_nlink, 2);
	assert_int_equal(a->rn_nlink, 2);
	assert_int_equal(etc->v_ops->unlink(etc, "passwd"), 0);
	assert_int_equal(node("/etc/pw2")->rn_nlink, 1);
	assert_int_equal(etc->v_refs, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plain_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlinks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mount_points, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relative_into_mount, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_made_links, setup, teardown),
	};

	return cmocka_run_group_tests(tests, 0, 0);
}
