/*
 * test_reader.c — end to end through the real Tesseract jpn model: pages
 * rendered with render.h / form.h, thresholded to 1 bit at fax fine
 * (204x196) and normal (204x98), read, classified, grouped.  Few OCR'd
 * pages (Tesseract under ASan is slow).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "faxintake/form.h"
#include "faxintake/preprocess.h"
#include "faxintake/profile.h"
#include "faxintake/reader.h"
#include "faxintake/render.h"
#include "faxintake/lsan.h"
#include "faxpage.h"
#include "onethread.h"


static const char *letter =
    "紹介先医療機関　慶應義塾大学病院\n\n令和8年11月20日\n"
    "紹介元医療機関の所在地及び名称\n北海道旭川市金星町1丁目1番65号\n"
    "市立旭川病院\n電話番号 0166-24-3181\n医師氏名　佐藤 健一\n\n"
    "患者氏名　山田 太郎\n患者住所　東京都新宿区信濃町35\n"
    "電話番号 03-5363-3865\n生年月日　昭和45年3月12日（56歳）　性別　男\n\n"
    "傷病名　胃癌\n紹介目的　セカンドオピニオン\n";

static void
draw_letter(struct render_doc *doc)
{
	struct render_page *pg;
	struct render_style st = { 0 }, tt = { 0 };

	assert_int_equal(render_page_add(doc, &pg), 0);
	st.size = 11;
	render_text(pg, &st, 10, 6, 0, 0,
	    "2026/11/20 14:03  FROM: 0166-24-3181  P.1/2", NULL);
	tt.size = 20;
	tt.align = RENDER_CENTER;
	render_text(pg, &tt, 105, 22, 0, 0, "診療情報提供書", NULL);
	render_text(pg, &st, 20, 42, 170, 0, letter, NULL);
}


static const struct extract_field *
field(const struct extract_field *f, size_t n, enum field_id id)
{
	for (size_t i = 0; i < n; i++)
		if (f[i].id == id)
			return &f[i];
	return NULL;
}

static struct reader *
new_reader(void)
{
	struct reader_opts o = { FI_SRCDIR "/templates", NULL, NULL, NULL, 0 };
	struct reader *r;

	assert_int_equal(reader_new(&o, &r), 0);
	return r;
}

static void
check_letter_page(struct reader_page *pg, int fine)
{
	const struct extract_field *f;

	if (getenv("READER_DEBUG")) {
		printf("type %d conf %.2f title [%s] hdr [%s] %s\n",
		    pg->doc_type, pg->confidence, pg->title, pg->header_raw,
		    pg->header_sender);
		for (size_t i = 0; i < pg->nfields; i++)
			printf("  %s = [%s] raw [%s] %.2f\n",
			    field_id_name(pg->fields[i].id),
			    pg->fields[i].value, pg->fields[i].raw,
			    pg->fields[i].confidence);
		printf("%s\n", pg->text);
	}
	assert_int_equal(pg->doc_type, DOC_REFERRAL_LETTER);
	assert_true(pg->confidence >= (fine ? 0.8 : 0.6));
	assert_string_equal(pg->language, "ja");
	assert_int_equal(pg->dedicated_form, 0);
	assert_string_equal(pg->header_sender, "0166-24-3181");
	assert_int_equal(pg->header_page, 1);
	assert_int_equal(pg->header_pages, 2);
	f = field(pg->fields, pg->nfields, FIELD_PATIENT_BIRTH_DATE);
	assert_non_null(f);
	assert_string_equal(f->value, "1970-03-12");
	f = field(pg->fields, pg->nfields, FIELD_REFERRING_PHONE);
	assert_non_null(f);
	assert_string_equal(f->value, "0166-24-3181");
	/* the normal page is read softened (preprocess_ocr_gray): better
	 * over the dev split, but its 電話 label may read 写 */
	f = field(pg->fields, pg->nfields, FIELD_PATIENT_PHONE);
	if (fine || f != NULL) {
		assert_non_null(f);
		assert_string_equal(f->value, "03-5363-3865");
	}
	f = field(pg->fields, pg->nfields, FIELD_PATIENT_SEX);
	assert_non_null(f);
	assert_string_equal(f->value, "M");
	if (fine) {
		/* 癌 is often misread (胃導, 胃韻): then it must not look
		 * certain */
		f = field(pg->fields, pg->nfields, FIELD_DIAGNOSIS);
		assert_non_null(f);
		if (strcmp(f->value, "胃癌") != 0)
			assert_true(f->confidence < 0.8);
		f = field(pg->fields, pg->nfields, FIELD_REFERRING_HOSPITAL);
		assert_non_null(f);
		assert_string_equal(f->value, "市立旭川病院");
	}
	for (size_t i = 0; i < pg->nfields; i++) {
		assert_true(pg->fields[i].confidence >= 0 &&
		    pg->fields[i].confidence <= 1);
		assert_int_equal(pg->fields[i].page, pg->pageno);
	}
}

