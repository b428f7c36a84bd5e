/*
 * letter.c — reply letters: template expansion, Japanese business-letter
 * layout on A4 through the render module, PDF and fax TIFF output, and
 * the case cover sheet (drawn here, not templated: it is a form that the
 * reader parses back).
 *
 * The expanded template is read line by line; each line is a paragraph
 * whose first characters may be a layout mark (templates/letters/README):
 *   "> "  right-aligned        "^ "  centred
 *   "# "  subject (centred, bold, larger)
 *   "@ "  addressee block (larger; in the 長3 window on post letters)
 *   "---" a page break
 *   leading ASCII spaces: indent by half a character each (wrapped lines
 *   keep it).
 * The stored text is the same lines with the marks removed.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "faxintake/buf.h"
#include "faxintake/letter.h"
#include "faxintake/render.h"
#include "faxintake/template.h"
#include "faxintake/xmalloc.h"

#define FILE_MODE	0600
#define FIELD_MAX	512		/* bytes of one input string */

/* Page geometry (mm).  Japanese business letters on A4: about 25 mm on
 * the binding (left) side, 20 mm elsewhere. */
#define MARGIN_L	25.0
#define MARGIN_R	20.0
#define MARGIN_T	20.0
#define MARGIN_B	22.0
#define TEXT_W		(RENDER_PAGE_W - MARGIN_L - MARGIN_R)
#define FOOTER_Y	(RENDER_PAGE_H - 14.0)

/* Gothic: Mincho loses its thin horizontal strokes at fax resolution. */
#define BODY_FONT	RENDER_FONT_GOTHIC
#define BODY_SIZE	10.5
#define BODY_SPACING	1.45
#define HEAD_SIZE	12.5
#define TO_SIZE		12.5
#define PT_MM		(25.4 / 72.0)

static const char *kind_names[LETTER__COUNT] = {
	"incomplete_notice", "receipt_notice", "decline_letter",
	"schedule_letter", "referrer_notice"
};

const char *
letter_kind_name(enum letter_kind k)
{
	return (unsigned)k < LETTER__COUNT ? kind_names[k] : "unknown";
}

int
letter_kind_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < LETTER__COUNT; i++)
		if (strcmp(s, kind_names[i]) == 0)
			return i;
	return -1;
}

/* --- small helpers ------------------------------------------------------- */

