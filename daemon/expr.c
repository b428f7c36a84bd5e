/* expr.c — profile conditions: parse once, evaluate three-valued. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "faxintake/expr.h"
#include "faxintake/xmalloc.h"

#define EXPR_MAX_TEXT	4096
#define EXPR_MAX_DEPTH	64
#define EXPR_MAX_LIST	64

enum node_kind {
	N_CONST,
	N_AND,
	N_OR,
	N_NOT,
	N_CMP,		/* var op value(s); "in" is CMP_IN */
	N_HAS
};

enum var_kind {
	V_FIELD,
	V_AGE,
	V_DEPT_COUNT,
	V_DEPT_OFFERED,
	V_ONLINE_OFFERED,
	V_DOC_LANGUAGE,
	V_DOC_DEDICATED
};

enum val_type {
	VT_STRING,
	VT_NUMBER,
	VT_BOOL
};

enum cmp_op {
	CMP_EQ,
	CMP_NE,
	CMP_LT,
	CMP_LE,
	CMP_GT,
	CMP_GE,
	CMP_IN
};

struct expr {
	enum node_kind	 kind;
	struct expr	*l, *r;
	int		 cval;		/* N_CONST */
	enum var_kind	 var;
	int		 field;		/* V_FIELD */
	int		 doc;		/* N_HAS, V_DOC_* */
	enum cmp_op	 op;
	char		**vals;		/* normalised strings */
	size_t		 nvals;
	double		 num;		/* numbers and yes(1)/no(0) */
};

/* Values a field may take, where DESIGN.md fixes them. */
static const char *const rel_vals[] = { "self", "spouse", "parent", "child",
	"sibling", "grandparent", "grandchild", "other_relative",
	"non_relative", NULL };
static const char *const yesno_vals[] = { "yes", "no", NULL };
static const char *const mode_vals[] = { "in_person", "online", NULL };
static const char *const media_vals[] = { "mail", "bring", "none", NULL };
static const char *const sex_vals[] = { "M", "F", NULL };

static const char *const *
field_values(int field)
{
	switch (field) {
	case FIELD_APPLICANT_RELATIONSHIP:
		return rel_vals;
	case FIELD_PATIENT_ATTENDS:
	case FIELD_ATTENDING_APPROVAL:
		return yesno_vals;
	case FIELD_CONSULTATION_MODE:
		return mode_vals;
	case FIELD_IMAGING_MEDIA:
		return media_vals;
	case FIELD_PATIENT_SEX:
		return sex_vals;
	default:
		return NULL;
	}
}

char *
expr_normalize(const char *s)
{
	utf8proc_uint8_t *n = NULL;
	utf8proc_ssize_t len;
	const char *src;
	char *out, *o;

	len = utf8proc_map((const utf8proc_uint8_t *)s, 0, &n,
	    UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
	    UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);
	src = len >= 0 ? (const char *)n : s;
	out = o = xmalloc(strlen(src) + 1);
	for (; *src; src++) {
		/* NFKC has made U+3000 a plain space already. */
		if (*src == ' ' || *src == '\t' || *src == '\n' ||
		    *src == '\r' || *src == '\v' || *src == '\f')
			continue;
		*o++ = *src;
	}
	*o = '\0';
	free(n);
	return out;
}

/* ---- lexer ---- */

enum tok {
	T_END,
	T_LP,
	T_RP,
	T_COMMA,
	T_CMP,
	T_WORD,
	T_STR,
	T_BAD
};

struct parser {
	const char		*s;
	const char		*p;
	enum tok		 tok;
	enum cmp_op		 op;
	char			*word;		/* T_WORD, T_STR */
	const struct expr_vocab	*vocab;
	char			*err;
	int			 depth;
};

static int
isword(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' ||
	    c >= 0x80;
}

