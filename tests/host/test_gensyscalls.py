#!/usr/bin/env python3
"""test_gensyscalls.py: tools/gensyscalls.py, the system call table generator
(`make test` runs it as host/gensyscalls).

Malformed tables (duplicate numbers or names, bad flags) are refused with a
message naming the line and nothing is written; gaps get sys_enosys; the
`full` flags become the bitmap's bits; and the generated C for the real
kernel/syscall/syscall_64.tbl and syscall_32.tbl gives every number the
function the hand-written tables of syscall.c gave it (EXPECTED64/32 below,
copied from syscall.c before the tables were generated).
"""
import os
import re
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(ROOT, "tools", "gensyscalls.py")
sys.path.insert(0, os.path.join(ROOT, "tools"))
import gensyscalls  # noqa: E402

# syscall.c's syscall_table64/32 and full64/full32 before this generator,
# plus the calls added since (resource limits; clone, umask, tkill, tgkill,
# clock_nanosleep, the robust list, getrandom, poll, ppoll, sigaltstack,
# gettimeofday, time; futex, gettid and exit_group for threads; mremap,
# msync, mincore; select, pselect6, eventfd, eventfd2, the epoll calls; the
# file calls of issue 13: links, nodes, modes, owners, times, statx, statfs,
# positional I/O, sendfile, sync, xattrs, mount; itimers, alarm, getrusage,
# times, personality, priorities, scheduler queries, prctl, settimeofday,
# affinity, clock_settime, clock_getres; waitid; the user and group ids).
EXPECTED64 = {
    0: "sys_read", 1: "sys_write", 2: "sys_open", 3: "sys_close", 4: "sys_stat",
    5: "sys_fstat", 6: "sys_lstat", 8: "sys_lseek", 9: "sys_mmap", 10: "sys_mprotect",
    11: "sys_munmap", 12: "sys_brk", 13: "sys_rt_sigaction", 14: "sys_rt_sigprocmask",
    15: "sys_rt_sigreturn", 16: "sys_ioctl", 19: "sys_readv", 20: "sys_writev",
    21: "sys_access", 22: "sys_pipe", 24: "sys_sched_yield", 25: "sys_mremap",
    26: "sys_msync", 27: "sys_mincore", 28: "sys_madvise",
    32: "sys_dup", 33: "sys_dup2", 34: "sys_pause", 35: "sys_nanosleep", 39: "sys_getpid",
    57: "sys_fork", 58: "sys_fork", 59: "sys_execve", 60: "sys_exit", 61: "sys_wait4",
    62: "sys_kill", 63: "sys_uname", 72: "sys_fcntl", 76: "sys_truncate",
    77: "sys_ftruncate", 79: "sys_getcwd", 80: "sys_chdir", 81: "sys_fchdir",
    82: "sys_rename", 83: "sys_mkdir", 84: "sys_rmdir", 87: "sys_unlink",
    89: "sys_readlink", 99: "sys_sysinfo", 102: "sys_getuid", 104: "sys_getgid",
    107: "sys_geteuid", 108: "sys_getegid", 109: "sys_setpgid", 110: "sys_getppid",
    111: "sys_getpgrp", 112: "sys_setsid", 121: "sys_getpgid", 124: "sys_getsid",
    127: "sys_rt_sigpending", 130: "sys_rt_sigsuspend", 158: "sys_arch_prctl",
    169: "sys_reboot", 186: "sys_gettid", 217: "sys_getdents64",
    218: "sys_set_tid_address", 228: "sys_clock_gettime", 231: "sys_exit_group",
    257: "sys_openat", 258: "sys_mkdirat", 262: "sys_newfstatat", 263: "sys_unlinkat",
    264: "sys_renameat", 267: "sys_readlinkat", 269: "sys_faccessat", 292: "sys_dup3",
    293: "sys_pipe2", 97: "sys_getrlimit", 160: "sys_setrlimit", 302: "sys_prlimit64",
    56: "sys_clone", 95: "sys_umask", 200: "sys_tkill", 230: "sys_clock_nanosleep",
    234: "sys_tgkill", 273: "sys_set_robust_list", 274: "sys_get_robust_list",
    318: "sys_getrandom", 7: "sys_poll", 271: "sys_ppoll", 131: "sys_sigaltstack",
    96: "sys_gettimeofday", 201: "sys_time", 202: "sys_futex",
    128: "sys_rt_sigtimedwait",
    23: "sys_select", 270: "sys_pselect6", 284: "sys_eventfd", 290: "sys_eventfd2",
    213: "sys_epoll_create", 291: "sys_epoll_create1", 233: "sys_epoll_ctl",
    232: "sys_epoll_wait", 281: "sys_epoll_pwait", 441: "sys_epoll_pwait2",
    17: "sys_pread64",
    18: "sys_pwrite64",
    40: "sys_sendfile",
    74: "sys_fsync",
    75: "sys_fdatasync",
    85: "sys_creat",
    86: "sys_link",
    88: "sys_symlink",
    90: "sys_chmod",
    91: "sys_fchmod",
    92: "sys_chown",
    93: "sys_fchown",
    94: "sys_lchown",
    132: "sys_utime",
    133: "sys_mknod",
    137: "sys_statfs",
    138: "sys_fstatfs",
    162: "sys_sync",
    165: "sys_mount",
    166: "sys_umount2",
    188: "sys_setxattr",
    189: "sys_lsetxattr",
    190: "sys_fsetxattr",
    191: "sys_getxattr",
    192: "sys_lgetxattr",
    193: "sys_fgetxattr",
    194: "sys_listxattr",
    195: "sys_llistxattr",
    196: "sys_flistxattr",
    197: "sys_removexattr",
    198: "sys_lremovexattr",
    199: "sys_fremovexattr",
    235: "sys_utimes",
    259: "sys_mknodat",
    260: "sys_fchownat",
    265: "sys_linkat",
    266: "sys_symlinkat",
    268: "sys_fchmodat",
    280: "sys_utimensat",
    295: "sys_preadv",
    296: "sys_pwritev",
    306: "sys_syncfs", 309: "sys_getcpu",
    332: "sys_statx",
    439: "sys_faccessat2",
    36: "sys_getitimer", 37: "sys_alarm", 38: "sys_setitimer", 98: "sys_getrusage",
    100: "sys_times", 135: "sys_personality", 140: "sys_getpriority",
    141: "sys_setpriority", 143: "sys_sched_getparam", 145: "sys_sched_getscheduler",
    146: "sys_sched_get_priority_max", 147: "sys_sched_get_priority_min",
    157: "sys_prctl", 164: "sys_settimeofday", 203: "sys_sched_setaffinity",
    204: "sys_sched_getaffinity", 227: "sys_clock_settime", 229: "sys_clock_getres",
    105: "sys_setuid", 106: "sys_setgid", 113: "sys_setreuid", 114: "sys_setregid",
    115: "sys_getgroups", 116: "sys_setgroups", 117: "sys_setresuid",
    118: "sys_getresuid", 119: "sys_setresgid", 120: "sys_getresgid",
    122: "sys_setfsuid", 123: "sys_setfsgid",
    247: "sys_waitid",
}
EXPECTED32 = {
    1: "sys_exit", 2: "sys_fork", 3: "sys_read", 4: "sys_write", 5: "sys_open",
    6: "sys_close", 11: "sys_execve32", 20: "sys_getpid", 37: "sys_kill", 42: "sys_pipe",
    45: "sys_brk", 64: "sys_getppid", 158: "sys_sched_yield", 199: "sys_getuid",
    224: "sys_gettid", 252: "sys_exit_group",
}
# (expected table, its length NSYSCALL, full-frame numbers)
REAL = {
    "64": (EXPECTED64, 442, {15, 56, 57, 58, 59, 130}),
    "32": (EXPECTED32, 253, {2, 11}),
}


