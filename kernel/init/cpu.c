/*
 * cpu.c: the CPUs' struct cpu (<keel/cpu.h>) and the setup each CPU does
 * for itself.
 *
 * Interface:
 *   cpus[], ncpus, ncpus_online
 *                              every CPU's (cpus[0] the boot CPU's), how
 *                              many the firmware listed, how many run
 *   cpu_init_this(c)           on the CPU that becomes c, once: curcpu()
 *                              works from here on
 */
#include <keel/kernel.h>
#include <keel/cpu.h>
#include <keel/proc.h>
#include <keel/spinlock.h>

struct cpu cpus[NCPU_MAX];
int ncpus = 1, ncpus_online = 1;

void
cpu_init_this(struct cpu *c)
{
	c->c_self = c;
	c->c_id = c - cpus;
	c->c_cpubit = 1ULL << c->c_id;
	/* GDT, TSS, IDT, the per-CPU base, control registers, SYSCALL, FPU. */
	arch_cpu_init(c);
	/* What runs on it until there is a process: the thread calling this. */
	sched_init_cpu(c);
	spin_ready = 1;
	if (c == &cpu_boot)
		c->c_online = 1;	/* an application processor says so itself */
}
