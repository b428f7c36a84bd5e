/*
 * ocr.c — the only file that includes Tesseract's headers.  One engine per
 * process, loaded once (see ocr.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

#include "faxintake/ocr.h"
#include "faxintake/variant.h"

struct ocr {
	TessBaseAPI	*api;
	char		*datapath;	/* NULL: default */
	char		 lang[64];
	int		 osd_failed;	/* OSD could not load: do not retry */
};

static long long
now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int
ocr_new(const char *datapath, const char *lang, struct ocr **ret)
{
	struct ocr *o;

	/* a model's name: jpn, jpn+eng, Japanese (a script model) */
	if (lang == NULL || ret == NULL || strlen(lang) >= sizeof(o->lang) ||
	    strspn(lang, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ_+") != strlen(lang))
		return -EINVAL;
	/* Before the engine starts its OpenMP runtime. */
	if (setenv("OMP_THREAD_LIMIT", "1", 1) != 0)
		return -errno;
	if ((o = calloc(1, sizeof(*o))) == NULL)
		return -ENOMEM;
	if (datapath && (o->datapath = strdup(datapath)) == NULL) {
		free(o);
		return -ENOMEM;
	}
	strcpy(o->lang, lang);
	if ((o->api = TessBaseAPICreate()) == NULL) {
		free(o->datapath);
		free(o);
		return -ENOMEM;
	}
	if (TessBaseAPIInit2(o->api, o->datapath, o->lang,
	    OEM_LSTM_ONLY) != 0) {
		TessBaseAPIEnd(o->api);
		TessBaseAPIDelete(o->api);
		free(o->datapath);
		free(o);
		return -ENOENT;
	}
	/* Keep Tesseract's chatter ("Detected N diacritics") off stderr. */
	TessBaseAPISetVariable(o->api, "debug_file", "/dev/null");
	*ret = o;
	return 0;
}

void
ocr_free(struct ocr *o)
{
	if (o == NULL)
		return;
	TessBaseAPIEnd(o->api);
	TessBaseAPIDelete(o->api);
	free(o->datapath);
	free(o);
}

void
ocr_result_clear(struct ocr_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nwords; i++)
		free(r->words[i].text);
	free(r->words);
	free(r->lines);
	free(r->text);
	memset(r, 0, sizeof(*r));
}

/*
 * A rectangle is cut out into its own image (with a white margin) rather
 * than passed with TessBaseAPISetRectangle: measured on fax pages, the
 * rectangle mode read a clean top strip as garbage ("昌和" for every
 * line) where the same pixels cut out read correctly.
 */
static int
set_image(struct ocr *o, struct Pix *pix, const struct ocr_rect *rect,
    int ppi, struct Pix **clip, int *offx, int *offy)
{
	l_int32 w, h, d;

	*clip = NULL;
	*offx = *offy = 0;
	if (pixGetDimensions(pix, &w, &h, &d) != 0)
		return -EINVAL;
	if (w <= 0 || h <= 0 || (unsigned long long)w * h > OCR_MAX_PIXELS)
		return -E2BIG;
	if (d != 1 && d != 8 && d != 32)
		return -EINVAL;
	if (ppi <= 0)
		ppi = pixGetYRes(pix) > 0 ? pixGetYRes(pix) : 300;
	if (rect) {
		int x = rect->x < 0 ? 0 : rect->x;
		int y = rect->y < 0 ? 0 : rect->y;
		int rw = rect->x + rect->w > w ? w - x : rect->x + rect->w - x;
		int rh = rect->y + rect->h > h ? h - y : rect->y + rect->h - y;
		BOX *b;
		PIX *c;
		if (rw < 4 || rh < 4)
			return -EINVAL;
		if ((b = boxCreate(x, y, rw, rh)) == NULL)
			return -ENOMEM;
		c = pixClipRectangle(pix, b, NULL);
		boxDestroy(&b);
		if (c == NULL)
			return -ENOMEM;
		/*
		 * A border of 10 px: text touching the edge reads badly.
		 * Value 0 is white at 1 bit but black on the softened grey
		 * copy of a normal page (preprocess.h); measured on the dev
		 * split, a white border there lowered CER (19.8 -> 18.4 %)
		 * but read fewer key fields (names 38 -> 34 %, birth dates
		 * 61 -> 55 %), so the frame stays.
		 */
		*clip = pixAddBorder(c, 10, 0);
		pixDestroy(&c);
		if (*clip == NULL)
			return -ENOMEM;
		*offx = x - 10;
		*offy = y - 10;
		pix = *clip;
	}
	TessBaseAPISetImage2(o->api, pix);
	TessBaseAPISetSourceResolution(o->api, ppi);
	return 0;
}

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	void *np;
	size_t nc;

	if (need <= *cap)
		return 0;
	nc = *cap ? *cap * 2 : 64;
	while (nc < need)
		nc *= 2;
	if ((np = realloc(*p, nc * size)) == NULL)
		return -ENOMEM;
	*p = np;
	*cap = nc;
	return 0;
}

