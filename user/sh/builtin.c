/*
 * builtin.c: the commands the shell runs itself, because they change the
 * shell (cd, exit, export, ...) or need its jobs (wait, fg; in jobs.c).
 *
 * Interface: builtin_find(name) gives the function or NULL.  A builtin
 * gets argc/argv like main, prints with stdio and returns its exit status.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

static int builtin_help(int argc, char **argv);

/* cd [dir | -]: no dir means $HOME, or / without one. */
static int
builtin_cd(int argc, char **argv)
{
	char cwd[PATH_MAX], old[PATH_MAX];
	const char *dir;

	if (argc > 2) {
		fprintf(stderr, "usage: cd [dir | -]\n");
		return 1;
	}
	if (argc == 1) {
		dir = var_get("HOME");
		if (dir == NULL || *dir == '\0')
			dir = "/";
	} else if (strcmp(argv[1], "-") == 0) {
		if ((dir = var_get("OLDPWD")) == NULL) {
			sh_error("cd: OLDPWD not set");
			return 1;
		}
		printf("%s\n", dir);
	} else {
		dir = argv[1];
	}
	if (getcwd(old, sizeof(old)) == NULL)
		old[0] = '\0';
	if (chdir(dir) < 0) {
		sh_error("cd: %s: %s", dir, strerror(errno));
		return 1;
	}
	if (old[0] != '\0')
		var_set("OLDPWD", old, 0);
	if (getcwd(cwd, sizeof(cwd)) != NULL)
		var_set("PWD", cwd, 0);
	return 0;
}

static int
builtin_pwd(int argc, char **argv)
{
	char cwd[PATH_MAX];

	(void)argc;
	(void)argv;
	if (getcwd(cwd, sizeof(cwd)) == NULL) {
		sh_error("pwd: %s", strerror(errno));
		return 1;
	}
	printf("%s\n", cwd);
	return 0;
}

/* exit [n]: n, or the status of the last command. */
static int
builtin_exit(int argc, char **argv)
{
	char *end;
	long n = sh_status;

	if (argc > 2) {
		sh_error("exit: too many arguments");
		return 1;
	}
	if (argc == 2) {
		n = strtol(argv[1], &end, 10);
		if (end == argv[1] || *end != '\0') {
			sh_error("exit: %s: numeric argument required", argv[1]);
			n = 2;
		}
	}
	fflush(stdout);
	exit(n & 0xff);
}

/* export [NAME[=value] ...]: with none, lists the exported variables. */
static int
builtin_export(int argc, char **argv)
{
	const char *eq;
	int i, status = 0;

	if (argc == 1) {
		var_print_exported();
		return 0;
	}
	for (i = 1; i < argc; i++) {
		eq = strchr(argv[i], '=');
		if (!is_name(argv[i], eq ? (size_t)(eq - argv[i]) : strlen(argv[i]))) {
			sh_error("export: %s: not a valid name", argv[i]);
			status = 1;
		} else if (eq != NULL) {
			var_assign(argv[i], 1);
		} else {
			var_export(argv[i]);
		}
	}
	return status;
}

static int
builtin_unset(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		var_unset(argv[i]);
	return 0;
}

static int
builtin_colon(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/*
 * exec command [args]: reached here only in a pipeline's child; a lone
 * exec is run by exec.c, where redirections without a command must stay.
 */
static int
builtin_exec(int argc, char **argv)
{
	if (argc == 1)
		return 0;
	exec_external(argv + 1);
}

static const struct builtin {
	const char *name;
	builtin_fn *fn;
	const char *help;
} builtins[] = {
	{ ":",		builtin_colon,	"do nothing, successfully" },
	{ "bg",		builtin_bg,	"bg [%n]: continue a stopped job in the background" },
	{ "cd",		builtin_cd,	"cd [dir | -]: change directory ($HOME or / by default)" },
	{ "exec",	builtin_exec,	"exec [cmd [args]]: replace the shell with cmd; alone, keep its redirections" },
	{ "exit",	builtin_exit,	"exit [n]: leave the shell with status n (default: $?)" },
	{ "export",	builtin_export,	"export [NAME[=value] ...]: put variables in the environment" },
	{ "fg",		builtin_fg,	"fg [%n]: bring a job to the foreground" },
	{ "help",	builtin_help,	"help: this list" },
	{ "jobs",	builtin_jobs,	"jobs: list background and stopped jobs" },
	{ "pwd",	builtin_pwd,	"pwd: print the current directory" },
	{ "unset",	builtin_unset,	"unset NAME ...: remove variables" },
	{ "wait",	builtin_wait,	"wait [pid | %n ...]: wait for background jobs" },
};

#define NBUILTINS	(sizeof(builtins) / sizeof(builtins[0]))

static int
builtin_help(int argc, char **argv)
{
	size_t i;

	(void)argc;
	(void)argv;
	printf("Builtin commands:\n");
	for (i = 0; i < NBUILTINS; i++)
		printf("  %-8s %s\n", builtins[i].name, builtins[i].help);
	printf("Other commands are programs found in $PATH (ls /bin).\n"
	    "Syntax: a | b, a && b, a || b, a; b, a &, < > >> 2> 2>&1,\n"
	    "'quotes', \"$VAR ${VAR}\", $? $$ $!, NAME=value, * ? [ globs, # comments.\n");
	return 0;
}

builtin_fn *
builtin_find(const char *name)
{
	size_t i;

	for (i = 0; i < NBUILTINS; i++)
		if (strcmp(builtins[i].name, name) == 0)
			return builtins[i].fn;
	return NULL;
}

int
builtin_is_exec(builtin_fn *fn)
{
	return fn == builtin_exec;
}
