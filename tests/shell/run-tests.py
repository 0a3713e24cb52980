#!/usr/bin/env python3
"""run-tests.py: tests the shell (user/sh) and the utilities (user/bin) on
the build host.

They are ordinary static Linux programs, so Linux itself is the reference
kernel: each case runs `sh -c SCRIPT` (or feeds SCRIPT to sh on stdin) in a
fresh temporary directory, with PATH holding only our own utilities, and
compares stdout and the exit status (and, where given, a piece of stderr)
with what is expected.  A few cases run the interactive shell on a pseudo-
terminal to test job control: ^C and ^Z reach the job, not the shell.

ps, free and uptime read /proc/<pid>/stat, /proc/<pid>/status,
/proc/meminfo, /proc/uptime and /proc/loadavg, which the host has too;
their numbers differ from machine to machine, so those cases only check
the format, with regular expressions.  poweroff and reboot are only run
with a bad argument: as root on this host the real call would work.

    tests/shell/run-tests.py [--build DIR] [--strace FILE]

--build: where the make rules put the programs (default: build), i.e.
DIR/user/sh and DIR/user/bin/*.  --strace: run every case under
`strace -f` and write to FILE every distinct system call the programs
made, with counts and the programs that made it: the list of what the
kernel must implement.

Prints TAP, then "N passed, N failed"; exits 1 if anything failed.
"""
import argparse
import collections
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TIMEOUT = 10


class Case:
    """One command line and what it must give.

    out: the exact stdout, or with regex=True a pattern it must fullmatch.
    err: a substring stderr must contain.  files: {path: (text, mode)}
    created in the directory first (mode None: a symlink to text).  stdin: fed to sh, which then reads
    its commands from it when script is None.
    """

    def __init__(self, name, script, out="", status=0, err=None, regex=False,
                 stdin=None, files=None, args=None):
        self.name, self.script, self.out, self.status = name, script, out, status
        self.err, self.regex, self.stdin = err, regex, stdin
        self.files = files or {}
        self.args = args


NARGS = {"nargs": ("echo $#\n", 0o755)}
HELLO = {"mybin/hello": ("echo hello from $0\n", 0o755),
         "noexec": ("echo no\n", 0o644)}
DIR = {"d/b": ("", 0o644), "d/a": ("", 0o644), "d/.hidden": ("", 0o644)}
GLOB = {"x1": ("", 0o644), "x2": ("", 0o644), "y1": ("", 0o644)}
SCRIPT = {"script.sh": ("#!/bin/sh\n# a comment\necho \"$0\" $# $1 $2\n"
                        "x=1\necho x=$x\nexit 5\necho not reached\n", 0o644)}

