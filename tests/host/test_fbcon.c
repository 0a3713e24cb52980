/*
 * test_fbcon.c: the framebuffer console (kernel/fbcon.c) drawing into a fake
 * framebuffer in memory, with the font generated from a Debian console font
 * ($(B)/font.c).  Cells are checked pixel by pixel against the font bitmap;
 * text is read back by matching cells against the font, as
 * tools/screendump.py does with a QEMU screendump.
 *
 * The fake framebuffer is exactly pitch * height pixels from malloc, so
 * AddressSanitizer catches a write outside it, and its pitch is larger than
 * its width, with the padding filled with a sentinel that must survive.
 *
 * test_ppm_dump leaves the screen in $FBCON_PPM (default
 * build/fbcon-test.ppm) with the text it holds in the same name + ".txt",
 * for checking tools/screendump.py.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <keel/fbcon.h>
#include <shared/bootinfo.h>

extern long kmalloc_stub_fail_after;	/* tests/host/kmalloc_stub.c */

#define SENTINEL	0x5a5a5a5au	/* no palette colour in any tested format */
/* 25 columns and 6 rows whatever the font, with pixels to spare. */
#define W		(25 * fbcon_font.ff_width + 3)
#define H		(6 * fbcon_font.ff_height + 4)
#define PITCH		(W + 29)

/* The Linux console's palette, written out again to test against. */
static const uint8_t rgb[16][3] = {
	{ 0x00, 0x00, 0x00 }, { 0xaa, 0x00, 0x00 }, { 0x00, 0xaa, 0x00 },
	{ 0xaa, 0x55, 0x00 }, { 0x00, 0x00, 0xaa }, { 0xaa, 0x00, 0xaa },
	{ 0x00, 0xaa, 0xaa }, { 0xaa, 0xaa, 0xaa }, { 0x55, 0x55, 0x55 },
	{ 0xff, 0x55, 0x55 }, { 0x55, 0xff, 0x55 }, { 0xff, 0xff, 0x55 },
	{ 0x55, 0x55, 0xff }, { 0xff, 0x55, 0xff }, { 0x55, 0xff, 0xff },
	{ 0xff, 0xff, 0xff },
};

static struct {
	uint32_t *px;
	uint32_t w, h, pitch;
	uint32_t format, rmask, gmask, bmask;
	uint32_t scale, cw, ch, cols, rows;
} fk;

/* A component scaled to the bits of mask, rounded: what GOP would expect. */
static uint32_t
comp(uint8_t v, uint32_t mask)
{
	uint32_t shift = 0, max;

	if (mask == 0)
		return 0;
	while (!(mask >> shift & 1))
		shift++;
	max = mask >> shift;
	return (uint32_t)((v * (uint64_t)max + 127) / 255) << shift;
}

static uint32_t
color(int i)
{
	switch (fk.format) {
	case BI_FB_RGBX:
		return rgb[i][0] | rgb[i][1] << 8 | rgb[i][2] << 16;
	case BI_FB_BGRX:
		return rgb[i][2] | rgb[i][1] << 8 | rgb[i][0] << 16;
	default:
		return comp(rgb[i][0], fk.rmask) | comp(rgb[i][1], fk.gmask) |
		    comp(rgb[i][2], fk.bmask);
	}
}

static void
fb_open(uint32_t w, uint32_t h, uint32_t pitch, uint32_t format,
    uint32_t rmask, uint32_t gmask, uint32_t bmask)
{
	uint32_t x, y, v;

	free(fk.px);
	fk.px = malloc((size_t)pitch * h * sizeof(uint32_t));
	assert_non_null(fk.px);
	for (x = 0; x < pitch * h; x++)
		fk.px[x] = SENTINEL;
	fk.w = w;
	fk.h = h;
	fk.pitch = pitch;
	fk.format = format;
	fk.rmask = rmask;
	fk.gmask = gmask;
	fk.bmask = bmask;
	fk.scale = w >= FBCON_SCALE2_WIDTH ? 2 : 1;
	fk.cw = fbcon_font.ff_width * fk.scale;
	fk.ch = fbcon_font.ff_height * fk.scale;
	fk.cols = w / fk.cw;
	fk.rows = h / fk.ch;
	assert_int_equal(fbcon_init(fk.px, w, h, pitch, format, rmask, gmask,
	    bmask), 0);
	assert_true(fbcon_present());
	/* The kernel draws later (console_flush); a test wants the screen now. */
	fbcon_flush();
	fbcon_size(&x, &y);
	assert_int_equal(x, fk.cols);
	assert_int_equal(y, fk.rows);
	/* Every visible pixel is drawn at once, in black (but the cursor). */
	for (y = 0; y < h; y++)
		for (x = 0; x < pitch; x++) {
			v = fk.px[y * pitch + x];
			if (x >= w)
				assert_int_equal(v, SENTINEL);
			else if (y < fk.ch - 2 * fk.scale || x >= fk.cw)
				assert_int_equal(v, color(0));
		}
}

