/*
 * rlimit.h: resource limits (rlimit.c): getrlimit, setrlimit and
 * prlimit64, Linux's numbers and struct.
 *
 * Interface:
 *   rlimit_init(rl)		the first process's limits (fork copies a
 *				process's, exec keeps them: struct proc p_rlim)
 *   sys_getrlimit, sys_setrlimit, sys_prlimit64
 *
 * Only RLIMIT_NOFILE is enforced (file.c fd_limit): no descriptor at or
 * above its soft limit is given out; its hard limit cannot go above
 * NOFILE, the descriptors there are (Linux's nr_open: -EPERM).  The others
 * are kept and reported, and change nothing.
 */
#ifndef RLIMIT_H
#define RLIMIT_H

#include <stdint.h>

#define RLIMIT_CPU		0
#define RLIMIT_FSIZE		1
#define RLIMIT_DATA		2
#define RLIMIT_STACK		3
#define RLIMIT_CORE		4
#define RLIMIT_RSS		5
#define RLIMIT_NPROC		6
#define RLIMIT_NOFILE		7
#define RLIMIT_MEMLOCK		8
#define RLIMIT_AS		9
#define RLIMIT_LOCKS		10
#define RLIMIT_SIGPENDING	11
#define RLIMIT_MSGQUEUE		12
#define RLIMIT_NICE		13
#define RLIMIT_RTPRIO		14
#define RLIMIT_RTTIME		15
#define RLIM_NLIMITS		16
#define RLIM_INFINITY		(~0ULL)

/* struct rlimit of x86-64 Linux, the same as struct rlimit64. */
struct rlimit {
	uint64_t rlim_cur;	/* soft limit: what counts */
	uint64_t rlim_max;	/* hard limit: the soft one's ceiling */
};

void rlimit_init(struct rlimit *rl);
long sys_getrlimit(unsigned int res, uint64_t urlim);
long sys_setrlimit(unsigned int res, uint64_t urlim);
long sys_prlimit64(int pid, unsigned int res, uint64_t unew, uint64_t uold);

#endif
