/*
 * tlb.c: TLB shootdown (see smp.h).
 *
 * The holder of tlb_lock fills the one request, sets a bit for each CPU
 * that must act, sends them an IPI and waits until every bit is clear:
 * after that no CPU can reach, through an old translation, a frame the
 * caller is about to free or a page it just made read-only.  A CPU
 * answers in its IPI handler, or while it spins for the kernel lock or
 * any spinlock (smp_poll), or in a long walk of page tables under an
 * address space's lock, so one with interrupts off does not deadlock the
 * holder.
 * A CPU that stays silent for SHOOTDOWN_SPIN_NS is a bug: panic, naming it.
 */
#include <keel/kernel.h>
#include <keel/cpu.h>
#include <keel/smp.h>
#include <keel/spinlock.h>
#include <keel/time.h>
#include <keel/uvm.h>
#include <keel/vm.h>
#include <arch/arch.h>

#define SHOOTDOWN_SPIN_NS	2000000000ULL	/* 2 s, even under emulation */

static struct spinlock tlb_lock = SPINLOCK_INIT("tlb");
static struct {
	struct aspace *as;		/* 0: the kernel half */
	uint64_t va, npages;		/* npages 0: everything */
	int unload;			/* tlb_unload: load the kernel's tables */
	volatile uint64_t pending;	/* CPUs yet to act */
} req;

uint64_t tlb_shootdowns, tlb_ipis;	/* counts, for the self-tests and /proc */

static void
flush_local(struct aspace *as, uint64_t va, uint64_t npages)
{
	uint64_t i;

	if (npages == 0 || npages > TLB_FULL_PAGES) {
		if (as)
			arch_tlb_flush_all();
		else
			arch_tlb_flush_global();
		return;
	}
	for (i = 0; i < npages; i++)
		arch_tlb_flush_page(va + i * PAGE_SIZE);
}

/* This CPU's part of the request; then its bit goes. */
static void
answer(struct cpu *c)
{
	if (req.unload) {
		if (c->c_as == req.as)
			as_activate(0);
	} else if (req.as == 0 || c->c_as == req.as) {
		flush_local(req.as, req.va, req.npages);
	}
	__atomic_and_fetch(&req.pending, ~(1ULL << c->c_id), __ATOMIC_RELEASE);
}

void
smp_poll(struct cpu *c)
{
	if (__atomic_load_n(&req.pending, __ATOMIC_ACQUIRE) >> c->c_id & 1)
		answer(c);
}

void
tlb_ipi(void)
{
	smp_poll(curcpu());
}

static void
send(uint64_t mask)
{
	uint64_t t0, left;
	int i;

	ASSERT(spin_held(&tlb_lock));
	tlb_shootdowns++;
	__atomic_store_n(&req.pending, mask, __ATOMIC_RELEASE);
	for (i = 0; i < ncpus; i++)
		if (mask >> i & 1) {
			arch_ipi(&cpus[i], IPI_TLB);
			tlb_ipis++;
		}
	t0 = clock_ns();
	while ((left = __atomic_load_n(&req.pending, __ATOMIC_ACQUIRE)) != 0) {
		pause();
		if (clock_ns() - t0 > SHOOTDOWN_SPIN_NS)
			panic("tlb shootdown: CPU %d does not answer (pending 0x%lx)",
			    __builtin_ctzll(left), left);
	}
}

/* The online CPUs but this one. */
static uint64_t
others(uint64_t mask)
{
	uint64_t m = 0;
	int i;

	for (i = 0; i < ncpus; i++)
		if (cpu_online(&cpus[i]))
			m |= 1ULL << i;
	return mask & m & ~(1ULL << curcpu()->c_id);
}

void
tlb_shootdown(struct aspace *as, uint64_t va, uint64_t npages)
{
	uint64_t mask, fl;

	if (curcpu()->c_as == as)
		flush_local(as, va, npages);
	if (!smp_live || (mask = others(as->as_cpumask)) == 0)
		return;
	fl = spin_lock_irqsave(&tlb_lock);
	req.as = as;
	req.va = va;
	req.npages = npages;
	req.unload = 0;
	send(mask);
	spin_unlock_irqrestore(&tlb_lock, fl);
}

void
tlb_shootdown_kernel(uint64_t va, uint64_t npages)
{
	uint64_t mask, fl;

	flush_local(0, va, npages);
	if (!smp_live || (mask = others(~0ULL)) == 0)
		return;
	fl = spin_lock_irqsave(&tlb_lock);
	req.as = 0;
	req.va = va;
	req.npages = npages;
	req.unload = 0;
	send(mask);
	spin_unlock_irqrestore(&tlb_lock, fl);
}

void
tlb_unload(struct aspace *as)
{
	uint64_t mask, fl;

	if (!smp_live || (mask = others(as->as_cpumask)) == 0)
		return;
	fl = spin_lock_irqsave(&tlb_lock);
	req.as = as;
	req.unload = 1;
	send(mask);
	spin_unlock_irqrestore(&tlb_lock, fl);
}
