/* arrival.c — from a worker's reading to cases. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faxintake/arrival.h"
#include "faxintake/casematch.h"
#include "faxintake/cases.h"
#include "faxintake/xmalloc.h"

/* The most confident value of a field among an application's documents. */
static const struct pool_field *
best_field(const struct pool_result *r, int app, const char *field)
{
	const struct pool_field *best = NULL;

	for (size_t i = 0; i < r->ndocs; i++) {
		if (r->docs[i].application != app)
			continue;
		for (size_t k = 0; k < r->docs[i].nfields; k++) {
			const struct pool_field *f = &r->docs[i].fields[k];

			if (strcmp(f->field, field) == 0 && *f->value &&
			    (best == NULL || f->confidence > best->confidence))
				best = f;
		}
	}
	return best;
}

/* The number the file came from: HylaFAX's TSI, else the header line. */
static const char *
file_sender(const struct pool_result *r, int first_page)
{
	if (r->sender[0])
		return r->sender;
	if (first_page >= 1 && first_page <= r->npages &&
	    r->reads[first_page - 1].header_sender[0])
		return r->reads[first_page - 1].header_sender;
	for (int i = 0; i < r->npages; i++)
		if (r->reads[i].header_sender[0])
			return r->reads[i].header_sender;
	return NULL;
}

/*
 * A sender retrying after a dropped call sends the first pages again,
 * then the rest: an earlier file of the same case from the same number,
 * shorter than this one, whose documents this one repeats, is a partial
 * transmission.  Its documents are superseded (kept, no longer counted).
 */
static int
supersede_partials(struct store *st, const char *case_id,
    const struct pool_result *r, const char *sender)
{
	struct store_document *ds;
	size_t n;
	int rc;

	if (sender == NULL)
		return 0;
	if ((rc = store_case_documents(st, case_id, &ds, &n)) != 0)
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct store_file f;
		int repeated = 1;

		if (ds[i].file_id == r->file_id || ds[i].superseded_by)
			continue;
		if (store_file_get(st, ds[i].file_id, &f) != 0)
			continue;
		if (f.pages >= r->npages || f.sender == NULL ||
		    !casematch_same_number(f.sender, sender))
			repeated = 0;
		store_file_clear(&f);
		/* Every document of the earlier file starts where one of ours
		 * of the same type starts, and ends no later. */
		for (size_t k = 0; repeated && k < n; k++) {
			int found = 0;

			if (ds[k].file_id != ds[i].file_id)
				continue;
			for (size_t j = 0; j < r->ndocs && !found; j++)
				found = strcmp(r->docs[j].type, ds[k].type) == 0 &&
				    r->docs[j].first_page == ds[k].first_page &&
				    ds[k].last_page <= r->docs[j].last_page;
			repeated = found;
		}
		if (!repeated)
			continue;
		for (size_t k = 0; k < n && rc == 0; k++)
			if (ds[k].file_id == ds[i].file_id && !ds[k].superseded_by) {
				rc = store_document_supersede(st, ds[k].id,
				    r->file_id);
				ds[k].superseded_by = r->file_id;
			}
	}
	store_documents_free(ds, n);
	return rc;
}

/* A cover sheet that says 全N枚 against the pages of its application. */
static int
check_page_count(struct store *st, const char *case_id,
    const struct pool_result *r, int app)
{
	int first = 0, last = 0, total = 0;
	char evidence[128];

	for (size_t i = 0; i < r->ndocs; i++) {
		if (r->docs[i].application != app)
			continue;
		if (first == 0 || r->docs[i].first_page < first)
			first = r->docs[i].first_page;
		if (r->docs[i].last_page > last)
			last = r->docs[i].last_page;
	}
	for (int p = first; p >= 1 && p <= last && total == 0; p++)
		total = r->reads[p - 1].cover_total;
	if (total == 0 || last - first + 1 >= total)
		return 0;
	snprintf(evidence, sizeof(evidence), "送付状: 全%d枚, 受信: %d枚", total,
	    last - first + 1);
	return store_case_add_review(st, case_id, "review:page_count", evidence);
}

