/*
 * string.c: the memory and string routines the kernel (and the compiler,
 * for struct copies and zeroing) use.  The bulk moves 8 bytes per
 * iteration (rep movsq/stosq: a page is 512 iterations, fast everywhere,
 * and 8x fewer counted instructions under QEMU's -icount), the tail bytes.
 */
#include <keel/kernel.h>

void *
memset(void *d, int c, size_t n)
{
	uint64_t q = n / 8, v = 0x0101010101010101ULL * (uint8_t)c;
	size_t b = n % 8;
	void *r = d;

	__asm__ volatile("rep stosq" : "+D"(d), "+c"(q) : "a"(v) : "memory");
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(b) : "a"(v) : "memory");
	return r;
}

void *
memcpy(void *d, const void *s, size_t n)
{
	uint64_t q = n / 8;
	size_t b = n % 8;
	void *r = d;

	__asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(q) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(b) : : "memory");
	return r;
}

/* Whether the n 8-byte words at p are all 0: one string scan (repe scasq). */
int
memzero64(const void *p, size_t n)
{
	uint64_t left = n;

	if (n == 0)
		return 1;
	__asm__ volatile("repe scasq" : "+D"(p), "+c"(left) : "a"(0UL) : "cc", "memory");
	/* Stopped early at a nonzero word, or compared them all: the last decides. */
	return left == 0 && ((const uint64_t *)p)[-1] == 0;
}

/* Whether the n 8-byte words at a and b are equal: one string compare. */
int
memeq64(const void *a, const void *b, size_t n)
{
	uint64_t left = n;

	if (n == 0)
		return 1;
	__asm__ volatile("repe cmpsq" : "+S"(a), "+D"(b), "+c"(left) : : "cc", "memory");
	return left == 0 && ((const uint64_t *)a)[-1] == ((const uint64_t *)b)[-1];
}

void *
memmove(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	if (dp <= sp || dp >= sp + n)
		return memcpy(d, s, n);
	while (n--)
		dp[n] = sp[n];
	return d;
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

size_t
strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t
strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int
strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int
strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (*a == 0)
			return 0;
	}
	return 0;
}

uint64_t
strtou(const char *s)
{
	uint64_t v = 0;

	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (uint64_t)(*s - '0');
	return v;
}