static void
fb_rgbx(void)
{
	fb_open(W, H, PITCH, BI_FB_RGBX, 0, 0, 0);
}

static void
out(const char *s)
{
	fbcon_write(s, strlen(s));
}

static int
font_bit(uint32_t glyph, uint32_t x, uint32_t y)
{
	const struct fbcon_font *f = &fbcon_font;
	const uint8_t *row = f->ff_glyphs +
	    ((size_t)glyph * f->ff_height + y) * f->ff_stride;

	return row[x >> 3] >> (7 - (x & 7)) & 1;
}

static uint32_t
glyph_of(uint32_t cp)
{
	uint32_t i;

	if (cp < 128)
		return fbcon_font.ff_ascii[cp];
	for (i = 0; i < fbcon_font.ff_nmap; i++)
		if (fbcon_font.ff_map[i].fm_cp == cp)
			return fbcon_font.ff_map[i].fm_glyph;
	return 0;
}

/* What is being checked, for failure messages. */
static const char *what = "";

/* The cell shows glyph in fg on bg, with an underline cursor if cursor. */
static void
check_cell(uint32_t col, uint32_t row, uint32_t glyph, int fg, int bg,
    int cursor)
{
	uint32_t x, y, fx, fy, want, got;
	uint32_t curs = fbcon_font.ff_height - 2;

	for (y = 0; y < fk.ch; y++)
		for (x = 0; x < fk.cw; x++) {
			fx = x / fk.scale;
			fy = y / fk.scale;
			want = font_bit(glyph, fx, fy) || (cursor && fy >= curs) ?
			    color(fg) : color(bg);
			got = fk.px[(size_t)(row * fk.ch + y) * fk.pitch +
			    col * fk.cw + x];
			if (got != want)
				fail_msg("%scell %u,%u (glyph %u) pixel %u,%u: "
				    "%08x, want %08x", what, col, row, glyph, x,
				    y, got, want);
		}
}

/* Read a cell back: the printable ASCII whose glyph it shows, else '\1'. */
static char
cell_char(uint32_t col, uint32_t row)
{
	uint32_t c, x, y, bg;
	const uint32_t *p = fk.px + (size_t)row * fk.ch * fk.pitch + col * fk.cw;

	bg = color(0);
	for (c = 0x20; c < 0x7f; c++) {
		for (y = 0; y < fk.ch; y++)
			for (x = 0; x < fk.cw; x++)
				if ((p[y * fk.pitch + x] != bg) !=
				    font_bit(glyph_of(c), x / fk.scale, y / fk.scale))
					goto next;
		return c;
next:		;
	}
	return 1;
}

/* The text of a row, trailing blanks cut. */
static const char *
row_text(uint32_t row)
{
	static char buf[512];
	uint32_t i;

	assert_in_range(row, 0, fk.rows - 1);
	for (i = 0; i < fk.cols; i++)
		buf[i] = cell_char(i, row);
	while (i > 0 && buf[i - 1] == ' ')
		i--;
	buf[i] = 0;
	return buf;
}

#define ROW(r, s)	assert_string_equal(row_text(r), s)

/* n copies of c then the string tail, for expected rows. */
static const char *
rep(char c, uint32_t n, const char *tail)
{
	static char buf[512];

	memset(buf, c, n);
	snprintf(buf + n, sizeof(buf) - n, "%s", tail);
	return buf;
}

/*
 * Where the cursor is drawn: the one cell whose last two font rows are all
 * in the default foreground and whose top-left pixel is not (no letter,
 * digit or reverse-video blank looks like that).
 */
static void
check_cursor_at(uint32_t col, uint32_t row)
{
	uint32_t c, r, x, y, hits = 0;
	const uint32_t *p;

	for (r = 0; r < fk.rows; r++)
		for (c = 0; c < fk.cols; c++) {
			p = fk.px + (size_t)r * fk.ch * fk.pitch + c * fk.cw;
			if (p[0] == color(7))
				continue;
			for (y = fk.ch - 2 * fk.scale; y < fk.ch; y++)
				for (x = 0; x < fk.cw; x++)
					if (p[y * fk.pitch + x] != color(7))
						goto next;
			if (c != col || r != row)
				fail_msg("cursor at %u,%u, want %u,%u", c, r,
				    col, row);
			hits++;
next:			;
		}
	assert_int_equal(hits, 1);
}

