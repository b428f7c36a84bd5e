/* cases.c — attach, evaluate, describe. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "faxintake/jsonout.h"

#include "faxintake/casematch.h"
#include "faxintake/cases.h"
#include "faxintake/facts.h"
#include "faxintake/reader.h"
#include "faxintake/rules.h"
#include "faxintake/util.h"
#include "faxintake/xmalloc.h"

static const char *
field_value(const struct store_field *fs, size_t n, const char *id, double *conf)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(fs[i].field, id) == 0) {
			if (conf)
				*conf = fs[i].set_by ? 1.0 : fs[i].confidence;
			return fs[i].value;
		}
	return NULL;
}

/* What casematch needs of the open cases of a hospital. */
struct identities {
	struct store_case	*cases;
	size_t			 n;
	struct casematch_case	*cm;
	struct store_field	**fields;
	size_t			*nfields;
	char			***senders;
	size_t			*nsenders;
};

static void
identities_free(struct identities *ids)
{
	for (size_t i = 0; i < ids->n; i++) {
		if (ids->fields)
			store_fields_free(ids->fields[i], ids->nfields[i]);
		if (ids->senders)
			store_strings_free(ids->senders[i], ids->nsenders[i]);
	}
	free(ids->fields);
	free(ids->nfields);
	free(ids->senders);
	free(ids->nsenders);
	free(ids->cm);
	store_cases_free(ids->cases, ids->n);
}

static int
identities_load(struct store *st, const char *hospital, struct identities *ids)
{
	int rc;

	memset(ids, 0, sizeof(*ids));
	if ((rc = store_case_open_list(st, hospital, &ids->cases, &ids->n)) != 0)
		return rc;
	ids->cm = xcalloc(ids->n ? ids->n : 1, sizeof(*ids->cm));
	ids->fields = xcalloc(ids->n ? ids->n : 1, sizeof(*ids->fields));
	ids->nfields = xcalloc(ids->n ? ids->n : 1, sizeof(*ids->nfields));
	ids->senders = xcalloc(ids->n ? ids->n : 1, sizeof(*ids->senders));
	ids->nsenders = xcalloc(ids->n ? ids->n : 1, sizeof(*ids->nsenders));
	for (size_t i = 0; i < ids->n; i++) {
		struct casematch_case *c = &ids->cm[i];

		if ((rc = store_case_fields(st, ids->cases[i].id, &ids->fields[i],
		    &ids->nfields[i])) != 0 ||
		    (rc = store_case_senders(st, ids->cases[i].id,
		    &ids->senders[i], &ids->nsenders[i])) != 0)
			return rc;
		c->id = ids->cases[i].id;
		c->name = field_value(ids->fields[i], ids->nfields[i],
		    "patient_name", NULL);
		c->birth = field_value(ids->fields[i], ids->nfields[i],
		    "patient_birth_date", NULL);
		c->clinic_fax = field_value(ids->fields[i], ids->nfields[i],
		    "referring_fax", NULL);
		c->clinic = field_value(ids->fields[i], ids->nfields[i],
		    "referring_hospital", NULL);
		c->senders = (const char *const *)ids->senders[i];
		c->nsenders = ids->nsenders[i];
		c->last_arrival = ids->cases[i].last_arrival;
	}
	return 0;
}

