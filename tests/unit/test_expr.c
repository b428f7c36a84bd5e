/*
 * test_expr.c — the condition language: parse errors say what is wrong,
 * evaluation is three-valued (Kleene) over absent, uncertain and
 * underivable facts.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "faxintake/expr.h"
#include "faxintake/facts.h"
#include "faxintake/xmalloc.h"

static const char *
dept(void *arg, const char *name)
{
	(void)arg;
	if (strcmp(name, "外科") == 0 || strcmp(name, "精神・神経科") == 0)
		return name;
	return NULL;
}

static const struct expr_vocab vocab = { dept, NULL, 18 };

static void
test_parse_errors(void **state)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "", "empty condition" },
		{ "applicant_relationship == cousin",
		  "'cousin' is not a value of applicant_relationship" },
		{ "shoe_size == 27", "unknown fact 'shoe_size'" },
		{ "patient_age > old", "'old' is not a number" },
		{ "department == 循環器内科", "unknown department '循環器内科'" },
		{ "has(xray)", "unknown document type xray" },
		{ "xray.language == en", "unknown document type in 'xray.language'" },
		{ "referral_letter.colour == red", "unknown document property" },
		{ "(patient_attends == no", "expected ')'" },
		{ "patient_attends == no patient_attends == yes",
		  "missing and/or" },
		{ "applicant_relationship < self", "only == and !=" },
		{ "department", "expected a comparison" },
		{ "patient_attends == maybe", "'maybe' is not yes or no" },
		{ "consultation_topic == \"open", "unterminated string" },
		{ "patient_age >= 18 and", "expected a fact name" },
		{ "applicant_relationship in (self, cousin)", "'cousin'" },
		{ "applicant_relationship in self", "expected '(' after in" },
		{ "patient_age in (1, 2)", "'in' needs a text fact" },
		{ "patient_age ! 3", "unexpected character '!'" },
	};
	struct expr *e;
	char *err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e = NULL;
		err = NULL;
		assert_int_equal(expr_parse(bad[i].text, &vocab, &e, &err),
		    -EINVAL);
		assert_null(e);
		assert_non_null(err);
		if (strstr(err, bad[i].msg) == NULL)
			fail_msg("\"%s\": got \"%s\", want \"%s\"",
			    bad[i].text, err, bad[i].msg);
		free(err);
	}
}

struct ecase {
	const char	*text;
	const char	*fields;	/* "id=value[@conf];..." */
	int		 age;		/* -1 none, -2 no birth date */
	const char	*docs;		/* "type[:lang] ..." */
	enum expr_tri	 want;
	const char	*why;		/* culprit when UNKNOWN */
};

static const struct ecase ecases[] = {
	{ "applicant_relationship != self and patient_attends == no",
	  "applicant_relationship=child;patient_attends=no", 40, "",
	  EXPR_TRUE, NULL },
	{ "applicant_relationship != self and patient_attends == no",
	  "applicant_relationship=self", 40, "", EXPR_FALSE, NULL },
	/* false and unknown = false */
	{ "applicant_relationship != self and patient_attends == no",
	  "applicant_relationship=self;patient_attends=no@0.3", 40, "",
	  EXPR_FALSE, NULL },
	/* true and unknown = unknown, naming the uncertain field */
	{ "applicant_relationship != self and patient_attends == no",
	  "applicant_relationship=child;patient_attends=no@0.3", 40, "",
	  EXPR_UNKNOWN, "patient_attends" },
	/* true or unknown = true */
	{ "applicant_relationship == self or patient_age < 18",
	  "applicant_relationship=self", -2, "", EXPR_TRUE, NULL },
	{ "applicant_relationship == self or patient_age < 18",
	  "applicant_relationship=child", -2, "", EXPR_UNKNOWN,
	  "patient_birth_date" },
	{ "not (patient_age >= age_of_majority)", "", 17, "", EXPR_TRUE,
	  NULL },
	{ "not (patient_age >= age_of_majority)", "", 18, "", EXPR_FALSE,
	  NULL },
	{ "applicant_relationship in (spouse, parent, child)",
	  "applicant_relationship=parent", 40, "", EXPR_TRUE, NULL },
	{ "applicant_relationship in (spouse, parent, child)",
	  "", 40, "", EXPR_UNKNOWN, "applicant_relationship" },
	{ "has(consent_form) or has(relationship_proof)", "", 40,
	  "relationship_proof", EXPR_TRUE, NULL },
	{ "has(consent_form)", "", 40, "referral_letter", EXPR_FALSE, NULL },
	{ "referral_letter.language != ja", "", 40, "referral_letter:en",
	  EXPR_TRUE, NULL },
	{ "referral_letter.language != ja", "", 40, "referral_letter:ja",
	  EXPR_FALSE, NULL },
	/* no such document: no foreign letter */
	{ "referral_letter.language != ja", "", 40, "", EXPR_FALSE, NULL },
	{ "referral_letter.language != ja", "", 40, "referral_letter",
	  EXPR_UNKNOWN, "referral_letter" },
	/* NFKC and case: full-width and upper case values compare equal */
	{ "consultation_mode == online", "consultation_mode=ＯＮＬＩＮＥ", 40,
	  "", EXPR_TRUE, NULL },
	{ "department == 精神・神経科", "department=精神・神経科", 40, "",
	  EXPR_TRUE, NULL },
	{ "attending_approval", "attending_approval=yes", 40, "",
	  EXPR_TRUE, NULL },
	{ "not attending_approval", "attending_approval=no", 40, "",
	  EXPR_TRUE, NULL },
	{ "true and not false", "", -1, "", EXPR_TRUE, NULL },
	{ "consultation_topic == \"手術 と 化学療法\"",
	  "consultation_topic=手術と化学療法", 40, "", EXPR_TRUE, NULL },
};