CASES = [
    # ---- words and quoting ----
    Case("echo", "echo hello   world", "hello world\n"),
    Case("echo -n", "echo -n a; echo -n b; echo", "ab\n"),
    Case("single quotes", "echo 'a  $HOME  \"b\" \\n'", 'a  $HOME  "b" \\n\n'),
    Case("double quotes", 'x=val; echo "x=$x \\"q\\" \\$x ${x}y \\n"',
         'x=val "q" $x valy \\n\n'),
    Case("backslash", "echo a\\ b \\$x \\\\ \\'", "a b $x \\ '\n"),
    Case("adjacent quotes", "echo 'a'\"b\"c'd e'", "abcd e\n"),
    Case("empty arguments", './nargs "" a "$nothing" $nothing \'\'', "4\n",
         files=NARGS),
    Case("field splitting", 'x="a   b"; echo $x; echo "$x"; ./nargs $x',
         "a b\na   b\n2\n", files=NARGS),
    Case("comments", "echo a # not this\n# nor this\necho b#c", "a\nb#c\n"),
    Case("line continuation", "echo a \\\n b", "a b\n"),
    Case("newline in quotes", "echo 'one\ntwo'", "one\ntwo\n"),
    Case("glob", "echo x*; echo 'x*' x\\*; echo [xy]1; echo none*",
         "x1 x2\nx* x*\nx1 y1\nnone*\n", files=GLOB),
    Case("tilde", "echo ~ ~/f '~'", "{HOME} {HOME}/f ~\n"),

    # ---- variables ----
    Case("assignment", "x=1 y=two; echo $x$y ${x}x", "1two 1x\n"),
    Case("$?", "false; echo $?; true; echo $?; nosuchcmd 2>/dev/null; echo $?",
         "1\n0\n127\n"),
    Case("$$", "echo $$; kill -0 $$ && echo alive", r"\d+\nalive\n", regex=True),
    Case("${#x}", "x=hello; echo ${#x} ${#nothing}", "5 0\n"),
    Case("export", "export A=1; B=2; sh -c 'echo A=$A B=$B'", "A=1 B=\n"),
    Case("prefix assignment", "C=3 sh -c 'echo $C'; echo \"[$C]\"", "3\n[]\n"),
    Case("unset", "x=1; unset x; echo \"[$x]\"", "[]\n"),
    Case("positional", "echo $0 $# $1 $2 \"$@\"", "name 2 a b c a b c\n",
         args=["name", "a b", "c"]),
    Case("bad substitution", "echo ${x y}", "", status=1, err="bad substitution"),
    Case("no command substitution", "echo $(echo x)", "", status=1,
         err="not supported"),

    # ---- pipes ----
    Case("pipe", "echo a | cat | cat", "a\n"),
    Case("pipe status", "false | true; echo $?; true | false; echo $?", "0\n1\n"),
    Case("pipe builtin", "pwd | cat", "{TMP}\n"),
    Case("long pipe", "echo x | cat | cat | cat | cat | cat | cat", "x\n"),

    # ---- redirections ----
    Case("redirect >", "echo hi > f; cat f", "hi\n"),
    Case("redirect >>", "echo 1 > f; echo 2 >> f; echo 3 >>f; cat f", "1\n2\n3\n"),
    Case("redirect <", "echo data > f; cat < f", "data\n"),
    Case("redirect 2>", "cat nosuch 2> e; echo $?; cat e",
         "1\ncat: nosuch: No such file or directory\n"),
    Case("redirect 2>&1", "cat nosuch 2>&1 | cat",
         "cat: nosuch: No such file or directory\n"),
    # 2>&1 >f: stderr goes where stdout was, then stdout to f.
    Case("redirect order", "cat nosuch >o 2>&1; cat o; cat nosuch 2>&1 >/dev/null",
         "cat: nosuch: No such file or directory\n" * 2, status=1),
    Case("redirect builtin", "pwd > f; echo after; cat f", "after\n{TMP}\n"),
    Case("redirect error", "cat < nosuch; echo $?", "1\n",
         err="nosuch: No such file or directory"),
    Case("redirect close", "echo x >&-; echo $?", "1\n"),
    Case("exec redirect", "exec > f; echo into f; cat f >&2", "", err="into f"),
    Case("exec command", "exec echo replaced; echo not reached", "replaced\n"),

    # ---- lists ----
    Case("&& || ;", "true && echo a; false && echo b; false || echo c; "
         "true || echo d; echo e", "a\nc\ne\n"),
    Case("and-or chain", "false && echo x || echo y; true || false && echo z",
         "y\nz\n"),
    Case("background wait", "sleep 0.2 & echo started; wait; echo done $?",
         "started\ndone 0\n"),
    Case("wait $!", "sh -c 'exit 3' & wait $!; echo $?", "3\n"),
    Case("background and-or", "true && echo bg & wait; echo after", "bg\nafter\n"),
    Case("kill a job", "sleep 5 & kill $!; wait $!; echo $?", "143\n"),

    # ---- signals and exit codes ----
    Case("SIGSEGV", "sh -c 'kill -SEGV $$'; echo $?", "139\n",
         err="Segmentation fault"),
    Case("SIGKILL", "sh -c 'kill -9 $$'; echo $?", "137\n", err="Killed"),
    Case("SIGTERM", "sh -c 'kill $$'; echo $?", "143\n", err="Terminated"),
    Case("exit n", "echo a; exit 3; echo b", "a\n", status=3),
    Case("exit $?", "false; exit", "", status=1),
    Case("exit bad", "exit x", "", status=2, err="numeric argument required"),
    Case("syntax error", "echo a |", "", status=2, err="unexpected end of file"),
    Case("syntax error 2", "| cat", "", status=2, err="syntax error near '|'"),
    Case("syntax error 3", "echo >", "", status=2, err="syntax error"),

    # ---- builtins, PATH ----
    Case("cd pwd", "cd /; pwd; cd; pwd; cd /tmp; cd -; echo $PWD",
         "/\n{HOME}\n{HOME}\n{HOME}\n"),
    Case("cd error", "cd nosuch; echo $?", "1\n", err="cd: nosuch"),
    Case("help", "help | cat", r"Builtin commands:\n(.*\n)*  cd .*\n(.*\n)*",
         regex=True),
    Case("PATH lookup", "PATH=$PWD/mybin:$PATH; hello", "hello from {TMP}/mybin/hello\n",
         files=HELLO),
    Case("path with /", "mybin/hello", "hello from mybin/hello\n", files=HELLO),
    Case("not found", "foo; echo $?", "127\n", err="sh: foo: not found"),
    Case("not executable", "./noexec; echo $?", "126\n", err="Permission denied",
         files=HELLO),
    Case("empty PATH", "PATH=/nonexistent; ls", "", status=127, err="ls: not found"),
    Case("script file", None, "script.sh 2 a b c\nx=1\n", status=5,
         args=["script.sh", "a b", "c"], files=SCRIPT),
    Case("stdin commands", None, "one\ntwo\n", stdin="echo one\necho two\n"),
    Case("stdin shared", None, "a\nhello\n", stdin="echo a\ncat\nhello\n"),
    Case("stdin continuation", None, "x\ny z\ny\nz\n",
         stdin="echo x |\ncat\necho y \\\nz | cat\necho \"y\nz\" | cat\n"),
    Case("interactive -i", None, "0\n", stdin="sleep 0.1 &\nwait\necho $?\n",
         args=["-i"], err="[1] "),
    Case("job done notice", None, "next\n",
         stdin="sleep 0.1 &\nsleep 0.4\necho next\n", args=["-i"],
         err="[1] done  sleep 0.1"),

    # ---- utilities ----
    Case("true false", "true; echo $?; false; echo $?", "0\n1\n"),
    Case("ls", "ls d", "a\nb\n", files=DIR),
    Case("ls -a", "ls -a d", ".\n..\n.hidden\na\nb\n", files=DIR),
    Case("ls -l", "ls -l d",
         r"total \d+\n(-rw-r--r-- +1 +\d+ +\d+ +0 \w{3} [ \d]\d ( \d{4}|\d\d:\d\d) [ab]\n){2}",
         regex=True, files=DIR),
    Case("ls -l symlink", "ls -l d/l d/a",
         r"-rw-r--r-- .* d/a\nlrwxrwxrwx +1 .* d/l -> a\n", regex=True,
         files=dict(DIR, **{"d/l": ("a", None)})),
    Case("ls symlink to dir", "ls ld", "a\nb\n", files=dict(DIR, ld=("d", None))),
    Case("ls operands", "ls d/a nosuch d; echo $?",
         "d/a\n\nd:\na\nb\n1\n", files=DIR, err="ls: nosuch"),
    Case("ls usage", "ls -z", "", status=1, err="usage: ls"),
    Case("cat", "echo 1 > a; echo 2 > b; cat a b; echo 3 | cat; echo 4 | cat a -",
         "1\n2\n3\n1\n4\n"),
    Case("cat error", "cat nosuch; echo $?", "1\n", err="cat: nosuch"),
    Case("uname", "uname -s; uname", "Linux\nLinux\n"),
    Case("uname -a", "uname -a", r"Linux \S+ \S+ .* x86_64\n", regex=True),
    Case("uname usage", "uname -x", "", status=1, err="usage: uname"),
    Case("sleep", "sleep 0.1; echo $?; sleep 0.05 0.05s", "0\n"),
    Case("sleep usage", "sleep; echo $?; sleep abc; echo $?", "1\n1\n",
         err="usage: sleep"),
    Case("kill -l", "kill -l 9; kill -l 139; kill -l SIGTERM; kill -l | cat",
         r"KILL\nSEGV\n15\n 1 HUP\n 2 INT\n(.*\n)*", regex=True),
    Case("kill -s", "sleep 5 & kill -s KILL $!; wait $!; echo $?", "137\n"),
    Case("kill usage", "kill; echo $?; kill -NOPE 999999999; echo $?", "1\n1\n",
         err="usage: kill"),
    Case("kill error", "kill 999999999; echo $?", "1\n", err="No such process"),
    Case("ps", "ps", r"  PID  PPID STATE NAME\n( *\d+ +\d+ [A-Za-z] .*\n)+",
         regex=True),
    Case("ps sees us", "sleep 1 & sleep 0.2; ps; kill $!",
         r"  PID  PPID STATE NAME\n(.*\n)* *\d+ +\d+ [A-Za-z] +sleep\n(.*\n)*",
         regex=True),
    Case("free", "free", r" +total +used +free +shared +buff/cache +available\n"
         r"Mem:( +\d+){6}\n(Swap:( +\d+){3}\n)?", regex=True),
    Case("free -m", "free -m", r" +total.*\nMem:( +\d+){6}\n(Swap:.*\n)?", regex=True),
    Case("free usage", "free -x", "", status=1, err="usage: free"),
    Case("uptime", "uptime",
         r" \d\d:\d\d:\d\d up (\d+ days?, )?( ?\d+:\d\d|\d+ min)"
         r"(,  load average: \d+\.\d\d, \d+\.\d\d, \d+\.\d\d)?\n", regex=True),
    Case("uptime -p", "uptime -p", r"up .*minutes?\n|up .*\n", regex=True),
    Case("sysinfo", "sysinfo -n 1000",
         r"vendor: +\S+\n(.*\n)*memory: .*\nsieve: +168 primes below 1000 in .*\n",
         regex=True),
    # Never without an argument: as root here, that would power off the host.
    Case("poweroff usage", "poweroff now", "", status=1, err="usage: poweroff"),
    Case("reboot usage", "reboot -f", "", status=1, err="usage: reboot"),
]


