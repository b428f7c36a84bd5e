/*
 * facts_json.c — the facts vocabulary (document types, field ids), facts
 * JSON -> struct facts, and struct rules_result -> JSON, in DESIGN.md's
 * shapes.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "faxintake/facts.h"
#include "faxintake/rules.h"
#include "faxintake/xmalloc.h"

#define FACTS_MAX_DOCS		1000
#define FACTS_MAX_VALUE		4096

static const char *const doc_names[DOC__COUNT] = {
	"application_form", "referral_letter", "consent_form",
	"relationship_proof", "lab_results", "imaging_report",
	"pathology_report", "cover_sheet", "other"
};

static const char *const doc_names_ja[DOC__COUNT] = {
	"セカンドオピニオン外来申込書", "診療情報提供書(紹介状)", "同意書",
	"続柄を確認できる書類", "検査結果", "画像診断報告書",
	"病理検査報告書", "FAX送付状", "その他の書類"
};

static const char *const field_names[FIELD__COUNT] = {
	"patient_name", "patient_name_kana", "patient_sex",
	"patient_birth_date", "patient_age", "patient_phone",
	"patient_address", "patient_attends", "applicant_name",
	"applicant_relationship", "applicant_phone", "applicant_fax",
	"applicant_address", "department", "desired_doctor",
	"consultation_mode", "imaging_media", "referring_hospital",
	"referring_doctor", "referring_phone", "referring_fax", "diagnosis",
	"consultation_topic", "attending_approval"
};

const char *
doc_type_name(enum doc_type d)
{
	return (unsigned)d < DOC__COUNT ? doc_names[d] : "other";
}

const char *
doc_type_name_ja(enum doc_type d)
{
	return (unsigned)d < DOC__COUNT ? doc_names_ja[d] : "その他の書類";
}

int
doc_type_parse(const char *s)
{
	int i;

	for (i = 0; i < DOC__COUNT; i++)
		if (strcmp(doc_names[i], s) == 0)
			return i;
	return -1;
}

const char *
field_id_name(enum field_id f)
{
	return (unsigned)f < FIELD__COUNT ? field_names[f] : "unknown";
}

int
field_id_parse(const char *s)
{
	int i;

	for (i = 0; i < FIELD__COUNT; i++)
		if (strcmp(field_names[i], s) == 0)
			return i;
	return -1;
}

int
facts_date_parse(const char *s, int *y, int *m, int *d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };
	int yy, mm, dd, max, i;

	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return -EINVAL;
		} else if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
	}
	/* A date, or the date part of an ISO 8601 time. */
	if (s[10] != '\0' && s[10] != 'T')
		return -EINVAL;
	yy = atoi(s);
	mm = atoi(s + 5);
	dd = atoi(s + 8);
	if (yy < 1868 || mm < 1 || mm > 12 || dd < 1)
		return -EINVAL;
	max = mdays[mm - 1];
	if (mm == 2 && ((yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0))
		max = 29;
	if (dd > max)
		return -EINVAL;
	*y = yy;
	*m = mm;
	*d = dd;
	return 0;
}

void
facts_init(struct facts *f)
{
	int i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < FIELD__COUNT; i++)
		f->fields[i].confidence = 1.0;
}

void
facts_clear(struct facts *f)
{
	size_t i;
	int k;

	for (i = 0; i < f->ndocs; i++)
		free(f->docs[i].language);
	free(f->docs);
	for (k = 0; k < FIELD__COUNT; k++)
		free(f->fields[k].value);
	facts_init(f);
}

static int
fail(char **err, const char *fmt, const char *arg)
{
	xasprintf(err, fmt, arg);
	return -EINVAL;
}

