/*
 * form.h — the hospital's printable forms (templates/forms/NAME.form): the
 * セカンドオピニオン外来申込書, the 同意書 and the mailroom separator sheet.
 *
 * A form definition is loaded once and laid out for a hospital: the
 * department check boxes, the online row and the contact block come from
 * struct form_hospital, so the field boxes (and the page count) depend on
 * the hospital.  form_render() draws the form, blank or filled in, onto new
 * pages of a render document; form_layout() returns the same boxes without
 * keeping a drawing, for the reader (zone OCR) and the synthesizer (truth).
 *
 * Coordinates are mm on an A4 page, origin top left (render.h).  Errors
 * are 0 / negative errno; definition errors come back as text, one
 * "FILE:LINE: message" per line.
 */
#ifndef FAXINTAKE_FORM_H
#define FAXINTAKE_FORM_H

#include <stddef.h>

#include "faxintake/render.h"

struct form;
struct profile;

/* --- the hospital, as the forms need it (caller owns every string) ---- */

struct form_department {
	const char	*name;		/* 消化器内科 */
	int		 online;	/* offers online consultations */
};

struct form_hospital {
	const char	*id;		/* profile id, goes in the QR: "keio" */
	const char	*name;		/* 慶應義塾大学病院 */
	const char	*office;	/* 地域医療連携室; may be NULL */
	const char	*postcode;	/* "160-8582"; may be NULL */
	const char	*address;	/* may be NULL */
	const char	*tel;		/* "03-5363-3791 (直通)"; may be NULL */
	const char	*fax;		/* may be NULL */
	const char	*hours;		/* 受付時間; may be NULL */
	const struct form_department *departments;
	size_t		 ndepartments;
	int		 online;	/* online second opinions offered */
};

/*
 * Fill hospital from a loaded profile (profile.h).  The strings point into
 * the profile, which must outlive *ret; *ret_depts is malloc'd (caller
 * frees) and becomes ret->departments.
 */
int	 form_hospital_from_profile(const struct profile *,
	    struct form_hospital *ret, struct form_department **ret_depts);

/* --- definitions ----------------------------------------------------------- */

/* Load and check a definition.  *ret: form_free().  On -EINVAL (or
 * -errno if unreadable) *errs holds the messages (malloc'd, caller frees);
 * *errs is NULL on success. */
int	 form_load(const char *path, struct form **ret, char **errs);
/* templates/forms/<name>.form under the templates folder. */
int	 form_load_named(const char *templates, const char *name,
	    struct form **ret, char **errs);
void	 form_free(struct form *);			/* NULL ok */
const char *form_id(const struct form *);		/* "application" */
int	 form_version(const struct form *);

/* --- fields ---------------------------------------------------------------- */

enum form_kind {
	FORM_TEXT,	/* one writing area */
	FORM_LINES,	/* several ruled lines (consultation_topic) */
	FORM_CHOICE,	/* one of the options (男/女, 有/無) */
	FORM_MULTI,	/* any of the options (materials, departments) */
	FORM_DATE,	/* era options (or one printed era) + 年 月 日 */
};

struct form_option {
	char		*label;		/* printed text: 配偶者 */
	char		*value;		/* DESIGN.md value: spouse */
	struct render_box box;		/* the check box */
	struct render_box label_box;	/* the printed text (to circle) */
};

struct form_field {
	char		*id;		/* DESIGN.md field id */
	enum form_kind	 kind;
	int		 page;		/* 1-based */
	struct render_box box;		/* where the applicant writes */
	int		 lines;		/* FORM_LINES: ruled lines */
	struct form_option *options;	/* CHOICE, MULTI, DATE (eras) */
	size_t		 noptions;
	struct render_box parts[3];	/* FORM_DATE: year, month, day */
};

struct form_layout {
	struct form_field *fields;
	size_t		 nfields;
	int		 npages;
};

void	 form_layout_free(struct form_layout *);	/* NULL ok */
/* The field with that id, or NULL. */
const struct form_field *form_layout_field(const struct form_layout *,
	    const char *id);

/* --- drawing --------------------------------------------------------------- */

/*
 * A value written into a field (for the synthesizer; blank forms pass
 * none).  text: TEXT/LINES the text; CHOICE/MULTI option values separated
 * by ','; DATE "ERA,Y,M,D" with ERA an option value (meiji .. reiwa) or
 * empty, e.g. "showa,45,3,12".  Unknown ids and values are -EINVAL.
 */
struct form_value {
	const char	*id;
	const char	*text;
	enum render_check mark;		/* CHOICE/MULTI/DATE; 0 = TICK */
	const char	*font;		/* NULL: Mincho */
	double		 size;		/* pt; 0: 11 */
};

/*
 * Draw the form for hospital h onto new pages appended to doc (the caller
 * may draw more on them: render_doc_page()).  vals may be NULL.  ret_layout
 * (may be NULL) gets the field boxes; form_layout_free().
 */
int	 form_render(const struct form *, const struct form_hospital *h,
	    const struct form_value *vals, size_t nvals, struct render_doc *doc,
	    struct form_layout **ret_layout);
/* The field boxes only (renders into a scratch document). */
int	 form_layout(const struct form *, const struct form_hospital *h,
	    struct form_layout **ret);
/* The QR text of a page: "FXI1|form=application|v=1|h=keio|p=1";
 * malloc'd, caller frees. */
char	*form_qr_text(const struct form *, const struct form_hospital *h,
	    int page);

#endif
