/*
 * util.c: memory, growable strings and arrays, error messages.
 *
 * The arena hands out memory that lives until afreeall(), which main.c
 * calls once the input it was made for has run; so the lexer, the parser
 * and the expander never free anything themselves.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

#define ARENA_BLOCK	8192

struct block {
	struct block *next;
	size_t used, size;
	char data[];
};

static struct block *arena;

void *
amalloc(size_t n)
{
	struct block *b;
	size_t size;

	n = (n + 15) & ~(size_t)15;
	if (arena == NULL || arena->size - arena->used < n) {
		size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		b = xmalloc(sizeof(*b) + size);
		b->used = 0;
		b->size = size;
		b->next = arena;
		arena = b;
	}
	arena->used += n;
	return arena->data + arena->used - n;
}

char *
astrndup(const char *s, size_t n)
{
	char *p;

	p = amalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
astrdup(const char *s)
{
	return astrndup(s, strlen(s));
}

void
afreeall(void)
{
	struct block *b;

	while ((b = arena) != NULL) {
		arena = b->next;
		free(b);
	}
}

void *
xmalloc(size_t n)
{
	return xrealloc(NULL, n);
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL) {
		sh_error("out of memory");
		exit(2);
	}
	return p;
}

char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

void
str_addc(struct str *b, int c)
{
	if (b->len + 2 > b->cap) {
		b->cap = b->cap ? 2 * b->cap : 64;
		b->s = xrealloc(b->s, b->cap);
	}
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

void
str_adds(struct str *b, const char *s)
{
	while (*s)
		str_addc(b, *s++);
}

void
str_clear(struct str *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

/* The array lives in the arena, like the strings put in it. */
void
vec_add(struct strvec *v, char *s)
{
	char **nv;

	if (v->n + 2 > v->cap) {
		v->cap = v->cap ? 2 * v->cap : 8;
		nv = amalloc(v->cap * sizeof(char *));
		if (v->n)
			memcpy(nv, v->v, v->n * sizeof(char *));
		v->v = nv;
	}
	v->v[v->n++] = s;
	v->v[v->n] = NULL;
}

void
sh_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("sh: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
is_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return 0;
	return 1;
}
