/*
 * ramfs.c: the initramfs file tree (see ramfs.h).
 *
 * A directory keeps its children in an array sorted by name, so a component
 * is found by binary search and getdents has a stable order; inserting is a
 * memmove, fine for the thousands of entries an initramfs directory holds.
 *
 * The tree is filled from the initramfs by initramfs.c, through the
 * tree's own operations (ramfs_tree.h); what a process changes goes
 * through the functions below.
 *
 * Nothing here recurses: a name of 4095 bytes can be 2048 directories deep,
 * too deep for a kernel stack, so tree walks go through parent pointers.
 * Paths are the VFS's (namei.c): the tree offers its vnode operations
 * (ramfs_vnops, at the end), which look up one name at a time.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/kheap.h>
#include <keel/cpio.h>
#include <keel/ramfs.h>
#include <keel/fs.h>
#include <keel/vfs.h>

static struct rnode *root;
static struct mount ramfs_mount = {
	.m_name = "rootfs", .m_source = "rootfs", .m_dev = RAMFS_DEV, .m_statfs = ramfs_statfs,
};
static uint64_t next_ino;	/* for nodes made after ramfs_init */

/* initramfs.c's new tree replaces the old one (freed: no one may hold it). */
void
ramfs_set_tree(struct rnode *top, uint64_t nextino)
{
	ramfs_free();
	root = top;
	next_ino = nextino;
	ramfs_mount.m_root = &root->rn_vnode;
}

#include "ramfs_tree.h"

static const struct vnode_ops ramfs_vnops;

void
rn_init_vnode(struct rnode *n, uint32_t mode)
{
	n->rn_vnode.v_ops = &ramfs_vnops;
	n->rn_vnode.v_mount = &ramfs_mount;
	n->rn_vnode.v_mode = mode;
	n->rn_vnode.v_data = n;
}

void
rn_archive_attrs(struct rnode *n, const struct cpio_entry *e)
{
	n->rn_uid = e->ce_uid;
	n->rn_gid = e->ce_gid;
	n->rn_mtime = (struct ktimespec){ e->ce_mtime, 0 };
	n->rn_atime = n->rn_ctime = n->rn_mtime;
}

int
rn_isdir(const struct rnode *n)
{
	return S_ISDIR(n->rn_vnode.v_mode);
}

/* memcmp order of a name of len bytes against n's name. */
static int
name_cmp(const char *name, uint64_t len, const struct rnode *n)
{
	int c = memcmp(name, n->rn_name, MIN(len, n->rn_namelen));

	if (c != 0)
		return c;
	if (len == n->rn_namelen)
		return 0;
	return len < n->rn_namelen ? -1 : 1;
}

