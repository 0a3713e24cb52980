/*
 * traps.h: vector numbers (Intel SDM Vol. 3A, table 6-1) and trap handling.
 */
#ifndef ARCH_TRAPS_H
#define ARCH_TRAPS_H

#define T_DE		0	/* divide error */
#define T_DB		1
#define T_NMI		2
#define T_BP		3	/* int3 */
#define T_OF		4	/* into */
#define T_BR		5
#define T_UD		6	/* invalid opcode */
#define T_NM		7
#define T_DF		8	/* double fault */
#define T_TS		10
#define T_NP		11
#define T_SS		12
#define T_GP		13
#define T_PF		14
#define T_MF		16
#define T_AC		17
#define T_MC		18
#define T_XM		19
#define T_VE		20
#define T_CP		21
#define T_IRQ_BASE	32	/* external interrupts start here */
#define T_SYSCALL	0x80	/* int 0x80 */
#define T_SPURIOUS	0xff
/*
 * IPIs (smp.c): RESCHED goes through trap_dispatch; TLB, STOP and KICK do
 * not (no kernel lock).  Those three are the only vectors of priority
 * class 15, the only ones a CPU waiting for the kernel lock lets in
 * (arch_wait_kick raises the TPR to 14); RESCHED sits in class 14.
 */
#define V_IPI_RESCHED	0xef
#define V_IPI_TLB	0xf1
#define V_IPI_STOP	0xf2
#define V_IPI_KICK	0xf3
#define TPR_ONLY_IPIS	14	/* CR8: vectors of class 15 only */

/* Page-fault error code bits (SDM 4.7). */
#define PFERR_P		(1 << 0)	/* protection violation (else not present) */
#define PFERR_W		(1 << 1)	/* write */
#define PFERR_U		(1 << 2)	/* from ring 3 */
#define PFERR_RSVD		(1 << 3)	/* reserved bit set in an entry */
#define PFERR_I		(1 << 4)	/* instruction fetch */
#define PFERR_PK		(1 << 5)	/* protection key */
#define PFERR_SS		(1 << 6)	/* shadow stack */

#ifndef __ASSEMBLER__
#include <arch/trapframe.h>

int trap_dispatch(struct trapframe *tf);
void trap_ipi(struct trapframe *tf);
void trap_paranoid(struct trapframe *tf);
const char *trap_name(int v);
#endif
#endif
