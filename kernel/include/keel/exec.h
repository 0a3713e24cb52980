/*
 * exec.h: replacing a process's program (exec.c).
 */
#ifndef EXEC_H
#define EXEC_H

#include <stdint.h>

struct proc;

/* argv and envp are NULL-terminated arrays of kernel strings. */
int exec_image(struct proc *p, const char *path, char *const argv[],
    char *const envp[]);

#endif
