/* rules.c — the pure rules engine: profile + facts -> result. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faxintake/buf.h"
#include "faxintake/expr.h"
#include "faxintake/rules.h"
#include "faxintake/xmalloc.h"

#define RULES_MAX_DEPTS		8
#define RULES_MAX_EVIDENCE	512

/* What evaluation collects before it is copied into the result. */
struct acc {
	struct rules_result *r;
	double		 threshold;
};

const char *
rules_status_name(enum rules_status s)
{
	switch (s) {
	case RULES_COMPLETE:
		return "complete";
	case RULES_NEEDS_REVIEW:
		return "needs_review";
	default:
		return "incomplete";
	}
}

int
rules_age(int by, int bm, int bd, int y, int m, int d)
{
	int age = y - by;

	/* A 29 February birthday counts as reached on 1 March, as the
	 * 年齢計算ニ関スル法律 has it (the day before the anniversary). */
	if (m < bm || (m == bm && d < bd))
		age--;
	return age;
}

static void
add_flag(struct acc *a, const char *id, const char *rule,
    const char *evidence)
{
	struct rules_result *r = a->r;
	struct rules_flag *f;
	size_t i;

	for (i = 0; i < r->nflags; i++)
		if (strcmp(r->flags[i].id, id) == 0 &&
		    strcmp(r->flags[i].evidence, evidence) == 0)
			return;
	r->flags = xreallocarray(r->flags, r->nflags + 1, sizeof(*r->flags));
	f = &r->flags[r->nflags++];
	f->id = xstrdup(id);
	f->rule = xstrdup(rule);
	f->evidence = xstrdup(evidence);
}

/* A rule that could not decide: name the field that stopped it. */
static void
add_review(struct acc *a, const struct expr_why *why, const char *rule)
{
	if (why->state == EXPR_VAL_NO_BIRTH)
		add_flag(a, "review:unknown_birth_date", rule,
		    "patient_birth_date");
	else
		add_flag(a, "review:low_confidence", rule,
		    why->field != NULL ? why->field : "unknown");
}

static int
doc_present(const struct facts *f, unsigned mask)
{
	size_t i;

	for (i = 0; i < f->ndocs; i++)
		if (mask & (1u << f->docs[i].type))
			return 1;
	return 0;
}

static int
list_has(const enum doc_type *v, size_t n, enum doc_type d)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == d)
			return 1;
	return 0;
}

static void
list_add(enum doc_type **v, size_t *n, enum doc_type d)
{
	if (list_has(*v, *n, d))
		return;
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = d;
}

static void
list_del(enum doc_type *v, size_t *n, enum doc_type d)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (v[i] == d) {
			memmove(&v[i], &v[i + 1], (*n - i - 1) * sizeof(*v));
			(*n)--;
			return;
		}
}

static int
due_has(const struct rules_result *r, enum doc_type d)
{
	size_t i;

	for (i = 0; i < r->ndue_later; i++)
		if (r->due_later[i].type == d)
			return 1;
	return 0;
}

static void
due_del(struct rules_result *r, enum doc_type d)
{
	size_t i;

	for (i = 0; i < r->ndue_later; i++)
		if (r->due_later[i].type == d) {
			free(r->due_later[i].by);
			memmove(&r->due_later[i], &r->due_later[i + 1],
			    (r->ndue_later - i - 1) * sizeof(*r->due_later));
			r->ndue_later--;
			return;
		}
}

/* The strongest demand for a document wins: now > later > recommended. */
static void
need_add(struct rules_result *r, const struct profile_need *n)
{
	if (n->level == PROFILE_RECOMMENDED) {
		if (!list_has(r->missing, r->nmissing, n->doc) &&
		    !due_has(r, n->doc))
			list_add(&r->recommended, &r->nrecommended, n->doc);
		return;
	}
	list_del(r->recommended, &r->nrecommended, n->doc);
	if (n->due == PROFILE_DUE_NOW) {
		due_del(r, n->doc);
		list_add(&r->missing, &r->nmissing, n->doc);
		return;
	}
	if (list_has(r->missing, r->nmissing, n->doc) || due_has(r, n->doc))
		return;
	r->due_later = xreallocarray(r->due_later, r->ndue_later + 1,
	    sizeof(*r->due_later));
	r->due_later[r->ndue_later].type = n->doc;
	r->due_later[r->ndue_later].by = xstrdup(n->by);
	r->ndue_later++;
}

