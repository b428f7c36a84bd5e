/*
 * test_extract.c — check boxes (empty, ticked, crossed, filled) and
 * circled options on rendered fax pages at fine and normal resolution,
 * label/value pairs from a synthetic word layout, value normalisation and
 * the validators that keep a doubtful value below the review threshold.
 * No OCR.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "faxintake/extract.h"
#include "faxintake/normalize.h"
#include "faxintake/preprocess.h"
#include "faxintake/render.h"
#include "faxintake/lsan.h"
#include "faxpage.h"


static const enum render_check states[] = { RENDER_CHECK_EMPTY,
    RENDER_CHECK_TICK, RENDER_CHECK_CROSS, RENDER_CHECK_FILL };
static const enum extract_mark want[] = { EXTRACT_MARK_EMPTY,
    EXTRACT_MARK_TICKED, EXTRACT_MARK_TICKED, EXTRACT_MARK_FILLED };
#define NSTATES	(sizeof(states) / sizeof(states[0]))
#define BOX_MM	4.0

/* Boxes in each state at x = 30 + 20 i mm, y = 50 mm; 男 circled at
 * (30, 80), 女 not at (60, 80).  As the reader gets it: 1 bit, cleaned. */
static struct Pix *
page(double ydpi)
{
	struct render_doc *doc = render_doc_new();
	struct render_page *pg;
	struct render_style st = { 0 };
	struct Pix *raw, *pix;
	struct preprocess_info pi;

	assert_non_null(doc);
	assert_int_equal(render_page_add(doc, &pg), 0);
	for (size_t i = 0; i < NSTATES; i++)
		render_checkbox(pg, 30 + 20.0 * i, 50, BOX_MM, states[i]);
	st.size = 12;
	render_text(pg, &st, 30, 80, 0, 0, "男", NULL);
	render_text(pg, &st, 60, 80, 0, 0, "女", NULL);
	render_ellipse(pg, 28, 78.5, 8.5, 7.5, 0.3);
	raw = fax_page(doc, 0, ydpi, RENDER_FAX_WIDTH);
	assert_int_equal(preprocess_page(raw, NULL, &pix, &pi), 0);
	assert_int_equal(pi.yres, 196);	/* normal made square */
	preprocess_pix_free(raw);
	render_doc_free(doc);
	return pix;
}

/* mm to pixels of the cleaned page (A4 centred in 1728 px, 204x196). */
static int
px_x(double mm)
{
	double sx = 204 / 25.4;

	return (int)((RENDER_FAX_WIDTH - 210 * sx) / 2 + mm * sx);
}

static int
px_y(double mm)
{
	return (int)(mm * 196 / 25.4);
}

static void
marks(double ydpi)
{
	struct Pix *pix = page(ydpi);
	enum extract_mark m;
	double d, circled, plain;
	int side = (int)(BOX_MM * 204 / 25.4);

	for (size_t i = 0; i < NSTATES; i++) {
		/* found from 3 px off its nominal place */
		assert_int_equal(extract_checkbox(pix, px_x(30 + 20.0 * i) + 3,
		    px_y(50) - 3, side, side, 8, &d, &m), 0);
		if (m != want[i])
			fail_msg("box %zu at %.0f dpi: mark %d (density %.3f), "
			    "want %d", i, ydpi, m, d, want[i]);
	}
	assert_int_equal(extract_checkbox(pix, 10, 10, 2, 2, 8, &d, &m),
	    -EINVAL);
	assert_int_equal(extract_circle(pix, px_x(30), px_y(80), px_x(34.5) -
	    px_x(30), px_y(84.5) - px_y(80), &circled), 0);
	assert_int_equal(extract_circle(pix, px_x(60), px_y(80), px_x(64.5) -
	    px_x(60), px_y(84.5) - px_y(80), &plain), 0);
	if (!(circled >= 0.75 && plain < 0.5))
		fail_msg("circle at %.0f dpi: circled %.2f plain %.2f", ydpi,
		    circled, plain);
	preprocess_pix_free(pix);
}

static void
test_marks_fine(void **state)
{
	(void)state;
	marks(RENDER_FAX_FINE_YDPI);
}

static void
test_marks_normal(void **state)
{
	(void)state;
	marks(RENDER_FAX_NORMAL_YDPI);
}

static const struct extract_field *
find(const struct extract_field *f, size_t n, enum field_id id)
{
	for (size_t i = 0; i < n; i++)
		if (f[i].id == id)
			return &f[i];
	return NULL;
}

/* The fields of one page of words (w[0..nw)) of type t, into out[16]. */
static void
read_labels(const struct extract_word *w, size_t nw, enum doc_type t,
    struct extract_field *out, size_t *n)
{
	*n = 0;
	assert_int_equal(extract_labels(w, nw, t, 1, out, 16, n), 0);
}
#define NW(w)	(sizeof(w) / sizeof((w)[0]))

