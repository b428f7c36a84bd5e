/*
 * truth.c — DIR/truth.json: what was made (files, pages with the text
 * drawn on them, documents, the fields each document prints with true
 * normalised and raw values) and the outcome the rules engine gives for
 * the documents that arrived (rules_eval on exactly the facts written
 * beside it), after each transmission and in the end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "faxintake/rules.h"
#include "faxintake/util.h"
#include "faxintake/xmalloc.h"

#include "faxsynth.h"

static const char *
layout_name(enum fs_layout l)
{
	static const char *const n[] = { "none", "yoshiki11", "ehr", "letter",
	    "dedicated", "english", "form", "free", "card", "table", "report",
	    "separator" };

	return (size_t)l < sizeof(n) / sizeof(n[0]) ? n[l] : "none";
}

static const char *
medium_name(enum fs_medium m)
{
	return m == FS_FAX_FINE ? "fax_fine" : m == FS_FAX_NORMAL ?
	    "fax_normal" : "scan";
}

static const char *
comp_name(enum render_tiff_compression c)
{
	return c == RENDER_TIFF_G4 ? "g4" : c == RENDER_TIFF_G3 ? "g3" :
	    "g3_2d";
}

static void
doc_id(const struct fs_case *c, size_t fi, size_t di, char *out, size_t len)
{
	size_t k = 0, i;

	for (i = 0; i < fi; i++)
		k += c->files[i].ndocs;
	snprintf(out, len, "d%zu", k + di + 1);
}

static struct json_object *
jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

/* Facts of application ci from files [0, upto): documents that arrived
 * and the first value of each field (application form first). */
static void
facts_build(const struct fs_case *c, int ci, size_t upto, struct facts *fx,
    struct json_object **ret_json)
{
	struct json_object *j = json_object_new_object();
	struct json_object *jd = json_object_new_array();
	struct json_object *jf = json_object_new_object();
	char date[16];
	size_t fi, di, k;
	int pass;

	facts_init(fx);
	fx->received_y = c->ry;
	fx->received_m = c->rm;
	fx->received_d = c->rd;
	snprintf(date, sizeof(date), "%04d-%02d-%02d", c->ry, c->rm, c->rd);
	json_object_object_add(j, "received", json_object_new_string(date));
	for (fi = 0; fi < upto; fi++) {
		const struct fs_file *f = &c->files[fi];

		for (di = 0; di < f->ndocs; di++) {
			const struct fs_doc *d = &f->docs[di];
			struct fact_doc *o;
			struct json_object *e;

			if (d->case_idx != ci || d->separator)
				continue;
			fx->docs = xreallocarray(fx->docs, fx->ndocs + 1,
			    sizeof(*fx->docs));
			o = &fx->docs[fx->ndocs++];
			memset(o, 0, sizeof(*o));
			o->type = d->type;
			o->language = xstrdup(d->language);
			o->dedicated_form = d->dedicated < 0 ? FACT_UNKNOWN :
			    d->dedicated ? FACT_YES : FACT_NO;
			e = json_object_new_object();
			json_object_object_add(e, "type",
			    jstr(doc_type_name(d->type)));
			if (d->type == DOC_REFERRAL_LETTER) {
				json_object_object_add(e, "language",
				    jstr(d->language));
				json_object_object_add(e, "dedicated_form",
				    json_object_new_boolean(d->dedicated == 1));
			}
			json_object_array_add(jd, e);
		}
	}
	/* pass 0: application forms, 1: consent, 2: everything else */
	for (pass = 0; pass < 3; pass++) {
		for (fi = 0; fi < upto; fi++) {
			const struct fs_file *f = &c->files[fi];

			for (di = 0; di < f->ndocs; di++) {
				const struct fs_doc *d = &f->docs[di];
				int p = d->type == DOC_APPLICATION_FORM ? 0 :
				    d->type == DOC_CONSENT_FORM ? 1 : 2;

				if (d->case_idx != ci || p != pass)
					continue;
				for (k = 0; k < d->nfields; k++) {
					const struct fs_field *ff = &d->fields[k];
					struct json_object *v;

					if (fx->fields[ff->id].value != NULL)
						continue;
					fx->fields[ff->id].value =
					    xstrdup(ff->value);
					fx->fields[ff->id].confidence = 1.0;
					v = json_object_new_object();
					json_object_object_add(v, "value",
					    jstr(ff->value));
					json_object_object_add(jf,
					    field_id_name(ff->id), v);
				}
			}
		}
	}
	json_object_object_add(j, "documents", jd);
	json_object_object_add(j, "fields", jf);
	*ret_json = j;
}

static struct json_object *
expected(const struct fs_case *c, int ci, size_t upto,
    struct json_object **ret_facts, int *ret_status)
{
	struct facts fx;
	struct rules_result rr;
	struct json_object *res = NULL;
	char *js;