int
cases_attach(const struct cases_env *env, const struct cases_arrival *a,
    char ret_id[STORE_CASE_ID_LEN], int *ret_created)
{
	struct identities ids;
	struct store_case c;
	char why[160], id[STORE_CASE_ID_LEN];
	enum casematch_result m = CASEMATCH_NONE;
	size_t idx = 0;
	int rc;

	*ret_created = 0;
	/* The case id on faxintake's own cover sheet decides. */
	if (a->qr_case && store_case_get(env->st, a->qr_case, &c) == 0) {
		int same = strcmp(c.hospital, a->hospital) == 0;

		store_case_clear(&c);
		if (same) {
			snprintf(id, sizeof(id), "%s", a->qr_case);
			goto attach;
		}
	}
	if ((rc = identities_load(env->st, a->hospital, &ids)) != 0) {
		identities_free(&ids);
		return rc;
	}
	{
		struct casematch_probe p = {
			.name = a->name, .name_conf = a->name_conf,
			.birth = a->birth, .birth_conf = a->birth_conf,
			.sender = a->sender, .clinic = a->clinic,
			.now = a->received,
			.window = a->window, .threshold = env->threshold,
		};
		m = casematch_find(&p, ids.cm, ids.n, &idx, why, sizeof(why));
	}
	if (m == CASEMATCH_ONE)
		snprintf(id, sizeof(id), "%s", ids.cases[idx].id);
	identities_free(&ids);
	if (m != CASEMATCH_ONE) {
		if ((rc = store_case_create(env->st, a->hospital, a->received,
		    id)) != 0)
			return rc;
		*ret_created = 1;
		(void)store_event_add(env->st, env->actor, "case_created", id,
		    a->file_id, NULL);
		if ((m == CASEMATCH_AMBIGUOUS || m == CASEMATCH_POSSIBLE) &&
		    (rc = store_case_add_review(env->st, id,
		    "review:ambiguous_case", why)) != 0)
			return rc;
	}
attach:
	if ((rc = store_case_touch(env->st, id, a->received)) != 0)
		return rc;
	memcpy(ret_id, id, STORE_CASE_ID_LEN);
	return 0;
}

/* Readings of several files weighed together: see cases.h. */
int
cases_consensus(const struct cases_env *env, const char *case_id,
    long long file_id)
{
	struct reader_file rf;
	struct reader_document *now = NULL;	/* the values as stored */
	struct store_document *ds;
	long long *ids = NULL, first_file = 0;
	size_t nd, cap, nlive = 0, changed = 0;
	int rc, several = 0;

	if ((rc = store_case_documents(env->st, case_id, &ds, &nd)) != 0)
		return rc;
	for (size_t i = 0; i < nd; i++)
		if (ds[i].superseded_by)
			continue;
		else if (first_file == 0)
			first_file = ds[i].file_id;
		else if (ds[i].file_id != first_file)
			several = 1;
	memset(&rf, 0, sizeof(rf));
	cap = nd ? nd : 1;
	rf.docs = xcalloc(cap, sizeof(*rf.docs));
	now = xcalloc(cap, sizeof(*now));
	ids = xcalloc(cap * READER_MAX_FIELDS, sizeof(*ids));
	/* each reading as its file gave it: the consensus starts from
	 * those every time, so a document moved out takes its part away */
	for (size_t i = 0; i < nd && rc == 0; i++) {
		struct reader_document *d = &rf.docs[nlive];
		struct store_field *fs;
		size_t nf;

		if (ds[i].superseded_by)
			continue;
		if ((rc = store_document_fields(env->st, ds[i].id, &fs,
		    &nf)) != 0)
			break;
		for (size_t k = 0; k < nf && d->nfields < READER_MAX_FIELDS;
		    k++) {
			struct extract_field *f = &d->fields[d->nfields];
			struct extract_field *g = &now[nlive].fields[d->nfields];
			int id = field_id_parse(fs[k].field);

			if (id < 0 || fs[k].set_by || fs[k].value == NULL ||
			    fs[k].read_value == NULL)
				continue;
			f->id = g->id = (enum field_id)id;
			snprintf(f->value, sizeof(f->value), "%s",
			    fs[k].read_value);
			f->confidence = fs[k].read_confidence;
			f->page = fs[k].pageno;
			snprintf(g->value, sizeof(g->value), "%s", fs[k].value);
			g->confidence = fs[k].confidence;
			ids[nlive * READER_MAX_FIELDS + d->nfields++] = fs[k].id;
		}
		store_fields_free(fs, nf);
		nlive++;
	}
	if (rc != 0)
		goto out;
	rf.ndocs = nlive;
	rf.napplications = 1;
	/* one file's readings were weighed when it was read */
	if (several)
		reader_consensus(&rf);
	for (size_t i = 0; i < nlive && rc == 0; i++)
		for (size_t k = 0; k < rf.docs[i].nfields && rc == 0; k++) {
			const struct extract_field *f = &rf.docs[i].fields[k];
			const struct extract_field *g = &now[i].fields[k];

			if (strcmp(f->value, g->value) == 0 &&
			    f->confidence == g->confidence)
				continue;
			rc = store_field_update(env->st,
			    ids[i * READER_MAX_FIELDS + k], f->value,
			    f->confidence);
			changed++;
		}
	if (rc == 0 && changed) {
		char detail[96];

		snprintf(detail, sizeof(detail), "readings changed by "
		    "weighing the case's files together: %zu", changed);
		rc = store_event_add(env->st, env->actor, "fields_agreed",
		    case_id, file_id, detail);
	}
out:
	free(ids);
	free(now);
	free(rf.docs);
	store_documents_free(ds, nd);
	return rc;
}

