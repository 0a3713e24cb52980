/*
 * panic.c: stopping the machine, on purpose or because of a bug.
 */
#include <keel/kernel.h>
#include <lib/fmt.h>
#include <arch/arch.h>
#include <keel/ksyms.h>
#include <keel/platform.h>
#include <keel/console.h>
#include <keel/smp.h>

void
machine_stop(int status)
{
	cli();
	smp_stop_others();
	kprintf("kernel: stopping, status %d\n", status);
	console_flush();
	qemu_exit(status);
	platform_poweroff();
	kprintf("kernel: halted\n");
	halt_forever();
}

static void
sink(void *arg, char c)
{
	(void)arg;
	console_putc(c);
}

void
panic(const char *fmt, ...)
{
	va_list ap;

	cli();
	smp_stop_others();
	kprintf("\nPANIC: ");
	va_start(ap, fmt);
	fmt_vformat(sink, 0, fmt, ap);
	va_end(ap);
	kprintf("\n");
	backtrace_here();
	machine_stop(EXIT_PANIC);
}
