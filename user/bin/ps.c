/*
 * ps: lists every process, from /proc as Linux lays it out.
 *
 *	ps
 *
 * For each directory of /proc whose name is a number: /proc/<pid>/stat
 * gives the state and the parent ("pid (comm) S ppid ..."), and the Name:
 * line of /proc/<pid>/status the name (comm from stat if it has none).
 * Prints PID, PPID, STATE and NAME, sorted by pid.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct proc {
	int pid, ppid;
	char state;
	char name[64];
};

/* Reads a small /proc file whole; -1 if it is gone (the process exited). */
static int
read_file(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

static int
read_proc(int pid, struct proc *p)
{
	char path[64], buf[4096], *lp, *rp, *name;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_file(path, buf, sizeof(buf)) < 0)
		return -1;
	/* comm may hold blanks and parentheses: it ends at the last ')'. */
	lp = strchr(buf, '(');
	rp = strrchr(buf, ')');
	if (lp == NULL || rp == NULL || rp < lp || rp[1] == '\0')
		return -1;
	p->pid = pid;
	n = rp - lp - 1;
	if (n >= sizeof(p->name))
		n = sizeof(p->name) - 1;
	memcpy(p->name, lp + 1, n);
	p->name[n] = '\0';
	if (sscanf(rp + 2, "%c %d", &p->state, &p->ppid) != 2)
		return -1;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (read_file(path, buf, sizeof(buf)) == 0 &&
	    (name = strstr(buf, "Name:")) != NULL) {
		name += 5;
		while (*name == ' ' || *name == '\t')
			name++;
		n = strcspn(name, "\n");
		if (n >= sizeof(p->name))
			n = sizeof(p->name) - 1;
		memcpy(p->name, name, n);
		p->name[n] = '\0';
	}
	return 0;
}

static int
cmp_pid(const void *a, const void *b)
{
	return ((const struct proc *)a)->pid - ((const struct proc *)b)->pid;
}

static int
is_number(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

int
main(int argc, char **argv)
{
	struct proc *procs = NULL;
	struct dirent *d;
	int n = 0, cap = 0, i;
	DIR *dp;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: ps\n");
		return 1;
	}
	if ((dp = opendir("/proc")) == NULL) {
		perror("ps: /proc");
		return 1;
	}
	while ((d = readdir(dp)) != NULL) {
		if (!is_number(d->d_name))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			if ((procs = realloc(procs, cap * sizeof(*procs))) == NULL) {
				fprintf(stderr, "ps: out of memory\n");
				return 1;
			}
		}
		if (read_proc(atoi(d->d_name), &procs[n]) == 0)
			n++;
	}
	closedir(dp);
	qsort(procs, n, sizeof(*procs), cmp_pid);
	printf("%5s %5s %-5s %s\n", "PID", "PPID", "STATE", "NAME");
	for (i = 0; i < n; i++)
		printf("%5d %5d %-5c %s\n", procs[i].pid, procs[i].ppid,
		    procs[i].state, procs[i].name);
	free(procs);
	return 0;
}