static void
test_labels(void **state)
{
	/* two lines: 患者氏名 山田 太郎 / 生年月日 昭和45年3月12日 */
	const struct extract_word w[] = {
		{ "患者氏名", 100, 100, 160, 30, 95, 0 },
		{ "山田", 330, 100, 70, 30, 93, 0 },
		{ "太郎", 440, 100, 70, 30, 92, 0 },
		{ "生年月日", 100, 160, 160, 30, 95, 1 },
		{ "昭和45年3月12日", 330, 160, 300, 30, 90, 1 },
		{ "FAX", 100, 220, 60, 30, 95, 2 },
		{ "03-5363-3865", 330, 220, 260, 30, 91, 2 },
	};
	struct extract_field out[8];
	const struct extract_field *f;
	size_t n = 0;

	(void)state;
	assert_int_equal(extract_labels(w, sizeof(w) / sizeof(w[0]),
	    DOC_REFERRAL_LETTER, 2, out, 8, &n), 0);
	f = find(out, n, FIELD_PATIENT_NAME);
	if (f == NULL)
		fail_msg("no patient_name");
	else {
		const char *v = f->value;
		assert_non_null(strstr(v, "山田"));
		assert_non_null(strstr(v, "太郎"));
	}
	assert_int_equal(f->page, 2);
	assert_true(f->confidence > 0 && f->confidence <= 0.95);
	f = find(out, n, FIELD_PATIENT_BIRTH_DATE);
	if (f == NULL)
		fail_msg("no patient_birth_date");
	else
		assert_string_equal(f->value, "1970-03-12");
	/* a label is never its own value */
	for (size_t i = 0; i < n; i++)
		assert_false(extract_is_label(out[i].value));
}

