#!/usr/bin/env python3
"""gensyscalls.py: a system call table file (kernel/syscall/syscall_64.tbl,
syscall_32.tbl) into the C the kernel builds (Linux's syscalltbl.sh, 9front's
mksystab).

    gensyscalls.py --abi 64 --header build/gen/include/gen/syscall_64.h \\
        kernel/syscall/syscall_64.tbl
    gensyscalls.py --abi 64 --source build/gen/syscall_64.c kernel/syscall/syscall_64.tbl

A table file has one call per line, `<number> <name> <entry point> [flags]`,
separated by blanks; `#` starts a comment.  The flags (comma-separated):
`full` (the call needs the whole user frame, syscall.S) and `nolock` (the
call takes no kernel lock even when several CPUs run: it touches only what
is its thread's own, or takes the lock itself where it needs it); a call
cannot be both.  Numbers and names are unique; two names may share an
entry point (vfork and fork).

The header (usable from C and assembly) defines NSYSCALL<abi>, the table's
length (the highest number + 1), and <prefix><name> for every call.  The
source defines
    const sysfn syscall_table<abi>[NSYSCALL<abi>]   every number: its entry
                                                    point, or sys_enosys
    uint64_t syscall_full<abi>[]                    bit n set: number n is full
                                                    (all but the nolock ones set
                                                    once several CPUs run:
                                                    arch/x86_64/cpu/smp.c)
    const uint64_t syscall_nolock<abi>[]            bit n set: number n is nolock
declared in <keel/syscall.h>; entry points are declared by <keel/sysent.h>.

A malformed table is refused: the message names the file and line, and
nothing is written.  Nothing generated is committed (build/gen/).
"""
import argparse
import re
import sys

# Per ABI: the prefix of its number constants and the suffix of its symbols.
ABIS = {
    "64": "SYS_",       # x86-64, SYSCALL
    "32": "SYS32_",     # i386, int $0x80 from a 64-bit process
}
FLAGS = {"full", "nolock"}
# A bound on numbers: a typo (1000 for 100) would otherwise make a huge table.
MAX_NR = 1023
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class TableError(Exception):
    pass


class Call:
    def __init__(self, nr, name, entry, flags, line):
        self.nr, self.name, self.entry, self.flags, self.line = nr, name, entry, flags, line


def parse(text, path="<table>"):
    """The calls of a table file, by number; TableError if it is malformed."""
    by_nr, by_name = {}, {}
    for lineno, raw in enumerate(text.splitlines(), 1):
        words = raw.split("#", 1)[0].split()
        if not words:
            continue
        where = "%s:%d" % (path, lineno)
        if len(words) not in (3, 4):
            raise TableError("%s: expected <number> <name> <entry point> [flags], got %r"
                             % (where, raw.strip()))
        nr_s, name, entry = words[:3]
        flags = set(words[3].split(",")) if len(words) == 4 else set()
        if not nr_s.isdigit():
            raise TableError("%s: number %r is not a decimal number" % (where, nr_s))
        nr = int(nr_s)
        if nr > MAX_NR:
            raise TableError("%s: number %d is above %d" % (where, nr, MAX_NR))
        for what, ident in (("name", name), ("entry point", entry)):
            if not IDENT.match(ident):
                raise TableError("%s: %s %r is not a C identifier" % (where, what, ident))
        unknown = flags - FLAGS
        if unknown:
            raise TableError("%s: unknown flag %r (known: %s)"
                             % (where, sorted(unknown)[0], ", ".join(sorted(FLAGS))))
        if flags >= {"full", "nolock"}:
            raise TableError("%s: %s cannot be both full and nolock (the full path locks)"
                             % (where, name))
        if nr in by_nr:
            raise TableError("%s: duplicate number %d (%s, already %s at line %d)"
                             % (where, nr, name, by_nr[nr].name, by_nr[nr].line))
        if name in by_name:
            raise TableError("%s: duplicate name %s (number %d, already number %d at line %d)"
                             % (where, name, nr, by_name[name].nr, by_name[name].line))
        call = Call(nr, name, entry, flags, lineno)
        by_nr[nr] = by_name[name] = call
    if not by_nr:
        raise TableError("%s: no system calls" % path)
    return by_nr


def table(calls):
    """The table as the kernel gets it: index -> entry point, gaps sys_enosys."""
    return [calls[nr].entry if nr in calls else "sys_enosys"
            for nr in range(max(calls) + 1)]


def bitmap(calls, flag="full"):
    """syscall_<flag><abi> as 64-bit words: bit n for a number n with flag."""
    words = [0] * ((max(calls) + 1 + 63) // 64)
    for nr, call in calls.items():
        if flag in call.flags:
            words[nr // 64] |= 1 << (nr % 64)
    return words


def gen_header(calls, abi, src):
    prefix = ABIS[abi]
    guard = "GEN_SYSCALL_%s_H" % abi
    out = ["/* Generated by tools/gensyscalls.py from %s: do not edit. */" % src,
           "#ifndef %s" % guard, "#define %s" % guard, "",
           "/* Entries of syscall_table%s: the highest number + 1. */" % abi,
           "#define NSYSCALL%s\t%d" % (abi, max(calls) + 1), ""]
    for nr in sorted(calls):
        out.append("#define %s%s\t%d" % (prefix, calls[nr].name, nr))
    out += ["", "#endif", ""]
    return "\n".join(out)


def gen_source(calls, abi, src):
    prefix = ABIS[abi]
    out = ["/* Generated by tools/gensyscalls.py from %s: do not edit. */" % src,
           "#include <keel/syscall.h>",
           "#include <keel/sysent.h>", "",
           "/* Entry points take their own argument types; the entry stubs pass six longs. */",
           "#define S(fn)\t((sysfn)(void (*)(void))(fn))", "",
           "const sysfn syscall_table%s[NSYSCALL%s] = {" % (abi, abi)]
    for nr, entry in enumerate(table(calls)):
        index = prefix + calls[nr].name if nr in calls else str(nr)
        out.append("\t[%s] = S(%s)," % (index, entry))
    for flag, const in (("full", ""), ("nolock", "const ")):
        out += ["};", "",
                "%suint64_t syscall_%s%s[(NSYSCALL%s + 63) / 64] = {"
                % (const, flag, abi, abi)]
        for i, word in enumerate(bitmap(calls, flag)):
            names = [calls[nr].name for nr in sorted(calls)
                     if nr // 64 == i and flag in calls[nr].flags]
            comment = "\t/* %s */" % ", ".join(names) if names else ""
            out.append("\t0x%016xULL,%s" % (word, comment))
    out += ["};", ""]
    return "\n".join(out)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--abi", required=True, choices=sorted(ABIS))
    ap.add_argument("--header", help="write the generated header here")
    ap.add_argument("--source", help="write the generated C file here")
    ap.add_argument("table")
    args = ap.parse_args(argv)
    if not args.header and not args.source:
        ap.error("nothing to write: give --header, --source or both")
    try:
        with open(args.table) as f:
            calls = parse(f.read(), args.table)
    except (OSError, TableError) as e:
        print("gensyscalls: %s" % e, file=sys.stderr)
        return 1
    if args.header:
        with open(args.header, "w") as f:
            f.write(gen_header(calls, args.abi, args.table))
    if args.source:
        with open(args.source, "w") as f:
            f.write(gen_source(calls, args.abi, args.table))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