static int
parse_doc(struct json_object *o, size_t idx, struct fact_doc *d, char **err)
{
	struct json_object *v;
	const char *s;
	char where[32];
	int t;

	snprintf(where, sizeof(where), "documents[%zu]", idx);
	if (!json_object_is_type(o, json_type_object))
		return fail(err, "%s: not an object", where);
	if (!json_object_object_get_ex(o, "type", &v) ||
	    !json_object_is_type(v, json_type_string))
		return fail(err, "%s: \"type\" missing or not a string",
		    where);
	s = json_object_get_string(v);
	if ((t = doc_type_parse(s)) < 0) {
		xasprintf(err, "%s: unknown document type \"%s\"", where, s);
		return -EINVAL;
	}
	d->type = t;
	if (json_object_object_get_ex(o, "language", &v) && v != NULL) {
		if (!json_object_is_type(v, json_type_string) ||
		    json_object_get_string_len(v) == 0 ||
		    json_object_get_string_len(v) > 16)
			return fail(err, "%s: \"language\" must be a short "
			    "string such as \"ja\"", where);
		d->language = xstrdup(json_object_get_string(v));
	}
	if (json_object_object_get_ex(o, "dedicated_form", &v) && v != NULL) {
		if (!json_object_is_type(v, json_type_boolean))
			return fail(err, "%s: \"dedicated_form\" must be true "
			    "or false", where);
		d->dedicated_form = json_object_get_boolean(v) ? FACT_YES :
		    FACT_NO;
	}
	return 0;
}

static int
parse_field(const char *name, struct json_object *o, struct fact_field *f,
    char **err)
{
	struct json_object *v = o, *c;
	double conf;

	if (json_object_is_type(o, json_type_object)) {
		if (!json_object_object_get_ex(o, "value", &v))
			v = NULL;
		if (json_object_object_get_ex(o, "confidence", &c) &&
		    c != NULL) {
			if (!json_object_is_type(c, json_type_double) &&
			    !json_object_is_type(c, json_type_int))
				return fail(err, "fields.%s: \"confidence\" "
				    "is not a number", name);
			conf = json_object_get_double(c);
			if (!isfinite(conf) || conf < 0 || conf > 1)
				return fail(err, "fields.%s: \"confidence\" "
				    "must be between 0 and 1", name);
			f->confidence = conf;
		}
	}
	if (v == NULL)
		return 0;		/* not read */
	switch (json_object_get_type(v)) {
	case json_type_string:
		if (json_object_get_string_len(v) > FACTS_MAX_VALUE)
			return fail(err, "fields.%s: value too long", name);
		if (json_object_get_string_len(v) > 0)
			f->value = xstrdup(json_object_get_string(v));
		break;
	case json_type_int:
	case json_type_double:
		f->value = xstrdup(json_object_get_string(v));
		break;
	case json_type_boolean:
		f->value = xstrdup(json_object_get_boolean(v) ? "yes" : "no");
		break;
	default:
		return fail(err, "fields.%s: value must be a string, number "
		    "or null", name);
	}
	return 0;
}