static void
perr(struct parser *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
perr(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	if (ps->err != NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	xasprintf(&ps->err, "%s (in condition \"%s\")", msg, ps->s);
}

static const char *
tokname(const struct parser *ps)
{
	switch (ps->tok) {
	case T_END:
		return "end of condition";
	case T_LP:
		return "'('";
	case T_RP:
		return "')'";
	case T_COMMA:
		return "','";
	case T_CMP:
		return "a comparison";
	case T_WORD:
	case T_STR:
		return ps->word;
	default:
		return "a bad character";
	}
}

static void
next(struct parser *ps)
{
	const char *p = ps->p, *q;

	free(ps->word);
	ps->word = NULL;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0') {
		ps->tok = T_END;
	} else if (*p == '(') {
		ps->tok = T_LP;
		p++;
	} else if (*p == ')') {
		ps->tok = T_RP;
		p++;
	} else if (*p == ',') {
		ps->tok = T_COMMA;
		p++;
	} else if ((p[0] == '=' || p[0] == '!') && p[1] == '=') {
		ps->tok = T_CMP;
		ps->op = p[0] == '=' ? CMP_EQ : CMP_NE;
		p += 2;
	} else if (*p == '<' || *p == '>') {
		ps->tok = T_CMP;
		if (p[1] == '=') {
			ps->op = *p == '<' ? CMP_LE : CMP_GE;
			p += 2;
		} else {
			ps->op = *p == '<' ? CMP_LT : CMP_GT;
			p++;
		}
	} else if (*p == '"') {
		q = strchr(p + 1, '"');
		if (q == NULL) {
			ps->tok = T_BAD;
			perr(ps, "unterminated string");
			p += strlen(p);
		} else {
			ps->tok = T_STR;
			ps->word = xstrndup(p + 1, (size_t)(q - p - 1));
			p = q + 1;
		}
	} else if (isword((unsigned char)*p)) {
		for (q = p; isword((unsigned char)*q); q++)
			;
		ps->tok = T_WORD;
		ps->word = xstrndup(p, (size_t)(q - p));
		p = q;
	} else {
		ps->tok = T_BAD;
		perr(ps, "unexpected character '%c'", *p);
		p++;
	}
	ps->p = p;
}

static int
isword_eq(const struct parser *ps, const char *w)
{
	return ps->tok == T_WORD && strcmp(ps->word, w) == 0;
}

/* ---- parser ---- */

static struct expr *
node_new(enum node_kind kind)
{
	struct expr *e = xcalloc(1, sizeof(*e));

	e->kind = kind;
	return e;
}

void
expr_free(struct expr *e)
{
	size_t i;

	if (e == NULL)
		return;
	expr_free(e->l);
	expr_free(e->r);
	for (i = 0; i < e->nvals; i++)
		free(e->vals[i]);
	free(e->vals);
	free(e);
}

static struct expr *parse_or(struct parser *);

static int
parse_number(const char *w, double *ret)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(w, &end, 10);
	if (errno != 0 || end == w || *end != '\0' || v < 0 || v > 1000000)
		return -1;
	*ret = (double)v;
	return 0;
}

/* The operand's name: sets e->var/field/doc and returns its type. */
static int
parse_operand(struct parser *ps, struct expr *e, enum val_type *type)
{
	const char *w = ps->word, *dot;
	int f, d;

	if (ps->tok != T_WORD) {
		perr(ps, "expected a fact name, found %s", tokname(ps));
		return -1;
	}
	if ((dot = strchr(w, '.')) != NULL) {
		char *dt = xstrndup(w, (size_t)(dot - w));

		d = doc_type_parse(dt);
		free(dt);
		if (d < 0) {
			perr(ps, "unknown document type in '%s'", w);
			return -1;
		}
		e->doc = d;
		if (strcmp(dot + 1, "language") == 0) {
			e->var = V_DOC_LANGUAGE;
			*type = VT_STRING;
		} else if (strcmp(dot + 1, "dedicated_form") == 0) {
			e->var = V_DOC_DEDICATED;
			*type = VT_BOOL;
		} else {
			perr(ps, "unknown document property '%s' (language, "
			    "dedicated_form)", dot + 1);
			return -1;
		}
		return 0;
	}
	if (strcmp(w, "patient_age") == 0) {
		e->var = V_AGE;
		*type = VT_NUMBER;
	} else if (strcmp(w, "department_count") == 0) {
		e->var = V_DEPT_COUNT;
		*type = VT_NUMBER;
	} else if (strcmp(w, "department_offered") == 0) {
		e->var = V_DEPT_OFFERED;
		*type = VT_BOOL;
	} else if (strcmp(w, "online_offered") == 0) {
		e->var = V_ONLINE_OFFERED;
		*type = VT_BOOL;
	} else if ((f = field_id_parse(w)) >= 0) {
		e->var = V_FIELD;
		e->field = f;
		*type = field_values(f) == yesno_vals ? VT_BOOL : VT_STRING;
	} else {
		perr(ps, "unknown fact '%s'", w);
		return -1;
	}
	return 0;
}

