/*
 * stat.h: st_mode's file types and mode bits (Linux's
 * include/uapi/linux/stat.h).  Usable from C and assembly.  The guard lets
 * host code include <sys/stat.h> (same values) as well, before this header.
 */
#ifndef UAPI_STAT_H
#define UAPI_STAT_H

#ifndef S_IFMT
#define S_IFMT		0170000
#define S_IFSOCK	0140000
#define S_IFLNK		0120000
#define S_IFREG		0100000
#define S_IFBLK		0060000
#define S_IFDIR		0040000
#define S_IFCHR		0020000
#define S_IFIFO		0010000
#define S_ISUID		0004000
#define S_ISGID		0002000
#define S_ISVTX		0001000
#define S_ISLNK(m)	(((m) & S_IFMT) == S_IFLNK)
#define S_ISCHR(m)	(((m) & S_IFMT) == S_IFCHR)
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISFIFO(m)	(((m) & S_IFMT) == S_IFIFO)
#define S_ISBLK(m)	(((m) & S_IFMT) == S_IFBLK)
#define S_ISSOCK(m)	(((m) & S_IFMT) == S_IFSOCK)
#endif

#endif
