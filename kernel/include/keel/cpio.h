/*
 * cpio.h: reading cpio "newc" archives, the format of a Linux initramfs.
 *
 * Interface:
 *   struct cpio_iter it;  struct cpio_entry e;
 *   cpio_iter_init(&it, buf, len);
 *   while ((r = cpio_next(&it, &e)) == 1)
 *	use e (its pointers point into buf, which must outlive them);
 *   r is 0 at the end of the buffer, -EINVAL for a malformed archive.
 *
 * What is accepted is what Linux's init/initramfs.c accepts: entries with
 * magic "070701" (or "070702", whose checksum is ignored), each a 110-byte
 * header of ASCII hex, the name (namesize bytes, NUL included) padded so the
 * data starts 4-byte aligned, the data padded to 4 bytes.  The entry named
 * "TRAILER!!!" ends one archive; it is not returned.  Several archives may
 * follow one another, with any number of NUL bytes before a header (a header
 * must still start at a multiple of 4 from the start of buf).  The padding
 * after the last entry may be cut off by the end of buf; anything else that
 * runs past the end is malformed.  An archive without a trailer simply ends
 * at the end of buf.
 *
 * Pure and allocation free.  Every size is checked against what is left in
 * buf before it is used, so any input at all yields entries, 0 or -EINVAL,
 * never a read outside buf.  After -EINVAL, cpio_next keeps returning it.
 */
#ifndef KERNEL_CPIO_H
#define KERNEL_CPIO_H

#include <stdint.h>
#include <uapi/stat.h>	/* st_mode: the archive is where modes first come from */

#define CPIO_HDR_SIZE	110
#define CPIO_TRAILER	"TRAILER!!!"

struct cpio_iter {
	const uint8_t *ci_buf;
	uint64_t ci_len;
	uint64_t ci_off;	/* where the next header (or NUL padding) starts;
				   may pass ci_len by the cut-off padding */
	uint32_t ci_archive;	/* trailers passed so far */
	int ci_err;		/* 0, or the sticky -EINVAL */
};

/*
 * One archive member.  ce_name is NUL-terminated inside the buffer.  The
 * numbers are the header's, unchecked except for being hex.  When ce_size
 * is 0, ce_data is still a pointer into (or just past) the buffer.
 */
struct cpio_entry {
	const char *ce_name;
	uint64_t ce_namelen;	/* strlen(ce_name) */
	const void *ce_data;
	uint64_t ce_size;
	uint32_t ce_mode;	/* S_IF* type and permission bits */
	uint32_t ce_ino;
	uint32_t ce_uid;
	uint32_t ce_gid;
	uint32_t ce_nlink;
	uint32_t ce_mtime;
	uint32_t ce_devmajor;	/* of the file system the file came from: */
	uint32_t ce_devminor;	/* with ce_ino, names a hard-linked file */
	uint32_t ce_rdevmajor;	/* device nodes only */
	uint32_t ce_rdevminor;
	uint32_t ce_archive;	/* which archive of the concatenation, from 0:
				   hard links pair up only within one */
};

void cpio_iter_init(struct cpio_iter *it, const void *buf, uint64_t len);
/* 1 and *e filled, 0 at the end of the buffer, or -EINVAL. */
int cpio_next(struct cpio_iter *it, struct cpio_entry *e);

#endif /* KERNEL_CPIO_H */
