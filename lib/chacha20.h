/*
 * chacha20.h: the ChaCha20 block function (RFC 8439, section 2.3), the
 * core of the kernel's random bytes (kernel/random.c).  Pure code: the
 * host tests check it against the RFC's test vector.
 */
#ifndef LIB_CHACHA20_H
#define LIB_CHACHA20_H

#include <stdint.h>

/* out = the 64-byte keystream block for key, counter and nonce. */
void chacha20_block(const uint32_t key[8], uint32_t counter,
    const uint32_t nonce[3], uint32_t out[16]);

#endif
