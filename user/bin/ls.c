/*
 * ls: lists directories and files.
 *
 *	ls [-a] [-l] [-1] [file ...]
 *
 * -a: include names starting with '.'; -l: long format (mode, links,
 * owner and group as numbers, size, modification time, name); -1: one
 * name per line, the default when the output is not a terminal.  On a
 * terminal names go in columns as wide as TIOCGWINSZ (or $COLUMNS, or 80)
 * allows.  Names are sorted bytewise.  Exit status 1 if something could
 * not be listed.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

struct entry {
	char *name;		/* as shown */
	char *path;		/* for lstat and readlink */
	struct stat st;
};

static int aflag, lflag, oneflag;
static int status;

static void
usage(void)
{
	fprintf(stderr, "usage: ls [-a] [-l] [-1] [file ...]\n");
	exit(1);
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n);

	if (p == NULL) {
		fprintf(stderr, "ls: out of memory\n");
		exit(1);
	}
	return p;
}

static char *
join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name,
	    ((const struct entry *)b)->name);
}

static void
mode_string(mode_t m, char *s)
{
	static const char rwx[] = "rwxrwxrwx";
	int i;

	switch (m & S_IFMT) {
	case S_IFDIR:	s[0] = 'd'; break;
	case S_IFLNK:	s[0] = 'l'; break;
	case S_IFCHR:	s[0] = 'c'; break;
	case S_IFBLK:	s[0] = 'b'; break;
	case S_IFIFO:	s[0] = 'p'; break;
	case S_IFSOCK:	s[0] = 's'; break;
	default:	s[0] = '-'; break;
	}
	for (i = 0; i < 9; i++)
		s[i + 1] = (m & (0400 >> i)) ? rwx[i] : '-';
	if (m & S_ISUID)
		s[3] = (m & S_IXUSR) ? 's' : 'S';
	if (m & S_ISGID)
		s[6] = (m & S_IXGRP) ? 's' : 'S';
	if (m & S_ISVTX)
		s[9] = (m & S_IXOTH) ? 't' : 'T';
	s[10] = '\0';
}

static void
print_long(struct entry *e)
{
	char mode[11], when[32], target[4096];
	struct tm tm;
	time_t now = time(NULL);
	ssize_t n;

	mode_string(e->st.st_mode, mode);
	localtime_r(&e->st.st_mtime, &tm);
	/* Like other ls: the year instead of the time when not recent. */
	if (e->st.st_mtime > now - 182 * 24 * 3600 && e->st.st_mtime <= now + 3600)
		strftime(when, sizeof(when), "%b %e %H:%M", &tm);
	else
		strftime(when, sizeof(when), "%b %e  %Y", &tm);
	printf("%s %3lu %4u %4u ", mode, (unsigned long)e->st.st_nlink,
	    (unsigned)e->st.st_uid, (unsigned)e->st.st_gid);
	if (S_ISCHR(e->st.st_mode) || S_ISBLK(e->st.st_mode))
		printf("%3u, %3u", major(e->st.st_rdev), minor(e->st.st_rdev));
	else
		printf("%8lld", (long long)e->st.st_size);
	printf(" %s %s", when, e->name);
	if (S_ISLNK(e->st.st_mode) &&
	    (n = readlink(e->path, target, sizeof(target) - 1)) >= 0) {
		target[n] = '\0';
		printf(" -> %s", target);
	}
	putchar('\n');
}

static int
term_width(void)
{
	struct winsize ws;
	const char *c;

	if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if ((c = getenv("COLUMNS")) != NULL && atoi(c) > 0)
		return atoi(c);
	return 80;
}

