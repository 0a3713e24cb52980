/*
 * init.c: the first process (/sbin/init).  Starts the shell, /bin/sh, and
 * powers the machine off when it ends.  Until there is a shell it says so
 * and powers off, which is what a boot without one should do.
 */
#include <stdio.h>
#include <string.h>
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
	pid_t pid;

	if (uname(&u) == 0)
		printf("init: %s %s on %s, pid %d\n", u.sysname, u.release, u.machine,
		    getpid());
	pid = fork();
	if (pid == 0) {
		execve("/bin/sh", argv, envp);
		printf("init: no shell (/bin/sh) to run\n");
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0)
			;
	printf("init: powering off\n");
	fflush(stdout);
	reboot(RB_POWER_OFF);
	return 0;
}