/* The facts the rules take, from what the store knows of the case. */
static int
facts_load(struct store *st, const struct store_case *c, struct facts *f)
{
	struct store_document *ds;
	struct store_field *fs;
	char day[UTIL_ISO_LEN];
	size_t nd, nf;
	int rc;

	facts_init(f);
	util_date_iso(c->received, day);
	(void)facts_date_parse(day, &f->received_y, &f->received_m,
	    &f->received_d);
	if ((rc = store_case_documents(st, c->id, &ds, &nd)) != 0)
		return rc;
	f->docs = xcalloc(nd ? nd : 1, sizeof(*f->docs));
	for (size_t i = 0; i < nd; i++) {
		int t = doc_type_parse(ds[i].type);

		if (ds[i].superseded_by || t < 0)
			continue;
		f->docs[f->ndocs].type = (enum doc_type)t;
		f->docs[f->ndocs].language = ds[i].language ?
		    xstrdup(ds[i].language) : NULL;
		f->docs[f->ndocs].dedicated_form = ds[i].dedicated_form ?
		    FACT_YES : FACT_NO;
		f->ndocs++;
	}
	store_documents_free(ds, nd);
	if ((rc = store_case_fields(st, c->id, &fs, &nf)) != 0)
		return rc;
	for (size_t i = 0; i < nf; i++) {
		int id = field_id_parse(fs[i].field);

		if (id < 0 || fs[i].value == NULL)
			continue;
		free(f->fields[id].value);
		f->fields[id].value = xstrdup(fs[i].value);
		f->fields[id].confidence = fs[i].set_by ? 1.0 : fs[i].confidence;
	}
	store_fields_free(fs, nf);
	return 0;
}

static int
is_resolved(char **resolved, size_t n, const char *flag)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(resolved[i], flag) == 0)
			return 1;
	return 0;
}

/*
 * The stored result: the rules' JSON, with the assembly's own review
 * flags added and every flag marked resolved or not.  *unresolved counts
 * the open ones.
 */
static json_object *
result_build(const struct rules_result *r, const struct store_case *c,
    char **resolved, size_t nresolved, int *unresolved)
{
	char *text = rules_result_json(r, 0);
	json_object *o = json_tokener_parse(text), *flags;
	size_t n;

	free(text);
	if (o == NULL)
		return NULL;
	if (!json_object_object_get_ex(o, "flags", &flags)) {
		flags = json_object_new_array();
		json_object_object_add(o, "flags", flags);
	}
	/* The assembly's flags ("id\tevidence" lines). */
	for (const char *p = c->review; p && *p;) {
		const char *tab = strchr(p, '\t'), *nl = strchr(p, '\n');
		json_object *fl;

		if (tab == NULL || nl == NULL || tab > nl)
			break;
		fl = json_object_new_object();
		json_object_object_add(fl, "id",
		    json_object_new_string_len(p, (int)(tab - p)));
		json_object_object_add(fl, "rule", json_object_new_string(
		    "faxintake: documents could not be attached with certainty"));
		json_object_object_add(fl, "evidence",
		    json_object_new_string_len(tab + 1, (int)(nl - tab - 1)));
		json_object_array_add(flags, fl);
		p = nl + 1;
	}
	*unresolved = 0;
	n = json_object_array_length(flags);
	for (size_t i = 0; i < n; i++) {
		json_object *fl = json_object_array_get_idx(flags, i), *id;
		int res = json_object_object_get_ex(fl, "id", &id) &&
		    is_resolved(resolved, nresolved, json_object_get_string(id));

		json_object_object_add(fl, "resolved", json_object_new_boolean(res));
		if (!res)
			(*unresolved)++;
	}
	return o;
}