/*
 * The model lacks some variant kanji (variant.h: 髙 is read 高): a word
 * holding a character that has one gets those glyphs looked at again,
 * on the image Tesseract read.  A glyph that is the variant is changed
 * in the word and, at the word's place (*tcur onwards), in the page
 * text; only in place, when both forms are as long in UTF-8.
 */
static void
fix_variants(TessResultIterator *word, PIX *img, char *wtext, char *text,
    size_t *tcur)
{
	TessResultIterator *it;
	TessPageIterator *pi;
	char *at = NULL;
	size_t off = 0;

	if (text && (at = strstr(text + *tcur, wtext)) != NULL)
		*tcur = (size_t)(at - text) + strlen(wtext);
	if ((it = TessResultIteratorCopy(word)) == NULL)
		return;
	pi = TessResultIteratorGetPageIterator(it);
	for (;;) {
		char *sym = TessResultIteratorGetUTF8Text(it, RIL_SYMBOL);
		const char *pick;
		int x0, y0, x1, y1;
		size_t n = sym ? strlen(sym) : 0;

		if (n > 0 && off + n <= strlen(wtext) &&
		    memcmp(wtext + off, sym, n) == 0 && variant_of(sym) &&
		    TessPageIteratorBoundingBox(pi, RIL_SYMBOL, &x0, &y0,
		    &x1, &y1) &&
		    variant_pick(img, x0, y0, x1 - x0, y1 - y0, sym,
		    &pick) == 0 && strcmp(pick, sym) != 0 &&
		    strlen(pick) == n) {
			memcpy(wtext + off, pick, n);
			if (at)
				memcpy(at + off, pick, n);
		}
		off += n;
		TessDeleteText(sym);
		if (TessPageIteratorIsAtFinalElement(pi, RIL_WORD,
		    RIL_SYMBOL) || !TessResultIteratorNext(it, RIL_SYMBOL))
			break;
	}
	TessResultIteratorDelete(it);
}

static int
has_variant(const char *s)
{
	for (; *s; s++)
		if (variant_of(s))
			return 1;
	return 0;
}

/* Walk the result iterator: words and lines. */
static int
collect(struct ocr *o, struct ocr_result *r, PIX *img, int offx, int offy)
{
	size_t tcur = 0;
	TessResultIterator *it;
	TessPageIterator *pi;
	size_t wcap = 0, lcap = 0;
	int rc = 0;

	if ((it = TessBaseAPIGetIterator(o->api)) == NULL)
		return 0;			/* nothing found */
	pi = TessResultIteratorGetPageIterator(it);
	do {
		char *t;
		int x0, y0, x1, y1;
		struct ocr_word *wd;

		if (TessPageIteratorIsAtBeginningOf(pi, RIL_TEXTLINE)) {
			struct ocr_line *ln;
			if ((rc = grow((void **)&r->lines, &lcap, r->nlines + 1,
			    sizeof(*r->lines))) != 0)
				break;
			ln = &r->lines[r->nlines++];
			memset(ln, 0, sizeof(*ln));
			if (TessPageIteratorBoundingBox(pi, RIL_TEXTLINE, &x0,
			    &y0, &x1, &y1)) {
				ln->box.x = x0 + offx;
				ln->box.y = y0 + offy;
				ln->box.w = x1 - x0;
				ln->box.h = y1 - y0;
			}
			ln->conf = TessResultIteratorConfidence(it,
			    RIL_TEXTLINE);
			ln->first = r->nwords;
		}
		if (r->nwords >= OCR_MAX_WORDS) {
			r->truncated = 1;
			break;
		}
		if ((t = TessResultIteratorGetUTF8Text(it, RIL_WORD)) == NULL)
			continue;
		if (*t == '\0' || r->nlines == 0) {
			TessDeleteText(t);
			continue;
		}
		if ((rc = grow((void **)&r->words, &wcap, r->nwords + 1,
		    sizeof(*r->words))) != 0) {
			TessDeleteText(t);
			break;
		}
		wd = &r->words[r->nwords];
		memset(wd, 0, sizeof(*wd));
		wd->text = strdup(t);
		TessDeleteText(t);
		if (wd->text == NULL) {
			rc = -ENOMEM;
			break;
		}
		if (has_variant(wd->text))
			fix_variants(it, img, wd->text, r->text, &tcur);
		if (TessPageIteratorBoundingBox(pi, RIL_WORD, &x0, &y0, &x1,
		    &y1)) {
			wd->box.x = x0 + offx;
			wd->box.y = y0 + offy;
			wd->box.w = x1 - x0;
			wd->box.h = y1 - y0;
		}
		wd->conf = TessResultIteratorConfidence(it, RIL_WORD);
		wd->line = (int)r->nlines - 1;
		r->lines[r->nlines - 1].nwords++;
		r->nwords++;
	} while (TessResultIteratorNext(it, RIL_WORD));
	TessResultIteratorDelete(it);
	return rc;
}

