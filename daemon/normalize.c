/*
 * normalize.c — text normalisers for OCR output: NFKC, dates, phone
 * numbers, names, relationships.  Pure functions: no I/O, no globals.
 *
 * Everything works on an array of code points taken from the NFKC'd
 * input, so that full-width digits, U+3000 and half-width katakana are
 * already folded and only OCR confusions remain to repair.
 *
 * OCR repairs made here, each with a penalty:
 *   - O/o read for 0, l/I/| read for 1: only inside a digit run (a digit
 *     directly before or after), never at the start of a word;
 *   - ー ‐ ‑ ‒ – — ― − ─ used as a hyphen (no penalty: the meaning is
 *     certain);
 *   - H read for 日 at the end of a date;
 *   - spaces inside a digit run (joined, penalty).
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

#include "faxintake/normalize.h"

#define NORM_MAXCP	NORM_MAX_INPUT

int
norm_nfkc(const char *in, size_t max, char **ret)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n;
	size_t len;
	char *clean, *p;
	const unsigned char *s;

	if (in == NULL || ret == NULL)
		return -EINVAL;
	len = strlen(in);
	if (len > max)
		return -E2BIG;
	/* Replace invalid UTF-8 first: utf8proc_map refuses it whole. */
	if ((clean = malloc(len * 3 + 1)) == NULL)
		return -ENOMEM;
	p = clean;
	s = (const unsigned char *)in;
	while (*s) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(s, -1, &cp);
		if (k <= 0 || !utf8proc_codepoint_valid(cp)) {
			memcpy(p, "\xef\xbf\xbd", 3);
			p += 3;
			s++;
			continue;
		}
		if (cp == '\r') {		/* CRLF and CR to LF */
			if (s[1] != '\n')
				*p++ = '\n';
			s++;
			continue;
		}
		memcpy(p, s, (size_t)k);
		p += k;
		s += k;
	}
	*p = '\0';
	n = utf8proc_map((const utf8proc_uint8_t *)clean, 0, &out,
	    UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
	    UTF8PROC_COMPAT);
	free(clean);
	if (n < 0)
		return n == UTF8PROC_ERROR_NOMEM ? -ENOMEM : -EINVAL;
	*ret = (char *)out;
	return 0;
}

int
norm_utf8_cps(const char *s, int32_t *cp, size_t max, size_t *n)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t c;
	utf8proc_ssize_t len;

	*n = 0;
	for (; *p; p += len) {
		if ((len = utf8proc_iterate(p, -1, &c)) <= 0)
			return -EILSEQ;
		if (*n >= max)
			return -E2BIG;
		cp[(*n)++] = c;
	}
	return 0;
}

int
norm_cps_utf8(const int32_t *cp, size_t n, char *out, size_t outsz)
{
	utf8proc_uint8_t u[4];
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += (size_t)utf8proc_encode_char(cp[i], u);
	if (k + 1 > outsz)
		return -E2BIG;
	k = 0;
	for (size_t i = 0; i < n; i++)
		k += (size_t)utf8proc_encode_char(cp[i],
		    (utf8proc_uint8_t *)out + k);
	out[k] = '\0';
	return (int)k;
}

/* The NFKC'd input as code points; *n set.  0 or -errno. */
static int
to_cps(const char *in, int32_t *cp, size_t max, size_t *n)
{
	char *s;
	const utf8proc_uint8_t *p;
	size_t k = 0;
	int rc;

	if (strlen(in) > NORM_MAX_INPUT)
		return -E2BIG;
	if ((rc = norm_nfkc(in, NORM_MAX_INPUT, &s)) != 0)
		return rc;
	p = (const utf8proc_uint8_t *)s;
	while (*p && k < max) {
		utf8proc_int32_t c;
		utf8proc_ssize_t len = utf8proc_iterate(p, -1, &c);
		if (len <= 0)
			break;
		cp[k++] = c;
		p += len;
	}
	free(s);
	*n = k;
	return 0;
}

static int
is_space(int32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == 0x3000 ||
	    c == 0xa0;
}

static int
is_digit(int32_t c)
{
	return c >= '0' && c <= '9';
}

/* Characters OCR gives for a hyphen or that writers use as one. */
static int
is_dash(int32_t c)
{
	return c == '-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212 ||
	    c == 0x30fc || c == 0x2500 || c == 0x2501 || c == 0xff70 ||
	    c == 0x207b || c == 0x208b || c == 0xfe63;
}

/* The digit an OCR confusion stands for, or -1. */
static int
confusable_digit(int32_t c)
{
	switch (c) {
	case 'O': case 'o':
		return 0;
	case 'l': case 'I': case '|':
		return 1;
	default:
		return -1;
	}
}

/*
 * Copy cp[0..n) to out without spaces, replacing confusables that sit
 * next to a real digit (after spaces are gone) with the digit.  Adds the
 * penalties to *pen.  Returns the new length.
 */
static size_t
repair_digits(const int32_t *cp, size_t n, int32_t *out, double *pen)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (is_space(cp[i])) {
			/* a space between two digits: joined, but noted */
			if (k > 0 && is_digit(out[k - 1])) {
				size_t j = i + 1;
				while (j < n && is_space(cp[j]))
					j++;
				if (j < n && is_digit(cp[j]))
					*pen += 0.05;
			}
			continue;
		}
		out[k++] = cp[i];
	}
	/* Two passes so that a run like "1O0" and "lO5" both resolve. */
	for (int pass = 0; pass < 2; pass++) {
		for (i = 0; i < k; i++) {
			int d = confusable_digit(out[i]);
			int before, after;
			if (d < 0)
				continue;
			before = i > 0 && is_digit(out[i - 1]);
			after = i + 1 < k && is_digit(out[i + 1]);
			if (before || after) {
				out[i] = '0' + d;
				*pen += 0.1;
			}
		}
	}
	return k;
}

static int
match_str(const int32_t *cp, size_t n, size_t at, const char *utf8)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)utf8;
	size_t k = at;

	while (*p) {
		utf8proc_int32_t c;
		utf8proc_ssize_t len = utf8proc_iterate(p, -1, &c);
		if (len <= 0 || k >= n || cp[k] != c)
			return 0;
		k++;
		p += len;
	}
	return (int)(k - at);
}

static double
cap_penalty(double p)
{
	return p > 0.9 ? 0.9 : p < 0 ? 0 : p;
}

/* --- dates ---------------------------------------------------------- */

int
norm_date_valid(int y, int m, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int leap, max;

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	max = mdays[m - 1] + (m == 2 && leap);
	return d <= max;
}

/* Era table: first day and last day (inclusive; the day an emperor died
 * belongs to both eras).  明治 is counted from 1868-01-01 (DOMAIN.md);
 * dates before 明治6年 were lunar and are not converted exactly. */
