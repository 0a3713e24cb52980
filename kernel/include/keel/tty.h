/*
 * tty.h: the console TTY: a line discipline over the console's input
 * (serial, keyboard) and output, with Linux's termios and ioctl numbers;
 * the controlling terminal of at most one session, and job control.
 */
#ifndef TTY_H
#define TTY_H

#include <stdint.h>

struct proc;

/* A byte typed at the console (called from interrupt handlers). */
void tty_input(char c);
long tty_read_user(uint64_t ubuf, uint64_t n);
long tty_write_user(uint64_t ubuf, uint64_t n);
long tty_ioctl(uint64_t req, uint64_t arg);
/* Bytes a read could take now (FIONREAD). */
int tty_pending(void);
/*
 * p's last thread is leaving: a session leader's terminal is given up
 * (its foreground group gets SIGHUP), as Linux's disassociate_ctty.
 */
void tty_session_exit(struct proc *p);

#endif
