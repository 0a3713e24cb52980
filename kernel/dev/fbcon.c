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
 * The byte parser is the VT100 subset the Linux console (TERM=linux) and
 * a shell need: UTF-8 text; the C0 controls BS, HT, LF, VT, FF, CR (BEL,
 * SO, SI ignored), acting in every state; ESC 7 8 c D E M; CSI A B C D E F
 * G d H f (moves), J K X @ P L M (erase, insert, delete), r (scroll
 * region), s u (save), m (SGR: bold, reverse, 16 colours and their resets)
 * and ?25 ?7 h/l (cursor, autowrap).  Anything else is swallowed whole:
 * other CSI and ESC sequences up to their final byte, strings (ESC ] P X ^ _)
 * up to BEL, ESC \ or any other control.  CAN and SUB cancel a sequence and
 * ESC starts a new one, so no byte stream leaves the parser stuck or shows a
 * sequence as text.  Parameters saturate at PAR_MAX and only NPAR are kept.
 */
#include <keel/kernel.h>
#include <keel/fbcon.h>
#include <uapi/errno.h>
#include <keel/kheap.h>
#include <shared/bootinfo.h>

#define NPAR		16	/* CSI parameters kept; more are ignored */
#define PAR_MAX		9999	/* a parameter saturates instead of overflowing */
#define TABSTOP		8
#define FG_DEFAULT	7	/* light grey on black, as Linux */
#define BG_DEFAULT	0

enum { ST_GROUND, ST_ESC, ST_ESC_INTER, ST_CSI, ST_STRING, ST_PALETTE };

struct cell {
	uint16_t c_glyph;	/* index into fbcon_font */
	uint8_t c_color;	/* foreground palette index in the low nibble,
				   background in the high one, reverse applied */
	uint8_t c_flags;	/* CELL_* */
};
#define CELL_CURSOR	0x01	/* the cursor is drawn over this cell */
#define CELL_UNDRAWN	0xff	/* a shown cell that matches no text cell */

/* What ESC 7 and ESC [ s save. */
struct pen {
	uint32_t p_x, p_y;
	uint8_t p_fg, p_bg;	/* palette 0-15 as SGR set them */
	uint8_t p_bold, p_reverse;
};

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

	struct pen pen, saved;		/* pen.p_x < cols, pen.p_y < rows */
	int wrapnext;			/* at the right edge, wrap before the
					   next glyph (VT100 deferred wrap) */
	int autowrap, cursor_on;
	uint32_t top, bot;		/* scroll region, rows top..bot */
	uint32_t cursor_row;		/* where the cursor was last drawn */

	int state;			/* ST_* */
	uint32_t par[NPAR];
	uint32_t npar;			/* parameters seen, counting the current */
	int csi_priv;			/* '?', '>', ... after ESC [, or 0 */
	int csi_bad;			/* intermediates or misplaced marker */
	int str_osc;			/* the string is ESC ] (OSC) */
	uint32_t str_len;		/* bytes of the string so far */
	uint32_t ucs;			/* UTF-8 decoding */
	uint32_t ucs_min;		/* smallest code point the sequence may hold */
	int ucs_left;			/* continuation bytes still expected */
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

