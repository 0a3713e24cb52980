/*
 * lex.c: splits a piece of input into tokens.
 *
 * Interface: lex(text, &toks, &n) fills an arena array of tokens ending in
 * T_EOF and returns LEX_OK, or LEX_MORE when the text ends inside quotes or
 * right after a backslash, so that main.c reads another line first.
 *
 * Words keep their raw text, quotes included: they are expanded only when
 * their command runs (expand.c), so "x=1; echo $x" sees the new x.
 * Operators: | || & && ; newline, and redirections [n]< [n]> [n]>> [n]<&
 * [n]>& whose target is the word that follows.  # starts a comment when
 * it starts a word.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

static int
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

static int
is_op(int c)
{
	return c == '|' || c == '&' || c == ';' || c == '<' || c == '>' ||
	    c == '\n';
}

/* Returns the end of the word starting at i, or -1 if the text ends first. */
static int
scan_word(const char *s, int i)
{
	const char *q;

	while (s[i] != '\0' && !is_blank(s[i]) && !is_op(s[i])) {
		switch (s[i]) {
		case '\\':
			/* \ at the end, or \newline at the end: a line follows. */
			if (s[i + 1] == '\0' || (s[i + 1] == '\n' && s[i + 2] == '\0'))
				return -1;
			i += 2;
			break;
		case '\'':
			q = strchr(s + i + 1, '\'');
			if (q == NULL)
				return -1;
			i = q - s + 1;
			break;
		case '"':
			for (i++; s[i] != '"'; i++) {
				if (s[i] == '\0')
					return -1;
				if (s[i] == '\\' && s[i + 1] != '\0')
					i++;
			}
			i++;
			break;
		case '$':
			/* ${a b} is one (bad) word, as in other shells. */
			if (s[i + 1] == '{' && (q = strchr(s + i, '}')) != NULL)
				i = q - s + 1;
			else
				i++;
			break;
		default:
			i++;
		}
	}
	return i;
}

/* Reads a redirection operator at s[i]; fd is -1 if no number came first. */
static int
scan_redir(const char *s, int i, int fd, struct token *t)
{
	t->type = T_REDIR;
	if (s[i] == '<') {
		t->fd = fd < 0 ? 0 : fd;
		t->redir = R_IN;
		if (s[i + 1] == '&') {
			t->redir = R_DUPIN;
			i++;
		}
		return i + 1;
	}
	t->fd = fd < 0 ? 1 : fd;
	t->redir = R_OUT;
	if (s[i + 1] == '>') {
		t->redir = R_APPEND;
		i++;
	} else if (s[i + 1] == '&') {
		t->redir = R_DUPOUT;
		i++;
	} else if (s[i + 1] == '|') {
		i++;		/* >| : no noclobber here, so the same as > */
	}
	return i + 1;
}

int
lex(const char *s, struct token **toksp, int *ntoks)
{
	struct token *toks = NULL, *t;
	int n = 0, cap = 0, i = 0, j;

	for (;;) {
		while (is_blank(s[i]) || (s[i] == '\\' && s[i + 1] == '\n')) {
			if (s[i] == '\\' && s[i + 2] == '\0')
				goto more;	/* \newline ends the text */
			i += s[i] == '\\' ? 2 : 1;
		}
		if (s[i] == '\\' && s[i + 1] == '\0')
			goto more;
		if (s[i] == '#')
			while (s[i] != '\0' && s[i] != '\n')
				i++;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			toks = xrealloc(toks, cap * sizeof(*toks));
		}
		t = &toks[n++];
		memset(t, 0, sizeof(*t));
		t->start = i;
		if (s[i] == '\0') {
			t->type = T_EOF;
			t->end = i;
			break;
		}
		switch (s[i]) {
		case '\n':
			t->type = T_NL;
			i++;
			break;
		case ';':
			t->type = T_SEMI;
			i++;
			break;
		case '|':
			t->type = s[i + 1] == '|' ? T_OR : T_PIPE;
			i += t->type == T_OR ? 2 : 1;
			break;
		case '&':
			t->type = s[i + 1] == '&' ? T_AND : T_AMP;
			i += t->type == T_AND ? 2 : 1;
			break;
		case '<':
		case '>':
			i = scan_redir(s, i, -1, t);
			break;
		default:
			for (j = i; isdigit((unsigned char)s[j]); j++)
				;
			if (j > i && (s[j] == '<' || s[j] == '>')) {
				i = scan_redir(s, j, atoi(s + i), t);
				break;
			}
			j = scan_word(s, i);
			if (j < 0)
				goto more;
			t->type = T_WORD;
			t->text = astrndup(s + i, j - i);
			i = j;
		}
		t->end = i;
	}
	*toksp = amalloc(n * sizeof(*toks));
	memcpy(*toksp, toks, n * sizeof(*toks));
	*ntoks = n;
	free(toks);
	return LEX_OK;
more:
	free(toks);
	return LEX_MORE;
}
