/*
 * trap.c: where every interrupt and exception arrives (from vectors.S).
 *
 * External interrupts go to the interrupt core (irq.c), which runs the
 * handler registered for the vector and sends the EOI.  An
 * exception in kernel mode is a kernel bug: it ends in a report meant to be
 * debuggable from a photo of the screen (what, where, every register, the
 * control registers, a symbolized backtrace), then the machine stops.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/ksyms.h>
#include <keel/cpu.h>
#include <keel/proc.h>
#include <keel/smp.h>
#include <keel/spinlock.h>
#include <keel/signal.h>
#include <keel/syscall.h>
#include <keel/usercopy.h>
#include <keel/uvm.h>
#include <keel/vm.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/traps.h>
#include <uapi/signal.h>

static const char *const names[32] = {
	[T_DE] = "divide error (#DE)",
	[T_DB] = "debug (#DB)",
	[T_NMI] = "non-maskable interrupt (NMI)",
	[T_BP] = "breakpoint (#BP)",
	[T_OF] = "overflow (#OF)",
	[T_BR] = "bound range exceeded (#BR)",
	[T_UD] = "invalid opcode (#UD)",
	[T_NM] = "device not available (#NM)",
	[T_DF] = "double fault (#DF)",
	[9] = "coprocessor segment overrun",
	[T_TS] = "invalid TSS (#TS)",
	[T_NP] = "segment not present (#NP)",
	[T_SS] = "stack-segment fault (#SS)",
	[T_GP] = "general protection (#GP)",
	[T_PF] = "page fault (#PF)",
	[T_MF] = "x87 floating-point error (#MF)",
	[T_AC] = "alignment check (#AC)",
	[T_MC] = "machine check (#MC)",
	[T_XM] = "SIMD floating-point (#XM)",
	[T_VE] = "virtualization exception (#VE)",
	[T_CP] = "control protection (#CP)",
};

const char *
trap_name(int v)
{
	if (v < 32)
		return names[v] ? names[v] : "reserved exception";
	return "interrupt";
}

static void
print_pf_error(uint64_t err)
{
	kprintf("  error 0x%lx: %s %s from %s%s%s%s\n", err,
	    err & PFERR_P ? "protection violation," : "page not present,",
	    err & PFERR_I ? "instruction fetch" : err & PFERR_W ? "write" : "read",
	    err & PFERR_U ? "user mode" : "kernel mode",
	    err & PFERR_RSVD ? ", reserved bit set" : "",
	    err & PFERR_PK ? ", protection key" : "",
	    err & PFERR_SS ? ", shadow stack" : "");
}

static void __attribute__((noreturn))
kernel_fault(struct trapframe *tf)
{
	uint64_t cr2 = read_cr2();
	const char *guard;

	cli();
	kprintf("\nPANIC: %s, vector %lu, in kernel mode\n", trap_name(tf->tf_vector),
	    tf->tf_vector);
	/*
	 * A kernel stack overflow shows as #PF on a guard page, or as #DF when
	 * the #PF itself could not be pushed: either way an address in a guard.
	 */
	guard = vm_guard_name(cr2);
	if (!guard && tf->tf_vector == T_DF)
		guard = vm_guard_name(tf->tf_rsp);
	if (guard && (tf->tf_vector == T_PF || tf->tf_vector == T_DF))
		kprintf("  kernel stack overflow: hit the guard page of %s\n", guard);
	if (tf->tf_vector == T_PF)
		print_pf_error(tf->tf_err);
	else
		kprintf("  error code 0x%lx\n", tf->tf_err);
	kprintf("  RIP %016lx ", tf->tf_rip);
	ksym_print(tf->tf_rip);
	kprintf("\n  CR2 %016lx  RSP %016lx  RFLAGS %016lx  CS %lx SS %lx\n",
	    cr2, tf->tf_rsp, tf->tf_rflags, tf->tf_cs, tf->tf_ss);
	kprintf("  RAX %016lx  RBX %016lx  RCX %016lx  RDX %016lx\n",
	    tf->tf_rax, tf->tf_rbx, tf->tf_rcx, tf->tf_rdx);
	kprintf("  RSI %016lx  RDI %016lx  RBP %016lx  R8  %016lx\n",
	    tf->tf_rsi, tf->tf_rdi, tf->tf_rbp, tf->tf_r8);
	kprintf("  R9  %016lx  R10 %016lx  R11 %016lx  R12 %016lx\n",
	    tf->tf_r9, tf->tf_r10, tf->tf_r11, tf->tf_r12);
	kprintf("  R13 %016lx  R14 %016lx  R15 %016lx\n",
	    tf->tf_r13, tf->tf_r14, tf->tf_r15);
	kprintf("  CR0 %016lx  CR3 %016lx  CR4 %016lx\n",
	    read_cr0(), read_cr3(), read_cr4());
	backtrace_from(tf->tf_rip, tf->tf_rbp);
	machine_stop(EXIT_PANIC);
}

