/*
 * percpu.h: the x86 part of a CPU's struct cpu (<keel/cpu.h>): its GDT and
 * TSS, and the scratch the entry code reaches through %gs.
 *
 * Interface:
 *   struct arch_cpu            embedded in struct cpu as c_arch
 *   struct tss                 the 64-bit TSS (Intel SDM Vol. 3A, 8.2.3)
 *   arch_cpu_self(off)         the pointer at %gs:off: curcpu()'s one load
 *   arch_cpu_read(off)         a field of this CPU's struct cpu that
 *                              changes (curproc()): read afresh each time
 *
 * In the kernel the GS base is the running CPU's struct cpu; SWAPGS on
 * every entry from ring 3 (and before every return to it) keeps the
 * user's GS base out of the kernel.  The entry code's offsets into struct
 * cpu are generated (asm-offsets.c: PC_*), never typed here.
 *
 * Protection, as in <keel/cpu.h>: [I] set by cpu_init_this, then only read;
 * [o] owned by this CPU, written with interrupts off.
 */
#ifndef ARCH_PERCPU_H
#define ARCH_PERCPU_H

#include <stdint.h>
#include <arch/segments.h>

struct tss {
	uint32_t tss_reserved0;
	uint64_t tss_rsp[3];		/* rsp[0]: stack for traps from ring 3 */
	uint64_t tss_reserved1;
	uint64_t tss_ist[7];		/* ist[n - 1]: IST stack n */
	uint64_t tss_reserved2;
	uint16_t tss_reserved3;
	uint16_t tss_iopb;		/* offset of the I/O bitmap: none */
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "64-bit TSS");
_Static_assert(__builtin_offsetof(struct tss, tss_rsp) == 4, "TSS rsp0");
_Static_assert(__builtin_offsetof(struct tss, tss_ist) == 36, "TSS ist1");
_Static_assert(__builtin_offsetof(struct tss, tss_iopb) == 102, "TSS iopb");

struct arch_cpu {
	/* [I] The GDT LGDT loaded; its TSS descriptor names ac_tss. */
	uint64_t ac_gdt[GDT_ENTRIES] __attribute__((aligned(16)));
	/* [o] rsp0 follows the running thread; [I] the IST stack tops. */
	struct tss ac_tss __attribute__((aligned(16)));
	uint64_t ac_kstack_top;		/* [o] the running thread's kernel stack top */
	uint64_t ac_user_rsp;		/* [o] scratch: the user RSP during syscall entry */
	uint64_t ac_tick_tsc;		/* [o] the next tick's TSC deadline (clock.c) */
	uint64_t ac_ist[3];		/* [I] an AP's IST stacks, made by the boot CPU */
	uint32_t ac_nvec[256];		/* [o] interrupts taken, by vector (/proc/interrupts) */
};

/*
 * The pointer at %gs:off.  Volatile, so never reused across a call: a
 * thread that sleeps may wake on another CPU.  No memory clobber: the
 * load itself may move among ordinary accesses.
 */
#define arch_cpu_self(off) ({						\
	void *self_;							\
	__asm__ volatile("movq %%gs:%c1, %0" : "=r"(self_) : "i"(off));	\
	self_;								\
})

/*
 * A field that changes under the running code (c_curproc changes at every
 * switch): volatile and ordered as a memory access, so no load is reused
 * across a switch; still one instruction.
 */
#define arch_cpu_read(off) ({						\
	void *val_;							\
	__asm__ volatile("movq %%gs:%c1, %0" : "=r"(val_) : "i"(off) : "memory"); \
	val_;								\
})

#endif /* ARCH_PERCPU_H */
