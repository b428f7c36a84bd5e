/*
 * forms.c — the hospital's own forms filled in (form.h): the
 * application (申込書) and the consent form (同意書), typed or in a
 * handwriting font, with ticked, filled, crossed or circled options, and
 * the mailroom separator sheet.  Every value written is recorded as a
 * field of the document, only where the hospital's layout has the field.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faxintake/xmalloc.h"

#include "faxsynth.h"

struct fill {
	struct form_value v[48];
	size_t		 n;
	char		*own[48];	/* strings the values point at */
	size_t		 nown;
	const struct form_layout *lay;
	const char	*font;
	double		 size;
	enum render_check mark;
	struct fs_draw	*dw;
};

static const char *
keep(struct fill *f, char *s)
{
	if (f->nown < sizeof(f->own) / sizeof(f->own[0]))
		f->own[f->nown++] = s;
	return s;
}

static int
has(const struct fill *f, const char *id)
{
	return form_layout_field(f->lay, id) != NULL;
}

static int
has_option(const struct fill *f, const char *id, const char *value)
{
	const struct form_field *fl = form_layout_field(f->lay, id);
	size_t i;

	if (fl == NULL)
		return 0;
	for (i = 0; i < fl->noptions; i++)
		if (strcmp(fl->options[i].value, value) == 0)
			return 1;
	return 0;
}

static void
put(struct fill *f, const char *id, const char *text)
{
	struct form_value *v;

	if (!has(f, id) || text == NULL || f->n >= 48)
		return;
	v = &f->v[f->n++];
	memset(v, 0, sizeof(*v));
	v->id = id;
	v->text = text;
	v->font = f->font;
	/* handwriting varies in size from field to field */
	v->size = f->size + (f->font && strcmp(f->font, FS_FONT_HAND) == 0 ?
	    rng_range(f->dw->rng, -1.2, 1.5) : 0);
	v->mark = f->mark;
}

static void
fill_free(struct fill *f)
{
	size_t i;

	for (i = 0; i < f->nown; i++)
		free(f->own[i]);
}

static void
fill_init(struct fill *f, struct fs_draw *dw, const struct form_layout *lay)
{
	static const enum render_check marks[] = { RENDER_CHECK_TICK,
	    RENDER_CHECK_TICK, RENDER_CHECK_FILL, RENDER_CHECK_CIRCLE,
	    RENDER_CHECK_CROSS };
	int typed = rng_chance(dw->rng, 0.3);

	memset(f, 0, sizeof(*f));
	f->dw = dw;
	f->lay = lay;
	f->font = typed ? (rng_chance(dw->rng, 0.5) ? RENDER_FONT_MINCHO :
	    RENDER_FONT_GOTHIC) : FS_FONT_HAND;
	f->size = typed ? rng_range(dw->rng, 9.5, 11.5) :
	    rng_range(dw->rng, 11, 13.5);
	f->mark = RNG_PICK(dw->rng, marks);
}

static void
put_name(struct fill *f, struct fs_doc *d, const char *id, enum field_id fid,
    const struct fs_person *p)
{
	char *raw = person_name_raw(f->dw->rng, p), *v = person_name(p);

	if (has(f, id)) {
		put(f, id, keep(f, raw));
		doc_field(d, fid, v, raw);
	} else
		free(raw);
	free(v);
}

static void
put_phone(struct fill *f, struct fs_doc *d, const char *id, enum field_id fid,
    const struct fs_phone *ph)
{
	static const enum fs_phone_style ps[] = { FS_PH_HYPHEN, FS_PH_HYPHEN,
	    FS_PH_HYPHEN, FS_PH_BRACKET, FS_PH_AREA_BRACKET, FS_PH_FULLWIDTH,
	    FS_PH_SPACE };
	char *raw, *v;

	if (!has(f, id))
		return;
	raw = phone_format(ph, RNG_PICK(f->dw->rng, ps));
	v = phone_value(ph);
	put(f, id, keep(f, raw));
	doc_field(d, fid, v, raw);
	free(v);
}