/* The signal Linux sends for an exception in ring 3 (arch/x86/kernel/traps.c). */
static int
user_signal(int v)
{
	switch (v) {
	case T_DE:
	case T_MF:
	case T_XM:
		return SIGFPE;
	case T_DB:
	case T_BP:
		return SIGTRAP;
	case T_UD:
		return SIGILL;
	case T_NP:
	case T_SS:
	case T_AC:
		return SIGBUS;
	default:
		return SIGSEGV;
	}
}

/*
 * A page fault: a user access, or the kernel's user copy touching a page
 * that is not there yet.  Returns 1 when handled.
 */
static int
page_fault(struct trapframe *tf)
{
	uint64_t cr2 = read_cr2();
	struct proc *p = curproc();
	int user = tf->tf_cs & 3;
	int incopy = tf->tf_rip >= (uint64_t)usercopy_start &&
	    tf->tf_rip < (uint64_t)usercopy_end, err;

	if (!user && !incopy)
		return 0;
	if (user && !(tf->tf_err & PFERR_U)) {
		/*
		 * A supervisor access made for ring 3 (QEMU's TCG pops a ring-3
		 * IRETQ frame so, and SMAP refuses it): no mapping can fix it,
		 * and returning would retry it forever.  Linux oopses and kills
		 * the task with SIGKILL; so does keel, without the oops.
		 */
		kprintf("pid %d (%s): supervisor-mode page fault from ring 3 at rip 0x%lx,"
		    " address 0x%lx: killed\n", p->p_pid, p->p_name, tf->tf_rip, cr2);
		signal_force(curthread(), SIGKILL, SI_KERNEL, cr2);
		return 1;
	}
	err = -EFAULT;
	if (p->p_as && cr2 < USER_TOP && !(tf->tf_err & PFERR_RSVD))
		err = as_fault(p->p_as, cr2, tf->tf_err & PFERR_W, tf->tf_err & PFERR_I);
	if (err == 0)
		return 1;
	if (err == -ENOMEM && user) {
		/*
		 * No frame for a page the process may have: Linux's OOM killer
		 * would end a process with SIGKILL; keel ends the one asking.
		 */
		kprintf("out of memory: pid %d (%s) killed (%lu KiB resident)\n", p->p_pid,
		    p->p_name, p->p_as->as_resident * (PAGE_SIZE / 1024));
		signal_force(curthread(), SIGKILL, SI_KERNEL, cr2);
		return 1;
	}
	if (incopy && !user) {
		tf->tf_rip = (uint64_t)usercopy_fixup;	/* returns -EFAULT */
		return 1;
	}
	if (err == -ENXIO) {
		/* Past the end of shared memory's object: Linux's shmem fault says SIGBUS. */
		proc_fault_signal(tf, SIGBUS, BUS_ADRERR, cr2);
		return 1;
	}
	/* SEGV_MAPERR outside any region, SEGV_ACCERR against its permissions. */
	proc_fault_signal(tf, SIGSEGV,
	    p->p_as && as_find(p->p_as, cr2) ? SEGV_ACCERR : SEGV_MAPERR, cr2);
	return 1;
}

/*
 * A page fault from ring 3 that needs nothing but its address space's
 * lock (a zero page or a copy-on-write break in a private region, a stale
 * entry) is resolved without the kernel lock, so that processes, and the
 * threads of one, fault their pages in on several CPUs at once.  1 when
 * it was and nothing waits for the return to ring 3 (a signal or a switch
 * needs the lock): the fault path under the lock then finds the page
 * there and does that work.
 */
