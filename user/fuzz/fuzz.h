/*
 * fuzz.h: what the files of the fuzzer share.  fuzz.c runs the
 * supervisor and the children; fuzz_args.c draws arguments (the generator,
 * the kinds of memory, integers, paths, structured arguments); fuzz_calls.c
 * holds the table of calls, the fix-ups that keep a run alive, and makes
 * one call; fuzz_thread.c draws the thread calls' arguments and starts
 * threads.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdint.h>
#include "../lib/sys.h"

#define PGSIZE		4096UL
#define PROGRESS_FD	60	/* the child's progress reports: fixup() keeps calls off it */
#define LOG_FD		61	/* the console, for the v flag: the same */
#define FUZZ_DIR	"/tmp/fuzz"

#define A_KHALF		0xffff800000000000UL
#define A_KTEXT		0xffffffff80000000UL
#define A_NONCANON	0x0000800000000000UL
#define A_USER_TOP	0x00007ffffffff000UL

/* The flags of the run (fuzz.c) and the supervisor's pid. */
extern int verbose, capped;
extern long supervisor_pid;

/* Raw formatted write to fd (nothing buffered across fork). */
void out(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- fuzz_args.c ---- */

/* The generator: seeded per call; r64, rn(n) in [0, n), chance(percent). */
void rng_seed(uint64_t seed, uint64_t call);
uint64_t r64(void);
uint64_t rn(uint64_t n);
int chance(int pct);
#define PICK(a)	((a)[rn(sizeof(a) / sizeof((a)[0]))])

/*
 * The child's memory.  arena: [0, 2) read-write pages, [2] unmapped, [3]
 * read-only, [4] PROT_NONE (fuzz_calls.c rebuilds it when a call changed
 * it); heap: the first HEAP_SIZE bytes of the brk heap; stackbuf: in the
 * child's main frame.
 */
#define ARENA_SIZE	(5 * PGSIZE)
#define HEAP_SIZE	16384
#define STACKBUF_SIZE	8192
extern char *arena, *heap, *stackbuf;
extern unsigned long fsbase;		/* the child's, given back after arch_prctl */
extern long last_child;			/* the last fork's pid, or 0 */
extern char __executable_start[], _end[];	/* the program, from the linker */

/* The kinds of memory a pointer can point into. */
enum { K_STACK, K_HEAP, K_RW, K_STRADDLE, K_RO, K_NONE, K_UNMAPPED, K_NULL, K_KHALF,
	K_KTEXT, K_NONCANON, K_TOP, K_RANDOM, NKIND };
int writable_kind(int k);
unsigned long ptr_of(int k, unsigned long need);
int any_kind(void);
unsigned long any_ptr(unsigned long need);

long any_int(void);
long any_len(void);
long any_fd(void);
long any_pid(void);
long any_sig(void);
long any_addr(void);
long any_mlen(void);

/* Paths: any to read; under /tmp/fuzz to change; nothing that runs to execve. */
unsigned long read_path(void);
unsigned long write_path(void);
unsigned long exec_path(void);
int is_write_path(unsigned long p);
unsigned long any_iov(long *cnt);
unsigned long any_strv(void);
unsigned long any_ts(void);
unsigned long any_flock(void);
unsigned long any_sigaction(long sig);
unsigned long any_sigset(void);
int fault_signal(long sig);
void gen_init(void);

/* The kernel's struct sigaction, and the handler and restorer the fuzzer installs. */
struct ksigaction { unsigned long handler, flags, restorer, mask; };
void on_signal(int sig);
void fuzz_restorer(void);

/* ---- fuzz_thread.c ---- */

/* Draw the arguments of a thread call nr into a: 1 if nr is one. */
int thread_args(long nr, long *a);
/* clone(a[0..4]); the child runs a few raw calls and exits. */
long thread_clone(const long *a);

/* ---- fuzz_calls.c ---- */

/* Make call number i of the run seeded with seed. */
void fuzz_one(uint64_t seed, long i);
/* Build the arena and the heap (again); 0 or -1. */
int make_arena(void);
int make_heap(void);

#endif /* FUZZ_H */