def read(path):
    with open(path) as f:
        return f.read()


def run_tool(abi, table_text):
    """Runs the generator on table_text: (exit status, stderr, header, source)."""
    with tempfile.TemporaryDirectory() as d:
        tbl, h, c = (os.path.join(d, n) for n in ("t.tbl", "t.h", "t.c"))
        with open(tbl, "w") as f:
            f.write(table_text)
        r = subprocess.run([sys.executable, TOOL, "--abi", abi, "--header", h,
                            "--source", c, tbl], capture_output=True, text=True)
        outs = [read(p) if os.path.exists(p) else None for p in (h, c)]
        return (r.returncode, r.stderr) + tuple(outs)


def bits(source, name, count):
    """The numbers whose bits are set in the bitmap syscall_<name>."""
    body = re.search(r"uint64_t syscall_%s\w*\[[^]]*\] = \{\n(.*?)^\};" % name, source,
                     re.M | re.S)
    assert body, "bitmap %s" % name
    words = [int(w, 16) for w in re.findall(r"^\t0x([0-9a-f]{16})ULL,", body.group(1), re.M)]
    assert len(words) == (count + 63) // 64, "bitmap length"
    return {n for n in range(64 * len(words)) if words[n // 64] >> (n % 64) & 1}


def compiled(header, source):
    """What the generated C makes: ({number: function}, NSYSCALL, {full numbers})."""
    consts = {m.group(1): int(m.group(2))
              for m in re.finditer(r"^#define (\w+)\t(\d+)$", header, re.M)}
    count = [v for k, v in consts.items() if k.startswith("NSYSCALL")]
    assert len(count) == 1, "one NSYSCALL in the header"
    entries = {}
    for m in re.finditer(r"^\t\[(\w+)\] = S\((\w+)\),$", source, re.M):
        index = int(m.group(1)) if m.group(1).isdigit() else consts[m.group(1)]
        assert index not in entries, "index %d initialized twice" % index
        entries[index] = m.group(2)
    return entries, count[0], bits(source, "full", count[0])


class Refused(unittest.TestCase):
    def refused(self, text, message):
        status, err, header, source = run_tool("64", text)
        self.assertEqual(status, 1)
        self.assertIn(message, err)
        self.assertIsNone(header, "nothing written")
        self.assertIsNone(source, "nothing written")

    def test_duplicate_number(self):
        self.refused("0 read sys_read\n1 write sys_write\n1 open sys_open\n",
                     "t.tbl:3: duplicate number 1 (open, already write at line 2)")

    def test_duplicate_name(self):
        self.refused("0 read sys_read\n# a comment\n5 read sys_read\n",
                     "t.tbl:3: duplicate name read (number 5, already number 0 at line 1)")

    def test_shared_entry_point_is_fine(self):
        status, err, _, _ = run_tool("64", "57 fork sys_fork full\n58 vfork sys_fork full\n")
        self.assertEqual((status, err), (0, ""))

    def test_full_and_nolock(self):
        self.refused("0 read sys_read nolock,full\n",
                     "t.tbl:1: read cannot be both full and nolock")

    def test_unknown_flag(self):
        self.refused("0 read sys_read fast\n", "t.tbl:1: unknown flag 'fast'")

    def test_bad_number(self):
        self.refused("x read sys_read\n", "t.tbl:1: number 'x' is not a decimal number")
        self.refused("-1 read sys_read\n", "is not a decimal number")
        self.refused("5000 read sys_read\n", "t.tbl:1: number 5000 is above")

    def test_bad_fields(self):
        self.refused("0 read\n", "t.tbl:1: expected <number> <name> <entry point> [flags]")
        self.refused("0 read sys_read full extra\n", "expected <number>")
        self.refused("0 read sys-read\n", "t.tbl:1: entry point 'sys-read' is not a C identifier")

    def test_empty(self):
        self.refused("# nothing\n", "no system calls")


class Generated(unittest.TestCase):
    def test_gaps_get_enosys(self):
        status, err, header, source = run_tool("32", "1 exit sys_exit\n4 write sys_write\n")
        self.assertEqual(status, 0, err)
        entries, count, _ = compiled(header, source)
        self.assertEqual(count, 5)
        self.assertEqual(entries, {0: "sys_enosys", 1: "sys_exit", 2: "sys_enosys",
                                   3: "sys_enosys", 4: "sys_write"})
        self.assertIn("#define SYS32_write\t4", header)

    def test_full_flags_make_the_bitmap(self):
        text = ("0 a sys_a full\n1 b sys_b\n63 c sys_c full\n64 d sys_d full\n"
                "65 e sys_e\n130 f sys_f full  # trailing comment\n")
        status, err, header, source = run_tool("64", text)
        self.assertEqual(status, 0, err)
        entries, count, full = compiled(header, source)
        self.assertEqual(count, 131)
        self.assertEqual(full, {0, 63, 64, 130})
        self.assertEqual(entries[130], "sys_f")
        self.assertIn("#define SYS_f\t130", header)

    def test_nolock_flags_make_their_bitmap(self):
        text = "0 a sys_a full\n1 b sys_b nolock\n70 c sys_c\n71 d sys_d nolock\n"
        status, err, header, source = run_tool("64", text)
        self.assertEqual(status, 0, err)
        _, count, full = compiled(header, source)
        self.assertEqual(full, {0})
        self.assertEqual(bits(source, "nolock", count), {1, 71})
        self.assertIn("const uint64_t syscall_nolock64[", source)

    def test_real_tables_match_syscall_c(self):
        for abi, (expected, count, full_expected) in REAL.items():
            with self.subTest(abi=abi):
                path = os.path.join(ROOT, "kernel", "syscall", "syscall_%s.tbl" % abi)
                status, err, header, source = run_tool(abi, read(path))
                self.assertEqual(status, 0, err)
                entries, n, full = compiled(header, source)
                self.assertEqual(n, count)
                want = {i: expected.get(i, "sys_enosys") for i in range(count)}
                self.assertEqual(entries, want)
                self.assertEqual(full, full_expected)


if __name__ == "__main__":
    unittest.main(verbosity=2)
