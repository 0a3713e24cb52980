#!/usr/bin/env python3
"""screendump.py: read the text off a screenshot of the kernel's framebuffer
console (kernel/fbcon.c), and turn the screenshot into a PNG.

Usage:
    python3 tools/screendump.py [--font F] [--scale N] [--png OUT.png]
                                [--no-text] SCREEN.ppm

SCREEN.ppm is a binary PPM (P6), as QEMU's monitor writes with
`screendump SCREEN.ppm`.  Each character cell of the console's grid (from
the top-left corner, cells of the font's size times the scale fbcon picks:
2 on screens 2560 pixels wide or wider) is matched against the same font
fbcon was built with: a pixel is foreground when it differs from the cell's
background, the colour most of the cell has, so any colours read.  A cell
that matches no glyph prints as U+FFFD; a cell under the cursor (an
underline) matches with its last two font rows ignored.  A cell of one
colour reads as a blank (a full block looks the same).  Rows are printed
with trailing blanks cut, one line per text row.

--png writes the screenshot as a PNG with nothing but zlib, for a README.
"""
import argparse
import os
import struct
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import psf2c  # noqa: E402

DEFAULT_FONT = "/usr/share/consolefonts/Uni2-VGA16.psf.gz"
SCALE2_WIDTH = 2560	# kernel/fbcon.h FBCON_SCALE2_WIDTH
CURSOR_ROWS = 2		# kernel/fbcon.c: an underline two font rows high
UNKNOWN = "\ufffd"


def read_ppm(path):
    """Returns (width, height, pixels): pixels is bytes, RGB, row-major."""
    with open(path, "rb") as f:
        data = f.read()
    fields, pos = [], 0
    while len(fields) < 4:
        while pos < len(data) and data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while end < len(data) and not data[end:end + 1].isspace():
            end += 1
        if end == pos:
            raise ValueError("%s: truncated PPM header" % path)
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P6":
        raise ValueError("%s: not a binary PPM (P6)" % path)
    width, height, maxval = (int(x) for x in fields[1:])
    if maxval != 255:
        raise ValueError("%s: maxval %d, only 255 is read" % (path, maxval))
    pos += 1		# the single whitespace byte before the raster
    pixels = data[pos:pos + width * height * 3]
    if len(pixels) != width * height * 3:
        raise ValueError("%s: raster shorter than %dx%d" % (path, width, height))
    return width, height, pixels


def write_png(path, width, height, pixels):
    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body +
                struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff))

    stride = width * 3
    raw = b"".join(b"\0" + pixels[y * stride:(y + 1) * stride]
                   for y in range(height))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


class Matcher:
    """Bitmaps of the font's glyphs, as row tuples, to the characters they draw."""

    def __init__(self, font):
        self.font = font
        bitmaps, cmap = psf2c.select(font)
        self.exact, self.nocursor = {}, {}
        keep = font.height - CURSOR_ROWS
        # Where glyphs look alike (a font may draw U+2500 and U+2014 the
        # same), ASCII wins, then box drawing, then the lowest code point.
        def rank(cp):
            return (cp >= 0x80, not 0x2500 <= cp <= 0x259f, cp)
        for cp in sorted(cmap, key=rank):
            rows = self.rows_of(bitmaps[cmap[cp]])
            self.exact.setdefault(rows, chr(cp))
            self.nocursor.setdefault(rows[:keep], chr(cp))
        blank = (0,) * font.height
        self.exact.setdefault(blank, " ")
        self.nocursor.setdefault(blank[:keep], " ")

    def rows_of(self, bitmap):
        s = self.font.stride
        shift = s * 8 - self.font.width
        return tuple(int.from_bytes(bitmap[y * s:(y + 1) * s], "big") >> shift
                     for y in range(self.font.height))

    def match(self, rows):
        keep = self.font.height - CURSOR_ROWS
        if rows in self.exact:
            return self.exact[rows]
        return self.nocursor.get(rows[:keep])


def decode(width, height, pixels, matcher, scale):
    font = matcher.font
    cw, ch = font.width * scale, font.height * scale
    cols, nrows = width // cw, height // ch
    lines = []
    for r in range(nrows):
        line = ""
        for c in range(cols):
            # The font's pixels: the top-left screen pixel of each scale^2.
            px = [[pixels[((r * ch + y * scale) * width + c * cw + x * scale) * 3:
                          ((r * ch + y * scale) * width + c * cw + x * scale) * 3 + 3]
                   for x in range(font.width)] for y in range(font.height)]
            counts = {}
            for row in px:
                for p in row:
                    counts[p] = counts.get(p, 0) + 1
            bg = max(counts, key=counts.get)
            rows = tuple(sum(1 << (font.width - 1 - x)
                             for x in range(font.width) if px[y][x] != bg)
                         for y in range(font.height))
            ch_ = matcher.match(rows)
            if ch_ is None:
                # Mostly foreground (a block glyph): the other colour is bg.
                others = [p for p in counts if p != bg]
                if len(others) == 1:
                    inv = tuple(sum(1 << (font.width - 1 - x)
                                    for x in range(font.width)
                                    if px[y][x] != others[0])
                                for y in range(font.height))
                    ch_ = matcher.match(inv)
            line += ch_ if ch_ is not None else UNKNOWN
        lines.append(line.rstrip(" "))
    return lines


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("ppm")
    ap.add_argument("--font", default=DEFAULT_FONT,
                    help="the PSF font fbcon was built with (default %(default)s)")
    ap.add_argument("--scale", type=int, default=0,
                    help="screen pixels per font pixel (default: as fbcon picks)")
    ap.add_argument("--png", help="also write the screenshot as this PNG")
    ap.add_argument("--no-text", action="store_true", help="print no text")
    a = ap.parse_args(argv[1:])
    try:
        width, height, pixels = read_ppm(a.ppm)
        if a.png:
            write_png(a.png, width, height, pixels)
        if a.no_text:
            return 0
        matcher = Matcher(psf2c.load(a.font))
    except (OSError, ValueError) as e:
        print("screendump: %s" % e, file=sys.stderr)
        return 1
    scale = a.scale or (2 if width >= SCALE2_WIDTH else 1)
    for line in decode(width, height, pixels, matcher, scale):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
