/*
 * t_exec.c: tests of execve: of echoargs (argv and envp, big argument
 * lists, what survives and what is replaced, the auxiliary vector), of
 * int80 and int80spin (int $0x80 from 64-bit code), of files that
 * are not programs: missing, directories, text, truncated ELF, and of
 * "#!" scripts (the /test/sc-* files of user/scripts/mkscripts.sh).
 *
 * Interface: exec_tests[] (utest.h).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "echoargs.h"
#include "utest.h"

static char *const no_env[] = { 0 };

struct exec_args {
	const char *path;
	char *const *argv;
	char *const *envp;
	int err;		/* the errno execve must fail with; 0: must not return */
};

static void
c_exec(void *arg)
{
	const struct exec_args *e = arg;
	long r = sys_execve(e->path, e->argv, e->envp);

	CCHECK_EQ(r, -e->err);
	CCHECK(e->err, "execve(%s) returned %s", e->path, ut_rstr(r));
}

#define CHECK_EXEC_EXIT(path, argv, envp, code) do {			\
	struct exec_args _e = { (path), (argv), (envp), 0 };		\
	CHECK_EXIT(c_exec, &_e, (code));				\
} while (0)

#define CHECK_EXEC_ERR(path, argv, envp, err) do {			\
	struct exec_args _e = { (path), (argv), (envp), (err) };	\
	CHECK_EXIT(c_exec, &_e, 0);					\
} while (0)

static void
t_exec_args(void)
{
	char *argv[] = { "echoargs", "hash", "hello", "", "with space", 0 };
	char *envp[] = { "A=1", "KEEL=yes", "EMPTY=", 0 };
	char *argv0[] = { "/different/argv0", "hash", 0 };

	CHECK_EXEC_EXIT(ECHOARGS_PATH, argv, envp, echoargs_hash(argv, envp) % 200 + 50);
	CHECK_EXEC_EXIT(ECHOARGS_PATH, argv, no_env, echoargs_hash(argv, no_env) % 200 + 50);
	CHECK_EXEC_EXIT(ECHOARGS_PATH, argv0, envp, echoargs_hash(argv0, envp) % 200 + 50);
	/* A null envp is an empty environment. */
	CHECK_EXEC_EXIT(ECHOARGS_PATH, argv, 0, echoargs_hash(argv, no_env) % 200 + 50);
}

static void
t_exec_big_args(void)
{
	enum { NARG = 200, ARGLEN = 200 };
	static char strs[NARG][ARGLEN];
	static char *argv[NARG + 3], *envp[NARG + 1];

	argv[0] = "echoargs";
	argv[1] = "hash";
	for (int i = 0; i < NARG; i++) {
		memset(strs[i], 'a' + i % 26, ARGLEN - 1);
		snprintf(strs[i], 8, "%03d", i);
		strs[i][3] = '=';
		argv[i + 2] = strs[i];
		envp[i] = strs[(i + 1) % NARG];
	}
	/* About 80 KiB of strings: more than one page of the new stack. */
	CHECK_EXEC_EXIT(ECHOARGS_PATH, argv, envp, echoargs_hash(argv, envp) % 200 + 50);
}

/* 10,000 short words in one command, as xargs builds (Linux limits bytes only). */
static void
t_exec_many_args(void)
{
	enum { NARG = 10000 };
	static char strs[NARG][6];
	static char *argv[NARG + 3];

	argv[0] = "echoargs";
	argv[1] = "hash";
	for (int i = 0; i < NARG; i++) {
		snprintf(strs[i], sizeof strs[i], "%d", i + 1);
		argv[i + 2] = strs[i];
	}
	CHECK_EXEC_EXIT(ECHOARGS_PATH, argv, no_env, echoargs_hash(argv, no_env) % 200 + 50);
}

/* RLIMIT_STACK at exec: the new program's stack is as deep as the limit says. */
static void
c_exec_stack(void *arg)
{
	char *argv[] = { "echoargs", "stack", (char *)arg, 0 };

	CCHECK_EQ(sys_execve(ECHOARGS_PATH, argv, no_env), 0);
}

static void
c_exec_stack_limited(void *arg)
{
	struct { unsigned long cur, max; } lim = { 256 * 1024, ~0UL };

	CCHECK_EQ(sys4(SYS_prlimit64, 0, 3 /* RLIMIT_STACK */, &lim, 0), 0);
	c_exec_stack(arg);
}

static void
c_exec_stack_big(void *arg)
{
	struct { unsigned long cur, max; } lim = { 64UL << 20, ~0UL };

	CCHECK_EQ(sys4(SYS_prlimit64, 0, 3 /* RLIMIT_STACK */, &lim, 0), 0);
	c_exec_stack(arg);
}

