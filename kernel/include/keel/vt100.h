/*
 * vt100.h: the two halves of the framebuffer console and what each offers
 * the other.  vt100.c is the terminal: it parses the bytes written to the
 * console (UTF-8, controls, VT100/ANSI escapes) and keeps the cursor, the
 * pen and the scroll region.  fbcon.c owns the grid of cells the terminal
 * edits and draws it in pixels (fbcon.h is the console's interface to the
 * rest of the kernel).
 *
 * vt100.c offers fbcon.c:
 *   vt100_init(cols, rows)	the power-on state on a grid that size, the
 *				grid blanked (fbcon_init)
 *   vt100_write(s, n)		bytes
 *   vt100_cursor(&x, &y)	where the cursor is; returns whether it shows
 *
 * fbcon.c offers vt100.c the grid, cols * rows cells in row-major order,
 * a cell named by its index y * cols + x.  A colour byte is a foreground
 * palette index (0-15) in the low nibble, a background in the high one.
 *   fbcon_glyph_of(cp)		the font's glyph for a code point (0: none)
 *   fbcon_cell_set(at, glyph, color)
 *   fbcon_cells_blank(at, n, color)	n spaces from cell at
 *   fbcon_cells_move(dst, src, n)	n cells from src to dst (overlap allowed)
 * Each marks the rows it changes for the next fbcon_flush.
 */
#ifndef KEEL_VT100_H
#define KEEL_VT100_H

#include <stddef.h>
#include <stdint.h>

/* Light grey on black, as Linux; palette indexes. */
#define VT_FG_DEFAULT	7
#define VT_BG_DEFAULT	0

void vt100_init(uint32_t cols, uint32_t rows);
void vt100_write(const char *s, size_t n);
int vt100_cursor(uint32_t *x, uint32_t *y);

uint32_t fbcon_glyph_of(uint32_t cp);
void fbcon_cell_set(uint32_t at, uint32_t glyph, uint8_t color);
void fbcon_cells_blank(uint32_t at, uint32_t n, uint8_t color);
void fbcon_cells_move(uint32_t dst, uint32_t src, uint32_t n);

#endif