static void
test_value(void **state)
{
	struct extract_field f;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_int_equal(extract_value(FIELD_PATIENT_BIRTH_DATE,
	    "平成元年1月8日", 0.9, &f), 0);
	assert_string_equal(f.value, "1989-01-08");
	assert_int_equal(extract_value(FIELD_REFERRING_FAX,
	    "FAX ０１６６－２５－８３７０", 0.9, &f), 0);
	assert_string_equal(f.value, "0166-25-8370");
	assert_int_equal(extract_value(FIELD_PATIENT_BIRTH_DATE, "昭和99年",
	    0.9, &f), NORM_INVALID);
	assert_true(f.confidence <= 0.3);
	assert_int_equal(extract_value(FIELD_PATIENT_AGE, "満 56 歳", 0.9,
	    &f), 0);
	assert_string_equal(f.value, "56");
	/* 別紙様式11: the circled era is the one the OCR lost */
	assert_int_equal(extract_value(FIELD_PATIENT_BIRTH_DATE,
	    "明・大急)平・令56年3月11日(45歳)職業会社員", 0.9, &f), 0);
	assert_string_equal(f.value, "1981-03-11");
	assert_true(f.confidence < 0.9);
	/* the circled era lost altogether: the age tells it */
	{
		char in[96];
		time_t now = time(NULL);
		struct tm tm;
		int age;
		gmtime_r(&now, &tm);
		age = tm.tm_year + 1900 - 1989 - (tm.tm_mon == 0 &&
		    tm.tm_mday < 8);
		snprintf(in, sizeof(in),
		    "明・大・昭和平)令元年1月8日(%d歳職業会社員", age);
		assert_int_equal(extract_value(FIELD_PATIENT_BIRTH_DATE, in,
		    0.9, &f), 0);
		assert_string_equal(f.value, "1989-01-08");
		assert_true(f.confidence < 0.8);
	}
	/* the year mangled but the age written: the year that gives the
	 * age, if the digits read are it with one wrong or lost; weak */
	{
		char in[96];
		time_t now = time(NULL);
		struct tm tm;
		int a57, a92;
		gmtime_r(&now, &tm);
		a57 = tm.tm_year + 1900 - 1957 - (tm.tm_mon + 1 < 7 ||
		    (tm.tm_mon + 1 == 7 && tm.tm_mday < 8));
		a92 = tm.tm_year + 1900 - 1992 - (tm.tm_mon + 1 < 11 ||
		    (tm.tm_mon + 1 == 11 && tm.tm_mday < 24));
		snprintf(in, sizeof(in), "明・大D-平・令82年7月8日(%d歳)職業無職",
		    a57);
		assert_int_equal(extract_value(FIELD_PATIENT_BIRTH_DATE, in,
		    0.9, &f), 0);
		assert_string_equal(f.value, "1957-07-08");
		assert_true(f.confidence < 0.6);
		snprintf(in, sizeof(in), "992/11/24(%d歳)|", a92);
		assert_int_equal(extract_value(FIELD_PATIENT_BIRTH_DATE, in,
		    0.9, &f), 0);
		assert_string_equal(f.value, "1992-11-24");
		/* 歳 misread too (茂), two era marks mangled */
		{
			int a58 = tm.tm_year + 1900 - 1958 -
			    (tm.tm_mon + 1 < 7 || (tm.tm_mon + 1 == 7 &&
			    tm.tm_mday < 2));
			snprintf(in, sizeof(in),
			    "明・大WOギー令38年7月2日(%d茂)職※人職", a58);
			assert_int_equal(extract_value(
			    FIELD_PATIENT_BIRTH_DATE, in, 0.9, &f), 0);
			assert_string_equal(f.value, "1958-07-02");
		}
		/* two digits of the year off: not that year */
		snprintf(in, sizeof(in), "明・大D-平・令88年7月8日(%d歳)", a57);
		assert_int_equal(extract_value(FIELD_PATIENT_BIRTH_DATE, in,
		    0.9, &f), NORM_INVALID);
		/* a date that reads well but not the age beside it */
		snprintf(in, sizeof(in), "昭和47年7月8日(%d歳)", a57);
		assert_int_equal(extract_value(FIELD_PATIENT_BIRTH_DATE, in,
		    0.9, &f), 0);
		assert_string_equal(f.value, "1972-07-08");
		assert_true(f.confidence <= 0.45);
	}
	/* a name's reading in hiragana, whichever script printed it */
	assert_int_equal(extract_value(FIELD_PATIENT_NAME_KANA,
	    "コバヤシ　ミナト", 0.9, &f), 0);
	assert_string_equal(f.value, "こばやし みなと");
	assert_int_equal(extract_value(FIELD_PATIENT_NAME_KANA,
	    "さとう ユーコ", 0.9, &f), 0);
	assert_string_equal(f.value, "さとう ゆーこ");
	/* a hospital's name with what a fax line adds around it */
	{
		static const char *const h[][2] = {
			{ "はやし胃腸科クリニック|", "はやし胃腸科クリニック" },
			{ "北斗ファミリーークリニック", "北斗ファミリークリニック" },
			{ "みどり内科クリニックタ.", "みどり内科クリニック" },
			{ "ーー山形市医療センター", "山形市医療センター" },
			{ "旭川市立病院分院", "旭川市立病院分院" },
			/* the kind with one letter misread or added */
			{ "山形市市民病遇", "山形市市民病院" },
			{ "新宿区記念摘院", "新宿区記念病院" },
			{ "はやし胃腸科タリニック", "はやし胃腸科クリニック" },
			{ "はやし胃腸科クタリニック", "はやし胃腸科クリニック" },
			{ "山形市医療センタ一", "山形市医療センター" },
			{ "こころの診寮所", "こころの診療所" },
			{ "苦小牧市線合摘院ー", "苫小牧市総合病院" },
			/* the words of its kind, misread */
			{ "札幌市中央区市民病遇", "札幌市中央区市民病院" },
			{ "旭川市遇央病院", "旭川市中央病院" },
			{ "旭川市浜十学病院", "旭川市赤十字病院" },
			{ "上川郡東神楽町赤十宇病院",
			    "上川郡東神楽町赤十字病院" },
			{ "あおば耳移咽喉科", "あおば耳鼻咽喉科" },
			{ "山の手消化句内科", "山の手消化器内科" },
			{ "新宿区記人病院", "新宿区記念病院" },
			{ "山形市区療センター", "山形市医療センター" },
			{ "山形市医療センター", "山形市医療センター" },
			/* kinds of their own stay */
			{ "佐藤医院", "佐藤医院" },
			{ "中村病院", "中村病院" },
			/* as near 市民病院 as 中央病院: left for staff */
			{ "札幌市中央区中民病院", "札幌市中央区中民病院" },
			{ "五十嵐病院", "五十嵐病院" },
			{ "旭川市立病院", "旭川市立病院" },
			{ "さくら呼吸器内科", "さくら呼吸器内科" },
			{ "はやし胃腸科クリニック", "はやし胃腸科クリニック" },
			{ "北海道がん治療センター", "北海道がん治療センター" },
			{ "旭川市立病院本院", "旭川市立病院本院" },
			{ "山の手消化器内科", "山の手消化器内科" },
		};
		for (size_t i = 0; i < sizeof(h) / sizeof(h[0]); i++) {
			assert_int_equal(extract_value(
			    FIELD_REFERRING_HOSPITAL, h[i][0], 0.9, &f), 0);
			assert_string_equal(f.value, h[i][1]);
		}
	}
	/* the space of a name put after a known surname, weaker */
	assert_int_equal(extract_value(FIELD_PATIENT_NAME, "佐々木さくら", 0.9,
	    &f), 0);
	assert_string_equal(f.value, "佐々木 さくら");
	assert_true(f.confidence < 0.75);
	assert_int_equal(extract_value(FIELD_PATIENT_NAME, "百目 鬼勇", 0.9,
	    &f), 0);
	assert_string_equal(f.value, "百目鬼 勇");
	assert_int_equal(extract_value(FIELD_PATIENT_NAME, "山田 太郎", 0.9,
	    &f), 0);
	assert_string_equal(f.value, "山田 太郎");
	assert_int_equal(extract_value(FIELD__COUNT, "x", 0.9, &f), -EINVAL);
}