/* ---- derived facts ---- */

struct derived {
	struct expr_env	 env;
	char		*dept_norm;
};

static void
derive_age(struct expr_env *env, const struct facts *f, double threshold)
{
	const struct fact_field *b = &f->fields[FIELD_PATIENT_BIRTH_DATE];
	int y, m, d, age;

	env->age.field = "patient_birth_date";
	if (b->value == NULL) {
		env->age.state = EXPR_VAL_NO_BIRTH;
		return;
	}
	if (b->confidence < threshold ||
	    facts_date_parse(b->value, &y, &m, &d) != 0) {
		env->age.state = EXPR_VAL_LOW;
		return;
	}
	age = rules_age(y, m, d, f->received_y, f->received_m,
	    f->received_d);
	if (age < 0 || age > 150) {
		env->age.state = EXPR_VAL_LOW;	/* a misread date */
		return;
	}
	env->age.state = EXPR_VAL_OK;
	env->age.num = age;
}

/* Split "消化器内科、外科" into parts; a listed name is never split. */
static size_t
dept_split(const struct profile *p, const char *v, char **parts, size_t max)
{
	static const char *const seps[] = { "、", ",", "，", "/", "／", "及び",
		"および", "と", "&", "＆", "\n", NULL };
	const char *s = v, *best;
	size_t n = 0, i, blen;

	if (profile_department_find(p, v) != NULL) {
		parts[0] = xstrdup(v);
		return 1;
	}
	while (*s && n < max) {
		best = NULL;
		blen = 0;
		for (i = 0; seps[i] != NULL; i++) {
			const char *q = strstr(s, seps[i]);

			if (q != NULL && (best == NULL || q < best)) {
				best = q;
				blen = strlen(seps[i]);
			}
		}
		if (best == NULL)
			best = s + strlen(s);
		{
			const char *a = s, *e = best;

			while (*a == ' ' || *a == '\t')
				a++;
			while (e > a && (e[-1] == ' ' || e[-1] == '\t'))
				e--;
			if (e > a)
				parts[n++] = xstrndup(a, (size_t)(e - a));
		}
		s = *best ? best + blen : best;
	}
	return n;
}

static void
derive_department(struct derived *dv, const struct profile *p,
    const struct facts *f, double threshold)
{
	const struct fact_field *fd = &f->fields[FIELD_DEPARTMENT];
	struct expr_env *env = &dv->env;
	const struct profile_department *d;
	char *parts[RULES_MAX_DEPTS];
	size_t n, i;
	int offered = 1, online = 1;

	env->department.field = env->dept_count.field = "department";
	env->dept_offered.field = env->online_offered.field = "department";
	if (fd->value == NULL || fd->confidence < threshold) {
		enum expr_state st = fd->value == NULL ? EXPR_VAL_ABSENT :
		    EXPR_VAL_LOW;

		env->department.state = env->dept_count.state = st;
		env->dept_offered.state = env->online_offered.state = st;
		return;
	}
	n = dept_split(p, fd->value, parts, RULES_MAX_DEPTS);
	for (i = 0; i < n; i++) {
		if (!profile_department_offers(p, parts[i],
		    PROFILE_MODE_IN_PERSON) &&
		    !profile_department_offers(p, parts[i],
		    PROFILE_MODE_ONLINE))
			offered = 0;
		if (!profile_department_offers(p, parts[i],
		    PROFILE_MODE_ONLINE))
			online = 0;
	}
	d = n == 1 ? profile_department_find(p, parts[0]) : NULL;
	dv->dept_norm = expr_normalize(d != NULL ? d->name : fd->value);
	env->department.str = dv->dept_norm;
	env->dept_count.num = (double)(n > 0 ? n : 1);
	env->dept_count.str = fd->value;
	env->dept_offered.num = offered;
	env->dept_offered.str = fd->value;
	env->online_offered.num = online;
	env->online_offered.str = fd->value;
	for (i = 0; i < n; i++)
		free(parts[i]);
}

