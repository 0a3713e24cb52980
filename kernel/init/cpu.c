/*
 * cpu.c: the CPUs' struct cpu (<keel/cpu.h>) and the setup each CPU does
 * for itself.
 *
 * Interface:
 *   cpu_boot                   the boot CPU's; the only one until the
 *                              application processors are started
 *   cpu_init_this(c)           on the CPU that becomes c, once: curcpu()
 *                              works from here on
 */
#include <keel/kernel.h>
#include <keel/cpu.h>
#include <keel/proc.h>

struct cpu cpu_boot;

void
cpu_init_this(struct cpu *c)
{
	c->c_self = c;
	/* GDT, TSS, IDT, the per-CPU base, control registers, SYSCALL, FPU. */
	arch_cpu_init(c);
	/* What runs on it until there is a process: the thread calling this. */
	sched_init_cpu(c);
}
