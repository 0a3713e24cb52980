#!/usr/bin/env python3
"""bench.py: keel's costs in guest instructions (issue 7), and Linux's.

Behind `make bench` and `make bench-linux`; builds nothing (make does).
Boots a copy of the ESP with `init=/bench/bench` (user/bench/bench.c) under
`-icount shift=0,sleep=off -smp 1`, where the guest TSC advances by exactly
one per guest instruction, so every figure is an exact, repeatable count.
bench prints every sample it takes (a timed group of operations); each
figure here is the median, mean and maximum per operation over them, and a
maximum over twice its median is flagged: a stall in one operation of
thousands cannot hide behind the median.
With --linux it also boots the same initramfs, and so the same bench
binary, under Debian's Linux kernel (tools/linux-kernel fetches it) with
the same machine (tools/qemu.py) and `rdinit=/bench/bench`, and prints
both columns and their ratio.  Then the several-CPU rows (issue 14): the
same bench with the argument `smp` under `-smp 2` without -icount (wall-clock
time, multi-threaded TCG on the host's cores): two CPU-bound processes at
once against one after the other, fork+exit+wait loops per second with one
and two processes looping, and keel's AP bring-up time from its boot log.
--wall times what users feel instead: `make` from clean in a temporary
clone and `make run` up to the shell's prompt.

Exits 0 when the benchmarks ran, whether or not keel met its targets;
non-zero when a boot failed or a figure could not be measured.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import qemu  # noqa: E402

ICOUNT = ["-icount", "shift=0,sleep=off"]
MACHINE = dict(memory="1G", cpu="max", smp=1)
# quiet: only warnings and worse reach the console; no5lvl: keel's 4-level
# paging (see tools/linux-check); panic=-1: init's exit ends the run.
LINUX_APPEND = "console=ttyS0 panic=-1 quiet no5lvl rdinit=/bench/bench"
# Several CPUs: wall-clock time, so no -icount; Linux passes what follows -- to init.
SMP_MACHINE = dict(memory="1G", cpu="max", smp=2)
LINUX_APPEND_SMP = LINUX_APPEND + " -- smp"
PROMPT = "keel:/# "
ANSI = re.compile(r"\x1b\[[0-9;=?]*[A-Za-z]|\x1bc")

# (name printed by bench, what it is, keel's target or None)
FIGURES = [
    ("getpid-syscall", "getpid, syscall", 60),
    ("getpid-int80", "getpid, int $0x80", 80),
    ("yield-switch-2", "sched_yield switch, 2 processes", 400),
    ("fork-exit-wait", "fork+exit+wait", 25000),
    ("page-touch", "first touch of an anonymous page", 2000),
    ("fork-exit-wait-4m", "fork+exit+wait, 4 MiB touched", 60000),
    ("pipe-roundtrip", "pipe round trip, 1 byte each way", None),
    ("poll-pipe-roundtrip", "poll on a pipe: round trip, each side in poll", None),
    ("fork-exec-wait-glibc", "fork+exec+exit+wait, static glibc program", None),
    ("futex-pingpong", "futex ping-pong between two threads: round trip", None),
    ("pthread-create-join", "pthread_create+join (musl)", None),
    ("boot-entry-to-user", "boot: kernel entry -> first user insn", 2000000),
    ("boot-loader-to-entry", "boot: loader start -> kernel entry", None),
    ("boot-reset-to-user", "boot: reset -> first user insn", None),
]
SCALING = [
    ("fork-exit-wait", "fork+exit+wait, no memory"),
    ("fork-exit-wait-1m", "fork+exit+wait, 1 MiB touched"),
    ("fork-exit-wait-4m", "fork+exit+wait, 4 MiB touched"),
    ("fork-exit-wait-16m", "fork+exit+wait, 16 MiB touched"),
    ("fork-exit-wait-64m", "fork+exit+wait, 64 MiB touched"),
    ("yield-switch-2", "sched_yield switch, 2 processes"),
    ("yield-switch-16", "sched_yield switch, 16 processes"),
    ("yield-switch-128", "sched_yield switch, 128 processes"),
]


class BootFailed(Exception):
    pass


def clean(text):
    return ANSI.sub("", text).replace("\r", "")


def run_qemu(cmd, log_path, timeout, done=None):
    """Run QEMU until it exits (or, with done, until done appears on
    serial); return (exit status or "stopped", serial log).  A machine
    reset before anything reached serial (status 0 under -no-reboot, an
    empty log) happened in the firmware, before the loader ran: seen once
    under -icount with a fresh OVMF variable store.  That boot is repeated
    once, with the same store."""
    rc, log = run_qemu_once(cmd, log_path, timeout, done)
    if rc == 0 and not log:
        print("bench: the firmware reset the machine before any output; "
              "booting again", file=sys.stderr)
        rc, log = run_qemu_once(cmd, log_path, timeout, done)
    return rc, log


def run_qemu_once(cmd, log_path, timeout, done):
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    rc = None
    try:
        while rc is None:
            if done and os.path.exists(log_path) and done in clean(
                    open(log_path, errors="replace").read()):
                rc = "stopped"
                break
            if time.monotonic() > deadline:
                raise BootFailed(f"no end within {timeout} s")
            try:
                rc = proc.wait(0.05 if done else 0.5)
            except subprocess.TimeoutExpired:
                pass
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    out = proc.stdout.read().decode(errors="replace").strip()
    if rc not in ("stopped", 0, 1) and not (isinstance(rc, int) and rc & 1):
        raise BootFailed(f"QEMU error (status {rc}): {out[-300:]}")
    log = clean(open(log_path, errors="replace").read()) \
        if os.path.exists(log_path) else ""
    return rc, log


class Figure:
    """A figure's samples: guest instructions per sample, ops operations
    each.  A single reading (the boot figures) is one sample of one."""

    def __init__(self, ops, samples):
        self.ops, self.samples = ops, samples

    @property
    def median(self):
        return statistics.median(self.samples) / self.ops

    @property
    def mean(self):
        return statistics.fmean(self.samples) / self.ops

    @property
    def max(self):
        return max(self.samples) / self.ops

    @property
    def single(self):
        return len(self.samples) == 1


def parse(log, who, problems):
    """The bench: lines of a serial log, as {name: Figure}; what went wrong
    (a figure bench could not measure, samples missing, no end line) goes
    to problems."""
    figs, heads = {}, {}
    for line in log.splitlines():
        m = re.match(r"bench: (\S+) (\d+)$", line)
        if m:
            figs[m.group(1)] = Figure(1, [int(m.group(2))])
            continue
        m = re.match(r"bench: (\S+) ops (\d+) samples (\d+)$", line)
        if m:
            heads[m.group(1)] = int(m.group(3))
            figs[m.group(1)] = Figure(int(m.group(2)), [])
            continue
        m = re.match(r"bench: (\S+) =((?: \d+)+)$", line)
        if m and m.group(1) in heads:
            figs[m.group(1)].samples += [int(v) for v in m.group(2).split()]
        elif re.match(r"bench: \S+ error ", line):
            problems.append(f"{who}: {line}")
    for name, n in heads.items():
        if len(figs[name].samples) != n or n == 0:
            problems.append(f"{who}: {name}: {len(figs[name].samples)} samples "
                            f"of {n}")
            del figs[name]
    if not re.search(r"^bench: done$", log, re.M):
        problems.append(f"{who}: bench did not finish")
    if "tsc-at-start" in figs:
        figs["boot-reset-to-user"] = figs["tsc-at-start"]
    return figs


def keep_log(name, log):
    d = os.path.join(ROOT, "build", "bench-logs")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, name + ".log")
    with open(path, "w") as f:
        f.write(log)
    return os.path.relpath(path, ROOT)


def boot_keel(esp, work, timeout, name, cmdline, machine, extra=()):
    """Boot a copy of esp with cmdline; return (the kernel's exit status,
    the serial log, where it was kept)."""
    copy = os.path.join(work, "esp-" + name)
    shutil.copytree(esp, copy)
    with open(os.path.join(copy, "boot", "cmdline.txt"), "w") as f:
        f.write(cmdline + "\n")
    log_path = os.path.join(work, f"serial-{name}.log")
    cmd = qemu.qemu_command(work, esp=copy, serial=f"file:{log_path}",
                            extra=list(extra), **machine)
    rc, log = run_qemu(cmd, log_path, timeout)
    kept = keep_log(name, log)
    # isa-debug-exit: QEMU's status is 2s+1 for the kernel's status s.
    m = re.search(r"kernel: stopping, status (\d+)", log)
    if not (rc & 1 and m and int(m.group(1)) == rc >> 1):
        raise BootFailed(f"{name}: the boot failed (QEMU status {rc}; "
                         f"serial log: {kept})")
    return rc >> 1, log, kept


def bench_keel(esp, work, timeout, problems):
    """Boot keel with init=/bench/bench; return its figures."""
    status, log, kept = boot_keel(esp, work, timeout, "keel", "init=/bench/bench",
                                  MACHINE, ICOUNT)
    if status != 0:
        problems.append(f"keel: bench exited {status} (serial log: {kept})")
    figs = parse(log, "keel", problems)
    m = re.search(r"^boot: tsc loader-start (\d+) kernel-entry (\d+)$", log, re.M)
    if m and "tsc-at-start" in figs:
        loader, entry = int(m.group(1)), int(m.group(2))
        figs["boot-loader-to-entry"] = Figure(1, [entry - loader])
        figs["boot-entry-to-user"] = Figure(
            1, [figs["tsc-at-start"].samples[0] - entry])
    return figs


def bench_linux(esp, work, timeout, problems):
    """Boot Debian's Linux with the ESP's initramfs and rdinit=/bench/bench;
    return its figures and the kernel's version."""
    p = subprocess.run([os.path.join(ROOT, "tools", "linux-kernel")],
                       stdout=subprocess.PIPE, text=True, cwd=ROOT)
    if p.returncode != 0:
        raise BootFailed("linux: no kernel (tools/linux-kernel failed)")
    vmlinuz = os.path.join(ROOT, p.stdout.strip())
    try:
        with open(os.path.join(os.path.dirname(vmlinuz), "version")) as f:
            version = f.read().strip()
    except OSError:
        version = "unknown"
    log_path = os.path.join(work, "serial-linux.log")
    initrd = os.path.join(esp, "boot", "initrd.cpio")
    cmd = qemu.qemu_command(work, serial=f"file:{log_path}",
                            extra=ICOUNT + ["-kernel", vmlinuz, "-initrd", initrd,
                                            "-append", LINUX_APPEND],
                            **MACHINE)
    rc, log = run_qemu(cmd, log_path, timeout)
    kept = keep_log("linux", log)
    # init's exit panics Linux with the wait status; panic=-1 then resets.
    m = re.search(r"Attempted to kill init! exitcode=(0x[0-9a-fA-F]+)", log)
    if not m:
        raise BootFailed(f"linux: the boot failed (QEMU status {rc}; "
                         f"serial log: {kept})")
    if int(m.group(1), 16) != 0:
        problems.append(f"linux: bench's wait status {m.group(1)} "
                        f"(serial log: {kept})")
    return parse(log, "linux", problems), version