/* The index of name among dir's children (*found = 1), or where it goes. */
static uint32_t
child_index(const struct rnode *dir, const char *name, uint64_t len, int *found)
{
	uint32_t lo = 0, hi = dir->rn_nchild, mid;
	int c;

	*found = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = name_cmp(name, len, dir->rn_child[mid]);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

struct rnode *
rn_child_find(const struct rnode *dir, const char *name, uint64_t len)
{
	uint32_t i;
	int found;

	i = child_index(dir, name, len, &found);
	return found ? dir->rn_child[i] : 0;
}

/*
 * Lookups go through the VFS's path walk (namei.c) from this tree's root;
 * these return the node without a reference, as the host tests want.
 */
int
ramfs_lookup_at(struct rnode *cwd, const char *path, int follow_last_symlink,
    struct rnode **out)
{
	struct vnode *vn;
	int r;

	if (root == 0)
		return -ENOENT;
	r = namei_at(&root->rn_vnode, cwd ? &cwd->rn_vnode : 0, path,
	    follow_last_symlink ? NAMEI_FOLLOW : 0, &vn);
	if (r)
		return r;
	*out = RNODE(vn);
	vn_rele(vn);
	return 0;
}

int
ramfs_lookup(const char *path, struct rnode **out)
{
	return ramfs_lookup_at(root, path, 1, out);
}

int64_t
ramfs_read(struct rnode *n, uint64_t off, void *buf, uint64_t len)
{
	uint64_t k;

	if (rn_isdir(n))
		return -EISDIR;
	if (!S_ISREG(n->rn_vnode.v_mode))
		return -EINVAL;
	if (off >= n->rn_size || len == 0)
		return 0;
	k = MIN(len, n->rn_size - off);
	memcpy(buf, (const uint8_t *)n->rn_data + off, k);
	return (int64_t)k;
}

int64_t
ramfs_readlink(struct rnode *n, void *buf, uint64_t len)
{
	uint64_t k;

	if (!S_ISLNK(n->rn_vnode.v_mode))
		return -EINVAL;
	k = MIN(len, n->rn_size);
	if (k > 0)
		memcpy(buf, n->rn_data, k);
	return (int64_t)k;
}

int
ramfs_dirent(struct rnode *dir, uint64_t index, struct rnode **child)
{
	if (!rn_isdir(dir))
		return -ENOTDIR;
	if (index >= dir->rn_nchild)
		return 0;
	*child = dir->rn_child[index];
	return 1;
}

struct rnode *
ramfs_root(void)
{
	return root;
}

/* ---- building ---- */

/* Takes n off its ring of names (a lone node stays alone). */
static void
ring_leave(struct rnode *n)
{
	struct rnode *prev;

	for (prev = n; prev->rn_link != n; prev = prev->rn_link)
		;
	prev->rn_link = n->rn_link;
	n->rn_link = n;
}

void
rn_free(struct rnode *n)
{
	/* Owned data is shared by a hard-link ring: the last node frees it. */
	if (n->rn_link != n)
		ring_leave(n);
	else if (n->rn_cap)
		kfree((void *)n->rn_data);
	kfree(n->rn_child);
	kfree(n);
}

/*
 * Makes each node of n's ring a lone one, n alone keeping the contents:
 * what tree_free does instead of ring_leave, which would walk a ring once
 * per name.
 */
static void
ring_break(struct rnode *n)
{
	struct rnode *m, *next;

	for (m = n->rn_link; m != n; m = next) {
		next = m->rn_link;
		m->rn_link = m;
		m->rn_cap = 0;
	}
	n->rn_link = n;
}

/*
 * Frees the tree under top, top included.  Every node of its hard-link
 * rings must be in it: no unlinked node is still held.
 */
void
rn_tree_free(struct rnode *top)
{
	struct rnode *n = top, *up;
	int last;

	for (;;) {
		if (n->rn_nchild > 0) {
			n = n->rn_child[--n->rn_nchild];
			continue;
		}
		up = n->rn_parent;
		last = n == top;
		ring_break(n);
		rn_free(n);
		if (last)
			return;
		n = up;
	}
}

/* The node after n in a preorder walk of the whole tree, or 0. */
struct rnode *
rn_tree_next(struct rnode *n)
{
	struct rnode *up;
	uint32_t i;
	int found;

	if (n->rn_nchild > 0)
		return n->rn_child[0];
	for (; n->rn_parent != n; n = up) {
		up = n->rn_parent;
		i = child_index(up, n->rn_name, n->rn_namelen, &found);
		ASSERT(found && up->rn_child[i] == n);
		if (i + 1 < up->rn_nchild)
			return up->rn_child[i + 1];
	}
	return 0;
}

void
ramfs_free(void)
{
	if (root)
		rn_tree_free(root);
	root = 0;
}

/* A new child of dir, attributes to be filled in; 0 when out of memory. */
struct rnode *
rn_new(struct build *b, struct rnode *dir, const char *name, uint64_t len,
    uint32_t mode)
{
	struct rnode *n, **a;
	uint32_t i, cap;
	int found;

	ASSERT(rn_isdir(dir) && len > 0 && len <= RAMFS_NAME_MAX);
	i = child_index(dir, name, len, &found);
	ASSERT(!found);
	if (dir->rn_nchild == dir->rn_childcap) {
		/* Past KHEAP_MAX_SIZE, kmalloc says no: that is the limit. */
		if (dir->rn_childcap > UINT32_MAX / 2)
			return 0;
		cap = dir->rn_childcap ? 2 * dir->rn_childcap : 4;
		a = kmalloc((size_t)cap * sizeof(*a));
		if (a == 0)
			return 0;
		if (dir->rn_nchild > 0)
			memcpy(a, dir->rn_child, dir->rn_nchild * sizeof(*a));
		kfree(dir->rn_child);
		dir->rn_child = a;
		dir->rn_childcap = cap;
	}
	n = kzalloc(sizeof(*n) + len + 1);
	if (n == 0)
		return 0;
	memcpy(n->rn_name, name, len);
	n->rn_namelen = (uint32_t)len;
	n->rn_parent = dir;
	n->rn_link = n;
	rn_init_vnode(n, mode);
	n->rn_vnode.v_mount = dir->rn_vnode.v_mount;	/* the instance it is in */
	n->rn_ino = b->b_nextino++;
	memmove(&dir->rn_child[i + 1], &dir->rn_child[i],
	    (dir->rn_nchild - i) * sizeof(*dir->rn_child));
	dir->rn_child[i] = n;
	dir->rn_nchild++;
	return n;
}

/* Removes a non-directory or an empty directory from the tree and frees it. */
void
rn_unlink(struct build *b, struct rnode *n)
{
	struct rnode *dir = n->rn_parent, *next = n->rn_link;
	struct hlink **hp, *h;
	uint32_t i;
	int found;

	ASSERT(n != b->b_root && n->rn_nchild == 0);
	i = child_index(dir, n->rn_name, n->rn_namelen, &found);
	ASSERT(found && dir->rn_child[i] == n);
	memmove(&dir->rn_child[i], &dir->rn_child[i + 1],
	    (dir->rn_nchild - i - 1) * sizeof(*dir->rn_child));
	dir->rn_nchild--;

	/* node_free leaves the ring of names; the file's record moves on. */
	for (hp = &b->b_links; (h = *hp) != 0;) {
		if (h->hl_node == n && next != n) {
			h->hl_node = next;
		} else if (h->hl_node == n) {
			*hp = h->hl_next;
			kfree(h);
			continue;
		}
		hp = &h->hl_next;
	}
	rn_free(n);
}

/* ---- changing the tree (see ramfs.h) ---- */

/* Every name of n's file gets n's attributes (mode, owner, times, device). */
static void
ring_sync(struct rnode *n)
{
	struct rnode *m;

	for (m = n->rn_link; m != n; m = m->rn_link) {
		m->rn_vnode.v_mode = n->rn_vnode.v_mode;
		m->rn_uid = n->rn_uid;
		m->rn_gid = n->rn_gid;
		m->rn_rdev = n->rn_rdev;
		m->rn_atime = n->rn_atime;
		m->rn_mtime = n->rn_mtime;
		m->rn_ctime = n->rn_ctime;
	}
}

#define T_A	1	/* access */
#define T_M	2	/* modification */
#define T_C	4	/* change */

/* The times what says are now, as Linux's current_time (tmpfs: nanoseconds). */
static void
touch(struct rnode *n, int what)
{
	struct ktimespec now;

	vfs_now(&now);
	if (what & T_A)
		n->rn_atime = now;
	if (what & T_M)
		n->rn_mtime = now;
	if (what & T_C)
		n->rn_ctime = now;
	ring_sync(n);
}

static int
ts_before_eq(const struct ktimespec *a, const struct ktimespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec <= b->tv_nsec);
}

