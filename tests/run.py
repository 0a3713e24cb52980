#!/usr/bin/env python3
"""run.py: the project's test runner, behind `make test`.

Runs the host unit tests (cmocka, TAP output) and the boot tests (QEMU +
OVMF, headless), prints one TAP line per test and, last, `N passed, N failed`.
Exits non-zero when anything failed.

A boot test boots one ESP tree or disk image with a strict timeout, then
checks an ordered list of serial markers and how the run ended.  A failure
is classified as: panic, triple fault / reboot (QEMU exits on -no-reboot),
hang (timeout), QEMU error, or a wrong exit status; the serial log of every
failed boot is kept under build/test-logs/.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import qemu  # noqa: E402
import cases  # noqa: E402
import machine  # noqa: E402

LOGDIR = os.path.join(ROOT, "build", "test-logs")
ANSI = re.compile(r"\x1b\[[0-9;=?]*[A-Za-z]")


class Result:
    def __init__(self, name, ok, detail="", seconds=0.0):
        self.name, self.ok, self.detail, self.seconds = name, ok, detail, seconds


def clean(text):
    return ANSI.sub("", text).replace("\r", "")


def markers_in_order(log, markers):
    """Return the first marker missing from log in order, or None."""
    pos = 0
    for m in markers:
        i = log.find(m, pos)
        if i < 0:
            return m
        pos = i + len(m)
    return None


def figures(case, log):
    """The lines of log that case.figures names (a summary for the ok line)."""
    found = []
    for pat in case.figures:
        m = re.search(pat, log, re.M)
        if m:
            found.append(m.group(0).strip())
    return "; ".join(found)


def run_interactive(case, label):
    """Boot a case whose test talks to the machine (case.interact)."""
    t0 = time.monotonic()
    work = tempfile.mkdtemp(prefix="boot-", dir=os.path.join(ROOT, "build"))
    m = None
    verdict = None
    try:
        medium = case.prepare(work)
        m = machine.Machine(work, qemu.qemu_command, **medium, **case.qemu)
        verdict = case.interact(m)
    except machine.Timeout as e:
        verdict = f"hang or missing output: {e}"
    except Exception as e:  # a broken case must not stop the run
        verdict = f"harness error: {e!r}"
    finally:
        log = m.log() if m else ""
        if m:
            m.close()
        if verdict is not None:
            os.makedirs(LOGDIR, exist_ok=True)
            kept = os.path.join(LOGDIR, label.replace("/", "_") + ".log")
            with open(kept, "w") as f:
                f.write(log)
            verdict += f" (serial log: {os.path.relpath(kept, ROOT)})"
        shutil.rmtree(work, ignore_errors=True)
    return Result(case.name, verdict is None, verdict or "", time.monotonic() - t0)


def run_boot(case, label=None):
    """Boot one case; return a Result.  label (default: the case's name)
    names the kept serial log."""
    label = label or case.name
    if case.interact:
        return run_interactive(case, label)
    t0 = time.monotonic()
    work = tempfile.mkdtemp(prefix="boot-", dir=os.path.join(ROOT, "build"))
    log_path = os.path.join(work, "serial.log")
    try:
        medium = case.prepare(work)
        cmd = qemu.qemu_command(work, serial=f"file:{log_path}", **medium,
                                **case.qemu)
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = t0 + case.timeout
        verdict = None
        while True:
            rc = proc.poll()
            log = clean(open(log_path, errors="replace").read()) \
                if os.path.exists(log_path) else ""
            if rc is not None:
                break
            if case.done_when and markers_in_order(log, case.done_when) is None:
                proc.kill()
                proc.wait()
                rc = "stopped"
                break
            if time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                rc = "timeout"
                break
            time.sleep(0.2)
        out = proc.stdout.read().decode(errors="replace").strip()
        log = clean(open(log_path, errors="replace").read()) \
            if os.path.exists(log_path) else ""
        verdict = classify(case, rc, log, out)
        if verdict is None:
            missing = markers_in_order(log, case.markers)
            if missing is not None:
                verdict = f"marker missing: {missing!r}"
        if verdict is None and case.check:
            verdict = case.check(log)
        if verdict is not None:
            os.makedirs(LOGDIR, exist_ok=True)
            kept = os.path.join(LOGDIR, label.replace("/", "_") + ".log")
            with open(kept, "w") as f:
                f.write(log)
            verdict += f" (serial log: {os.path.relpath(kept, ROOT)})"
        return Result(case.name, verdict is None, verdict or figures(case, log),
                      time.monotonic() - t0)
    except Exception as e:  # a broken case must not stop the run
        return Result(case.name, False, f"harness error: {e}",
                      time.monotonic() - t0)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def classify(case, rc, log, qemu_out):
    """How the run ended, against what the case expects; None when fine."""
    panicked = "PANIC" in log
    if rc == "timeout":
        return f"hang: no end within {case.timeout} s" + (" (after a PANIC)" if panicked else "")
    if rc == "stopped":
        return None  # done_when seen: the expected end
    if case.done_when:
        return f"ended before its markers (QEMU status {rc})"
    m = re.search(r"kernel: stopping, status (\d+)", log)
    if rc == 0:
        return "triple fault / reset (QEMU exited on -no-reboot)"
    if rc % 2 == 1 and m:
        status = rc >> 1
        if status != int(m.group(1)):
            return f"exit status {status} does not match the kernel's {m.group(1)}"
        if status != case.status:
            kind = "panic" if panicked else "wrong exit status"
            return f"{kind}: status {status}, expected {case.status}"
        return None
    return f"QEMU error (status {rc}): {qemu_out[-300:]}"


def run_host(binary):
    """Run one cmocka binary with TAP output; one Result per test in it."""
    name = os.path.basename(binary)
    env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP", KSTUB_QUIET="1")
    try:
        p = subprocess.run([binary], env=env, capture_output=True, text=True,
                           timeout=300)
    except subprocess.TimeoutExpired:
        return [Result(f"host/{name}", False, "hang: over 300 s")]
    results = []
    for line in p.stdout.splitlines():
        m = re.match(r"(not ok|ok) \d+ - (.*)", line)
        if m:
            results.append(Result(f"host/{name}/{m.group(2).strip()}",
                                  m.group(1) == "ok"))
    if p.returncode != 0 and all(r.ok for r in results):
        tail = (p.stdout + p.stderr).strip().splitlines()[-5:]
        results.append(Result(f"host/{name}", False,
                              f"exit status {p.returncode}: " + " | ".join(tail)))
    if not results:
        results.append(Result(f"host/{name}", False, "printed no TAP results"))
    return results


def run_command(spec):
    """NAME=COMMAND: a test that passes when COMMAND exits 0."""
    name, cmd = spec.split("=", 1)
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, shell=True, capture_output=True, text=True,
                           timeout=900, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return Result(name, False, "hang: over 900 s", time.monotonic() - t0)
    # The summary is the last line of stdout (stderr has progress chatter).
    out = p.stdout.strip().splitlines() or p.stderr.strip().splitlines()
    last = out[-1] if out else ""
    if p.returncode != 0:
        os.makedirs(LOGDIR, exist_ok=True)
        kept = os.path.join(LOGDIR, name.replace("/", "_") + ".log")
        with open(kept, "w") as f:
            f.write(p.stdout + p.stderr)
        return Result(name, False, f"{last} (log: {os.path.relpath(kept, ROOT)})",
                      time.monotonic() - t0)
    return Result(name, True, last, time.monotonic() - t0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", nargs="*", default=[], help="cmocka test binaries")
    ap.add_argument("--boot", default="all",
                    help="comma-separated boot-case name prefixes, or 'none'")
    ap.add_argument("--cmd", action="append", default=[],
                    help="NAME=COMMAND: a test that passes when COMMAND exits 0")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run the selected boot cases this many times in a row")
    ap.add_argument("-j", type=int, default=os.cpu_count() or 2)
    a = ap.parse_args()

    lock = threading.Lock()
    results = []
    n = [0]

    def report(rs):
        with lock:
            for r in rs:
                n[0] += 1
                results.append(r)
                t = f" ({r.seconds:.1f} s)" if r.seconds else ""
                if r.ok:
                    d = f" # {r.detail}" if r.detail else ""
                    print(f"ok {n[0]} - {r.name}{t}{d}", flush=True)
                else:
                    print(f"not ok {n[0]} - {r.name}{t}: {r.detail}", flush=True)

    for b in a.host:
        report(run_host(b))

    selected = []
    if a.boot != "none":
        wanted = a.boot.split(",")
        selected = [c for c in cases.boot_cases(ROOT)
                    if a.boot == "all" or any(c.name.startswith(w) for w in wanted)]
    # Every round's cases go to one pool, in order, so that a round's last
    # slow boot overlaps the next round's first ones; results are reported
    # in submission order all the same.
    clean_rounds = longest = 0
    with ThreadPoolExecutor(max_workers=max(1, a.j)) as pool:
        jobs = [(rnd, pool.submit(run_boot, c,
                                  f"round{rnd}-{c.name}" if a.repeat > 1 else None))
                for rnd in range(1, a.repeat + 1) for c in selected]
        for i, (rnd, job) in enumerate(jobs):
            if a.repeat > 1 and i % len(selected) == 0:
                print(f"# round {rnd} of {a.repeat}", flush=True)
            r = job.result()
            if a.repeat > 1:
                r.name = f"round {rnd}: {r.name}"
            report([r])
            if a.repeat > 1 and (i + 1) % len(selected) == 0:
                if all(x.ok for x in results[-len(selected):]):
                    clean_rounds += 1
                    longest = max(longest, clean_rounds)
                    print(f"# round {rnd}: clean ({clean_rounds} clean in a row)",
                          flush=True)
                else:
                    clean_rounds = 0
                    print(f"# round {rnd}: NOT clean", flush=True)
    if a.repeat > 1:
        print(f"# {a.repeat} rounds of {len(selected)} boots: the last {clean_rounds} "
              f"clean in a row, the longest clean run {longest}", flush=True)
    for spec in a.cmd:
        report([run_command(spec)])

    passed = sum(r.ok for r in results)
    failed = len(results) - passed
    print(f"1..{len(results)}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed or not results else 0)


if __name__ == "__main__":
    main()
