/*
 * arch.h: what the generic kernel asks of the architecture.  Everything here
 * is implemented under arch/x86_64/.
 */
#ifndef ARCH_H
#define ARCH_H

#include <stdint.h>
#include <arch/percpu.h>

struct cpu;

/* cpu.c: the calling CPU becomes c (cpu_init_this); the SYSCALL MSRs. */
void arch_cpu_init(struct cpu *c);
void arch_syscall_init(void);

/* entry.S: the boot stack, with an unmapped guard page below it. */
extern char boot_stack_guard[], boot_stack_bottom[], boot_stack_top[];

/* uart.c */
int uart_init(void);
void uart_putc(char c);
int uart_getc(void);
int uart_present(void);
void uart_enable_rx_irq(void);

/* kbd.c: the PS/2 keyboard, when there is one; 0 or -1. */
int kbd_init(void);

/* qemu.c */
int qemu_detect(void);
void qemu_exit(int status);

#endif /* ARCH_H */
