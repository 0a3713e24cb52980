/*
 * fbcon.c: the framebuffer text console (see fbcon.h).
 *
 * The screen is a grid of cells (glyph, colours) kept in RAM twice: the text
 * as it should be, and the text as the framebuffer shows it.  Output and
 * escapes change only the first and mark rows dirty; fbcon_flush then draws
 * each cell of a dirty row whose two versions differ.  So the framebuffer is
 * write-only: reading device memory back (to scroll by moving its pixels) is
 * slow, uncached, and a shadow of the pixels would cost width * height * 4
 * bytes (4 MB at 1280x800) and still rewrite every pixel to scroll.  Here a
 * scroll is a memmove of cells and redraws only the cells that change, blank
 * over blank costing nothing.  The cursor is a flag in the shown cells, so
 * moving it redraws two cells.
 *
 * What the bytes mean (escapes, UTF-8, the cursor) is vt100.c's: it edits
 * the text through the grid functions below (vt100.h).
 */
#include <keel/kernel.h>
#include <keel/fbcon.h>
#include <uapi/errno.h>
#include <keel/kheap.h>
#include <keel/vt100.h>
#include <shared/bootinfo.h>

struct cell {
	uint16_t c_glyph;	/* index into fbcon_font */
	uint8_t c_color;	/* foreground palette index in the low nibble,
				   background in the high one, reverse applied */
	uint8_t c_flags;	/* CELL_* */
};
#define CELL_CURSOR	0x01	/* the cursor is drawn over this cell */
#define CELL_UNDRAWN	0xff	/* a shown cell that matches no text cell */

/* The 16 colours of the Linux console (drivers/tty/vt/vt.c default_*). */
static const uint8_t palette[16][3] = {
	{ 0x00, 0x00, 0x00 }, { 0xaa, 0x00, 0x00 }, { 0x00, 0xaa, 0x00 },
	{ 0xaa, 0x55, 0x00 }, { 0x00, 0x00, 0xaa }, { 0xaa, 0x00, 0xaa },
	{ 0x00, 0xaa, 0xaa }, { 0xaa, 0xaa, 0xaa }, { 0x55, 0x55, 0x55 },
	{ 0xff, 0x55, 0x55 }, { 0x55, 0xff, 0x55 }, { 0xff, 0xff, 0x55 },
	{ 0x55, 0x55, 0xff }, { 0xff, 0x55, 0xff }, { 0x55, 0xff, 0xff },
	{ 0xff, 0xff, 0xff },
};

static struct {
	int present;
	uint32_t *fb;
	uint32_t pitch;			/* pixels per scan line */
	uint32_t scale;			/* screen pixels per font pixel */
	uint32_t cw, ch;		/* cell size in screen pixels */
	uint32_t cols, rows;
	uint32_t pixel[16];		/* palette in the framebuffer's format */
	struct cell *text, *shown;	/* cols * rows each, row-major */
	uint8_t *dirty;			/* per row: text may differ from shown */
	void *mem;			/* the one allocation holding the three */
	uint32_t cursor_row;		/* where the cursor was last drawn */
} con;

/*
 * An 8-bit colour component as the bits of mask.  The masks GOP gives are
 * contiguous; the result is clipped to mask anyway.
 */
static uint32_t
channel(uint8_t v, uint32_t mask)
{
	uint32_t shift, bits;
	uint64_t max;

	if (mask == 0)
		return 0;
	shift = __builtin_ctz(mask);
	bits = 32 - __builtin_clz(mask) - shift;
	max = (1ULL << bits) - 1;
	return (uint32_t)(((v * max + 127) / 255) << shift) & mask;
}

static void
palette_build(uint32_t rmask, uint32_t gmask, uint32_t bmask)
{
	int i;

	for (i = 0; i < 16; i++)
		con.pixel[i] = channel(palette[i][0], rmask) |
		    channel(palette[i][1], gmask) | channel(palette[i][2], bmask);
}

