/*
 * echo: writes its arguments separated by blanks, then a newline.
 *
 *	echo [-n] [arg ...]
 *
 * -n: no newline.  Backslashes are not interpreted.
 */
#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	int i = 1, newline = 1;

	while (i < argc && strcmp(argv[i], "-n") == 0) {
		newline = 0;
		i++;
	}
	for (; i < argc; i++) {
		fputs(argv[i], stdout);
		if (i + 1 < argc)
			putchar(' ');
	}
	if (newline)
		putchar('\n');
	if (fflush(stdout) == EOF || ferror(stdout)) {
		perror("echo: write");
		return 1;
	}
	return 0;
}
