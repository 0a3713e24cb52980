/*
 * resource.h: getrusage(2)'s and {get,set}priority(2)'s numbers and
 * x86-64's struct rusage (Linux's include/uapi/linux/resource.h).
 */
#ifndef UAPI_RESOURCE_H
#define UAPI_RESOURCE_H

#include <uapi/time.h>

#define RUSAGE_SELF		0
#define RUSAGE_CHILDREN		(-1)
#define RUSAGE_BOTH		(-2)	/* kernel-only: self and children (wait4) */
#define RUSAGE_THREAD		1

#define PRIO_PROCESS		0
#define PRIO_PGRP		1
#define PRIO_USER		2

#define NICE_MIN		(-20)
#define NICE_MAX		19

#ifndef __ASSEMBLER__
struct krusage {
	struct ktimeval ru_utime;
	struct ktimeval ru_stime;
	int64_t ru_maxrss;		/* KiB */
	int64_t ru_ixrss, ru_idrss, ru_isrss;
	int64_t ru_minflt, ru_majflt, ru_nswap;
	int64_t ru_inblock, ru_oublock;
	int64_t ru_msgsnd, ru_msgrcv, ru_nsignals;
	int64_t ru_nvcsw, ru_nivcsw;
};
_Static_assert(sizeof(struct krusage) == 144, "x86-64 struct rusage");
#endif

#endif
