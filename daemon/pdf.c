/*
 * pdf.c — rasterise PDF pages with poppler-glib into 8-bit grey PIX.
 *
 * DESIGN.md keeps cairo inside one render module; this file is the
 * accepted exception: poppler-glib renders only onto a cairo surface, so
 * the PDF rasteriser needs one.  It draws nothing of its own.
 *
 * Limits: the page count is checked before any page is touched, and every
 * page's size is checked (pass one) before any page is rendered (pass
 * two).  A page is rendered at DECODE_PDF_DPI, lower when that would be
 * over max_page_pixels or over cairo's 32767-pixel surface side, never
 * below DECODE_PDF_MIN_DPI (then the file is over_limit).  Rendering goes
 * through a band surface of at most PDF_BAND_BYTES, so memory is the
 * 8-bit page plus one band, not a 32-bit copy of the page.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cairo.h>
#include <glib.h>
#include <leptonica/allheaders.h>
#include <poppler.h>

#include "faxintake/decode.h"
#include "faxintake/pdf.h"

#define PDF_BAND_BYTES	(16u << 20)
#define CAIRO_MAX_SIDE	32767

/*
 * The resolution to render a page of w x h points at, and its size in
 * pixels; 0, or DECODE_REJECTED (over_limit) with the reason set.
 */
static int
pdf_page_dpi(const struct decode_limits *lim, struct decode_info *info,
    int pageno, double w, double h, int *ret_dpi, int *ret_pw, int *ret_ph)
{
	double dpi = DECODE_PDF_DPI, fit;
	double pw, ph;

	if (!isfinite(w) || !isfinite(h) || w < 1 || h < 1)
		return decode_reject(info, DECODE_CORRUPT,
		    "PDF: page %d has a bad size (%gx%g points)", pageno, w,
		    h);
	/* Largest dpi within the pixel limit and cairo's surface side. */
	fit = 72.0 * sqrt((double)lim->max_page_pixels / (w * h));
	if (fit < dpi)
		dpi = floor(fit);
	if (72.0 * CAIRO_MAX_SIDE / w < dpi)
		dpi = floor(72.0 * CAIRO_MAX_SIDE / w);
	if (72.0 * (INT32_MAX / 32) / h < dpi)
		dpi = floor(72.0 * (INT32_MAX / 32) / h);
	for (;;) {
		pw = ceil(w * dpi / 72.0);
		ph = ceil(h * dpi / 72.0);
		if (dpi < DECODE_PDF_MIN_DPI || pw * ph <=
		    (double)lim->max_page_pixels)
			break;
		dpi -= 1;	/* ceil() can push it just over */
	}
	if (dpi < DECODE_PDF_MIN_DPI) {
		pw = ceil(w * DECODE_PDF_MIN_DPI / 72.0);
		ph = ceil(h * DECODE_PDF_MIN_DPI / 72.0);
		return decode_reject(info, DECODE_OVER_LIMIT,
		    "page %d is %.0fx%.0f points, %.0fx%.0f pixels at %d dpi, "
		    "over the limit of %llu (max_page_pixels)", pageno, w, h,
		    pw, ph, DECODE_PDF_MIN_DPI, lim->max_page_pixels);
	}
	*ret_dpi = (int)dpi;
	*ret_pw = (int)pw;
	*ret_ph = (int)ph;
	return 0;
}