/* Column by column, as other ls do: down first, then across. */
static void
print_columns(struct entry *e, int n)
{
	int i, r, c, w, maxlen = 0, colw, ncols, nrows;

	for (i = 0; i < n; i++)
		if ((int)strlen(e[i].name) > maxlen)
			maxlen = strlen(e[i].name);
	colw = maxlen + 2;
	ncols = term_width() / colw;
	if (ncols < 1)
		ncols = 1;
	nrows = (n + ncols - 1) / ncols;
	for (r = 0; r < nrows; r++) {
		for (c = 0; c < ncols; c++) {
			i = c * nrows + r;
			if (i >= n)
				break;
			w = printf("%s", e[i].name);
			if (i + nrows < n)
				printf("%*s", colw - w, "");
		}
		putchar('\n');
	}
}

static void
print_entries(struct entry *e, int n, int istotal)
{
	long long blocks = 0;
	int i;

	qsort(e, n, sizeof(*e), cmp_entry);
	if (lflag) {
		if (istotal) {
			for (i = 0; i < n; i++)
				blocks += e[i].st.st_blocks;
			printf("total %lld\n", blocks / 2);	/* 1 KiB units */
		}
		for (i = 0; i < n; i++)
			print_long(&e[i]);
	} else if (oneflag) {
		for (i = 0; i < n; i++)
			printf("%s\n", e[i].name);
	} else if (n > 0) {
		print_columns(e, n);
	}
}

static void
free_entries(struct entry *e, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(e[i].name);
		free(e[i].path);
	}
	free(e);
}

static void
list_dir(const char *dir)
{
	struct entry *e = NULL;
	struct dirent *d;
	int n = 0, cap = 0;
	DIR *dp;

	if ((dp = opendir(dir)) == NULL) {
		fprintf(stderr, "ls: %s: %s\n", dir, strerror(errno));
		status = 1;
		return;
	}
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.' && !aflag)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			e = realloc(e, cap * sizeof(*e));
			if (e == NULL) {
				fprintf(stderr, "ls: out of memory\n");
				exit(1);
			}
		}
		e[n].name = strdup(d->d_name);
		e[n].path = join(dir, d->d_name);
		/* Without -l only the names are needed: no lstat per file. */
		memset(&e[n].st, 0, sizeof(e[n].st));
		if (lflag && lstat(e[n].path, &e[n].st) < 0) {
			fprintf(stderr, "ls: %s: %s\n", e[n].path, strerror(errno));
			status = 1;
			free(e[n].name);
			free(e[n].path);
			continue;
		}
		n++;
	}
	closedir(dp);
	print_entries(e, n, 1);
	free_entries(e, n);
}

int
main(int argc, char **argv)
{
	static char *dot[] = { ".", NULL };
	struct entry *files;
	char **dirs;
	int c, i, nfiles = 0, ndirs = 0;
	struct stat st;

	while ((c = getopt(argc, argv, "al1")) != -1) {
		switch (c) {
		case 'a': aflag = 1; break;
		case 'l': lflag = 1; break;
		case '1': oneflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (!isatty(1))
		oneflag = 1;
	if (argc == 0) {
		argc = 1;
		argv = dot;
	}

	/* Files first, then each directory: the order of other ls. */
	files = xmalloc(argc * sizeof(*files));
	dirs = xmalloc(argc * sizeof(*dirs));
	for (i = 0; i < argc; i++) {
		if (lstat(argv[i], &st) < 0) {
			fprintf(stderr, "ls: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		/* A symlink to a directory named on the command line is followed. */
		if (S_ISLNK(st.st_mode) && !lflag)
			stat(argv[i], &st);
		if (S_ISDIR(st.st_mode)) {
			dirs[ndirs++] = argv[i];
		} else {
			files[nfiles].name = strdup(argv[i]);
			files[nfiles].path = strdup(argv[i]);
			files[nfiles++].st = st;
		}
	}
	print_entries(files, nfiles, 0);
	free_entries(files, nfiles);
	for (i = 0; i < ndirs; i++) {
		if (nfiles > 0 || i > 0)
			putchar('\n');
		if (argc > 1)
			printf("%s:\n", dirs[i]);
		list_dir(dirs[i]);
	}
	free(dirs);
	return status;
}
