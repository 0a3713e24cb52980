/*
 * vt100.c: the terminal of the framebuffer console (see vt100.h): a byte
 * parser and the cursor, pen and scroll region it moves, editing the grid
 * of cells fbcon.c draws.
 *
 * The parser is the VT100 subset the Linux console (TERM=linux) and
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
#include <keel/vt100.h>

#define NPAR		16	/* CSI parameters kept; more are ignored */
#define PAR_MAX		9999	/* a parameter saturates instead of overflowing */
#define TABSTOP		8

enum { ST_GROUND, ST_ESC, ST_ESC_INTER, ST_CSI, ST_STRING, ST_PALETTE };

/* What ESC 7 and ESC [ s save. */
struct pen {
	uint32_t p_x, p_y;
	uint8_t p_fg, p_bg;	/* palette 0-15 as SGR set them */
	uint8_t p_bold, p_reverse;
};

static struct {
	uint32_t cols, rows;		/* the grid's size */
	struct pen pen, saved;		/* pen.p_x < cols, pen.p_y < rows */
	int wrapnext;			/* at the right edge, wrap before the
					   next glyph (VT100 deferred wrap) */
	int autowrap, cursor_on;
	uint32_t top, bot;		/* scroll region, rows top..bot */

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
} vt;

/* The colours the pen writes with: bold brightens, as on the Linux console. */
static uint8_t
pen_color(void)
{
	uint8_t fg = vt.pen.p_fg, bg = vt.pen.p_bg, t;

	if (vt.pen.p_bold && fg < 8)
		fg += 8;
	if (vt.pen.p_reverse) {
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
	fbcon_cells_blank(at, n, pen_color());
}

/* Move n rows of text from row src to row dst (overlap allowed). */
static void
rows_move(uint32_t dst, uint32_t src, uint32_t n)
{
	fbcon_cells_move(dst * vt.cols, src * vt.cols, n * vt.cols);
}

/* Rows top..bot move up by n; n blank rows come in at bot. */
static void
scroll_up(uint32_t top, uint32_t bot, uint32_t n)
{
	uint32_t h = bot + 1 - top;

	n = MIN(n, h);
	rows_move(top, top + n, h - n);
	cells_blank((bot + 1 - n) * vt.cols, n * vt.cols);
}

/* Rows top..bot move down by n; n blank rows come in at top. */
static void
scroll_down(uint32_t top, uint32_t bot, uint32_t n)
{
	uint32_t h = bot + 1 - top;

	n = MIN(n, h);
	rows_move(top + n, top, h - n);
	cells_blank(top * vt.cols, n * vt.cols);
}

/* Down a row; at the bottom of the scroll region, the region scrolls. */
static void
linefeed(void)
{
	if (vt.pen.p_y == vt.bot)
		scroll_up(vt.top, vt.bot, 1);
	else if (vt.pen.p_y + 1 < vt.rows)
		vt.pen.p_y++;
	vt.wrapnext = 0;
}

static void
reverse_index(void)
{
	if (vt.pen.p_y == vt.top)
		scroll_down(vt.top, vt.bot, 1);
	else if (vt.pen.p_y > 0)
		vt.pen.p_y--;
	vt.wrapnext = 0;
}

static void
cursor_to(uint32_t x, uint32_t y)
{
	vt.pen.p_x = MIN(x, vt.cols - 1);
	vt.pen.p_y = MIN(y, vt.rows - 1);
	vt.wrapnext = 0;
}

/* Glyph g at the cursor in colour color (the pen's), and the cursor on. */
static void
glyph_put_color(uint32_t g, uint8_t color)
{
	if (vt.wrapnext) {
		vt.pen.p_x = 0;
		linefeed();
	}
	fbcon_cell_set(vt.pen.p_y * vt.cols + vt.pen.p_x, g, color);
	if (vt.pen.p_x + 1 < vt.cols)
		vt.pen.p_x++;
	else if (vt.autowrap)
		vt.wrapnext = 1;
}

static void
glyph_put(uint32_t g)
{
	glyph_put_color(g, pen_color());
}

/* A byte of text: ASCII or part of UTF-8; malformed UTF-8 shows glyph 0. */
static void
text_input(int c)
{
	if (c >= 0x80 && c <= 0xbf && vt.ucs_left > 0) {
		vt.ucs = vt.ucs << 6 | (c & 0x3f);
		if (--vt.ucs_left > 0)
			return;
		if (vt.ucs < vt.ucs_min || vt.ucs > 0x10ffff ||
		    (vt.ucs >= 0xd800 && vt.ucs <= 0xdfff))
			glyph_put(0);
		else
			glyph_put(fbcon_glyph_of(vt.ucs));
		return;
	}
	if (vt.ucs_left > 0) {
		vt.ucs_left = 0;	/* cut short: mark it, then start anew */
		glyph_put(0);
	}
	if (c < 0x80) {
		glyph_put(fbcon_font.ff_ascii[c]);	/* fbcon_glyph_of's first case, inline */
	} else if (c >= 0xc2 && c <= 0xdf) {
		vt.ucs = c & 0x1f;
		vt.ucs_left = 1;
		vt.ucs_min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		vt.ucs = c & 0x0f;
		vt.ucs_left = 2;
		vt.ucs_min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		vt.ucs = c & 0x07;
		vt.ucs_left = 3;
		vt.ucs_min = 0x10000;
	} else {
		glyph_put(0);	/* stray continuation, 0xc0, 0xc1, 0xf5.. */
	}
}

/* SGR 0: the colours and attributes, not the position. */
static void
pen_plain(struct pen *p)
{
	p->p_fg = VT_FG_DEFAULT;
	p->p_bg = VT_BG_DEFAULT;
	p->p_bold = 0;
	p->p_reverse = 0;
}

static void
term_reset(void)
{
	memset(&vt.pen, 0, sizeof(vt.pen));
	pen_plain(&vt.pen);
	vt.saved = vt.pen;
	vt.wrapnext = 0;
	vt.autowrap = 1;
	vt.cursor_on = 1;
	vt.top = 0;
	vt.bot = vt.rows - 1;
	vt.state = ST_GROUND;
	vt.ucs_left = 0;
	cells_blank(0, vt.rows * vt.cols);
}

/* Parameter i, with d standing for an absent or zero one (VT100 rule). */
static uint32_t
par(uint32_t i, uint32_t d)
{
	return i < vt.npar && vt.par[i] ? vt.par[i] : d;
}

/* The 256-colour and RGB forms (38;5;n and 38;2;r;g;b): the first 16 only. */
static uint32_t
sgr_extended(uint32_t i, uint8_t *color)
{
	if (i + 1 < vt.npar && vt.par[i + 1] == 5) {
		if (i + 2 < vt.npar && vt.par[i + 2] < 16)
			*color = vt.par[i + 2];
		return 2;
	}
	if (i + 1 < vt.npar && vt.par[i + 1] == 2)
		return 4;
	return 0;
}

static void
csi_sgr(void)
{
	uint32_t i, p;

	for (i = 0; i < vt.npar; i++) {
		p = vt.par[i];
		if (p == 0)
			pen_plain(&vt.pen);
		else if (p == 1)
			vt.pen.p_bold = 1;
		else if (p == 22)
			vt.pen.p_bold = 0;
		else if (p == 7)
			vt.pen.p_reverse = 1;
		else if (p == 27)
			vt.pen.p_reverse = 0;
		else if (p >= 30 && p <= 37)
			vt.pen.p_fg = p - 30;
		else if (p == 38)
			i += sgr_extended(i, &vt.pen.p_fg);
		else if (p == 39)
			vt.pen.p_fg = VT_FG_DEFAULT;
		else if (p >= 40 && p <= 47)
			vt.pen.p_bg = p - 40;
		else if (p == 48)
			i += sgr_extended(i, &vt.pen.p_bg);
		else if (p == 49)
			vt.pen.p_bg = VT_BG_DEFAULT;
		else if (p >= 90 && p <= 97)
			vt.pen.p_fg = p - 90 + 8;
		else if (p >= 100 && p <= 107)
			vt.pen.p_bg = p - 100 + 8;
		/* Anything else (underline, blink, italic, ...) is ignored. */
	}
}

/* ESC [ ? n h / l: the private modes worth having. */
static void
csi_mode(int on)
{
	uint32_t i;

	for (i = 0; i < vt.npar; i++) {
		if (vt.par[i] == 25)
			vt.cursor_on = on;
		else if (vt.par[i] == 7)
			vt.autowrap = on;
	}
}

static void
csi_dispatch(int final)
{
	uint32_t x = vt.pen.p_x, y = vt.pen.p_y, here = y * vt.cols + x;
	uint32_t n = par(0, 1), cols = vt.cols, rows = vt.rows;

	if (vt.csi_bad)
		return;
	if (vt.csi_priv) {
		if (vt.csi_priv == '?' && (final == 'h' || final == 'l'))
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
		vt.wrapnext = 0;
		break;
	case 'K':
		if (par(0, 0) == 0)
			cells_blank(here, cols - x);
		else if (par(0, 0) == 1)
			cells_blank(y * cols, x + 1);
		else
			cells_blank(y * cols, cols);
		vt.wrapnext = 0;
		break;
	case '@':	/* insert n blanks, the rest of the line moves right */
		n = MIN(n, cols - x);
		fbcon_cells_move(here + n, here, cols - x - n);
		cells_blank(here, n);
		break;
	case 'P':	/* delete n characters, the rest moves left */
		n = MIN(n, cols - x);
		fbcon_cells_move(here, here + n, cols - x - n);
		cells_blank(y * cols + cols - n, n);
		break;
	case 'X':	cells_blank(here, MIN(n, cols - x)); break;
	case 'L':	/* insert n lines, those below move down */
		if (y >= vt.top && y <= vt.bot)
			scroll_down(y, vt.bot, n);
		break;
	case 'M':	/* delete n lines, those below move up */
		if (y >= vt.top && y <= vt.bot)
			scroll_up(y, vt.bot, n);
		break;
	case 'r':	/* the scroll region; the cursor goes home */
		if (par(0, 1) < par(1, rows) && par(1, rows) <= rows) {
			vt.top = par(0, 1) - 1;
			vt.bot = par(1, rows) - 1;
			cursor_to(0, 0);
		}
		break;
	case 'm':	csi_sgr(); break;
	case 's':	vt.saved = vt.pen; break;
	case 'u':
		vt.pen = vt.saved;
		cursor_to(vt.pen.p_x, vt.pen.p_y);
		break;
	default:	/* reports, modes, tab stops: not done */
		break;
	}
}

static void
csi_input(int c)
{
	if (c >= '0' && c <= '9') {
		if (vt.npar == 0)
			vt.npar = 1;
		if (vt.npar <= NPAR)
			vt.par[vt.npar - 1] = MIN(vt.par[vt.npar - 1] * 10 +
			    (uint32_t)(c - '0'), PAR_MAX);
	} else if (c == ';' || c == ':') {
		/* An empty first parameter still counts: "ESC [ ; 5 H". */
		if (vt.npar == 0)
			vt.npar = 1;
		if (vt.npar <= NPAR)
			vt.npar++;
	} else if (c >= '<' && c <= '?') {
		if (vt.npar == 0 && !vt.csi_priv)
			vt.csi_priv = c;
		else
			vt.csi_bad = 1;
	} else if (c >= 0x20 && c <= 0x2f) {
		vt.csi_bad = 1;	/* intermediates: none is known */
	} else if (c >= 0x40 && c <= 0x7e) {
		/* None is one 0 ("ESC [ m"); past NPAR they are dropped. */
		vt.npar = MAX(vt.npar, 1);
		vt.npar = MIN(vt.npar, NPAR);
		csi_dispatch(c);
		vt.state = ST_GROUND;
	} else {
		vt.csi_bad = 1;	/* UTF-8 in a sequence: void it */
	}
}

static void
esc_input(int c)
{
	vt.state = ST_GROUND;
	switch (c) {
	case '[':
		memset(vt.par, 0, sizeof(vt.par));
		vt.npar = 0;
		vt.csi_priv = 0;
		vt.csi_bad = 0;
		vt.state = ST_CSI;
		break;
	case ']': case 'P': case 'X': case '^': case '_':
		vt.state = ST_STRING;	/* OSC, DCS, SOS, PM, APC */
		vt.str_osc = c == ']';
		vt.str_len = 0;
		break;
	case '7':	vt.saved = vt.pen; break;
	case '8':
		vt.pen = vt.saved;
		cursor_to(vt.pen.p_x, vt.pen.p_y);
		break;
	case 'c':	term_reset(); break;
	case 'D':	linefeed(); break;
	case 'E':	vt.pen.p_x = 0; linefeed(); break;
	case 'M':	reverse_index(); break;
	default:
		/* ESC ( B, ESC # 8, ESC % G...: skip to the final byte. */
		if (c >= 0x20 && c <= 0x2f)
			vt.state = ST_ESC_INTER;
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
	if (!vt.str_osc || vt.str_len++ > 0)
		return;
	if (c == 'R') {
		vt.state = ST_GROUND;
	} else if (c == 'P') {
		vt.state = ST_PALETTE;
		vt.str_len = 0;
	}
}

/* C0 controls act in every state, as on a VT100. */
static void
control(int c)
{
	uint32_t x;

	vt.ucs_left = 0;		/* an unfinished UTF-8 sequence is dropped */
	/*
	 * BEL ends a string, and so does any other control but ESC (which may
	 * start ST): an unterminated title must not swallow the screen.
	 */
	if ((vt.state == ST_STRING || vt.state == ST_PALETTE) && c != 0x1b)
		vt.state = ST_GROUND;
	switch (c) {
	case 0x08:	/* BS */
		if (vt.pen.p_x > 0)
			vt.pen.p_x--;
		vt.wrapnext = 0;
		break;
	case 0x09:	/* HT */
		x = (vt.pen.p_x / TABSTOP + 1) * TABSTOP;
		vt.pen.p_x = MIN(x, vt.cols - 1);
		break;
	case 0x0a: case 0x0b: case 0x0c:	/* LF, VT, FF */
		linefeed();
		break;
	case 0x0d:	/* CR */
		vt.pen.p_x = 0;
		vt.wrapnext = 0;
		break;
	case 0x18: case 0x1a:	/* CAN, SUB: cancel any sequence */
		vt.state = ST_GROUND;
		break;
	case 0x1b:
		vt.state = ST_ESC;
		break;
	default:	/* BEL, SO, SI and the rest: nothing to show */
		break;
	}
}

static void
input(int c)
{
	if (c < 0x20) {
		control(c);
		return;
	}
	if (c == 0x7f)
		return;		/* DEL is ignored, as on a VT100 */
	switch (vt.state) {
	case ST_GROUND:
		text_input(c);
		break;
	case ST_ESC:
		esc_input(c);
		break;
	case ST_ESC_INTER:
		if (c >= 0x30)
			vt.state = ST_GROUND;
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
		if (++vt.str_len == 7)
			vt.state = ST_GROUND;
		break;
	}
}

static int
printable(char c)
{
	return c >= 0x20 && c < 0x7f;
}

/*
 * The bytes in a loop here, not a call per byte from fbcon.c.  A run of
 * printable ASCII in the ground state, nearly all a console ever gets, goes
 * straight to the cells: what input() would do for each byte of it, without
 * the dispatch, and the pen's colour taken once (only SGR changes it).
 */
void
vt100_write(const char *s, size_t n)
{
	uint8_t color;

	while (n > 0) {
		if (vt.state == ST_GROUND && vt.ucs_left == 0 && printable(*s)) {
			color = pen_color();
			do {
				glyph_put_color(fbcon_font.ff_ascii[(unsigned char)*s++], color);
				n--;
			} while (n > 0 && printable(*s));
			continue;
		}
		input((unsigned char)*s++);
		n--;
	}
}

void
vt100_init(uint32_t cols, uint32_t rows)
{
	memset(&vt, 0, sizeof(vt));
	vt.cols = cols;
	vt.rows = rows;
	term_reset();
}

int
vt100_cursor(uint32_t *x, uint32_t *y)
{
	*x = vt.pen.p_x;
	*y = vt.pen.p_y;
	return vt.cursor_on;
}
