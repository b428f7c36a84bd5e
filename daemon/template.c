/*
 * template.c — the template expander (syntax in template.h).
 *
 * A template is parsed into a tree of nodes (text, variable, if/unless,
 * each) that point into the source text, then the tree is walked with a
 * chain of scopes, one per {{#each}} item.  Output goes into a struct buf
 * whose limit is the caller's max.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faxintake/buf.h"
#include "faxintake/template.h"
#include "faxintake/util.h"
#include "faxintake/xmalloc.h"

/* --- values ------------------------------------------------------------- */

struct template_var {
	char			 *name;
	char			 *value;	/* NULL: a list */
	struct template_vars	**items;
	size_t			  nitems;
};

struct template_vars {
	struct template_var	*v;
	size_t			 n;
};

static int
name_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > TEMPLATE_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '_' || (c >= 'A' && c <= 'Z') ||
		    (c >= 'a' && c <= 'z') || (i > 0 && c >= '0' && c <= '9'))
			continue;
		return 0;
	}
	return 1;
}

struct template_vars *
template_vars_new(void)
{
	return xcalloc(1, sizeof(struct template_vars));
}

static void
var_clear(struct template_var *v)
{
	size_t i;

	free(v->value);
	v->value = NULL;
	for (i = 0; i < v->nitems; i++)
		template_vars_free(v->items[i]);
	free(v->items);
	v->items = NULL;
	v->nitems = 0;
}

void
template_vars_free(struct template_vars *tv)
{
	size_t i;

	if (tv == NULL)
		return;
	for (i = 0; i < tv->n; i++) {
		var_clear(&tv->v[i]);
		free(tv->v[i].name);
	}
	free(tv->v);
	free(tv);
}

static struct template_var *
var_find(const struct template_vars *tv, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < tv->n; i++)
		if (strlen(tv->v[i].name) == len &&
		    memcmp(tv->v[i].name, name, len) == 0)
			return &tv->v[i];
	return NULL;
}

static struct template_var *
var_get(struct template_vars *tv, const char *name)
{
	struct template_var *v;

	if ((v = var_find(tv, name, strlen(name))) != NULL)
		return v;
	tv->v = xreallocarray(tv->v, tv->n + 1, sizeof(*tv->v));
	v = &tv->v[tv->n++];
	memset(v, 0, sizeof(*v));
	v->name = xstrdup(name);
	return v;
}

int
template_vars_set(struct template_vars *tv, const char *name,
    const char *value)
{
	struct template_var *v;

	if (name == NULL || !name_ok(name, strlen(name)))
		return -EINVAL;
	v = var_get(tv, name);
	var_clear(v);
	v->value = xstrdup(value ? value : "");
	return 0;
}

int
template_vars_setf(struct template_vars *tv, const char *name,
    const char *fmt, ...)
{
	va_list ap;
	char *s;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return -ENOMEM;
	rc = template_vars_set(tv, name, s);
	free(s);
	return rc;
}

int
template_vars_list(struct template_vars *tv, const char *name)
{
	struct template_var *v;

	if (name == NULL || !name_ok(name, strlen(name)))
		return -EINVAL;
	v = var_get(tv, name);
	if (v->value != NULL)
		var_clear(v);
	return 0;
}

struct template_vars *
template_vars_add(struct template_vars *tv, const char *list)
{
	struct template_var *v;
	struct template_vars *item;

	if (template_vars_list(tv, list) != 0)
		return NULL;
	v = var_get(tv, list);
	v->items = xreallocarray(v->items, v->nitems + 1, sizeof(*v->items));
	item = template_vars_new();
	v->items[v->nitems++] = item;
	return item;
}

const char *
template_vars_get(const struct template_vars *tv, const char *name)
{
	const struct template_var *v;

	if (tv == NULL || name == NULL ||
	    (v = var_find(tv, name, strlen(name))) == NULL)
		return NULL;
	return v->value;
}