static void
put_text(struct fill *f, struct fs_doc *d, const char *id, enum field_id fid,
    const char *value)
{
	if (!has(f, id) || value == NULL)
		return;
	put(f, id, value);
	doc_field(d, fid, value, value);
}

/* An option field: value must be one of the layout's options. */
static void
put_choice(struct fill *f, struct fs_doc *d, const char *id,
    enum field_id fid, const char *value)
{
	const struct form_field *fl = form_layout_field(f->lay, id);
	size_t i;

	if (fl == NULL || !has_option(f, id, value))
		return;
	put(f, id, value);
	for (i = 0; i < fl->noptions; i++)
		if (strcmp(fl->options[i].value, value) == 0)
			doc_field(d, fid, value, fl->options[i].label);
}

static void
put_date(struct fill *f, struct fs_doc *d, const char *id, enum field_id fid,
    int y, int m, int dd)
{
	const struct form_field *fl = form_layout_field(f->lay, id);
	int era, ey;
	char *s, *raw, *v;

	if (fl == NULL)
		return;
	date_era(y, m, dd, &era, &ey);
	if (ey == 1)
		xasprintf(&s, "%s,元,%d,%d", era_value(era), m, dd);
	else
		xasprintf(&s, "%s,%d,%d,%d", era_value(era), ey, m, dd);
	put(f, id, keep(f, s));
	if (fid != FIELD__COUNT) {
		raw = date_format(y, m, dd, FS_DATE_WAREKI);
		v = date_iso(y, m, dd);
		doc_field(d, fid, v, raw);
		free(raw);
		free(v);
	}
}

/* The relationship as the consent form's options can say it. */
static const char *
rel_option(const char *rel)
{
	return rel;
}

static int
render_filled(struct fs_draw *dw, struct form *form, struct fill *f)
{
	return form_render(form, dw->c->fh, f->v, f->n, dw->rd, NULL);
}

/* A department the form has no box for is written in beside the boxes. */
static void
dept_write_in(struct fs_draw *dw, const struct form_layout *lay,
    size_t first_page, const char *dept, const char *font)
{
	const struct form_field *fl = form_layout_field(lay, "department");
	struct render_page *p;
	double x, y;

	if (fl == NULL)
		return;
	p = render_doc_page(dw->rd, first_page + (size_t)fl->page - 1);
	if (p == NULL)
		return;
	x = fl->box.x + fl->box.w * 0.55;
	y = fl->box.y + fl->box.h * 0.5 - 3;
	if (fl->noptions > 0) {
		const struct form_option *o = &fl->options[fl->noptions - 1];

		if (o->label_box.x + o->label_box.w + 8 < fl->box.x +
		    fl->box.w - 40) {
			x = o->label_box.x + o->label_box.w + 8;
			y = o->label_box.y - 0.5;
		} else {
			x = fl->box.x + 3;
			y = fl->box.y + fl->box.h - 5.5;
		}
	}
	draw_txtf(p, font ? font : FS_FONT_HAND, 11.5, 0, x, y, "（%s）",
	    dept);
}

