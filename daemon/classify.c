/*
 * classify.c — page types from QR, title and keywords; document and
 * application grouping; fax header lines; cover sheet page counts;
 * language.
 *
 * Scoring: the page's own QR code decides (0.99).  Otherwise each type
 * has title words (worth 6 when they are in the title line, 3 elsewhere)
 * and body words (1 each, at most 5 counted).  The confidence comes from
 * the winner's score and its margin over the runner-up, so a page that
 * looks like two things is not certain of either.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "faxintake/casematch.h"
#include "faxintake/classify.h"
#include "faxintake/normalize.h"

#define MAX_SQUASH	(256 * 1024)

/* text without white space (OCR puts spaces between CJK characters);
 * malloc'd, NULL on ENOMEM. */
static char *
squash(const char *text, size_t max)
{
	size_t n = strnlen(text, max), i, k = 0;
	char *s = malloc(n + 1);

	if (s == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == 0xe3 && i + 2 < n && (unsigned char)text[i + 1] == 0x80
		    && (unsigned char)text[i + 2] == 0x80) {
			i += 2;			/* U+3000 */
			continue;
		}
		s[k++] = (char)c;
	}
	s[k] = '\0';
	return s;
}

struct kw {
	const char	*word;
	int		 title;		/* a title word */
};

static const struct kwset {
	enum doc_type	 type;
	struct kw	 kws[28];
} kwsets[] = {
	{ DOC_APPLICATION_FORM, { { "外来申込書", 1 }, { "申込書", 1 },
	    { "申し込み書", 1 }, { "申込用紙", 1 }, { "申込者", 0 },
	    { "希望診療科", 0 }, { "希望医師", 0 }, { "本人来院", 0 },
	    { "患者との続柄", 0 }, { "相談方法", 0 }, { NULL, 0 } } },
	{ DOC_REFERRAL_LETTER, { { "診療情報提供書", 1 }, { "紹介状", 1 },
	    { "診療情報提供", 1 }, { "情報提供書", 1 }, { "ReferralLetter", 1 },
	    { "紹介目的", 0 }, { "紹介元", 0 }, { "紹介先", 0 },
	    { "傷病名", 0 }, { "既往歴", 0 }, { "治療経過", 0 },
	    { "現在の処方", 0 }, { "症状経過", 0 }, { "Referral", 0 },
	    { "添付資料", 0 }, { "Rp1)", 0 }, { "LETTEROF", 1 },
	    { "Thankyouforseeing", 0 }, { "SecondOpinion", 0 },
	    { "Dear", 0 }, { "Diagnosis", 0 },
	    /* a letter whose title the fax lost: its courtesies */
	    { "ご高診", 0 }, { "侍史", 0 }, { "御机下", 0 }, { NULL, 0 } } },
	{ DOC_CONSENT_FORM, { { "同意書", 1 }, { "相談同意書", 1 },
	    { "委任状", 1 }, { "同意します", 0 }, { "同意いたします", 0 },
	    { "委任します", 0 }, { "同意者", 0 }, { NULL, 0 } } },
	{ DOC_RELATIONSHIP_PROOF, { { "被保険者証", 1 }, { "保険証", 1 },
	    { "住民票", 1 }, { "戸籍", 1 }, { "健康保険", 0 },
	    { "保険者番号", 0 }, { "被扶養者", 0 }, { "記号", 0 },
	    { "資格取得", 0 }, { "続柄", 0 }, { NULL, 0 } } },
	{ DOC_LAB_RESULTS, { { "検査結果", 1 }, { "血液検査", 1 },
	    { "検査報告書", 1 }, { "基準値", 0 }, { "生化学", 0 },
	    { "WBC", 0 }, { "RBC", 0 }, { "AST", 0 }, { "ALT", 0 },
	    { "CRP", 0 }, { "単位", 0 }, { "腫瘍マーカー", 0 },
	    { "CEA", 0 }, { "ヘモグロビン", 0 }, { NULL, 0 } } },
	{ DOC_IMAGING_REPORT, { { "画像診断報告書", 1 }, { "読影レポート", 1 },
	    { "画像診断", 1 }, { "読影", 0 }, { "所見", 0 },
	    { "CT", 0 }, { "MRI", 0 }, { "X線", 0 }, { "超音波", 0 },
	    { "造影", 0 }, { "PET", 0 }, { "撮影", 0 }, { NULL, 0 } } },
	{ DOC_PATHOLOGY_REPORT, { { "病理診断報告書", 1 },
	    { "病理組織診断", 1 }, { "病理検査報告書", 1 }, { "病理診断", 1 },
	    { "病理", 0 }, { "組織型", 0 }, { "検体", 0 }, { "生検", 0 },
	    { "細胞診", 0 }, { "免疫染色", 0 }, { "切除断端", 0 },
	    { NULL, 0 } } },
	{ DOC_COVER_SHEET, { { "FAX送付状", 1 }, { "FAX送信票", 1 },
	    { "送付状", 1 }, { "送信票", 1 }, { "FAX送信のご案内", 1 },
	    { "送信のご", 1 }, { "FAX送信", 1 }, { "AX送信", 1 },
	    { "のご案内", 1 }, { "FaxCover", 1 },
	    { "送付枚数", 0 }, { "本状含む", 0 }, { "枚数", 0 },
	    { "送信者", 0 }, { "宛先", 0 }, { "本紙を含め", 0 },
	    { "通信欄", 0 }, { "発信元", 0 }, { "件名", 0 },
	    { NULL, 0 } } },
};
#define NKW	(sizeof(kwsets) / sizeof(kwsets[0]))

