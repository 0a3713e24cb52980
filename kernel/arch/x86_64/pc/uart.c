/*
 * uart.c: the COM1 16550 serial port, polled output and early probing.
 *
 * Interface: uart_init() probes and programs COM1 (115200 8N1) and returns
 * whether it exists; uart_putc() writes one byte, bounded wait.  A machine
 * without COM1 (many laptops) reads 0xff from the scratch register, so
 * nothing is ever waited for there.
 */
#include <arch/arch.h>
#include <arch/cpu.h>

#define COM1		0x3f8
#define UART_THR	0	/* transmit holding (DLAB=0) */
#define UART_DLL	0	/* divisor low (DLAB=1) */
#define UART_IER	1
#define UART_DLH	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_SCR	7

#define LCR_8N1		0x03
#define LCR_BREAK	0x40	/* set break: the line held at space */
#define LCR_DLAB	0x80
#define LSR_THRE	0x20
#define LSR_DR		0x01	/* data ready */
#define IER_RDA		0x01	/* received-data interrupt */
#define MCR_DTR_RTS_OUT2 0x0b

static int present;

int
uart_init(void)
{
	outb(COM1 + UART_SCR, 0xa5);
	if (inb(COM1 + UART_SCR) != 0xa5)
		return present = 0;
	outb(COM1 + UART_SCR, 0x5a);
	if (inb(COM1 + UART_SCR) != 0x5a)
		return present = 0;
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DLL, 1);		/* 115200 baud */
	outb(COM1 + UART_DLH, 0);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, 0x07);		/* enable and clear FIFOs */
	outb(COM1 + UART_MCR, MCR_DTR_RTS_OUT2);
	return present = 1;
}

void
uart_putc(char c)
{
	int spin;

	if (!present)
		return;
	for (spin = 0; spin < 100000; spin++)
		if (inb(COM1 + UART_LSR) & LSR_THRE)
			break;
	outb(COM1 + UART_THR, (uint8_t)c);
}

int
uart_present(void)
{
	return present;
}

/* Hold the line in a break condition (tcsendbreak), or end it. */
void
uart_break(int on)
{
	if (present)
		outb(COM1 + UART_LCR, on ? LCR_8N1 | LCR_BREAK : LCR_8N1);
}

/* A received byte, or -1 when none is waiting. */
int
uart_getc(void)
{
	if (!present || !(inb(COM1 + UART_LSR) & LSR_DR))
		return -1;
	return inb(COM1 + UART_THR);
}

void
uart_enable_rx_irq(void)
{
	outb(COM1 + UART_IER, IER_RDA);
}
