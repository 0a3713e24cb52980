/*
 * smp.c: starting the application processors, and the IPIs between CPUs
 * (see <keel/smp.h>).
 *
 * Bring-up (Intel SDM Vol. 3A, 10.4.4; Linux's do_boot_cpu): for each
 * processor the MADT lists as enabled, the boot CPU makes its idle thread
 * and stack, its IST stacks and the trampoline's parameters, then sends
 * INIT, waits 10 ms, and sends STARTUP (twice, 200 us apart, unless the
 * first was enough) naming the trampoline's page (mem.c withheld it below
 * 1 MiB).  The processor reports in from ap_entry, sets itself up exactly
 * as the boot CPU did (cpu_init_this), checks its TSC against the boot
 * CPU's, and goes idle.  One that does not report within AP_WAIT_NS gets
 * INIT again (it waits for a STARTUP that never comes) and is left out.
 */
#include <keel/kernel.h>
#include <keel/cpu.h>
#include <keel/cmdline.h>
#include <keel/kheap.h>
#include <keel/mem.h>
#include <keel/platform.h>
#include <keel/proc.h>
#include <keel/smp.h>
#include <keel/spinlock.h>
#include <keel/syscall.h>
#include <keel/vm.h>
#include <arch/apic.h>
#include <arch/clock.h>
#include <arch/cpu.h>
#include <arch/gdt.h>
#include <arch/smpboot.h>
#include <lib/pte.h>

#define AP_WAIT_NS	1000000000ULL	/* 1 s: TCG on a busy host is slow */
#define TSC_CHECK_ROUNDS 2000

volatile int smp_stopping;
static volatile int ap_reported;	/* the starting AP ran ap_entry */
static uint64_t bringup_ns;		/* the last bring-up, for /proc and the bench */

/* TSC synchronisation check (Linux's check_tsc_warp): both CPUs at once. */
static volatile int warp_go, warp_done;
static volatile uint64_t warp_last;
static volatile int64_t warp_max;
static struct spinlock warp_lock = SPINLOCK_INIT("tsc");

static void
delay_ns(uint64_t ns)
{
	uint64_t t0 = clock_ns();

	while (clock_ns() - t0 < ns)
		pause();
}

/*
 * Each CPU reads the TSC under a lock and compares it with the last value
 * any CPU read: a CPU behind the other shows as time going backwards.
 */
static void
warp_check(void)
{
	uint64_t fl, now;
	int i;

	for (i = 0; i < TSC_CHECK_ROUNDS; i++) {
		fl = spin_lock_irqsave(&warp_lock);
		now = rdtsc();
		if (now < warp_last && (int64_t)(warp_last - now) > warp_max)
			warp_max = warp_last - now;
		warp_last = now;
		spin_unlock_irqrestore(&warp_lock, fl);
	}
}

void ap_entry(struct cpu *c);

/* The application processor c, on its idle stack, in the start-up tables. */
void
ap_entry(struct cpu *c)
{
	arch_vm_kernel_live(vm_kernel_root());
	ap_reported = 1;
	cpu_init_this(c);
	gdt_init_ist();
	tss_set_rsp0(c->c_idle->t_kstack);
	lapic_setup_this();
	/* With the boot CPU, which waits for c_online meanwhile. */
	while (!warp_go)
		pause();
	warp_check();
	__atomic_add_fetch(&warp_done, 1, __ATOMIC_RELEASE);
	clock_start_this();
	__atomic_store_n(&c->c_online, 1, __ATOMIC_RELEASE);
	proc_idle_loop();
}

