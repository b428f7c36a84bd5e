/*
 * reader.c — per-page reading and per-file grouping (reader.h).
 *
 * Page flow: clean (preprocess) → QR → by what the QR says:
 *   separator: nothing else is read;
 *   our application/consent form: fax header strip OCR + zone OCR and
 *   marks of the form's boxes (form_layout, aligned on the corner marks);
 *   otherwise: OCR of the top strip (header line, title); an upside-down
 *   page is detected there (confidence 0° vs 180°); lab, imaging and
 *   pathology pages stop at the strip unless full_reports; the rest of
 *   the page is read below a blank row, then classified and its fields
 *   taken from label/value pairs.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <leptonica/allheaders.h>

#include "faxintake/casematch.h"
#include "faxintake/classify.h"
#include "faxintake/extract.h"
#include "faxintake/form.h"
#include "faxintake/normalize.h"
#include "faxintake/ocr.h"
#include "faxintake/preprocess.h"
#include "faxintake/profile.h"
#include "faxintake/reader.h"
#include "faxintake/vote.h"

#define LAYOUT_CACHE	8
#define STRIP_FRAC	0.28	/* top strip: header line and title */
#define HEADER_FRAC	0.045	/* own forms: the fax header line only */
#define ORIENT_CONF	55.0	/* strip confidence below which 180° is tried */
#define HEADER_FAX_CONF	0.45	/* a FAX number from the fax header line */
#define READER_VOTE_MAX	16	/* readings of one field in one application */
#define VOTE_MIN_MARGIN	0.1	/* every letter of a vote won by this much */
#define VOTE_CAP	0.7	/* a voted value: below review */
#define GUESS_CAP	0.6	/* a guess matched to a reading */
#define HEADER_NAME_CONF 0.5	/* a family's name in a fax header line,
				   per page that prints it */

struct layout_entry {
	char			 form[32];
	char			 hospital[32];
	struct form_layout	*layout;	/* NULL: could not load */
};

struct page_sum {
	struct classify_pageinfo info;
	char		 patient[NORM_NAME_LEN];
	char		 language[8];
	int		 dedicated;
	char		 case_id[32];
	char		 sender[NORM_PHONE_LEN];
	char		 header_raw[256];	/* the fax header line */
	struct extract_field *fields;
	size_t		 nfields;
};

struct reader {
	struct ocr		*ocr;
	struct ocr		*docr;
	char			*templates;
	int			 full_reports;
	struct layout_entry	 layouts[LAYOUT_CACHE];
	size_t			 nlayouts;
	struct page_sum		*pages;
	size_t			 npages, cap;
};

static long long
now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int
reader_new(const struct reader_opts *opts, struct reader **ret)
{
	struct reader *r;
	int rc;

	if (opts == NULL || ret == NULL)
		return -EINVAL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return -ENOMEM;
	if (opts->templates &&
	    (r->templates = strdup(opts->templates)) == NULL) {
		free(r);
		return -ENOMEM;
	}
	r->full_reports = opts->full_reports;
	/* Tesseract's script model reads written digits better than jpn
	 * and names differently (dev split: patient phone 43 -> 62 %,
	 * applicant FAX 53 -> 61 %; words worse): when installed, it reads
	 * the digit zones of our forms, a second reading of written names,
	 * and numbers and dates found beside their labels again. */
	if (ocr_new(opts->tessdata, opts->digits_lang ? opts->digits_lang :
	    READER_DIGITS_LANG, &r->docr) != 0)
		r->docr = NULL;
	if ((rc = ocr_new(opts->tessdata, opts->lang ? opts->lang : "jpn",
	    &r->ocr)) != 0) {
		free(r->templates);
		free(r);
		return rc;
	}
	*ret = r;
	return 0;
}

void
reader_file_abort(struct reader *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->npages; i++)
		free(r->pages[i].fields);
	r->npages = 0;
}

void
reader_free(struct reader *r)
{
	size_t i;

	if (r == NULL)
		return;
	reader_file_abort(r);
	free(r->pages);
	for (i = 0; i < r->nlayouts; i++)
		form_layout_free(r->layouts[i].layout);
	ocr_free(r->ocr);
	ocr_free(r->docr);
	free(r->templates);
	free(r);
}

void
reader_page_clear(struct reader_page *p)
{
	if (p == NULL)
		return;
	free(p->text);
	memset(p, 0, sizeof(*p));
}

void
reader_file_clear(struct reader_file *f)
{
	if (f == NULL)
		return;
	free(f->docs);
	memset(f, 0, sizeof(*f));
}

/* The layout of our form for a hospital, loaded once; NULL if unknown. */
static const struct form_layout *
get_layout(struct reader *r, const char *formid, const char *hospital)
{
	struct layout_entry *e;
	struct form *f = NULL;
	struct profile *pr = NULL;
	struct form_hospital h;
	struct form_department *depts = NULL;
	char *errs = NULL, dir[PATH_MAX];
	size_t i;

	for (i = 0; i < r->nlayouts; i++)
		if (strcmp(r->layouts[i].form, formid) == 0 &&
		    strcmp(r->layouts[i].hospital, hospital) == 0)
			return r->layouts[i].layout;
	if (r->templates == NULL || !profile_id_valid(hospital))
		return NULL;
	if (r->nlayouts == LAYOUT_CACHE) {
		form_layout_free(r->layouts[0].layout);
		memmove(&r->layouts[0], &r->layouts[1],
		    (LAYOUT_CACHE - 1) * sizeof(r->layouts[0]));
		r->nlayouts--;
	}
	e = &r->layouts[r->nlayouts++];
	memset(e, 0, sizeof(*e));
	snprintf(e->form, sizeof(e->form), "%s", formid);
	snprintf(e->hospital, sizeof(e->hospital), "%s", hospital);
	snprintf(dir, sizeof(dir), "%s/hospitals/%s", r->templates, hospital);
	if (form_load_named(r->templates, formid, &f, &errs) != 0)
		goto out;
	if (profile_load(dir, &pr, &errs) != 0)
		goto out;
	if (form_hospital_from_profile(pr, &h, &depts) != 0)
		goto out;
	if (form_layout(f, &h, &e->layout) != 0)
		e->layout = NULL;
out:
	free(errs);
	free(depts);
	profile_free(pr);
	form_free(f);
	return e->layout;
}

/* The row nearest y (within +-span) holding the least ink. */
static int
blank_row(PIX *pix, int y, int span)
{
	l_int32 w, h, wpl;
	int best = y, bestc = INT_MAX;

	pixGetDimensions(pix, &w, &h, NULL);
	wpl = pixGetWpl(pix);
	for (int yy = y - span; yy <= y + span; yy++) {
		l_uint32 *line;
		int c = 0;
		if (yy < 1 || yy >= h - 1)
			continue;
		line = pixGetData(pix) + (size_t)yy * wpl;
		for (int k = 0; k < wpl; k++)
			c += __builtin_popcount(line[k]);
		if (c < bestc || (c == bestc && abs(yy - y) < abs(best - y))) {
			bestc = c;
			best = yy;
		}
	}
	return best;
}

/* Append an OCR result to the page's words, lines and text. */
struct pagetext {
	struct extract_word	*words;
	size_t			 nwords, wcap;
	struct classify_line	*lines;
	size_t			 nlines, lcap;
	char			*text;
	size_t			 tlen;
	struct ocr_result	 res[2];
	int			 nres;
	double			 confsum;
	int			 confn;
};

