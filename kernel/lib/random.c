/*
 * random.c: the kernel's random bytes.
 *
 * A ChaCha20 keystream (lib/chacha20.c) keyed with the boot seed, which
 * the loader took from EFI_RNG_PROTOCOL where the firmware has it (else
 * RDRAND or the TSC: bootinfo's bi_seed_source).  Every request first
 * folds RDRAND (where the CPU has it) and the TSC into the block's nonce,
 * so that the boot seed alone does not give the outputs, and afterwards
 * replaces the key with the half of the block it did not hand out ("fast
 * key erasure"), so that the state read later does not give the earlier
 * outputs.  One CPU, no interrupt handler draws: no lock.
 */
#include <keel/kernel.h>
#include <keel/random.h>
#include <lib/chacha20.h>
#include <arch/arch.h>

static uint32_t key[8];
static uint32_t counter;

void
random_init(const uint8_t *seed, size_t len)
{
	uint8_t *k = (uint8_t *)key;

	for (size_t i = 0; i < len; i++)
		k[i % sizeof(key)] ^= seed[i];
}

void
random_bytes(void *buf, size_t n)
{
	uint8_t *p = buf;
	uint32_t block[16], nonce[3];

	while (n > 0) {
		size_t k = MIN(n, sizeof(key));
		uint64_t t = rdtsc();

		nonce[0] = arch_random_seed();
		nonce[1] = (uint32_t)t;
		nonce[2] = (uint32_t)(t >> 32);
		chacha20_block(key, counter++, nonce, block);
		memcpy(p, block, k);
		memcpy(key, block + 8, sizeof(key));
		p += k;
		n -= k;
	}
	memset(block, 0, sizeof(block));
}
