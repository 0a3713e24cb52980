/*
 * console.c: kernel text output.  Everything goes to COM1 when present; the
 * framebuffer console joins as a second sink once it exists.
 */
#include "kernel.h"
#include "../lib/fmt.h"
#include "arch/x86_64/arch.h"

void
console_putc(char c)
{
	if (c == '\n')
		uart_putc('\r');
	uart_putc(c);
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