static void
test_cover(void **state)
{
	/* a hospital's cover sheet: the recipient's FAX (御中 misread)
	 * above, the sender's block below 発信元, the patient in the
	 * message */
	const struct extract_word w[] = {
		{ "FAX送信のご案内", 100, 60, 400, 30, 95, 0 },
		{ "地域医療連携室", 100, 100, 300, 30, 95, 1 },
		{ "何中", 900, 100, 60, 30, 60, 1 },
		{ "FAX", 100, 160, 60, 30, 95, 2 },
		{ ":", 170, 160, 10, 30, 95, 2 },
		{ "03-5363-3865", 200, 160, 260, 30, 91, 2 },
		{ "発信元", 100, 220, 120, 30, 95, 3 },
		{ "川越市総合病院", 100, 260, 280, 30, 92, 4 },
		{ "TEL", 100, 300, 60, 30, 95, 5 },
		{ "049(581)8675", 200, 300, 260, 30, 90, 5 },
		{ "FAX", 100, 340, 60, 30, 95, 6 },
		{ "049(581)8676", 200, 340, 260, 30, 90, 6 },
		{ "患者", 100, 400, 60, 30, 95, 7 },
		{ "阿部", 180, 400, 60, 30, 90, 7 },
		{ "正樹", 260, 400, 60, 30, 90, 7 },
		{ "様のセカンドオピニオン外来", 340, 400, 500, 30, 90, 7 },
	};
	struct extract_field out[16];
	const struct extract_field *f;
	size_t n = 0;

	(void)state;
	assert_int_equal(extract_labels(w, sizeof(w) / sizeof(w[0]),
	    DOC_COVER_SHEET, 1, out, 16, &n), 0);
	assert_non_null(f = find(out, n, FIELD_REFERRING_HOSPITAL));
	assert_string_equal(f->value, "川越市総合病院");
	assert_non_null(f = find(out, n, FIELD_REFERRING_FAX));
	assert_string_equal(f->value, "049-581-8676");
	assert_non_null(f = find(out, n, FIELD_REFERRING_PHONE));
	assert_string_equal(f->value, "049-581-8675");
	assert_non_null(f = find(out, n, FIELD_PATIENT_NAME));
	assert_string_equal(f->value, "阿部 正樹");
}

