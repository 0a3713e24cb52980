/*
 * fmt.h: printf-style formatting into a buffer or through a character sink.
 *
 * Supports %c %s %d %i %u %x %X %p %%, the l/ll/z length modifiers, a field
 * width (or '*': from the arguments), and the '-' and '0' flags.  No floating point (the kernel has no
 * FPU state of its own).  Pure and allocation free, so it serves the kernel,
 * the loader's validators and host tests alike.
 */
#ifndef LIB_FMT_H
#define LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_sink)(void *arg, char c);

int fmt_vformat(fmt_sink sink, void *arg, const char *fmt, va_list ap);
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* LIB_FMT_H */
