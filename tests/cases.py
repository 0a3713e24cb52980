"""cases.py: the boot tests that `make test` runs (see run.py).

Each BootCase names a boot medium (a copy of esp/, possibly altered, or the
disk image), the QEMU machine, the serial markers that must appear in order,
and how the run must end: an exit status through isa-debug-exit, or, for
the loader's bad-input cases, the firmware taking over again (done_when).
"""
import os
import re
import shutil
import subprocess
import sys
import struct
import time

import machine

# Every stage of the hand-off, in order.
BOOT_MARKERS = [
    "loader: start",
    "loader: kernel loaded",
    "loader: boot services exited",
    "kernel: entry",
    "keel 0.1: x86_64 kernel booting",
    "memory: ",
    "kernel: identity mapping removed",
    "vm audit: ",
    "kernel: starting /sbin/init as pid 1",
    "init: powering off",
]
# The shell's prompt, as root.
PROMPT = re.compile(r"keel:[^\n]*# $")
# OVMF's boot manager reports an application that returned an error.
FIRMWARE_BACK = "BdsDxe: failed to start"


class BootCase:
    def __init__(self, name, markers, status=0, timeout=90, medium="esp",
                 alter=None, qemu=None, done_when=None, check=None, interact=None,
                 tree="esp", figures=()):
        self.name = name
        self.markers = markers
        self.status = status
        self.timeout = timeout
        self.medium = medium      # "esp", "usb" (disk image as USB stick)
        self.alter = alter        # fn(esp_dir) changing the copied tree
        self.qemu = qemu or {}
        self.done_when = done_when
        self.check = check        # fn(log) -> None or a failure reason
        self.interact = interact  # fn(machine.Machine) -> None or a reason
        self.tree = tree          # the ESP tree to boot, relative to the repo
        self.figures = figures    # regexes of log lines to show on the ok line
        self.root = None

    def prepare(self, work):
        if self.medium == "usb" and not self.alter:
            return {"image": os.path.join(self.root, "build", "disk.img"),
                    "usb": True}
        esp = os.path.join(work, "esp")
        shutil.copytree(os.path.join(self.root, self.tree), esp)
        if self.alter:
            self.alter(esp)
        if self.medium == "usb":
            # The altered tree on a disk image of its own, as a USB stick.
            img = os.path.join(work, "disk.img")
            subprocess.run([os.path.join(self.root, "tools", "mkimage"), esp, img],
                           check=True, stdout=subprocess.DEVNULL)
            return {"image": img, "usb": True}
        return {"esp": esp}


# ---- ways to break the kernel file ----

def kernel_path(esp):
    return os.path.join(esp, "boot", "kernel.elf")


def remove_kernel(esp):
    os.remove(kernel_path(esp))


def truncate_kernel(esp):
    with open(kernel_path(esp), "r+b") as f:
        f.truncate(3000)  # past the headers, inside the first segment


def foreign_machine(esp):
    with open(kernel_path(esp), "r+b") as f:
        f.seek(18)                      # e_machine
        f.write(struct.pack("<H", 183))  # EM_AARCH64


def lower_half_segment(esp):
    with open(kernel_path(esp), "r+b") as f:
        data = bytearray(f.read())
        phoff, = struct.unpack_from("<Q", data, 32)
        phentsize, phnum = struct.unpack_from("<HH", data, 54)
        for i in range(phnum):
            off = phoff + i * phentsize
            if struct.unpack_from("<I", data, off)[0] == 1:  # PT_LOAD
                struct.pack_into("<Q", data, off + 16, 0x400000)  # p_vaddr
                break
        f.seek(0)
        f.write(data)


def set_cmdline(text):
    def alter(esp):
        with open(os.path.join(esp, "boot", "cmdline.txt"), "w") as f:
            f.write(text + "\n")
    return alter


