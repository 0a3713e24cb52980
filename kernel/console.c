/*
 * console.c: kernel text output, to COM1 when present and the framebuffer
 * console, and the console's input interrupts, which feed the TTY (tty.c).
 */
#include "kernel.h"
#include "console.h"
#include "errno.h"
#include "proc.h"
#include "platform.h"
#include "tty.h"
#include "../lib/fmt.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/arch.h"
#include "arch/x86_64/switch.h"
#include "arch/x86_64/traps.h"

#define COM1_IRQ	4

void
console_putc(char c)
{
	if (c == '\n')
		uart_putc('\r');
	uart_putc(c);
}

void
console_write(const char *s, size_t n)
{
	while (n--)
		console_putc(*s++);
}

static void
sink(void *arg, char c)
{
	(void)arg;
	console_putc(c);
}

int
kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vformat(sink, 0, fmt, ap);
	va_end(ap);
	return n;
}

static void
serial_irq(struct trapframe *tf)
{
	int c;

	(void)tf;
	while ((c = uart_getc()) >= 0)
		tty_input((char)c);
	lapic_eoi();
}

void
console_init_input(void)
{
	kbd_init();
	if (!uart_present())
		return;
	trap_set_handler(V_ISA_BASE + COM1_IRQ, serial_irq);
	if (ioapic_route_isa(&platform_acpi, COM1_IRQ, V_ISA_BASE + COM1_IRQ) == 0)
		uart_enable_rx_irq();
}

