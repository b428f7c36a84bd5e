/*
 * normalize.h — pure text normalisers for what OCR read (no OCR, no
 * images): NFKC, dates (和暦 and 西暦) to ISO 8601, phone and FAX numbers
 * to the standard Japanese grouping, names, relationships.
 *
 * Each normaliser either succeeds, giving the normalised value and a
 * confidence penalty in [0,1] (how much the repairs it had to make should
 * lower the caller's confidence: multiply by 1 - penalty), or fails with
 * NORM_INVALID.  None of them guesses: input that could mean two things
 * fails, or succeeds with a penalty only where every reading gives the
 * same value.
 *
 * Return values: 0 success, NORM_INVALID (a positive domain outcome: the
 * text is not a valid value of that kind), -EINVAL bad argument, -E2BIG
 * input over NORM_MAX_INPUT bytes or output buffer too small, -ENOMEM.
 * Output buffers are NUL-terminated on success and untouched on failure.
 */
#ifndef FAXINTAKE_NORMALIZE_H
#define FAXINTAKE_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#define NORM_INVALID	1

/* Inputs longer than this are refused (-E2BIG). */
#define NORM_MAX_INPUT	4096

/* Sizes of output buffers that always suffice. */
#define NORM_DATE_LEN	11	/* "YYYY-MM-DD" */
#define NORM_PHONE_LEN	24	/* "0120-123-456" and longer */
#define NORM_EXT_LEN	12	/* extension digits */
#define NORM_NAME_LEN	256

/*
 * NFKC (utf8proc; full-width digits and letters to ASCII, U+3000 to a
 * space, half-width katakana to full width) plus line ending cleanup.
 * Invalid UTF-8 bytes are replaced by U+FFFD.  *ret is malloc'd; caller
 * frees.  -E2BIG when in is over max bytes.
 */
int	norm_nfkc(const char *in, size_t max, char **ret);

/*
 * The code points of the UTF-8 text s (as it is: no NFKC) into cp[0..max);
 * *n set.  0, or -E2BIG when s holds more than max (the first max are
 * there), -EILSEQ when it is not UTF-8 (those before are there).
 */
int	norm_utf8_cps(const char *s, int32_t *cp, size_t max, size_t *n);

/*
 * The reverse: cp[0..n) as NUL-terminated UTF-8 in out (outsz bytes; 4 a
 * code point and the NUL always fit).  The bytes written before the NUL,
 * or -E2BIG (out unchanged).
 */
int	norm_cps_utf8(const int32_t *cp, size_t n, char *out, size_t outsz);

/*
 * A date, 和暦 or 西暦: 昭和45年3月12日, 昭45.3.12, S45/3/12, 平成元年,
 * R1-5-1, 2026年11月20日, 2026/11/20, 2026-11-20, 2026.11.20; full-width
 * digits, stray spaces, ー/‐/− as separators, O for 0 and l/I for 1 inside
 * digit runs.  Era boundaries are checked (昭和64年 ends 1989-01-07,
 * 平成31年 ends 2019-04-30, 令和 starts 2019-05-01; the day an era began
 * belongs to both).  Trailing "生", "生まれ" or an age "(56歳)" are allowed;
 * after a 日 (or what a fax makes of it: H, 昌, 由, 目 ...) anything may
 * follow, with a small penalty (the next item of the line).  Colons, full
 * stops and a table rule before the date are skipped.
 * out gets "YYYY-MM-DD" (outsz >= NORM_DATE_LEN).
 */
int	norm_date(const char *in, char *out, size_t outsz, double *penalty);

/* Calendar helpers used by norm_date (exported for tests and callers). */
int	norm_date_valid(int y, int m, int d);
/* 西暦 year of an era year: era index 0 明治 .. 4 令和; -1 if invalid. */
int	norm_era_year(int era, int year);

/*
 * A phone or FAX number.  out gets the number in the standard grouping
 * (090-1234-5678, 03-5363-3865, 0166-25-8370, 0120-13-1540 ... see
 * normalize.c for the area-code table and its limits); ext (may be NULL)
 * gets the extension digits of 内線/ext./(内) or "" (extsz >= NORM_EXT_LEN).
 * A number whose digit count does not fit its kind is NORM_INVALID.
 * Prefixes TEL/FAX/電話/℡ and colons are skipped.
 */
int	norm_phone(const char *in, char *out, size_t outsz, char *ext,
	    size_t extsz, double *penalty);
/* Only the digits of a normalised number ("0352631234"): for comparing
 * two numbers.  outsz >= NORM_PHONE_LEN. */
int	norm_phone_digits(const char *in, char *out, size_t outsz);

/*
 * A person's name: NFKC, spaces collapsed, one half-width space between
 * 姓 and 名 when the writer separated them, honorifics (様 殿 さん 君
 * 御中) stripped.  A name without a separator stays unsplit (penalty: the
 * split cannot be known without a dictionary).  Digits or symbols in a
 * name are NORM_INVALID.
 */
int	norm_name(const char *in, char *out, size_t outsz, double *penalty);

/* The DESIGN.md relationship values. */
enum norm_rel {
	NORM_REL_SELF = 0,
	NORM_REL_SPOUSE,
	NORM_REL_PARENT,
	NORM_REL_CHILD,
	NORM_REL_SIBLING,
	NORM_REL_GRANDPARENT,
	NORM_REL_GRANDCHILD,
	NORM_REL_OTHER_RELATIVE,
	NORM_REL_NON_RELATIVE,
};

/* "self", "spouse", ... */
const char *norm_rel_name(enum norm_rel);

/*
 * The applicant's relationship to the patient, as written on a form
 * (本人, 配偶者, 夫, 妻, 父, 母, 長男, 娘, 兄, 祖父, 孫, 叔母, 友人 ...).
 * *ret set on success.
 */
int	norm_relationship(const char *in, enum norm_rel *ret, double *penalty);

/* Sex: 男/男性/M → "M", 女/女性/F → "F". */
int	norm_sex(const char *in, char out[2], double *penalty);

#endif
