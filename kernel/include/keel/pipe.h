/*
 * pipe.h: pipes (pipe.c).  A pipe is a 64 KiB ring shared by a read end
 * and a write end, each a struct file of type pipe (pipe_ops); writes of up to
 * PIPE_BUF bytes are atomic, as POSIX wants.  A write end with O_DIRECT
 * writes packets (pipe(7)): a read returns at most one.
 */
#ifndef PIPE_H
#define PIPE_H

#include <stdint.h>

struct file;
struct iovec;
struct pipe;

long sys_pipe2(uint64_t ufds, int flags);
long pipe_read(struct file *f, uint64_t ubuf, uint64_t n);
/*
 * readv: one read into cnt checked iovecs holding n > 0 bytes in all, as
 * Linux's pipe_read fills them (a packet is not cut at an iovec's end).
 */
long pipe_readv(struct file *f, const struct iovec *iov, int cnt, uint64_t n);
long pipe_write(struct file *f, uint64_t ubuf, uint64_t n);
/* A descriptor of one end went away (file_put of the last reference). */
void pipe_close(struct file *f);
/*
 * Open f on the FIFO whose pipe *cell holds (0: none yet), by f's access
 * mode, waiting for the other side as Linux's fifo_open: 0 or -errno.
 */
int pipe_fifo_open(struct pipe **cell, struct file *f);
/* Bytes waiting to be read (FIONREAD, poll). */
int pipe_pending(struct file *f);

#endif
