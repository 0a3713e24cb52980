/*
 * syscall.c: the C side of system call dispatch (the fast paths are in
 * syscall.S; the tables are generated from syscall_64.tbl and syscall_32.tbl
 * by tools/gensyscalls.py).
 *
 * Linux's numbers, argument registers (rdi, rsi, rdx, r10, r8, r9) and
 * return convention (rax, -errno on failure).  An unknown number returns
 * -ENOSYS, whatever its high bits.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/proc.h>
#include <keel/rlimit.h>
#include <keel/syscall.h>
#include <keel/signal.h>
#include <keel/sysproc.h>
#include <keel/cpu.h>

#define S(fn)	((sysfn)(void (*)(void))(fn))

long
sys_enosys(void)
{
	return -ENOSYS;
}

void
syscall_finish(struct trapframe *tf)
{
	struct cpu *c = curcpu();
	struct thread *t = c->c_curthread;

	if ((t->t_sigpending & ~t->t_sigmask) || c->c_need_resched)
		proc_user_return_work(tf);
	else
		t->t_syscall_nr = -1;
}

void
syscall_int80(struct trapframe *tf)
{
	struct thread *t = curthread();
	uint32_t nr = (uint32_t)tf->tf_rax;
	sysfn fn = nr < NSYSCALL32 ? syscall_table32[nr] : S(sys_enosys);

	t->t_syscall_nr = nr;
	/* Arguments are 32 bits: zero-extended, as Linux's compat entry does. */
	tf->tf_rax = fn((uint32_t)tf->tf_rbx, (uint32_t)tf->tf_rcx,
	    (uint32_t)tf->tf_rdx, (uint32_t)tf->tf_rsi, (uint32_t)tf->tf_rdi,
	    (uint32_t)tf->tf_rbp);
	syscall_finish(tf);
}

