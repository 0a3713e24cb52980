/*
 * file.c: the descriptor table and the life of struct file (see file.h).
 */
#include "kernel.h"
#include "errno.h"
#include "file.h"
#include "flock.h"
#include "pipe.h"
#include "ramfs.h"
#include "proc.h"
#include "rlimit.h"
#include "mm/kheap.h"

struct file *
file_get(int fd)
{
	if (fd < 0 || fd >= NOFILE)
		return 0;
	return curproc()->p_files[fd];
}

int
file_open_console(struct proc *p)
{
	struct file *f = kzalloc(sizeof(*f));
	int fd;

	if (f == 0)
		return -ENOMEM;
	f->f_type = FT_CONSOLE;
	f->f_flags = O_RDWR;
	f->f_ref = 3;
	for (fd = 0; fd < 3; fd++)
		p->p_files[fd] = f;
	return 0;
}

void
file_put(struct file *f)
{
	if (--f->f_ref > 0)
		return;
	flock_file_released(f);
	if (f->f_type == FT_PIPE)
		pipe_close(f);
	if (f->f_node)
		ramfs_release(f->f_node);
	kfree(f->f_text);
	kfree(f);
}

/* Linux's filp_close: every close of a descriptor drops its process's POSIX locks. */
void
file_close_fd(struct proc *p, struct file *f)
{
	flock_fd_closed(p, f);
	file_put(f);
}

void
file_close_all(struct proc *p)
{
	int fd;

	for (fd = 0; fd < NOFILE; fd++) {
		if (p->p_files[fd]) {
			file_close_fd(p, p->p_files[fd]);
			p->p_files[fd] = 0;
		}
	}
}

void
file_close_on_exec(struct proc *p)
{
	int fd;

	for (fd = 0; fd < NOFILE; fd++) {
		if (p->p_files[fd] && p->p_fdflags[fd]) {
			file_close_fd(p, p->p_files[fd]);
			p->p_files[fd] = 0;
			p->p_fdflags[fd] = 0;
		}
	}
}

int
fd_limit(struct proc *p)
{
	return (int)MIN(p->p_rlim[RLIMIT_NOFILE].rlim_cur, NOFILE);
}

int
fd_install_from(struct file *f, int min, int cloexec)
{
	struct proc *p = curproc();
	int fd, limit = fd_limit(p);

	for (fd = min; fd < limit; fd++) {
		if (p->p_files[fd] == 0) {
			p->p_files[fd] = f;
			p->p_fdflags[fd] = cloexec ? 1 : 0;
			return fd;
		}
	}
	return -EMFILE;
}

void
file_dup_all(struct proc *child, struct proc *parent)
{
	int fd;

	for (fd = 0; fd < NOFILE; fd++) {
		child->p_files[fd] = parent->p_files[fd];
		child->p_fdflags[fd] = parent->p_fdflags[fd];
		if (child->p_files[fd])
			child->p_files[fd]->f_ref++;
	}
}
