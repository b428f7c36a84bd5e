/* profile.c — load and check a hospital profile (faxintake-profile(5)). */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faxintake/buf.h"
#include "faxintake/expr.h"
#include "faxintake/ini.h"
#include "faxintake/profile.h"
#include "faxintake/xmalloc.h"

#define PROFILE_MAX_ERRS	(64 * 1024)
#define PROFILE_MAX_ITEMS	256

enum hkey {
	HK_NAME, HK_OFFICE, HK_POSTCODE, HK_ADDRESS, HK_TEL, HK_FAX,
	HK_HOURS, HK_APPLY_BY, HK_SCOPE, HK_LEAD_TIME, HK__TEXT,
	HK_LEAD_DAYS = HK__TEXT, HK_AGE_OF_MAJORITY, HK_APPLICATION_FORM,
	HK__COUNT
};

static const char *const hkey_names[HK__COUNT] = {
	"name", "office", "postcode", "address", "tel", "fax", "hours",
	"apply_by", "scope", "lead_time", "lead_days", "age_of_majority",
	"application_form"
};

struct alias {
	char	*alias;
	char	*norm;
	char	*target;	/* as written; checked after reading */
	int	 dept;		/* index once resolved */
	int	 line;
};

struct profile {
	char		*id;
	char		*path;
	char		*text[HK__TEXT];
	int		 lead_days;
	int		 age_of_majority;
	int		 application_form;
	unsigned	 hseen;

	struct profile_department *depts;
	size_t		 ndepts;
	struct alias	*aliases;
	size_t		 naliases;
	char		*docnames[DOC__COUNT];

	struct profile_need *needs;
	size_t		 nneeds;
	struct profile_flag *flags;
	size_t		 nflags;
	struct profile_fee fees[PROFILE_MODE__COUNT];
	struct profile_fee extra;
};

/* Raw text kept while reading, compiled when the file is complete
 * (a condition may name a department listed further down). */
struct pending {
	char		*text;
	int		 line;
	int		 is_flag;	/* else a need */
	size_t		 idx;		/* index, as the arrays move */
};

struct loader {
	struct profile	*p;
	struct pending	*pend;
	size_t		 npend;
	/* per-section duplicate key detection */
	char		 section[256];
	unsigned	 seen;
	int		 sec_first_line;
	struct buf	 errs;
	int		 nerrs;
	int		 have_depts;
};

static const char *const flag_ids[] = {
	"exclusion:litigation", "exclusion:complaint", "exclusion:deceased",
	"exclusion:treatment_here", "exclusion:fees_or_benefits",
	"exclusion:outcome_judgement", "exclusion:attending_not_agreed",
	"exclusion:department_not_offered", "exclusion:out_of_scope",
	"exclusion:online_not_offered", "exclusion:applicant_not_eligible",
	"exclusion:foreign_language", "exclusion:two_departments",
	"exclusion:overseas_uninsured", "review:low_confidence",
	"review:unknown_birth_date", "review:ambiguous_case", NULL
};

/* ---- small helpers ---- */

static int
parse_int(const char *s, int lo, int hi, int *ret)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return -1;
	*ret = (int)v;
	return 0;
}

static int
parse_yesno(const char *s, int *ret)
{
	if (strcmp(s, "yes") == 0)
		*ret = 1;
	else if (strcmp(s, "no") == 0)
		*ret = 0;
	else
		return -1;
	return 0;
}

/* Split a list on ',' or '、' (and white space when ws), trimming. */
static char **
split_list(const char *s, int ws, size_t *ret_n)
{
	char **v = NULL;
	size_t n = 0;
	const char *p = s, *q;

	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (strncmp(p, "、", strlen("、")) == 0) {
			p += strlen("、");
			continue;
		}
		if (*p == '\0')
			break;
		for (q = p; *q && *q != ',' &&
		    strncmp(q, "、", strlen("、")) != 0 &&
		    !(ws && (*q == ' ' || *q == '\t')); q++)
			;
		{
			const char *e = q;

			while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
				e--;
			v = xreallocarray(v, n + 1, sizeof(*v));
			v[n++] = xstrndup(p, (size_t)(e - p));
		}
		p = q;
	}
	*ret_n = n;
	return v;
}

