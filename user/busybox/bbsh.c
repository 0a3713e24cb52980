/*
 * bbsh.c: init that becomes Debian's busybox running the shell tests:
 * execve("/bin/busybox", { "sh", "/test/sh-basics.sh" }).  Busybox picks
 * its applet from argv[0], which as a kernel's init would be "init".
 */
#include <stdio.h>
#include <unistd.h>

int
main(void)
{
	char *argv[] = { "sh", "/test/sh-basics.sh", 0 };
	char *envp[] = { "PATH=/bin:/sbin", "HOME=/", 0 };

	execve("/bin/busybox", argv, envp);
	perror("bbsh: execve /bin/busybox");
	return 127;
}
