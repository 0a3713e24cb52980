/*
 * sh.h: the shell's shared types and the functions its files offer each
 * other.
 *
 * A line of input goes through four steps, one file each:
 *	lex.c		text -> tokens (words keep their quotes: raw text)
 *	parse.c		tokens -> a list of and-or lists of pipelines
 *	expand.c	raw word -> fields ($VAR, quotes, ~, globs), at run time
 *	exec.c		runs the tree: fork, pipes, redirections, builtins
 * with jobs.c (process groups, the terminal, waiting), var.c (variables),
 * builtin.c (cd, exit, export, ...) and util.c (memory, strings, errors)
 * around them; main.c reads the input and drives the loop.
 *
 * Memory: everything made while handling one piece of input (tokens, the
 * tree, expanded words) comes from one arena that main.c frees when the
 * piece has run.  What lives longer (variables, jobs) is malloc'ed.
 */
#ifndef SH_H
#define SH_H

#include <stddef.h>
#include <sys/types.h>

/* ---- util.c ---- */

/* A growable string; s is always NUL-terminated once anything is added. */
struct str {
	char *s;
	size_t len, cap;
};

/* A growable NULL-terminated array of strings (argv, envp, fields). */
struct strvec {
	char **v;
	int n, cap;
};

void *amalloc(size_t n);		/* from the arena; never fails */
char *astrdup(const char *s);
char *astrndup(const char *s, size_t n);
void afreeall(void);			/* frees the whole arena */
void *xmalloc(size_t n);		/* malloc or die */
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
void str_addc(struct str *b, int c);
void str_adds(struct str *b, const char *s);
void str_clear(struct str *b);
void vec_add(struct strvec *v, char *s);	/* s is kept, not copied */
void sh_error(const char *fmt, ...);	/* "sh: ..." on stderr */
int is_name(const char *s, size_t n);	/* a valid variable name? */

/* ---- lex.c ---- */

enum toktype {
	T_WORD,		/* text: the raw word, quotes and all */
	T_REDIR,	/* fd, redir: the operator; the target is the next word */
	T_PIPE, T_AND, T_OR, T_SEMI, T_AMP, T_NL,
	T_EOF,
};

enum redirtype {
	R_IN,		/* n< file	(n defaults to 0) */
	R_OUT,		/* n> file	(n defaults to 1) */
	R_APPEND,	/* n>> file */
	R_DUPIN,	/* n<&m, n<&- */
	R_DUPOUT,	/* n>&m, n>&- */
};

struct token {
	enum toktype type;
	char *text;		/* T_WORD */
	int fd;			/* T_REDIR */
	enum redirtype redir;	/* T_REDIR */
	int start, end;		/* offsets in the input, for job texts */
};

enum {
	LEX_OK,
	LEX_MORE,		/* an open quote or a trailing backslash */
};

int lex(const char *text, struct token **toks, int *ntoks);

/* ---- parse.c ---- */

struct word {
	char *raw;
	struct word *next;
};

struct redir {
	int fd;
	enum redirtype type;
	char *target;		/* raw word */
	struct redir *next;
};

/* One simple command: NAME=value ... word ... with redirections. */
struct command {
	struct word *assigns;
	struct word *words;
	struct redir *redirs;
	struct command *next;	/* the next command of the pipeline */
};

enum { CONN_NONE, CONN_AND, CONN_OR };

struct pipeline {
	struct command *cmds;
	int conn;		/* how the next pipeline of the and-or list runs */
	struct pipeline *next;
};

struct andor {
	struct pipeline *pipes;
	int background;		/* ended by & */
	char *text;		/* its source text, for job messages */
	struct andor *next;
};

enum {
	PARSE_OK,
	PARSE_MORE,		/* input ended where more must follow */
	PARSE_ERROR,		/* already reported */
};

int parse(const char *text, struct andor **list);

/* ---- expand.c ---- */

/* Flags for expand_word. */
#define EX_SPLIT	0x1	/* split unquoted expansions into fields */
#define EX_GLOB		0x2	/* expand unquoted *, ? and [ against files */

int expand_word(const char *raw, int flags, struct strvec *out);
char *expand_one(const char *raw);	/* no splitting: one string; NULL on error */

/* ---- var.c ---- */

void var_init(char **envp);
const char *var_get(const char *name);
void var_set(const char *name, const char *value, int exported);
void var_export(const char *name);
void var_unset(const char *name);
void var_assign(const char *nameval, int exported);	/* "NAME=value" */
void var_drop_local(void);		/* forget what is not exported */
char **var_environ(void);		/* the environment, arena-allocated */
void var_print_exported(void);

/* ---- jobs.c ---- */

struct job;

void jobs_init(int interactive);
struct job *job_new(const char *text);
void job_add_proc(struct job *j, pid_t pid);
pid_t job_pgid(struct job *j);
int job_run_fg(struct job *j);	/* waits; returns the status for $? */
void job_run_bg(struct job *j);	/* announces it and lets it run */
void jobs_reap(int notify);	/* collect finished background jobs */
void jobs_forget(void);		/* in a child: the jobs are not ours */
void child_setup(pid_t pgid, int foreground);
void signals_default(void);
int wait_status(int st, int report);	/* wait status -> $? */
int builtin_jobs(int argc, char **argv);
int builtin_fg(int argc, char **argv);
int builtin_bg(int argc, char **argv);
int builtin_wait(int argc, char **argv);

/* ---- exec.c ---- */

void run_list(struct andor *list);
void exec_external(char **argv) __attribute__((noreturn));

/* ---- builtin.c ---- */

typedef int builtin_fn(int argc, char **argv);
builtin_fn *builtin_find(const char *name);
int builtin_is_exec(builtin_fn *fn);

/* ---- main.c: the shell's state ---- */

extern int sh_status;		/* $? */
extern pid_t sh_pid;		/* $$: the shell's pid, also in subshells */
extern pid_t sh_lastbg;		/* $!: 0 until something ran in the background */
extern int sh_interactive;	/* prompts, job messages, ignores ^C */
extern int sh_jobctl;		/* process groups and the terminal are ours */
extern char **sh_argv;		/* $0, $1, ... */
extern int sh_argc;

void sh_run_script(const char *path, char **argv) __attribute__((noreturn));

#endif