static void
free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
set_text(char **slot, const char *v)
{
	free(*slot);
	*slot = xstrdup(v);
}

static void
loader_error(struct loader *ld, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
loader_error(struct loader *ld, int line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ld->nerrs++;
	(void)buf_printf(&ld->errs, "%s:%d: %s\n", ld->p->path, line, msg);
}

static void
pend_add(struct loader *ld, const char *text, int line, int is_flag,
    size_t idx)
{
	ld->pend = xreallocarray(ld->pend, ld->npend + 1, sizeof(*ld->pend));
	ld->pend[ld->npend].text = xstrdup(text);
	ld->pend[ld->npend].line = line;
	ld->pend[ld->npend].is_flag = is_flag;
	ld->pend[ld->npend].idx = idx;
	ld->npend++;
}

static struct expr **
pend_slot(struct profile *p, const struct pending *pd)
{
	return pd->is_flag ? &p->flags[pd->idx].when : &p->needs[pd->idx].when;
}

/* A key seen twice in one section is an error (except list keys). */
static int
once(struct ini_ctx *ctx, struct loader *ld, int bit, const char *key)
{
	if (ld->seen & (1u << bit))
		return ini_error(ctx, "duplicate key '%s' in [%s]", key,
		    ld->section);
	ld->seen |= 1u << bit;
	return 0;
}

static int
key_index(const char *const *names, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], key) == 0)
			return (int)i;
	return -1;
}

/* ---- sections ---- */

static int
on_hospital(struct ini_ctx *ctx, struct loader *ld, const char *key,
    const char *val)
{
	struct profile *p = ld->p;
	int k, v;

	if ((k = key_index(hkey_names, HK__COUNT, key)) < 0)
		return ini_error(ctx, "unknown key '%s' in [hospital]", key);
	if (once(ctx, ld, k, key) != 0)
		return -1;
	if (k < HK__TEXT) {
		if (*val == '\0')
			return ini_error(ctx, "empty value for '%s'", key);
		set_text(&p->text[k], val);
		return 0;
	}
	switch (k) {
	case HK_LEAD_DAYS:
		if (parse_int(val, 0, 365, &v) != 0)
			return ini_error(ctx, "lead_days: '%s' is not a "
			    "number of days (0-365)", val);
		p->lead_days = v;
		break;
	case HK_AGE_OF_MAJORITY:
		if (parse_int(val, 1, 99, &v) != 0)
			return ini_error(ctx, "age_of_majority: '%s' is not "
			    "an age (1-99)", val);
		p->age_of_majority = v;
		break;
	case HK_APPLICATION_FORM:
		if (parse_yesno(val, &v) != 0)
			return ini_error(ctx, "application_form: '%s' is "
			    "not yes or no", val);
		p->application_form = v;
		break;
	}
	return 0;
}

static int
dept_index(const struct profile *p, const char *norm)
{
	size_t i;

	for (i = 0; i < p->ndepts; i++)
		if (strcmp(p->depts[i].norm, norm) == 0)
			return (int)i;
	return -1;
}

static int
on_department(struct ini_ctx *ctx, struct loader *ld, const char *key,
    const char *val)
{
	struct profile *p = ld->p;
	struct profile_department *d;
	char **modes, *norm;
	size_t n, i;
	int m[PROFILE_MODE__COUNT] = { 0, 0 }, rc = 0;

	norm = expr_normalize(key);
	if (dept_index(p, norm) >= 0) {
		free(norm);
		return ini_error(ctx, "department '%s' listed twice", key);
	}
	if (p->ndepts >= PROFILE_MAX_ITEMS) {
		free(norm);
		return ini_error(ctx, "too many departments");
	}
	modes = split_list(val, 1, &n);
	for (i = 0; i < n; i++) {
		if (strcmp(modes[i], "in_person") == 0)
			m[PROFILE_MODE_IN_PERSON] = 1;
		else if (strcmp(modes[i], "online") == 0)
			m[PROFILE_MODE_ONLINE] = 1;
		else
			rc = ini_error(ctx, "department '%s': unknown mode "
			    "'%s' (in_person, online)", key, modes[i]);
	}
	free_list(modes, n);
	if (n == 0)
		rc = ini_error(ctx, "department '%s': no mode given "
		    "(in_person, online)", key);
	if (rc != 0) {
		free(norm);
		return rc;
	}
	p->depts = xreallocarray(p->depts, p->ndepts + 1, sizeof(*p->depts));
	d = &p->depts[p->ndepts++];
	d->name = xstrdup(key);
	d->norm = norm;
	d->modes[0] = m[0];
	d->modes[1] = m[1];
	ld->have_depts = 1;
	return 0;
}

