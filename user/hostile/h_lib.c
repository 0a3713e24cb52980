/*
 * h_lib.c: the helpers of the hostile suite (hostile.h) beyond the shared
 * framework (../lib/ut.c): signal handlers without libc, and the
 * addresses no process may use.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include "hostile.h"

/* ---- signal handlers without libc ---- */

__asm__(".text\n"
	".globl h_restorer\n"
	"h_restorer:\n\t"
	"mov $15, %eax\n\t"		/* rt_sigreturn */
	"syscall\n\t"
	"hlt\n");

long
h_sigaction(int sig, unsigned long handler, unsigned long flags, unsigned long restorer)
{
	struct ksigaction sa = { handler, flags, restorer, 0 };

	return sys4(SYS_rt_sigaction, sig, &sa, 0, 8);
}

long
h_handler(int sig, void (*fn)(int))
{
	return h_sigaction(sig, (unsigned long)fn, KSA_RESTORER, (unsigned long)h_restorer);
}

/* ---- the bad addresses ---- */

unsigned long h_bad[H_NBAD] = {
	0, A_KHALF, A_DIRECT, A_KVA, A_KTEXT, A_NONCANON_LO, A_NONCANON_HI,
	~0UL, A_USER_TOP, 0 /* h_bad_init: an unmapped page */,
};
const char *const h_bad_name[H_NBAD] = {
	"null", "kernel half", "direct map", "KVA", "kernel text",
	"non-canonical 0x800000000000", "non-canonical 0x8000000000000000",
	"0xffffffffffffffff", "top page of the user half", "unmapped page",
};
char *h_guard;
char *h_ro;

int
h_bad_init(void)
{
	long p = sys_mmap(0, 3 * PGSIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (sys_iserr(p))
		return -1;
	/* [p, p+4K) read-write, [p+4K, p+8K) unmapped, [p+8K, p+12K) read-only. */
	if (sys_munmap((void *)(p + PGSIZE), PGSIZE) != 0 ||
	    sys_mprotect((void *)(p + 2 * PGSIZE), PGSIZE, PROT_READ) != 0)
		return -1;
	h_guard = (char *)p + PGSIZE;
	h_ro = (char *)p + 2 * PGSIZE;
	h_bad[H_NBAD - 1] = (unsigned long)h_guard;
	return 0;
}

char *
h_unterminated(void)
{
	char *s = h_guard - 16;

	memset(s, 'a', 16);
	return s;
}

char *
h_at_end(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = h_guard - n;

	memcpy(d, s, n);
	return d;
}