/* The start-up page tables: the low 2 MiB identity-mapped, the kernel half. */
static void
tramp_tables(uint64_t base)
{
	uint64_t *pml4 = PHYS_TO_VIRT(base + PAGE_SIZE), *pdpt = PHYS_TO_VIRT(base + 2 * PAGE_SIZE);
	uint64_t *pd = PHYS_TO_VIRT(base + 3 * PAGE_SIZE);
	const uint64_t *kpml4 = PHYS_TO_VIRT(vm_kernel_root());

	memset(pml4, 0, PAGE_SIZE);
	memset(pdpt, 0, PAGE_SIZE);
	memset(pd, 0, PAGE_SIZE);
	memcpy(&pml4[KERNEL_PML4_FIRST], &kpml4[KERNEL_PML4_FIRST],
	    (PT_ENTRIES - KERNEL_PML4_FIRST) * sizeof(uint64_t));
	pml4[0] = (base + 2 * PAGE_SIZE) | PTE_P | PTE_W;
	pdpt[0] = (base + 3 * PAGE_SIZE) | PTE_P | PTE_W;
	pd[0] = 0 | PTE_P | PTE_W | PTE_PS;
}

/* The idle thread and stacks of c; 0 or -1 without memory. */
static int
ap_alloc(struct cpu *c)
{
	struct thread *idle = kzalloc(sizeof(*idle));
	int i;

	if (idle == 0 || (idle->t_kstack = kstack_alloc()) == 0) {
		kfree(idle);
		return -1;
	}
	for (i = 0; i < 3; i++)
		if ((c->c_arch.ac_ist[i] = kstack_alloc()) == 0)
			return -1;	/* kept: a CPU is rarely retried */
	c->c_idle = idle;
	return 0;
}

/* INIT, STARTUP, STARTUP (SDM 10.4.4.1); 0 once c is online. */
static int
ap_start(struct cpu *c, uint64_t base)
{
	struct tramp_params *tp = PHYS_TO_VIRT(base + TRAMP_PARAMS);
	uint64_t t0;
	int i;

	tp->tp_cr3 = base + PAGE_SIZE;
	tp->tp_cr4 = CR4_PAE;
	tp->tp_efer = rdmsr(MSR_EFER) & (EFER_LME | EFER_NXE);
	tp->tp_cr0 = read_cr0();
	tp->tp_stack = c->c_idle->t_kstack;
	tp->tp_entry = (uint64_t)ap_entry;
	tp->tp_arg = (uint64_t)c;
	ap_reported = 0;
	warp_go = warp_done = 0;
	warp_last = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	lapic_send_ipi(c->c_apic_id, ICR_INIT);
	delay_ns(10000000);
	for (i = 0; i < 2 && !ap_reported; i++) {
		lapic_send_ipi(c->c_apic_id, ICR_STARTUP | (uint32_t)(base >> PAGE_SHIFT));
		delay_ns(200000);
	}
	t0 = clock_ns();
	while (!ap_reported && clock_ns() - t0 < AP_WAIT_NS)
		pause();
	if (!ap_reported)
		goto dead;
	warp_go = 1;
	warp_check();
	t0 = clock_ns();
	while (!c->c_online && clock_ns() - t0 < AP_WAIT_NS)
		pause();
	if (c->c_online)
		return 0;
dead:
	/* Back to waiting for a STARTUP: it cannot run on the parameters later. */
	lapic_send_ipi(c->c_apic_id, ICR_INIT);
	kprintf("smp: CPU with APIC id %u did not %s; left out\n", c->c_apic_id,
	    ap_reported ? "finish starting" : "answer");
	return -1;
}