/* A letter (fine), the same letter (normal), then a separator, a filled
 * application form: two applications. */
static void
set_field(struct reader_document *d, enum field_id id, const char *v,
    double c)
{
	struct extract_field *f = &d->fields[d->nfields++];

	memset(f, 0, sizeof(*f));
	f->id = id;
	snprintf(f->value, sizeof(f->value), "%s", v);
	snprintf(f->raw, sizeof(f->raw), "%s", v);
	f->confidence = c;
	f->page = 1;
}

/* The patient's identity across one application's documents. */
static void
test_consensus(void **state)
{
	struct reader_document docs[4], two[3];
	struct reader_file rf = { docs, 4, 2, 4, "" };
	struct reader_file rf2 = { two, 3, 1, 3, "" };

	(void)state;
	memset(docs, 0, sizeof(docs));
	docs[3].application = 1;		/* another application */
	set_field(&docs[0], FIELD_PATIENT_NAME, "齋藤 紗希", 0.52);
	set_field(&docs[0], FIELD_PATIENT_BIRTH_DATE, "2013-05-05", 0.7);
	set_field(&docs[1], FIELD_PATIENT_NAME, "穴藤紗希", 0.16);
	set_field(&docs[1], FIELD_PATIENT_BIRTH_DATE, "2013-05-06", 0.3);
	set_field(&docs[2], FIELD_PATIENT_NAME, "大田美由天", 0.1);
	set_field(&docs[2], FIELD_PATIENT_BIRTH_DATE, "2013-06-06", 0.3);
	set_field(&docs[3], FIELD_PATIENT_NAME, "齋藤紗布", 0.1);
	reader_consensus(&rf);
	/* one letter off a better reading: that reading, weaker */
	assert_string_equal(docs[1].fields[0].value, "齋藤 紗希");
	assert_string_equal(docs[1].fields[0].raw, "穴藤紗希");
	assert_true(docs[1].fields[0].confidence < 0.52);
	assert_string_equal(docs[1].fields[1].value, "2013-05-05");
	/* further off: another patient's page maybe, left alone */
	assert_string_equal(docs[2].fields[0].value, "大田美由天");
	assert_string_equal(docs[2].fields[1].value, "2013-06-06");
	/* another application of a batch: never */
	assert_string_equal(docs[3].fields[0].value, "齋藤紗布");
	/* the better reading itself is unchanged */
	assert_string_equal(docs[0].fields[0].value, "齋藤 紗希");
	assert_true(docs[0].fields[0].confidence == 0.52);

	/* one page reads "better", two others agree with each other: the
	 * two are not overruled; the one is, and the space is taken from
	 * the better of the two */
	memset(two, 0, sizeof(two));
	set_field(&two[0], FIELD_PATIENT_NAME, "大川結衣", 0.55);
	set_field(&two[1], FIELD_PATIENT_NAME, "石川 結衣", 0.5);
	set_field(&two[2], FIELD_PATIENT_NAME, "石川結衣", 0.25);
	reader_consensus(&rf2);
	assert_string_equal(two[0].fields[0].value, "石川 結衣");
	assert_string_equal(two[1].fields[0].value, "石川 結衣");
	assert_string_equal(two[2].fields[0].value, "石川 結衣");
	assert_true(two[2].fields[0].confidence < 0.5);

	/* the clinic's FAX: one digit off a better reading is taken, two
	 * are another number */
	memset(two, 0, sizeof(two));
	set_field(&two[0], FIELD_REFERRING_FAX, "011-472-2715", 0.7);
	set_field(&two[1], FIELD_REFERRING_FAX, "011-472-2745", 0.3);
	set_field(&two[2], FIELD_REFERRING_FAX, "011-412-2745", 0.3);
	reader_consensus(&rf2);
	assert_string_equal(two[1].fields[0].value, "011-472-2715");
	assert_string_equal(two[2].fields[0].value, "011-412-2745");

	/* a birth date that is no date, one digit from a date read on
	 * another page (in 和暦 or 西暦): that date; two digits off: kept */
	memset(two, 0, sizeof(two));
	set_field(&two[0], FIELD_PATIENT_BIRTH_DATE, "2014-09-18", 0.6);
	set_field(&two[1], FIELD_PATIENT_BIRTH_DATE, "平成26年月18日", 0.05);
	set_field(&two[2], FIELD_PATIENT_BIRTH_DATE, "2O14年19月1日", 0.05);
	reader_consensus(&rf2);
	assert_string_equal(two[1].fields[0].value, "2014-09-18");
	assert_string_equal(two[1].fields[0].raw, "平成26年月18日");
	assert_true(two[1].fields[0].confidence < 0.6);
	assert_string_equal(two[2].fields[0].value, "2O14年19月1日");
	memset(two, 0, sizeof(two));
	set_field(&two[0], FIELD_PATIENT_BIRTH_DATE, "1986-10-21", 0.6);
	set_field(&two[1], FIELD_PATIENT_BIRTH_DATE, "昭和61年190月21日", 0.3);
	reader_consensus(&rf2);
	assert_string_equal(two[1].fields[0].value, "1986-10-21");

	/* guesses (a report's issuer line read past recognition): the
	 * reading one resembles, below review; one that resembles nothing
	 * is dropped; a document's own reading beats its guess */
	memset(two, 0, sizeof(two));
	set_field(&two[0], FIELD_REFERRING_HOSPITAL, "みどり内科クリニック",
	    0.6);
	set_field(&two[1], FIELD_REFERRING_HOSPITAL, "みどり内相クタリエッの",
	    0.5);
	two[1].fields[0].source = EXTRACT_SRC_GUESS;
	set_field(&two[1], FIELD_PATIENT_NAME, "長谷川 裕子", 0.5);
	set_field(&two[2], FIELD_REFERRING_HOSPITAL, "株式会社エスアールエル",
	    0.5);
	two[2].fields[0].source = EXTRACT_SRC_GUESS;
	reader_consensus(&rf2);
	assert_int_equal(two[1].nfields, 2);
	assert_string_equal(two[1].fields[0].value, "みどり内科クリニック");
	assert_true(two[1].fields[0].confidence < 0.6);
	assert_int_equal(two[1].fields[0].source, EXTRACT_SRC_LABEL);
	assert_int_equal(two[2].nfields, 0);
	memset(two, 0, sizeof(two));
	set_field(&two[0], FIELD_REFERRING_HOSPITAL, "みどり内科クリニック",
	    0.6);
	set_field(&two[1], FIELD_REFERRING_HOSPITAL, "みどり内科クリニック",
	    0.5);
	set_field(&two[1], FIELD_REFERRING_HOSPITAL, "みどり内科タリニック",
	    0.5);
	two[1].fields[1].source = EXTRACT_SRC_GUESS;
	reader_consensus(&rf2);
	assert_int_equal(two[1].nfields, 1);
	assert_int_equal(two[1].fields[0].source, EXTRACT_SRC_LABEL);
}