/* A family's cover sheet and a lab report as fax OCR reads them. */
static void
test_misread_labels(void **state)
{
	const struct extract_word fam[] = {
		{ "続柄", 100, 100, 80, 30, 95, 0 },
		{ "長女", 300, 100, 80, 30, 90, 0 },
		{ "本人の来院", 600, 100, 200, 30, 90, 0 },
		{ "なし", 820, 100, 80, 30, 90, 0 },
		/* 生年月日 with its first letter misread */
		{ "邊年月日", 100, 160, 160, 30, 80, 1 },
		{ "昭和45年3月12日", 300, 160, 300, 30, 90, 1 },
		/* 申込年月日 is not the birth date */
		{ "申込年月日", 100, 220, 200, 30, 90, 2 },
		{ "令和8年11月20日", 320, 220, 300, 30, 90, 2 },
	};
	const struct extract_word two[] = {
		/* two letters of it misread, with a colon */
		{ "下征月日", 100, 160, 160, 30, 70, 0 },
		{ ":", 270, 160, 10, 30, 90, 0 },
		{ "平成6年6月6日生", 300, 160, 300, 30, 90, 0 },
		/* another date's label */
		{ "受付月日", 100, 220, 160, 30, 90, 1 },
		{ "令和8年11月20日", 320, 220, 300, 30, 90, 1 },
	};
	const struct extract_word sama[] = {
		/* 様 a little apart, read 桜 */
		{ "患者氏名", 100, 100, 160, 30, 95, 0 },
		{ "石川", 300, 100, 60, 30, 90, 0 },
		{ "花子", 400, 100, 60, 30, 90, 0 },
		{ "桜", 520, 100, 30, 30, 60, 0 },
	};
	const struct extract_word nohi[] = {
		/* its 日 lost, the value's 日 and 歳 misread */
		{ "生年月", 100, 160, 120, 30, 80, 0 },
		{ "2014年9月18昌(12疫)", 300, 160, 300, 30, 90, 0 },
	};
	const struct extract_word en[] = {
		/* an English letter: Re: Given FAMILY, Date of birth with
		 * its case and a space misread */
		{ "Re:", 100, 100, 50, 30, 95, 0 },
		{ "Misaki", 160, 100, 110, 30, 93, 0 },
		{ "DOMEKI", 280, 100, 120, 30, 93, 0 },
		{ "Date", 100, 160, 80, 30, 95, 1 },
		{ "oFbirth:", 190, 160, 130, 30, 95, 1 },
		{ "April", 330, 160, 80, 30, 92, 1 },
		{ "11,", 420, 160, 40, 30, 92, 1 },
		{ "1950", 470, 160, 80, 30, 92, 1 },
	};
	const struct extract_word yo[] = {
		/* its 月 misread (生年用日), the value's 日 read 1! */
		{ "生年用日", 100, 160, 160, 30, 80, 0 },
		{ "1945年8月151!", 300, 160, 300, 30, 90, 0 },
	};
	const struct extract_word lab[] = {
		{ "11/04", 10, 10, 100, 20, 90, 0 },
		{ "FROM-0462473529", 200, 10, 300, 20, 90, 0 },
		/* rules and specks give lines of no text before the name */
		{ "", 100, 60, 10, 10, 10, 1 },
		{ "", 100, 80, 10, 10, 10, 2 },
		{ "", 100, 100, 10, 10, 10, 3 },
		{ "横須賀市記念病院", 100, 140, 400, 30, 92, 4 },
		{ "検査結果報告書", 100, 200, 400, 40, 95, 5 },
	};
	const struct extract_word two_off[] = {
		/* 医師氏名 and 患者氏名 with letters misread (以師氏名,
		 * 加者臣名): the doctor's and the patient's; an applicant's
		 * 申込者 read alike stays the applicant's */
		{ "以師氏名", 100, 100, 160, 30, 80, 0 },
		{ "田", 1400, 100, 30, 30, 60, 0 },
		{ "加者臣名", 100, 160, 160, 30, 70, 1 },
		{ "佐々木", 300, 160, 90, 30, 90, 1 },
		{ "さくら", 400, 160, 90, 30, 90, 1 },
		{ "申込者臣名", 100, 220, 200, 30, 70, 2 },
		{ "佐々木", 320, 220, 90, 30, 90, 2 },
		{ "浩二", 420, 220, 60, 30, 90, 2 },
	};
	struct extract_field out[16];
	const struct extract_field *f;
	size_t n = 0;

	(void)state;
	assert_int_equal(extract_labels(two_off, sizeof(two_off) /
	    sizeof(two_off[0]), DOC_REFERRAL_LETTER, 1, out, 16, &n), 0);
	assert_non_null(f = find(out, n, FIELD_PATIENT_NAME));
	assert_string_equal(f->value, "佐々木 さくら");
	assert_non_null(f = find(out, n, FIELD_REFERRING_DOCTOR));
	assert_string_equal(f->value, "田");
	for (size_t i = 0; i < n; i++)
		assert_string_not_equal(out[i].value, "佐々木 浩二");
	n = 0;
	assert_int_equal(extract_labels(fam, sizeof(fam) / sizeof(fam[0]),
	    DOC_COVER_SHEET, 1, out, 16, &n), 0);
	assert_non_null(f = find(out, n, FIELD_APPLICANT_RELATIONSHIP));
	assert_string_equal(f->value, "child");
	assert_non_null(f = find(out, n, FIELD_PATIENT_BIRTH_DATE));
	assert_string_equal(f->value, "1970-03-12");
	for (size_t i = 0; i < n; i++)
		assert_string_not_equal(out[i].value, "2026-11-20");
	n = 0;
	assert_int_equal(extract_labels(two, sizeof(two) / sizeof(two[0]),
	    DOC_REFERRAL_LETTER, 1, out, 16, &n), 0);
	assert_non_null(f = find(out, n, FIELD_PATIENT_BIRTH_DATE));
	assert_string_equal(f->value, "1994-06-06");
	for (size_t i = 0; i < n; i++)
		assert_string_not_equal(out[i].value, "2026-11-20");
	n = 0;
	assert_int_equal(extract_labels(sama, sizeof(sama) / sizeof(sama[0]),
	    DOC_COVER_SHEET, 1, out, 16, &n), 0);
	assert_non_null(f = find(out, n, FIELD_PATIENT_NAME));
	assert_string_equal(f->value, "石川 花子");
	n = 0;
	assert_int_equal(extract_labels(nohi, sizeof(nohi) / sizeof(nohi[0]),
	    DOC_REFERRAL_LETTER, 1, out, 16, &n), 0);
	assert_non_null(f = find(out, n, FIELD_PATIENT_BIRTH_DATE));
	assert_string_equal(f->value, "2014-09-18");
	n = 0;
	assert_int_equal(extract_labels(en, sizeof(en) / sizeof(en[0]),
	    DOC_REFERRAL_LETTER, 1, out, 16, &n), 0);
	assert_non_null(f = find(out, n, FIELD_PATIENT_NAME));
	assert_string_equal(f->value, "Domeki Misaki");
	assert_non_null(f = find(out, n, FIELD_PATIENT_BIRTH_DATE));
	assert_string_equal(f->value, "1950-04-11");
	n = 0;
	assert_int_equal(extract_labels(yo, sizeof(yo) / sizeof(yo[0]),
	    DOC_REFERRAL_LETTER, 1, out, 16, &n), 0);
	assert_non_null(f = find(out, n, FIELD_PATIENT_BIRTH_DATE));
	assert_string_equal(f->value, "1945-08-15");
	n = 0;
	assert_int_equal(extract_labels(lab, sizeof(lab) / sizeof(lab[0]),
	    DOC_LAB_RESULTS, 1, out, 16, &n), 0);
	assert_non_null(f = find(out, n, FIELD_REFERRING_HOSPITAL));
	assert_string_equal(f->value, "横須賀市記念病院");
	/* a stacked フリガナ／氏名 cell, its slash read ン, the reading
	 * beside the labels and the name under it after the cell's rule */
	{
		const struct extract_word st[] = {
			{ "フリガナン氏名|", 100, 300, 300, 30, 80, 0 },
			{ "イガラシチヨ", 420, 300, 240, 30, 85, 0 },
			{ "患者ID", 1200, 300, 120, 30, 90, 0 },
			{ "09085090", 1340, 300, 200, 30, 90, 0 },
			{ "人|", 100, 340, 60, 30, 40, 1 },
			{ "五十嵐千代", 420, 340, 200, 30, 85, 1 },
		};
		n = 0;
		assert_int_equal(extract_labels(st, sizeof(st) /
		    sizeof(st[0]), DOC_REFERRAL_LETTER, 1, out, 16, &n), 0);
		assert_non_null(f = find(out, n, FIELD_PATIENT_NAME));
		assert_string_equal(f->value, "五十嵐 千代");
		assert_non_null(f = find(out, n, FIELD_PATIENT_NAME_KANA));
		assert_string_equal(f->value, "いがらしちよ");
	}
	/* a family's cover sheet: the name before のセカ(ン misread);
	 * a consent form: 私(name)は, its 氏名 label misread */
	{
		const struct extract_word cv[] = {
			{ "吉田", 100, 300, 80, 30, 90, 0 },
			{ "真由美のセカガン", 200, 300, 320, 30, 90, 0 },
			{ "ドオピニオン外来を申し込みます。", 530, 300, 600,
			    30, 90, 0 },
		};
		const struct extract_word cs[] = {
			{ "私", 100, 300, 30, 30, 90, 0 },
			{ "(百目鬼", 140, 300, 130, 30, 90, 0 },
			{ "美咲)", 300, 300, 100, 30, 90, 0 },
			{ "は、長男の百目鬼誠が私に代わって、", 410, 300,
			    700, 30, 90, 0 },
			{ "氏知", 100, 500, 60, 30, 90, 1 },
			{ "百目移", 200, 500, 120, 30, 90, 1 },
		};
		read_labels(cv, NW(cv), DOC_COVER_SHEET, out, &n);
		assert_non_null(f = find(out, n, FIELD_PATIENT_NAME));
		assert_string_equal(f->value, "吉田 真由美");
		read_labels(cs, NW(cs), DOC_CONSENT_FORM, out, &n);
		assert_non_null(f = find(out, n, FIELD_PATIENT_NAME));
		assert_string_equal(f->value, "百目鬼 美咲");
		assert_non_null(f = find(out, n,
		    FIELD_APPLICANT_RELATIONSHIP));
		assert_string_equal(f->value, "child");
	}
	/* a dedicated form: the patient's 氏名 right under the 御中 line
	 * is the patient's, not the recipient's */
	{
		const struct extract_word dd[] = {
			{ "苫小牧市立病院", 100, 200, 300, 30, 90, 0 },
			{ "地域医療連携室", 420, 200, 300, 30, 90, 0 },
			{ "御中", 740, 200, 60, 30, 90, 0 },
			{ "氏名", 100, 300, 80, 30, 90, 1 },
			{ "林", 400, 300, 30, 30, 90, 1 },
			{ "ヨシ", 460, 300, 60, 30, 90, 1 },
		};
		read_labels(dd, NW(dd), DOC_REFERRAL_LETTER, out, &n);
		assert_non_null(f = find(out, n, FIELD_PATIENT_NAME));
		assert_string_equal(f->value, "林 ヨシ");
	}
	/* a cover sheet's 申込者の続柄 with 続 misread */
	{
		const struct extract_word rel[] = {
			{ "申込者の締柄", 100, 300, 240, 30, 90, 0 },
			{ "父", 600, 300, 30, 30, 90, 0 },
		};
		read_labels(rel, NW(rel), DOC_COVER_SHEET, out, &n);
		assert_non_null(f = find(out, n,
		    FIELD_APPLICANT_RELATIONSHIP));
		assert_string_equal(f->value, "parent");
	}
	/* ... with 続柄 read as one letter (申込者の貫 母); but a letter's
	 * running text with a kinship letter after の (所見 read 所兄)
	 * names no relationship */
	{
		const struct extract_word rel[] = {
			{ "申込者の貫", 100, 300, 200, 30, 90, 0 },
			{ "母", 600, 300, 30, 30, 90, 0 },
			{ "本人の来院", 900, 300, 200, 30, 90, 0 },
			{ "あり", 1200, 300, 60, 30, 90, 0 },
		};
		const struct extract_word txt[] = {
			{ "胃体部に潰瘍性病変の所兄を認めた。", 100, 300, 900,
			    30, 90, 0 },
		};
		read_labels(rel, NW(rel), DOC_COVER_SHEET, out, &n);
		assert_non_null(f = find(out, n,
		    FIELD_APPLICANT_RELATIONSHIP));
		assert_string_equal(f->value, "parent");
		read_labels(txt, NW(txt), DOC_REFERRAL_LETTER, out, &n);
		assert_null(find(out, n, FIELD_APPLICANT_RELATIONSHIP));
	}
	/* a dependant's insurance card: 氏名 is the patient, the insured
	 * (被保険者氏名, not 患者氏名 misread) the family member */
	{
		const struct extract_word card[] = {
			{ "氏", 100, 300, 30, 30, 90, 0 },
			{ "名", 160, 300, 30, 30, 90, 0 },
			{ "長谷川裕子", 400, 300, 200, 30, 90, 0 },
			{ "被保険者氏名", 100, 400, 240, 30, 90, 1 },
			{ "長谷川", 400, 400, 120, 30, 90, 1 },
			{ "久美子", 540, 400, 120, 30, 90, 1 },
		};
		read_labels(card, NW(card), DOC_RELATIONSHIP_PROOF, out, &n);
		assert_non_null(f = find(out, n, FIELD_PATIENT_NAME));
		assert_string_equal(f->value, "長谷川 裕子");
		assert_non_null(f = find(out, n, FIELD_APPLICANT_NAME));
		assert_string_equal(f->value, "長谷川 久美子");
	}
}

