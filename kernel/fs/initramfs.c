/*
 * initramfs.c: the ramfs tree filled from the initramfs archive(s), as
 * Linux's initramfs unpacker reads them (see ramfs.h for the rules): the
 * interface is ramfs_init.  The tree is built aside and becomes the tree
 * only when the whole archive was read.
 */
#include <keel/kernel.h>
#include <keel/kheap.h>
#include <keel/vfs.h>
#include <uapi/errno.h>
#include "ramfs_tree.h"

/* Sets what the names of one file share. */
static void
file_set(struct rnode *n, const struct cpio_entry *e, int setdata)
{
	struct rnode *m = n;

	do {
		m->rn_vnode.v_mode = e->ce_mode & RAMFS_MODE_BITS;
		rn_archive_attrs(m, e);
		if (setdata) {
			m->rn_data = e->ce_data;
			m->rn_size = e->ce_size;
		}
		m = m->rn_link;
	} while (m != n);
}

static struct hlink *
hlink_find(struct build *b, const struct cpio_entry *e)
{
	struct hlink *h;

	for (h = b->b_links; h; h = h->hl_next)
		if (h->hl_archive == e->ce_archive && h->hl_ino == e->ce_ino &&
		    h->hl_devmajor == e->ce_devmajor &&
		    h->hl_devminor == e->ce_devminor && h->hl_mode == e->ce_mode)
			return h;
	return 0;
}

static int
skip(const struct cpio_entry *e, const char *why)
{
	kprintf("initrd: skipping %s: %s\n", e->ce_name, why);
	return 0;
}

/* The next component of [*p, end) in [*s, *t), "." ones left out; 0 at the end. */
static int
next_comp(const char **p, const char *end, const char **s, const char **t)
{
	const char *a = *p, *z;

	for (;;) {
		while (a < end && *a == '/')
			a++;
		if (a == end)
			return 0;
		for (z = a; z < end && *z != '/'; z++)
			;
		if (z - a == 1 && a[0] == '.') {
			a = z;
			continue;
		}
		*s = a;
		*t = z;
		*p = z;
		return 1;
	}
}

/* Puts one archive entry into the tree: 0 (also when skipped) or -ENOMEM. */
static int
build_entry(struct build *b, const struct cpio_entry *e)
{
	const char *p, *end = e->ce_name + e->ce_namelen, *s, *t, *last = 0;
	uint32_t type = e->ce_mode & S_IFMT;
	struct rnode *dir, *n, *old;
	struct hlink *h;
	uint64_t size = e->ce_size;

	if (type != S_IFREG && type != S_IFDIR && type != S_IFLNK)
		return skip(e, "not a file, directory or symlink");
	if (e->ce_namelen >= RAMFS_PATH_MAX)
		return skip(e, "name too long");
	if (type == S_IFLNK) {
		/* Linux takes the target as a string: up to its first NUL. */
		for (size = 0; size < e->ce_size &&
		    ((const char *)e->ce_data)[size] != 0; size++)
			;
		if (size == 0)
			return skip(e, "empty symlink target");
		if (size >= RAMFS_PATH_MAX)
			return skip(e, "symlink target too long");
	}

	/* Check every component before a directory is made for any. */
	for (p = e->ce_name; next_comp(&p, end, &s, &t);) {
		if (t - s > RAMFS_NAME_MAX)
			return skip(e, "name component too long");
		if (t - s == 2 && s[0] == '.' && s[1] == '.')
			return skip(e, "\"..\" in name");
		last = s;
	}
	if (last == 0) {
		/* ".", "/", "./": the root itself. */
		if (type != S_IFDIR)
			return skip(e, "the root must be a directory");
		b->b_root->rn_vnode.v_mode = e->ce_mode & RAMFS_MODE_BITS;
		rn_archive_attrs(b->b_root, e);
		return 0;
	}

	dir = b->b_root;
	for (p = e->ce_name; next_comp(&p, end, &s, &t) && s != last;) {
		n = rn_child_find(dir, s, (uint64_t)(t - s));
		if (n == 0) {
			n = rn_new(b, dir, s, (uint64_t)(t - s), S_IFDIR | 0755);
			if (n == 0)
				return -ENOMEM;
		} else if (S_ISLNK(n->rn_vnode.v_mode)) {
			/* Linux creates through the link, as any lookup would. */
			char comp[RAMFS_NAME_MAX + 1];
			struct vnode *vn;

			memcpy(comp, s, t - s);
			comp[t - s] = 0;
			int r = namei_at(&b->b_root->rn_vnode, &dir->rn_vnode, comp,
			    NAMEI_FOLLOW, &vn);

			if (r == -ENOMEM)
				return r;
			if (r < 0)
				return skip(e, "a symlink in the name leads nowhere");
			n = RNODE(vn);
			vn_rele(vn);
		}
		if (!rn_isdir(n))
			return skip(e, "a component of the name is not a directory");
		dir = n;
	}
	for (t = last; t < end && *t != '/'; t++)
		;

	old = rn_child_find(dir, last, (uint64_t)(t - last));
	if (old && rn_isdir(old) && type == S_IFDIR) {
		old->rn_vnode.v_mode = e->ce_mode & RAMFS_MODE_BITS;
		rn_archive_attrs(old, e);
		return 0;
	}
	if (old && old->rn_nchild > 0)
		return skip(e, "would replace a non-empty directory");
	if (old)
		rn_unlink(b, old);

	h = 0;
	if (type == S_IFREG && e->ce_nlink >= 2)
		h = hlink_find(b, e);
	n = rn_new(b, dir, last, (uint64_t)(t - last),
	    e->ce_mode & RAMFS_MODE_BITS);
	if (n == 0)
		return -ENOMEM;
	if (h) {
		/* cpio writes the contents with one name, often the last. */
		n->rn_ino = h->hl_node->rn_ino;
		n->rn_link = h->hl_node->rn_link;
		h->hl_node->rn_link = n;
		n->rn_data = h->hl_node->rn_data;
		n->rn_size = h->hl_node->rn_size;
		file_set(n, e, e->ce_size > 0);
		return 0;
	}
	rn_archive_attrs(n, e);
	n->rn_data = e->ce_data;
	n->rn_size = size;
	if (type == S_IFREG && e->ce_nlink >= 2) {
		h = kmalloc(sizeof(*h));
		if (h == 0)
			return -ENOMEM;
		h->hl_archive = e->ce_archive;
		h->hl_ino = e->ce_ino;
		h->hl_devmajor = e->ce_devmajor;
		h->hl_devminor = e->ce_devminor;
		h->hl_mode = e->ce_mode;
		h->hl_node = n;
		h->hl_next = b->b_links;
		b->b_links = h;
	}
	return 0;
}

