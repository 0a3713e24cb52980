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
#include <uapi/fcntl.h>

#define FT_CONSOLE	1
#define FT_NULL		2
#define FT_ZERO		3
#define FT_NODE		4
#define FT_PIPE		5
#define FT_PROC		6


struct rnode;
struct proc;
struct pipe;

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

#endif