static void
test_glyphs(void **state)
{
	uint32_t c, i;
	char s[2] = { 0, 0 };

	fb_rgbx();
	for (c = 0x20; c < 0x7f; c++) {
		s[0] = c;
		out(s);
	}
	for (c = 0x20, i = 0; c < 0x7f; c++, i++)
		check_cell(i % fk.cols, i / fk.cols, glyph_of(c), 7, 0, 0);
	/* The cursor is after the last one, on a blank. */
	check_cell(i % fk.cols, i / fk.cols, glyph_of(' '), 7, 0, 1);
	assert_int_not_equal(glyph_of('A'), glyph_of('B'));
	assert_int_not_equal(glyph_of('A'), 0);
}

struct sgr_case {
	const char *seq;
	int fg, bg;
};

static const struct sgr_case sgr_cases[] = {
	{ "", 7, 0 },
	{ "\033[31m", 1, 0 }, { "\033[32m", 2, 0 }, { "\033[33m", 3, 0 },
	{ "\033[34m", 4, 0 }, { "\033[35m", 5, 0 }, { "\033[36m", 6, 0 },
	{ "\033[37m", 7, 0 }, { "\033[30;47m", 0, 7 },
	{ "\033[41m", 7, 1 }, { "\033[42m", 7, 2 }, { "\033[43m", 7, 3 },
	{ "\033[44m", 7, 4 }, { "\033[45m", 7, 5 }, { "\033[46m", 7, 6 },
	{ "\033[1m", 15, 0 }, { "\033[1;31m", 9, 0 }, { "\033[1;34;42m", 12, 2 },
	{ "\033[1;22m", 7, 0 }, { "\033[1;92m", 10, 0 },
	{ "\033[90m", 8, 0 }, { "\033[91m", 9, 0 }, { "\033[93m", 11, 0 },
	{ "\033[97m", 15, 0 }, { "\033[100m", 7, 8 }, { "\033[101m", 7, 9 },
	{ "\033[107m", 7, 15 }, { "\033[105;94m", 12, 13 },
	{ "\033[7m", 0, 7 }, { "\033[7;31;44m", 4, 1 }, { "\033[1;7m", 0, 15 },
	{ "\033[7;27m", 7, 0 }, { "\033[35;45;39;49m", 7, 0 },
	{ "\033[31;0m", 7, 0 }, { "\033[31m\033[m", 7, 0 },
	{ "\033[38;5;3m", 3, 0 }, { "\033[48;5;12m", 7, 12 },
	{ "\033[38;5;200;31m", 1, 0 }, { "\033[38;2;1;2;3;32m", 2, 0 },
	{ "\033[4;5;3;9;31m", 1, 0 },	/* unknown attributes ignored */
};

static void
check_sgr_cases(void)
{
	size_t i;

	for (i = 0; i < sizeof(sgr_cases) / sizeof(sgr_cases[0]); i++) {
		out("\033[H\033[0m");
		out(sgr_cases[i].seq);
		out("M");
		what = sgr_cases[i].seq + 1;
		check_cell(0, 0, glyph_of('M'), sgr_cases[i].fg, sgr_cases[i].bg, 0);
		what = "";
		/* The cursor cell takes the pen's colours too, when erased. */
		out("\033[0m\033[K");
	}
}

static void
test_sgr_rgbx(void **state)
{
	fb_rgbx();
	assert_int_equal(color(9), 0x5555ff);	/* red in byte 0 */
	check_sgr_cases();
}

static void
test_sgr_bgrx(void **state)
{
	fb_open(W, H, PITCH, BI_FB_BGRX, 0, 0, 0);
	assert_int_equal(color(9), 0xff5555);
	check_sgr_cases();
}

static void
test_sgr_bitmask(void **state)
{
	/* 10 bits a colour, like a 30-bit deep-colour GOP mode. */
	fb_open(W, H, PITCH, BI_FB_BITMASK, 0x3ff00000, 0x000ffc00, 0x000003ff);
	assert_int_equal(color(3), 682u << 20 | 341u << 10);
	assert_int_equal(color(15), 0x3fffffff);
	check_sgr_cases();
	/* 5-6-5 in the low half, blue on top: masks in any order. */
	fb_open(W, H, PITCH, BI_FB_BITMASK, 0x0000001f, 0x000007e0, 0x0000f800);
	assert_int_equal(color(1), 21);		/* 0xaa * 31 / 255, rounded */
	assert_int_equal(color(15), 0xffff);
	check_sgr_cases();
}