def shell_launch(args):
    """No removable-media loader: OVMF falls back to its shell, whose
    startup.nsh starts the loader with load options."""
    def alter(esp):
        shutil.move(os.path.join(esp, "EFI", "BOOT", "BOOTX64.EFI"),
                    os.path.join(esp, "keel.efi"))
        with open(os.path.join(esp, "startup.nsh"), "w") as f:
            f.write(f"fs0:\\keel.efi {args}\r\n")
        set_cmdline("from-cmdline-txt")(esp)
    return alter


def contains(text):
    def check(log):
        return None if text in log else f"missing from the log: {text!r}"
    return check


def to_shell_and_exit(markers, check=None):
    """A boot that ends in the shell: type exit there, then check the
    serial markers in order and that init powered the machine off."""
    def interact(m):
        m.expect(PROMPT, 90)
        m.send("exit\n")
        m.expect("init: powering off", 30)
        rc = m.wait_exit(30)
        log = m.log()
        pos = 0
        for mk in markers:
            i = log.find(mk, pos)
            if i < 0:
                return f"marker missing: {mk!r}"
            pos = i + len(mk)
        if rc != 1:
            return f"QEMU ended with status {rc}, expected 1 (kernel status 0)"
        return check(log) if check else None
    return interact


def loader_refuses(name, alter, message):
    return BootCase(name, ["loader: start", message,
                           "loader: returning to the firmware"],
                    alter=alter, done_when=[message, FIRMWARE_BACK], timeout=60)


def no_failed_ktests(log):
    bad = [l for l in log.splitlines() if l.startswith("not ok")]
    return f"kernel self-tests failed: {bad}" if bad else None


def crash_case(kind, markers, extra=None, qemu=None):
    """A deliberate kernel fault: its report, and the panic exit status."""
    return BootCase(f"panic/{kind}", ["kernel: entry", f"crash: deliberate {kind}"] +
                    markers + ["kernel: stopping, status 127"],
                    status=0x7f, alter=set_cmdline(f"crash={kind}"),
                    check=contains(extra) if extra else None, qemu=qemu)


PANIC_TAIL = ["RIP ", "<crash+", "CR2 ", "RAX ", "CR0 ", "CR3 ", "CR4 ", "backtrace:",
              "<kmain+"]


