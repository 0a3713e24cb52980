/*
 * fs.h: lseek(2) whences (Linux's include/uapi/linux/fs.h) and the d_type
 * values of getdents64(2) records (include/linux/fs_types.h, glibc's
 * <dirent.h>).  Usable from C and assembly.
 */
#ifndef UAPI_FS_H
#define UAPI_FS_H

#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2

#define DT_CHR		2
#define DT_DIR		4
#define DT_REG		8
#define DT_LNK		10

#endif
