/*
 * test_cpio.c: host tests for the newc reader (kernel/cpio.c).
 *
 * Archives are built in memory by arc_*() below, header by header, the way
 * `cpio -o -H newc` writes them, and then copied into a malloc'd buffer of
 * exactly their length, so AddressSanitizer catches any read past the end.
 * The malformed cases break one thing of a good archive; a last test throws
 * random mutations at the reader.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <uapi/errno.h>
#include <keel/cpio.h>

/* ---- building archives ---- */

struct arc {
	uint8_t b[1 << 16];
	size_t len;
};

static struct arc A;

/* The 13 header fields in file order, as cpio.c numbers them. */
enum { H_INO, H_MODE, H_UID, H_GID, H_NLINK, H_MTIME, H_FILESIZE, H_DEVMAJOR,
	H_DEVMINOR, H_RDEVMAJOR, H_RDEVMINOR, H_NAMESIZE, H_CHECK, H_N };

static void
arc_reset(void)
{
	memset(&A, 0, sizeof(A));
}

static void
arc_bytes(const void *p, size_t n)
{
	assert_true(A.len + n <= sizeof(A.b));
	memcpy(A.b + A.len, p, n);
	A.len += n;
}

static void
arc_pad(size_t align)
{
	while (A.len % align)
		A.b[A.len++] = 0;
}

/*
 * One entry with explicit fields: namesize bytes of name are written (the
 * name's NUL included when namesize says so), then the data.
 */
static size_t
arc_raw(const char *magic, const uint32_t f[H_N], const char *name,
    size_t namelen, const void *data, size_t size)
{
	char h[CPIO_HDR_SIZE + 1];
	size_t at = A.len;
	int i;

	memcpy(h, magic, 6);
	for (i = 0; i < H_N; i++)
		snprintf(h + 6 + 8 * i, 9, "%08X", f[i]);
	arc_bytes(h, CPIO_HDR_SIZE);
	arc_bytes(name, namelen);
	arc_pad(4);
	arc_bytes(data, size);
	arc_pad(4);
	return at;
}

static uint32_t next_ino = 100;

/* A normal entry; returns the offset of its header. */
static size_t
arc_add(const char *name, uint32_t mode, const void *data, size_t size)
{
	uint32_t f[H_N] = { 0 };

	f[H_INO] = next_ino++;
	f[H_MODE] = mode;
	f[H_UID] = 1000;
	f[H_GID] = 100;
	f[H_NLINK] = (mode & S_IFMT) == S_IFDIR ? 2 : 1;
	f[H_MTIME] = 1700000000;
	f[H_FILESIZE] = (uint32_t)size;
	f[H_DEVMAJOR] = 8;
	f[H_DEVMINOR] = 1;
	f[H_NAMESIZE] = (uint32_t)strlen(name) + 1;
	return arc_raw("070701", f, name, strlen(name) + 1, data, size);
}

static size_t
arc_file(const char *name, const char *text)
{
	return arc_add(name, S_IFREG | 0644, text, strlen(text));
}

static void
arc_trailer(void)
{
	arc_add(CPIO_TRAILER, 0, "", 0);
}

/* The archive so far in a buffer of exactly its length; free() it. */
static uint8_t *
arc_copy(size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	assert_non_null(p);
	memcpy(p, A.b, len);
	return p;
}

/* ---- reading them ---- */

#define MAXENT	64

struct result {
	int n;			/* entries returned */
	int r;			/* what ended the walk: 0 or -EINVAL */
	struct cpio_entry e[MAXENT];
};

static struct result R;

/* Reads all of buf[0, len) into R. */
static void
read_all(const uint8_t *buf, size_t len)
{
	struct cpio_iter it;
	int r;

	memset(&R, 0, sizeof(R));
	cpio_iter_init(&it, buf, len);
	while ((r = cpio_next(&it, &R.e[R.n])) == 1) {
		assert_true(R.n < MAXENT - 1);
		R.n++;
	}
	R.r = r;
	/* The end, or the error, sticks. */
	assert_int_equal(cpio_next(&it, &R.e[R.n]), r);
}

