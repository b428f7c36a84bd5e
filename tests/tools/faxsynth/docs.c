/*
 * docs.c — drawing helpers and the documents that are not letters or the
 * hospital's forms: fax cover sheets (送付状), free-format consent
 * letters, a copy of a health-insurance card, lab result tables, imaging
 * and pathology reports.  Everything is drawn through render.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faxintake/xmalloc.h"

#include "faxsynth.h"

#define G	RENDER_FONT_GOTHIC
#define M	RENDER_FONT_MINCHO
#define H	FS_FONT_HAND

/* --- helpers ------------------------------------------------------------- */

struct render_page *
draw_page(struct fs_draw *dw)
{
	struct render_page *p = NULL;

	if (render_page_add(dw->rd, &p) != 0)
		return NULL;
	return p;
}

static struct render_style
style(const char *font, double size, int bold)
{
	struct render_style st;

	memset(&st, 0, sizeof(st));
	st.font = font;
	st.size = size;
	st.bold = bold;
	return st;
}

void
draw_txt(struct render_page *p, const char *font, double size, int bold,
    double x, double y, const char *s)
{
	struct render_style st = style(font, size, bold);

	if (s != NULL && *s != '\0')
		(void)render_text(p, &st, x, y, 0, 0, s, NULL);
}

void
draw_txtf(struct render_page *p, const char *font, double size, int bold,
    double x, double y, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = NULL;
	va_end(ap);
	if (s != NULL)
		draw_txt(p, font, size, bold, x, y, s);
	free(s);
}

void
draw_center(struct render_page *p, const char *font, double size, int bold,
    double cx, double y, const char *s)
{
	struct render_style st = style(font, size, bold);

	st.align = RENDER_CENTER;
	(void)render_text(p, &st, cx, y, 0, 0, s, NULL);
}

void
draw_right(struct render_page *p, const char *font, double size, double rx,
    double y, const char *s)
{
	struct render_style st = style(font, size, 0);

	st.align = RENDER_RIGHT;
	(void)render_text(p, &st, rx, y, 0, 0, s, NULL);
}

double
draw_para(struct render_page *p, const char *font, double size, double x,
    double y, double w, const char *s)
{
	struct render_style st = style(font, size, 0);
	struct render_box b;

	st.spacing = 1.35;
	if (render_text(p, &st, x, y, w, 0, s, &b) != 0)
		return y;
	return b.y + b.h;
}

double
draw_flow(struct fs_draw *dw, struct render_page **pg, const char *font,
    double size, double x, double y, double w, double bottom, const char *s,
    void (*newpage)(struct fs_draw *, struct render_page *, int, void *),
    void *arg, int *pageno)
{
	struct render_style st = style(font, size, 0);
	size_t fit, len;
	char *part;
	double top;

	st.spacing = 1.35;
	while (*s) {
		len = strlen(s);
		if (render_text_fit(dw->rd, &st, w, bottom - y, s, &fit) != 0)
			return y;
		if (fit > 0) {
			part = xstrndup(s, fit);
			y = draw_para(*pg, font, size, x, y, w, part);
			free(part);
			s += fit;
		}
		if (fit == len)
			break;
		/* 続紙: a continuation sheet */
		*pg = draw_page(dw);
		if (*pg == NULL)
			return y;
		(*pageno)++;
		top = 30;
		if (newpage)
			newpage(dw, *pg, *pageno, arg);
		y = top;
		while (*s == '\n')
			s++;
	}
	return y;
}

/* A round name seal (印) with the family name inside, in red-turned-gray. */
void
draw_seal(struct render_page *p, double cx, double cy, double r,
    const char *family)
{
	render_set_gray(p, 0.35);
	render_ellipse(p, cx - r, cy - r, 2 * r, 2 * r, 0.5);
	draw_center(p, M, r * 2.1, 1, cx, cy - r * 0.62, family);
	render_set_gray(p, 0);
}

double
draw_hand_jitter(struct fs_draw *dw)
{
	return rng_range(dw->rng, -0.7, 0.7);
}

static char *
fmt_phone(struct fs_draw *dw, const struct fs_phone *ph)
{
	static const enum fs_phone_style w[] = { FS_PH_HYPHEN, FS_PH_HYPHEN,
	    FS_PH_HYPHEN, FS_PH_BRACKET, FS_PH_AREA_BRACKET, FS_PH_FULLWIDTH,
	    FS_PH_SPACE };

	return phone_format(ph, RNG_PICK(dw->rng, w));
}

