/*
 * console.c: kernel text output, to COM1 when present and the framebuffer
 * console, and the console's input interrupts, which feed the TTY (tty.c).
 */
#include <keel/kernel.h>
#include <keel/console.h>
#include <uapi/errno.h>
#include <keel/proc.h>
#include <keel/tty.h>
#include <keel/fbcon.h>
#include <keel/vm.h>
#include <shared/bootinfo.h>
#include <lib/fmt.h>
#include <keel/irq.h>
#include <arch/arch.h>

#define COM1_IRQ	4

/*
 * Both devices want "\r\n" for a newline (ONLCR): the UART byte by byte,
 * the framebuffer in runs, since it redraws once per fbcon_write.
 */
/*
 * What the kernel printed before the framebuffer console existed, replayed
 * on it, so that a photo of the screen shows the whole boot.
 */
#define EARLY_LOG	8192
static char early[EARLY_LOG];
static size_t earlylen;

/*
 * Drawing text in pixels is the slowest thing the kernel does: a line that
 * scrolls a full screen redraws every cell holding text, some 4 million
 * instructions at 160x50.  The text goes into the console's cells at once
 * (console_write), and the pixels follow at a console_flush, which draws
 * everything owed in one pass, by whoever calls it:
 *
 *  - the process that wrote, before its write(2) returns (tty.c), as on
 *    Linux: the writer pays for its output, never a process that happens
 *    to be running later;
 *  - the idle loop, for what the kernel printed (kprintf) and the TTY's
 *    echo, which come from interrupts and kernel paths that must not stop
 *    to draw;
 *  - the timer tick, only for text that has waited CONSOLE_STALE_TICKS
 *    (a machine kept busy, never idle, still shows the kernel's messages
 *    and the echo of what is typed, a tick or two late);
 *  - the machine stopping (a panic's report is always drawn).
 *
 * The tick used to draw whatever was owed: the first tick after a line of
 * output charged the whole redraw, up to 42.7 million instructions with
 * interrupts off, to whichever process it interrupted (bench's "43 ms
 * stall" in a fork+exit+wait).  Serial output stays synchronous.
 * Interrupts are off around the console, which is not reentrant.
 */
#define CONSOLE_STALE_TICKS	2
static volatile int fb_pending;
static uint64_t fb_pending_since;	/* clock_ticks() when fb_pending was set */

static void
fb_write(const char *s, size_t n)
{
	size_t i, start = 0;

	for (i = 0; i < n; i++) {
		if (s[i] != '\n')
			continue;
		fbcon_queue(s + start, i - start);
		fbcon_queue("\r\n", 2);
		start = i + 1;
	}
	fbcon_queue(s + start, n - start);
	if (!fb_pending)
		fb_pending_since = clock_ticks();
	fb_pending = 1;
}

void
console_flush(void)
{
	uint64_t fl;

	if (!fb_pending)
		return;
	fl = intr_save();
	fb_pending = 0;
	fbcon_flush();
	intr_restore(fl);
}

void
console_tick(void)
{
	if (fb_pending && clock_ticks() - fb_pending_since >= CONSOLE_STALE_TICKS)
		console_flush();
}

void
console_write(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
	if (fbcon_present()) {
		uint64_t fl = intr_save();

		fb_write(s, n);
		intr_restore(fl);
	} else {
		n = MIN(n, EARLY_LOG - earlylen);
		memcpy(early + earlylen, s, n);
		earlylen += n;
	}
}

void
console_putc(char c)
{
	console_write(&c, 1);
}

struct linebuf {
	char buf[160];
	size_t len;
};

static void
sink(void *arg, char c)
{
	struct linebuf *lb = arg;

	lb->buf[lb->len++] = c;
	if (c == '\n' || lb->len == sizeof(lb->buf)) {
		console_write(lb->buf, lb->len);
		lb->len = 0;
	}
}

int
kprintf(const char *fmt, ...)
{
	struct linebuf lb;
	va_list ap;
	int n;

	lb.len = 0;
	va_start(ap, fmt);
	n = fmt_vformat(sink, &lb, fmt, ap);
	va_end(ap);
	if (lb.len)
		console_write(lb.buf, lb.len);
	return n;
}

/* The framebuffer console, once memory management is up. */
void
console_init_fb(const struct bootinfo *bi)
{
	uint32_t cols, rows;
	void *fb;

	if (bi->bi_fb_format == BI_FB_NONE)
		return;
	fb = vm_map_wc(bi->bi_fb_phys, bi->bi_fb_size);
	if (fb == 0 || fbcon_init(fb, bi->bi_fb_width, bi->bi_fb_height, bi->bi_fb_pitch,
	    bi->bi_fb_format, bi->bi_fb_mask_red, bi->bi_fb_mask_green,
	    bi->bi_fb_mask_blue) != 0) {
		kprintf("fbcon: cannot use the framebuffer\n");
		return;
	}
	fb_write(early, earlylen);
	fbcon_size(&cols, &rows);
	kprintf("fbcon: %ux%u text console on the %ux%u framebuffer\n", cols, rows,
	    bi->bi_fb_width, bi->bi_fb_height);
	fbdev_register(bi->bi_fb_phys, bi->bi_fb_size);
}

static void
serial_irq(void *arg)
{
	int c;

	while ((c = uart_getc()) >= 0)
		tty_input((char)c);
}

void
console_init_input(void)
{
	kbd_init();
	if (!uart_present())
		return;
	if (irq_register(irq_isa(COM1_IRQ), serial_irq, 0) == 0)
		uart_enable_rx_irq();
}

