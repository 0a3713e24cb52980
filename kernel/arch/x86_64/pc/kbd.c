/*
 * kbd.c: the PS/2 keyboard behind an i8042 controller, US layout, feeding
 * the console TTY.
 *
 * The controller translates the keyboard's scan code set 2 into set 1
 * (the PC default, kept on); keys become ASCII, with Shift, Ctrl and Caps
 * Lock, and the arrow and editing keys become the VT100 sequences a
 * terminal sends.  Every wait on the controller is bounded: many UEFI
 * machines have no i8042 at all (ACPI's IAPC_BOOT_ARCH says so, and the
 * status port then reads 0xff), and the kernel must boot on them.
 */
#include <keel/kernel.h>
#include <keel/irq.h>
#include <keel/platform.h>
#include <keel/tty.h>
#include <arch/arch.h>
#include <arch/cpu.h>

#define KBD_DATA	0x60
#define KBD_STATUS	0x64	/* read */
#define KBD_CMD		0x64	/* write */
#define ST_OUT_FULL	0x01
#define ST_IN_FULL	0x02
#define CMD_READ_CFG	0x20
#define CMD_WRITE_CFG	0x60
#define CMD_DISABLE2	0xa7
#define CMD_DISABLE1	0xad
#define CMD_ENABLE1	0xae
#define CFG_IRQ1	0x01
#define CFG_IRQ12	0x02
#define CFG_TRANSLATE	0x40
#define KBD_IRQ		1
#define SPIN		100000

#define SC_LSHIFT	0x2a
#define SC_RSHIFT	0x36
#define SC_CTRL		0x1d
#define SC_ALT		0x38
#define SC_CAPS		0x3a
#define SC_EXTENDED	0xe0
#define SC_RELEASE	0x80

static const char normal[128] = {
	0, 27, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', 127, '\t',
	'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\r', 0, 'a', 's',
	'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0, '\\', 'z', 'x', 'c', 'v',
	'b', 'n', 'm', ',', '.', '/', 0, '*', 0, ' ',
};
static const char shifted[128] = {
	0, 27, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', 127, '\t',
	'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\r', 0, 'A', 'S',
	'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0, '|', 'Z', 'X', 'C', 'V',
	'B', 'N', 'M', '<', '>', '?', 0, '*', 0, ' ',
};

static int shift, ctrl, caps, extended;

static int
wait_write(void)
{
	int i;

	for (i = 0; i < SPIN; i++)
		if (!(inb(KBD_STATUS) & ST_IN_FULL))
			return 0;
	return -1;
}

static int
read_data(uint8_t *v)
{
	int i;

	for (i = 0; i < SPIN; i++) {
		if (inb(KBD_STATUS) & ST_OUT_FULL) {
			*v = inb(KBD_DATA);
			return 0;
		}
	}
	return -1;
}

static int
command(uint8_t cmd)
{
	if (wait_write())
		return -1;
	outb(KBD_CMD, cmd);
	return 0;
}

static void
send(const char *s)
{
	while (*s)
		tty_input(*s++);
}

/* One set-1 scan code byte. */
static void
scancode(uint8_t sc)
{
	int release = sc & SC_RELEASE, key = sc & 0x7f;
	char c;

	if (sc == SC_EXTENDED) {
		extended = 1;
		return;
	}
	if (extended) {
		extended = 0;
		if (key == SC_CTRL)
			ctrl = !release;
		if (release)
			return;
		switch (key) {
		case 0x48: send("\033[A"); break;	/* up */
		case 0x50: send("\033[B"); break;	/* down */
		case 0x4d: send("\033[C"); break;	/* right */
		case 0x4b: send("\033[D"); break;	/* left */
		case 0x47: send("\033[H"); break;	/* home */
		case 0x4f: send("\033[F"); break;	/* end */
		case 0x53: send("\033[3~"); break;	/* delete */
		case 0x1c: tty_input('\r'); break;	/* keypad enter */
		case 0x35: tty_input('/'); break;	/* keypad slash */
		}
		return;
	}
	switch (key) {
	case SC_LSHIFT:
	case SC_RSHIFT:
		shift = !release;
		return;
	case SC_CTRL:
		ctrl = !release;
		return;
	case SC_ALT:
		return;
	case SC_CAPS:
		if (!release)
			caps = !caps;
		return;
	}
	if (release)
		return;
	c = shift ? shifted[key] : normal[key];
	if (caps && c >= 'a' && c <= 'z')
		c -= 'a' - 'A';
	else if (caps && c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	if (c == 0)
		return;
	if (ctrl && ((c >= 'a' && c <= 'z') || (c >= '@' && c <= '_')))
		c &= 0x1f;
	tty_input(c);
}

static void
kbd_irq(void *arg)
{
	int n;

	for (n = 0; n < 16 && (inb(KBD_STATUS) & ST_OUT_FULL); n++)
		scancode(inb(KBD_DATA));
}

int
kbd_init(void)
{
	const struct acpi_info *ai = &platform_acpi;
	uint8_t cfg;
	int i;

	if (ai->ai_has_fadt && ai->ai_fadt_revision >= 2 &&
	    !(ai->ai_boot_arch & ACPI_BOOT_8042)) {
		kprintf("kbd: ACPI says there is no i8042\n");
		return -1;
	}
	if (inb(KBD_STATUS) == 0xff) {
		kprintf("kbd: no i8042 controller\n");
		return -1;
	}
	if (command(CMD_DISABLE1) || command(CMD_DISABLE2))
		goto absent;
	for (i = 0; i < 64 && (inb(KBD_STATUS) & ST_OUT_FULL); i++)
		(void)inb(KBD_DATA);
	if (command(CMD_READ_CFG) || read_data(&cfg))
		goto absent;
	cfg = (cfg | CFG_IRQ1 | CFG_TRANSLATE) & ~CFG_IRQ12;
	if (command(CMD_WRITE_CFG) || wait_write())
		goto absent;
	outb(KBD_DATA, cfg);
	if (irq_register(irq_isa(KBD_IRQ), kbd_irq, 0) || command(CMD_ENABLE1))
		goto absent;
	kprintf("kbd: PS/2 keyboard on the i8042, US layout\n");
	return 0;
absent:
	kprintf("kbd: the i8042 does not answer; no keyboard\n");
	return -1;
}
