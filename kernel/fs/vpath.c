/*
 * vpath.c: the names of nodes, for getcwd and /proc's links.  The kernel
 * keeps no name cache: a directory's name is found among its parent's
 * entries by inode number, and a file's by searching the tree.
 *
 * Interface (vfs.h): vfs_dir_path, vfs_locate, vfs_node_path.
 */
#include <keel/kernel.h>
#include <keel/cpio.h>	/* S_IF* */
#include <keel/fs.h>
#include <keel/kheap.h>
#include <keel/vfs.h>
#include <uapi/errno.h>

/*
 * The name of dir in its parent, into the end of buf before *pos.  *up
 * becomes the parent (held).  -ENOENT when dir has no name any more.
 */
static int64_t
name_in_parent(struct vnode *dir, struct vnode **up, char *buf, uint64_t *pos)
{
	struct vnode *cur = dir, *par;
	struct dirent_info di;
	struct kstat st;
	uint64_t i, len;
	int64_t r;

	/* The root of a mounted file system is named in what it covers. */
	while (cur == cur->v_mount->m_root && cur->v_mount->m_covered)
		cur = cur->v_mount->m_covered;
	r = vfs_getattr(cur, &st);
	if (r)
		return r;
	r = cur->v_ops->lookup(cur, "..", 2, &par);
	if (r)
		return r;
	for (i = 0; par->v_ops->readdir && par->v_ops->readdir(par, i, &di) == 1; i++) {
		if (di.d_ino != st.st_ino || !S_ISDIR(di.d_mode))
			continue;
		len = strlen(di.d_name);
		if (*pos < len + 1) {
			vn_rele(par);
			return -ENAMETOOLONG;
		}
		*pos -= len;
		memcpy(buf + *pos, di.d_name, len);
		buf[--*pos] = '/';
		*up = par;
		return 0;
	}
	vn_rele(par);
	return -ENOENT;
}

int64_t
vfs_dir_path(struct vnode *dir, char *buf, uint64_t size)
{
	struct vnode *root = vfs_root(), *n = dir ? dir : root, *up;
	uint64_t pos = size - 1, len;
	int64_t r = 0;

	if (size < 2)
		return -ENAMETOOLONG;
	vn_hold(n);
	buf[pos] = 0;
	while (n != root && r == 0) {
		r = name_in_parent(n, &up, buf, &pos);
		if (r == 0) {
			vn_rele(n);
			n = up;
		}
	}
	vn_rele(n);
	if (r)
		return r;
	if (pos == size - 1)
		buf[--pos] = '/';
	len = size - 1 - pos;
	memmove(buf, buf + pos, len + 1);
	return len;
}

int
vfs_locate(struct vnode *start, const char *path, struct vnode **dir,
    char name[VFS_NAME_MAX + 1])
{
	char *buf = 0;
	struct vnode *n, *prev = 0;
	int64_t tl;
	int r, nlinks = 0;

	for (;;) {
		r = namei_parent(start, path, dir, name);
		if (prev)
			vn_rele(prev);
		prev = 0;
		if (r)
			break;
		if ((*dir)->v_ops->lookup == 0) {
			r = -ENOTDIR;
		} else if ((r = (*dir)->v_ops->lookup(*dir, name, strlen(name), &n)) == 0) {
			if (!S_ISLNK(n->v_mode)) {
				vn_rele(n);
				break;
			}
			/* A symlink: its target, from the directory it is in. */
			if (++nlinks > VFS_MAXSYMLINKS)
				r = -ELOOP;
			else if (buf == 0 && (buf = kmalloc(VFS_PATH_MAX)) == 0)
				r = -ENOMEM;
			else if ((tl = n->v_ops->readlink ?
			    n->v_ops->readlink(n, buf, VFS_PATH_MAX - 1) : -EINVAL) < 0)
				r = (int)tl;
			else
				buf[tl] = 0;
			vn_rele(n);
		}
		if (r) {
			vn_rele(*dir);
			break;
		}
		prev = start = *dir;
		path = buf;
	}
	kfree(buf);
	return r;
}

/* Depth-first search from a directory for the node with st's dev and ino. */
#define SEARCH_DEPTH	24

int64_t
vfs_node_path(struct vnode *vn, char *buf, uint64_t size)
{
	struct vnode *stack[SEARCH_DEPTH];
	uint64_t index[SEARCH_DEPTH], plen[SEARCH_DEPTH];
	struct dirent_info di;
	struct kstat want, st;
	struct vnode *n, *top;
	int depth = 0;
	int64_t r = -ENOENT;

	if (S_ISDIR(vn->v_mode))
		return vfs_dir_path(vn, buf, size);
	if (vfs_getattr(vn, &want) || size < 2)
		return -ENOENT;
	stack[0] = vfs_root();
	vn_hold(stack[0]);
	index[0] = 0;
	plen[0] = 0;
	while (depth >= 0) {
		struct vnode *d = stack[depth];
		uint64_t len, at = plen[depth];

		if (d->v_ops->readdir == 0 || d->v_ops->readdir(d, index[depth]++, &di) != 1) {
			vn_rele(d);
			depth--;
			continue;
		}
		len = strlen(di.d_name);
		if (at + 1 + len + 1 > size)
			continue;
		if (!S_ISDIR(di.d_mode) && di.d_ino != want.st_ino)
			continue;	/* the common case, without a lookup */
		if (d->v_ops->lookup(d, di.d_name, len, &n))
			continue;
		top = vn_mounted_top(n);
		vn_hold(top);
		vn_rele(n);
		n = top;
		buf[at] = '/';
		memcpy(buf + at + 1, di.d_name, len + 1);
		if (!S_ISDIR(n->v_mode)) {
			if (vfs_getattr(n, &st) == 0 && st.st_dev == want.st_dev &&
			    st.st_ino == want.st_ino) {
				vn_rele(n);
				r = at + 1 + len;
				break;
			}
			vn_rele(n);
		} else if (depth + 1 < SEARCH_DEPTH) {
			depth++;
			stack[depth] = n;
			index[depth] = 0;
			plen[depth] = at + 1 + len;
		} else {
			vn_rele(n);
		}
	}
	while (depth >= 0)
		vn_rele(stack[depth--]);
	return r;
}