static const struct era {
	const char	*name;
	const char	*abbr;		/* one kanji */
	int32_t		 latin;		/* M T S H R */
	int		 y0, m0, d0;	/* first day */
	int		 y1, m1, d1;	/* last day; 0 open */
} eras[] = {
	{ "明治", "明", 'M', 1868, 1, 1, 1912, 7, 30 },
	{ "大正", "大", 'T', 1912, 7, 30, 1926, 12, 25 },
	{ "昭和", "昭", 'S', 1926, 12, 25, 1989, 1, 7 },
	{ "平成", "平", 'H', 1989, 1, 8, 2019, 4, 30 },
	{ "令和", "令", 'R', 2019, 5, 1, 0, 0, 0 },
};
#define NERAS	(sizeof(eras) / sizeof(eras[0]))

int
norm_era_year(int era, int year)
{
	if (era < 0 || era >= (int)NERAS || year < 1 || year > 99)
		return -1;
	return eras[era].y0 + year - 1;
}

static long
date_key(int y, int m, int d)
{
	return (long)y * 10000 + m * 100 + d;
}

static int
era_contains(int era, int y, int m, int d)
{
	const struct era *e = &eras[era];
	long k = date_key(y, m, d);

	if (k < date_key(e->y0, e->m0, e->d0))
		return 0;
	if (e->y1 && k > date_key(e->y1, e->m1, e->d1))
		return 0;
	return 1;
}

/* Read a number of at most maxd digits at *i; -1 if none. */
static int
read_num(const int32_t *cp, size_t n, size_t *i, int maxd)
{
	int v = 0, nd = 0;

	while (*i < n && is_digit(cp[*i])) {
		if (++nd > maxd)
			return -1;
		v = v * 10 + (cp[*i] - '0');
		(*i)++;
	}
	return nd ? v : -1;
}

/* Separator kinds for dates. */
enum sep { SEP_NONE, SEP_KANJI, SEP_DOT, SEP_SLASH, SEP_DASH };

static enum sep
read_sep(const int32_t *cp, size_t n, size_t *i, int32_t kanji)
{
	if (*i >= n)
		return SEP_NONE;
	if (cp[*i] == kanji) {
		(*i)++;
		return SEP_KANJI;
	}
	if (cp[*i] == '.' || cp[*i] == 0x3002 || cp[*i] == ',' ||
	    cp[*i] == 0x30fb) {
		(*i)++;
		return SEP_DOT;
	}
	if (cp[*i] == '/') {
		(*i)++;
		return SEP_SLASH;
	}
	if (is_dash(cp[*i])) {
		(*i)++;
		return SEP_DASH;
	}
	return SEP_NONE;
}

static int	is_kanji_cp(int32_t);

/*
 * What OCR makes of a 日 in a fax: H, B and the kanji of the same box
 * shape.  Only taken after 年 and 月 were read, where nothing else fits.
 */
static int
day_like(int32_t c)
{
	switch (c) {
	case 'H': case 'B':
	case 0x660c: case 0x6676: case 0x7531: case 0x76ee:	/* 昌晶由目 */
	case 0x66f0: case 0x767d: case 0x65e6: case 0x7518:	/* 曰白旦甘 */
	case 0x53e3: case 0x7530:				/* 口田 */
		return 1;
	default:
		return 0;
	}
}

/*
 * What may follow a date: nothing, 生, 生まれ, an age in brackets.  After
 * a 日 (hi) the date has ended for sure: whatever follows on the line
 * (性別 男, the next cell of a table) is another item, allowed with a
 * small penalty for the uncertain end of the value.
 */
static int
date_tail_ok(const int32_t *cp, size_t n, size_t i, int hi, double *pen)
{
	size_t k;

	if (i < n && cp[i] == 0x751f) {			/* 生 */
		i++;
		if ((k = match_str(cp, n, i, "まれ")) > 0)
			i += k;
	}
	if (i < n && (cp[i] == '(' || cp[i] == 0xff08)) {
		size_t j;
		int age = 0;
		for (j = i + 1; j < n; j++)
			if (cp[j] == 0x6b73)		/* 歳 */
				age = 1;
			else if (cp[j] == ')' || cp[j] == 0xff09)
				break;
		if (age)
			i = j < n ? j + 1 : j;
	}
	if (i < n && hi) {
		*pen += 0.05;
		return 1;
	}
	return i >= n;
}

/*
 * A date as an English letter writes it: "October 12, 1952", "Oct. 12
 * 1952", "12 October 1952" (spaces may be lost).  0 and y/m/d set, or
 * -1.  The month by its first three letters, any case.
 */
static int
date_english(const char *s, int *y, int *m, int *d)
{
	static const char *const mon[] = { "jan", "feb", "mar", "apr", "may",
	    "jun", "jul", "aug", "sep", "oct", "nov", "dec" };
	const char *p = s, *w = NULL;
	int day = -1, mo = -1, yr = -1;

	/* the month: the first run of 3+ letters that starts a month */
	for (; *p && mo < 0; p++) {
		if (!isalpha((unsigned char)*p) || (p > s &&
		    isalpha((unsigned char)p[-1])))
			continue;
		for (int i = 0; i < 12; i++)
			if (strncasecmp(p, mon[i], 3) == 0) {
				mo = i + 1;
				w = p;
			}
	}
	if (mo < 0)
		return -1;
	/* a day before the month ("12 October") */
	{
		const char *q = w;
		while (q > s && q[-1] == ' ')
			q--;
		if (q > s && isdigit((unsigned char)q[-1])) {
			const char *b = q;
			while (b > s && isdigit((unsigned char)b[-1]))
				b--;
			if (q - b <= 2)
				day = atoi(b);
		}
	}
	p = w;
	while (isalpha((unsigned char)*p) || *p == '.')
		p++;
	while (*p == ' ')
		p++;
	if (day < 0) {
		if (!isdigit((unsigned char)*p))
			return -1;
		day = 0;
		for (int k = 0; k < 2 && isdigit((unsigned char)*p); k++)
			day = day * 10 + (*p++ - '0');
		if (isdigit((unsigned char)*p))
			return -1;
		while (*p == ',' || *p == '.' || *p == ' ')
			p++;
	}
	if (!isdigit((unsigned char)*p))
		return -1;
	yr = 0;
	for (int k = 0; k < 4; k++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		yr = yr * 10 + (*p++ - '0');
	}
	if (isdigit((unsigned char)*p) || yr < 1868 || yr > 2199 ||
	    !norm_date_valid(yr, mo, day))
		return -1;
	*y = yr;
	*m = mo;
	*d = day;
	return 0;
}

