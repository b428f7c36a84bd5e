/*
 * faxsynth.h — the fax corpus synthesizer's internal interfaces.
 *
 * A case (struct fs_case) is drawn from one seeded PRNG: the people, the
 * clinic, the wish, and the transmissions (struct fs_file) that carry its
 * documents (struct fs_doc).  Each document is drawn through render.h /
 * form.h onto its file's render document and records the fields it
 * printed, with the true normalised value and the raw printed text.  The
 * pages are then rasterised once, degraded in memory like a fax or a
 * scanner, and written; truth.c writes what was made and the outcome the
 * rules engine gives for it.
 *
 * Ownership: a case owns its files, a file its documents, a document its
 * field strings; fs_case_free() frees everything.  Person and place
 * strings point into static tables.
 */
#ifndef FAXSYNTH_H
#define FAXSYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "faxintake/facts.h"
#include "faxintake/form.h"
#include "faxintake/profile.h"
#include "faxintake/render.h"

#define FS_MAX_FIELDS	40
#define FS_MAX_DOCS	48
#define FS_MAX_FILES	4
#define FS_MAX_CASES	3
#define FS_FONT_HAND	"SetoFont"	/* Debian fonts-seto */

/* --- rng.c: splitmix64, the only source of randomness ------------------ */

struct rng {
	uint64_t	s;
};

void		 rng_seed(struct rng *, uint64_t);
uint64_t	 rng_next(struct rng *);
int		 rng_int(struct rng *, int lo, int hi);	/* lo..hi inclusive */
double		 rng_unit(struct rng *);		/* [0, 1) */
double		 rng_range(struct rng *, double lo, double hi);
int		 rng_chance(struct rng *, double p);
double		 rng_gauss(struct rng *);
#define RNG_PICK(r, a)	((a)[rng_int((r), 0, (int)(sizeof(a) / sizeof((a)[0])) - 1)])

/* --- people.c: names, dates, phones, places ----------------------------- */

struct fs_name {
	const char	*kanji;		/* as printed, may be a variant: 髙橋 */
	const char	*kana;		/* hiragana */
	const char	*romaji;	/* Takahashi */
};

struct fs_person {
	struct fs_name	 family, given;
	char		 sex;		/* 'M' or 'F' */
	int		 by, bm, bd;	/* birth date */
};

struct fs_phone {
	char		 a[8], b[8], c[8];	/* groups of digits */
	int		 ext;			/* 内線, 0 none */
};

enum fs_phone_style {
	FS_PH_HYPHEN = 0,	/* 0166-25-8370 */
	FS_PH_BRACKET,		/* 0166(25)8370 */
	FS_PH_AREA_BRACKET,	/* (0166)25-8370 */
	FS_PH_FULLWIDTH,	/* ０１６６－２５－８３７０ */
	FS_PH_SPACE,		/* 0166 25 8370 */
	FS_PH__COUNT
};

enum fs_date_style {
	FS_DATE_WAREKI = 0,	/* 昭和45年3月12日 (元年 for year 1) */
	FS_DATE_WAREKI_SHORT,	/* S45.3.12 */
	FS_DATE_SEIREKI,	/* 1970年3月12日 */
	FS_DATE_SLASH,		/* 1970/03/12 */
	FS_DATE_WAREKI_FW,	/* 昭和４５年３月１２日 */
	FS_DATE__COUNT
};

struct fs_place {
	const char	*pref;		/* 北海道 */
	const char	*city;		/* 旭川市 */
	const char	*area;		/* "0166" */
	const char	*zip3;		/* "070" */
};

void	 person_make(struct rng *, struct fs_person *, char sex, int age_lo,
	    int age_hi, int ref_y, int ref_m, int ref_d);
/* A relative of p sharing the family name (spouse: maybe not). */
void	 person_relative(struct rng *, const struct fs_person *p,
	    const char *rel, int ref_y, struct fs_person *ret);