/* A family's fax header line names the sender: a reading of the
 * patient's or applicant's name one letter off it takes it, unless the
 * reading looks more like a name, or as much and was read well. */
static void
test_header_names(void **state)
{
	struct reader_document docs[4];
	struct reader_file rf = { docs, 4, 2, 4, "" };
	const char *lines[4] = {
		"2026/10/08 14:22 FROM:011-257-8935 東海林 健一郎 P.001/004",
		"2026/10/08 14:22 FROM:011-257-8935 東海林健一郎 P.002/004",
		"2026/10/08 14:22 FROM:011-257-8935 東海林 健一郎 P.003/004",
		"2026-11-06 14:45 0166-50-0337 一 佐藤 春子 1/1 ページ",
	};

	(void)state;
	memset(docs, 0, sizeof(docs));
	for (int i = 0; i < 4; i++)
		docs[i].first_page = docs[i].last_page = i + 1;
	docs[3].application = 1;
	/* read poorly, a letter no parent chose, or as name-like but weak */
	set_field(&docs[0], FIELD_PATIENT_NAME, "東海林 健一雪", 0.10);
	set_field(&docs[0], FIELD_PATIENT_BIRTH_DATE, "1954-04-13", 0.5);
	set_field(&docs[1], FIELD_PATIENT_NAME, "東海林 健一邸", 0.6);
	set_field(&docs[1], FIELD_APPLICANT_NAME, "東海休 健一郎", 0.7);
	/* two letters off: another person */
	set_field(&docs[2], FIELD_PATIENT_NAME, "東海林 健二朗", 0.1);
	/* another application: 佐藤 春子's machine, her daughter's name
	 * read well stays hers */
	set_field(&docs[3], FIELD_PATIENT_NAME, "佐藤 花子", 0.55);
	reader_header_names(&rf, lines, 4);
	assert_string_equal(docs[0].fields[0].value, "東海林 健一郎");
	assert_string_equal(docs[0].fields[0].raw, "東海林 健一雪");
	assert_true(docs[0].fields[0].confidence < 0.8);
	assert_string_equal(docs[0].fields[1].value, "1954-04-13");
	assert_string_equal(docs[1].fields[0].value, "東海林 健一郎");
	assert_string_equal(docs[1].fields[1].value, "東海林 健一郎");
	assert_true(docs[1].fields[1].confidence < 0.7);
	assert_string_equal(docs[2].fields[0].value, "東海林 健二朗");
	assert_string_equal(docs[3].fields[0].value, "佐藤 花子");

	/* a header misread (花了) never overrules a reading that looks
	 * more like a name, however weak; a clinic's header names no
	 * person; the space is the reading's where the header has none */
	memset(docs, 0, sizeof(docs));
	for (int i = 0; i < 4; i++)
		docs[i].first_page = docs[i].last_page = i + 1;
	lines[0] = "2026-12-07 15:54 0144-35-2483 一 石川 花了 1/2 ページ";
	lines[1] = "2026-12-07 15:54 0144-35-2483 一 石川 花了 2/2 ページ";
	lines[2] = "11月5日 18:41 あおば耳鼻咽喉科 FAX 0166466013 P.1/3";
	lines[3] = "11月5日 18:41 FAX 0166466013 釘宮理恵 P.1/3";
	set_field(&docs[0], FIELD_PATIENT_NAME, "石川 花子", 0.1);
	set_field(&docs[2], FIELD_REFERRING_HOSPITAL, "あおば耳鼻咽喉料",
	    0.3);
	set_field(&docs[3], FIELD_PATIENT_NAME, "釘宮 理惠", 0.2);
	rf.napplications = 1;
	reader_header_names(&rf, lines, 4);
	assert_string_equal(docs[0].fields[0].value, "石川 花子");
	assert_true(docs[0].fields[0].confidence == 0.1);
	assert_true(docs[0].fields[0].confidence == 0.1);
	assert_string_equal(docs[2].fields[0].value, "あおば耳鼻咽喉料");
	assert_string_equal(docs[3].fields[0].value, "釘宮 理恵");

	/* header lines that disagree read the name poorly: a name as
	 * name-like as the reading is no ground to change it */
	memset(docs, 0, sizeof(docs));
	for (int i = 0; i < 2; i++)
		docs[i].first_page = docs[i].last_page = i + 1;
	rf.ndocs = 2;
	lines[0] = "12月 9日 16:28 渡邊大精 FAX0462349088 No.0901 P.1/ 2";
	lines[1] = "12月 9日 16:28 渡邊大博 FAX0462349088 No.0901 P.2/ 2";
	set_field(&docs[1], FIELD_APPLICANT_NAME, "渡邊 大輔", 0.24);
	reader_header_names(&rf, lines, 2);
	assert_string_equal(docs[1].fields[0].value, "渡邊 大輔");
	lines[0] = lines[1];
	reader_header_names(&rf, lines, 2);
	assert_string_equal(docs[1].fields[0].value, "渡邊 大博");
	reader_header_names(&rf, NULL, 0);

	/* the patient's surname one letter off the family's, and no known
	 * one: the family's, as sure as it was read; a known surname of
	 * its own (a married daughter's mother) stays */
	memset(docs, 0, sizeof(docs));
	for (int i = 0; i < 4; i++)
		docs[i].first_page = docs[i].last_page = i + 1;
	rf.ndocs = 4;
	for (int i = 0; i < 4; i++)
		lines[i] = "2026/11/21 09:12 FROM:023-641-8637 渡辺 由美子";
	set_field(&docs[0], FIELD_PATIENT_NAME, "渡妨 正樹", 0.31);
	set_field(&docs[1], FIELD_PATIENT_NAME, "渡功正樹", 0.22);
	set_field(&docs[2], FIELD_PATIENT_NAME, "渡部 正樹", 0.3);
	set_field(&docs[3], FIELD_PATIENT_NAME, "波功 正樹", 0.3);
	reader_header_names(&rf, lines, 4);
	assert_string_equal(docs[0].fields[0].value, "渡辺 正樹");
	assert_true(docs[0].fields[0].confidence == 0.31);
	assert_string_equal(docs[1].fields[0].value, "渡辺 正樹");
	assert_string_equal(docs[2].fields[0].value, "渡部 正樹");
	assert_string_equal(docs[3].fields[0].value, "波功 正樹");
}