/* --- parsing ---------------------------------------------------------------- */

enum node_type {
	NODE_TEXT,
	NODE_VAR,
	NODE_IF,
	NODE_UNLESS,
	NODE_EACH
};

struct node_list {
	struct node	*v;
	size_t		 n;
};

struct node {
	enum node_type	 type;
	const char	*s;		/* text, or the name */
	size_t		 len;
	int		 line;
	struct node_list body;
	struct node_list alt;		/* {{else}} part */
};

/* What ended a parse_list() call. */
enum stop {
	STOP_EOF,
	STOP_ELSE,
	STOP_CLOSE
};

struct parser {
	const char	*name;		/* for messages */
	const char	*src;
	const char	*p;
	int		 line;
	struct buf	*err;
	/* the closing tag just read: */
	enum node_type	 close_type;
	int		 stop_line;
};

static void
nodes_free(struct node_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		nodes_free(&l->v[i].body);
		nodes_free(&l->v[i].alt);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static struct node *
node_add(struct node_list *l, enum node_type t, const char *s, size_t len,
    int line)
{
	struct node *n;

	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	n = &l->v[l->n++];
	memset(n, 0, sizeof(*n));
	n->type = t;
	n->s = s;
	n->len = len;
	n->line = line;
	return n;
}

static int
perr(struct parser *ps, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
perr(struct parser *ps, int line, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (ps->err->len == 0) {
		va_start(ap, fmt);
		if (vasprintf(&s, fmt, ap) >= 0) {
			(void)buf_printf(ps->err, "%s:%d: %s", ps->name,
			    line, s);
			free(s);
		}
		va_end(ap);
	}
	return -EINVAL;
}

static const char *
type_word(enum node_type t)
{
	switch (t) {
	case NODE_IF:
		return "if";
	case NODE_UNLESS:
		return "unless";
	case NODE_EACH:
		return "each";
	default:
		return "?";
	}
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int
count_lines(const char *a, const char *b)
{
	int n = 0;

	for (; a < b; a++)
		if (*a == '\n')
			n++;
	return n;
}

/*
 * Standalone rule: if the tag [t0, t1) is alone on its line, move *text_end
 * back to the start of the line and return where the text after the tag
 * resumes (past the newline); else return t1 and leave *text_end.
 */
static const char *
standalone(struct parser *ps, const char *text_start, const char **text_end,
    const char *t0, const char *t1)
{
	const char *a = t0, *b = t1;

	while (a > ps->src && is_blank(a[-1]))
		a--;
	if (a > ps->src && a[-1] != '\n')
		return t1;
	if (a < text_start)		/* another tag on this line */
		return t1;
	while (is_blank(*b))
		b++;
	if (*b == '\n')
		b++;
	else if (*b == '\r' && b[1] == '\n')
		b += 2;
	else if (*b != '\0')
		return t1;
	*text_end = a;
	return b;
}

static int parse_list(struct parser *, struct node_list *, int depth);

/* Reads "name" after a keyword, up to "}}"; the tag body is [s, e). */
static int
tag_name(struct parser *ps, const char *s, const char *e, int line,
    const char **ret, size_t *ret_len)
{
	while (s < e && is_blank(*s))
		s++;
	while (e > s && is_blank(e[-1]))
		e--;
	if (!name_ok(s + (*s == '@'), (size_t)(e - s) - (*s == '@')))
		return perr(ps, line, "bad name '%.*s'", (int)(e - s), s);
	*ret = s;
	*ret_len = (size_t)(e - s);
	return 0;
}

static int
parse_block(struct parser *ps, struct node_list *out, enum node_type t,
    const char *s, const char *e, int line, int depth)
{
	struct node *n;
	const char *nm;
	size_t nl;
	int rc;
	enum stop st;
	size_t idx;

	if ((rc = tag_name(ps, s, e, line, &nm, &nl)) != 0)
		return rc;
	if (depth >= TEMPLATE_MAX_DEPTH) {
		(void)perr(ps, line, "blocks nested deeper than %d",
		    TEMPLATE_MAX_DEPTH);
		return -E2BIG;
	}
	n = node_add(out, t, nm, nl, line);
	idx = out->n - 1;
	/* out->v may move while the body is parsed into a local list. */
	{
		struct node_list body = { NULL, 0 }, alt = { NULL, 0 };

		rc = parse_list(ps, &body, depth + 1);
		st = (enum stop)(rc > 0 ? rc : 0);
		if (rc >= 0 && st == STOP_ELSE) {
			rc = parse_list(ps, &alt, depth + 1);
			st = (enum stop)(rc > 0 ? rc : 0);
			if (rc >= 0 && st == STOP_ELSE)
				rc = perr(ps, ps->stop_line,
				    "second {{else}} in {{#%s}} of line %d",
				    type_word(t), line);
		}
		if (rc >= 0 && st == STOP_EOF)
			rc = perr(ps, line, "{{#%s %.*s}} is not closed",
			    type_word(t), (int)nl, nm);
		if (rc >= 0 && ps->close_type != t)
			rc = perr(ps, ps->stop_line,
			    "{{/%s}} closes {{#%s}} of line %d",
			    type_word(ps->close_type), type_word(t), line);
		n = &out->v[idx];
		n->body = body;
		n->alt = alt;
	}
	return rc < 0 ? rc : 0;
}

/*
 * Parse nodes into out until EOF, {{else}} or a closing tag.  Returns the
 * enum stop (>= 0) or a negative errno.
 */
static int
parse_list(struct parser *ps, struct node_list *out, int depth)
{
	const char *text = ps->p, *text_end, *t0, *t1, *s, *e, *next;
	int line, rc, is_block;

	for (;;) {
		t0 = strstr(ps->p, "{{");
		if (t0 == NULL) {
			size_t len = strlen(ps->p);
			if (len)
				node_add(out, NODE_TEXT, ps->p, len, ps->line);
			ps->line += count_lines(ps->p, ps->p + len);
			ps->p += len;
			return STOP_EOF;
		}
		text = ps->p;
		line = ps->line + count_lines(ps->p, t0);
		t1 = strstr(t0 + 2, "}}");
		if (t1 == NULL)
			return perr(ps, line, "'{{' without '}}'");
		s = t0 + 2;
		e = t1;
		t1 += 2;
		while (s < e && is_blank(*s))
			s++;
		is_block = s < e && (*s == '#' || *s == '/' || *s == '!' ||
		    ((size_t)(e - s) >= 4 && strncmp(s, "else", 4) == 0 &&
		    (e - s == 4 || is_blank(s[4]))));
		text_end = t0;
		next = is_block ? standalone(ps, text, &text_end, t0, t1) : t1;
		if (text_end > text)
			node_add(out, NODE_TEXT, text, (size_t)(text_end - text),
			    ps->line);
		ps->line += count_lines(ps->p, next);
		ps->p = next;

		if (s < e && *s == '!')
			continue;
		if (s < e && *s == '#') {
			s++;
			if ((size_t)(e - s) > 3 && strncmp(s, "if", 2) == 0 &&
			    is_blank(s[2]))
				rc = parse_block(ps, out, NODE_IF, s + 3, e,
				    line, depth);
			else if ((size_t)(e - s) > 7 &&
			    strncmp(s, "unless", 6) == 0 && is_blank(s[6]))
				rc = parse_block(ps, out, NODE_UNLESS, s + 7, e,
				    line, depth);
			else if ((size_t)(e - s) > 5 &&
			    strncmp(s, "each", 4) == 0 && is_blank(s[4]))
				rc = parse_block(ps, out, NODE_EACH, s + 5, e,
				    line, depth);
			else
				rc = perr(ps, line, "unknown block '{{#%.*s}}'",
				    (int)(e - s), s);
			if (rc < 0)
				return rc;
			continue;
		}
		if (s < e && *s == '/') {
			const char *w = s + 1, *we = e;
			while (we > w && is_blank(we[-1]))
				we--;
			if (we - w == 2 && strncmp(w, "if", 2) == 0)
				ps->close_type = NODE_IF;
			else if (we - w == 6 && strncmp(w, "unless", 6) == 0)
				ps->close_type = NODE_UNLESS;
			else if (we - w == 4 && strncmp(w, "each", 4) == 0)
				ps->close_type = NODE_EACH;
			else
				return perr(ps, line, "unknown tag '{{%.*s}}'",
				    (int)(e - s), s);
			if (depth == 0)
				return perr(ps, line, "{{/%s}} without {{#%s}}",
				    type_word(ps->close_type),
				    type_word(ps->close_type));
			ps->stop_line = line;
			return STOP_CLOSE;
		}
		if (is_block) {		/* else */
			if (depth == 0)
				return perr(ps, line, "{{else}} outside a block");
			ps->stop_line = line;
			return STOP_ELSE;
		}
		{
			const char *nm;
			size_t nl;

			if ((rc = tag_name(ps, s, e, line, &nm, &nl)) != 0)
				return rc;
			node_add(out, NODE_VAR, nm, nl, line);
		}
	}
}

/* --- expanding -------------------------------------------------------------- */

struct scope {
	const struct template_vars	*vars;
	const struct scope		*up;
	size_t				 index, count;	/* each item */
};

struct expander {
	const char	*name;
	int		 flags;
	size_t		 max;
	struct buf	*out;
	struct buf	*err;
};

static int
xerr(struct expander *x, int line, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
xerr(struct expander *x, int line, int rc, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) >= 0) {
		(void)buf_printf(x->err, "%s:%d: %s", x->name, line, s);
		free(s);
	}
	va_end(ap);
	return rc;
}

/* The variable a name means in scope, or NULL.  *special gets "1"/""/a
 * number for @names (buffer of 24). */
static const struct template_var *
lookup(const struct scope *sc, const char *nm, size_t nl, char *special,
    int *is_special)
{
	const struct template_var *v;

	*is_special = 0;
	if (nm[0] == '@') {
		for (; sc != NULL && sc->count == 0; sc = sc->up)
			;
		if (sc == NULL)
			return NULL;
		*is_special = 1;
		if (nl == 6 && memcmp(nm, "@index", 6) == 0)
			snprintf(special, 24, "%zu", sc->index + 1);
		else if (nl == 6 && memcmp(nm, "@first", 6) == 0)
			strcpy(special, sc->index == 0 ? "1" : "");
		else if (nl == 5 && memcmp(nm, "@last", 5) == 0)
			strcpy(special, sc->index + 1 == sc->count ? "1" : "");
		else
			*is_special = 0;
		return NULL;
	}
	for (; sc != NULL; sc = sc->up)
		if ((v = var_find(sc->vars, nm, nl)) != NULL)
			return v;
	return NULL;
}

static int expand_list(struct expander *, const struct node_list *,
    const struct scope *);

static int
emit(struct expander *x, const struct node *n, const char *s, size_t len)
{
	if (buf_add(x->out, s, len) != 0)
		return xerr(x, n->line, -E2BIG, "output longer than %zu bytes",
		    x->max);
	return 0;
}

static int
expand_node(struct expander *x, const struct node *n, const struct scope *sc)
{
	const struct template_var *v;
	struct scope item;
	char special[24];
	int is_special, truth;
	size_t i;
	int rc;

	if (n->type == NODE_TEXT)
		return emit(x, n, n->s, n->len);
	v = lookup(sc, n->s, n->len, special, &is_special);
	if (v == NULL && !is_special && (x->flags & TEMPLATE_STRICT))
		return xerr(x, n->line, -EINVAL, "unknown variable '%.*s'",
		    (int)n->len, n->s);
	switch (n->type) {
	case NODE_VAR:
		if (is_special)
			return emit(x, n, special, strlen(special));
		if (v == NULL)
			return 0;
		if (v->value == NULL)
			return xerr(x, n->line, -EINVAL,
			    "'%.*s' is a list: use {{#each %.*s}}",
			    (int)n->len, n->s, (int)n->len, n->s);
		return emit(x, n, v->value, strlen(v->value));
	case NODE_IF:
	case NODE_UNLESS:
		if (is_special)
			truth = special[0] != '\0';
		else if (v == NULL)
			truth = 0;
		else
			truth = v->value ? v->value[0] != '\0' : v->nitems > 0;
		if (n->type == NODE_UNLESS)
			truth = !truth;
		return expand_list(x, truth ? &n->body : &n->alt, sc);
	case NODE_EACH:
		if (is_special || (v != NULL && v->value != NULL))
			return xerr(x, n->line, -EINVAL,
			    "'%.*s' is not a list", (int)n->len, n->s);
		if (v == NULL || v->nitems == 0)
			return expand_list(x, &n->alt, sc);
		for (i = 0; i < v->nitems; i++) {
			item.vars = v->items[i];
			item.up = sc;
			item.index = i;
			item.count = v->nitems;
			if ((rc = expand_list(x, &n->body, &item)) != 0)
				return rc;
		}
		return 0;
	default:
		return -EINVAL;
	}
}

static int
expand_list(struct expander *x, const struct node_list *l,
    const struct scope *sc)
{
	size_t i;
	int rc;

	for (i = 0; i < l->n; i++)
		if ((rc = expand_node(x, &l->v[i], sc)) != 0)
			return rc;
	return 0;
}

int
template_expand(const char *name, const char *text,
    const struct template_vars *vars, int flags, size_t max, char **ret,
    char **err)
{
	struct node_list root = { NULL, 0 };
	struct parser ps;
	struct expander x;
	struct scope top;
	struct buf out, eb;
	int rc;

	buf_init(&eb, 1024);
	buf_init(&out, max);
	memset(&ps, 0, sizeof(ps));
	ps.name = name ? name : "template";
	ps.src = ps.p = text;
	ps.line = 1;
	ps.err = &eb;
	rc = parse_list(&ps, &root, 0);
	if (rc > 0)		/* a stray {{else}} or close is caught inside */
		rc = 0;
	if (rc == 0) {
		x.name = ps.name;
		x.flags = flags;
		x.max = max;
		x.out = &out;
		x.err = &eb;
		top.vars = vars;
		top.up = NULL;
		top.index = top.count = 0;
		if (vars == NULL)
			rc = xerr(&x, 1, -EINVAL, "no variables");
		else
			rc = expand_list(&x, &root, &top);
		/* An empty result still has a buffer to take. */
		if (rc == 0)
			rc = buf_add(&out, "", 0) == 0 ? 0 :
			    xerr(&x, 1, -E2BIG, "output too long");
	}
	nodes_free(&root);
	if (rc == 0) {
		*ret = buf_take(&out);
		buf_free(&eb);
		return 0;
	}
	buf_free(&out);
	if (err)
		*err = buf_take(&eb);
	buf_free(&eb);
	return rc;
}

int
template_expand_file(const char *path, const struct template_vars *vars,
    int flags, size_t max, char **ret, char **err)
{
	char *text;
	size_t len;
	int rc;

	if ((rc = util_read_file(path, TEMPLATE_MAX_FILE, &text, &len)) != 0) {
		if (err)
			xasprintf(err, "%s: %s", path, strerror(-rc));
		return rc;
	}
	if (memchr(text, '\0', len) != NULL) {
		free(text);
		if (err)
			xasprintf(err, "%s:1: NUL byte in template", path);
		return -EINVAL;
	}
	rc = template_expand(path, text, vars, flags, max, ret, err);
	free(text);
	return rc;
}
