/*
 * cmdline.c: looking up words on the kernel command line.  Pure; the last
 * occurrence of a key wins, as on Linux.
 */
#include "kernel.h"
#include "cmdline.h"
#include "../shared/bootinfo.h"

static char line[BOOTINFO_CMDLINE_MAX];

void
cmdline_init(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(line) - 1 && s[i]; i++)
		line[i] = s[i];
	line[i] = 0;
}

int
cmdline_get(const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key), n;
	const char *p = line, *found = 0;

	while (*p) {
		const char *w;

		while (*p == ' ')
			p++;
		w = p;
		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - w) >= klen && strncmp(w, key, klen) == 0 &&
		    (w[klen] == '=' || w + klen == p))
			found = w;
	}
	if (!found)
		return 0;
	found += klen;
	if (*found == '=')
		found++;
	for (n = 0; buf && n + 1 < size && found[n] && found[n] != ' '; n++)
		buf[n] = found[n];
	if (buf && size)
		buf[n] = 0;
	return 1;
}

int
cmdline_has(const char *key)
{
	return cmdline_get(key, 0, 0);
}
