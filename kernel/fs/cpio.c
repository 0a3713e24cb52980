/*
 * cpio.c: the newc archive reader (see cpio.h).
 *
 * The buffer is untrusted (a boot loader hands it over as is), so every
 * offset is compared with what is left in the buffer, in a form that cannot
 * wrap: "n <= len - off" with off <= len already known, never "off + n <= len".
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/cpio.h>

/* Header fields after the 6-byte magic, each 8 hex digits, in file order. */
enum {
	F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
	F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK,
	F_NFIELDS
};

_Static_assert(6 + 8 * F_NFIELDS == CPIO_HDR_SIZE, "newc header size");

void
cpio_iter_init(struct cpio_iter *it, const void *buf, uint64_t len)
{
	it->ci_buf = buf;
	it->ci_len = len;
	it->ci_off = 0;
	it->ci_archive = 0;
	it->ci_err = 0;
}

/* 8 ASCII hex digits at p into *v; -1 if any is not a hex digit. */
static int
hex8(const uint8_t *p, uint32_t *v)
{
	uint32_t x = 0;
	int i, d;

	for (i = 0; i < 8; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			d = p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			d = p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			d = p[i] - 'A' + 10;
		else
			return -1;
		x = x << 4 | (uint32_t)d;
	}
	*v = x;
	return 0;
}

static int
bad(struct cpio_iter *it)
{
	it->ci_err = -EINVAL;
	return it->ci_err;
}

int
cpio_next(struct cpio_iter *it, struct cpio_entry *e)
{
	const uint8_t *buf = it->ci_buf;
	uint64_t len = it->ci_len, off, name, data, next;
	uint32_t f[F_NFIELDS];
	int i;

	if (it->ci_err)
		return it->ci_err;
	for (;;) {
		/* Linux skips NULs wherever a header may start. */
		off = it->ci_off;
		while (off < len && buf[off] == 0)
			off++;
		if (off >= len) {
			it->ci_off = len;
			return 0;
		}
		if (off % 4 != 0)
			return bad(it);
		if (len - off < CPIO_HDR_SIZE)
			return bad(it);
		if (memcmp(buf + off, "07070", 5) != 0 ||
		    (buf[off + 5] != '1' && buf[off + 5] != '2'))
			return bad(it);
		for (i = 0; i < F_NFIELDS; i++)
			if (hex8(buf + off + 6 + 8 * i, &f[i]) < 0)
				return bad(it);

		/* The name, NUL included, must be inside the buffer. */
		name = off + CPIO_HDR_SIZE;
		if (f[F_NAMESIZE] == 0 || f[F_NAMESIZE] > len - name)
			return bad(it);
		if (buf[name + f[F_NAMESIZE] - 1] != 0)
			return bad(it);

		/*
		 * name + namesize <= len, so the sums below stay far from
		 * wrapping: each adds at most 3 + 2^32 to a value <= len, and
		 * a buffer of len bytes exists in a 64-bit address space.
		 */
		data = ROUNDUP(name + f[F_NAMESIZE], 4);
		if (f[F_FILESIZE] > 0 &&
		    (data > len || f[F_FILESIZE] > len - data))
			return bad(it);
		next = ROUNDUP(data + f[F_FILESIZE], 4);
		it->ci_off = next;

		if (strcmp((const char *)buf + name, CPIO_TRAILER) == 0) {
			it->ci_archive++;
			continue;
		}

		e->ce_name = (const char *)buf + name;
		e->ce_namelen = strlen(e->ce_name);
		e->ce_data = buf + MIN(data, len);
		e->ce_size = f[F_FILESIZE];
		e->ce_mode = f[F_MODE];
		e->ce_ino = f[F_INO];
		e->ce_uid = f[F_UID];
		e->ce_gid = f[F_GID];
		e->ce_nlink = f[F_NLINK];
		e->ce_mtime = f[F_MTIME];
		e->ce_devmajor = f[F_DEVMAJOR];
		e->ce_devminor = f[F_DEVMINOR];
		e->ce_rdevmajor = f[F_RDEVMAJOR];
		e->ce_rdevminor = f[F_RDEVMINOR];
		e->ce_archive = it->ci_archive;
		return 1;
	}
}
