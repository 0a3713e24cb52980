/*
 * echoargs.h: the checksum of argv and envp that echoargs exits with in
 * its "hash" mode, shared by echoargs and the utest execve tests.
 *
 * Interface: echoargs_hash(argv, envp): 32-bit FNV-1a over every argv
 * string with its NUL, a 0xff byte, then every envp string with its NUL.
 */
#ifndef UTEST_ECHOARGS_H
#define UTEST_ECHOARGS_H

#include <stdint.h>

#define ECHOARGS_PATH	"/test/echoargs"

static inline uint32_t
echoargs_fnv(uint32_t h, const char *s)
{
	do {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	} while (*s++);
	return h;
}

static inline uint32_t
echoargs_hash(char *const argv[], char *const envp[])
{
	uint32_t h = 2166136261u;

	for (; *argv; argv++)
		h = echoargs_fnv(h, *argv);
	h ^= 0xff;
	h *= 16777619u;
	for (; envp && *envp; envp++)
		h = echoargs_fnv(h, *envp);
	return h;
}

#endif /* UTEST_ECHOARGS_H */
