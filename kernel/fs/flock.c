/*
 * flock.c: byte-range locks (see flock.h), with the rules of Linux's
 * fs/locks.c.
 *
 * A lock covers bytes [lk_start, lk_end] of a file for an owner: a process
 * (POSIX locks: fork does not pass them on, exec keeps them, any close of
 * the file by the process drops them all) or an open file (OFD locks:
 * shared by every descriptor of that open file, in any process, and
 * dropped by its last close).  Read locks of different owners may overlap;
 * a write lock overlaps no other owner's lock.  POSIX and OFD locks
 * conflict like any two owners, even within one process.  One owner's
 * locks never overlap: a new lock takes what it covers from the owner's
 * locks of the other type (splitting one in two, if need be) and merges
 * with those of its own type that it overlaps or touches.
 *
 * The files with locks (struct lockfile) are keyed by what would be
 * Linux's inode: a node's device and inode number (hard links share it),
 * a pipe, a /proc open file (lock_key).  A file's locks are in one list, each
 * owner's together and sorted by start, owners in the order their first
 * lock came, as Linux keeps them: F_GETLK reports the first conflicting
 * lock in that order.
 *
 * F_SETLKW sleeps on a struct waiter (on its own stack) that names the
 * lock it waits for; a lock that shrinks or goes wakes its waiters, and
 * they look again.  Before sleeping, a POSIX request follows the chain
 * "the blocking lock's holder waits for a lock whose holder waits for ..."
 * (MAX_DEADLK_ITERATIONS steps at most, as Linux); reaching the requester
 * means a deadlock: -EDEADLK.  As in Linux, an OFD request is not checked
 * (it has no process to follow) and a waiter blocked by an OFD lock is no
 * link in a chain.
 *
 * Single CPU, nothing here runs in interrupts, and the kernel is not
 * preempted: no locking.  Invariants: a lockfile is on lockfiles while it
 * has locks or waiters; a POSIX lock's process has a descriptor of the file
 * (so the key's object lives), an OFD lock's file is open.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/file.h>
#include <keel/flock.h>
#include <keel/proc.h>
#include <keel/fs.h>
#include <keel/vfs.h>
#include <keel/usercopy.h>
#include <keel/kheap.h>

#define OFFSET_MAX		INT64_MAX
#define MAX_DEADLK_ITERATIONS	10
/* Lock records in all, so that no process can fill the heap with them. */
#define FLOCK_MAX		16384

struct lock {
	struct lock *lk_next;		/* in its file's list */
	const void *lk_owner;		/* struct proc (POSIX) or struct file (OFD) */
	int lk_ofd;
	int lk_type;			/* F_RDLCK or F_WRLCK (a request: or F_UNLCK) */
	int64_t lk_start, lk_end;	/* inclusive; lk_end OFFSET_MAX: no end */
};

struct lockfile {
	struct lockfile *lf_next;
	uint64_t lf_key;
	struct lock *lf_locks;
	int lf_waiters;			/* asleep in F_SETLKW on this file */
};

struct waiter {
	struct waiter *w_next;
	const void *w_owner;
	const struct lock *w_blocker;	/* the lock it waits for; 0 once woken */
};

static struct lockfile *lockfiles;
static struct waiter *waiters;
static int nlocks;

/*
 * What identifies f's file: the node's device and inode number (hard
 * links share it), else the open file's own data (a pipe's both ends, a
 * /proc snapshot) or the file itself; never both kinds at once (addresses
 * are in the kernel half, device numbers small).
 */
static uint64_t
lock_key(struct file *f)
{
	struct kstat st;

	if (f->f_vnode && vfs_getattr(f->f_vnode, &st) == 0)
		return st.st_dev << 48 ^ st.st_ino;
	return f->f_data ? (uint64_t)f->f_data : (uint64_t)f;
}

static struct lockfile *
lockfile_find(uint64_t key)
{
	struct lockfile *lf;

	for (lf = lockfiles; lf; lf = lf->lf_next)
		if (lf->lf_key == key)
			return lf;
	return 0;
}

static struct lockfile *
lockfile_get(uint64_t key)
{
	struct lockfile *lf = lockfile_find(key);

	if (lf == 0 && (lf = kzalloc(sizeof(*lf))) != 0) {
		lf->lf_key = key;
		lf->lf_next = lockfiles;
		lockfiles = lf;
	}
	return lf;
}

/* Done with lf: it goes once it has neither locks nor waiters. */
static void
lockfile_put(struct lockfile *lf)
{
	struct lockfile **pp;

	if (lf->lf_locks || lf->lf_waiters)
		return;
	for (pp = &lockfiles; *pp != lf; pp = &(*pp)->lf_next)
		;
	*pp = lf->lf_next;
	kfree(lf);
}

/* l shrank or is going: its waiters look again. */
static void
wake_waiters(const struct lock *l)
{
	struct waiter *w;

	for (w = waiters; w; w = w->w_next) {
		if (w->w_blocker == l) {
			w->w_blocker = 0;
			wakeup(w);
		}
	}
}

