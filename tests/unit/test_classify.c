/*
 * test_classify.c — page classification on text, header lines, cover
 * sheet counts, language, grouping into documents and applications; and
 * the FXI1 QR parser.  Pure functions: no OCR.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "faxintake/classify.h"
#include "faxintake/qr.h"

static void
test_types(void **state)
{
	static const struct {
		const char	*title, *body;
		enum doc_type	 type;
	} cases[] = {
		{ "診療情報提供書", "傷病名 胃癌\n紹介目的 セカンドオピニオン",
		    DOC_REFERRAL_LETTER },
		{ "紹 介 状", "既往歴 なし", DOC_REFERRAL_LETTER },
		{ "セカンドオピニオン外来申込書", "希望診療科 消化器内科",
		    DOC_APPLICATION_FORM },
		{ "同意書", "私は家族が相談することに同意します。",
		    DOC_CONSENT_FORM },
		{ "血液検査結果", "WBC 5.2 基準値 3.3-8.6\nAST 22",
		    DOC_LAB_RESULTS },
		{ "画像診断報告書", "CT 所見: 胃体部に壁肥厚",
		    DOC_IMAGING_REPORT },
		{ "病理診断報告書", "検体 胃生検 組織型 tub1",
		    DOC_PATHOLOGY_REPORT },
		{ "FAX送付状", "送付枚数 5枚（本状含む）", DOC_COVER_SHEET },
		{ "お知らせ", "来週の予定です", DOC_OTHER },
		{ "LETTER OF REFERRATL", "Dear Doctor, Thank you for seeing "
		    "this patient.", DOC_REFERRAL_LETTER },
	};
	struct classify_result r;
	struct classify_line lines[2];
	char text[512];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct classify_page p = { text, lines, 2, 2000, NULL };
		snprintf(text, sizeof(text), "%s\n%s\n", cases[i].title,
		    cases[i].body);
		lines[0] = (struct classify_line){ cases[i].title, 150, 50, 90 };
		lines[1] = (struct classify_line){ cases[i].body, 300, 25, 90 };
		assert_int_equal(classify_page(&p, &r), 0);
		if (r.type != cases[i].type)
			fail_msg("%s: type %d", cases[i].title, r.type);
		if (cases[i].type != DOC_OTHER)
			assert_true(r.confidence >= 0.7);
		else
			assert_true(r.confidence < 0.5);
	}
	{
		/* a 紹介状 whose title the fax lost: its courtesies say
		 * so, less surely than a title */
		struct classify_line ls[2] = {
			{ "消化器内科 ご担当先生 御侍史", 300, 25, 90 },
			{ "ご多忙のところ恐縮ですが、ご高診のほどよろしくお願い"
			    "申し上げます。", 600, 25, 90 },
		};
		struct classify_page p = { text, ls, 2, 2000, NULL };
		snprintf(text, sizeof(text), "%s\n%s\n", ls[0].text,
		    ls[1].text);
		assert_int_equal(classify_page(&p, &r), 0);
		assert_int_equal(r.type, DOC_REFERRAL_LETTER);
		assert_true(r.confidence < 0.7);
	}
	{
		/* a title in large type with one letter misread; the same
		 * in body text is no title */
		struct classify_line ls[4] = {
			{ "司意書", 150, 50, 90 },
			{ "記入日 令和8年11月4日", 300, 25, 90 },
			{ "患者氏名 山田 太郎", 350, 25, 90 },
			{ "住所 東京都新宿区", 400, 25, 90 },
		};
		struct classify_page p = { "司意書\n記入日 令和8年11月4日\n"
		    "患者氏名 山田 太郎\n住所 東京都新宿区\n", ls, 4, 2000,
		    NULL };
		assert_int_equal(classify_page(&p, &r), 0);
		assert_int_equal(r.type, DOC_CONSENT_FORM);
		ls[0].h = 25;
		assert_int_equal(classify_page(&p, &r), 0);
		assert_int_equal(r.type, DOC_OTHER);
	}
	{
		/* a letter's second page: its list of enclosures names a
		 * lab sheet, which does not make it one */
		struct classify_page p = { "現在の処方\nRp1) アムロジピン錠"
		    "\n添付資料\n血液検査結果、画像診断報告書\n", lines, 2,
		    2000, NULL };
		lines[0] = (struct classify_line){ "Rp1) アムロジピン錠", 150,
		    25, 90 };
		lines[1] = (struct classify_line){ "血液検査結果、画像診断報告書",
		    300, 25, 90 };
		assert_int_equal(classify_page(&p, &r), 0);
		assert_int_equal(r.type, DOC_REFERRAL_LETTER);
		assert_int_equal(r.has_title, 0);
	}
	{
		struct classify_page p = { "専用診療情報提供書\n傷病名 肺癌",
		    lines, 1, 2000, NULL };
		lines[0] = (struct classify_line){ "専用診療情報提供書", 150,
		    50, 90 };
		assert_int_equal(classify_page(&p, &r), 0);
		assert_int_equal(r.type, DOC_REFERRAL_LETTER);
		assert_int_equal(r.dedicated_form, 1);
	}
}

