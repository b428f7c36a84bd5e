/*
 * test_ocr.c — the Tesseract engine: loading (and its errors), one
 * rendered line recognised with word boxes, a rectangle of a page, the
 * character whitelist, bad arguments, variant kanji the model lacks.
 * Three small recognitions only.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <leptonica/allheaders.h>

#include "faxintake/ocr.h"
#include "faxintake/preprocess.h"
#include "faxintake/render.h"
#include "faxintake/lsan.h"
#include "faxpage.h"
#include "onethread.h"


/* Two lines of text on a fax fine page, 1 bit. */
static struct Pix *
page_of(const char *line1, const char *line2)
{
	struct render_doc *doc = render_doc_new();
	struct render_page *pg;
	struct render_style st = { 0 };
	struct Pix *pix;

	assert_non_null(doc);
	assert_int_equal(render_page_add(doc, &pg), 0);
	st.size = 14;
	render_text(pg, &st, 20, 20, 0, 0, line1, NULL);
	render_text(pg, &st, 20, 60, 0, 0, line2, NULL);
	pix = fax_page(doc, 0, RENDER_FAX_FINE_YDPI, RENDER_FAX_WIDTH);
	render_doc_free(doc);
	return pix;
}

static void
test_load_errors(void **state)
{
	struct ocr *o = NULL;

	(void)state;
	assert_int_equal(ocr_new(NULL, "../etc", &o), -EINVAL);
	assert_int_equal(ocr_new(NULL, NULL, &o), -EINVAL);
	assert_int_equal(ocr_new(NULL, "jpn", NULL), -EINVAL);
	assert_int_equal(ocr_new(NULL, "nosuchlang", &o), -ENOENT);
	assert_null(o);
	assert_int_equal(ocr_new("/nonexistent/tessdata", "jpn", &o), -ENOENT);
	assert_null(o);
	ocr_free(NULL);
	ocr_result_clear(NULL);
}

static struct Pix *
page(void)
{
	return page_of("患者氏名 山田 太郎", "電話番号 03-5363-3865");
}

/* 髙, 﨑, 邉 and 齊, which the model lacks, come out as printed, in the
 * words and in the text; 高, 崎 and 邊 stay (variant.c) */
static void
test_variants(void **state)
{
	struct ocr *o = NULL;
	struct ocr_result r;
	struct Pix *pix = page_of("患者氏名 髙橋 幸子 渡邉 齊藤",
	    "山﨑 美咲 高橋医院 山崎 渡邊");
	size_t i;
	int seen = 0;

	(void)state;
	assert_int_equal(ocr_new(NULL, "jpn", &o), 0);
	assert_int_equal(ocr_recognize(o, pix, NULL, OCR_PSM_AUTO, 0, &r), 0);
	assert_non_null(strstr(r.text, "髙橋"));
	assert_non_null(strstr(r.text, "山﨑"));
	assert_non_null(strstr(r.text, "高橋医院"));
	assert_non_null(strstr(r.text, "山崎"));
	assert_non_null(strstr(r.text, "渡邉"));
	assert_non_null(strstr(r.text, "齊藤"));
	assert_non_null(strstr(r.text, "渡邊"));
	assert_null(strstr(r.text, "高橋 幸子"));
	for (i = 0; i < r.nwords; i++)
		if (strstr(r.words[i].text, "髙橋"))
			seen = 1;
	assert_true(seen);
	ocr_result_clear(&r);
	ocr_free(o);
	preprocess_pix_free(pix);
}

