#!/usr/bin/env python3
"""fuzz-seeds.py: write the seed corpus of the libFuzzer harnesses.

Usage: tools/fuzz-seeds.py [DIR]   (default tests/fuzz/corpus)

Writes DIR/<harness>/<seed> for every harness in tests/fuzz/: small, valid
inputs built here from the formats' specifications (no third-party
binaries), so the fuzzers start past the magic numbers and checksums.  The
output is deterministic: rerunning it rewrites the same bytes, so the
checked-in corpus can be regenerated and compared.
"""
import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PAGE = 4096
KERNEL_BASE = 0xffffffff80000000

# ---- ELF (lib/elf64.h) ----
PT_LOAD, PT_INTERP, PT_PHDR, PT_TLS, PT_GNU_STACK = 1, 3, 6, 7, 0x6474e551
PF_X, PF_W, PF_R = 1, 2, 4
ET_EXEC, ET_DYN = 2, 3


def ehdr(etype, entry, phnum, phoff=64):
    ident = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    return ident + struct.pack("<HHIQQQIHHHHHH", etype, 62, 1, entry, phoff, 0, 0,
                               64, 56, phnum, 64, 0, 0)


def phdr(ptype, flags, offset, vaddr, filesz, memsz, align=PAGE):
    return struct.pack("<IIQQQQQQ", ptype, flags, offset, vaddr, vaddr, filesz,
                       memsz, align)


def elf_file(etype, entry, phdrs, size):
    """Headers, then a recognisable filler up to size bytes."""
    b = ehdr(etype, entry, len(phdrs)) + b"".join(phdrs)
    assert len(b) <= size
    return b + bytes((i * 7 + 1) & 0xff for i in range(size - len(b)))


def kelf_seeds():
    kb = KERNEL_BASE
    yield "two-segments", elf_file(ET_EXEC, kb + 0x100, [
        phdr(PT_LOAD, PF_R | PF_X, 0, kb, 0x180, 0x180),
        phdr(PT_LOAD, PF_R | PF_W, 0x180, kb + 0x1000, 0x80, 0x2000),
        phdr(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16),
    ], 0x200)
    # With the KASLR relocation table tools/relocs.py appends (lib/kelf.h).
    elf = elf_file(ET_EXEC, kb + 0x100, [
        phdr(PT_LOAD, PF_R | PF_X, 0, kb, 0x180, 0x180),
        phdr(PT_LOAD, PF_R | PF_W, 0x180, kb + 0x1000, 0x80, 0x2000),
    ], 0x200)
    sites64, sites32 = [0x1000, 0x1010], [0x104, 0x140, 0x2ffc]
    table = struct.pack("<II", len(sites64), len(sites32))
    table += b"".join(struct.pack("<I", s) for s in sites64 + sites32)
    yield "relocs", elf + table + struct.pack("<Q", len(elf)) + b"KEELRELO"
    yield "three-segments", elf_file(ET_EXEC, kb + 0x1010, [
        phdr(PT_LOAD, PF_R, 0, kb, 0x100, 0x100),
        phdr(PT_LOAD, PF_R | PF_X, 0x100, kb + 0x1000, 0x100, 0x100),
        phdr(PT_LOAD, PF_R | PF_W, 0x200, kb + 0x2000, 0x40, 0x5000),
        phdr(0, 0, 0, 0, 0, 0, 0),
    ], 0x240)


