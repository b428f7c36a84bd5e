/*
 * reader.h — the worker-side reading API the daemon calls per file:
 * preprocess, QR, OCR, classify and extract each page, then group the
 * file's pages into documents and applications.
 *
 *	struct reader *r;
 *	reader_new(&opts, &r);			once per worker process
 *	for each page: reader_page(r, pix, pageno, &pg); ...store pg...;
 *	    reader_page_clear(&pg);
 *	reader_file_finish(r, &file); ...store file...; reader_file_clear(&file);
 *	reader_free(r);
 *
 * Everything handed back is plain C with bounded strings, ready to be
 * serialised into messages: page text <= READER_TEXT_MAX bytes, at most
 * READER_MAX_FIELDS fields per page and per document.  Leptonica and
 * Tesseract never leave the worker modules.  Not thread safe.
 *
 * Errors: 0 or -errno (-ENOENT model or templates missing, -ENOMEM,
 * -E2BIG a cap, -EINVAL); a page that cannot be read is not an error: it
 * comes back as DOC_OTHER with confidence 0.
 */
#ifndef FAXINTAKE_READER_H
#define FAXINTAKE_READER_H

#include <stddef.h>

#include "faxintake/extract.h"
#include "faxintake/facts.h"
#include "faxintake/normalize.h"
#include "faxintake/qr.h"

struct Pix;
struct reader;

#define READER_TEXT_MAX		(64 * 1024)
#define READER_MAX_FIELDS	EXTRACT_MAX_FIELDS	/* 64 */
#define READER_MAX_PAGES	500
#define READER_MAX_DOCS		READER_MAX_PAGES
#define READER_DIGITS_LANG	"Japanese"	/* tesseract-ocr-script-jpan */

struct reader_opts {
	const char	*templates;	/* templates dir (forms, hospitals) */
	const char	*tessdata;	/* NULL: Tesseract's default */
	const char	*lang;		/* NULL: "jpn" */
	const char	*digits_lang;	/* written digits on our forms; NULL:
					   READER_DIGITS_LANG if installed */
	/* 0 (default): lab, imaging and pathology pages are read only in
	 * their top strip (type and patient); 1: whole page. */
	int		 full_reports;
};

/* A field is struct extract_field (extract.h): id, value (normalised),
 * raw, confidence [0,1], page (1-based), x/y/w/h (pixels of the cleaned
 * page), source. */

struct reader_page {
	int		 pageno;
	enum doc_type	 doc_type;
	double		 confidence;
	char		*text;		/* NFKC'd OCR text; malloc'd, may be
					   "" (separator, form read by zones) */
	char		 title[128];
	int		 separator;	/* a separator sheet */
	int		 continuation;
	int		 new_application;
	int		 rotated;	/* degrees applied to make it upright */
	/* sender's fax header line */
	char		 header_sender[NORM_PHONE_LEN];	/* "" unknown */
	char		 header_raw[256];
	int		 header_page, header_pages;
	int		 cover_total;	/* 全N枚; 0 unknown */
	int		 has_qr;
	struct qr_info	 qr;		/* when has_qr */
	char		 language[8];
	int		 dedicated_form;	/* -1 n/a, 0, 1 */
	double		 ocr_conf;	/* mean word confidence 0..1 */
	struct extract_field fields[READER_MAX_FIELDS];
	size_t		 nfields;
	long long	 usec_ocr;	/* in Tesseract recognition */
	long long	 usec_other;	/* everything else */
};

struct reader_document {
	enum doc_type	 type;
	int		 first_page, last_page;	/* 1-based, inclusive */
	int		 application;	/* 0-based application in the file */
	enum fact_bool	 dedicated_form;
	char		 language[8];	/* "ja", "en", ...; "" unknown */
	double		 confidence;
	char		 case_id[32];	/* our cover sheet's QR case, or "" */
	struct extract_field fields[READER_MAX_FIELDS];	/* merged */
	size_t		 nfields;
};

struct reader_file {
	struct reader_document *docs;	/* malloc'd array */
	size_t		 ndocs;
	int		 napplications;
	int		 npages;
	char		 header_sender[NORM_PHONE_LEN];	/* most pages agree */
};

/* Load the engine once.  *ret: reader_free(). */
int	reader_new(const struct reader_opts *, struct reader **ret);
void	reader_free(struct reader *);			/* NULL ok */

/*
 * Read one page (pageno 1-based, in order within the file).  pix is not
 * taken over.  *out is filled in; reader_page_clear() it afterwards.  The
 * reader keeps what reader_file_finish() needs.
 */
int	reader_page(struct reader *, struct Pix *pix, int pageno,
	    struct reader_page *out);
void	reader_page_clear(struct reader_page *);

/*
 * Group the pages read since the last finish into documents and
 * applications, merging fields per document (agreeing sources raise the
 * confidence, disagreeing ones lower it).  Resets the reader for the next
 * file.  reader_file_clear() *out afterwards.
 */
int	reader_file_finish(struct reader *, struct reader_file *out);
void	reader_file_clear(struct reader_file *);

/* Drop the pages read so far (a file that failed to decode). */
void	reader_file_abort(struct reader *);

/*
 * Part of reader_file_finish, exported for tests: the patient's name and
 * birth date, the referring clinic's name and numbers, one letter off a
 * clearly better supported reading on another document of the same
 * application take that reading (below the review threshold).
 */
void	reader_consensus(struct reader_file *);

/*
 * Part of reader_file_finish, exported for tests: the patient's or the
 * applicant's name read one letter off the person's name a family's fax
 * header line prints (lines[p]: page p's header line, "" or NULL none)
 * takes the header's, when it looks as much or more like a name and the
 * pages printing it outweigh the readings (below the review threshold).
 */
void	reader_header_names(struct reader_file *, const char *const *lines,
	    size_t npages);

#endif