int
norm_date(const char *in, char *out, size_t outsz, double *penalty)
{
	int32_t *raw, *cp;
	size_t n, i = 0, k;
	int era = -1, y, m, d, rc, gannen = 0, hi = 0;
	enum sep s1, s2;
	double pen = 0;

	if (in == NULL || out == NULL || penalty == NULL)
		return -EINVAL;
	if (outsz < NORM_DATE_LEN)
		return -E2BIG;
	if (date_english(in, &y, &m, &d) == 0) {
		snprintf(out, outsz, "%04d-%02d-%02d", y, m, d);
		*penalty = 0;
		return 0;
	}
	if ((raw = calloc(NORM_MAXCP, sizeof(*raw))) == NULL)
		return -ENOMEM;
	if ((cp = calloc(NORM_MAXCP, sizeof(*cp))) == NULL) {
		free(raw);
		return -ENOMEM;
	}
	if ((rc = to_cps(in, raw, NORM_MAXCP, &n)) != 0)
		goto done;
	/* OCR debris before the date: a colon, a full stop, a table rule
	 * (a rule before four digits: a 1 there would make five) */
	for (k = 0; k < n; k++) {
		size_t nd = 0;
		if (raw[k] == ':' || raw[k] == 0xff1a || raw[k] == 0x3002 ||
		    raw[k] == 0x3001 || raw[k] == ',' || raw[k] == '.' ||
		    raw[k] == '\'' || raw[k] == '!' || raw[k] == '_' ||
		    is_space(raw[k]))
			continue;
		/* the label's 日 misread and apart (生年月四 。 S27.6.4) */
		if (k + 1 < n && (day_like(raw[k]) || raw[k] == 0x56db) &&
		    (is_space(raw[k + 1]) || raw[k + 1] == 0x3002)) {
			pen += 0.1;
			continue;
		}
		while (k + 1 + nd < n && is_digit(raw[k + 1 + nd]))
			nd++;
		if (nd != 4 || (raw[k] != '|' && raw[k] != '1'))
			break;
		if (raw[k] == '1')
			pen += 0.1;	/* the rule read as 1: 11952/06/04 */
	}
	n = repair_digits(raw + k, n - k, cp, &pen);
	rc = NORM_INVALID;

	/* S of 昭和 read 5 (527.6.4): no year has three digits */
	if (n > 5 && cp[0] == '5' && is_digit(cp[1]) && is_digit(cp[2]) &&
	    cp[3] == '.' && is_digit(cp[4])) {
		cp[0] = 'S';
		pen += 0.2;
	}
	/* The era: full name, one kanji, or a Latin letter. */
	for (size_t e = 0; e < NERAS && era < 0; e++) {
		if ((k = match_str(cp, n, i, eras[e].name)) > 0 ||
		    (k = match_str(cp, n, i, eras[e].abbr)) > 0) {
			era = (int)e;
			i += k;
		} else if (i < n && (cp[i] == eras[e].latin ||
		    cp[i] == eras[e].latin + 32) && i + 1 < n &&
		    (is_digit(cp[i + 1]) || cp[i + 1] == '.' ||
		    cp[i + 1] == 0x5143)) {
			era = (int)e;
			i++;
		}
	}
	if (era >= 0 && i < n && cp[i] == '.')
		i++;
	if (era >= 0 && i < n && cp[i] == 0x5143) {	/* 元 */
		y = 1;
		gannen = 1;
		i++;
	} else if ((y = read_num(cp, n, &i, era >= 0 ? 2 : 4)) < 0)
		goto done;
	if ((s1 = read_sep(cp, n, &i, 0x5e74)) == SEP_NONE)	/* 年 */
		goto done;
	if (gannen && s1 != SEP_KANJI)
		goto done;
	if ((m = read_num(cp, n, &i, 2)) < 0)
		goto done;
	if ((s2 = read_sep(cp, n, &i, 0x6708)) == SEP_NONE)	/* 月 */
		goto done;
	if (s2 == SEP_KANJI && i + 2 < n && is_digit(cp[i]) &&
	    is_digit(cp[i + 1]) && cp[i + 2] == '1' && (i + 3 == n ||
	    cp[i + 3] == '!' || cp[i + 3] == '|' || cp[i + 3] == 'I' ||
	    cp[i + 3] == ']')) {
		/* 日 read as 1, 1! or 1| after a two-digit day (151!) */
		d = (cp[i] - '0') * 10 + (cp[i + 1] - '0');
		i += i + 3 < n ? 4 : 3;
		hi = 1;
		pen += 0.2;
	} else if ((d = read_num(cp, n, &i, 2)) < 0)
		goto done;
	else if (i < n && cp[i] == 0x65e5) {			/* 日 */
		i++;
		hi = 1;
	} else if (i < n && s2 == SEP_KANJI && day_like(cp[i])) {
		i++;			/* 日 misread as H, 昌, 由 ... */
		hi = 1;
		pen += 0.15;
	} else if (i < n && s2 == SEP_KANJI && is_kanji_cp(cp[i]) &&
	    cp[i] != 0x6b73 && cp[i] != 0x751f && (i + 1 == n ||
	    cp[i + 1] == '(' || is_space(cp[i + 1]))) {
		i++;			/* 日 as any kanji (21斬), not 歳 生 */
		hi = 1;
		pen += 0.25;
	} else if (s2 == SEP_KANJI)
		pen += 0.1;		/* 日 missing */
	if (s1 != s2) {
		/* 2026年11/20: mixed; both readings agree, but unusual */
		if (!(s1 == SEP_KANJI && s2 == SEP_KANJI))
			pen += 0.1;
	}
	if (!date_tail_ok(cp, n, i, hi, &pen))
		goto done;
	if (era >= 0) {
		if (y < 1 || y > 99)
			goto done;
		y = norm_era_year(era, y);
		if (!norm_date_valid(y, m, d) || !era_contains(era, y, m, d))
			goto done;
	} else {
		if (y < 1868 || y > 2199 || !norm_date_valid(y, m, d))
			goto done;
	}
	snprintf(out, outsz, "%04d-%02d-%02d", y, m, d);
	*penalty = cap_penalty(pen);
	rc = 0;
done:
	free(raw);
	free(cp);
	return rc;
}

/* --- phone numbers ------------------------------------------------------ */

/*
 * Area codes (市外局番, with the leading 0) by longest prefix of the
 * 10-digit number.  The numbering plan assigns codes by the first 5-6
 * digits; this table encodes every area code of the seed hospitals and
 * DOMAIN.md, the big cities, and the 4- and 5-digit codes that share a
 * prefix with a 3-digit city code.  Limits: a number whose prefix is not
 * here is grouped as its writer grouped it (small penalty), or, when it
 * was written without separators, as 0XXX-XX-XXXX with a large penalty;
 * the digits themselves are never changed.
 */
