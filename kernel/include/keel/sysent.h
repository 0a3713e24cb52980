/*
 * sysent.h: every system call's entry point, for the tables that
 * tools/gensyscalls.py generates from kernel/syscall/syscall_64.tbl and
 * syscall_32.tbl (build/gen/syscall_64.c, syscall_32.c).  Each entry point
 * is declared once, in the header of the subsystem that implements it; a
 * new subsystem with system calls adds its header here.
 */
#ifndef SYSENT_H
#define SYSENT_H

#include <keel/exec.h>
#include <keel/file.h>
#include <keel/fs.h>
#include <keel/pipe.h>
#include <keel/rlimit.h>
#include <keel/signal.h>
#include <keel/syscall.h>
#include <keel/sysproc.h>
#include <keel/time.h>

#endif