/* Record a phone field; returns the raw text (caller frees). */
static char *
field_phone(struct fs_draw *dw, struct fs_doc *d, enum field_id id,
    const struct fs_phone *ph)
{
	char *raw = fmt_phone(dw, ph), *v = phone_value(ph);

	doc_field(d, id, v, raw);
	free(v);
	return raw;
}

static char *
field_name(struct fs_draw *dw, struct fs_doc *d, enum field_id id,
    const struct fs_person *p)
{
	char *v = person_name(p), *raw = person_name_raw(dw->rng, p);

	doc_field(d, id, v, raw);
	free(v);
	return raw;
}

static char *
field_date(struct fs_draw *dw, struct fs_doc *d, enum field_id id, int y,
    int m, int dd)
{
	enum fs_date_style st = (enum fs_date_style)rng_int(dw->rng, 0,
	    FS_DATE__COUNT - 1);
	char *v = date_iso(y, m, dd), *raw = date_format(y, m, dd, st);

	doc_field(d, id, v, raw);
	free(v);
	return raw;
}

static const char *
rel_ja(const char *rel, const struct fs_person *applicant)
{
	int m = applicant->sex == 'M';

	if (strcmp(rel, "spouse") == 0)
		return m ? "夫" : "妻";
	if (strcmp(rel, "parent") == 0)
		return m ? "父" : "母";
	if (strcmp(rel, "child") == 0)
		return m ? "長男" : "長女";
	if (strcmp(rel, "sibling") == 0)
		return m ? "兄" : "姉";
	return "本人";
}

static const char *
hospital_fax(const struct fs_draw *dw)
{
	return dw->c->fh->fax ? dw->c->fh->fax : "";
}

/* The application's facts on a family's cover sheet (hospitals that
 * take applications by phone and have no form). */
static void
cover_application(struct fs_draw *dw, struct fs_doc *d,
    struct render_page *p, const char *f, double y)
{
	struct fs_app *a = dw->a;
	const char *rel = rel_ja(a->relationship, &a->applicant);
	char *bd;
	double sz = strcmp(f, FS_FONT_HAND) == 0 ? 12 : 10.5;

	draw_txt(p, G, 10, 1, 22, y, "【申込内容】（お電話でお伝えした内容）");
	render_rect(p, 20, y + 6, 170, 52, 0.3);
	draw_txt(p, G, 9.5, 0, 24, y + 9, "患者生年月日");
	bd = field_date(dw, d, FIELD_PATIENT_BIRTH_DATE, a->patient.by,
	    a->patient.bm, a->patient.bd);
	draw_txt(p, f, sz, 0, 58, y + 8.5, bd);
	free(bd);
	draw_txt(p, G, 9.5, 0, 24, y + 17, "申込者の続柄");
	draw_txt(p, f, sz, 0, 58, y + 16.5, strcmp(a->relationship, "self") ==
	    0 ? "本人" : rel);
	doc_field(d, FIELD_APPLICANT_RELATIONSHIP, a->relationship,
	    strcmp(a->relationship, "self") == 0 ? "本人" : rel);
	draw_txt(p, G, 9.5, 0, 110, y + 17, "本人の来院");
	draw_txt(p, f, sz, 0, 135, y + 16.5, a->attends ? "あり" : "なし");
	doc_field(d, FIELD_PATIENT_ATTENDS, a->attends ? "yes" : "no",
	    a->attends ? "あり" : "なし");
	draw_txt(p, G, 9.5, 0, 24, y + 25, "希望診療科");
	draw_txt(p, f, sz, 0, 58, y + 24.5, a->department);
	doc_field(d, FIELD_DEPARTMENT, a->department, a->department);
	draw_txt(p, G, 9.5, 0, 110, y + 25, "相談方法");
	draw_txt(p, f, sz, 0, 135, y + 24.5, strcmp(a->mode, "online") == 0 ?
	    "オンライン" : "来院（対面）");
	doc_field(d, FIELD_CONSULTATION_MODE, a->mode,
	    strcmp(a->mode, "online") == 0 ? "オンライン" : "来院（対面）");
	draw_txt(p, G, 9.5, 0, 24, y + 33, "相談内容");
	draw_para(p, f, sz, 58, y + 32.5, 128, a->topic);
	doc_field(d, FIELD_CONSULTATION_TOPIC, a->topic, a->topic);
}

/* --- cover sheet (送付状) --------------------------------------------------- */

/*
 * The cover is drawn after the rest of its file, when the page count is
 * known: docs_cover() is called with d->npages already set to the file's
 * total in dw->file->npages.
 */
