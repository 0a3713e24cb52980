/*
 * sysproc.h: process, memory, scheduling and identity system calls
 * (sys_proc.c, prio.c, prctl.c, sys_mem.c); the file ones are in file.h,
 * the time ones in time.h.
 */
#ifndef SYSPROC_H
#define SYSPROC_H

#include <stdint.h>

long sys_open(uint64_t upath, int flags, int mode);
long sys_getpid(void);
long sys_getppid(void);
long sys_fork(void);
long sys_execve(uint64_t upath, uint64_t uargv, uint64_t uenvp);
long sys_execve32(uint64_t upath, uint64_t uargv, uint64_t uenvp);
long sys_exit(int code);
long sys_exit_group(int code);
long sys_gettid(void);
long sys_futex(uint64_t uaddr, int op, uint32_t val, uint64_t utimeout, uint64_t uaddr2,
    uint32_t val3);
long sys_wait4(int pid, uint64_t ustatus, int options, uint64_t urusage);
long sys_waitid(int idtype, int id, uint64_t uinfo, int options, uint64_t urusage);
long sys_kill(int pid, int sig);
long sys_sched_yield(void);
long sys_uname(uint64_t ubuf);
long sys_arch_prctl(int code, uint64_t addr);
long sys_set_tid_address(uint64_t uptr);
long sys_clone(uint64_t flags, uint64_t newsp, uint64_t ptid, uint64_t ctid, uint64_t tls);
long sys_set_robust_list(uint64_t head, uint64_t len);
long sys_get_robust_list(int tid, uint64_t uhead, uint64_t ulen);
long sys_tkill(int tid, int sig);
long sys_tgkill(int tgid, int tid, int sig);
long sys_umask(int mask);
long sys_getrandom(uint64_t ubuf, uint64_t len, unsigned int flags);
long sys_reboot(uint32_t magic1, uint32_t magic2, uint32_t cmd, uint64_t arg);

long sys_sysinfo(uint64_t uinfo);

/* prio.c */
long sys_getpriority(int which, int who);
long sys_setpriority(int which, int who, int nice);
long sys_sched_setaffinity(int pid, unsigned int len, uint64_t umask);
long sys_sched_getaffinity(int pid, unsigned int len, uint64_t umask);
long sys_getcpu(uint64_t ucpu, uint64_t unode, uint64_t unused);
long sys_sched_getscheduler(int pid);
long sys_sched_getparam(int pid, uint64_t uparam);
long sys_sched_get_priority_max(int policy);
long sys_sched_get_priority_min(int policy);

/* prctl.c (its fork and exit hooks are in proc.h) */
long sys_prctl(int option, uint64_t arg2, uint64_t arg3, uint64_t arg4, uint64_t arg5);
long sys_personality(uint32_t persona);
long sys_setpgid(int pid, int pgid);
long sys_getpgid(int pid);
long sys_getpgrp(void);
long sys_setsid(void);
long sys_getsid(int pid);

long sys_brk(uint64_t addr);
long sys_mmap(uint64_t addr, uint64_t len, int prot, int flags, int fd, int64_t off);
long sys_munmap(uint64_t addr, uint64_t len);
long sys_mprotect(uint64_t addr, uint64_t len, int prot);
long sys_madvise(uint64_t addr, uint64_t len, int advice);
long sys_mremap(uint64_t addr, uint64_t old_len, uint64_t new_len, int flags, uint64_t new_addr);
long sys_msync(uint64_t addr, uint64_t len, int flags);
long sys_mincore(uint64_t addr, uint64_t len, uint64_t vec);

#endif