static int
on_alias(struct ini_ctx *ctx, struct loader *ld, const char *key,
    const char *val)
{
	struct profile *p = ld->p;
	struct alias *a;

	if (p->naliases >= PROFILE_MAX_ITEMS)
		return ini_error(ctx, "too many aliases");
	p->aliases = xreallocarray(p->aliases, p->naliases + 1,
	    sizeof(*p->aliases));
	a = &p->aliases[p->naliases++];
	a->alias = xstrdup(key);
	a->norm = expr_normalize(key);
	a->target = xstrdup(val);
	a->dept = -1;
	a->line = ini_line(ctx);
	return 0;
}

static int
on_documents(struct ini_ctx *ctx, struct loader *ld, const char *key,
    const char *val)
{
	int d;

	if ((d = doc_type_parse(key)) < 0)
		return ini_error(ctx, "unknown document type '%s'", key);
	if (once(ctx, ld, d, key) != 0)
		return -1;
	if (*val == '\0')
		return ini_error(ctx, "empty name for '%s'", key);
	set_text(&ld->p->docnames[d], val);
	return 0;
}

static const char *const need_keys[] = { "doc", "level", "when", "due",
	"by", "also", "rule" };

static struct profile_need *
need_get(struct loader *ld, const char *label, int line)
{
	struct profile *p = ld->p;
	struct profile_need *n;
	size_t i;

	for (i = 0; i < p->nneeds; i++)
		if (strcmp(p->needs[i].label, label) == 0)
			return &p->needs[i];
	if (p->nneeds >= PROFILE_MAX_ITEMS)
		return NULL;
	p->needs = xreallocarray(p->needs, p->nneeds + 1, sizeof(*p->needs));
	n = &p->needs[p->nneeds++];
	memset(n, 0, sizeof(*n));
	n->label = xstrdup(label);
	n->doc = DOC__COUNT;
	n->line = line;
	return n;
}

static int
on_need(struct ini_ctx *ctx, struct loader *ld, const char *label,
    const char *key, const char *val)
{
	struct profile_need *n;
	char **list, *end;
	size_t cnt, i;
	int k, d, rc = 0;
	long days;

	if ((k = key_index(need_keys, 7, key)) < 0)
		return ini_error(ctx, "unknown key '%s' in [need %s]", key,
		    label);
	if (once(ctx, ld, k, key) != 0)
		return -1;
	if ((n = need_get(ld, label, ini_line(ctx))) == NULL)
		return ini_error(ctx, "too many [need] sections");
	switch (k) {
	case 0:
		if ((d = doc_type_parse(val)) < 0) {
			n->doc = DOC_OTHER;	/* given, if wrong */
			return ini_error(ctx, "unknown document type '%s'",
			    val);
		}
		n->doc = d;
		break;
	case 1:
		if (strcmp(val, "required") == 0)
			n->level = PROFILE_REQUIRED;
		else if (strcmp(val, "recommended") == 0)
			n->level = PROFILE_RECOMMENDED;
		else
			return ini_error(ctx, "level: '%s' is not required "
			    "or recommended", val);
		break;
	case 2:
		pend_add(ld, val, ini_line(ctx), 0,
		    (size_t)(n - ld->p->needs));
		break;
	case 3:
		if (strcmp(val, "now") == 0)
			n->due = PROFILE_DUE_NOW;
		else if (strcmp(val, "on_day") == 0)
			n->due = PROFILE_DUE_ON_DAY;
		else if (strncmp(val, "before ", 7) == 0) {
			errno = 0;
			days = strtol(val + 7, &end, 10);
			if (errno != 0 || end == val + 7 || *end != '\0' ||
			    days < 1 || days > 90)
				return ini_error(ctx, "due: '%s': expected "
				    "'before N' with N days (1-90)", val);
			n->due = PROFILE_DUE_DAYS_BEFORE;
			n->days = (int)days;
		} else
			return ini_error(ctx, "due: '%s' is not now, on_day "
			    "or before N", val);
		break;
	case 4:
		set_text(&n->by, val);
		break;
	case 5:
		list = split_list(val, 1, &cnt);
		for (i = 0; i < cnt; i++) {
			if ((d = doc_type_parse(list[i])) < 0)
				rc = ini_error(ctx, "also: unknown document "
				    "type '%s'", list[i]);
			else
				n->also |= 1u << d;
		}
		free_list(list, cnt);
		return rc;
	case 6:
		set_text(&n->rule, val);
		break;
	}
	return 0;
}