int
forms_application(struct fs_draw *dw, struct fs_doc *d)
{
	struct fs_app *a = dw->a;
	struct form_layout *lay = NULL;
	struct fill f;
	size_t first = render_doc_npages(dw->rd);
	int family = strcmp(a->relationship, "self") != 0;
	int rc, writein = 0;
	char age[16], *kana;

	if ((rc = form_layout(dw->c->f_app, dw->c->fh, &lay)) != 0)
		return rc;
	fill_init(&f, dw, lay);
	put_date(&f, d, "date", FIELD__COUNT, a->fy, a->fm, a->fd);
	kana = person_kana(&a->patient, 0);
	if (has(&f, "patient_name_kana")) {
		put(&f, "patient_name_kana", keep(&f, xstrdup(kana)));
		doc_field(d, FIELD_PATIENT_NAME_KANA, kana, kana);
	}
	free(kana);
	put_name(&f, d, "patient_name", FIELD_PATIENT_NAME, &a->patient);
	put_choice(&f, d, "patient_sex", FIELD_PATIENT_SEX,
	    a->patient.sex == 'M' ? "M" : "F");
	put_date(&f, d, "patient_birth_date", FIELD_PATIENT_BIRTH_DATE,
	    a->patient.by, a->patient.bm, a->patient.bd);
	snprintf(age, sizeof(age), "%d", a->age);
	if (has(&f, "patient_age")) {
		put(&f, "patient_age", keep(&f, xstrdup(age)));
		doc_field(d, FIELD_PATIENT_AGE, age, age);
	}
	if (has(&f, "patient_address")) {
		char *raw;

		xasprintf(&raw, "%s　%s", a->zip, a->address);
		put(&f, "patient_address", keep(&f, raw));
		doc_field(d, FIELD_PATIENT_ADDRESS, a->address, raw);
	}
	put_phone(&f, d, "patient_phone", FIELD_PATIENT_PHONE,
	    &a->patient_phone);
	put_choice(&f, d, "patient_attends", FIELD_PATIENT_ATTENDS,
	    a->attends ? "yes" : "no");
	if (family)
		put_name(&f, d, "applicant_name", FIELD_APPLICANT_NAME,
		    &a->applicant);
	put_choice(&f, d, "applicant_relationship",
	    FIELD_APPLICANT_RELATIONSHIP, a->relationship);
	put_phone(&f, d, "applicant_phone", FIELD_APPLICANT_PHONE,
	    &a->applicant_phone);
	if (a->has_applicant_fax)
		put_phone(&f, d, "applicant_fax", FIELD_APPLICANT_FAX,
		    &a->applicant_fax);
	put_choice(&f, d, "consultation_mode", FIELD_CONSULTATION_MODE,
	    a->mode);
	if (!has(&f, "consultation_mode") &&
	    strcmp(a->mode, "online") == 0) {
		/* no online row: the wish goes into the topic */
		char *t;

		xasprintf(&t, "オンラインでの相談を希望します。%s", a->topic);
		free(a->topic);
		a->topic = t;
		doc_field(d, FIELD_CONSULTATION_MODE, "online",
		    "オンラインでの相談を希望します。");
	}
	{
		const struct form_field *fl = form_layout_field(lay,
		    "department");

		if (fl != NULL && fl->kind == FORM_TEXT)
			put_text(&f, d, "department", FIELD_DEPARTMENT,
			    a->department);
		else if (fl != NULL && has_option(&f, "department",
		    a->department))
			put_choice(&f, d, "department", FIELD_DEPARTMENT,
			    a->department);
		else if (fl != NULL) {
			char *raw;

			writein = 1;
			xasprintf(&raw, "（%s）", a->department);
			doc_field(d, FIELD_DEPARTMENT, a->department, raw);
			free(raw);
		}
	}
	if (a->desired_doctor != NULL && has(&f, "desired_doctor")) {
		char *raw;

		xasprintf(&raw, "%s先生", a->desired_doctor);
		put(&f, "desired_doctor", keep(&f, raw));
		doc_field(d, FIELD_DESIRED_DOCTOR, a->desired_doctor, raw);
	}
	put_text(&f, d, "referring_hospital", FIELD_REFERRING_HOSPITAL,
	    a->clinic);
	put_name(&f, d, "referring_doctor", FIELD_REFERRING_DOCTOR, &a->doctor);
	put_choice(&f, d, "attending_approval", FIELD_ATTENDING_APPROVAL,
	    a->approval);
	put_phone(&f, d, "referring_phone", FIELD_REFERRING_PHONE,
	    &a->clinic_phone);
	if (rng_chance(dw->rng, 0.6))
		put_phone(&f, d, "referring_fax", FIELD_REFERRING_FAX,
		    &a->clinic_fax);
	put_text(&f, d, "diagnosis", FIELD_DIAGNOSIS, fs_dxs[a->dx].name);
	put_text(&f, d, "consultation_topic", FIELD_CONSULTATION_TOPIC,
	    a->topic);
	if (has(&f, "materials")) {
		const char *m = strcmp(a->media, "none") == 0 ? "lab" :
		    rng_chance(dw->rng, 0.5) ? "cdr,lab" : "cdr";

		put(&f, "materials", m);
	}
	put_choice(&f, d, "imaging_media", FIELD_IMAGING_MEDIA, a->media);
	if (has(&f, "signature"))
		put(&f, "signature", keep(&f, person_name_raw(dw->rng,
		    &a->applicant)));
	rc = render_filled(dw, dw->c->f_app, &f);
	if (rc == 0 && writein)
		dept_write_in(dw, lay, first, a->department, f.font);
	fill_free(&f);
	form_layout_free(lay);
	return rc;
}