/* ---- rules ---- */

static void
eval_needs(struct acc *a, const struct profile *p, const struct facts *f,
    const struct expr_env *env)
{
	struct expr_why why;
	size_t i;

	for (i = 0; i < profile_need_count(p); i++) {
		const struct profile_need *n = profile_need(p, i);
		enum expr_tri t = EXPR_TRUE;

		if (doc_present(f, (1u << n->doc) | n->also))
			continue;
		memset(&why, 0, sizeof(why));
		if (n->when != NULL)
			t = expr_eval(n->when, env, &why);
		if (t == EXPR_TRUE)
			need_add(a->r, n);
		else if (t == EXPR_UNKNOWN && n->level == PROFILE_REQUIRED)
			add_review(a, &why, n->rule);
	}
}

static void
eval_keywords(struct acc *a, const struct profile_flag *fl,
    const struct facts *f)
{
	struct buf ev;
	size_t k;
	int fid, present = 0, low = -1, hit;
	char *norm;

	buf_init(&ev, RULES_MAX_EVIDENCE);
	for (fid = 0; fid < FIELD__COUNT; fid++) {
		const struct fact_field *ff = &f->fields[fid];

		if (!(fl->fields & (1u << fid)) || ff->value == NULL)
			continue;
		present = 1;
		norm = expr_normalize(ff->value);
		hit = -1;
		for (k = 0; k < fl->nkeywords && hit < 0; k++)
			if (*fl->keywords_norm[k] != '\0' &&
			    strstr(norm, fl->keywords_norm[k]) != NULL)
				hit = (int)k;
		free(norm);
		if (ff->confidence < a->threshold) {
			/* An uncertain reading decides nothing either way. */
			if (hit >= 0 || fl->match_none)
				low = low < 0 ? fid : low;
			continue;
		}
		if (hit >= 0 && !fl->match_none) {
			add_flag(a, fl->id, fl->rule, fl->keywords[hit]);
			buf_free(&ev);
			return;
		}
		if (hit >= 0 && fl->match_none) {
			buf_free(&ev);
			return;		/* in scope */
		}
		if (ev.len > 0)
			(void)buf_addstr(&ev, ", ");
		(void)buf_printf(&ev, "%s=%s", field_id_name(fid), ff->value);
	}
	if (low >= 0)
		add_flag(a, "review:low_confidence", fl->rule,
		    field_id_name(low));
	else if (present && fl->match_none)
		add_flag(a, fl->id, fl->rule, ev.data != NULL ? ev.data : "");
	buf_free(&ev);
}

static void
eval_flags(struct acc *a, const struct profile *p, const struct facts *f,
    const struct expr_env *env)
{
	struct expr_why why;
	struct buf ev;
	size_t i;

	for (i = 0; i < profile_flag_count(p); i++) {
		const struct profile_flag *fl = profile_flag(p, i);
		enum expr_tri t = EXPR_TRUE;

		buf_init(&ev, RULES_MAX_EVIDENCE);
		memset(&why, 0, sizeof(why));
		why.evidence = &ev;
		if (fl->when != NULL)
			t = expr_eval(fl->when, env, &why);
		if (t == EXPR_UNKNOWN && why.state != EXPR_VAL_ABSENT)
			add_review(a, &why, fl->rule);
		else if (t == EXPR_TRUE && fl->nkeywords > 0)
			eval_keywords(a, fl, f);
		else if (t == EXPR_TRUE)
			add_flag(a, fl->id, fl->rule,
			    ev.data != NULL ? ev.data : "");
		buf_free(&ev);
	}
}