static const char *const flag_keys[] = { "id", "when", "keywords",
	"fields", "match", "rule" };

static struct profile_flag *
flag_get(struct loader *ld, const char *label, int line)
{
	struct profile *p = ld->p;
	struct profile_flag *f;
	size_t i;

	for (i = 0; i < p->nflags; i++)
		if (strcmp(p->flags[i].label, label) == 0)
			return &p->flags[i];
	if (p->nflags >= PROFILE_MAX_ITEMS)
		return NULL;
	p->flags = xreallocarray(p->flags, p->nflags + 1, sizeof(*p->flags));
	f = &p->flags[p->nflags++];
	memset(f, 0, sizeof(*f));
	f->label = xstrdup(label);
	f->line = line;
	return f;
}

static int
flag_id_ok(const struct profile *p, const char *id)
{
	size_t n = strlen(p->id);
	const char *s;

	if (key_index(flag_ids, sizeof(flag_ids) / sizeof(flag_ids[0]) - 1,
	    id) >= 0)
		return 1;
	if (strncmp(id, p->id, n) != 0 || id[n] != ':' || id[n + 1] == '\0')
		return 0;
	for (s = id + n + 1; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '_'))
			return 0;
	return 1;
}

static int
on_flag(struct ini_ctx *ctx, struct loader *ld, const char *label,
    const char *key, const char *val)
{
	struct profile_flag *f;
	char **list;
	size_t cnt, i;
	int k, fid, rc = 0;

	if ((k = key_index(flag_keys, 6, key)) < 0)
		return ini_error(ctx, "unknown key '%s' in [flag %s]", key,
		    label);
	/* keywords may be repeated to keep lines short */
	if (k != 2 && once(ctx, ld, k, key) != 0)
		return -1;
	if ((f = flag_get(ld, label, ini_line(ctx))) == NULL)
		return ini_error(ctx, "too many [flag] sections");
	switch (k) {
	case 0:
		set_text(&f->id, val);	/* given, if wrong */
		if (!flag_id_ok(ld->p, val))
			return ini_error(ctx, "unknown flag id '%s' (one of "
			    "DESIGN.md's, or '%s:name')", val, ld->p->id);
		break;
	case 1:
		pend_add(ld, val, ini_line(ctx), 1,
		    (size_t)(f - ld->p->flags));
		break;
	case 2:
		list = split_list(val, 0, &cnt);
		if (cnt == 0)
			rc = ini_error(ctx, "empty keyword list");
		for (i = 0; i < cnt && f->nkeywords < PROFILE_MAX_ITEMS;
		    i++) {
			f->keywords = xreallocarray(f->keywords,
			    f->nkeywords + 1, sizeof(*f->keywords));
			f->keywords_norm = xreallocarray(f->keywords_norm,
			    f->nkeywords + 1, sizeof(*f->keywords_norm));
			f->keywords[f->nkeywords] = xstrdup(list[i]);
			f->keywords_norm[f->nkeywords] =
			    expr_normalize(list[i]);
			f->nkeywords++;
		}
		free_list(list, cnt);
		return rc;
	case 3:
		list = split_list(val, 1, &cnt);
		for (i = 0; i < cnt; i++) {
			if ((fid = field_id_parse(list[i])) < 0)
				rc = ini_error(ctx, "fields: unknown field "
				    "'%s'", list[i]);
			else
				f->fields |= 1u << fid;
		}
		if (cnt == 0)
			rc = ini_error(ctx, "fields: empty list");
		free_list(list, cnt);
		return rc;
	case 4:
		if (strcmp(val, "any") == 0)
			f->match_none = 0;
		else if (strcmp(val, "none") == 0)
			f->match_none = 1;
		else
			return ini_error(ctx, "match: '%s' is not any or "
			    "none", val);
		break;
	case 5:
		set_text(&f->rule, val);
		break;
	}
	return 0;
}

