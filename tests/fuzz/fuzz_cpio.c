/*
 * fuzz_cpio.c: libFuzzer harness for the cpio newc reader (kernel/cpio.c).
 *
 * The input is the archive, copied to an exact-size buffer so ASan sees
 * any read past it.  Every entry returned must lie inside the buffer as
 * cpio.h promises: the header at a multiple of 4, the name NUL-terminated
 * at ce_namelen, the data [ce_data, ce_data + ce_size) inside (and 4-byte
 * aligned when there is any); archives are numbered in order; the walk
 * ends with 0 or a sticky -EINVAL after at most one entry per 112 bytes.
 */
#include "fuzz.h"
#include <uapi/errno.h>
#include <keel/cpio.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpio_iter it;
	struct cpio_entry e;
	uint8_t *buf = malloc(size ? size : 1);
	uint64_t n = 0, name, dat;
	uint32_t archive = 0;
	uint64_t i;
	volatile uint8_t sum = 0;
	int r;

	if (size)
		memcpy(buf, data, size);
	cpio_iter_init(&it, buf, size);
	while ((r = cpio_next(&it, &e)) == 1) {
		n++;
		/* The smallest entry: a header and the name "", padded (except the last). */
		FUZZ_CHECK(n <= (size + 1) / (CPIO_HDR_SIZE + 2), "%lu entries from %zu bytes",
		    n, size);
		name = (uint64_t)((const uint8_t *)e.ce_name - buf);
		FUZZ_CHECK((const uint8_t *)e.ce_name >= buf + CPIO_HDR_SIZE &&
		    name < size, "name outside the buffer");
		FUZZ_CHECK((name - CPIO_HDR_SIZE) % 4 == 0, "header at %lu",
		    name - CPIO_HDR_SIZE);
		FUZZ_CHECK(e.ce_namelen < size - name && e.ce_name[e.ce_namelen] == 0 &&
		    strlen(e.ce_name) == e.ce_namelen, "name not NUL-terminated");
		FUZZ_CHECK(strcmp(e.ce_name, CPIO_TRAILER) != 0, "trailer returned");
		FUZZ_CHECK((const uint8_t *)e.ce_data >= buf + name + e.ce_namelen + 1,
		    "data before the name's end");
		dat = (uint64_t)((const uint8_t *)e.ce_data - buf);
		FUZZ_CHECK(dat <= size && e.ce_size <= size - dat,
		    "data [%lu, +%lu) outside %zu bytes", dat, e.ce_size, size);
		FUZZ_CHECK(e.ce_size == 0 || dat % 4 == 0, "data at %lu", dat);
		FUZZ_CHECK(e.ce_archive >= archive, "archive %u after %u", e.ce_archive,
		    archive);
		archive = e.ce_archive;
		/* Read every byte the entry says it has (ASan checks each). */
		for (i = 0; i < e.ce_size; i++)
			sum += ((const uint8_t *)e.ce_data)[i];
	}
	FUZZ_CHECK(r == 0 || r == -EINVAL, "cpio_next returned %d", r);
	FUZZ_CHECK(cpio_next(&it, &e) == r, "end is not sticky");
	(void)sum;
	free(buf);
	return 0;
}