uint32_t
fbcon_glyph_of(uint32_t cp)
{
	const struct fbcon_font *f = &fbcon_font;
	uint32_t lo = 0, hi = f->ff_nmap, mid;

	if (cp < 128)
		return f->ff_ascii[cp];
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (f->ff_map[mid].fm_cp == cp)
			return f->ff_map[mid].fm_glyph;
		if (f->ff_map[mid].fm_cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* One 64-bit store of two pixels, wherever the cell starts. */
static inline void
store2(uint32_t *p, uint64_t v)
{
	__builtin_memcpy(p, &v, sizeof(v));
}

/*
 * Draw one cell: the only place that writes the framebuffer, with fb_fill.
 * A scroll redraws every cell that holds text (a 160x50 screen has 8,000),
 * so this is the console's hot loop: no test per pixel (that loop cost
 * 5,300 instructions a cell, 42.7 million a screen).  An 8-pixel row goes
 * out as four stores of two pixels looked up from its bits; other widths
 * and the 2x2 scale go a font pixel at a time.
 */
static void
cell_draw(uint32_t col, uint32_t row, struct cell c)
{
	const struct fbcon_font *f = &fbcon_font;
	uint64_t fg = con.pixel[c.c_color & 0xf], bg = con.pixel[c.c_color >> 4];
	/* Two pixels for two bits of a row, the left one (bit 1) at the lower address. */
	const uint64_t two[4] = { bg | bg << 32, bg | fg << 32, fg | bg << 32, fg | fg << 32 };
	/* In locals: the compiler cannot tell that the pixel stores miss con. */
	const uint32_t width = f->ff_width, height = f->ff_height, stride = f->ff_stride;
	const uint32_t scale = con.scale;
	const size_t pitch = con.pitch;
	/* An underline cursor two font rows high, like Linux's: rows curs and on. */
	uint32_t curs = !(c.c_flags & CELL_CURSOR) ? height :
	    height < 10 ? height - 1 : height - 2;
	uint32_t *p = con.fb + (size_t)row * con.ch * pitch + col * con.cw;
	const uint8_t *g;
	uint32_t x, y, b, bits;
	uint64_t px;

	ASSERT(c.c_glyph < f->ff_nglyphs);
	ASSERT(scale == 1 || scale == 2);
	g = f->ff_glyphs + (size_t)c.c_glyph * height * stride;
	if (width == 8 && scale == 1) {
		for (y = 0; y < height; y++, p += pitch) {
			bits = y < curs ? g[y] : 0xff;
			store2(p, two[bits >> 6]);
			store2(p + 2, two[bits >> 4 & 3]);
			store2(p + 4, two[bits >> 2 & 3]);
			store2(p + 6, two[bits & 3]);
		}
		return;
	}
	for (y = 0; y < height; y++, g += stride) {
		/* The row's pixels from the left, in bits 31 down (stride <= 4). */
		bits = 0;
		for (b = 0; b < stride; b++)
			bits |= (uint32_t)g[b] << (24 - 8 * b);
		if (y >= curs)
			bits = ~0u;
		for (x = 0; x < width; x++, bits <<= 1) {
			px = two[(bits >> 31) * 3];	/* fg twice or bg twice */
			if (scale == 1) {
				p[x] = (uint32_t)px;
			} else {
				store2(p + 2 * x, px);
				store2(p + pitch + 2 * x, px);
			}
		}
		p += scale * pitch;
	}
}

static void
fb_fill(uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1, uint32_t px)
{
	uint32_t x, y;

	for (y = y0; y < y1; y++)
		for (x = x0; x < x1; x++)
			con.fb[(size_t)y * con.pitch + x] = px;
}

/* Bring the framebuffer up to date with the text and the cursor. */
void
fbcon_flush(void)
{
	struct cell want, *shown;
	uint32_t x, y, cx, cy;
	int cursor_on = vt100_cursor(&cx, &cy);

	con.dirty[con.cursor_row] = 1;
	con.dirty[cy] = 1;
	for (y = 0; y < con.rows; y++) {
		if (!con.dirty[y])
			continue;
		con.dirty[y] = 0;
		for (x = 0; x < con.cols; x++) {
			want = con.text[y * con.cols + x];
			if (cursor_on && y == cy && x == cx)
				want.c_flags |= CELL_CURSOR;
			shown = &con.shown[y * con.cols + x];
			if (want.c_glyph != shown->c_glyph ||
			    want.c_color != shown->c_color ||
			    want.c_flags != shown->c_flags) {
				cell_draw(x, y, want);
				*shown = want;
			}
		}
	}
	con.cursor_row = cy;
}

void
fbcon_cell_set(uint32_t at, uint32_t glyph, uint8_t color)
{
	con.text[at] = (struct cell){ glyph, color, 0 };
	con.dirty[at / con.cols] = 1;
}

void
fbcon_cells_blank(uint32_t at, uint32_t n, uint8_t color)
{
	struct cell b = { fbcon_glyph_of(' '), color, 0 };
	uint32_t i;

	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		con.text[at + i] = b;
	for (i = at / con.cols; i <= (at + n - 1) / con.cols; i++)
		con.dirty[i] = 1;
}

void
fbcon_cells_move(uint32_t dst, uint32_t src, uint32_t n)
{
	uint32_t i;

	if (n == 0)
		return;
	memmove(&con.text[dst], &con.text[src], (size_t)n * sizeof(struct cell));
	for (i = dst / con.cols; i <= (dst + n - 1) / con.cols; i++)
		con.dirty[i] = 1;
}

int
fbcon_init(void *fb, uint32_t width, uint32_t height, uint32_t pitch_pixels,
    uint32_t format, uint32_t rmask, uint32_t gmask, uint32_t bmask)
{
	const struct fbcon_font *f = &fbcon_font;
	uint32_t scale, cols, rows;
	size_t ncells;
	char *mem;

	ASSERT(f->ff_width <= FBCON_FONT_MAXW && f->ff_height <= FBCON_FONT_MAXH);
	if (format == BI_FB_RGBX) {
		rmask = 0x0000ff;
		gmask = 0x00ff00;
		bmask = 0xff0000;
	} else if (format == BI_FB_BGRX) {
		rmask = 0xff0000;
		gmask = 0x00ff00;
		bmask = 0x0000ff;
	} else if (format != BI_FB_BITMASK || (rmask | gmask | bmask) == 0) {
		return -EINVAL;
	}
	scale = width >= FBCON_SCALE2_WIDTH ? 2 : 1;
	cols = width / (f->ff_width * scale);
	rows = height / (f->ff_height * scale);
	if (fb == NULL || pitch_pixels < width || cols == 0 || rows == 0)
		return -EINVAL;

	kfree(con.mem);
	memset(&con, 0, sizeof(con));
	ncells = (size_t)cols * rows;
	mem = kmalloc(2 * ncells * sizeof(struct cell) + rows);
	if (mem == NULL)
		return -ENOMEM;
	con.mem = mem;
	con.text = (struct cell *)mem;
	con.shown = con.text + ncells;
	con.dirty = (uint8_t *)(con.shown + ncells);
	con.fb = fb;
	con.pitch = pitch_pixels;
	con.scale = scale;
	con.cw = f->ff_width * scale;
	con.ch = f->ff_height * scale;
	con.cols = cols;
	con.rows = rows;
	palette_build(rmask, gmask, bmask);

	/* Whatever the firmware left on screen: every cell gets drawn once. */
	memset(con.shown, CELL_UNDRAWN, ncells * sizeof(struct cell));
	fb_fill(cols * con.cw, 0, width, height, con.pixel[VT_BG_DEFAULT]);
	fb_fill(0, rows * con.ch, cols * con.cw, height, con.pixel[VT_BG_DEFAULT]);
	vt100_init(cols, rows);
	con.present = 1;
	return 0;
}

void
fbcon_queue(const char *s, size_t n)
{
	if (!con.present)
		return;
	vt100_write(s, n);
}

void
fbcon_write(const char *s, size_t n)
{
	if (!con.present)
		return;
	fbcon_queue(s, n);
	fbcon_flush();
}

void
fbcon_putc(char c)
{
	fbcon_write(&c, 1);
}

int
fbcon_present(void)
{
	return con.present;
}

void
fbcon_size(uint32_t *cols, uint32_t *rows)
{
	*cols = con.present ? con.cols : 0;
	*rows = con.present ? con.rows : 0;
}
