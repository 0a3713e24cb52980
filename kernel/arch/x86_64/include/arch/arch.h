/*
 * arch.h: what the generic kernel asks of the architecture.  Everything here
 * is implemented under arch/x86_64/.
 */
#ifndef ARCH_H
#define ARCH_H

#include <stdint.h>

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

/* pciport.c: PCI configuration mechanism #1 (size: 1, 2 or 4 bytes). */
uint32_t pci_port_read(int bus, int dev, int fn, uint32_t off, int size);
void pci_port_write(int bus, int dev, int fn, uint32_t off, int size, uint32_t v);
int pci_port_present(void);

/* qemu.c */
int qemu_detect(void);
void qemu_exit(int status);

#endif /* ARCH_H */