	facts_build(c, ci, upto, &fx, ret_facts);
	if (rules_eval(c->profile, &fx, RULES_DEFAULT_THRESHOLD, &rr) == 0) {
		js = rules_result_json(&rr, 0);
		res = js ? json_tokener_parse(js) : NULL;
		free(js);
		if (ret_status)
			*ret_status = (int)rr.status;
		rules_result_free(&rr);
	}
	facts_clear(&fx);
	return res;
}

static struct json_object *
app_truth(const struct fs_app *a)
{
	struct json_object *o = json_object_new_object();
	char *s, age[16];

	s = person_name(&a->patient);
	json_object_object_add(o, "patient_name", jstr(s));
	free(s);
	s = person_kana(&a->patient, 0);
	json_object_object_add(o, "patient_name_kana", jstr(s));
	free(s);
	json_object_object_add(o, "patient_sex",
	    jstr(a->patient.sex == 'M' ? "M" : "F"));
	s = date_iso(a->patient.by, a->patient.bm, a->patient.bd);
	json_object_object_add(o, "patient_birth_date", jstr(s));
	free(s);
	snprintf(age, sizeof(age), "%d", a->age);
	json_object_object_add(o, "patient_age", jstr(age));
	s = phone_value(&a->patient_phone);
	json_object_object_add(o, "patient_phone", jstr(s));
	free(s);
	json_object_object_add(o, "patient_address", jstr(a->address));
	json_object_object_add(o, "patient_attends",
	    jstr(a->attends ? "yes" : "no"));
	s = person_name(&a->applicant);
	json_object_object_add(o, "applicant_name", jstr(s));
	free(s);
	json_object_object_add(o, "applicant_relationship",
	    jstr(a->relationship));
	s = phone_value(&a->applicant_phone);
	json_object_object_add(o, "applicant_phone", jstr(s));
	free(s);
	if (a->has_applicant_fax) {
		s = phone_value(&a->applicant_fax);
		json_object_object_add(o, "applicant_fax", jstr(s));
		free(s);
	}
	json_object_object_add(o, "department", jstr(a->department));
	if (a->desired_doctor)
		json_object_object_add(o, "desired_doctor",
		    jstr(a->desired_doctor));
	json_object_object_add(o, "consultation_mode", jstr(a->mode));
	json_object_object_add(o, "imaging_media", jstr(a->media));
	json_object_object_add(o, "referring_hospital", jstr(a->clinic));
	s = person_name(&a->doctor);
	json_object_object_add(o, "referring_doctor", jstr(s));
	free(s);
	s = phone_value(&a->clinic_phone);
	json_object_object_add(o, "referring_phone", jstr(s));
	free(s);
	s = phone_value(&a->clinic_fax);
	json_object_object_add(o, "referring_fax", jstr(s));
	free(s);
	json_object_object_add(o, "diagnosis", jstr(fs_dxs[a->dx].name));
	json_object_object_add(o, "consultation_topic", jstr(a->topic));
	json_object_object_add(o, "attending_approval", jstr(a->approval));
	return o;
}

