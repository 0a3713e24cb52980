/*
 * mman.h: mmap(2), mprotect(2) and madvise(2) arguments (Linux's
 * include/uapi/asm-generic/mman-common.h, mman.h).  Usable from C and
 * assembly.
 */
#ifndef UAPI_MMAN_H
#define UAPI_MMAN_H

#define PROT_NONE	0x0
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define PROT_SEM	0x8
#define PROT_GROWSDOWN	0x01000000
#define PROT_GROWSUP	0x02000000

#define MAP_SHARED		0x01
#define MAP_PRIVATE		0x02
#define MAP_SHARED_VALIDATE	0x03	/* MAP_SHARED, unknown flags refused */
#define MAP_TYPE		0x0f
#define MAP_FIXED		0x10
#define MAP_ANONYMOUS		0x20
#define MAP_FIXED_NOREPLACE	0x100000

#define MADV_DONTNEED		4
#define MADV_FREE		8
#define MADV_DONTNEED_LOCKED	24	/* the highest advice Linux 6.1 knows */

#endif
