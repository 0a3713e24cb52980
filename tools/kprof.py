#!/usr/bin/env python3
"""kprof.py: where the kernel's guest instructions go, per function.

Usage: python3 tools/kprof.py [--cmdline "init=/bench/bench"] [--only FIGURE]
                              [--until TEXT] [--top N] [--esp DIR] [--elf ELF]
                              [--window FUNC] [--detail FUNC[,FUNC]]

Boots a copy of esp/ (nokaslr added, so addresses match build/kernel.elf)
under `-icount shift=0,sleep=off -smp 1` with QEMU's `-d in_asm,exec,nochain`
log limited to the kernel's addresses (`-dfilter`), until TEXT appears on
serial (default: init's exit), and charges every executed translation
block's instructions (its longest translation's) to the function holding
its first address.  The log (gigabytes for a whole bench run) is read as
QEMU writes it, through a FIFO, and never stored.  --only FIGURE boots
`init=/bench/bench only FIGURE` and counts only between the sync(2) calls
bench makes around that one figure (--window sys_sync); --detail FUNC[,..]
also lists those functions' blocks.  Blocks that QEMU re-translates around
I/O are counted twice, so figures for I/O-heavy code (calibration loops)
are high.
"""
import argparse
import bisect
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import qemu  # noqa: E402


def run(esp_dir, cmdline, until, timeout, elf, window, detail=None):
    """Boot, profiling through a FIFO until `until` is on serial; return the
    instructions per function."""
    work = tempfile.mkdtemp(prefix="kprof-")
    p = None
    try:
        esp = os.path.join(work, "esp")
        shutil.copytree(esp_dir, esp)
        with open(os.path.join(esp, "boot", "cmdline.txt"), "w") as f:
            f.write(cmdline + " nokaslr\n")
        serial = os.path.join(work, "serial.log")
        fifo = os.path.join(work, "qemu.log")
        os.mkfifo(fifo)
        cmd = qemu.qemu_command(work, esp=esp, serial=f"file:{serial}", memory="1G",
                                cpu="max", smp=1,
                                extra=["-icount", "shift=0,sleep=off",
                                       "-d", "in_asm,exec,nochain", "-D", fifo,
                                       "-dfilter", "0xffffffff80000000..0xffffffffffffffff"])
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)

        def watch():
            t0 = time.monotonic()
            while p.poll() is None and time.monotonic() - t0 < timeout:
                time.sleep(0.2)
                if os.path.exists(serial) and until in open(serial, errors="replace").read():
                    break
            if p.poll() is None:
                p.kill()
        w = threading.Thread(target=watch, daemon=True)
        w.start()
        with open(fifo, errors="replace") as f:
            per = profile(f, elf, window, detail)
        w.join()
        return per
    finally:
        if p and p.poll() is None:
            p.kill()
            p.wait()
        shutil.rmtree(work, ignore_errors=True)


def profile(lines, elf, window=None, detail=None):
    """Instructions per function; with window, only those run between the
    first and the second entry to that function.  With detail, the blocks
    of that function are counted too, as "FUNC+0xOFF" entries."""
    syms = []
    nm = subprocess.run(["nm", "-n", elf], capture_output=True, text=True, check=True)
    for line in nm.stdout.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in "tTwW":
            syms.append((int(f[0], 16), f[2]))
    addrs = [a for a, _ in syms]
    size, execs, cur = {}, collections.Counter(), None
    mark, counting = None, window is None
    if window:
        mark = "%016x" % dict((n, a) for a, n in syms)[window]
    n = 0
    for line in lines:
        if line.startswith("0x"):
            if cur is None:
                cur, n = int(line[2:18], 16), 0
            n += 1
            continue
        if cur is not None:
            # A block cut short (icount's budget ending inside it) is
            # translated again, once, at the same address: keep the whole one.
            size[cur] = max(size.get(cur, 0), n)
        cur = None
        if line.startswith("Trace"):
            i = line.find("/ffffffff")
            if i >= 0:
                a = line[i + 1:i + 17]
                if a == mark:
                    counting = not counting
                if counting:
                    execs[a] += 1
    per = collections.Counter()
    for a, n in execs.items():
        a = int(a, 16)
        i = bisect.bisect_right(addrs, a) - 1
        name = syms[i][1] if i >= 0 else "?"
        per[name] += n * size.get(a, 1)
        if detail and name in detail.split(","):
            per[f"{name}+{a - syms[i][0]:#x} ({n} x {size.get(a, 1)})"] += n * size.get(a, 1)
    return per


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cmdline", default="init=/bench/bench")
    ap.add_argument("--only", help="one bench figure: init=/bench/bench only FIGURE")
    ap.add_argument("--until", default="kernel: stopping")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--esp", default=os.path.join(ROOT, "esp"))
    ap.add_argument("--elf", default=os.path.join(ROOT, "build", "kernel.elf"))
    ap.add_argument("--window", help="count between a function's first and second entry")
    ap.add_argument("--detail", help="also count each block of this function")
    ap.add_argument("--timeout", type=float, default=600)
    a = ap.parse_args()
    cmdline = f"init=/bench/bench only {a.only}" if a.only else a.cmdline
    window = a.window or ("sys_sync" if a.only else None)
    per = run(a.esp, cmdline, a.until, a.timeout, a.elf, window, a.detail)
    total = sum(per.values()) or 1
    print(f"{total:,} kernel instructions")
    for name, n in per.most_common(a.top):
        print(f"{n:12,} {100 * n / total:5.1f}%  {name}")


if __name__ == "__main__":
    main()