static int
pt_add(struct pagetext *pt, struct ocr_result *res)
{
	size_t i, base = pt->nlines, tl;
	int lbase = (int)pt->nlines;

	if (pt->nres >= 2)
		return -E2BIG;
	pt->res[pt->nres++] = *res;
	memset(res, 0, sizeof(*res));
	res = &pt->res[pt->nres - 1];
	if (pt->nlines + res->nlines > pt->lcap) {
		size_t nc = pt->nlines + res->nlines + 16;
		void *t = realloc(pt->lines, nc * sizeof(*pt->lines));
		if (t == NULL)
			return -ENOMEM;
		pt->lines = t;
		pt->lcap = nc;
	}
	if (pt->nwords + res->nwords > pt->wcap) {
		size_t nc = pt->nwords + res->nwords + 16;
		void *t = realloc(pt->words, nc * sizeof(*pt->words));
		if (t == NULL)
			return -ENOMEM;
		pt->words = t;
		pt->wcap = nc;
	}
	for (i = 0; i < res->nlines; i++) {
		struct classify_line *l = &pt->lines[base + i];
		l->y = res->lines[i].box.y;
		l->h = res->lines[i].box.h;
		l->conf = res->lines[i].conf;
		l->text = "";
	}
	pt->nlines += res->nlines;
	for (i = 0; i < res->nwords; i++) {
		struct extract_word *w = &pt->words[pt->nwords++];
		const struct ocr_word *ow = &res->words[i];
		w->text = ow->text;
		w->x = ow->box.x;
		w->y = ow->box.y;
		w->w = ow->box.w;
		w->h = ow->box.h;
		w->conf = ow->conf;
		w->line = lbase + ow->line;
		pt->confsum += ow->conf;
		pt->confn++;
	}
	tl = res->text ? strlen(res->text) : 0;
	if (pt->tlen + tl + 1 < READER_TEXT_MAX) {
		char *t = realloc(pt->text, pt->tlen + tl + 2);
		if (t == NULL)
			return -ENOMEM;
		pt->text = t;
		memcpy(pt->text + pt->tlen, res->text, tl);
		pt->tlen += tl;
		pt->text[pt->tlen] = '\0';
	}
	return 0;
}

/* Line texts: the line's words joined (kept in a side buffer). */
static char *
pt_line_texts(struct pagetext *pt)
{
	size_t total = 1, i, off = 0;
	char *buf;

	for (i = 0; i < pt->nwords; i++)
		total += strlen(pt->words[i].text) + 1;
	total += pt->nlines;
	if ((buf = malloc(total)) == NULL)
		return NULL;
	for (size_t l = 0; l < pt->nlines; l++) {
		pt->lines[l].text = buf + off;
		for (i = 0; i < pt->nwords; i++)
			if (pt->words[i].line == (int)l) {
				size_t k = strlen(pt->words[i].text);
				if (buf + off != pt->lines[l].text)
					buf[off++] = ' ';
				memcpy(buf + off, pt->words[i].text, k);
				off += k;
			}
		buf[off++] = '\0';
	}
	return buf;
}

static void
pt_free(struct pagetext *pt)
{
	for (int i = 0; i < pt->nres; i++)
		ocr_result_clear(&pt->res[i]);
	free(pt->words);
	free(pt->lines);
	free(pt->text);
	memset(pt, 0, sizeof(*pt));
}

static int
is_report(enum doc_type t)
{
	return t == DOC_LAB_RESULTS || t == DOC_IMAGING_REPORT ||
	    t == DOC_PATHOLOGY_REPORT;
}

/* Keep the patient's identity fields and the hospital that wrote the
 * report only (report pages). */
static int
identity_field(enum field_id id)
{
	return id == FIELD_PATIENT_NAME || id == FIELD_PATIENT_BIRTH_DATE ||
	    id == FIELD_PATIENT_SEX || id == FIELD_PATIENT_AGE ||
	    id == FIELD_PATIENT_NAME_KANA || id == FIELD_REFERRING_HOSPITAL;
}

static int
remember(struct reader *r, const struct reader_page *p,
    const struct classify_result *cr)
{
	struct page_sum *s;
	size_t i;

	if (r->npages >= READER_MAX_PAGES)
		return -E2BIG;
	if (r->npages == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 16;
		void *t = realloc(r->pages, nc * sizeof(*r->pages));
		if (t == NULL)
			return -ENOMEM;
		r->pages = t;
		r->cap = nc;
	}
	s = &r->pages[r->npages];
	memset(s, 0, sizeof(*s));
	if (p->nfields) {
		s->fields = malloc(p->nfields * sizeof(*s->fields));
		if (s->fields == NULL)
			return -ENOMEM;
		memcpy(s->fields, p->fields, p->nfields * sizeof(*s->fields));
		s->nfields = p->nfields;
	}
	s->info.type = p->doc_type;
	s->info.confidence = p->confidence;
	s->info.has_title = cr->has_title;
	s->info.continuation = p->continuation;
	s->info.separator = p->separator;
	s->info.new_application = p->new_application;
	s->info.form_page = p->has_qr && p->qr.ours ? p->qr.page : 0;
	for (i = 0; i < p->nfields; i++)
		if (p->fields[i].id == FIELD_PATIENT_NAME &&
		    p->fields[i].confidence >= 0.6) {
			snprintf(s->patient, sizeof(s->patient), "%s",
			    p->fields[i].value);
			s->info.patient = NULL;	/* set in finish */
		}
	snprintf(s->language, sizeof(s->language), "%s", p->language);
	s->dedicated = p->dedicated_form;
	snprintf(s->case_id, sizeof(s->case_id), "%s", cr->case_id);
	snprintf(s->sender, sizeof(s->sender), "%s", p->header_sender);
	snprintf(s->header_raw, sizeof(s->header_raw), "%s", p->header_raw);
	r->npages++;
	return 0;
}

/* Age in whole years on today's date (or up to a year before: the form
 * may have been filled in last year) of a birth date; -1 if unknown. */
static int
age_fits(const char *birth, int age)
{
	int y, m, d, lo, hi;
	time_t now = time(NULL);
	struct tm tm;

	if (facts_date_parse(birth, &y, &m, &d) != 0)
		return -1;
	gmtime_r(&now, &tm);
	hi = tm.tm_year + 1900 - y;
	lo = hi - 2;
	return age >= lo && age <= hi;
}

/*
 * Validate every field of a page (extract_validate: dropped when
 * worthless) and check them against each other: an age that does not fit
 * the birth date makes both doubtful; two equal readings of one value on
 * the page are not counted twice.
 */
static void
calibrate_page(struct reader_page *p)
{
	struct extract_field *bd = NULL, *age = NULL;
	size_t i, k = 0;

	for (i = 0; i < p->nfields; i++) {
		if (extract_validate(&p->fields[i]) != 0)
			continue;
		p->fields[k++] = p->fields[i];
	}
	p->nfields = k;
	for (i = 0; i < p->nfields; i++) {
		if (p->fields[i].id == FIELD_PATIENT_BIRTH_DATE)
			bd = &p->fields[i];
		else if (p->fields[i].id == FIELD_PATIENT_AGE)
			age = &p->fields[i];
	}
	if (bd && age) {
		int fit = age_fits(bd->value, atoi(age->value));
		if (fit == 0) {
			if (bd->confidence > 0.4)
				bd->confidence = 0.4;
			if (age->confidence > 0.4)
				age->confidence = 0.4;
		}
	}
}

/* Whether a line of text below the header line (the first) prints the
 * FAX number whose digits are digits: the sender's block of a cover
 * sheet or a letter. */
static int
fax_printed(const char *text, const char *digits)
{
	const char *l = strchr(text, '\n');

	while (l != NULL && *digits) {
		const char *e = strchr(++l, '\n');
		size_t len = e ? (size_t)(e - l) : strlen(l), k = 0;
		char dg[NORM_PHONE_LEN];
		int fax = 0;

		for (size_t i = 0; i < len; i++) {
			if (strncasecmp(l + i, "FAX", 3) == 0)
				fax = 1;
			if (l[i] >= '0' && l[i] <= '9' && k + 1 < sizeof(dg))
				dg[k++] = l[i];
		}
		dg[k] = '\0';
		if (fax && strstr(dg, digits) != NULL)
			return 1;
		l = e;
	}
	return 0;
}

