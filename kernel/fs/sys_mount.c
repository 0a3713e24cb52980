/*
 * sys_mount.c: mount(2) and umount2(2) of the pseudo file systems, and
 * the mount table as /proc/mounts shows it.
 *
 * Interface: sys_mount, sys_umount2, vfs_mounts_text (fs.h).
 *
 * A tmpfs (or ramfs) mount is a new, empty ramfs instance, freed at
 * umount; proc and devtmpfs are the kernel's one instance each, mounted
 * in one place at a time (a second mount is -EBUSY, where Linux would
 * show the same tree twice).  Only new mounts are made: remount, bind,
 * move and propagation changes are -EINVAL, and so is MS_RDONLY, which
 * nothing here could enforce.  nosuid, nodev and noexec are kept and
 * shown; nodev is enforced by the ramfs (there are no set-user-ID
 * programs yet, and exec does not look at noexec yet).
 */
#include <keel/kernel.h>
#include <keel/devfs.h>
#include <keel/fs.h>
#include <keel/kheap.h>
#include <keel/proc.h>
#include <keel/ramfs.h>
#include <keel/usercopy.h>
#include <keel/vfs.h>
#include <lib/fmt.h>
#include <uapi/errno.h>
#include <uapi/stat.h>
#include <uapi/mount.h>
#include "syspath.h"

#define MOUNT_KEPT	(MS_NOSUID | MS_NODEV | MS_NOEXEC)
#define MOUNT_OK	(MOUNT_KEPT | MS_SILENT | MS_RELATIME)
#define OPT_MAX		256	/* the options kept of mount(2)'s data page */

/* A mount(2) string (source, type): -EFAULT, or its length (cut at max - 1). */
static long
mount_string(uint64_t u, char *buf, uint64_t max)
{
	long r = copyin_str(buf, u, max, -ENAMETOOLONG);

	if (r == -ENAMETOOLONG) {
		buf[max - 1] = 0;
		r = max - 1;
	}
	return r;
}

/* A number in base 8 or 10 (no sign): the digits end at *end. */
static uint64_t
number(const char *s, int base, const char **end)
{
	uint64_t v = 0;

	for (; *s >= '0' && *s < '0' + base && v < (1ULL << 40); s++)
		v = v * base + (uint64_t)(*s - '0');
	*end = s;
	return v;
}

/* tmpfs's options: mode=, uid=, gid= (octal, decimal); anything else -EINVAL. */
static long
tmpfs_options(char *opt, struct mount *m)
{
	struct rnode *top = RNODE(m->m_root);
	char *o, *next;
	const char *end;
	uint64_t v;

	for (o = opt; *o; o = next) {
		for (next = o; *next && *next != ','; next++)
			;
		if (*next)
			*next++ = 0;
		if (strncmp(o, "mode=", 5) == 0) {
			v = number(o + 5, 8, &end);
			if (*end || end == o + 5 || v > 07777)
				return -EINVAL;
			top->rn_vnode.v_mode = S_IFDIR | v;
		} else if (strncmp(o, "uid=", 4) == 0 || strncmp(o, "gid=", 4) == 0) {
			v = number(o + 4, 10, &end);
			if (*end || end == o + 4 || v > UINT32_MAX - 1)
				return -EINVAL;
			if (o[0] == 'u')
				top->rn_uid = v;
			else
				top->rn_gid = v;
		} else if (*o) {
			return -EINVAL;
		}
	}
	return 0;
}

