/*
 * syscall.c: the system call tables, and the C side of dispatch (the fast
 * paths are in syscall.S).
 *
 * Linux's numbers, argument registers (rdi, rsi, rdx, r10, r8, r9) and
 * return convention (rax, -errno on failure).  An unknown number returns
 * -ENOSYS, whatever its high bits.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/file.h>
#include <keel/fs.h>
#include <keel/pipe.h>
#include <keel/proc.h>
#include <keel/syscall.h>
#include <keel/signal.h>
#include <keel/sysproc.h>
#include <keel/cpu.h>

#define S(fn)	((sysfn)(void (*)(void))(fn))

static long
sys_enosys(void)
{
	return -ENOSYS;
}

/*
 * Every entry first gets sys_enosys, then the calls that exist override
 * theirs: the entry stubs index the tables without a null check.
 */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Winitializer-overrides"
const sysfn syscall_table64[NSYSCALL64] = {
	[0 ... NSYSCALL64 - 1] = S(sys_enosys),
	[0] = S(sys_read),
	[1] = S(sys_write),
	[2] = S(sys_open),
	[3] = S(sys_close),
	[4] = S(sys_stat),
	[5] = S(sys_fstat),
	[6] = S(sys_lstat),
	[8] = S(sys_lseek),
	[9] = S(sys_mmap),
	[10] = S(sys_mprotect),
	[11] = S(sys_munmap),
	[12] = S(sys_brk),
	[13] = S(sys_rt_sigaction),
	[14] = S(sys_rt_sigprocmask),
	[15] = S(sys_rt_sigreturn),
	[16] = S(sys_ioctl),
	[19] = S(sys_readv),
	[20] = S(sys_writev),
	[21] = S(sys_access),
	[22] = S(sys_pipe),
	[24] = S(sys_sched_yield),
	[28] = S(sys_madvise),
	[32] = S(sys_dup),
	[33] = S(sys_dup2),
	[34] = S(sys_pause),
	[35] = S(sys_nanosleep),
	[39] = S(sys_getpid),
	[57] = S(sys_fork),
	[58] = S(sys_fork),		/* vfork: a full fork is a correct vfork */
	[59] = S(sys_execve),
	[60] = S(sys_exit),
	[61] = S(sys_wait4),
	[62] = S(sys_kill),
	[63] = S(sys_uname),
	[72] = S(sys_fcntl),
	[76] = S(sys_truncate),
	[77] = S(sys_ftruncate),
	[79] = S(sys_getcwd),
	[80] = S(sys_chdir),
	[81] = S(sys_fchdir),
	[82] = S(sys_rename),
	[83] = S(sys_mkdir),
	[84] = S(sys_rmdir),
	[87] = S(sys_unlink),
	[89] = S(sys_readlink),
	[99] = S(sys_sysinfo),
	[102] = S(sys_getuid),
	[104] = S(sys_getuid),		/* getgid */
	[107] = S(sys_getuid),		/* geteuid */
	[108] = S(sys_getuid),		/* getegid */
	[109] = S(sys_setpgid),
	[110] = S(sys_getppid),
	[111] = S(sys_getpgrp),
	[112] = S(sys_setsid),
	[121] = S(sys_getpgid),
	[124] = S(sys_getsid),
	[127] = S(sys_rt_sigpending),
	[130] = S(sys_rt_sigsuspend),
	[158] = S(sys_arch_prctl),
	[169] = S(sys_reboot),
	[186] = S(sys_getpid),		/* gettid: one thread per process */
	[218] = S(sys_set_tid_address),
	[228] = S(sys_clock_gettime),
	[217] = S(sys_getdents64),
	[231] = S(sys_exit),		/* exit_group */
	[257] = S(sys_openat),
	[258] = S(sys_mkdirat),
	[262] = S(sys_newfstatat),
	[263] = S(sys_unlinkat),
	[264] = S(sys_renameat),
	[267] = S(sys_readlinkat),
	[269] = S(sys_faccessat),
	[292] = S(sys_dup3),
	[293] = S(sys_pipe2),
};

/*
 * int 0x80 from a 64-bit process: Linux's i386 table.  Only the calls whose
 * arguments mean the same at 32 bits are here; the rest return -ENOSYS.
 */
const sysfn syscall_table32[NSYSCALL32] = {
	[0 ... NSYSCALL32 - 1] = S(sys_enosys),
	[1] = S(sys_exit),
	[2] = S(sys_fork),
	[3] = S(sys_read),
	[4] = S(sys_write),
	[5] = S(sys_open),
	[6] = S(sys_close),
	[11] = S(sys_execve32),
	[42] = S(sys_pipe),
	[20] = S(sys_getpid),
	[37] = S(sys_kill),
	[45] = S(sys_brk),
	[64] = S(sys_getppid),
	[158] = S(sys_sched_yield),
	[199] = S(sys_getuid),
	[224] = S(sys_getpid),		/* gettid */
	[252] = S(sys_exit),		/* exit_group */
};

#pragma clang diagnostic pop

/* The calls that need the whole user context in the frame (syscall.h). */
static const uint16_t full64[] = { 15, 57, 58, 59, 130 };
static const uint16_t full32[] = { 2, 11 };
uint64_t syscall_full64[(NSYSCALL64 + 63) / 64];
uint64_t syscall_full32[(NSYSCALL32 + 63) / 64];

void
syscall_finish(struct trapframe *tf)
{
	struct cpu *c = curcpu();
	struct proc *p = c->c_curproc;

	if ((p->p_sigpending & ~p->p_sigmask) || c->c_need_resched)
		proc_user_return_work(tf);
	else
		p->p_syscall_nr = -1;
}

void
syscall_int80(struct trapframe *tf)
{
	struct proc *p = curproc();
	uint32_t nr = (uint32_t)tf->tf_rax;
	sysfn fn = nr < NSYSCALL32 ? syscall_table32[nr] : S(sys_enosys);

	p->p_syscall_nr = nr;
	/* Arguments are 32 bits: zero-extended, as Linux's compat entry does. */
	tf->tf_rax = fn((uint32_t)tf->tf_rbx, (uint32_t)tf->tf_rcx,
	    (uint32_t)tf->tf_rdx, (uint32_t)tf->tf_rsi, (uint32_t)tf->tf_rdi,
	    (uint32_t)tf->tf_rbp);
	syscall_finish(tf);
}

/* The entry MSRs are each CPU's (arch_syscall_init, from cpu_init_this). */
void
syscall_init(void)
{
	size_t i;

	/* Written once here, read by every entry: a bit per table entry. */
	for (i = 0; i < ARRAY_SIZE(full64); i++)
		syscall_full64[full64[i] / 64] |= 1ULL << (full64[i] % 64);
	for (i = 0; i < ARRAY_SIZE(full32); i++)
		syscall_full32[full32[i] / 64] |= 1ULL << (full32[i] % 64);
}