def uelf_seeds():
    # ET_EXEC: headers in a read-only segment, PT_PHDR, text, data with TLS.
    n = 7
    yield "static", elf_file(ET_EXEC, 0x401200, [
        phdr(PT_PHDR, PF_R, 64, 0x400040, 56 * n, 56 * n, 8),
        phdr(PT_LOAD, PF_R, 0, 0x400000, 0x200, 0x200),
        phdr(PT_LOAD, PF_R | PF_X, 0x200, 0x401200, 0x100, 0x100),
        phdr(PT_LOAD, PF_R | PF_W, 0x300, 0x402300, 0x40, 0x1000),
        phdr(PT_TLS, PF_R, 0x300, 0x402300, 0x10, 0x20, 8),
        phdr(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16),
        phdr(0x6474e552, PF_R, 0x300, 0x402300, 0x40, 0x40, 1),  # PT_GNU_RELRO
    ], 0x340)
    # static-pie: ET_DYN from 0, no PT_PHDR (AT_PHDR found from the segment).
    yield "static-pie", elf_file(ET_DYN, 0x1100, [
        phdr(PT_LOAD, PF_R, 0, 0, 0x100, 0x100),
        phdr(PT_LOAD, PF_R | PF_X, 0x100, 0x1100, 0x80, 0x80),
        phdr(PT_LOAD, PF_R | PF_W, 0x180, 0x2180, 0x40, 0x3000),
        phdr(PT_GNU_STACK, PF_R | PF_W | PF_X, 0, 0, 0, 0, 16),
    ], 0x1c0)
    # gcc -static -z noseparate-code: text and data share a page.
    yield "shared-page", elf_file(ET_EXEC, 0x4000b0, [
        phdr(PT_LOAD, PF_R | PF_X, 0, 0x400000, 0x1a0, 0x1a0),
        phdr(PT_LOAD, PF_R | PF_W, 0x1a0, 0x4001a0, 0x20, 0x100),
    ], 0x1c0)


# ---- cpio newc (kernel/cpio.h) ----
S_IFDIR, S_IFREG, S_IFLNK = 0o040000, 0o100000, 0o120000


class Cpio:
    def __init__(self):
        self.b = bytearray()
        self.ino = 100

    def entry(self, name, mode, data=b"", nlink=1, ino=None, magic=b"070701"):
        if ino is None:
            self.ino += 1
            ino = self.ino
        name = name.encode() + b"\0"
        fields = [ino, mode, 0, 0, nlink, 1700000000, len(data), 8, 1, 0, 0,
                  len(name), 0]
        self.b += magic + b"".join(b"%08x" % f for f in fields) + name
        self.pad()
        self.b += data
        self.pad()
        return self

    def pad(self):
        while len(self.b) % 4:
            self.b.append(0)

    def d(self, name, perm=0o755):
        return self.entry(name, S_IFDIR | perm, nlink=2)

    def f(self, name, data, perm=0o644, **kw):
        return self.entry(name, S_IFREG | perm, data, **kw)

    def l(self, name, target):
        return self.entry(name, S_IFLNK | 0o777, target.encode())

    def trailer(self):
        return self.entry("TRAILER!!!", 0, ino=0)

    def bytes(self):
        return bytes(self.b)


def cpio_seeds():
    yield "basic", (Cpio().d(".").d("bin").f("bin/hello", b"hello, world\n")
                    .l("bin/sh", "hello").f("etc/motd", b"keel\n").trailer().bytes())
    # Hard links (contents on the last name, as cpio writes them), a
    # second archive after NUL padding that overrides a file, and 070702.
    a = Cpio().d("./sbin")
    a.f("sbin/init", b"", nlink=2, ino=7).f("sbin/linuxrc", b"#!init\n", nlink=2, ino=7)
    a.trailer()
    a.b += bytes(8)
    a.f("/sbin/linuxrc", b"replaced\n", magic=b"070702").f("empty", b"").trailer()
    yield "hardlinks-two-archives", a.bytes()
    # An archive without a trailer, cut in the padding after its data.
    c = Cpio().f("x", b"abc").bytes()
    yield "no-trailer", c[:-1]


