/*
 * ktest_cpu.c: self-tests of the per-CPU seam: curcpu() and the per-CPU
 * GDT and TSS are the ones the CPU is actually using.
 *
 * Interface: KTEST entries only (ktest.h).  White-box: they read what the
 * CPU has loaded (SGDT, STR, the GS base MSR), which only the arch's own
 * headers describe.
 */
#include <keel/kernel.h>
#include <keel/cpu.h>
#include <keel/ktest.h>
#include <keel/proc.h>
#include <arch/cpu.h>
#include <arch/percpu.h>
#include <arch/segments.h>

/* The base address a 16-byte system descriptor at d[0], d[1] names (SDM 3A, 8.2.3). */
static uint64_t
sysdesc_base(const uint64_t *d)
{
	return (d[0] >> 16 & 0xffffff) | (d[0] >> 56 & 0xff) << 24 | d[1] << 32;
}

KTEST(percpu_curcpu_is_gs_base)
{
	struct cpu *c = curcpu();

	KT_ASSERT(c == &cpu_boot && c->c_self == c);
	KT_ASSERT(rdmsr(MSR_GS_BASE) == (uint64_t)c);
	KT_ASSERT(curproc() == c->c_curproc && c->c_idle != 0);
}

KTEST(percpu_gdt_tss_loaded)
{
	struct arch_cpu *ac = &curcpu()->c_arch;
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr;
	uint16_t tr;
	const uint64_t *tssd = &ac->ac_gdt[GDT_TSS];
	int i;

	__asm__ volatile("sgdt %0" : "=m"(gdtr));
	__asm__ volatile("str %0" : "=r"(tr));
	KT_ASSERT(gdtr.base == (uint64_t)ac->ac_gdt);
	KT_ASSERT(gdtr.limit == sizeof(ac->ac_gdt) - 1);
	KT_ASSERT(tr == SEL_TSS);
	/* TR's descriptor in this CPU's GDT names this CPU's TSS, busy (type 0xb). */
	KT_ASSERT(sysdesc_base(tssd) == (uint64_t)&ac->ac_tss);
	KT_ASSERT((tssd[0] & 0xffff) == sizeof(ac->ac_tss) - 1);
	KT_ASSERT((tssd[0] >> 40 & 0xf) == 0xb);
	/* Ring-3 traps and SYSCALL land on the same stack; the IST stacks are set. */
	KT_ASSERT(ac->ac_tss.tss_rsp[0] == ac->ac_kstack_top && ac->ac_kstack_top != 0);
	for (i = 0; i < IST_COUNT; i++)
		KT_ASSERT(ac->ac_tss.tss_ist[i] >= KERNEL_HALF_BASE);
}