/* Take *pp out of its list and free it. */
static void
lock_remove(struct lock **pp)
{
	struct lock *l = *pp;

	*pp = l->lk_next;
	wake_waiters(l);
	kfree(l);
	nlocks--;
}

static int
overlap(const struct lock *a, const struct lock *b)
{
	return a->lk_start <= b->lk_end && b->lk_start <= a->lk_end;
}

/* The first lock of another owner that req may not coexist with. */
static struct lock *
lock_conflict(struct lockfile *lf, const struct lock *req)
{
	struct lock *l;

	for (l = lf->lf_locks; l; l = l->lk_next)
		if (l->lk_owner != req->lk_owner && overlap(l, req) &&
		    (l->lk_type == F_WRLCK || req->lk_type == F_WRLCK))
			return l;
	return 0;
}

/* The lock owner sleeps for, if that counts in a deadlock (Linux's blocked_hash). */
static const struct lock *
waits_for(const void *owner)
{
	struct waiter *w;

	for (w = waiters; w; w = w->w_next)
		if (w->w_owner == owner && w->w_blocker && !w->w_blocker->lk_ofd)
			return w->w_blocker;
	return 0;
}

/* Linux's posix_locks_deadlock: would req, blocked by block, wait for itself? */
static int
deadlocks(const struct lock *req, const struct lock *block)
{
	int i = 0;

	if (req->lk_ofd)
		return 0;
	while ((block = waits_for(block->lk_owner)) != 0) {
		if (i++ > MAX_DEADLK_ITERATIONS)
			return 0;
		if (block->lk_owner == req->lk_owner)
			return 1;
	}
	return 0;
}

/* Put l among its owner's locks by start; a new owner's go at the end. */
static void
lock_insert(struct lockfile *lf, struct lock *l)
{
	struct lock **pp = &lf->lf_locks;

	while (*pp && (*pp)->lk_owner != l->lk_owner)
		pp = &(*pp)->lk_next;
	while (*pp && (*pp)->lk_owner == l->lk_owner && (*pp)->lk_start < l->lk_start)
		pp = &(*pp)->lk_next;
	l->lk_next = *pp;
	*pp = l;
	nlocks++;
}

static struct lock *
take_spare(struct lock **spare)
{
	struct lock *l = spare[0] ? spare[0] : spare[1];

	ASSERT(l != 0);
	if (l == spare[0])
		spare[0] = 0;
	else
		spare[1] = 0;
	return l;
}

/*
 * Give req's owner req's range with req's type (F_UNLCK: none), as Linux's
 * posix_lock_inode: the owner's locks of the same type that overlap or
 * touch the range merge into the first of them; those of the other type
 * lose the range.  At most two new records are needed (the new lock and
 * the far end of a lock that the range splits), from spare.
 */
static void
lock_apply(struct lockfile *lf, const struct lock *req, struct lock **spare)
{
	struct lock **pp = &lf->lf_locks, *l, *merged = 0, *n;
	int64_t start = req->lk_start, end = req->lk_end;

	while (*pp && (*pp)->lk_owner != req->lk_owner)
		pp = &(*pp)->lk_next;
	while ((l = *pp) != 0 && l->lk_owner == req->lk_owner) {
		if (l->lk_type == req->lk_type) {
			/* "start - 1", never "end + 1": an end may be OFFSET_MAX. */
			if (l->lk_end < start - 1 || l->lk_start - 1 > end) {
				pp = &l->lk_next;
				continue;
			}
			start = MIN(start, l->lk_start);
			end = MAX(end, l->lk_end);
			if (merged) {
				merged->lk_end = end;
				lock_remove(pp);
				continue;
			}
			merged = l;
			l->lk_start = start;
			l->lk_end = end;
		} else if (l->lk_end >= start && l->lk_start <= end) {
			if (l->lk_start >= start && l->lk_end <= end) {
				lock_remove(pp);
				continue;
			}
			if (l->lk_start < start && l->lk_end > end) {
				n = take_spare(spare);
				*n = *l;
				n->lk_start = end + 1;
				l->lk_next = n;
				nlocks++;
			}
			if (l->lk_start < start)
				l->lk_end = start - 1;
			else
				l->lk_start = end + 1;
			wake_waiters(l);
		}
		pp = &l->lk_next;
	}
	if (req->lk_type != F_UNLCK && merged == 0) {
		n = take_spare(spare);
		*n = *req;
		lock_insert(lf, n);
	}
}