static int
page_fault_lockless(struct trapframe *tf)
{
	struct thread *t = curthread();
	struct aspace *as = t->t_proc->p_as;
	uint64_t cr2 = read_cr2();

	if (!(tf->tf_err & PFERR_U) || (tf->tf_err & PFERR_RSVD) || as == 0 ||
	    cr2 >= USER_TOP)
		return 0;
	proc_check_user_trap(tf, 0);
	if (as_fault_lockless(as, cr2, tf->tf_err & PFERR_W, tf->tf_err & PFERR_I))
		return 0;
	return !curcpu()->c_need_resched && !(t->t_sigpending & ~t->t_sigmask);
}

/*
 * Every trap but the lock-free IPIs and NMI/#MC: under the kernel lock,
 * taken here (or nested, when the CPU holds it already).  From ring 3 it
 * is kept to the return to ring 3 (trap_return drops it); from ring 0 it
 * is given back here.  Returns 0 when the trap was from ring 3 and was
 * handled without the lock (trap_return then has none to drop), else 1.
 */
int
trap_dispatch(struct trapframe *tf)
{
	uint64_t v = tf->tf_vector;
	int user = tf->tf_cs & 3;

	/* The commonest trap first: a user page fault, most without the lock. */
	if (v == T_PF && user && page_fault_lockless(tf))
		return 0;
	if (v >= T_IRQ_BASE && v != T_SYSCALL) {
		curcpu()->c_nintr++;
		curcpu()->c_arch.ac_nvec[v]++;
	}
	if (v == V_TIMER && !user && sched_tick_lockless()) {
		irq_dispatch(v);
		return 1;
	}
	/*
	 * A kick that lands in the kernel (the idle loop's hlt, mostly) has
	 * nothing to do but end: the interrupted code looks for its work.
	 * From ring 3 the return's work (a signal) takes the lock below.
	 */
	if (v == V_IPI_RESCHED && !user) {
		lapic_eoi();
		return 1;
	}
	/*
	 * Under a spinlock a fault is not resolved (that takes the kernel
	 * lock): a user copy fails with -EFAULT, as under Linux's
	 * pagefault_disable (futex.c reads its word so, then faults it in
	 * without the lock); any other exception there is a bug, said at once.
	 */
	if (!user && v < T_IRQ_BASE && smp_live && curcpu()->c_nheld) {
		if (v == T_PF && tf->tf_rip >= (uint64_t)usercopy_start &&
		    tf->tf_rip < (uint64_t)usercopy_end) {
			tf->tf_rip = (uint64_t)usercopy_fixup;
			return 1;
		}
		kernel_fault(tf);
	}
	klock_enter();
	if (user)
		proc_check_user_trap(tf, v == V_TIMER);
	if (v == T_PF && page_fault(tf)) {
		/* handled */
	} else if (v < T_IRQ_BASE) {
		if (!user)
			kernel_fault(tf);
		proc_fault_signal(tf, user_signal(v), SI_KERNEL, 0);
	} else if (v == T_SYSCALL && user) {
		syscall_int80(tf);
		return 1;	/* it did the return-to-user work */
	} else if (v == V_IPI_RESCHED) {
		lapic_eoi();	/* the work is the return's, or the idle loop's */
	} else {
		if (v == V_TIMER)
			curcpu()->c_tick_user = user;
		irq_dispatch(v);
	}
	if (user)
		proc_user_return_work(tf);
	else
		klock_exit();
	return 1;
}

/* The IPIs that need no kernel lock: a shootdown's flush, a stop, a kick (which only wakes). */
void
trap_ipi(struct trapframe *tf)
{
	curcpu()->c_nintr++;
	curcpu()->c_arch.ac_nvec[tf->tf_vector]++;
	if (tf->tf_vector == V_IPI_STOP)
		halt_forever();
	tlb_ipi();
	lapic_eoi();
}

/*
 * NMI and #MC (vectors.S paranoid_entry: GS is the kernel's here).  A
 * machine check is the hardware failing: report and stop.  An NMI is
 * logged (Linux: "Uhhuh. NMI received for unknown reason") and the
 * interrupted code goes on; a CPU stopped by a panic stays stopped.
 */
void
trap_paranoid(struct trapframe *tf)
{
	if (tf->tf_vector == T_MC)
		kernel_fault(tf);
	if (smp_stopping)
		halt_forever();
	kprintf("nmi: NMI received on CPU %d at rip 0x%lx; going on\n", curcpu()->c_id,
	    tf->tf_rip);
}
