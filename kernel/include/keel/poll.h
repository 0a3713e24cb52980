/*
 * poll.h: readiness, shared by poll, select and epoll (fs/poll.c).
 *
 * A file's readiness is its file_ops.poll; whatever changes it calls
 * poll_wakeup() on the file's pollhead, which wakes every process waiting
 * in poll_wait() (one channel for all: each re-polls what it waits for).
 * The pollhead's counters let epoll's edge-triggered items see that an
 * event happened since they last reported, whether or not the file is
 * still ready.
 *
 * Locking: none today (one CPU, a non-preemptible kernel); poll_wait's
 * look-then-sleep runs with interrupts off, as the pipe's does, so that a
 * wakeup from an interrupt (the TTY's input) cannot fall in between.
 */
#ifndef KEEL_POLL_H
#define KEEL_POLL_H

#include <stdint.h>

struct file;

/* One per source of events (a pipe, the TTY, an eventfd). */
struct pollhead {
	uint64_t ph_rseq;	/* bumped by events for readers (data, hangup) */
	uint64_t ph_wseq;	/* ... and for writers (room, no reader) */
};

/*
 * Something about ph's files changed: events says what, POLLIN (data:
 * news for readers), POLLOUT (room: for writers) or 0 (both, as a
 * hangup); ph may be 0 (an epoll's interest list changed).  Wakes every
 * poll_wait.
 */
void poll_wakeup(struct pollhead *ph, int events);
/* f's events now: its poll op, or Linux's DEFAULT_POLLMASK without one. */
int poll_file(struct file *f);
/*
 * The counts of f's pollhead; a file without one (an epoll file) gets
 * the count of every event, for both.
 */
void poll_counts(struct file *f, uint64_t *rseq, uint64_t *wseq);

/*
 * Wait until scan(arg) returns nonzero (a count, or -errno: returned as
 * is), the deadline passes (clock_ns(); 0: none; 0 is returned) or a
 * signal that is caught or kills arrives (-EINTR, and the call is not
 * restarted after the handler).  nowait: scan once.  epoll_order: a
 * timeout wins over a signal (epoll's ep_poll) rather than the reverse
 * (do_select, do_poll).  A scan runs after every wakeup, the last one too.
 */
long poll_wait(long (*scan)(void *), void *arg, uint64_t deadline, int nowait,
    int epoll_order);

/*
 * A timeout in (sec, nsec) as a deadline: -EINVAL if not a valid
 * timespec; *nowait for zero; *deadline 0 for one too far to matter.
 */
int poll_deadline(int64_t sec, int64_t nsec, uint64_t *deadline, int *nowait);
/* The time left before deadline, never below 0, in (sec, nsec). */
void poll_remaining(uint64_t deadline, int64_t *sec, int64_t *nsec);

/*
 * The signal mask of ppoll, pselect6 and epoll_pwait: set from the user's
 * sigset (size must be 8), *old keeping the current one; then ended by
 * poll_mask_end with the call's result, which puts old back now, or for
 * -EINTR only after the handler (its frame holds old), as Linux's
 * restore_saved_sigmask_unless.
 */
long poll_mask_begin(uint64_t umask, uint64_t size, uint64_t *old);
long poll_mask_end(uint64_t old, long r);

#endif /* KEEL_POLL_H */
