/*
 * cmdline.h: the kernel command line, "word word key=value ..." as on Linux.
 */
#ifndef CMDLINE_H
#define CMDLINE_H

#include <stddef.h>

void cmdline_init(const char *s);
/*
 * The value of key=value (copied into buf, at most size-1 chars) and 1, or 0
 * when key is absent.  A bare word "key" counts as present with "" as value.
 */
int cmdline_get(const char *key, char *buf, size_t size);
int cmdline_has(const char *key);
/*
 * Append the words that are none of known[] (key names, NULL-ended) to
 * init's lists, as Linux does: bare words and every word after "--" to
 * argv, "KEY=value" to envp.  Each list holds *count entries and room for
 * max pointers, and stays NULL-terminated; words past the room are dropped.
 */
void cmdline_init_args(const char *const known[], char **argv, int *argc, int maxargv,
    char **envp, int *envc, int maxenvp);

#endif