static void
t_exec_stack_limit(void)
{
	CHECK_EXIT(c_exec_stack_limited, "128", 0);
	CHECK_SIGNAL(c_exec_stack_limited, "1024", SIGSEGV);
	CHECK_EXIT(c_exec_stack_big, "16384", 0);	/* past the default 8 MiB */
}

static void
c_exec_ids(void *arg)
{
	char pid[24], ppid[24];
	char *argv[] = { "echoargs", "pid", pid, ppid, 0 };

	(void)arg;
	snprintf(pid, sizeof pid, "%ld", sys_getpid());
	snprintf(ppid, sizeof ppid, "%ld", sys_getppid());
	CCHECK_EQ(sys_execve(ECHOARGS_PATH, argv, no_env), 0);
}

static void
t_exec_keeps_ids(void)
{
	CHECK_EXIT(c_exec_ids, 0, 0);
}

static void
c_exec_fds(void *arg)
{
	char fdarg[24];
	char *argv[] = { "echoargs", (char *)arg, fdarg, "123", 0 };
	long fd, cfd, pid;
	int st;

	/* An inherited fd and its offset survive execve. */
	fd = sys_open(DATA_PATH, O_RDONLY);
	CCHECK(fd >= 0, "open: %s", ut_rstr(fd));
	CCHECK_EQ(sys_lseek(fd, 123, SEEK_SET), 123);
	cfd = sys_open(DATA_PATH, O_RDONLY | O_CLOEXEC);
	CCHECK(cfd >= 0, "open O_CLOEXEC: %s", ut_rstr(cfd));
	pid = sys_fork();
	if (pid == 0) {
		snprintf(fdarg, sizeof fdarg, "%ld", fd);
		argv[1] = "fd";
		sys_execve(ECHOARGS_PATH, argv, no_env);
		sys_exit_group(99);
	}
	CCHECK_EQ(sys_wait4(pid, &st, 0), pid);
	CCHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "fd: echoargs %s", ut_status_str(st));
	/* An O_CLOEXEC one does not. */
	snprintf(fdarg, sizeof fdarg, "%ld", cfd);
	argv[1] = "closed";
	argv[3] = 0;
	CCHECK_EQ(sys_execve(ECHOARGS_PATH, argv, no_env), 0);
}

static void
t_exec_fds(void)
{
	CHECK_EXIT(c_exec_fds, 0, 0);
}

static void
c_exec_fresh_as(void *arg)
{
	const unsigned long addr = 0x200000000UL;
	char a[24];
	char *argv[] = { "echoargs", "unmapped", a, 0 };
	long p;

	(void)arg;
	p = sys_mmap((void *)addr, PGSIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CCHECK_EQ(p, addr);
	/* Mapped here, so open() of it is ENOENT (an empty path), not EFAULT. */
	CCHECK_EQ(sys_open((char *)addr, O_RDONLY), -ENOENT);
	snprintf(a, sizeof a, "%#lx", addr);
	CCHECK_EQ(sys_execve(ECHOARGS_PATH, argv, no_env), 0);
}

static void
t_exec_fresh_as(void)
{
	CHECK_EXIT(c_exec_fresh_as, 0, 0);
}

static void
t_exec_auxv(void)
{
	char *argv[] = { "echoargs", "auxv", 0 };

	CHECK_EXEC_EXIT(ECHOARGS_PATH, argv, no_env, 0);
}

static void
t_exec_errors(void)
{
	char *argv[] = { "x", 0 };
	char *badargv[] = { "x", (char *)0xffff800000000000UL, 0 };

	CHECK_EXEC_ERR("/test/no-such-program", argv, no_env, ENOENT);
	CHECK_EXEC_ERR("/no-such-dir/prog", argv, no_env, ENOENT);
	CHECK_EXEC_ERR(DATA_PATH "/x", argv, no_env, ENOTDIR);
	CHECK_EXEC_ERR(0, argv, no_env, EFAULT);
	CHECK_EXEC_ERR((char *)0xffff800000000000UL, argv, no_env, EFAULT);
	CHECK_EXEC_ERR(ECHOARGS_PATH, (char **)0xffff800000000000UL, no_env, EFAULT);
	CHECK_EXEC_ERR(ECHOARGS_PATH, badargv, no_env, EFAULT);
	CHECK_EXEC_ERR(ECHOARGS_PATH, argv, badargv, EFAULT);
}

static void
t_exec_dir(void)
{
	char *argv[] = { "x", 0 };

	/* Linux: EACCES (a directory is not a regular file). */
	CHECK_EXEC_ERR("/test", argv, no_env, EACCES);
	CHECK_EXEC_ERR("/", argv, no_env, EACCES);
}

static void
t_exec_not_elf(void)
{
	char *argv[] = { "x", 0 };

	/* An executable text file with no "#!": ENOEXEC. */
	CHECK_EXEC_ERR("/test/notelf", argv, no_env, ENOEXEC);
}

static void
t_exec_truncated(void)
{
	char *argv[] = { "x", 0 };

	/*
	 * Linux: the first 32 bytes of an ELF file fail the ELF header
	 * checks; a whole header whose program headers run past the end of
	 * the file fails reading them, and load_elf_binary reports that as
	 * ENOEXEC too (the short read's EIO is not passed on).
	 */
	CHECK_EXEC_ERR("/test/trunc-ehdr", argv, no_env, ENOEXEC);
	CHECK_EXEC_ERR("/test/trunc-phdr", argv, no_env, ENOEXEC);
}

static void
t_exec_int80(void)
{
	char *argv[] = { "int80", 0 };

	/* int80 exits 42 through int $0x80 (eax 1: i386 exit) when all went well. */
	CHECK_EXEC_EXIT("/test/int80", argv, no_env, 42);
}

static void
t_exec_pie(void)
{
	char *argv[] = { "pie", 0 };

	/* glibc's static-pie relocates itself: exit 0 means it was loaded right. */
	CHECK_EXEC_EXIT("/test/pie", argv, no_env, 0);
}

static void
c_exec_int80spin(void *arg)
{
	char *argv[] = { "int80spin", 0 };

	(void)arg;
	sys_execve("/test/int80spin", argv, no_env);
	sys_exit_group(99);
}

static void
t_exec_int80spin(void)
{
	long pid;
	int st;

	CHECK_OK(pid, ut_spawn(c_exec_int80spin, 0));
	ut_sleep_ms(200);
	CHECK_EQ(sys_wait4(pid, &st, WNOHANG), 0);	/* still spinning */
	CHECK_EQ(sys_kill(pid, SIGKILL), 0);
	CHECK_EQ(ut_wait(pid, &st), 0);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "int80spin %s", ut_status_str(st));
}