/* A long batch from one machine: every page's reading one letter off
 * the header's name takes it (the pages are counted once, not once a
 * reading). */
static void
test_header_names_batch(void **state)
{
	enum { NP = 200 };
	struct reader_document *docs = calloc(NP, sizeof(*docs));
	const char **lines = calloc(NP, sizeof(*lines));
	struct reader_file rf = { docs, NP, 1, NP, "" };

	(void)state;
	assert_non_null(docs);
	assert_non_null(lines);
	for (int i = 0; i < NP; i++) {
		docs[i].first_page = docs[i].last_page = i + 1;
		set_field(&docs[i], FIELD_PATIENT_NAME, i % 2 ?
		    "東海林 健一邸" : "東海林 健一郎", 0.1);
		lines[i] = "2026/10/08 14:22 FROM:011-257-8935 東海林 健一郎";
	}
	reader_header_names(&rf, lines, NP);
	for (int i = 0; i < NP; i++)
		assert_string_equal(docs[i].fields[0].value, "東海林 健一郎");
	free(lines);
	free(docs);
}

static void
test_reader_file(void **state)
{
	struct render_doc *doc = render_doc_new();
	struct reader *r = new_reader();
	struct reader_page pg;
	struct reader_file file;
	struct form *sep, *app;
	struct profile *pr;
	struct form_hospital h;
	struct form_department *depts;
	char *errs = NULL;
	static const struct form_value vals[] = {
		{ "patient_name", "鈴木 花子", 0, NULL, 0 },
		{ "patient_sex", "F", RENDER_CHECK_TICK, NULL, 0 },
		{ "patient_birth_date", "showa,52,4,1", RENDER_CHECK_TICK,
		    NULL, 0 },
		{ "patient_phone", "090-1234-5678", 0, NULL, 0 },
		{ "applicant_relationship", "child", RENDER_CHECK_FILL, NULL,
		    0 },
		{ "patient_attends", "no", RENDER_CHECK_TICK, NULL, 0 },
	};
	struct Pix *pix;
	const struct extract_field *f;

	(void)state;
	assert_non_null(doc);
	draw_letter(doc);
	assert_int_equal(form_load_named(FI_SRCDIR "/templates", "separator",
	    &sep, &errs), 0);
	assert_int_equal(form_load_named(FI_SRCDIR "/templates",
	    "application", &app, &errs), 0);
	assert_int_equal(profile_load(FI_SRCDIR "/templates/hospitals/keio",
	    &pr, &errs), 0);
	assert_int_equal(form_hospital_from_profile(pr, &h, &depts), 0);
	assert_int_equal(form_render(sep, &h, NULL, 0, doc, NULL), 0);
	assert_int_equal(form_render(app, &h, vals, sizeof(vals) /
	    sizeof(vals[0]), doc, NULL), 0);

	/* page 1: letter, fine */
	pix = fax_page(doc, 0, RENDER_FAX_FINE_YDPI, RENDER_FAX_WIDTH);
	assert_int_equal(reader_page(r, pix, 1, &pg), 0);
	preprocess_pix_free(pix);
	check_letter_page(&pg, 1);
	assert_true(pg.usec_ocr > 0);
	reader_page_clear(&pg);
	/* page 2: letter, normal */
	pix = fax_page(doc, 0, RENDER_FAX_NORMAL_YDPI, RENDER_FAX_WIDTH);
	assert_int_equal(reader_page(r, pix, 2, &pg), 0);
	preprocess_pix_free(pix);
	check_letter_page(&pg, 0);
	reader_page_clear(&pg);
	/* page 3: separator (not OCR'd) */
	pix = fax_page(doc, 1, RENDER_FAX_FINE_YDPI, RENDER_FAX_WIDTH);
	assert_int_equal(reader_page(r, pix, 3, &pg), 0);
	preprocess_pix_free(pix);
	assert_true(pg.separator);
	assert_true(pg.has_qr);
	assert_string_equal(pg.qr.form, "separator");
	assert_int_equal(pg.usec_ocr, 0);
	reader_page_clear(&pg);
	/* page 4: our application form, page 1, by zones */
	pix = fax_page(doc, 2, RENDER_FAX_FINE_YDPI, RENDER_FAX_WIDTH);
	assert_int_equal(reader_page(r, pix, 4, &pg), 0);
	preprocess_pix_free(pix);
	assert_int_equal(pg.doc_type, DOC_APPLICATION_FORM);
	assert_string_equal(pg.qr.hospital, "keio");
	f = field(pg.fields, pg.nfields, FIELD_PATIENT_SEX);
	assert_non_null(f);
	assert_string_equal(f->value, "F");
	f = field(pg.fields, pg.nfields, FIELD_APPLICANT_RELATIONSHIP);
	assert_non_null(f);
	assert_string_equal(f->value, "child");
	f = field(pg.fields, pg.nfields, FIELD_PATIENT_ATTENDS);
	assert_non_null(f);
	assert_string_equal(f->value, "no");
	f = field(pg.fields, pg.nfields, FIELD_PATIENT_PHONE);
	assert_non_null(f);
	if (strcmp(f->value, "090-1234-5678") != 0)
		fail_msg("patient_phone \"%s\" (raw \"%s\")", f->value,
		    f->raw);
	f = field(pg.fields, pg.nfields, FIELD_PATIENT_BIRTH_DATE);
	assert_non_null(f);
	assert_string_equal(f->value, "1977-04-01");
	/* the long strokes of 木 are writing, not the box's rules */
	f = field(pg.fields, pg.nfields, FIELD_PATIENT_NAME);
	assert_non_null(f);
	if (strcmp(f->value, "鈴木 花子") != 0)
		fail_msg("patient_name \"%s\" (raw \"%s\")", f->value,
		    f->raw);
	reader_page_clear(&pg);

	assert_int_equal(reader_file_finish(r, &file), 0);
	assert_int_equal(file.npages, 4);
	assert_int_equal(file.napplications, 2);
	/* page 2 has its own title: a second letter, not a continuation */
	assert_int_equal(file.ndocs, 3);
	assert_int_equal(file.docs[0].type, DOC_REFERRAL_LETTER);
	assert_int_equal(file.docs[0].first_page, 1);
	assert_int_equal(file.docs[0].last_page, 1);
	assert_int_equal(file.docs[0].dedicated_form, FACT_NO);
	assert_int_equal(file.docs[1].first_page, 2);
	assert_int_equal(file.docs[1].application, 0);
	assert_int_equal(file.docs[2].type, DOC_APPLICATION_FORM);
	assert_int_equal(file.docs[2].first_page, 4);
	assert_int_equal(file.docs[2].application, 1);
	assert_string_equal(file.header_sender, "0166-24-3181");
	reader_file_clear(&file);

	free(depts);
	profile_free(pr);
	form_free(sep);
	form_free(app);
	reader_free(r);
	render_doc_free(doc);
}

