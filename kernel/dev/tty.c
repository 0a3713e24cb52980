/*
 * tty.c: the console's line discipline (see tty.h).
 *
 * Canonical mode (ICANON): typed bytes collect in an edit line, echoed
 * (ECHO), with erase (VERASE: backspace or DEL), kill (^U) and word erase
 * (^W); a newline or VEOF (^D) hands the line to readers.  ISIG makes ^C,
 * ^\ and ^Z signal the foreground process group.  Raw mode passes bytes
 * through at once (VMIN 0 or more; VTIME is not implemented).  Output post
 * processing (ONLCR) happens in the console itself.
 *
 * The controlling terminal, as Linux's tty_jobctrl.c: a session leader
 * without one takes the console with TIOCSCTTY (tty_sid; its processes'
 * p_ctty), and its foreground group is TIOCSPGRP's.  A process of another
 * group of that session that reads /dev/tty gets SIGTTIN, or writes it with
 * TOSTOP set, or changes its settings, SIGTTOU: the read or write starts
 * again once its group is continued.  /dev/console is exempt from the
 * read and write checks, as on Linux (its files are "redirected").
 */
#include <keel/kernel.h>
#include <keel/console.h>
#include <uapi/errno.h>
#include <keel/proc.h>
#include <keel/tty.h>
#include <keel/devfs.h>
#include <keel/file.h>
#include <uapi/poll.h>
#include <keel/poll.h>
#include <keel/usercopy.h>
#include <uapi/ioctl.h>
#include <uapi/termios.h>
#include <arch/arch.h>	/* intr_save, intr_restore */


#define LINE_MAX	1024
#define READY_MAX	4096
#define EOF_MARK	0x100	/* in the ready queue: a ^D on an empty line */

struct ktermios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[NCCS];
};
_Static_assert(sizeof(struct ktermios) == 36, "Linux struct termios (TCGETS)");

struct winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

static struct ktermios tio = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = 0xbf,		/* B38400 CS8 CREAD */
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
	.c_cc = { [VINTR] = 3, [VQUIT] = 28, [VERASE] = 127, [VKILL] = 21,
		  [VEOF] = 4, [VMIN] = 1, [VSUSP] = 26, [VWERASE] = 23 },
};
static struct winsize winsz = { 24, 80, 0, 0 };
static int tty_sid;		/* the session it controls; 0: none */
static int fg_pgrp;		/* that session's foreground group; 0: none */

static char line[LINE_MAX];
static int linelen;
static uint16_t ready[READY_MAX];
static unsigned rhead, rtail;		/* free running */
static struct pollhead tty_ph;		/* the console's poll events */

static void
echo(char c)
{
	if (!(tio.c_lflag & ECHO))
		return;
	if ((tio.c_lflag & ECHOCTL) && (uint8_t)c < 0x20 && c != '\n' && c != '\t') {
		console_write("^", 1);
		c += '@';
	}
	console_write(&c, 1);
}

static void
rubout(int n)
{
	while (n-- > 0 && linelen > 0) {
		linelen--;
		if (tio.c_lflag & ECHO)
			console_write("\b \b", 3);
	}
}

static void
push_ready(uint16_t v)
{
	if (rhead - rtail < READY_MAX)
		ready[rhead++ % READY_MAX] = v;
}

static void
commit_line(void)
{
	int i;

	for (i = 0; i < linelen; i++)
		push_ready((uint8_t)line[i]);
	linelen = 0;
	wakeup(ready);
	poll_wakeup(&tty_ph, POLLIN);
}

/* ---- the controlling terminal ---- */

static int
has_ctty(struct proc *p)
{
	return p->p_ctty && tty_sid != 0 && p->p_sid == tty_sid;
}

static int
clear_ctty(struct proc *q, void *arg)
{
	if (q->p_sid == *(int *)arg)
		q->p_ctty = 0;
	return 0;
}

/* The session sid loses the terminal (Linux's session_clear_tty). */
static void
session_clear(int sid)
{
	proc_foreach(clear_ctty, &sid);
	tty_sid = 0;
	fg_pgrp = 0;
}

