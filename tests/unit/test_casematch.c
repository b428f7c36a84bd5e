/* test_casematch.c — which case an arrival joins. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "faxintake/casematch.h"

static void
test_name_key(void **state)
{
	static const struct { const char *in, *want; } t[] = {
		{ "山田 太郎", "山田太郎" },
		{ "山田　太郎", "山田太郎" },		/* full-width space */
		{ "髙橋 一郎", "高橋一郎" },		/* variant kanji */
		{ "山﨑 花子", "山崎花子" },
		{ "渡邊 健", "渡辺健" },
		{ "齋藤・翔太", "斎藤翔太" },
		{ "ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダタロウ" },		/* half-width kana: NFKC */
	};
	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *k = casematch_name_key(t[i].in);
		assert_string_equal(k, t[i].want);
		free(k);
	}
	assert_null(casematch_name_key(NULL));
}

static void
test_distance_and_numbers(void **state)
{
	(void)state;
	assert_int_equal(casematch_name_distance("山田 太郎", "山田太郎"), 0);
	assert_int_equal(casematch_name_distance("髙橋健一郎", "高橋健郎"), 1);
	assert_int_equal(casematch_name_distance("佐藤", "加藤"), 1);
	assert_int_equal(casematch_name_distance("山田太郎", "鈴木花子"), 4);
	assert_true(casematch_same_number("0166-25-8370", "0166258370"));
	assert_true(casematch_same_number("+81 166 25 8370", "0166-25-8370"));
	assert_true(casematch_same_number("03(3353)1211", "03-3353-1211"));
	assert_false(casematch_same_number("0166-25-8371", "0166-25-8370"));
	assert_false(casematch_same_number(NULL, "0166-25-8370"));
	assert_false(casematch_same_number("123", "123"));	/* not a number */
}

static const char *const s_fam[] = { "0112223333" };
static const char *const s_clinic[] = { "0166258370" };
static const char *const s_both[] = { "0112223333", "0166258370" };
static const char *const s_fam2[] = { "0328039201" };
static const char *const s_clinic2[] = { "0166633304" };

static const struct casematch_case cases[] = {
	{ "20261120-0001", "山田 太郎", "1950-04-01", s_fam, 1, 1000, NULL, NULL },
	{ "20261120-0002", "佐藤 花子", "1988-12-30", s_clinic, 1, 2000, NULL, NULL },
	{ "20261120-0003", "高橋 健一郎", "1961-07-07", s_both, 2, 3000, NULL, NULL },
	{ "20261120-0004", "佐藤 花子", "1988-12-30", s_fam, 1, 4000, NULL, NULL },
	{ "20261120-0005", "東海林 湊", "1940-09-26", s_fam2, 1, 4500,
	  "03-3190-4782", "世田谷区記念病院" },
	{ "20261120-0006", "阿部 清", "1953-04-10", s_clinic2, 1, 4800, NULL,
	  NULL },
};
#define NCASES	(sizeof(cases) / sizeof(cases[0]))