def parse_smp(log, who, problems):
    """bench-smp: lines as {"ratio": [...], "loops1": [...], "loops2": [...],
    "touch1": [...], "touch2": [...], "futex": [...]}."""
    r = {"ratio": [], "loops1": [], "loops2": [], "touch1": [], "touch2": [], "futex": []}
    for line in log.splitlines():
        m = re.match(r"bench-smp: cpu-bound (-?\d+) (-?\d+)$", line)
        if m and int(m.group(1)) > 0 and int(m.group(2)) > 0:
            r["ratio"].append(int(m.group(2)) / int(m.group(1)))
        m = re.match(r"bench-smp: fork-loops ([12]) (-?\d+)$", line)
        if m and int(m.group(2)) >= 0:
            r["loops" + m.group(1)].append(int(m.group(2)))
        m = re.match(r"bench-smp: touch-loops ([12]) (-?\d+)$", line)
        if m and int(m.group(2)) >= 0:
            r["touch" + m.group(1)].append(int(m.group(2)))
        m = re.match(r"bench-smp: futex-cpus (-?\d+)$", line)
        if m and int(m.group(1)) >= 0:
            r["futex"].append(int(m.group(1)))
    if not re.search(r"^bench: done$", log, re.M):
        problems.append(f"{who}: bench smp did not finish")
    for k, v in r.items():
        if not v:
            problems.append(f"{who}: bench smp: no {k} figures")
    return r