void
tty_session_exit(struct proc *p)
{
	if (p->p_pid != p->p_sid || !has_ctty(p))
		return;
	if (fg_pgrp)
		pgrp_signal(fg_pgrp, SIGHUP);
	session_clear(p->p_sid);
}

/*
 * May the caller use the terminal, or must its group stop first (Linux's
 * __tty_check_change)?  0: go on; -EIO: it cannot be stopped (sig ignored
 * or blocked and sig is SIGTTIN, or an orphaned group); -EINTR: sig went
 * to its group, and the call starts again once that is continued.
 */
static int
job_check(int sig)
{
	struct thread *t = curthread();
	struct proc *p = t->t_proc;

	if (!has_ctty(p) || fg_pgrp == 0 || p->p_pgid == fg_pgrp)
		return 0;
	if (p->p_sigact[sig - 1].sa_handler == SIG_IGN || (t->t_sigmask & SIGBIT(sig)))
		return sig == SIGTTIN ? -EIO : 0;
	if (pgrp_is_orphaned(p->p_pgid, 0))
		return -EIO;
	pgrp_signal(p->p_pgid, sig);
	return -EINTR;
}

static long
set_ctty(uint64_t arg)
{
	struct proc *p = curproc();

	if (p->p_pid == p->p_sid && tty_sid == p->p_sid)
		return 0;	/* already its own */
	if (p->p_pid != p->p_sid || has_ctty(p))
		return -EPERM;
	if (tty_sid) {
		/* Another session's: only root, asking with 1, takes it away. */
		if (arg != 1)
			return -EPERM;
		session_clear(tty_sid);
	}
	tty_sid = p->p_sid;
	fg_pgrp = p->p_pgid;
	p->p_ctty = 1;
	return 0;
}

static long
set_pgrp(uint64_t arg)
{
	struct proc *p = curproc();
	int v, r = job_check(SIGTTOU);

	if (r)
		return r == -EIO ? -ENOTTY : r;
	if (copyin(&v, arg, sizeof(v)))
		return -EFAULT;
	if (v < 0)
		return -EINVAL;
	if (!has_ctty(p))
		return -ENOTTY;
	r = pgrp_session(v);
	if (v == 0 || r < 0)
		return -ESRCH;
	if (r != p->p_sid)
		return -EPERM;
	fg_pgrp = v;
	return 0;
}

/* TIOCNOTTY: a session leader gives the terminal up for its whole session. */
static long
give_up_ctty(void)
{
	struct proc *p = curproc();

	if (!has_ctty(p))
		return -ENOTTY;
	if (p->p_pid == p->p_sid) {
		if (fg_pgrp) {
			pgrp_signal(fg_pgrp, SIGHUP);
			pgrp_signal(fg_pgrp, SIGCONT);
		}
		session_clear(p->p_sid);
	}
	p->p_ctty = 0;
	return 0;
}

/* ---- input ---- */

void
tty_input(char c)
{
	if ((tio.c_iflag & ICRNL) && c == '\r')
		c = '\n';
	if (tio.c_lflag & ISIG) {
		int sig = c == tio.c_cc[VINTR] ? SIGINT : c == tio.c_cc[VQUIT] ? SIGQUIT :
		    c == tio.c_cc[VSUSP] ? SIGTSTP : 0;

		if (sig && c) {
			/* As Linux's n_tty: what was typed goes (unless NOFLSH), "^C" is echoed. */
			if (!(tio.c_lflag & NOFLSH)) {
				linelen = 0;
				rtail = rhead;
			}
			echo(c);
			if (fg_pgrp)
				pgrp_signal(fg_pgrp, sig);
			return;
		}
	}
	if (!(tio.c_lflag & ICANON)) {
		push_ready((uint8_t)c);
		echo(c);
		wakeup(ready);
		poll_wakeup(&tty_ph, POLLIN);
		return;
	}
	if (c == tio.c_cc[VERASE] || c == '\b') {
		rubout(1);
	} else if (c == tio.c_cc[VKILL]) {
		rubout(linelen);
	} else if (c == tio.c_cc[VWERASE]) {
		while (linelen > 0 && line[linelen - 1] == ' ')
			rubout(1);
		while (linelen > 0 && line[linelen - 1] != ' ')
			rubout(1);
	} else if (c == tio.c_cc[VEOF]) {
		if (linelen == 0)
			push_ready(EOF_MARK);
		commit_line();
	} else if (c == '\n') {
		echo(c);
		if (linelen < LINE_MAX)
			line[linelen++] = c;
		commit_line();
	} else if (linelen < LINE_MAX - 1) {
		line[linelen++] = c;
		echo(c);
	}
}

