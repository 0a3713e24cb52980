/*
 * expand.c: turns a raw word into the fields a command receives.
 *
 * Interface: expand_word(raw, flags, &vec) appends the fields of raw to vec
 * and returns 0, or -1 after reporting a bad word; expand_one(raw) gives
 * the word as one string (assignments and redirection targets).
 *
 * In order of appearance: ~ at the start (from $HOME), 'single quotes'
 * (all literal), "double quotes" (where \ quotes only $ ` " \ and newline,
 * and $ still expands), \c, and $name ${name} ${#name} $? $$ $! $# $0-$9
 * $* $@.  Unquoted expansions are split on blanks (EX_SPLIT) and every
 * field with an unquoted * ? or [ is matched against files by glob(3)
 * (EX_GLOB), kept as it is when nothing matches.  Command substitution
 * and arithmetic are not supported.
 */
#include <ctype.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

struct field {
	struct str lit;		/* the text as the command gets it */
	struct str pat;		/* the same as a glob pattern: quoted metas escaped */
	int started;		/* something, even "", was seen: the field exists */
	int glob;		/* has an unquoted * ? or [ */
};

struct expander {
	int flags;
	struct field f;
	struct strvec *out;
};

static void
add_char(struct expander *e, int c, int quoted)
{
	e->f.started = 1;
	str_addc(&e->f.lit, c);
	if (quoted && strchr("*?[]\\", c) != NULL)
		str_addc(&e->f.pat, '\\');
	if (!quoted && strchr("*?[", c) != NULL)
		e->f.glob = 1;
	str_addc(&e->f.pat, c);
}

static void
end_field(struct expander *e)
{
	glob_t g;
	size_t i;

	if (!e->f.started)
		return;
	if ((e->flags & EX_GLOB) && e->f.glob &&
	    glob(e->f.pat.s, 0, NULL, &g) == 0) {
		for (i = 0; i < g.gl_pathc; i++)
			vec_add(e->out, astrdup(g.gl_pathv[i]));
		globfree(&g);
	} else {
		vec_add(e->out, astrndup(e->f.lit.s ? e->f.lit.s : "",
		    e->f.lit.len));
	}
	str_clear(&e->f.lit);
	str_clear(&e->f.pat);
	e->f.started = 0;
	e->f.glob = 0;
}

/* Adds the value of an expansion; unquoted blanks end fields if splitting. */
static void
add_value(struct expander *e, const char *v, int quoted)
{
	if (quoted)
		e->f.started = 1;
	for (; *v != '\0'; v++) {
		if (!quoted && (e->flags & EX_SPLIT) &&
		    (*v == ' ' || *v == '\t' || *v == '\n'))
			end_field(e);
		else
			add_char(e, *v, quoted);
	}
}

/* $1 ... joined by blanks: $* and unquoted $@. */
static char *
join_args(void)
{
	struct str b = { 0 };
	char *s;
	int i;

	for (i = 1; i < sh_argc; i++) {
		if (i > 1)
			str_addc(&b, ' ');
		str_adds(&b, sh_argv[i]);
	}
	s = astrdup(b.s ? b.s : "");
	free(b.s);
	return s;
}

/* The value of a parameter named by name[0..n); "" if unset. */
static const char *
param(const char *name, size_t n)
{
	static char num[24];
	char var[256];
	const char *v;

	if (n == 1 && isdigit((unsigned char)name[0]))
		return name[0] - '0' < sh_argc ? sh_argv[name[0] - '0'] : "";
	if (n == 1 && strchr("?$!#", name[0]) != NULL) {
		switch (name[0]) {
		case '?': snprintf(num, sizeof(num), "%d", sh_status); break;
		case '$': snprintf(num, sizeof(num), "%d", (int)sh_pid); break;
		case '!': snprintf(num, sizeof(num), "%d", (int)sh_lastbg); break;
		case '#': snprintf(num, sizeof(num), "%d", sh_argc - 1); break;
		}
		if (name[0] == '!' && sh_lastbg == 0)
			return "";
		return num;
	}
	if (n == 1 && (name[0] == '*' || name[0] == '@'))
		return join_args();
	if (n >= sizeof(var))
		return "";
	memcpy(var, name, n);
	var[n] = '\0';
	v = var_get(var);
	return v ? v : "";
}

static int
is_special(int c)
{
	return c != '\0' && (strchr("?$!#*@", c) != NULL || isdigit(c));
}

