/*
 * say.h: output for the test programs built against both musl and glibc
 * (user/pthread, user/smp): each message goes out in write(2) calls of
 * its own, unbuffered, so nothing waits in stdio when a case crashes and
 * threads' lines do not share a buffer.
 */
#ifndef USER_SAY_H
#define USER_SAY_H

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static void
write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w <= 0)
			return;
		s += w;
		n -= w;
	}
}

/* printf to fd 1, at most 511 bytes a message. */
static void
say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (n > 0)
		write_all(1, buf, n);
}

#endif /* USER_SAY_H */