int
tty_pending(void)
{
	return rhead - rtail;
}

long
tty_read_user(uint64_t ubuf, uint64_t n)
{
	char buf[256];
	uint64_t fl, k = 0;
	int canon = tio.c_lflag & ICANON;

	fl = intr_save();
	for (;;) {
		/* A ^D queued in canonical mode is no end of file in raw mode. */
		while (!canon && rhead != rtail && ready[rtail % READY_MAX] == EOF_MARK)
			rtail++;
		if (rhead != rtail)
			break;
		if (!canon && tio.c_cc[VMIN] == 0) {
			intr_restore(fl);
			return 0;
		}
		if (sleep_on(ready, 0)) {
			intr_restore(fl);
			return -EINTR;
		}
	}
	if (canon && ready[rtail % READY_MAX] == EOF_MARK) {
		rtail++;
		intr_restore(fl);
		return 0;
	}
	while (k < n && k < sizeof(buf) && rtail != rhead) {
		uint16_t v = ready[rtail % READY_MAX];

		if (v == EOF_MARK && canon)
			break;
		rtail++;
		if (v == EOF_MARK)
			continue;
		buf[k++] = (char)v;
		if (canon && v == '\n')
			break;
	}
	intr_restore(fl);
	return copyout(ubuf, buf, k) ? -EFAULT : (long)k;
}

/* Writes go out in chunks: a fault part way stops there, as on Linux. */
long
tty_write_user(uint64_t ubuf, uint64_t n)
{
	char buf[256];
	uint64_t done = 0;

	while (done < n) {
		uint64_t k = MIN(n - done, sizeof(buf));

		if (copyin(buf, ubuf + done, k))
			break;
		console_write(buf, k);
		done += k;
	}
	/* The writer draws its text, not whoever runs at the next tick. */
	console_flush();
	return done || n == 0 ? (long)done : -EFAULT;
}

/*
 * tcsendbreak: the serial line held at space for ms milliseconds, as
 * Linux's send_break on a port that can (the console's other half, the
 * screen, has no line); a signal ends it early with -EINTR, which no
 * SA_RESTART restarts (Linux's send_break returns -EINTR, not
 * -ERESTARTSYS).  Unlike Linux, which holds the tty's write lock across
 * the break, other writers are not held off meanwhile.
 */
static long
send_break(uint64_t ms)
{
	uint64_t end = clock_ns() + ms * 1000000;
	static int chan;
	long r = 0;

	uart_break(1);
	while (clock_ns() < end)
		if (sleep_on(&chan, end)) {
			r = -EINTR;
			curthread()->t_syscall_nr = -1;	/* never restarted */
			break;
		}
	uart_break(0);
	return r;
}