/* "山田 太郎" etc.; malloc'd, caller frees. */
char	*person_name(const struct fs_person *);			/* value */
char	*person_name_raw(struct rng *, const struct fs_person *);	/* 山田　太郎 / 山田太郎 */
char	*person_kana(const struct fs_person *, int katakana);	/* やまだ たろう */
char	*person_romaji(const struct fs_person *, int upper);	/* Taro YAMADA */
/* Era for a date: 0 meiji .. 4 reiwa, year in era (1 = 元年). */
void	 date_era(int y, int m, int d, int *era, int *eyear);
const char *era_value(int era);		/* "showa" */
const char *era_kanji(int era);		/* "昭和" */
const char *era_short(int era);		/* "昭" */
char	*date_iso(int y, int m, int d);
char	*date_format(int y, int m, int d, enum fs_date_style);
/* Full-width digits of an ASCII string; malloc'd. */
char	*str_fullwidth(const char *);
void	 phone_make(struct rng *, const char *area, int mobile,
	    struct fs_phone *);
char	*phone_value(const struct fs_phone *);		/* 0166-25-8370 */
char	*phone_format(const struct fs_phone *, enum fs_phone_style);
char	*phone_tsi(struct rng *, const struct fs_phone *);	/* HylaFAX TSI */
const struct fs_place *place_for_hospital(struct rng *, const char *hid);
/* 〒 code and street address in a place; malloc'd. */
char	*address_make(struct rng *, const struct fs_place *, char **zip);
char	*clinic_name(struct rng *, const struct fs_place *, int *big);

/* --- the case model ----------------------------------------------------- */

struct fs_field {
	enum field_id	 id;
	char		*value;		/* normalised (DESIGN.md) */
	char		*raw;		/* as printed */
};

enum fs_layout {
	FS_LAY_NONE = 0,
	FS_LAY_YOSHIKI11,	/* 別紙様式11 */
	FS_LAY_EHR,		/* electronic record system print-out */
	FS_LAY_LETTER,		/* 書簡形式 紹介状 */
	FS_LAY_DEDICATED,	/* Tomakomai's 専用診療情報提供書 */
	FS_LAY_ENGLISH,
	FS_LAY_FORM,		/* the hospital's own form (form.h) */
	FS_LAY_FREE,		/* free-format letter */
	FS_LAY_CARD,
	FS_LAY_TABLE,
	FS_LAY_REPORT,
	FS_LAY_SEPARATOR,
};

struct fs_doc {
	enum doc_type	 type;
	enum fs_layout	 layout;
	int		 dedicated;	/* referral: 1 / 0; else -1 */
	const char	*language;	/* "ja", "en" */
	int		 case_idx;	/* which application (batch) */
	int		 separator;	/* a mailroom separator sheet */
	int		 first_page;	/* 1-based in its file */
	int		 npages;
	struct fs_field	 fields[FS_MAX_FIELDS];
	size_t		 nfields;
};

enum fs_medium {
	FS_FAX_FINE = 0,
	FS_FAX_NORMAL,
	FS_SCAN_PDF,
};

struct fs_file {
	char		 name[64];	/* fax000123.tif */
	enum fs_medium	 medium;
	enum render_tiff_compression comp;
	char		*sender_name;	/* clinic or family */
	struct fs_phone	 sender_fax;
	char		*tsi;		/* as the sending machine sends it */
	int		 y, m, d, hh, mm;	/* arrival */
	int		 header_style;
	struct fs_doc	 docs[FS_MAX_DOCS];
	size_t		 ndocs;
	int		 npages;
	int		 stage;		/* transmissions so far, 1-based */
	char		**page_text;	/* npages texts as drawn (truth) */
};

/* One application (a batch file holds several). */
struct fs_app {
	struct fs_person patient, applicant;
	const char	*relationship;	/* DESIGN.md enum */
	const struct fs_place *place;
	char		*address, *zip;
	struct fs_phone	 patient_phone, applicant_phone, applicant_fax;
	int		 has_applicant_fax;
	int		 attends;	/* patient comes */
	const char	*department;
	const char	*mode;		/* in_person / online */
	const char	*desired_doctor;	/* may be NULL */
	char		*clinic;
	int		 clinic_big;
	char		*clinic_address, *clinic_zip;
	struct fs_person doctor;
	const char	*doctor_dept;
	struct fs_phone	 clinic_phone, clinic_fax;
	int		 dx;		/* index of the diagnosis table */
	char		*topic;
	const char	*approval;	/* yes / no */
	const char	*media;		/* mail / bring / none */
	int		 age;
	int		 fy, fm, fd;	/* date the papers were filled in */
};