/* A field as OCR gave it, validated: its confidence afterwards, or -1
 * when dropped. */
static double
validated(enum field_id id, const char *value, enum extract_source src)
{
	struct extract_field f;

	memset(&f, 0, sizeof(f));
	f.id = id;
	f.source = src;
	f.confidence = 0.95;
	snprintf(f.value, sizeof(f.value), "%s", value);
	snprintf(f.raw, sizeof(f.raw), "%s", value);
	return extract_validate(&f) ? -1 : f.confidence;
}

static void
test_validate(void **state)
{
	const enum extract_source Z = EXTRACT_SRC_ZONE, L = EXTRACT_SRC_LABEL;

	(void)state;
	/* labels and empty values are dropped */
	assert_true(validated(FIELD_REFERRING_FAX, "送付状", L) < 0);
	assert_true(validated(FIELD_REFERRING_HOSPITAL, "送信のご案内", L) <
	    0.8);
	assert_true(validated(FIELD_PATIENT_NAME, "氏名", L) < 0);
	assert_true(validated(FIELD_PATIENT_NAME, "", Z) < 0);
	/* one clean reading stays just below the threshold */
	assert_true(validated(FIELD_PATIENT_NAME, "山田 太郎", Z) ==
	    EXTRACT_CAP_SINGLE);
	assert_true(EXTRACT_CAP_SINGLE < 0.8);
	/* names: borders, stray symbols, runs, no split, wrong script */
	assert_true(validated(FIELD_PATIENT_NAME, "佐々木 消|", Z) <= 0.3);
	assert_true(validated(FIELD_PATIENT_NAME, "佐々木 清ーー", Z) <= 0.3);
	assert_true(validated(FIELD_PATIENT_NAME, "ーー佐々木 清", Z) <= 0.3);
	assert_true(validated(FIELD_PATIENT_NAME, "佐々木清", Z) <= 0.6);
	assert_true(validated(FIELD_PATIENT_NAME, "山田 太郎5", Z) <= 0.3);
	assert_true(validated(FIELD_PATIENT_NAME_KANA, "ン", Z) <= 0.3);
	assert_true(validated(FIELD_PATIENT_NAME_KANA, "けけ", Z) <= 0.6);
	assert_true(validated(FIELD_PATIENT_NAME_KANA, "たかはし さちコ", Z) <=
	    0.5);
	assert_true(validated(FIELD_PATIENT_NAME_KANA, "山田 たろう", Z) <=
	    0.3);
	/* phones, dates, ages */
	assert_true(validated(FIELD_REFERRING_FAX, "2166-94-4139", Z) <= 0.3);
	assert_true(validated(FIELD_REFERRING_FAX, "(203)9996-5022", Z) <=
	    0.3);
	assert_true(validated(FIELD_PATIENT_BIRTH_DATE, "2999-01-01", Z) <=
	    0.3);
	assert_true(validated(FIELD_PATIENT_BIRTH_DATE, "1850-01-01", Z) <=
	    0.3);
	assert_true(validated(FIELD_PATIENT_BIRTH_DATE, "1970-02-30", Z) <=
	    0.3);
	assert_true(validated(FIELD_PATIENT_AGE, "けけ", Z) <= 0.3);
	assert_true(validated(FIELD_PATIENT_AGE, "150", Z) <= 0.3);
	/* free text never certain */
	assert_true(validated(FIELD_PATIENT_ADDRESS, "東京都新宿区信濃町35", Z)
	    < 0.8);
	/* marks keep their own confidence */
	assert_true(validated(FIELD_PATIENT_SEX, "F", EXTRACT_SRC_MARK) >=
	    0.9);
	assert_int_equal(extract_validate(NULL), 1);
}