static int
on_fee(struct ini_ctx *ctx, struct loader *ld, struct profile_fee *fee,
    int extra, const char *key, const char *val)
{
	int v;

	if (strcmp(key, "step") == 0) {
		if (*val == '\0')
			return ini_error(ctx, "empty step");
		if (fee->nsteps >= PROFILE_MAX_ITEMS)
			return ini_error(ctx, "too many steps");
		fee->steps = xreallocarray(fee->steps, fee->nsteps + 1,
		    sizeof(*fee->steps));
		fee->steps[fee->nsteps++] = xstrdup(val);
		return 0;
	}
	if (!extra && strcmp(key, "yen") == 0) {
		if (once(ctx, ld, 0, key) != 0)
			return -1;
		if (parse_int(val, 0, 10000000, &v) != 0)
			return ini_error(ctx, "yen: '%s' is not a whole "
			    "number of yen (digits only)", val);
		fee->yen = v;
		fee->set = 1;
		return 0;
	}
	if (!extra && strcmp(key, "basis") == 0) {
		if (once(ctx, ld, 1, key) != 0)
			return -1;
		set_text(&fee->basis, val);
		return 0;
	}
	return ini_error(ctx, "unknown key '%s' in [%s]", key, ld->section);
}

static int
on_key(struct ini_ctx *ctx, void *arg, const char *section, const char *key,
    const char *val)
{
	struct loader *ld = arg;
	struct profile *p = ld->p;

	if (strcmp(section, ld->section) != 0) {
		snprintf(ld->section, sizeof(ld->section), "%s", section);
		ld->seen = 0;
	}
	if (strcmp(section, "hospital") == 0)
		return on_hospital(ctx, ld, key, val);
	if (strcmp(section, "departments") == 0)
		return on_department(ctx, ld, key, val);
	if (strcmp(section, "aliases") == 0)
		return on_alias(ctx, ld, key, val);
	if (strcmp(section, "documents") == 0)
		return on_documents(ctx, ld, key, val);
	if (strncmp(section, "need ", 5) == 0 && section[5] != '\0')
		return on_need(ctx, ld, section + 5, key, val);
	if (strncmp(section, "flag ", 5) == 0 && section[5] != '\0')
		return on_flag(ctx, ld, section + 5, key, val);
	if (strcmp(section, "fee in_person") == 0)
		return on_fee(ctx, ld, &p->fees[PROFILE_MODE_IN_PERSON], 0,
		    key, val);
	if (strcmp(section, "fee online") == 0)
		return on_fee(ctx, ld, &p->fees[PROFILE_MODE_ONLINE], 0, key,
		    val);
	if (strcmp(section, "fee extra") == 0)
		return on_fee(ctx, ld, &p->extra, 1, key, val);
	/* Report an unknown section once, not once per key. */
	if (ld->seen & (1u << 31))
		return -1;
	ld->seen |= 1u << 31;
	if (*section == '\0')
		return ini_error(ctx, "key '%s' before any [section]", key);
	return ini_error(ctx, "unknown section [%s]", section);
}

/* ---- after reading: resolve and check ---- */

static const char *
vocab_department(void *arg, const char *name)
{
	const struct profile_department *d;

	d = profile_department_find(arg, name);
	return d != NULL ? d->name : NULL;
}

