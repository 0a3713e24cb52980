#!/usr/bin/env python3
"""qemu.py: boot the project under QEMU + OVMF.

Used by `make run`, `make run-gui`, `make debug` and the boot tests, so that
every way of booting uses the same machine.  As a module: qemu_command()
returns the argument list; as a program it runs QEMU in the foreground.

The boot medium is either an ESP directory (QEMU's read-only `fat:` drive)
or a disk image (make image), attached as a disk or as a USB stick
(qemu-xhci + usb-storage: the path a real USB boot takes).
"""
import argparse
import os
import shutil
import sys
import tempfile

OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"


def qemu_command(workdir, esp=None, image=None, usb=False, machine="q35",
                 memory="512M", cpu="max", smp=1, serial="stdio", gui=False,
                 gdb=False, extra=()):
    """Return QEMU's argv.  workdir receives a private copy of the OVMF
    variable store, so parallel boots never share writable firmware state."""
    vars_copy = os.path.join(workdir, "OVMF_VARS.fd")
    shutil.copyfile(OVMF_VARS, vars_copy)
    cmd = [
        "qemu-system-x86_64",
        "-machine", machine,
        "-m", memory,
        "-cpu", cpu,
        "-smp", str(smp),
        "-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={OVMF_CODE}",
        "-drive", f"if=pflash,format=raw,unit=1,file={vars_copy}",
        "-nic", "none",          # no network: OVMF would try PXE first
        "-no-reboot",            # a triple fault ends the run instead of looping
        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
        "-serial", serial,
    ]
    if esp is not None:
        cmd += ["-drive", f"format=raw,snapshot=on,file=fat:{os.path.abspath(esp)}"]
    if image is not None:
        if usb:
            cmd += ["-device", "qemu-xhci,id=xhci",
                    "-drive", f"if=none,id=stick,format=raw,file={os.path.abspath(image)}",
                    "-device", "usb-storage,bus=xhci.0,drive=stick,removable=on"]
        else:
            cmd += ["-drive", f"format=raw,file={os.path.abspath(image)}"]
    if not gui:
        cmd += ["-display", "none"]
    if gdb:
        cmd += ["-s", "-S"]
    cmd += list(extra)
    return cmd


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--esp", help="ESP directory (fat: drive)")
    ap.add_argument("--image", help="disk image; attached as a USB stick")
    ap.add_argument("--disk", action="store_true",
                    help="attach --image as a plain disk instead of USB")
    ap.add_argument("--gui", action="store_true", help="open QEMU's window")
    ap.add_argument("--gdb", action="store_true", help="wait for gdb on :1234")
    ap.add_argument("--machine", default="q35")
    ap.add_argument("--memory", default="512M")
    ap.add_argument("--cpu", default="max")
    ap.add_argument("--smp", type=int, default=1)
    ap.add_argument("extra", nargs="*", help="more QEMU arguments (after --)")
    a = ap.parse_args()
    if not a.esp and not a.image:
        ap.error("give --esp DIR or --image FILE")
    work = tempfile.mkdtemp(prefix="qemu-")
    try:
        serial = "mon:stdio"  # Ctrl-A X quits, Ctrl-A C is the monitor
        cmd = qemu_command(work, esp=a.esp, image=a.image, usb=not a.disk,
                           machine=a.machine, memory=a.memory, cpu=a.cpu,
                           smp=a.smp, serial=serial, gui=a.gui, gdb=a.gdb,
                           extra=a.extra)
        rc = os.spawnvp(os.P_WAIT, cmd[0], cmd)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    # isa-debug-exit reports kernel status s as 2s+1.
    if rc & 1 and rc > 1:
        print(f"qemu.py: kernel exit status {rc >> 1}", file=sys.stderr)
    sys.exit(0 if rc in (0, 1) else rc)


if __name__ == "__main__":
    main()
