/*
 * letters.c — referral letters (診療情報提供書) in the layouts a hospital
 * receives: the 別紙様式11 form (circled 男・女 and era), an electronic
 * record system's print-out, a letter (書簡) style, Tomakomai's dedicated
 * form, and a letter in English.  Long courses continue on 続紙 pages.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faxintake/xmalloc.h"

#include "faxsynth.h"

#define G	RENDER_FONT_GOTHIC
#define M	RENDER_FONT_MINCHO

struct lt {
	struct fs_draw	*dw;
	struct fs_doc	*d;
	struct fs_app	*a;
	const struct fs_dx *dx;
	const char	*font;
	char		*pname_raw, *phone_raw, *cphone_raw, *cfax_raw;
	char		*doctor_raw, *course;
	int		 first_pageno;	/* index of the letter's first page */
};

static double
tw(struct fs_draw *dw, const char *font, double size, const char *s)
{
	struct render_style st;
	double w = 0;

	memset(&st, 0, sizeof(st));
	st.font = font;
	st.size = size;
	(void)render_text_measure(dw->rd, &st, 0, s, &w, NULL);
	return w;
}

/* Options "a・b・c" with option k circled; returns the end x. */
static double
circled(struct fs_draw *dw, struct render_page *p, const char *font,
    double size, double x, double y, const char *const *opts, int n, int k)
{
	double w, hh = size / 72.0 * 25.4;
	int i;

	for (i = 0; i < n; i++) {
		w = tw(dw, font, size, opts[i]);
		draw_txt(p, font, size, 0, x, y, opts[i]);
		if (i == k)
			render_ellipse(p, x - 1.3 + rng_range(dw->rng, -.3, .3),
			    y - 0.6 + rng_range(dw->rng, -.3, .3), w + 2.6,
			    hh + 1.6, 0.4);
		x += w;
		if (i + 1 < n) {
			draw_txt(p, font, size, 0, x, y, "・");
			x += tw(dw, font, size, "・");
		}
	}
	return x;
}

static void
common_fields(struct lt *t)
{
	struct fs_draw *dw = t->dw;
	struct fs_app *a = t->a;
	char *v, age[16];
	static const enum fs_phone_style ps[] = { FS_PH_HYPHEN, FS_PH_HYPHEN,
	    FS_PH_BRACKET, FS_PH_AREA_BRACKET, FS_PH_FULLWIDTH };

	t->dx = &fs_dxs[a->dx];
	t->pname_raw = person_name_raw(dw->rng, &a->patient);
	v = person_name(&a->patient);
	doc_field(t->d, FIELD_PATIENT_NAME, v, t->pname_raw);
	free(v);
	doc_field(t->d, FIELD_PATIENT_SEX, a->patient.sex == 'M' ? "M" : "F",
	    a->patient.sex == 'M' ? "男" : "女");
	snprintf(age, sizeof(age), "%d", a->age);
	doc_field(t->d, FIELD_PATIENT_AGE, age, age);
	t->phone_raw = phone_format(&a->patient_phone, RNG_PICK(dw->rng, ps));
	v = phone_value(&a->patient_phone);
	doc_field(t->d, FIELD_PATIENT_PHONE, v, t->phone_raw);
	free(v);
	t->cphone_raw = phone_format(&a->clinic_phone, RNG_PICK(dw->rng, ps));
	v = phone_value(&a->clinic_phone);
	doc_field(t->d, FIELD_REFERRING_PHONE, v, t->cphone_raw);
	free(v);
	t->cfax_raw = phone_format(&a->clinic_fax, RNG_PICK(dw->rng, ps));
	v = phone_value(&a->clinic_fax);
	doc_field(t->d, FIELD_REFERRING_FAX, v, t->cfax_raw);
	free(v);
	doc_field(t->d, FIELD_REFERRING_HOSPITAL, a->clinic, a->clinic);
	t->doctor_raw = person_name_raw(dw->rng, &a->doctor);
	v = person_name(&a->doctor);
	doc_field(t->d, FIELD_REFERRING_DOCTOR, v, t->doctor_raw);
	free(v);
	doc_field(t->d, FIELD_DIAGNOSIS, t->dx->name, t->dx->name);
	doc_field(t->d, FIELD_PATIENT_ADDRESS, a->address, a->address);
	doc_field(t->d, FIELD_DEPARTMENT, a->department, a->department);
	/* A course long enough, now and then, for a continuation sheet. */
	if (a->age >= 18 && rng_chance(dw->rng, 0.35))
		xasprintf(&t->course, "%s\n\n【経過の詳細】\n初診時の血液"
		    "検査では軽度の貧血と炎症反応の上昇を認めた。その後の"
		    "画像検査の結果を踏まえ、治療方針について本人および家族"
		    "に説明を行った。本人は治療内容について十分に理解された"
		    "うえで、他院の専門医の意見も聞いてから決めたいと希望"
		    "された。\n外来での経過観察中、体重は3か月で2kg減少した。"
		    "食欲は保たれており、日常生活動作は自立している"
		    "（PS 0〜1）。疼痛はNRSで2程度、頓用の鎮痛薬で"
		    "コントロールされている。\n\n【検査所見の推移】\n"
		    "血液検査では肝機能・腎機能に大きな異常はなく、腫瘍"
		    "マーカーは前回より軽度上昇している。画像所見の詳細は"
		    "添付の画像診断報告書をご参照ください。\n\n以上の経過から、"
		    "セカンドオピニオンをお願いしたく存じます。検査結果、画像"
		    "（CD-R）は別途お渡しいたします。\n\n【内服薬の経過】\n"
		    "前医より継続している降圧薬、脂質異常症治療薬のほか、疼痛"
		    "に対してアセトアミノフェンを頓用で使用している。アレルギー"
		    "歴はない。喫煙歴は20本×30年（10年前に禁煙）、飲酒は機会"
		    "飲酒。家族歴として父が胃癌、母が高血圧症。", t->dx->course);
	else
		t->course = xstrdup(t->dx->course);
}

