/*
 * entry_audit.c: the address-space entry audit (see switch.h).
 *
 * Interface: switch_audit(next) before entering next's address space;
 * switch_audit_enable_all(on) for audit=switch; switch_audit_count().
 *
 * The GDT, TSS and IST stacks checked are the running CPU's (its struct
 * arch_cpu): the ones the CPU will use when next traps into the kernel.
 * So the audit is per CPU: an address space is checked on each CPU before
 * that CPU first enters it (as_audited), and each CPU checks its own
 * static structures (c_audited) in full once.
 */
#include <keel/kernel.h>
#include <keel/cpu.h>
#include <keel/proc.h>
#include <keel/uvm.h>
#include <keel/vm.h>
#include <arch/arch.h>
#include <arch/gdt.h>
#include <arch/segments.h>
#include <arch/switch.h>

static int every_switch;
static uint64_t audits;

static void
need(uint64_t root, uint64_t va, const char *what, struct thread *t)
{
	uint64_t flags;

	if (pt_translate(vm_ctx(), root, va, 0, &flags) != PT_OK)
		panic("entry audit: %s (0x%lx) is not mapped in the address space of"
		    " pid %d (CR3 0x%lx)", what, va, t->t_proc->p_pid, root);
	if (flags & PTE_U)
		panic("entry audit: %s (0x%lx) is user-accessible in pid %d", what, va,
		    t->t_proc->p_pid);
}

static void audit(struct thread *next);

/* A new address space, or a new thread's first switch (its own stack): check. */
void
switch_audit(struct thread *next)
{
	if (every_switch || !(next->t_proc->p_as->as_audited & curcpu()->c_cpubit) ||
	    !next->t_arch.ap_entered)
		audit(next);
}

static void
audit(struct thread *next)
{
	uint64_t root = next->t_proc->p_as->as_root, rsp;
	uint64_t *pml4 = PHYS_TO_VIRT(root), *kpml4 = PHYS_TO_VIRT(vm_kernel_root());
	int i;

	/* First entry of this address space (or every switch): check. */
	__asm__ volatile("mov %%rsp, %0" : "=r"(rsp));
	need(root, rsp, "the current kernel stack", next);
	need(root, next->t_kstack - 8, "the next thread's kernel stack", next);
	need(root, next->t_ksave, "the next thread's saved context", next);
	need(root, tss_get_rsp0() - 8, "TSS RSP0", next);
	/*
	 * The rest is static kernel memory, the same in every address space
	 * whose kernel half is the kernel's own PML4 entries (as_create copies
	 * them): checked once in full, then whenever a kernel half differs.
	 */
	if (curcpu()->c_audited && memeq64(&pml4[KERNEL_PML4_FIRST],
	    &kpml4[KERNEL_PML4_FIRST], PT_ENTRIES - KERNEL_PML4_FIRST))
		goto done;
	for (i = 1; i <= IST_COUNT; i++)
		need(root, tss_get_ist(i) - 8, "an IST stack", next);
	need(root, (uint64_t)gdt_address(), "the GDT", next);
	need(root, (uint64_t)idt_address(), "the IDT", next);
	need(root, (uint64_t)tss_address(), "the TSS", next);
	need(root, (uint64_t)trap_stubs, "the interrupt entry stubs", next);
	need(root, (uint64_t)trap_stubs_end - 1, "the interrupt entry stubs' end", next);
	need(root, (uint64_t)syscall_entry, "the syscall entry", next);
	need(root, (uint64_t)user_return, "the return-to-user path", next);
	need(root, (uint64_t)swtch, "the context switch", next);
	curcpu()->c_audited = memeq64(&pml4[KERNEL_PML4_FIRST], &kpml4[KERNEL_PML4_FIRST],
	    PT_ENTRIES - KERNEL_PML4_FIRST);
done:
	/* Atomic: CPUs switching into one address space at once, without the kernel lock. */
	__atomic_or_fetch(&next->t_proc->p_as->as_audited, 1ULL << curcpu()->c_id, __ATOMIC_RELAXED);
	next->t_arch.ap_entered = 1;
	__atomic_add_fetch(&audits, 1, __ATOMIC_RELAXED);
}

void
switch_audit_enable_all(int on)
{
	every_switch = on;
}

uint64_t
switch_audit_count(void)
{
	return audits;
}