int
docs_cover(struct fs_draw *dw, struct fs_doc *d)
{
	struct fs_app *a = dw->a;
	struct render_page *p = render_doc_page(dw->rd,
	    (size_t)d->first_page - 1);
	int clinic = dw->file->sender_name != NULL &&
	    strcmp(dw->file->sender_name, a->clinic) == 0;
	int hand = !clinic && rng_chance(dw->rng, 0.6);
	const char *f = hand ? H : (rng_chance(dw->rng, 0.5) ? G : M);
	const char *pf = hand ? H : f;
	char *s, *ph, *fx, *pn, *dt;
	double y, x0 = 22;
	int style = rng_int(dw->rng, 0, 1);

	if (p == NULL)
		return -EIO;
	dt = date_format(dw->file->y, dw->file->m, dw->file->d,
	    rng_chance(dw->rng, 0.5) ? FS_DATE_SEIREKI : FS_DATE_WAREKI);
	if (style == 0) {
		draw_center(p, G, 26, 1, 105, 18, "FAX送付状");
		render_line(p, 20, 32, 190, 32, 0.8);
	} else {
		render_fill(p, 20, 16, 170, 14);
		render_set_gray(p, 1);
		draw_center(p, G, 20, 1, 105, 18.5, "F A X  送 信 の ご 案 内");
		render_set_gray(p, 0);
	}
	draw_right(p, pf, 11, 190, 38, dt);
	y = 48;
	s = NULL;
	xasprintf(&s, "%s", dw->c->fh->name);
	draw_txt(p, M, 14, 0, x0, y, s);
	free(s);
	draw_txt(p, M, 12, 0, x0, y + 8, dw->c->fh->office ?
	    dw->c->fh->office : "");
	draw_txt(p, M, 12, 0, x0 + 120, y + 8, clinic ? "御中" : "御中");
	draw_txtf(p, G, 11, 0, x0, y + 17, "FAX：%s", hospital_fax(dw));
	render_line(p, x0, y + 24, 120, y + 24, 0.3);

	/* sender block */
	y = 82;
	draw_txt(p, G, 10, 0, 110, y, "発信元");
	if (clinic) {
		doc_field(d, FIELD_REFERRING_HOSPITAL, a->clinic, a->clinic);
		draw_txt(p, pf, 12, 0, 110, y + 6, a->clinic);
		pn = person_name(&a->doctor);
		draw_txtf(p, pf, 10.5, 0, 110, y + 13, "%s　%s", a->doctor_dept,
		    pn);
		free(pn);
		ph = field_phone(dw, d, FIELD_REFERRING_PHONE, &a->clinic_phone);
		fx = field_phone(dw, d, FIELD_REFERRING_FAX, &a->clinic_fax);
	} else {
		pn = field_name(dw, d, FIELD_APPLICANT_NAME, &a->applicant);
		draw_txt(p, pf, 13, 0, 110, y + 6, pn);
		free(pn);
		ph = field_phone(dw, d, FIELD_APPLICANT_PHONE,
		    &a->applicant_phone);
		fx = a->has_applicant_fax ? field_phone(dw, d,
		    FIELD_APPLICANT_FAX, &a->applicant_fax) : xstrdup("");
	}
	draw_txtf(p, pf, 10.5, 0, 110, y + 20, "TEL %s", ph);
	if (*fx)
		draw_txtf(p, pf, 10.5, 0, 110, y + 26, "FAX %s", fx);
	free(ph);
	free(fx);

	/* page count and subject */
	y = 120;
	render_rect(p, 20, y, 170, 12, 0.4);
	draw_txt(p, G, 11, 0, 24, y + 3, "送信枚数");
	if (dw->file->medium == FS_SCAN_PDF) {
		/* posted: the pages of this application only */
		size_t i;
		int n = 0;

		for (i = 0; i < dw->file->ndocs; i++)
			if (dw->file->docs[i].case_idx == d->case_idx &&
			    !dw->file->docs[i].separator)
				n += dw->file->docs[i].npages;
		xasprintf(&s, "本紙を含め　全 %d 枚", n);
	} else
		xasprintf(&s, "本紙を含め　全 %d 枚", dw->file->npages);
	draw_txt(p, pf, 13, 0, 60, y + 2.5, s);
	free(s);
	render_rect(p, 20, y + 12, 170, 12, 0.4);
	draw_txt(p, G, 11, 0, 24, y + 15, "件　名");
	draw_txt(p, pf, 12, 0, 60, y + 14.5, clinic ?
	    "セカンドオピニオン外来 診療情報提供書等の送付" :
	    "セカンドオピニオン外来の申込み");
	y += 34;
	pn = field_name(dw, d, FIELD_PATIENT_NAME, &a->patient);
	if (clinic) {
		xasprintf(&s, "いつもお世話になっております。\n患者 %s 様の"
		    "セカンドオピニオン外来受診につきまして、診療情報提供書と"
		    "検査資料をお送りいたします。\nご高配のほど、よろしく"
		    "お願い申し上げます。", pn);
	} else if (dw->file->stage > 1) {
		xasprintf(&s, "先日申し込みました %s の件で、追加の書類を"
		    "お送りします。よろしくお願いします。", pn);
	} else {
		xasprintf(&s, "%sのセカンドオピニオン外来を申し込みます。\n"
		    "申込書等をお送りしますので、よろしくお願いいたします。\n"
		    "連絡は上記の電話番号へお願いします。", pn);
	}
	draw_txt(p, G, 10, 0, 22, y, "［通信欄］");
	draw_para(p, pf, hand ? 12.5 : 11, 24, y + 8, 160, s);
	free(s);
	free(pn);
	if (!clinic && !profile_application_form(dw->c->profile)) {
		/* No application form at this hospital: the family writes
		 * what was said on the phone on the cover sheet. */
		render_rect(p, 20, y - 2, 170, 44, 0.3);
		cover_application(dw, d, p, pf, y + 46);
	} else
		render_rect(p, 20, y - 2, 170, 70, 0.3);
	draw_txt(p, G, 8.5, 0, 22, 270,
	    "※送信枚数が不足している場合や、読み取りにくい場合は、"
	    "お手数ですが発信元までご連絡ください。");
	free(dt);
	return 0;
}

