/*
 * flock.h: byte-range locks on files (flock.c), as fcntl(2) offers them:
 * POSIX record locks, owned by a process, and open file description (OFD)
 * locks, owned by an open file.
 *
 * Interface:
 *   flock_fcntl(f, cmd, uarg)	F_GETLK, F_SETLK, F_SETLKW, F_OFD_GETLK,
 *				F_OFD_SETLK, F_OFD_SETLKW on f with the user's
 *				struct flock at uarg: 0 or -errno, as Linux
 *   flock_fd_closed(p, f)	p gave up one descriptor of f (close, dup2
 *				over it, exec, exit): p's POSIX locks on f's
 *				file go, whatever descriptor set them
 *   flock_file_released(f)	the last descriptor of f went: its OFD locks go
 */
#ifndef FLOCK_H
#define FLOCK_H

#include <stdint.h>
#include <uapi/fcntl.h>

/* fcntl commands and lock types, Linux's x86-64 values (uapi asm-generic/fcntl.h). */


/* struct flock of x86-64 Linux: off_t is 64 bits, so there is no flock64. */
struct uflock {
	int16_t l_type;		/* F_RDLCK, F_WRLCK, F_UNLCK */
	int16_t l_whence;	/* SEEK_SET, SEEK_CUR, SEEK_END */
	int64_t l_start;
	int64_t l_len;		/* 0: to the end of the file and beyond; < 0: before l_start */
	int32_t l_pid;		/* F_GETLK: the holder (-1: an OFD lock); OFD commands: 0 */
};
_Static_assert(sizeof(struct uflock) == 32, "x86-64 struct flock");
_Static_assert(__builtin_offsetof(struct uflock, l_start) == 8, "x86-64 struct flock");
_Static_assert(__builtin_offsetof(struct uflock, l_pid) == 24, "x86-64 struct flock");

struct file;
struct proc;

long flock_fcntl(struct file *f, int cmd, uint64_t uarg);
void flock_fd_closed(struct proc *p, struct file *f);
void flock_file_released(struct file *f);

#endif