/* See reader_page: the fax header's number as the referring FAX. */
static void
header_fax(struct reader_page *out, const char *sender, const char *text,
    int pageno)
{
	struct extract_field f, *old = NULL;
	char hd[NORM_PHONE_LEN], od[NORM_PHONE_LEN];
	int hosp = 0, printed;

	for (size_t i = 0; i < out->nfields; i++) {
		if (out->fields[i].id == FIELD_REFERRING_FAX)
			old = &out->fields[i];
		if (out->fields[i].id == FIELD_REFERRING_HOSPITAL &&
		    out->fields[i].confidence > 0.3)
			hosp = 1;
	}
	/* the page names two FAX numbers and took the addressee's (its
	 * 御中 misread): the one the header line names too is the
	 * sender's, read twice */
	printed = old && norm_phone_digits(sender, hd, sizeof(hd)) == 0 &&
	    norm_phone_digits(old->value, od, sizeof(od)) == 0 &&
	    strlen(hd) >= 9 && strcmp(hd, od) != 0 && fax_printed(text, hd);
	if (!printed && (!hosp || (old && old->confidence > 0.3)))
		return;
	if (old == NULL && out->nfields >= READER_MAX_FIELDS)
		return;
	memset(&f, 0, sizeof(f));
	if (extract_value(FIELD_REFERRING_FAX, sender, 1, &f) != 0)
		return;
	f.confidence = HEADER_FAX_CONF;
	f.page = pageno;
	f.source = EXTRACT_SRC_HEADER;
	if (printed) {
		f.confidence = old->confidence > HEADER_FAX_CONF ?
		    old->confidence : HEADER_FAX_CONF;
		f.source = EXTRACT_SRC_LABEL;
	}
	if (old)
		*old = f;
	else
		out->fields[out->nfields++] = f;
}

/*
 * A number or a birth date found beside its label on a page read whole
 * (by jpn): its box read once more by the digits model with only what
 * such a value holds allowed; the surer of the readings that validate is
 * kept (dev split: birth dates 78 -> 82 %, applicants' phone 42 -> 52 %
 * and FAX 61 -> 68 %; a few small boxes per page).
 */
static void
reread_values(struct reader *r, struct Pix *pix, struct reader_page *out,
    long long *usec)
{
	for (size_t i = 0; i < out->nfields && r->docr; i++) {
		struct extract_field *f = &out->fields[i], g, h;
		struct ocr_result res;
		struct ocr_rect rc;
		int num = extract_is_number(f->id), pad;

		if (f->source != EXTRACT_SRC_LABEL || f->w <= 0 ||
		    f->h <= 0 || (!num && f->id != FIELD_PATIENT_BIRTH_DATE))
			continue;
		pad = f->h / 3 + 2;
		rc.x = f->x - pad;
		rc.y = f->y - pad;
		rc.w = f->w + 2 * pad;
		rc.h = f->h + 2 * pad;
		ocr_set_whitelist(r->docr, num ? "0123456789-()" :
		    "0123456789年月日明治大正昭和平成令元/.");
		memset(&g, 0, sizeof(g));
		if (ocr_recognize(r->docr, pix, &rc, OCR_PSM_LINE, 0,
		    &res) == 0 && res.text &&
		    extract_value(f->id, res.text, res.mean_conf / 100,
		    &g) == 0 && extract_validate(&g) == 0) {
			h = *f;
			if (extract_validate(&h) != 0 ||
			    g.confidence > h.confidence) {
				snprintf(f->value, sizeof(f->value), "%s",
				    g.value);
				f->confidence = g.confidence;
			}
		}
		*usec += res.usec;
		ocr_result_clear(&res);
		ocr_set_whitelist(r->docr, NULL);
	}
}

/* The documents a family fills in and sends (not the clinic). */
static int
family_doc(enum doc_type t)
{
	return t == DOC_APPLICATION_FORM || t == DOC_CONSENT_FORM ||
	    t == DOC_RELATIONSHIP_PROOF;
}

/*
 * The sender's name in a fax header line: the longest run of words with
 * no digit, no ':' or '/' (dates, times, numbers, FROM:, P.1/3).  OCR
 * may space every letter (は や し 胃腸 科); a lone letter before a word
 * is a mark (→, or 一 and つ as a fax line reads it).
 */
static void
header_name(const char *line, char *best, size_t size)
{
	char run[256];
	const char *p = line;
	size_t k = 0;

	best[0] = '\0';
	for (;;) {
		size_t wl = strcspn(p, " \t");
		int word = wl > 0 && strcspn(p, "0123456789:/") >= wl &&
		    strncasecmp(p, "FAX", 3) != 0 &&
		    strncasecmp(p, "TEL", 3) != 0 &&
		    strncasecmp(p, "FROM", 4) != 0;
		if (word && k == 0 && wl <= 3 && p[wl] == ' ' &&
		    strcspn(p + wl + 1, " \t") > 3)
			word = 0;
		if (word && k + wl + 2 < sizeof(run)) {
			if (k)
				run[k++] = ' ';
			memcpy(run + k, p, wl);
			k += wl;
			run[k] = '\0';
		} else if (wl > 0 || p[wl] == '\0') {
			if (k > strlen(best))
				snprintf(best, size, "%s", run);
			k = 0;
			run[0] = '\0';
		}
		if (p[wl] == '\0')
			break;
		p += wl + 1;
	}
	if (k > strlen(best))
		snprintf(best, size, "%s", run);
}

/*
 * The header line's name when it is a person's: a family's own machine
 * prints the family's name, in a typeface OCR reads far better than the
 * handwriting on its forms.  Two to eight letters, no practice's name,
 * nothing but letters.
 */
static void
header_person(const char *line, char *out, size_t size)
{
	char run[256];
	struct extract_field f;
	int n;

	out[0] = '\0';
	if (line[0] == '\0')
		return;
	header_name(line, run, sizeof(run));
	memset(&f, 0, sizeof(f));
	if (run[0] == '\0' || extract_is_hospital(run) ||
	    extract_value(FIELD_PATIENT_NAME, run, 1, &f) != 0 ||
	    extract_is_hospital(f.value))
		return;
	for (const char *c = f.value; *c; c++)
		if ((unsigned char)*c < 0x80 && *c != ' ')
			return;
	n = casematch_name_distance(f.value, "");
	if (n >= 2 && n <= 8 && strlen(f.value) < size)
		memcpy(out, f.value, strlen(f.value) + 1);
}

/*
 * The sending machine's name in its header line, when it names a
 * hospital ("… 0166-94-4130 → はやし胃腸科クリニック 1/4"): the clinic's
 * name on every page it sent, where the page itself gave none.  Weak: a
 * machine's name may be short for the clinic's (ハヤシクリニック), and
 * every page repeats the one line (merge_field does not add them up).
 * 1 when the header names a hospital.
 */
static int
header_hospital(struct reader_page *out, const char *line, int pageno)
{
	char best[256];
	struct extract_field f;
	int have = out->nfields >= READER_MAX_FIELDS, named;

	for (size_t i = 0; i < out->nfields; i++)
		if (out->fields[i].id == FIELD_REFERRING_HOSPITAL &&
		    out->fields[i].source != EXTRACT_SRC_GUESS)
			have = 1;
	header_name(line, best, sizeof(best));
	memset(&f, 0, sizeof(f));
	if (best[0] == '\0' ||
	    extract_value(FIELD_REFERRING_HOSPITAL, best, 1, &f) != 0)
		return 0;
	named = extract_is_hospital(f.value);
	/* a name too garbled to tell (みどり内笠タリニックウ): a hint */
	if (have || (!named && strlen(f.value) < 12))
		return named;
	if (f.confidence > HEADER_FAX_CONF)
		f.confidence = HEADER_FAX_CONF;
	f.page = pageno;
	f.source = named ? EXTRACT_SRC_HEADER : EXTRACT_SRC_GUESS;
	out->fields[out->nfields++] = f;
	return named;
}