/* --- free-format consent letter ----------------------------------------- */

int
docs_consent_letter(struct fs_draw *dw, struct fs_doc *d)
{
	struct fs_app *a = dw->a;
	struct render_page *p = draw_page(dw);
	int typed = rng_chance(dw->rng, 0.35);
	const char *f = typed ? M : H;
	double sz = typed ? 12 : rng_range(dw->rng, 12.5, 15), y;
	char *pn, *an, *s, *dt, *bd;
	const char *rel = rel_ja(a->relationship, &a->applicant);

	if (p == NULL)
		return -EIO;
	draw_center(p, f, typed ? 22 : 24, typed, 105, 28, typed ?
	    "同　意　書" : "同意書");
	dt = date_format(a->fy, a->fm, a->fd, typed ? FS_DATE_WAREKI :
	    (enum fs_date_style)rng_int(dw->rng, 0, 2));
	draw_right(p, f, sz * 0.9, 185, 48, dt);
	xasprintf(&s, "%s　%s", dw->c->fh->name, rng_chance(dw->rng, 0.5) ?
	    "御中" : "病院長様");
	draw_txt(p, f, sz, 0, 25, 60, s);
	free(s);
	pn = person_name_raw(dw->rng, &a->patient);
	an = person_name_raw(dw->rng, &a->applicant);
	xasprintf(&s, "私（%s）は、%sの%sが私に代わって、貴院のセカンド"
	    "オピニオン外来で相談することに同意します。\nまた、相談に必要な"
	    "私の診療情報を貴院に提供することに同意します。", pn, rel, an);
	y = draw_para(p, f, sz, 28 + draw_hand_jitter(dw), 80, 150, s);
	free(s);
	y += 20;
	draw_txt(p, f, sz * 0.9, 0, 95, y, "患者本人");
	bd = field_date(dw, d, FIELD_PATIENT_BIRTH_DATE, a->patient.by,
	    a->patient.bm, a->patient.bd);
	doc_field(d, FIELD_PATIENT_ADDRESS, a->address, a->address);
	draw_txtf(p, f, sz * 0.9, 0, 100 + draw_hand_jitter(dw), y + 10,
	    "住所　%s", a->address);
	draw_txtf(p, f, sz * 0.9, 0, 100 + draw_hand_jitter(dw), y + 22,
	    "生年月日　%s", bd);
	draw_txtf(p, f, sz * 1.15, 0, 100 + draw_hand_jitter(dw), y + 34,
	    "氏名　%s", pn);
	{
		char *v = person_name(&a->patient);

		doc_field(d, FIELD_PATIENT_NAME, v, pn);
		free(v);
	}
	if (rng_chance(dw->rng, 0.6))
		draw_seal(p, 182, y + 37, 5, a->patient.family.kanji);
	y += 56;
	draw_txtf(p, f, sz * 0.9, 0, 95, y, "代理人（相談者）　続柄：%s", rel);
	doc_field(d, FIELD_APPLICANT_RELATIONSHIP, a->relationship, rel);
	{
		char *v = person_name(&a->applicant);

		doc_field(d, FIELD_APPLICANT_NAME, v, an);
		free(v);
	}
	draw_txtf(p, f, sz * 1.15, 0, 100 + draw_hand_jitter(dw), y + 11,
	    "氏名　%s", an);
	free(pn);
	free(an);
	free(dt);
	free(bd);
	return 0;
}