/*
 * Sets link counts and prints what the tree holds: names of files, and the
 * bytes of their contents, hard-linked ones counted once.
 */
static void
build_finish(struct rnode *top)
{
	uint64_t files = 0, dirs = 0, links = 0, bytes = 0;
	struct rnode *n, *m;
	uint32_t i, k;

	for (n = top; n; n = rn_tree_next(n)) {
		if (rn_isdir(n)) {
			dirs++;
			n->rn_nlink = 2;
			for (i = 0; i < n->rn_nchild; i++)
				if (rn_isdir(n->rn_child[i]))
					n->rn_nlink++;
			continue;
		}
		if (S_ISREG(n->rn_vnode.v_mode))
			files++;
		else
			links++;
		/* Each ring is counted once, at its first name met. */
		if (n->rn_nlink != 0)
			continue;
		if (S_ISREG(n->rn_vnode.v_mode))
			bytes += n->rn_size;
		k = 0;
		m = n;
		do {
			k++;
			m = m->rn_link;
		} while (m != n);
		do {
			m->rn_nlink = k;
			m = m->rn_link;
		} while (m != n);
	}
	kprintf("initrd: %lu files, %lu directories, %lu symlinks, %lu bytes\n",
	    files, dirs, links, bytes);
}

int
ramfs_init(const void *buf, uint64_t len)
{
	struct build b;
	struct cpio_iter it;
	struct cpio_entry e;
	struct hlink *h;
	int r;

	b.b_links = 0;
	b.b_nextino = 1;
	b.b_root = kzalloc(sizeof(*b.b_root) + 1);
	if (b.b_root == 0) {
		kprintf("initrd: out of memory\n");
		return -ENOMEM;
	}
	b.b_root->rn_parent = b.b_root;
	b.b_root->rn_link = b.b_root;
	rn_init_vnode(b.b_root, S_IFDIR | 0755);
	b.b_root->rn_ino = b.b_nextino++;

	cpio_iter_init(&it, buf, len);
	while ((r = cpio_next(&it, &e)) == 1)
		if ((r = build_entry(&b, &e)) < 0)
			break;
	while ((h = b.b_links) != 0) {
		b.b_links = h->hl_next;
		kfree(h);
	}
	if (r < 0) {
		if (r == -ENOMEM)
			kprintf("initrd: out of memory\n");
		else
			kprintf("initrd: malformed cpio archive after byte %lu\n",
			    it.ci_off);
		rn_tree_free(b.b_root);
		return r;
	}
	build_finish(b.b_root);
	ramfs_set_tree(b.b_root, b.b_nextino);
	return 0;
}