int
ocr_recognize(struct ocr *o, struct Pix *pix, const struct ocr_rect *rect,
    enum ocr_psm psm, int ppi, struct ocr_result *ret)
{
	char *t;
	size_t len;
	long long t0;
	int rc, offx, offy;
	PIX *clip;

	if (ret)
		memset(ret, 0, sizeof(*ret));
	if (o == NULL || pix == NULL || ret == NULL)
		return -EINVAL;
	if ((rc = set_image(o, pix, rect, ppi, &clip, &offx, &offy)) != 0) {
		TessBaseAPIClear(o->api);
		return rc;
	}
	TessBaseAPISetPageSegMode(o->api, (TessPageSegMode)psm);
	t0 = now_usec();
	if (TessBaseAPIRecognize(o->api, NULL) != 0) {
		ret->usec = now_usec() - t0;
		TessBaseAPIClear(o->api);
		pixDestroy(&clip);
		return -EIO;
	}
	ret->usec = now_usec() - t0;
	if ((t = TessBaseAPIGetUTF8Text(o->api)) == NULL) {
		TessBaseAPIClear(o->api);
		pixDestroy(&clip);
		return -ENOMEM;
	}
	len = strlen(t);
	if (len >= OCR_MAX_TEXT) {
		/* cut at a character boundary */
		len = OCR_MAX_TEXT - 1;
		while (len > 0 && ((unsigned char)t[len] & 0xc0) == 0x80)
			len--;
		ret->truncated = 1;
	}
	ret->text = strndup(t, len);
	TessDeleteText(t);
	if (ret->text == NULL) {
		TessBaseAPIClear(o->api);
		pixDestroy(&clip);
		return -ENOMEM;
	}
	ret->mean_conf = (float)TessBaseAPIMeanTextConf(o->api);
	rc = collect(o, ret, clip ? clip : pix, offx, offy);
	TessBaseAPIClear(o->api);
	pixDestroy(&clip);
	if (rc != 0)
		ocr_result_clear(ret);
	return rc;
}

int
ocr_set_whitelist(struct ocr *o, const char *chars)
{
	if (o == NULL || (chars && strlen(chars) > 256))
		return -EINVAL;
	if (!TessBaseAPISetVariable(o->api, "tessedit_char_whitelist",
	    chars ? chars : ""))
		return -EINVAL;
	return 0;
}

int
ocr_orientation(struct ocr *o, struct Pix *pix, int *deg, float *conf)
{
	int odeg = 0, rc;
	float oconf = 0, sconf = 0;
	const char *script = NULL;

	if (o == NULL || pix == NULL || deg == NULL || conf == NULL)
		return -EINVAL;
	if (o->osd_failed)
		return -ENOENT;
	{
		PIX *clip;
		int ox, oy;
		if ((rc = set_image(o, pix, NULL, 0, &clip, &ox, &oy)) != 0) {
			TessBaseAPIClear(o->api);
			return rc;
		}
	}
	TessBaseAPISetPageSegMode(o->api, PSM_OSD_ONLY);
	if (!TessBaseAPIDetectOrientationScript(o->api, &odeg, &oconf,
	    &script, &sconf)) {
		TessBaseAPIClear(o->api);
		return -EIO;
	}
	TessBaseAPIClear(o->api);
	/* Tesseract gives the orientation of the text; the rotation that
	 * makes it upright is the opposite. */
	*deg = (360 - odeg) % 360;
	*conf = oconf;
	return 0;
}
