/*
 * asm-offsets.c: the offsets and sizes the entry code (.S files) uses,
 * taken from the C structs themselves (Linux asm-offsets, OpenBSD
 * genassym).
 *
 * Interface: never linked.  The build compiles this file to assembly
 * (-S); each OFFSET/SIZE below leaves a line "->NAME value" there, which
 * tools/asm-offsets.sh turns into build/include/generated/asm-offsets.h:
 *
 *	#include <generated/asm-offsets.h>	(in a .S file)
 *
 * A field that moves moves its offset with it: nothing here is typed by
 * hand, and nothing needs a _Static_assert to catch a stale copy.
 */
#include <stddef.h>
#include <keel/cpu.h>
#include <keel/proc.h>
#include <arch/cpufeat.h>
#include <arch/trapframe.h>

#define DEFINE(sym, val) \
	__asm__ volatile("\n.ascii \"->" #sym " %c0\"" : : "i"(val))
#define OFFSET(sym, type, member)	DEFINE(sym, offsetof(struct type, member))

void asm_offsets(void);

void
asm_offsets(void)
{
	/* struct cpu, through %gs (syscall.S) */
	OFFSET(PC_SELF, cpu, c_self);
	OFFSET(PC_THREAD, cpu, c_curthread);
	OFFSET(PC_NEED_RESCHED, cpu, c_need_resched);
	OFFSET(PC_KSTACK_TOP, cpu, c_arch.ac_kstack_top);
	OFFSET(PC_USER_RSP, cpu, c_arch.ac_user_rsp);

	/* struct thread: what the fast system-call paths read and write */
	OFFSET(T_SIGPENDING, thread, t_sigpending);
	OFFSET(T_SIGMASK, thread, t_sigmask);
	OFFSET(T_SYSCALL_NR, thread, t_syscall_nr);

	/* struct cpufeat (regs.h CLAC_USER) */
	OFFSET(CF_SMAP, cpufeat, cf_smap);

	/* struct trapframe (regs.h, vectors.S, syscall.S) */
	OFFSET(TF_R15, trapframe, tf_r15);
	OFFSET(TF_R14, trapframe, tf_r14);
	OFFSET(TF_R13, trapframe, tf_r13);
	OFFSET(TF_R12, trapframe, tf_r12);
	OFFSET(TF_RBP, trapframe, tf_rbp);
	OFFSET(TF_RBX, trapframe, tf_rbx);
	OFFSET(TF_R11, trapframe, tf_r11);
	OFFSET(TF_RCX, trapframe, tf_rcx);
	OFFSET(TF_R10, trapframe, tf_r10);
	OFFSET(TF_R9, trapframe, tf_r9);
	OFFSET(TF_R8, trapframe, tf_r8);
	OFFSET(TF_RDI, trapframe, tf_rdi);
	OFFSET(TF_RSI, trapframe, tf_rsi);
	OFFSET(TF_RDX, trapframe, tf_rdx);
	OFFSET(TF_RAX, trapframe, tf_rax);
	OFFSET(TF_VECTOR, trapframe, tf_vector);
	OFFSET(TF_ERR, trapframe, tf_err);
	OFFSET(TF_RIP, trapframe, tf_rip);
	OFFSET(TF_CS, trapframe, tf_cs);
	OFFSET(TF_RFLAGS, trapframe, tf_rflags);
	OFFSET(TF_RSP, trapframe, tf_rsp);
	OFFSET(TF_SS, trapframe, tf_ss);
	DEFINE(TF_SIZE, sizeof(struct trapframe));
}