/*
 * A normal-resolution page the grey copy left untyped: a large title in
 * thin strokes may read on the 1-bit page (dev split: 紹 介 状 lost
 * softened).  Its top strip is read once more there, and a title found
 * types the page; the text and fields stay those of the grey reading.
 */
static void
retype_strip(struct reader *r, PIX *pp, int w, int split, int h,
    struct classify_result *cr, long long *tocr)
{
	struct pagetext p2;
	struct ocr_result res;
	struct ocr_rect top = { 0, 0, w, split };
	struct classify_result c2;
	char *lb = NULL;
	int rc;

	memset(&p2, 0, sizeof(p2));
	rc = ocr_recognize(r->ocr, pp, &top, OCR_PSM_COLUMN, 0, &res);
	*tocr += res.usec;
	if (rc != 0 || pt_add(&p2, &res) != 0 ||
	    (lb = pt_line_texts(&p2)) == NULL) {
		ocr_result_clear(&res);
		pt_free(&p2);
		return;
	}
	{
		struct classify_page cp = { p2.text ? p2.text : "", p2.lines,
		    p2.nlines, h, NULL };
		if (classify_page(&cp, &c2) == 0 && c2.type != DOC_OTHER &&
		    c2.has_title) {
			cr->type = c2.type;
			cr->confidence = c2.confidence;
			memcpy(cr->title, c2.title, sizeof(cr->title));
			cr->has_title = 1;
			cr->continuation = c2.continuation;
			cr->new_application = c2.new_application;
			cr->dedicated_form = c2.dedicated_form;
		}
	}
	free(lb);
	pt_free(&p2);
}

int
reader_page(struct reader *r, struct Pix *pix, int pageno,
    struct reader_page *out)
{
	struct preprocess_info pinf;
	struct pagetext pt;
	struct classify_page cp;
	struct classify_result cr;
	struct ocr_result res;
	struct qr_info qrs[QR_MAX_CODES];
	const struct form_layout *layout = NULL;
	PIX *pp = NULL, *rot, *gp = NULL;
	char *linebuf = NULL, *nt;
	size_t nqr = 0;
	long long t0 = now_usec(), tocr = 0;
	l_int32 w, h;
	int rc, split = 0, ours_form = 0, hname = 0;

	if (r == NULL || pix == NULL || out == NULL || pageno < 1)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	memset(&pt, 0, sizeof(pt));
	out->pageno = pageno;
	out->doc_type = DOC_OTHER;
	out->dedicated_form = -1;
	if ((rc = preprocess_page(pix, NULL, &pp, &pinf)) != 0)
		goto fail;
	pixGetDimensions(pp, &w, &h, NULL);
	/* normal resolution: Tesseract reads a softened grey copy (dev
	 * split: page text CER 26.0 -> 19.8 %, patient names 22 -> 35 %,
	 * hospitals 50 -> 72 %); marks, rules and zones stay 1 bit (zones
	 * of written values read worse softened) */
	if (pinf.stretched && (rc = preprocess_ocr_gray(pp, &gp)) != 0)
		goto fail;

	/* QR */
	if (qr_scan(pp, qrs, QR_MAX_CODES, &nqr) == 0 && nqr > 0) {
		out->has_qr = 1;
		out->qr = qrs[0];
	}
	if (out->has_qr && out->qr.ours && (strcmp(out->qr.form,
	    "application") == 0 || strcmp(out->qr.form, "consent") == 0))
		ours_form = 1;

	if (out->has_qr && out->qr.ours &&
	    strcmp(out->qr.form, "separator") == 0)
		goto classify;		/* not read, by design */

	/* top strip; on our own forms only the fax header band above the
	 * first zone: the QR gave the type and the zones give the fields,
	 * so reading the form's title and first boxes too (a quarter of
	 * the page) cost a third of a form page's recognition for nothing */
	if (ours_form)
		split = blank_row(pp, (int)(h * HEADER_FRAC), h / 100);
	else
		split = blank_row(pp, (int)(h * STRIP_FRAC), h / 25);
	{
		struct ocr_rect top = { 0, 0, w, split };
		rc = ocr_recognize(r->ocr, gp ? gp : pp, &top, OCR_PSM_COLUMN,
		    0, &res);
		tocr += res.usec;
		if (rc != 0) {
			ocr_result_clear(&res);
			goto fail;
		}
		if (!out->has_qr && res.mean_conf < ORIENT_CONF &&
		    preprocess_rotate(gp ? gp : pp, 180, &rot) == 0) {
			struct ocr_result r2;
			struct ocr_rect top2 = { 0, 0, w, split };
			PIX *t;
			if (ocr_recognize(r->ocr, rot, &top2, OCR_PSM_COLUMN,
			    0, &r2) == 0 && r2.mean_conf > res.mean_conf + 15 &&
			    (gp == NULL || preprocess_rotate(pp, 180, &t) ==
			    0)) {
				ocr_result_clear(&res);
				res = r2;
				if (gp) {	/* the grey copy was read */
					pixDestroy(&gp);
					gp = rot;
					pixDestroy(&pp);
					pp = t;
				} else {
					pixDestroy(&pp);
					pp = rot;
				}
				rot = NULL;
				out->rotated = 180;
				/* the QR may have been upside down too */
				if (qr_scan(pp, qrs, QR_MAX_CODES, &nqr) == 0
				    && nqr > 0) {
					out->has_qr = 1;
					out->qr = qrs[0];
				}
			} else
				ocr_result_clear(&r2);
			tocr += r2.usec;
			preprocess_pix_free(rot);
		}
		if ((rc = pt_add(&pt, &res)) != 0)
			goto fail;
	}
	if (ours_form) {
		layout = get_layout(r, out->qr.form, out->qr.hospital);
		goto classify;
	}
	/* a report needs only its strip; others the rest of the page */
	{
		struct classify_page c0 = { pt.text ? pt.text : "", NULL, 0, h,
		    NULL };
		struct classify_result r0;
		if (!r->full_reports && classify_page(&c0, &r0) == 0 &&
		    is_report(r0.type) && r0.has_title)
			goto classify;
	}
	{
		struct ocr_rect rest = { 0, split, w, h - split };
		if (h - split > 16) {
			rc = ocr_recognize(r->ocr, gp ? gp : pp, &rest,
			    OCR_PSM_COLUMN, 0, &res);
			tocr += res.usec;
			if (rc == 0)
				rc = pt_add(&pt, &res);
			else
				ocr_result_clear(&res);
			if (rc != 0)
				goto fail;
		}
	}

classify:
	if ((linebuf = pt_line_texts(&pt)) == NULL) {
		rc = -ENOMEM;
		goto fail;
	}
	cp.text = pt.text ? pt.text : "";
	cp.lines = pt.lines;
	cp.nlines = pt.nlines;
	cp.page_h = h;
	cp.qr = out->has_qr && out->qr.ours ? &out->qr : NULL;
	if ((rc = classify_page(&cp, &cr)) != 0)
		goto fail;
	if (gp && cr.type == DOC_OTHER && !cr.separator && !out->has_qr &&
	    split > 16)
		retype_strip(r, pp, w, split, h, &cr, &tocr);
	out->doc_type = cr.separator ? DOC_OTHER : cr.type;
	out->confidence = cr.confidence;
	snprintf(out->title, sizeof(out->title), "%s", cr.title);
	out->separator = cr.separator;
	out->continuation = cr.continuation;
	out->new_application = cr.new_application;
	snprintf(out->header_sender, sizeof(out->header_sender), "%s",
	    cr.header_sender);
	snprintf(out->header_raw, sizeof(out->header_raw), "%s",
	    cr.header_raw);
	out->header_page = cr.header_page;
	out->header_pages = cr.header_pages;
	out->cover_total = cr.cover_total;
	snprintf(out->language, sizeof(out->language), "%s", cr.language);
	out->dedicated_form = cr.dedicated_form;
	out->ocr_conf = pt.confn ? pt.confsum / pt.confn / 100 : 0;

