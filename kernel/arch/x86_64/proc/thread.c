/*
 * thread.c: the x86 side of a thread: its ring-3 context, FS/GS bases
 * and FPU image (struct arch_thread), and the context switch around swtch().
 *
 * Interface (arch.h): arch_thread_extra, arch_thread_init, arch_fork_copy,
 * arch_thread_set_tls, arch_user_frame_init, arch_switch_to, arch_fpu_save,
 * arch_fpu_restore, arch_prctl.
 *
 * The running thread's FS base is live in MSR_FS_BASE and its GS base in
 * MSR_KERNEL_GS_BASE (SWAPGS puts it in place on the way to ring 3); its
 * FPU registers are live in the CPU from switch-in to switch-out (fpu.h).
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/proc.h>
#include <keel/usercopy.h>
#include <keel/uvm.h>
#include <arch/cpu.h>
#include <arch/fpu.h>
#include <arch/gdt.h>
#include <arch/segments.h>
#include <arch/switch.h>

#include <uapi/prctl.h>

#define XFEATURE_MAX		19	/* Linux 6.1's count of components */

uint64_t
arch_thread_extra(void)
{
	return fpu_size;
}

void
arch_thread_init(struct thread *t)
{
	uint64_t *sp;

	t->t_tf = (struct trapframe *)(t->t_kstack - sizeof(struct trapframe));
	/*
	 * swtch() will pop six registers and "return" into thread_first (the
	 * switch's end), then trap_return_nolock: a new thread enters ring 3
	 * for the first time through IRETQ, which takes every field from the
	 * frame and needs no SYSRET preconditions, and without the kernel
	 * lock, which it has nothing to do under (t_klock is 0): a fork's
	 * child does not queue for it only to give it back.
	 */
	sp = (uint64_t *)t->t_tf;
	*--sp = (uint64_t)trap_return_nolock;
	*--sp = (uint64_t)thread_first;
	sp -= 6;
	t->t_ksave = (uint64_t)sp;
	fpu_init_state(t->t_arch.ap_fpu);
}

void
arch_fork_copy(struct thread *c, struct thread *t)
{
	*c->t_tf = *t->t_tf;
	c->t_tf->tf_rax = 0;		/* fork returns 0 in the child */
	fpu_save(t->t_arch.ap_fpu);
	memcpy(c->t_arch.ap_fpu, t->t_arch.ap_fpu, fpu_size);
	c->t_arch.ap_fsbase = t->t_arch.ap_fsbase;
	c->t_arch.ap_gsbase = t->t_arch.ap_gsbase;
}

int
arch_thread_set_tls(struct thread *t, uint64_t tls)
{
	if (tls >= USER_TOP)
		return -EPERM;	/* Linux's do_arch_prctl_64(ARCH_SET_FS) */
	t->t_arch.ap_fsbase = tls;
	return 0;
}

void
arch_user_frame_init(struct thread *t, uint64_t entry, uint64_t sp)
{
	struct trapframe *tf = t->t_tf;

	if (t == curthread()) {
		wrmsr(MSR_FS_BASE, 0);
		wrmsr(MSR_KERNEL_GS_BASE, 0);
	}
	memset(tf, 0, sizeof(*tf));
	tf->tf_rip = entry;
	tf->tf_rsp = sp;
	tf->tf_cs = SEL_UCODE;
	tf->tf_ss = SEL_UDATA;
	tf->tf_rflags = RFLAGS_IF | 0x2;	/* bit 1 is always set */
	t->t_arch.ap_fsbase = 0;
	t->t_arch.ap_gsbase = 0;
	fpu_init_state(t->t_arch.ap_fpu);
	if (t == curthread())
		fpu_restore(t->t_arch.ap_fpu);
}

/* Interrupts off; curcpu()->c_curthread is already next. */
void
arch_switch_to(struct thread *prev, struct thread *next)
{
	if (prev->t_proc->p_as && prev->t_state != T_DEAD)
		fpu_save_switch(prev->t_arch.ap_fpu);
	if (next->t_proc->p_as) {
		/*
		 * Before anything can return to ring 3: the stack traps will use,
		 * which the audit then finds mapped in next's tables.
		 */
		tss_set_rsp0(next->t_kstack);
		switch_audit(next);
		as_activate(next->t_proc->p_as);
		wrmsr(MSR_FS_BASE, next->t_arch.ap_fsbase);
		/* The user's GS base waits here for the SWAPGS back to ring 3. */
		wrmsr(MSR_KERNEL_GS_BASE, next->t_arch.ap_gsbase);
		fpu_restore(next->t_arch.ap_fpu);
	}
	swtch(&prev->t_ksave, next->t_ksave);
}

void
arch_fpu_save(struct thread *t)
{
	fpu_save(t->t_arch.ap_fpu);
}

void
arch_fpu_restore(struct thread *t)
{
	fpu_restore(t->t_arch.ap_fpu);
}

/*
 * arch_prctl(2) as Linux's do_arch_prctl_64: the FS and GS bases (the
 * user's GS base sits in KERNEL_GS_BASE while the kernel runs, SWAPGS
 * puts it back), CPUID faulting (not offered: ENODEV) and the XSAVE
 * components, all of which a process may use from the start.
 */
long
arch_prctl(struct thread *t, int code, uint64_t addr)
{
	uint64_t xfeatures = fpu_xfeatures | XFEATURE_FP | XFEATURE_SSE;

	switch (code) {
	case ARCH_SET_FS:
		if (addr >= USER_TOP)
			return -EPERM;
		t->t_arch.ap_fsbase = addr;
		wrmsr(MSR_FS_BASE, addr);
		return 0;
	case ARCH_GET_FS:
		return copyout(addr, &t->t_arch.ap_fsbase, sizeof(t->t_arch.ap_fsbase));
	case ARCH_SET_GS:
		if (addr >= USER_TOP)
			return -EPERM;
		t->t_arch.ap_gsbase = addr;
		wrmsr(MSR_KERNEL_GS_BASE, addr);
		return 0;
	case ARCH_GET_GS:
		return copyout(addr, &t->t_arch.ap_gsbase, sizeof(t->t_arch.ap_gsbase));
	case ARCH_GET_CPUID:
		return 1;
	case ARCH_SET_CPUID:
		return -ENODEV;
	case ARCH_GET_XCOMP_SUPP:
	case ARCH_GET_XCOMP_PERM:
		return copyout(addr, &xfeatures, sizeof(xfeatures));
	case ARCH_REQ_XCOMP_PERM:
		if (addr >= XFEATURE_MAX)
			return -EINVAL;
		return (xfeatures & 1UL << addr) ? 0 : -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
}

void
arch_user_frame_set_sp(struct thread *t, uint64_t sp)
{
	t->t_tf->tf_rsp = sp;
}
