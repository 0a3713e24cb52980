#!/usr/bin/env python3
"""psf2c.py: turn a PC Screen Font (PSF1 or PSF2, gzip'd or not) into the C
source of the kernel console's font, struct fbcon_font (kernel/fbcon.h).

Usage:
    python3 tools/psf2c.py FONT.psf[u][.gz] > build/font.c
    python3 tools/psf2c.py --show TEXT FONT     # print TEXT as ASCII art

The console fonts come from a Debian package (console-setup-linux) at build
time, so neither the font nor the generated file is committed.

What is kept: printable ASCII, Latin-1, box drawing, block elements and a
few symbols a shell or a TUI prints (arrows, bullets, quotes), each only if
the font has it, plus glyph 0, the fallback drawn for everything else (the
font's U+FFFD if it has one, else a hollow box).  Identical glyphs are
emitted once.  A font without a Unicode table gives ASCII only, taken to
be at its own code points, which holds in every PC font.

Bitmaps stay as in PSF: ff_stride bytes a row, ff_height rows a glyph, the
leftmost pixel in the top bit of the first byte.
"""
import gzip
import struct
import sys

PSF1_MAGIC = b"\x36\x04"
PSF1_MODE512 = 0x01
PSF1_MODEHASTAB = 0x02
PSF1_MODESEQ = 0x04
PSF1_SEPARATOR = 0xFFFF
PSF1_STARTSEQ = 0xFFFE

PSF2_MAGIC = b"\x72\xb5\x4a\x86"
PSF2_HAS_UNICODE_TABLE = 0x01
PSF2_SEPARATOR = 0xFF
PSF2_STARTSEQ = 0xFE

# Code points worth a glyph, beyond ASCII.
EXTRA_RANGES = [
    (0x00A0, 0x00FF),	# Latin-1: accented letters, degree, section, ...
    (0x2010, 0x2027),	# dashes, quotes, bullet, ellipsis
    (0x2190, 0x2195),	# arrows
    (0x2500, 0x259F),	# box drawing and block elements
    (0x25A0, 0x25CF),	# squares, triangles, circles
    (0x2713, 0x2713),	# check mark
    (0xFFFD, 0xFFFD),	# the replacement character itself
]


class Font:
    def __init__(self, width, height, glyphs, umap):
        self.width = width
        self.height = height
        self.stride = (width + 7) // 8
        self.glyphs = glyphs	# list of bytes, stride*height each
        self.umap = umap	# code point -> glyph index in the PSF

    def glyph_for(self, cp):
        if self.umap is None:
            # Past ASCII, a table-less font's order is anyone's guess (CP437?).
            return cp if cp < 0x80 else None
        return self.umap.get(cp)


def parse_psf1(data):
    mode, charsize = data[2], data[3]
    n = 512 if mode & PSF1_MODE512 else 256
    off = 4
    glyphs = [data[off + i * charsize: off + (i + 1) * charsize] for i in range(n)]
    if len(glyphs[-1]) != charsize:
        raise ValueError("PSF1: file shorter than its %d glyphs" % n)
    off += n * charsize
    umap = None
    if mode & (PSF1_MODEHASTAB | PSF1_MODESEQ):
        umap = {}
        glyph, inseq = 0, False
        while off + 2 <= len(data) and glyph < n:
            (u,) = struct.unpack_from("<H", data, off)
            off += 2
            if u == PSF1_SEPARATOR:
                glyph, inseq = glyph + 1, False
            elif u == PSF1_STARTSEQ:
                inseq = True	# combining sequences: not drawn here
            elif not inseq:
                umap.setdefault(u, glyph)
    return Font(8, charsize, glyphs, umap)


def parse_psf2(data):
    (version, headersize, flags, n, charsize, height,
     width) = struct.unpack_from("<7I", data, 4)
    stride = (width + 7) // 8
    if version != 0 or charsize != stride * height or n == 0:
        raise ValueError("PSF2: unexpected header (version %d, %dx%d, "
                         "charsize %d)" % (version, width, height, charsize))
    off = headersize
    glyphs = [data[off + i * charsize: off + (i + 1) * charsize] for i in range(n)]
    if len(glyphs[-1]) != charsize:
        raise ValueError("PSF2: file shorter than its %d glyphs" % n)
    off += n * charsize
    umap = None
    if flags & PSF2_HAS_UNICODE_TABLE:
        umap = {}
        for glyph in range(n):
            end = data.index(bytes([PSF2_SEPARATOR]), off)
            entry = data[off:end]
            off = end + 1
            single = entry.split(bytes([PSF2_STARTSEQ]))[0]
            for ch in single.decode("utf-8", errors="ignore"):
                umap.setdefault(ord(ch), glyph)
    return Font(width, height, glyphs, umap)


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data[:2] == PSF1_MAGIC:
        return parse_psf1(data)
    if data[:4] == PSF2_MAGIC:
        return parse_psf2(data)
    raise ValueError("%s: not a PSF1 or PSF2 font" % path)


