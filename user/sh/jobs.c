/*
 * jobs.c: process groups, the terminal, and waiting for children.
 *
 * Interface: exec.c makes a job per pipeline it forks (job_new, then
 * job_add_proc for each process, whose child side calls child_setup) and
 * then either waits for it (job_run_fg) or leaves it running (job_run_bg).
 * main.c calls jobs_reap before each prompt to report finished background
 * jobs.  The builtins jobs, fg, bg and wait live here too.
 *
 * Job control, when the shell is interactive and owns a terminal: every
 * job is a process group (setpgid in the child and in the parent, since
 * either may run first); a foreground job is given the terminal with
 * tcsetpgrp, so ^C and ^Z reach it and not the shell, and the shell takes
 * the terminal back when the job ends or stops.  The shell ignores SIGINT,
 * SIGQUIT and the terminal stop signals; its children put them back to
 * SIG_DFL.  Without a terminal (tcsetpgrp fails) everything stays in the
 * shell's group and only waiting is done.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sh.h"

#define MAXJOBS	64

struct proc {
	pid_t pid;
	int status;		/* the wait status, once done */
	int done;
	int stopped;
};

struct job {
	int id;			/* [n]; 0 while it runs in the foreground */
	pid_t pgid;		/* 0 without job control */
	struct proc *procs;
	int nprocs;
	char *text;
};

/* jobs[n] is job [n]: running in the background or stopped. */
static struct job *jobs[MAXJOBS + 1];
static int ttyfd = -1;		/* the terminal, kept away from fds 0-9 */
static pid_t shell_pgid;

static const int jobsigs[] = { SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU };

static void
set_signal(int sig, void (*handler)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

void
jobs_init(int interactive)
{
	pid_t oldpgid;

	if (!interactive)
		return;
	set_signal(SIGINT, SIG_IGN);
	set_signal(SIGQUIT, SIG_IGN);
	if (!isatty(0) || (ttyfd = fcntl(0, F_DUPFD_CLOEXEC, 10)) < 0)
		return;
	/* A terminal that is not our controlling one: no job control. */
	if (tcgetpgrp(ttyfd) < 0)
		goto nojobctl;
	/* Taking the terminal from another group raises SIGTTOU. */
	set_signal(SIGTSTP, SIG_IGN);
	set_signal(SIGTTIN, SIG_IGN);
	set_signal(SIGTTOU, SIG_IGN);
	shell_pgid = getpid();
	oldpgid = getpgrp();
	if (oldpgid != shell_pgid)
		setpgid(0, shell_pgid);
	if (tcsetpgrp(ttyfd, shell_pgid) < 0) {
		/* Back where the terminal can be read from. */
		setpgid(0, oldpgid);
		goto nojobctl;
	}
	sh_jobctl = 1;
	return;
nojobctl:
	close(ttyfd);
	ttyfd = -1;
}

/* Undoes what jobs_init did to signals, for a program about to run. */
void
signals_default(void)
{
	size_t i;

	if (sh_interactive)
		for (i = 0; i < sizeof(jobsigs) / sizeof(jobsigs[0]); i++)
			set_signal(jobsigs[i], SIG_DFL);
}

/* In a forked child, before anything else. */
void
child_setup(pid_t pgid, int foreground)
{
	if (sh_jobctl) {
		if (pgid == 0)
			pgid = getpid();
		setpgid(0, pgid);
		/* Still ignoring SIGTTOU here, so this works from any group. */
		if (foreground)
			tcsetpgrp(ttyfd, pgid);
	}
	signals_default();
	/* POSIX: without job control, ^C must not reach background jobs. */
	if (!sh_jobctl && !foreground) {
		set_signal(SIGINT, SIG_IGN);
		set_signal(SIGQUIT, SIG_IGN);
	}
	if (ttyfd >= 0)
		close(ttyfd);
	ttyfd = -1;
	sh_jobctl = 0;
	sh_interactive = 0;
	jobs_forget();
}

void
jobs_forget(void)
{
	int i;

	for (i = 1; i <= MAXJOBS; i++)
		jobs[i] = NULL;		/* the parent's; not freed, not ours */
}

struct job *
job_new(const char *text)
{
	struct job *j = xmalloc(sizeof(*j));

	memset(j, 0, sizeof(*j));
	j->text = xstrdup(text);
	return j;
}

void
job_add_proc(struct job *j, pid_t pid)
{
	j->procs = xrealloc(j->procs, (j->nprocs + 1) * sizeof(struct proc));
	memset(&j->procs[j->nprocs], 0, sizeof(struct proc));
	j->procs[j->nprocs++].pid = pid;
	if (sh_jobctl) {
		if (j->pgid == 0)
			j->pgid = pid;
		setpgid(pid, j->pgid);
	}
}

pid_t
job_pgid(struct job *j)
{
	return j->pgid;
}

static void
job_free(struct job *j)
{
	if (j->id)
		jobs[j->id] = NULL;
	free(j->procs);
	free(j->text);
	free(j);
}

/* Gives the job a number [n]: the lowest one free. */
static int
job_enter(struct job *j)
{
	int i, try;

	if (j->id)
		return 0;
	for (try = 0; try < 2; try++) {
		for (i = 1; i <= MAXJOBS; i++) {
			if (jobs[i] == NULL) {
				jobs[i] = j;
				j->id = i;
				return 0;
			}
		}
		/* Full: forget the finished jobs nobody waited for. */
		jobs_reap(0);
	}
	sh_error("too many jobs");
	return -1;
}

int
wait_status(int st, int report)
{
	int sig;

	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSTOPPED(st))
		return 128 + WSTOPSIG(st);
	sig = WTERMSIG(st);
	if (report && sig == SIGINT && sh_interactive)
		fputc('\n', stderr);
	else if (report && sig != SIGINT && sig != SIGPIPE)
		fprintf(stderr, "%s%s\n", strsignal(sig),
		    WCOREDUMP(st) ? " (core dumped)" : "");
	return 128 + sig;
}

