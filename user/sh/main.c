/*
 * main.c: sh, the shell.  Reads commands from a terminal, a script file,
 * a pipe or -c, and runs them.
 *
 *	sh [-i]				read commands from stdin
 *	sh [-i] file [arg ...]		run a script; $0 is file, $1... the args
 *	sh [-i] -c 'commands' [name [arg ...]]
 *
 * The shell is interactive (prompts, job messages, job control, immune to
 * ^C) with -i, or when reading stdin while stdin and stderr are terminals.
 * Input is read with read(2) a line at a time: the terminal's canonical
 * mode does the line editing.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "sh.h"

int sh_status;
pid_t sh_pid;
pid_t sh_lastbg;
int sh_interactive;
int sh_jobctl;
char **sh_argv;
int sh_argc;

struct input {
	int fd;
	int bytewise;		/* see input_open */
	int eof;
	int pos, len;
	char buf[4096];
};

static void
input_open(struct input *in, int fd)
{
	memset(in, 0, sizeof(*in));
	in->fd = fd;
	/*
	 * Commands run by a shell reading a pipe or a file on its stdin
	 * share that stdin: "read -r line" or "cat" must get what follows
	 * the current line, so the shell takes no more than that line.
	 * A terminal gives one line per read anyway.
	 */
	in->bytewise = fd == 0 && !isatty(0);
}

/* Appends the next line, '\n' included, to b; 0 at the end of input. */
static int
input_line(struct input *in, struct str *b)
{
	int n, c, got = 0;

	for (;;) {
		if (in->pos == in->len) {
			if (in->eof)
				return got;
			n = read(in->fd, in->buf, in->bytewise ? 1 : sizeof(in->buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				in->eof = 1;
				return got;
			}
			in->pos = 0;
			in->len = n;
		}
		c = in->buf[in->pos++];
		str_addc(b, c);
		got = 1;
		if (c == '\n')
			return 1;
	}
}

/* $PS1 if set, else "host:/cwd# " (root) or "host:/cwd$ ". */
static void
prompt(void)
{
	const char *ps1 = var_get("PS1");
	char cwd[PATH_MAX];
	struct utsname u;

	if (ps1 != NULL) {
		fputs(ps1, stderr);
		return;
	}
	if (uname(&u) < 0 || getcwd(cwd, sizeof(cwd)) == NULL) {
		fputs(geteuid() == 0 ? "# " : "$ ", stderr);
		return;
	}
	fprintf(stderr, "%s:%s%s ", u.nodename, cwd, geteuid() == 0 ? "#" : "$");
}

/* Runs what in holds, piece by piece, until its end. */
static void
run_input(struct input *in)
{
	struct str text = { 0 };
	struct andor *list;
	int r;

	for (;;) {
		if (sh_interactive) {
			jobs_reap(1);
			prompt();
		}
		str_clear(&text);
		if (!input_line(in, &text))
			break;
		while ((r = parse(text.s, &list)) == PARSE_MORE) {
			afreeall();
			if (sh_interactive)
				fputs("> ", stderr);
			if (!input_line(in, &text)) {
				sh_error("syntax error: unexpected end of file");
				r = PARSE_ERROR;
				break;
			}
		}
		if (r == PARSE_OK)
			run_list(list);
		afreeall();
		if (r == PARSE_ERROR) {
			sh_status = 2;
			if (!sh_interactive)
				break;
		}
	}
	if (sh_interactive)
		fputc('\n', stderr);
	free(text.s);
}

static void
run_string(const char *s)
{
	struct andor *list;

	switch (parse(s, &list)) {
	case PARSE_OK:
		run_list(list);
		break;
	case PARSE_MORE:
		sh_error("syntax error: unexpected end of file");
		/* fall through */
	case PARSE_ERROR:
		sh_status = 2;
		break;
	}
	afreeall();
}

/*
 * Runs a script file and exits: for "sh file", and for a command that
 * execve refused as not a binary (ENOEXEC), in the forked child.
 */
void
sh_run_script(const char *path, char **argv)
{
	struct input *in;
	int fd, i;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		sh_error("%s: %s", path, strerror(errno));
		exit(errno == ENOENT ? 127 : 126);
	}
	/* Out of the way of the script's own redirections, like "exec 3<f". */
	if ((i = fcntl(fd, F_DUPFD_CLOEXEC, 10)) >= 0) {
		close(fd);
		fd = i;
	}
	if (sh_pid != getpid()) {	/* a command, not the shell itself */
		var_drop_local();
		sh_pid = getpid();
		sh_lastbg = 0;
		sh_status = 0;
	}
	/* argv may be in the arena, which run_input frees as it goes. */
	for (sh_argc = 0; argv[sh_argc] != NULL; sh_argc++)
		;
	sh_argv = xmalloc((sh_argc + 1) * sizeof(char *));
	sh_argv[0] = xstrdup(path);
	for (i = 1; i <= sh_argc; i++)
		sh_argv[i] = argv[i] ? xstrdup(argv[i]) : NULL;
	in = xmalloc(sizeof(*in));
	input_open(in, fd);
	run_input(in);
	exit(sh_status);
}

static void
usage(void)
{
	fprintf(stderr, "usage: sh [-i] [-c command [name [arg ...]] | file [arg ...]]\n");
	exit(2);
}

int
main(int argc, char **argv, char **envp)
{
	static char *noargs[2];
	char cwd[PATH_MAX], *command = NULL;
	int i, cflag = 0, iflag = 0;
	struct input in;
	const char *p;

	sh_pid = getpid();
	var_init(envp);
	if (getcwd(cwd, sizeof(cwd)) != NULL)
		var_set("PWD", cwd, 0);

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		for (p = argv[i] + 1; *p != '\0'; p++) {
			if (*p == 'c')
				cflag = 1;
			else if (*p == 'i')
				iflag = 1;
			else
				usage();
		}
	}
	if (cflag) {
		if (i >= argc)
			usage();
		command = argv[i++];
	}
	noargs[0] = argv[0];
	sh_argv = noargs;
	sh_argc = 1;

	if (command != NULL) {
		if (i < argc) {
			sh_argv = argv + i;
			sh_argc = argc - i;
		}
		sh_interactive = iflag;
		jobs_init(sh_interactive);
		run_string(command);
		exit(sh_status);
	}
	if (i < argc) {
		sh_interactive = iflag;
		jobs_init(sh_interactive);
		sh_run_script(argv[i], argv + i);
	}
	sh_interactive = iflag || (isatty(0) && isatty(2));
	jobs_init(sh_interactive);
	input_open(&in, 0);
	run_input(&in);
	exit(sh_status);
}