static void
test_qr_pages(void **state)
{
	struct qr_info q;
	struct classify_result r;
	struct classify_page p = { "", NULL, 0, 2000, &q };

	(void)state;
	assert_int_equal(qr_parse("FXI1|form=cover|v=1|case=20261120-0007|h=keio",
	    &q), 0);
	assert_string_equal(q.case_id, "20261120-0007");
	assert_int_equal(classify_page(&p, &r), 0);
	assert_int_equal(r.type, DOC_COVER_SHEET);
	assert_string_equal(r.case_id, "20261120-0007");
	assert_int_equal(qr_parse("FXI1|form=separator|v=1", &q), 0);
	assert_int_equal(classify_page(&p, &r), 0);
	assert_true(r.separator);
	assert_int_equal(qr_parse("FXI1|form=application|v=1|h=keio|p=2", &q),
	    0);
	assert_int_equal(q.page, 2);
	assert_int_equal(classify_page(&p, &r), 0);
	assert_int_equal(r.type, DOC_APPLICATION_FORM);
	assert_true(r.continuation);
	/* not ours */
	assert_int_equal(qr_parse("https://example.jp/", &q), QR_NOT_OURS);
	assert_int_equal(qr_parse("FXI1|v=1", &q), QR_NOT_OURS);
	assert_int_equal(qr_parse("FXI1|form=cover|case=2026-7", &q),
	    QR_NOT_OURS);
	assert_int_equal(qr_parse("FXI1|form=a b", &q), QR_NOT_OURS);
	assert_int_equal(qr_parse("FXI1|form=cover|p=0", &q), QR_NOT_OURS);
	assert_int_equal(qr_parse("FXI1|form=x|future=1", &q), 0);
}