def shell_session(m):
    """Drive the shell (Debian's busybox ash, a login shell in /root) over
    the serial console like a user would."""
    m.expect(PROMPT, 90)

    def run(cmd, *wants, timeout=30):
        m.send(cmd + "\n")
        # ash's line editing redraws the prompt on ^U: the first text
        # wanted comes before the prompt that ends the command.
        out = m.expect(wants[0], timeout) if wants and isinstance(wants[0], str) else ""
        out += m.expect(PROMPT, timeout)
        for w in wants:
            if (w not in out) if isinstance(w, str) else not w.search(out):
                return f"{cmd!r}: expected {w!r} in {out!r}"
        return None

    steps = [
        ("echo hello, world", "hello, world\n"),
        ("echo 'single  quoted' \"double $HOME\"", "single  quoted double /root\n"),
        ("pwd; readlink /bin/sh; id", "/root\nbusybox\nuid=0(root) gid=0(root)"),
        ("bash -c 'echo bash ${BASH_VERSINFO[0]} $((6 * 7))'", "bash 5 42\n"),
        ("ls /", "bin", "proc", "test", "tmp"),
        ("echo piped | cat | cat", "piped\n"),
        ("echo one > /tmp/f && echo two >> /tmp/f && cat /tmp/f", "one\ntwo\n"),
        ("cat < /tmp/f | cat", "one\ntwo\n"),
        ("ls /tmp", "f"),
        ("false; echo status=$?", "status=1\n"),
        ("true && echo and-ok || echo and-bad", "and-ok\n"),
        ("false || echo or-ok", "or-ok\n"),
        ("/test/echoargs; echo code=$?", re.compile(r"code=\d+")),
        ("no-such-command; echo code=$?", "not found", "code=127"),
        ("cd /test && pwd", "/test\n"),
        ("cd /; ps", "PID", "init", "sh"),
        ("free", "Mem:"),
        ("uptime", " up "),
        ("uname -s -r -m", "keel 0.1 x86_64"),
        ("sleep 0.2 & wait; echo waited", "waited\n"),
    ]
    for cmd, *wants in steps:
        why = run(cmd, *wants)
        if why:
            return why
    # An orphan's parent becomes init, which must reap it: no zombie stays.
    m.send("sh -c 'sleep 0.1 &'; sleep 0.5; ps -o pid,ppid,stat,comm\n")
    out = m.expect(PROMPT, 30)
    if re.search(r"^\s*\d+\s+1\s+Z", out, re.M):
        return f"init left an orphan a zombie: {out!r}"
    # The line discipline: backspace (DEL), ^U (kill line), ^W (word erase).
    why = (run("echo abcX\x7f", "abc\n") or run("junk junk\x15echo killed", "killed\n") or
           run("echo one two\x17three", "one three\n"))
    if why:
        return why
    # ^D ends wc's input: an empty read, then the prompt again.  What is
    # typed while ash's line editing holds the terminal raw is not echoed,
    # as on Linux: the line waits for "reading", printed in cooked mode.
    # (Not cat: busybox cat copies with sendfile, which on Linux 6.1 as on
    # keel goes on after a line's short read, so it takes a second ^D.)
    m.send("echo reading; wc -l\n")
    m.expect("reading\n", 30)
    m.send("typed line\n")
    m.expect("typed line\n", 30)
    m.send("\x04")
    m.expect(re.compile(r"^ *1\n", re.M), 30)
    m.expect(PROMPT, 30)
    # A program spinning in ring 3 stops on ^C; the shell survives it.
    m.send("/test/int80spin\n")
    m.expect("spinning", 30)
    m.send("\x03")
    m.expect(PROMPT, 30)
    why = run("echo still here", "still here\n")
    if why:
        return why
    m.send("exit\n")
    m.expect("init: powering off", 30)
    rc = m.wait_exit(30)
    return None if rc == 1 else f"QEMU ended with status {rc}, expected 1 (kernel 0)"


BB_PROMPT = "jobs$ "


def busybox_jobs_session(m):
    """Job control in Debian's busybox ash (/test/bbjobs as init), typed
    over the serial console: a foreground job stopped with ^Z, jobs, bg,
    fg, then ^C.  The same on keel and under Linux (tools/linux-check
    --session busybox-jobs); ends once the shell has exited."""
    m.expect(BB_PROMPT, 90)

    def run(cmd, *wants, timeout=30):
        m.send(cmd + "\n")
        out = m.expect(BB_PROMPT, timeout)
        for w in wants:
            if not re.search(w, out):
                return f"{cmd!r}: expected {w!r} in {out!r}"
        return None

    def keep_typing(key, until, what):
        """key until the shell reacts: the first may come before the shell
        has given the job the terminal (then its own group ignores it)."""
        for _ in range(5):
            time.sleep(0.5)
            m.send(key)
            try:
                return m.expect(until, 3)
            except machine.Timeout:
                pass
        raise machine.Timeout(f"{what}: no {until.pattern!r} after 5 tries")

    m.send("sleep 100\n")
    m.expect("sleep 100\n", 30)
    keep_typing("\x1a", re.compile(r"\[1\]\+ +Stopped +sleep 100\n"), "^Z")
    m.expect(BB_PROMPT, 30)
    why = (run("jobs", r"\[1\]\+ +Stopped +sleep 100\n") or
           run("bg", r"\[1\] sleep 100\n") or
           run("jobs", r"\[1\]\+ +Running +sleep 100\n"))
    if why:
        return why
    m.send("fg\n")
    m.expect("fg\nsleep 100\n", 30)
    out = keep_typing("\x03", re.compile(re.escape(BB_PROMPT)), "^C")
    if not out.endswith("^C\n" + BB_PROMPT):
        return f"^C: expected the echo, a newline and the prompt, got {out!r}"
    why = run("echo status=$?", r"status=130\n") or run("jobs")
    if why:
        return why
    m.send("exit\n")
    m.expect("bbjobs: the shell ended, status 0", 30)
    return None