/* One value on the right of a comparison, checked against the operand. */
static int
parse_value(struct parser *ps, struct expr *e, enum val_type type)
{
	const char *const *allowed;
	const char *w;
	size_t i;

	if (ps->tok != T_WORD && ps->tok != T_STR) {
		perr(ps, "expected a value, found %s", tokname(ps));
		return -1;
	}
	w = ps->word;
	if (type == VT_NUMBER) {
		if (ps->tok == T_WORD && strcmp(w, "age_of_majority") == 0) {
			e->num = ps->vocab->age_of_majority;
		} else if (parse_number(w, &e->num) != 0) {
			perr(ps, "'%s' is not a number", w);
			return -1;
		}
		return 0;
	}
	if (type == VT_BOOL) {
		if (strcmp(w, "yes") == 0)
			e->num = 1;
		else if (strcmp(w, "no") == 0)
			e->num = 0;
		else {
			perr(ps, "'%s' is not yes or no", w);
			return -1;
		}
		return 0;
	}
	if (e->nvals >= EXPR_MAX_LIST) {
		perr(ps, "too many values in a list");
		return -1;
	}
	if (e->var == V_FIELD && e->field == FIELD_DEPARTMENT) {
		const char *canon = NULL;

		if (ps->vocab->department != NULL)
			canon = ps->vocab->department(ps->vocab->arg, w);
		if (canon == NULL) {
			perr(ps, "unknown department '%s' (not in "
			    "[departments])", w);
			return -1;
		}
		w = canon;
	} else if (e->var == V_FIELD &&
	    (allowed = field_values(e->field)) != NULL) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(allowed[i], w) == 0)
				break;
		if (allowed[i] == NULL) {
			perr(ps, "'%s' is not a value of %s", w,
			    field_id_name(e->field));
			return -1;
		}
	}
	e->vals = xreallocarray(e->vals, e->nvals + 1, sizeof(*e->vals));
	e->vals[e->nvals++] = expr_normalize(w);
	return 0;
}

