/*
 * console.c: kernel text output and the console TTY (see console.h).
 *
 * Output goes to COM1 when present (the framebuffer joins later).  Input
 * arrives by interrupt into a ring buffer; readers sleep until there is
 * some.  No line discipline yet: bytes are passed through as typed.
 */
#include "kernel.h"
#include "console.h"
#include "errno.h"
#include "proc.h"
#include "platform.h"
#include "usercopy.h"
#include "../lib/fmt.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/arch.h"
#include "arch/x86_64/switch.h"
#include "arch/x86_64/traps.h"

#define INBUF		1024
#define COM1_IRQ	4

#define TCGETS		0x5401
#define TCSETS		0x5402
#define TCSETSW		0x5403
#define TCSETSF		0x5404
#define TIOCGPGRP	0x540f
#define TIOCSPGRP	0x5410
#define TIOCGWINSZ	0x5413

static char inbuf[INBUF];
static unsigned inhead, intail;		/* free-running; head - tail bytes queued */

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

void
console_input(char c)
{
	if (c == '\r')
		c = '\n';
	if (inhead - intail < INBUF)
		inbuf[inhead++ % INBUF] = c;
	wakeup(inbuf);
}

static void
serial_irq(struct trapframe *tf)
{
	int c;

	(void)tf;
	while ((c = uart_getc()) >= 0)
		console_input((char)c);
	lapic_eoi();
}

void
console_init_input(void)
{
	if (!uart_present())
		return;
	trap_set_handler(V_ISA_BASE + COM1_IRQ, serial_irq);
	if (ioapic_route_isa(&platform_acpi, COM1_IRQ, V_ISA_BASE + COM1_IRQ) == 0)
		uart_enable_rx_irq();
}

long
console_read_user(uint64_t ubuf, uint64_t n)
{
	char buf[128];
	uint64_t fl, k = 0;

	fl = intr_save();
	while (inhead == intail) {
		if (sleep_on(inbuf, 0)) {
			intr_restore(fl);
			return -EINTR;
		}
	}
	while (k < n && k < sizeof(buf) && intail != inhead) {
		buf[k] = inbuf[intail++ % INBUF];
		if (buf[k++] == '\n')
			break;
	}
	intr_restore(fl);
	return copyout(ubuf, buf, k) ? -EFAULT : (long)k;
}

/* struct winsize and a termios with Linux's defaults (cooked, echo). */
struct winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

struct ktermios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[19];
};

long
console_ioctl(uint64_t req, uint64_t arg)
{
	static const struct winsize ws = { 24, 80, 0, 0 };
	static const struct ktermios tio = {
		.c_iflag = 0x500,	/* ICRNL | IXON */
		.c_oflag = 0x5,		/* OPOST | ONLCR */
		.c_cflag = 0xbf,	/* B38400 | CS8 | CREAD */
		.c_lflag = 0x8a3b,	/* ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN */
		.c_cc = { 3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22 },
	};
	int pgrp = curproc()->p_pid;

	switch (req) {
	case TIOCGWINSZ:
		return copyout(arg, &ws, sizeof(ws));
	case TCGETS:
		return copyout(arg, &tio, sizeof(tio));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return user_range_ok(arg, sizeof(tio)) ? 0 : -EFAULT;
	case TIOCGPGRP:
		return copyout(arg, &pgrp, sizeof(pgrp));
	default:
		return -ENOTTY;
	}
}
