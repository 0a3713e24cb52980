/*
 * shrun.c: init that runs the shell-script suite (run.sh) under one shell:
 * `shrun ash` (Debian's busybox ash, the default) or `shrun bash`
 * (Debian's bash-static), then exits with the suite's status.  The shell
 * is named by the last argument.
 *
 * It forks the shell rather than becoming it: as pid 1 the shell would
 * ignore the signals it sends itself without a handler, and every orphan
 * would be its child.  Here, as on a real system, init reaps the orphans.
 *
 * Under Linux (tools/linux-check) the initramfs has no /proc, /dev/null or
 * /dev/fd; it mounts and makes them as a distribution's early boot does.
 * On keel they are there already and nothing is done.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SUITE	"/test/shsuite/run.sh"

static void
prepare(void)
{
	if (access("/proc/self/fd", F_OK) != 0) {
		mkdir("/proc", 0555);
		if (mount("proc", "/proc", "proc", 0, 0) != 0)
			perror("shrun: mount /proc");
	}
	if (access("/dev/null", F_OK) != 0) {
		mkdir("/dev", 0755);
		if (mount("devtmpfs", "/dev", "devtmpfs", 0, 0) != 0)
			perror("shrun: mount /dev");
	}
	/* bash's <(...) names /dev/fd/N; udev makes this link on Linux. */
	if (access("/dev/fd", F_OK) != 0 && symlink("/proc/self/fd", "/dev/fd") != 0)
		perror("shrun: symlink /dev/fd");
	if (mkdir("/tmp", 01777) != 0 && errno != EEXIST)
		perror("shrun: mkdir /tmp");
}

int
main(int argc, char **argv)
{
	/* The last word: Linux also hands init the boot options it does
	 * not know (tools/linux-check's no5lvl). */
	const char *sh = argc > 1 ? argv[argc - 1] : "ash";
	char env_suite[32];
	char *envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root",
	    "TERM=linux", env_suite, 0 };
	char *args[] = { (char *)sh, SUITE, 0 };
	const char *path;
	int status;
	pid_t pid, w;

	if (strcmp(sh, "ash") == 0)
		path = "/bin/busybox";	/* the applet is argv[0] */
	else if (strcmp(sh, "bash") == 0)
		path = "/bin/bash";
	else {
		fprintf(stderr, "usage: shrun [ash|bash], not shrun");
		for (int i = 1; i < argc; i++)
			fprintf(stderr, " '%s'", argv[i]);
		fprintf(stderr, "\n");
		return 2;
	}
	snprintf(env_suite, sizeof(env_suite), "SHSUITE=%s", sh);
	prepare();
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("shrun: fork");
		return 1;
	}
	if (pid == 0) {
		execve(path, args, envp);
		perror("shrun: execve");
		_exit(127);
	}
	for (;;) {
		w = waitpid(-1, &status, 0);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			perror("shrun: waitpid");
			return 1;
		}
	}
	if (WIFSIGNALED(status)) {
		printf("shrun: %s killed by signal %d\n", sh, WTERMSIG(status));
		return 1;
	}
	return WEXITSTATUS(status);
}