/* --- health insurance card copy (relationship proof) --------------------- */

int
docs_card(struct fs_draw *dw, struct fs_doc *d)
{
	struct fs_app *a = dw->a;
	struct render_page *p = draw_page(dw);
	double x = rng_range(dw->rng, 30, 60), y = rng_range(dw->rng, 30, 70);
	double w = 85.6 * 1.41, h = 54 * 1.41;	/* enlarged A4 copy */
	int kakunin = rng_chance(dw->rng, 0.4);
	char *s, *bd, *pn, *hn;
	const struct fs_person *holder = &a->applicant;
	int family = strcmp(a->relationship, "self") != 0;

	if (p == NULL)
		return -EIO;
	if (!family)
		holder = &a->patient;
	/* The card's edge and a light tint that the copier made gray. */
	render_set_gray(p, 0.55);
	render_rect(p, x - 0.8, y - 0.8, w + 1.6, h + 1.6, 1.2);
	render_set_gray(p, 0);
	render_rect(p, x, y, w, h, 0.4);
	draw_txt(p, G, 13, 1, x + 6, y + 5, kakunin ? "健康保険資格確認書" :
	    "健康保険被保険者証");
	draw_txt(p, G, 9, 0, x + w - 30, y + 6, family ? "家族（被扶養者）" :
	    "本人（被保険者）");
	xasprintf(&s, "記号　%d　番号　%d　（枝番）%02d",
	    rng_int(dw->rng, 1000, 99999), rng_int(dw->rng, 1, 9999),
	    rng_int(dw->rng, 0, 5));
	draw_txt(p, G, 9.5, 0, x + 6, y + 15, s);
	free(s);
	pn = field_name(dw, d, FIELD_PATIENT_NAME, &a->patient);
	draw_txt(p, G, 9, 0, x + 6, y + 26, "氏　名");
	draw_txt(p, M, 13, 0, x + 26, y + 24.5, pn);
	bd = date_format(a->patient.by, a->patient.bm, a->patient.bd,
	    FS_DATE_WAREKI);
	{
		char *v = date_iso(a->patient.by, a->patient.bm, a->patient.bd);

		doc_field(d, FIELD_PATIENT_BIRTH_DATE, v, bd);
		free(v);
	}
	draw_txt(p, G, 9, 0, x + 6, y + 35, "生年月日");
	draw_txt(p, M, 10.5, 0, x + 26, y + 34.5, bd);
	draw_txt(p, G, 9, 0, x + 80, y + 35, "性別");
	draw_txt(p, M, 10.5, 0, x + 92, y + 34.5, a->patient.sex == 'M' ?
	    "男" : "女");
	doc_field(d, FIELD_PATIENT_SEX, a->patient.sex == 'M' ? "M" : "F",
	    a->patient.sex == 'M' ? "男" : "女");
	if (family) {
		hn = field_name(dw, d, FIELD_APPLICANT_NAME, holder);
		draw_txt(p, G, 9, 0, x + 6, y + 44, "被保険者氏名");
		draw_txt(p, M, 11, 0, x + 32, y + 43, hn);
		free(hn);
	}
	draw_txt(p, G, 8, 0, x + 6, y + 53, "資格取得年月日");
	draw_txtf(p, M, 9, 0, x + 32, y + 52.5, "令和%d年%d月%d日",
	    rng_int(dw->rng, 2, 7), rng_int(dw->rng, 1, 12),
	    rng_int(dw->rng, 1, 28));
	draw_txtf(p, G, 8, 0, x + 6, y + 61, "保険者番号　06%06d",
	    rng_int(dw->rng, 0, 999999));
	draw_txtf(p, G, 8, 0, x + 6, y + 66.5, "保険者名称　%s",
	    rng_chance(dw->rng, 0.5) ? "全国健康保険協会 北海道支部" :
	    "東日本製作所健康保険組合");
	render_set_gray(p, 0.3);
	render_ellipse(p, x + w - 22, y + h - 22, 15, 15, 0.6);
	draw_center(p, M, 7, 0, x + w - 14.5, y + h - 16, "保険者印");
	render_set_gray(p, 0);
	draw_txt(p, H, 14, 0, x + 5, y + h + 18,
	    family ? "続柄確認のため、保険証の写しを送付します。" :
	    "保険証のコピーです。");
	free(pn);
	free(bd);
	return 0;
}