	/* fields */
	if (layout) {
		rc = extract_form(r->ocr, r->docr, pp, pinf.xres, pinf.yres, layout,
		    out->qr.page > 0 ? out->qr.page : 1, pageno, out->fields,
		    READER_MAX_FIELDS, &out->nfields, &tocr);
		if (rc != 0)
			goto fail;
	} else if (!out->separator && pt.nwords) {
		rc = extract_labels(pt.words, pt.nwords, out->doc_type, pageno,
		    out->fields, READER_MAX_FIELDS, &out->nfields);
		if (rc != 0)
			goto fail;
		if (is_report(out->doc_type) || out->doc_type ==
		    DOC_RELATIONSHIP_PROOF) {
			size_t k = 0;
			/* a proof of relationship names the family member
			 * too: the insured on a dependant's card */
			for (size_t i = 0; i < out->nfields; i++)
				if (identity_field(out->fields[i].id) ||
				    (out->fields[i].id ==
				    FIELD_APPLICANT_NAME && out->doc_type ==
				    DOC_RELATIONSHIP_PROOF))
					out->fields[k++] = out->fields[i];
			out->nfields = k;
		}
	}
	/* The sender's number in the fax header line (the machine prints
	 * it, a typeface OCR reads better than handwriting) when a page
	 * from a hospital gave no FAX number or only one that failed its
	 * validator: a weak value, the header may be garbled or name
	 * another machine of the hospital.  The family's forms name the
	 * clinic but come from the family's machine: only when the header
	 * names a hospital (dev split: 6 of 12 wrong FAX numbers on
	 * application forms were the family's). */
	if (!layout && !out->separator)
		reread_values(r, gp ? gp : pp, out, &tocr);
	if (!out->separator && cr.header_raw[0] != '\0')
		hname = header_hospital(out, cr.header_raw, pageno);
	/* nor when the header names a person: a clinic's letter the
	 * family faxed on from their own machine */
	if (!out->separator && cr.header_sender[0] != '\0' &&
	    (hname || !family_doc(out->doc_type))) {
		char who[NORM_NAME_LEN];
		header_person(cr.header_raw, who, sizeof(who));
		if (who[0] == '\0')
			header_fax(out, cr.header_sender, pt.text ?
			    pt.text : "", pageno);
	}
	/* Normal-resolution pages: OCR-NOTES measured 47% of fields exact
	 * against 80% on fine pages, and Tesseract's word confidences do not
	 * show it (山田太朗 for 山田太郎 at 0.80): discount OCR'd values. */
	if (pinf.stretched)
		for (size_t i = 0; i < out->nfields; i++)
			if (out->fields[i].source != EXTRACT_SRC_MARK)
				out->fields[i].confidence *= 0.8;
	calibrate_page(out);
	/* the page text, NFKC'd */
	if (norm_nfkc(pt.text ? pt.text : "", READER_TEXT_MAX, &nt) == 0)
		out->text = nt;
	else
		out->text = strdup("");
	if (out->text == NULL) {
		rc = -ENOMEM;
		goto fail;
	}
	if ((rc = remember(r, out, &cr)) != 0)
		goto fail;
	/* guesses are for the file's documents, not a page's values */
	{
		size_t k = 0;
		for (size_t i = 0; i < out->nfields; i++)
			if (out->fields[i].source != EXTRACT_SRC_GUESS)
				out->fields[k++] = out->fields[i];
		out->nfields = k;
	}
	free(linebuf);
	pt_free(&pt);
	preprocess_pix_free(pp);
	preprocess_pix_free(gp);
	out->usec_ocr = tocr;
	out->usec_other = now_usec() - t0 - tocr;
	return 0;
fail:
	free(linebuf);
	pt_free(&pt);
	preprocess_pix_free(pp);
	preprocess_pix_free(gp);
	reader_page_clear(out);
	return rc;
}

/* Merge a field into a document's set. */
static void
merge_field(struct reader_document *d, const struct extract_field *f)
{
	size_t i;

	for (i = 0; i < d->nfields; i++) {
		struct extract_field *g = &d->fields[i];
		if (g->id != f->id)
			continue;
		/* a guess gives way to any reading; guesses are kept
		 * side by side for resolve_guesses() */
		if (f->source == EXTRACT_SRC_GUESS) {
			if (g->source == EXTRACT_SRC_GUESS)
				continue;
			return;
		}
		if (g->source == EXTRACT_SRC_GUESS) {
			*g = *f;
			return;
		}
		if (strcmp(g->value, f->value) == 0) {
			/* the same page read twice is one reading, and so
			 * is the header line every page repeats */
			double c = g->page == f->page || (g->source ==
			    EXTRACT_SRC_HEADER && f->source ==
			    EXTRACT_SRC_HEADER) ? (g->confidence >
			    f->confidence ? g->confidence : f->confidence) :
			    1 - (1 - g->confidence) * (1 - f->confidence);
			if (c > 0.97)
				c = 0.97;
			if (f->confidence > g->confidence) {
				*g = *f;
			}
			g->confidence = c;
		} else if ((f->source == EXTRACT_SRC_HEADER) !=
		    (g->source == EXTRACT_SRC_HEADER)) {
			/* the header line is a weak witness: a page's own
			 * reading stands, not doubted by it */
			if (g->source == EXTRACT_SRC_HEADER)
				*g = *f;
		} else {
			/* two readings disagree: neither is certain */
			if (f->confidence > g->confidence)
				*g = *f;
			g->confidence *= 0.6;
		}
		return;
	}
	if (d->nfields < READER_MAX_FIELDS)
		d->fields[d->nfields++] = *f;
}

/* A value OCR read as text (not a mark, not a guess). */
static int
reading(const struct extract_field *f)
{
	return f->source != EXTRACT_SRC_MARK && f->source != EXTRACT_SRC_GUESS;
}

/*
 * Two independent readings that agree are strong evidence: raise both
 * above the single-reading cap.  Independent means from different kinds
 * of source: a zone of our form (written by the applicant) and a label
 * on a letter (printed by the clinic).  Measured on the dev corpus, two
 * zones (application and consent form) or two letters misread alike
 * (same hand, same layout: どうめき いさをむ twice; a clinic's phone
 * taken for the patient's on the cover and the letter), so those do
 * not count.  Computed on the values before any is raised.
 */