static char *
due_text(const struct profile_need *n)
{
	char *s;

	switch (n->due) {
	case PROFILE_DUE_DAYS_BEFORE:
		xasprintf(&s, "予約日の%d日前まで", n->days);
		return s;
	case PROFILE_DUE_ON_DAY:
		return xstrdup("受診当日");
	default:
		return xstrdup("");
	}
}

static void
check_profile(struct loader *ld)
{
	struct profile *p = ld->p;
	struct expr_vocab vocab;
	size_t i;
	char *err;
	int d;

	if (p->text[HK_NAME] == NULL)
		loader_error(ld, 1, "[hospital] name is missing");
	if (!ld->have_depts)
		loader_error(ld, 1, "[departments] is missing or empty (use "
		    "'* = in_person' when any department is offered)");
	if (!p->fees[PROFILE_MODE_IN_PERSON].set ||
	    p->fees[PROFILE_MODE_IN_PERSON].basis == NULL)
		loader_error(ld, 1, "[fee in_person] needs yen and basis");
	if (p->fees[PROFILE_MODE_ONLINE].nsteps > 0 &&
	    !p->fees[PROFILE_MODE_ONLINE].set)
		loader_error(ld, 1, "[fee online] needs yen and basis");
	if (p->fees[PROFILE_MODE_ONLINE].set &&
	    p->fees[PROFILE_MODE_ONLINE].basis == NULL)
		loader_error(ld, 1, "[fee online] needs basis");
	for (i = 0; i < p->naliases; i++) {
		struct alias *a = &p->aliases[i];
		char *norm = expr_normalize(a->target);

		d = dept_index(p, norm);
		free(norm);
		if (d < 0 || strcmp(p->depts[d].name, "*") == 0)
			loader_error(ld, a->line, "alias '%s': unknown "
			    "department '%s' (not in [departments])",
			    a->alias, a->target);
		else
			a->dept = d;
	}
	vocab.department = vocab_department;
	vocab.arg = p;
	vocab.age_of_majority = p->age_of_majority;
	for (i = 0; i < ld->npend; i++) {
		if (expr_parse(ld->pend[i].text, &vocab,
		    pend_slot(p, &ld->pend[i]), &err) != 0) {
			loader_error(ld, ld->pend[i].line, "when: %s", err);
			free(err);
		}
	}
	for (i = 0; i < p->nneeds; i++) {
		struct profile_need *n = &p->needs[i];

		if (n->doc == DOC__COUNT)
			loader_error(ld, n->line, "[need %s]: doc is missing",
			    n->label);
		if (n->rule == NULL)
			n->rule = xstrdup(n->label);
		if (n->by == NULL)
			n->by = due_text(n);
	}
	for (i = 0; i < p->nflags; i++) {
		struct profile_flag *f = &p->flags[i];

		if (f->id == NULL)
			loader_error(ld, f->line, "[flag %s]: id is missing",
			    f->label);
		if (f->nkeywords == 0 && f->match_none)
			loader_error(ld, f->line, "[flag %s]: match = none "
			    "needs keywords", f->label);
		if (f->nkeywords == 0 && f->fields != 0)
			loader_error(ld, f->line, "[flag %s]: fields without "
			    "keywords", f->label);
		if (f->fields == 0)
			f->fields = 1u << FIELD_CONSULTATION_TOPIC;
		if (f->rule == NULL)
			f->rule = xstrdup(f->label);
	}
}

/* Flags with neither a condition nor keywords. */
static void
check_flags_conditions(struct loader *ld)
{
	struct profile *p = ld->p;
	size_t i;

	for (i = 0; i < p->nflags; i++) {
		struct profile_flag *f = &p->flags[i];
		size_t j;
		int has_when = 0;

		for (j = 0; j < ld->npend; j++)
			if (ld->pend[j].is_flag && ld->pend[j].idx == i)
				has_when = 1;
		if (!has_when && f->nkeywords == 0)
			loader_error(ld, f->line, "[flag %s]: needs when or "
			    "keywords", f->label);
	}
}