/* Render one page into *ret (8 bpp, dpi set). */
static int
pdf_render(PopplerPage *page, int dpi, int pw, int ph, PIX **ret)
{
	cairo_surface_t *s;
	cairo_t *cr;
	PIX *pix;
	l_uint32 *pdata, *line;
	const unsigned char *sdata;
	int band, y0, rows, r, x, stride, wpl;

	band = (int)(PDF_BAND_BYTES / ((unsigned)pw * 4u));
	if (band < 1)
		band = 1;
	if (band > ph)
		band = ph;
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, band);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return -ENOMEM;
	}
	if ((pix = pixCreate(pw, ph, 8)) == NULL) {
		cairo_surface_destroy(s);
		return -ENOMEM;
	}
	pdata = pixGetData(pix);
	wpl = pixGetWpl(pix);
	stride = cairo_image_surface_get_stride(s);
	for (y0 = 0; y0 < ph; y0 += band) {
		rows = ph - y0 < band ? ph - y0 : band;
		cr = cairo_create(s);
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_paint(cr);
		cairo_translate(cr, 0, -(double)y0);
		cairo_scale(cr, dpi / 72.0, dpi / 72.0);
		poppler_page_render(page, cr);
		cairo_destroy(cr);
		cairo_surface_flush(s);
		sdata = cairo_image_surface_get_data(s);
		for (r = 0; r < rows; r++) {
			const uint32_t *src = (const uint32_t *)(const void *)
			    (sdata + (size_t)r * (size_t)stride);
			line = pdata + (size_t)(y0 + r) * (size_t)wpl;
			for (x = 0; x < pw; x++) {
				uint32_t v = src[x];
				unsigned R = (v >> 16) & 0xff;
				unsigned G = (v >> 8) & 0xff;
				unsigned B = v & 0xff;
				SET_DATA_BYTE(line, x,
				    (R * 299 + G * 587 + B * 114 + 500) /
				    1000);
			}
		}
	}
	cairo_surface_destroy(s);
	pixSetResolution(pix, dpi, dpi);
	*ret = pix;
	return 0;
}

int
pdf_decode(const void *data, size_t len, const struct decode_limits *lim,
    struct decode_info *info, decode_page_fn fn, void *arg)
{
	GBytes *bytes;
	GError *err = NULL;
	PopplerDocument *doc;
	PopplerPage *page;
	PIX *pix;
	double w, h;
	int n, i, dpi, pw, ph, rc = 0;

	bytes = g_bytes_new_static(data, len);
	doc = poppler_document_new_from_bytes(bytes, NULL, &err);
	if (doc == NULL) {
		rc = decode_reject(info, DECODE_CORRUPT, "PDF: %s",
		    err && err->message ? err->message : "cannot open");
		g_clear_error(&err);
		g_bytes_unref(bytes);
		return rc;
	}
	n = poppler_document_get_n_pages(doc);
	if (n <= 0)
		rc = decode_reject(info, DECODE_CORRUPT, "PDF: no pages");
	else if (n > lim->max_pages)
		rc = decode_reject(info, DECODE_OVER_LIMIT,
		    "%d pages, over the limit of %d (max_pages)", n,
		    lim->max_pages);
	/* Pass one: every page's size, before rendering any. */
	for (i = 0; rc == 0 && i < n; i++) {
		if ((page = poppler_document_get_page(doc, i)) == NULL) {
			rc = decode_reject(info, DECODE_CORRUPT,
			    "PDF: cannot read page %d", i + 1);
			break;
		}
		poppler_page_get_size(page, &w, &h);
		g_object_unref(page);
		rc = pdf_page_dpi(lim, info, i + 1, w, h, &dpi, &pw, &ph);
	}
	/* Pass two: render. */
	for (i = 0; rc == 0 && i < n; i++) {
		if ((page = poppler_document_get_page(doc, i)) == NULL) {
			rc = decode_reject(info, DECODE_CORRUPT,
			    "PDF: cannot read page %d", i + 1);
			break;
		}
		poppler_page_get_size(page, &w, &h);
		rc = pdf_page_dpi(lim, info, i + 1, w, h, &dpi, &pw, &ph);
		if (rc == 0)
			rc = pdf_render(page, dpi, pw, ph, &pix);
		g_object_unref(page);
		if (rc != 0)
			break;
		rc = decode_page_deliver(pix, i + 1, fn, arg);
		pixDestroy(&pix);
	}
	if (rc == 0)
		info->npages = n;
	g_object_unref(doc);
	g_bytes_unref(bytes);
	return rc;
}
