/*
 * letter.h — reply letters: a template (templates/letters/KIND.tmpl, or a
 * hospital's own) expanded with one case's data, laid out as a Japanese
 * business letter on A4 and written as PDF and as a fax TIFF (1-bit,
 * CCITT G4, 1728 px, 204 x 196 dpi) of the same pages.  Pure: no clock,
 * database or network; the date is an input.  The text returned is the
 * letter as the database stores it (what is printed, layout marks
 * removed).
 *
 * What a letter may say: the patient's name and the case id identify the
 * application; clinical details never appear.  The module reads only the
 * fields named below (from struct letter_input, or from facts when the
 * explicit member is NULL); diagnosis, consultation topic and the flags'
 * evidence are never read.  The decline reason is printed as staff wrote
 * it (staff are asked to give it in general terms).
 *
 * Template lookup for kind K (first that exists):
 *   1. <dir of the profile's profile.ini>/letters/K.tmpl
 *   2. <templates_dir>/hospitals/<profile id>/letters/K.tmpl
 *   3. <templates_dir>/letters/K.tmpl
 * Templates are expanded in strict mode (a misspelt variable is an error
 * naming FILE:LINE).  The variables and the layout marks are listed in
 * templates/letters/README.
 *
 * Output files are written atomically with mode 0600 (they hold patient
 * data).  Output is deterministic: the same input gives the same bytes.
 */
#ifndef FAXINTAKE_LETTER_H
#define FAXINTAKE_LETTER_H

#include <stddef.h>

#include "faxintake/facts.h"
#include "faxintake/profile.h"
#include "faxintake/rules.h"

struct render_doc;

#define LETTER_MAX_TEXT		(64 * 1024)	/* bytes of expanded text */
#define LETTER_MAX_PAGES	20

/*
 * Window envelope 長3 (長形3号, 120 x 235 mm) holding A4 folded in three
 * (panels of 99 mm): on post letters the recipient's block (the "@"
 * lines) is printed in this box of page 1, in mm from the top left
 * corner.  What the numbers rest on: Japan Post's guideline for window
 * envelopes (post.japanpost.jp/zipcode/guideline/05.html) — the address
 * must stay visible when the sheet moves inside the envelope — and an
 * address window of at least 45 x 80 mm; ready-made 長3 windows are about
 * 90 x 45 mm, a little over 20 mm from the edge.  The box, 80 x 30 mm at
 * 23 mm from the left and 45 mm from the top, lies inside the top panel
 * and follows the usual rule of thumb (address 20-25 mm from the left,
 * 40-50 mm from the top).  It was not checked against a particular
 * envelope product: hold a printed letter behind the hospital's own
 * envelopes and adjust here.  The sender block stands to the right of the
 * box when it fits there, else below it; fold marks are printed at 99 and
 * 198 mm on the left edge.
 */
#define LETTER_WINDOW_X		23.0
#define LETTER_WINDOW_Y		45.0
#define LETTER_WINDOW_W		80.0
#define LETTER_WINDOW_H		30.0

enum letter_kind {
	LETTER_INCOMPLETE_NOTICE,
	LETTER_RECEIPT_NOTICE,
	LETTER_DECLINE_LETTER,
	LETTER_SCHEDULE_LETTER,
	LETTER_REFERRER_NOTICE,
	LETTER__COUNT
};

enum letter_channel {
	LETTER_FAX,
	LETTER_POST		/* address placed for a 長3 window envelope */
};

/*
 * Everything a letter says, filled by the caller.  Strings are UTF-8 and
 * borrowed for the call; NULL or "" means "not known".
 */
struct letter_input {
	enum letter_kind	 kind;
	enum letter_channel	 channel;
	const char		*case_id;	/* "20261121-0003"; required */
	const char		*date;		/* letter date "2026-11-21"; required */
	const struct profile	*profile;	/* required */

	/* Recipient.  Applicant letters: to_name is the applicant ("山田 花子").
	 * referrer_notice: to_org is the referring hospital, to_dept its
	 * department, to_name the doctor (NULL: addressed to 主治医). */
	const char		*to_name;
	const char		*to_org;
	const char		*to_dept;
	const char		*to_fax;	/* shown as "FAX …" on the letter */
	const char		*to_postcode;	/* LETTER_POST: "053-8567" */
	const char		*to_address;	/* LETTER_POST */

	const char		*patient_name;	/* "山田 太郎" */
	/* 1 the applicant is the patient, -1 someone else (family), 0 not
	 * known: then facts' applicant_relationship, else to_name compared
	 * with patient_name, decides.  A zeroed struct means "not known". */
	int			 applicant_is_patient;

	/* What the rules said (missing, due_later, recommended, fee).  May be
	 * NULL for decline/schedule/referrer letters. */
	const struct rules_result *rules;

	/* Optional: fills patient_name, to_name (applicant_name), to_fax
	 * (applicant_fax), to_address (applicant_address) and the referrer
	 * fields when those are NULL; nothing else is read from it. */
	const struct facts	*facts;

	/* Staff decision. */
	const char		*reason;	/* decline: in general terms */
	const char		*appointment;	/* "2026-12-03T10:00" */
	const char		*place;		/* NULL: the hospital and office */
	const char		*department;	/* 相談を担当する診療科, optional */
	const char		*reply_by;	/* incomplete: "2026-12-05", optional */

	/* referrer_notice, or named in applicant letters when known. */
	const char		*referring_hospital;
	const char		*referring_doctor;
};

const char	*letter_kind_name(enum letter_kind);	/* "receipt_notice" */
int		 letter_kind_parse(const char *);	/* -1 when unknown */

/*
 * Lay out the letter (and, for the incomplete notice, the case cover sheet
 * as its last page).  Returns 0 with *ret_doc (render_doc_free()) and
 * *ret_text (malloc'd) — either may be NULL when not wanted — or -EINVAL
 * (bad input, template error, text that does not fit LETTER_MAX_PAGES)
 * with a readable message in *errs (malloc'd; caller frees; may be NULL),
 * or another negative errno.  Outputs are untouched on failure.
 */
int		 letter_build(const struct letter_input *,
		    const char *templates_dir, struct render_doc **ret_doc,
		    char **ret_text, char **errs);

/*
 * letter_build(), then write out_pdf (A4) and out_tiff (fax: G4, 1728 px,
 * fine) of the same pages, each optional (NULL).  Files get mode 0600.
 */
int		 letter_render(const struct letter_input *,
		    const char *templates_dir, const char *out_pdf,
		    const char *out_tiff, char **ret_text, char **errs);

/*
 * The case cover sheet alone (one page): 「FAX送信票（ご返送用）」, the
 * hospital's FAX large, the case id large and in a QR code carrying
 * exactly "FXI1|form=cover|v=1|case=<CASE_ID>|h=<hospital id>", the
 * patient's name, the documents to send back with check boxes, and a
 * 全__枚 field.  Uses in->case_id, profile, patient_name, date, rules.
 * *ret_doc: caller render_doc_free()s.
 */
int		 letter_cover_build(const struct letter_input *,
		    struct render_doc **ret_doc, char **errs);
int		 letter_cover_render(const struct letter_input *,
		    const char *out_pdf, const char *out_tiff, char **errs);

/* The QR payload of a case's cover sheet; malloc'd, caller frees. */
char		*letter_cover_qr(const char *case_id, const char *hospital_id);

#endif