/* relatime (Linux's default): atime moves if not newer than mtime or ctime, or a day old. */
void
ramfs_accessed(struct rnode *n)
{
	struct ktimespec now;

	vfs_now(&now);
	if (ts_before_eq(&n->rn_atime, &n->rn_mtime) || ts_before_eq(&n->rn_atime, &n->rn_ctime) ||
	    now.tv_sec - n->rn_atime.tv_sec >= 24 * 60 * 60) {
		n->rn_atime = now;
		ring_sync(n);
	}
}

void
ramfs_setattr(struct rnode *n, const struct vattr *va)
{
	if (va->va_mask & VA_MODE)
		n->rn_vnode.v_mode = (n->rn_vnode.v_mode & S_IFMT) | (va->va_mode & 07777);
	if (va->va_mask & VA_UID)
		n->rn_uid = va->va_uid;
	if (va->va_mask & VA_GID)
		n->rn_gid = va->va_gid;
	if (va->va_mask & VA_ATIME)
		n->rn_atime = va->va_atime;
	if (va->va_mask & VA_MTIME)
		n->rn_mtime = va->va_mtime;
	n->rn_ctime = va->va_ctime;
	ring_sync(n);
}

int
ramfs_lookup_parent(struct rnode *cwd, const char *path, struct rnode **dir,
    char name[RAMFS_NAME_MAX + 1])
{
	struct vnode *vn;
	int r;

	if (root == 0)
		return -ENOENT;
	r = namei_parent_at(&root->rn_vnode, cwd ? &cwd->rn_vnode : 0, path, &vn, name);
	if (r)
		return r;
	*dir = RNODE(vn);
	vn_rele(vn);
	return 0;
}