int
forms_consent(struct fs_draw *dw, struct fs_doc *d)
{
	struct fs_app *a = dw->a;
	struct form_layout *lay = NULL;
	struct fill f;
	int rc;
	char *kana;

	if ((rc = form_layout(dw->c->f_consent, dw->c->fh, &lay)) != 0)
		return rc;
	fill_init(&f, dw, lay);
	put_date(&f, d, "date", FIELD__COUNT, a->fy, a->fm, a->fd);
	kana = person_kana(&a->patient, 0);
	if (has(&f, "patient_name_kana")) {
		put(&f, "patient_name_kana", keep(&f, xstrdup(kana)));
		doc_field(d, FIELD_PATIENT_NAME_KANA, kana, kana);
	}
	free(kana);
	put_name(&f, d, "patient_name", FIELD_PATIENT_NAME, &a->patient);
	put_date(&f, d, "patient_birth_date", FIELD_PATIENT_BIRTH_DATE,
	    a->patient.by, a->patient.bm, a->patient.bd);
	if (has(&f, "patient_address")) {
		char *raw;

		xasprintf(&raw, "%s　%s", a->zip, a->address);
		put(&f, "patient_address", keep(&f, raw));
		doc_field(d, FIELD_PATIENT_ADDRESS, a->address, raw);
	}
	put_phone(&f, d, "patient_phone", FIELD_PATIENT_PHONE,
	    &a->patient_phone);
	put_name(&f, d, "applicant_name", FIELD_APPLICANT_NAME, &a->applicant);
	put_choice(&f, d, "applicant_relationship",
	    FIELD_APPLICANT_RELATIONSHIP, rel_option(a->relationship));
	if (has(&f, "applicant_address")) {
		char *raw;

		xasprintf(&raw, "%s　%s", a->zip, a->address);
		put(&f, "applicant_address", keep(&f, raw));
		doc_field(d, FIELD_APPLICANT_ADDRESS, a->address, raw);
	}
	put_phone(&f, d, "applicant_phone", FIELD_APPLICANT_PHONE,
	    &a->applicant_phone);
	if (a->has_applicant_fax)
		put_phone(&f, d, "applicant_fax", FIELD_APPLICANT_FAX,
		    &a->applicant_fax);
	if (has(&f, "signature"))
		put(&f, "signature", keep(&f, person_name_raw(dw->rng,
		    &a->patient)));
	rc = render_filled(dw, dw->c->f_consent, &f);
	fill_free(&f);
	form_layout_free(lay);
	return rc;
}

int
forms_separator(struct fs_draw *dw, struct fs_doc *d)
{
	(void)d;
	return form_render(dw->c->f_sep, dw->c->fh, NULL, 0, dw->rd, NULL);
}
