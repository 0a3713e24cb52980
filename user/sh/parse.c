/*
 * parse.c: builds the command tree from tokens.
 *
 * Interface: parse(text, &list) returns PARSE_OK with the and-or lists of
 * text, PARSE_MORE when the text stops where more must come (an open
 * quote, or a trailing |, && or ||), or PARSE_ERROR after saying why.
 *
 * The grammar, a subset of POSIX sh without compound commands:
 *	list	 := andor ((';' | '&' | newline) andor)*
 *	andor	 := pipeline (('&&' | '||') newline* pipeline)*
 *	pipeline := command ('|' newline* command)*
 *	command	 := (NAME=value)* (word | redirection)+
 */
#include <string.h>

#include "sh.h"

struct parser {
	const char *text;
	struct token *tok;	/* the current token */
	int lastend;		/* where the last token taken ended */
	int more;		/* the input ended too soon */
};

static void
advance(struct parser *p)
{
	p->lastend = p->tok->end;
	if (p->tok->type != T_EOF)
		p->tok++;
}

static void
skip_newlines(struct parser *p)
{
	while (p->tok->type == T_NL)
		advance(p);
}

static const char *
tokname(struct token *t)
{
	switch (t->type) {
	case T_WORD:	return t->text;
	case T_REDIR:	return "redirection";
	case T_PIPE:	return "|";
	case T_AND:	return "&&";
	case T_OR:	return "||";
	case T_SEMI:	return ";";
	case T_AMP:	return "&";
	case T_NL:	return "newline";
	case T_EOF:	break;
	}
	return "end of file";
}

static void *
syntax_error(struct parser *p)
{
	sh_error("syntax error near '%s'", tokname(p->tok));
	return NULL;
}

/* A word NAME=value before the command name sets a variable. */
static int
is_assignment(const char *w)
{
	const char *eq = strchr(w, '=');

	return eq != NULL && is_name(w, eq - w);
}

static struct command *
parse_command(struct parser *p)
{
	struct command *c;
	struct word *w, **wtail, **atail;
	struct redir *r, **rtail;

	c = amalloc(sizeof(*c));
	memset(c, 0, sizeof(*c));
	wtail = &c->words;
	atail = &c->assigns;
	rtail = &c->redirs;
	for (;;) {
		if (p->tok->type == T_REDIR) {
			r = amalloc(sizeof(*r));
			r->fd = p->tok->fd;
			r->type = p->tok->redir;
			r->next = NULL;
			advance(p);
			if (p->tok->type != T_WORD)
				return syntax_error(p);
			r->target = p->tok->text;
			*rtail = r;
			rtail = &r->next;
		} else if (p->tok->type == T_WORD) {
			w = amalloc(sizeof(*w));
			w->raw = p->tok->text;
			w->next = NULL;
			if (c->words == NULL && is_assignment(w->raw)) {
				*atail = w;
				atail = &w->next;
			} else {
				*wtail = w;
				wtail = &w->next;
			}
		} else {
			break;
		}
		advance(p);
	}
	if (c->words == NULL && c->assigns == NULL && c->redirs == NULL)
		return syntax_error(p);
	return c;
}

/* After | && ||: skips newlines; the input must not end here. */
static int
need_more(struct parser *p)
{
	skip_newlines(p);
	if (p->tok->type == T_EOF) {
		p->more = 1;
		return 1;
	}
	return 0;
}

static struct pipeline *
parse_pipeline(struct parser *p)
{
	struct pipeline *pl;
	struct command *c;

	pl = amalloc(sizeof(*pl));
	memset(pl, 0, sizeof(*pl));
	if ((pl->cmds = c = parse_command(p)) == NULL)
		return NULL;
	while (p->tok->type == T_PIPE) {
		advance(p);
		if (need_more(p))
			return NULL;
		if ((c->next = parse_command(p)) == NULL)
			return NULL;
		c = c->next;
	}
	return pl;
}

static struct andor *
parse_andor(struct parser *p)
{
	struct andor *a;
	struct pipeline *pl;
	int start = p->tok->start;

	a = amalloc(sizeof(*a));
	memset(a, 0, sizeof(*a));
	if ((a->pipes = pl = parse_pipeline(p)) == NULL)
		return NULL;
	while (p->tok->type == T_AND || p->tok->type == T_OR) {
		pl->conn = p->tok->type == T_AND ? CONN_AND : CONN_OR;
		advance(p);
		if (need_more(p))
			return NULL;
		if ((pl->next = parse_pipeline(p)) == NULL)
			return NULL;
		pl = pl->next;
	}
	a->text = astrndup(p->text + start, p->lastend - start);
	return a;
}

int
parse(const char *text, struct andor **list)
{
	struct parser p;
	struct token *toks;
	struct andor *a, **tail = list;
	int ntoks;

	*list = NULL;
	if (lex(text, &toks, &ntoks) == LEX_MORE)
		return PARSE_MORE;
	p.text = text;
	p.tok = toks;
	p.lastend = 0;
	p.more = 0;
	for (;;) {
		skip_newlines(&p);
		if (p.tok->type == T_EOF)
			break;
		if ((a = parse_andor(&p)) == NULL)
			return p.more ? PARSE_MORE : PARSE_ERROR;
		if (p.tok->type == T_AMP) {
			a->background = 1;
			advance(&p);
		} else if (p.tok->type == T_SEMI || p.tok->type == T_NL) {
			advance(&p);
		} else if (p.tok->type != T_EOF) {
			syntax_error(&p);
			return PARSE_ERROR;
		}
		*tail = a;
		tail = &a->next;
	}
	return PARSE_OK;
}