int
ramfs_create(struct rnode *dir, const char *name, uint32_t mode, struct rnode **out)
{
	struct build b = { .b_root = root, .b_nextino = next_ino };
	uint64_t len = strlen(name);
	struct rnode *n;

	if (!rn_isdir(dir))
		return -ENOTDIR;
	if (dir->rn_gone)
		return -ENOENT;
	if (len == 0 || len > RAMFS_NAME_MAX)
		return len ? -ENAMETOOLONG : -ENOENT;
	if (rn_child_find(dir, name, len))
		return -EEXIST;
	n = rn_new(&b, dir, name, len, mode & RAMFS_MODE_BITS);
	if (n == 0)
		return -ENOMEM;
	next_ino = b.b_nextino;
	n->rn_nlink = S_ISDIR(mode) ? 2 : 1;
	if (S_ISDIR(mode))
		dir->rn_nlink++;
	/* Owned by root: every process is root until there are credentials. */
	touch(n, T_A | T_M | T_C);
	touch(dir, T_M | T_C);
	*out = n;
	return 0;
}

/* Make n's contents the tree's own, with room for want bytes. */
static int
own_data(struct rnode *n, uint64_t want)
{
	uint64_t cap = n->rn_cap ? n->rn_cap : 256;
	struct rnode *m = n;
	char *buf;

	if (want > RAMFS_FILE_MAX)
		return -EFBIG;
	if (n->rn_cap >= want && n->rn_cap)
		return 0;
	while (cap < want)
		cap *= 2;
	cap = cap > RAMFS_FILE_MAX ? RAMFS_FILE_MAX : cap;
	buf = kmalloc(cap);
	if (buf == 0)
		return -ENOMEM;
	/* A truncate that shrinks wants less: buf may not hold the rest. */
	if (n->rn_size)
		memcpy(buf, n->rn_data, MIN(n->rn_size, want));
	if (n->rn_cap)
		kfree((void *)n->rn_data);
	do {
		m->rn_data = buf;
		m->rn_cap = cap;
		m = m->rn_link;
	} while (m != n);
	return 0;
}

static void
set_size(struct rnode *n, uint64_t size)
{
	struct rnode *m = n;

	do {
		m->rn_size = size;
		m = m->rn_link;
	} while (m != n);
}

int64_t
ramfs_write(struct rnode *n, uint64_t off, const void *buf, uint64_t len)
{
	int r;

	if (rn_isdir(n))
		return -EISDIR;
	if (!S_ISREG(n->rn_vnode.v_mode))
		return -EINVAL;
	if (len == 0)
		return 0;
	if (off >= RAMFS_FILE_MAX || len > RAMFS_FILE_MAX - off)
		return -EFBIG;
	r = own_data(n, MAX(off + len, n->rn_size));
	if (r)
		return r;
	if (off > n->rn_size)	/* a hole reads as zeros */
		memset((char *)n->rn_data + n->rn_size, 0, off - n->rn_size);
	memcpy((char *)n->rn_data + off, buf, len);
	if (off + len > n->rn_size)
		set_size(n, off + len);
	touch(n, T_M | T_C);
	return len;
}

int
ramfs_truncate(struct rnode *n, uint64_t size)
{
	int r;

	if (rn_isdir(n))
		return -EISDIR;
	if (!S_ISREG(n->rn_vnode.v_mode))
		return -EINVAL;
	if (size == n->rn_size)
		return 0;
	r = own_data(n, MAX(size, 1));
	if (r)
		return r;
	if (size > n->rn_size)
		memset((char *)n->rn_data + n->rn_size, 0, size - n->rn_size);
	set_size(n, size);
	touch(n, T_M | T_C);
	return 0;
}

/*
 * Take n out of its directory; free it unless it is still referenced.  A
 * node that lives on (rn_gone) stays on its ring, so writes through an open
 * file still reach the other names, and holds its directory: ".." of a
 * removed working directory is its old parent, as on Linux, and that
 * parent may be gone too by then.
 */