/* The copy R's pointers point into, kept until the next read_arc. */
static uint8_t *Rbuf;

/* Reads the first len bytes of the archive built so far, from a copy. */
static void
read_arc(size_t len)
{
	free(Rbuf);
	Rbuf = arc_copy(len);
	read_all(Rbuf, len);
}

static void
expect_invalid(void)
{
	read_arc(A.len);
	assert_int_equal(R.r, -EINVAL);
}

static void
check_entry(int i, const char *name, uint32_t mode, const char *data)
{
	const struct cpio_entry *e = &R.e[i];

	assert_true(i < R.n);
	assert_string_equal(e->ce_name, name);
	assert_int_equal(e->ce_namelen, strlen(name));
	assert_int_equal(e->ce_mode, mode);
	assert_int_equal(e->ce_size, strlen(data));
	assert_memory_equal(e->ce_data, data, strlen(data));
}

/* ---- tests ---- */

static void
test_single(void **state)
{
	uint8_t *p;
	size_t at;

	arc_reset();
	arc_add(".", S_IFDIR | 0755, "", 0);		/* 110+2 */
	arc_add("bin", S_IFDIR | 0755, "", 0);		/* 110+4, pad 2 */
	at = arc_file("bin/hello", "hello, world\n");
	assert_int_equal(at, 112 + 116);
	arc_add("bin/sh", S_IFLNK | 0777, "hello", 5);
	arc_add("empty", S_IFREG | 0600, "", 0);
	arc_trailer();
	arc_pad(512);	/* GNU cpio pads the archive to its block size */

	p = arc_copy(A.len);
	read_all(p, A.len);
	assert_int_equal(R.r, 0);
	assert_int_equal(R.n, 5);
	check_entry(0, ".", S_IFDIR | 0755, "");
	check_entry(1, "bin", S_IFDIR | 0755, "");
	check_entry(2, "bin/hello", S_IFREG | 0644, "hello, world\n");
	check_entry(3, "bin/sh", S_IFLNK | 0777, "hello");
	check_entry(4, "empty", S_IFREG | 0600, "");

	/* Pointers are into the buffer, data 4-byte aligned from its start. */
	assert_ptr_equal(R.e[2].ce_name, (char *)p + at + CPIO_HDR_SIZE);
	assert_int_equal(((const uint8_t *)R.e[2].ce_data - p) % 4, 0);
	assert_true((const uint8_t *)R.e[4].ce_data >= p &&
	    (const uint8_t *)R.e[4].ce_data <= p + A.len);

	/* The other fields, as the header had them. */
	assert_int_equal(R.e[2].ce_ino, 102);
	assert_int_equal(R.e[2].ce_uid, 1000);
	assert_int_equal(R.e[2].ce_gid, 100);
	assert_int_equal(R.e[2].ce_nlink, 1);
	assert_int_equal(R.e[1].ce_nlink, 2);
	assert_int_equal(R.e[2].ce_mtime, 1700000000);
	assert_int_equal(R.e[2].ce_devmajor, 8);
	assert_int_equal(R.e[2].ce_devminor, 1);
	assert_int_equal(R.e[2].ce_archive, 0);
	free(p);
}

/* Every name length against every data length: padding on both sides. */
static void
test_padding(void **state)
{
	char name[16], data[8];
	int nl, dl, i;

	arc_reset();
	for (nl = 1; nl <= 9; nl++) {
		for (dl = 0; dl <= 5; dl++) {
			memset(name, 'a' + nl, (size_t)nl);
			name[nl] = 0;
			name[0] = (char)('0' + dl);
			memset(data, 'A' + dl, (size_t)dl);
			arc_add(name, S_IFREG | 0644, data, (size_t)dl);
		}
	}
	arc_trailer();
	read_arc(A.len);
	assert_int_equal(R.r, 0);
	assert_int_equal(R.n, 9 * 6);
	for (i = 0; i < R.n; i++) {
		nl = i / 6 + 1;
		dl = i % 6;
		assert_int_equal(R.e[i].ce_namelen, nl);
		assert_int_equal(R.e[i].ce_name[0], '0' + dl);
		assert_int_equal(R.e[i].ce_size, dl);
		if (dl)
			assert_int_equal(((const char *)R.e[i].ce_data)[dl - 1], 'A' + dl);
	}
}