static char *
yen_text(long yen)
{
	char digits[32], out[48];
	size_t n, i, o = 0;

	snprintf(digits, sizeof(digits), "%ld", yen);
	n = strlen(digits);
	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return xstrdup(out);
}

static void
fee_step(struct rules_fee *fee, const char *s)
{
	fee->steps = xreallocarray(fee->steps, fee->nsteps + 1,
	    sizeof(*fee->steps));
	fee->steps[fee->nsteps++] = xstrdup(s);
}

static void
eval_fee(struct acc *a, const struct profile *p, const struct facts *f)
{
	const struct fact_field *m = &f->fields[FIELD_CONSULTATION_MODE];
	const struct profile_fee *pf, *on, *ex;
	struct rules_fee *fee = &a->r->fee;
	enum profile_mode mode = PROFILE_MODE_IN_PERSON;
	int mode_known = 0;
	char *norm, *s, *y;
	size_t i;

	if (m->value != NULL && m->confidence >= a->threshold) {
		norm = expr_normalize(m->value);
		mode_known = 1;
		if (strcmp(norm, "online") == 0)
			mode = PROFILE_MODE_ONLINE;
		free(norm);
	}
	pf = profile_fee(p, mode);
	if (!pf->set)
		pf = profile_fee(p, PROFILE_MODE_IN_PERSON);
	fee->yen = pf->yen;
	fee->tax_included = 1;
	fee->basis = xstrdup(pf->basis != NULL ? pf->basis : "");
	for (i = 0; i < pf->nsteps; i++)
		fee_step(fee, pf->steps[i]);
	if (mode == PROFILE_MODE_ONLINE &&
	    profile_offers_mode(p, PROFILE_MODE_ONLINE) &&
	    !profile_fee(p, PROFILE_MODE_ONLINE)->set)
		fee_step(fee, "オンラインの料金は案内に記載がないため要確認");
	on = profile_fee(p, PROFILE_MODE_ONLINE);
	if (!mode_known && on->set) {
		/* The mode is not settled: show the other price too. */
		y = yen_text(on->yen);
		xasprintf(&s, "オンラインの場合: %s %s円(税込)", on->basis, y);
		fee_step(fee, s);
		free(s);
		free(y);
	}
	ex = profile_fee_extra(p);
	for (i = 0; i < ex->nsteps; i++)
		fee_step(fee, ex->steps[i]);
}

int
rules_eval(const struct profile *p, const struct facts *f, double threshold,
    struct rules_result *ret)
{
	struct derived dv;
	struct acc a;

	memset(ret, 0, sizeof(*ret));
	ret->age = -1;
	if (f->received_y == 0)
		return -EINVAL;
	memset(&dv, 0, sizeof(dv));
	dv.env.facts = f;
	dv.env.threshold = threshold;
	derive_age(&dv.env, f, threshold);
	derive_department(&dv, p, f, threshold);
	if (dv.env.age.state == EXPR_VAL_OK)
		ret->age = (int)dv.env.age.num;

	a.r = ret;
	a.threshold = threshold;
	eval_needs(&a, p, f, &dv.env);
	eval_flags(&a, p, f, &dv.env);
	eval_fee(&a, p, f);
	free(dv.dept_norm);

	if (ret->nflags > 0)
		ret->status = RULES_NEEDS_REVIEW;
	else if (ret->nmissing > 0)
		ret->status = RULES_INCOMPLETE;
	else
		ret->status = RULES_COMPLETE;
	return 0;
}

void
rules_result_free(struct rules_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	free(r->missing);
	for (i = 0; i < r->ndue_later; i++)
		free(r->due_later[i].by);
	free(r->due_later);
	free(r->recommended);
	for (i = 0; i < r->nflags; i++) {
		free(r->flags[i].id);
		free(r->flags[i].rule);
		free(r->flags[i].evidence);
	}
	free(r->flags);
	free(r->fee.basis);
	for (i = 0; i < r->fee.nsteps; i++)
		free(r->fee.steps[i]);
	free(r->fee.steps);
	memset(r, 0, sizeof(*r));
	r->age = -1;
}