static void
lt_free(struct lt *t)
{
	free(t->pname_raw);
	free(t->phone_raw);
	free(t->cphone_raw);
	free(t->cfax_raw);
	free(t->doctor_raw);
	free(t->course);
}

static char *
birth_raw(struct lt *t, enum fs_date_style st)
{
	struct fs_app *a = t->a;
	char *raw = date_format(a->patient.by, a->patient.bm, a->patient.bd,
	    st), *v = date_iso(a->patient.by, a->patient.bm, a->patient.bd);

	doc_field(t->d, FIELD_PATIENT_BIRTH_DATE, v, raw);
	free(v);
	return raw;
}

/* "○○先生 御侍史": the doctor asked for, or whoever is in charge. */
static const char *
doctor_sensei(struct lt *t)
{
	return t->a->desired_doctor ? t->a->desired_doctor : "ご担当";
}

/* 続紙 header */
static void
cont_header(struct fs_draw *dw, struct render_page *p, int pageno,
    void *arg)
{
	struct lt *t = arg;

	draw_center(p, t->font, 15, 1, 105, 12, "診療情報提供書（続紙）");
	draw_txtf(p, t->font, 10, 0, 15, 22, "患者氏名　%s　殿", t->pname_raw);
	draw_right(p, t->font, 9, 195, 22, "");
	draw_txtf(p, G, 8, 0, 180, 285, "%d枚目", pageno);
	render_line(p, 15, 27, 195, 27, 0.3);
	(void)dw;
}

/* --- 別紙様式11 ------------------------------------------------------------ */

static const char *const sexes[] = { "男", "女" };
static const char *const era_s[] = { "明", "大", "昭", "平", "令" };