static void
detach(struct rnode *n)
{
	struct build b = { .b_root = root };
	struct rnode *dir = n->rn_parent, *m = n;
	uint32_t i;
	int found;

	touch(dir, T_M | T_C);
	if (rn_isdir(n)) {
		dir->rn_nlink--;
	} else {
		/* The file has a name fewer, for every node that stands for it. */
		do {
			m->rn_nlink--;
			m = m->rn_link;
		} while (m != n);
		touch(n, T_C);
	}
	if (n->rn_vnode.v_refs == 0) {
		rn_unlink(&b, n);
		return;
	}
	i = child_index(dir, n->rn_name, n->rn_namelen, &found);
	ASSERT(found && dir->rn_child[i] == n);
	memmove(&dir->rn_child[i], &dir->rn_child[i + 1],
	    (dir->rn_nchild - i - 1) * sizeof(*dir->rn_child));
	dir->rn_nchild--;
	n->rn_gone = 1;
	ramfs_hold(dir);
}

int
ramfs_unlink(struct rnode *dir, const char *name, int rmdir)
{
	struct rnode *n;

	if (!rn_isdir(dir))
		return -ENOTDIR;
	n = rn_child_find(dir, name, strlen(name));
	if (n == 0)
		return -ENOENT;
	if (rmdir && !rn_isdir(n))
		return -ENOTDIR;
	if (!rmdir && rn_isdir(n))
		return -EISDIR;
	if (rmdir && n->rn_nchild)
		return -ENOTEMPTY;
	detach(n);
	return 0;
}

int
ramfs_rename(struct rnode *odir, const char *oname, struct rnode *ndir,
    const char *nname)
{
	struct rnode *n = rn_child_find(odir, oname, strlen(oname)), *t, *a, *made, *m;
	int r;

	if (n == 0)
		return -ENOENT;
	for (a = ndir; ; a = a->rn_parent) {
		if (a == n)
			return -EINVAL;	/* into its own subtree */
		if (a->rn_parent == a)
			break;
	}
	/* The node is re-made under its new name: not while someone holds it. */
	if (n->rn_vnode.v_refs)
		return -EBUSY;
	t = rn_child_find(ndir, nname, strlen(nname));
	if (t && t->rn_ino == n->rn_ino)
		return 0;	/* n itself, or another name of its file: POSIX */
	if (t) {
		if (rn_isdir(t) && !rn_isdir(n))
			return -EISDIR;
		if (!rn_isdir(t) && rn_isdir(n))
			return -ENOTDIR;
		if (rn_isdir(t) && t->rn_nchild)
			return -ENOTEMPTY;
	}
	/*
	 * Only files move by relinking their contents under the new name;
	 * directories would have to carry their children: not supported.
	 */
	if (rn_isdir(n) && n->rn_nchild)
		return -EXDEV;
	if (t)
		detach(t);
	r = ramfs_create(ndir, nname, n->rn_vnode.v_mode, &made);
	if (r)
		return r;
	made->rn_data = n->rn_data;
	made->rn_size = n->rn_size;
	made->rn_cap = n->rn_cap;
	made->rn_uid = n->rn_uid;
	made->rn_gid = n->rn_gid;
	made->rn_rdev = n->rn_rdev;
	made->rn_atime = n->rn_atime;
	made->rn_mtime = n->rn_mtime;
	made->rn_ino = n->rn_ino;
	/*
	 * A file's new name joins its ring, as a hard link would, before the
	 * old one is unlinked: the contents stay shared with any other name,
	 * and the last node of the ring frees them.
	 */
	if (!rn_isdir(n)) {
		made->rn_nlink = n->rn_nlink;
		made->rn_link = n->rn_link;
		n->rn_link = made;
		m = made;
		do {
			m->rn_nlink++;
			m = m->rn_link;
		} while (m != made);
	}
	detach(n);
	touch(made, T_C);	/* Linux's shmem_rename2 */
	return 0;
}

int
ramfs_symlink(struct rnode *dir, const char *name, const char *target, uint64_t len)
{
	struct rnode *n;
	char *buf;
	int r;

	if (len == 0 || len >= RAMFS_PATH_MAX)
		return len ? -ENAMETOOLONG : -ENOENT;
	buf = kmalloc(len);
	if (buf == 0)
		return -ENOMEM;
	r = ramfs_create(dir, name, S_IFLNK | 0777, &n);
	if (r) {
		kfree(buf);
		return r;
	}
	memcpy(buf, target, len);
	n->rn_data = buf;
	n->rn_size = len;
	n->rn_cap = len;
	return 0;
}

