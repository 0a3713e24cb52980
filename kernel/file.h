/*
 * file.h: open files and file descriptors.
 *
 * A struct file is shared by every descriptor that refers to it (after fork
 * or dup) and counts them in f_ref.  Kinds: the console (a TTY), the null
 * and zero devices, and initramfs nodes (read only).
 */
#ifndef FILE_H
#define FILE_H

#include <stdint.h>

#define FT_CONSOLE	1
#define FT_NULL		2
#define FT_ZERO		3
#define FT_NODE		4
#define FT_PIPE		5
#define FT_PROC		6

/* open(2) flags, Linux values. */
#define O_ACCMODE	3
#define O_RDONLY	0
#define O_WRONLY	1
#define O_RDWR		2
#define O_CREAT		0100
#define O_EXCL		0200
#define O_TRUNC		01000
#define O_APPEND	02000
#define O_NONBLOCK	04000
#define O_DIRECT	040000		/* pipes: packet mode (pipe(7)) */
#define O_DIRECTORY	0200000
#define O_NOFOLLOW	0400000
#define O_CLOEXEC	02000000

#define AT_FDCWD	(-100)

/* lseek(2) and struct flock's l_whence. */
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2

struct rnode;
struct proc;
struct pipe;

/* readv and writev's array (struct iovec of Linux, 64-bit). */
struct iovec {
	uint64_t iov_base;
	uint64_t iov_len;
};

struct file {
	int f_type;		/* FT_* */
	int f_ref;		/* descriptors sharing this file */
	int f_flags;		/* open flags */
	uint64_t f_off;
	struct rnode *f_node;	/* FT_NODE */
	struct pipe *f_pipe;	/* FT_PIPE */
	char *f_text;		/* FT_PROC: the file's contents, made at open */
	uint64_t f_textlen;
	int f_pos_is_dir;	/* FT_PROC: a directory (f_text: its names) */
	int f_procpid;		/* FT_PROC directory: of this pid (0: /proc) */
};

struct file *file_get(int fd);
void file_put(struct file *f);
/* p gives up a descriptor of f: p's POSIX locks on the file go, then the reference. */
void file_close_fd(struct proc *p, struct file *f);
int file_open_console(struct proc *p);
void file_close_all(struct proc *p);
void file_dup_all(struct proc *child, struct proc *parent);

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