static int
yoshiki11(struct lt *t)
{
	struct fs_draw *dw = t->dw;
	struct fs_app *a = t->a;
	struct render_page *p = draw_page(dw);
	const char *f = t->font;
	double y, x;
	int era, ey, pageno = 1;
	char *s, *dt;
	static const struct { const char *label; double h; } sec[] = {
		{ "傷病名", 14 }, { "紹介目的", 14 },
		{ "既往歴及び家族歴", 16 }, { "症状経過及び検査結果", 52 },
		{ "治療経過", 20 }, { "現在の処方", 18 }, { "備考", 14 },
	};
	size_t i;

	if (p == NULL)
		return -EIO;
	draw_txt(p, f, 8, 0, 15, 8, "別紙様式11");
	draw_center(p, f, 18, 1, 105, 12, "診 療 情 報 提 供 書");
	dt = date_format(a->fy, a->fm, a->fd, rng_chance(dw->rng, 0.7) ?
	    FS_DATE_WAREKI : FS_DATE_SEIREKI);
	draw_right(p, f, 10.5, 195, 24, dt);
	free(dt);
	draw_txtf(p, f, 10.5, 0, 15, 32, "紹介先医療機関等名　%s",
	    dw->c->fh->name);
	render_line(p, 15, 37.5, 120, 37.5, 0.25);
	if (a->desired_doctor)
		draw_txtf(p, f, 10.5, 0, 15, 40, "担当医　　%s　　%s　先生",
		    a->department, a->desired_doctor);
	else
		draw_txtf(p, f, 10.5, 0, 15, 40, "担当医　　%s　　担当医　殿",
		    a->department);
	render_line(p, 15, 45.5, 120, 45.5, 0.25);

	draw_txt(p, f, 9, 0, 110, 50, "紹介元医療機関の所在地及び名称");
	draw_txtf(p, f, 9.5, 0, 114, 55, "〒%s", a->clinic_zip);
	s = NULL;
	draw_para(p, f, 9.5, 114, 60, 80, a->clinic_address);
	draw_txt(p, f, 11, 0, 114, 70, a->clinic);
	draw_txtf(p, f, 9.5, 0, 110, 77, "電話番号　%s", t->cphone_raw);
	draw_txtf(p, f, 9.5, 0, 110, 82, "FAX番号　 %s", t->cfax_raw);
	draw_txtf(p, f, 10.5, 0, 110, 88, "医師氏名　%s", t->doctor_raw);
	draw_txt(p, f, 10, 0, 185, 88, "印");
	if (rng_chance(dw->rng, 0.7))
		draw_seal(p, 187, 90, 4.5, a->doctor.family.kanji);

	/* patient block */
	y = 97;
	render_rect(p, 15, y, 180, 30, 0.4);
	render_line(p, 15, y + 10, 195, y + 10, 0.2);
	render_line(p, 15, y + 20, 195, y + 20, 0.2);
	render_line(p, 140, y, 140, y + 10, 0.2);
	draw_txt(p, f, 10, 0, 17, y + 2.5, "患者氏名");
	draw_txt(p, f, 13, 0, 40, y + 1.5, t->pname_raw);
	draw_txt(p, f, 10, 0, 143, y + 2.5, "性別");
	circled(dw, p, f, 11, 160, y + 2.2, sexes, 2,
	    a->patient.sex == 'M' ? 0 : 1);
	draw_txtf(p, f, 9.5, 0, 17, y + 12.5, "患者住所　%s", a->address);
	draw_txtf(p, f, 9.5, 0, 140, y + 12.5, "電話番号 %s", t->phone_raw);
	date_era(a->patient.by, a->patient.bm, a->patient.bd, &era, &ey);
	draw_txt(p, f, 10, 0, 17, y + 22.5, "生年月日");
	x = circled(dw, p, f, 10.5, 38, y + 22.3, era_s, 5, era);
	if (ey == 1)
		xasprintf(&s, "　元 年 %2d 月 %2d 日（%d歳）", a->patient.bm,
		    a->patient.bd, a->age);
	else
		xasprintf(&s, "　%2d 年 %2d 月 %2d 日（%d歳）", ey,
		    a->patient.bm, a->patient.bd, a->age);
	draw_txt(p, f, 10.5, 0, x, y + 22.3, s);
	free(s);
	{
		char *v = date_iso(a->patient.by, a->patient.bm, a->patient.bd);
		char *raw = date_format(a->patient.by, a->patient.bm,
		    a->patient.bd, FS_DATE_WAREKI);

		doc_field(t->d, FIELD_PATIENT_BIRTH_DATE, v, raw);
		free(v);
		free(raw);
	}
	draw_txt(p, f, 10, 0, 140, y + 22.5, "職業");
	draw_txt(p, f, 10, 0, 152, y + 22.5, a->age < 6 ? "未就学" :
	    a->age < 18 ? "学生" : a->age > 66 ? "無職" : "会社員");

	y += 33;
	for (i = 0; i < sizeof(sec) / sizeof(sec[0]); i++) {
		const char *txt;
		double h = sec[i].h;

		render_rect(p, 15, y, 180, h, 0.35);
		render_line(p, 45, y, 45, y + h, 0.2);
		{
			struct render_style st;

			memset(&st, 0, sizeof(st));
			st.font = f;
			st.size = 9;
			st.align = RENDER_CENTER;
			st.valign = RENDER_MIDDLE;
			(void)render_text(p, &st, 16, y, 28, h, sec[i].label,
			    NULL);
		}
		switch (i) {
		case 0: txt = t->dx->name; break;
		case 1: txt = "セカンドオピニオンのお願い\n治療方針についてご意見を"
			    "いただきたく、ご紹介申し上げます。"; break;
		case 2: txt = "特記すべき既往なし。家族歴：父 高血圧症。"; break;
		case 4: txt = "現時点では確定的な治療は開始しておりません。"; break;
		case 5: txt = "アムロジピン錠5mg 1錠 分1 朝食後\n"
			    "酸化マグネシウム錠330mg 3錠 分3 毎食後"; break;
		case 6: txt = "画像CD-R、検査結果を添付します。"; break;
		default: txt = NULL; break;
		}
		if (txt != NULL)
			draw_para(p, f, 10, 48, y + 2, 145, txt);
		else {
			size_t fit = 0;
			struct render_style st;
			char *part;

			memset(&st, 0, sizeof(st));
			st.font = f;
			st.size = 10;
			st.spacing = 1.35;
			(void)render_text_fit(dw->rd, &st, 145, h - 6,
			    t->course, &fit);
			part = xstrndup(t->course, fit);
			draw_para(p, f, 10, 48, y + 2, 145, part);
			free(part);
			if (t->course[fit] != '\0') {
				struct render_page *cp = p;
				double cy;

				draw_right(p, f, 9, 193, y + h - 5,
				    "（続紙へ続く）");
				cp = draw_page(dw);
				if (cp == NULL)
					return -EIO;
				pageno++;
				cont_header(dw, cp, pageno, t);
				draw_txt(cp, f, 10, 1, 15, 32,
				    "症状経過及び検査結果（続き）");
				cy = draw_flow(dw, &cp, f, 10, 18, 40, 172, 270,
				    t->course + fit, cont_header, t, &pageno);
				(void)cy;
			}
		}
		y += h;
	}
	draw_txt(p, f, 7.5, 0, 15, y + 2, "備考　1．必要がある場合は続紙に記載"
	    "して添付すること。　2．必要がある場合は画像診断のフィルム、"
	    "検査の記録を添付すること。");
	return 0;
}