/* --- lab results -------------------------------------------------------- */

struct lab_item {
	const char	*name, *unit;
	double		 lo, hi;
	int		 decimals;
};

static const struct lab_item lab_items[] = {
	{ "WBC", "×10^3/μL", 3.3, 8.6, 1 }, { "RBC", "×10^6/μL", 3.86, 5.65, 2 },
	{ "Hb", "g/dL", 11.6, 16.8, 1 },    { "Ht", "%", 35.1, 48.9, 1 },
	{ "PLT", "×10^3/μL", 158, 348, 0 }, { "AST", "U/L", 13, 30, 0 },
	{ "ALT", "U/L", 7, 42, 0 },	    { "γ-GTP", "U/L", 9, 64, 0 },
	{ "ALP", "U/L", 38, 113, 0 },	    { "LD", "U/L", 124, 222, 0 },
	{ "T-Bil", "mg/dL", 0.4, 1.5, 1 },  { "TP", "g/dL", 6.6, 8.1, 1 },
	{ "Alb", "g/dL", 4.1, 5.1, 1 },	    { "BUN", "mg/dL", 8, 20, 1 },
	{ "Cre", "mg/dL", 0.46, 1.07, 2 },  { "eGFR", "mL/min/1.73㎡", 60, 120, 0 },
	{ "Na", "mmol/L", 138, 145, 0 },    { "K", "mmol/L", 3.6, 4.8, 1 },
	{ "Cl", "mmol/L", 101, 108, 0 },    { "CRP", "mg/dL", 0, 0.14, 2 },
	{ "CEA", "ng/mL", 0, 5.0, 1 },	    { "CA19-9", "U/mL", 0, 37, 1 },
	{ "HbA1c", "%", 4.9, 6.0, 1 },	    { "PSA", "ng/mL", 0, 4.0, 2 },
};

static void
clinic_header(struct fs_draw *dw, struct render_page *p, struct fs_doc *d,
    const char *title, double y)
{
	struct fs_app *a = dw->a;
	char *pn, *s;

	draw_center(p, G, 16, 1, 105, y, title);
	render_line(p, 15, y + 10, 195, y + 10, 0.6);
	doc_field(d, FIELD_REFERRING_HOSPITAL, a->clinic, a->clinic);
	draw_right(p, G, 9, 195, y - 8, a->clinic);
	pn = field_name(dw, d, FIELD_PATIENT_NAME, &a->patient);
	xasprintf(&s, "患者ID %07d　　氏名 %s 様　　%s　%d歳",
	    rng_int(dw->rng, 1, 9999999), pn, a->patient.sex == 'M' ? "男" :
	    "女", a->age);
	draw_txt(p, G, 10, 0, 15, y + 13, s);
	{
		char buf[16];

		snprintf(buf, sizeof(buf), "%d", a->age);
		doc_field(d, FIELD_PATIENT_AGE, buf, buf);
		doc_field(d, FIELD_PATIENT_SEX, a->patient.sex == 'M' ? "M" :
		    "F", a->patient.sex == 'M' ? "男" : "女");
	}
	free(s);
	free(pn);
}