static void
test_header_cover_language(void **state)
{
	char s[NORM_PHONE_LEN], lang[8];
	int p = 0, n = 0;

	(void)state;
	assert_int_equal(classify_header_line(
	    "2026/11/20 14:03 FROM: 0166-24-3181 P.1/3", s, &p, &n), 0);
	assert_string_equal(s, "0166-24-3181");
	assert_int_equal(p, 1);
	assert_int_equal(n, 3);
	assert_int_equal(classify_header_line(
	    "11月20日 14:03 FAX 0144 33 4678 市立病院 P. 002/003", s, &p, &n),
	    0);
	assert_string_equal(s, "0144-33-4678");
	assert_int_equal(p, 2);
	/* the number right after the time, a space apart: the time's
	 * digits do not swallow it */
	assert_int_equal(classify_header_line("2026-11-05 13:28 03-8009-2683 "
	    "つ あおば耳鼻咽喉科      1/3 ページ", s, &p, &n), 0);
	assert_string_equal(s, "03-8009-2683");
	assert_int_equal(n, 3);
	assert_int_equal(classify_header_line("2026-11-06 17:29 0166-94-4130 "
	    "一 はやし胃腸科クリニック 2/4ベページ", s, &p, &n), 0);
	assert_string_equal(s, "0166-94-4130");
	assert_int_equal(classify_header_line("12月 5日 13:28 あおば古見咽喉科 "
	    "FAXO116564674     No.0513 P.1/3", s, &p, &n), 0);
	assert_string_equal(s, "011-656-4674");
	assert_int_equal(classify_header_line("患者氏名 山田太郎", s, &p, &n),
	    NORM_INVALID);
	assert_int_equal(classify_cover_total("送付枚数：全３枚"), 3);
	assert_int_equal(classify_cover_total("枚数 5 (本状含む)"), 5);
	assert_int_equal(classify_cover_total("4枚(本状含む)"), 4);
	assert_int_equal(classify_cover_total("なし"), 0);
	classify_language("診療情報提供書 患者さんをご紹介いたします。", lang);
	assert_string_equal(lang, "ja");
	classify_language("Dear Dr. Sato, thank you for seeing the patient. "
	    "He was diagnosed with gastric cancer and is referred to you for "
	    "a second opinion.", lang);
	assert_string_equal(lang, "en");
}

static void
test_group(void **state)
{
	/* cover, letter, letter continued, application; separator;
	 * application, consent; a new patient's referral.  The form reads
	 * the name with one slip (太朗): the same patient. */
	struct classify_pageinfo p[] = {
		{ DOC_COVER_SHEET, 0.9, 1, 0, 0, 0, 0, NULL },
		{ DOC_REFERRAL_LETTER, 0.9, 1, 0, 0, 0, 0, "山田 太郎" },
		{ DOC_REFERRAL_LETTER, 0.6, 0, 1, 0, 0, 0, NULL },
		{ DOC_APPLICATION_FORM, 0.99, 1, 0, 0, 1, 1, "山田 太朗" },
		{ DOC_OTHER, 0.9, 0, 0, 1, 1, 0, NULL },
		{ DOC_APPLICATION_FORM, 0.99, 1, 0, 0, 1, 1, "鈴木 花子" },
		{ DOC_APPLICATION_FORM, 0.99, 1, 1, 0, 0, 2, NULL },
		{ DOC_CONSENT_FORM, 0.99, 1, 0, 0, 0, 1, "鈴木 花子" },
		{ DOC_REFERRAL_LETTER, 0.9, 1, 0, 0, 0, 0, "田中 一郎" },
		{ DOC_OTHER, 0.3, 0, 1, 0, 0, 0, "佐藤 次郎" },
	};
	struct classify_doc d[16];
	size_t nd;
	int na;

	(void)state;
	assert_int_equal(classify_group(p, 10, d, 16, &nd, &na), 0);
	assert_int_equal(na, 4);	/* 佐藤 次郎's page: a 4th */
	assert_int_equal(nd, 7);
	assert_int_equal(d[1].type, DOC_REFERRAL_LETTER);
	assert_int_equal(d[1].first, 1);
	assert_int_equal(d[1].last, 2);
	assert_int_equal(d[2].application, 0);
	assert_int_equal(d[3].first, 5);
	assert_int_equal(d[3].last, 6);
	assert_int_equal(d[3].application, 1);
	assert_int_equal(d[4].application, 1);
	assert_int_equal(d[5].application, 2);	/* another patient */
	assert_int_equal(d[6].first, 9);	/* different patient: no join */
	assert_int_equal(classify_group(p, 10, d, 3, &nd, &na), -E2BIG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_qr_pages),
		cmocka_unit_test(test_header_cover_language),
		cmocka_unit_test(test_group),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
