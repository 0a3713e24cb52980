/*
 * procfs.h: the two halves of /proc: the file system (fs/procfs.c: nodes,
 * directories, links, open files) and the text of its files
 * (fs/procfs_text.c, in Linux's formats).
 */
#ifndef KEEL_PROCFS_H
#define KEEL_PROCFS_H

#include <stdint.h>

struct proc;

/* Node kinds: directories, then links, then files (see procfs.c's table). */
enum pkind {
	PK_ROOT, PK_PIDDIR, PK_FDDIR, PK_BUS, PK_BUSPCI, PK_SYS, PK_SYSKERNEL,
	PK_TASKDIR,	/* /proc/PID/task */
	PK_TIDDIR,	/* /proc/PID/task/TID */
	PK_SELF, PK_THREADSELF, PK_EXE, PK_CWD, PK_FD,
	PK_FDOBJ,	/* the pipe behind a /proc/PID/fd/N link */
	PK_MEMINFO, PK_UPTIME, PK_LOADAVG, PK_STATALL, PK_CPUINFO, PK_INTERRUPTS, PK_PCIDEVICES, PK_PIDMAX,
	PK_OSTYPE, PK_OSRELEASE, PK_HOSTNAME,
	PK_STAT, PK_STATUS, PK_COMM, PK_MAPS, PK_CMDLINE, PK_ENVIRON,
	PK_MOUNTS,	/* /proc/mounts and /proc/<pid>/mounts: one table here */
};

/* A growing text buffer. */
struct ptext_buf {
	char *tb_buf;
	uint64_t tb_len, tb_cap;	/* tb_len may pass tb_cap: then it is too small */
};

void tb_printf(struct ptext_buf *tb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * The text of a file of kind into tb.  p: the process of a pid's file,
 * else 0; tid: the thread a file is seen through (/proc/PID/task/TID, or
 * /proc/TID of a thread that is not the first), 0 for the process's own
 * view; task: under task/TID, where Linux shows the thread's own times.
 */
int procfs_text(int kind, struct proc *p, int tid, int task, struct ptext_buf *tb);
/*
 * The tids /proc/PID/task lists, as Linux's: the pid first (the first
 * thread, or what is left of it once it exited: a zombie thread, until
 * the process is reaped), then the other live threads.  The index-th, or
 * 0 past the end; and how many.
 */
int procfs_nth_tid(struct proc *p, int index);
int procfs_nthreads(struct proc *p);
/* tid is one of those. */
int procfs_has_tid(struct proc *p, int tid);
/* Idle time so far (procfs_account_idle's sum). */
uint64_t procfs_idle_ns(void);

#endif
