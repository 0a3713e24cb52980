/*
 * uname: prints what uname(2) says about the system.
 *
 *	uname [-asnrvm]
 *
 * -s kernel name (the default), -n node name, -r release, -v version,
 * -m machine; -a all of them, in that order.
 */
#include <stdio.h>
#include <sys/utsname.h>
#include <unistd.h>

enum { SYSNAME = 1, NODENAME = 2, RELEASE = 4, VERSION = 8, MACHINE = 16 };

int
main(int argc, char **argv)
{
	struct utsname u;
	const char *sep = "";
	int c, what = 0;

	while ((c = getopt(argc, argv, "asnrvm")) != -1) {
		switch (c) {
		case 'a': what |= SYSNAME | NODENAME | RELEASE | VERSION | MACHINE; break;
		case 's': what |= SYSNAME; break;
		case 'n': what |= NODENAME; break;
		case 'r': what |= RELEASE; break;
		case 'v': what |= VERSION; break;
		case 'm': what |= MACHINE; break;
		default: goto usage;
		}
	}
	if (optind != argc)
		goto usage;
	if (what == 0)
		what = SYSNAME;
	if (uname(&u) < 0) {
		perror("uname");
		return 1;
	}
	if (what & SYSNAME) {
		printf("%s%s", sep, u.sysname);
		sep = " ";
	}
	if (what & NODENAME) {
		printf("%s%s", sep, u.nodename);
		sep = " ";
	}
	if (what & RELEASE) {
		printf("%s%s", sep, u.release);
		sep = " ";
	}
	if (what & VERSION) {
		printf("%s%s", sep, u.version);
		sep = " ";
	}
	if (what & MACHINE)
		printf("%s%s", sep, u.machine);
	putchar('\n');
	return 0;
usage:
	fprintf(stderr, "usage: uname [-asnrvm]\n");
	return 1;
}
