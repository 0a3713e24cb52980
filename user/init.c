/*
 * init.c: the first process (/sbin/init).  Starts the shell, /bin/sh, and
 * powers the machine off when it ends.  Until there is a shell it says so
 * and powers off, which is what a boot without one should do.
 *
 * Orphans are given to init: it reaps every child, not only the shell, so
 * that background jobs the shell leaves behind do not stay zombies.
 *
 * The shell runs in a session of its own with the console as its
 * controlling terminal (setsid, TIOCSCTTY), as getty or busybox init would
 * set it up: so that it has job control and ^C, ^Z reach its jobs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(void)
{
	char *argv[] = { "sh", 0 };
	char *envp[] = { "HOME=/", "TERM=linux", "PATH=/bin:/sbin:/test", 0 };
	struct utsname u;
	int status;
	pid_t pid, w;

	if (uname(&u) == 0)
		printf("init: %s %s on %s, pid %d\n", u.sysname, u.release, u.machine,
		    getpid());
	pid = fork();
	if (pid == 0) {
		setsid();
		ioctl(0, TIOCSCTTY, 0);
		execve("/bin/sh", argv, envp);
		printf("init: no shell (/bin/sh) to run\n");
		_exit(127);
	}
	while (pid > 0) {
		w = waitpid(-1, &status, 0);
		if (w == pid || (w < 0 && errno == ECHILD))
			break;
	}
	printf("init: powering off\n");
	fflush(stdout);
	reboot(RB_POWER_OFF);
	return 0;
}