static void
test_scroll(void **state)
{
	char line[32];
	uint32_t i;

	fb_rgbx();
	out("\033[?25l");
	for (i = 0; i < fk.rows; i++) {
		snprintf(line, sizeof(line), "%sline %u", i ? "\r\n" : "", i);
		out(line);
	}
	ROW(0, "line 0");
	ROW(fk.rows - 1, "line 5");
	out("\r\n");			/* one more line: the first goes */
	for (i = 0; i + 1 < fk.rows; i++) {
		snprintf(line, sizeof(line), "line %u", i + 1);
		ROW(i, line);
	}
	ROW(fk.rows - 1, "");
	/* The new line is blank in the pen's background, as on Linux. */
	out("\033[44m\n\033[0m");
	ROW(fk.rows - 3, "line 5");
	check_cell(3, fk.rows - 1, glyph_of(' '), 7, 4, 0);
	/* Many lines in one write. */
	out("\033[0m\033[2J\033[H");
	for (i = 0; i < 100; i++) {
		snprintf(line, sizeof(line), "n%u\r\n", i);
		out(line);
	}
	ROW(0, "n95");
	ROW(fk.rows - 2, "n99");
	ROW(fk.rows - 1, "");
}

static void
test_scroll_region(void **state)
{
	fb_rgbx();
	out("\033[?25l0\r\n1\r\n2\r\n3\r\n4\r\n5");
	out("\033[2;4r");		/* rows 2 to 4 scroll; the cursor goes home */
	out("h\033[4;1H\r\nA\r\nB");
	ROW(0, "h");
	ROW(1, "3");
	ROW(2, "A");
	ROW(3, "B");
	ROW(4, "4");
	ROW(5, "5");
	out("\033[2;1H\033M\033MC");	/* reverse index at the region's top */
	ROW(1, "C");
	ROW(2, "");
	ROW(3, "3");
	ROW(4, "4");
	out("\033[3;1H\033[L");	/* insert and delete lines in the region */
	ROW(3, "");
	ROW(4, "4");
	out("\033[M\033[M");
	ROW(2, "");
	ROW(3, "");
	ROW(4, "4");
	out("\033[6;1H\033[L");	/* outside the region: nothing */
	ROW(5, "5");
	out("\033[6;1H\n\nx");	/* below it, LF stops at the last row */
	ROW(5, "x");
	ROW(4, "4");
	out("\033[r\033[6;1H\ny");	/* the whole screen again */
	ROW(0, "C");
	ROW(5, "y");
}

static void
test_wrap(void **state)
{
	uint32_t i;

	fb_rgbx();
	out("\033[?25l");
	for (i = 0; i < fk.cols + 3; i++)
		out(i < fk.cols ? "a" : "b");
	ROW(0, rep('a', fk.cols, ""));
	ROW(1, "bbb");
	/* Deferred wrap: a full line then CR LF makes no blank line. */
	out("\033[2J\033[H");
	for (i = 0; i < fk.cols; i++)
		out("x");
	out("\r\ny");
	ROW(0, rep('x', fk.cols, ""));
	ROW(1, "y");
	ROW(2, "");
	/* Wrapping on the last row scrolls. */
	out("\033[2J\033[6;1H");
	for (i = 0; i < fk.cols; i++)
		out("z");
	ROW(fk.rows - 1, rep('z', fk.cols, ""));
	out("!");
	ROW(fk.rows - 2, rep('z', fk.cols, ""));
	ROW(fk.rows - 1, "!");
	/* Autowrap off: the last column is overwritten. */
	out("\033[2J\033[H\033[?7l");
	for (i = 0; i < fk.cols + 5; i++)
		out(i < fk.cols + 4 ? "q" : "Q");
	ROW(0, rep('q', fk.cols - 1, "Q"));
	ROW(1, "");
	out("\033[?7h");
}

