/*
 * stackprot.c: the kernel's stack protector (-fstack-protector-strong with
 * a global guard, -mstack-protector-guard=global: no per-CPU area is needed
 * before the first function runs).
 *
 * The canary starts as a constant and is replaced from the boot RNG seed
 * first thing in kmain; its low byte is zero so that a string overflow
 * cannot copy it.  Functions already on the stack at that moment are
 * _start and kmain, which never return.
 */
#include <keel/kernel.h>
#include <keel/stackprot.h>

uint64_t __stack_chk_guard = 0x595e9fbd94fda700ULL;

void __stack_chk_fail(void) __attribute__((noreturn));

void
__stack_chk_fail(void)
{
	panic("stack protector: a kernel stack was smashed (in the caller of %p)",
	    __builtin_return_address(0));
}

void
stackprot_init(const uint8_t *seed, size_t len)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < len; i++)
		v = (v << 8 | v >> 56) ^ seed[i];
	__stack_chk_guard = v & ~0xffULL;
	if (__stack_chk_guard == 0)
		__stack_chk_guard = 0x595e9fbd94fda700ULL;
}