/* Waits for one process; flags as for waitpid.  0: nothing happened. */
static int
proc_wait(struct proc *p, int flags)
{
	int st;
	pid_t r;

	while ((r = waitpid(p->pid, &st, flags)) < 0 && errno == EINTR)
		;
	if (r == 0)
		return 0;
	if (r < 0) {		/* not our child any more: count it as done */
		p->done = 1;
		p->status = 0;
		return 1;
	}
	if (WIFSTOPPED(st)) {
		p->stopped = 1;
		p->status = st;
	} else {
		p->done = 1;
		p->stopped = 0;
		p->status = st;
	}
	return 1;
}

static int
job_done(struct job *j)
{
	int i;

	for (i = 0; i < j->nprocs; i++)
		if (!j->procs[i].done)
			return 0;
	return 1;
}

static int
job_stopped(struct job *j)
{
	int i;

	for (i = 0; i < j->nprocs; i++)
		if (j->procs[i].stopped && !j->procs[i].done)
			return 1;
	return 0;
}

/* The status of a finished job is the status of its last process. */
static int
job_status(struct job *j)
{
	return j->procs[j->nprocs - 1].status;
}

/* Waits until the job ends or stops, then takes the terminal back. */
static int
wait_fg(struct job *j)
{
	int i, st;

	for (i = 0; i < j->nprocs && !job_stopped(j); i++)
		if (!j->procs[i].done)
			proc_wait(&j->procs[i], sh_jobctl ? WUNTRACED : 0);
	if (sh_jobctl) {
		/* Collect the stop reports of the rest of the group now. */
		if (job_stopped(j))
			for (i = 0; i < j->nprocs; i++)
				if (!j->procs[i].done && !j->procs[i].stopped)
					proc_wait(&j->procs[i], WNOHANG | WUNTRACED);
		tcsetpgrp(ttyfd, shell_pgid);
	}
	if (job_stopped(j) && job_enter(j) == 0) {
		fprintf(stderr, "\n[%d] Stopped  %s\n", j->id, j->text);
		return 128 + SIGTSTP;
	}
	st = job_status(j);
	job_free(j);
	return wait_status(st, 1);
}

/* A job with no processes (the first fork failed) is dropped. */
int
job_run_fg(struct job *j)
{
	if (j->nprocs == 0) {
		job_free(j);
		return 1;
	}
	if (sh_jobctl)
		tcsetpgrp(ttyfd, j->pgid);
	return wait_fg(j);
}

void
job_run_bg(struct job *j)
{
	if (j->nprocs == 0) {
		job_free(j);
		return;
	}
	sh_lastbg = j->procs[j->nprocs - 1].pid;
	if (job_enter(j) < 0) {
		job_free(j);	/* it runs on, unwatched */
		return;
	}
	if (sh_interactive)
		fprintf(stderr, "[%d] %d\n", j->id, (int)sh_lastbg);
}

