/*
 * devfs.h: character devices, found by their device number, and the
 * file system at /dev that names them.
 *
 * Interface:
 *   cdevsw[major]              a driver: d_open(f, minor) sets f->f_ops
 *                              (dev/cdev.c: the table)
 *   cdev_open(rdev, f)         open the device rdev on f: -ENXIO if none
 *   devfs_mount_point()        /dev's file system (fs/devfs.c): a node
 *                              for each device of its table, by number
 *
 * Device numbers are Linux's (Documentation/admin-guide/devices.txt),
 * encoded as the kernel's 32-bit dev (new_encode_dev, what mknod takes
 * and st_rdev gives): minor's low 8 bits, major's 12 above them, minor's
 * other 12 bits on top.
 */
#ifndef KEEL_DEVFS_H
#define KEEL_DEVFS_H

#include <stdint.h>

struct file;
struct mount;

#define MKDEV(major, minor)	((uint32_t)(major) << 8 | ((minor) & 0xff) | \
				 ((uint32_t)(minor) & ~0xffu) << 12)
#define DEV_MAJOR(rdev)		(((rdev) & 0xfff00) >> 8)
#define DEV_MINOR(rdev)		(((rdev) & 0xff) | (((rdev) >> 12) & 0xfff00))

#define MEM_MAJOR	1	/* null 3, zero 5 */
#define TTYAUX_MAJOR	5	/* tty 0, console 1 */
#define NCDEV		6

struct cdevsw {
	const char *d_name;
	int (*d_open)(struct file *f, int minor);
};

extern const struct cdevsw cdevsw[NCDEV];

int cdev_open(uint32_t rdev, struct file *f);
struct mount *devfs_mount_point(void);

/* The drivers' open functions (dev/mem.c, dev/tty.c). */
int mem_open(struct file *f, int minor);
int tty_open(struct file *f, int minor);

#endif /* KEEL_DEVFS_H */