long
tty_ioctl(uint64_t req, uint64_t arg)
{
	struct ktermios t;
	int v, r;

	switch (req) {
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
	case TCFLSH:
	case TCXONC:
	case TCSBRK:
	case TCSBRKP:
		/* Changing the terminal from the background: SIGTTOU first. */
		if ((r = job_check(SIGTTOU)) != 0)
			return r;
		break;
	}
	switch (req) {
	case TCGETS:
		return copyout(arg, &tio, sizeof(tio));
	case TCSETSF:
		rtail = rhead;
		linelen = 0;
		/* fall through */
	case TCSETS:
	case TCSETSW:
		if (copyin(&t, arg, sizeof(t)))
			return -EFAULT;
		if ((tio.c_lflag & ICANON) && !(t.c_lflag & ICANON) && linelen)
			commit_line();	/* what was typed stays readable */
		tio = t;
		return 0;
	case TIOCGWINSZ:
		return copyout(arg, &winsz, sizeof(winsz));
	case TIOCSWINSZ:
		return copyin(&winsz, arg, sizeof(winsz));
	case TIOCGPGRP:
		if (!has_ctty(curproc()))
			return -ENOTTY;
		v = fg_pgrp;
		return copyout(arg, &v, sizeof(v));
	case TIOCSPGRP:
		return set_pgrp(arg);
	case TIOCGSID:
		if (!has_ctty(curproc()))
			return -ENOTTY;
		v = tty_sid;
		return copyout(arg, &v, sizeof(v));
	case TIOCSCTTY:
		return set_ctty(arg);
	case TIOCNOTTY:
		return give_up_ctty();
	case FIONREAD:
		v = tty_pending();
		return copyout(arg, &v, sizeof(v));
	case TCFLSH:
		if (arg == 0 || arg == 2) {
			rtail = rhead;
			linelen = 0;
		}
		return 0;
	case TCXONC:
		return 0;
	case TCSBRK:
		/* tcdrain (arg nonzero) or tcsendbreak (0): the output first. */
		console_flush();
		return arg ? 0 : send_break(250);
	case TCSBRKP:
		console_flush();
		return send_break(arg ? (uint32_t)(arg * 100) : 250);	/* Linux's unsigned int */
	default:
		return -ENOTTY;
	}
}

/* ---- the console as a character device (devfs.h: major 5) ---- */

/* /dev/tty: the controlling terminal, with job control. */
static long
ttydev_read(struct file *f, uint64_t ubuf, uint64_t n)
{
	int r = job_check(SIGTTIN);

	return r ? r : tty_read_user(ubuf, n);
}

static long
ttydev_write(struct file *f, uint64_t ubuf, uint64_t n)
{
	int r = (tio.c_lflag & TOSTOP) ? job_check(SIGTTOU) : 0;

	return r ? r : tty_write_user(ubuf, n);
}

/* /dev/console: the same terminal, no job control on reads and writes. */
static long
consdev_read(struct file *f, uint64_t ubuf, uint64_t n)
{
	return tty_read_user(ubuf, n);
}

static long
consdev_write(struct file *f, uint64_t ubuf, uint64_t n)
{
	return tty_write_user(ubuf, n);
}

static long
ttydev_ioctl(struct file *f, uint64_t req, uint64_t arg)
{
	return tty_ioctl(req, arg);
}

static int
ttydev_read_would_block(struct file *f)
{
	return tty_pending() == 0;
}

static struct pollhead *
ttydev_pollhead(struct file *f)
{
	return &tty_ph;
}

static int
ttydev_poll(struct file *f)
{
	return (tty_pending() ? POLLIN | POLLRDNORM : 0) | POLLOUT | POLLWRNORM;
}

static const struct file_ops ttydev_ops = {
	.poll = ttydev_poll,
	.pollhead = ttydev_pollhead,
	.read = ttydev_read,
	.write = ttydev_write,
	.ioctl = ttydev_ioctl,
	.read_would_block = ttydev_read_would_block,
};

static const struct file_ops consdev_ops = {
	.poll = ttydev_poll,
	.read = consdev_read,
	.write = consdev_write,
	.ioctl = ttydev_ioctl,
	.read_would_block = ttydev_read_would_block,
};

/*
 * /dev/tty (minor 0): the caller's controlling terminal, -ENXIO without
 * one; /dev/console (minor 1): the console TTY.  Both are the one console.
 */
int
tty_open(struct file *f, int minor)
{
	if (minor > 1)
		return -ENXIO;
	if (minor == 0 && !has_ctty(curproc()))
		return -ENXIO;
	f->f_ops = minor == 0 ? &ttydev_ops : &consdev_ops;
	return 0;
}