def bench_smp_keel(esp, work, timeout, problems):
    status, log, kept = boot_keel(esp, work, timeout, "keel-smp", "init=/bench/bench smp",
                                  SMP_MACHINE)
    if status != 0:
        problems.append(f"keel: bench smp exited {status} (serial log: {kept})")
    r = parse_smp(log, "keel", problems)
    m = re.search(r"smp: (\d+) of (\d+) CPUs up in ([\d.]+) ms", log)
    r["bringup"] = [float(m.group(3))] if m else []
    r["cpus"] = f"{m.group(1)} of {m.group(2)}" if m else "?"
    return r


def bench_smp_linux(esp, work, timeout, problems):
    p = subprocess.run([os.path.join(ROOT, "tools", "linux-kernel")],
                       stdout=subprocess.PIPE, text=True, cwd=ROOT)
    vmlinuz = os.path.join(ROOT, p.stdout.strip())
    log_path = os.path.join(work, "serial-linux-smp.log")
    initrd = os.path.join(esp, "boot", "initrd.cpio")
    cmd = qemu.qemu_command(work, serial=f"file:{log_path}",
                            extra=["-kernel", vmlinuz, "-initrd", initrd,
                                   "-append", LINUX_APPEND_SMP], **SMP_MACHINE)
    rc, log = run_qemu(cmd, log_path, timeout)
    keep_log("linux-smp", log)
    return parse_smp(log, "linux", problems)