/* Sort "FILE:LINE: msg" lines by line, keeping the order within one. */
static int
err_line(const char *s, size_t plen)
{
	return s[plen] == ':' ? atoi(s + plen + 1) : 0;
}

static char *
sort_errors(char *errs, const char *path)
{
	size_t n = 0, i, j, plen = strlen(path);
	char **v = NULL, *line, *save = NULL, *t;
	struct buf b;

	for (line = strtok_r(errs, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n++] = line;
	}
	for (i = 1; i < n; i++)		/* insertion sort: stable, short */
		for (j = i; j > 0 && err_line(v[j - 1], plen) >
		    err_line(v[j], plen); j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	buf_init(&b, PROFILE_MAX_ERRS * 2);
	for (i = 0; i < n; i++)
		(void)buf_printf(&b, "%s\n", v[i]);
	free(v);
	free(errs);
	return buf_take(&b);
}

static char *
dir_base(const char *dir)
{
	const char *e = dir + strlen(dir), *b;

	while (e > dir && e[-1] == '/')
		e--;
	for (b = e; b > dir && b[-1] != '/'; b--)
		;
	return xstrndup(b, (size_t)(e - b));
}

int
profile_load(const char *dir, struct profile **ret, char **errs)
{
	struct loader ld;
	struct profile *p;
	char *ierrs = NULL;
	size_t i;

	memset(&ld, 0, sizeof(ld));
	buf_init(&ld.errs, PROFILE_MAX_ERRS);
	p = ld.p = xcalloc(1, sizeof(*p));
	p->id = dir_base(dir);
	{
		size_t len = strlen(dir);

		while (len > 1 && dir[len - 1] == '/')
			len--;
		xasprintf(&p->path, "%.*s/profile.ini", (int)len, dir);
	}
	p->lead_days = -1;
	p->age_of_majority = 18;
	p->application_form = 1;
	ld.section[0] = '\x01';		/* matches no section name */

	if (ini_read(p->path, on_key, &ld, &ierrs) != 0) {
		ld.nerrs++;
		(void)buf_addstr(&ld.errs, ierrs);
		free(ierrs);
	}
	/* A file that could not be opened has nothing more to check. */
	if (ld.nerrs == 0 || p->text[HK_NAME] != NULL || p->ndepts > 0 ||
	    p->nneeds > 0) {
		check_profile(&ld);
		check_flags_conditions(&ld);
	}
	for (i = 0; i < ld.npend; i++)
		free(ld.pend[i].text);
	free(ld.pend);
	if (ld.nerrs > 0) {
		*errs = sort_errors(buf_take(&ld.errs), p->path);
		profile_free(p);
		return -EINVAL;
	}
	buf_free(&ld.errs);
	*errs = NULL;
	*ret = p;
	return 0;
}

void
profile_free(struct profile *p)
{
	size_t i;
	int k;

	if (p == NULL)
		return;
	free(p->id);
	free(p->path);
	for (k = 0; k < HK__TEXT; k++)
		free(p->text[k]);
	for (i = 0; i < p->ndepts; i++) {
		free(p->depts[i].name);
		free(p->depts[i].norm);
	}
	free(p->depts);
	for (i = 0; i < p->naliases; i++) {
		free(p->aliases[i].alias);
		free(p->aliases[i].norm);
		free(p->aliases[i].target);
	}
	free(p->aliases);
	for (k = 0; k < DOC__COUNT; k++)
		free(p->docnames[k]);
	for (i = 0; i < p->nneeds; i++) {
		struct profile_need *n = &p->needs[i];

		free(n->label);
		expr_free(n->when);
		free(n->by);
		free(n->rule);
	}
	free(p->needs);
	for (i = 0; i < p->nflags; i++) {
		struct profile_flag *f = &p->flags[i];

		free(f->label);
		free(f->id);
		expr_free(f->when);
		free_list(f->keywords, f->nkeywords);
		free_list(f->keywords_norm, f->nkeywords);
		free(f->rule);
	}
	free(p->flags);
	for (k = 0; k < PROFILE_MODE__COUNT; k++) {
		free(p->fees[k].basis);
		free_list(p->fees[k].steps, p->fees[k].nsteps);
	}
	free_list(p->extra.steps, p->extra.nsteps);
	free(p);
}

/* ---- accessors ---- */

const char *
profile_id(const struct profile *p)
{
	return p->id;
}

const char *
profile_path(const struct profile *p)
{
	return p->path;
}

const char *
profile_name(const struct profile *p)
{
	return p->text[HK_NAME];
}

const char *
profile_office(const struct profile *p)
{
	return p->text[HK_OFFICE];
}

const char *
profile_postcode(const struct profile *p)
{
	return p->text[HK_POSTCODE];
}

const char *
profile_address(const struct profile *p)
{
	return p->text[HK_ADDRESS];
}

const char *
profile_tel(const struct profile *p)
{
	return p->text[HK_TEL];
}

const char *
profile_fax(const struct profile *p)
{
	return p->text[HK_FAX];
}

const char *
profile_hours(const struct profile *p)
{
	return p->text[HK_HOURS];
}

const char *
profile_apply_by(const struct profile *p)
{
	return p->text[HK_APPLY_BY];
}

const char *
profile_scope(const struct profile *p)
{
	return p->text[HK_SCOPE];
}

const char *
profile_lead_time(const struct profile *p)
{
	return p->text[HK_LEAD_TIME];
}

int
profile_lead_days(const struct profile *p)
{
	return p->lead_days;
}

int
profile_age_of_majority(const struct profile *p)
{
	return p->age_of_majority;
}

int
profile_application_form(const struct profile *p)
{
	return p->application_form;
}

size_t
profile_department_count(const struct profile *p)
{
	return p->ndepts;
}

const struct profile_department *
profile_department(const struct profile *p, size_t i)
{
	return i < p->ndepts ? &p->depts[i] : NULL;
}

const struct profile_department *
profile_department_find(const struct profile *p, const char *name)
{
	const struct profile_department *res = NULL;
	char *norm = expr_normalize(name);
	size_t i;
	int d;

	if ((d = dept_index(p, norm)) >= 0 && strcmp(norm, "*") != 0)
		res = &p->depts[d];
	for (i = 0; res == NULL && i < p->naliases; i++)
		if (p->aliases[i].dept >= 0 &&
		    strcmp(p->aliases[i].norm, norm) == 0)
			res = &p->depts[p->aliases[i].dept];
	free(norm);
	return res;
}

int
profile_department_offers(const struct profile *p, const char *name,
    enum profile_mode mode)
{
	const struct profile_department *d;
	int any;

	if ((d = profile_department_find(p, name)) != NULL)
		return d->modes[mode];
	if ((any = dept_index(p, "*")) >= 0)
		return p->depts[any].modes[mode];
	return 0;
}

int
profile_offers_mode(const struct profile *p, enum profile_mode mode)
{
	size_t i;

	for (i = 0; i < p->ndepts; i++)
		if (p->depts[i].modes[mode])
			return 1;
	return 0;
}

const char *
profile_doc_name(const struct profile *p, enum doc_type d)
{
	if ((unsigned)d >= DOC__COUNT)
		return NULL;
	return p->docnames[d] != NULL ? p->docnames[d] : doc_type_name_ja(d);
}

size_t
profile_need_count(const struct profile *p)
{
	return p->nneeds;
}

size_t
profile_flag_count(const struct profile *p)
{
	return p->nflags;
}

const struct profile_need *
profile_need(const struct profile *p, size_t i)
{
	return i < p->nneeds ? &p->needs[i] : NULL;
}

const struct profile_flag *
profile_flag(const struct profile *p, size_t i)
{
	return i < p->nflags ? &p->flags[i] : NULL;
}

const struct profile_fee *
profile_fee(const struct profile *p, enum profile_mode m)
{
	return &p->fees[m];
}

const struct profile_fee *
profile_fee_extra(const struct profile *p)
{
	return &p->extra;
}

int
profile_id_valid(const char *id)
{
	const char *s;

	if (*id == '\0' || strlen(id) > 64)
		return 0;
	for (s = id; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-' || *s == '_'))
			return 0;
	return 1;
}
