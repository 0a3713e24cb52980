/*
 * uapi/poll.h: poll(2)'s events and struct pollfd (Linux's
 * include/uapi/asm-generic/poll.h).
 */
#ifndef UAPI_POLL_H
#define UAPI_POLL_H

#define POLLIN		0x0001
#define POLLPRI		0x0002
#define POLLOUT		0x0004
#define POLLERR		0x0008
#define POLLHUP		0x0010
#define POLLNVAL	0x0020
#define POLLRDNORM	0x0040
#define POLLWRNORM	0x0100

#ifndef __ASSEMBLER__
#include <stdint.h>

struct pollfd {
	int32_t fd;
	int16_t events;
	int16_t revents;
};
#endif

#endif /* UAPI_POLL_H */