int
facts_from_json(const char *text, struct facts *ret, char **err)
{
	struct json_tokener *tok;
	struct json_object *root, *v;
	enum json_tokener_error jerr;
	size_t i, n;
	int rc = 0, fid;

	tok = json_tokener_new();
	root = json_tokener_parse_ex(tok, text, (int)strlen(text));
	jerr = json_tokener_get_error(tok);
	if (root == NULL || jerr != json_tokener_success) {
		xasprintf(err, "not valid JSON: %s (at byte %zu)",
		    root == NULL && jerr == json_tokener_continue ?
		    "unexpected end" : json_tokener_error_desc(jerr),
		    json_tokener_get_parse_end(tok));
		json_object_put(root);
		json_tokener_free(tok);
		return -EINVAL;
	}
	json_tokener_free(tok);
	if (!json_object_is_type(root, json_type_object)) {
		rc = fail(err, "%s", "facts must be a JSON object");
		goto out;
	}
	if (!json_object_object_get_ex(root, "received", &v) ||
	    !json_object_is_type(v, json_type_string)) {
		rc = fail(err, "%s", "\"received\" (YYYY-MM-DD) is missing");
		goto out;
	}
	if (facts_date_parse(json_object_get_string(v), &ret->received_y,
	    &ret->received_m, &ret->received_d) != 0) {
		rc = fail(err, "\"received\": \"%s\" is not a date "
		    "YYYY-MM-DD", json_object_get_string(v));
		goto out;
	}
	if (json_object_object_get_ex(root, "documents", &v) && v != NULL) {
		if (!json_object_is_type(v, json_type_array)) {
			rc = fail(err, "%s", "\"documents\" must be an array");
			goto out;
		}
		n = json_object_array_length(v);
		if (n > FACTS_MAX_DOCS) {
			rc = fail(err, "%s", "too many documents");
			goto out;
		}
		ret->docs = xcalloc(n > 0 ? n : 1, sizeof(*ret->docs));
		for (i = 0; i < n && rc == 0; i++) {
			ret->docs[i].dedicated_form = FACT_UNKNOWN;
			ret->ndocs = i + 1;
			rc = parse_doc(json_object_array_get_idx(v, i), i,
			    &ret->docs[i], err);
		}
		if (rc != 0)
			goto out;
	}
	if (json_object_object_get_ex(root, "fields", &v) && v != NULL) {
		if (!json_object_is_type(v, json_type_object)) {
			rc = fail(err, "%s", "\"fields\" must be an object");
			goto out;
		}
		json_object_object_foreach(v, key, val) {
			if ((fid = field_id_parse(key)) < 0) {
				rc = fail(err, "fields: unknown field id "
				    "\"%s\"", key);
				goto out;
			}
			free(ret->fields[fid].value);
			ret->fields[fid].value = NULL;
			ret->fields[fid].confidence = 1.0;
			if ((rc = parse_field(key, val, &ret->fields[fid],
			    err)) != 0)
				goto out;
		}
	}
out:
	json_object_put(root);
	return rc;
}

/* ---- result ---- */

static struct json_object *
doc_array(const enum doc_type *v, size_t n)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_object_array_add(a,
		    json_object_new_string(doc_type_name(v[i])));
	return a;
}

char *
rules_result_json(const struct rules_result *r, int pretty)
{
	struct json_object *o, *a, *e, *fee, *steps;
	char *s;
	size_t i;

	o = json_object_new_object();
	json_object_object_add(o, "status",
	    json_object_new_string(rules_status_name(r->status)));
	json_object_object_add(o, "missing",
	    doc_array(r->missing, r->nmissing));
	a = json_object_new_array();
	for (i = 0; i < r->ndue_later; i++) {
		e = json_object_new_object();
		json_object_object_add(e, "type", json_object_new_string(
		    doc_type_name(r->due_later[i].type)));
		json_object_object_add(e, "by",
		    json_object_new_string(r->due_later[i].by));
		json_object_array_add(a, e);
	}
	json_object_object_add(o, "due_later", a);
	json_object_object_add(o, "recommended",
	    doc_array(r->recommended, r->nrecommended));
	a = json_object_new_array();
	for (i = 0; i < r->nflags; i++) {
		e = json_object_new_object();
		json_object_object_add(e, "id",
		    json_object_new_string(r->flags[i].id));
		json_object_object_add(e, "rule",
		    json_object_new_string(r->flags[i].rule));
		json_object_object_add(e, "evidence",
		    json_object_new_string(r->flags[i].evidence));
		json_object_array_add(a, e);
	}
	json_object_object_add(o, "flags", a);
	fee = json_object_new_object();
	json_object_object_add(fee, "yen", json_object_new_int64(r->fee.yen));
	json_object_object_add(fee, "tax_included",
	    json_object_new_boolean(r->fee.tax_included));
	json_object_object_add(fee, "basis", json_object_new_string(
	    r->fee.basis != NULL ? r->fee.basis : ""));
	steps = json_object_new_array();
	for (i = 0; i < r->fee.nsteps; i++)
		json_object_array_add(steps,
		    json_object_new_string(r->fee.steps[i]));
	json_object_object_add(fee, "steps", steps);
	json_object_object_add(o, "fee", fee);

	s = xstrdup(json_object_to_json_string_ext(o,
	    (pretty ? JSON_C_TO_STRING_PRETTY : JSON_C_TO_STRING_PLAIN) |
	    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return s;
}
