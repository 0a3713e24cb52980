/*
 * smp.h: the other CPUs: starting them, telling them things, and keeping
 * their TLBs true to the page tables.
 *
 * Interface:
 *   smp_init()                 start every CPU the firmware lists as enabled
 *                              (the boot CPU, from kmain); logs how many
 *                              answered and how long it took
 *   smp_resched(c)             an IPI to c: look at your run queue and the
 *                              running thread's signals (sched.c)
 *   smp_poll(c)                answer a pending shootdown: what a CPU does
 *                              while it waits for the kernel lock
 *   smp_kick(c)                wake c from arch_wait_kick (the kernel lock's
 *                              release, to the CPU whose turn it is)
 *   smp_stop_others()          halt every other CPU (panic)
 *   tlb_shootdown(as, va, n)   n pages from va (n 0: all) of as are stale:
 *                              flushed here and on every CPU with as loaded,
 *                              which have all acknowledged when this returns
 *   tlb_shootdown_kernel(va, n)  the same for a kernel-half range, on every CPU
 *   tlb_unload(as)             no CPU keeps as loaded (before it is freed)
 *
 * A shootdown is made by the holder of the kernel lock only, so there is
 * one at a time, and a CPU that waits for the lock answers it (smp_poll).
 * Above TLB_FULL_PAGES pages a whole flush is cheaper (Linux's
 * tlb_single_page_flush_ceiling, 33).
 */
#ifndef KEEL_SMP_H
#define KEEL_SMP_H

#include <stdint.h>

#define TLB_FULL_PAGES	32

struct aspace;
struct cpu;

void smp_init(void);
void smp_resched(struct cpu *c);
void smp_poll(struct cpu *c);
void smp_kick(struct cpu *c);
void smp_stop_others(void);
extern volatile int smp_stopping;	/* a panic is stopping the CPUs */
void tlb_shootdown(struct aspace *as, uint64_t va, uint64_t npages);
void tlb_shootdown_kernel(uint64_t va, uint64_t npages);
void tlb_unload(struct aspace *as);
/* How many shootdowns were made, and IPIs sent for them (ktest, /proc). */
extern uint64_t tlb_shootdowns, tlb_ipis;

/* The arch's: an IPI of each kind to c (arch/x86_64/cpu/smp.c). */
enum { IPI_TLB, IPI_RESCHED, IPI_STOP, IPI_KICK };
void arch_ipi(struct cpu *c, int kind);
/*
 * Halt until an IPI_KICK, IPI_TLB or IPI_STOP arrives (interrupts off
 * before and after; nothing else is let in): how a CPU waits for the
 * kernel lock once spinning has gone on too long.
 */
void arch_wait_kick(void);
/* The IPI handler's half of the shootdown (tlb.c), on the CPU it reached. */
void tlb_ipi(void);

#endif /* KEEL_SMP_H */