static void
build(const struct ecase *c, struct facts *f, struct expr_env *env,
    char **deptnorm)
{
	char *s = xstrdup(c->fields), *tok, *save = NULL, *v, *at;

	facts_init(f);
	f->received_y = 2026;
	f->received_m = 11;
	f->received_d = 20;
	for (tok = strtok_r(s, ";", &save); tok; tok = strtok_r(NULL, ";",
	    &save)) {
		int id;

		v = strchr(tok, '=');
		*v++ = '\0';
		id = field_id_parse(tok);
		assert_true(id >= 0);
		if ((at = strchr(v, '@')) != NULL) {
			*at++ = '\0';
			f->fields[id].confidence = strtod(at, NULL);
		}
		f->fields[id].value = xstrdup(v);
	}
	free(s);
	s = xstrdup(c->docs);
	save = NULL;
	for (tok = strtok_r(s, " ", &save); tok; tok = strtok_r(NULL, " ",
	    &save)) {
		struct fact_doc *d;

		f->docs = xreallocarray(f->docs, f->ndocs + 1,
		    sizeof(*f->docs));
		d = &f->docs[f->ndocs++];
		memset(d, 0, sizeof(*d));
		d->dedicated_form = FACT_UNKNOWN;
		if ((v = strchr(tok, ':')) != NULL) {
			*v++ = '\0';
			d->language = xstrdup(v);
		}
		d->type = doc_type_parse(tok);
	}
	free(s);
	memset(env, 0, sizeof(*env));
	env->facts = f;
	env->threshold = 0.8;
	env->age.field = "patient_birth_date";
	if (c->age >= 0) {
		env->age.num = c->age;
	} else
		env->age.state = c->age == -2 ? EXPR_VAL_NO_BIRTH :
		    EXPR_VAL_ABSENT;
	*deptnorm = NULL;
	env->department.field = "department";
	if (f->fields[FIELD_DEPARTMENT].value != NULL) {
		*deptnorm = expr_normalize(f->fields[FIELD_DEPARTMENT].value);
		env->department.str = *deptnorm;
	} else
		env->department.state = EXPR_VAL_ABSENT;
}

static void
test_eval(void **state)
{
	struct expr_env env;
	struct expr_why why;
	struct facts f;
	struct expr *e;
	char *err, *dn;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ecases) / sizeof(ecases[0]); i++) {
		const struct ecase *c = &ecases[i];

		err = NULL;
		if (expr_parse(c->text, &vocab, &e, &err) != 0)
			fail_msg("%s: %s", c->text, err);
		build(c, &f, &env, &dn);
		memset(&why, 0, sizeof(why));
		if (expr_eval(e, &env, &why) != c->want)
			fail_msg("case %zu \"%s\": want %d", i, c->text,
			    c->want);
		if (c->why != NULL) {
			assert_non_null(why.field);
			assert_string_equal(why.field, c->why);
		}
		free(dn);
		facts_clear(&f);
		expr_free(e);
	}
}

static void
test_evidence(void **state)
{
	struct ecase c = { "", "attending_approval=no;department=外科", 40,
	    "", EXPR_TRUE, NULL };
	struct expr_env env;
	struct expr_why why;
	struct facts f;
	struct buf b;
	struct expr *e;
	char *err, *dn;

	(void)state;
	assert_int_equal(expr_parse("attending_approval == no and "
	    "department == 外科", &vocab, &e, &err), 0);
	build(&c, &f, &env, &dn);
	buf_init(&b, 1024);
	memset(&why, 0, sizeof(why));
	why.evidence = &b;
	assert_int_equal(expr_eval(e, &env, &why), EXPR_TRUE);
	assert_string_equal(b.data, "attending_approval=no, department=外科");
	buf_free(&b);
	free(dn);
	facts_clear(&f);
	expr_free(e);
}

static void
test_normalize(void **state)
{
	char *s;

	(void)state;
	s = expr_normalize("ＡＢＣ　ｶﾞﾝ 12３");
	assert_string_equal(s, "abcガン123");
	free(s);
	s = expr_normalize("\xff\xfe bad");
	assert_string_equal(s, "\xff\xfe" "bad");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_eval),
		cmocka_unit_test(test_evidence),
		cmocka_unit_test(test_normalize),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
