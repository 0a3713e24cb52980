/*
 * cred.c: user and group ids (see cred.h): the get/set system calls with
 * Linux's rules (kernel/sys.c, kernel/groups.c), fork's copy and exec's
 * set-user-ID and set-group-ID.  Root is euid 0: where Linux asks for
 * CAP_SETUID or CAP_SETGID, keel asks for euid 0 (the capabilities a root
 * process has and loses with its ids, as cap_emulate_setxuid keeps them).
 */
#include <keel/kernel.h>
#include <keel/cred.h>
#include <keel/fs.h>
#include <keel/kheap.h>
#include <keel/refcount.h>
#include <keel/proc.h>
#include <keel/usercopy.h>
#include <uapi/errno.h>
#include <uapi/signal.h>
#include <uapi/stat.h>

#define NOID	((uint32_t)-1)	/* "leave it", and never a valid id (uid_valid) */

void
cred_init(struct cred *c)
{
	memset(c, 0, sizeof(*c));
}

void
cred_fork(struct cred *c, const struct cred *p)
{
	*c = *p;
	if (c->c_groups)
		ref_inc(&c->c_groups->g_refs);
}

static void
groups_rele(struct groups *g)
{
	if (g && ref_dec(&g->g_refs) == 0)
		kfree(g);
}

void
cred_release(struct cred *c)
{
	groups_rele(c->c_groups);
	c->c_groups = 0;
}

static struct cred *
mycred(void)
{
	return &curproc()->p_cred;
}

int
cred_capable(void)
{
	return mycred()->c_euid == 0;
}

int
cred_fs_capable(void)
{
	return mycred()->c_fsuid == 0;
}