/* Does the short line t hold title word w with one letter misread
 * (司意書 for 同意書)?  Words of three letters or more only. */
static int
fuzzy_title(const char *t, const char *w)
{
	int32_t a[16], b[8];
	size_t n, m;

	if (norm_utf8_cps(t, a, 16, &n) != 0 ||
	    norm_utf8_cps(w, b, 8, &m) != 0 || m < 3 || n < m || n > 12)
		return 0;
	for (size_t i = 0; i + m <= n; i++) {
		size_t diff = 0;
		for (size_t j = 0; j < m && diff < 2; j++)
			diff += a[i + j] != b[j];
		if (diff <= 1)
			return 1;
	}
	return 0;
}

/* The type whose title word line t holds (fuzzy: one letter misread),
 * or -1. */
static int
title_kind(const char *t, int fuzzy)
{
	for (size_t k = 0; k < NKW; k++)
		for (size_t j = 0; kwsets[k].kws[j].word; j++)
			if (kwsets[k].kws[j].title && (fuzzy ?
			    fuzzy_title(t, kwsets[k].kws[j].word) :
			    strstr(t, kwsets[k].kws[j].word) != NULL))
				return (int)kwsets[k].type;
	return -1;
}

/* Count occurrences of w in s, at most cap. */
static int
count(const char *s, const char *w, int cap)
{
	int n = 0;
	size_t wl = strlen(w);

	while (n < cap && (s = strstr(s, w)) != NULL) {
		n++;
		s += wl;
	}
	return n;
}

void
classify_language(const char *text, char out[8])
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
	long kana = 0, han = 0, latin = 0, eng = 0;
	char word[32];
	size_t wl = 0;
	static const char *stop[] = { "the", "and", "of", "to", "patient",
	    "with", "was", "for", "dear", "is", "in" };

	for (;;) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate(p, -1, &c);
		if (k <= 0 || c == 0)
			c = 0;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			latin++;
			if (wl + 1 < sizeof(word))
				word[wl++] = (char)(c | 0x20);
		} else {
			if (wl > 0) {
				word[wl] = '\0';
				for (size_t i = 0; i < sizeof(stop) /
				    sizeof(stop[0]); i++)
					if (strcmp(word, stop[i]) == 0)
						eng++;
			}
			wl = 0;
			if (c >= 0x3040 && c <= 0x30ff)
				kana++;
			else if (c >= 0x4e00 && c <= 0x9fff)
				han++;
		}
		if (c == 0)
			break;
		p += k;
	}
	if (kana + han > latin / 3 && kana > 0 && kana * 20 >= han)
		snprintf(out, 8, "ja");
	else if (han > latin / 3 && han > 20 && kana * 20 < han)
		snprintf(out, 8, "zh");
	else if (latin > 40 && eng >= 3)
		snprintf(out, 8, "en");
	else if (kana + han > 0)
		snprintf(out, 8, "ja");
	else
		snprintf(out, 8, "und");
}

