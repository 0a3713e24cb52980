/*
 * random.h: random bytes for what user space must not guess (AT_RANDOM,
 * from which libc seeds its stack canary and pointer guard).
 */
#ifndef RANDOM_H
#define RANDOM_H

#include <stddef.h>
#include <stdint.h>

/* Key the generator with the boot seed (struct bootinfo's bi_seed). */
void random_init(const uint8_t *seed, size_t len);
/* Fill buf with n random bytes. */
void random_bytes(void *buf, size_t n);

#endif