/* fontconfig's and pango's caches live until exit (lsan.h) */
FAXINTAKE_LSAN_SUPPRESSIONS

/*
 * A page of doc (its idx'th) with a sender's header line, a title in
 * large type and body text, faxed fine and read as page pageno into *pg.
 */
static void
read_header_page(struct reader *r, struct render_doc *doc, int idx,
    const char *header, const char *title, const char *body, int pageno,
    struct reader_page *pg)
{
	struct render_page *rp;
	struct render_style st = { 0 }, tt = { 0 };
	struct Pix *pix;

	st.size = 11;
	tt.size = 20;
	tt.align = RENDER_CENTER;
	assert_int_equal(render_page_add(doc, &rp), 0);
	render_text(rp, &st, 10, 6, 0, 0, header, NULL);
	render_text(rp, &tt, 105, 22, 0, 0, title, NULL);
	render_text(rp, &st, 20, 42, 170, 0, body, NULL);
	pix = fax_page(doc, idx, RENDER_FAX_FINE_YDPI, RENDER_FAX_WIDTH);
	assert_int_equal(reader_page(r, pix, pageno, pg), 0);
	preprocess_pix_free(pix);
}

/* A clinic's lab sheet whose only hospital name is the one its fax
 * machine prints in the header line: taken, weak.  A family's form with
 * the family's header: its number is not the clinic's. */
