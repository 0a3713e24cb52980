/*
 * ktest_smp.c: self-tests of the several-CPU machinery: every online CPU
 * has its own GDT, TSS, stacks and APIC ID; spinlocks track their owner
 * and the lock classes held; the kernel lock nests; a shootdown reaches
 * every other CPU and returns only when all have answered.
 *
 * Interface: KTEST entries only (ktest.h).  They run on the boot CPU with
 * the kernel lock held (kmain step 8), the others idle.  What must panic
 * (a spinlock taken twice, an order inversion, a sleep holding one) is
 * shown by the crash= kinds in crash.c instead.
 */
#include <keel/kernel.h>
#include <keel/cpu.h>
#include <keel/ktest.h>
#include <keel/smp.h>
#include <keel/spinlock.h>
#include <keel/vm.h>
#include <arch/arch.h>
#include <arch/percpu.h>
#include <arch/segments.h>
#include <shared/layout.h>

KTEST(smp_cpus_distinct)
{
	int i, j, k;

	KT_ASSERT(ncpus_online >= 1 && ncpus_online <= ncpus && cpu_online(&cpu_boot));
	for (i = 0; i < ncpus; i++) {
		struct arch_cpu *a = &cpus[i].c_arch;

		if (!cpu_online(&cpus[i]))
			continue;
		KT_ASSERT(cpus[i].c_id == i && cpus[i].c_self == &cpus[i]);
		KT_ASSERT(cpus[i].c_idle != 0 && a->ac_kstack_top != 0);
		KT_ASSERT(a->ac_tss.tss_rsp[0] == a->ac_kstack_top);
		for (k = 0; k < IST_COUNT; k++)
			KT_ASSERT(a->ac_tss.tss_ist[k] >= KERNEL_HALF_BASE);
		for (j = 0; j < i; j++) {
			struct arch_cpu *b = &cpus[j].c_arch;

			if (!cpu_online(&cpus[j]))
				continue;
			KT_ASSERT(cpus[i].c_apic_id != cpus[j].c_apic_id);
			KT_ASSERT(a->ac_kstack_top != b->ac_kstack_top);
			for (k = 0; k < IST_COUNT; k++)
				KT_ASSERT(a->ac_tss.tss_ist[k] != b->ac_tss.tss_ist[k]);
		}
	}
}

KTEST(spinlock_owner_and_classes)
{
	static struct spinlock a = SPINLOCK_INIT("ktest-a"), b = SPINLOCK_INIT("ktest-b");
	struct cpu *c = curcpu();
	uint64_t fa, fb;
	int held = c->c_nheld;

	if (!smp_live)
		return;		/* one CPU: nothing is tracked (spinlock.h) */
	KT_ASSERT(!spin_held(&a));
	fa = spin_lock_irqsave(&a);
	KT_ASSERT(spin_held(&a) && a.sl_cpu == c->c_id && c->c_nheld == held + 1);
	KT_ASSERT(!(read_rflags() & RFLAGS_IF));
	fb = spin_lock_irqsave(&b);		/* a, then b: the order is learnt */
	KT_ASSERT(spin_held(&b) && c->c_nheld == held + 2);
	spin_unlock_irqrestore(&a, fa);		/* out of order: allowed */
	KT_ASSERT(!spin_held(&a) && spin_held(&b) && c->c_nheld == held + 1);
	spin_unlock_irqrestore(&b, fb);
	KT_ASSERT(!spin_held(&b) && a.sl_cpu == -1 && b.sl_cpu == -1 && c->c_nheld == held);
}

KTEST(klock_nests)
{
	int d = klock_depth();

	KT_ASSERT(klock_held());
	klock_enter();
	KT_ASSERT(klock_held() && klock_depth() == d + (smp_live ? 1 : 0));
	klock_exit();
	KT_ASSERT(klock_held() && klock_depth() == d);
}

KTEST(smp_shootdown_reaches_every_cpu)
{
	uint64_t n0 = tlb_shootdowns, i0 = tlb_ipis;
	int i;

	if (!smp_live || ncpus_online < 2)
		return;		/* one CPU: nothing to tell */
	/* Harmless: a flush of one kernel-half page everywhere. */
	tlb_shootdown_kernel(KERNEL_HALF_BASE, 1);
	KT_ASSERT(tlb_shootdowns == n0 + 1);
	KT_ASSERT(tlb_ipis == i0 + (uint64_t)(ncpus_online - 1));
	/* Returned, so every other CPU answered; and again, many times over. */
	for (i = 0; i < 100; i++)
		tlb_shootdown_kernel(KERNEL_HALF_BASE, 1);
	KT_ASSERT(tlb_ipis == i0 + 101 * (uint64_t)(ncpus_online - 1));
}