static void
test_cursor_moves(void **state)
{
	fb_rgbx();
	out("\033[3;5HA");		/* row 3, column 5, one-based */
	check_cursor_at(5, 2);
	out("\033[2AB");
	check_cursor_at(6, 0);
	out("\033[10AC");		/* clamped at the top */
	check_cursor_at(7, 0);
	out("\033[BD\033[3CE\033[4DF");
	check_cursor_at(9, 1);
	out("\033[?25l");
	ROW(0, "     BC");
	ROW(1, "       DF  E");
	ROW(2, "    A");
	out("\033[?25h\033[999;999H");
	check_cursor_at(fk.cols - 1, fk.rows - 1);
	out("\033[2J\033[HG\033[;3fH\033[2;fI");
	out("\033[?25l");
	ROW(0, "G H");
	ROW(1, "I");
	out("\033[?25h\033[4;10H\033[s\033[H\033[u");
	check_cursor_at(9, 3);
	out("\033[5;2H\0337\033[H\0338");
	check_cursor_at(1, 4);
	out("\033[20G");
	check_cursor_at(19, 4);
	out("\033[2d");
	check_cursor_at(19, 1);
	out("\033[E");
	check_cursor_at(0, 2);
	out("\033[5C\033[F");
	check_cursor_at(0, 1);
	out("\033[0A\033[0C");		/* 0 means 1 */
	check_cursor_at(1, 0);
	out("\033[H\033M");		/* reverse index at the top scrolls down */
	out("\033[?25l");
	ROW(0, "");
	ROW(1, "G H");
	/* Saved attributes come back with ESC 8. */
	out("\033[H\033[31m\0337\033[0mx\0338y");
	check_cell(0, 0, glyph_of('y'), 1, 0, 0);
	out("\033[0m");
	/* A cursor move, erase, delete and insert do not draw the cursor
	   when it is hidden. */
	out("\033[3;3H\033[K\033[P\033[@");
	assert_int_equal(cell_char(2, 2), ' ');
}

static void
test_cursor_drawn(void **state)
{
	fb_rgbx();
	check_cell(0, 0, glyph_of(' '), 7, 0, 1);
	out("ab");
	check_cell(0, 0, glyph_of('a'), 7, 0, 0);
	check_cell(1, 0, glyph_of('b'), 7, 0, 0);
	check_cell(2, 0, glyph_of(' '), 7, 0, 1);
	out("\b");
	check_cell(1, 0, glyph_of('b'), 7, 0, 1);
	check_cell(2, 0, glyph_of(' '), 7, 0, 0);
	out("\033[?25l");
	check_cell(1, 0, glyph_of('b'), 7, 0, 0);
	out("\033[?25h\r\n");
	check_cell(1, 0, glyph_of('b'), 7, 0, 0);
	check_cell(0, 1, glyph_of(' '), 7, 0, 1);
	/* Drawn in the colours the cell has. */
	out("\033[32mg\b");
	check_cell(0, 1, glyph_of('g'), 2, 0, 1);
	/* At the right edge with a wrap pending, it stays on the last column. */
	out("\033[0m\033[H\033[2J");
	out("0123456789012345678901234");
	check_cursor_at(fk.cols - 1, 0);
}

static void
test_clear(void **state)
{
	uint32_t r;
	char full[64], want[64];

	fb_rgbx();
	snprintf(full, sizeof(full), "%s", rep('x', fk.cols, ""));
	out("\033[?25l");
#define FILL() do {							\
	out("\033[H");							\
	for (r = 0; r < fk.rows * fk.cols; r++)				\
		out(r + 1 < fk.rows * fk.cols ? "x" : "\033[?7lx\033[?7h"); \
} while (0)
	FILL();
	out("\033[3;5H\033[J");
	ROW(1, full);
	ROW(2, "xxxx");
	ROW(3, "");
	ROW(fk.rows - 1, "");
	FILL();
	out("\033[3;5H\033[1J");
	ROW(1, "");
	ROW(2, rep(' ', 5, full + 5));
	ROW(3, full);
	FILL();
	out("\033[3;5H\033[2J");
	for (r = 0; r < fk.rows; r++)
		ROW(r, "");
	FILL();
	out("\033[3;5H\033[K");
	ROW(2, "xxxx");
	ROW(1, full);
	ROW(3, full);
	out("\033[4;5H\033[1K");
	ROW(3, rep(' ', 5, full + 5));
	out("\033[5;5H\033[2K");
	ROW(4, "");
	out("\033[6;3H\033[3X");
	snprintf(want, sizeof(want), "xx   %s", full + 5);
	ROW(5, want);
	out("\033[2;3H\033[2P");
	ROW(1, full + 2);
	out("\033[2;1H\033[3@");
	ROW(1, rep(' ', 3, full + 3));
	out("\033[H\033[2J\033[Hone\r\ntwo\r\nthree\033[2;1H\033[L");
	ROW(0, "one");
	ROW(1, "");
	ROW(2, "two");
	ROW(3, "three");
	out("\033[M\033[M");
	ROW(1, "three");
	ROW(2, "");
	/* Erase uses the pen's background. */
	out("\033[44m\033[2J\033[0m");
	check_cell(7, 3, glyph_of(' '), 7, 4, 0);
	/* ESC c: everything back to the start, the cursor shown again. */
	out("\033[31;1mabc\033c");
	check_cell(0, 0, glyph_of(' '), 7, 0, 1);
	check_cell(1, 0, glyph_of(' '), 7, 0, 0);
	check_cell(7, 3, glyph_of(' '), 7, 0, 0);
	out("d");
	check_cell(0, 0, glyph_of('d'), 7, 0, 0);
