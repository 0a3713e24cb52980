#!/usr/bin/env python3
"""linux-session.py: boot Debian's Linux with an initramfs and drive one of
the interactive sessions of tests/cases.py over its serial console, as the
boot tests drive keel's: proving that what the session expects is Linux's
behaviour.  Called by tools/linux-check --session NAME, which builds the
kernel and the initramfs first.

Usage: linux-session.py KERNEL INITRD NAME [VERSION]
Prints the session's verdict and exits 0 when it passed.
"""
import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import cases  # noqa: E402
import machine  # noqa: E402

# Sessions that end with the shell's exit; Linux then panics (init exited).
SESSIONS = {
    "busybox-jobs": cases.busybox_jobs_session,
}


def linux_command(work, serial, extra, kernel, initrd, smp):
    # The same machine as tools/linux-check's, the serial line a socket.
    return ["qemu-system-x86_64", "-kernel", kernel, "-initrd", initrd,
            "-append", "console=ttyS0 panic=-1 quiet no5lvl",
            "-display", "none", "-serial", serial, "-no-reboot",
            "-m", "256M", "-cpu", "max", "-smp", smp] + list(extra)


def main():
    if len(sys.argv) < 4 or sys.argv[3] not in SESSIONS:
        sys.exit(f"usage: linux-session.py KERNEL INITRD {{{','.join(SESSIONS)}}} [VERSION [CPUS]]")
    kernel, initrd, name = sys.argv[1:4]
    version = sys.argv[4] if len(sys.argv) > 4 else "?"
    smp = sys.argv[5] if len(sys.argv) > 5 else "1"
    work = tempfile.mkdtemp(prefix="linux-", dir=os.path.join(ROOT, "build"))
    m = machine.Machine(work, linux_command, kernel=kernel, initrd=initrd, smp=smp)
    try:
        why = SESSIONS[name](m)
    except machine.Timeout as e:
        why = f"hang or missing output: {e}"
    finally:
        log = m.log()
        m.close()
    with open(os.path.join(ROOT, "build", "linux", "session.log"), "w") as f:
        f.write(log)
    if why:
        print(f"linux-check: Linux {version}: session {name}: FAILED: {why}")
        print("linux-check: serial log in build/linux/session.log")
        sys.exit(1)
    print(f"linux-check: Linux {version}: session {name}: passed")


if __name__ == "__main__":
    main()
