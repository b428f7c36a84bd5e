/*
 * test_arrival.c — a read file recorded into cases on a real SQLite
 * store: the family's form and the clinic's letter, sent as two faxes
 * and each read with its own slips, join one case and their readings are
 * weighed together (the raw text kept); another patient from the same
 * clinic is a case of its own; two cases staff merge are weighed
 * together too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "faxintake/arrival.h"
#include "faxintake/cases.h"
#include "faxintake/profile.h"
#include "faxintake/store.h"
#include "tmpdir.h"

struct fx {
	char		*dir;
	struct store	*st;
	struct profile	*profile;
	struct arrival_env env;
};

static int
setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));
	char *db = NULL, *err = NULL;

	if (x == NULL || (x->dir = tmpdir_make("arrival")) == NULL ||
	    asprintf(&db, "%s/faxintake.db", x->dir) < 0)
		return -1;
	if (store_open(db, STORE_CREATE, &x->st, &err) != 0 ||
	    profile_load(FI_SRCDIR "/templates/hospitals/keio", &x->profile,
	    &err) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	free(db);
	x->env.st = x->st;
	x->env.profile = x->profile;
	x->env.hospital = "keio";
	x->env.threshold = 0.8;
	x->env.window = 3600;
	x->env.actor = "faxintaked";
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *x = *state;

	store_close(x->st);
	profile_free(x->profile);
	tmpdir_remove(x->dir);
	free(x);
	return 0;
}

struct rfield {
	const char	*field, *value;
	double		 conf;
};

/*
 * Record a one-page file from sender holding one document of type with
 * fields (up to 4), received at when; the file's id in *ret_id.
 */
static void
record(struct fx *x, const char *sender, const char *type,
    const struct rfield *fs, size_t nf, long long when, long long *ret_id)
{
	struct store_file sf = { 0 };
	struct store_page pg = { 1, 1728, 2200, 204, 196, 1 };
	struct pool_page_read rd = { 0 };
	struct pool_field pf[4];
	struct pool_doc d = { 0 };
	struct pool_result r = { 0 };
	char sha[65];
	int n;

	snprintf(sha, sizeof(sha), "%064lld", when);
	memcpy(sf.sha256, sha, sizeof(sf.sha256));
	sf.name = "fax.tif";
	sf.inbox = "fax";
	sf.src_path = "/dev/null";
	sf.received = when;
	assert_int_equal(store_file_add(x->st, &sf, ret_id), 0);
	rd.read = 1;
	snprintf(rd.doc_type, sizeof(rd.doc_type), "%s", type);
	rd.confidence = 0.9;
	rd.text = "";
	snprintf(d.type, sizeof(d.type), "%s", type);
	d.first_page = d.last_page = 1;
	d.dedicated_form = -1;
	d.confidence = 0.9;
	memset(pf, 0, sizeof(pf));
	for (size_t i = 0; i < nf && i < 4; i++) {
		snprintf(pf[i].field, sizeof(pf[i].field), "%s", fs[i].field);
		pf[i].value = (char *)fs[i].value;
		pf[i].raw = (char *)fs[i].value;
		pf[i].confidence = fs[i].conf;
		pf[i].page = 1;
	}
	d.fields = pf;
	d.nfields = nf;
	r.file_id = *ret_id;
	snprintf(r.mime, sizeof(r.mime), "image/tiff");
	snprintf(r.sender, sizeof(r.sender), "%s", sender);
	r.pages = &pg;
	r.reads = &rd;
	r.npages = 1;
	r.docs = &d;
	r.ndocs = 1;
	assert_int_equal(arrival_record(&x->env, &r, when, &n), 0);
	assert_int_equal(n, 1);
}

/* The value of field in the document read from file_id, its confidence
 * and raw text (when conf, raw); NULL if none. */
static char *
doc_value(struct fx *x, long long file_id, const char *field, double *conf,
    char **raw)
{
	struct store_document *ds;
	struct store_field *fs;
	size_t nd, nf;
	char *v = NULL;

	assert_int_equal(store_file_documents(x->st, file_id, &ds, &nd), 0);
	assert_int_equal(nd, 1);
	assert_int_equal(store_document_fields(x->st, ds[0].id, &fs, &nf), 0);
	for (size_t i = 0; i < nf; i++)
		if (strcmp(fs[i].field, field) == 0) {
			v = strdup(fs[i].value);
			if (conf)
				*conf = fs[i].confidence;
			if (raw)
				*raw = strdup(fs[i].raw);
		}
	store_fields_free(fs, nf);
	store_documents_free(ds, nd);
	return v;
}

