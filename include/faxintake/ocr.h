/*
 * ocr.h — the Tesseract engine (tesseract/capi.h stays inside ocr.c).
 *
 * One engine per worker process: ocr_new() loads the language model once
 * (LSTM engine; OMP_THREAD_LIMIT=1 is set before the model is loaded so
 * that workers scale over cores instead of threads fighting), and every
 * page is recognised with the same engine.  Results come back as plain C:
 * the text, the words with their boxes and confidences, and the text
 * lines (each a run of words).
 *
 * Errors: 0, or -EINVAL (bad argument), -ENOENT (model not found or not
 * loadable), -ENOMEM, -EIO (Tesseract failed on the image), -E2BIG (image
 * over OCR_MAX_PIXELS).  The engine is not thread safe.
 */
#ifndef FAXINTAKE_OCR_H
#define FAXINTAKE_OCR_H

#include <stddef.h>

struct Pix;
struct ocr;

#define OCR_MAX_TEXT	(64 * 1024)	/* bytes of text kept per call */
#define OCR_MAX_WORDS	8192
#define OCR_MAX_PIXELS	(8000ULL * 12000ULL)

/* Tesseract page segmentation modes that faxintake uses. */
enum ocr_psm {
	OCR_PSM_AUTO = 3,	/* full page layout analysis */
	OCR_PSM_COLUMN = 4,	/* one column of text of varying sizes */
	OCR_PSM_BLOCK = 6,	/* one uniform block (a zone of a form) */
	OCR_PSM_LINE = 7,	/* one text line */
	OCR_PSM_WORD = 8,
	OCR_PSM_CHAR = 10,	/* one character (a date box's 元) */
	OCR_PSM_SPARSE = 11,	/* as much text as possible, any order */
};

struct ocr_rect {
	int	x, y, w, h;	/* pixels */
};

struct ocr_word {
	char		*text;	/* UTF-8, malloc'd (freed by ocr_result_clear) */
	struct ocr_rect	 box;	/* in the coordinates of the whole image */
	float		 conf;	/* 0..100, Tesseract's word confidence */
	int		 line;	/* index into lines */
};

struct ocr_line {
	struct ocr_rect	 box;
	float		 conf;
	size_t		 first;	/* first word */
	size_t		 nwords;
};

struct ocr_result {
	char		*text;	/* whole UTF-8 text, malloc'd, <= OCR_MAX_TEXT */
	struct ocr_word	*words;
	size_t		 nwords;
	struct ocr_line	*lines;
	size_t		 nlines;
	float		 mean_conf;	/* 0..100; 0 when nothing was read */
	long long	 usec;		/* time spent in recognition */
	int		 truncated;	/* text or words were capped */
};

/*
 * Load an engine: datapath NULL for Tesseract's default tessdata
 * (TESSDATA_PREFIX), lang e.g. "jpn".  *ret: ocr_free().
 */
int	ocr_new(const char *datapath, const char *lang, struct ocr **ret);
void	ocr_free(struct ocr *);			/* NULL ok */

/*
 * Recognise pix (1, 8 or 32 bpp), or only rect of it when rect is not
 * NULL, with the given segmentation mode; ppi is the resolution to tell
 * Tesseract (0: from the image, else 300 assumed).  *ret is filled in
 * (zeroed first); ocr_result_clear() it in every case.
 */
int	ocr_recognize(struct ocr *, struct Pix *pix, const struct ocr_rect *rect,
	    enum ocr_psm psm, int ppi, struct ocr_result *ret);
void	ocr_result_clear(struct ocr_result *);

/*
 * Restrict the characters Tesseract may output for the following calls
 * (e.g. "0123456789-()" for a phone zone); NULL or "" lifts it.  0, or
 * -EINVAL.
 */
int	ocr_set_whitelist(struct ocr *, const char *chars);

/*
 * Orientation of the page text by Tesseract's OSD (osd.traineddata):
 * *deg the clockwise rotation the page needs to be upright: 0, 90, 180,
 * 270; *conf Tesseract's orientation confidence (above ~2 is reliable).
 * -ENOENT when osd is not installed, -EIO when OSD found too little text.
 */
int	ocr_orientation(struct ocr *, struct Pix *pix, int *deg, float *conf);

#endif