struct fs_case {
	char		 id[64];
	uint64_t	 seed;
	const char	*scenario;
	const char	*hospital;
	const struct profile *profile;
	const struct form_hospital *fh;
	struct form	*f_app, *f_consent, *f_sep;
	struct fs_app	 apps[FS_MAX_CASES];
	size_t		 napps;
	struct fs_file	 files[FS_MAX_FILES];
	size_t		 nfiles;
	int		 ry, rm, rd;	/* received (first arrival) */
};

/* fields */
void	 doc_field(struct fs_doc *, enum field_id, const char *value,
	    const char *raw);
const char *doc_value(const struct fs_doc *, enum field_id);

/* --- scenario.c ----------------------------------------------------------- */

extern const char *const fs_scenarios[];
extern const size_t fs_nscenarios;
/* Build a case (no drawing); 0, -EINVAL for an unknown scenario. */
int	 scenario_build(struct fs_case *, struct rng *, const char *scenario);
void	 fs_case_free(struct fs_case *);

/* --- docs.c / letters.c / forms.c: drawing, each appends pages ----------- */

struct fs_draw {
	struct render_doc *rd;
	struct rng	*rng;
	struct fs_case	*c;
	struct fs_app	*a;
	struct fs_file	*file;
};

int	 draw_doc(struct fs_draw *, struct fs_doc *);
int	 letters_referral(struct fs_draw *, struct fs_doc *);
int	 forms_application(struct fs_draw *, struct fs_doc *);
int	 forms_consent(struct fs_draw *, struct fs_doc *);
int	 forms_separator(struct fs_draw *, struct fs_doc *);
int	 docs_cover(struct fs_draw *, struct fs_doc *);
int	 docs_consent_letter(struct fs_draw *, struct fs_doc *);
int	 docs_card(struct fs_draw *, struct fs_doc *);
int	 docs_labs(struct fs_draw *, struct fs_doc *);
int	 docs_imaging(struct fs_draw *, struct fs_doc *);
int	 docs_pathology(struct fs_draw *, struct fs_doc *);

/* draw helpers (docs.c) */
struct render_page *draw_page(struct fs_draw *);
void	 draw_txt(struct render_page *, const char *font, double size,
	    int bold, double x, double y, const char *s);
void	 draw_txtf(struct render_page *, const char *font, double size,
	    int bold, double x, double y, const char *fmt, ...)
	    __attribute__((format(printf, 7, 8)));
void	 draw_center(struct render_page *, const char *font, double size,
	    int bold, double cx, double y, const char *s);
void	 draw_right(struct render_page *, const char *font, double size,
	    double rx, double y, const char *s);
double	 draw_para(struct render_page *, const char *font, double size,
	    double x, double y, double w, const char *s);
/* A paragraph that may continue on new pages (continuation sheets).
 * Returns the y after it; *pg is updated. */
double	 draw_flow(struct fs_draw *, struct render_page **pg,
	    const char *font, double size, double x, double y, double w,
	    double bottom, const char *s, void (*newpage)(struct fs_draw *,
	    struct render_page *, int, void *), void *arg, int *pageno);
void	 draw_seal(struct render_page *, double cx, double cy, double r,
	    const char *family);
double	 draw_hand_jitter(struct fs_draw *);

/* diagnosis table (scenario.c) */
struct fs_dx {
	const char	*name;		/* 胃癌 */
	const char	*name_en;
	const char	*dept;		/* a typical department */
	const char	*organ;		/* imaging region */
	const char	*course;	/* 経過 */
	const char	*path;		/* pathology diagnosis */
	int		 cancer;
};
extern const struct fs_dx fs_dxs[];
extern const size_t fs_ndxs;

/* --- degrade.c ------------------------------------------------------------- */

/* Rasterise, degrade and write file f of case c (pages of rd) under dir. */
int	 degrade_write(struct fs_case *, struct fs_file *, struct render_doc *,
	    struct rng *, const char *dir);

/* --- truth.c ----------------------------------------------------------------- */

int	 truth_write(const struct fs_case *, const char *dir);

#endif