static uint32_t
glyph_of(uint32_t cp)
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
	uint32_t x, y;

	con.dirty[con.cursor_row] = 1;
	con.dirty[con.pen.p_y] = 1;
	for (y = 0; y < con.rows; y++) {
		if (!con.dirty[y])
			continue;
		con.dirty[y] = 0;
		for (x = 0; x < con.cols; x++) {
			want = con.text[y * con.cols + x];
			if (con.cursor_on && y == con.pen.p_y && x == con.pen.p_x)
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
	con.cursor_row = con.pen.p_y;
}

/* The colours the pen writes with: bold brightens, as on the Linux console. */
static uint8_t
pen_color(void)
{
	uint8_t fg = con.pen.p_fg, bg = con.pen.p_bg, t;

	if (con.pen.p_bold && fg < 8)
		fg += 8;
	if (con.pen.p_reverse) {
		t = fg;
		fg = bg;
		bg = t;
	}
	return fg | bg << 4;
}

/* Blank n cells from index at (row-major), in the pen's colours. */
static void
cells_blank(uint32_t at, uint32_t n)
{
	struct cell b = { glyph_of(' '), pen_color(), 0 };
	uint32_t i;

	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		con.text[at + i] = b;
	for (i = at / con.cols; i <= (at + n - 1) / con.cols; i++)
		con.dirty[i] = 1;
}

/* Move n rows of text from row src to row dst (overlap allowed). */
static void
rows_move(uint32_t dst, uint32_t src, uint32_t n)
{
	uint32_t i;

	memmove(&con.text[dst * con.cols], &con.text[src * con.cols],
	    (size_t)n * con.cols * sizeof(struct cell));
	for (i = dst; i < dst + n; i++)
		con.dirty[i] = 1;
}

/* Rows top..bot move up by n; n blank rows come in at bot. */
static void
scroll_up(uint32_t top, uint32_t bot, uint32_t n)
{
	uint32_t h = bot + 1 - top;

	n = MIN(n, h);
	rows_move(top, top + n, h - n);
	cells_blank((bot + 1 - n) * con.cols, n * con.cols);
}

/* Rows top..bot move down by n; n blank rows come in at top. */
static void
scroll_down(uint32_t top, uint32_t bot, uint32_t n)
{
	uint32_t h = bot + 1 - top;

	n = MIN(n, h);
	rows_move(top + n, top, h - n);
	cells_blank(top * con.cols, n * con.cols);
}

/* Down a row; at the bottom of the scroll region, the region scrolls. */
static void
linefeed(void)
{
	if (con.pen.p_y == con.bot)
		scroll_up(con.top, con.bot, 1);
	else if (con.pen.p_y + 1 < con.rows)
		con.pen.p_y++;
	con.wrapnext = 0;
}

static void
reverse_index(void)
{
	if (con.pen.p_y == con.top)
		scroll_down(con.top, con.bot, 1);
	else if (con.pen.p_y > 0)
		con.pen.p_y--;
	con.wrapnext = 0;
}

static void
cursor_to(uint32_t x, uint32_t y)
{
	con.pen.p_x = MIN(x, con.cols - 1);
	con.pen.p_y = MIN(y, con.rows - 1);
	con.wrapnext = 0;
}

static void
glyph_put(uint32_t g)
{
	struct cell *c;

	if (con.wrapnext) {
		con.pen.p_x = 0;
		linefeed();
	}
	c = &con.text[con.pen.p_y * con.cols + con.pen.p_x];
	c->c_glyph = g;
	c->c_color = pen_color();
	c->c_flags = 0;
	con.dirty[con.pen.p_y] = 1;
	if (con.pen.p_x + 1 < con.cols)
		con.pen.p_x++;
	else if (con.autowrap)
		con.wrapnext = 1;
}

/* A byte of text: ASCII or part of UTF-8; malformed UTF-8 shows glyph 0. */
static void
text_input(int c)
{
	if (c >= 0x80 && c <= 0xbf && con.ucs_left > 0) {
		con.ucs = con.ucs << 6 | (c & 0x3f);
		if (--con.ucs_left > 0)
			return;
		if (con.ucs < con.ucs_min || con.ucs > 0x10ffff ||
		    (con.ucs >= 0xd800 && con.ucs <= 0xdfff))
			glyph_put(0);
		else
			glyph_put(glyph_of(con.ucs));
		return;
	}
	if (con.ucs_left > 0) {
		con.ucs_left = 0;	/* cut short: mark it, then start anew */
		glyph_put(0);
	}
	if (c < 0x80) {
		glyph_put(glyph_of(c));
	} else if (c >= 0xc2 && c <= 0xdf) {
		con.ucs = c & 0x1f;
		con.ucs_left = 1;
		con.ucs_min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		con.ucs = c & 0x0f;
		con.ucs_left = 2;
		con.ucs_min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		con.ucs = c & 0x07;
		con.ucs_left = 3;
		con.ucs_min = 0x10000;
	} else {
		glyph_put(0);	/* stray continuation, 0xc0, 0xc1, 0xf5.. */
	}
}

/* SGR 0: the colours and attributes, not the position. */
static void
pen_plain(struct pen *p)
{
	p->p_fg = FG_DEFAULT;
	p->p_bg = BG_DEFAULT;
	p->p_bold = 0;
	p->p_reverse = 0;
}

static void
term_reset(void)
{
	memset(&con.pen, 0, sizeof(con.pen));
	pen_plain(&con.pen);
	con.saved = con.pen;
	con.wrapnext = 0;
	con.autowrap = 1;
	con.cursor_on = 1;
	con.top = 0;
	con.bot = con.rows - 1;
	con.state = ST_GROUND;
	con.ucs_left = 0;
	cells_blank(0, con.rows * con.cols);
}

/* Parameter i, with d standing for an absent or zero one (VT100 rule). */
static uint32_t
par(uint32_t i, uint32_t d)
{
	return i < con.npar && con.par[i] ? con.par[i] : d;
}

/* The 256-colour and RGB forms (38;5;n and 38;2;r;g;b): the first 16 only. */
static uint32_t
sgr_extended(uint32_t i, uint8_t *color)
{
	if (i + 1 < con.npar && con.par[i + 1] == 5) {
		if (i + 2 < con.npar && con.par[i + 2] < 16)
			*color = con.par[i + 2];
		return 2;
	}
	if (i + 1 < con.npar && con.par[i + 1] == 2)
		return 4;
	return 0;
}

static void
csi_sgr(void)
{
	uint32_t i, p;

	for (i = 0; i < con.npar; i++) {
		p = con.par[i];
		if (p == 0)
			pen_plain(&con.pen);
		else if (p == 1)
			con.pen.p_bold = 1;
		else if (p == 22)
			con.pen.p_bold = 0;
		else if (p == 7)
			con.pen.p_reverse = 1;
		else if (p == 27)
			con.pen.p_reverse = 0;
		else if (p >= 30 && p <= 37)
			con.pen.p_fg = p - 30;
		else if (p == 38)
			i += sgr_extended(i, &con.pen.p_fg);
		else if (p == 39)
			con.pen.p_fg = FG_DEFAULT;
		else if (p >= 40 && p <= 47)
			con.pen.p_bg = p - 40;
		else if (p == 48)
			i += sgr_extended(i, &con.pen.p_bg);
		else if (p == 49)
			con.pen.p_bg = BG_DEFAULT;
		else if (p >= 90 && p <= 97)
			con.pen.p_fg = p - 90 + 8;
		else if (p >= 100 && p <= 107)
			con.pen.p_bg = p - 100 + 8;
		/* Anything else (underline, blink, italic, ...) is ignored. */
	}
}

/* ESC [ ? n h / l: the private modes worth having. */
static void
csi_mode(int on)
{
	uint32_t i;

	for (i = 0; i < con.npar; i++) {
		if (con.par[i] == 25)
			con.cursor_on = on;
		else if (con.par[i] == 7)
			con.autowrap = on;
	}
}

static void
csi_dispatch(int final)
{
	uint32_t x = con.pen.p_x, y = con.pen.p_y, here = y * con.cols + x;
	uint32_t n = par(0, 1), cols = con.cols, rows = con.rows;

	if (con.csi_bad)
		return;
	if (con.csi_priv) {
		if (con.csi_priv == '?' && (final == 'h' || final == 'l'))
			csi_mode(final == 'h');
		return;
	}
	switch (final) {
	case 'A':	cursor_to(x, y > n ? y - n : 0); break;
	case 'B':	cursor_to(x, y + n); break;
	case 'C':	cursor_to(x + n, y); break;
	case 'D':	cursor_to(x > n ? x - n : 0, y); break;
	case 'E':	cursor_to(0, y + n); break;
	case 'F':	cursor_to(0, y > n ? y - n : 0); break;
	case 'G':
	case '`':	cursor_to(n - 1, y); break;
	case 'd':	cursor_to(x, n - 1); break;
	case 'H':
	case 'f':	cursor_to(par(1, 1) - 1, n - 1); break;
	case 'J':
		if (par(0, 0) == 0)
			cells_blank(here, cols * rows - here);
		else if (par(0, 0) == 1)
			cells_blank(0, here + 1);
		else
			cells_blank(0, cols * rows);
		con.wrapnext = 0;
		break;
	case 'K':
		if (par(0, 0) == 0)
			cells_blank(here, cols - x);
		else if (par(0, 0) == 1)
			cells_blank(y * cols, x + 1);
		else
			cells_blank(y * cols, cols);
		con.wrapnext = 0;
		break;
	case '@':	/* insert n blanks, the rest of the line moves right */
		n = MIN(n, cols - x);
		memmove(&con.text[here + n], &con.text[here],
		    (cols - x - n) * sizeof(struct cell));
		cells_blank(here, n);
		break;
	case 'P':	/* delete n characters, the rest moves left */
		n = MIN(n, cols - x);
		memmove(&con.text[here], &con.text[here + n],
		    (cols - x - n) * sizeof(struct cell));
		cells_blank(y * cols + cols - n, n);
		break;
	case 'X':	cells_blank(here, MIN(n, cols - x)); break;
	case 'L':	/* insert n lines, those below move down */
		if (y >= con.top && y <= con.bot)
			scroll_down(y, con.bot, n);
		break;
	case 'M':	/* delete n lines, those below move up */
		if (y >= con.top && y <= con.bot)
			scroll_up(y, con.bot, n);
		break;
	case 'r':	/* the scroll region; the cursor goes home */
		if (par(0, 1) < par(1, rows) && par(1, rows) <= rows) {
			con.top = par(0, 1) - 1;
			con.bot = par(1, rows) - 1;
			cursor_to(0, 0);
		}
		break;
	case 'm':	csi_sgr(); break;
	case 's':	con.saved = con.pen; break;
	case 'u':
		con.pen = con.saved;
		cursor_to(con.pen.p_x, con.pen.p_y);
		break;
	default:	/* reports, modes, tab stops: not done */
		break;
	}
}

static void
csi_input(int c)
{
	if (c >= '0' && c <= '9') {
		if (con.npar == 0)
			con.npar = 1;
		if (con.npar <= NPAR)
			con.par[con.npar - 1] = MIN(con.par[con.npar - 1] * 10 +
			    (uint32_t)(c - '0'), PAR_MAX);
	} else if (c == ';' || c == ':') {
		/* An empty first parameter still counts: "ESC [ ; 5 H". */
		if (con.npar == 0)
			con.npar = 1;
		if (con.npar <= NPAR)
			con.npar++;
	} else if (c >= '<' && c <= '?') {
		if (con.npar == 0 && !con.csi_priv)
			con.csi_priv = c;
		else
			con.csi_bad = 1;
	} else if (c >= 0x20 && c <= 0x2f) {
		con.csi_bad = 1;	/* intermediates: none is known */
	} else if (c >= 0x40 && c <= 0x7e) {
		/* None is one 0 ("ESC [ m"); past NPAR they are dropped. */
		con.npar = MAX(con.npar, 1);
		con.npar = MIN(con.npar, NPAR);
		csi_dispatch(c);
		con.state = ST_GROUND;
	} else {
		con.csi_bad = 1;	/* UTF-8 in a sequence: void it */
	}
}

static void
esc_input(int c)
{
	con.state = ST_GROUND;
	switch (c) {
	case '[':
		memset(con.par, 0, sizeof(con.par));
		con.npar = 0;
		con.csi_priv = 0;
		con.csi_bad = 0;
		con.state = ST_CSI;
		break;
	case ']': case 'P': case 'X': case '^': case '_':
		con.state = ST_STRING;	/* OSC, DCS, SOS, PM, APC */
		con.str_osc = c == ']';
		con.str_len = 0;
		break;
	case '7':	con.saved = con.pen; break;
	case '8':
		con.pen = con.saved;
		cursor_to(con.pen.p_x, con.pen.p_y);
		break;
	case 'c':	term_reset(); break;
	case 'D':	linefeed(); break;
	case 'E':	con.pen.p_x = 0; linefeed(); break;
	case 'M':	reverse_index(); break;
	default:
		/* ESC ( B, ESC # 8, ESC % G...: skip to the final byte. */
		if (c >= 0x20 && c <= 0x2f)
			con.state = ST_ESC_INTER;
		else if (c >= 0x80)
			text_input(c);	/* no sequence: text after all */
		break;
	}
}

/*
 * Strings are swallowed up to BEL or ST (control() ends them).  The Linux
 * console's own OSC forms have no terminator: ESC ] R (reset the palette)
 * and ESC ] P nrrggbb (set a colour: not done, but its seven digits must
 * not show as text).
 */
static void
string_input(int c)
{
	if (!con.str_osc || con.str_len++ > 0)
		return;
	if (c == 'R') {
		con.state = ST_GROUND;
	} else if (c == 'P') {
		con.state = ST_PALETTE;
		con.str_len = 0;
	}
}

/* C0 controls act in every state, as on a VT100. */
static void
control(int c)
{
	uint32_t x;

	con.ucs_left = 0;		/* an unfinished UTF-8 sequence is dropped */
	/*
	 * BEL ends a string, and so does any other control but ESC (which may
	 * start ST): an unterminated title must not swallow the screen.
	 */
	if ((con.state == ST_STRING || con.state == ST_PALETTE) && c != 0x1b)
		con.state = ST_GROUND;
	switch (c) {
	case 0x08:	/* BS */
		if (con.pen.p_x > 0)
			con.pen.p_x--;
		con.wrapnext = 0;
		break;
	case 0x09:	/* HT */
		x = (con.pen.p_x / TABSTOP + 1) * TABSTOP;
		con.pen.p_x = MIN(x, con.cols - 1);
		break;
	case 0x0a: case 0x0b: case 0x0c:	/* LF, VT, FF */
		linefeed();
		break;
	case 0x0d:	/* CR */
		con.pen.p_x = 0;
		con.wrapnext = 0;
		break;
	case 0x18: case 0x1a:	/* CAN, SUB: cancel any sequence */
		con.state = ST_GROUND;
		break;
	case 0x1b:
		con.state = ST_ESC;
		break;
	default:	/* BEL, SO, SI and the rest: nothing to show */
		break;
	}
}

static void
fbcon_input(int c)
{
	if (c < 0x20) {
		control(c);
		return;
	}
	if (c == 0x7f)
		return;		/* DEL is ignored, as on a VT100 */
	switch (con.state) {
	case ST_GROUND:
		text_input(c);
		break;
	case ST_ESC:
		esc_input(c);
		break;
	case ST_ESC_INTER:
		if (c >= 0x30)
			con.state = ST_GROUND;
		if (c >= 0x80)
			text_input(c);
		break;
	case ST_CSI:
		csi_input(c);
		break;
	case ST_STRING:
		string_input(c);
		break;
	case ST_PALETTE:
		if (++con.str_len == 7)
			con.state = ST_GROUND;
		break;
	}
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
	fb_fill(cols * con.cw, 0, width, height, con.pixel[BG_DEFAULT]);
	fb_fill(0, rows * con.ch, cols * con.cw, height, con.pixel[BG_DEFAULT]);
	term_reset();
	con.present = 1;
	return 0;
}

void
fbcon_queue(const char *s, size_t n)
{
	if (!con.present)
		return;
	while (n--)
		fbcon_input((unsigned char)*s++);
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
