/*
 * exec.h: replacing a process's program (exec.c), and what exec leaves
 * behind for /proc/PID/exe and /proc/PID/cmdline.
 */
#ifndef EXEC_H
#define EXEC_H

#include <stdint.h>
#include <keel/vfs.h>

struct proc;

/* Linux's binfmt_script: a "#!" line is read from the first 256 bytes. */
#define BINPRM_BUF_SIZE	256
/* Programs looked at in one exec: a script chain of 5, then its program. */
#define EXEC_MAX_DEPTH	6

/* argv and envp are NULL-terminated arrays of kernel strings. */
int exec_image(struct proc *p, const char *path, char *const argv[],
    char *const envp[]);

/*
 * The program a process runs, as /proc/PID/exe shows it: the file, and
 * the directory and name it was found by (final symlinks followed), so
 * that its path is computed when read, as Linux's d_path.  Shared by
 * fork, replaced by exec, let go at exit.
 */
struct exeref {
	int er_refs;
	struct vnode *er_file;		/* held */
	struct vnode *er_dir;		/* held; 0 if it could not be found */
	char er_name[VFS_NAME_MAX + 1];
};

/*
 * Where exec put the argument and environment strings and the initial
 * stack pointer (user addresses): /proc/PID/cmdline, environ and stat.
 */
struct proc_args {
	uint64_t pa_arg_start, pa_arg_end;
	uint64_t pa_env_start, pa_env_end;
	uint64_t pa_start_stack;
};

/* A new exeref (1 reference) for file, found by path from cwd; 0 without memory. */
struct exeref *exeref_make(struct vnode *cwd, const char *path, struct vnode *file);
struct exeref *exeref_hold(struct exeref *e);
void exeref_rele(struct exeref *e);
/* Its absolute path (" (deleted)" after it if that name is gone): the length, or -errno. */
int64_t exeref_path(struct exeref *e, char *buf, uint64_t size);

#endif