/* A script run with argv must reach echoargs with want (its hash mode). */
#define CHECK_SCRIPT(path, argv, want) \
	CHECK_EXEC_EXIT((path), (argv), no_env, echoargs_hash((want), no_env) % 200 + 50)

static void
t_exec_script(void)
{
	char *argv[] = { "name", "a", "b", 0 };
	char *w1[] = { ECHOARGS_PATH, "hash", "/test/sc-hash", "a", "b", 0 };
	char *w2[] = { ECHOARGS_PATH, "/test/sc-hash-noarg", "a", "b", 0 };
	char *w3[] = { ECHOARGS_PATH, "hash  with\tspaces", "/test/sc-hash-spaces", 0 };
	char *w4[] = { ECHOARGS_PATH, "/test/sc-hash-nul", 0 };
	char *w5[] = { ECHOARGS_PATH, "hash\r", "/test/sc-hash-crlf", 0 };
	char *w6[] = { ECHOARGS_PATH, "hash", "/test/sc-hash-noeol", "a", "b", 0 };
	char *one[] = { "only", 0 };

	/* Interpreter, its argument, the script's path for argv[0], argv[1] on. */
	CHECK_SCRIPT("/test/sc-hash", argv, w1);
	CHECK_SCRIPT("/test/sc-hash-noarg", argv, w2);
	/* Blanks around the name; the argument is the rest, inner blanks kept. */
	CHECK_SCRIPT("/test/sc-hash-spaces", one, w3);
	/* A NUL ends the line; a carriage return is part of it; no newline at all. */
	CHECK_SCRIPT("/test/sc-hash-nul", one, w4);
	CHECK_SCRIPT("/test/sc-hash-crlf", one, w5);
	CHECK_SCRIPT("/test/sc-hash-noeol", argv, w6);
}

/* A null argv loses nothing (Linux's argv[0] of "" is what goes). */
static void
t_exec_script_argv0(void)
{
	char *w[] = { ECHOARGS_PATH, "hash", "/test/sc-hash", 0 };

	CHECK_SCRIPT("/test/sc-hash", (char **)0, w);
}

/* A relative script path is passed on as given, found from the cwd. */
static void
c_exec_script_relative(void *arg)
{
	char *argv[] = { "x", "y", 0 };

	(void)arg;
	CCHECK_EQ(chdir("/test"), 0);
	sys_execve("sc-hash", argv, no_env);
	sys_exit_group(1);
}

static void
t_exec_script_relative(void)
{
	char *w[] = { ECHOARGS_PATH, "hash", "sc-hash", "y", 0 };

	CHECK_EXIT(c_exec_script_relative, 0, echoargs_hash(w, no_env) % 200 + 50);
}

