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
#include <keel/file.h>		/* MAX_RW_COUNT */
#include <keel/random.h>
#include <keel/usercopy.h>
#include <uapi/errno.h>
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

/* getrandom(2)'s flags (Linux's uapi/linux/random.h). */
#define GRND_NONBLOCK	0x0001
#define GRND_RANDOM	0x0002
#define GRND_INSECURE	0x0004

/*
 * getrandom(2): bytes of the generator AT_RANDOM comes from, which is
 * keyed from the boot seed before any process runs, so it never blocks.
 * As Linux: unknown flags or RANDOM with INSECURE are -EINVAL; at most
 * MAX_RW_COUNT bytes a call; the bytes before a fault count.
 */
long
sys_getrandom(uint64_t ubuf, uint64_t len, unsigned int flags)
{
	uint8_t chunk[256];
	uint64_t done = 0;

	if ((flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) ||
	    (flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	len = MIN(len, MAX_RW_COUNT);
	while (done < len) {
		uint64_t k = MIN(len - done, sizeof(chunk));
		long r;

		random_bytes(chunk, k);
		r = copyout_partial(ubuf + done, chunk, k);
		if (r < 0)
			return done ? (long)done : r;
		done += r;
		if ((uint64_t)r < k)
			break;
	}
	memset(chunk, 0, sizeof(chunk));
	return done;
}
