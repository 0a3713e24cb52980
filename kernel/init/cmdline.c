/*
 * cmdline.c: looking up words on the kernel command line, and handing the
 * words the kernel does not know to init.  Pure; the last occurrence of a
 * key wins, and a "--" word ends the kernel's part of the line, as on Linux.
 */
#include <keel/kernel.h>
#include <keel/cmdline.h>
#include <shared/bootinfo.h>

static char line[BOOTINFO_CMDLINE_MAX];
/* The words given to init: a copy of line cut into NUL-terminated words. */
static char initwords[BOOTINFO_CMDLINE_MAX];

/* The next word at or after *pp: its start and length; 0 at the end. */
static size_t
next_word(const char **pp, const char **w)
{
	const char *p = *pp;

	while (*p == ' ')
		p++;
	*w = p;
	while (*p && *p != ' ')
		p++;
	*pp = p;
	return p - *w;
}

static int
is_dashdash(const char *w, size_t n)
{
	return n == 2 && w[0] == '-' && w[1] == '-';
}

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
	const char *p = line, *found = 0, *w;

	while ((n = next_word(&p, &w)) != 0 && !is_dashdash(w, n)) {
		if (n >= klen && strncmp(w, key, klen) == 0 &&
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

/* The name part of a word ("key" of "key=value") is one of known[]. */
static int
is_known(const char *w, size_t n, const char *const known[])
{
	size_t k, klen;

	for (k = 0; known[k]; k++) {
		klen = strlen(known[k]);
		if (n >= klen && strncmp(w, known[k], klen) == 0 &&
		    (n == klen || w[klen] == '='))
			return 1;
	}
	return 0;
}

/*
 * Linux's unknown_bootoption: a word the kernel does not know goes to
 * init, "KEY=value" into its environment and a bare word into its
 * arguments; a "KEY.x" word is a module parameter, for nobody here.
 * After "--" every word is init's.
 */
static int
for_env(const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < n && w[i] != '='; i++)
		if (w[i] == '.')
			return -1;
	return i < n;
}

static void
add(char **list, int *len, int max, char *w)
{
	if (*len < max - 1) {
		list[(*len)++] = w;
		list[*len] = 0;
	}
}

void
cmdline_init_args(const char *const known[], char **argv, int *argc, int maxargv,
    char **envp, int *envc, int maxenvp)
{
	const char *p = line, *w;
	char *out = initwords;
	size_t n;
	int kernel = 1, env;

	while ((n = next_word(&p, &w)) != 0) {
		if (kernel && is_dashdash(w, n)) {
			kernel = 0;
			continue;
		}
		if (kernel && is_known(w, n, known))
			continue;
		env = kernel ? for_env(w, n) : 0;
		if (env < 0)
			continue;
		memcpy(out, w, n);
		out[n] = 0;
		if (env)
			add(envp, envc, maxenvp, out);
		else
			add(argv, argc, maxargv, out);
		out += n + 1;
	}
}
