/*
 * test_profile.c — the profile loader: the shipped profiles load with
 * the seeds' contact data, and broken ones (tests/data/profiles-bad/)
 * are refused with messages naming file:line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "faxintake/profile.h"
#include "faxintake/xmalloc.h"

#define BAD	FI_SRCDIR "/tests/data/profiles-bad/"
#define GOOD	FI_SRCDIR "/templates/hospitals/"

struct bad {
	const char	*dir;
	const char	*want[3];	/* "profile.ini:LINE: text" pieces */
};

static const struct bad bads[] = {
	{ "unknown-key", { "profile.ini:16: unknown key 'colour' in "
	  "[need application]" } },
	{ "bad-condition", { "profile.ini:16: when: expected a fact name, "
	  "found 'and'" } },
	{ "bad-value", { "profile.ini:16: when: 'zoom' is not a value of "
	  "consultation_mode" } },
	{ "unknown-department", { "profile.ini:16: when: unknown department "
	  "'循環器内科'" } },
	{ "unknown-doctype", { "profile.ini:15: unknown document type "
	  "'xray_film'" } },
	{ "bad-number", { "profile.ini:15: yen: '22,000' is not a whole "
	  "number" } },
	{ "bad-flag-id", { "profile.ini:15: unknown flag id "
	  "'exclusion:weather'" } },
	{ "unknown-section", { "profile.ini:15: unknown section [parking]" } },
	{ "bad-due", { "profile.ini:16: due: 'before three'" } },
	{ "missing-name", { "profile.ini:1: [hospital] name is missing",
	  "[fee in_person] needs yen and basis" } },
	/* every error of the file, in line order */
	{ "many-errors", { "profile.ini:16: when: unknown document type xray",
	  "profile.ini:20: when: 'adult' is not a number",
	  "profile.ini:23: lead_days: 'soon'" } },
};

static void
test_bad(void **state)
{
	const struct bad *b = *state;
	struct profile *p = NULL;
	char *dir, *errs = NULL, *prev = NULL;
	size_t i;

	xasprintf(&dir, "%s%s", BAD, b->dir);
	assert_int_not_equal(profile_load(dir, &p, &errs), 0);
	assert_null(p);
	assert_non_null(errs);
	/* Every line names the file. */
	assert_non_null(strstr(errs, dir));
	for (i = 0; i < 3 && b->want[i] != NULL; i++) {
		char *at = strstr(errs, b->want[i]);

		if (at == NULL)
			fail_msg("%s: want '%s' in:\n%s", b->dir, b->want[i],
			    errs);
		if (prev != NULL && at < prev)
			fail_msg("%s: errors out of line order", b->dir);
		prev = at;
	}
	free(errs);
	free(dir);
}

static void
test_missing_file(void **state)
{
	struct profile *p = NULL;
	char *errs = NULL;

	(void)state;
	assert_int_not_equal(profile_load(BAD "does-not-exist", &p, &errs),
	    0);
	assert_null(p);
	assert_non_null(strstr(errs, "does-not-exist/profile.ini: "));
	free(errs);
}

static struct profile *
load(const char *id)
{
	struct profile *p = NULL;
	char *dir, *errs = NULL;

	xasprintf(&dir, "%s%s", GOOD, id);
	if (profile_load(dir, &p, &errs) != 0)
		fail_msg("%s", errs);
	free(dir);
	assert_null(errs);
	return p;
}

