/*
 * chacha20.c: the ChaCha20 block function, as RFC 8439 section 2.3 gives
 * it: a 4x4 state of 32-bit words (constants, key, counter, nonce), 20
 * rounds of quarter rounds on columns and diagonals, then the input state
 * added back.  Words are little-endian, as on x86.
 */
#include <lib/chacha20.h>

#define ROTL(v, n)	((v) << (n) | (v) >> (32 - (n)))

#define QR(a, b, c, d) do {						\
	a += b; d ^= a; d = ROTL(d, 16);				\
	c += d; b ^= c; b = ROTL(b, 12);				\
	a += b; d ^= a; d = ROTL(d, 8);					\
	c += d; b ^= c; b = ROTL(b, 7);					\
} while (0)

void
chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3],
    uint32_t out[16])
{
	uint32_t in[16] = {
		0x61707865, 0x3320646e, 0x79622d32, 0x6b206574,	/* "expand 32-byte k" */
		key[0], key[1], key[2], key[3], key[4], key[5], key[6], key[7],
		counter, nonce[0], nonce[1], nonce[2],
	};
	uint32_t *x = out;
	int i;

	for (i = 0; i < 16; i++)
		x[i] = in[i];
	for (i = 0; i < 10; i++) {
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (i = 0; i < 16; i++)
		x[i] += in[i];
}