/* --- electronic record print-out ---------------------------------------------- */

static int
ehr(struct lt *t)
{
	struct fs_draw *dw = t->dw;
	struct fs_app *a = t->a;
	struct render_page *p = draw_page(dw);
	size_t first = render_doc_npages(dw->rd) - 1, i, n;
	double y;
	int pageno = 1;
	char *s, *bd, *kana, *v;
	static const char *const sys[] = { "MI・RA・Is", "HOPE LifeMark",
	    "e-カルテ Pro", "Medicom-HR" };
	const char *sysname = RNG_PICK(dw->rng, sys);

	if (p == NULL)
		return -EIO;
	render_fill(p, 15, 10, 180, 11);
	render_set_gray(p, 1);
	draw_txt(p, G, 16, 1, 19, 11.5, "診療情報提供書");
	draw_right(p, G, 9, 192, 14, "（紹介状）");
	render_set_gray(p, 0);
	draw_txtf(p, G, 10, 0, 15, 25, "%s", dw->c->fh->name);
	draw_txtf(p, G, 10, 0, 15, 31, "%s　%s先生　御侍史", a->department,
	    doctor_sensei(t));
	s = date_format(a->fy, a->fm, a->fd, FS_DATE_SLASH);
	draw_txtf(p, G, 9, 0, 140, 25, "作成日：%s", s);
	free(s);
	draw_txtf(p, G, 9, 0, 140, 30, "文書番号：R%06d",
	    rng_int(dw->rng, 1, 999999));

	y = 40;
	render_rect(p, 15, y, 180, 36, 0.4);
	for (i = 1; i < 4; i++)
		render_line(p, 15, y + 9 * (double)i, 195, y + 9 * (double)i,
		    0.15);
	render_line(p, 40, y, 40, y + 36, 0.15);
	render_line(p, 120, y, 120, y + 18, 0.15);
	render_line(p, 142, y, 142, y + 18, 0.15);
	kana = person_kana(&a->patient, 1);
	v = person_kana(&a->patient, 0);
	doc_field(t->d, FIELD_PATIENT_NAME_KANA, v, kana);
	free(v);
	draw_txt(p, G, 9, 0, 17, y + 2, "フリガナ／氏名");
	draw_txt(p, G, 8, 0, 43, y + 0.8, kana);
	draw_txt(p, G, 11, 1, 43, y + 4.2, t->pname_raw);
	draw_txt(p, G, 9, 0, 122, y + 2, "患者ID");
	draw_txtf(p, G, 10, 0, 145, y + 2, "%08d", rng_int(dw->rng, 1,
	    99999999));
	draw_txt(p, G, 9, 0, 17, y + 11, "生年月日");
	bd = birth_raw(t, rng_chance(dw->rng, 0.5) ? FS_DATE_SEIREKI :
	    FS_DATE_SLASH);
	draw_txtf(p, G, 10, 0, 43, y + 11, "%s（%d歳）", bd, a->age);
	free(bd);
	draw_txt(p, G, 9, 0, 122, y + 11, "性別");
	draw_txt(p, G, 10, 0, 145, y + 11, a->patient.sex == 'M' ? "男性" :
	    "女性");
	draw_txt(p, G, 9, 0, 17, y + 20, "住所");
	draw_txtf(p, G, 9.5, 0, 43, y + 20, "〒%s %s", a->zip, a->address);
	draw_txt(p, G, 9, 0, 17, y + 29, "電話");
	draw_txt(p, G, 10, 0, 43, y + 29, t->phone_raw);
	free(kana);

	y = 82;
	draw_txt(p, G, 9, 0, 110, y, "紹介元");
	draw_txt(p, G, 10.5, 1, 110, y + 5, a->clinic);
	draw_txtf(p, G, 9, 0, 110, y + 11, "〒%s %s", a->clinic_zip,
	    a->clinic_address);
	draw_txtf(p, G, 9, 0, 110, y + 16, "TEL %s　FAX %s", t->cphone_raw,
	    t->cfax_raw);
	draw_txtf(p, G, 10, 0, 110, y + 22, "%s　医師　%s", a->doctor_dept,
	    t->doctor_raw);

	y = 112;
	draw_txt(p, G, 10.5, 1, 15, y, "■ 傷病名");
	draw_txtf(p, G, 10.5, 0, 20, y + 6, "#1 %s", t->dx->name);
	y += 15;
	draw_txt(p, G, 10.5, 1, 15, y, "■ 紹介目的");
	draw_txt(p, G, 10.5, 0, 20, y + 6, "セカンドオピニオン（治療方針に"
	    "ついてのご意見）");
	y += 15;
	draw_txt(p, G, 10.5, 1, 15, y, "■ 既往歴・家族歴");
	draw_txt(p, G, 10.5, 0, 20, y + 6, "高血圧症（内服加療中）。家族歴に"
	    "特記事項なし。");
	y += 15;
	draw_txt(p, G, 10.5, 1, 15, y, "■ 現病歴・経過");
	y = draw_flow(dw, &p, G, 10.5, 20, y + 6, 172, 262, t->course,
	    NULL, NULL, &pageno);
	y += 5;
	if (y > 240) {
		p = draw_page(dw);
		if (p == NULL)
			return -EIO;
		pageno++;
		y = 20;
	}
	draw_txt(p, G, 10.5, 1, 15, y, "■ 現在の処方");
	draw_para(p, G, 10, 20, y + 6, 172, "Rp1) アムロジピンOD錠5mg 1錠"
	    "／1日1回朝食後 28日分\nRp2) ランソプラゾールOD錠15mg 1錠／"
	    "1日1回朝食後 28日分");
	draw_txt(p, G, 10.5, 1, 15, y + 22, "■ 添付資料");
	draw_txt(p, G, 10, 0, 20, y + 28, "血液検査結果、画像診断報告書");
	/* footer on every page of the letter: the system's page x/n */
	n = render_doc_npages(dw->rd) - first;
	for (i = 0; i < n; i++) {
		struct render_page *q = render_doc_page(dw->rd, first + i);

		render_line(q, 15, 283, 195, 283, 0.2);
		draw_txtf(q, G, 7.5, 0, 15, 284.5, "%s　%s", a->clinic,
		    sysname);
		draw_txtf(q, G, 8, 0, 180, 284.5, "%zu / %zu", i + 1, n);
	}
	return 0;
}