static int
read_int(const char *s, int maxd, const char **end)
{
	int v = 0, nd = 0;

	while (*s >= '0' && *s <= '9') {
		if (++nd > maxd)
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	*end = s;
	return nd ? v : -1;
}

int
classify_cover_total(const char *text)
{
	char *s, *nf;
	const char *p, *e;
	int v = 0;

	if (text == NULL || norm_nfkc(text, MAX_SQUASH, &nf) != 0)
		return 0;
	s = squash(nf, MAX_SQUASH);
	free(nf);
	if (s == NULL)
		return 0;
	/* 全3枚, 全 3 枚 */
	for (p = s; v == 0 && (p = strstr(p, "全")) != NULL; p += 3) {
		int n = read_int(p + 3, 3, &e);
		if (n > 0 && strncmp(e, "枚", 3) == 0)
			v = n;
	}
	/* 送付枚数:3枚, 枚数 3 (本状含む), 3枚(本状含む) */
	for (p = s; v == 0 && (p = strstr(p, "枚数")) != NULL; p += 6) {
		const char *q = p + 6;
		while (*q == ':' || *q == '.')
			q++;
		int n = read_int(q, 3, &e);
		if (n > 0)
			v = n;
	}
	if (v == 0 && (p = strstr(s, "枚(本状含む)")) != NULL) {
		const char *q = p;
		while (q > s && q[-1] >= '0' && q[-1] <= '9' && p - q < 3)
			q--;
		if (q < p)
			v = read_int(q, 3, &e);
	}
	free(s);
	return v > 0 && v <= 999 ? v : 0;
}

int
classify_header_line(const char *line, char sender[NORM_PHONE_LEN],
    int *page, int *pages)
{
	char *s, cand[64], num[NORM_PHONE_LEN], ext[NORM_EXT_LEN];
	const char *p, *e, *q;
	double pen;
	int found = 0, hint = 0, pg = 0, pgs = 0;
	size_t i, n;

	if (line == NULL || sender == NULL)
		return -EINVAL;
	if (norm_nfkc(line, 1024, &s) != 0)
		return NORM_INVALID;
	n = strlen(s);
	/* Page "P.1/3", "P 001/003", "1/3" at the end. */
	for (i = 0; i < n; i++)
		if (s[i] == '/' && i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9') {
			size_t j = i;
			while (j > 0 && s[j - 1] >= '0' && s[j - 1] <= '9' &&
			    i - j < 3)
				j--;
			int a = read_int(s + j, 3, &e);
			int b = read_int(s + i + 1, 3, &e);
			if (a > 0 && b >= a && b < 1000 && (*e == '\0' ||
			    *e == ' ' || *e == ')') && (j > 0 &&
			    (s[j - 1] == 'P' || s[j - 1] == '.' ||
			    s[j - 1] == ' ' || s[j - 1] == 'p'))) {
				pg = a;
				pgs = b;
				hint = 1;
			}
		}
	if (strstr(s, "FAX") || strstr(s, "Fax") || strstr(s, "FROM") ||
	    strstr(s, "From") || strstr(s, "TEL") || strchr(s, ':'))
		hint = 1;
	/* A 0 read as the letter O before digits (FAXO116564674) */
	for (i = 0; i + 1 < n; i++)
		if ((s[i] == 'O' || s[i] == 'o') && s[i + 1] >= '0' &&
		    s[i + 1] <= '9')
			s[i] = '0';
	/* Candidates: maximal runs of digits and separators with 10-11
	 * digits. */
	for (p = s; *p && !found; ) {
		size_t k = 0, nd = 0;
		if (!(*p >= '0' && *p <= '9')) {
			p++;
			continue;
		}
		e = p;
		while (*e && k + 1 < sizeof(cand) && ((*e >= '0' && *e <= '9') ||
		    *e == '-' || *e == ' ' || *e == '(' || *e == ')')) {
			if (*e >= '0' && *e <= '9')
				nd++;
			/* a space then a non-digit ends the run */
			cand[k++] = *e++;
			if (nd >= 11)
				break;
		}
		cand[k] = '\0';
		while (k > 0 && (cand[k - 1] == ' ' || cand[k - 1] == '-'))
			cand[--k] = '\0';
		if (cand[0] == '0' && (nd == 10 || nd == 11) &&
		    norm_phone(cand, num, sizeof(num), ext, sizeof(ext),
		    &pen) == 0)
			found = 1;
		/* not a number from its first digit: the time before it may
		 * have run into it ("13:28 03-8009-2683"), so try again
		 * after the run's first space */
		if (!found && (q = memchr(p, ' ', (size_t)(e - p))) != NULL)
			p = q + 1;
		else
			p = e > p ? e : p + 1;
	}
	free(s);
	if (!found || !hint)
		return NORM_INVALID;
	snprintf(sender, NORM_PHONE_LEN, "%s", num);
	if (page)
		*page = pg;
	if (pages)
		*pages = pgs;
	return 0;
}

static int
has_any(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (strstr(s, *words))
			return 1;
	return 0;
}

int
classify_page(const struct classify_page *pg, struct classify_result *ret)
{
	static const char *cont[] = { "続紙", "(続き)", "(続)", "続き", "2枚目",
	    "その2", NULL };
	struct classify_result r;
	char *all, *title = NULL, lists[2048];
	int score[DOC__COUNT] = { 0 }, best = -1, second = -1;
	int title_type = -1;
	size_t i, j, ln;
	float medh = 0;

	if (pg == NULL || ret == NULL || pg->text == NULL)
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	r.type = DOC_OTHER;
	r.dedicated_form = -1;
	if ((all = squash(pg->text, MAX_SQUASH)) == NULL)
		return -ENOMEM;
	classify_language(pg->text, r.language);

	/* Fax header: a line in the top 4% of the page. */
	for (i = 0; i < pg->nlines && i < 4; i++) {
		const struct classify_line *l = &pg->lines[i];
		if (pg->page_h > 0 && l->y > pg->page_h / 25)
			continue;
		if (classify_header_line(l->text, r.header_sender,
		    &r.header_page, &r.header_pages) == 0) {
			snprintf(r.header_raw, sizeof(r.header_raw), "%s",
			    l->text);
			break;
		}
	}

	/* QR decides. */
	if (pg->qr && pg->qr->ours) {
		const struct qr_info *q = pg->qr;
		r.confidence = 0.99;
		r.has_title = 1;
		if (strcmp(q->form, "application") == 0)
			r.type = DOC_APPLICATION_FORM;
		else if (strcmp(q->form, "consent") == 0)
			r.type = DOC_CONSENT_FORM;
		else if (strcmp(q->form, "cover") == 0) {
			r.type = DOC_COVER_SHEET;
			snprintf(r.case_id, sizeof(r.case_id), "%s",
			    q->case_id);
			r.new_application = 1;
		} else if (strcmp(q->form, "separator") == 0) {
			r.separator = 1;
			r.new_application = 1;
		} else if (strncmp(q->form, "referral", 8) == 0) {
			r.type = DOC_REFERRAL_LETTER;
			r.dedicated_form = 1;
		} else
			r.confidence = 0.5;
		if (q->page > 1) {
			r.continuation = 1;
			r.new_application = 0;
		} else if (r.type == DOC_APPLICATION_FORM)
			r.new_application = 1;
		snprintf(r.title, sizeof(r.title), "QR:%s", q->form);
		goto out;
	}
	if (strstr(all, "区切り用紙") || strstr(all, "SEPARATORSHEET")) {
		r.separator = 1;
		r.new_application = 1;
		r.confidence = 0.9;
		goto out;
	}

	/* Title: a tall line in the top 40% (or one naming a type). */
	if (pg->nlines > 0) {
		float *hs = calloc(pg->nlines, sizeof(*hs));
		if (hs) {
			for (i = 0; i < pg->nlines; i++)
				hs[i] = (float)pg->lines[i].h;
			/* median by selection (small n) */
			for (i = 0; i < pg->nlines; i++)
				for (j = i + 1; j < pg->nlines; j++)
					if (hs[j] < hs[i]) {
						float t = hs[i];
						hs[i] = hs[j];
						hs[j] = t;
					}
			medh = hs[pg->nlines / 2];
			free(hs);
		}
	}
	for (i = 0; i < pg->nlines; i++) {
		const struct classify_line *l = &pg->lines[i];
		char *t;
		int tt = -1;
		if (pg->page_h > 0 && l->y > pg->page_h * 2 / 5)
			break;
		if ((t = squash(l->text, 1024)) == NULL)
			continue;
		/* a list of enclosures (血液検査結果、画像診断報告書) or a
		 * sentence naming documents is not a title */
		if (strlen(t) > 60 || strstr(t, "、") || strstr(t, "を") ||
		    strstr(t, "等の")) {
			free(t);
			continue;
		}
		if ((tt = title_kind(t, 0)) < 0 && (float)l->h > medh * 1.3f)
			tt = title_kind(t, 1);	/* large type: one letter off */
		if (tt >= 0 && (title_type < 0 || (float)l->h > medh * 1.3f)) {
			free(title);
			title = t;
			title_type = tt;
			if ((float)l->h > medh * 1.3f)
				break;
			continue;
		}
		if (title == NULL && medh > 0 && (float)l->h > medh * 1.5f &&
		    strlen(t) >= 6) {
			title = t;
			continue;
		}
		free(t);
	}
	if (title) {
		snprintf(r.title, sizeof(r.title), "%s", title);
		free(title);
	}
	if (title_type >= 0)
		r.has_title = 1;

	/* Lines that list documents (血液検査結果、画像診断報告書): a
	 * letter's enclosures name other documents' titles. */
	lists[0] = '\0';
	for (i = 0, ln = 0; i < pg->nlines; i++) {
		char *t = squash(pg->lines[i].text, 1024);
		size_t tl;
		if (t && strstr(t, "、") && ln + (tl = strlen(t)) + 2 <
		    sizeof(lists)) {
			memcpy(lists + ln, t, tl);
			ln += tl;
			lists[ln++] = '|';
			lists[ln] = '\0';
		}
		free(t);
	}
	/* Keywords. */
	for (i = 0; i < NKW; i++) {
		int s = 0;
		for (j = 0; kwsets[i].kws[j].word; j++) {
			const struct kw *k = &kwsets[i].kws[j];
			int c = count(all, k->word, 5);
			if (c == 0)
				continue;
			if (k->title && count(lists, k->word, 5) >= c)
				s += 1;		/* only named in a list */
			else
				s += k->title ? 3 : (c > 2 ? 2 : c);
		}
		if ((int)kwsets[i].type == title_type)
			s += 6;
		score[kwsets[i].type] = s > 20 ? 20 : s;
	}
	/* A page count (全2枚, 送信枚数 2) is what a cover sheet is for: a
	 * letter that names its enclosures (診療情報提供書と検査結果を
	 * お送りします) is still a cover sheet. */
	if (classify_cover_total(pg->text) > 0 || strstr(all, "送信枚数") ||
	    strstr(all, "本紙を含め"))
		score[DOC_COVER_SHEET] += 8;
	/* 申込書 mentions 診療情報提供書 and 同意書 in its instructions; a
	 * referral letter names セカンドオピニオン: titles settle that. */
	for (i = 0; i < DOC__COUNT; i++) {
		if (best < 0 || score[i] > score[best]) {
			second = best;
			best = (int)i;
		} else if (second < 0 || score[i] > score[second])
			second = (int)i;
	}
	if (best >= 0 && score[best] >= 2) {
		int s1 = score[best], s2 = second >= 0 ? score[second] : 0;
		double margin = (double)(s1 - s2) / (double)s1;
		r.type = (enum doc_type)best;
		r.confidence = 0.35 + 0.35 * (s1 > 12 ? 1.0 : s1 / 12.0) +
		    0.25 * margin;
		if (title_type == best)
			r.confidence += 0.05;
		if (r.confidence > 0.97)
			r.confidence = 0.97;
	} else {
		r.type = DOC_OTHER;
		r.confidence = 0.3;
	}
	if (has_any(all, cont) || (!r.has_title && score[r.type] < 6))
		r.continuation = 1;
	if (r.type == DOC_REFERRAL_LETTER)
		r.dedicated_form = strstr(r.title, "専用") != NULL ||
		    (title_type == DOC_REFERRAL_LETTER &&
		    strstr(all, "専用診療情報提供書") != NULL);
	if (r.type == DOC_COVER_SHEET)
		r.cover_total = classify_cover_total(pg->text);
	if (r.type == DOC_APPLICATION_FORM && r.has_title)
		r.new_application = 1;
out:
	free(all);
	*ret = r;
	return 0;
}

/* Two readings of a name are one patient unless they differ by more
 * than an OCR slip: one letter in a name of four or more (高田 大還
 * beside 高田 大輔 split an application in two). */
static int
same_patient(const char *a, const char *b)
{
	if (a == NULL || b == NULL || !*a || !*b)
		return 1;			/* unknown: no evidence */
	return casematch_name_distance(a, b) <= casematch_name_tolerance(a);
}

int
classify_group(const struct classify_pageinfo *pages, size_t n,
    struct classify_doc *docs, size_t max, size_t *ndocs, int *napps)
{
	size_t i, nd = 0;
	int app = 0, app_used = 0, app_has_form = 0, app_has_cover = 0;
	const char *app_patient = NULL, *doc_patient = NULL;

	if ((pages == NULL && n) || docs == NULL || ndocs == NULL ||
	    napps == NULL)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		const struct classify_pageinfo *p = &pages[i];
		struct classify_doc *prev = nd ? &docs[nd - 1] : NULL;
		int join, newapp = 0;

		if (p->separator) {
			if (app_used) {
				app++;
				app_used = app_has_form = app_has_cover = 0;
				app_patient = NULL;
			}
			doc_patient = NULL;
			prev = NULL;
			continue;	/* ends the document before it */
		}
		/* does this page continue the document before it? */
		join = prev != NULL && prev->last == (int)i - 1 &&
		    p->continuation && same_patient(doc_patient, p->patient);
		if (join && p->form_page > 1 && prev->type != p->type)
			join = 0;
		if (join && p->has_title && prev->type != p->type)
			join = 0;
		if (join) {
			prev->last = (int)i;
			if (p->confidence < prev->confidence &&
			    p->type == prev->type)
				prev->confidence = (prev->confidence +
				    p->confidence) / 2;
			if (p->patient && !doc_patient)
				doc_patient = p->patient;
			continue;
		}
		/* a new application begins? */
		if (app_used) {
			if (p->new_application && p->type == DOC_COVER_SHEET &&
			    app_has_cover)
				newapp = 1;
			if (p->new_application &&
			    p->type == DOC_APPLICATION_FORM && app_has_form)
				newapp = 1;
			if (p->patient && app_patient &&
			    !same_patient(app_patient, p->patient))
				newapp = 1;
			/* a sender's cover sheet after documents */
			if (p->type == DOC_COVER_SHEET && p->has_title &&
			    app_has_cover)
				newapp = 1;
		}
		if (newapp) {
			app++;
			app_has_form = app_has_cover = 0;
			app_patient = NULL;
		}
		if (nd == max)
			return -E2BIG;
		docs[nd].type = p->type;
		docs[nd].first = docs[nd].last = (int)i;
		docs[nd].confidence = p->confidence;
		docs[nd].application = app;
		nd++;
		app_used = 1;
		doc_patient = p->patient;
		if (p->type == DOC_APPLICATION_FORM)
			app_has_form = 1;
		if (p->type == DOC_COVER_SHEET)
			app_has_cover = 1;
		if (p->patient && !app_patient)
			app_patient = p->patient;
	}
	*ndocs = nd;
	*napps = nd ? app + 1 : 0;
	return 0;
}