def report_smp(keel, linux):
    def st(v, fmt):
        if not v:
            return ["-", "", ""]
        return [fmt(statistics.median(v)), fmt(statistics.fmean(v)), fmt(max(v))]

    f2 = lambda v: f"{v:.2f}"  # noqa: E731
    f0 = lambda v: f"{round(v):,}"  # noqa: E731
    rows = []
    for key, label, fmt, target in [
            ("ratio", "two CPU-bound processes: at once / one after the other", f2, 0.6),
            ("loops1", "fork+exit+wait per second, 1 process looping", f0, None),
            ("loops2", "fork+exit+wait per second, 2 processes looping", f0, None),
            ("touch1", "first touches of anonymous pages per second, 1 process", f0, None),
            ("touch2", "first touches of anonymous pages per second, 2 processes", f0,
             None),
            ("futex", "futex round trips per second, threads on CPUs 0 and 1", f0, None),
            ("bringup", "AP bring-up (ms, from keel's boot log)", f2, None)]:
        k = keel.get(key, [])
        r = [label] + st(k, fmt)
        verdict = ""
        if target is not None and k:
            verdict = "met" if statistics.median(k) <= target else "MISSED"
        r += [f"{target}" if target else "", verdict]
        if linux is not None:
            r += st(linux.get(key, []), fmt) if key != "bringup" else ["", "", ""]
        rows.append(r)

    def ratio(r, what):
        a, b = r.get(what + "1"), r.get(what + "2")
        return f"{statistics.median(b) / statistics.median(a):.2f}" if a and b else "-"

    scale = []
    for what, label in [("loops", "fork loops"), ("touch", "page touches")]:
        scale.append([f"{label}: 2 processes / 1 (keel)", ratio(keel, what)])
        if linux is not None:
            scale.append([f"{label}: 2 processes / 1 (Linux)", ratio(linux, what)])
    head = ["several CPUs (-smp 2, wall clock)", "keel median", "mean", "max", "target", ""]
    if linux is not None:
        head += ["linux median", "mean", "max"]
    table(rows, head)
    print()
    table(scale, ["scaling", "ratio"])