int
docs_labs(struct fs_draw *dw, struct fs_doc *d)
{
	struct render_page *p = draw_page(dw);
	double y, x[5] = { 15, 55, 85, 115, 160 };
	size_t i, n = 0;
	char *s, v[32];
	int dates = rng_int(dw->rng, 1, 3), k;

	if (p == NULL)
		return -EIO;
	clinic_header(dw, p, d, "検 査 結 果 報 告 書", 18);
	xasprintf(&s, "採取日 %d/%02d/%02d　　依頼科 %s　　検体 血清・全血",
	    dw->a->fy, dw->a->fm, dw->a->fd > 5 ? dw->a->fd - 5 : 1,
	    dw->a->doctor_dept);
	draw_txt(p, G, 9.5, 0, 15, 38, s);
	free(s);
	y = 48;
	render_fill(p, 15, y, 180, 7);
	render_set_gray(p, 1);
	draw_txt(p, G, 9.5, 1, x[0] + 2, y + 1, "検査項目");
	draw_txt(p, G, 9.5, 1, x[1] + 2, y + 1, "結果");
	draw_txt(p, G, 9.5, 1, x[2] + 2, y + 1, dates > 1 ? "前回" : "判定");
	draw_txt(p, G, 9.5, 1, x[3] + 2, y + 1, "基準値");
	draw_txt(p, G, 9.5, 1, x[4] + 2, y + 1, "単位");
	render_set_gray(p, 0);
	y += 7;
	for (i = 0; i < sizeof(lab_items) / sizeof(lab_items[0]); i++) {
		const struct lab_item *li = &lab_items[i];
		double span = li->hi - li->lo, val;
		int flag;

		if (rng_chance(dw->rng, 0.2) || (strcmp(li->name, "PSA") == 0 &&
		    dw->a->patient.sex != 'M'))
			continue;
		val = li->lo + span * rng_range(dw->rng, -0.25, 1.3);
		if (val < 0)
			val = 0;
		flag = val > li->hi ? 1 : val < li->lo ? -1 : 0;
		draw_txt(p, G, 10, 0, x[0] + 2, y + 1, li->name);
		snprintf(v, sizeof(v), "%.*f %s", li->decimals, val,
		    flag > 0 ? "H" : flag < 0 ? "L" : "");
		draw_txt(p, G, 10, flag != 0, x[1] + 2, y + 1, v);
		if (dates > 1) {
			snprintf(v, sizeof(v), "%.*f", li->decimals,
			    val * rng_range(dw->rng, 0.85, 1.15));
			draw_txt(p, G, 10, 0, x[2] + 2, y + 1, v);
		}
		snprintf(v, sizeof(v), "%.*f - %.*f", li->decimals, li->lo,
		    li->decimals, li->hi);
		draw_txt(p, G, 9.5, 0, x[3] + 2, y + 1, v);
		draw_txt(p, G, 8.5, 0, x[4] + 2, y + 1.5, li->unit);
		render_line(p, 15, y + 7, 195, y + 7, 0.15);
		y += 7;
		n++;
	}
	for (k = 0; k < 5; k++)
		render_line(p, x[k], 48, x[k], y, 0.2);
	render_rect(p, 15, 48, 180, y - 48, 0.4);
	draw_txt(p, G, 8.5, 0, 15, y + 4, "H：基準値より高値　L：基準値より低値"
	    "　　※この報告書は検査システムから出力されたものです。");
	(void)n;
	return 0;
}

/* --- imaging report ----------------------------------------------------- */

int
docs_imaging(struct fs_draw *dw, struct fs_doc *d)
{
	struct fs_app *a = dw->a;
	const struct fs_dx *dx = &fs_dxs[a->dx];
	struct render_page *p = draw_page(dw);
	int mri = rng_chance(dw->rng, 0.4);
	char *s;
	double y;
	struct fs_person rad;

	if (p == NULL)
		return -EIO;
	clinic_header(dw, p, d, "画 像 診 断 報 告 書", 18);
	person_make(dw->rng, &rad, 0, 35, 65, 2026, 1, 1);
	y = 40;
	render_rect(p, 15, y, 180, 22, 0.4);
	xasprintf(&s, "検査種別：%s　　部位：%s　　造影：%s\n検査日：%d年%d月%d日"
	    "　　依頼医：%s %s", mri ? "MRI" : "CT", dx->organ,
	    rng_chance(dw->rng, 0.6) ? "あり" : "なし", a->fy, a->fm,
	    a->fd > 8 ? a->fd - 7 : 1, a->doctor.family.kanji,
	    a->doctor.given.kanji);
	draw_para(p, G, 10, 18, y + 3, 175, s);
	free(s);
	y = 70;
	draw_txt(p, G, 11, 1, 15, y, "【所見】");
	xasprintf(&s, "%s領域に病変を認める。%s 周囲脂肪織への明らかな浸潤"
	    "は指摘できない。有意なリンパ節腫大は%s。遠隔転移を示唆する所見"
	    "は認めない。胸水・腹水なし。", dx->organ, mri ?
	    "T2強調像で軽度高信号、拡散強調像で高信号を示す。" :
	    "造影早期相で不均一な増強効果を示す。", rng_chance(dw->rng, 0.5) ?
	    "認めない" : "所属領域に1か所認める（短径9mm）");
	y = draw_para(p, M, 11, 20, y + 8, 170, s);
	free(s);
	y += 8;
	draw_txt(p, G, 11, 1, 15, y, "【診断】");
	xasprintf(&s, "%sとして矛盾しない所見。", dx->name);
	doc_field(d, FIELD_DIAGNOSIS, dx->name, dx->name);
	draw_para(p, M, 11, 20, y + 8, 170, s);
	free(s);
	xasprintf(&s, "読影医　%s %s（放射線診断専門医）", rad.family.kanji,
	    rad.given.kanji);
	draw_right(p, G, 10, 195, 255, s);
	free(s);
	render_line(p, 15, 262, 195, 262, 0.3);
	draw_txt(p, G, 8, 0, 15, 264, "画像データ（DICOM）はCD-Rにて別途お渡し"
	    "いたします。本報告書のみでの診断はお控えください。");
	return 0;
}