/* --- letter (書簡) style ------------------------------------------------------ */

static int
letter(struct lt *t)
{
	struct fs_draw *dw = t->dw;
	struct fs_app *a = t->a;
	struct render_page *p = draw_page(dw);
	const char *f = t->font;
	double y;
	int pageno = 1;
	char *s, *bd, *dt;

	if (p == NULL)
		return -EIO;
	dt = date_format(a->fy, a->fm, a->fd, FS_DATE_WAREKI);
	draw_right(p, f, 10.5, 190, 18, dt);
	free(dt);
	draw_center(p, f, 17, 1, 105, 28, rng_chance(dw->rng, 0.5) ? "紹 介 状" :
	    "診療情報提供書（セカンドオピニオン）");
	draw_txt(p, f, 11.5, 0, 20, 44, dw->c->fh->name);
	draw_txtf(p, f, 11.5, 0, 20, 51, "%s　%s先生　御侍史", a->department,
	    doctor_sensei(t));
	draw_txt(p, f, 10.5, 0, 115, 62, a->clinic);
	draw_txtf(p, f, 9.5, 0, 115, 68, "〒%s", a->clinic_zip);
	draw_para(p, f, 9.5, 115, 73, 80, a->clinic_address);
	draw_txtf(p, f, 9.5, 0, 115, 83, "TEL %s", t->cphone_raw);
	draw_txtf(p, f, 9.5, 0, 115, 88, "FAX %s", t->cfax_raw);
	draw_txtf(p, f, 10.5, 0, 115, 94, "%s　%s", a->doctor_dept,
	    t->doctor_raw);
	if (rng_chance(dw->rng, 0.5))
		draw_seal(p, 185, 96, 4, a->doctor.family.kanji);
	y = 108;
	y = draw_para(p, f, 10.5, 20, y, 170, "拝啓　時下ますますご清祥のことと"
	    "お慶び申し上げます。平素より大変お世話になっております。\n"
	    "下記の患者様につきまして、セカンドオピニオンをお願いしたく"
	    "ご紹介申し上げます。");
	y += 4;
	draw_center(p, f, 11, 0, 105, y, "記");
	y += 8;
	bd = birth_raw(t, rng_chance(dw->rng, 0.5) ? FS_DATE_WAREKI_SHORT :
	    FS_DATE_WAREKI);
	draw_txtf(p, f, 10.5, 0, 25, y, "患者氏名：%s 様（%s）", t->pname_raw,
	    a->patient.sex == 'M' ? "男性" : "女性");
	draw_txtf(p, f, 10.5, 0, 25, y + 6, "生年月日：%s生（%d歳）", bd,
	    a->age);
	draw_txtf(p, f, 10.5, 0, 25, y + 12, "住　　所：%s", a->address);
	draw_txtf(p, f, 10.5, 0, 25, y + 18, "電　　話：%s", t->phone_raw);
	draw_txtf(p, f, 10.5, 0, 25, y + 24, "傷 病 名：%s", t->dx->name);
	free(bd);
	y += 34;
	draw_txt(p, f, 10.5, 0, 20, y, "【経過】");
	xasprintf(&s, "%s\nご多忙のところ恐縮ですが、ご高診のほどよろしく"
	    "お願い申し上げます。", t->course);
	y = draw_flow(dw, &p, f, 10.5, 22, y + 7, 168, 270, s, cont_header,
	    t, &pageno);
	free(s);
	draw_right(p, f, 10.5, 190, y + 3, "敬具");
	return 0;
}