/* The 256 bytes Linux reads: an argument cut at byte 255, blanks trimmed. */
static void
t_exec_script_longarg(void)
{
	static char line[400], arg[300];
	char *one[] = { "x", 0 };
	char *w[] = { ECHOARGS_PATH, arg, "/test/sc-hash-longarg", 0 };
	int n, k;

	n = snprintf(line, sizeof line, "#!/test/echoargs hash");
	for (int i = 0; i < 150; i++)
		n += snprintf(line + n, sizeof line - n, " x");
	k = 255 - 17;
	memcpy(arg, line + 17, k);
	while (arg[k - 1] == ' ')
		k--;
	arg[k] = 0;
	CHECK_SCRIPT("/test/sc-hash-longarg", one, w);
}

/* A script may name a script: Linux follows 5 of them, the 6th is ELOOP. */
static void
t_exec_script_nested(void)
{
	char *argv[] = { "n", "1", 0 };
	char *w[] = { ECHOARGS_PATH, "hash", "/test/sc-hash", "x", "/test/sc-hash-nested", "1", 0 };
	char *c5[] = { ECHOARGS_PATH, "hash", "/test/sc-chain1", "/test/sc-chain2",
		"/test/sc-chain3", "/test/sc-chain4", "/test/sc-chain5", "1", 0 };

	CHECK_SCRIPT("/test/sc-hash-nested", argv, w);
	CHECK_SCRIPT("/test/sc-chain5", argv, c5);
	CHECK_EXEC_ERR("/test/sc-chain6", argv, no_env, ELOOP);
	/* Its own interpreter. */
	CHECK_EXEC_ERR("/test/sc-self", argv, no_env, ELOOP);
}

static void
t_exec_script_errors(void)
{
	char *argv[] = { "x", 0 };

	CHECK_EXEC_ERR("/test/sc-missing", argv, no_env, ENOENT);
	CHECK_EXEC_ERR("/test/sc-noexec", argv, no_env, EACCES);
	CHECK_EXEC_ERR("/test/sc-dir", argv, no_env, EACCES);
	/* The interpreter is neither ELF nor a script. */
	CHECK_EXEC_ERR("/test/sc-text", argv, no_env, ENOEXEC);
	/* No interpreter name; one that runs past the 256 bytes read. */
	CHECK_EXEC_ERR("/test/sc-empty", argv, no_env, ENOEXEC);
	CHECK_EXEC_ERR("/test/sc-blank", argv, no_env, ENOEXEC);
	CHECK_EXEC_ERR("/test/sc-longname", argv, no_env, ENOEXEC);
	CHECK_EXEC_ERR("/test/sc-longblank", argv, no_env, ENOEXEC);
}

const struct utest exec_tests[] = {
	{ "execve echoargs: argv and envp arrive", t_exec_args, 0 },
	{ "execve with 200 arguments of 200 bytes", t_exec_big_args, 0 },
	{ "execve with 10,000 short arguments", t_exec_many_args, 0 },
	{ "execve keeps pid and ppid", t_exec_keeps_ids, 0 },
	{ "RLIMIT_STACK at exec: 256 KiB stops a 1 MiB recursion, 64 MiB allows 16 MiB",
	    t_exec_stack_limit, 0 },
	{ "execve keeps fds and offsets, closes O_CLOEXEC", t_exec_fds, 0 },
	{ "execve replaces the address space", t_exec_fresh_as, 0 },
	{ "execve auxv: AT_PAGESZ, AT_ENTRY, AT_PHDR, AT_PHNUM", t_exec_auxv, 0 },
	{ "execve missing file -> ENOENT, bad pointers -> EFAULT", t_exec_errors, 0 },
	{ "execve of a directory -> EACCES", t_exec_dir, 0 },
	{ "execve of a non-ELF file -> ENOEXEC", t_exec_not_elf, 0 },
	{ "execve of truncated ELF files -> ENOEXEC", t_exec_truncated, 0 },
	{ "int $0x80 from 64-bit code uses the i386 ABI (int80)", t_exec_int80, 0 },
	{ "execve of a static-pie (ET_DYN) program", t_exec_pie, 0 },
	{ "int80spin: spinning after int $0x80 is preempted and killed", t_exec_int80spin, 0 },
	{ "execve of #! scripts: interpreter, one argument, the script's path", t_exec_script, 0 },
	{ "execve of a #! script with a null argv", t_exec_script_argv0, 0 },
	{ "execve of a #! script by a relative path", t_exec_script_relative, 0 },
	{ "execve of a #! script: the line cut at 256 bytes", t_exec_script_longarg, 0 },
	{ "execve of nested #! scripts: 5 levels, then ELOOP", t_exec_script_nested, 0 },
	{ "execve of #! scripts: ENOENT, EACCES, ENOEXEC as Linux", t_exec_script_errors, 0 },
	{ 0, 0, 0 },
};
