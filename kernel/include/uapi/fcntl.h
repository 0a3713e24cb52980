/*
 * fcntl.h: open(2) flags, fcntl(2) commands and the *at(2) directory and
 * flags (Linux's include/uapi/asm-generic/fcntl.h, include/uapi/linux/fcntl.h).
 * Usable from C and assembly.
 */
#ifndef UAPI_FCNTL_H
#define UAPI_FCNTL_H

/* open(2) flags (asm-generic/fcntl.h, octal as there). */
#define O_ACCMODE	3
#define O_RDONLY	0
#define O_WRONLY	1
#define O_RDWR		2
#define O_CREAT		0100
#define O_EXCL		0200
#define O_TRUNC		01000
#define O_APPEND	02000
#define O_NONBLOCK	04000
#define O_DIRECT	040000		/* pipes: packet mode (pipe(7)) */
#define O_DIRECTORY	0200000
#define O_NOFOLLOW	0400000
#define O_CLOEXEC	02000000

/* fcntl(2) commands and descriptor flags (asm-generic/fcntl.h, linux/fcntl.h). */
#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_GETLK		5		/* record locks: struct flock (keel/flock.h) */
#define F_SETLK		6
#define F_SETLKW	7
#define F_OFD_GETLK	36		/* open file description locks */
#define F_OFD_SETLK	37
#define F_OFD_SETLKW	38
#define F_RDLCK		0		/* struct flock's l_type */
#define F_WRLCK		1
#define F_UNLCK		2
#define F_DUPFD_CLOEXEC	1030		/* F_LINUX_SPECIFIC_BASE + 6 */
#define FD_CLOEXEC	1

/* The *at(2) calls (linux/fcntl.h). */
#define AT_FDCWD		(-100)	/* dirfd: the current directory */
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_REMOVEDIR		0x200
#define AT_EACCESS		0x200	/* faccessat2: the effective ids */
#define AT_SYMLINK_FOLLOW	0x400	/* linkat */
#define AT_NO_AUTOMOUNT		0x800
#define AT_EMPTY_PATH		0x1000
#define AT_STATX_SYNC_TYPE	0x6000	/* statx: FORCE_SYNC 0x2000, DONT_SYNC 0x4000 */

/* utimensat(2)'s tv_nsec values (linux/stat.h). */
#define UTIME_NOW		((1L << 30) - 1)
#define UTIME_OMIT		((1L << 30) - 2)

#endif
