/*
 * extract.h — fields (DESIGN.md field ids) from a read page: label/value
 * pairs from the OCR layout for letters of unknown layout, zone OCR and
 * mark detection for faxintake's own forms.
 *
 * Every field carries a confidence in [0,1] built from what supports it:
 * Tesseract's word confidences, the validator (a date that does not
 * parse, a phone with a wrong digit count: low), how specific its label
 * was, and for marks how clearly the box was ticked.  A wrong value must
 * not look certain: free text read by OCR is never above 0.95, a value
 * that fails its validator never above 0.3.
 */
#ifndef FAXINTAKE_EXTRACT_H
#define FAXINTAKE_EXTRACT_H

#include <stddef.h>

#include "faxintake/facts.h"

struct Pix;
struct ocr;
struct form_layout;

#define EXTRACT_VALUE_MAX	512
#define EXTRACT_MAX_FIELDS	64
/* The highest confidence one OCR reading of a value gets (extract_validate);
 * values read twice alike (two pages, two documents) may go above. */
#define EXTRACT_CAP_SINGLE	0.78

enum extract_source {
	EXTRACT_SRC_LABEL = 0,	/* value next to / below its label */
	EXTRACT_SRC_ZONE,	/* zone OCR of our form */
	EXTRACT_SRC_MARK,	/* check box or circled option */
	EXTRACT_SRC_HEADER,	/* the sending machine's header line */
	EXTRACT_SRC_GUESS,	/* where the value is printed, read too poorly
				   to tell: only a hint for the reader, which
				   keeps it when it resembles a reading of the
				   same value elsewhere in the application */
};

struct extract_field {
	enum field_id		id;
	char			value[EXTRACT_VALUE_MAX];	/* normalised */
	char			raw[EXTRACT_VALUE_MAX];		/* as read */
	double			confidence;
	int			page;		/* 1-based page of the file */
	int			x, y, w, h;	/* pixels of the cleaned page */
	enum extract_source	source;
};

/* One OCR word in page pixels, as ocr.h gives it. */
struct extract_word {
	const char	*text;
	int		 x, y, w, h;
	float		 conf;		/* 0..100 */
	int		 line;
};

/*
 * Normalise raw for field id and set value and confidence (ocr_conf in
 * [0,1] is the reading's own confidence).  Always fills out->raw; returns
 * 0 (the value validated), NORM_INVALID (kept, confidence <= 0.3), or
 * -errno.
 */
int	extract_value(enum field_id id, const char *raw, double ocr_conf,
	    struct extract_field *out);

/*
 * The last word on a value before it is handed on: validators per field
 * (names only CJK/kana with the space between 姓 and 名, kana fields kana
 * only, phones a valid number, dates plausible birth dates, ages 0..120,
 * no label text or stray symbols / rules / long-vowel runs) and the
 * confidence caps measured with readbench on the dev corpus.  A value
 * that fails goes below 0.5; returns 1 when the value is worthless (to
 * be dropped: empty, a known label), else 0.
 */
int	extract_validate(struct extract_field *f);

/* Whether s is (or is made of) printed label text (氏名, 送付状, FAX...). */
int	extract_is_label(const char *s);

/* Does s (a normalised value) name a medical institution: 病院, クリニック,
 * 診療所, 医療センター (one letter misread allowed), a practice named
 * 〇〇内科 ...? */
int	extract_is_hospital(const char *s);

/* How much a name (姓 名) looks like a person's: higher for a known
 * surname and for letters common in given names (a misreading's letters
 * rarely are).  For choosing between two readings one letter apart. */
int	extract_name_score(const char *v);

/*
 * Of two readings of a written name (raw, as the models gave them), is
 * b, read with confidence cb, the better one?  For a patient's or an
 * applicant's name the one that looks more like a name
 * (extract_name_score: 井上 誠 against 井上 訴), else the surer.
 */
int	extract_better_name(enum field_id id, const char *a, double ca,
	    const char *b, double cb);

/* Bytes of the longest common surname s begins with (佐々木 before 佐々);
 * 0 if none. */
size_t	extract_surname_len(const char *s);

/* A phone or FAX number field (patient's, applicant's, the clinic's)? */
int	extract_is_number(enum field_id);

/*
 * Label/value pairs from the words of a page (in reading order, line
 * indexes non-decreasing).  Fields found are appended to out[*n .. max).
 * letter: a referral letter (別紙様式11 order: context decides whose
 * phone a 電話番号 is).
 */
int	extract_labels(const struct extract_word *words, size_t nwords,
	    enum doc_type type, int page, struct extract_field *out,
	    size_t max, size_t *n);

/* Check boxes: density of black in the inner 50% of the box found near
 * (x, y, w, h) by an outline search of +-search pixels. */
enum extract_mark {
	EXTRACT_MARK_EMPTY = 0,
	EXTRACT_MARK_TICKED,
	EXTRACT_MARK_FILLED,
	EXTRACT_MARK_UNSURE,
};
int	extract_checkbox(struct Pix *pix, int x, int y, int w, int h,
	    int search, double *density, enum extract_mark *mark);
/* Ink in a ring around a printed label (x, y, w, h): a circled option.
 * *score is the share of ring sectors holding ink (0..1). */
int	extract_circle(struct Pix *pix, int x, int y, int w, int h,
	    double *score);

/* Page-to-form geometry: page px = a * mm + b for x and y. */
struct extract_align {
	double	ax, bx, ay, by;
	int	marks;		/* registration marks found (0..4) */
	double	angle;		/* clockwise skew of the page, radians
				   (from the marks; 0 without two) */
};
/* Find the four corner marks of our forms; without them, the nominal
 * geometry from the resolution (marks = 0). */
int	extract_align_marks(struct Pix *pix, int xres, int yres,
	    struct extract_align *ret);

/*
 * Zone OCR and mark reading of page formpage (1-based) of one of our
 * forms, laid out by layout.  ocr may be NULL (marks only); docr, when
 * not NULL, reads the zones of digits (dates, phone numbers).  Fields
 * are appended to out[*n .. max); *ocr_usec gets the time spent in OCR.
 */
int	extract_form(struct ocr *ocr, struct ocr *docr, struct Pix *pix,
	    int xres, int yres, const struct form_layout *layout,
	    int formpage, int page,
	    struct extract_field *out, size_t max, size_t *n,
	    long long *ocr_usec);

#endif