static int
set_err(char **errs, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
set_err(char **errs, int rc, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (errs == NULL)
		return rc;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	*errs = s;
	return rc;
}

static int
empty(const char *s)
{
	return s == NULL || *s == '\0';
}

/*
 * A copy of an input string fit for one line of a letter: control
 * characters become spaces, outer spaces go, at most FIELD_MAX bytes (cut
 * at a character boundary).  Never NULL.
 */
static char *
clean(const char *s)
{
	char *r, *p;
	size_t n;

	if (s == NULL)
		return xstrdup("");
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	n = strlen(s);
	if (n > FIELD_MAX) {
		n = FIELD_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	r = xstrndup(s, n);
	for (p = r; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	while (p > r && p[-1] == ' ')
		*--p = '\0';
	return r;
}

static int
setc(struct template_vars *tv, const char *name, const char *value)
{
	char *c = clean(value);
	int rc = template_vars_set(tv, name, c);

	free(c);
	return rc;
}

/* Day of week, 0 Sunday (Sakamoto). */
static int
weekday(int y, int m, int d)
{
	static const int t[] = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 };

	if (m < 3)
		y -= 1;
	return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

static const char *wdays[] = { "日", "月", "火", "水", "木", "金", "土" };

/* "2026-11-21" → "2026年11月21日" (with "（土）" when wday). */
static int
date_ja(const char *iso, int wday, char **ret)
{
	int y, m, d;

	if (iso == NULL || strlen(iso) < 10)
		return -EINVAL;
	{
		char day[11];

		memcpy(day, iso, 10);
		day[10] = '\0';
		if (facts_date_parse(day, &y, &m, &d) != 0)
			return -EINVAL;
	}
	if (wday)
		xasprintf(ret, "%d年%d月%d日（%s）", y, m, d,
		    wdays[weekday(y, m, d)]);
	else
		xasprintf(ret, "%d年%d月%d日", y, m, d);
	return 0;
}

/* "…T10:00" → "午前10時00分". */
static int
time_ja(const char *iso, char **ret)
{
	const char *t;
	int h, mi;

	if (iso == NULL || (t = strchr(iso, 'T')) == NULL)
		return -EINVAL;
	if (strlen(t) < 6 || t[3] != ':' || sscanf(t + 1, "%2d", &h) != 1 ||
	    sscanf(t + 4, "%2d", &mi) != 1 || h < 0 || h > 23 || mi < 0 ||
	    mi > 59)
		return -EINVAL;
	xasprintf(ret, "%s%d時%02d分", h < 12 ? "午前" : "午後",
	    h % 12, mi);
	return 0;
}

static void
yen_text(long yen, char out[32])
{
	char digits[24];
	size_t n, i, o = 0;

	snprintf(digits, sizeof(digits), "%ld", yen < 0 ? 0 : yen);
	n = strlen(digits);
	for (i = 0; i < n; i++) {
		out[o++] = digits[i];
		if ((n - i - 1) % 3 == 0 && i + 1 < n)
			out[o++] = ',';
	}
	out[o] = '\0';
}

/* 時候の挨拶 by month (no greeting that presumes good health). */
static const char *
season(int month)
{
	static const char *s[] = { "厳寒の候", "余寒の候", "早春の候",
	    "陽春の候", "新緑の候", "梅雨の候", "盛夏の候", "残暑の候",
	    "初秋の候", "秋冷の候", "晩秋の候", "師走の候" };

	return month >= 1 && month <= 12 ? s[month - 1] : "時下";
}

/* Where the applicant gets each document (letters' 記 section). */
static const char *
doc_how(enum doc_type t)
{
	switch (t) {
	case DOC_APPLICATION_FORM:
		return "当院所定の申込書にご記入ください（お手元にない場合は"
		    "下記までご連絡ください）";
	case DOC_REFERRAL_LETTER:
		return "現在の主治医に作成をご依頼ください";
	case DOC_CONSENT_FORM:
		return "患者さんご本人の署名が必要です";
	case DOC_RELATIONSHIP_PROOF:
		return "健康保険証など、患者さんとのご関係がわかる書類の写しを"
		    "お送りください";
	case DOC_LAB_RESULTS:
		return "現在おかかりの医療機関にご依頼ください";
	case DOC_IMAGING_REPORT:
		return "現在おかかりの医療機関にご依頼ください（フィルムや"
		    "CD-RはFAXできませんので、郵送またはご持参ください）";
	case DOC_PATHOLOGY_REPORT:
		return "現在おかかりの医療機関にご依頼ください";
	default:
		return "";
	}
}

static const char *
fact(const struct facts *f, enum field_id id)
{
	if (f == NULL || f->fields[id].value == NULL)
		return NULL;
	return f->fields[id].value;
}

static const char *
pick(const char *a, const char *b)
{
	return !empty(a) ? a : b;
}

/* Names equal apart from spaces (ASCII and U+3000). */
static int
same_name(const char *a, const char *b)
{
	for (;;) {
		while (*a == ' ' || strncmp(a, "\xe3\x80\x80", 3) == 0)
			a += *a == ' ' ? 1 : 3;
		while (*b == ' ' || strncmp(b, "\xe3\x80\x80", 3) == 0)
			b += *b == ' ' ? 1 : 3;
		if (*a != *b)
			return 0;
		if (*a == '\0')
			return 1;
		a++;
		b++;
	}
}

/* A case id goes into a QR payload with '|' separators: keep it plain. */
static int
case_id_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 32)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= 'a' && *s <= 'z') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static void
add_docs(struct template_vars *tv, const char *list,
    const struct profile *pr, const enum doc_type *types,
    const struct rules_due *dues, size_t n)
{
	struct template_vars *it;
	size_t i;
	enum doc_type t;

	template_vars_list(tv, list);
	for (i = 0; i < n; i++) {
		t = types ? types[i] : dues[i].type;
		it = template_vars_add(tv, list);
		setc(it, "name", profile_doc_name(pr, t));
		setc(it, "how", doc_how(t));
		setc(it, "type", doc_type_name(t));
		setc(it, "by", dues ? dues[i].by : "");
	}
}

/* --- the variables ------------------------------------------------------- */

struct resolved {
	const char	*to_name, *to_org, *to_dept, *to_fax, *to_address;
	const char	*patient_name, *ref_hospital, *ref_doctor;
	int		 self;		/* 1 patient, 0 family, -1 unknown */
};

static void
resolve(const struct letter_input *in, struct resolved *r)
{
	const struct facts *f = in->facts;
	const char *rel = fact(f, FIELD_APPLICANT_RELATIONSHIP);

	memset(r, 0, sizeof(*r));
	r->patient_name = pick(in->patient_name, fact(f, FIELD_PATIENT_NAME));
	r->ref_hospital = pick(in->referring_hospital,
	    fact(f, FIELD_REFERRING_HOSPITAL));
	r->ref_doctor = pick(in->referring_doctor,
	    fact(f, FIELD_REFERRING_DOCTOR));
	r->to_dept = in->to_dept;
	r->self = in->applicant_is_patient > 0 ? 1 :
	    in->applicant_is_patient < 0 ? 0 : -1;	/* -1: not known */
	if (r->self < 0 && rel != NULL)
		r->self = strcmp(rel, "self") == 0;
	if (in->kind == LETTER_REFERRER_NOTICE) {
		r->to_org = pick(in->to_org, r->ref_hospital);
		r->to_name = pick(in->to_name, r->ref_doctor);
		r->to_fax = pick(in->to_fax, fact(f, FIELD_REFERRING_FAX));
		r->to_address = in->to_address;
		return;
	}
	r->to_org = in->to_org;
	r->to_name = pick(in->to_name, fact(f, FIELD_APPLICANT_NAME));
	if (empty(r->to_name) && r->self == 1)
		r->to_name = r->patient_name;
	r->to_fax = pick(in->to_fax, fact(f, FIELD_APPLICANT_FAX));
	r->to_address = pick(in->to_address, fact(f, FIELD_APPLICANT_ADDRESS));
	if (r->self < 0 && !empty(r->to_name) && !empty(r->patient_name))
		r->self = same_name(r->to_name, r->patient_name);
}

static int
build_vars(const struct letter_input *in, struct template_vars *tv,
    char **errs)
{
	const struct profile *pr = in->profile;
	const struct rules_result *rr = in->rules;
	struct template_vars *it;
	struct resolved r;
	char *s, yen[32];
	int y, m, d;
	size_t i;

	if (!case_id_ok(in->case_id))
		return set_err(errs, -EINVAL, "letter: bad case id '%s'",
		    in->case_id ? in->case_id : "");
	if (in->date == NULL || facts_date_parse(in->date, &y, &m, &d) != 0)
		return set_err(errs, -EINVAL, "letter: bad date '%s' "
		    "(want YYYY-MM-DD)", in->date ? in->date : "");
	resolve(in, &r);

	setc(tv, "kind", letter_kind_name(in->kind));
	setc(tv, "case_id", in->case_id);
	setc(tv, "date_iso", in->date);
	date_ja(in->date, 0, &s);
	setc(tv, "date", s);
	free(s);
	setc(tv, "season", season(m));

	setc(tv, "hospital_id", profile_id(pr));
	setc(tv, "hospital_name", profile_name(pr));
	setc(tv, "office", profile_office(pr));
	setc(tv, "postcode", profile_postcode(pr));
	setc(tv, "address", profile_address(pr));
	setc(tv, "tel", profile_tel(pr));
	setc(tv, "fax", profile_fax(pr));
	setc(tv, "hours", profile_hours(pr));
	setc(tv, "lead_time", profile_lead_time(pr));
	setc(tv, "apply_by", profile_apply_by(pr));

	setc(tv, "post", in->channel == LETTER_POST ? "1" : "");
	setc(tv, "fax_channel", in->channel == LETTER_FAX ? "1" : "");
	setc(tv, "to_name", r.to_name);
	setc(tv, "to_org", r.to_org);
	setc(tv, "to_dept", r.to_dept);
	setc(tv, "to_fax", r.to_fax);
	setc(tv, "to_postcode", in->to_postcode);
	setc(tv, "to_address", r.to_address);
	setc(tv, "patient_name", r.patient_name);
	setc(tv, "applicant_is_patient", r.self == 1 ? "1" : "");
	setc(tv, "family", r.self == 0 ? "1" : "");
	setc(tv, "referring_hospital", r.ref_hospital);
	setc(tv, "referring_doctor", r.ref_doctor);
	setc(tv, "cover_sheet",
	    in->kind == LETTER_INCOMPLETE_NOTICE ? "1" : "");

	if (in->channel == LETTER_POST && empty(r.to_address))
		return set_err(errs, -EINVAL, "letter %s: channel post "
		    "without a postal address", in->case_id);

	add_docs(tv, "missing", pr, rr ? rr->missing : NULL, NULL,
	    rr ? rr->nmissing : 0);
	add_docs(tv, "due_later", pr, NULL, rr ? rr->due_later : NULL,
	    rr ? rr->ndue_later : 0);
	add_docs(tv, "recommended", pr, rr ? rr->recommended : NULL, NULL,
	    rr ? rr->nrecommended : 0);

	template_vars_list(tv, "fee_steps");
	if (rr != NULL && rr->fee.yen > 0) {
		yen_text(rr->fee.yen, yen);
		setc(tv, "has_fee", "1");
		setc(tv, "fee_yen", yen);
		setc(tv, "fee_tax", rr->fee.tax_included ? "税込" : "税別");
		setc(tv, "fee_basis", rr->fee.basis);
		for (i = 0; i < rr->fee.nsteps; i++) {
			it = template_vars_add(tv, "fee_steps");
			setc(it, "text", rr->fee.steps[i]);
		}
	} else {
		setc(tv, "has_fee", "");
		setc(tv, "fee_yen", "");
		setc(tv, "fee_tax", "");
		setc(tv, "fee_basis", "");
	}

	setc(tv, "reason", in->reason);
	setc(tv, "department", in->department);
	setc(tv, "place", pick(in->place, NULL));
	setc(tv, "appointment", "");
	setc(tv, "appointment_date", "");
	setc(tv, "appointment_time", "");
	if (!empty(in->appointment)) {
		char *dj, *tj;

		if (date_ja(in->appointment, 1, &dj) != 0)
			return set_err(errs, -EINVAL, "letter %s: bad "
			    "appointment '%s' (want YYYY-MM-DDThh:mm)",
			    in->case_id, in->appointment);
		if (time_ja(in->appointment, &tj) != 0)
			tj = xstrdup("");
		setc(tv, "appointment_date", dj);
		setc(tv, "appointment_time", tj);
		template_vars_setf(tv, "appointment", "%s%s%s", dj,
		    *tj ? "　" : "", tj);
		free(dj);
		free(tj);
	}
	setc(tv, "reply_by", "");
	if (!empty(in->reply_by)) {
		if (date_ja(in->reply_by, 1, &s) != 0)
			return set_err(errs, -EINVAL, "letter %s: bad reply_by "
			    "'%s'", in->case_id, in->reply_by);
		setc(tv, "reply_by", s);
		free(s);
	}

	switch (in->kind) {
	case LETTER_DECLINE_LETTER:
		if (empty(in->reason))
			return set_err(errs, -EINVAL, "letter %s: a decline "
			    "letter needs a reason", in->case_id);
		break;
	case LETTER_SCHEDULE_LETTER:
	case LETTER_REFERRER_NOTICE:
		if (empty(in->appointment))
			return set_err(errs, -EINVAL, "letter %s: %s needs "
			    "the appointment date", in->case_id,
			    letter_kind_name(in->kind));
		break;
	default:
		break;
	}
	return 0;
}

/* --- template lookup ------------------------------------------------------ */

static int
readable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The template path for a kind (malloc'd) or NULL. */
static char *
template_find(const struct profile *pr, const char *templates_dir,
    enum letter_kind k)
{
	const char *ppath = profile_path(pr), *slash;
	char *p;

	if (ppath != NULL && (slash = strrchr(ppath, '/')) != NULL) {
		xasprintf(&p, "%.*s/letters/%s.tmpl", (int)(slash - ppath),
		    ppath, kind_names[k]);
		if (readable(p))
			return p;
		free(p);
	}
	if (templates_dir == NULL)
		return NULL;
	if (profile_id(pr) != NULL) {
		xasprintf(&p, "%s/hospitals/%s/letters/%s.tmpl", templates_dir,
		    profile_id(pr), kind_names[k]);
		if (readable(p))
			return p;
		free(p);
	}
	xasprintf(&p, "%s/letters/%s.tmpl", templates_dir, kind_names[k]);
	if (readable(p))
		return p;
	free(p);
	return NULL;
}

/* --- layout ------------------------------------------------------------------ */

enum para_kind {
	PARA_LEFT,
	PARA_RIGHT,
	PARA_CENTER,
	PARA_HEAD,
	PARA_TO,
	PARA_BREAK
};

struct para {
	enum para_kind	 kind;
	int		 indent;	/* half characters */
	const char	*text;		/* into the stored text */
	size_t		 len;
	int		 tab;		/* "label<TAB>value": text is the label */
	const char	*value;
	size_t		 value_len;
};

struct placed {
	size_t		 page;
	double		 x, y, w;
	struct render_style st;
	char		*text;
};

struct layout {
	struct render_doc *doc;
	struct placed	*v;
	size_t		 n;
	size_t		 page;
	double		 y;
};

static void
place(struct layout *lo, double x, double y, double w,
    const struct render_style *st, const char *text, size_t len)
{
	struct placed *p;

	lo->v = xreallocarray(lo->v, lo->n + 1, sizeof(*lo->v));
	p = &lo->v[lo->n++];
	p->page = lo->page;
	p->x = x;
	p->y = y;
	p->w = w;
	p->st = *st;
	p->text = xstrndup(text, len);
}

static void
para_style(const struct para *p, struct render_style *st)
{
	memset(st, 0, sizeof(*st));
	st->font = BODY_FONT;
	st->size = BODY_SIZE;
	st->spacing = BODY_SPACING;
	switch (p->kind) {
	case PARA_RIGHT:
		st->align = RENDER_RIGHT;
		break;
	case PARA_CENTER:
		st->align = RENDER_CENTER;
		break;
	case PARA_HEAD:
		st->align = RENDER_CENTER;
		st->font = RENDER_FONT_GOTHIC;
		st->bold = 1;
		st->size = HEAD_SIZE;
		break;
	case PARA_TO:
		st->size = TO_SIZE;
		break;
	default:
		break;
	}
}

/*
 * Split the expanded template into paragraphs and the stored text (marks
 * removed, a tab stored as U+3000).  paras point into *ret_text.
 */
static void
paragraphs(const char *src, char **ret_text, struct para **ret, size_t *ret_n)
{
	struct buf out;
	struct para *v = NULL;
	size_t n = 0, i, len, t;
	const char *line = src, *nl, *tab;
	struct {
		enum para_kind kind;
		int indent, tab;
		size_t off, len, voff, vlen;
	} *tmp = NULL;

	buf_init(&out, LETTER_MAX_TEXT * 2);
	while (*line) {
		enum para_kind k = PARA_LEFT;
		int indent = 0;

		nl = strchr(line, '\n');
		len = nl ? (size_t)(nl - line) : strlen(line);
		if (len > 0 && line[len - 1] == '\r')
			len--;
		if (len >= 2 && line[1] == ' ' && strchr(">^#@", line[0])) {
			k = line[0] == '>' ? PARA_RIGHT : line[0] == '^' ?
			    PARA_CENTER : line[0] == '#' ? PARA_HEAD : PARA_TO;
			line += 2;
			len -= 2;
		} else if (len == 3 && strncmp(line, "---", 3) == 0) {
			k = PARA_BREAK;
			len = 0;
		} else {
			while (indent < (int)len && line[indent] == ' ')
				indent++;
		}
		tmp = xreallocarray(tmp, n + 1, sizeof(*tmp));
		memset(&tmp[n], 0, sizeof(tmp[n]));
		tmp[n].kind = k;
		tmp[n].indent = indent;
		tmp[n].off = out.len + (size_t)indent;
		tmp[n].len = len - (size_t)indent;
		tab = k == PARA_LEFT ? memchr(line, '\t', len) : NULL;
		if (tab != NULL) {
			t = (size_t)(tab - line);
			tmp[n].tab = 1;
			tmp[n].len = t - (size_t)indent;
			(void)buf_add(&out, line, t);
			(void)buf_add(&out, "\xe3\x80\x80", 3);
			tmp[n].voff = out.len;
			tmp[n].vlen = len - t - 1;
			(void)buf_add(&out, tab + 1, len - t - 1);
			(void)buf_add(&out, "\n", 1);
		} else if (k != PARA_BREAK) {
			(void)buf_add(&out, line, len);
			(void)buf_add(&out, "\n", 1);
		}
		n++;
		line = nl ? nl + 1 : line + strlen(line);
	}
	*ret_text = buf_take(&out);
	if (n > 0)
		v = xcalloc(n, sizeof(*v));
	for (i = 0; i < n; i++) {
		v[i].kind = tmp[i].kind;
		v[i].indent = tmp[i].indent;
		v[i].text = *ret_text + tmp[i].off;
		v[i].len = tmp[i].len;
		v[i].tab = tmp[i].tab;
		v[i].value = *ret_text + tmp[i].voff;
		v[i].value_len = tmp[i].vlen;
	}
	free(tmp);
	*ret = v;
	*ret_n = n;
}

static int
new_page(struct layout *lo)
{
	if (lo->page + 1 >= LETTER_MAX_PAGES)
		return -E2BIG;
	lo->page++;
	lo->y = MARGIN_T;
	return 0;
}

static int
measure(struct layout *lo, const struct render_style *st, double w,
    const char *s, size_t len, double *h)
{
	char *t = xstrndup(s, len);
	int rc;

	rc = render_text_measure(lo->doc, st, w, *t ? t : "　", NULL, h);
	free(t);
	return rc;
}

/*
 * A line of the window block: when it is wider than the window and has a
 * space, break it at the last space that lets the first part fit (an
 * address's building name goes on its own line).  *ret malloc'd.
 */
static int
window_line(struct layout *lo, const struct render_style *st, const char *s,
    size_t len, char **ret)
{
	char *t = xstrndup(s, len), *sp, *best = NULL, save;
	double w;
	int rc;

	if ((rc = render_text_measure(lo->doc, st, 0, t, &w, NULL)) != 0) {
		free(t);
		return rc;
	}
	for (sp = t; w > LETTER_WINDOW_W && *sp; sp++) {
		if (*sp != ' ')
			continue;
		save = *sp;
		*sp = '\0';
		rc = render_text_measure(lo->doc, st, 0, t, &w, NULL);
		*sp = save;
		if (rc != 0) {
			free(t);
			return rc;
		}
		if (w <= LETTER_WINDOW_W)
			best = sp;
		w = LETTER_WINDOW_W + 1;
	}
	if (best != NULL)
		*best = '\n';
	*ret = t;
	return 0;
}

/* Natural width of one line of text. */
static int
measure_w(struct layout *lo, const struct render_style *st, const char *s,
    size_t len, double *w)
{
	char *t = xstrndup(s, len);
	int rc;

	rc = render_text_measure(lo->doc, st, 0, t, w, NULL);
	free(t);
	return rc;
}

static int
layout_paras(struct layout *lo, const struct para *pv, size_t n, int post)
{
	struct render_style st;
	double y0, lh, lh2, gap, col, x, w, h, vh, nh, prev_y = 0;
	size_t prev_first = SIZE_MAX;
	double bottom = RENDER_PAGE_H - MARGIN_B;
	size_t i, j, fit;
	int rc, carry, beside = 0, window_done = 0;

	memset(&st, 0, sizeof(st));
	st.font = BODY_FONT;
	st.size = BODY_SIZE;
	st.spacing = BODY_SPACING;
	if ((rc = render_text_measure(lo->doc, &st, 0, "　", NULL, &lh)) != 0 ||
	    (rc = render_text_measure(lo->doc, &st, 0, "　\n　", NULL,
	    &lh2)) != 0)
		return rc;
	/* Between paragraphs the same pitch as between wrapped lines. */
	gap = lh2 - 2 * lh > 0 ? lh2 - 2 * lh : 0;
	/* "label<TAB>value" lines: one value column for the letter. */
	col = 0;
	for (i = 0; i < n; i++) {
		if (!pv[i].tab)
			continue;
		if ((rc = measure_w(lo, &st, pv[i].text, pv[i].len, &h)) != 0)
			return rc;
		if (h > col)
			col = h;
	}
	col += BODY_SIZE * PT_MM;
	if (col > TEXT_W / 2)
		col = TEXT_W / 2;
	for (i = 0; i < n; i++) {
		const struct para *p = &pv[i];

		if (p->kind == PARA_BREAK) {
			if ((rc = new_page(lo)) != 0)
				return rc;
			continue;
		}
		para_style(p, &st);
		/* Post: the addressee block goes into the envelope window. */
		if (p->kind == PARA_TO && post && lo->page == 0 &&
		    !window_done) {
			double wy = LETTER_WINDOW_Y;
			size_t to_end;

			window_done = 1;
			st.size = 11;
			st.spacing = 1.25;
			for (j = i; j < n && pv[j].kind == PARA_TO; j++) {
				char *t;

				if ((rc = window_line(lo, &st, pv[j].text,
				    pv[j].len, &t)) != 0)
					return rc;
				if ((rc = measure(lo, &st, LETTER_WINDOW_W,
				    t, strlen(t), &h)) != 0) {
					free(t);
					return rc;
				}
				place(lo, LETTER_WINDOW_X, wy, LETTER_WINDOW_W,
				    &st, t, strlen(t));
				free(t);
				wy += h;
			}
			to_end = j;
			/* The sender block (the right-aligned lines that
			 * follow) stands beside the window when it fits
			 * there, else below it. */
			for (; j < n && pv[j].kind == PARA_LEFT &&
			    pv[j].len == 0 && !pv[j].tab; j++)
				;
			para_style(&pv[i], &st);
			st.align = RENDER_RIGHT;
			st.size = BODY_SIZE;
			st.spacing = BODY_SPACING;
			beside = 0;
			for (h = 0; j < n && pv[j].kind == PARA_RIGHT; j++) {
				double nw;

				if ((rc = measure_w(lo, &st, pv[j].text,
				    pv[j].len, &nw)) != 0)
					return rc;
				if (MARGIN_L + TEXT_W - nw <
				    LETTER_WINDOW_X + LETTER_WINDOW_W + 4)
					break;
				h += lh + gap;
				beside = 1;
			}
			if (beside && (j == n || pv[j].kind == PARA_RIGHT ||
			    h > LETTER_WINDOW_H + 4))
				beside = 0;
			lo->y = beside ? LETTER_WINDOW_Y :
			    LETTER_WINDOW_Y + LETTER_WINDOW_H + 4;
			i = to_end - 1;		/* later "@" lines: in the flow */
			continue;
		}
		if (beside && p->kind != PARA_RIGHT && (p->len > 0 || p->tab)) {
			beside = 0;
			if (lo->y < LETTER_WINDOW_Y + LETTER_WINDOW_H + 4)
				lo->y = LETTER_WINDOW_Y + LETTER_WINDOW_H + 4;
		}
		x = MARGIN_L + p->indent * BODY_SIZE * PT_MM / 2;
		w = TEXT_W - (x - MARGIN_L);
		if (p->len == 0 && !p->tab) {	/* blank line */
			lo->y += lh * 0.6;
			continue;
		}
		if (p->tab) {
			if ((rc = measure(lo, &st, col, p->text, p->len,
			    &h)) != 0 || (rc = measure(lo, &st, w - col,
			    p->value, p->value_len, &vh)) != 0)
				return rc;
			if (vh > h)
				h = vh;
			if (lo->y + h > bottom && lo->y > MARGIN_T &&
			    (rc = new_page(lo)) != 0)
				return rc;
			prev_first = lo->n;
			prev_y = lo->y;
			place(lo, x, lo->y, col, &st, p->text, p->len);
			place(lo, x + col, lo->y, w - col, &st, p->value,
			    p->value_len);
			lo->y += h + gap;
			continue;
		}
		if ((rc = measure(lo, &st, w, p->text, p->len, &h)) != 0)
			return rc;
		/* Keep headings and 記 with what follows. */
		nh = 0;
		if ((p->kind == PARA_HEAD || p->kind == PARA_CENTER) &&
		    i + 1 < n)
			nh = lh * 2;
		if (lo->y + h + nh > bottom && lo->y > MARGIN_T) {
			if (p->kind == PARA_LEFT && h > lh * 1.5) {
				char *t = xstrndup(p->text, p->len);

				rc = render_text_fit(lo->doc, &st, w,
				    bottom - lo->y, t, &fit);
				free(t);
				if (rc != 0)
					return rc;
				if (fit > 0 && fit < p->len) {
					place(lo, x, lo->y, w, &st, p->text,
					    fit);
					if ((rc = new_page(lo)) != 0)
						return rc;
					if ((rc = measure(lo, &st, w,
					    p->text + fit, p->len - fit,
					    &h)) != 0)
						return rc;
					prev_first = lo->n;
					prev_y = lo->y;
					place(lo, x, lo->y, w, &st,
					    p->text + fit, p->len - fit);
					lo->y += h + gap;
					continue;
				}
			}
			carry = p->kind == PARA_RIGHT && prev_first < lo->n &&
			    lo->v[prev_first].page == lo->page &&
			    prev_y > MARGIN_T;
			y0 = lo->y;
			if ((rc = new_page(lo)) != 0)
				return rc;
			/* 敬具 or 以上 never alone: the paragraph before
			 * comes along. */
			for (j = prev_first; carry && j < lo->n; j++) {
				lo->v[j].page = lo->page;
				lo->v[j].y -= prev_y - MARGIN_T;
			}
			if (carry)
				lo->y = y0 - (prev_y - MARGIN_T);
		}
		if (p->kind == PARA_HEAD)
			lo->y += lh * 0.4;
		prev_first = lo->n;
		prev_y = lo->y;
		place(lo, x, lo->y, w, &st, p->text, p->len);
		lo->y += h + gap;
		if (p->kind == PARA_HEAD)
			lo->y += lh * 0.4;
	}
	return 0;
}

/* --- cover sheet -------------------------------------------------------------- */

char *
letter_cover_qr(const char *case_id, const char *hospital_id)
{
	char *s;

	xasprintf(&s, "FXI1|form=cover|v=1|case=%s|h=%s",
	    case_id ? case_id : "", hospital_id ? hospital_id : "");
	return s;
}

static int
text_at(struct render_page *pg, const char *font, double size, int bold,
    enum render_align al, double x, double y, double w, const char *s,
    struct render_box *box)
{
	struct render_style st;

	memset(&st, 0, sizeof(st));
	st.font = font;
	st.size = size;
	st.bold = bold;
	st.align = al;
	return render_text(pg, &st, x, y, w, 0, s, box);
}

static int
cover_draw(struct render_doc *doc, const struct letter_input *in,
    const char *patient)
{
	const struct profile *pr = in->profile;
	const struct rules_result *rr = in->rules;
	const char *G = RENDER_FONT_GOTHIC;
	const char *fax = profile_fax(pr);
	const char *sw = empty(fax) ? "送付" : "送信";
	struct render_page *pg;
	struct render_box b;
	char *s, *qr, *pn;
	double y, x0 = 20, x1 = 190;
	size_t i;
	int rc;

	if ((rc = render_page_add(doc, &pg)) != 0)
		return rc;
	pn = clean(patient);
	/* Title. */
	rc = text_at(pg, G, 22, 1, RENDER_CENTER, 105, 14, 0,
	    empty(fax) ? "送付票（ご返送用）" : "FAX送信票（ご返送用）", &b);
	render_line(pg, x0, 28, x1, 28, 0.8);
	/* To. */
	xasprintf(&s, "%s先　%s　%s", sw, profile_name(pr),
	    profile_office(pr) ? profile_office(pr) : "");
	if (rc == 0)
		rc = text_at(pg, G, 12, 0, RENDER_LEFT, x0, 32, 170, s, NULL);
	free(s);
	render_rect(pg, x0, 41, x1 - x0, 22, 1.2);
	if (!empty(fax)) {
		xasprintf(&s, "FAX　%s", fax);
		if (rc == 0)
			rc = text_at(pg, G, 30, 1, RENDER_CENTER, 105, 44, 0,
			    s, NULL);
	} else {
		xasprintf(&s, "郵送先　〒%s　%s", profile_postcode(pr) ?
		    profile_postcode(pr) : "", profile_address(pr) ?
		    profile_address(pr) : "");
		if (rc == 0)
			rc = text_at(pg, G, 14, 1, RENDER_CENTER, 105, 47, 0,
			    s, NULL);
	}
	free(s);

	/* Case id, patient, QR. */
	if (rc == 0)
		rc = text_at(pg, G, 11, 0, RENDER_LEFT, x0, 70, 0,
		    "受付番号", NULL);
	if (rc == 0)
		rc = text_at(pg, G, 28, 1, RENDER_LEFT, x0, 76, 0,
		    in->case_id, NULL);
	if (rc == 0)
		rc = text_at(pg, G, 11, 0, RENDER_LEFT, x0, 94, 0,
		    "患者さんのお名前", NULL);
	xasprintf(&s, "%s　様", *pn ? pn : "　　　　　　　　");
	if (rc == 0)
		rc = text_at(pg, G, 18, 0, RENDER_LEFT, x0 + 4, 100, 0, s, NULL);
	free(s);
	render_line(pg, x0, 110, 140, 110, 0.4);
	qr = letter_cover_qr(in->case_id, profile_id(pr));
	if (rc == 0)
		rc = render_qr(pg, 150, 66, 40, qr);
	free(qr);

	/* Documents to send back. */
	y = 118;
	if (rc == 0)
		rc = text_at(pg, G, 12, 1, RENDER_LEFT, x0, y, 0,
		    "お送りいただく書類（同封する書類の□に印をつけてください）",
		    NULL);
	y += 9;
	for (i = 0; rr != NULL && i < rr->nmissing && rc == 0; i++) {
		render_checkbox(pg, x0 + 4, y + 0.8, 5, RENDER_CHECK_EMPTY);
		rc = text_at(pg, G, 13, 0, RENDER_LEFT, x0 + 12, y, 150,
		    profile_doc_name(pr, rr->missing[i]), &b);
		y += b.h > 7 ? b.h + 2 : 8;
	}
	for (i = 0; rr != NULL && i < rr->ndue_later && rc == 0; i++) {
		render_checkbox(pg, x0 + 4, y + 0.8, 5, RENDER_CHECK_EMPTY);
		xasprintf(&s, "%s（%s）", profile_doc_name(pr,
		    rr->due_later[i].type), rr->due_later[i].by);
		rc = text_at(pg, G, 13, 0, RENDER_LEFT, x0 + 12, y, 150, s,
		    &b);
		free(s);
		y += b.h > 7 ? b.h + 2 : 8;
	}
	render_checkbox(pg, x0 + 4, y + 0.8, 5, RENDER_CHECK_EMPTY);
	if (rc == 0)
		rc = text_at(pg, G, 13, 0, RENDER_LEFT, x0 + 12, y, 0,
		    "その他（　　　　　　　　　　　　　　　　　　　　）", NULL);
	y += 12;

	/* Sender's fields. */
	{
		const char *rows[5];
		double rh = 11, lw = 48;
		char *r0, *r1, *r4;

		xasprintf(&r0, "%s日", sw);
		xasprintf(&r1, "ご%s者のお名前", sw);
		xasprintf(&r4, "%s枚数", sw);
		rows[0] = r0;
		rows[1] = r1;
		rows[2] = "患者さんとのご関係";
		rows[3] = "ご連絡先（電話）";
		rows[4] = r4;

		if (y < 168)
			y = 168;
		for (i = 0; i < 5 && rc == 0; i++) {
			render_rect(pg, x0, y + i * rh, lw, rh, 0.5);
			render_rect(pg, x0 + lw, y + i * rh, x1 - x0 - lw, rh,
			    0.5);
			rc = text_at(pg, G, 11, 0, RENDER_LEFT, x0 + 3,
			    y + i * rh + 3, 0, rows[i], NULL);
		}
		if (rc == 0)
			rc = text_at(pg, G, 11, 0, RENDER_LEFT, x0 + lw + 6,
			    y + 3, 0, "　　　　年　　　月　　　日", NULL);
		xasprintf(&s, "全＿＿＿枚（この%s票を含む）", sw);
		if (rc == 0)
			rc = text_at(pg, G, 13, 0, RENDER_LEFT, x0 + lw + 6,
			    y + 4 * rh + 2.5, 0, s, NULL);
		free(s);
		free(r0);
		free(r1);
		free(r4);
		y += 5 * rh + 6;
	}

	/* Notes and contact. */
	xasprintf(&s, "※%sこの用紙を一番上に重ねてお送りください。"
	    "右上のコードで受付番号を確認しますので、コードには書き込まない"
	    "でください。\n※この用紙は %s（受付番号 %s）専用です。",
	    empty(fax) ? "" : "FAXの際は", *pn ? pn : "患者さん", in->case_id);
	if (rc == 0)
		rc = text_at(pg, G, 10, 0, RENDER_LEFT, x0, y, x1 - x0, s, &b);
	free(s);
	xasprintf(&s, "%s　%s　TEL %s%s%s", profile_name(pr),
	    profile_office(pr) ? profile_office(pr) : "",
	    profile_tel(pr) ? profile_tel(pr) : "",
	    profile_hours(pr) ? "\n受付時間 " : "",
	    profile_hours(pr) ? profile_hours(pr) : "");
	render_line(pg, x0, 272, x1, 272, 0.4);
	if (rc == 0)
		rc = text_at(pg, G, 9.5, 0, RENDER_LEFT, x0, 274, x1 - x0, s,
		    NULL);
	free(s);
	free(pn);
	return rc;
}

static int
cover_check(const struct letter_input *in, char **errs)
{
	if (in == NULL || in->profile == NULL)
		return set_err(errs, -EINVAL, "letter: no profile");
	if (!case_id_ok(in->case_id))
		return set_err(errs, -EINVAL, "letter: bad case id '%s'",
		    in->case_id ? in->case_id : "");
	return 0;
}

int
letter_cover_build(const struct letter_input *in, struct render_doc **ret_doc,
    char **errs)
{
	struct render_doc *doc;
	struct resolved r;
	int rc;

	if ((rc = cover_check(in, errs)) != 0)
		return rc;
	if ((doc = render_doc_new()) == NULL)
		return set_err(errs, -EIO, "letter: cannot start pango/cairo");
	resolve(in, &r);
	render_doc_set_title(doc, "FAX送信票（ご返送用）");
	if ((rc = cover_draw(doc, in, r.patient_name)) != 0) {
		render_doc_free(doc);
		return set_err(errs, rc, "letter %s: cover sheet: %s",
		    in->case_id, strerror(-rc));
	}
	*ret_doc = doc;
	return 0;
}

/* --- the letter ------------------------------------------------------------- */

static int
draw(struct layout *lo, const struct letter_input *in, int post,
    const char *patient)
{
	struct render_page *pg;
	struct render_style fst;
	size_t i, npages = lo->page + 1, total;
	char *s;
	int rc;

	total = npages + (in->kind == LETTER_INCOMPLETE_NOTICE ? 1 : 0);
	for (i = 0; i < npages; i++)
		if ((rc = render_page_add(lo->doc, &pg)) != 0)
			return rc;
	for (i = 0; i < lo->n; i++) {
		struct placed *p = &lo->v[i];

		pg = render_doc_page(lo->doc, p->page);
		if ((rc = render_text(pg, &p->st, p->x, p->y, p->w, 0,
		    p->text, NULL)) != 0)
			return rc;
	}
	memset(&fst, 0, sizeof(fst));
	fst.size = 8;
	fst.align = RENDER_RIGHT;
	for (i = 0; i < npages; i++) {
		pg = render_doc_page(lo->doc, i);
		if (total > 1)
			xasprintf(&s, "受付番号 %s　%zu / %zu", in->case_id,
			    i + 1, total);
		else
			xasprintf(&s, "受付番号 %s", in->case_id);
		rc = render_text(pg, &fst, RENDER_PAGE_W - MARGIN_R, FOOTER_Y,
		    0, 0, s, NULL);
		free(s);
		if (rc != 0)
			return rc;
		if (post && i == 0) {
			/* Fold marks for 長3: A4 in three panels of 99 mm. */
			render_line(pg, 4, 99, 8, 99, 0.3);
			render_line(pg, 4, 198, 8, 198, 0.3);
		}
	}
	if (in->kind == LETTER_INCOMPLETE_NOTICE)
		return cover_draw(lo->doc, in, patient);
	return 0;
}

int
letter_build(const struct letter_input *in, const char *templates_dir,
    struct render_doc **ret_doc, char **ret_text, char **errs)
{
	struct template_vars *tv = NULL;
	struct layout lo;
	struct para *pv = NULL;
	struct resolved r;
	size_t np = 0, i;
	char *path = NULL, *expanded = NULL, *text = NULL, *terr = NULL;
	int rc;

	memset(&lo, 0, sizeof(lo));
	if (in == NULL || in->profile == NULL ||
	    (unsigned)in->kind >= LETTER__COUNT)
		return set_err(errs, -EINVAL, "letter: bad input");
	path = template_find(in->profile, templates_dir, in->kind);
	if (path == NULL)
		return set_err(errs, -ENOENT, "letter: no template %s.tmpl "
		    "under %s/letters", kind_names[in->kind],
		    templates_dir ? templates_dir : "(none)");
	tv = template_vars_new();
	if ((rc = build_vars(in, tv, errs)) != 0)
		goto out;
	rc = template_expand_file(path, tv, TEMPLATE_STRICT, LETTER_MAX_TEXT,
	    &expanded, &terr);
	if (rc != 0) {
		rc = set_err(errs, rc == -E2BIG ? -EINVAL : rc, "%s", terr ?
		    terr : "template error");
		goto out;
	}
	paragraphs(expanded, &text, &pv, &np);
	if ((lo.doc = render_doc_new()) == NULL) {
		rc = set_err(errs, -EIO, "letter: cannot start pango/cairo");
		goto out;
	}
	render_doc_set_title(lo.doc, kind_names[in->kind]);
	lo.y = MARGIN_T;
	rc = layout_paras(&lo, pv, np, in->channel == LETTER_POST);
	resolve(in, &r);
	if (rc == 0)
		rc = draw(&lo, in, in->channel == LETTER_POST, r.patient_name);
	if (rc != 0) {
		rc = set_err(errs, rc == -E2BIG ? -EINVAL : rc,
		    "%s: %s", path, rc == -E2BIG ? "the letter is longer "
		    "than the page limit" : rc == -EINVAL ? "text that "
		    "cannot be set (invalid UTF-8?)" : strerror(-rc));
		goto out;
	}
	if (ret_doc) {
		*ret_doc = lo.doc;
		lo.doc = NULL;
	}
	if (ret_text) {
		*ret_text = text;
		text = NULL;
	}
out:
	for (i = 0; i < lo.n; i++)
		free(lo.v[i].text);
	free(lo.v);
	render_doc_free(lo.doc);
	free(pv);
	free(text);
	free(expanded);
	free(terr);
	free(path);
	template_vars_free(tv);
	return rc;
}

static int
write_out(struct render_doc *doc, const char *out_pdf, const char *out_tiff,
    char **errs)
{
	int rc;

	if (out_pdf != NULL &&
	    (rc = render_doc_write_pdf(doc, out_pdf, FILE_MODE)) != 0)
		return set_err(errs, rc, "%s: %s", out_pdf, strerror(-rc));
	if (out_tiff != NULL && (rc = render_doc_write_fax(doc, out_tiff,
	    FILE_MODE, RENDER_FAX_FINE_YDPI, NULL)) != 0)
		return set_err(errs, rc, "%s: %s", out_tiff, strerror(-rc));
	return 0;
}

int
letter_render(const struct letter_input *in, const char *templates_dir,
    const char *out_pdf, const char *out_tiff, char **ret_text, char **errs)
{
	struct render_doc *doc;
	char *text;
	int rc;

	if ((rc = letter_build(in, templates_dir, &doc, &text, errs)) != 0)
		return rc;
	rc = write_out(doc, out_pdf, out_tiff, errs);
	render_doc_free(doc);
	if (rc == 0 && ret_text)
		*ret_text = text;
	else
		free(text);
	return rc;
}

int
letter_cover_render(const struct letter_input *in, const char *out_pdf,
    const char *out_tiff, char **errs)
{
	struct render_doc *doc;
	int rc;

	if ((rc = letter_cover_build(in, &doc, errs)) != 0)
		return rc;
	rc = write_out(doc, out_pdf, out_tiff, errs);
	render_doc_free(doc);
	return rc;
}
