/*
 * free: shows how much memory is used and free, from /proc/meminfo.
 *
 *	free [-k | -m | -g]	(KiB, the default; MiB; GiB)
 *
 * The table of procps: total, used, free, shared, buff/cache, available;
 * used is total - available when the kernel gives MemAvailable, else
 * total - free - buff/cache.  A line the kernel does not give counts as
 * 0, and the Swap row is printed only if SwapTotal is there.
 */
#include <stdio.h>
#include <string.h>

struct meminfo {
	const char *key;
	unsigned long long kib;
	int found;
};

enum { TOTAL, FREE, AVAIL, BUFFERS, CACHED, SRECLAIM, SHMEM, SWTOTAL, SWFREE, NKEYS };

static struct meminfo mi[NKEYS] = {
	[TOTAL] = { "MemTotal" },
	[FREE] = { "MemFree" },
	[AVAIL] = { "MemAvailable" },
	[BUFFERS] = { "Buffers" },
	[CACHED] = { "Cached" },
	[SRECLAIM] = { "SReclaimable" },
	[SHMEM] = { "Shmem" },
	[SWTOTAL] = { "SwapTotal" },
	[SWFREE] = { "SwapFree" },
};

static int
read_meminfo(void)
{
	char line[256], key[64];
	unsigned long long v;
	FILE *f;
	int i;

	if ((f = fopen("/proc/meminfo", "r")) == NULL) {
		perror("free: /proc/meminfo");
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%63[^:]: %llu", key, &v) != 2)
			continue;
		for (i = 0; i < NKEYS; i++) {
			if (strcmp(key, mi[i].key) == 0) {
				mi[i].kib = v;
				mi[i].found = 1;
			}
		}
	}
	fclose(f);
	if (!mi[TOTAL].found) {
		fprintf(stderr, "free: no MemTotal in /proc/meminfo\n");
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned long long total, freekib, cache, avail, used;
	int shift = 0;

	if (argc > 2)
		goto usage;
	if (argc == 2) {
		if (strcmp(argv[1], "-k") == 0)
			shift = 0;
		else if (strcmp(argv[1], "-m") == 0)
			shift = 10;
		else if (strcmp(argv[1], "-g") == 0)
			shift = 20;
		else
			goto usage;
	}
	if (read_meminfo() < 0)
		return 1;
	total = mi[TOTAL].kib;
	freekib = mi[FREE].kib;
	cache = mi[BUFFERS].kib + mi[CACHED].kib + mi[SRECLAIM].kib;
	if (mi[AVAIL].found) {
		avail = mi[AVAIL].kib;
		used = total > avail ? total - avail : 0;
	} else {
		used = total > freekib + cache ? total - freekib - cache : 0;
		avail = total - used;
	}

	printf("%-7s %11s %11s %11s %11s %11s %11s\n", "", "total", "used",
	    "free", "shared", "buff/cache", "available");
	printf("%-7s %11llu %11llu %11llu %11llu %11llu %11llu\n", "Mem:",
	    total >> shift, used >> shift, freekib >> shift,
	    mi[SHMEM].kib >> shift, cache >> shift, avail >> shift);
	if (mi[SWTOTAL].found)
		printf("%-7s %11llu %11llu %11llu\n", "Swap:",
		    mi[SWTOTAL].kib >> shift,
		    (mi[SWTOTAL].kib - mi[SWFREE].kib) >> shift,
		    mi[SWFREE].kib >> shift);
	return 0;
usage:
	fprintf(stderr, "usage: free [-k | -m | -g]\n");
	return 1;
}