static const struct area {
	const char	*prefix;
	int		 len;
} areas[] = {
	{ "03", 2 }, { "06", 2 },
	/* 北海道: 01 codes are 4 digits except 札幌 and the 5-digit ones */
	{ "01", 4 }, { "011", 3 },
	{ "01267", 5 }, { "01372", 5 }, { "01374", 5 }, { "01377", 5 },
	{ "01392", 5 }, { "01397", 5 }, { "01398", 5 }, { "01456", 5 },
	{ "01457", 5 }, { "01466", 5 }, { "01547", 5 }, { "01558", 5 },
	{ "01564", 5 }, { "01586", 5 }, { "01587", 5 }, { "01632", 5 },
	{ "01634", 5 }, { "01635", 5 }, { "01648", 5 }, { "01654", 5 },
	{ "01655", 5 }, { "01656", 5 }, { "01658", 5 },
	/* 東北 */
	{ "017", 4 }, { "0177", 3 }, { "018", 4 }, { "0188", 3 },
	{ "019", 4 }, { "0196", 3 },
	{ "022", 3 }, { "0220", 4 }, { "0223", 4 }, { "0224", 4 },
	{ "0225", 4 }, { "0226", 4 }, { "0228", 4 }, { "0229", 4 },
	{ "023", 3 }, { "0233", 4 }, { "0234", 4 }, { "0235", 4 },
	{ "0237", 4 }, { "0238", 4 },
	{ "024", 3 }, { "0240", 4 }, { "0241", 4 }, { "0242", 4 },
	{ "0243", 4 }, { "0244", 4 }, { "0246", 4 }, { "0247", 4 },
	{ "0248", 4 },
	{ "025", 3 }, { "0250", 4 }, { "0254", 4 }, { "0255", 4 },
	{ "0256", 4 }, { "0257", 4 }, { "0258", 4 }, { "0259", 4 },
	{ "026", 3 }, { "0260", 4 }, { "0261", 4 }, { "0263", 4 },
	{ "0264", 4 }, { "0265", 4 }, { "0266", 4 }, { "0267", 4 },
	{ "0268", 4 }, { "0269", 4 },
	{ "027", 3 }, { "0270", 4 }, { "0274", 4 }, { "0276", 4 },
	{ "0277", 4 }, { "0278", 4 }, { "0279", 4 },
	{ "028", 3 }, { "0280", 4 }, { "0282", 4 }, { "0283", 4 },
	{ "0284", 4 }, { "0285", 4 }, { "0287", 4 }, { "0288", 4 },
	{ "0289", 4 },
	{ "029", 3 }, { "0291", 4 }, { "0293", 4 }, { "0294", 4 },
	{ "0295", 4 }, { "0296", 4 }, { "0297", 4 }, { "0299", 4 },
	/* 関東 */
	{ "042", 3 }, { "0429", 2 },
	{ "043", 3 }, { "0436", 4 }, { "0438", 4 }, { "0439", 4 },
	{ "044", 3 }, { "045", 3 },
	{ "046", 3 }, { "0460", 4 }, { "0463", 4 }, { "0465", 4 },
	{ "0466", 4 }, { "0467", 4 },
	{ "047", 3 }, { "0470", 4 }, { "04709", 2 }, { "0471", 2 },
	{ "0475", 4 }, { "0476", 4 }, { "0478", 4 }, { "0479", 4 },
	{ "048", 3 }, { "0480", 4 },
	{ "049", 3 }, { "0493", 4 }, { "0494", 4 }, { "0495", 4 },
	/* 中部 */
	{ "052", 3 },
	{ "053", 3 }, { "0531", 4 }, { "0532", 4 }, { "0533", 4 },
	{ "0536", 4 }, { "0537", 4 }, { "0538", 4 }, { "0539", 4 },
	{ "054", 3 }, { "0544", 4 }, { "0545", 4 }, { "0547", 4 },
	{ "0548", 4 },
	{ "055", 3 }, { "0550", 4 }, { "0551", 4 }, { "0553", 4 },
	{ "0554", 4 }, { "0555", 4 }, { "0556", 4 }, { "0557", 4 },
	{ "0558", 4 },
	{ "056", 4 }, { "057", 4 },
	{ "058", 3 }, { "0581", 4 }, { "0584", 4 }, { "0585", 4 },
	{ "0586", 4 }, { "0587", 4 },
	{ "059", 3 }, { "0594", 4 }, { "0595", 4 }, { "0596", 4 },
	{ "0597", 4 }, { "0598", 4 }, { "0599", 4 },
	/* 近畿 */
	{ "072", 3 }, { "0721", 4 }, { "0725", 4 },
	{ "073", 3 }, { "0735", 4 }, { "0736", 4 }, { "0737", 4 },
	{ "0738", 4 }, { "0739", 4 },
	{ "074", 4 }, { "075", 3 },
	{ "076", 3 }, { "0761", 4 }, { "0763", 4 }, { "0765", 4 },
	{ "0766", 4 }, { "0767", 4 }, { "0768", 4 },
	{ "077", 3 }, { "0770", 4 }, { "0771", 4 }, { "0772", 4 },
	{ "0773", 4 }, { "0774", 4 }, { "0776", 4 }, { "0778", 4 },
	{ "0779", 4 },
	{ "078", 3 },
	{ "079", 3 }, { "0790", 4 }, { "0791", 4 }, { "0794", 4 },
	{ "0795", 4 }, { "0796", 4 }, { "0797", 4 }, { "0798", 4 },
	{ "0799", 4 },
	/* 中国・四国 */
	{ "082", 3 }, { "0820", 4 }, { "0823", 4 }, { "0824", 4 },
	{ "0826", 4 }, { "0827", 4 }, { "0829", 4 },
	{ "083", 3 }, { "0833", 4 }, { "0834", 4 }, { "0835", 4 },
	{ "0836", 4 }, { "0837", 4 }, { "0838", 4 },
	{ "084", 3 }, { "0845", 4 }, { "0846", 4 }, { "0847", 4 },
	{ "0848", 4 },
	{ "085", 4 },
	{ "086", 3 }, { "0863", 4 }, { "0865", 4 }, { "0866", 4 },
	{ "0867", 4 }, { "0868", 4 }, { "0869", 4 },
	{ "087", 3 }, { "0875", 4 }, { "0877", 4 }, { "0879", 4 },
	{ "088", 3 }, { "0880", 4 }, { "0883", 4 }, { "0884", 4 },
	{ "0885", 4 }, { "0887", 4 }, { "0889", 4 },
	{ "089", 3 }, { "0892", 4 }, { "0893", 4 }, { "0894", 4 },
	{ "0895", 4 }, { "0896", 4 }, { "0897", 4 }, { "0898", 4 },
	/* 九州・沖縄 */
	{ "092", 3 }, { "093", 3 }, { "0930", 4 }, { "094", 4 },
	{ "095", 3 }, { "0950", 4 }, { "0952", 4 }, { "0954", 4 },
	{ "0955", 4 }, { "0956", 4 }, { "0957", 4 }, { "0959", 4 },
	{ "096", 3 }, { "0964", 4 }, { "0965", 4 }, { "0966", 4 },
	{ "0967", 4 }, { "0968", 4 }, { "0969", 4 },
	{ "097", 3 }, { "0972", 4 }, { "0973", 4 }, { "0974", 4 },
	{ "0977", 4 }, { "0978", 4 }, { "0979", 4 },
	{ "098", 3 }, { "0980", 4 }, { "0982", 4 }, { "0983", 4 },
	{ "0984", 4 }, { "0985", 4 }, { "0986", 4 }, { "0987", 4 },
	{ "099", 3 }, { "0993", 4 }, { "0994", 4 }, { "0995", 4 },
	{ "0996", 4 }, { "0997", 4 },
};