long
sys_mount(uint64_t usource, uint64_t utarget, uint64_t utype, uint64_t flags, uint64_t udata)
{
	char source[sizeof(((struct mount *)0)->m_source)], type[32], opt[OPT_MAX] = "";
	struct mount *m = 0;
	struct vnode *dir;
	char *path;
	long r;

	/* Linux's copy_mount_string and copy_mount_options, before the path. */
	source[0] = 0;
	if (utype && (r = mount_string(utype, type, sizeof(type))) < 0)
		return r;
	if (usource && (r = mount_string(usource, source, sizeof(source))) < 0)
		return r;
	/* Linux reads a page of options; what is longer than ours is cut (and refused below). */
	if (udata && (r = mount_string(udata, opt, sizeof(opt))) < 0)
		return r;
	r = get_path(utarget, &path);
	if (r)
		return r;
	r = namei(curproc()->p_cwd, path, NAMEI_FOLLOW, &dir);
	kfree(path);
	if (r)
		return r;
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	if (flags & ~(uint64_t)MOUNT_OK)
		r = -EINVAL;
	else if (utype == 0)
		r = -EINVAL;
	else if (strcmp(type, "tmpfs") == 0 || strcmp(type, "ramfs") == 0) {
		if ((m = ramfs_mount_new()) == 0)
			r = -ENOMEM;
		else if ((r = tmpfs_options(opt, m)) != 0)
			m->m_unmount(m);
		else if (type[0] == 'r')
			m->m_name = "ramfs";
	} else if (strcmp(type, "proc") == 0 || strcmp(type, "devtmpfs") == 0) {
		m = type[0] == 'p' ? procfs_mount_point() : devfs_mount_point();
		if (opt[0])
			r = -EINVAL;
		else if (m->m_covered)
			r = -EBUSY;	/* one instance, in one place */
	} else {
		r = -ENODEV;
	}
	if (r == 0 && !S_ISDIR(dir->v_mode)) {
		r = -ENOTDIR;
		if (m->m_unmount)
			m->m_unmount(m);
	}
	if (r) {
		vn_rele(dir);
		return r;
	}
	memcpy(m->m_source, source[0] ? source : "none", sizeof(m->m_source));
	m->m_flags = flags & MOUNT_KEPT;
	vfs_mount_on(dir, m);	/* keeps the reference on dir */
	return 0;
}

long
sys_umount2(uint64_t utarget, int flags)
{
	struct vnode *vn;
	struct mount *m;
	char *path;
	long r;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH)))
		return -EINVAL;
	r = get_path(utarget, &path);
	if (r)
		return r;
	r = namei(curproc()->p_cwd, path, (flags & UMOUNT_NOFOLLOW) ? 0 : NAMEI_FOLLOW, &vn);
	kfree(path);
	if (r)
		return r;
	m = vn->v_mount;
	vn_rele(vn);
	/* Linux's can_umount: only the root of a mount. */
	if (vn != m->m_root)
		return -EINVAL;
	/* No lazy unmount: MNT_DETACH of a busy mount is -EBUSY too. */
	return vfs_unmount(m);
}

/* "source mountpoint type options 0 0" per mount, Linux's /proc/mounts. */
int
vfs_mounts_text(char *buf, int size)
{
	char *path = kmalloc(VFS_PATH_MAX);
	const char *mp;
	struct mount *m;
	struct rnode *top;
	uint32_t mode;
	int len = 0;

	if (path == 0)
		return -ENOMEM;
	for (m = vfs_mounts(); m && len < size; m = m->m_next) {
		mp = "/";
		if (m->m_covered) {
			if (vfs_dir_path(m->m_covered, path, VFS_PATH_MAX) < 0)
				continue;	/* covers a removed directory */
			mp = path;
		}
		len += fmt_snprintf(buf + len, size - len, "%s %s %s rw%s%s%s%s", m->m_source, mp,
		    m->m_name, (m->m_flags & MS_NOSUID) ? ",nosuid" : "",
		    (m->m_flags & MS_NODEV) ? ",nodev" : "",
		    (m->m_flags & MS_NOEXEC) ? ",noexec" : "",
		    m->m_covered ? ",relatime" : "");
		/* tmpfs shows what differs from its defaults. */
		if (m->m_unmount && len < size) {
			top = RNODE(m->m_root);
			mode = top->rn_vnode.v_mode & 07777;
			/* shmem_show_options' %03o */
			if (mode != 01777 && mode > 0777)
				len += fmt_snprintf(buf + len, size - len, ",mode=%u%u%u%u",
				    mode >> 9, (mode >> 6) & 7, (mode >> 3) & 7, mode & 7);
			else if (mode != 01777)
				len += fmt_snprintf(buf + len, size - len, ",mode=%u%u%u",
				    mode >> 6, (mode >> 3) & 7, mode & 7);
			if (top->rn_uid && len < size)
				len += fmt_snprintf(buf + len, size - len, ",uid=%u", top->rn_uid);
			if (top->rn_gid && len < size)
				len += fmt_snprintf(buf + len, size - len, ",gid=%u", top->rn_gid);
		}
		/* tmpfs's 64-bit inode numbers, which ramfs's are too. */
		if (m->m_statfs == ramfs_statfs && strcmp(m->m_name, "ramfs") != 0 && len < size)
			len += fmt_snprintf(buf + len, size - len, ",inode64");
		if (len < size)
			len += fmt_snprintf(buf + len, size - len, " 0 0\n");
	}
	kfree(path);
	return MIN(len, size);
}
