/*
 * sysinfo: what the machine is, and how fast it counts primes.
 *
 *	sysinfo [-n limit]
 *
 * The processor from the cpuid instruction (vendor, brand string, family/
 * model/stepping, the hypervisor if there is one, a selection of feature
 * flags), memory from /proc/meminfo, and a timed sieve of Eratosthenes
 * up to limit (default 10000000; 0 skips it), timed with
 * clock_gettime(CLOCK_MONOTONIC).
 */
#include <cpuid.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct flag {
	unsigned leaf;		/* cpuid leaf (subleaf 0) */
	int reg;		/* 'b', 'c' or 'd' */
	int bit;
	const char *name;	/* as in Linux's /proc/cpuinfo */
};

/* Intel SDM vol. 2A, CPUID; AMD APM vol. 3, appendix E. */
static const struct flag flags[] = {
	{ 1, 'd', 0, "fpu" },		{ 1, 'd', 4, "tsc" },
	{ 1, 'd', 5, "msr" },		{ 1, 'd', 6, "pae" },
	{ 1, 'd', 8, "cx8" },		{ 1, 'd', 9, "apic" },
	{ 1, 'd', 11, "sep" },		{ 1, 'd', 13, "pge" },
	{ 1, 'd', 15, "cmov" },		{ 1, 'd', 16, "pat" },
	{ 1, 'd', 19, "clflush" },	{ 1, 'd', 23, "mmx" },
	{ 1, 'd', 24, "fxsr" },		{ 1, 'd', 25, "sse" },
	{ 1, 'd', 26, "sse2" },		{ 1, 'd', 28, "ht" },
	{ 1, 'c', 0, "sse3" },		{ 1, 'c', 1, "pclmulqdq" },
	{ 1, 'c', 9, "ssse3" },		{ 1, 'c', 12, "fma" },
	{ 1, 'c', 13, "cx16" },		{ 1, 'c', 19, "sse4_1" },
	{ 1, 'c', 20, "sse4_2" },	{ 1, 'c', 21, "x2apic" },
	{ 1, 'c', 22, "movbe" },	{ 1, 'c', 23, "popcnt" },
	{ 1, 'c', 24, "tsc_deadline_timer" },
	{ 1, 'c', 25, "aes" },		{ 1, 'c', 26, "xsave" },
	{ 1, 'c', 28, "avx" },		{ 1, 'c', 29, "f16c" },
	{ 1, 'c', 30, "rdrand" },	{ 1, 'c', 31, "hypervisor" },
	{ 7, 'b', 0, "fsgsbase" },	{ 7, 'b', 3, "bmi1" },
	{ 7, 'b', 5, "avx2" },		{ 7, 'b', 7, "smep" },
	{ 7, 'b', 8, "bmi2" },		{ 7, 'b', 9, "erms" },
	{ 7, 'b', 10, "invpcid" },	{ 7, 'b', 16, "avx512f" },
	{ 7, 'b', 18, "rdseed" },	{ 7, 'b', 19, "adx" },
	{ 7, 'b', 20, "smap" },		{ 7, 'b', 29, "sha_ni" },
	{ 7, 'c', 2, "umip" },
	{ 0x80000001, 'd', 11, "syscall" },
	{ 0x80000001, 'd', 20, "nx" },
	{ 0x80000001, 'd', 26, "pdpe1gb" },
	{ 0x80000001, 'd', 27, "rdtscp" },
	{ 0x80000001, 'd', 29, "lm" },
	{ 0x80000001, 'c', 0, "lahf_lm" },
	{ 0x80000001, 'c', 5, "abm" },
};

static int
cpuid(unsigned leaf, unsigned r[4])
{
	/* __get_cpuid_count checks the leaf against the highest one first. */
	return __get_cpuid_count(leaf, 0, &r[0], &r[1], &r[2], &r[3]);
}