static void
test_recognize(void **state)
{
	struct ocr *o = NULL;
	struct ocr_result r;
	struct Pix *pix = page();
	/* the second line only: 60 mm down, 196 dpi */
	struct ocr_rect rect = { 100, (int)(55 * 196 / 25.4), 1000,
	    (int)(14 * 196 / 25.4) };
	struct ocr_rect tiny = { 0, 0, 2, 2 };
	size_t i;

	(void)state;
	assert_int_equal(ocr_new(NULL, "jpn", &o), 0);

	/* bad arguments leave *ret zeroed */
	assert_int_equal(ocr_recognize(NULL, pix, NULL, OCR_PSM_LINE, 0, &r),
	    -EINVAL);
	assert_null(r.text);
	assert_int_equal(ocr_recognize(o, NULL, NULL, OCR_PSM_LINE, 0, &r),
	    -EINVAL);
	assert_int_equal(ocr_recognize(o, pix, &tiny, OCR_PSM_LINE, 0, &r),
	    -EINVAL);
	ocr_result_clear(&r);

	/* a rectangle: its text, word boxes in page coordinates */
	assert_int_equal(ocr_recognize(o, pix, &rect, OCR_PSM_LINE, 0, &r), 0);
	assert_non_null(r.text);
	assert_non_null(strstr(r.text, "03-5363-3865"));
	assert_null(strstr(r.text, "山田"));
	assert_true(r.nwords >= 1);
	assert_true(r.nlines >= 1);
	assert_true(r.mean_conf > 50);
	assert_true(r.usec > 0);
	for (i = 0; i < r.nwords; i++) {
		assert_true(r.words[i].box.y >= rect.y - 10);
		assert_true(r.words[i].box.y + r.words[i].box.h <=
		    rect.y + rect.h + 10);
		assert_true(r.words[i].conf >= 0 && r.words[i].conf <= 100);
	}
	ocr_result_clear(&r);
	assert_null(r.text);

	/* digits only */
	assert_int_equal(ocr_set_whitelist(o, "0123456789-"), 0);
	assert_int_equal(ocr_recognize(o, pix, &rect, OCR_PSM_LINE, 0, &r), 0);
	assert_non_null(strstr(r.text, "03-5363-3865"));
	for (const char *p = r.text; *p; p++)
		assert_true(strchr("0123456789- \n", *p) != NULL);
	ocr_result_clear(&r);
	assert_int_equal(ocr_set_whitelist(o, NULL), 0);
	assert_int_equal(ocr_set_whitelist(NULL, NULL), -EINVAL);

	ocr_free(o);
	preprocess_pix_free(pix);
}

/* The softened grey copy of a normal page: one black pixel spreads as
 * the binomial 1 4 6 4 1 both ways; a black block's inside stays black;
 * white stays white; only 1-bit pages. */
static void
test_ocr_gray(void **state)
{
	unsigned char raw[32 * 4];
	struct Pix *pix, *g;
	l_uint32 v;

	(void)state;
	memset(raw, 0, sizeof(raw));
	raw[10 * 4 + 1] = 0x80 >> 2;		/* (10, 10) */
	for (int y = 20; y < 25; y++)
		raw[y * 4 + 2] = 0xf8;		/* (16..20, 20..24) */
	assert_int_equal(preprocess_pix_from_raw(raw, 32, 32, 4, 1, 204, 196,
	    &pix), 0);
	assert_int_equal(preprocess_ocr_gray(pix, &g), 0);
	assert_int_equal(pixGetDepth(g), 8);
	assert_int_equal(pixGetYRes(g), 196);
	pixGetPixel(g, 10, 10, &v);
	assert_int_equal(v, 255 - 36);		/* 6 x 6 of 256 */
	pixGetPixel(g, 11, 10, &v);
	assert_int_equal(v, 255 - 24);
	pixGetPixel(g, 12, 12, &v);
	assert_int_equal(v, 254);
	pixGetPixel(g, 13, 10, &v);
	assert_int_equal(v, 255);
	pixGetPixel(g, 18, 22, &v);
	assert_int_equal(v, 0);
	pixGetPixel(g, 0, 31, &v);
	assert_int_equal(v, 255);
	assert_int_equal(preprocess_ocr_gray(g, &pix), -EINVAL);
	preprocess_pix_free(g);
	preprocess_pix_free(pix);
}

/* fontconfig's and pango's caches live until exit (lsan.h) */
FAXINTAKE_LSAN_SUPPRESSIONS

int
main(int argc, char **argv)
{
	(void)argc;
	one_thread(argv);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_recognize),
		cmocka_unit_test(test_variants),
		cmocka_unit_test(test_ocr_gray),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	return rc;
}