static void
test_header_hospital(void **state)
{
	struct render_doc *doc = render_doc_new();
	struct reader *r = new_reader();
	struct reader_page pg;
	const struct extract_field *f;

	(void)state;
	assert_non_null(doc);
	read_header_page(r, doc, 0, "2026/11/20 14:03  "
	    "FROM: 0166-94-4130  はやし胃腸科クリニック  P.1/1",
	    "検査結果報告書", "患者ID 0864312　氏名 佐々木 "
	    "さくら 様　女　32歳\n採取日 2026/11/01\n"
	    "検査項目 結果 基準値 単位\nHb 11.6 11.6-16.8 g/dL\n", 1, &pg);
	assert_int_equal(pg.doc_type, DOC_LAB_RESULTS);
	f = field(pg.fields, pg.nfields, FIELD_REFERRING_HOSPITAL);
	assert_non_null(f);
	assert_string_equal(f->value, "はやし胃腸科クリニック");
	assert_int_equal(f->source, EXTRACT_SRC_HEADER);
	assert_true(f->confidence <= 0.45);
	reader_page_clear(&pg);

	/* a family's own application form names the clinic, but the
	 * header's number is the family's machine: not the clinic's FAX */
	read_header_page(r, doc, 1, "2026/11/20 14:03  "
	    "FROM: 0166-50-0337  佐々木 浩二  P.1/1",
	    "セカンドオピニオン外来申込書", "患者氏名 佐々木 さくら\n"
	    "希望診療科 産婦人科\n医療機関名 はやし胃腸科クリニック\n"
	    "主治医 斎藤 茂\n", 2, &pg);
	assert_int_equal(pg.doc_type, DOC_APPLICATION_FORM);
	assert_non_null(field(pg.fields, pg.nfields,
	    FIELD_REFERRING_HOSPITAL));
	f = field(pg.fields, pg.nfields, FIELD_REFERRING_FAX);
	if (f != NULL && strcmp(f->value, "0166-50-0337") == 0)
		fail_msg("the family's number taken for the clinic's FAX");
	reader_page_clear(&pg);

	/* a clinic's report the patient faxed on from his own machine:
	 * a header naming a person gives no clinic's FAX */
	read_header_page(r, doc, 2, "2026/10/08 14:22  "
	    "FROM:011-257-8935  東海林 健一郎  P.003/005",
	    "検査結果報告書", "患者ID 3918398　氏名 東海林 健一郎 "
	    "様　男　72歳\n採取日 2026/10/01\n"
	    "検査項目 結果 基準値 単位\nHb 13.6 13.5-17.6 g/dL\n", 3, &pg);
	assert_int_equal(pg.doc_type, DOC_LAB_RESULTS);
	f = field(pg.fields, pg.nfields, FIELD_REFERRING_FAX);
	if (f != NULL && strcmp(f->value, "011-257-8935") == 0)
		fail_msg("the patient's number taken for the clinic's FAX");
	reader_page_clear(&pg);

	/* a cover sheet whose addressee block lost its 御中 and whose
	 * sender block its 発信元: of its two FAX numbers, the one the
	 * header line names is the sender's */
	read_header_page(r, doc, 3, "2026/11/20 14:03  "
	    "FAX 0166533395  みどり内科クリニック  P.1/1", "FAX送付状",
	    "市立旭川病院\n地域医療連携課\nFAX：0166-25-8370\n\n\n"
	    "みどり内科クリニック\n血液内科 百目鬼 隆\n"
	    "TEL 0166-53-3394\nFAX 0166-53-3395\n\n"
	    "送信枚数 本紙を含め 全2枚\n", 3, &pg);
	assert_int_equal(pg.doc_type, DOC_COVER_SHEET);
	f = field(pg.fields, pg.nfields, FIELD_REFERRING_FAX);
	assert_non_null(f);
	assert_string_equal(f->value, "0166-53-3395");
	reader_page_clear(&pg);
	reader_free(r);
	render_doc_free(doc);
}

int
main(int argc, char **argv)
{
	(void)argc;
	one_thread(argv);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_consensus),
		cmocka_unit_test(test_header_names),
		cmocka_unit_test(test_header_names_batch),
		cmocka_unit_test(test_reader_file),
		cmocka_unit_test(test_header_hospital),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