void
smp_init(void)
{
	const struct acpi_info *ai = &platform_acpi;
	uint64_t base = mem_trampoline, t0;
	uint32_t me = lapic_id();
	int i, tried = 0;
	struct cpu *c;

	cpu_boot.c_apic_id = me;
	if (!ai->ai_has_madt || ai->ai_ncpus <= 1 || cmdline_has("nosmp")) {
		kprintf("smp: 1 CPU (%s)\n", cmdline_has("nosmp") ? "nosmp" :
		    "the firmware lists no other");
		return;
	}
	if (base == 0) {
		kprintf("smp: no free page below 1 MiB for the start-up code; 1 CPU\n");
		return;
	}
	memcpy(PHYS_TO_VIRT(base), ap_tramp_start, ap_tramp_end - ap_tramp_start);
	ASSERT(ap_tramp_end - ap_tramp_start <= TRAMP_PARAMS);
	tramp_tables(base);
	klock_start();
	/*
	 * Every system call by the full path, the one that takes the lock
	 * (syscall.S), but those that need none.
	 */
	for (i = 0; i < (int)ARRAY_SIZE(syscall_full64); i++)
		syscall_full64[i] = ~syscall_nolock64[i];
	for (i = 0; i < (int)ARRAY_SIZE(syscall_full32); i++)
		syscall_full32[i] = ~syscall_nolock32[i];
	t0 = clock_ns();
	for (i = 0; i < ai->ai_ncpus && ncpus < NCPU_MAX; i++) {
		if (ai->ai_cpus[i].cpu_apic_id == me)
			continue;
		tried++;
		c = &cpus[ncpus];
		c->c_apic_id = ai->ai_cpus[i].cpu_apic_id;
		if (ap_alloc(c) != 0) {
			kprintf("smp: no memory for CPU %d's stacks; left out\n", ncpus);
			break;
		}
		if (ap_start(c, base) == 0) {
			if (warp_max > 0)
				kprintf("smp: CPU %d's TSC is behind another's by %ld ticks\n",
				    ncpus, (long)warp_max);
			ncpus++;
			ncpus_online++;
		} else {
			memset(c, 0, sizeof(*c));
		}
	}
	bringup_ns = clock_ns() - t0;
	kprintf("smp: %d of %d CPUs up in %lu.%03lu ms (APIC ids", ncpus_online, tried + 1,
	    bringup_ns / 1000000, bringup_ns / 1000 % 1000);
	for (i = 0; i < ncpus; i++)
		kprintf(" %u", cpus[i].c_apic_id);
	if (warp_max > 0)
		kprintf("); TSC NOT in step: up to %ld ticks apart\n", (long)warp_max);
	else
		kprintf("); TSC in step on every CPU\n");
}

uint64_t
smp_bringup_ns(void)
{
	return bringup_ns;
}

void
arch_ipi(struct cpu *c, int kind)
{
	static const uint8_t vec[] = {
		[IPI_TLB] = V_IPI_TLB, [IPI_RESCHED] = V_IPI_RESCHED, [IPI_STOP] = V_IPI_STOP,
		[IPI_KICK] = V_IPI_KICK,
	};

	if (lapic_send_ipi(c->c_apic_id, ICR_FIXED | vec[kind]) != 0)
		panic("smp: an IPI to CPU %d was not accepted", c->c_id);
}

void
smp_resched(struct cpu *c)
{
	if (c != curcpu() && cpu_online(c))
		arch_ipi(c, IPI_RESCHED);
}

void
smp_kick(struct cpu *c)
{
	arch_ipi(c, IPI_KICK);
}

/*
 * The TPR holds off every vector below class 15 (the tick, devices,
 * RESCHED: their handlers want the kernel lock this CPU waits for); they
 * stay pending in the IRR and come in once the TPR is back down.  STI's
 * one-instruction shadow covers the HLT: an IPI sent after the caller's
 * last look at the lock still wakes it.
 */
void
arch_wait_kick(void)
{
	write_cr8(TPR_ONLY_IPIS);
	__asm__ volatile("sti; hlt; cli" ::: "memory");
	write_cr8(0);
}

void
smp_stop_others(void)
{
	int i;

	if (!smp_live || __atomic_exchange_n(&smp_stopping, 1, __ATOMIC_SEQ_CST))
		return;
	for (i = 0; i < ncpus; i++)
		if (&cpus[i] != curcpu() && cpu_online(&cpus[i]))
			lapic_send_ipi(cpus[i].c_apic_id, ICR_FIXED | V_IPI_STOP);
}