static struct expr *
parse_primary(struct parser *ps)
{
	struct expr *e;
	enum val_type type;
	int d;

	if (ps->tok == T_LP) {
		next(ps);
		e = parse_or(ps);
		if (e == NULL)
			return NULL;
		if (ps->tok != T_RP) {
			perr(ps, "expected ')', found %s", tokname(ps));
			expr_free(e);
			return NULL;
		}
		next(ps);
		return e;
	}
	if (isword_eq(ps, "true") || isword_eq(ps, "false")) {
		e = node_new(N_CONST);
		e->cval = isword_eq(ps, "true");
		next(ps);
		return e;
	}
	if (isword_eq(ps, "has")) {
		next(ps);
		if (ps->tok != T_LP) {
			perr(ps, "expected '(' after has");
			return NULL;
		}
		next(ps);
		if (ps->tok != T_WORD || (d = doc_type_parse(ps->word)) < 0) {
			perr(ps, "unknown document type %s in has()",
			    tokname(ps));
			return NULL;
		}
		next(ps);
		if (ps->tok != T_RP) {
			perr(ps, "expected ')' after the document type");
			return NULL;
		}
		next(ps);
		e = node_new(N_HAS);
		e->doc = d;
		return e;
	}
	if (ps->tok == T_WORD && (strcmp(ps->word, "and") == 0 ||
	    strcmp(ps->word, "or") == 0 || strcmp(ps->word, "in") == 0)) {
		perr(ps, "expected a fact name, found '%s'", ps->word);
		return NULL;
	}
	e = node_new(N_CMP);
	if (parse_operand(ps, e, &type) != 0) {
		expr_free(e);
		return NULL;
	}
	next(ps);
	if (ps->tok == T_CMP) {
		e->op = ps->op;
		if (type != VT_NUMBER && e->op != CMP_EQ && e->op != CMP_NE) {
			perr(ps, "only == and != compare text or yes/no");
			expr_free(e);
			return NULL;
		}
		next(ps);
		if (parse_value(ps, e, type) != 0) {
			expr_free(e);
			return NULL;
		}
		next(ps);
		return e;
	}
	if (isword_eq(ps, "in")) {
		if (type != VT_STRING) {
			perr(ps, "'in' needs a text fact");
			expr_free(e);
			return NULL;
		}
		e->op = CMP_IN;
		next(ps);
		if (ps->tok != T_LP) {
			perr(ps, "expected '(' after in");
			expr_free(e);
			return NULL;
		}
		do {
			next(ps);
			if (parse_value(ps, e, type) != 0) {
				expr_free(e);
				return NULL;
			}
			next(ps);
		} while (ps->tok == T_COMMA);
		if (ps->tok != T_RP) {
			perr(ps, "expected ',' or ')' in the list, found %s",
			    tokname(ps));
			expr_free(e);
			return NULL;
		}
		next(ps);
		return e;
	}
	if (type == VT_BOOL) {
		e->op = CMP_EQ;
		e->num = 1;
		return e;
	}
	perr(ps, "expected a comparison after the fact, found %s",
	    tokname(ps));
	expr_free(e);
	return NULL;
}

static struct expr *
parse_not(struct parser *ps)
{
	struct expr *e, *n;

	if (!isword_eq(ps, "not"))
		return parse_primary(ps);
	if (++ps->depth > EXPR_MAX_DEPTH) {
		perr(ps, "condition nested too deeply");
		return NULL;
	}
	next(ps);
	if ((e = parse_not(ps)) == NULL)
		return NULL;
	ps->depth--;
	n = node_new(N_NOT);
	n->l = e;
	return n;
}

static struct expr *
parse_binary(struct parser *ps, const char *word, enum node_kind kind,
    struct expr *(*sub)(struct parser *))
{
	struct expr *l, *r, *n;

	if ((l = sub(ps)) == NULL)
		return NULL;
	while (isword_eq(ps, word)) {
		next(ps);
		if ((r = sub(ps)) == NULL) {
			expr_free(l);
			return NULL;
		}
		n = node_new(kind);
		n->l = l;
		n->r = r;
		l = n;
	}
	return l;
}

static struct expr *
parse_and(struct parser *ps)
{
	return parse_binary(ps, "and", N_AND, parse_not);
}

static struct expr *
parse_or(struct parser *ps)
{
	struct expr *e;

	if (++ps->depth > EXPR_MAX_DEPTH) {
		perr(ps, "condition nested too deeply");
		return NULL;
	}
	e = parse_binary(ps, "or", N_OR, parse_and);
	ps->depth--;
	return e;
}

int
expr_parse(const char *text, const struct expr_vocab *vocab,
    struct expr **ret, char **err)
{
	struct parser ps;
	struct expr *e;

