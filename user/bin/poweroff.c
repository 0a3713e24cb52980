/*
 * poweroff: turns the machine off, now.
 *
 *	poweroff
 *
 * reboot(2) with RB_POWER_OFF, after saying so.  There is no sync: the
 * filesystems keel has live in memory.  Returns only if the kernel says
 * no (not allowed, or no way to power off).
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
		fprintf(stderr, "usage: poweroff\n");
		return 1;
	}
	printf("poweroff: powering off\n");
	fflush(stdout);
	reboot(RB_POWER_OFF);
	fprintf(stderr, "poweroff: %s\n", strerror(errno));
	return 1;
}
