/*
 * exec.c: runs the command tree.
 *
 * Interface: run_list(list) runs the and-or lists parse() made, setting
 * sh_status ($?); exec_external(argv) replaces the process with a program
 * found in $PATH.
 *
 * A lone builtin, or a command with no words (only assignments and
 * redirections), runs in the shell itself with its redirections undone
 * afterwards; everything else is forked, one process per command of a
 * pipeline, each expanding its own words.  An and-or list with & that
 * holds more than one pipeline runs in a forked copy of the shell.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

#define DEFAULT_PATH	"/bin:/sbin:/usr/bin:/usr/sbin"
#define SAVED_MIN	10	/* saved fds go at or above this */
#define MAXSAVED	16

/* An fd that a redirection replaced and that the shell gets back. */
struct saved {
	int fd;
	int copy;		/* -1: fd was closed */
};

struct savedfds {
	struct saved s[MAXSAVED];
	int n;
};

static int
open_target(struct redir *r, const char *target)
{
	char *end;
	long n;

	switch (r->type) {
	case R_IN:
		return open(target, O_RDONLY);
	case R_OUT:
		return open(target, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	case R_APPEND:
		return open(target, O_WRONLY | O_CREAT | O_APPEND, 0666);
	case R_DUPIN:
	case R_DUPOUT:
		n = strtol(target, &end, 10);
		if (end == target || *end != '\0' || n < 0 || n >= SAVED_MIN) {
			errno = EBADF;
			return -1;
		}
		/* Checked here so that "n>&m" with m closed fails cleanly. */
		if (fcntl(n, F_GETFD) < 0)
			return -1;
		return n;
	}
	return -1;
}

/* Applies redirections in order; with save, notes what to give back. */
static int
apply_redirs(struct redir *r, struct savedfds *save)
{
	char *target;
	int fd;

	for (; r != NULL; r = r->next) {
		if ((target = expand_one(r->target)) == NULL)
			return -1;
		if (r->fd >= SAVED_MIN) {
			sh_error("%d: file descriptor out of range", r->fd);
			return -1;
		}
		/* Saved first: the open below may reuse r->fd if it is closed. */
		if (save != NULL) {
			if (save->n == MAXSAVED) {
				sh_error("too many redirections");
				return -1;
			}
			save->s[save->n].fd = r->fd;
			save->s[save->n++].copy = fcntl(r->fd, F_DUPFD_CLOEXEC,
			    SAVED_MIN);
		}
		fd = -1;
		if (!((r->type == R_DUPIN || r->type == R_DUPOUT) &&
		    strcmp(target, "-") == 0)) {
			if ((fd = open_target(r, target)) < 0) {
				sh_error("%s: %s", target, strerror(errno));
				return -1;
			}
		}
		if (fd < 0) {
			close(r->fd);		/* n>&- */
		} else if (fd != r->fd) {
			dup2(fd, r->fd);
			if (r->type != R_DUPIN && r->type != R_DUPOUT)
				close(fd);
		}
	}
	return 0;
}

static void
restore_redirs(struct savedfds *save)
{
	struct saved *s;

	while (save->n > 0) {
		s = &save->s[--save->n];
		if (s->copy >= 0) {
			dup2(s->copy, s->fd);
			close(s->copy);
		} else {
			close(s->fd);
		}
	}
}

static int
expand_words(struct word *w, struct strvec *argv)
{
	for (; w != NULL; w = w->next)
		if (expand_word(w->raw, EX_SPLIT | EX_GLOB, argv) < 0)
			return -1;
	if (argv->v == NULL) {		/* no words: still an argv */
		argv->v = amalloc(sizeof(char *));
		argv->v[0] = NULL;
	}
	return 0;
}

static int
do_assigns(struct word *w, int exported)
{
	char *eq, *value;

	for (; w != NULL; w = w->next) {
		eq = strchr(w->raw, '=');
		if ((value = expand_one(eq + 1)) == NULL)
			return -1;
		var_set(astrndup(w->raw, eq - w->raw), value, exported);
	}
	return 0;
}

void
exec_external(char **argv)
{
	char **envp = var_environ();
	const char *path, *dir, *end;
	char buf[4096];
	int err = ENOENT;
	size_t n;

	if (strchr(argv[0], '/') != NULL) {
		execve(argv[0], argv, envp);
		err = errno;
		if (err == ENOEXEC)
			sh_run_script(argv[0], argv);
	} else {
		if ((path = var_get("PATH")) == NULL)
			path = DEFAULT_PATH;
		for (dir = path; ; dir = end + 1) {
			end = strchr(dir, ':');
			n = end ? (size_t)(end - dir) : strlen(dir);
			/* An empty entry is the current directory. */
			if (snprintf(buf, sizeof(buf), "%.*s%s%s", (int)n, dir,
			    n ? "/" : "", argv[0]) < (int)sizeof(buf)) {
				execve(buf, argv, envp);
				if (errno == ENOEXEC)
					sh_run_script(buf, argv);
				if (errno != ENOENT && errno != ENOTDIR)
					err = errno;
			}
			if (end == NULL)
				break;
		}
	}
	if (err == ENOENT) {
		sh_error("%s: not found", argv[0]);
		_exit(127);
	}
	sh_error("%s: %s", argv[0], strerror(err));
	_exit(126);
}

/* In a forked child: the rest of the command's life. */
static void
exec_command(struct command *c)
{
	struct strvec argv = { 0 };
	builtin_fn *fn;

	if (expand_words(c->words, &argv) < 0 || do_assigns(c->assigns, 1) < 0 ||
	    apply_redirs(c->redirs, NULL) < 0)
		_exit(1);
	if (argv.n == 0)
		_exit(0);
	if ((fn = builtin_find(argv.v[0])) != NULL) {
		sh_status = fn(argv.n, argv.v);
		fflush(stdout);
		_exit(sh_status);
	}
	exec_external(argv.v);
}

/* exec [command [args]]: the command replaces the shell. */
static int
run_exec(struct command *c, struct strvec *argv)
{
	if (apply_redirs(c->redirs, NULL) < 0)
		return 1;
	if (argv->n == 1)
		return 0;		/* redirections stay: "exec >log" */
	if (do_assigns(c->assigns, 1) < 0)
		return 1;
	signals_default();
	exec_external(argv->v + 1);
}

/* A command that needs no fork: a builtin, or no command at all. */
static int
run_in_shell(struct command *c, struct strvec *argv, builtin_fn *fn)
{
	struct savedfds save;
	int status = 0;

	save.n = 0;
	if (fn != NULL && builtin_is_exec(fn))
		return run_exec(c, argv);
	fflush(stdout);
	if (apply_redirs(c->redirs, &save) < 0) {
		restore_redirs(&save);
		return 1;
	}
	if (do_assigns(c->assigns, 0) < 0)
		status = 1;
	else if (fn != NULL)
		status = fn(argv->n, argv->v);
	fflush(stdout);
	restore_redirs(&save);
	return status;
}

static int
run_pipeline(struct pipeline *pl, const char *text, int bg)
{
	struct strvec argv = { 0 };
	struct command *c;
	struct job *j;
	builtin_fn *fn = NULL;
	int p[2], infd = -1;
	pid_t pid;

	c = pl->cmds;
	if (c->next == NULL && !bg) {
		if (expand_words(c->words, &argv) < 0)
			return 1;
		if (argv.n > 0)
			fn = builtin_find(argv.v[0]);
		if (argv.n == 0 || fn != NULL)
			return run_in_shell(c, &argv, fn);
	}
	j = job_new(text);
	for (; c != NULL; c = c->next) {
		if (c->next != NULL && pipe(p) < 0) {
			sh_error("pipe: %s", strerror(errno));
			break;
		}
		fflush(stdout);
		if ((pid = fork()) < 0) {
			sh_error("fork: %s", strerror(errno));
			if (c->next != NULL) {
				close(p[0]);
				close(p[1]);
			}
			break;
		}
		if (pid == 0) {
			child_setup(job_pgid(j), !bg);
			if (infd >= 0) {
				dup2(infd, 0);
				close(infd);
			}
			if (c->next != NULL) {
				close(p[0]);
				dup2(p[1], 1);
				close(p[1]);
			}
			exec_command(c);
		}
		job_add_proc(j, pid);
		if (infd >= 0)
			close(infd);
		infd = -1;
		if (c->next != NULL) {
			close(p[1]);
			infd = p[0];
		}
	}
	if (infd >= 0)
		close(infd);
	/* After a failed pipe or fork, what did start is still waited for. */
	if (bg) {
		job_run_bg(j);
		return 0;
	}
	return job_run_fg(j);
}

static int
run_andor(struct andor *a)
{
	struct pipeline *pl;
	int run = 1;

	for (pl = a->pipes; pl != NULL; pl = pl->next) {
		if (run)
			sh_status = run_pipeline(pl, a->text, 0);
		run = (pl->conn == CONN_AND && sh_status == 0) ||
		    (pl->conn == CONN_OR && sh_status != 0);
	}
	return sh_status;
}

/* cmd &: a lone pipeline is its own job; a && b & needs a subshell. */
static void
run_background(struct andor *a)
{
	struct job *j;
	pid_t pid;

	if (a->pipes->next == NULL) {
		run_pipeline(a->pipes, a->text, 1);
		sh_status = 0;
		return;
	}
	j = job_new(a->text);
	fflush(stdout);
	if ((pid = fork()) < 0) {
		sh_error("fork: %s", strerror(errno));
		job_run_bg(j);		/* drops it: no processes */
		sh_status = 1;
		return;
	}
	if (pid == 0) {
		child_setup(0, 0);
		exit(run_andor(a));
	}
	job_add_proc(j, pid);
	job_run_bg(j);
	sh_status = 0;
}

void
run_list(struct andor *a)
{
	for (; a != NULL; a = a->next) {
		if (a->background)
			run_background(a);
		else
			run_andor(a);
	}
}
