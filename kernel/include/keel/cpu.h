/*
 * cpu.h: a CPU's own state, struct cpu, and the one way to reach the
 * running CPU's: curcpu().
 *
 * Interface:
 *   curcpu()                   the running CPU's struct cpu (one %gs load)
 *   curproc()                  the process it runs (its idle process when idle):
 *                              one %gs load of c_curproc
 *   curthread()                the thread it runs (<keel/proc.h>): c_curthread
 *   cpu_boot                   the boot CPU's (the only one yet)
 *   cpu_init_this(c)           make the calling CPU c: its GDT, TSS and IDT,
 *                              per-CPU base, system-call MSRs, control
 *                              registers and FPU; what every CPU runs once
 *
 * Protection of each field:
 *   [I] immutable once cpu_init_this has run
 *   [o] owned by its CPU: read and written only there, with interrupts off
 *       where the timer tick touches it too
 *   [a] atomic
 * The entry code reads some fields through offsets generated from this
 * struct (kernel/arch/x86_64/asm-offsets.c), never typed by hand.
 */
#ifndef KEEL_CPU_H
#define KEEL_CPU_H

#include <stdint.h>
#include <arch/arch.h>

struct proc;
struct thread;

struct cpu {
	struct cpu *c_self;		/* [I] curcpu() loads this */
	struct thread *c_curthread;	/* [o] running: a thread, or c_idle */
	struct proc *c_curproc;		/* [o] c_curthread's process (getpid's one load) */
	struct thread *c_idle;		/* [I] runs when nothing else can */
	int c_need_resched;		/* [o] the tick says: switch before ring 3 */
	struct thread *c_runq_head;	/* [o] RUNNABLE threads, FIFO ... */
	struct thread *c_runq_tail;	/* [o] ... through t_qnext */
	uint64_t c_ticks;		/* [o] timer ticks this CPU has taken */
	struct thread *c_reapq;		/* [o] exited, to free off their stacks (proc_reap) */
	struct arch_cpu c_arch;		/* the architecture's part (<arch/percpu.h>) */
};

extern struct cpu cpu_boot;

static inline struct cpu *
curcpu(void)
{
	return arch_cpu_self(__builtin_offsetof(struct cpu, c_self));
}

static inline struct proc *
curproc(void)
{
	/* One %gs load, as curcpu()'s (the getpid path counts it). */
	return arch_cpu_read(__builtin_offsetof(struct cpu, c_curproc));
}

void cpu_init_this(struct cpu *c);

#endif /* KEEL_CPU_H */
