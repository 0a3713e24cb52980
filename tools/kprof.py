#!/usr/bin/env python3
"""kprof.py: where the kernel's guest instructions go, per function.

Usage: python3 tools/kprof.py [--cmdline "init=/bench/bench"] [--until TEXT]
                              [--top N] [--log FILE]

Boots a copy of esp/ (nokaslr added, so addresses match build/kernel.elf)
under `-icount shift=0,sleep=off -smp 1` with QEMU's `-d in_asm,exec,nochain`
log limited to the kernel's addresses (`-dfilter`), until TEXT appears on
serial (default: init's exit), then charges every executed translation
block's instructions to the function holding its first address.  The log is
large (hundreds of MB for a bench run): point the command line at the case
you care about.  Blocks that QEMU re-translates around I/O are counted
twice, so figures for I/O-heavy code (calibration loops) are high.
"""
import argparse
import bisect
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import qemu  # noqa: E402


def boot(cmdline, until, log, timeout):
    work = tempfile.mkdtemp(prefix="kprof-")
    try:
        esp = os.path.join(work, "esp")
        shutil.copytree(os.path.join(ROOT, "esp"), esp)
        with open(os.path.join(esp, "boot", "cmdline.txt"), "w") as f:
            f.write(cmdline + " nokaslr\n")
        serial = os.path.join(work, "serial.log")
        cmd = qemu.qemu_command(work, esp=esp, serial=f"file:{serial}", memory="1G",
                                cpu="max", smp=1,
                                extra=["-icount", "shift=0,sleep=off",
                                       "-d", "in_asm,exec,nochain", "-D", log,
                                       "-dfilter", "0xffffffff80000000..0xffffffffffffffff"])
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        t0 = time.monotonic()
        while p.poll() is None and time.monotonic() - t0 < timeout:
            time.sleep(0.2)
            if os.path.exists(serial) and until in open(serial, errors="replace").read():
                break
        if p.poll() is None:
            p.kill()
            p.wait()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def profile(log, elf):
    syms = []
    nm = subprocess.run(["nm", "-n", elf], capture_output=True, text=True, check=True)
    for line in nm.stdout.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in "tTwW":
            syms.append((int(f[0], 16), f[2]))
    addrs = [a for a, _ in syms]
    size, execs, cur = {}, collections.Counter(), None
    insn = re.compile(r"0x([0-9a-f]{16}):  ")
    with open(log, errors="replace") as f:
        for line in f:
            m = insn.match(line)
            if m:
                if cur is None:
                    cur = int(m.group(1), 16)
                    size[cur] = 0
                size[cur] += 1
                continue
            cur = None
            if line.startswith("Trace"):
                m = re.search(r"/([0-9a-f]{16})/", line)
                if m:
                    execs[int(m.group(1), 16)] += 1
    per = collections.Counter()
    for a, n in execs.items():
        i = bisect.bisect_right(addrs, a) - 1
        per[syms[i][1] if i >= 0 else "?"] += n * size.get(a, 1)
    return per


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cmdline", default="init=/bench/bench")
    ap.add_argument("--until", default="kernel: stopping")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--log", default=os.path.join(ROOT, "build", "kprof.log"))
    ap.add_argument("--timeout", type=float, default=600)
    a = ap.parse_args()
    boot(a.cmdline, a.until, a.log, a.timeout)
    per = profile(a.log, os.path.join(ROOT, "build", "kernel.elf"))
    total = sum(per.values()) or 1
    print(f"{total:,} kernel instructions")
    for name, n in per.most_common(a.top):
        print(f"{n:12,} {100 * n / total:5.1f}%  {name}")


if __name__ == "__main__":
    main()
