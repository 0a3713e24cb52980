#!/usr/bin/env python3
"""screenshot.py: boot the system, run a short shell session, and save what
a user sees: docs/screenshot.png (QEMU's display, the framebuffer console)
and docs/session.txt (the same session as text, from the serial console).
Run by `make screenshot`; the README shows both.
"""
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import qemu  # noqa: E402
import machine  # noqa: E402
from cases import PROMPT, FONT  # noqa: E402

COMMANDS = ["uname -a", "ls /", "ls /test", "echo hello | cat", "ps", "free",
            "cat /proc/uptime", "sysinfo | cat"]


def main():
    docs = os.path.join(ROOT, "docs")
    os.makedirs(docs, exist_ok=True)
    work = tempfile.mkdtemp(prefix="shot-", dir=os.path.join(ROOT, "build"))
    m = machine.Machine(work, qemu.qemu_command, esp=os.path.join(ROOT, "esp"))
    try:
        # The session starts at the first prompt, whatever it says.
        session = [m.expect(PROMPT, 120).rsplit("\n", 1)[-1]]
        for cmd in COMMANDS:
            m.send(cmd + "\n")
            session.append(m.expect(PROMPT, 60))
        ppm = os.path.join(work, "screen.ppm")
        if not m.screendump(ppm):
            sys.exit("screenshot.py: no screendump")
        subprocess.run([sys.executable, os.path.join(ROOT, "tools", "screendump.py"),
                        "--font", FONT, ppm, "--png", os.path.join(docs, "screenshot.png")],
                       check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(docs, "session.txt"), "w") as f:
            f.write("".join(session).rstrip() + "\n")
        m.send("exit\n")
        m.wait_exit(30)
    finally:
        m.close()
        shutil.rmtree(work, ignore_errors=True)
    print("screenshot.py: wrote docs/screenshot.png and docs/session.txt")


if __name__ == "__main__":
    main()