def num(v):
    return "-" if v is None else f"{round(v):,}"


def table(rows, head):
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    fmt = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w)  # noqa: E731
                              for i, (c, w) in enumerate(zip(r, widths))).rstrip()
    print(fmt(head))
    print("  ".join("-" * w for w in widths).rstrip())
    for r in rows:
        print(fmt(r))


def stats(fig):
    """median, mean, max columns; a single reading fills the first only;
    a maximum over twice the median is flagged with a '!'."""
    if fig is None:
        return ["-", "", ""]
    if fig.single:
        return [num(fig.median), "", ""]
    flag = "!" if fig.max > 2 * fig.median else ""
    return [num(fig.median), num(fig.mean), num(fig.max) + flag]


def report(keel, linux):
    def cols(name, label, target=None, targets=False):
        k = keel.get(name)
        r = [label] + stats(k)
        if targets:
            verdict = "" if target is None or k is None else \
                "met" if round(k.median) <= target else "MISSED"
            r += [num(target) if target else "", verdict]
        if linux is not None:
            lv = linux.get(name)
            r += stats(lv)
            r += [f"{lv.median / k.median:.1f}" if lv and k and k.median else ""]
        return r

    head = ["figure (guest instructions)", "keel median", "mean", "max"]
    lhead = ["linux median", "mean", "max", "linux/keel"] if linux is not None else []
    table([cols(n, label, t, True) for n, label, t in FIGURES],
          head + ["target", ""] + lhead)
    print()
    table([cols(n, label) for n, label in SCALING], head + lhead)
    flagged = [n for n, fig in keel.items() if not fig.single and
               fig.max > 2 * fig.median]
    if flagged:
        print(f"\n!: keel's maximum is over twice its median: {', '.join(flagged)}")


# ---- wall-clock figures ----

def timed(fn, runs):
    times = []
    for i in range(runs):
        t = fn()
        print(f"  run {i + 1}: {t:.1f} s", flush=True)
        times.append(t)
    return statistics.median(times)


