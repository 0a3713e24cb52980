/*
 * perm.c: who may do what to a node (see vfs.h): Linux's
 * generic_permission, inode_owner_or_capable, may_create, may_delete with
 * the sticky bit, and inode_init_owner, for the calling process's
 * file-system ids.  No ACLs, no capabilities: the file-system uid 0 is
 * what holds CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER and
 * CAP_FSETID on Linux (they leave a root process when its fsuid does).
 *
 * The kernel's own walks, before the first process (fs_init), are root's.
 */
#include <keel/kernel.h>
#include <keel/cred.h>
#include <keel/fs.h>
#include <keel/proc.h>
#include <keel/vfs.h>
#include <uapi/errno.h>
#include <uapi/stat.h>

static struct cred *
fscred(void)
{
	struct proc *p = curproc();

	return p ? &p->p_cred : 0;
}

/* Linux's acl_permission_check then generic_permission's overrides. */
static int
mode_permission(const struct cred *c, const struct kstat *st, int mask)
{
	uint32_t mode = st->st_mode;

	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if (c->c_fsuid == st->st_uid)
		mode >>= 6;
	else if (cred_in_group(c, st->st_gid))
		mode >>= 3;
	if ((mask & ~mode & 7) == 0)
		return 0;
	if (c->c_fsuid != 0)
		return -EACCES;
	/* Root: directories always; files unless executing what no one may execute. */
	if (S_ISDIR(st->st_mode) || !(mask & MAY_EXEC) || (st->st_mode & S_IXUGO))
		return 0;
	return -EACCES;
}

int
vfs_permission(struct vnode *vn, int mask)
{
	if (vn->v_ops->permission)
		return vn->v_ops->permission(vn, mask);
	return vfs_generic_permission(vn, mask);
}

int
vfs_generic_permission(struct vnode *vn, int mask)
{
	struct cred *c = fscred();
	struct kstat st;
	int r;

	/* Root reads and searches any directory: the walk's common case needs no getattr. */
	if (c == 0 || (c->c_fsuid == 0 && (S_ISDIR(vn->v_mode) || !(mask & MAY_EXEC))))
		return 0;
	r = vfs_getattr(vn, &st);
	return r ? r : mode_permission(c, &st, mask);
}

int
vfs_owner_or_capable(struct vnode *vn)
{
	struct cred *c = fscred();
	struct kstat st;
	int r;

	if (c == 0 || c->c_fsuid == 0)
		return 0;
	r = vfs_getattr(vn, &st);
	if (r)
		return r;
	return st.st_uid == c->c_fsuid ? 0 : -EPERM;
}

/* name's node in dir, held, or -errno (-ENOENT: not there). */
static int
child(struct vnode *dir, const char *name, struct vnode **out)
{
	if (dir->v_ops->lookup == 0)
		return -ENOTDIR;
	return dir->v_ops->lookup(dir, name, strlen(name), out);
}

int
vfs_may_create(struct vnode *dir, const char *name)
{
	struct vnode *vn;
	int r = child(dir, name, &vn);

	if (r == 0) {
		vn_rele(vn);
		return -EEXIST;
	}
	if (r != -ENOENT)
		return r == -ENOTDIR ? 0 : r;	/* the operation answers for itself */
	return vfs_permission(dir, MAY_WRITE | MAY_EXEC);
}

int
vfs_may_delete(struct vnode *dir, const char *name, int isdir)
{
	struct cred *c = fscred();
	struct kstat dst, st;
	struct vnode *vn;
	int r = child(dir, name, &vn);

	if (r)
		return r == -ENOTDIR ? 0 : r;	/* ENOENT and the like: as the operation says */
	r = vfs_permission(dir, MAY_WRITE | MAY_EXEC);
	if (r == 0 && c && c->c_fsuid != 0 && (r = vfs_getattr(dir, &dst)) == 0 &&
	    (dst.st_mode & S_ISVTX) && (r = vfs_getattr(vn, &st)) == 0 &&
	    st.st_uid != c->c_fsuid && dst.st_uid != c->c_fsuid)
		r = -EPERM;	/* sticky: only the file's owner or the directory's */
	if (r == 0 && isdir == 1 && !S_ISDIR(vn->v_mode))
		r = -ENOTDIR;
	else if (r == 0 && isdir == 0 && S_ISDIR(vn->v_mode))
		r = -EISDIR;
	vn_rele(vn);
	return r;
}

void
vfs_new_owner(uint32_t dir_mode, uint32_t dir_gid, uint32_t *mode, uint32_t *uid,
    uint32_t *gid)
{
	struct cred *c = fscred();

	*uid = c ? c->c_fsuid : 0;
	*gid = c ? c->c_fsgid : 0;
	if (!(dir_mode & S_ISGID))
		return;
	/* A set-group-ID directory: its group for all, its bit for subdirectories. */
	*gid = dir_gid;
	if (S_ISDIR(*mode))
		*mode |= S_ISGID;
	else if ((*mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) && c &&
	    !cred_in_group(c, dir_gid) && c->c_fsuid != 0)
		*mode &= ~S_ISGID;
}
