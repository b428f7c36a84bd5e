/*
 * form.c — form definitions (templates/forms/NAME.form, format in
 * templates/forms/README): a small line format, parsed here with
 * "FILE:LINE: message" errors, then laid out and drawn for one hospital
 * through render.h.  Layout and drawing are one pass, so the boxes that
 * form_layout() returns are the ones that were drawn.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faxintake/buf.h"
#include "faxintake/form.h"
#include "faxintake/profile.h"
#include "faxintake/render.h"
#include "faxintake/xmalloc.h"

#define FORM_MAX_BYTES	(256 * 1024)
#define FORM_MAX_LINE	4096
#define FORM_MAX_TOKENS	64
#define FORM_MAX_ITEMS	1000
#define FORM_MAX_ERRS	(64 * 1024)

/* Page frame, mm. */
#define LEFT		15.0
#define RIGHT		195.0
#define TOP		14.0
#define BOTTOM		284.0
#define FOOTER_Y	265.0
#define MARK_INSET	8.0
#define MARK_SIZE	5.0

#define LINE_THIN	0.2
#define LINE_THICK	0.6
#define LABEL_GRAY	0.90
#define GROUP_GRAY	0.82
#define BOX		3.2	/* check box side */
#define PAD		1.5

enum item_type {
	IT_TEXT, IT_SPACE, IT_HEADER, IT_TO, IT_TABLE, IT_GROUP, IT_ROW,
	IT_END, IT_PAGE, IT_QR, IT_PATCH,
};

enum cell_type {
	C_LABEL, C_TEXT, C_LINES, C_CHOICE, C_MULTI, C_DATE, C_DEPTS,
};

struct opt {
	char		*label;
	char		*value;
};

struct cell {
	enum cell_type	 type;
	char		*id;
	char		*text;		/* label */
	char		*pre, *post;
	double		 w;		/* 0: share what is left */
	int		 small;
	int		 nlines;
	struct opt	*opts;
	size_t		 nopts;
};

struct item {
	enum item_type	 type;
	int		 line;
	double		 num;		/* mm, pt or row height (< 0 auto) */
	int		 online_only;
	double		 x, w, group_w, label_w;	/* tables */
	struct render_style st;		/* text */
	char		*text;
	struct cell	*cells;
	size_t		 ncells;
};

struct form {
	char		*id;
	char		*title;
	int		 version;
	int		 marks, footer, generic;
	double		 qr_size;	/* top right of every page; 0 none */
	struct item	*items;
	size_t		 nitems;
};

static const struct {
	const char	*value;
	const char	*label;
} eras[] = {
	{ "meiji", "明治" }, { "taisho", "大正" }, { "showa", "昭和" },
	{ "heisei", "平成" }, { "reiwa", "令和" },
};

/* --- freeing ---------------------------------------------------------------- */

static void
cell_clear(struct cell *c)
{
	size_t i;

	free(c->id);
	free(c->text);
	free(c->pre);
	free(c->post);
	for (i = 0; i < c->nopts; i++) {
		free(c->opts[i].label);
		free(c->opts[i].value);
	}
	free(c->opts);
}

void
form_free(struct form *f)
{
	size_t i, j;

	if (f == NULL)
		return;
	for (i = 0; i < f->nitems; i++) {
		for (j = 0; j < f->items[i].ncells; j++)
			cell_clear(&f->items[i].cells[j]);
		free(f->items[i].cells);
		free(f->items[i].text);
	}
	free(f->items);
	free(f->id);
	free(f->title);
	free(f);
}

const char *
form_id(const struct form *f)
{
	return f->id;
}

int
form_version(const struct form *f)
{
	return f->version;
}

/* --- parsing ---------------------------------------------------------------- */

struct parse {
	const char	*path;
	int		 line;
	struct buf	 errs;
	int		 nerrs;
	struct form	*f;
	int		 in_table;
};

static void perr(struct parse *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
perr(struct parse *p, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->nerrs++;
	(void)buf_printf(&p->errs, "%s:%d: %s\n", p->path, p->line, msg);
}

/* Split in place on blanks; "double quotes" keep blanks and are removed.
 * Returns the count, or -1 (unterminated quote, too many tokens). */
static int
tokenize(char *s, char **tok, int max)
{
	char *out;
	int n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
		if (*s == '\0')
			return n;
		if (n == max)
			return -1;
		tok[n++] = out = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '\r' &&
		    *s != '\n') {
			if (*s == '"') {
				for (s++; *s && *s != '"'; )
					*out++ = *s++;
				if (*s != '"')
					return -1;
				s++;
			} else
				*out++ = *s++;
		}
		if (*s)
			s++;
		*out = '\0';
	}
}

/* "key=value" with this key: the value, else NULL. */
static const char *
kv(const char *tok, const char *key)
{
	size_t n = strlen(key);

	if (strncmp(tok, key, n) == 0 && tok[n] == '=')
		return tok + n + 1;
	return NULL;
}

static int
num(struct parse *p, const char *s, double lo, double hi, double *ret)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= lo && v <= hi)) {
		perr(p, "'%s': expected a number from %g to %g", s, lo, hi);
		return -1;
	}
	*ret = v;
	return 0;
}