static char *
case_of(struct fx *x, long long file_id)
{
	struct store_document *ds;
	size_t nd;
	char *id;

	assert_int_equal(store_file_documents(x->st, file_id, &ds, &nd), 0);
	assert_int_equal(nd, 1);
	id = strdup(ds[0].case_id);
	store_documents_free(ds, nd);
	return id;
}

/* The files f1 and f2 went to two cases: their ids in *c1, *c2 (when
 * not NULL; malloc'd). */
static void
apart(struct fx *x, long long f1, long long f2, char **c1, char **c2)
{
	char *a = case_of(x, f1), *b = case_of(x, f2);

	assert_string_not_equal(a, b);
	if (c1)
		*c1 = a;
	else
		free(a);
	if (c2)
		*c2 = b;
	else
		free(b);
}

/* The family's form: name and birth date below the review threshold,
 * the clinic's FAX as they wrote it. */
static const struct rfield family[] = {
	{ "patient_name", "東海林 湊", 0.62 },
	{ "patient_birth_date", "1940-09-26", 0.55 },
	{ "referring_hospital", "世田谷区記念病院", 0.70 },
	{ "referring_fax", "03-3190-4782", 0.70 },
};

static void
test_two_faxes_one_case(void **state)
{
	struct fx *x = *state;
	/* A day later the clinic, from that number: the name read well,
	 * the clinic's own name one letter off. */
	static const struct rfield letter[] = {
		{ "patient_name", "東海林 湊", 0.60 },
		{ "patient_birth_date", "1940-09-26", 0.50 },
		{ "referring_hospital", "世田谷区記念病完", 0.30 },
	};
	/* And its lab sheet: the name one letter off. */
	static const struct rfield lab[] = {
		{ "patient_name", "東海林 淡", 0.21 },
	};
	long long f1, f2, f3;
	char *c1, *c2, *c3, *v, *raw = NULL;
	double conf = 0;

	record(x, "0328039201", "application_form", family, 4, 1795000000, &f1);
	record(x, "0331904782", "referral_letter", letter, 3,
	    1795000000 + 86400, &f2);
	record(x, "0331904782", "lab_results", lab, 1,
	    1795000000 + 86400 + 60, &f3);
	c1 = case_of(x, f1);
	c2 = case_of(x, f2);
	c3 = case_of(x, f3);
	assert_string_equal(c1, c2);
	assert_string_equal(c1, c3);
	/* The letter's clinic name and the lab sheet's name take what the
	 * other files read better, below the review threshold. */
	v = doc_value(x, f2, "referring_hospital", &conf, NULL);
	assert_string_equal(v, "世田谷区記念病院");
	assert_true(conf < 0.8);
	free(v);
	v = doc_value(x, f3, "patient_name", &conf, &raw);
	assert_string_equal(v, "東海林 湊");
	assert_string_equal(raw, "東海林 淡");
	assert_true(conf < 0.8);
	free(v);
	free(raw);
	/* What was read alike stays as it was. */
	v = doc_value(x, f1, "patient_name", &conf, NULL);
	assert_string_equal(v, "東海林 湊");
	assert_true(conf > 0.61 && conf < 0.63);
	free(v);
	free(c1);
	free(c2);
	free(c3);
}

/* The applicant's letters go to senders[0] when the form gives no FAX:
 * the number the application form came from, though the clinic's letter
 * came first; then the others in the order they came. */