static void
corroborate(struct reader_file *out)
{
	size_t i, j, k, l;

	for (i = 0; i < out->ndocs; i++) {
		struct reader_document *d = &out->docs[i];
		for (k = 0; k < d->nfields; k++) {
			struct extract_field *f = &d->fields[k];
			int agree = 0;
			if (!reading(f) ||
			    f->confidence < 0.65 || f->confidence >= 0.8)
				continue;
			for (j = 0; j < out->ndocs && !agree; j++) {
				const struct reader_document *e = &out->docs[j];
				if (j == i || e->application != d->application)
					continue;
				for (l = 0; l < e->nfields; l++)
					if (e->fields[l].id == f->id &&
					    reading(&e->fields[l]) &&
					    e->fields[l].source != f->source &&
					    e->fields[l].confidence >= 0.65 &&
					    strcmp(e->fields[l].value,
					    f->value) == 0)
						agree = 1;
			}
			if (agree)
				f->page = -f->page;	/* mark; raised below */
		}
	}
	for (i = 0; i < out->ndocs; i++)
		for (k = 0; k < out->docs[i].nfields; k++) {
			struct extract_field *f = &out->docs[i].fields[k];
			if (f->page < 0) {
				f->page = -f->page;
				f->confidence = 1 - (1 - f->confidence) *
				    (1 - f->confidence);
				if (f->confidence > 0.9)
					f->confidence = 0.9;
			}
		}
}

/* The same on every document of one application: the patient, and the
 * clinic that refers them (its name and numbers on its letter, its
 * reports, its cover sheet and the application form). */
static int
shared_field(enum field_id id)
{
	return id == FIELD_PATIENT_NAME || id == FIELD_PATIENT_NAME_KANA ||
	    id == FIELD_PATIENT_BIRTH_DATE || id == FIELD_REFERRING_HOSPITAL ||
	    id == FIELD_REFERRING_FAX || id == FIELD_REFERRING_PHONE;
}

/*
 * The next reading of field id on the documents of application app but
 * document skip (SIZE_MAX: none), from *j, *l on (start both at 0); NULL
 * when there is no more.
 */
static const struct extract_field *
app_reading(const struct reader_file *out, int app, size_t skip,
    enum field_id id, size_t *j, size_t *l)
{
	for (; *j < out->ndocs; (*j)++, *l = 0) {
		const struct reader_document *e = &out->docs[*j];
		if (*j == skip || e->application != app)
			continue;
		while (*l < e->nfields) {
			const struct extract_field *g = &e->fields[(*l)++];
			if (g->id == id && reading(g))
				return g;
		}
	}
	return NULL;
}

/*
 * A birth date that did not read as a date (平成26年月18日, 昭和61年190月
 * 21日) against a date read on another document: the distance of its
 * digits from the nearest way of writing that date (西暦 or 和暦, with or
 * without leading zeros), so that one lost or wrong digit is one off.
 * INT_MAX when it cannot be compared (too few digits, no date).
 */
static int
date_digits_distance(const char *raw, const char *iso)
{
	char digits[32], form[32];
	size_t n = 0;
	int y, m, d, best = INT_MAX, dist;

	if (facts_date_parse(iso, &y, &m, &d) != 0)
		return INT_MAX;
	for (const char *p = raw; *p && n < sizeof(digits) - 1; p++)
		if (*p >= '0' && *p <= '9')
			digits[n++] = *p;
	digits[n] = '\0';
	if (n < 4)
		return INT_MAX;
	for (int era = -1; era < 5; era++) {
		/* era -1: 西暦; else y as a year of that era (1 to 99) */
		int ey = era < 0 ? y : y - norm_era_year(era, 1) + 1;
		if (era >= 0 && (norm_era_year(era, 1) < 0 || ey < 1 ||
		    ey > 99))
			continue;
		for (int pad = 0; pad < 2; pad++) {
			snprintf(form, sizeof(form), pad ? "%d%02d%02d" :
			    "%d%d%d", ey, m, d);
			dist = casematch_name_distance(digits, form);
			if (dist < best)
				best = dist;
		}
	}
	return best;
}

/* How far reading f is from reading g of the same field: letters, or for
 * a birth date that is no date, digits (date_digits_distance). */
static int
reading_distance(const struct extract_field *f, const struct extract_field *g)
{
	int y, m, d;

	if (f->id == FIELD_PATIENT_BIRTH_DATE && facts_date_parse(f->value,
	    &y, &m, &d) != 0)
		return date_digits_distance(f->value, g->value);
	return casematch_name_distance(f->value, g->value);
}

/* How much the documents of application app say value v of field id:
 * the sum of the confidences of the readings equal to it (spaces and
 * 異体字 aside). */
static double
support(const struct reader_file *out, int app, enum field_id id,
    const char *v)
{
	const struct extract_field *g;
	size_t j = 0, l = 0;
	double sum = 0;

	while ((g = app_reading(out, app, SIZE_MAX, id, &j, &l)) != NULL)
		if (casematch_name_distance(g->value, v) == 0)
			sum += g->confidence;
	return sum;
}

/* How many letters a reading may be misread by: none in a value of one
 * or two letters, two in a name or a clinic's name of eight or more,
 * else one. */
static int
slip_tolerance(const struct extract_field *f)
{
	int len = casematch_name_distance(f->value, "");

	if (len < 3)
		return 0;
	return len >= 8 && (f->id == FIELD_PATIENT_NAME ||
	    f->id == FIELD_PATIENT_NAME_KANA ||
	    f->id == FIELD_REFERRING_HOSPITAL) ? 2 : 1;
}

/* The application page p (0-based) belongs to; -1 if none. */
static int
page_application(const struct reader_file *out, size_t p)
{
	for (size_t i = 0; i < out->ndocs; i++)
		if ((int)p + 1 >= out->docs[i].first_page &&
		    (int)p + 1 <= out->docs[i].last_page)
			return out->docs[i].application;
	return -1;
}

/* Letters (code points) in the first n bytes of UTF-8 s. */
static int
letters_in(const char *s, size_t n)
{
	int k = 0;

	for (size_t i = 0; i < n && s[i]; i++)
		k += ((unsigned char)s[i] & 0xc0) != 0x80;
	return k;
}

/* Bytes of the first k letters of UTF-8 s (all of s if it has fewer). */
static size_t
letters_bytes(const char *s, int k)
{
	const char *p = s;

	for (; *p && k > 0; k--)
		do
			p++;
		while (((unsigned char)*p & 0xc0) == 0x80);
	return (size_t)(p - s);
}

/* name with its space where like has it, when name has none (a header
 * line's name OCR ran together) */
static void
respace(char *dst, size_t size, const char *name, const char *like)
{
	const char *sp = strchr(like, ' ');
	size_t n;

	snprintf(dst, size, "%s", name);
	if (sp == NULL || strchr(name, ' ') != NULL)
		return;
	n = letters_bytes(name, letters_in(like, (size_t)(sp - like)));
	if (name[n] != '\0')
		snprintf(dst, size, "%.*s %s", (int)n, name, name + n);
}

/* A reading a header line's name may mend. */
static int
header_named(const struct extract_field *f)
{
	return (f->id == FIELD_PATIENT_NAME ||
	    f->id == FIELD_APPLICANT_NAME) && reading(f);
}

/*
 * The family's surname in a header line's name (渡辺 由美子) for a
 * patient's name whose surname is one letter off it and no known one
 * (渡妨 正樹, 渡功正樹): into out, 1; else 0.
 */
static int
family_surname(const char *reading, const char *header, char *out,
    size_t size)
{
	char r[EXTRACT_VALUE_MAX], hs[EXTRACT_VALUE_MAX], rs[EXTRACT_VALUE_MAX];
	const char *sp = strchr(reading, ' ');
	size_t hl = extract_surname_len(header), k = 0, rl;

	if (hl == 0 || (header[hl] != ' ' && header[hl] != '\0'))
		return 0;
	for (const char *q = reading; *q && k + 1 < sizeof(r); q++)
		if (*q != ' ')
			r[k++] = *q;
	r[k] = '\0';
	if (extract_surname_len(r) != 0)
		return 0;	/* a surname of its own */
	/* as many letters of the reading as the family's surname has */
	rl = letters_bytes(r, letters_in(header, hl));
	if (r[rl] == '\0' || (sp != NULL && (size_t)(sp - reading) != rl))
		return 0;	/* nothing left for 名, or spaced elsewhere */
	snprintf(hs, sizeof(hs), "%.*s", (int)hl, header);
	snprintf(rs, sizeof(rs), "%.*s", (int)rl, r);
	if (casematch_name_distance(rs, hs) != 1)
		return 0;
	return snprintf(out, size, "%s %s", hs, r + rl) < (int)size;
}