def busybox_jobs_keel(m):
    why = busybox_jobs_session(m)
    if why:
        return why
    m.expect("init: exited with status 0", 30)
    rc = m.wait_exit(30)
    return None if rc == 1 else f"QEMU ended with status {rc}, expected 1 (kernel 0)"


def keyboard_session(m):
    """Keys pressed on the PS/2 keyboard reach the shell."""
    m.expect(PROMPT, 90)
    m.sendkey("echo kbd ok\n")
    m.expect("kbd ok\n", 30)
    m.expect(PROMPT, 30)
    m.sendkey("exit\n")
    m.expect("init: powering off", 30)
    return None


FONT = "/usr/share/consolefonts/Uni2-VGA16.psf.gz"


def framebuffer_session(m):
    """What the shell prints is on the framebuffer: decode a screendump of
    QEMU's display cell by cell against the console font."""
    m.expect(PROMPT, 90)
    m.send("echo fb-test-marker\n")
    m.expect(PROMPT, 30)
    ppm = os.path.join(m.work, "screen.ppm")
    if not m.screendump(ppm):
        return "no screendump from the QEMU monitor"
    tool = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "tools", "screendump.py")
    out = subprocess.run([sys.executable, tool, "--font", FONT, ppm],
                         capture_output=True, text=True)
    screen = [line.rstrip() for line in out.stdout.splitlines()]
    for want in ("root@keel:~# echo fb-test-marker", "fb-test-marker", "init: keel 0.1 on x86_64, pid 1"):
        if want not in screen:
            return f"framebuffer lacks the line {want!r}; decoded: {screen[-8:]!r}"
    return None


# The boot matrix (issue 6): a covering set of QEMU configurations in which
# every pair of values of machine type, memory size (128 MiB, 1 GiB, and
# 6 GiB: RAM above 4 GiB), CPU count (1, or 4 with the APs parked by the
# firmware), CPU model (qemu64: no SMEP/SMAP/UMIP; max) and boot medium
# (fat: directory drive, USB-stick image) appears at least once.
MATRIX = [
    # machine, memory, smp, cpu, medium
    ("q35", "128M", 1, "qemu64", "esp"),
    ("q35", "1G", 4, "max", "esp"),
    ("q35", "6G", 4, "qemu64", "usb"),
    ("pc", "128M", 4, "max", "usb"),
    ("pc", "1G", 1, "qemu64", "usb"),
    ("pc", "6G", 1, "max", "esp"),
]


def matrix_cases():
    cases = []
    for machine, mem, smp, cpu, medium in MATRIX:
        conf = f"{machine}-{mem}-{smp}cpu-{cpu}-{medium}"
        q = {"machine": machine, "memory": mem, "smp": smp, "cpu": cpu}
        cases.append(BootCase(f"matrix/{conf}/ktest",
                              BOOT_MARKERS[:-2] + ["KTAP version 1", "ktest: "],
                              medium=medium, qemu=q, alter=set_cmdline("ktest=all"),
                              check=no_failed_ktests, timeout=120))
        cases.append(BootCase(f"matrix/{conf}/utest",
                              ["kernel: starting /test/utest as pid 1", "utest: ",
                               "init: exited with status 0"],
                              medium=medium, qemu=q,
                              alter=set_cmdline("init=/test/utest audit=switch"),
                              check=no_failed_ktests, timeout=300))
    return cases