def expand(text, tmp, home):
    return text.replace("{TMP}", tmp).replace("{HOME}", home)


def setup_dir(case):
    tmp = os.path.realpath(tempfile.mkdtemp(prefix="shtest."))
    home = os.path.join(tmp, "home")
    os.mkdir(home)
    for path, (text, mode) in case.files.items():
        full = os.path.join(tmp, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        if mode is None:            # a symbolic link to text
            os.symlink(text, full)
            continue
        with open(full, "w") as f:
            f.write(text)
        os.chmod(full, mode)
    return tmp, home


def environment(bindir, home):
    return {"PATH": bindir, "HOME": home, "LC_ALL": "C", "TERM": "dumb"}


class Tracer:
    """Wraps commands in strace and tallies the system calls they make.

    For the calls whose meaning hangs on one argument (which ioctl, which
    fcntl, ...) the report lists the values seen too.
    """

    LINE = re.compile(r"^(\d+) +(?:<\.\.\. (\w+) resumed>|(\w+)\((.*))")
    EXEC = re.compile(r'^(\d+) +execve\("([^"]*)".*\) = 0$')
    FORK = re.compile(r"^(\d+) +(?:<\.\.\. )?(?:fork|vfork|clone|clone3)\b.*= (\d+)$")
    DETAIL = {"ioctl": 1, "fcntl": 1, "rt_sigaction": 0, "wait4": 2, "kill": 1,
              "open": 1, "arch_prctl": 0, "madvise": 2, "mmap": 3,
              "rt_sigprocmask": 0, "reboot": 2}

    def __init__(self, out):
        self.out = out
        self.strace = shutil.which("strace")
        if self.strace is None:
            sys.exit("run-tests.py: --strace needs strace (apt-get install strace)")
        self.dir = tempfile.mkdtemp(prefix="shtrace.")
        self.n = 0
        self.counts = collections.Counter()
        self.users = collections.defaultdict(set)
        self.details = collections.defaultdict(set)

    def wrap(self, argv):
        self.n += 1
        path = os.path.join(self.dir, "trace.%d" % self.n)
        return [self.strace, "-f", "-qq", "-o", path] + argv

    @staticmethod
    def argument(args, i):
        """The i-th top-level argument of an strace argument list."""
        depth, start, n = 0, 0, 0
        for k, c in enumerate(args + ","):
            if c in "[{(":
                depth += 1
            elif c in "]})":
                depth -= 1
                if depth < 0:
                    c = ","
            if c == "," and depth <= 0:
                if n == i:
                    return args[start:k].strip()
                n, start = n + 1, k + 1
                if depth < 0:
                    break
        return None

    def collect_one(self, path):
        with open(path, errors="replace") as f:
            lines = f.readlines()
        # A child runs its parent's program until it execs its own.
        parent = {}
        for line in lines:
            m = self.FORK.match(line)
            if m:
                parent[m.group(2)] = m.group(1)
        prog = {}
        for line in lines:
            m = self.LINE.match(line)
            if not m:
                continue
            pid = m.group(1)
            if pid not in prog:
                prog[pid] = prog.get(parent.get(pid), "?")
            e = self.EXEC.match(line)
            if e:
                prog[pid] = os.path.basename(e.group(2))
            if m.group(2):          # a call resumed: counted when it began
                continue
            name = m.group(3)
            self.counts[name] += 1
            self.users[name].add(prog[pid])
            if name in self.DETAIL:
                args = m.group(4).split(" <unfinished ...>")[0]
                arg = self.argument(args, self.DETAIL[name])
                if arg:
                    self.details[name].add(arg)

    def collect(self):
        for name in sorted(os.listdir(self.dir)):
            self.collect_one(os.path.join(self.dir, name))
        with open(self.out, "w") as f:
            f.write("# syscalls made by sh and the utilities during run-tests.py\n")
            f.write("# %d distinct; name, count, programs\n" % len(self.counts))
            for sc in sorted(self.counts):
                f.write("%-16s %6d  %s\n" % (sc, self.counts[sc],
                                            " ".join(sorted(self.users[sc]))))
            f.write("\n# arguments seen\n")
            for sc in sorted(self.details):
                f.write("%-16s %s\n" % (sc, "  ".join(sorted(self.details[sc]))))
        shutil.rmtree(self.dir)


def run_case(case, sh, bindir, tracer):
    tmp, home = setup_dir(case)
    try:
        argv = [sh]
        if case.script is not None:
            argv += ["-c", case.script]
        argv += case.args or []
        if tracer:
            argv = tracer.wrap(argv)
        try:
            p = subprocess.run(argv, cwd=tmp, env=environment(bindir, home),
                               input=(case.stdin or "").encode(),
                               capture_output=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return False, "timed out after %ds" % TIMEOUT
        out = p.stdout.decode(errors="replace")
        err = p.stderr.decode(errors="replace")
        want = expand(case.out, tmp, home)
        problems = []
        if case.regex:
            if not re.fullmatch(want, out):
                problems.append("stdout %r does not match %r" % (out, want))
        elif out != want:
            problems.append("stdout %r, expected %r" % (out, want))
        if p.returncode != case.status:
            problems.append("status %d, expected %d" % (p.returncode, case.status))
        if case.err is not None and expand(case.err, tmp, home) not in err:
            problems.append("stderr %r lacks %r" % (err, case.err))
        if problems and err and case.err is None:
            problems.append("stderr %r" % err)
        return not problems, "; ".join(problems)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---- the interactive shell on a pseudo-terminal ----

class Pty:
    """sh running on a pty as a user's shell: a session and a terminal."""

    def __init__(self, sh, bindir, tracer, tmp, home):
        argv = [sh]
        if tracer:
            argv = tracer.wrap(argv)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(tmp)
            os.execve(argv[0], argv, environment(bindir, home))
        self.buf = ""

    def expect(self, pattern, timeout=5):
        """Reads until pattern appears after what earlier expects matched."""
        end = time.time() + timeout
        while True:
            m = re.search(pattern, self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return True
            left = end - time.time()
            if left <= 0:
                return False
            r, _, _ = select.select([self.fd], [], [], left)
            if not r:
                continue
            try:
                data = os.read(self.fd, 4096)
            except OSError:
                data = b""
            if not data:
                return re.search(pattern, self.buf) is not None
            self.buf += data.decode(errors="replace")

    def send(self, text):
        os.write(self.fd, text.encode())

    def close(self):
        """Lets the shell end (after "exit") or kills it."""
        end = time.time() + 2
        while time.time() < end:
            pid, st = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                break
            self.expect(r"(?!)", timeout=0.05)    # drain the output
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


PROMPT = r"[#$] $"
PTY_CASES = [
    ("tty: prompt and columns", [
        (None, r"\S+:/\S*[#$] "),
        ("ls d\n", r"a  b\r\n"),
        ("echo $?\n", r"0\r\n"),
    ]),
    ("tty: ^C stops the job, not the shell", [
        (None, PROMPT),
        ("sleep 10\n", None),
        ("\x03", PROMPT),
        ("echo status=$?\n", r"status=130"),
    ]),
    ("tty: ^Z, jobs, fg", [
        (None, PROMPT),
        ("sleep 10\n", None),
        ("\x1a", r"\[1\] Stopped  sleep 10"),
        ("echo s=$?\n", r"s=148"),
        ("jobs\n", r"\[1\] Stopped  sleep 10"),
        ("fg\n", r"sleep 10\r\n"),
        ("\x03", PROMPT),
        ("echo s=$?\n", r"s=130"),
    ]),
    ("tty: background job notice", [
        (None, PROMPT),
        ("sleep 0.2 &\n", r"\[1\] \d+"),
        ("sleep 0.5\n", r"\[1\] done  sleep 0.2"),
        ("exit 4\n", None),
    ]),
]


def run_pty_case(steps, sh, bindir, tracer):
    tmp, home = setup_dir(Case("", "", files=DIR))
    p = Pty(sh, bindir, tracer, tmp, home)
    try:
        for send, pattern in steps:
            if send is not None:
                time.sleep(0.3 if send in ("\x03", "\x1a") else 0)
                p.send(send)
            if pattern is not None and not p.expect(pattern):
                return False, "no %r after sending %r; got %r" % (pattern, send, p.buf)
        p.send("exit\n")
        return True, ""
    finally:
        p.close()
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--strace", metavar="FILE")
    opts = ap.parse_args()
    build = os.path.abspath(opts.build)
    sh = os.path.join(build, "user", "sh")
    bindir = os.path.join(build, "user", "bin")
    if not os.access(sh, os.X_OK) or not os.path.isdir(bindir):
        print("run-tests.py: no %s or %s: build them first" % (sh, bindir))
        return 1
    # The shell must be reachable as "sh" for the nested cases.
    shdir = tempfile.mkdtemp(prefix="shbin.")
    os.symlink(sh, os.path.join(shdir, "sh"))
    bindir = bindir + ":" + shdir
    tracer = Tracer(os.path.abspath(opts.strace)) if opts.strace else None

    results = []
    for case in CASES:
        ok, why = run_case(case, sh, bindir, tracer)
        results.append((case.name, ok, why))
    for name, steps in PTY_CASES:
        ok, why = run_pty_case(steps, sh, bindir, tracer)
        results.append((name, ok, why))
    shutil.rmtree(shdir)

    print("1..%d" % len(results))
    for i, (name, ok, why) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        if not ok:
            print("  # " + why)
    passed = sum(1 for r in results if r[1])
    print("%d passed, %d failed" % (passed, len(results) - passed))
    if tracer:
        tracer.collect()
        print("# system calls: %s" % opts.strace)
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