/*
 * The patient's or the applicant's name read one letter off (two in
 * eight) the name a family's fax header line prints on the
 * application's pages (東海林 健一雪 on a fax from 東海林 健一郎's
 * machine) takes the header's, when the pages that print it outweigh
 * the readings of the name as read.  The header names the sender, the
 * patient or a relative: a mother's name may be one letter off her
 * daughter's (春子, 花子), and the header may be misread too (石川 花了
 * on a normal-resolution page).  So the header's name must look more
 * like a name than the reading (extract_name_score: 佐々本, 久美耶,
 * 大較), or as much when the reading is a poor one (健一雪 read at
 * 0.10) and every header line of the application reads the same (渡邊
 * 大精 on three pages and 渡邊 大博 on two is a header misread).  The
 * value stays below the review threshold.  A patient's name the header
 * does not give may still take the family's surname (family_surname),
 * as sure as it was read.  Chosen on the values as read, then changed.
 */
void
reader_header_names(struct reader_file *out, const char *const *lines,
    size_t np)
{
	struct hpage {
		char	 name[NORM_NAME_LEN];	/* "" none */
		int	 app;
		int	 agree;	/* pages of its application reading it */
		int	 split;	/* another page of it reads another name */
	} *hp;
	struct change {
		struct extract_field	*f;
		char			 value[EXTRACT_VALUE_MAX];
		double			 confidence;
	} *ch = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < out->ndocs; i++)
		for (size_t k = 0; k < out->docs[i].nfields; k++)
			cap += header_named(&out->docs[i].fields[k]);
	if (np == 0 || cap == 0 || (hp = calloc(np, sizeof(*hp))) == NULL)
		return;		/* only a refinement */
	if ((ch = calloc(cap, sizeof(*ch))) == NULL)
		goto out;
	for (size_t p = 0; p < np; p++) {
		header_person(lines[p] ? lines[p] : "", hp[p].name,
		    sizeof(hp[p].name));
		hp[p].app = page_application(out, p);
	}
	for (size_t p = 0; p < np; p++)
		for (size_t q = 0; q < np && hp[p].name[0]; q++) {
			if (hp[q].name[0] == '\0' || hp[q].app != hp[p].app)
				continue;
			if (casematch_name_distance(hp[q].name,
			    hp[p].name) == 0)
				hp[p].agree++;
			else
				hp[p].split = 1;
		}
	for (size_t i = 0; i < out->ndocs; i++) {
		struct reader_document *d = &out->docs[i];
		for (size_t k = 0; k < d->nfields; k++) {
			struct extract_field *f = &d->fields[k];
			const char *best = NULL;
			double bs = 0, own;
			int tol;

			if (!header_named(f))
				continue;
			tol = slip_tolerance(f);
			own = support(out, d->application, f->id, f->value);
			for (size_t p = 0; p < np; p++) {
				char v[EXTRACT_VALUE_MAX];
				double cs = hp[p].agree * HEADER_NAME_CONF;
				int dist, hs;
				if (hp[p].name[0] == '\0' ||
				    hp[p].app != d->application ||
				    cs < own + 0.15 || cs <= bs)
					continue;
				dist = casematch_name_distance(f->value,
				    hp[p].name);
				if (dist == 0 || dist > tol)
					continue;
				/* scored as the reading spaces it */
				respace(v, sizeof(v), hp[p].name, f->value);
				hs = extract_name_score(v) -
				    extract_name_score(f->value);
				if (hs < 0 || (hs == 0 && (own >= 0.3 ||
				    hp[p].split)))
					continue;
				best = hp[p].name;
				bs = cs;
			}
			if (best != NULL) {
				ch[n].f = f;
				ch[n].confidence = HEADER_NAME_CONF * 0.9;
				respace(ch[n++].value, sizeof(ch[0].value),
				    best, f->value);
				continue;
			}
			/* or only the family's surname (the patient's given
			 * name is not the sender's), as sure as the reading
			 * was: its given name is no better read (dev split:
			 * fine names 82.8 -> 86.1 %) */
			for (size_t p = 0; f->id == FIELD_PATIENT_NAME &&
			    p < np; p++)
				if (hp[p].name[0] != '\0' &&
				    hp[p].app == d->application &&
				    !hp[p].split && family_surname(f->value,
				    hp[p].name, ch[n].value,
				    sizeof(ch[n].value))) {
					ch[n].confidence = f->confidence;
					ch[n++].f = f;
					break;
				}
		}
	}
	for (size_t k = 0; k < n; k++) {
		memcpy(ch[k].f->value, ch[k].value, sizeof(ch[k].value));
		ch[k].f->confidence = ch[k].confidence;
	}
out:
	free(ch);
	free(hp);
}

/*
 * Three or more readings of one shared field in one application: the
 * letter-by-letter vote among them (vote.h) replaces the readings it is
 * close to, when every letter of it won clearly.  Each reading counts
 * by its confidence (a reading Tesseract was unsure of still says
 * something about most of its letters).  The vote is a value read from
 * several weak readings, never more certain than one good reading.
 */
static void
consensus_vote(struct reader_file *out, int app, enum field_id id)
{
	struct vote_reading vr[READER_VOTE_MAX];
	struct extract_field *fs[READER_VOTE_MAX];
	struct vote_result res;
	char v[EXTRACT_VALUE_MAX];
	size_t n = 0, len = 0;
	double sum = 0;
	int maxdist;

	for (size_t i = 0; i < out->ndocs; i++) {
		struct reader_document *d = &out->docs[i];
		if (d->application != app)
			continue;
		for (size_t k = 0; k < d->nfields && n < READER_VOTE_MAX; k++)
			if (d->fields[k].id == id &&
			    reading(&d->fields[k])) {
				fs[n] = &d->fields[k];
				vr[n].s = d->fields[k].value;
				vr[n].weight = d->fields[k].confidence > 0.05 ?
				    d->fields[k].confidence : 0.05;
				sum += vr[n].weight;
				len += strlen(d->fields[k].value);
				n++;
			}
	}
	if (n < 3)
		return;
	/* how far a reading may be from the others: a third of a name's
	 * letters (kanji and kana are 3 bytes of UTF-8), a quarter of a
	 * date's or a number's characters (1 byte each) */
	len /= n;
	maxdist = (int)(id == FIELD_PATIENT_BIRTH_DATE ||
	    extract_is_number(id) ? len / 4 : len / 9);
	if (maxdist < 1)
		maxdist = 1;
	if (vote_strings(vr, n, maxdist, v, sizeof(v), &res) != 0 ||
	    res.margin < VOTE_MIN_MARGIN)
		return;
	for (size_t i = 0; i < n; i++) {
		struct extract_field *f = fs[i];
		double c;
		if (strcmp(f->value, v) == 0 ||
		    vote_distance(f->value, v) > maxdist)
			continue;
		c = sum / (double)n;
		snprintf(f->value, sizeof(f->value), "%s", v);
		f->confidence = c > VOTE_CAP ? VOTE_CAP : c;
	}
}

/*
 * A guess (a report's issuer line, a header line's name, read too poorly
 * to be recognised: みみだり向料タリーッツ) becomes the application's
 * reading it resembles, two letters in five off at most (みどり内科ク
 * リニック), the best supported if several; a value read elsewhere and
 * only matched here, so below the review threshold.  A guess that
 * resembles nothing is dropped: it may name a laboratory, not the clinic.
 */
