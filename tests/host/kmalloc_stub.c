/*
 * kmalloc_stub.c: kmalloc, kzalloc and kfree on the host's malloc, for host
 * tests of code that allocates, so AddressSanitizer sees every overflow and
 * every leak of it.
 *
 * kmalloc_stub_fail_after = n makes the (n+1)-th allocation from now, and
 * every one after it, return NULL, to test out-of-memory paths; -1 (the
 * start value) never fails.  A test declares it itself:
 *	extern long kmalloc_stub_fail_after;
 */
#include <stdlib.h>
#include <keel/kheap.h>

long kmalloc_stub_fail_after = -1;

void *
kmalloc(size_t size)
{
	if (kmalloc_stub_fail_after == 0)
		return NULL;
	if (kmalloc_stub_fail_after > 0)
		kmalloc_stub_fail_after--;
	/* kmalloc(0) is a distinct object in the kernel: malloc(1) too. */
	return malloc(size ? size : 1);
}

void *
kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		__builtin_memset(p, 0, size);
	return p;
}

void
kfree(void *p)
{
	free(p);
}
