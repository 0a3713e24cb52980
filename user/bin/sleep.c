/*
 * sleep: waits for a while.
 *
 *	sleep time ...
 *
 * Each time is a number of seconds, fractions allowed ("0.1"), with an
 * optional unit s, m, h or d; several are added up.  nanosleep(2) does
 * the waiting, started again with what is left when a signal cuts it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int
main(int argc, char **argv)
{
	struct timespec ts, left;
	double total = 0, t;
	char *end;
	int i;

	if (argc < 2)
		goto usage;
	for (i = 1; i < argc; i++) {
		t = strtod(argv[i], &end);
		if (end == argv[i] || t < 0 || t != t)
			goto usage;
		switch (*end) {
		case '\0':
		case 's':	break;
		case 'm':	t *= 60; break;
		case 'h':	t *= 3600; break;
		case 'd':	t *= 86400; break;
		default:	goto usage;
		}
		if (*end != '\0' && end[1] != '\0')
			goto usage;
		total += t;
	}
	if (total > 1e9)		/* ~31 years: as good as forever */
		total = 1e9;
	ts.tv_sec = (time_t)total;
	ts.tv_nsec = (long)((total - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &left) < 0) {
		if (errno != EINTR) {
			perror("sleep");
			return 1;
		}
		ts = left;
	}
	return 0;
usage:
	fprintf(stderr, "usage: sleep seconds[s|m|h|d] ...\n");
	return 1;
}