	memset(&ps, 0, sizeof(ps));
	ps.s = ps.p = text;
	ps.vocab = vocab;
	if (strlen(text) > EXPR_MAX_TEXT) {
		xasprintf(err, "condition longer than %d bytes", EXPR_MAX_TEXT);
		return -EINVAL;
	}
	next(&ps);
	if (ps.tok == T_END) {
		free(ps.word);
		*err = xstrdup("empty condition");
		return -EINVAL;
	}
	e = parse_or(&ps);
	if (e != NULL && ps.tok != T_END) {
		perr(&ps, "unexpected %s (missing and/or?)", tokname(&ps));
		expr_free(e);
		e = NULL;
	}
	free(ps.word);
	if (e == NULL) {
		if (ps.err == NULL)
			ps.err = xstrdup("bad condition");
		*err = ps.err;
		return -EINVAL;
	}
	*ret = e;
	return 0;
}

/* ---- evaluation ---- */

static void
why_unknown(struct expr_why *why, const char *field, enum expr_state st)
{
	if (why->field == NULL) {
		why->field = field;
		why->state = st;
	}
}

static void
why_evidence(struct expr_why *why, const char *name, const char *val)
{
	if (why->evidence == NULL)
		return;
	if (why->evidence->len > 0)
		(void)buf_addstr(why->evidence, ", ");
	(void)buf_printf(why->evidence, "%s=%s", name, val);
}

static enum expr_tri
tri_bool(int b)
{
	return b ? EXPR_TRUE : EXPR_FALSE;
}

static enum expr_tri
cmp_num(enum cmp_op op, double a, double b)
{
	switch (op) {
	case CMP_EQ:
		return tri_bool(a == b);
	case CMP_NE:
		return tri_bool(a != b);
	case CMP_LT:
		return tri_bool(a < b);
	case CMP_LE:
		return tri_bool(a <= b);
	case CMP_GT:
		return tri_bool(a > b);
	case CMP_GE:
		return tri_bool(a >= b);
	default:
		return EXPR_FALSE;
	}
}

static enum expr_tri
cmp_str(const struct expr *e, const char *norm)
{
	size_t i;
	int eq = 0;

	for (i = 0; i < e->nvals; i++)
		if (strcmp(e->vals[i], norm) == 0)
			eq = 1;
	return tri_bool(e->op == CMP_NE ? !eq : eq);
}

static enum expr_tri
eval_value(const struct expr *e, const struct expr_value *v,
    const char *name, int numeric, struct expr_why *why)
{
	char num[32];

	if (v->state != EXPR_VAL_OK) {
		why_unknown(why, v->field != NULL ? v->field : name, v->state);
		return EXPR_UNKNOWN;
	}
	if (numeric) {
		snprintf(num, sizeof(num), "%g", v->num);
		why_evidence(why, name, v->str != NULL ? v->str : num);
		return cmp_num(e->op, v->num, e->num);
	}
	why_evidence(why, name, v->str != NULL ? v->str : "");
	return cmp_str(e, v->str != NULL ? v->str : "");
}

static enum expr_tri
eval_field(const struct expr *e, const struct expr_env *env,
    struct expr_why *why)
{
	const struct fact_field *f = &env->facts->fields[e->field];
	const char *name = field_id_name(e->field);
	struct expr_value v;
	enum expr_tri t;
	char *norm;

	if (e->field == FIELD_DEPARTMENT)
		return eval_value(e, &env->department, name, 0, why);
	memset(&v, 0, sizeof(v));
	v.field = name;
	if (f->value == NULL)
		v.state = EXPR_VAL_ABSENT;
	else if (f->confidence < env->threshold)
		v.state = EXPR_VAL_LOW;
	if (v.state != EXPR_VAL_OK)
		return eval_value(e, &v, name, 0, why);
	norm = expr_normalize(f->value);
	if (field_values(e->field) == yesno_vals) {
		/* yes/no fields compare as booleans. */
		if (strcmp(norm, "yes") != 0 && strcmp(norm, "no") != 0) {
			free(norm);
			why_unknown(why, name, EXPR_VAL_LOW);
			return EXPR_UNKNOWN;
		}
		v.num = strcmp(norm, "yes") == 0;
		v.str = f->value;
		t = eval_value(e, &v, name, 1, why);
	} else {
		v.str = norm;
		t = eval_value(e, &v, name, 0, why);
	}
	free(norm);
	return t;
}