/* --- Tomakomai's dedicated form --------------------------------------------------- */

static int
dedicated(struct lt *t)
{
	struct fs_draw *dw = t->dw;
	struct fs_app *a = t->a;
	struct render_page *p = draw_page(dw);
	const char *f = M;
	double y, x;
	int era, ey;
	char *s, *kana, *v;
	static const char *const att[] = { "画像CD-R", "検査結果", "病理報告書" };
	size_t i;

	if (p == NULL)
		return -EIO;
	draw_txt(p, G, 8, 0, 15, 8, "苫小牧市立病院 様式SO-2");
	draw_center(p, f, 15, 1, 105, 14,
	    "セカンドオピニオン外来専用診療情報提供書");
	draw_txtf(p, f, 11, 0, 15, 27, "%s　%s　御中", dw->c->fh->name,
	    dw->c->fh->office ? dw->c->fh->office : "");
	s = date_format(a->fy, a->fm, a->fd, FS_DATE_WAREKI);
	draw_right(p, f, 10.5, 195, 27, s);
	free(s);
	y = 36;
	render_rect(p, 15, y, 180, 48, 0.5);
	for (i = 1; i < 6; i++)
		render_line(p, 15, y + 8 * (double)i, 195, y + 8 * (double)i,
		    0.2);
	render_line(p, 45, y, 45, y + 48, 0.2);
	draw_txt(p, f, 9.5, 0, 18, y + 2, "ふりがな");
	kana = person_kana(&a->patient, 0);
	doc_field(t->d, FIELD_PATIENT_NAME_KANA, kana, kana);
	draw_txt(p, f, 10, 0, 48, y + 2, kana);
	free(kana);
	draw_txt(p, f, 9.5, 0, 18, y + 10, "患者氏名");
	draw_txt(p, f, 12, 0, 48, y + 9.3, t->pname_raw);
	draw_txt(p, f, 9.5, 0, 140, y + 10, "性別");
	circled(dw, p, f, 10.5, 155, y + 10, sexes, 2,
	    a->patient.sex == 'M' ? 0 : 1);
	draw_txt(p, f, 9.5, 0, 18, y + 18, "生年月日");
	date_era(a->patient.by, a->patient.bm, a->patient.bd, &era, &ey);
	x = circled(dw, p, f, 10, 48, y + 18, era_s, 5, era);
	if (ey == 1)
		xasprintf(&s, "　元年 %d月 %d日（満 %d 歳）", a->patient.bm,
		    a->patient.bd, a->age);
	else
		xasprintf(&s, "　%d年 %d月 %d日（満 %d 歳）", ey, a->patient.bm,
		    a->patient.bd, a->age);
	draw_txt(p, f, 10, 0, x, y + 18, s);
	free(s);
	v = date_iso(a->patient.by, a->patient.bm, a->patient.bd);
	s = date_format(a->patient.by, a->patient.bm, a->patient.bd,
	    FS_DATE_WAREKI);
	doc_field(t->d, FIELD_PATIENT_BIRTH_DATE, v, s);
	free(v);
	free(s);
	draw_txt(p, f, 9.5, 0, 18, y + 26, "住所");
	draw_txtf(p, f, 9.5, 0, 48, y + 26, "〒%s %s", a->zip, a->address);
	draw_txt(p, f, 9.5, 0, 18, y + 34, "電話番号");
	draw_txt(p, f, 10, 0, 48, y + 34, t->phone_raw);
	draw_txt(p, f, 9.5, 0, 18, y + 42, "傷病名");
	draw_txt(p, f, 10.5, 0, 48, y + 41.5, t->dx->name);

	y = 90;
	draw_txt(p, G, 10, 1, 15, y, "1．セカンドオピニオンを求める内容");
	render_rect(p, 15, y + 6, 180, 26, 0.4);
	draw_para(p, f, 10, 18, y + 8, 174, "現在提示している治療方針の"
	    "妥当性、および他の治療選択肢の有無についてご意見をいただきたい。");
	y += 38;
	draw_txt(p, G, 10, 1, 15, y, "2．現在までの経過・治療内容");
	render_rect(p, 15, y + 6, 180, 70, 0.4);
	{
		struct render_style st;
		size_t fit = 0;
		char *part;

		memset(&st, 0, sizeof(st));
		st.font = f;
		st.size = 10;
		st.spacing = 1.35;
		(void)render_text_fit(dw->rd, &st, 174, 64, t->course, &fit);
		part = xstrndup(t->course, fit);
		draw_para(p, f, 10, 18, y + 8, 174, part);
		free(part);
	}
	y += 82;
	draw_txt(p, G, 10, 1, 15, y, "3．添付資料");
	for (i = 0; i < 3; i++)
		render_checkbox(p, 50 + 40 * (double)i, y + 0.5, 3.5,
		    rng_chance(dw->rng, 0.6) ? RENDER_CHECK_TICK :
		    RENDER_CHECK_EMPTY);
	for (i = 0; i < 3; i++)
		draw_txt(p, f, 10, 0, 55 + 40 * (double)i, y, att[i]);
	y += 12;
	render_rect(p, 15, y, 180, 34, 0.5);
	draw_txt(p, G, 9.5, 0, 18, y + 2, "紹介元医療機関");
	draw_txt(p, f, 11, 0, 50, y + 2, a->clinic);
	draw_txtf(p, f, 9.5, 0, 50, y + 8, "〒%s %s", a->clinic_zip,
	    a->clinic_address);
	draw_txtf(p, f, 9.5, 0, 50, y + 14, "TEL %s　　FAX %s", t->cphone_raw,
	    t->cfax_raw);
	draw_txt(p, G, 9.5, 0, 18, y + 22, "主治医氏名");
	draw_txt(p, f, 12, 0, 50, y + 21, t->doctor_raw);
	draw_txt(p, f, 10, 0, 150, y + 22, "印");
	if (rng_chance(dw->rng, 0.7))
		draw_seal(p, 152, y + 24, 4.5, a->doctor.family.kanji);
	draw_txt(p, G, 8, 0, 15, y + 38, "※本様式は苫小牧市立病院"
	    "セカンドオピニオン外来専用です。予約日の3日前までにご提出ください。");
	return 0;
}

