/*
 * arch.h: what the generic kernel asks of the architecture, and the one
 * <arch/...> header generic code includes (tools/check-arch-includes
 * enforces it).  Everything here is implemented under arch/x86_64/; the
 * other arch headers are the arch's own business.
 *
 * Interface (the hooks; seL4 Arch_*, Zircon arch_*):
 *   struct arch_cpu            a CPU's arch state, in struct cpu (percpu.h)
 *   struct arch_thread         a thread's: TLS bases, the FPU image; last
 *                              in struct thread
 *   arch_cpu_init(c)           the calling CPU becomes c (cpu_init_this)
 *   arch_syscall_init()        the system-call entry MSRs of this CPU
 *   arch_thread_init(t)        a new thread's first switch goes to ring 3
 *                              through its trapframe; a clean FPU
 *   arch_fork_copy(c, t)       c's user context is t's, returning 0
 *   arch_user_frame_init(t, entry, sp)
 *                              exec: a fresh ring-3 context at entry
 *   arch_switch_to(prev, next) FPU, TLS bases, ring-0 stack, address
 *                              space; returns when prev runs again
 *   arch_fpu_save(t), arch_fpu_restore(t)
 *                              the running thread's live FPU <-> its image
 *   arch_prctl(t, code, addr)  arch_prctl(2)
 *   arch_signal_frame_push / arch_signal_frame_pop (signal.c's frame)
 *   arch_syscall_restart(tf, nr), arch_syscall_retval(tf),
 *   arch_syscall_set_retval(tf, v)
 *   arch_user_pc_ok(tf)        tf's program counter is one the CPU can return to
 *   intr_save(), intr_restore(fl), intr_disable(), intr_enable()
 *   arch_idle()                enable interrupts and wait for one, losing no
 *                              wakeup in between
 *   arch_idle_poll_pays()      waking a halted CPU is dear (a hypervisor's
 *                              exits): idle CPUs poll first (sched.c)
 *   arch_as_load(root), arch_tlb_flush_page(va), arch_tlb_flush_all(),
 *   arch_tlb_flush_global()
 *   arch_user_access_begin(), arch_user_access_end()   SMAP's stac/clac
 *   arch_random_seed()         a hardware random word, or 0
 *   arch_interrupts(buf, size) /proc/interrupts, as Linux's; its length
 *   arch_cpuinfo(c, buf, size) /proc/cpuinfo's entry for c, as Linux's; its
 *                              length (as snprintf: may pass size)
 *   arch_boot_prepare(), arch_boot_features(), arch_cpu_init_stacks(top),
 *   arch_vm_kernel_live(root)  boot steps kmain and vm_init take in order
 */
#ifndef ARCH_H
#define ARCH_H

#include <stdint.h>
#include <arch/clock.h>
#include <arch/cpu.h>
#include <arch/cpufeat.h>
#include <arch/percpu.h>
#include <arch/trapframe.h>

struct cpu;
struct thread;
struct ksigaction;
struct ksiginfo;

struct arch_thread {
	uint64_t ap_fsbase;		/* the user's FS and GS bases (arch_prctl) */
	uint64_t ap_gsbase;
	int ap_entered;			/* passed the entry audit (switch.h) */
	/*
	 * The user's FPU/SSE/AVX image, fpu_size bytes (fpu.h), allocated
	 * with the rest of struct thread: larger than a slab object, so
	 * kmalloc gives it whole frames and the image its 64-byte alignment.
	 */
	uint8_t ap_fpu[] __attribute__((aligned(64)));
};

/* The bytes a thread's struct arch_thread needs past sizeof(struct thread). */
uint64_t arch_thread_extra(void);

/* entry.S: the boot stack, with an unmapped guard page below it. */
extern char boot_stack_guard[], boot_stack_bottom[], boot_stack_top[];

/* cpu/cpu.c */
void arch_cpu_init(struct cpu *c);
void arch_syscall_init(void);
/* Once per boot, before cpu_init_this: CPUID's features, the IDT's gates. */
void arch_boot_prepare(void);
/* Once, after the identity map went: report the features, size the FPU image. */
void arch_boot_features(void);
/* Per CPU, once memory works: IST stacks and the ring-0 stack. */
void arch_cpu_init_stacks(uint64_t kstack_top);
/* vm_init: the kernel's own tables go live, global pages on. */
void arch_vm_kernel_live(uint64_t root);