def hollow_box(font):
    """A rectangle one pixel inside the cell: the fallback of last resort."""
    rows = []
    top, bottom = font.height // 8, font.height - 1 - font.height // 8
    for y in range(font.height):
        bits = 0
        for x in range(1, font.width - 1):
            if y in (top, bottom) or (top < y < bottom and x in (1, font.width - 2)):
                bits |= 1 << (font.stride * 8 - 1 - x)
        rows.append(bits.to_bytes(font.stride, "big"))
    return b"".join(rows)


def select(font):
    """Glyph 0 is the fallback; returns (bitmaps, {code point: index})."""
    fb = font.glyph_for(0xFFFD)
    bitmaps = [font.glyphs[fb] if fb is not None else hollow_box(font)]
    index = {bitmaps[0]: 0}
    cmap = {}
    cps = list(range(0x20, 0x7F))
    for lo, hi in EXTRA_RANGES:
        cps += range(lo, hi + 1)
    for cp in cps:
        g = font.glyph_for(cp)
        if g is None:
            if cp < 0x7F:
                print("psf2c: warning: no glyph for U+%04X" % cp, file=sys.stderr)
            continue
        bm = font.glyphs[g]
        if bm not in index:
            index[bm] = len(bitmaps)
            bitmaps.append(bm)
        cmap[cp] = index[bm]
    return bitmaps, cmap


def cname(cp):
    if 0x20 <= cp < 0x7F and chr(cp) not in "\\*/":
        return "'%s'" % chr(cp)
    return ""


def emit(path, font, out):
    bitmaps, cmap = select(font)
    names = {}
    for cp in sorted(cmap):
        names.setdefault(cmap[cp], "U+%04X %s" % (cp, cname(cp)))
    names[0] = "fallback"
    w = out.write
    w("/*\n * font.c: GENERATED by tools/psf2c.py from %s; do not edit.\n"
      " * The font's licence is in /usr/share/doc/console-setup-linux/.\n"
      " */\n" % path.rsplit("/", 1)[-1])
    w('#include <keel/fbcon.h>\n\n')
    w("static const uint8_t glyphs[%d * %d] = {\n" % (len(bitmaps), len(bitmaps[0])))
    for i, bm in enumerate(bitmaps):
        w("\t/* %d: %s */\n" % (i, names[i].rstrip()))
        for off in range(0, len(bm), 16):
            w("\t" + " ".join("0x%02x," % b for b in bm[off:off + 16]) + "\n")
    w("};\n\n")
    # Glyph 0 needs no entry: it is what a failed look-up draws.
    extra = [(cp, g) for cp, g in sorted(cmap.items()) if cp >= 0x80 and g]
    w("static const struct fbcon_font_map map[%d] = {\n" % max(len(extra), 1))
    for cp, g in extra:
        w("\t{ 0x%04x, %d },\n" % (cp, g))
    if not extra:
        w("\t{ 0, 0 },\n")
    w("};\n\n")
    w("const struct fbcon_font fbcon_font = {\n")
    w("\t.ff_width = %d,\n\t.ff_height = %d,\n\t.ff_stride = %d,\n"
      % (font.width, font.height, font.stride))
    w("\t.ff_nglyphs = %d,\n\t.ff_glyphs = glyphs,\n" % len(bitmaps))
    w("\t.ff_ascii = {\n")
    for lo in range(0, 128, 16):
        w("\t\t" + " ".join("%d," % cmap.get(cp, 0) for cp in range(lo, lo + 16)) + "\n")
    w("\t},\n")
    w("\t.ff_map = map,\n\t.ff_nmap = %d,\n};\n" % len(extra))


def show(font, text):
    bitmaps, cmap = select(font)
    for y in range(font.height):
        line = ""
        for ch in text:
            bm = bitmaps[cmap.get(ord(ch), 0)]
            row = int.from_bytes(bm[y * font.stride:(y + 1) * font.stride], "big")
            for x in range(font.width):
                line += "#" if row >> (font.stride * 8 - 1 - x) & 1 else "."
        print(line)


def main(argv):
    if len(argv) == 4 and argv[1] == "--show":
        show(load(argv[3]), argv[2])
        return 0
    if len(argv) != 2 or argv[1].startswith("-"):
        print("usage: psf2c.py FONT.psf[.gz] > font.c\n"
              "       psf2c.py --show TEXT FONT.psf[.gz]", file=sys.stderr)
        return 2
    try:
        font = load(argv[1])
    except (OSError, ValueError) as e:
        print("psf2c: %s" % e, file=sys.stderr)
        return 1
    if font.width > 32 or font.height > 64:
        print("psf2c: %dx%d is larger than fbcon draws (32x64)"
              % (font.width, font.height), file=sys.stderr)
        return 1
    emit(argv[1], font, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
