/*
 * uapi/eventpoll.h: epoll(7) and eventfd(2) (Linux's
 * include/uapi/linux/eventpoll.h and include/linux/eventfd.h).
 */
#ifndef UAPI_EVENTPOLL_H
#define UAPI_EVENTPOLL_H

#include <uapi/fcntl.h>

#define EPOLL_CLOEXEC		O_CLOEXEC

#define EPOLL_CTL_ADD		1
#define EPOLL_CTL_DEL		2
#define EPOLL_CTL_MOD		3

/* The poll bits (uapi/poll.h) and these. */
#define EPOLLRDHUP		0x00002000
#define EPOLLEXCLUSIVE		(1U << 28)
#define EPOLLWAKEUP		(1U << 29)
#define EPOLLONESHOT		(1U << 30)
#define EPOLLET			(1U << 31)

#define EFD_SEMAPHORE		1
#define EFD_CLOEXEC		O_CLOEXEC
#define EFD_NONBLOCK		O_NONBLOCK

#ifndef __ASSEMBLER__
#include <stdint.h>

/* Packed on x86-64 (Linux's EPOLL_PACKED): 12 bytes. */
struct epoll_event {
	uint32_t events;
	uint64_t data;
} __attribute__((packed));
_Static_assert(sizeof(struct epoll_event) == 12, "struct epoll_event");
#endif

#endif /* UAPI_EVENTPOLL_H */