static void
resolve_guesses(struct reader_file *out)
{
	for (size_t i = 0; i < out->ndocs; i++) {
		struct reader_document *d = &out->docs[i];
		for (size_t k = 0; k < d->nfields; ) {
			struct extract_field *f = &d->fields[k];
			const struct extract_field *best = NULL, *g;
			size_t j = 0, l = 0;
			double bs = 0;
			int len;

			if (f->source != EXTRACT_SRC_GUESS) {
				k++;
				continue;
			}
			len = vote_distance(f->value, "");
			for (size_t m = 0; m < d->nfields && len; m++)
				if (d->fields[m].id == f->id &&
				    d->fields[m].source != EXTRACT_SRC_GUESS)
					len = 0;	/* read or resolved */
			while (len && (g = app_reading(out, d->application, i,
			    f->id, &j, &l)) != NULL) {
				int gl = vote_distance(g->value, ""), tol;
				double gs;
				if (g->confidence < 0.3)
					continue;
				tol = (gl > len ? gl : len) * 2 / 5;
				if (vote_distance(f->value, g->value) >
				    (tol < 2 ? 2 : tol))
					continue;
				gs = support(out, d->application, f->id,
				    g->value);
				if (gs > bs) {
					best = g;
					bs = gs;
				}
			}
			if (best == NULL) {
				memmove(f, f + 1, (d->nfields - k - 1) *
				    sizeof(*f));
				d->nfields--;
				continue;
			}
			snprintf(f->value, sizeof(f->value), "%s",
			    best->value);
			f->confidence = best->confidence * 0.8 > GUESS_CAP ?
			    GUESS_CAP : best->confidence * 0.8;
			f->source = EXTRACT_SRC_LABEL;
			k++;
		}
	}
}

/*
 * One application's documents name one patient and one referring clinic:
 * a reading of the name, the birth date, the clinic's name or numbers
 * that is one letter off (two in a name of 8 or more) a clearly better
 * supported reading on another document of the application (穴藤紗希
 * beside 齋藤 紗希, or only spaced differently; support: the confidences
 * of the readings alike, so two pages that agree outweigh one that reads
 * better) is that value misread, and takes it.  The raw text keeps what
 * this page said; the value stays below the review threshold (it was
 * read well once, not twice).  Values further apart are left alone: they
 * may be another patient's page, which staff must see.
 */
void
reader_consensus(struct reader_file *out)
{
	struct adopt {
		struct extract_field	*f;
		char			 value[EXTRACT_VALUE_MAX];
		double			 confidence;
	} *ad;
	size_t nad = 0, cap = 0;

	for (size_t i = 0; i < out->ndocs; i++)
		cap += out->docs[i].nfields;
	for (int app = 0; app < (out->napplications > 1 ?
	    out->napplications : 1); app++)
		for (int id = 0; id < FIELD__COUNT; id++)
			if (shared_field((enum field_id)id))
				consensus_vote(out, app, (enum field_id)id);
	if (cap == 0 || (ad = calloc(cap, sizeof(*ad))) == NULL)
		return;		/* only a refinement */
	/* choose on the values as read, then change them */
	for (size_t i = 0; i < out->ndocs; i++) {
		struct reader_document *d = &out->docs[i];
		for (size_t k = 0; k < d->nfields; k++) {
			struct extract_field *f = &d->fields[k];
			const struct extract_field *best = NULL, *g;
			double own, bs = 0;
			size_t j = 0, l = 0;
			int tol;

			if (!shared_field(f->id) || !reading(f))
				continue;
			tol = slip_tolerance(f);
			own = support(out, d->application, f->id, f->value);
			while ((g = app_reading(out, d->application, i, f->id,
			    &j, &l)) != NULL) {
				double gs;
				int dist;
				if (g->confidence < 0.4 ||
				    (dist = reading_distance(f, g)) > tol)
					continue;
				/* only spaced differently: the space of the
				 * better reading */
				gs = dist == 0 ? g->confidence : support(out,
				    d->application, f->id, g->value);
				if (gs < (dist == 0 ? f->confidence : own) +
				    0.15 || gs <= bs)
					continue;
				best = g;
				bs = gs;
			}
			if (best && strcmp(best->value, f->value) != 0) {
				ad[nad].f = f;
				memcpy(ad[nad].value, best->value,
				    sizeof(ad[nad].value));
				ad[nad++].confidence = best->confidence * 0.9;
			}
		}
	}
	for (size_t i = 0; i < nad; i++) {
		memcpy(ad[i].f->value, ad[i].value, sizeof(ad[i].value));
		ad[i].f->confidence = ad[i].confidence > EXTRACT_CAP_SINGLE ?
		    EXTRACT_CAP_SINGLE : ad[i].confidence;
	}
	free(ad);
	resolve_guesses(out);
}

int
reader_file_finish(struct reader *r, struct reader_file *out)
{
	struct classify_pageinfo *pi = NULL;
	struct classify_doc *cd = NULL;
	const char **lines;
	size_t i, nd = 0;
	int napps = 0, rc = 0, best = 0;

	if (r == NULL || out == NULL)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->npages = (int)r->npages;
	if (r->npages == 0)
		return 0;
	pi = calloc(r->npages, sizeof(*pi));
	cd = calloc(r->npages, sizeof(*cd));
	if (pi == NULL || cd == NULL) {
		rc = -ENOMEM;
		goto done;
	}
	for (i = 0; i < r->npages; i++) {
		pi[i] = r->pages[i].info;
		pi[i].patient = r->pages[i].patient[0] ? r->pages[i].patient :
		    NULL;
	}
	if ((rc = classify_group(pi, r->npages, cd, r->npages, &nd,
	    &napps)) != 0)
		goto done;
	if (nd && (out->docs = calloc(nd, sizeof(*out->docs))) == NULL) {
		rc = -ENOMEM;
		goto done;
	}
	for (i = 0; i < nd; i++) {
		struct reader_document *d = &out->docs[i];
		const struct page_sum *first = &r->pages[cd[i].first];
		d->type = cd[i].type;
		d->first_page = cd[i].first + 1;
		d->last_page = cd[i].last + 1;
		d->application = cd[i].application;
		d->confidence = cd[i].confidence;
		d->dedicated_form = d->type != DOC_REFERRAL_LETTER ?
		    FACT_UNKNOWN : first->dedicated > 0 ? FACT_YES : FACT_NO;
		snprintf(d->language, sizeof(d->language), "%s",
		    first->language);
		snprintf(d->case_id, sizeof(d->case_id), "%s", first->case_id);
		for (int p = cd[i].first; p <= cd[i].last; p++)
			for (size_t k = 0; k < r->pages[p].nfields; k++)
				merge_field(d, &r->pages[p].fields[k]);
	}
	out->ndocs = nd;
	out->napplications = napps;
	corroborate(out);
	if ((lines = calloc(r->npages, sizeof(*lines))) != NULL) {
		for (i = 0; i < r->npages; i++)
			lines[i] = r->pages[i].header_raw;
		reader_header_names(out, lines, r->npages);
		free(lines);
	}
	reader_consensus(out);
	/* the sender number most header lines agree on */
	for (i = 0; i < r->npages; i++) {
		int c = 0;
		if (!r->pages[i].sender[0])
			continue;
		for (size_t j = 0; j < r->npages; j++)
			c += strcmp(r->pages[i].sender, r->pages[j].sender) == 0;
		if (c > best) {
			best = c;
			snprintf(out->header_sender, sizeof(out->header_sender),
			    "%s", r->pages[i].sender);
		}
	}
done:
	free(pi);
	free(cd);
	reader_file_abort(r);
	if (rc != 0)
		reader_file_clear(out);
	return rc;
}
