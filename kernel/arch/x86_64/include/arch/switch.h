/*
 * switch.h: the context switch (swtch), the way back to ring 3, and the
 * entry audit; arch-internal (generic code has arch_switch_to in arch.h).
 */
#ifndef ARCH_SWITCH_H
#define ARCH_SWITCH_H

#include <stdint.h>
#include <arch/arch.h>	/* intr_save, intr_restore: here before */
#include <arch/cpu.h>

struct thread;

/* swtch.S; thread_first: a new thread's first "return" from swtch. */
void swtch(uint64_t *save_rsp, uint64_t load_rsp);
extern char thread_first[];
/* syscall.S: return to ring 3 from the trapframe at rsp; the entries. */
extern char user_return[], syscall_entry[], int80_entry[];
/*
 * vectors.S: return to the interrupted context from the trapframe at rsp,
 * giving up the kernel lock on the way to ring 3 (or holding none).
 */
extern char trap_return[], trap_return_nolock[];


/*
 * The seed lesson, checked: everything the CPU touches when it enters the
 * kernel (the current and next kernel stacks, TSS RSP0 and the IST stacks,
 * the GDT, IDT and TSS, the entry and exit code) translates in the live
 * CR3, kernel-only.  Panics naming what is missing.  Runs on the first
 * entry of every address space and every thread, and on every switch
 * with audit=switch.
 */
void switch_audit(struct thread *next);
uint64_t switch_audit_count(void);

#endif