/* cpu/thread.c */
void arch_thread_init(struct thread *t);
/* The new thread c starts with t's user registers, FPU image and TLS bases. */
void arch_fork_copy(struct thread *c, struct thread *t);
/* clone(CLONE_SETTLS): the new thread's FS base; -EPERM if not a user address. */
int arch_thread_set_tls(struct thread *t, uint64_t tls);
void arch_user_frame_init(struct thread *t, uint64_t entry, uint64_t sp);
/* The user's stack pointer in a frame. */
static inline uint64_t arch_user_sp(const struct trapframe *tf) { return tf->tf_rsp; }
/* clone with a new stack: the child returns to ring 3 on sp. */
void arch_user_frame_set_sp(struct thread *t, uint64_t sp);
void arch_switch_to(struct thread *prev, struct thread *next);
void arch_fpu_save(struct thread *t);
void arch_fpu_restore(struct thread *t);
long arch_prctl(struct thread *t, int code, uint64_t addr);

/* signal.c: Linux's x86-64 rt_sigframe. */
int arch_signal_frame_push(struct thread *t, struct trapframe *tf, int sig,
    const struct ksigaction *a, const struct ksiginfo *si, uint64_t mask);
int arch_signal_frame_pop(struct thread *t, struct trapframe *tf, uint64_t *mask,
    long *ret);

/* syscall and int $0x80 are both 2 bytes; rax holds the number and the result. */
static inline void
arch_syscall_restart(struct trapframe *tf, long nr)
{
	tf->tf_rax = nr;
	tf->tf_rip -= 2;
}

static inline long
arch_syscall_retval(const struct trapframe *tf)
{
	return (long)tf->tf_rax;
}

static inline void
arch_syscall_set_retval(struct trapframe *tf, long v)
{
	tf->tf_rax = v;
}

/*
 * Canonical (48-bit, 4-level paging): IRETQ to anything else faults in
 * ring 0 on Intel CPUs.  Linux's bad-IRET fixup turns that into a SIGSEGV;
 * keel checks where a user chooses RIP and raises the same SIGSEGV.
 */
static inline int
arch_user_pc_ok(const struct trapframe *tf)
{
	return (uint64_t)((int64_t)(tf->tf_rip << 16) >> 16) == tf->tf_rip;
}

static inline uint64_t
intr_save(void)
{
	uint64_t fl = read_rflags();

	cli();
	return fl;
}

static inline void
intr_restore(uint64_t fl)
{
	if (fl & RFLAGS_IF)
		sti();
}

static inline void intr_disable(void) { cli(); }
static inline void intr_enable(void) { sti(); }

/* sti's one-instruction shadow: no interrupt (no wakeup) slips in before hlt. */
static inline void
arch_idle(void)
{
	__asm__ volatile("sti; hlt" ::: "memory");
}

/* Linux loads cpuidle-haltpoll only as a guest: bare metal's IPIs are cheap. */
static inline int arch_idle_poll_pays(void) { return cpu_features.cf_hypervisor; }

static inline void arch_as_load(uint64_t root) { write_cr3(root); }
static inline uint64_t arch_as_current(void) { return read_cr3(); }
static inline void arch_tlb_flush_page(uint64_t va) { invlpg(va); }
/* Every non-global translation: reloading CR3 with itself. */
static inline void arch_tlb_flush_all(void) { write_cr3(read_cr3()); }

/* Every translation, the kernel's global ones too: CR4.PGE off and on. */
static inline void
arch_tlb_flush_global(void)
{
	uint64_t cr4 = read_cr4();

	if (cr4 & CR4_PGE) {
		write_cr4(cr4 & ~CR4_PGE);
		write_cr4(cr4);
	} else {
		arch_tlb_flush_all();
	}
}

/* SMAP: the kernel may touch user pages only between these (usercopy). */
static inline void arch_user_access_begin(void) { stac(); }
static inline void arch_user_access_end(void) { clac(); }

/* entry_audit.c: audit=switch, the entry audit on every switch. */
void switch_audit_enable_all(int on);

/* lib/random.c's extra entropy: RDRAND's word, or 0 without it. */
uint32_t arch_random_seed(void);
struct cpu;
int arch_cpuinfo(const struct cpu *c, char *buf, int size);
int arch_interrupts(char *buf, int size);

/* uart.c */
int uart_init(void);
void uart_putc(char c);
int uart_getc(void);
int uart_present(void);
void uart_break(int on);
void uart_enable_rx_irq(void);

/* kbd.c: the PS/2 keyboard, when there is one; 0 or -1. */
int kbd_init(void);

/* pciport.c: PCI configuration mechanism #1 (size: 1, 2 or 4 bytes). */
uint32_t pci_port_read(int bus, int dev, int fn, uint32_t off, int size);
void pci_port_write(int bus, int dev, int fn, uint32_t off, int size, uint32_t v);
int pci_port_present(void);

/* qemu.c */
int qemu_detect(void);
void qemu_exit(int status);

#endif /* ARCH_H */
