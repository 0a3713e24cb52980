/*
 * fs.h: the file-system system calls (sys_fs.c) and /proc (procfs.c).
 *
 * One tree: the initramfs (ramfs.h), writable as Linux's rootfs is, with
 * /dev holding the console, tty, null and zero devices, and /proc made up
 * on the fly from the kernel's own state (Linux's format for the files
 * ps, free and uptime read).
 */
#ifndef FS_H
#define FS_H

#include <stdint.h>

struct file;

/* struct stat of x86-64 Linux (arch/x86/include/uapi/asm/stat.h). */
struct kstat {
	uint64_t st_dev, st_ino, st_nlink;
	uint32_t st_mode, st_uid, st_gid, st_pad0;
	uint64_t st_rdev;
	int64_t st_size, st_blksize, st_blocks;
	uint64_t st_atime, st_atime_ns, st_mtime, st_mtime_ns, st_ctime, st_ctime_ns;
	int64_t st_reserved[3];
};
_Static_assert(sizeof(struct kstat) == 144, "x86-64 struct stat");

/* Make /dev, /proc and /tmp after the initramfs is unpacked. */
/* vfs.c: "/" from the initramfs, /dev, /proc, /tmp. */
void fs_init(void);

long sys_openat(int dirfd, uint64_t upath, int flags, int mode);
long sys_fstat(int fd, uint64_t ustat);
long sys_stat(uint64_t upath, uint64_t ustat);
long sys_lstat(uint64_t upath, uint64_t ustat);
long sys_newfstatat(int dirfd, uint64_t upath, uint64_t ustat, int flags);
long sys_getdents64(int fd, uint64_t ubuf, uint64_t n);
long sys_getcwd(uint64_t ubuf, uint64_t size);
long sys_chdir(uint64_t upath);
long sys_fchdir(int fd);
long sys_mkdir(uint64_t upath, int mode);
long sys_mkdirat(int dirfd, uint64_t upath, int mode);
long sys_rmdir(uint64_t upath);
long sys_unlink(uint64_t upath);
long sys_unlinkat(int dirfd, uint64_t upath, int flags);
long sys_rename(uint64_t uold, uint64_t unew);
long sys_renameat(int olddirfd, uint64_t uold, int newdirfd, uint64_t unew);
long sys_access(uint64_t upath, int mode);
long sys_faccessat(int dirfd, uint64_t upath, int mode);
long sys_readlink(uint64_t upath, uint64_t ubuf, uint64_t n);
long sys_readlinkat(int dirfd, uint64_t upath, uint64_t ubuf, uint64_t n);
long sys_truncate(uint64_t upath, int64_t len);
long sys_ftruncate(int fd, int64_t len);
long sys_faccessat2(int dirfd, uint64_t upath, int mode, int flags);

/* sys_attr.c: links, nodes, attributes. */
long sys_symlink(uint64_t utarget, uint64_t upath);
long sys_symlinkat(uint64_t utarget, int dirfd, uint64_t upath);
long sys_link(uint64_t uold, uint64_t unew);
long sys_linkat(int olddirfd, uint64_t uold, int newdirfd, uint64_t unew, int flags);
long sys_mknod(uint64_t upath, uint32_t mode, uint32_t dev);
long sys_mknodat(int dirfd, uint64_t upath, uint32_t mode, uint32_t dev);
long sys_creat(uint64_t upath, int mode);
long sys_chmod(uint64_t upath, uint32_t mode);
long sys_fchmod(int fd, uint32_t mode);
long sys_fchmodat(int dirfd, uint64_t upath, uint32_t mode);
long sys_chown(uint64_t upath, uint32_t uid, uint32_t gid);
long sys_lchown(uint64_t upath, uint32_t uid, uint32_t gid);
long sys_fchown(int fd, uint32_t uid, uint32_t gid);
long sys_fchownat(int dirfd, uint64_t upath, uint32_t uid, uint32_t gid, int flags);
long sys_utimensat(int dirfd, uint64_t upath, uint64_t utimes, int flags);
long sys_utimes(uint64_t upath, uint64_t utimes);
long sys_utime(uint64_t upath, uint64_t ubuf);

/* sys_stat.c: statx, statfs, extended attributes. */
long sys_statx(int dirfd, uint64_t upath, int flags, uint32_t mask, uint64_t ubuf);
long sys_statfs(uint64_t upath, uint64_t ubuf);
long sys_fstatfs(int fd, uint64_t ubuf);
long sys_setxattr(uint64_t upath, uint64_t uname, uint64_t uvalue, uint64_t size, int flags);
long sys_lsetxattr(uint64_t upath, uint64_t uname, uint64_t uvalue, uint64_t size, int flags);
long sys_fsetxattr(int fd, uint64_t uname, uint64_t uvalue, uint64_t size, int flags);
long sys_getxattr(uint64_t upath, uint64_t uname, uint64_t uvalue, uint64_t size);
long sys_lgetxattr(uint64_t upath, uint64_t uname, uint64_t uvalue, uint64_t size);
long sys_fgetxattr(int fd, uint64_t uname, uint64_t uvalue, uint64_t size);
long sys_listxattr(uint64_t upath, uint64_t ulist, uint64_t size);
long sys_llistxattr(uint64_t upath, uint64_t ulist, uint64_t size);
long sys_flistxattr(int fd, uint64_t ulist, uint64_t size);
long sys_removexattr(uint64_t upath, uint64_t uname);
long sys_lremovexattr(uint64_t upath, uint64_t uname);
long sys_fremovexattr(int fd, uint64_t uname);

/* sys_mount.c: mount(2), umount2(2), and the table /proc/mounts shows. */
long sys_mount(uint64_t usource, uint64_t utarget, uint64_t utype, uint64_t flags,
    uint64_t udata);
long sys_umount2(uint64_t utarget, int flags);
int vfs_mounts_text(char *buf, int size);

/* procfs.c */
struct mount;
/* procfs.c: /proc's file system, mounted by fs_init. */
struct mount *procfs_mount_point(void);
void procfs_account_idle(uint64_t ns);

#endif