int
cases_evaluate(const struct cases_env *env, const struct profile *prof,
    const char *case_id, int settle, char **ret_status)
{
	struct rules_result r;
	struct store_case c;
	struct facts f;
	json_object *o;
	char **resolved = NULL;
	size_t nresolved = 0;
	const char *status;
	int rc, unresolved = 0;

	if ((rc = store_case_get(env->st, case_id, &c)) != 0)
		return rc;
	if ((rc = facts_load(env->st, &c, &f)) != 0 ||
	    (rc = store_flags_resolved(env->st, case_id, &resolved,
	    &nresolved)) != 0) {
		facts_clear(&f);
		store_case_clear(&c);
		return rc;
	}
	rc = rules_eval(prof, &f, env->threshold, &r);
	facts_clear(&f);
	if (rc != 0) {
		store_strings_free(resolved, nresolved);
		store_case_clear(&c);
		return rc;
	}
	o = result_build(&r, &c, resolved, nresolved, &unresolved);
	if (strcmp(c.status, "accepted") == 0 || strcmp(c.status, "declined") == 0)
		status = c.status;
	else if (strcmp(c.status, "receiving") == 0 && !settle)
		status = "receiving";
	else if (unresolved > 0)
		status = "needs_review";
	else if (r.nmissing > 0)
		status = "incomplete";
	else
		status = "complete";
	if (o)
		json_object_object_add(o, "status", json_object_new_string(status));
	rc = o == NULL ? -EINVAL : store_case_set_result(env->st, case_id, status,
	    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE),
	    strcmp(status, "receiving") != 0 && c.settled &&
	    strcmp(status, c.status) == 0);
	if (rc == 0 && strcmp(status, c.status) != 0)
		(void)store_event_add(env->st, env->actor, "status", case_id, 0,
		    status);
	if (rc == 0 && ret_status)
		*ret_status = xstrdup(status);
	json_object_put(o);
	rules_result_free(&r);
	store_strings_free(resolved, nresolved);
	store_case_clear(&c);
	return rc;
}

int
cases_rules(const struct cases_env *env, const struct profile *prof,
    const char *case_id, struct facts *ret_facts, struct rules_result *ret)
{
	struct store_case c;
	int rc;

	if ((rc = store_case_get(env->st, case_id, &c)) != 0)
		return rc;
	rc = facts_load(env->st, &c, ret_facts);
	store_case_clear(&c);
	if (rc == 0)
		rc = rules_eval(prof, ret_facts, env->threshold, ret);
	if (rc != 0)
		facts_clear(ret_facts);
	return rc;
}

/* --- the case as JSON ---------------------------------------------------- */

static json_object *
fields_json(const struct store_field *fs, size_t n)
{
	json_object *o = json_object_new_object();

	for (size_t i = 0; i < n; i++) {
		json_object *f = json_object_new_object(), *src;

		json_object_object_add(f, "value", jsonout_str(fs[i].value));
		json_object_object_add(f, "raw", jsonout_str(fs[i].raw));
		json_object_object_add(f, "confidence",
		    json_object_new_double(fs[i].set_by ? 1.0 : fs[i].confidence));
		if (fs[i].set_by) {
			json_object_object_add(f, "set_by", jsonout_str(fs[i].set_by));
			src = NULL;
		} else {
			src = json_object_new_object();
			json_object_object_add(src, "file", jsonout_str(fs[i].file_sha));
			json_object_object_add(src, "page",
			    json_object_new_int(fs[i].pageno));
		}
		json_object_object_add(f, "source", src);
		json_object_object_add(o, fs[i].field, f);
	}
	return o;
}

