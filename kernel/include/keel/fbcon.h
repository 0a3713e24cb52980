/*
 * fbcon.h: a text console on the linear framebuffer (fbcon.c, vt100.c), with the
 * VT100/ANSI escapes a shell and simple programs emit, Linux-console colours
 * and a PSF font converted at build time (tools/psf2c.py -> $(B)/font.c).
 *
 * Interface:
 *   fbcon_init(fb, width, height, pitch, format, rmask, gmask, bmask)
 *	once the framebuffer is mapped (vm_map_mmio) and the heap works:
 *	fb holds pitch * height 32-bit pixels, format is a BI_FB_* of
 *	shared/bootinfo.h and the masks count for BI_FB_BITMASK only (the
 *	boot info's fields, as they are).  0, or -EINVAL for a geometry or
 *	format it cannot draw, -ENOMEM.  Calling it again starts over.
 *	Nothing is drawn until the first flush or write.
 *   fbcon_queue(s, n)	as fbcon_write, but the pixels wait for fbcon_flush
 *   fbcon_flush()	draw what changed since the last flush
 *   fbcon_write(s, n)	bytes: UTF-8 text, controls and escape sequences
 *			(vt100.c lists them); the screen is updated once,
 *			at the end.  LF only moves down, as on a terminal:
 *			the caller sends "\r\n", as console.c does to the UART
 *   fbcon_putc(c)	one byte, the screen updated at once
 *   fbcon_present()	whether fbcon_init succeeded (else the others
 *			do nothing)
 *   fbcon_size(&cols, &rows)	the text grid, for TIOCGWINSZ
 *
 * The framebuffer is only ever written, never read back (device memory
 * reads are slow); fbcon.c says how.  Not reentrant: the caller serializes
 * (one CPU, and console.c's locking when there is some).
 */
#ifndef KERNEL_FBCON_H
#define KERNEL_FBCON_H

#include <stddef.h>
#include <stdint.h>

/* Screens this wide or wider draw each font pixel as 2x2 (HiDPI laptops). */
#define FBCON_SCALE2_WIDTH	2560
/* The largest font fbcon draws (tools/psf2c.py refuses larger ones). */
#define FBCON_FONT_MAXW		32
#define FBCON_FONT_MAXH		64

int fbcon_init(void *fb, uint32_t width, uint32_t height, uint32_t pitch_pixels,
    uint32_t format, uint32_t rmask, uint32_t gmask, uint32_t bmask);
void fbcon_putc(char c);
void fbcon_write(const char *s, size_t n);
void fbcon_queue(const char *s, size_t n);
void fbcon_flush(void);
int fbcon_present(void);
void fbcon_size(uint32_t *cols, uint32_t *rows);

/* fbdev.c: claim the PCI display function whose BAR holds the framebuffer. */
void fbdev_register(uint64_t phys, uint64_t size);

/*
 * The font, defined in the generated $(B)/font.c.  Glyph g is ff_height rows
 * of ff_stride bytes at ff_glyphs + g * ff_height * ff_stride, the leftmost
 * pixel in the top bit of a row's first byte.  Glyph 0 is the fallback, drawn
 * for any code point the font lacks.
 */
struct fbcon_font_map {
	uint32_t fm_cp;			/* Unicode code point */
	uint32_t fm_glyph;
};

struct fbcon_font {
	uint32_t ff_width;		/* pixels, <= FBCON_FONT_MAXW */
	uint32_t ff_height;		/* pixels, <= FBCON_FONT_MAXH */
	uint32_t ff_stride;		/* bytes per glyph row */
	uint32_t ff_nglyphs;
	const uint8_t *ff_glyphs;
	uint16_t ff_ascii[128];		/* glyph of each ASCII code, 0 if none */
	const struct fbcon_font_map *ff_map;	/* code points >= 128, sorted */
	uint32_t ff_nmap;
};

extern const struct fbcon_font fbcon_font;

#endif /* KERNEL_FBCON_H */