static int
area_len(const char *digits)
{
	size_t i, best = 0;
	int len = 0;

	for (i = 0; i < sizeof(areas) / sizeof(areas[0]); i++) {
		size_t pl = strlen(areas[i].prefix);
		if (pl > best && strncmp(digits, areas[i].prefix, pl) == 0) {
			best = pl;
			len = areas[i].len;
		}
	}
	return len;
}

/* Skip a leading label: TEL FAX 電話 電話番号 携帯 ℡(NFKC: TEL) ':' */
static size_t
skip_phone_label(const int32_t *cp, size_t n)
{
	static const char *labels[] = { "電話番号", "電話", "携帯", "TEL",
	    "Tel", "tel", "FAX", "Fax", "fax", "Fax.", "TEL.", "FAX.",
	    "Tel.", "番号", "直通", "代表" };
	size_t i = 0, k, j;
	int again = 1;

	while (again) {
		again = 0;
		while (i < n && (is_space(cp[i]) || cp[i] == ':' ||
		    cp[i] == '.'))
			i++;
		for (j = 0; j < sizeof(labels) / sizeof(labels[0]); j++)
			if ((k = match_str(cp, n, i, labels[j])) > 0) {
				i += k;
				again = 1;
				break;
			}
	}
	return i;
}

/* Where an extension marker starts (n if none); *after: its digits. */
static size_t
find_ext(const int32_t *cp, size_t n, size_t *after)
{
	static const char *marks[] = { "内線", "(内)", "(内線)", "ext.",
	    "Ext.", "EXT.", "ext", "EXT", "Ext", "内" };
	size_t i, j, k;

	for (i = 0; i < n; i++)
		for (j = 0; j < sizeof(marks) / sizeof(marks[0]); j++)
			if ((k = match_str(cp, n, i, marks[j])) > 0) {
				*after = i + k;
				return i;
			}
	return n;
}

static int
group(char *out, size_t outsz, const char *dg, int a, int b)
{
	size_t len = strlen(dg);
	int c = (int)len - a - b;

	if (c <= 0 || len + 3 > outsz)
		return -E2BIG;
	snprintf(out, outsz, "%.*s-%.*s-%s", a, dg, b, dg + a, dg + a + b);
	return 0;
}