static void
print_done(struct job *j)
{
	int st = job_status(j);

	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		fprintf(stderr, "[%d] done  %s\n", j->id, j->text);
	else if (WIFEXITED(st))
		fprintf(stderr, "[%d] exit %d  %s\n", j->id, WEXITSTATUS(st),
		    j->text);
	else
		fprintf(stderr, "[%d] %s  %s\n", j->id, strsignal(WTERMSIG(st)),
		    j->text);
}

void
jobs_reap(int notify)
{
	struct job *j;
	int i, k, wasstopped;

	for (i = 1; i <= MAXJOBS; i++) {
		if ((j = jobs[i]) == NULL)
			continue;
		wasstopped = job_stopped(j);
		for (k = 0; k < j->nprocs; k++)
			if (!j->procs[k].done)
				proc_wait(&j->procs[k], WNOHANG | WUNTRACED);
		if (job_done(j)) {
			if (notify)
				print_done(j);
			job_free(j);
		} else if (notify && !wasstopped && job_stopped(j)) {
			fprintf(stderr, "[%d] Stopped  %s\n", j->id, j->text);
		}
	}
}

/* %n, n or nothing (the newest job). */
static struct job *
find_job(const char *spec, const char *who)
{
	int i;

	if (spec == NULL || strcmp(spec, "%%") == 0 || strcmp(spec, "%+") == 0) {
		for (i = MAXJOBS; i > 0; i--)
			if (jobs[i] != NULL)
				return jobs[i];
		fprintf(stderr, "%s: no current job\n", who);
		return NULL;
	}
	if (spec[0] == '%')
		spec++;
	i = atoi(spec);
	if (i < 1 || i > MAXJOBS || jobs[i] == NULL) {
		fprintf(stderr, "%s: %s: no such job\n", who, spec);
		return NULL;
	}
	return jobs[i];
}

static void
job_continue(struct job *j)
{
	int i;

	for (i = 0; i < j->nprocs; i++)
		j->procs[i].stopped = 0;
	if (j->pgid > 0) {
		kill(-j->pgid, SIGCONT);
		return;
	}
	for (i = 0; i < j->nprocs; i++)
		if (!j->procs[i].done)
			kill(j->procs[i].pid, SIGCONT);
}

int
builtin_jobs(int argc, char **argv)
{
	int i;

	(void)argc;
	(void)argv;
	jobs_reap(1);
	for (i = 1; i <= MAXJOBS; i++)
		if (jobs[i] != NULL)
			printf("[%d] %s  %s\n", i,
			    job_stopped(jobs[i]) ? "Stopped" : "Running",
			    jobs[i]->text);
	return 0;
}

int
builtin_fg(int argc, char **argv)
{
	struct job *j;

	if ((j = find_job(argc > 1 ? argv[1] : NULL, "fg")) == NULL)
		return 1;
	printf("%s\n", j->text);
	fflush(stdout);
	if (sh_jobctl)
		tcsetpgrp(ttyfd, j->pgid);
	job_continue(j);
	return wait_fg(j);
}

int
builtin_bg(int argc, char **argv)
{
	struct job *j;

	if ((j = find_job(argc > 1 ? argv[1] : NULL, "bg")) == NULL)
		return 1;
	printf("[%d] %s &\n", j->id, j->text);
	job_continue(j);
	return 0;
}

/* Waits for every process of the job; the job is forgotten, not reported. */
static int
wait_job(struct job *j)
{
	int i, st;

	for (i = 0; i < j->nprocs; i++)
		while (!j->procs[i].done)
			proc_wait(&j->procs[i], 0);
	st = job_status(j);
	job_free(j);
	return wait_status(st, 0);
}

int
builtin_wait(int argc, char **argv)
{
	struct job *j;
	int i, k, status = 0;
	pid_t pid;

	if (argc == 1) {
		for (i = 1; i <= MAXJOBS; i++)
			if (jobs[i] != NULL)
				wait_job(jobs[i]);
		return 0;
	}
	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '%') {
			if ((j = find_job(argv[i], "wait")) == NULL) {
				status = 127;
				continue;
			}
			status = wait_job(j);
			continue;
		}
		pid = atoi(argv[i]);
		for (k = 1; k <= MAXJOBS; k++) {
			j = jobs[k];
			if (j != NULL && j->procs[j->nprocs - 1].pid == pid)
				break;
		}
		if (k <= MAXJOBS) {
			status = wait_job(j);
		} else {
			fprintf(stderr, "wait: pid %s is not a child of this shell\n",
			    argv[i]);
			status = 127;
		}
	}
	return status;
}
