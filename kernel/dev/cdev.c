/*
 * cdev.c: the character-device switch, by major number (see devfs.h), as
 * xv6's devsw and the BSDs' cdevsw: a device is found by its number,
 * never by the name of a node.
 */
#include <keel/kernel.h>
#include <keel/devfs.h>
#include <keel/file.h>
#include <uapi/errno.h>

const struct cdevsw cdevsw[NCDEV] = {
	[MEM_MAJOR] = { "mem", mem_open },
	[TTYAUX_MAJOR] = { "tty", tty_open },
};

int
cdev_open(uint32_t rdev, struct file *f)
{
	uint32_t major = DEV_MAJOR(rdev);

	if (major >= NCDEV || cdevsw[major].d_open == 0)
		return -ENXIO;
	return cdevsw[major].d_open(f, DEV_MINOR(rdev));
}
