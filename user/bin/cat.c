/*
 * cat: copies files, or its standard input, to its standard output.
 *
 *	cat [file ...]		("-" is standard input)
 *
 * Exit status 1 if any file could not be read; the others are still copied.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buf[65536];

/* Writes all of buf[0..n); a pipe or terminal may take it in parts. */
static int
write_all(const char *p, ssize_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(1, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= w;
	}
	return 0;
}

/* 0: copied; 1: a read error (reported); -1: a write error. */
static int
copy(int fd, const char *name)
{
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
			return 1;
		}
		if (n == 0)
			return 0;
		if (write_all(buf, n) < 0)
			return -1;
	}
}

/* 0: copied; 1: could not open or read it (reported); -1: write error. */
static int
cat_file(const char *name)
{
	int fd, r;

	if (strcmp(name, "-") == 0)
		return copy(0, "stdin");
	if ((fd = open(name, O_RDONLY)) < 0) {
		fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
		return 1;
	}
	r = copy(fd, name);
	close(fd);
	return r;
}

int
main(int argc, char **argv)
{
	static char *stdin_only[] = { "cat", "-", NULL };
	int i, r, status = 0;

	if (argc > 1 && argv[1][0] == '-' && argv[1][1] != '\0') {
		fprintf(stderr, "usage: cat [file ...]\n");
		return 1;
	}
	if (argc == 1) {
		argc = 2;
		argv = stdin_only;
	}
	for (i = 1; i < argc; i++) {
		r = cat_file(argv[i]);
		if (r < 0) {
			fprintf(stderr, "cat: write error: %s\n", strerror(errno));
			return 1;
		}
		if (r > 0)
			status = 1;
	}
	return status;
}