#undef FILL
}

static void
test_tab_bs_cr_lf(void **state)
{
	fb_rgbx();
	out("\033[?25l");
	out("a\tb\tc");
	ROW(0, "a       b       c");
	out("\t\t\td");			/* no stop left: the last column */
	ROW(0, "a       b       c       d");
	out("\r\n1234\b\bX\b\b\b\b\bY");	/* BS stops at column 0 */
	ROW(1, "Y2X4");
	out("\rZ\nW");			/* LF only moves down */
	ROW(1, "Z2X4");
	ROW(2, " W");
	out("\a\016\017\001\177");		/* BEL, SO, SI, SOH, DEL: nothing */
	out("V");
	ROW(2, " WV");
	out("\013u\014t");		/* VT and FF are line feeds */
	ROW(3, "   u");
	ROW(4, "    t");
}

static void
test_utf8(void **state)
{
	uint32_t box = glyph_of(0x250c), h = glyph_of(0x2500);

	fb_rgbx();
	out("\033[?25l");
	assert_int_not_equal(box, 0);
	assert_int_not_equal(h, 0);
	out("\xe2\x94\x8c\xe2\x94\x80" "\xc3\xa9");	/* ┌─é */
	check_cell(0, 0, box, 7, 0, 0);
	check_cell(1, 0, h, 7, 0, 0);
	check_cell(2, 0, glyph_of(0xe9), 7, 0, 0);
	/* Malformed: a lone continuation, an overlong '/', a surrogate, a cut
	   sequence, a code point the font lacks; each is one fallback. */
	out("\r\n\x80|\xc0\xaf|\xed\xa0\x80|\xe2\x94z|\xf0\x9f\x98\x80|");
	check_cell(0, 1, 0, 7, 0, 0);
	check_cell(1, 1, glyph_of('|'), 7, 0, 0);
	check_cell(2, 1, 0, 7, 0, 0);	/* \xc0 */
	check_cell(3, 1, 0, 7, 0, 0);	/* \xaf */
	check_cell(4, 1, glyph_of('|'), 7, 0, 0);
	check_cell(5, 1, 0, 7, 0, 0);	/* decoded, but a surrogate */
	check_cell(6, 1, glyph_of('|'), 7, 0, 0);
	check_cell(7, 1, 0, 7, 0, 0);	/* cut short by 'z' */
	check_cell(8, 1, glyph_of('z'), 7, 0, 0);
	check_cell(10, 1, 0, 7, 0, 0);	/* U+1F600 */
	check_cell(11, 1, glyph_of('|'), 7, 0, 0);
	/* Overlong three- and four-byte forms of '/' are one fallback each. */
	out("\xe0\x80\xaf|\xf0\x80\x80\xaf|");
	check_cell(12, 1, 0, 7, 0, 0);
	check_cell(13, 1, glyph_of('|'), 7, 0, 0);
	check_cell(14, 1, 0, 7, 0, 0);
	check_cell(15, 1, glyph_of('|'), 7, 0, 0);
	/* A control drops an unfinished sequence, without a fallback. */
	out("\r\n\r\n\xe2\x94\rb");
	check_cell(0, 3, glyph_of('b'), 7, 0, 0);
	check_cell(1, 3, glyph_of(' '), 7, 0, 0);
	/* A sequence split across writes still decodes. */
	out("\r\n\xe2");
	out("\x94");
	out("\x80");
	check_cell(0, 4, h, 7, 0, 0);
}