static void
test_concatenated(void **state)
{
	arc_reset();
	arc_file("etc/motd", "one\n");
	arc_file("a", "A");
	arc_trailer();
	arc_pad(512);
	memset(A.b + A.len, 0, 1024);	/* the boot loader's padding */
	A.len += 1024;
	arc_file("etc/motd", "two\n");
	arc_trailer();
	/* Back to back, no padding at all, and a third archive. */
	arc_file("b", "B");
	arc_trailer();
	arc_pad(4);
	A.len += 8;		/* trailing NULs */

	read_arc(A.len);
	assert_int_equal(R.r, 0);
	assert_int_equal(R.n, 4);
	check_entry(0, "etc/motd", S_IFREG | 0644, "one\n");
	check_entry(1, "a", S_IFREG | 0644, "A");
	check_entry(2, "etc/motd", S_IFREG | 0644, "two\n");
	check_entry(3, "b", S_IFREG | 0644, "B");
	assert_int_equal(R.e[0].ce_archive, 0);
	assert_int_equal(R.e[1].ce_archive, 0);
	assert_int_equal(R.e[2].ce_archive, 1);
	assert_int_equal(R.e[3].ce_archive, 2);
}

static void
test_leading_nuls_and_no_trailer(void **state)
{
	arc_reset();
	A.len = 16;
	arc_file("x", "xx");
	arc_file("y", "yyy");
	read_arc(A.len);
	assert_int_equal(R.r, 0);
	assert_int_equal(R.n, 2);
	check_entry(1, "y", S_IFREG | 0644, "yyy");
}

static void
test_empty(void **state)
{
	uint8_t zeros[64] = { 0 };

	read_all(zeros, 0);
	assert_int_equal(R.r, 0);
	assert_int_equal(R.n, 0);
	read_all(zeros, sizeof(zeros));
	assert_int_equal(R.r, 0);
	assert_int_equal(R.n, 0);
	arc_reset();
	arc_trailer();
	read_arc(A.len);
	assert_int_equal(R.r, 0);
	assert_int_equal(R.n, 0);
}

/* A header after NULs must still start at a multiple of 4. */
static void
test_misaligned_header(void **state)
{
	arc_reset();
	arc_file("a", "A");
	arc_trailer();
	A.len += 1;
	arc_file("b", "B");
	expect_invalid();
	assert_int_equal(R.n, 1);

	/* So must the first one. */
	arc_reset();
	A.len = 2;
	arc_file("a", "A");
	expect_invalid();
	assert_int_equal(R.n, 0);
}

static void
test_junk_after_trailer(void **state)
{
	arc_reset();
	arc_file("a", "A");
	arc_trailer();
	arc_bytes("junkjunk", 8);
	expect_invalid();
	assert_int_equal(R.n, 1);
}

static void
test_magic(void **state)
{
	static const char *bad[] = { "070707", "070703", "070700", "170701",
		"07070 ", "\0\0\0\0\0\0" };
	uint32_t f[H_N] = { 0 };
	size_t i;

	f[H_MODE] = S_IFREG | 0644;
	f[H_NAMESIZE] = 2;
	f[H_FILESIZE] = 1;
	f[H_CHECK] = 0xdeadbeef;	/* a wrong checksum: ignored */
	arc_reset();
	arc_raw("070702", f, "c", 2, "C", 1);
	read_arc(A.len);
	assert_int_equal(R.r, 0);
	assert_int_equal(R.n, 1);
	check_entry(0, "c", S_IFREG | 0644, "C");

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		arc_reset();
		arc_raw(bad[i], f, "c", 2, "C", 1);
		if (bad[i][0] == 0) {
			/* All NULs is padding; what follows is not a header. */
			read_arc(A.len);
			assert_int_equal(R.r, -EINVAL);
			continue;
		}
		expect_invalid();
		assert_int_equal(R.n, 0);
	}
}

