/*
 * percpu.h: the per-CPU area, reached through GS in kernel mode.  SWAPGS on
 * every entry from ring 3 (and before every return to it) keeps the user's
 * GS base out of the kernel.  The offsets are checked so syscall.S agrees.
 */
#ifndef ARCH_PERCPU_H
#define ARCH_PERCPU_H

#define PC_SELF		0
#define PC_KSTACK_TOP	8	/* the current thread's kernel stack top */
#define PC_USER_RSP	16	/* scratch: the user RSP during syscall entry */
#define PC_PROC		24
#define PC_NEED_RESCHED	32

#ifndef __ASSEMBLER__
#include <stdint.h>

struct proc;

struct percpu {
	struct percpu *pc_self;
	uint64_t pc_kstack_top;
	uint64_t pc_user_rsp;
	struct proc *pc_proc;		/* running process, 0 when idle */
	int pc_need_resched;		/* the tick says: switch before ring 3 */
};
_Static_assert(__builtin_offsetof(struct percpu, pc_kstack_top) == PC_KSTACK_TOP, "");
_Static_assert(__builtin_offsetof(struct percpu, pc_user_rsp) == PC_USER_RSP, "");
_Static_assert(__builtin_offsetof(struct percpu, pc_proc) == PC_PROC, "");
_Static_assert(__builtin_offsetof(struct percpu, pc_need_resched) == PC_NEED_RESCHED, "");

extern struct percpu cpu0;

void percpu_init(void);

static inline struct percpu *
this_cpu(void)
{
	return &cpu0;	/* one CPU; through %gs:PC_SELF once there are more */
}
#endif
#endif
