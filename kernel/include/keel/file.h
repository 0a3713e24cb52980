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
#include <keel/refcount.h>
#include <uapi/fcntl.h>
#include <uapi/fs.h>	/* SEEK_* */

struct aspace;
struct dirent_info;
struct epitem;
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
	/*
	 * The poll events (uapi/poll.h) ready now; absent: always readable
	 * and writable, and not for epoll (-EPERM, as Linux's file_can_poll).
	 */
	int (*poll)(struct file *f);
	/* Where its events are counted (<keel/poll.h>); absent: any event's. */
	struct pollhead *(*pollhead)(struct file *f);
	/* Would a read sleep now (nothing to read, a writer still there)? */
	int (*read_would_block)(struct file *f);
	/* A private mapping: [start, start + len) of as gets the bytes at off. */
	int (*mmap)(struct file *f, struct aspace *as, uint64_t start, uint64_t len,
	    uint64_t off);
	/* A directory listed from the open file (else the node's readdir). */
	int (*readdir)(struct file *f, uint64_t index, struct dirent_info *d);
	/* fstat of a file without a node (a pipe); else the node's getattr. */
	int (*getattr)(struct file *f, struct kstat *st);
	/* fsync and fdatasync: absent, -EINVAL (a pipe, a device, as Linux). */
	int (*fsync)(struct file *f);
	/* The last reference went away. */
	void (*release)(struct file *f);
	/*
	 * A file without a node opened anew through /proc/PID/fd/N: set up nf
	 * (its f_flags are the open's) on the same object (a pipe: a new end).
	 */
	int (*reopen)(struct file *f, struct file *nf);
	/* Status flags F_SETFL may set besides O_APPEND and O_NONBLOCK. */
	int f_setfl_extra;
	/*
	 * Mapping it makes anonymous memory (/dev/zero, Linux's mmap_zero):
	 * private or shared (shared anonymous memory, vmobj.h); mmap is unused.
	 */
	int f_mmap_anon;
	/*
	 * Reads and writes of fewer bytes are -EINVAL (eventfd's 8): the op
	 * checks, except for a count of 0, which never reaches it.
	 */
	unsigned rw_min;
};



struct proc;

/*
 * A process's descriptors: slots 0 to fdt_size - 1 (grown on demand, at
 * most NOFILE), each a file or 0, and its close-on-exec flag.
 */
struct fdtable {
	int fdt_ref;			/* processes using it */
	int fdt_size;
	int fdt_top;			/* above every fd ever set: the walks' bound */
	struct file **fdt_files;
	uint8_t *fdt_cloexec;
};

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
	struct epitem *f_ep;	/* epoll items watching it (epoll.c), unheld */
};

/* Linux's cap on one read or write: INT_MAX rounded down to a page. */
#define MAX_RW_COUNT	(0x7fffffffUL & ~(4096UL - 1))

/* A new file with f_ref 1 (no descriptor yet), or 0 without memory. */
struct file *file_alloc(const struct file_ops *ops, int flags);
/* lseek to off from whence (SEEK_*), the file's end being size: the new offset or -EINVAL. */
int64_t file_lseek_to(struct file *f, int64_t off, int whence, int64_t size);
/* The generic lseek of a file whose end is its node's size. */
int64_t file_lseek_sized(struct file *f, int64_t off, int whence);
/* fsync of a file that lives in memory: nothing to write back (tmpfs's noop_fsync). */
int file_fsync_memory(struct file *f);


/* The file of descriptor fd of the running process, no reference taken; 0 if none. */
struct file *fd_file(int fd);
void file_put(struct file *f);
/* p gives up a descriptor of f: p's POSIX locks on the file go, then the reference. */
void file_close_fd(struct proc *p, struct file *f);
int file_open_console(struct proc *p);
/* p lets go of its descriptor table (exit). */
void file_close_all(struct proc *p);
/* child gets a copy of parent's table (fork): 0 or -ENOMEM. */
int file_dup_all(struct proc *child, struct proc *parent);
/* Descriptor fd of p becomes f (growing the table): 0 or -ENOMEM. */
int fd_set(struct proc *p, int fd, struct file *f, int cloexec);
/* Empties descriptor fd of p: the file it held (its reference), or 0. */
struct file *fd_clear(struct proc *p, int fd);
/* The running process's FD_CLOEXEC of fd, and setting it. */
int fd_cloexec(int fd);
void fd_set_cloexec(int fd, int on);

/* poll.c, select.c, eventfd.c, epoll.c (<keel/poll.h>) */
long sys_poll(uint64_t ufds, uint64_t n, int timeout_ms);
long sys_ppoll(uint64_t ufds, uint64_t n, uint64_t uts, uint64_t umask, uint64_t masksize);
long sys_select(int n, uint64_t uin, uint64_t uout, uint64_t uex, uint64_t utv);
long sys_pselect6(int n, uint64_t uin, uint64_t uout, uint64_t uex, uint64_t uts,
    uint64_t usig);
long sys_eventfd(unsigned int count);
long sys_eventfd2(unsigned int count, int flags);
long sys_epoll_create(int size);
long sys_epoll_create1(int flags);
long sys_epoll_ctl(int epfd, int op, int fd, uint64_t uevent);
long sys_epoll_wait(int epfd, uint64_t uevents, int maxevents, int timeout_ms);
long sys_epoll_pwait(int epfd, uint64_t uevents, int maxevents, int timeout_ms,
    uint64_t umask, uint64_t masksize);
long sys_epoll_pwait2(int epfd, uint64_t uevents, int maxevents, uint64_t uts,
    uint64_t umask, uint64_t masksize);
/* The last reference to f goes: the epoll items watching it go too. */
void epoll_file_released(struct file *f);

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
long sys_pread64(int fd, uint64_t ubuf, uint64_t n, int64_t off);
long sys_pwrite64(int fd, uint64_t ubuf, uint64_t n, int64_t off);
long sys_preadv(int fd, uint64_t uiov, int iovcnt, int64_t off);
long sys_pwritev(int fd, uint64_t uiov, int iovcnt, int64_t off);
long sys_sendfile(int outfd, int infd, uint64_t uoff, uint64_t n);
long sys_fsync(int fd);
long sys_fdatasync(int fd);
long sys_sync(void);
long sys_syncfs(int fd);
/* execve: close the descriptors marked close-on-exec. */
void file_close_on_exec(struct proc *p);
/* Install f at the lowest free descriptor >= min: the fd or -EMFILE. */
int fd_install_from(struct file *f, int min, int cloexec);
/* Descriptors p may have: 0 to this - 1 (RLIMIT_NOFILE's soft limit, at most NOFILE). */
int fd_limit(struct proc *p);

#endif
