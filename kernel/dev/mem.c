/*
 * mem.c: the memory devices of major 1 (devfs.h): /dev/null (minor 3),
 * which reads as end of file and swallows writes, /dev/zero (minor 5),
 * which reads as zeros, and /dev/random and /dev/urandom (minors 8 and
 * 9), which read the kernel's ChaCha20 generator (lib/random.c) and, as
 * Linux 5.6 on, never block once it is seeded (it is, from the boot).
 * Writes to them are taken and counted, as Linux's (which mixes them in
 * without crediting entropy; keel's generator keeps its own key).
 * All seek to 0, as on Linux.
 */
#include <keel/kernel.h>
#include <keel/devfs.h>
#include <keel/file.h>
#include <keel/random.h>
#include <keel/usercopy.h>
#include <uapi/errno.h>

#define CHUNK		256
#define MEM_NULL	3
#define MEM_ZERO	5
#define MEM_RANDOM	8
#define MEM_URANDOM	9

static long
null_read(struct file *f, uint64_t ubuf, uint64_t n)
{
	return 0;
}

static long
zero_read(struct file *f, uint64_t ubuf, uint64_t n)
{
	static const char zeros[CHUNK];
	uint64_t done = 0;

	while (done < n) {
		uint64_t k = MIN(n - done, CHUNK);
		long r = copyout_partial(ubuf + done, zeros, k);

		/* Linux's read_iter_zero: the bytes before a hole are read. */
		if (r < 0)
			return done ? (long)done : r;
		done += r;
		if ((uint64_t)r < k)
			break;
	}
	return done;
}

static long
random_read(struct file *f, uint64_t ubuf, uint64_t n)
{
	char buf[CHUNK];
	uint64_t done = 0;

	while (done < n) {
		uint64_t k = MIN(n - done, CHUNK);
		long r;

		random_bytes(buf, k);
		r = copyout_partial(ubuf + done, buf, k);
		if (r < 0)
			return done ? (long)done : r;
		done += r;
		if ((uint64_t)r < k)
			break;
	}
	memset(buf, 0, sizeof(buf));
	return done;
}

static long
mem_write(struct file *f, uint64_t ubuf, uint64_t n)
{
	return n;
}

static int64_t
mem_lseek(struct file *f, int64_t off, int whence)
{
	f->f_off = 0;
	return 0;	/* Linux's null_lseek */
}

static const struct file_ops null_ops = {
	.read = null_read,
	.write = mem_write,
	.lseek = mem_lseek,
};

static const struct file_ops zero_ops = {
	.read = zero_read,
	.write = mem_write,
	.lseek = mem_lseek,
	.f_mmap_anon = 1,
};

static const struct file_ops random_ops = {
	.read = random_read,
	.write = mem_write,
	.lseek = mem_lseek,
};

int
mem_open(struct file *f, int minor)
{
	switch (minor) {
	case MEM_NULL:
		f->f_ops = &null_ops;
		return 0;
	case MEM_ZERO:
		f->f_ops = &zero_ops;
		return 0;
	case MEM_RANDOM:
	case MEM_URANDOM:
		f->f_ops = &random_ops;
		return 0;
	default:
		return -ENXIO;
	}
}