static void
print_cpu(void)
{
	unsigned r[4], family, model, stepping, bits;
	char vendor[13], brand[49], hv[13];
	size_t i, col;
	int k;

	if (!cpuid(0, r)) {
		printf("cpu:      no cpuid\n");
		return;
	}
	/* The vendor string is in ebx, edx, ecx: in that order. */
	memcpy(vendor, &r[1], 4);
	memcpy(vendor + 4, &r[3], 4);
	memcpy(vendor + 8, &r[2], 4);
	vendor[12] = '\0';
	printf("vendor:   %s\n", vendor);

	memset(brand, 0, sizeof(brand));
	for (k = 0; k < 3; k++)
		if (cpuid(0x80000002 + k, r))
			memcpy(brand + 16 * k, r, 16);
	/* Vendors pad the brand string with blanks, at either end. */
	for (k = strlen(brand); k > 0 && brand[k - 1] == ' '; k--)
		brand[k - 1] = '\0';
	for (i = 0; brand[i] == ' '; i++)
		;
	if (brand[i] != '\0')
		printf("brand:    %s\n", brand + i);

	cpuid(1, r);
	family = (r[0] >> 8) & 0xf;
	model = (r[0] >> 4) & 0xf;
	stepping = r[0] & 0xf;
	if (family == 0xf)
		family += (r[0] >> 20) & 0xff;
	if (family == 0x6 || family >= 0xf)
		model += ((r[0] >> 16) & 0xf) << 4;
	printf("family:   %u  model: %u  stepping: %u\n", family, model, stepping);

	/* Leaf 0x40000000: the hypervisor's signature, when there is one. */
	if (r[2] & (1u << 31)) {
		__cpuid(0x40000000, r[0], r[1], r[2], r[3]);
		memcpy(hv, &r[1], 4);
		memcpy(hv + 4, &r[2], 4);
		memcpy(hv + 8, &r[3], 4);
		hv[12] = '\0';
		printf("hypervisor: %s\n", hv);
	}

	printf("flags:   ");
	col = 9;
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (!cpuid(flags[i].leaf, r))
			continue;
		bits = flags[i].reg == 'b' ? r[1] : flags[i].reg == 'c' ? r[2] : r[3];
		if (!(bits & (1u << flags[i].bit)))
			continue;
		if (col + 1 + strlen(flags[i].name) > 78) {
			printf("\n         ");
			col = 9;
		}
		col += printf(" %s", flags[i].name);
	}
	putchar('\n');
}

static void
print_memory(void)
{
	char line[256];
	unsigned long long v;
	FILE *f;

	if ((f = fopen("/proc/meminfo", "r")) == NULL) {
		printf("memory:   /proc/meminfo not readable\n");
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "MemTotal: %llu", &v) == 1)
			printf("memory:   %llu MiB total", v >> 10);
		else if (sscanf(line, "MemAvailable: %llu", &v) == 1)
			printf(", %llu MiB available", v >> 10);
	}
	putchar('\n');
	fclose(f);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Counts the primes below limit; one bit per odd number. */
static long
sieve(long limit)
{
	unsigned char *composite;
	long i, j, count;

	if (limit < 3)
		return 0;
	composite = calloc(limit / 16 + 1, 1);
	if (composite == NULL)
		return -1;
	count = 1;			/* 2 */
	for (i = 3; i < limit; i += 2) {
		if (composite[i / 16] & (1 << (i / 2 % 8)))
			continue;
		count++;
		for (j = i * i; j < limit && i < 3037000499L; j += 2 * i)
			composite[j / 16] |= 1 << (j / 2 % 8);
	}
	free(composite);
	return count;
}

int
main(int argc, char **argv)
{
	long limit = 10000000, count;
	double t;
	char *end;

	if (argc == 3 && strcmp(argv[1], "-n") == 0) {
		limit = strtol(argv[2], &end, 10);
		if (end == argv[2] || *end != '\0' || limit < 0)
			goto usage;
	} else if (argc != 1) {
		goto usage;
	}
	print_cpu();
	print_memory();
	if (limit == 0)
		return 0;
	t = now();
	count = sieve(limit);
	t = now() - t;
	if (count < 0) {
		fprintf(stderr, "sysinfo: no memory for the sieve\n");
		return 1;
	}
	printf("sieve:    %ld primes below %ld in %.3f s\n", count, limit, t);
	return 0;
usage:
	fprintf(stderr, "usage: sysinfo [-n limit]\n");
	return 1;
}
