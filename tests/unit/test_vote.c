/*
 * test_vote.c — letter-by-letter voting among readings of one value, as
 * the pages of one application read its patient, clinic and numbers
 * (readings taken from the dev corpus' dumps).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "faxintake/vote.h"

static void
test_consensus(void **state)
{
	static const struct {
		struct vote_reading	 r[5];
		int			 maxdist;
		const char		*want;	/* NULL: no vote */
	} cases[] = {
		/* a different mistake on each page: none right, the vote is */
		{ { { "佐く木 さくら", 0.3 }, { "佐々木 きくら", 0.35 },
		    { "佐々木 さく5", 0.2 } }, 2, "佐々木 さくら" },
		/* one letter lost on one page, one added on another */
		{ { { "加藤 健一郎", 0.41 }, { "加藤 健郎", 0.10 },
		    { "加藤 健一郎", 0.51 } }, 1, "加藤 健一郎" },
		{ { { "はやし胃腸科クリニック", 0.5 },
		    { "はやし骨服科クタリニック", 0.3 },
		    { "はやし胃腸科クリニック", 0.4 },
		    { "はやし胃勝科クリニック", 0.3 } }, 3,
		    "はやし胃腸科クリニック" },
		/* the space between 姓 and 名 where most weight puts it */
		{ { { "菅原真由美", 0.21 }, { "人原 真由美", 0.16 },
		    { "菅原 真由美", 0.36 } }, 1, "菅原 真由美" },
		/* numbers */
		{ { { "0166-94-4130", 0.4 }, { "0166-94-4139", 0.3 },
		    { "0166-34-4130", 0.3 } }, 3, "0166-94-4130" },
		/* two readings are no vote */
		{ { { "長谷川 容子", 0.6 }, { "長谷川 裕子", 0.5 } }, 2, NULL },
		/* three readings too far apart to be one value */
		{ { { "電上誠", 0.05 }, { "高田 和夫", 0.17 },
		    { "井上 角", 0.05 } }, 1, NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vote_result res;
		char out[128];
		size_t n = 0;
		int rc;
		while (n < 5 && cases[i].r[n].s)
			n++;
		rc = vote_strings(cases[i].r, n, cases[i].maxdist, out,
		    sizeof(out), &res);
		if (cases[i].want == NULL) {
			if (rc != -ENOENT)
				fail_msg("case %zu: voted [%s]", i, out);
			continue;
		}
		if (rc != 0)
			fail_msg("case %zu: rc %d", i, rc);
		if (strcmp(out, cases[i].want) != 0)
			fail_msg("case %zu: [%s], want [%s]", i, out,
			    cases[i].want);
		assert_true(res.voters >= 3);
		assert_true(res.margin > 0 && res.margin <= 1);
	}
}

static void
test_margin(void **state)
{
	/* three readings, each its own letter at one place: no clear win */
	const struct vote_reading r[] = { { "山田 太郎", 0.4 },
	    { "山田 太朗", 0.4 }, { "山田 太良", 0.4 } };
	struct vote_result res;
	char out[64];

	(void)state;
	assert_int_equal(vote_strings(r, 3, 1, out, sizeof(out), &res), 0);
	assert_true(res.margin < 0.01);
	/* too small an output, bad arguments */
	assert_int_equal(vote_strings(r, 3, 1, out, 4, &res), -E2BIG);
	assert_int_equal(vote_strings(NULL, 3, 1, out, 4, &res), -EINVAL);
}

static void
test_distance(void **state)
{
	(void)state;
	assert_int_equal(vote_distance("山田 太郎", "山田太郎"), 0);
	assert_int_equal(vote_distance("山田 太郎", "山田 太朗"), 1);
	assert_int_equal(vote_distance("加藤 健一郎", "加藤 健郎"), 1);
	assert_int_equal(vote_distance("", "abc"), 3);
	assert_true(vote_distance(NULL, "a") > 9);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_consensus),
		cmocka_unit_test(test_margin),
		cmocka_unit_test(test_distance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
