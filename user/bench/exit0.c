/*
 * exit0.c: bench's fork-exec-wait-glibc program, built with glibc
 * (gcc -static): its start-up (TLS, IRELATIVE relocations, set_robust_list,
 * rseq, prlimit64, getrandom...) and exit, nothing else.
 */
int
main(void)
{
	return 0;
}