int
norm_phone(const char *in, char *out, size_t outsz, char *ext,
    size_t extsz, double *penalty)
{
	int32_t *raw, *cp;
	size_t n, i, end, extat, k;
	char dg[32], ex[NORM_EXT_LEN];
	int nd = 0, ng = 0, glen[8] = { 0 }, rc, a, wa;
	int ingroup = 0;
	double pen = 0;

	if (in == NULL || out == NULL || penalty == NULL)
		return -EINVAL;
	if (outsz < NORM_PHONE_LEN || (ext && extsz < NORM_EXT_LEN))
		return -E2BIG;
	if ((raw = calloc(NORM_MAXCP, sizeof(*raw))) == NULL)
		return -ENOMEM;
	if ((cp = calloc(NORM_MAXCP, sizeof(*cp))) == NULL) {
		free(raw);
		return -ENOMEM;
	}
	if ((rc = to_cps(in, raw, NORM_MAXCP, &n)) != 0)
		goto done;
	rc = NORM_INVALID;
	/* Keep spaces as separators here: copy, repairing confusables. */
	i = skip_phone_label(raw, n);
	/* what is left of a misread label (FAX番号 read FAX番お, 希り):
	 * up to three Japanese letters before the first digit */
	for (k = i; k < n && k - i < 3 && raw[k] >= 0x3000; k++)
		;
	if (k > i && k < n && (is_digit(raw[k]) || raw[k] == '(')) {
		i = k;
		pen += 0.1;
	}
	memmove(raw, raw + i, (n - i) * sizeof(*raw));
	n -= i;
	/* The international form a fax machine's TSI often uses:
	 * +81 3 9970 1409 is 03-9970-1409. */
	if (n > 3 && raw[0] == '+' && raw[1] == '8' && raw[2] == '1') {
		for (i = 3; i < n && (raw[i] == ' ' || raw[i] == '-'); i++)
			;
		raw[i - 1] = '0';
		memmove(raw, raw + i - 1, (n - i + 1) * sizeof(*raw));
		n -= i - 1;
	}
	memcpy(cp, raw, n * sizeof(*cp));
	/* two passes: "OI44" is 0144 */
	for (int pass = 0; pass < 2; pass++)
		for (i = 0; i < n; i++) {
			int d = confusable_digit(cp[i]);
			if (d >= 0 && ((i > 0 && is_digit(cp[i - 1])) ||
			    (i + 1 < n && is_digit(cp[i + 1])))) {
				cp[i] = '0' + d;
				pen += 0.1;
			}
		}
	/* Extension. */
	ex[0] = '\0';
	extat = find_ext(cp, n, &k);
	if (extat < n) {
		size_t e = 0;
		while (k < n && (is_space(cp[k]) || cp[k] == ':' ||
		    is_dash(cp[k])))
			k++;
		while (k < n && is_digit(cp[k]) && e + 1 < sizeof(ex))
			ex[e++] = (char)cp[k++];
		ex[e] = '\0';
		if (e == 0 || (k < n && is_digit(cp[k])))
			goto done;
		while (k < n && (is_space(cp[k]) || cp[k] == ')'))
			k++;
		if (k < n)
			pen += 0.05;	/* something after the extension */
	}
	end = extat;
	/* Main number: digits with separators. */
	for (i = 0; i < end; i++) {
		int32_t c = cp[i];
		if (is_digit(c)) {
			if (nd + 1 >= (int)sizeof(dg))
				goto done;
			dg[nd++] = (char)c;
			if (!ingroup) {
				if (ng == 8)
					goto done;
				ng++;
				ingroup = 1;
			}
			glen[ng - 1]++;
			continue;
		}
		if (is_dash(c) || is_space(c) || c == '(' || c == ')' ||
		    c == '.') {
			ingroup = 0;
			continue;
		}
		/* 一 (kanji one) for a hyphen between digits: OCR's usual
		 * reading of a thin dash in Mincho */
		if (c == 0x4e00 && i > 0 && i + 1 < end &&
		    is_digit(cp[i - 1]) && is_digit(cp[i + 1])) {
			ingroup = 0;
			pen += 0.05;
			continue;
		}
		break;
	}
	/* Anything left before the extension must hold no digit. */
	for (; i < end; i++)
		if (is_digit(cp[i]))
			goto done;
	dg[nd] = '\0';
	/* Every number starts with 0: a handwritten 0 read as 9 or 6, or
	 * lost, before a known area code is that 0 (weakly). */
	if (nd == 10 && (dg[0] == '9' || dg[0] == '6')) {
		char t[32];
		snprintf(t, sizeof(t), "0%s", dg + 1);
		if (t[1] != '0' && area_len(t) > 0) {
			dg[0] = '0';
			pen += 0.3;
		}
	} else if (nd == 9 && dg[0] != '0') {
		char t[sizeof(dg) + 1];
		snprintf(t, sizeof(t), "0%s", dg);
		if (area_len(t) > 0) {
			memmove(dg + 1, dg, (size_t)nd + 1);
			dg[0] = '0';
			nd++;
			if (ng > 0)
				glen[0]++;
			pen += 0.35;
		}
	}
	/* the 0 read twice (O045-824-4982: the O of a FAX label, or a
	 * ring read as O and 0): one, weakly */
	if (nd == 11 && dg[0] == '0' && dg[1] == '0' && dg[2] != '0' &&
	    area_len(dg + 1) > 0) {
		memmove(dg, dg + 1, (size_t)nd);
		nd--;
		if (ng > 0 && glen[0] > 1)
			glen[0]--;
		pen += 0.3;
	}
	if (nd == 0 || dg[0] != '0')
		goto done;
	wa = ng == 3 ? glen[0] : 0;	/* the writer's area code length */
	if (nd == 11 && (strncmp(dg, "090", 3) == 0 ||
	    strncmp(dg, "080", 3) == 0 || strncmp(dg, "070", 3) == 0 ||
	    strncmp(dg, "060", 3) == 0 || strncmp(dg, "050", 3) == 0))
		rc = group(out, outsz, dg, 3, 4);
	else if (nd == 11 && strncmp(dg, "0800", 4) == 0)
		rc = group(out, outsz, dg, 4, 3);
	else if (nd == 10 && (strncmp(dg, "0120", 4) == 0 ||
	    strncmp(dg, "0570", 4) == 0)) {
		/* 0120-XXX-XXX is the standard; 0120-XX-XXXX is common */
		if (ng == 3 && glen[0] == 4 && glen[1] == 2)
			rc = group(out, outsz, dg, 4, 2);
		else
			rc = group(out, outsz, dg, 4, 3);
	} else if (nd == 10 && dg[1] != '0' && strncmp(dg, "050", 3) != 0) {
		if (wa >= 2 && wa <= 5 && glen[2] == 4) {
			/* the writer's grouping (市外局番 + 市内局番 = 6
			 * digits) is the number's own: 046-799 and 0467-99
			 * are both real */
			a = area_len(dg);
			if (a != wa)	/* not in the table, or another */
				pen += 0.05;
			rc = group(out, outsz, dg, wa, 6 - wa);
		} else if ((a = area_len(dg)) > 0) {
			rc = group(out, outsz, dg, a, 6 - a);
		} else if (wa >= 2 && wa <= 5 && glen[2] == 4) {
			pen += 0.05;
			rc = group(out, outsz, dg, wa, 6 - wa);
		} else {
			pen += 0.3;	/* digits sure, grouping not */
			rc = group(out, outsz, dg, 4, 2);
		}
	} else
		goto done;
	if (rc != 0)
		goto done;
	if (ng > 1) {
		/* the writer grouped differently: a separator may be noise */
		char wr[40];
		size_t o = 0;
		int g;
		for (g = 0, k = 0; g < ng && g < 8; g++) {
			if (g)
				wr[o++] = '-';
			memcpy(wr + o, dg + k, (size_t)glen[g]);
			o += (size_t)glen[g];
			k += (size_t)glen[g];
		}
		wr[o] = '\0';
		if (strcmp(wr, out) != 0)
			pen += 0.05;
	}
	if (ext)
		snprintf(ext, extsz, "%s", ex);
	*penalty = cap_penalty(pen);
done:
	free(raw);
	free(cp);
	return rc;
}

int
norm_phone_digits(const char *in, char *out, size_t outsz)
{
	size_t k = 0;

	if (in == NULL || out == NULL || outsz < NORM_PHONE_LEN)
		return -EINVAL;
	in += strspn(in, " ");
	if (strncmp(in, "+81", 3) == 0) {	/* +81 3 … is 03 … */
		out[k++] = '0';
		in += 3;
	}
	for (; *in; in++)
		if (*in >= '0' && *in <= '9') {
			if (k + 1 >= outsz)
				return -E2BIG;
			out[k++] = *in;
		}
	out[k] = '\0';
	return 0;
}

/* --- names -------------------------------------------------------------- */

static int
is_name_char(int32_t c)
{
	if (c >= 0x3040 && c <= 0x30ff)		/* kana, ー, ・ */
		return 1;
	if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) ||
	    (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x2ffff))
		return 1;
	if (c == 0x3005 || c == 0x30f5 || c == 0x30f6)	/* 々 ヵ ヶ */
		return 1;
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '\'' ||
	    c == '.' || c == '-')
		return 1;
	return 0;
}

static int
is_kanji_cp(int32_t c)
{
	return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) ||
	    (c >= 0xf900 && c <= 0xfaff) || c == 0x3005;
}

/* A letter of a name written in Japanese (kanji, kana, 々 ヵ ヶ). */
static int
is_cjk_name(int32_t c)
{
	return is_name_char(c) && c >= 0x3000 && c != 0x30fb && c != 0x30fc;
}

static int
is_kana(int32_t c)
{
	return c >= 0x3041 && c <= 0x30fa;
}