# The syscall fuzzer as init.  make test: a fixed seed (a failure replays
# exactly), 100,000 calls; `make fuzz-syscalls` sets FUZZ_SEED (default: a
# new one each run, printed) and FUZZ_CALLS (millions) and FUZZ_TIMEOUT.
def fuzz_case():
    seed = os.environ.get("FUZZ_SEED", "1")
    calls = os.environ.get("FUZZ_CALLS", "100000")
    return BootCase("user/fuzz-syscalls",
                    ["kernel: starting /test/fuzz-syscalls as pid 1", "fuzz: seed ",
                     " children restarted", "init: exited with status 0"],
                    alter=set_cmdline(f"init=/test/fuzz-syscalls audit=switch {seed} {calls}"),
                    check=no_failed_ktests, timeout=int(os.environ.get("FUZZ_TIMEOUT", "300")),
                    figures=[r"^fuzz: seed .*", r"^fuzz: \d+ calls, .*", r"^fuzz: free memory.*"])


# The suites again with several CPUs (issue 14): -smp 4 under
# multi-threaded TCG (vCPUs preempted anywhere by the host: race windows
# wide open), one-threaded TCG, a topology with threads, absent CPU slots
# (-smp 2,maxcpus=4), and the pc machine.
def smp_cases():
    def suite(name, init, extra_q=None, args="", timeout=300):
        q = {"smp": 4}
        q.update(extra_q or {})
        return BootCase(name, ["smp: ", f"kernel: starting /test/{init} as pid 1",
                               "init: exited with status 0"],
                        qemu=q, alter=set_cmdline(f"init=/test/{init} audit=switch {args}"),
                        check=smp_check, timeout=timeout)
    return [
        BootCase("smp4/ktest", BOOT_MARKERS[:-2] + ["smp: 4 of 4 CPUs up", "KTAP version 1",
                                                    "ktest: "],
                 qemu={"smp": 4}, alter=set_cmdline("ktest=all"), check=smp_check,
                 timeout=180),
        suite("smp4/utest", "utest"),
        suite("smp4/hostile", "hostile"),
        suite("smp4/pthread-glibc", "pthread-glibc"),
        suite("smp4/pthread-musl", "pthread-musl", {"extra": ["-accel", "tcg,thread=single"]}),
        suite("smp4/shsuite-bash", "shrun", args="bash"),
        suite("smp4/fuzz-syscalls", "fuzz-syscalls", args="1 100000 j"),
        suite("smp2of4/utest", "utest", {"smp": "2,maxcpus=4", "machine": "pc"}),
    ]


def smp_check(log):
    bad = no_failed_ktests(log)
    if bad:
        return bad
    if "smp: " in log and " of " in log.split("smp: ", 1)[1].split("\n", 1)[0]:
        line = log.split("smp: ", 1)[1].split("\n", 1)[0]
        up, of = line.split(" CPUs up")[0].split(" of ")
        if up != of:
            return f"not every CPU came up: smp: {line}"
    return None