/* How much a value looks like a name: what chooses between a reading
 * and a header line's name one letter apart. */
static void
test_name_score(void **state)
{
	(void)state;
	/* a known surname, however spaced */
	assert_true(extract_name_score("佐々木 浩二") >
	    extract_name_score("佐々本 浩二"));
	assert_int_equal(extract_name_score("佐々木浩二"),
	    extract_name_score("佐々木 浩二"));
	/* letters of given names against OCR's */
	assert_true(extract_name_score("石川 花子") >
	    extract_name_score("石川 花了"));
	assert_true(extract_name_score("吉田 久美子") >
	    extract_name_score("吉田 久美耶"));
	assert_true(extract_name_score("渡邊 大輔") >
	    extract_name_score("渡邊 大精"));
	/* two real names score alike: no ground to choose */
	assert_int_equal(extract_name_score("佐藤 春子"),
	    extract_name_score("佐藤 花子"));
	/* kana names; an unknown surname counts from the space */
	assert_int_equal(extract_name_score("林 ヨシ"), 4);
	assert_int_equal(extract_name_score("釘宮 理恵"), 2);
	assert_int_equal(extract_name_score("釘宮 理惠"), 0);
	assert_int_equal(extract_name_score(""), 0);

	/* of two models' readings: the more name-like, however sure the
	 * other; alike, the surer; other fields by confidence alone */
	assert_true(extract_better_name(FIELD_PATIENT_NAME, "井上　訴", 0.7,
	    "井上　誠", 0.5));
	assert_false(extract_better_name(FIELD_PATIENT_NAME, "井上　誠", 0.5,
	    "井上　訴", 0.7));
	assert_true(extract_better_name(FIELD_APPLICANT_NAME, "佐藤　花子",
	    0.5, "佐藤　春子", 0.6));
	assert_false(extract_better_name(FIELD_APPLICANT_NAME, "佐藤　花子",
	    0.6, "佐藤　春子", 0.5));
	assert_true(extract_better_name(FIELD_PATIENT_NAME_KANA,
	    "いのうえ まこと", 0.5, "いのうえ まごと", 0.6));
}

/* fontconfig's and pango's caches live until exit (lsan.h) */
FAXINTAKE_LSAN_SUPPRESSIONS

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_marks_fine),
		cmocka_unit_test(test_marks_normal),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_value),
		cmocka_unit_test(test_cover),
		cmocka_unit_test(test_misread_labels),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_name_score),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	return rc;
}