static int
is_latin(int32_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/*
 * An English letter writes "Misaki DOMEKI": the given name, then the
 * family name in capitals.  DESIGN.md's order is 姓 名: "Domeki Misaki".
 * Only that pattern (two words, the second all capitals, the first not)
 * is rewritten, in place (same length).
 */
static void
latin_family_first(char *s)
{
	char a[64], b[64], *sp = strchr(s, ' ');
	size_t al, bl, i;
	int caps = 1, lower = 0;

	if (sp == NULL || strchr(sp + 1, ' ') != NULL)
		return;
	al = (size_t)(sp - s);
	bl = strlen(sp + 1);
	if (al < 2 || bl < 2 || al >= sizeof(a) || bl >= sizeof(b))
		return;
	for (i = 0; i < al + 1 + bl; i++)
		if (i != al && !isalpha((unsigned char)s[i]))
			return;
	for (i = 0; i < bl; i++)
		caps &= isupper((unsigned char)sp[1 + i]) != 0;
	for (i = 1; i < al; i++)
		lower |= islower((unsigned char)s[i]) != 0;
	if (!caps || !lower)
		return;
	memcpy(a, s, al);
	a[al] = '\0';
	for (i = 0; i < bl; i++)
		b[i] = (char)(i ? tolower((unsigned char)sp[1 + i]) :
		    sp[1 + i]);
	b[bl] = '\0';
	snprintf(s, al + bl + 2, "%s %s", b, a);
}

int
norm_name(const char *in, char *out, size_t outsz, double *penalty)
{
	static const char *honor[] = { "様方", "御中", "さま", "さん", "くん",
	    "ちゃん", "様", "殿", "君" };
	int32_t *cp;
	size_t n, i, j, k, start, end;
	int nspace = 0, latin = 0, rc;
	double pen = 0;
	char buf[NORM_NAME_LEN * 2];
	size_t bl = 0;

	if (in == NULL || out == NULL || penalty == NULL || outsz == 0)
		return -EINVAL;
	if ((cp = calloc(NORM_MAXCP, sizeof(*cp))) == NULL)
		return -ENOMEM;
	if ((rc = to_cps(in, cp, NORM_MAXCP, &n)) != 0)
		goto done;
	rc = NORM_INVALID;
	start = 0;
	end = n;
	while (start < end && (is_space(cp[start]) || cp[start] == ':'))
		start++;
	/* A written (CJK) name does not begin or end with ASCII: what is
	 * there is a form's rule or a fax streak read as |, ], 1 or -. */
	while (end > start && is_space(cp[end - 1]))
		end--;
	for (i = start; i < end && !is_cjk_name(cp[i]); i++)
		;
	if (i < end) {
		size_t s0 = start, e0 = end;
		while (start < end && !is_cjk_name(cp[start]))
			start++;
		/* マリー keeps its ー; 清ー has a rule */
		while (end > start && !is_cjk_name(cp[end - 1]) &&
		    !(cp[end - 1] == 0x30fc && end - 1 > start &&
		    is_kana(cp[end - 2])))
			end--;
		if (start != s0 || end != e0)
			pen += 0.1;
	}
	for (;;) {
		int cut = 0;
		while (end > start && is_space(cp[end - 1]))
			end--;
		for (j = 0; j < sizeof(honor) / sizeof(honor[0]); j++) {
			size_t hl = strlen(honor[j]) / 3;	/* all 3-byte */
			if (end - start >= hl &&
			    match_str(cp, end, end - hl, honor[j]) > 0) {
				end -= hl;
				cut = 1;
				break;
			}
		}
		if (!cut)
			break;
	}
	if (start == end)
		goto done;
	/* A katakana letter OCR gives for the kanji of the same shape,
	 * after a kanji: 浩ニ is 浩二, 健ー郎 is 健一郎 */
	for (i = start + 1; i < end; i++) {
		static const int32_t look[][2] = { { 0x30cb, 0x4e8c },	/* ニ二 */
		    { 0x30fc, 0x4e00 }, { 0x30ed, 0x53e3 },	/* ー一 ロ口 */
		    { 0x30a8, 0x5de5 }, { 0x30ab, 0x529b },	/* エ工 カ力 */
		    { 0x30bf, 0x5915 }, { 0x30cf, 0x516b } };	/* タ夕 ハ八 */
		if (!is_kanji_cp(cp[i - 1]) || (i + 1 < end &&
		    !is_kanji_cp(cp[i + 1]) && !is_space(cp[i + 1])))
			continue;
		for (j = 0; j < sizeof(look) / sizeof(look[0]); j++)
			if (cp[i] == look[j][0]) {
				cp[i] = look[j][1];
				pen += 0.05;
			}
	}
	/* Check characters; count separator runs. */
	for (i = start; i < end; i++) {
		if (is_space(cp[i])) {
			if (!is_space(cp[i - 1]))
				nspace++;
			continue;
		}
		if (!is_name_char(cp[i]))
			goto done;
		if (is_latin(cp[i]))
			latin = 1;
	}
	if (end - start > 64)
		goto done;
	if (nspace == 0 && !latin)
		pen += 0.05;		/* 姓/名 split unknown */
	else if (nspace > 1 && !latin)
		pen += 0.2;		/* stray spaces: joined */
	for (i = start; i < end; i++) {
		utf8proc_uint8_t u[4];
		utf8proc_ssize_t ul;
		if (is_space(cp[i])) {
			if (is_space(cp[i - 1]))
				continue;
			if (nspace > 1 && !latin)
				continue;
			buf[bl++] = ' ';
			continue;
		}
		ul = utf8proc_encode_char(cp[i], u);
		if (bl + (size_t)ul + 1 >= sizeof(buf))
			goto done;
		for (k = 0; k < (size_t)ul; k++)
			buf[bl++] = (char)u[k];
	}
	buf[bl] = '\0';
	latin_family_first(buf);
	if (bl + 1 > outsz) {
		rc = -E2BIG;
		goto done;
	}
	memcpy(out, buf, bl + 1);
	*penalty = cap_penalty(pen);
	rc = 0;
done:
	free(cp);
	return rc;
}

/* --- relationships ---------------------------------------------------- */

static const char *rel_names[] = { "self", "spouse", "parent", "child",
    "sibling", "grandparent", "grandchild", "other_relative",
    "non_relative" };

const char *
norm_rel_name(enum norm_rel r)
{
	if ((unsigned)r >= sizeof(rel_names) / sizeof(rel_names[0]))
		return NULL;
	return rel_names[r];
}

/* Longest words first so that 義父 is not read as 父, 子の配偶者 not as
 * 配偶者, 祖父 not as 父. */
static const struct rel_word {
	const char	*word;
	enum norm_rel	 rel;
} rel_words[] = {
	{ "子の配偶者", NORM_REL_OTHER_RELATIVE },
	{ "兄弟姉妹", NORM_REL_SIBLING },
	{ "ひ孫", NORM_REL_OTHER_RELATIVE }, { "曾孫", NORM_REL_OTHER_RELATIVE },
	{ "患者本人", NORM_REL_SELF }, { "ご本人", NORM_REL_SELF },
	{ "本人", NORM_REL_SELF },
	{ "配偶者", NORM_REL_SPOUSE }, { "ご主人", NORM_REL_SPOUSE },
	{ "主人", NORM_REL_SPOUSE }, { "夫人", NORM_REL_SPOUSE },
	{ "家内", NORM_REL_SPOUSE }, { "妻", NORM_REL_SPOUSE },
	{ "夫", NORM_REL_SPOUSE },
	{ "義父", NORM_REL_OTHER_RELATIVE }, { "義母", NORM_REL_OTHER_RELATIVE },
	{ "義兄", NORM_REL_OTHER_RELATIVE }, { "義姉", NORM_REL_OTHER_RELATIVE },
	{ "義弟", NORM_REL_OTHER_RELATIVE }, { "義妹", NORM_REL_OTHER_RELATIVE },
	{ "祖父母", NORM_REL_GRANDPARENT }, { "祖父", NORM_REL_GRANDPARENT },
	{ "祖母", NORM_REL_GRANDPARENT },
	{ "父親", NORM_REL_PARENT }, { "母親", NORM_REL_PARENT },
	{ "両親", NORM_REL_PARENT }, { "父母", NORM_REL_PARENT },
	{ "親", NORM_REL_PARENT }, { "父", NORM_REL_PARENT },
	{ "母", NORM_REL_PARENT },
	{ "長男", NORM_REL_CHILD }, { "次男", NORM_REL_CHILD },
	{ "三男", NORM_REL_CHILD }, { "長女", NORM_REL_CHILD },
	{ "次女", NORM_REL_CHILD }, { "三女", NORM_REL_CHILD },
	{ "息子", NORM_REL_CHILD }, { "娘", NORM_REL_CHILD },
	{ "子供", NORM_REL_CHILD }, { "子ども", NORM_REL_CHILD },
	{ "孫", NORM_REL_GRANDCHILD },
	{ "兄弟", NORM_REL_SIBLING }, { "姉妹", NORM_REL_SIBLING },
	{ "兄", NORM_REL_SIBLING }, { "姉", NORM_REL_SIBLING },
	{ "弟", NORM_REL_SIBLING }, { "妹", NORM_REL_SIBLING },
	{ "叔父", NORM_REL_OTHER_RELATIVE }, { "伯父", NORM_REL_OTHER_RELATIVE },
	{ "叔母", NORM_REL_OTHER_RELATIVE }, { "伯母", NORM_REL_OTHER_RELATIVE },
	{ "おじ", NORM_REL_OTHER_RELATIVE }, { "おば", NORM_REL_OTHER_RELATIVE },
	{ "甥", NORM_REL_OTHER_RELATIVE }, { "姪", NORM_REL_OTHER_RELATIVE },
	{ "いとこ", NORM_REL_OTHER_RELATIVE }, { "従兄弟", NORM_REL_OTHER_RELATIVE },
	{ "嫁", NORM_REL_OTHER_RELATIVE }, { "婿", NORM_REL_OTHER_RELATIVE },
	{ "親族", NORM_REL_OTHER_RELATIVE }, { "親戚", NORM_REL_OTHER_RELATIVE },
	{ "その他", NORM_REL_OTHER_RELATIVE },
	{ "友人", NORM_REL_NON_RELATIVE }, { "知人", NORM_REL_NON_RELATIVE },
	{ "代理人", NORM_REL_NON_RELATIVE }, { "後見人", NORM_REL_NON_RELATIVE },
	{ "弁護士", NORM_REL_NON_RELATIVE }, { "同居人", NORM_REL_NON_RELATIVE },
	{ "子", NORM_REL_CHILD },
	{ "self", NORM_REL_SELF }, { "spouse", NORM_REL_SPOUSE },
	{ "parent", NORM_REL_PARENT }, { "child", NORM_REL_CHILD },
	{ "sibling", NORM_REL_SIBLING },
};

int
norm_relationship(const char *in, enum norm_rel *ret, double *penalty)
{
	int32_t *raw, *cp;
	size_t n, m = 0, i, j, k;
	int rc, found = -1, nfound = 0, exact = 0;

	if (in == NULL || ret == NULL || penalty == NULL)
		return -EINVAL;
	if ((raw = calloc(NORM_MAXCP, sizeof(*raw))) == NULL)
		return -ENOMEM;
	if ((cp = calloc(NORM_MAXCP, sizeof(*cp))) == NULL) {
		free(raw);
		return -ENOMEM;
	}
	if ((rc = to_cps(in, raw, NORM_MAXCP, &n)) != 0)
		goto done;
	rc = NORM_INVALID;
	for (i = 0; i < n; i++)		/* drop spaces, brackets, ○ ◯ */
		if (!is_space(raw[i]) && raw[i] != '(' && raw[i] != ')' &&
		    raw[i] != 0x25cb && raw[i] != 0x25ef && raw[i] != ':' &&
		    raw[i] != 0x3010 && raw[i] != 0x3011)
			cp[m++] = raw[i];
	if (m == 0 || m > 40)
		goto done;
	/* Scan left to right, longest word at each position. */
	for (i = 0; i < m; ) {
		size_t best = 0;
		int brel = -1;
		for (j = 0; j < sizeof(rel_words) / sizeof(rel_words[0]); j++)
			if ((k = match_str(cp, m, i, rel_words[j].word)) >
			    best) {
				best = k;
				brel = (int)rel_words[j].rel;
			}
		if (best == 0) {
			i++;
			continue;
		}
		if (i == 0 && best == m)
			exact = 1;
		if (found >= 0 && found != brel)
			nfound++;
		if (found < 0) {
			found = brel;
			nfound = 1;
		}
		i += best;
	}
	/* 患者の, 患者との続柄 are labels, not relationships */
	if (found < 0 || nfound != 1)
		goto done;
	*ret = (enum norm_rel)found;
	*penalty = exact ? 0 : 0.2;
	rc = 0;
done:
	free(raw);
	free(cp);
	return rc;
}

int
norm_sex(const char *in, char out[2], double *penalty)
{
	int32_t cp[64];
	size_t n, i;
	int m = 0, f = 0, other = 0, rc;

	if (in == NULL || out == NULL || penalty == NULL)
		return -EINVAL;
	if (strlen(in) > 60)
		return NORM_INVALID;
	if ((rc = to_cps(in, cp, 64, &n)) != 0)
		return rc;
	for (i = 0; i < n; i++) {
		int32_t c = cp[i];
		if (c == 0x7537)			/* 男 */
			m++;
		else if (c == 0x5973)			/* 女 */
			f++;
		else if (is_space(c) || c == 0x6027 || c == 0x25cb ||
		    c == '(' || c == ')')		/* 性 ○ */
			continue;
		else
			other++;
	}
	if (m + f == 0) {
		char s[16];
		size_t k = 0;
		for (i = 0; i < n && k + 1 < sizeof(s); i++)
			if (!is_space(cp[i]) && cp[i] < 128)
				s[k++] = (char)(cp[i] | 0x20);
		s[k] = '\0';
		if (strcmp(s, "m") == 0 || strcmp(s, "male") == 0)
			m = 1;
		else if (strcmp(s, "f") == 0 || strcmp(s, "female") == 0)
			f = 1;
		other = 0;
	}
	if ((m > 0) == (f > 0) || other > 2)
		return NORM_INVALID;
	out[0] = m ? 'M' : 'F';
	out[1] = '\0';
	*penalty = other ? 0.2 : 0;
	return 0;
}
