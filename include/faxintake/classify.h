/*
 * classify.h — what a page is (DESIGN.md doc_types) and how the pages of
 * a file group into documents and applications.  Pure functions over the
 * NFKC'd OCR text, its line layout and the page's QR code: no images, no
 * OCR, so they are tested on text alone.
 */
#ifndef FAXINTAKE_CLASSIFY_H
#define FAXINTAKE_CLASSIFY_H

#include <stddef.h>

#include "faxintake/facts.h"
#include "faxintake/normalize.h"
#include "faxintake/qr.h"

/* One OCR text line: its text and where it is (pixels). */
struct classify_line {
	const char	*text;
	int		 y, h;		/* top and height */
	float		 conf;		/* 0..100 */
};

struct classify_page {
	const char		 *text;		/* NFKC'd page text */
	const struct classify_line *lines;
	size_t			  nlines;
	int			  page_h;	/* pixels */
	const struct qr_info	 *qr;		/* ours, or NULL */
};

struct classify_result {
	enum doc_type	type;
	double		confidence;	/* 0..1 */
	char		title[128];	/* the title line as read, or "" */
	int		has_title;	/* a title naming a doc_type was found */
	int		continuation;	/* 続紙 / (続き) / no title: may join the
					   document before it */
	int		separator;	/* a separator sheet (not a document) */
	int		new_application;/* an application begins here */
	int		dedicated_form;	/* -1 not a referral, 0 no, 1 yes */
	char		language[8];	/* "ja", "en", "zh", "und" */
	int		cover_total;	/* 全N枚 of a cover sheet; 0 unknown */
	char		case_id[32];	/* from a faxintake cover sheet's QR */
	/* The sender's fax header line (top strip). */
	char		header_raw[256];
	char		header_sender[NORM_PHONE_LEN];	/* "" unknown */
	int		header_page, header_pages;	/* P.x/y; 0 unknown */
};

int	classify_page(const struct classify_page *, struct classify_result *);

/* Language of a text by script: "ja" when kana/kanji dominate (kana
 * present), "zh" for Han without kana, "en" for Latin text with English
 * words, "und" otherwise.  out at least 8 bytes. */
void	classify_language(const char *text, char out[8]);

/* 全N枚 / N枚(本状含む) / 送付枚数 N on a cover sheet; 0 when absent. */
int	classify_cover_total(const char *text);

/*
 * A fax header line ("2026/11/20 14:03 FROM:0166-24-3181 P.1/3"): 0 and
 * the fields filled when the line holds a fax number and looks like a
 * header (a date or time, a page number, or FAX/FROM), else NORM_INVALID.
 */
int	classify_header_line(const char *line, char sender[NORM_PHONE_LEN],
	    int *page, int *pages);

/* --- grouping the pages of one file ----------------------------------- */

struct classify_pageinfo {
	enum doc_type	 type;
	double		 confidence;
	int		 has_title;
	int		 continuation;
	int		 separator;
	int		 new_application;
	int		 form_page;	/* our form's QR p=, else 0 */
	const char	*patient;	/* normalised patient name or NULL */
};

struct classify_doc {
	enum doc_type	type;
	int		first, last;	/* 0-based page indexes, inclusive */
	double		confidence;
	int		application;	/* 0-based application in the file */
};

/*
 * Group n pages into documents (separator pages belong to none).  docs
 * gets up to max documents; *ndocs and *napps (applications) set.
 * -E2BIG when more than max documents.
 */
int	classify_group(const struct classify_pageinfo *pages, size_t n,
	    struct classify_doc *docs, size_t max, size_t *ndocs, int *napps);

#endif
