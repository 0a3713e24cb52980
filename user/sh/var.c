/*
 * var.c: shell variables and the environment.
 *
 * Interface: var_init(envp) imports the environment (every variable in it
 * is exported); var_get/var_set/var_unset/var_export work on one
 * variable; var_environ() builds the envp for execve from the exported
 * ones.  A plain list: shells hold a few dozen variables.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

struct var {
	char *name;
	char *value;		/* NULL: exported but never set */
	int exported;
	struct var *next;
};

static struct var *vars;

static struct var *
lookup(const char *name)
{
	struct var *v;

	for (v = vars; v != NULL; v = v->next)
		if (strcmp(v->name, name) == 0)
			return v;
	return NULL;
}

static struct var *
lookup_or_add(const char *name)
{
	struct var *v, **pp;

	if ((v = lookup(name)) != NULL)
		return v;
	v = xmalloc(sizeof(*v));
	v->name = xstrdup(name);
	v->value = NULL;
	v->exported = 0;
	v->next = NULL;
	for (pp = &vars; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = v;
	return v;
}

void
var_init(char **envp)
{
	for (; *envp != NULL; envp++)
		if (strchr(*envp, '=') != NULL)
			var_assign(*envp, 1);
}

const char *
var_get(const char *name)
{
	struct var *v = lookup(name);

	return v ? v->value : NULL;
}

void
var_set(const char *name, const char *value, int exported)
{
	struct var *v = lookup_or_add(name);

	free(v->value);
	v->value = xstrdup(value);
	if (exported)
		v->exported = 1;
}

/* "NAME=value": the caller checked that NAME is a name. */
void
var_assign(const char *nameval, int exported)
{
	const char *eq = strchr(nameval, '=');
	char *name;

	name = xmalloc(eq - nameval + 1);
	memcpy(name, nameval, eq - nameval);
	name[eq - nameval] = '\0';
	var_set(name, eq + 1, exported);
	free(name);
}

void
var_export(const char *name)
{
	lookup_or_add(name)->exported = 1;
}

void
var_unset(const char *name)
{
	struct var **pp, *v;

	for (pp = &vars; (v = *pp) != NULL; pp = &v->next) {
		if (strcmp(v->name, name) == 0) {
			*pp = v->next;
			free(v->name);
			free(v->value);
			free(v);
			return;
		}
	}
}

/* A script run as a command sees only what a new shell would: the env. */
void
var_drop_local(void)
{
	struct var **pp, *v;

	for (pp = &vars; (v = *pp) != NULL;) {
		if (!v->exported) {
			*pp = v->next;
			free(v->name);
			free(v->value);
			free(v);
		} else {
			pp = &v->next;
		}
	}
}

char **
var_environ(void)
{
	struct strvec env = { 0 };
	struct var *v;
	char *s;
	size_t n;

	for (v = vars; v != NULL; v = v->next) {
		if (!v->exported || v->value == NULL)
			continue;
		n = strlen(v->name) + strlen(v->value) + 2;
		s = amalloc(n);
		snprintf(s, n, "%s=%s", v->name, v->value);
		vec_add(&env, s);
	}
	if (env.n == 0)
		vec_add(&env, NULL);	/* an empty envp is still an array */
	return env.v;
}

/* export with no arguments: in a form the shell can read back. */
void
var_print_exported(void)
{
	struct var *v;
	const char *p;

	for (v = vars; v != NULL; v = v->next) {
		if (!v->exported)
			continue;
		if (v->value == NULL) {
			printf("export %s\n", v->name);
			continue;
		}
		printf("export %s='", v->name);
		for (p = v->value; *p != '\0'; p++) {
			if (*p == '\'')
				fputs("'\\''", stdout);
			else
				putchar(*p);
		}
		printf("'\n");
	}
}
