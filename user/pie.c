/*
 * pie.c: a static-pie program (ET_DYN, built by glibc's gcc -static-pie),
 * for the execve test of position-independent programs.  glibc relocates
 * itself at startup from AT_PHDR and _DYNAMIC, so getting here at all means
 * the kernel loaded it at a base and described it right; it then checks
 * that main really lies above that base.
 */
#include <stdio.h>
#include <sys/auxv.h>

int
main(void)
{
	unsigned long phdr = getauxval(AT_PHDR), entry = getauxval(AT_ENTRY);

	if (phdr == 0 || entry == 0 || (unsigned long)main < 0x1000) {
		printf("pie: bad load: AT_PHDR %#lx AT_ENTRY %#lx main %p\n", phdr, entry,
		    (void *)main);
		return 1;
	}
	printf("pie ok: main at %p\n", (void *)main);
	return 0;
}
