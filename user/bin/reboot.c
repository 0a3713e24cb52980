/*
 * reboot: restarts the machine, now.
 *
 *	reboot
 *
 * reboot(2) with RB_AUTOBOOT, after saying so.  There is no sync: the
 * filesystems keel has live in memory.  Returns only if the kernel says
 * no.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>

int
main(int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: reboot\n");
		return 1;
	}
	printf("reboot: restarting\n");
	fflush(stdout);
	reboot(RB_AUTOBOOT);
	fprintf(stderr, "reboot: %s\n", strerror(errno));
	return 1;
}