static void
test_bad_hex(void **state)
{
	static const char bad[] = { 'g', 'G', ' ', 'x', '-', '+', 0, '/', ':', '@' };
	size_t at, i, k;

	/* Lower case is hex too. */
	arc_reset();
	at = arc_file("a", "A");
	for (k = 6; k < CPIO_HDR_SIZE; k++)
		if (A.b[at + k] >= 'A' && A.b[at + k] <= 'F')
			A.b[at + k] += 'a' - 'A';
	read_arc(A.len);
	assert_int_equal(R.n, 1);

	for (k = 6; k < CPIO_HDR_SIZE; k++) {
		for (i = 0; i < sizeof(bad); i++) {
			arc_reset();
			at = arc_file("a", "A");
			A.b[at + k] = (uint8_t)bad[i];
			expect_invalid();
			assert_int_equal(R.n, 0);
		}
	}
}

static void
test_name_not_terminated(void **state)
{
	uint32_t f[H_N] = { 0 };

	f[H_MODE] = S_IFREG | 0644;
	f[H_NAMESIZE] = 3;
	arc_reset();
	arc_raw("070701", f, "abc", 3, "", 0);
	arc_trailer();
	expect_invalid();

	/* The name ends the buffer, without its NUL. */
	f[H_NAMESIZE] = 2;
	arc_reset();
	arc_raw("070701", f, "ab", 2, "", 0);
	A.len = CPIO_HDR_SIZE + 2;
	expect_invalid();
}

/* Linux reads the name as a string: a NUL inside ends it. */
static void
test_name_with_nul(void **state)
{
	uint32_t f[H_N] = { 0 };

	f[H_MODE] = S_IFREG | 0644;
	f[H_NAMESIZE] = 4;
	arc_reset();
	arc_raw("070701", f, "a\0b", 4, "", 0);
	read_arc(A.len);
	assert_int_equal(R.n, 1);
	assert_string_equal(R.e[0].ce_name, "a");
	assert_int_equal(R.e[0].ce_namelen, 1);
}

static void
test_namesize_zero(void **state)
{
	uint32_t f[H_N] = { 0 };

	f[H_MODE] = S_IFREG | 0644;
	arc_reset();
	arc_raw("070701", f, "", 0, "", 0);
	arc_trailer();
	expect_invalid();
}

static void
test_huge_sizes(void **state)
{
	static const uint32_t big[] = { 0xffffffff, 0xfffffffe, 0xfffffffc,
		0x80000000, 0x7fffffff, 4096 };
	uint32_t f[H_N] = { 0 };
	size_t i;

	for (i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
		memset(f, 0, sizeof(f));
		f[H_MODE] = S_IFREG | 0644;
		f[H_NAMESIZE] = big[i];
		arc_reset();
		arc_raw("070701", f, "a", 2, "AAAA", 4);
		arc_trailer();
		expect_invalid();

		f[H_NAMESIZE] = 2;
		f[H_FILESIZE] = big[i];
		arc_reset();
		arc_raw("070701", f, "a", 2, "AAAA", 4);
		arc_trailer();
		expect_invalid();
	}
}

/* Data running one byte past the end, then exactly to the end. */
static void
test_data_bounds(void **state)
{
	size_t at;

	arc_reset();
	at = arc_file("a", "ABCDEFG");	/* 7 bytes of data, 1 of padding */
	A.len = at + 112 + 6;
	expect_invalid();
	A.len = at + 112 + 7;
	read_arc(A.len);
	assert_int_equal(R.r, 0);
	check_entry(0, "a", S_IFREG | 0644, "ABCDEFG");
}

/*
 * The archive cut at every length: whatever is complete is returned; a cut
 * inside a header, a name or data is -EINVAL, a cut in the padding after
 * the data is a clean end.
 */
