/*
 * cpu.h: a CPU's own state, struct cpu, and the one way to reach the
 * running CPU's: curcpu().
 *
 * Interface:
 *   curcpu()                   the running CPU's struct cpu (one %gs load)
 *   curproc()                  the process it runs (its idle process when idle):
 *                              one %gs load of c_curproc
 *   curthread()                the thread it runs (<keel/proc.h>): c_curthread
 *   cpus[], ncpus              every CPU the MADT lists as enabled, up to
 *                              NCPU_MAX; cpus[0] is the boot CPU (cpu_boot)
 *   cpu_online(c)              c answered and runs the scheduler
 *   ncpus_online               how many do
 *   cpu_init_this(c)           make the calling CPU c: its GDT, TSS and IDT,
 *                              per-CPU base, system-call MSRs, control
 *                              registers and FPU; what every CPU runs once
 *
 * Protection of each field:
 *   [I] immutable once cpu_init_this has run
 *   [o] owned by its CPU: read and written only there, with interrupts off
 *       where the timer tick touches it too
 *   [a] atomic
 *   [K] under the kernel lock (spinlock.h)
 *   [S] under the scheduler's lock (sched.c)
 * The entry code reads some fields through offsets generated from this
 * struct (kernel/arch/x86_64/asm-offsets.c), never typed by hand.
 */
#ifndef KEEL_CPU_H
#define KEEL_CPU_H

#include <stdint.h>
#include <arch/arch.h>

struct proc;
struct thread;

#define NCPU_MAX	64	/* a bit each in uint64_t masks */

/* /proc/stat's per-CPU times, in ticks. */
enum { CPUSTAT_USER, CPUSTAT_NICE, CPUSTAT_SYSTEM, CPUSTAT_IDLE, CPUSTAT_N };

struct cpu {
	struct cpu *c_self;		/* [I] curcpu() loads this */
	int c_id;			/* [I] index in cpus[] (getcpu's answer) */
	uint64_t c_cpubit;		/* [I] 1 << c_id: its bit in CPU masks */
	uint32_t c_apic_id;		/* [I] its local APIC id */
	volatile int c_online;		/* [a] set once by the CPU itself */
	struct thread *c_curthread;	/* [o] running: a thread, or c_idle */
	struct proc *c_curproc;		/* [o] c_curthread's process (getpid's one load) */
	struct thread *c_idle;		/* [I] runs when nothing else can */
	int c_need_resched;		/* [o] the tick says: switch before ring 3 */
	struct thread *c_runq_head;	/* [S] RUNNABLE threads, FIFO ... */
	struct thread *c_runq_tail;	/* [S] ... through t_qnext */
	uint64_t c_ticks;		/* [o] timer ticks this CPU has taken */
	struct thread *c_reapq;		/* [o] exited, to free off their stacks (proc_reap) */
	int c_tick_user;		/* [o] the tick came from ring 3 */
	uint64_t c_stat[CPUSTAT_N];	/* [o] ticks by what the CPU was doing */
	uint64_t c_nswitch;		/* [o] switches between threads (/proc/stat's ctxt) */
	uint64_t c_nintr;		/* [o] interrupts and IPIs taken (its intr) */
	struct aspace *c_as;		/* [o] the address space loaded (uvm.c) */
	int c_audited;			/* [o] the entry audit checked its statics here */
	int c_klock_depth;		/* [o] kernel-lock nesting (spinlock.h) */
	volatile uint32_t c_klock_sleep;	/* [a] ticket+1 it sleeps waiting for; 0: none */
	int c_nheld;			/* [o] spinlocks held ... */
	uint8_t c_held[8];		/* [o] ... their classes, in order */
	volatile int c_polling;		/* [a] its idle loop polls its queue: no IPI needed */
	uint32_t c_poll_ns;		/* [o] how long its idle loop polls before hlt (sched.c) */
	struct arch_cpu c_arch;		/* the architecture's part (<arch/percpu.h>) */
};

extern struct cpu cpus[NCPU_MAX];
extern int ncpus, ncpus_online;
#define cpu_boot	(cpus[0])

static inline int
cpu_online(const struct cpu *c)
{
	return c->c_online;
}

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