static void
test_find(void **state)
{
	static const struct {
		const char *what;
		const char *name, *birth, *sender;
		double conf;
		enum casematch_result want;
		size_t index;
	} t[] = {
		{ "exact identity, other sender (the referring clinic)",
		  "山田太郎", "1950-04-01", "0120000000", 0.95, CASEMATCH_ONE, 0 },
		{ "one OCR slip in a long name, same sender",
		  "髙橋健郎", "1961-07-07", "0166-25-8370", 0.95, CASEMATCH_ONE, 2 },
		{ "one OCR slip in a long name, unknown sender: for a person",
		  "髙橋健郎", "1961-07-07", "0999999999", 0.95, CASEMATCH_POSSIBLE, 2 },
		{ "same name, other birth date: another patient",
		  "山田太郎", "1950-04-02", "0112223333", 0.95, CASEMATCH_NONE, 0 },
		{ "two cases with the same identity: ambiguous",
		  "佐藤花子", "1988-12-30", NULL, 0.95, CASEMATCH_AMBIGUOUS, 0 },
		{ "name only, same sender",
		  "山田太郎", NULL, "011-222-3333", 0.95, CASEMATCH_ONE, 0 },
		{ "name only, other sender: a namesake or the clinic, for a person",
		  "山田太郎", NULL, "0120000000", 0.95, CASEMATCH_POSSIBLE, 0 },
		{ "unread identity, two recent cases from the sender: ambiguous",
		  NULL, NULL, "0166-25-8370", 0.95, CASEMATCH_AMBIGUOUS, 0 },
		{ "a doubtful name and birth date agreeing exactly with a case",
		  "山田太郎", "1950-04-01", "0120000000", 0.50, CASEMATCH_ONE, 0 },
		{ "a doubtful name agreeing exactly, same sender",
		  "山田太郎", NULL, "011-222-3333", 0.50, CASEMATCH_ONE, 0 },
		{ "a doubtful identity is no evidence, but names the likely case",
		  "山田太朗", "1950-04-01", "0120000000", 0.50, CASEMATCH_POSSIBLE, 0 },
		{ "a doubtful name one letter off one of the sender's two "
		  "recent cases, far from the other: that one",
		  "髙橋健郎", NULL, "0166-25-8370", 0.50, CASEMATCH_ONE, 2 },
		{ "a doubtful name far from the sender's recent cases: maybe "
		  "another patient of the sender's, a new case",
		  "鈴木一郎", NULL, "0166-25-8370", 0.50, CASEMATCH_NONE, 0 },
		{ "from the clinic the case names, a doubtful name agreeing",
		  "東海林湊", NULL, "0331904782", 0.40, CASEMATCH_ONE, 4 },
		{ "from the clinic the case names, a confident name differing",
		  "鈴木一郎", NULL, "0331904782", 0.90, CASEMATCH_NONE, 0 },
		{ "from the clinic the case names, nothing read: no identity",
		  NULL, NULL, "0331904782", 0.90, CASEMATCH_NONE, 0 },
		{ "twins: one letter off, from the clinic the case names",
		  "東海林茂", "1940-09-26", "0331904782", 0.90,
		  CASEMATCH_POSSIBLE, 4 },
		{ "a doubtful birth date that differs contradicts nothing",
		  "山田太郎", "1950-04-07", "011-222-3333", 0.50, CASEMATCH_ONE, 0 },
		{ "a doubtful identity like no case",
		  "鈴木一郎", "1930-01-01", "0120000000", 0.50, CASEMATCH_NONE, 0 },
		{ "a doubtful short name one letter off, from the case's "
		  "sender: named for a person, not joined",
		  "何部清", NULL, "0166-63-3304", 0.30, CASEMATCH_POSSIBLE, 5 },
		{ "the same from another sender: nothing",
		  "何部清", NULL, "0120000000", 0.30, CASEMATCH_NONE, 0 },
		{ "a short name must match exactly",
		  "加藤花子", "1988-12-30", NULL, 0.95, CASEMATCH_NONE, 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct casematch_probe p = {
			.name = t[i].name, .name_conf = t[i].conf,
			.birth = t[i].birth, .birth_conf = t[i].conf,
			.sender = t[i].sender, .now = 5000, .window = 86400,
			.threshold = 0.80,
		};
		size_t idx = 99;
		char why[128];
		enum casematch_result r = casematch_find(&p, cases, NCASES, &idx,
		    why, sizeof(why));

		if (r != t[i].want)
			fail_msg("%s: got %d want %d (%s)", t[i].what, r,
			    t[i].want, why);
		if ((r == CASEMATCH_ONE || r == CASEMATCH_POSSIBLE) &&
		    idx != t[i].index)
			fail_msg("%s: case %zu, want %zu", t[i].what, idx,
			    t[i].index);
	}
}

static void
test_clinic_named(void **state)
{
	/* The clinic's letter from a number the case does not know, naming
	 * the clinic the family's form named: it confirms the name. */
	struct casematch_probe p = {
		.name = "東海林 湊", .name_conf = 0.40,
		.sender = "0999999999", .clinic = "世田谷区記念病院",
		.now = 5000, .window = 86400, .threshold = 0.80,
	};
	size_t idx = 99;
	char why[128];

	(void)state;
	assert_int_equal(casematch_find(&p, cases, NCASES, &idx, why, sizeof(why)),
	    CASEMATCH_ONE);
	assert_int_equal(idx, 4);
	p.clinic = "世田谷区記念病完";	/* read otherwise: for a person */
	assert_int_equal(casematch_find(&p, cases, NCASES, &idx, why, sizeof(why)),
	    CASEMATCH_POSSIBLE);
	assert_int_equal(idx, 4);
	p.clinic = "世田谷区記念病院";	/* but no name: no identity */
	p.name = NULL;
	assert_int_equal(casematch_find(&p, cases, NCASES, &idx, why, sizeof(why)),
	    CASEMATCH_NONE);
}

static void
test_possible_later(void **state)
{
	/* Ten days after the case, from another number: a name one letter
	 * off with the same birth date is named for staff; the name or the
	 * birth date alone is not (namesakes, shared birthdays). */
	struct casematch_probe p = {
		.name = "山田 太朗", .name_conf = 0.40,
		.birth = "1950-04-01", .birth_conf = 0.40,
		.sender = "0999999999", .now = 5000 + 10 * 86400,
		.window = 3600, .threshold = 0.80,
	};
	size_t idx = 99;
	char why[128];

	(void)state;
	assert_int_equal(casematch_find(&p, cases, NCASES, &idx, why,
	    sizeof(why)), CASEMATCH_POSSIBLE);
	assert_int_equal(idx, 0);
	p.birth = NULL;
	assert_int_equal(casematch_find(&p, cases, NCASES, &idx, why,
	    sizeof(why)), CASEMATCH_NONE);
	p.birth = "1950-04-01";
	p.name = "鈴木 一郎";
	assert_int_equal(casematch_find(&p, cases, NCASES, &idx, why,
	    sizeof(why)), CASEMATCH_NONE);
}

static void
test_sender_only(void **state)
{
	/* Only one case from the clinic within the window: it joins. */
	struct casematch_probe p = {
		.sender = "0166-25-8370", .now = 5000, .window = 2500,
		.threshold = 0.80,
	};
	size_t idx = 99;
	char why[128];

	(void)state;
	assert_int_equal(casematch_find(&p, cases, 4, &idx, why, sizeof(why)),
	    CASEMATCH_ONE);
	assert_int_equal(idx, 2);
	p.window = 10;		/* too long ago: a new case */
	assert_int_equal(casematch_find(&p, cases, 4, &idx, why, sizeof(why)),
	    CASEMATCH_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_key),
		cmocka_unit_test(test_distance_and_numbers),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_clinic_named),
		cmocka_unit_test(test_possible_later),
		cmocka_unit_test(test_sender_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
