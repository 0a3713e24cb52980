/*
 * uio.h: the readv(2)/writev(2) limit (Linux's include/uapi/linux/uio.h).
 * Usable from C and assembly.
 */
#ifndef UAPI_UIO_H
#define UAPI_UIO_H

#define UIO_MAXIOV	1024	/* iovecs in one call */

#endif
