/*
 * uptime: how long the system has been running.
 *
 *	uptime [-p]
 *
 * " 14:03:07 up 2 days,  3:04,  load average: 0.00, 0.01, 0.05" as procps
 * prints it (without the user count: there is no utmp), from /proc/uptime
 * and, when the kernel has it, /proc/loadavg.  -p: "up 2 days, 3 hours,
 * 4 minutes".
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

static void
pretty(long up)
{
	long days = up / 86400, hours = up / 3600 % 24, mins = up / 60 % 60;
	const char *sep = "";

	printf("up ");
	if (days) {
		printf("%ld day%s", days, days == 1 ? "" : "s");
		sep = ", ";
	}
	if (hours) {
		printf("%s%ld hour%s", sep, hours, hours == 1 ? "" : "s");
		sep = ", ";
	}
	if (mins || (!days && !hours))
		printf("%s%ld minute%s", sep, mins, mins == 1 ? "" : "s");
	putchar('\n');
}

int
main(int argc, char **argv)
{
	double secs, load[3];
	long up, days, hours, mins;
	time_t now;
	struct tm tm;
	FILE *f;

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "-p") != 0)) {
		fprintf(stderr, "usage: uptime [-p]\n");
		return 1;
	}
	if ((f = fopen("/proc/uptime", "r")) == NULL) {
		perror("uptime: /proc/uptime");
		return 1;
	}
	if (fscanf(f, "%lf", &secs) != 1) {
		fprintf(stderr, "uptime: /proc/uptime: cannot parse\n");
		fclose(f);
		return 1;
	}
	fclose(f);
	up = (long)secs;
	if (argc == 2) {
		pretty(up);
		return 0;
	}

	now = time(NULL);
	localtime_r(&now, &tm);
	printf(" %02d:%02d:%02d up ", tm.tm_hour, tm.tm_min, tm.tm_sec);
	days = up / 86400;
	hours = up / 3600 % 24;
	mins = up / 60 % 60;
	if (days)
		printf("%ld day%s, ", days, days == 1 ? "" : "s");
	if (hours)
		printf("%2ld:%02ld", hours, mins);
	else
		printf("%ld min", mins);
	if ((f = fopen("/proc/loadavg", "r")) != NULL) {
		if (fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) == 3)
			printf(",  load average: %.2f, %.2f, %.2f", load[0],
			    load[1], load[2]);
		fclose(f);
	}
	putchar('\n');
	return 0;
}