/* Some document of the type has the property: false when there is none. */
static enum expr_tri
eval_doc(const struct expr *e, const struct expr_env *env,
    struct expr_why *why)
{
	const struct facts *fa = env->facts;
	enum expr_tri res = EXPR_FALSE, t;
	char name[64];
	size_t i;
	char *norm;

	snprintf(name, sizeof(name), "%s.%s", doc_type_name(e->doc),
	    e->var == V_DOC_LANGUAGE ? "language" : "dedicated_form");
	for (i = 0; i < fa->ndocs; i++) {
		const struct fact_doc *d = &fa->docs[i];

		if ((int)d->type != e->doc)
			continue;
		if (e->var == V_DOC_LANGUAGE) {
			if (d->language == NULL) {
				t = EXPR_UNKNOWN;
				why_unknown(why, doc_type_name(e->doc),
				    EXPR_VAL_ABSENT);
			} else {
				norm = expr_normalize(d->language);
				why_evidence(why, name, d->language);
				t = cmp_str(e, norm);
				free(norm);
			}
		} else if (d->dedicated_form == FACT_UNKNOWN) {
			t = EXPR_UNKNOWN;
			why_unknown(why, doc_type_name(e->doc),
			    EXPR_VAL_ABSENT);
		} else {
			why_evidence(why, name,
			    d->dedicated_form == FACT_YES ? "yes" : "no");
			t = cmp_num(e->op, d->dedicated_form == FACT_YES,
			    e->num);
		}
		if (t == EXPR_TRUE)
			return EXPR_TRUE;
		if (t == EXPR_UNKNOWN)
			res = EXPR_UNKNOWN;
	}
	return res;
}

enum expr_tri
expr_eval(const struct expr *e, const struct expr_env *env,
    struct expr_why *why)
{
	struct expr_why wl, wr;
	enum expr_tri l, r;
	size_t i;

	switch (e->kind) {
	case N_CONST:
		return tri_bool(e->cval);
	case N_NOT:
		l = expr_eval(e->l, env, why);
		return l == EXPR_UNKNOWN ? l : tri_bool(l == EXPR_FALSE);
	case N_AND:
	case N_OR:
		/* Kleene: the deciding side wins over an unknown one. */
		wl = *why;
		wl.field = NULL;
		wr = wl;
		l = expr_eval(e->l, env, &wl);
		r = expr_eval(e->r, env, &wr);
		if (e->kind == N_AND && (l == EXPR_FALSE || r == EXPR_FALSE))
			return EXPR_FALSE;
		if (e->kind == N_OR && (l == EXPR_TRUE || r == EXPR_TRUE))
			return EXPR_TRUE;
		if (l == EXPR_UNKNOWN || r == EXPR_UNKNOWN) {
			if (l == EXPR_UNKNOWN)
				why_unknown(why, wl.field, wl.state);
			else
				why_unknown(why, wr.field, wr.state);
			return EXPR_UNKNOWN;
		}
		return e->kind == N_AND ? EXPR_TRUE : EXPR_FALSE;
	case N_HAS:
		for (i = 0; i < env->facts->ndocs; i++)
			if ((int)env->facts->docs[i].type == e->doc)
				return EXPR_TRUE;
		return EXPR_FALSE;
	case N_CMP:
		switch (e->var) {
		case V_FIELD:
			return eval_field(e, env, why);
		case V_AGE:
			return eval_value(e, &env->age, "patient_age", 1, why);
		case V_DEPT_COUNT:
			return eval_value(e, &env->dept_count,
			    "department", 1, why);
		case V_DEPT_OFFERED:
			return eval_value(e, &env->dept_offered,
			    "department", 1, why);
		case V_ONLINE_OFFERED:
			return eval_value(e, &env->online_offered,
			    "department", 1, why);
		case V_DOC_LANGUAGE:
		case V_DOC_DEDICATED:
			return eval_doc(e, env, why);
		}
	}
	return EXPR_UNKNOWN;
}