static json_object *
documents_json(const struct store_document *ds, size_t n)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++) {
		json_object *d = json_object_new_object(), *pages;

		json_object_object_add(d, "id", jsonout_id(ds[i].id));
		json_object_object_add(d, "type", jsonout_str(ds[i].type));
		json_object_object_add(d, "file", jsonout_str(ds[i].file_sha));
		pages = json_object_new_array();
		for (int p = ds[i].first_page; p <= ds[i].last_page; p++)
			json_object_array_add(pages, json_object_new_int(p));
		json_object_object_add(d, "pages", pages);
		json_object_object_add(d, "dedicated_form",
		    json_object_new_boolean(ds[i].dedicated_form));
		json_object_object_add(d, "language", jsonout_str(ds[i].language));
		json_object_object_add(d, "confidence",
		    json_object_new_double(ds[i].confidence));
		if (ds[i].superseded_by)
			json_object_object_add(d, "superseded_by",
			    jsonout_id(ds[i].superseded_by));
		json_object_array_add(a, d);
	}
	return a;
}

static json_object *
letters_json(const struct store_letter *ls, size_t n)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++) {
		json_object *l = json_object_new_object();

		json_object_object_add(l, "id", jsonout_id(ls[i].id));
		json_object_object_add(l, "kind", jsonout_str(ls[i].kind));
		json_object_object_add(l, "channel", jsonout_str(ls[i].channel));
		json_object_object_add(l, "pdf", jsonout_str(ls[i].pdf));
		json_object_object_add(l, "tiff", jsonout_str(ls[i].tiff));
		json_object_object_add(l, "to_fax", jsonout_str(ls[i].to_fax));
		json_object_object_add(l, "status", jsonout_str(ls[i].status));
		json_object_object_add(l, "attempts",
		    json_object_new_int(ls[i].attempts));
		json_object_object_add(l, "created", jsonout_time(ls[i].created));
		json_object_object_add(l, "text", jsonout_str(ls[i].text));
		json_object_array_add(a, l);
	}
	return a;
}

int
cases_json(const struct cases_env *env, const char *case_id, int pretty,
    char **ret)
{
	static const char *const from_result[] = {
		"missing", "due_later", "recommended", "flags", "fee",
	};
	struct store_document *ds = NULL;
	struct store_letter *ls = NULL;
	struct store_field *fs = NULL;
	size_t nd = 0, nl = 0, nf = 0;
	struct store_case c;
	json_object *o, *res = NULL;
	int rc;

	if ((rc = store_case_get(env->st, case_id, &c)) != 0)
		return rc;
	if ((rc = store_case_fields(env->st, case_id, &fs, &nf)) != 0 ||
	    (rc = store_case_documents(env->st, case_id, &ds, &nd)) != 0 ||
	    (rc = store_case_letters(env->st, case_id, &ls, &nl)) != 0)
		goto out;
	o = json_object_new_object();
	json_object_object_add(o, "id", jsonout_str(c.id));
	json_object_object_add(o, "hospital", jsonout_str(c.hospital));
	json_object_object_add(o, "received", jsonout_time(c.received));
	json_object_object_add(o, "status", jsonout_str(c.status));
	json_object_object_add(o, "fields", fields_json(fs, nf));
	json_object_object_add(o, "documents", documents_json(ds, nd));
	if (c.result)
		res = json_tokener_parse(c.result);
	for (size_t i = 0; i < sizeof(from_result) / sizeof(from_result[0]); i++) {
		json_object *v = NULL;

		if (res && json_object_object_get_ex(res, from_result[i], &v))
			json_object_get(v);
		else if (strcmp(from_result[i], "fee") != 0)
			v = json_object_new_array();
		json_object_object_add(o, from_result[i], v);
	}
	json_object_object_add(o, "letters", letters_json(ls, nl));
	*ret = xstrdup(json_object_to_json_string_ext(o, (pretty ?
	    JSON_C_TO_STRING_PRETTY : JSON_C_TO_STRING_PLAIN) |
	    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	json_object_put(res);
out:
	store_fields_free(fs, nf);
	store_documents_free(ds, nd);
	store_letters_free(ls, nl);
	store_case_clear(&c);
	return rc;
}