/* What a program may emit and we do not do: swallowed, never printed. */
static void
test_swallowed(void **state)
{
	static const char *seqs[] = {
		"\033[99999999999m", "\033[4294967303m",	/* 2^32 + 7 */
		"\033[99999999999;99999999999H",
		"\033]0;a window title\a", "\033]2;title\033\\",
		"\033]P0ffffff", "\033P+q436f\033\\", "\033_apc\033\\",
		"\033(B", "\033)0", "\033#8", "\033%G", "\033=", "\033>",
		"\033[?1049h", "\033[?1h", "\033[2 q", "\033[>c", "\033[6n",
		"\033[7?m", "\033[7$m", "\033[1;1r", "\033[5;99r", "\033[=5h",
		/* The 17th parameter on are dropped (or b would be in blue). */
		"\033[0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;44;44;44m",
		"\033[;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;m",
		"\033[12;\030", "\033[12;\032", "\033[1\033[m", "\033\033\033[m",
		"\033]R", "\033]P0aabbcc", "\033]P0a\033\\", "\033[\302\251m",
		"\033[?25;1;2$p", "\033[4h", "\033[20l", "\033[3g", "\033H",
	};
	size_t i;
	char want[8];

	fb_rgbx();
	out("\033[?25l");
	for (i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
		out("\033[H\033[2J\033[0m\033[?25l\033[H");
		out("a");
		out(seqs[i]);
		out("b");
		out("\033[0m\033[?25l\033[?7h");
		snprintf(want, sizeof(want), "%s", "ab");
		if (strcmp(seqs[i], "\033[99999999999;99999999999H") == 0)
			snprintf(want, sizeof(want), "a");
		if (strcmp(row_text(0), want) != 0)
			fail_msg("sequence %zu (\\033%s) left \"%s\"", i,
			    seqs[i] + 1, row_text(0));
	}
	/* An OSC string is cut by a newline rather than swallow the screen. */
	out("\033[2J\033[H\033]0;unterminated\r\nok");
	ROW(0, "");
	ROW(1, "ok");
}

static uint64_t rng_state = 88172645463325252ULL;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Random bytes, weighted toward what escapes are made of. */
static void
test_garbage(void **state)
{
	static const char alphabet[] = "\033\033\033[[[;;;0123456789?HJKmABCDsu78c"
	    "\r\n\t\b\a]\\P@LMXdfGEF ~\x18\x1a\xc3\xe2\x94\x80\xff";
	char buf[256];
	uint32_t round, i, x, y;
	uint64_t r;

	fb_open(W, H, PITCH, BI_FB_BGRX, 0, 0, 0);
	for (round = 0; round < 4000; round++) {
		for (i = 0; i < sizeof(buf); i++) {
			r = rng();
			buf[i] = r & 1 ? alphabet[(r >> 8) % (sizeof(alphabet) - 1)] :
			    (char)(r >> 16);
		}
		fbcon_write(buf, sizeof(buf));
	}
	/* The padding of each scan line was never written. */
	for (y = 0; y < fk.h; y++)
		for (x = fk.w; x < fk.pitch; x++)
			assert_int_equal(fk.px[y * fk.pitch + x], SENTINEL);
	/* Whatever state it was left in, this brings it back. */
	out("\030\033c\033[?25lok");
	ROW(0, "ok");
	for (y = 1; y < fk.rows; y++)
		ROW(y, "");
}

static void
test_scale2(void **state)
{
	/* A HiDPI panel: each font pixel is 2x2, the grid half as wide. */
	fb_open(2560, 6 * fbcon_font.ff_height + 4, 2600, BI_FB_BGRX, 0, 0, 0);
	assert_int_equal(fk.cols, 2560 / (2 * fbcon_font.ff_width));
	assert_int_equal(fk.rows, 3);
	out("\033[1;31mHi\033[0m");
	check_cell(0, 0, glyph_of('H'), 9, 0, 0);
	check_cell(1, 0, glyph_of('i'), 9, 0, 0);
	check_cell(2, 0, glyph_of(' '), 7, 0, 1);
	out("\r\n\n\n\n");
	check_cell(0, 0, glyph_of(' '), 7, 0, 0);
	fb_open(2559, 2 * fbcon_font.ff_height, 2559, BI_FB_RGBX, 0, 0, 0);
	assert_int_equal(fk.scale, 1);
}