/*
 * Expands the parameter named at s, just after a '$'.  Returns how many
 * characters it used: 0 when the '$' is only a '$', -1 on a bad word.
 */
static int
dollar(struct expander *e, const char *s, int quoted)
{
	const char *name = s, *end;
	size_t n, len = 1;
	int i, count = 0;
	char num[24];

	if (s[0] == '{') {
		end = strchr(s, '}');
		if (end == NULL) {
			sh_error("missing '}'");
			return -1;
		}
		name = s + 1;
		n = end - name;
		len = n + 2;
		if (n > 1 && name[0] == '#') {
			count = 1;
			name++;
			n--;
		}
		if (!is_name(name, n) && !(n == 1 && is_special(name[0]))) {
			sh_error("${%.*s}: bad substitution", (int)(end - s - 1), s + 1);
			return -1;
		}
	} else if (is_special((unsigned char)s[0])) {
		n = 1;
	} else if (isalpha((unsigned char)s[0]) || s[0] == '_') {
		for (n = 1; isalnum((unsigned char)s[n]) || s[n] == '_'; n++)
			;
		len = n;
	} else if (s[0] == '(') {
		sh_error("$(...): command substitution is not supported");
		return -1;
	} else {
		return 0;
	}

	if (count) {
		snprintf(num, sizeof(num), "%zu", strlen(param(name, n)));
		add_value(e, num, quoted);
	} else if (quoted && n == 1 && name[0] == '@') {
		/* "$@": each argument a field of its own. */
		for (i = 1; i < sh_argc; i++) {
			if (i > 1)
				end_field(e);
			add_value(e, sh_argv[i], 1);
		}
	} else {
		add_value(e, param(name, n), quoted);
	}
	return len;
}

static int
add_dollar(struct expander *e, const char **sp, int quoted)
{
	int n = dollar(e, *sp + 1, quoted);

	if (n < 0)
		return -1;
	if (n == 0)
		add_char(e, '$', quoted);
	*sp += 1 + n;
	return 0;
}

static int
double_quotes(struct expander *e, const char **sp)
{
	const char *s = *sp + 1;

	/* "$@" without arguments is no field at all, not an empty one. */
	if (strncmp(s, "$@\"", 3) == 0 && sh_argc <= 1) {
		*sp = s + 3;
		return 0;
	}
	e->f.started = 1;
	while (*s != '\0' && *s != '"') {
		if (*s == '\\' && s[1] != '\0' && strchr("$`\"\\\n", s[1])) {
			if (s[1] != '\n')
				add_char(e, s[1], 1);
			s += 2;
		} else if (*s == '$') {
			if (add_dollar(e, &s, 1) < 0)
				return -1;
		} else if (*s == '`') {
			sh_error("`...`: command substitution is not supported");
			return -1;
		} else {
			add_char(e, *s++, 1);
		}
	}
	*sp = *s ? s + 1 : s;
	return 0;
}

static int
expand(struct expander *e, const char *s)
{
	const char *home;

	home = var_get("HOME");
	if (s[0] == '~' && (s[1] == '/' || s[1] == '\0') && home != NULL) {
		add_value(e, home, 1);
		s++;
	}
	while (*s != '\0') {
		switch (*s) {
		case '\'':
			e->f.started = 1;
			for (s++; *s != '\0' && *s != '\''; s++)
				add_char(e, *s, 1);
			if (*s)
				s++;
			break;
		case '"':
			if (double_quotes(e, &s) < 0)
				return -1;
			break;
		case '\\':
			if (s[1] == '\n') {
				s += 2;
			} else if (s[1] != '\0') {
				add_char(e, s[1], 1);
				s += 2;
			} else {
				add_char(e, *s++, 1);
			}
			break;
		case '$':
			if (add_dollar(e, &s, 0) < 0)
				return -1;
			break;
		case '`':
			sh_error("`...`: command substitution is not supported");
			return -1;
		default:
			add_char(e, *s++, 0);
		}
	}
	end_field(e);
	return 0;
}

int
expand_word(const char *raw, int flags, struct strvec *out)
{
	struct expander e;
	int r;

	memset(&e, 0, sizeof(e));
	e.flags = flags;
	e.out = out;
	r = expand(&e, raw);
	free(e.f.lit.s);
	free(e.f.pat.s);
	return r;
}

char *
expand_one(const char *raw)
{
	struct strvec v = { 0 };

	if (expand_word(raw, 0, &v) < 0)
		return NULL;
	return v.n > 0 ? v.v[0] : "";
}