static void
test_shipped(void **state)
{
	static const struct {
		const char *id, *name, *tel, *fax;
		long yen;
		int online, form;
	} good[] = {
		{ "asahikawa", "市立旭川病院", "0166-24-3181 内線 5374",
		  "0166-25-8370", 11000, 0, 1 },
		{ "tomakomai", "苫小牧市立病院", "0144-84-0158", "0144-33-4678",
		  5500, 0, 1 },
		{ "yokohama-cu", "横浜市立大学附属市民総合医療センター",
		  "045-261-5656(代表)", NULL, 33000, 1, 0 },
		{ "keio", "慶應義塾大学病院", "03-3353-1139", "03-5363-3865",
		  22000, 1, 1 },
		{ "tohoku", "東北大学病院", "022-717-8885(直通)", NULL, 33000,
		  1, 1 },
	};
	struct profile *p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		p = load(good[i].id);
		assert_string_equal(profile_id(p), good[i].id);
		assert_string_equal(profile_name(p), good[i].name);
		assert_string_equal(profile_tel(p), good[i].tel);
		if (good[i].fax == NULL)
			assert_null(profile_fax(p));
		else
			assert_string_equal(profile_fax(p), good[i].fax);
		assert_int_equal(profile_fee(p, PROFILE_MODE_IN_PERSON)->yen,
		    good[i].yen);
		assert_int_equal(profile_offers_mode(p, PROFILE_MODE_ONLINE),
		    good[i].online);
		assert_int_equal(profile_application_form(p), good[i].form);
		assert_int_equal(profile_age_of_majority(p), 18);
		assert_true(profile_need_count(p) > 0);
		assert_true(profile_flag_count(p) > 0);
		profile_free(p);
	}
}

static void
test_departments(void **state)
{
	struct profile *p;

	(void)state;
	p = load("asahikawa");
	assert_int_equal(profile_department_count(p), 9);
	assert_string_equal(profile_department(p, 0)->name, "消化器内科");
	assert_string_equal(profile_department_find(p, "耳鼻咽喉科")->name,
	    "耳鼻いんこう科");
	assert_null(profile_department_find(p, "循環器内科"));
	assert_string_equal(profile_scope(p),
	    "がんの診断・治療に関する相談に限る");
	assert_string_equal(profile_hours(p), "平日 8時30分から17時");
	profile_free(p);

	p = load("keio");
	assert_int_equal(profile_department_offers(p, "婦人科",
	    PROFILE_MODE_ONLINE), 1);
	/* NFKC and spaces: a full-width space inside still matches */
	assert_int_equal(profile_department_offers(p, "精神・神経科　",
	    PROFILE_MODE_ONLINE), 1);
	assert_int_equal(profile_department_offers(p, "消化器内科",
	    PROFILE_MODE_ONLINE), 0);
	assert_int_equal(profile_department_offers(p, "消化器内科",
	    PROFILE_MODE_IN_PERSON), 1);
	assert_int_equal(profile_lead_days(p), 21);
	assert_string_equal(profile_lead_time(p), "申込から予約日まで概ね3週間");
	assert_int_equal(profile_fee(p, PROFILE_MODE_ONLINE)->yen, 33000);
	assert_int_equal(profile_fee_extra(p)->nsteps, 5);
	profile_free(p);

	p = load("tomakomai");
	assert_string_equal(profile_postcode(p), "053-8567");
	assert_string_equal(profile_address(p), "苫小牧市清水町1-5-20");
	assert_string_equal(profile_office(p), "地域医療連携室");
	assert_string_equal(profile_doc_name(p, DOC_CONSENT_FORM),
	    "相談同意書");
	assert_string_equal(profile_doc_name(p, DOC_PATHOLOGY_REPORT),
	    "病理検査報告書");
	assert_int_equal(profile_offers_mode(p, PROFILE_MODE_ONLINE), 0);
	profile_free(p);
}

int
main(void)
{
	size_t n = sizeof(bads) / sizeof(bads[0]), i;
	struct CMUnitTest *tests;
	int rc;

	tests = xcalloc(n + 3, sizeof(*tests));
	for (i = 0; i < n; i++) {
		tests[i].name = bads[i].dir;
		tests[i].test_func = test_bad;
		tests[i].initial_state = (void *)(uintptr_t)&bads[i];
	}
	tests[n].name = "missing file";
	tests[n].test_func = test_missing_file;
	tests[n + 1].name = "shipped profiles";
	tests[n + 1].test_func = test_shipped;
	tests[n + 2].name = "departments and accessors";
	tests[n + 2].test_func = test_departments;
	rc = _cmocka_run_group_tests("profile", tests, n + 3, NULL, NULL);
	free(tests);
	return rc;
}
