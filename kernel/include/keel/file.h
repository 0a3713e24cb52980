/*
 * file.h: open files and file descriptors.
 *
 * A struct file is shared by every descriptor that refers to it (after fork
 * or dup) and counts them in f_ref.  What it is -- a file of some file
 * system, a device, a pipe, a /proc text -- only its operations know:
 * f_ops, set by whoever made it (vnode_ops.open, a cdev's open, pipe2).
 */
#ifndef FILE_H
#define FILE_H

#include <stdint.h>
#include <uapi/fcntl.h>
#include <uapi/fs.h>	/* SEEK_* */

struct aspace;
struct dirent_info;
struct file;
struct iovec;
struct kstat;
struct vnode;

/*
 * What an open file does.  User buffers are checked by the caller to lie
 * in the user half; counts are at most MAX_RW_COUNT and not 0.  An absent
 * operation answers as Linux does for a file without it: read/write
 * -EINVAL, ioctl -ENOTTY, lseek -ESPIPE, mmap -ENODEV.
 */
struct file_ops {
	long (*read)(struct file *f, uint64_t ubuf, uint64_t n);
	long (*write)(struct file *f, uint64_t ubuf, uint64_t n);
	/* A read into several buffers in one call (n bytes in all), if it has one. */
	long (*readv)(struct file *f, const struct iovec *iov, int cnt, uint64_t n);
	long (*ioctl)(struct file *f, uint64_t req, uint64_t arg);
	/* The new offset for off and whence (SEEK_*), or -errno. */
	int64_t (*lseek)(struct file *f, int64_t off, int whence);
	/* The poll events (uapi/poll.h) ready now; absent: always readable and writable. */
	int (*poll)(struct file *f);
	/* Would a read sleep now (nothing to read, a writer still there)? */
	int (*read_would_block)(struct file *f);
	/* A private mapping: [start, start + len) of as gets the bytes at off. */
	int (*mmap)(struct file *f, struct aspace *as, uint64_t start, uint64_t len,
	    uint64_t off);
	/* A directory listed from the open file (else the node's readdir). */
	int (*readdir)(struct file *f, uint64_t index, struct dirent_info *d);
	/* fstat of a file without a node (a pipe); else the node's getattr. */
	int (*getattr)(struct file *f, struct kstat *st);
	/* The last reference went away. */
	void (*release)(struct file *f);
	/*
	 * A file without a node opened anew through /proc/PID/fd/N: set up nf
	 * (its f_flags are the open's) on the same object (a pipe: a new end).
	 */
	int (*reopen)(struct file *f, struct file *nf);
	/* Status flags F_SETFL may set besides O_APPEND and O_NONBLOCK. */
	int f_setfl_extra;
};



struct proc;

/* readv and writev's array (struct iovec of Linux, 64-bit). */
struct iovec {
	uint64_t iov_base;
	uint64_t iov_len;
};

struct file {
	const struct file_ops *f_ops;
	int f_ref;		/* descriptors sharing this file */
	int f_flags;		/* open flags */
	uint64_t f_off;
	struct vnode *f_vnode;	/* held; 0 for a pipe */
	void *f_data;		/* its operations' own: a pipe, /proc text */
};

/* Linux's cap on one read or write: INT_MAX rounded down to a page. */
#define MAX_RW_COUNT	(0x7fffffffUL & ~(4096UL - 1))

/* A new file with f_ref 1 (no descriptor yet), or 0 without memory. */
struct file *file_alloc(const struct file_ops *ops, int flags);
/* lseek to off from whence (SEEK_*), the file's end being size: the new offset or -EINVAL. */
int64_t file_lseek_to(struct file *f, int64_t off, int whence, int64_t size);
/* The generic lseek of a file whose end is its node's size. */
int64_t file_lseek_sized(struct file *f, int64_t off, int whence);


/* The file of descriptor fd of the running process, no reference taken; 0 if none. */
struct file *fd_file(int fd);
void file_put(struct file *f);
/* p gives up a descriptor of f: p's POSIX locks on the file go, then the reference. */
void file_close_fd(struct proc *p, struct file *f);
int file_open_console(struct proc *p);
void file_close_all(struct proc *p);
void file_dup_all(struct proc *child, struct proc *parent);

/* poll.c: something may have become ready (a pipe, the TTY): wake poll. */
void file_poll_wakeup(void);
long sys_poll(uint64_t ufds, uint64_t n, int timeout_ms);
long sys_ppoll(uint64_t ufds, uint64_t n, uint64_t uts, uint64_t umask, uint64_t masksize);

/* The syscalls (sys_file.c). */
long sys_read(int fd, uint64_t ubuf, uint64_t n);
long sys_write(int fd, uint64_t ubuf, uint64_t n);
long sys_readv(int fd, uint64_t uiov, int iovcnt);
long sys_writev(int fd, uint64_t uiov, int iovcnt);
long sys_close(int fd);
long sys_pipe(uint64_t ufds);
long sys_lseek(int fd, int64_t off, int whence);
long sys_ioctl(int fd, uint64_t req, uint64_t arg);
long sys_dup(int fd);
long sys_dup2(int oldfd, int newfd);
long sys_dup3(int oldfd, int newfd, int flags);
long sys_fcntl(int fd, int cmd, uint64_t arg);
/* execve: close the descriptors marked close-on-exec. */
void file_close_on_exec(struct proc *p);
/* Install f at the lowest free descriptor >= min: the fd or -EMFILE. */
int fd_install_from(struct file *f, int min, int cloexec);
/* Descriptors p may have: 0 to this - 1 (RLIMIT_NOFILE's soft limit, at most NOFILE). */
int fd_limit(struct proc *p);

#endif