static void
test_truncated(void **state)
{
	size_t dataend[4], end[4], cut;
	int k, want, clean;

	arc_reset();
	arc_file("first", "12345");		/* 110+6+5: data ends at 121 */
	dataend[0] = 121;
	end[0] = A.len;
	arc_add("d", S_IFDIR | 0755, "", 0);	/* 110+2, nothing to pad */
	dataend[1] = end[1] = A.len;
	arc_file("third", "abcdefghi");		/* 110+6+9 */
	dataend[2] = end[1] + 125;
	end[2] = A.len;
	arc_trailer();				/* 110+11 */
	dataend[3] = end[2] + 121;
	end[3] = A.len;
	assert_int_equal(end[0], 124);
	assert_int_equal(end[2], end[1] + 128);
	assert_int_equal(end[3], end[2] + 124);

	for (cut = 0; cut <= end[3]; cut++) {
		read_arc(cut);
		want = 0;
		clean = cut == 0;
		for (k = 0; k < 4; k++) {
			if (k < 3 && cut >= dataend[k])
				want++;
			if (cut >= dataend[k] && cut <= end[k])
				clean = 1;
		}
		assert_int_equal(R.n, want);
		assert_int_equal(R.r, clean ? 0 : -EINVAL);
	}
}

/* A trailer is known by its name alone; data in it is skipped. */
static void
test_trailer_with_data(void **state)
{
	arc_reset();
	arc_file("a", "A");
	arc_add(CPIO_TRAILER, S_IFREG | 0644, "ignored", 7);
	arc_file("b", "B");
	read_arc(A.len);
	assert_int_equal(R.r, 0);
	assert_int_equal(R.n, 2);
	check_entry(1, "b", S_IFREG | 0644, "B");
	assert_int_equal(R.e[1].ce_archive, 1);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/*
 * Random damage to a good archive, each run in an exact-size buffer: no
 * crash (ASan would say), a bounded number of entries, every pointer inside.
 */
static void
test_mutations(void **state)
{
	static const char hexish[] = "0123456789abcdefABCDEF\0g07";
	struct cpio_iter it;
	struct cpio_entry e;
	uint8_t good[4096], *p;
	size_t goodlen, len, i, k, n;
	int r, round;

	arc_reset();
	arc_add(".", S_IFDIR | 0755, "", 0);
	arc_file("bin/hello", "hello, world\n");
	arc_add("bin/sh", S_IFLNK | 0777, "hello", 5);
	arc_add("dev", S_IFDIR | 0755, "", 0);
	arc_file("x", "");
	arc_trailer();
	arc_file("y", "yy");
	arc_trailer();
	goodlen = A.len;
	assert_true(goodlen <= sizeof(good));
	memcpy(good, A.b, goodlen);

	for (round = 0; round < 200000; round++) {
		len = goodlen - (rng() % 4 == 0 ? rng() % goodlen : 0);
		p = malloc(len ? len : 1);
		memcpy(p, good, len);
		for (k = rng() % 4 + 1; k > 0 && len > 0; k--) {
			i = rng() % len;
			if (rng() % 2)
				p[i] = (uint8_t)hexish[rng() % (sizeof(hexish) - 1)];
			else
				p[i] = (uint8_t)rng();
		}
		cpio_iter_init(&it, p, len);
		for (n = 0; (r = cpio_next(&it, &e)) == 1; n++) {
			assert_true(n < len / CPIO_HDR_SIZE);
			assert_true((const uint8_t *)e.ce_name >= p &&
			    (const uint8_t *)e.ce_name + e.ce_namelen < p + len);
			assert_true((const uint8_t *)e.ce_data >= p &&
			    e.ce_size <= (uint64_t)(p + len - (const uint8_t *)e.ce_data));
		}
		assert_true(r == 0 || r == -EINVAL);
		free(p);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single),
		cmocka_unit_test(test_padding),
		cmocka_unit_test(test_concatenated),
		cmocka_unit_test(test_leading_nuls_and_no_trailer),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_misaligned_header),
		cmocka_unit_test(test_junk_after_trailer),
		cmocka_unit_test(test_magic),
		cmocka_unit_test(test_bad_hex),
		cmocka_unit_test(test_name_not_terminated),
		cmocka_unit_test(test_name_with_nul),
		cmocka_unit_test(test_namesize_zero),
		cmocka_unit_test(test_huge_sizes),
		cmocka_unit_test(test_data_bounds),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_trailer_with_data),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