/* F_SETLK, F_SETLKW and their OFD forms, the request checked. */
static long
lock_set(struct file *f, const struct lock *req, int wait)
{
	struct lock *blocker, *spare[2] = { 0, 0 };
	struct waiter w, **wp;
	struct lockfile *lf;
	long r = 0;

	if (req->lk_type == F_UNLCK) {
		if ((lf = lockfile_find(lock_key(f))) == 0)
			return 0;
	} else {
		if (nlocks >= FLOCK_MAX || (lf = lockfile_get(lock_key(f))) == 0)
			return -ENOLCK;
	}
	while (req->lk_type != F_UNLCK && (blocker = lock_conflict(lf, req)) != 0) {
		if (!wait) {
			r = -EAGAIN;
			goto out;
		}
		if (deadlocks(req, blocker)) {
			r = -EDEADLK;
			goto out;
		}
		w.w_owner = req->lk_owner;
		w.w_blocker = blocker;
		w.w_next = waiters;
		waiters = &w;
		lf->lf_waiters++;
		r = sleep_on(&w, 0);	/* -EINTR: restarted after SA_RESTART handlers */
		for (wp = &waiters; *wp != &w; wp = &(*wp)->w_next)
			;
		*wp = w.w_next;
		lf->lf_waiters--;
		if (r)
			goto out;
	}
	spare[0] = kmalloc(sizeof(struct lock));
	spare[1] = kmalloc(sizeof(struct lock));
	if (spare[0] == 0 || spare[1] == 0) {
		r = -ENOLCK;
		goto out;
	}
	lock_apply(lf, req, spare);
out:
	kfree(spare[0]);
	kfree(spare[1]);
	lockfile_put(lf);
	return r;
}

/*
 * Linux's flock64_to_posix_lock: the range from l_whence, l_start and
 * l_len (-EINVAL, -EOVERFLOW), then the type (-EINVAL).
 */
static int
lock_from_user(struct file *f, const struct uflock *fl, struct lock *req)
{
	struct kstat st;
	int64_t base;

	switch (fl->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (int64_t)f->f_off;
		break;
	case SEEK_END:
		base = vfs_fstat(f, &st) == 0 ? st.st_size : 0;
		break;
	default:
		return -EINVAL;
	}
	if (fl->l_start > OFFSET_MAX - base)
		return -EOVERFLOW;
	req->lk_start = base + fl->l_start;
	if (req->lk_start < 0)
		return -EINVAL;
	if (fl->l_len > 0) {
		if (fl->l_len - 1 > OFFSET_MAX - req->lk_start)
			return -EOVERFLOW;
		req->lk_end = req->lk_start + (fl->l_len - 1);
	} else if (fl->l_len < 0) {
		if (req->lk_start + fl->l_len < 0)
			return -EINVAL;
		req->lk_end = req->lk_start - 1;
		req->lk_start += fl->l_len;
	} else {
		req->lk_end = OFFSET_MAX;
	}
	if (fl->l_type != F_RDLCK && fl->l_type != F_WRLCK && fl->l_type != F_UNLCK)
		return -EINVAL;
	req->lk_type = fl->l_type;
	req->lk_next = 0;
	return 0;
}

long
flock_fcntl(struct file *f, int cmd, uint64_t uarg)
{
	int ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	int get = cmd == F_GETLK || cmd == F_OFD_GETLK, acc = f->f_flags & O_ACCMODE;
	struct lockfile *lf;
	struct uflock fl;
	struct lock req;
	struct lock *l;
	int r;

	if (copyin(&fl, uarg, sizeof(fl)))
		return -EFAULT;
	/* Linux 6.1's order: F_GETLK checks the type first, F_SETLK last. */
	if (get && fl.l_type != F_RDLCK && fl.l_type != F_WRLCK)
		return -EINVAL;
	r = lock_from_user(f, &fl, &req);
	if (r)
		return r;
	if (!get && ((req.lk_type == F_RDLCK && acc != O_RDONLY && acc != O_RDWR) ||
	    (req.lk_type == F_WRLCK && acc != O_WRONLY && acc != O_RDWR)))
		return -EBADF;
	if (ofd && fl.l_pid != 0)
		return -EINVAL;
	req.lk_ofd = ofd;
	req.lk_owner = ofd ? (const void *)f : (const void *)curproc();
	if (!get)
		return lock_set(f, &req, cmd == F_SETLKW || cmd == F_OFD_SETLKW);
	lf = lockfile_find(lock_key(f));
	l = lf ? lock_conflict(lf, &req) : 0;
	if (l == 0) {
		fl.l_type = F_UNLCK;	/* the rest as it was given */
	} else {
		fl.l_type = l->lk_type;
		fl.l_whence = SEEK_SET;
		fl.l_start = l->lk_start;
		fl.l_len = l->lk_end == OFFSET_MAX ? 0 : l->lk_end - l->lk_start + 1;
		fl.l_pid = l->lk_ofd ? -1 : ((const struct proc *)l->lk_owner)->p_pid;
	}
	return copyout(uarg, &fl, sizeof(fl)) ? -EFAULT : 0;
}

/* Every lock of owner on lf goes. */
static void
lock_remove_owner(struct lockfile *lf, const void *owner)
{
	struct lock **pp = &lf->lf_locks;

	while (*pp) {
		if ((*pp)->lk_owner == owner)
			lock_remove(pp);
		else
			pp = &(*pp)->lk_next;
	}
	lockfile_put(lf);
}

void
flock_fd_closed(struct proc *p, struct file *f)
{
	struct lockfile *lf;

	if (lockfiles && (lf = lockfile_find(lock_key(f))) != 0)
		lock_remove_owner(lf, p);
}

void
flock_file_released(struct file *f)
{
	struct lockfile *lf;

	if (lockfiles && (lf = lockfile_find(lock_key(f))) != 0)
		lock_remove_owner(lf, f);
}
