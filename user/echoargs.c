/*
 * echoargs.c: the program utest's execve tests run.  It reports what it
 * found through its exit status only (stdout is utest's TAP stream; a
 * failure also prints one "# echoargs: ..." comment line).
 *
 * Usage (argv[1] is the mode):
 *	echoargs hash ...	exit (FNV-1a of argv and envp) % 200 + 50;
 *				utest computes the same (echoargs_hash below);
 *				any argv[1] containing "hash" does (a "#!"
 *				script's argument, or the script's path)
 *	echoargs exit N		exit N
 *	echoargs pid P PP	exit 0 if getpid() == P and getppid() == PP
 *	echoargs fd N OFF	exit 0 if fd N is open at offset OFF
 *	echoargs closed N	exit 0 if fd N is not open (EBADF)
 *	echoargs unmapped A	exit 0 if address A is not mapped
 *	echoargs auxv		exit 0 if the auxiliary vector looks right
 *	echoargs stack K	use K KiB of stack (recursion), then exit 0
 *	echoargs procself X EXE COMM  exit 0 if /proc/self/exe reads EXE
 *				and /proc/self/comm COMM (X: a "#!" script's path)
 *	echoargs reexec A0 A1 ...	execve("/proc/self/exe", { A0, A1, ... })
 *	echoargs cmdline ...	exit 0 if /proc/self/cmdline and environ are
 *				argv and envp, and cmdline is argv[0] alone once
 *				the NUL ending argv is overwritten (setproctitle)
 *	echoargs		(no mode) exit 3
 * Other failures exit 1; a bad usage exits 2.
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include "utest/echoargs.h"
#include "lib/sys.h"

/* crt1.o: the ELF entry point, which AT_ENTRY must name. */
extern void _start(void);

/* K KiB of stack, 1 KiB a frame (not a tail call: the sum needs each frame). */
static int
dig(int k)
{
	volatile char kib[1024];

	kib[0] = (char)k;
	kib[1023] = 1;
	return k <= 1 ? kib[0] : dig(k - 1) + kib[1023];
}

static void
say(const char *what)
{
	sys_write(1, "# echoargs: ", 12);
	sys_write(1, what, strlen(what));
	sys_write(1, "\n", 1);
}

static unsigned long
num(const char *s)
{
	return strtoul(s, 0, 0);
}

static int
check_auxv(void)
{
	const Elf64_Ehdr *eh;

	if (getauxval(AT_PAGESZ) != 4096) {
		say("AT_PAGESZ is not 4096");
		return 1;
	}
	if (getauxval(AT_ENTRY) != (unsigned long)_start) {
		say("AT_ENTRY is not _start");
		return 1;
	}
	if (getauxval(AT_PHENT) != sizeof(Elf64_Phdr)) {
		say("AT_PHENT is not sizeof(Elf64_Phdr)");
		return 1;
	}
	/*
	 * AT_PHDR must point at this program's own program headers: in a
	 * non-PIE static binary they are mapped right after the ELF header
	 * at the first page of the image.
	 */
	eh = (const Elf64_Ehdr *)(getauxval(AT_PHDR) & ~4095UL);
	if (getauxval(AT_PHDR) == 0 || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    getauxval(AT_PHNUM) != eh->e_phnum ||
	    getauxval(AT_PHDR) != (unsigned long)eh + eh->e_phoff) {
		say("AT_PHDR/AT_PHNUM do not match the ELF header");
		return 1;
	}
	return 0;
}

static int
check_procself(const char *exe, const char *comm)
{
	char buf[256];
	long n, fd;

	n = sys3(SYS_readlink, "/proc/self/exe", buf, sizeof buf - 1);
	if (n < 0 || (buf[n] = 0, strcmp(buf, exe) != 0))
		return say("/proc/self/exe is not the program"), 1;
	fd = sys_open("/proc/self/comm", 0);
	n = fd < 0 ? fd : sys_read(fd, buf, sizeof buf - 1);
	if (n <= 0 || buf[n - 1] != '\n' || (buf[n - 1] = 0, strcmp(buf, comm) != 0))
		return say("/proc/self/comm is not the script's name"), 1;
	return 0;
}

/* The whole of a /proc file, at most n - 1 bytes: the count. */
static long
slurp(const char *path, char *buf, long n)
{
	long fd = sys_open(path, 0), got = 0, r;

	if (fd < 0)
		return fd;
	while (got < n - 1 && (r = sys_read(fd, buf + got, n - 1 - got)) > 0)
		got += r;
	sys_close(fd);
	return got;
}

/* Does the file hold the strings of v, each with its NUL? */
static int
holds(const char *path, char **v)
{
	static char buf[8192];
	long n = slurp(path, buf, sizeof buf), at = 0;

	for (; *v; v++) {
		long len = strlen(*v) + 1;

		if (at + len > n || memcmp(buf + at, *v, len) != 0)
			return 0;
		at += len;
	}
	return at == n;
}

static int
check_cmdline(int argc, char **argv, char **envp)
{
	char *first[] = { argv[0], 0 };

	if (!holds("/proc/self/cmdline", argv))
		return say("/proc/self/cmdline is not argv"), 1;
	if (!holds("/proc/self/environ", envp))
		return say("/proc/self/environ is not envp"), 1;
	argv[argc - 1][strlen(argv[argc - 1])] = 'X';
	if (!holds("/proc/self/cmdline", first))
		return say("/proc/self/cmdline after setproctitle is not argv[0]"), 1;
	return 0;
}

int
main(int argc, char **argv, char **envp)
{
	long r;

	if (argc < 2)
		return 3;
	if (strstr(argv[1], "hash"))
		return echoargs_hash(argv, envp) % 200 + 50;
	if (strcmp(argv[1], "stack") == 0 && argc == 3)
		return dig(atoi(argv[2])) == -1;
	if (strcmp(argv[1], "exit") == 0 && argc == 3)
		return num(argv[2]);
	if (strcmp(argv[1], "pid") == 0 && argc == 4) {
		if (sys_getpid() != (long)num(argv[2]))
			return say("pid changed"), 1;
		if (sys_getppid() != (long)num(argv[3]))
			return say("ppid changed"), 1;
		return 0;
	}
	if (strcmp(argv[1], "fd") == 0 && argc == 4) {
		r = sys_lseek(num(argv[2]), 0, 1 /* SEEK_CUR */);
		if (r != (long)num(argv[3]))
			return say("fd not open at the offset given"), 1;
		return 0;
	}
	if (strcmp(argv[1], "closed") == 0 && argc == 3) {
		if (sys_lseek(num(argv[2]), 0, 1) != -9 /* EBADF */)
			return say("fd still open"), 1;
		return 0;
	}
	if (strcmp(argv[1], "unmapped") == 0 && argc == 3) {
		/* open() reads the path: EFAULT if and only if it is not mapped. */
		if (sys_open((char *)num(argv[2]), 0) != -14 /* EFAULT */)
			return say("address still mapped"), 1;
		return 0;
	}
	if (strcmp(argv[1], "auxv") == 0)
		return check_auxv();
	if (strcmp(argv[1], "cmdline") == 0)
		return check_cmdline(argc, argv, envp);
	if (strcmp(argv[1], "reexec") == 0 && argc >= 3) {
		sys_execve("/proc/self/exe", argv + 2, envp);
		return say("execve /proc/self/exe failed"), 1;
	}
	if (strcmp(argv[1], "procself") == 0 && argc == 5)
		return check_procself(argv[3], argv[4]);
	say("bad usage");
	return 2;
}