/* --- pathology report ----------------------------------------------------- */

int
docs_pathology(struct fs_draw *dw, struct fs_doc *d)
{
	struct fs_app *a = dw->a;
	const struct fs_dx *dx = &fs_dxs[a->dx];
	struct render_page *p = draw_page(dw);
	char *s;
	double y;
	struct fs_person pa;

	if (p == NULL)
		return -EIO;
	clinic_header(dw, p, d, "病 理 組 織 診 断 報 告 書", 18);
	person_make(dw->rng, &pa, 0, 35, 65, 2026, 1, 1);
	y = 40;
	xasprintf(&s, "標本番号：S%02d-%05d　　採取日：%d年%d月%d日\n"
	    "検体：生検組織（%s）　　臨床診断：%s疑い", rng_int(dw->rng, 24, 26),
	    rng_int(dw->rng, 1, 99999), a->fy, a->fm > 1 ? a->fm - 1 : 1,
	    rng_int(dw->rng, 1, 28), dx->organ, dx->name);
	render_rect(p, 15, y, 180, 20, 0.4);
	draw_para(p, G, 10, 18, y + 3, 175, s);
	free(s);
	y = 70;
	draw_txt(p, G, 11, 1, 15, y, "【病理診断】");
	doc_field(d, FIELD_DIAGNOSIS, dx->name, dx->path ? dx->path : dx->name);
	draw_txt(p, M, 12, 0, 20, y + 9, dx->path ? dx->path : dx->name);
	draw_txt(p, M, 11, 0, 20, y + 17, dx->name);
	draw_txt(p, G, 11, 1, 15, y + 30, "【所見】");
	draw_para(p, M, 10.5, 20, y + 38, 170, "提出された組織片に、異型細胞"
	    "の増殖を認めます。核の腫大、核小体の明瞭化を伴い、一部で"
	    "不規則な腺管構造を形成しています。脈管侵襲は明らかではあり"
	    "ません。免疫組織化学的検索の結果を参考に、上記と診断します。");
	xasprintf(&s, "病理診断医　%s %s　㊞", pa.family.kanji, pa.given.kanji);
	draw_right(p, G, 10, 195, 250, s);
	free(s);
	return 0;
}

/* --- dispatch ------------------------------------------------------------- */

int
draw_doc(struct fs_draw *dw, struct fs_doc *d)
{
	size_t before = render_doc_npages(dw->rd);
	struct render_page *p;
	int rc = 0;

	d->first_page = (int)before + 1;
	switch (d->type) {
	case DOC_COVER_SHEET:
		/* a blank page now, drawn when the page count is known */
		p = draw_page(dw);
		rc = p ? 0 : -EIO;
		break;
	case DOC_APPLICATION_FORM:
		rc = forms_application(dw, d);
		break;
	case DOC_CONSENT_FORM:
		rc = d->layout == FS_LAY_FORM ? forms_consent(dw, d) :
		    docs_consent_letter(dw, d);
		break;
	case DOC_REFERRAL_LETTER:
		rc = letters_referral(dw, d);
		break;
	case DOC_RELATIONSHIP_PROOF:
		rc = docs_card(dw, d);
		break;
	case DOC_LAB_RESULTS:
		rc = docs_labs(dw, d);
		break;
	case DOC_IMAGING_REPORT:
		rc = docs_imaging(dw, d);
		break;
	case DOC_PATHOLOGY_REPORT:
		rc = docs_pathology(dw, d);
		break;
	case DOC_OTHER:
		rc = d->separator ? forms_separator(dw, d) : -EINVAL;
		break;
	default:
		rc = -EINVAL;
	}
	d->npages = (int)(render_doc_npages(dw->rd) - before);
	return rc;
}