static void
test_senders_order(void **state)
{
	struct fx *x = *state;
	static const struct rfield who[] = {
		{ "patient_name", "東海林 湊", 0.60 },
		{ "patient_birth_date", "1940-09-26", 0.50 },
	};
	long long f1, f2, f3;
	char *c, **snd = NULL;
	size_t n = 0;

	record(x, "0111111111", "referral_letter", who, 2, 1795000000, &f1);
	record(x, "0999999999", "application_form", who, 2, 1795000000 + 60,
	    &f2);
	record(x, "0100000000", "lab_results", who, 2, 1795000000 + 120,
	    &f3);
	c = case_of(x, f1);
	assert_int_equal(store_case_senders(x->st, c, &snd, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(snd[0], "0999999999");
	assert_string_equal(snd[1], "0111111111");
	assert_string_equal(snd[2], "0100000000");
	for (size_t i = 0; i < n; i++)
		free(snd[i]);
	free(snd);
	free(c);
}

static void
test_other_patient_same_clinic(void **state)
{
	struct fx *x = *state;
	/* The same clinic writes for another patient, read well. */
	static const struct rfield other[] = {
		{ "patient_name", "佐藤 花子", 0.90 },
		{ "patient_birth_date", "1988-12-30", 0.90 },
		{ "referring_hospital", "世田谷区記念病完", 0.30 },
	};
	long long f1, f2;
	char *v;

	record(x, "0328039201", "application_form", family, 4, 1795000000, &f1);
	record(x, "0331904782", "referral_letter", other, 3,
	    1795000000 + 600, &f2);
	apart(x, f1, f2, NULL, NULL);
	/* Another case's readings are not weighed with it. */
	v = doc_value(x, f2, "referring_hospital", NULL, NULL);
	assert_string_equal(v, "世田谷区記念病完");
	free(v);
}

static void
test_merged_by_staff(void **state)
{
	struct fx *x = *state;
	struct cases_env ce = { x->st, 0.8, "tanaka" };
	static const struct rfield form[] = {
		{ "patient_name", "加藤 健一郎", 0.70 },
		{ "patient_birth_date", "1989-01-08", 0.70 },
	};
	/* The clinic's letter, its name one letter off: a case of its own,
	 * flagged as maybe the form's. */
	static const struct rfield letter[] = {
		{ "patient_name", "加欧 健一郎", 0.30 },
	};
	long long f1, f2;
	char *c1, *c2, *v;

	record(x, "0112223333", "application_form", form, 2, 1795200000, &f1);
	record(x, "0166688904", "referral_letter", letter, 1,
	    1795200000 + 7200, &f2);
	apart(x, f1, f2, &c1, &c2);
	v = doc_value(x, f2, "patient_name", NULL, NULL);
	assert_string_equal(v, "加欧 健一郎");
	free(v);
	/* Staff merge them (faxintake merge): weighed together now. */
	assert_int_equal(store_case_merge(x->st, c2, c1), 0);
	assert_int_equal(cases_consensus(&ce, c1, 0), 0);
	v = doc_value(x, f2, "patient_name", NULL, NULL);
	assert_string_equal(v, "加藤 健一郎");
	free(v);
	/* Weighed again, nothing changes. */
	assert_int_equal(cases_consensus(&ce, c1, 0), 0);
	v = doc_value(x, f2, "patient_name", NULL, NULL);
	assert_string_equal(v, "加藤 健一郎");
	free(v);
	/* It was a mistake: staff move the letter to a case of its own
	 * (faxintake move weighs both cases again): the letter reads as
	 * its page did, and so does the form. */
	{
		char c3[STORE_CASE_ID_LEN];
		struct store_document *ds;
		size_t nd;
		double conf = 0;

		assert_int_equal(store_case_create(x->st, "keio", 1795200000,
		    c3), 0);
		assert_int_equal(store_file_documents(x->st, f2, &ds, &nd), 0);
		assert_int_equal(nd, 1);
		assert_int_equal(store_document_move(x->st, ds[0].id, c3), 0);
		store_documents_free(ds, nd);
		assert_int_equal(cases_consensus(&ce, c3, 0), 0);
		assert_int_equal(cases_consensus(&ce, c1, 0), 0);
		v = doc_value(x, f2, "patient_name", &conf, NULL);
		assert_string_equal(v, "加欧 健一郎");
		assert_true(conf > 0.29 && conf < 0.31);
		free(v);
		v = doc_value(x, f1, "patient_name", NULL, NULL);
		assert_string_equal(v, "加藤 健一郎");
		free(v);
	}
	free(c1);
	free(c2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_two_faxes_one_case,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_senders_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_other_patient_same_clinic,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_merged_by_staff,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