int
ramfs_link(struct rnode *dir, const char *name, struct rnode *target)
{
	struct rnode *made, *m;
	int r;

	if (rn_isdir(dir) && rn_child_find(dir, name, strlen(name)))
		return -EEXIST;	/* before the directory check, as Linux's filename_create */
	if (rn_isdir(target))
		return -EPERM;
	if (target->rn_gone && target->rn_nlink == 0)
		return -ENOENT;	/* no name left: Linux's vfs_link */
	r = ramfs_create(dir, name, target->rn_vnode.v_mode, &made);
	if (r)
		return r;
	made->rn_data = target->rn_data;
	made->rn_size = target->rn_size;
	made->rn_cap = target->rn_cap;
	made->rn_ino = target->rn_ino;
	made->rn_nlink = target->rn_nlink;
	/* Joins the ring; every name counts one more, and the file's ctime moves. */
	made->rn_link = target->rn_link;
	target->rn_link = made;
	m = made;
	do {
		m->rn_nlink++;
		m = m->rn_link;
	} while (m != made);
	touch(target, T_C);
	return 0;
}

int
ramfs_mknod(struct rnode *dir, const char *name, uint32_t mode, uint32_t rdev)
{
	struct rnode *n;
	void *cell = 0;
	int r;

	/* A FIFO's pipe is found through a cell its names share (ramfs_file.c). */
	if (S_ISFIFO(mode) && (cell = kzalloc(sizeof(void *))) == 0)
		return -ENOMEM;
	r = ramfs_create(dir, name, mode, &n);
	if (r) {
		kfree(cell);
		return r;
	}
	n->rn_rdev = rdev;
	if (cell) {
		n->rn_data = cell;
		n->rn_cap = sizeof(void *);
	}
	return 0;
}

void
ramfs_hold(struct rnode *n)
{
	vn_hold(&n->rn_vnode);
}

void
ramfs_release(struct rnode *n)
{
	vn_rele(&n->rn_vnode);
}

/* ---- the vnode operations (vfs.h) ---- */

static int
vop_lookup(struct vnode *vdir, const char *name, size_t len, struct vnode **out)
{
	struct rnode *dir = RNODE(vdir), *n;

	if (!rn_isdir(dir))
		return -ENOTDIR;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		n = dir->rn_parent;
	else if ((n = rn_child_find(dir, name, len)) == 0)
		return -ENOENT;
	vn_hold(&n->rn_vnode);
	*out = &n->rn_vnode;
	return 0;
}

static int
vop_create(struct vnode *dir, const char *name, uint32_t mode, struct vnode **out)
{
	struct rnode *n;
	int r = ramfs_create(RNODE(dir), name, mode, &n);

	if (r)
		return r;
	vn_hold(&n->rn_vnode);
	*out = &n->rn_vnode;
	return 0;
}

static int
vop_mkdir(struct vnode *dir, const char *name, uint32_t mode)
{
	struct rnode *n;

	return ramfs_create(RNODE(dir), name, S_IFDIR | (mode & 07777), &n);
}

static int
vop_unlink(struct vnode *dir, const char *name)
{
	return ramfs_unlink(RNODE(dir), name, 0);
}

static int
vop_rmdir(struct vnode *dir, const char *name)
{
	return ramfs_unlink(RNODE(dir), name, 1);
}

static int
vop_rename(struct vnode *odir, const char *oname, struct vnode *ndir, const char *nname)
{
	return ramfs_rename(RNODE(odir), oname, RNODE(ndir), nname);
}

static int64_t
vop_readlink(struct vnode *vn, char *buf, uint64_t len)
{
	return ramfs_readlink(RNODE(vn), buf, len);
}

static int
vop_link(struct vnode *dir, const char *name, struct vnode *target)
{
	if (target->v_ops != dir->v_ops)
		return -EXDEV;
	return ramfs_link(RNODE(dir), name, RNODE(target));
}

static int
vop_symlink(struct vnode *dir, const char *name, const char *target)
{
	return ramfs_symlink(RNODE(dir), name, target, strlen(target));
}

static int
vop_mknod(struct vnode *dir, const char *name, uint32_t mode, uint32_t rdev)
{
	return ramfs_mknod(RNODE(dir), name, mode, rdev);
}

static int
vop_setattr(struct vnode *vn, const struct vattr *va)
{
	ramfs_setattr(RNODE(vn), va);
	return 0;
}

