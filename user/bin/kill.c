/*
 * kill: sends a signal to processes.
 *
 *	kill [-s SIG | -SIG] pid ...	(SIG: a name, with or without SIG, or a number)
 *	kill -l [status | SIG]		list the names, or translate one
 *
 * The default signal is TERM.  A negative pid names a process group
 * (after "--" or a signal option: "kill -9 -123", "kill -- -123").
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name;
	int sig;
} signals[] = {
	{ "HUP", SIGHUP },	{ "INT", SIGINT },	{ "QUIT", SIGQUIT },
	{ "ILL", SIGILL },	{ "TRAP", SIGTRAP },	{ "ABRT", SIGABRT },
	{ "BUS", SIGBUS },	{ "FPE", SIGFPE },	{ "KILL", SIGKILL },
	{ "USR1", SIGUSR1 },	{ "SEGV", SIGSEGV },	{ "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE },	{ "ALRM", SIGALRM },	{ "TERM", SIGTERM },
	{ "STKFLT", SIGSTKFLT },{ "CHLD", SIGCHLD },	{ "CONT", SIGCONT },
	{ "STOP", SIGSTOP },	{ "TSTP", SIGTSTP },	{ "TTIN", SIGTTIN },
	{ "TTOU", SIGTTOU },	{ "URG", SIGURG },	{ "XCPU", SIGXCPU },
	{ "XFSZ", SIGXFSZ },	{ "VTALRM", SIGVTALRM },{ "PROF", SIGPROF },
	{ "WINCH", SIGWINCH },	{ "IO", SIGIO },	{ "PWR", SIGPWR },
	{ "SYS", SIGSYS },
};

#define NSIGNALS	(sizeof(signals) / sizeof(signals[0]))

static void
usage(void)
{
	fprintf(stderr, "usage: kill [-s SIG | -SIG] pid ...\n"
	    "       kill -l [status | SIG]\n");
	exit(1);
}

/* A signal name or number; -1 if it is neither. */
static int
parse_signal(const char *s)
{
	char *end;
	size_t i;
	long n;

	if (isdigit((unsigned char)s[0])) {
		n = strtol(s, &end, 10);
		return *end == '\0' && n >= 0 && n < 65 ? (int)n : -1;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 0; i < NSIGNALS; i++)
		if (strcasecmp(s, signals[i].name) == 0)
			return signals[i].sig;
	return -1;
}

static const char *
signal_name(int sig)
{
	size_t i;

	for (i = 0; i < NSIGNALS; i++)
		if (signals[i].sig == sig)
			return signals[i].name;
	return NULL;
}

static int
list(const char *arg)
{
	const char *name;
	size_t i;
	int sig;

	if (arg == NULL) {
		for (i = 0; i < NSIGNALS; i++)
			printf("%2d %s\n", signals[i].sig, signals[i].name);
		return 0;
	}
	if (isdigit((unsigned char)arg[0])) {
		/* An exit status from a shell: 128+n means signal n. */
		sig = atoi(arg);
		if (sig > 128)
			sig -= 128;
		if ((name = signal_name(sig)) == NULL) {
			fprintf(stderr, "kill: %s: unknown signal\n", arg);
			return 1;
		}
		printf("%s\n", name);
		return 0;
	}
	if ((sig = parse_signal(arg)) < 0) {
		fprintf(stderr, "kill: %s: unknown signal\n", arg);
		return 1;
	}
	printf("%d\n", sig);
	return 0;
}

int
main(int argc, char **argv)
{
	int i = 1, sig = SIGTERM, status = 0;
	char *end;
	long pid;

	if (argc < 2)
		usage();
	if (strcmp(argv[1], "-l") == 0 || strcmp(argv[1], "-L") == 0) {
		if (argc > 3)
			usage();
		return list(argc == 3 ? argv[2] : NULL);
	}
	if (strcmp(argv[1], "-s") == 0) {
		if (argc < 3)
			usage();
		sig = parse_signal(argv[2]);
		i = 3;
	} else if (argv[1][0] == '-' && strcmp(argv[1], "--") != 0) {
		sig = parse_signal(argv[1] + 1);
		i = 2;
	}
	if (sig < 0) {
		fprintf(stderr, "kill: %s: unknown signal\n", argv[i - 1]);
		usage();
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc)
		usage();
	for (; i < argc; i++) {
		pid = strtol(argv[i], &end, 10);
		if (end == argv[i] || *end != '\0') {
			fprintf(stderr, "kill: %s: not a pid\n", argv[i]);
			status = 1;
			continue;
		}
		if (kill((pid_t)pid, sig) < 0) {
			fprintf(stderr, "kill: (%ld) - %s\n", pid, strerror(errno));
			status = 1;
		}
	}
	return status;
}
