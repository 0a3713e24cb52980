#!/usr/bin/env python3
"""relocs.py IN.elf OUT.elf: append the kernel's relocation table for KASLR.

IN.elf is the kernel linked with --emit-relocs.  The sites that hold an
absolute kernel address, R_X86_64_64 (8 bytes) and R_X86_64_32S (4 bytes,
sign extended: -mcmodel=kernel), in allocated sections and against
symbols that move with the kernel, are what the loader must adjust when it
places the kernel elsewhere (as Linux's arch/x86/tools/relocs does).
PC-relative relocations need nothing.  OUT.elf is IN.elf without its
.rela sections, followed by the table (lib/kelf.h):

    uint32_t n64, n32;  uint32_t off[n64 + n32];   (offsets from KERNEL_BASE)
    uint64_t table_offset;  uint64_t magic "KEELRELO"

Any other absolute relocation in an allocated section is an error: the
kernel could not be moved safely.
"""
import struct
import subprocess
import sys

R_X86_64_64, R_X86_64_PC32, R_X86_64_32, R_X86_64_32S, R_X86_64_PLT32 = 1, 2, 10, 11, 4
SHF_ALLOC = 2
SHT_RELA = 4
SHN_ABS = 0xfff1
MAGIC = b"KEELRELO"


def main():
    src, dst = sys.argv[1], sys.argv[2]
    data = open(src, "rb").read()
    (shoff,) = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    secs = []
    for i in range(shnum):
        secs.append(struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize))
    base = None
    for name, typ, flags, addr, off, size, link, info, align, entsize in secs:
        if flags & SHF_ALLOC and addr and (base is None or addr < base):
            base = addr
    sites64, sites32 = set(), set()
    for name, typ, flags, addr, off, size, link, info, align, entsize in secs:
        if typ != SHT_RELA or not secs[info][2] & SHF_ALLOC:
            continue
        symtab = secs[link]
        for r in range(size // 24):
            r_off, r_info, r_add = struct.unpack_from("<QQq", data, off + r * 24)
            rtype, sym = r_info & 0xffffffff, r_info >> 32
            st_shndx = struct.unpack_from("<H", data, symtab[4] + sym * 24 + 6)[0]
            if rtype in (R_X86_64_PC32, R_X86_64_PLT32):
                continue
            if st_shndx == SHN_ABS:
                continue        # a constant, not an address in the kernel
            if rtype == R_X86_64_64:
                sites64.add(r_off - base)
            elif rtype == R_X86_64_32S:
                sites32.add(r_off - base)
            else:
                sys.exit(f"relocs.py: relocation type {rtype} at {r_off:#x} "
                         "cannot be moved")
    stripped = dst + ".tmp"
    subprocess.run(["llvm-objcopy", "--remove-section=.rela*", src, stripped], check=True)
    out = bytearray(open(stripped, "rb").read())
    while len(out) % 8:
        out.append(0)
    table_off = len(out)
    out += struct.pack("<II", len(sites64), len(sites32))
    for s in sorted(sites64) + sorted(sites32):
        out += struct.pack("<I", s)
    while len(out) % 8:
        out.append(0)
    out += struct.pack("<Q", table_off) + MAGIC
    open(dst, "wb").write(out)
    import os
    os.remove(stripped)
    print(f"relocs.py: {len(sites64)} 64-bit and {len(sites32)} 32-bit sites")


if __name__ == "__main__":
    main()