static struct json_object *
truth_build(const struct fs_case *c, int *ret_status)
{
	struct json_object *root = json_object_new_object();
	struct json_object *jfiles = json_object_new_array();
	struct json_object *jdocs = json_object_new_array();
	struct json_object *jcases = json_object_new_array();
	size_t fi, di, ci, k;
	char id[32], buf[64];
	int p, pi;

	json_object_object_add(root, "schema", jstr("faxsynth-truth/1"));
	json_object_object_add(root, "case_id", jstr(c->id));
	json_object_object_add(root, "seed",
	    json_object_new_uint64(c->seed));
	json_object_object_add(root, "hospital", jstr(c->hospital));
	json_object_object_add(root, "scenario", jstr(c->scenario));
	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", c->ry, c->rm, c->rd);
	json_object_object_add(root, "received", jstr(buf));

	for (fi = 0; fi < c->nfiles; fi++) {
		const struct fs_file *f = &c->files[fi];
		struct json_object *jf = json_object_new_object();
		struct json_object *jp = json_object_new_array();
		struct json_object *js = json_object_new_object();
		int scan = f->medium == FS_SCAN_PDF;

		json_object_object_add(jf, "name", jstr(f->name));
		json_object_object_add(jf, "format", jstr(scan ? "pdf" :
		    "tiff"));
		json_object_object_add(jf, "medium", jstr(medium_name(f->medium)));
		json_object_object_add(jf, "compression", scan ? NULL :
		    jstr(comp_name(f->comp)));
		json_object_object_add(jf, "xdpi", json_object_new_int(scan ?
		    300 : 204));
		json_object_object_add(jf, "ydpi", json_object_new_int(scan ?
		    300 : f->medium == FS_FAX_FINE ? 196 : 98));
		json_object_object_add(jf, "transmission",
		    json_object_new_int(f->stage));
		snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:00+09:00",
		    f->y, f->m, f->d, f->hh, f->mm);
		json_object_object_add(jf, "received", jstr(buf));
		json_object_object_add(js, "name", jstr(f->sender_name));
		if (!scan) {
			char *v = phone_value(&f->sender_fax);

			json_object_object_add(js, "tsi", jstr(f->tsi));
			json_object_object_add(js, "fax", jstr(v));
			free(v);
		}
		json_object_object_add(jf, "sender", js);
		json_object_object_add(jf, "npages",
		    json_object_new_int(f->npages));
		for (di = 0; di < f->ndocs; di++) {
			const struct fs_doc *d = &f->docs[di];
			struct json_object *jd = json_object_new_object();
			struct json_object *jfl = json_object_new_object();
			struct json_object *jpg = json_object_new_array();

			doc_id(c, fi, di, id, sizeof(id));
			for (p = 0; p < d->npages; p++) {
				struct json_object *e = json_object_new_object();

				json_object_object_add(e, "page",
				    json_object_new_int(d->first_page + p));
				json_object_object_add(e, "doc_type",
				    jstr(doc_type_name(d->type)));
				json_object_object_add(e, "document", jstr(id));
				json_object_object_add(e, "case",
				    json_object_new_int(d->case_idx));
				if (d->separator)
					json_object_object_add(e, "separator",
					    json_object_new_boolean(1));
				pi = d->first_page + p - 1;
				if (f->page_text && pi >= 0 && pi < f->npages)
					json_object_object_add(e, "text",
					    jstr(f->page_text[pi]));
				json_object_array_add(jp, e);
				json_object_array_add(jpg,
				    json_object_new_int(d->first_page + p));
			}
			json_object_object_add(jd, "id", jstr(id));
			json_object_object_add(jd, "case",
			    json_object_new_int(d->case_idx));
			json_object_object_add(jd, "type",
			    jstr(doc_type_name(d->type)));
			json_object_object_add(jd, "layout",
			    jstr(layout_name(d->layout)));
			json_object_object_add(jd, "file", jstr(f->name));
			json_object_object_add(jd, "pages", jpg);
			json_object_object_add(jd, "dedicated_form",
			    d->dedicated < 0 ? NULL :
			    json_object_new_boolean(d->dedicated));
			json_object_object_add(jd, "language", jstr(d->language));
			for (k = 0; k < d->nfields; k++) {
				struct json_object *v = json_object_new_object();

				json_object_object_add(v, "value",
				    jstr(d->fields[k].value));
				json_object_object_add(v, "raw",
				    jstr(d->fields[k].raw));
				json_object_object_add(jfl,
				    field_id_name(d->fields[k].id), v);
			}
			json_object_object_add(jd, "fields", jfl);
			json_object_array_add(jdocs, jd);
		}
		json_object_object_add(jf, "pages", jp);
		json_object_array_add(jfiles, jf);
	}
	for (ci = 0; ci < c->napps; ci++) {
		struct json_object *jc = json_object_new_object();
		struct json_object *jst = json_object_new_array();
		struct json_object *facts = NULL, *exp;
		int status = 0;

		json_object_object_add(jc, "index", json_object_new_int((int)ci));
		json_object_object_add(jc, "truth", app_truth(&c->apps[ci]));
		exp = expected(c, (int)ci, c->nfiles, &facts, &status);
		json_object_object_add(jc, "facts", facts);
		json_object_object_add(jc, "expected", exp);
		if (ci == 0 && ret_status)
			*ret_status = status;
		for (fi = 0; c->nfiles > 1 && fi < c->nfiles; fi++) {
			struct json_object *e = json_object_new_object();
			struct json_object *sf = NULL, *sx;

			sx = expected(c, (int)ci, fi + 1, &sf, NULL);
			json_object_put(sf);
			json_object_object_add(e, "after_file",
			    jstr(c->files[fi].name));
			json_object_object_add(e, "expected", sx);
			json_object_array_add(jst, e);
		}
		json_object_object_add(jc, "stages", jst);
		json_object_array_add(jcases, jc);
	}
	json_object_object_add(root, "files", jfiles);
	json_object_object_add(root, "documents", jdocs);
	json_object_object_add(root, "cases", jcases);
	return root;
}

int
truth_write(const struct fs_case *c, const char *dir)
{
	struct json_object *root = truth_build(c, NULL);
	const char *s;
	char path[4096];
	int rc;

	s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
	snprintf(path, sizeof(path), "%s/truth.json", dir);
	rc = util_write_file(path, s, strlen(s), 0644);
	json_object_put(root);
	return rc;
}
