/*
 * cpu.c: what each x86 CPU sets up for itself (cpu_init_this's arch half).
 *
 * Interface:
 *   arch_cpu_init(c)           on the CPU that becomes c: its GDT and TSS,
 *                              the shared IDT, GS base = c, control
 *                              registers, system-call MSRs and FPU
 *   arch_syscall_init()        the SYSCALL MSRs: STAR, LSTAR, FMASK, EFER.SCE
 *
 * Once-per-boot work (CPUID, building the IDT, the FPU image size) is
 * done before, by kmain; this is what an application processor will run
 * again on itself.
 */
#include <keel/kernel.h>
#include <keel/cpu.h>
#include <arch/cpu.h>
#include <arch/cpufeat.h>
#include <arch/fpu.h>
#include <arch/gdt.h>
#include <arch/segments.h>
#include <arch/switch.h>

void
arch_cpu_init(struct cpu *c)
{
	gdt_load(&c->c_arch);
	idt_load();
	/* GS points at the CPU's struct cpu in the kernel; the user's is 0 at first. */
	wrmsr(MSR_GS_BASE, (uint64_t)c);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	cpufeat_enable_this();
	arch_syscall_init();
	fpu_enable_this();
}

void
arch_syscall_init(void)
{
	if (cpu_features.cf_syscall) {
		/* Ready for the syscall entry: SYSCALL's CS/SS and SYSRET's base. */
		wrmsr(MSR_STAR, ((uint64_t)(SEL(GDT_UCODE32) | SEL_RPL_USER) << 48) |
		    ((uint64_t)SEL_KCODE << 32));
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	}
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	/* Cleared on entry: IF (entry runs with interrupts off), TF, DF, AC, NT. */
	wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC | RFLAGS_NT);
}

/* RDRAND's word, or 0 when the CPU has none or it keeps failing. */
uint32_t
arch_random_seed(void)
{
	uint32_t v;
	uint8_t ok;

	if (!cpu_features.cf_rdrand)
		return 0;
	for (int i = 0; i < 10; i++) {	/* Intel's advice: retry 10 times */
		__asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
		if (ok)
			return v;
	}
	return 0;
}

void
arch_boot_features(void)
{
	cpufeat_print();
	fpu_init();
}

void
arch_cpu_init_stacks(uint64_t kstack_top)
{
	gdt_init_ist();
	tss_set_rsp0(kstack_top);
}

void
arch_boot_prepare(void)
{
	cpufeat_init();
	idt_init();
}

void
arch_vm_kernel_live(uint64_t root)
{
	write_cr3(root);
	cpu_write_cr4(read_cr4() | CR4_PGE);
}