def wall(runs, with_test):
    clone = tempfile.mkdtemp(prefix="bench-clone-")
    try:
        subprocess.run(["git", "clone", "-q", ROOT, clone], check=True)

        def make_from_clean():
            subprocess.run(["make", "-C", clone, "clean"], check=True,
                           stdout=subprocess.DEVNULL)
            t0 = time.monotonic()
            subprocess.run(["make", "-C", clone, "esp"], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return time.monotonic() - t0

        print(f"make esp from clean (a clone of HEAD), {runs} runs:", flush=True)
        build = timed(make_from_clean, runs)

        def to_prompt():
            work = tempfile.mkdtemp(prefix="bench-run-")
            try:
                log_path = os.path.join(work, "serial.log")
                t0 = time.monotonic()
                cmd = qemu.qemu_command(work, esp=os.path.join(clone, "esp"),
                                        serial=f"file:{log_path}")
                rc, _ = run_qemu(cmd, log_path, 300, done=PROMPT)
                if rc != "stopped":
                    raise BootFailed(f"no prompt {PROMPT!r} (QEMU status {rc})")
                return time.monotonic() - t0
            finally:
                shutil.rmtree(work, ignore_errors=True)

        print(f"make run: QEMU start -> first {PROMPT!r}, no -icount, {runs} runs:",
              flush=True)
        boot = timed(to_prompt, runs)
        test = None
        if with_test:
            # The clone's build/linux/ would download Linux again.
            linux = os.path.join(ROOT, "build", "linux")
            if os.path.exists(os.path.join(linux, "vmlinuz")):
                os.makedirs(os.path.join(clone, "build", "linux"), exist_ok=True)
                for f in ("vmlinuz", "version"):
                    shutil.copy(os.path.join(linux, f),
                                os.path.join(clone, "build", "linux", f))
            print("make test (once):", flush=True)
            t0 = time.monotonic()
            p = subprocess.run(["make", "-C", clone, "test"], text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            test = time.monotonic() - t0
            last = p.stdout.strip().splitlines()[-1:] or [""]
            print(f"  {test:.1f} s: {last[0]}", flush=True)
    finally:
        shutil.rmtree(clone, ignore_errors=True)
    print()
    rows = [[f"make (esp, from clean), median of {runs}", f"{build:.1f} s"],
            [f"make run -> first prompt, median of {runs}", f"{boot:.1f} s"]]
    if test is not None:
        rows.append(["make test, once", f"{test:.1f} s"])
    table(rows, ["wall clock", "time"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--esp", default=os.path.join(ROOT, "esp"),
                    help="the ESP tree to boot (copied, never changed)")
    ap.add_argument("--linux", action="store_true",
                    help="also run bench under Debian's Linux")
    ap.add_argument("--wall", action="store_true",
                    help="time make from clean and make run instead")
    ap.add_argument("--runs", type=int, default=3, help="runs per wall figure")
    ap.add_argument("--with-test", action="store_true",
                    help="with --wall: also time one make test")
    ap.add_argument("--no-smp", action="store_true",
                    help="only the single-CPU figures (no -smp 2 rows)")
    ap.add_argument("--timeout", type=int, default=900,
                    help="seconds each boot may take")
    a = ap.parse_args()
    if a.wall:
        try:
            wall(a.runs, a.with_test)
        except (BootFailed, subprocess.CalledProcessError) as e:
            print(f"bench: {e}", file=sys.stderr)
            sys.exit(1)
        return

    work = tempfile.mkdtemp(prefix="bench-", dir=os.path.join(ROOT, "build"))
    problems = []
    try:
        def step(label, fn):
            t0 = time.monotonic()
            r = fn(a.esp, work, a.timeout, problems)
            print(f"{label}: {time.monotonic() - t0:.0f} s", file=sys.stderr)
            return r

        keel = step("keel", bench_keel)
        linux, smp_linux = None, None
        if a.linux:
            linux, version = step("Linux", bench_linux)
        smp_keel = None
        if not a.no_smp:
            smp_keel = step("keel -smp 2", bench_smp_keel)
        if a.linux and not a.no_smp:
            smp_linux = step("Linux -smp 2", bench_smp_linux)
    except BootFailed as e:
        print(f"bench: {e}", file=sys.stderr)
        sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    qv = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True,
                        text=True).stdout.splitlines()[0]
    print(f"{qv}; -icount shift=0,sleep=off -smp 1 -cpu max -m 1G; "
          f"per operation: median, mean, max of every sample of 7 rounds")
    if a.linux:
        print(f"Linux: {version}, {LINUX_APPEND}")
    print()
    report(keel, linux)
    if smp_keel is None:
        sys.exit(1 if problems else 0)
    print(f"\n-smp 2 without -icount, {smp_keel['cpus']} CPUs up on keel; "
          f"medians, means and maxima of 5 rounds (wall clock: they vary from run to run)")
    report_smp(smp_keel, smp_linux)
    for p in problems:
        print(f"bench: {p}", file=sys.stderr)
    sys.exit(1 if problems else 0)

if __name__ == "__main__":
    main()