int
cred_in_group(const struct cred *c, uint32_t gid)
{
	const struct groups *g = c->c_groups;
	uint32_t lo = 0, hi;

	if (gid == c->c_fsgid)
		return 1;
	if (g == 0)
		return 0;
	for (hi = g->g_n; lo < hi; ) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (g->g_gid[mid] == gid)
			return 1;
		if (g->g_gid[mid] < gid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/*
 * Linux's bprm_fill_uid and cap_bprm_creds_from_file: the file's owner
 * becomes the effective uid (S_ISUID), its group the effective gid
 * (S_ISGID with group execute; without it the bit marks mandatory
 * locking), not on a nosuid mount nor under PR_SET_NO_NEW_PRIVS (which
 * even takes back ids a process set itself apart from its real ones).
 * The saved and file-system ids follow the effective ones.
 */
void
cred_exec(struct cred *c, int no_new_privs, const struct kstat *st, int nosuid,
    int *secure)
{
	uint32_t ruid = c->c_uid, rgid = c->c_gid;

	if (!nosuid && !no_new_privs) {
		if (st->st_mode & S_ISUID)
			c->c_euid = st->st_uid;
		if ((st->st_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
			c->c_egid = st->st_gid;
	}
	if (no_new_privs && (c->c_euid != ruid || c->c_egid != rgid)) {
		c->c_euid = ruid;
		c->c_egid = rgid;
	}
	c->c_suid = c->c_fsuid = c->c_euid;
	c->c_sgid = c->c_fsgid = c->c_egid;
	*secure = c->c_euid != ruid || c->c_egid != rgid;
}

int
cred_may_signal(struct proc *t, int sig)
{
	struct proc *me = curproc();
	const struct cred *c = &me->p_cred, *tc = &t->p_cred;

	if (t == me || c->c_euid == 0)
		return 0;
	if (c->c_euid == tc->c_suid || c->c_euid == tc->c_uid || c->c_uid == tc->c_suid ||
	    c->c_uid == tc->c_uid)
		return 0;
	if (sig == SIGCONT && t->p_sid == me->p_sid)
		return 0;
	return -EPERM;
}

/*
 * Linux's commit_creds: a process whose effective or file-system ids
 * change becomes undumpable (suid_dumpable 0): its /proc files turn
 * root's, until exec or PR_SET_DUMPABLE.
 */
static long
commit(const struct cred *old, long r)
{
	struct proc *p = curproc();
	const struct cred *c = &p->p_cred;

	if (c->c_euid != old->c_euid || c->c_egid != old->c_egid ||
	    c->c_fsuid != old->c_fsuid || c->c_fsgid != old->c_fsgid)
		p->p_undumpable = 1;
	return r;
}

/* ---- the system calls ---- */

long
sys_getuid(void)
{
	return mycred()->c_uid;
}

long
sys_geteuid(void)
{
	return mycred()->c_euid;
}

long
sys_getgid(void)
{
	return mycred()->c_gid;
}

long
sys_getegid(void)
{
	return mycred()->c_egid;
}

/* Linux's getresuid: each id is written in turn, the first fault ends it. */
static long
put_three(uint64_t ua, uint64_t ub, uint64_t uc, uint32_t a, uint32_t b, uint32_t c)
{
	if (copyout(ua, &a, 4) || copyout(ub, &b, 4) || copyout(uc, &c, 4))
		return -EFAULT;
	return 0;
}

long
sys_getresuid(uint64_t ur, uint64_t ue, uint64_t us)
{
	struct cred *c = mycred();

	return put_three(ur, ue, us, c->c_uid, c->c_euid, c->c_suid);
}

long
sys_getresgid(uint64_t ur, uint64_t ue, uint64_t us)
{
	struct cred *c = mycred();

	return put_three(ur, ue, us, c->c_gid, c->c_egid, c->c_sgid);
}

/*
 * The uid and gid calls share their rules; ids[] is { real, effective,
 * saved, fs } of either kind.
 */
static uint32_t *
ids_of(struct cred *c, int group)
{
	return group ? &c->c_gid : &c->c_uid;
}

/* setuid(2): root sets real and saved too; others only to the real or saved id. */
static long
set_one(uint32_t id, int group)
{
	uint32_t *v = ids_of(mycred(), group);

	if (id == NOID)
		return -EINVAL;
	if (cred_capable())
		v[0] = v[2] = id;
	else if (id != v[0] && id != v[2])
		return -EPERM;
	v[1] = v[3] = id;
	return 0;
}

long
sys_setuid(uint32_t uid)
{
	struct cred old = *mycred();

	return commit(&old, set_one(uid, 0));
}

long
sys_setgid(uint32_t gid)
{
	struct cred old = *mycred();

	return commit(&old, set_one(gid, 1));
}

/*
 * setreuid(2): the real id from the real or effective one, the effective
 * from any of the three (root: anything); the saved id becomes the new
 * effective one when the real id is set or the effective one leaves it.
 */
static long
set_re(uint32_t r, uint32_t e, int group)
{
	uint32_t *v = ids_of(mycred(), group), nv[4];
	int cap = cred_capable();

	memcpy(nv, v, sizeof(nv));
	if (r != NOID) {
		if (r != v[0] && r != v[1] && !cap)
			return -EPERM;
		nv[0] = r;
	}
	if (e != NOID) {
		if (e != v[0] && e != v[1] && e != v[2] && !cap)
			return -EPERM;
		nv[1] = e;
	}
	if (r != NOID || (e != NOID && e != v[0]))
		nv[2] = nv[1];
	nv[3] = nv[1];
	memcpy(v, nv, sizeof(nv));
	return 0;
}

long
sys_setreuid(uint32_t ruid, uint32_t euid)
{
	struct cred old = *mycred();

	return commit(&old, set_re(ruid, euid, 0));
}

long
sys_setregid(uint32_t rgid, uint32_t egid)
{
	struct cred old = *mycred();

	return commit(&old, set_re(rgid, egid, 1));
}

/* setresuid(2): each id from any of the three current ones, unless root. */
static long
set_res(uint32_t r, uint32_t e, uint32_t s, int group)
{
	uint32_t *v = ids_of(mycred(), group), want[3] = { r, e, s };
	int i;

	for (i = 0; i < 3; i++)
		if (want[i] != NOID && want[i] != v[0] && want[i] != v[1] &&
		    want[i] != v[2] && !cred_capable())
			return -EPERM;
	for (i = 0; i < 3; i++)
		if (want[i] != NOID)
			v[i] = want[i];
	v[3] = v[1];
	return 0;
}

long
sys_setresuid(uint32_t ruid, uint32_t euid, uint32_t suid)
{
	struct cred old = *mycred();

	return commit(&old, set_res(ruid, euid, suid, 0));
}

long
sys_setresgid(uint32_t rgid, uint32_t egid, uint32_t sgid)
{
	struct cred old = *mycred();

	return commit(&old, set_res(rgid, egid, sgid, 1));
}

/* setfsuid(2): the old value, always; the new one if it is one of the others (or root). */
static long
set_fs(uint32_t id, int group)
{
	uint32_t *v = ids_of(mycred(), group), old = v[3];

	if (id != NOID && (id == v[0] || id == v[1] || id == v[2] || id == v[3] ||
	    cred_capable()))
		v[3] = id;
	return old;
}

long
sys_setfsuid(uint32_t uid)
{
	struct cred old = *mycred();

	return commit(&old, set_fs(uid, 0));
}

long
sys_setfsgid(uint32_t gid)
{
	struct cred old = *mycred();

	return commit(&old, set_fs(gid, 1));
}

long
sys_getgroups(int size, uint64_t ulist)
{
	struct groups *g = mycred()->c_groups;
	uint32_t n = g ? g->g_n : 0;

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return n;
	if ((uint32_t)size < n)
		return -EINVAL;
	if (n && copyout(ulist, g->g_gid, (size_t)n * 4))
		return -EFAULT;
	return n;
}

static void
groups_sort(uint32_t *a, uint32_t n)
{
	/* Shell sort: up to 65536 entries, no recursion on the kernel stack. */
	static const uint32_t gaps[] = { 9841, 3280, 1093, 364, 121, 40, 13, 4, 1 };
	uint32_t gi, i, j, t, gap;

	for (gi = 0; gi < sizeof(gaps) / sizeof(gaps[0]); gi++) {
		gap = gaps[gi];
		for (i = gap; i < n; i++) {
			t = a[i];
			for (j = i; j >= gap && a[j - gap] > t; j -= gap)
				a[j] = a[j - gap];
			a[j] = t;
		}
	}
}

/* Linux's order: root first (EPERM), then the size (EINVAL), the list (EFAULT), each id. */
long
sys_setgroups(int size, uint64_t ulist)
{
	struct cred *c = mycred();
	struct groups *g = 0;
	uint32_t i;

	if (!cred_capable())
		return -EPERM;
	if ((unsigned)size > NGROUPS_MAX)
		return -EINVAL;
	if (size > 0) {
		g = kmalloc(sizeof(*g) + (size_t)size * 4);
		if (g == 0)
			return -ENOMEM;
		g->g_refs = 1;
		g->g_n = size;
		if (copyin(g->g_gid, ulist, (size_t)size * 4)) {
			kfree(g);
			return -EFAULT;
		}
		for (i = 0; i < g->g_n; i++) {
			if (g->g_gid[i] == NOID) {
				kfree(g);
				return -EINVAL;
			}
		}
		groups_sort(g->g_gid, g->g_n);
	}
	groups_rele(c->c_groups);
	c->c_groups = g;
	return 0;
}
