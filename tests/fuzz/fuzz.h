/*
 * fuzz.h: what every libFuzzer harness in tests/fuzz/ shares.
 *
 * Interface:
 *   FUZZ_CHECK(cond, "fmt", ...)	a guarantee of the parser under test:
 *					when it does not hold, say which and
 *					abort, which libFuzzer reports as a
 *					crash and saves the input for
 *   fuzz_u64(p) / fuzz_u32(p) / fuzz_u16(p)	little-endian loads from
 *					unaligned input bytes
 *
 * The harnesses link tests/fuzz/fuzz_kstub.c for kprintf and panic: every
 * message the parser prints is formatted (so a bad %s argument is read and
 * caught by ASan) but shown only with FUZZ_VERBOSE=1 in the environment;
 * a panic is a crash.
 */
#ifndef TESTS_FUZZ_H
#define TESTS_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...) do {					\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: guarantee broken: %s: ",	\
			    __FILE__, __LINE__, #cond);			\
			fprintf(stderr, __VA_ARGS__);			\
			fputc('\n', stderr);				\
			abort();					\
		}							\
	} while (0)

static inline uint64_t
fuzz_u64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t
fuzz_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint16_t
fuzz_u16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

#endif /* TESTS_FUZZ_H */