static void
test_init_errors(void **state)
{
	static uint32_t px[64 * 64];
	uint32_t cols, rows;

	assert_int_equal(fbcon_init(px, 64, 64, 64, BI_FB_NONE, 0, 0, 0), -22);
	assert_int_equal(fbcon_init(px, 64, 64, 64, 99, 0, 0, 0), -22);
	assert_int_equal(fbcon_init(px, 64, 64, 64, BI_FB_BITMASK, 0, 0, 0), -22);
	assert_int_equal(fbcon_init(px, 64, 64, 63, BI_FB_RGBX, 0, 0, 0), -22);
	assert_int_equal(fbcon_init(NULL, 64, 64, 64, BI_FB_RGBX, 0, 0, 0), -22);
	assert_int_equal(fbcon_init(px, fbcon_font.ff_width - 1, 64, 64,
	    BI_FB_RGBX, 0, 0, 0), -22);
	assert_int_equal(fbcon_init(px, 64, fbcon_font.ff_height - 1, 64,
	    BI_FB_RGBX, 0, 0, 0), -22);
	kmalloc_stub_fail_after = 0;
	assert_int_equal(fbcon_init(px, 64, 64, 64, BI_FB_RGBX, 0, 0, 0), -12);
	kmalloc_stub_fail_after = -1;
	assert_false(fbcon_present());
	fbcon_size(&cols, &rows);
	assert_int_equal(cols, 0);
	assert_int_equal(rows, 0);
	out("not drawn");		/* no console: nothing happens */
	fbcon_putc('x');
	/* The smallest screen: one cell. */
	assert_int_equal(fbcon_init(px, fbcon_font.ff_width,
	    fbcon_font.ff_height, 64, BI_FB_RGBX, 0, 0, 0), 0);
	out("abc\r\n\033[5;5Hd\033[1@\033[3P\033[2L\033[9M\tz\b");
	fbcon_size(&cols, &rows);
	assert_int_equal(cols, 1);
	assert_int_equal(rows, 1);
}

static void
write_ppm(const char *path)
{
	FILE *f = fopen(path, "wb");
	uint32_t x, y, v;

	if (f == NULL) {
		print_message("test_fbcon: cannot write %s, skipped\n", path);
		return;
	}
	fprintf(f, "P6\n%u %u\n255\n", fk.w, fk.h);
	for (y = 0; y < fk.h; y++)
		for (x = 0; x < fk.w; x++) {
			v = fk.px[y * fk.pitch + x];	/* RGBX */
			fputc(v & 0xff, f);
			fputc(v >> 8 & 0xff, f);
			fputc(v >> 16 & 0xff, f);
		}
	fclose(f);
}

/* A screen for tools/screendump.py to read back, as QEMU would dump it. */
static void
test_ppm_dump(void **state)
{
	static const char *lines[] = {
		"keel 0.1 fbcon test screen",
		" reverse   yellow on blue   bright red",
		"ASCII: !\"#$%&'()*+,-./0123456789:;<=>?@[\\]^_`{|}~",
		"        TAB",
		"The quick brown fox jumps over the lazy dog.",
		"",
	};
	const char *path = getenv("FBCON_PPM");
	char txt[512];
	FILE *f;
	uint32_t r;

	if (path == NULL)
		path = "build/fbcon-test.ppm";
	/* 80x12, as if in a window. */
	fb_open(80 * fbcon_font.ff_width, 12 * fbcon_font.ff_height + 8,
	    80 * fbcon_font.ff_width + 32, BI_FB_RGBX, 0, 0, 0);
	out("keel 0.1 \033[1;32mfbcon\033[0m test screen\r\n"
	    "\033[7m reverse \033[0m \033[1;33;44m yellow on blue \033[0m"
	    "  \033[91mbright red\033[0m\r\n"
	    "ASCII: !\"#$%&'()*+,-./0123456789:;<=>?@[\\]^_`{|}~\r\n"
	    "\tTAB\r\n"
	    "The quick brown fox jumps over the lazy dog.\r\n");
	ROW(0, lines[0]);
	ROW(2, lines[2]);
	ROW(3, lines[3]);
	ROW(4, lines[4]);
	check_cursor_at(0, 5);
	write_ppm(path);
	snprintf(txt, sizeof(txt), "%s.txt", path);
	f = fopen(txt, "w");
	if (f == NULL)
		return;
	for (r = 0; r < fk.rows; r++)
		fprintf(f, "%s\n", r < 6 ? lines[r] : "");
	fclose(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_glyphs),
		cmocka_unit_test(test_sgr_rgbx),
		cmocka_unit_test(test_sgr_bgrx),
		cmocka_unit_test(test_sgr_bitmask),
		cmocka_unit_test(test_scroll),
		cmocka_unit_test(test_scroll_region),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_cursor_moves),
		cmocka_unit_test(test_cursor_drawn),
		cmocka_unit_test(test_clear),
		cmocka_unit_test(test_tab_bs_cr_lf),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_swallowed),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_scale2),
		cmocka_unit_test(test_init_errors),
		cmocka_unit_test(test_ppm_dump),
	};
	int rc;

	rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(fk.px);
	return rc;
}
