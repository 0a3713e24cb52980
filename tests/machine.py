"""machine.py: a QEMU machine a test can talk to.

The serial port and the QEMU monitor are unix sockets in the test's own
work directory (never a network port); everything the guest prints is also
logged to serial.log.  A test calls expect() to wait for output, send() to
type on the serial line, sendkey() to press keys on the PS/2 keyboard, and
screendump() for a picture of the framebuffer.
"""
import os
import re
import socket
import subprocess
import threading
import time

ANSI = re.compile(r"\x1b\[[0-9;=?]*[A-Za-z]")


class Timeout(Exception):
    pass


class Machine:
    def __init__(self, work, qemu_cmd_fn, **qemu_args):
        self.work = work
        self.ser_path = os.path.join(work, "serial.sock")
        self.mon_path = os.path.join(work, "monitor.sock")
        self.log_path = os.path.join(work, "serial.log")
        extra = list(qemu_args.pop("extra", ()))
        extra += ["-monitor", f"unix:{self.mon_path},server=on,wait=off"]
        serial = (f"chardev:ser0")
        # wait=on: the guest starts only once the serial socket is connected,
        # so nothing it prints is lost before then.
        extra = ["-chardev",
                 f"socket,id=ser0,path={self.ser_path},server=on,wait=on,"
                 f"logfile={self.log_path}"] + extra
        cmd = qemu_cmd_fn(work, serial=serial, extra=extra, **qemu_args)
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.ser = self._connect(self.ser_path)
        self.buf = ""          # everything read so far, cleaned
        self.pos = 0           # how far expect() has consumed
        self._tail = ""        # an escape sequence not yet complete
        self._chunks = []      # what the reader received, not yet in buf
        self._lock = threading.Lock()
        self._eof = threading.Event()   # the reader has seen the socket close
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        """Drain the serial socket as fast as the guest writes.  QEMU's UART
        sends a message per byte, so a few hundred unread bytes fill the
        socket; QEMU then holds the transmitter busy, and a guest that gives
        up waiting for it (the firmware's console after a while, the
        kernel's after 100,000 polls) loses its output.  A harness busy
        elsewhere, or descheduled on a loaded host, must not cause that."""
        while True:
            try:
                data = self.ser.recv(65536)
            except OSError:
                data = b""
            if not data:
                self._eof.set()
                return
            with self._lock:
                self._chunks.append(data)

    def _connect(self, path, wait=20):
        t0 = time.monotonic()
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError("QEMU exited: " +
                                   self.proc.stdout.read().decode(errors="replace"))
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(path)
                return s
            except OSError:
                if time.monotonic() - t0 > wait:
                    raise
                time.sleep(0.05)

    def _pump(self):
        with self._lock:
            chunks, self._chunks = self._chunks, []
        if not chunks:
            if self._tail and self._eof.is_set():
                self.buf += self._tail.replace("\r", "")
                self._tail = ""
                return True
            return False
        text = self._tail + b"".join(chunks).decode(errors="replace")
        # Hold back an escape sequence cut by the end of what came so far.
        esc = text.rfind("\x1b")
        if esc >= 0 and not ANSI.match(text, esc) and len(text) - esc < 16:
            text, self._tail = text[:esc], text[esc:]
        else:
            self._tail = ""
        self.buf += ANSI.sub("", text).replace("\r", "")
        return True

    def expect(self, pattern, timeout=30):
        """Wait until pattern (a string or a compiled regex) appears after
        what earlier expects consumed; return the text up to its end."""
        deadline = time.monotonic() + timeout
        while True:
            if isinstance(pattern, str):
                i = self.buf.find(pattern, self.pos)
                end = i + len(pattern) if i >= 0 else -1
            else:
                m = pattern.search(self.buf, self.pos)
                i, end = (m.start(), m.end()) if m else (-1, -1)
            if i >= 0:
                text = self.buf[self.pos:end]
                self.pos = end
                return text
            if self.proc.poll() is not None:
                self._drain()
                if (self.buf.find(pattern, self.pos) if isinstance(pattern, str)
                        else pattern.search(self.buf, self.pos)) not in (-1, None):
                    continue
                raise Timeout(f"QEMU exited (status {self.proc.returncode}) "
                              f"before {pattern!r}")
            if time.monotonic() > deadline:
                raise Timeout(f"no {pattern!r} within {timeout} s")
            if not self._pump():
                time.sleep(0.02)

    def send(self, text):
        self.ser.sendall(text.encode())

    def monitor(self, command, wait=0.3):
        """One monitor command; returns what the monitor answered."""
        s = self._connect(self.mon_path)
        s.settimeout(5)
        out = b""
        try:
            out += s.recv(4096)                   # banner and prompt
            s.sendall(command.encode() + b"\n")
            time.sleep(wait)
            while True:
                chunk = s.recv(65536)
                out += chunk
                if b"(qemu)" in chunk.split(command.encode())[-1] or not chunk:
                    break
        except socket.timeout:
            pass
        finally:
            s.close()
        return out.decode(errors="replace")

    def sendkey(self, keys):
        """Type text on the PS/2 keyboard through the monitor's sendkey."""
        names = {" ": "spc", "\n": "ret", "-": "minus", "=": "equal",
                 "/": "slash", ".": "dot", ",": "comma", ";": "semicolon",
                 "'": "apostrophe", "|": "shift-backslash", ">": "shift-dot",
                 "<": "shift-comma", "_": "shift-minus", "\"": "shift-apostrophe"}
        for ch in keys:
            if ch.isupper():
                key = "shift-" + ch.lower()
            else:
                key = names.get(ch, ch)
            self.monitor(f"sendkey {key}", wait=0.05)

    def screendump(self, path):
        self.monitor(f"screendump {path}", wait=1.0)
        t0 = time.monotonic()
        while not os.path.exists(path) and time.monotonic() - t0 < 10:
            time.sleep(0.1)
        return os.path.exists(path)

    def _drain(self):
        """Everything the guest wrote; once QEMU has exited, up to its end."""
        if self.proc.poll() is not None:
            self._eof.wait(5)
        while self._pump():
            pass

    def log(self):
        self._drain()
        return self.buf

    def wait_exit(self, timeout=30):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        try:
            self.ser.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.ser.close()