static int
record_application(const struct arrival_env *env, const struct pool_result *r,
    int app, long long received, char case_id[STORE_CASE_ID_LEN])
{
	const struct pool_field *name, *birth, *clinic;
	struct cases_env ce = { env->st, env->threshold, env->actor };
	struct cases_arrival a;
	int rc, created, first = 0;

	memset(&a, 0, sizeof(a));
	for (size_t i = 0; i < r->ndocs; i++)
		if (r->docs[i].application == app) {
			if (a.qr_case == NULL && r->docs[i].case_id[0])
				a.qr_case = r->docs[i].case_id;
			if (first == 0)
				first = r->docs[i].first_page;
		}
	name = best_field(r, app, "patient_name");
	birth = best_field(r, app, "patient_birth_date");
	clinic = best_field(r, app, "referring_hospital");
	a.file_id = r->file_id;
	a.hospital = env->hospital;
	a.received = received;
	a.sender = file_sender(r, first);
	a.clinic = clinic ? clinic->value : NULL;
	a.name = name ? name->value : NULL;
	a.name_conf = name ? name->confidence : 0;
	a.birth = birth ? birth->value : NULL;
	a.birth_conf = birth ? birth->confidence : 0;
	a.window = env->window;
	if ((rc = cases_attach(&ce, &a, case_id, &created)) != 0)
		return rc;
	for (size_t i = 0; i < r->ndocs && rc == 0; i++) {
		const struct pool_doc *d = &r->docs[i];
		struct store_document sd;
		long long doc_id;

		if (d->application != app)
			continue;
		memset(&sd, 0, sizeof(sd));
		sd.case_id = case_id;
		sd.file_id = r->file_id;
		sd.type = (char *)d->type;
		sd.first_page = d->first_page;
		sd.last_page = d->last_page;
		sd.dedicated_form = d->dedicated_form == 1;
		sd.language = d->language[0] ? (char *)d->language : NULL;
		sd.confidence = d->confidence;
		sd.app = app;
		if ((rc = store_document_add(env->st, &sd, &doc_id)) != 0)
			break;
		for (size_t k = 0; k < d->nfields && rc == 0; k++) {
			struct store_field f;

			memset(&f, 0, sizeof(f));
			f.case_id = case_id;
			f.document_id = doc_id;
			f.field = (char *)d->fields[k].field;
			f.value = d->fields[k].value;
			f.raw = d->fields[k].raw;
			f.confidence = d->fields[k].confidence;
			f.file_id = r->file_id;
			f.pageno = d->fields[k].page;
			rc = store_field_add(env->st, &f);
		}
	}
	if (rc == 0)
		rc = supersede_partials(env->st, case_id, r, a.sender);
	if (rc == 0)
		rc = cases_consensus(&ce, case_id, r->file_id);
	if (rc == 0)
		rc = check_page_count(env->st, case_id, r, app);
	if (rc == 0)
		(void)store_event_add(env->st, env->actor, created ?
		    "arrival_new_case" : "arrival", case_id, r->file_id, NULL);
	return rc;
}

int
arrival_record(const struct arrival_env *env, const struct pool_result *r,
    long long received, int *ret_ncases)
{
	struct cases_env ce = { env->st, env->threshold, env->actor };
	int rc, napps = 0;

	*ret_ncases = 0;
	/* All or nothing: a crash leaves the file "processing", read again. */
	if ((rc = store_begin(env->st)) != 0)
		return rc;
	rc = store_file_done(env->st, r->file_id, r->mime, r->sender, r->pages,
	    r->npages);
	for (int i = 0; i < r->npages && rc == 0; i++) {
		const struct pool_page_read *rd = &r->reads[i];
		struct store_page_read pr;

		if (!rd->read)
			continue;
		memset(&pr, 0, sizeof(pr));
		pr.pageno = i + 1;
		pr.text = rd->text;
		pr.doc_type = rd->doc_type;
		pr.confidence = rd->confidence;
		pr.sender_line = rd->header_sender[0] ? rd->header_sender : NULL;
		pr.qr = rd->qr[0] ? rd->qr : NULL;
		rc = store_page_read_set(env->st, r->file_id, &pr);
	}
	for (size_t i = 0; i < r->ndocs; i++)
		if (r->docs[i].application + 1 > napps)
			napps = r->docs[i].application + 1;
	for (int app = 0; app < napps && rc == 0; app++) {
		char case_id[STORE_CASE_ID_LEN];

		if ((rc = record_application(env, r, app, received, case_id)) != 0)
			break;
		rc = cases_evaluate(&ce, env->profile, case_id, 0, NULL);
		(*ret_ncases)++;
	}
	if (rc == 0)
		return store_commit(env->st);
	store_rollback(env->st);
	return rc;
}