def boot_cases(root):
    cases = [
        BootCase("boot/fat", [], interact=to_shell_and_exit(BOOT_MARKERS)),
        BootCase("boot/usb-stick", [], medium="usb", interact=to_shell_and_exit(BOOT_MARKERS)),
        BootCase("boot/cmdline-file", [], alter=set_cmdline("hello world=1"),
                 interact=to_shell_and_exit(
                     BOOT_MARKERS, contains('\ncommand line: "hello world=1"'))),
        BootCase("boot/load-options", [], alter=shell_launch("opt=shell x=1"),
                 interact=to_shell_and_exit(
                     BOOT_MARKERS, contains('\ncommand line: "opt=shell x=1"'))),
        loader_refuses("loader/missing-kernel", remove_kernel,
                       "loader: cannot load \\boot\\kernel.elf: not found"),
        loader_refuses("loader/truncated-kernel", truncate_kernel,
                       "extends past the end of the file"),
        loader_refuses("loader/foreign-machine", foreign_machine,
                       "ELF for another machine"),
        loader_refuses("loader/lower-half-segment", lower_half_segment,
                       "is in the lower half"),
        BootCase("kernel/ktest", BOOT_MARKERS[:-2] + ["KTAP version 1", "ktest: "],
                 alter=set_cmdline("ktest=all"), check=no_failed_ktests),
        BootCase("kernel/kaslr", ["loader: kernel at 0xffffffff", "(KASLR)", "kernel: entry",
                                  "kaslr: kernel at 0xffffffff", "vm audit: ",
                                  "KTAP version 1", "ktest: "],
                 alter=set_cmdline("ktest=all"),
                 check=lambda log: no_failed_ktests(log) or (
                     "the kernel was not moved" if "offset 0x0\n" in log else None)),
        BootCase("kernel/nokaslr", ["loader: kernel at 0xffffffff80000000 (nokaslr)",
                                    "kaslr: kernel at 0xffffffff80000000, offset 0x0",
                                    "KTAP version 1", "ktest: "],
                 alter=set_cmdline("nokaslr ktest=all"), check=no_failed_ktests),
        # The PCI walk's list in the boot log: through ECAM on q35, through
        # ports 0xCF8/0xCFC on pc (no MCFG); then the driver-model self-tests.
        BootCase("kernel/pci-ecam", ["acpi: ", "ECAM at 0x",
                                     "pci: 00:00.0 8086:29c0 class 0600",
                                     "pci: 00:1f.0 8086:2918 class 0601",
                                     "pci: 00:1f.2 8086:2922 class 0106 prog-if 01 rev 02: SATA AHCI",
                                     " functions through ECAM", "KTAP version 1", "ktest: "],
                 alter=set_cmdline("ktest=pci*,irq*"), check=no_failed_ktests),
        BootCase("kernel/pci-ports", ["pci: 00:00.0 8086:1237 class 0600",
                                      "pci: 00:01.0 8086:7000 class 0601",
                                      " functions through ports 0xcf8/0xcfc",
                                      "KTAP version 1", "ktest: "],
                 qemu={"machine": "pc"}, alter=set_cmdline("ktest=pci*,irq*"),
                 check=no_failed_ktests),
        BootCase("kernel/clock-pmtimer", ["clock: ", "calibrated against the ACPI PM timer",
                                          "KTAP version 1", "ktest: "],
                 alter=set_cmdline("clock=pmtimer ktest=clock*,tick*"), check=no_failed_ktests),
        BootCase("kernel/clock-pit", ["clock: ", "calibrated against the PIT",
                                      "KTAP version 1", "ktest: "],
                 alter=set_cmdline("clock=pit ktest=clock*,tick*"), check=no_failed_ktests),
        BootCase("user/utest", ["kernel: starting /test/utest as pid 1", "utest: ",
                                "init: exited with status 0"],
                 alter=set_cmdline("init=/test/utest audit=switch"), check=no_failed_ktests,
                 timeout=240, figures=[r"^utest: .*"]),
        # The hostile suite: each case must end as on Linux (check with
        # tools/linux-check --init /test/hostile) while the kernel survives;
        # no_failed_ktests also catches its "not ok" lines.
        BootCase("user/hostile", ["kernel: starting /test/hostile as pid 1", "hostile: ",
                                  "init: exited with status 0"],
                 alter=set_cmdline("init=/test/hostile audit=switch"), check=no_failed_ktests,
                 timeout=300, figures=[r"^hostile: .*"]),
        # Again on a CPU without SMEP, SMAP and UMIP: the kernel's paths
        # without them, and the IRETQ cases that QEMU's TCG cannot run
        # with SMAP on (h_insn.c), which are skipped above.
        BootCase("user/hostile-qemu64", ["kernel: starting /test/hostile as pid 1",
                                         "hostile: ", "init: exited with status 0"],
                 qemu={"cpu": "qemu64"}, alter=set_cmdline("init=/test/hostile audit=switch"),
                 check=no_failed_ktests, timeout=300, figures=[r"^hostile: .*"]),
        # The first process starts with every register 0 but rsp, as on
        # Linux (linux/regcheck in make test runs it there as init too).
        BootCase("user/regcheck", ["kernel: starting /test/regcheck as pid 1",
                                   "regcheck: 1 passed, 0 failed", "init: exited with status 0"],
                 alter=set_cmdline("init=/test/regcheck")),
        BootCase("user/regcheck-qemu64", ["kernel: starting /test/regcheck as pid 1",
                                          "regcheck: 1 passed, 0 failed",
                                          "init: exited with status 0"],
                 qemu={"cpu": "qemu64"}, alter=set_cmdline("init=/test/regcheck")),
        # Debian's busybox ash doing ordinary shell work: command
        # substitution, pipelines, subshells, here-documents, background
        # jobs (every fork there is glibc's clone(SIGCHLD)).
        BootCase("user/busybox-sh", ["kernel: starting /test/bbsh as pid 1",
                                     "busybox-sh: ", "init: exited with status 0"],
                 alter=set_cmdline("init=/test/bbsh"), check=no_failed_ktests,
                 figures=[r"^busybox-sh: .*"]),
        # The shell-script suite (user/shsuite/) under busybox ash and under
        # bash-static: the language, redirections, jobs and traps, timeouts,
        # the text and file utilities (linux/shsuite-* runs it under Linux).
        BootCase("user/shsuite-ash", ["kernel: starting /test/shrun as pid 1",
                                      "shsuite-ash: ", "init: exited with status 0"],
                 alter=set_cmdline("init=/test/shrun ash"), check=no_failed_ktests,
                 timeout=300, figures=[r"^shsuite-ash: .*"]),
        BootCase("user/shsuite-bash", ["kernel: starting /test/shrun as pid 1",
                                       "shsuite-bash: ", "init: exited with status 0"],
                 alter=set_cmdline("init=/test/shrun bash"), check=no_failed_ktests,
                 timeout=300, figures=[r"^shsuite-bash: .*"]),
        # Threads and futexes through musl's and glibc's pthreads (the
        # same program, each library's own thread code; linux/pthread-*
        # runs both under Linux).
        BootCase("user/pthread-musl", ["kernel: starting /test/pthread-musl as pid 1",
                                       "pthread-musl: ", "init: exited with status 0"],
                 alter=set_cmdline("init=/test/pthread-musl audit=switch"),
                 check=no_failed_ktests, timeout=300, figures=[r"^pthread-musl: .*"]),
        BootCase("user/pthread-glibc", ["kernel: starting /test/pthread-glibc as pid 1",
                                        "pthread-glibc: ", "init: exited with status 0"],
                 alter=set_cmdline("init=/test/pthread-glibc"),
                 check=no_failed_ktests, timeout=300, figures=[r"^pthread-glibc: .*"]),
        # Several CPUs at once (issue 14): stale TLB entries, fork/exec,
        # pipes, futexes and signals across CPUs, affinity and getcpu,
        # parallel threads, free memory after each (linux/smpstress runs
        # it under Linux at -smp 4).
        BootCase("user/smpstress", ["kernel: starting /test/smpstress as pid 1",
                                    "smpstress: ", "init: exited with status 0"],
                 qemu={"smp": 4}, alter=set_cmdline("init=/test/smpstress"),
                 check=no_failed_ktests, timeout=300, figures=[r"^smpstress: .*"]),
        BootCase("user/smpstress-glibc", ["kernel: starting /test/smpstress-glibc as pid 1",
                                          "smpstress-glibc: ", "init: exited with status 0"],
                 qemu={"smp": "4,sockets=1,cores=2,threads=2"},
                 alter=set_cmdline("init=/test/smpstress-glibc"),
                 check=no_failed_ktests, timeout=300, figures=[r"^smpstress-glibc: .*"]),
        BootCase("user/int80", ["kernel: starting /test/int80 as pid 1", "int80 ok",
                                "init: exited with status 42"],
                 status=42, alter=set_cmdline("init=/test/int80")),
        BootCase("user/ring3-timer", ["kernel: starting /test/int80spin as pid 1",
                                      "int80spin: spinning",
                                      "timer: 50 ticks arrived in ring 3, each on pid 1's kernel stack"],
                 alter=set_cmdline("init=/test/int80spin ring3ticks=50 audit=switch")),
        # Under -icount the TSC counts instructions: the ticks after a
        # screenful of console output must not charge its redraw to init.
        BootCase("user/tick-after-output", ["kernel: starting /test/ticklat as pid 1",
                                            "ticklat: last write ", "ticklat: ok",
                                            "init: exited with status 0"],
                 qemu={"extra": ["-icount", "shift=0,sleep=off"]},
                 alter=set_cmdline("init=/test/ticklat"), timeout=300,
                 figures=[r"^ticklat: last write .*"]),
        BootCase("user/no-init", ["kernel: cannot start init /no/such/init: error 2"],
                 status=0x7d, alter=set_cmdline("init=/no/such/init")),
        BootCase("shell/session", [], interact=shell_session, timeout=240),
        # Job control in busybox ash, typed on the console: ^Z, jobs, bg,
        # fg, ^C (linux/busybox-jobs types the same under Linux).
        BootCase("shell/busybox-jobs", [], alter=set_cmdline("init=/test/bbjobs"),
                 interact=busybox_jobs_keel, timeout=240),
        BootCase("shell/keyboard", [], interact=keyboard_session, timeout=240),
        BootCase("shell/framebuffer", [], interact=framebuffer_session, timeout=240),
        crash_case("null", ["PANIC: page fault (#PF), vector 14, in kernel mode",
                            "page not present, write from kernel mode"] + PANIC_TAIL,
                   extra="CR2 0000000000000000"),
        crash_case("stack", ["PANIC: double fault (#DF), vector 8, in kernel mode",
                             "kernel stack overflow: hit the guard page of the boot stack",
                             "<recurse+", "the same frame", "<crash+", "<kmain+"]),
        crash_case("div0", ["PANIC: divide error (#DE), vector 0"] + PANIC_TAIL),
        crash_case("ud", ["PANIC: invalid opcode (#UD), vector 6"] + PANIC_TAIL),
        crash_case("wx", ["PANIC: page fault (#PF)",
                          "protection violation, write from kernel mode"] + PANIC_TAIL),
        crash_case("smash", ["PANIC: stack protector: a kernel stack was smashed"]),
        crash_case("assert", ["PANIC: ASSERT failed: zero == 1 at kernel/test/crash.c"]),
        # The lock checks (issue 14): recursion, an order inversion, a sleep holding a
        # spinlock.  They run once a second CPU does (spinlock.h).
        crash_case("spin-again", ["PANIC: spinlock: CPU 0 takes crash-a again"],
                   qemu={"smp": 2}),
        crash_case("lock-order", ["PANIC: spinlock: lock order inversion: crash-a taken"
                                  " holding crash-b"], qemu={"smp": 2}),
        crash_case("sleep-locked", ["PANIC: sleep_on holding the spinlock class crash-a"],
                   qemu={"smp": 2}),
        # The UBSan kernel: every undefined behaviour on these paths panics.
        BootCase("ubsan/ktest", BOOT_MARKERS[:-2] + ["KTAP version 1", "ktest: "],
                 tree="build/esp-ubsan", alter=set_cmdline("ktest=all"),
                 check=no_failed_ktests, timeout=180),
        BootCase("ubsan/utest", ["kernel: starting /test/utest as pid 1", "utest: ",
                                 "init: exited with status 0"],
                 tree="build/esp-ubsan", alter=set_cmdline("init=/test/utest audit=switch"),
                 check=no_failed_ktests, timeout=300),
        BootCase("ubsan/shell", [], tree="build/esp-ubsan", interact=shell_session,
                 timeout=300),
        BootCase("ubsan/detects", ["crash: deliberate ubsan",
                                   "PANIC: UBSan: signed addition overflow at kernel/test/crash.c:",
                                   "kernel: stopping, status 127"],
                 status=0x7f, tree="build/esp-ubsan", alter=set_cmdline("crash=ubsan")),
        fuzz_case(),
    ] + matrix_cases() + smp_cases()
    for c in cases:
        c.root = root
    return cases