def ramfs_seeds():
    yield from cpio_seeds()
    # Symlinks every way ramfs.h resolves them.
    c = (Cpio().d(".").d("usr").d("usr/bin").f("usr/bin/sh", b"#!/bin/sh\n")
         .l("bin", "usr/bin").l("sbin", "/usr/bin/").f("bin/env", b"created through bin")
         .d("c").f("c/d", b"0123456789" * 3).l("a", "b").l("b", "c/").l("l", "l")
         .l("up", "..").l("c/up", "../c/./up").l("abs", "/c/d").l("dangling", "nowhere/x")
         .l("x", "x/y").l("lib64", "lib").d("lib")
         .f("lib/ld-linux-x86-64.so.2", b"\x7fELF", perm=0o755)
         .l("proc", "/").f("file", b"f").l("notdir", "file/").trailer())
    yield "symlinks", c.bytes()
    # Names ramfs skips or must think about: "..", device nodes, a file
    # where a directory is needed, replacing a directory, deep paths.
    d = (Cpio().f("../escape", b"no").entry("dev/null", 0o020666)
         .f("f", b"1").f("f/g", b"no").d("dd").f("dd/x", b"x").f("dd", b"no")
         .d("a/b/c/d/e/f/g/h").f("a/b/c/d/e/f/g/h/i", b"deep").f("./a//b/./c/j", b"j")
         .trailer())
    yield "odd-names", d.bytes()


# ---- boot info (shared/bootinfo.h) ----
BOOTINFO_MAGIC = 0x4f464e49544f4f42


