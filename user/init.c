/*
 * init.c: the first process (/sbin/init).  Starts the shell a user meets,
 * Debian's busybox ash (/bin/sh), as a login shell in root's home, and
 * powers the machine off when it ends.  Until there is a shell it says so
 * and powers off, which is what a boot without one should do.
 *
 * Orphans are given to init: it reaps every child, not only the shell, so
 * that background jobs the shell leaves behind do not stay zombies.
 *
 * The shell runs in a session of its own with the console as its
 * controlling terminal (setsid, TIOCSCTTY), as getty or busybox init would
 * set it up: so that it has job control and ^C, ^Z reach its jobs.
 *
 * busybox's poweroff, reboot and halt ask init by signal, as they ask
 * busybox's own init: SIGUSR2 powers off, SIGTERM reboots, SIGUSR1 halts
 * (here: powers off too, there being nothing else to do).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t asked;	/* the signal that asks for the end */

static void
on_signal(int sig)
{
	asked = sig;
}

int
main(void)
{
	/* "-sh": a login shell, which reads /etc/profile (PATH, PS1). */
	char *argv[] = { "-sh", 0 };
	char *envp[] = { "HOME=/root", "TERM=linux", "SHELL=/bin/sh", "USER=root",
	    "LOGNAME=root", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", 0 };
	struct sigaction sa;
	struct utsname u;
	int status;
	pid_t pid, w;

	if (uname(&u) == 0)
		printf("init: %s %s on %s, pid %d\n", u.sysname, u.release, u.machine,
		    getpid());
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGUSR1, &sa, 0);
	sigaction(SIGUSR2, &sa, 0);
	sigaction(SIGTERM, &sa, 0);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		setsid();
		ioctl(0, TIOCSCTTY, 0);
		sa.sa_handler = SIG_DFL;
		sigaction(SIGUSR1, &sa, 0);
		sigaction(SIGUSR2, &sa, 0);
		sigaction(SIGTERM, &sa, 0);
		if (chdir("/root") != 0)
			chdir("/");
		execve("/bin/sh", argv, envp);
		printf("init: no shell (/bin/sh) to run\n");
		_exit(127);
	}
	while (pid > 0 && !asked) {
		w = waitpid(-1, &status, 0);
		if (w == pid || (w < 0 && errno == ECHILD))
			break;
	}
	if (asked == SIGTERM) {
		printf("init: rebooting\n");
		fflush(stdout);
		reboot(RB_AUTOBOOT);
	}
	printf("init: powering off\n");
	fflush(stdout);
	reboot(RB_POWER_OFF);
	return 0;
}
