/*
 * bbjobs.c: init for an interactive job-control session with Debian's
 * busybox ash on the console (tests/cases.py's busybox_jobs_session types
 * into it over the serial line).  As getty or busybox init would, the
 * shell gets a session of its own (setsid) with the console as its
 * controlling terminal (TIOCSCTTY), and runs as "sh -i".  Init waits for
 * it and exits with its status: keel then stops the machine, Linux
 * panics ("Attempted to kill init"), which ends the run either way.
 */
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(void)
{
	char *argv[] = { "sh", "-i", 0 };
	char *envp[] = { "PATH=/bin:/sbin", "HOME=/", "PS1=jobs$ ", "TERM=vt100", 0 };
	int status = 0;
	pid_t pid, w;

	pid = fork();
	if (pid == 0) {
		if (setsid() < 0 || ioctl(0, TIOCSCTTY, 0) < 0)
			perror("bbjobs: no controlling terminal");
		execve("/bin/busybox", argv, envp);
		perror("bbjobs: execve /bin/busybox");
		_exit(127);
	}
	/* Init adopts orphans: reap them all until the shell is done. */
	while ((w = wait(&status)) >= 0 && w != pid)
		;
	printf("bbjobs: the shell ended, status %d\n", WIFEXITED(status) ?
	    WEXITSTATUS(status) : 128 + WTERMSIG(status));
	fflush(stdout);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