static int
vop_getattr(struct vnode *vn, struct kstat *st)
{
	struct rnode *n = RNODE(vn);

	memset(st, 0, sizeof(*st));
	st->st_dev = vn->v_mount->m_dev;
	st->st_ino = n->rn_ino;
	st->st_nlink = n->rn_nlink;
	st->st_mode = n->rn_vnode.v_mode;
	st->st_uid = n->rn_uid;
	st->st_gid = n->rn_gid;
	st->st_rdev = n->rn_rdev;
	/* A FIFO's cell is not its contents; a directory is empty, as on tmpfs. */
	st->st_size = S_ISREG(st->st_mode) || S_ISLNK(st->st_mode) ? (int64_t)n->rn_size : 0;
	st->st_blksize = 4096;
	/* tmpfs counts the pages it holds, in 512-byte units. */
	st->st_blocks = S_ISREG(st->st_mode) ? ROUNDUP(st->st_size, 4096) / 512 : 0;
	st->st_atime = n->rn_atime.tv_sec;
	st->st_atime_ns = n->rn_atime.tv_nsec;
	st->st_mtime = n->rn_mtime.tv_sec;
	st->st_mtime_ns = n->rn_mtime.tv_nsec;
	st->st_ctime = n->rn_ctime.tv_sec;
	st->st_ctime_ns = n->rn_ctime.tv_nsec;
	return 0;
}

static int
vop_truncate(struct vnode *vn, uint64_t size)
{
	return ramfs_truncate(RNODE(vn), size);
}

static int
vop_readdir(struct vnode *vdir, uint64_t index, struct dirent_info *d)
{
	struct rnode *c;
	int r = ramfs_dirent(RNODE(vdir), index, &c);

	if (r == 1) {
		d->d_name = c->rn_name;
		d->d_ino = c->rn_ino;
		d->d_mode = c->rn_vnode.v_mode;
	}
	return r;
}

static int64_t
vop_read(struct vnode *vn, uint64_t off, void *buf, uint64_t len)
{
	return ramfs_read(RNODE(vn), off, buf, len);
}

/* Freeing a gone node lets go of its directory, which may be gone too. */
static void
vop_inactive(struct vnode *vn)
{
	struct rnode *n = RNODE(vn), *dir;

	if (!n->rn_gone)
		return;
	dir = n->rn_parent;
	rn_free(n);
	vn_rele(&dir->rn_vnode);
}

static const struct vnode_ops ramfs_vnops = {
	.lookup = vop_lookup,
	.create = vop_create,
	.mkdir = vop_mkdir,
	.unlink = vop_unlink,
	.rmdir = vop_rmdir,
	.rename = vop_rename,
	.link = vop_link,
	.symlink = vop_symlink,
	.mknod = vop_mknod,
	.readlink = vop_readlink,
	.getattr = vop_getattr,
	.setattr = vop_setattr,
	.truncate = vop_truncate,
	.readdir = vop_readdir,
	.open = ramfs_vop_open,		/* ramfs_file.c */
	.read = vop_read,
	.inactive = vop_inactive,
};

struct mount *
ramfs_mount_point(void)
{
	return &ramfs_mount;
}

/* An instance mount(2) made is freed at umount: nothing uses it by then. */
static void
instance_unmount(struct mount *m)
{
	rn_tree_free(RNODE(m->m_root));
	kfree(m);
}

struct mount *
ramfs_mount_new(void)
{
	static uint32_t next_dev = 0x20;	/* anonymous devices 0:32 on, as Linux's */
	struct mount *m = kzalloc(sizeof(*m));
	struct rnode *top = kzalloc(sizeof(*top) + 1);

	if (m == 0 || top == 0) {
		kfree(m);
		kfree(top);
		return 0;
	}
	top->rn_parent = top;
	top->rn_link = top;
	rn_init_vnode(top, S_IFDIR | 01777);	/* tmpfs's root: mode=1777 */
	top->rn_vnode.v_mount = m;
	top->rn_nlink = 2;
	top->rn_ino = next_ino++;
	touch(top, T_A | T_M | T_C);
	m->m_root = &top->rn_vnode;
	m->m_name = "tmpfs";
	m->m_dev = next_dev++;
	m->m_statfs = ramfs_statfs;
	m->m_unmount = instance_unmount;
	return m;
}
