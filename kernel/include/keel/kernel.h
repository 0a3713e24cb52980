/*
 * kernel.h: what every kernel file may use: console output, panic and
 * ASSERT, and the string routines the compiler may call.
 */
#ifndef KERNEL_H
#define KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include <shared/layout.h>

#define KERNEL_NAME	"keel"
#define KERNEL_VERSION	"0.1"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ROUNDUP(x, a)	(((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define ROUNDDOWN(x, a)	((x) & ~((uint64_t)(a) - 1))
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))

/* Exit statuses, seen by tests through QEMU's isa-debug-exit as 2s+1. */
#define EXIT_OK		0
#define EXIT_KTEST_FAIL	1
#define EXIT_NOINIT	0x7d
#define EXIT_BADBOOT	0x7e
#define EXIT_PANIC	0x7f

/* console.c */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_putc(char c);

/* panic.c */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* Stop the machine: exit QEMU with status, else power off, else halt. */
void machine_stop(int status) __attribute__((noreturn));

/* Invariants; the expression must have no side effects. */
#define ASSERT(e)							\
	do {								\
		if (!(e))						\
			panic("ASSERT failed: %s at %s:%d in %s()", #e,	\
			    __FILE__, __LINE__, __func__);		\
	} while (0)

/* string.c */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
int memzero64(const void *p, size_t n);
int memeq64(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
/* Decimal digits to a number; stops at the first non-digit. */
uint64_t strtou(const char *s);

#endif /* KERNEL_H */