/* --- English ------------------------------------------------------------------- */

static const char *const months[] = { "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December" };

static int
english(struct lt *t)
{
	struct fs_draw *dw = t->dw;
	struct fs_app *a = t->a;
	struct render_page *p = draw_page(dw);
	const char *f = M;
	char *s, *name, *val, *dob, *doc;
	double y;

	if (p == NULL)
		return -EIO;
	/* The English letter prints romaji: the value keeps the order
	 * family-given (DESIGN.md) in Latin letters. */
	t->d->nfields = 0;
	name = person_romaji(&a->patient, 1);
	xasprintf(&val, "%s %s", a->patient.family.romaji,
	    a->patient.given.romaji);
	doc_field(t->d, FIELD_PATIENT_NAME, val, name);
	free(val);
	xasprintf(&dob, "%s %d, %d", months[a->patient.bm - 1],
	    a->patient.bd, a->patient.by);
	val = date_iso(a->patient.by, a->patient.bm, a->patient.bd);
	doc_field(t->d, FIELD_PATIENT_BIRTH_DATE, val, dob);
	free(val);
	doc_field(t->d, FIELD_PATIENT_SEX, a->patient.sex == 'M' ? "M" : "F",
	    a->patient.sex == 'M' ? "Male" : "Female");
	doc_field(t->d, FIELD_DIAGNOSIS, t->dx->name_en, t->dx->name_en);
	doc_field(t->d, FIELD_REFERRING_HOSPITAL, a->clinic, a->clinic);
	doc = person_romaji(&a->doctor, 0);
	xasprintf(&val, "%s %s", a->doctor.family.romaji,
	    a->doctor.given.romaji);
	doc_field(t->d, FIELD_REFERRING_DOCTOR, val, doc);
	free(val);
	val = phone_value(&a->clinic_phone);
	xasprintf(&s, "+81-%s-%s-%s", a->clinic_phone.a + 1,
	    a->clinic_phone.b, a->clinic_phone.c);
	doc_field(t->d, FIELD_REFERRING_PHONE, val, s);
	free(val);

	draw_txt(p, f, 11, 1, 20, 18, a->clinic);
	draw_txtf(p, f, 9.5, 0, 20, 24, "Tel %s", s);
	free(s);
	draw_right(p, f, 10.5, 190, 36, "");
	draw_txtf(p, f, 10.5, 0, 140, 36, "%s %d, %d", months[a->fm - 1],
	    a->fd, a->fy);
	draw_center(p, f, 16, 1, 105, 46, "LETTER OF REFERRAL");
	draw_center(p, f, 11, 0, 105, 54, "(Request for a Second Opinion)");
	draw_txt(p, f, 11, 0, 20, 66, "To: The Physician in Charge,");
	draw_txtf(p, f, 11, 0, 28, 72, "Second Opinion Clinic, %s",
	    dw->c->fh->name);
	y = 86;
	draw_txtf(p, f, 11, 0, 20, y, "Re: %s", name);
	draw_txtf(p, f, 11, 0, 28, y + 6, "Date of birth: %s (age %d)   Sex: %s",
	    dob, a->age, a->patient.sex == 'M' ? "Male" : "Female");
	draw_txtf(p, f, 11, 0, 28, y + 12, "Diagnosis: %s", t->dx->name_en);
	xasprintf(&s, "Dear Doctor,\n\nThank you for seeing this patient, "
	    "who has been under my care for %s. The diagnosis was confirmed "
	    "by biopsy and imaging, and treatment options including surgery "
	    "and systemic therapy have been discussed with the patient and "
	    "family. The patient wishes to hear the opinion of a specialist "
	    "before deciding on treatment.\n\nRecent laboratory results and "
	    "the imaging report are enclosed; the images will be brought on "
	    "CD-R. Current medication: amlodipine 5 mg once daily.\n\nI would "
	    "be grateful for your opinion on the most appropriate treatment. "
	    "Please do not hesitate to contact me if you need further "
	    "information.\n\nYours sincerely,", t->dx->name_en);
	y = draw_para(p, f, 11, 20, y + 24, 170, s);
	free(s);
	draw_txtf(p, f, 11, 0, 20, y + 16, "%s, M.D.", doc);
	draw_txtf(p, f, 10, 0, 20, y + 22, "%s", a->clinic);
	free(doc);
	free(dob);
	free(name);
	return 0;
}

int
letters_referral(struct fs_draw *dw, struct fs_doc *d)
{
	struct lt t;
	int rc;

	memset(&t, 0, sizeof(t));
	t.dw = dw;
	t.d = d;
	t.a = dw->a;
	t.font = rng_chance(dw->rng, 0.6) ? M : G;
	common_fields(&t);
	switch (d->layout) {
	case FS_LAY_YOSHIKI11:
		rc = yoshiki11(&t);
		break;
	case FS_LAY_EHR:
		rc = ehr(&t);
		break;
	case FS_LAY_LETTER:
		rc = letter(&t);
		break;
	case FS_LAY_DEDICATED:
		rc = dedicated(&t);
		break;
	case FS_LAY_ENGLISH:
		for (size_t i = 0; i < d->nfields; i++) {
			free(d->fields[i].value);
			free(d->fields[i].raw);
		}
		rc = english(&t);
		break;
	default:
		rc = -EINVAL;
	}
	lt_free(&t);
	return rc;
}
