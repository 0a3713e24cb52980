/*
 * namei.c: path resolution over vnodes, across mount points (see vfs.h
 * for the rules, which are Linux's).
 *
 * Interface: namei_at, namei_parent_at (from any root: vfs.c's namei and
 * namei_parent start at the VFS root, the host tests at their own),
 * vn_mounted_top.
 *
 * A walk holds exactly one node, the directory it is in; stepping to the
 * next holds it before letting go of the last.  A symlink's target is
 * spliced in front of what is left of the path, in a buffer of its own,
 * so a target may be as long as any path.  Only a symlink that ends the
 * caller's own path escapes being followed (without NAMEI_FOLLOW): once
 * a target supplies the last component, every symlink is followed.
 */
#include <keel/kernel.h>
#include <keel/kheap.h>
#include <keel/vfs.h>
#include <uapi/errno.h>
#include <keel/cpio.h>	/* S_IF* */

struct vnode *
vn_mounted_top(struct vnode *vn)
{
	while (vn->v_mounted)
		vn = vn->v_mounted->m_root;
	return vn;
}

/* Replace the held *cur with next (held by the caller's reference). */
static uint64_t
bounded_len(const char *s, uint64_t max)
{
	uint64_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

static void
step(struct vnode **cur, struct vnode *next)
{
	vn_rele(*cur);
	*cur = next;
}

static int
lookup(struct vnode *dir, const char *name, size_t len, struct vnode **out)
{
	struct vnode *top;
	int r;

	if (dir->v_ops->lookup == 0)
		return -ENOTDIR;
	r = dir->v_ops->lookup(dir, name, len, out);
	if (r)
		return r;
	top = vn_mounted_top(*out);
	if (top != *out) {
		vn_hold(top);
		vn_rele(*out);
		*out = top;
	}
	return 0;
}

/* ".." of dir: the same node at the root, across a mount point below one. */
static int
dotdot(struct vnode *root, struct vnode **cur)
{
	struct vnode *up;
	int r;

	for (;;) {
		if (*cur == root)
			return 0;
		if (*cur != (*cur)->v_mount->m_root || (*cur)->v_mount->m_covered == 0)
			break;
		/* The root of a mounted file system: ".." of what it covers. */
		up = (*cur)->v_mount->m_covered;
		vn_hold(up);
		step(cur, up);
	}
	r = (*cur)->v_ops->lookup(*cur, "..", 2, &up);
	if (r)
		return r;
	step(cur, up);
	return 0;
}

int
namei_at(struct vnode *root, struct vnode *start, const char *path, int flags,
    struct vnode **out)
{
	char *buf[2] = { 0, 0 };
	const char *p = path, *end, *q;
	struct vnode *cur, *n;
	int nlinks = 0, mustdir = 0, follow = flags & NAMEI_FOLLOW, which = 0, r = 0;
	uint64_t len;

	len = bounded_len(path, VFS_PATH_MAX);
	if (len == VFS_PATH_MAX)
		return -ENAMETOOLONG;
	if (len == 0 || root == 0)
		return -ENOENT;
	end = path + len;
	cur = (start == 0 || *p == '/') ? root : start;
	vn_hold(cur);
	for (;;) {
		while (p < end && *p == '/')
			p++;
		if (p == end)
			break;
		if (!S_ISDIR(cur->v_mode)) {
			r = -ENOTDIR;
			break;
		}
		for (q = p; q < end && *q != '/'; q++)
			;
		if (q - p > VFS_NAME_MAX) {
			r = -ENAMETOOLONG;
			break;
		}
		mustdir = q < end;
		if (q - p == 1 && p[0] == '.') {
			p = q;
			continue;
		}
		if (q - p == 2 && p[0] == '.' && p[1] == '.') {
			r = dotdot(root, &cur);
			if (r)
				break;
			p = q;
			continue;
		}
		r = lookup(cur, p, (size_t)(q - p), &n);
		if (r)
			break;
		p = q;
		if (S_ISLNK(n->v_mode) && (follow || p < end)) {
			/* The target, then what is left of the path after this name. */
			char *nb;
			int64_t tl;
			uint64_t rest = end - p;

			if (++nlinks > VFS_MAXSYMLINKS) {
				vn_rele(n);
				r = -ELOOP;
				break;
			}
			if (n->v_ops->follow_link) {
				/* A magic link: on from the node it stands for. */
				struct vnode *t;

				r = n->v_ops->follow_link(n, &t);
				vn_rele(n);
				if (r)
					break;
				step(&cur, t);
				continue;
			}
			which ^= 1;
			if (buf[which] == 0 && (buf[which] = kmalloc(VFS_PATH_MAX)) == 0) {
				vn_rele(n);
				r = -ENOMEM;
				break;
			}
			nb = buf[which];
			tl = n->v_ops->readlink ? n->v_ops->readlink(n, nb, VFS_PATH_MAX) : -EINVAL;
			vn_rele(n);
			if (tl < 0) {
				r = (int)tl;
				break;
			}
			tl = bounded_len(nb, tl);	/* a target ends at its first NUL */
			if (tl == 0) {
				r = -ENOENT;
				break;
			}
			if ((uint64_t)tl + rest >= VFS_PATH_MAX) {
				r = -ENAMETOOLONG;
				break;
			}
			memmove(nb + tl, p, rest);
			if (rest == 0)
				follow = 1;	/* the target's own last name is followed */
			p = nb;
			end = nb + tl + rest;
			if (*p == '/') {
				vn_hold(root);
				step(&cur, root);
			}
			continue;
		}
		step(&cur, n);
	}
	kfree(buf[0]);
	kfree(buf[1]);
	if (r == 0 && mustdir && !S_ISDIR(cur->v_mode))
		r = -ENOTDIR;
	if (r) {
		vn_rele(cur);
		return r;
	}
	*out = cur;
	return 0;
}

int
namei_parent_at(struct vnode *root, struct vnode *start, const char *path,
    struct vnode **dir, char name[VFS_NAME_MAX + 1])
{
	const char *end = path + bounded_len(path, VFS_PATH_MAX), *last;
	char *dpath;
	uint64_t n;
	int r;

	if (end == path + VFS_PATH_MAX)
		return -ENAMETOOLONG;
	while (end > path && end[-1] == '/')
		end--;
	if (end == path)
		return *path ? -EEXIST : -ENOENT;	/* "/" exists; "" does not */
	for (last = end; last > path && last[-1] != '/'; last--)
		;
	n = end - last;
	if (n > VFS_NAME_MAX)
		return -ENAMETOOLONG;
	if ((n == 1 && last[0] == '.') || (n == 2 && last[0] == '.' && last[1] == '.'))
		return -EEXIST;
	memcpy(name, last, n);
	name[n] = 0;
	if (last == path) {
		if (root == 0)
			return -ENOENT;
		*dir = start ? start : root;
		vn_hold(*dir);
		return 0;
	}
	dpath = kmalloc(last - path + 1);
	if (dpath == 0)
		return -ENOMEM;
	memcpy(dpath, path, last - path);
	dpath[last - path] = 0;
	r = namei_at(root, start, dpath, NAMEI_FOLLOW, dir);
	kfree(dpath);
	if (r == 0 && !S_ISDIR((*dir)->v_mode)) {
		vn_rele(*dir);
		r = -ENOTDIR;
	}
	return r;
}
