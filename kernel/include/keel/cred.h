/*
 * cred.h: a process's credentials (Linux's struct cred, without
 * capabilities): real, effective, saved and file-system user and group
 * ids, and the supplementary groups.
 *
 * Interface:
 *   cred_init(c)            root's, for init
 *   cred_fork(c, p)         a child's copy (the group list is shared)
 *   cred_release(c)         at the process's end
 *   cred_capable()          the caller is root (euid 0): what Linux's
 *                           capable(CAP_*) asks; keel has no capabilities
 *   cred_fs_capable()       the same for file access: fsuid 0
 *   cred_in_group(c, gid)   fsgid or a supplementary group (in_group_p)
 *   cred_exec(c, nnp, st, nosuid, &secure)  execve's new ids: set-user-ID and
 *                           set-group-ID honoured as bprm_fill_uid does
 *
 * The process's threads share its credentials (they live in struct proc):
 * keel's setuid family changes them for all threads at once, which is
 * what glibc's and musl's setxid broadcast achieves on Linux.
 */
#ifndef KEEL_CRED_H
#define KEEL_CRED_H

#include <stdint.h>

#define NGROUPS_MAX	65536		/* Linux's */

/* A supplementary group list, sorted; shared between processes, copied on change. */
struct groups {
	uint32_t g_refs;
	uint32_t g_n;
	uint32_t g_gid[];
};

struct cred {
	uint32_t c_uid, c_euid, c_suid, c_fsuid;
	uint32_t c_gid, c_egid, c_sgid, c_fsgid;
	struct groups *c_groups;	/* 0: none */
};

struct proc;
struct kstat;

void cred_init(struct cred *c);
void cred_fork(struct cred *c, const struct cred *p);
void cred_release(struct cred *c);
int cred_capable(void);
int cred_fs_capable(void);
int cred_in_group(const struct cred *c, uint32_t gid);
/*
 * exec's new credentials in c (a copy of the process's) for the program
 * file st, its mount nosuid or not, under PR_SET_NO_NEW_PRIVS or not:
 * *secure is AT_SECURE's value.  Nothing can fail here.
 */
void cred_exec(struct cred *c, int no_new_privs, const struct kstat *st, int nosuid,
    int *secure);

/* kill(2)'s check_kill_permission: p may get sig from the caller (0 or -EPERM). */
int cred_may_signal(struct proc *p, int sig);

/* The system calls (cred.c). */
long sys_getuid(void);
long sys_geteuid(void);
long sys_getgid(void);
long sys_getegid(void);
long sys_getresuid(uint64_t ur, uint64_t ue, uint64_t us);
long sys_getresgid(uint64_t ur, uint64_t ue, uint64_t us);
long sys_setuid(uint32_t uid);
long sys_setgid(uint32_t gid);
long sys_setreuid(uint32_t ruid, uint32_t euid);
long sys_setregid(uint32_t rgid, uint32_t egid);
long sys_setresuid(uint32_t ruid, uint32_t euid, uint32_t suid);
long sys_setresgid(uint32_t rgid, uint32_t egid, uint32_t sgid);
long sys_setfsuid(uint32_t uid);
long sys_setfsgid(uint32_t gid);
long sys_getgroups(int size, uint64_t ulist);
long sys_setgroups(int size, uint64_t ulist);

#endif