static int
id_ok(const char *s)
{
	if (*s == '\0' || strlen(s) > 40)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || *s == '_' ||
		    (*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

/* Option values: DESIGN.md's (M, in_person, other_relative). */
static int
value_ok(const char *s)
{
	if (*s == '\0' || strlen(s) > 40)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

static int
field_dup(struct parse *p, const char *id)
{
	size_t i, j;

	for (i = 0; i < p->f->nitems; i++)
		for (j = 0; j < p->f->items[i].ncells; j++)
			if (p->f->items[i].cells[j].id &&
			    strcmp(p->f->items[i].cells[j].id, id) == 0)
				return 1;
	return 0;
}

static char *
join(char **tok, int n)
{
	struct buf b;
	int i;

	buf_init(&b, FORM_MAX_LINE);
	for (i = 0; i < n; i++)
		(void)buf_printf(&b, "%s%s", i ? " " : "", tok[i]);
	return buf_take(&b);
}

static void
opt_add(struct cell *c, const char *label, size_t llen, const char *value)
{
	c->opts = xreallocarray(c->opts, c->nopts + 1, sizeof(*c->opts));
	c->opts[c->nopts].label = xstrndup(label, llen);
	c->opts[c->nopts].value = xstrdup(value);
	c->nopts++;
}

static int
parse_cell(struct parse *p, char **tok, int n, struct cell *c)
{
	const char *v, *eq;
	char *rest[FORM_MAX_TOKENS];
	int i, nrest = 0, first = 1;
	double d;
	size_t e;

	memset(c, 0, sizeof(*c));
	if (n == 0) {
		perr(p, "empty cell");
		return -1;
	}
	if (strcmp(tok[0], "label") == 0)
		c->type = C_LABEL;
	else if (strcmp(tok[0], "text") == 0)
		c->type = C_TEXT;
	else if (strcmp(tok[0], "lines") == 0)
		c->type = C_LINES;
	else if (strcmp(tok[0], "choice") == 0)
		c->type = C_CHOICE;
	else if (strcmp(tok[0], "multi") == 0)
		c->type = C_MULTI;
	else if (strcmp(tok[0], "date") == 0)
		c->type = C_DATE;
	else if (strcmp(tok[0], "depts") == 0)
		c->type = C_DEPTS;
	else {
		perr(p, "unknown cell '%s' (label, text, lines, choice, multi, "
		    "date, depts)", tok[0]);
		return -1;
	}
	for (i = 1; i < n; i++) {
		if ((v = kv(tok[i], "w")) != NULL) {
			if (num(p, v, 5, 200, &c->w) != 0)
				return -1;
		} else if (c->type == C_TEXT && (v = kv(tok[i], "pre"))) {
			free(c->pre);
			c->pre = xstrdup(v);
		} else if (c->type == C_TEXT && (v = kv(tok[i], "post"))) {
			free(c->post);
			c->post = xstrdup(v);
		} else if (c->type == C_DATE && (v = kv(tok[i], "era"))) {
			char *list = xstrdup(v), *save = NULL, *s;
			for (s = strtok_r(list, ",", &save); s;
			    s = strtok_r(NULL, ",", &save)) {
				for (e = 0; e < sizeof(eras) / sizeof(eras[0]); e++)
					if (strcmp(s, eras[e].value) == 0)
						break;
				if (e == sizeof(eras) / sizeof(eras[0])) {
					perr(p, "unknown era '%s'", s);
					free(list);
					return -1;
				}
				opt_add(c, eras[e].label, strlen(eras[e].label),
				    eras[e].value);
			}
			free(list);
		} else if (c->type == C_LABEL && strcmp(tok[i], "small") == 0) {
			c->small = 1;
		} else
			rest[nrest++] = tok[i];
	}
	if (c->type == C_LABEL) {
		if (nrest == 0) {
			perr(p, "label without text");
			return -1;
		}
		c->text = join(rest, nrest);
		return 0;
	}
	if (nrest == 0 || !id_ok(rest[0])) {
		perr(p, "%s: expected a field id (a-z, 0-9, _)", tok[0]);
		return -1;
	}
	if (field_dup(p, rest[0])) {
		perr(p, "field '%s' defined twice", rest[0]);
		return -1;
	}
	c->id = xstrdup(rest[0]);
	for (i = 1; i < nrest; i++, first = 0) {
		if (c->type == C_LINES && first) {
			if (num(p, rest[i], 1, 30, &d) != 0)
				return -1;
			c->nlines = (int)d;
		} else if ((c->type == C_CHOICE || c->type == C_MULTI) &&
		    (eq = strrchr(rest[i], '=')) != NULL && eq != rest[i] &&
		    value_ok(eq + 1)) {
			opt_add(c, rest[i], (size_t)(eq - rest[i]), eq + 1);
		} else {
			perr(p, "%s %s: unexpected '%s'", tok[0], c->id,
			    rest[i]);
			return -1;
		}
	}
	if (c->type == C_LINES && c->nlines == 0) {
		perr(p, "lines %s: expected the number of lines", c->id);
		return -1;
	}
	if ((c->type == C_CHOICE || c->type == C_MULTI) && c->nopts == 0) {
		perr(p, "%s %s: expected options LABEL=value", tok[0], c->id);
		return -1;
	}
	if (c->type == C_DATE && c->nopts == 0)
		for (e = 0; e < sizeof(eras) / sizeof(eras[0]); e++)
			opt_add(c, eras[e].label, strlen(eras[e].label),
			    eras[e].value);
	return 0;
}

static int
parse_row(struct parse *p, struct item *it, char **tok, int n)
{
	const char *v;
	int i, start, rc = 0;
	struct cell c;

	if (n < 2) {
		perr(p, "row: expected a height in mm or 'auto'");
		return -1;
	}
	if (strcmp(tok[1], "auto") == 0)
		it->num = -1;
	else if (num(p, tok[1], 3, 250, &it->num) != 0)
		return -1;
	for (i = 2; i < n && strcmp(tok[i], "|") != 0; i++) {
		if ((v = kv(tok[i], "if")) != NULL && strcmp(v, "online") == 0)
			it->online_only = 1;
		else {
			perr(p, "row: unexpected '%s'", tok[i]);
			return -1;
		}
	}
	while (i < n && rc == 0) {
		start = ++i;
		while (i < n && strcmp(tok[i], "|") != 0)
			i++;
		if ((rc = parse_cell(p, tok + start, i - start, &c)) != 0) {
			cell_clear(&c);
			break;
		}
		if (c.type == C_DEPTS && it->num >= 0)
			it->num = -1;		/* departments size the row */
		it->cells = xreallocarray(it->cells, it->ncells + 1,
		    sizeof(*it->cells));
		it->cells[it->ncells++] = c;
	}
	if (rc == 0 && it->ncells == 0) {
		perr(p, "row without cells ('| label ... | text ID')");
		rc = -1;
	}
	if (rc == 0 && it->num < 0) {
		for (i = 0; i < (int)it->ncells; i++)
			if (it->cells[i].type == C_DEPTS)
				break;
		if (i == (int)it->ncells) {
			perr(p, "row auto needs a depts cell");
			rc = -1;
		}
	}
	return rc;
}

static int
parse_text(struct parse *p, struct item *it, char **tok, int n)
{
	const char *v;
	int i;

	it->st.size = 10;
	for (i = 1; i < n; i++) {
		if ((v = kv(tok[i], "size")) != NULL) {
			if (num(p, v, 4, 120, &it->st.size) != 0)
				return -1;
		} else if ((v = kv(tok[i], "tracking")) != NULL) {
			if (num(p, v, 0, 30, &it->st.tracking) != 0)
				return -1;
		} else if ((v = kv(tok[i], "align")) != NULL) {
			if (strcmp(v, "center") == 0)
				it->st.align = RENDER_CENTER;
			else if (strcmp(v, "right") == 0)
				it->st.align = RENDER_RIGHT;
			else if (strcmp(v, "left") != 0) {
				perr(p, "align: left, center or right");
				return -1;
			}
		} else if ((v = kv(tok[i], "font")) != NULL) {
			if (strcmp(v, "mincho") == 0)
				it->st.font = RENDER_FONT_MINCHO;
			else if (strcmp(v, "gothic") != 0) {
				perr(p, "font: gothic or mincho");
				return -1;
			}
		} else if (strcmp(tok[i], "bold") == 0)
			it->st.bold = 1;
		else
			break;
	}
	if (i == n) {
		perr(p, "text: nothing to print");
		return -1;
	}
	it->text = join(tok + i, n - i);
	return 0;
}

static int
parse_line(struct parse *p, char **tok, int n)
{
	struct form *f = p->f;
	struct item it;
	const char *v;
	double d;
	int i, rc = 0;

	if (f->id == NULL && strcmp(tok[0], "form") != 0) {
		perr(p, "the first line must be 'form ID VERSION'");
		return -1;
	}
	memset(&it, 0, sizeof(it));
	it.line = p->line;
	if (strcmp(tok[0], "form") == 0) {
		if (f->id != NULL || n != 3 || !id_ok(tok[1]) ||
		    num(p, tok[2], 1, 9999, &d) != 0) {
			perr(p, "form: expected once, as 'form ID VERSION'");
			return -1;
		}
		f->id = xstrdup(tok[1]);
		f->version = (int)d;
		return 0;
	}
	if (strcmp(tok[0], "title") == 0 && n >= 2) {
		free(f->title);
		f->title = join(tok + 1, n - 1);
		return 0;
	}
	if (strcmp(tok[0], "marks") == 0 && n == 1) {
		f->marks = 1;
		return 0;
	}
	if (strcmp(tok[0], "footer") == 0 && n == 1) {
		f->footer = 1;
		return 0;
	}
	if (strcmp(tok[0], "generic") == 0 && n == 1) {
		f->generic = 1;
		return 0;
	}
	if (strcmp(tok[0], "qr") == 0 && (n == 2 || n == 3)) {
		if (num(p, tok[1], 10, 150, &d) != 0)
			return -1;
		if (n == 2) {
			f->qr_size = d;
			return 0;
		}
		if (strcmp(tok[2], "center") != 0) {
			perr(p, "qr: expected 'qr SIZE' or 'qr SIZE center'");
			return -1;
		}
		it.type = IT_QR;
		it.num = d;
	} else if (strcmp(tok[0], "patch") == 0 && n == 2) {
		it.type = IT_PATCH;
		rc = num(p, tok[1], 0, 280, &it.num);
	} else if (strcmp(tok[0], "space") == 0 && n == 2) {
		it.type = IT_SPACE;
		rc = num(p, tok[1], 0, 250, &it.num);
	} else if (strcmp(tok[0], "header") == 0 && n == 1) {
		it.type = IT_HEADER;
	} else if (strcmp(tok[0], "page") == 0 && n == 1) {
		it.type = IT_PAGE;
	} else if (strcmp(tok[0], "to") == 0 && n >= 2) {
		it.type = IT_TO;
		it.text = join(tok + 1, n - 1);
	} else if (strcmp(tok[0], "text") == 0) {
		it.type = IT_TEXT;
		rc = parse_text(p, &it, tok, n);
	} else if (strcmp(tok[0], "table") == 0) {
		it.type = IT_TABLE;
		it.x = LEFT;
		it.w = RIGHT - LEFT;
		it.label_w = 28;
		for (i = 1; i < n && rc == 0; i++) {
			if ((v = kv(tok[i], "x")) != NULL)
				rc = num(p, v, 0, 200, &it.x);
			else if ((v = kv(tok[i], "w")) != NULL)
				rc = num(p, v, 10, 200, &it.w);
			else if ((v = kv(tok[i], "group")) != NULL)
				rc = num(p, v, 4, 40, &it.group_w);
			else if ((v = kv(tok[i], "label")) != NULL)
				rc = num(p, v, 5, 100, &it.label_w);
			else {
				perr(p, "table: unexpected '%s'", tok[i]);
				rc = -1;
			}
		}
		if (rc == 0 && (p->in_table || it.x + it.w > 205)) {
			perr(p, p->in_table ? "table inside a table" :
			    "table wider than the page");
			rc = -1;
		}
		p->in_table = 1;
	} else if (strcmp(tok[0], "group") == 0 && n >= 2) {
		it.type = IT_GROUP;
		if (strcmp(tok[1], "-") != 0)
			it.text = join(tok + 1, n - 1);
	} else if (strcmp(tok[0], "row") == 0) {
		it.type = IT_ROW;
		rc = parse_row(p, &it, tok, n);
	} else if (strcmp(tok[0], "end") == 0 && n == 1) {
		it.type = IT_END;
		if (!p->in_table) {
			perr(p, "end without table");
			rc = -1;
		}
		p->in_table = 0;
	} else {
		perr(p, "unknown or malformed line '%s'", tok[0]);
		return -1;
	}
	if (rc == 0 && (it.type == IT_ROW || it.type == IT_GROUP) &&
	    !p->in_table) {
		perr(p, "%s outside a table", tok[0]);
		rc = -1;
	}
	if (rc == 0 && f->nitems >= FORM_MAX_ITEMS) {
		perr(p, "too many lines");
		rc = -1;
	}
	if (rc != 0) {
		for (i = 0; i < (int)it.ncells; i++)
			cell_clear(&it.cells[i]);
		free(it.cells);
		free(it.text);
		return -1;
	}
	f->items = xreallocarray(f->items, f->nitems + 1, sizeof(*f->items));
	f->items[f->nitems++] = it;
	return 0;
}

int
form_load(const char *path, struct form **ret, char **errs)
{
	struct parse p;
	FILE *fp;
	char *line = NULL, *tok[FORM_MAX_TOKENS];
	size_t cap = 0, total = 0;
	ssize_t len;
	int n, rc = 0;

	*errs = NULL;
	memset(&p, 0, sizeof(p));
	p.path = path;
	buf_init(&p.errs, FORM_MAX_ERRS);
	if ((fp = fopen(path, "re")) == NULL) {
		rc = -errno;
		(void)buf_printf(&p.errs, "%s: %s\n", path, strerror(errno));
		*errs = buf_take(&p.errs);
		return rc;
	}
	p.f = xcalloc(1, sizeof(*p.f));
	while ((len = getline(&line, &cap, fp)) >= 0) {
		p.line++;
		total += (size_t)len;
		if (total > FORM_MAX_BYTES) {
			perr(&p, "file larger than %d bytes", FORM_MAX_BYTES);
			break;
		}
		if ((size_t)len > FORM_MAX_LINE) {
			perr(&p, "line longer than %d bytes", FORM_MAX_LINE);
			continue;
		}
		if (strlen(line) != (size_t)len) {
			perr(&p, "NUL byte in line");
			continue;
		}
		n = tokenize(line, tok, FORM_MAX_TOKENS);
		if (n < 0) {
			perr(&p, "unterminated quote or too many words");
			continue;
		}
		if (n == 0 || tok[0][0] == '#')
			continue;
		(void)parse_line(&p, tok, n);
	}
	if (ferror(fp))
		perr(&p, "read error");
	fclose(fp);
	free(line);
	if (p.nerrs == 0 && p.f->id == NULL)
		perr(&p, "no 'form ID VERSION' line");
	if (p.nerrs == 0 && p.in_table)
		perr(&p, "table not closed with 'end'");
	if (p.nerrs == 0 && p.f->title == NULL)
		perr(&p, "no 'title' line");
	if (p.nerrs > 0) {
		form_free(p.f);
		*errs = buf_take(&p.errs);
		return -EINVAL;
	}
	buf_free(&p.errs);
	*ret = p.f;
	return 0;
}

int
form_load_named(const char *templates, const char *name, struct form **ret,
    char **errs)
{
	char *path;
	int rc;

	*errs = NULL;
	if (!id_ok(name)) {
		xasprintf(errs, "%s: not a form name\n", name);
		return -EINVAL;
	}
	xasprintf(&path, "%s/forms/%s.form", templates, name);
	rc = form_load(path, ret, errs);
	free(path);
	return rc;
}

/* --- layouts ---------------------------------------------------------------- */

void
form_layout_free(struct form_layout *lay)
{
	size_t i, j;

	if (lay == NULL)
		return;
	for (i = 0; i < lay->nfields; i++) {
		free(lay->fields[i].id);
		for (j = 0; j < lay->fields[i].noptions; j++) {
			free(lay->fields[i].options[j].label);
			free(lay->fields[i].options[j].value);
		}
		free(lay->fields[i].options);
	}
	free(lay->fields);
	free(lay);
}

const struct form_field *
form_layout_field(const struct form_layout *lay, const char *id)
{
	size_t i;

	for (i = 0; i < lay->nfields; i++)
		if (strcmp(lay->fields[i].id, id) == 0)
			return &lay->fields[i];
	return NULL;
}

char *
form_qr_text(const struct form *f, const struct form_hospital *h, int page)
{
	char *s;

	if (f->generic || h == NULL || h->id == NULL)
		xasprintf(&s, "FXI1|form=%s|v=%d", f->id, f->version);
	else
		xasprintf(&s, "FXI1|form=%s|v=%d|h=%s|p=%d", f->id,
		    f->version, h->id, page);
	return s;
}

/* --- drawing ---------------------------------------------------------------- */

struct run {
	const struct form		*f;
	const struct form_hospital	*h;
	const struct form_value		*vals;
	size_t				 nvals;
	struct render_doc		*doc;
	struct render_page		*pg;
	int				 pageno;
	double				 y, bottom;
	struct form_layout		*lay;
	const struct item		*table;
	double				 table_y0;
	const char			*group;
	double				 group_y0;
	int				 rc;
};

static const char *
S(const char *s)
{
	return s ? s : "";
}

static void
run_fail(struct run *r, int rc)
{
	if (r->rc == 0)
		r->rc = rc;
}

static void
text_at(struct run *r, const struct render_style *st, double x, double y,
    double w, double h, const char *s, struct render_box *box)
{
	int rc;

	if (s == NULL || *s == '\0') {
		if (box)
			memset(box, 0, sizeof(*box));
		return;
	}
	if ((rc = render_text(r->pg, st, x, y, w, h, s, box)) != 0)
		run_fail(r, rc);
}

static double
text_width(struct run *r, const struct render_style *st, const char *s)
{
	double w = 0;

	if (s && *s && render_text_measure(r->doc, st, 0, s, &w, NULL) != 0)
		run_fail(r, -EINVAL);
	return w;
}

static const struct form_value *
value_for(struct run *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->nvals; i++)
		if (r->vals[i].id && strcmp(r->vals[i].id, id) == 0)
			return &r->vals[i];
	return NULL;
}

static struct form_field *
field_add(struct run *r, const char *id, enum form_kind kind, double x,
    double y, double w, double h)
{
	struct form_layout *lay = r->lay;
	struct form_field *fl;

	lay->fields = xreallocarray(lay->fields, lay->nfields + 1,
	    sizeof(*lay->fields));
	fl = &lay->fields[lay->nfields++];
	memset(fl, 0, sizeof(*fl));
	fl->id = xstrdup(id);
	fl->kind = kind;
	fl->page = r->pageno;
	fl->box.x = x;
	fl->box.y = y;
	fl->box.w = w;
	fl->box.h = h;
	return fl;
}

static void
field_opt_add(struct form_field *fl, const char *label, const char *value,
    double bx, double by, const struct render_box *lb)
{
	struct form_option *o;

	fl->options = xreallocarray(fl->options, fl->noptions + 1,
	    sizeof(*fl->options));
	o = &fl->options[fl->noptions++];
	o->label = xstrdup(label);
	o->value = xstrdup(value);
	o->box.x = bx;
	o->box.y = by;
	o->box.w = o->box.h = BOX;
	o->label_box = *lb;
}

/* Is value v among the ','-separated list s? */
static int
in_list(const char *s, const char *v)
{
	size_t n = strlen(v);

	while (s && *s) {
		if (strncmp(s, v, n) == 0 && (s[n] == ',' || s[n] == '\0'))
			return 1;
		s = strchr(s, ',');
		if (s)
			s++;
	}
	return 0;
}

/* Every ','-separated value of fv names an option of fl. */
static void
check_values(struct run *r, const struct form_field *fl,
    const struct form_value *fv, int date)
{
	const char *s = fv->text, *e;
	size_t i, n;

	if (s == NULL)
		return;
	for (; *s; s = *e ? e + 1 : e) {
		e = strchr(s, ',');
		if (e == NULL)
			e = s + strlen(s);
		n = (size_t)(e - s);
		for (i = 0; i < fl->noptions; i++)
			if (strlen(fl->options[i].value) == n &&
			    strncmp(fl->options[i].value, s, n) == 0)
				break;
		if (i == fl->noptions && !(date && n == 0))
			run_fail(r, -EINVAL);
		if (date)
			break;
	}
}

static void
mark_option(struct run *r, const struct form_option *o, enum render_check m)
{
	if (m == RENDER_CHECK_EMPTY)
		m = RENDER_CHECK_TICK;
	if (m == RENDER_CHECK_CIRCLE)
		render_ellipse(r->pg, o->label_box.x - 1.2,
		    o->label_box.y - 0.5, o->label_box.w + 2.4,
		    o->label_box.h + 1.0, 0.35);
	else
		render_checkbox(r->pg, o->box.x, o->box.y, BOX, m);
}

static struct render_style
st_label(int small)
{
	struct render_style st;

	memset(&st, 0, sizeof(st));
	st.size = small ? 8 : 9;
	st.align = RENDER_CENTER;
	st.valign = RENDER_MIDDLE;
	return st;
}

static struct render_style
st_option(void)
{
	struct render_style st;

	memset(&st, 0, sizeof(st));
	st.size = 9;
	st.valign = RENDER_MIDDLE;
	return st;
}

static struct render_style
st_value(const struct form_value *fv)
{
	struct render_style st;

	memset(&st, 0, sizeof(st));
	st.font = fv && fv->font ? fv->font : RENDER_FONT_MINCHO;
	st.size = fv && fv->size > 0 ? fv->size : 11;
	st.valign = RENDER_MIDDLE;
	return st;
}

/*
 * Check boxes with their labels, flowed left to right and wrapped, centred
 * vertically in the cell.  Option labels/values come from (labels, values).
 * Returns the height the options need (with pitch) if draw is 0.
 */
static double
options_flow(struct run *r, struct form_field *fl, double x, double y,
    double w, double h, const char *const *labels, const char *const *values,
    size_t n, double colw, double pitch, int draw)
{
	struct render_style st = st_option();
	struct render_box lb;
	double cx, cy, ow, gap = 4.5;
	double *widths;
	size_t i, lines = 1;

	widths = xcalloc(n ? n : 1, sizeof(*widths));
	cx = x + PAD;
	for (i = 0; i < n; i++) {
		widths[i] = text_width(r, &st, labels[i]);
		ow = colw > 0 ? colw : BOX + 1 + widths[i] + gap;
		if (cx + ow > x + w - PAD + gap && cx > x + PAD) {
			lines++;
			cx = x + PAD;
		}
		cx += ow;
	}
	if (!draw) {
		free(widths);
		return (double)lines * pitch;
	}
	cx = x + PAD;
	cy = y + (h - (double)lines * pitch) / 2;
	for (i = 0; i < n; i++) {
		ow = colw > 0 ? colw : BOX + 1 + widths[i] + gap;
		if (cx + ow > x + w - PAD + gap && cx > x + PAD) {
			cx = x + PAD;
			cy += pitch;
		}
		render_checkbox(r->pg, cx, cy + (pitch - BOX) / 2, BOX,
		    RENDER_CHECK_EMPTY);
		text_at(r, &st, cx + BOX + 1, cy, 0, pitch, labels[i], &lb);
		field_opt_add(fl, labels[i], values[i], cx,
		    cy + (pitch - BOX) / 2, &lb);
		cx += ow;
	}
	free(widths);
	return (double)lines * pitch;
}

static void
cell_text(struct run *r, const struct cell *c, double x, double y, double w,
    double h)
{
	struct render_style st = st_option();
	const struct form_value *fv = value_for(r, c->id);
	struct render_style vs = st_value(fv);
	double pw = 0, qw = 0;

	if (c->pre) {
		text_at(r, &st, x + PAD, y, 0, h, c->pre, NULL);
		pw = text_width(r, &st, c->pre) + 1.5;
	}
	if (c->post) {
		st.size = 8;
		st.align = RENDER_RIGHT;
		text_at(r, &st, x + w - PAD, y, 0, h, c->post, NULL);
		qw = text_width(r, &st, c->post) + 1.5;
	}
	field_add(r, c->id, FORM_TEXT, x + PAD + pw, y + 0.5,
	    w - 2 * PAD - pw - qw, h - 1);
	if (fv && fv->text)
		text_at(r, &vs, x + PAD + pw, y, w - 2 * PAD - pw - qw, h,
		    fv->text, NULL);
}

static void
cell_lines(struct run *r, const struct cell *c, double x, double y, double w,
    double h)
{
	const struct form_value *fv = value_for(r, c->id);
	struct render_style vs = st_value(fv);
	struct form_field *fl;
	double ls = (h - 1) / c->nlines;
	int i;

	render_set_gray(r->pg, 0.45);
	render_set_dash(r->pg, 0.6, 0.8);
	for (i = 1; i < c->nlines; i++)
		render_line(r->pg, x + 2, y + 0.5 + ls * i, x + w - 2,
		    y + 0.5 + ls * i, 0.15);
	render_set_dash(r->pg, 0, 0);
	render_set_gray(r->pg, 0);
	fl = field_add(r, c->id, FORM_LINES, x + PAD, y + 0.5, w - 2 * PAD,
	    h - 1);
	fl->lines = c->nlines;
	if (fv && fv->text) {
		vs.valign = RENDER_TOP;
		vs.spacing = ls / (vs.size / 72.0 * 25.4);
		text_at(r, &vs, x + PAD + 0.5, y + 0.5 + ls * 0.12,
		    w - 2 * PAD - 1, 0, fv->text, NULL);
	}
}

static void
mark_values(struct run *r, const struct form_field *fl,
    const struct form_value *fv, int date)
{
	size_t i;
	const char *s;
	char era[16];

	if (fv == NULL || fv->text == NULL)
		return;
	check_values(r, fl, fv, date);
	s = fv->text;
	if (date) {
		i = strcspn(s, ",");
		if (i >= sizeof(era))
			i = sizeof(era) - 1;
		memcpy(era, s, i);
		era[i] = '\0';
		s = era;
	}
	for (i = 0; i < fl->noptions; i++)
		if ((date && strcmp(s, fl->options[i].value) == 0) ||
		    (!date && in_list(s, fl->options[i].value)))
			mark_option(r, &fl->options[i], fv->mark);
}

static void
cell_choice(struct run *r, const struct cell *c, double x, double y,
    double w, double h)
{
	const char **labels, **values;
	struct form_field *fl;
	size_t i;

	labels = xcalloc(c->nopts, sizeof(*labels));
	values = xcalloc(c->nopts, sizeof(*values));
	for (i = 0; i < c->nopts; i++) {
		labels[i] = c->opts[i].label;
		values[i] = c->opts[i].value;
	}
	fl = field_add(r, c->id, c->type == C_CHOICE ? FORM_CHOICE :
	    FORM_MULTI, x, y, w, h);
	options_flow(r, fl, x, y, w, h, labels, values, c->nopts, 0, 5.2, 1);
	mark_values(r, fl, value_for(r, c->id), 0);
	free(labels);
	free(values);
}

static void
cell_date(struct run *r, const struct cell *c, double x, double y, double w,
    double h)
{
	static const char *unit[3] = { "年", "月", "日" };
	struct render_style st = st_option();
	const struct form_value *fv = value_for(r, c->id);
	struct render_style vs = st_value(fv);
	const char **labels, **values;
	struct form_field *fl;
	struct render_box lb;
	double cx, part = 11, uw;
	char buf[64], *tok[4], *s;
	size_t i;
	int k;

	fl = field_add(r, c->id, FORM_DATE, x, y, w, h);
	if (c->nopts > 1) {
		labels = xcalloc(c->nopts, sizeof(*labels));
		values = xcalloc(c->nopts, sizeof(*values));
		for (i = 0; i < c->nopts; i++) {
			labels[i] = c->opts[i].label;
			values[i] = c->opts[i].value;
		}
		/* The eras on one line, then the year, month and day. */
		options_flow(r, fl, x, y, w, h, labels, values, c->nopts, 0, 5.2, 1);
		cx = fl->options[fl->noptions - 1].label_box.x +
		    fl->options[fl->noptions - 1].label_box.w + 2;
		free(labels);
		free(values);
	} else {
		text_at(r, &st, x + PAD + 1, y, 0, h, c->opts[0].label, &lb);
		field_opt_add(fl, c->opts[0].label, c->opts[0].value,
		    lb.x, lb.y, &lb);
		fl->options[0].box = lb;
		cx = lb.x + lb.w + 1;
	}
	uw = text_width(r, &st, "年") + 1;
	for (k = 0; k < 3; k++) {
		fl->parts[k].x = cx;
		fl->parts[k].y = y + 0.5;
		fl->parts[k].w = part;
		fl->parts[k].h = h - 1;
		text_at(r, &st, cx + part, y, 0, h, unit[k], NULL);
		cx += part + uw + 1;
	}
	if (fv == NULL || fv->text == NULL)
		return;
	if (c->nopts > 1)
		mark_values(r, fl, fv, 1);
	snprintf(buf, sizeof(buf), "%s", fv->text);
	memset(tok, 0, sizeof(tok));
	for (k = 0, s = buf; k < 4; k++) {
		tok[k] = strsep(&s, ",");
		if (tok[k] == NULL)
			break;
	}
	if (tok[3] == NULL || s != NULL) {
		run_fail(r, -EINVAL);
		return;
	}
	vs.align = RENDER_CENTER;
	for (k = 0; k < 3; k++)
		text_at(r, &vs, fl->parts[k].x, y, fl->parts[k].w, h,
		    tok[k + 1], NULL);
}

/* Department check boxes in columns; height needed if !draw. */
static double
cell_depts(struct run *r, const struct cell *c, double x, double y, double w,
    double h, int draw)
{
	struct render_style st = st_option();
	const struct form_hospital *hp = r->h;
	double pitch = hp->ndepartments > 12 ? 4.6 : 5.2;
	const char **labels, **values;
	char **owned;
	struct form_field *fl = NULL;
	double colw = 0, need, tw;
	size_t i, nonline = 0, cols, rows;
	int mark_online;

	if (hp->ndepartments == 0) {
		if (draw)
			cell_text(r, c, x, y, w, h);
		return 8;
	}
	for (i = 0; i < hp->ndepartments; i++)
		nonline += hp->departments[i].online != 0;
	mark_online = hp->online && nonline > 0 &&
	    nonline < hp->ndepartments;
	labels = xcalloc(hp->ndepartments, sizeof(*labels));
	values = xcalloc(hp->ndepartments, sizeof(*values));
	owned = xcalloc(hp->ndepartments, sizeof(*owned));
	for (i = 0; i < hp->ndepartments; i++) {
		if (mark_online && hp->departments[i].online)
			xasprintf(&owned[i], "%s※", S(hp->departments[i].name));
		else
			owned[i] = xstrdup(S(hp->departments[i].name));
		labels[i] = owned[i];
		values[i] = S(hp->departments[i].name);
		tw = text_width(r, &st, labels[i]);
		if (tw > colw)
			colw = tw;
	}
	colw += BOX + 1 + 3;
	cols = (size_t)((w - 2 * PAD) / colw);
	if (cols < 1)
		cols = 1;
	if (cols > hp->ndepartments)
		cols = hp->ndepartments;
	colw = (w - 2 * PAD) / (double)cols;
	rows = (hp->ndepartments + cols - 1) / cols;
	need = (double)rows * pitch + 2 + (mark_online ? 4.5 : 0);
	if (draw) {
		fl = field_add(r, c->id, FORM_MULTI, x, y, w, h);
		options_flow(r, fl, x, y + 1, w, (double)rows * pitch, labels,
		    values, hp->ndepartments, colw, pitch, 1);
		if (mark_online) {
			st.size = 7.5;
			st.valign = RENDER_TOP;
			text_at(r, &st, x + PAD, y + h - 4.8, 0, 0,
			    "※印の診療科はオンラインでのご相談にも対応しています。",
			    NULL);
		}
		mark_values(r, fl, value_for(r, c->id), 0);
	}
	for (i = 0; i < hp->ndepartments; i++)
		free(owned[i]);
	free(owned);
	free(labels);
	free(values);
	return need;
}

static void
cell_label(struct run *r, const struct cell *c, double x, double y, double w,
    double h)
{
	struct render_style st = st_label(c->small);

	render_set_gray(r->pg, LABEL_GRAY);
	render_fill(r->pg, x, y, w, h);
	render_set_gray(r->pg, 0);
	text_at(r, &st, x + 1, y, w - 2, h, c->text, NULL);
}

/* --- pages ------------------------------------------------------------------ */

static void
page_footer(struct run *r)
{
	const struct form_hospital *h = r->h;
	struct render_style st;
	double y = FOOTER_Y + 1.5;
	char *s;

	memset(&st, 0, sizeof(st));
	render_line(r->pg, LEFT, FOOTER_Y, RIGHT, FOOTER_Y, 0.3);
	st.size = 9.5;
	st.bold = 1;
	xasprintf(&s, "%s　%s", S(h->name), S(h->office));
	text_at(r, &st, LEFT, y, 0, 0, s, NULL);
	free(s);
	y += 4.8;
	st.bold = 0;
	st.size = 8.5;
	if ((h->postcode && *h->postcode) || (h->address && *h->address)) {
		xasprintf(&s, "%s%s%s%s", h->postcode ? "〒" : "",
		    S(h->postcode), h->postcode && h->address ? "　" : "",
		    S(h->address));
		text_at(r, &st, LEFT, y, 0, 0, s, NULL);
		free(s);
		y += 4;
	}
	xasprintf(&s, "TEL %s　　FAX %s", h->tel ? h->tel : "－",
	    h->fax ? h->fax : "－");
	text_at(r, &st, LEFT, y, 0, 0, s, NULL);
	free(s);
	y += 4;
	if (h->hours) {
		xasprintf(&s, "受付時間　%s", h->hours);
		text_at(r, &st, LEFT, y, 150, 0, s, NULL);
		free(s);
	}
	st.size = 7;
	st.align = RENDER_RIGHT;
	xasprintf(&s, "様式 %s v%d　%d枚目", r->f->id, r->f->version,
	    r->pageno);
	text_at(r, &st, RIGHT, FOOTER_Y + 14.5, 0, 0, s, NULL);
	free(s);
}

static int
page_start(struct run *r)
{
	char *qr;
	int rc;

	if ((rc = render_page_add(r->doc, &r->pg)) != 0)
		return rc;
	r->pageno++;
	r->y = TOP;
	r->bottom = r->f->footer ? FOOTER_Y - 2 : BOTTOM - 4;
	if (r->f->marks) {
		render_regmark(r->pg, MARK_INSET, MARK_INSET, MARK_SIZE);
		render_regmark(r->pg, RENDER_PAGE_W - MARK_INSET, MARK_INSET,
		    MARK_SIZE);
		render_regmark(r->pg, MARK_INSET, RENDER_PAGE_H - MARK_INSET,
		    MARK_SIZE);
		render_regmark(r->pg, RENDER_PAGE_W - MARK_INSET,
		    RENDER_PAGE_H - MARK_INSET, MARK_SIZE);
	}
	if (r->f->qr_size > 0) {
		qr = form_qr_text(r->f, r->h, r->pageno);
		rc = render_qr(r->pg, RIGHT - r->f->qr_size + 2, TOP - 3,
		    r->f->qr_size, qr);
		free(qr);
		if (rc != 0)
			return rc;
		if (r->pageno > 1)
			r->y = TOP + r->f->qr_size - 1;
	}
	if (r->f->footer)
		page_footer(r);
	return 0;
}

static void
group_close(struct run *r)
{
	struct render_style st = st_label(0);
	struct buf b;
	const char *s;
	char *stacked;
	size_t n;

	if (r->group == NULL || r->y <= r->group_y0)
		return;
	render_set_gray(r->pg, GROUP_GRAY);
	render_fill(r->pg, r->table->x, r->group_y0, r->table->group_w,
	    r->y - r->group_y0);
	render_set_gray(r->pg, 0);
	render_rect(r->pg, r->table->x, r->group_y0, r->table->group_w,
	    r->y - r->group_y0, LINE_THIN);
	/* Written downwards, one character a line (縦書き). */
	buf_init(&b, 4096);
	for (s = r->group; *s; s += n) {
		n = 1;
		while ((s[n] & 0xc0) == 0x80)
			n++;
		(void)buf_add(&b, s, n);
		if (s[n])
			(void)buf_addstr(&b, "\n");
	}
	stacked = buf_take(&b);
	st.bold = 1;
	st.spacing = 1.05;
	text_at(r, &st, r->table->x + 0.5, r->group_y0, r->table->group_w - 1,
	    r->y - r->group_y0, stacked, NULL);
	free(stacked);
}

static void
table_close(struct run *r)
{
	group_close(r);
	render_rect(r->pg, r->table->x, r->table_y0, r->table->w,
	    r->y - r->table_y0, LINE_THICK);
}

static void
ensure_room(struct run *r, double h)
{
	int rc;

	if (r->y + h <= r->bottom || r->rc != 0)
		return;
	if (r->table)
		table_close(r);
	if ((rc = page_start(r)) != 0) {
		run_fail(r, rc);
		return;
	}
	r->table_y0 = r->y;
	r->group_y0 = r->y;
}

static void
do_row(struct run *r, const struct item *it)
{
	const struct item *t = r->table;
	double x0, avail, fixed = 0, share, *w, h, cx, need;
	size_t i, nshare = 0;

	if (it->online_only && !r->h->online)
		return;
	x0 = t->x + (r->group && t->group_w > 0 ? t->group_w : 0);
	avail = t->x + t->w - x0;
	w = xcalloc(it->ncells, sizeof(*w));
	for (i = 0; i < it->ncells; i++) {
		/* Without a group, a label also takes the group's column so
		 * that the writing areas line up. */
		w[i] = it->cells[i].w > 0 ? it->cells[i].w :
		    it->cells[i].type != C_LABEL ? 0 : i == 0 &&
		    r->group == NULL ? t->label_w + t->group_w : t->label_w;
		if (w[i] > 0)
			fixed += w[i];
		else
			nshare++;
	}
	share = nshare ? (avail - fixed) / (double)nshare : 0;
	if (share < 5 && nshare) {
		run_fail(r, -ERANGE);	/* the definition's widths overflow */
		share = 5;
	}
	for (i = 0; i < it->ncells; i++)
		if (w[i] <= 0)
			w[i] = share;
	h = it->num;
	if (h < 0) {
		h = 7;
		for (i = 0; i < it->ncells; i++)
			if (it->cells[i].type == C_DEPTS) {
				need = cell_depts(r, &it->cells[i], 0, 0, w[i],
				    0, 0);
				if (need > h)
					h = need;
			}
	}
	ensure_room(r, h);
	for (cx = x0, i = 0; i < it->ncells && r->rc == 0; cx += w[i++]) {
		const struct cell *c = &it->cells[i];
		switch (c->type) {
		case C_LABEL:
			cell_label(r, c, cx, r->y, w[i], h);
			break;
		case C_TEXT:
			cell_text(r, c, cx, r->y, w[i], h);
			break;
		case C_LINES:
			cell_lines(r, c, cx, r->y, w[i], h);
			break;
		case C_CHOICE:
		case C_MULTI:
			cell_choice(r, c, cx, r->y, w[i], h);
			break;
		case C_DATE:
			cell_date(r, c, cx, r->y, w[i], h);
			break;
		case C_DEPTS:
			(void)cell_depts(r, c, cx, r->y, w[i], h, 1);
			break;
		}
		render_rect(r->pg, cx, r->y, w[i], h, LINE_THIN);
	}
	free(w);
	r->y += h;
}

static void
do_header(struct run *r)
{
	const struct form_hospital *h = r->h;
	struct render_style st;
	double bw = RIGHT - LEFT - (r->f->qr_size > 0 ? r->f->qr_size + 6 : 0);
	char *s;

	memset(&st, 0, sizeof(st));
	render_rect(r->pg, LEFT, r->y, bw, 17, 0.4);
	st.size = 8;
	text_at(r, &st, LEFT + 2, r->y + 1.2, 0, 0, "送信先", NULL);
	st.size = 11;
	st.bold = 1;
	xasprintf(&s, "%s　%s　行", S(h->name), S(h->office));
	text_at(r, &st, LEFT + 14, r->y + 1.2, bw - 16, 0, s, NULL);
	free(s);
	st.size = 15;
	xasprintf(&s, "FAX　%s", h->fax ? h->fax : "");
	text_at(r, &st, LEFT + 14, r->y + 8.2, 0, 0, s, NULL);
	free(s);
	r->y += 21;
	memset(&st, 0, sizeof(st));
	st.size = 20;
	st.bold = 1;
	st.align = RENDER_CENTER;
	st.tracking = 0.8;
	text_at(r, &st, RENDER_PAGE_W / 2, r->y, 0, 0, r->f->title, NULL);
	r->y += 12;
}

static void
do_patch(struct run *r, double y)
{
	/* Wide, narrow, narrow, wide, three times across (README). */
	static const double bars[] = { 6, 2.5, 2.5, 6 };
	double x = (RENDER_PAGE_W - 3 * 33 - 2 * 20) / 2, band = 14;
	int k;
	size_t i;

	for (k = 0; k < 3; k++) {
		for (i = 0; i < 4; i++) {
			render_fill(r->pg, x, y, bars[i], band);
			x += bars[i] + 4;
		}
		x += 20;
	}
}

static double group_height(struct run *, size_t);

static void
run_items(struct run *r)
{
	const struct form *f = r->f;
	const struct item *it;
	struct render_box box;
	struct render_style st;
	char *s;
	size_t i;
	double hgt;
	int rc;

	for (i = 0; i < f->nitems && r->rc == 0; i++) {
		it = &f->items[i];
		switch (it->type) {
		case IT_SPACE:
			r->y += it->num;
			break;
		case IT_PAGE:
			if (r->table)
				table_close(r);
			if ((rc = page_start(r)) != 0)
				run_fail(r, rc);
			break;
		case IT_HEADER:
			ensure_room(r, 33);
			do_header(r);
			break;
		case IT_TO:
			memset(&st, 0, sizeof(st));
			st.size = 12;
			xasprintf(&s, "%s　%s", S(r->h->name), it->text);
			ensure_room(r, 7);
			text_at(r, &st, LEFT, r->y, 0, 0, s, &box);
			r->y += box.h + 1;
			free(s);
			break;
		case IT_TEXT:
			if (render_text_measure(r->doc, &it->st, RIGHT - LEFT,
			    it->text, NULL, &hgt) != 0) {
				run_fail(r, -EINVAL);
				break;
			}
			ensure_room(r, hgt);
			text_at(r, &it->st, LEFT, r->y, RIGHT - LEFT, 0,
			    it->text, &box);
			r->y += hgt + 1;
			break;
		case IT_QR:
			ensure_room(r, it->num);
			s = form_qr_text(f, r->h, r->pageno);
			if ((rc = render_qr(r->pg, (RENDER_PAGE_W - it->num) / 2,
			    r->y, it->num, s)) != 0)
				run_fail(r, rc);
			free(s);
			r->y += it->num;
			break;
		case IT_PATCH:
			do_patch(r, it->num);
			break;
		case IT_TABLE:
			r->table = it;
			r->table_y0 = r->y;
			r->group = NULL;
			break;
		case IT_GROUP:
			group_close(r);
			/* Keep a group on one page when it fits on one. */
			hgt = group_height(r, i);
			if (r->y + hgt > r->bottom &&
			    hgt <= r->bottom - TOP - r->f->qr_size)
				ensure_room(r, hgt);
			r->group = it->text;
			r->group_y0 = r->y;
			break;
		case IT_ROW:
			do_row(r, it);
			break;
		case IT_END:
			table_close(r);
			r->table = NULL;
			r->group = NULL;
			break;
		}
	}
}

/* Height of the rows of the group that starts at item i. */
static double
group_height(struct run *r, size_t i)
{
	const struct item *it;
	const struct item *t = r->table;
	double h = 0, w;
	size_t j, k;

	for (j = i + 1; j < r->f->nitems; j++) {
		it = &r->f->items[j];
		if (it->type != IT_ROW)
			break;
		if (it->online_only && !r->h->online)
			continue;
		if (it->num >= 0) {
			h += it->num;
			continue;
		}
		/* An auto row: its departments cell, sized as do_row does. */
		for (k = 0; k < it->ncells; k++)
			if (it->cells[k].type == C_DEPTS) {
				w = it->cells[k].w > 0 ? it->cells[k].w :
				    t->w - t->group_w - t->label_w;
				h += fmax(7, cell_depts(r, &it->cells[k], 0, 0,
				    w, 0, 0));
			}
	}
	return h;
}

/* Every value names a field of the definition (departments aside). */
static int
values_known(const struct form *f, const struct form_value *vals, size_t n)
{
	size_t i, j, k;
	int found;

	for (k = 0; k < n; k++) {
		if (vals[k].id == NULL)
			return -EINVAL;
		found = 0;
		for (i = 0; i < f->nitems && !found; i++)
			for (j = 0; j < f->items[i].ncells && !found; j++)
				found = f->items[i].cells[j].id &&
				    strcmp(f->items[i].cells[j].id,
				    vals[k].id) == 0;
		if (!found)
			return -EINVAL;
	}
	return 0;
}

int
form_render(const struct form *f, const struct form_hospital *h,
    const struct form_value *vals, size_t nvals, struct render_doc *doc,
    struct form_layout **ret_layout)
{
	struct run r;
	int rc;

	if (h == NULL || (!f->generic && (h->id == NULL || h->name == NULL)))
		return -EINVAL;
	if ((rc = values_known(f, vals, nvals)) != 0)
		return rc;
	memset(&r, 0, sizeof(r));
	r.f = f;
	r.h = h;
	r.vals = vals;
	r.nvals = nvals;
	r.doc = doc;
	r.lay = xcalloc(1, sizeof(*r.lay));
	if ((rc = page_start(&r)) == 0) {
		run_items(&r);
		rc = r.rc;
	}
	r.lay->npages = r.pageno;
	if (rc != 0 || ret_layout == NULL)
		form_layout_free(r.lay);
	else
		*ret_layout = r.lay;
	return rc;
}

int
form_layout(const struct form *f, const struct form_hospital *h,
    struct form_layout **ret)
{
	struct render_doc *doc;
	int rc;

	if ((doc = render_doc_new()) == NULL)
		return -ENOMEM;
	rc = form_render(f, h, NULL, 0, doc, ret);
	render_doc_free(doc);
	return rc;
}

/* --- the hospital profile -------------------------------------------------- */

static const char *
nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

int
form_hospital_from_profile(const struct profile *p, struct form_hospital *ret,
    struct form_department **ret_depts)
{
	const struct profile_department *d;
	struct form_department *depts;
	size_t i, n, k = 0;

	n = profile_department_count(p);
	depts = xcalloc(n ? n : 1, sizeof(*depts));
	for (i = 0; i < n; i++) {
		d = profile_department(p, i);
		if (d == NULL || d->name == NULL || strcmp(d->name, "*") == 0)
			continue;	/* "any other": no box of its own */
		depts[k].name = d->name;
		depts[k].online = d->modes[PROFILE_MODE_ONLINE] != 0;
		k++;
	}
	memset(ret, 0, sizeof(*ret));
	ret->id = profile_id(p);
	ret->name = nonempty(profile_name(p));
	ret->office = nonempty(profile_office(p));
	ret->postcode = nonempty(profile_postcode(p));
	ret->address = nonempty(profile_address(p));
	ret->tel = nonempty(profile_tel(p));
	ret->fax = nonempty(profile_fax(p));
	ret->hours = nonempty(profile_hours(p));
	ret->departments = depts;
	ret->ndepartments = k;
	ret->online = profile_offers_mode(p, PROFILE_MODE_ONLINE) != 0;
	*ret_depts = depts;
	return 0;
}
