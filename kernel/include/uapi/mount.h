/*
 * mount.h: mount(2) and umount2(2) flags (Linux's include/uapi/linux/mount.h
 * and linux/fs.h).  Usable from C and assembly.
 */
#ifndef UAPI_MOUNT_H
#define UAPI_MOUNT_H

#define MS_RDONLY	0x1
#define MS_NOSUID	0x2
#define MS_NODEV	0x4
#define MS_NOEXEC	0x8
#define MS_REMOUNT	0x20
#define MS_BIND		0x1000
#define MS_MOVE		0x2000
#define MS_REC		0x4000
#define MS_SILENT	0x8000
#define MS_RELATIME	0x200000
#define MS_MGC_VAL	0xc0ed0000UL	/* the old magic in the top half: ignored */
#define MS_MGC_MSK	0xffff0000UL

#define MNT_FORCE	0x1
#define MNT_DETACH	0x2
#define MNT_EXPIRE	0x4
#define UMOUNT_NOFOLLOW	0x8

#endif