def bootinfo(fb=True, cmdline=b"console=ttyS0 init=/sbin/init"):
    b = struct.pack("<QII", BOOTINFO_MAGIC, 1, 736)
    b += struct.pack("<QQII", 0x7e000000, 120 * 48, 48, 1)
    b += struct.pack("<QQQ", 0x1000000, KERNEL_BASE, 0x40000)
    b += struct.pack("<QQ", 0x2000000, 0x1234)
    if fb:
        b += struct.pack("<QQIIIIIIII", 0x80000000, 1280 * 800 * 4, 1280, 800, 1280, 2,
                         0, 0, 0, 0)
    else:
        b += struct.pack("<QQIIIIIIII", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    b += struct.pack("<QIIQ", 0x7fbfa014, 2, 0, 0x7f9ee018)
    b += bytes(range(32)) + struct.pack("<II", 1, 1)
    b += struct.pack("<QQQQ", 1000, 900000, 0x7e800000, 6)
    assert len(b) == 224
    return b + cmdline + bytes(512 - len(cmdline))


def bootinfo_seeds():
    yield "qemu-ovmf", bootinfo()
    yield "no-framebuffer", bootinfo(fb=False, cmdline=b"")


# ---- memory map (lib/memmap.h) ----
def mdesc(mtype, phys, pages, stride, attr=0xf):
    d = struct.pack("<IIQQQQ", mtype, 0, phys, 0, pages, attr)
    return d + bytes(stride - len(d))


QEMU_MAP = [
    (3, 0x0, 1), (7, 0x1000, 0x9f), (0, 0xa0000, 0x60), (7, 0x100000, 0x700),
    (10, 0x800000, 8), (7, 0x808000, 3), (10, 0x80b000, 1), (7, 0x80c000, 0x4),
    (10, 0x810000, 0xf0), (4, 0x900000, 0xc00), (7, 0x1500000, 0x3e000),
    (1, 0x3f500000, 0x40), (2, 0x3f540000, 0x80), (4, 0x3f5c0000, 0x200),
    (9, 0x3f7c0000, 0x10), (6, 0x3f7d0000, 0x20), (5, 0x3f7f0000, 0x10),
    (0, 0x3fc00000, 0x400), (11, 0xffc00000, 0x400),
]


def memmap(stride, flags, maxr, want, descs, ops):
    b = struct.pack("<HBBIH", stride, flags, maxr, want, len(descs))
    b += b"".join(mdesc(t, p, n, stride) for t, p, n in descs)
    for op, base, end in ops:
        if op & 2:
            b += struct.pack("<BQQ", op, base, end)
        else:
            b += struct.pack("<BHH", op, base, end)
    return b


def memmap_seeds():
    ops = [(1, 0x100, 0x40), (1, 0x3f50, 0x10), (0, 0xa0, 0x60), (0, 0x2000, 0x10),
           (3, 0x1000, 0x3000), (2, 0xfffffffffffff000, 0xffffffffffffffff),
           (1, 0, 0xffff)]
    yield "qemu-ram", memmap(48, 0, 63, 0, QEMU_MAP, ops)
    yield "qemu-free-stride40", memmap(40, 2, 7, 0, QEMU_MAP, ops[:4])
    yield "raw-types-stride56", memmap(56, 4, 31, 0x0fff, QEMU_MAP[:8], ops[4:])


# ---- ACPI (kernel/acpi.c) ----
FAKE_PA = 0x1000


def checksum_fix(b, at):
    b[at] = (-sum(b)) & 0xff


def sdt(sig, body, revision=1):
    b = bytearray(sig + struct.pack("<IBB", 36 + len(body), revision, 0) + b"KEELFZ"
                  + b"KEELTEST" + struct.pack("<III", 1, 0x4c45454b, 1) + body)
    checksum_fix(b, 9)
    return bytes(b)


def rsdp(rsdt, xsdt, revision):
    b = bytearray(b"RSD PTR " + b"\0" + b"KEELFZ" + bytes([revision]) +
                  struct.pack("<I", rsdt))
    checksum_fix(b, 8)
    if revision >= 2:
        b += struct.pack("<IQB3s", 36, xsdt, 0, b"\0\0\0")
        checksum_fix(b, 32)
    return bytes(b)


def madt():
    e = b""
    e += struct.pack("<BBBBI", 0, 8, 0, 0, 1)         # CPU 0
    e += struct.pack("<BBBBI", 0, 8, 1, 1, 1)         # CPU 1
    e += struct.pack("<BBBBI", 0, 8, 2, 0xff, 0)      # filler
    e += struct.pack("<BBBBI", 0, 8, 3, 3, 2)         # online capable
    e += struct.pack("<BBBBII", 1, 12, 2, 0, 0xfec00000, 0)
    e += struct.pack("<BBBBIH", 2, 10, 0, 0, 2, 0)    # IRQ0 -> GSI2
    e += struct.pack("<BBBBIH", 2, 10, 0, 9, 9, 0xd)  # SCI level, active high
    e += struct.pack("<BBHI", 3, 8, 0, 0)
    e += struct.pack("<BBBHB", 4, 6, 0xff, 5, 1)      # LINT1 NMI, all CPUs
    e += struct.pack("<BBHQ", 5, 12, 0, 0xfee00000)
    e += struct.pack("<BBHIII", 9, 16, 0, 300, 1, 300)
    e += struct.pack("<BBHIB3s", 10, 12, 5, 0xffffffff, 1, b"\0\0\0")
    e += struct.pack("<BB", 0x7f, 4) + b"\0\0"         # unknown type, skipped
    return sdt(b"APIC", struct.pack("<II", 0xfee00000, 1) + e, 4)


def gas(space, addr, width=8):
    return struct.pack("<BBBBQ", space, width, 0, 1, addr)


def fadt(dsdt_pa, length=276, revision=6):
    b = bytearray(276 - 36)
    o = lambda off: off - 36  # noqa: E731 (field offsets as in ACPI 6.x 5.2.9)
    struct.pack_into("<I", b, o(40), dsdt_pa)
    struct.pack_into("<H", b, o(46), 9)                 # SCI_INT
    struct.pack_into("<I", b, o(48), 0xb2)              # SMI_CMD
    struct.pack_into("<BB", b, o(52), 0xf1, 0xf0)       # ACPI_ENABLE / DISABLE
    struct.pack_into("<I", b, o(56), 0x600)             # PM1a_EVT_BLK
    struct.pack_into("<I", b, o(64), 0x604)             # PM1a_CNT_BLK
    struct.pack_into("<I", b, o(76), 0x608)             # PM_TMR_BLK
    struct.pack_into("<BBBB", b, o(88), 4, 2, 0, 4)
    struct.pack_into("<H", b, o(109), 3)                # IAPC_BOOT_ARCH
    struct.pack_into("<I", b, o(112), (1 << 8) | (1 << 10))
    b[o(116):o(128)] = gas(1, 0xcf9)                    # RESET_REG
    b[o(128)] = 6
    struct.pack_into("<Q", b, o(140), dsdt_pa)          # X_DSDT
    b[o(172):o(184)] = gas(1, 0x604, 16)                # X_PM1a_CNT_BLK
    b[o(208):o(220)] = gas(1, 0x608, 32)                # X_PM_TMR_BLK
    return sdt(b"FACP", bytes(b[:length - 36]), revision)


def dsdt(rootchar=True, one_element=False):
    name = b"\x08" + (b"\\" if rootchar else b"") + b"_S5_"
    if one_element:
        pkg = b"\x12\x05\x01\x0b\x05\x05"
    else:
        pkg = b"\x12\x08\x04\x0a\x05\x0a\x05\x00\x00"
    aml = b"\x10\x0a\\_SB_" + b"\x5b\x82" + name + pkg + b"\x14\x08_PTS\x01\xa4\x00"
    return sdt(b"DSDT", aml, 2)


def hpet():
    return sdt(b"HPET", struct.pack("<I", 0x8086a201) + gas(0, 0xfed00000, 64) +
               struct.pack("<BHB", 0, 0x80, 0))


def mcfg():
    return sdt(b"MCFG", bytes(8) + struct.pack("<QHBBI", 0xb0000000, 0, 0, 0xff, 0))


class Phys:
    """Fake physical memory from FAKE_PA; the first 8 bytes say where the RSDP is."""

    def __init__(self):
        self.b = bytearray(16)

    def put(self, blob, align=16):
        while len(self.b) % align:
            self.b.append(0)
        off = len(self.b)
        self.b += blob
        return FAKE_PA + off

    def at(self, pa, blob):
        off = pa - FAKE_PA
        self.b[off:off + len(blob)] = blob

    def rsdp_at(self, pa):
        struct.pack_into("<Q", self.b, 0, pa - FAKE_PA)


def acpi_full():
    m = Phys()
    r = m.put(bytes(36))
    ds = m.put(dsdt())
    tables = [m.put(madt()), m.put(fadt(ds)), m.put(hpet()), m.put(mcfg()),
              m.put(sdt(b"SSDT", b"\x10\x05_PR_"))]
    x = m.put(sdt(b"XSDT", b"".join(struct.pack("<Q", t) for t in tables)))
    rs = m.put(sdt(b"RSDT", b"".join(struct.pack("<I", t) for t in tables)))
    m.at(r, rsdp(rs, x, 2))
    m.rsdp_at(r)
    return bytes(m.b)


def acpi_v1():
    m = Phys()
    ds = m.put(dsdt(rootchar=False, one_element=True))
    f = m.put(fadt(ds, 116, 1))
    ap = m.put(madt())
    rs = m.put(sdt(b"RSDT", struct.pack("<III", ap, f, 0x7fff0000)))
    r = m.put(rsdp(rs, 0, 0))
    m.rsdp_at(r)
    return bytes(m.b)


def acpi_seeds():
    yield "rsdp2-xsdt-all", acpi_full()
    yield "rsdp1-rsdt-fadt1", acpi_v1()


SEEDS = {
    "kelf": kelf_seeds, "uelf": uelf_seeds, "cpio": cpio_seeds, "ramfs": ramfs_seeds,
    "bootinfo": bootinfo_seeds, "memmap": memmap_seeds, "acpi": acpi_seeds,
}


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "tests/fuzz/corpus")
    for name, gen in SEEDS.items():
        d = os.path.join(top, name)
        os.makedirs(d, exist_ok=True)
        for seed, data in gen():
            assert len(data) <= 8192, (name, seed, len(data))
            with open(os.path.join(d, seed), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    main()
