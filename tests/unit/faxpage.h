/*
 * faxpage.h — page i of a drawing as a fax receives it: rasterised at
 * 204 x ydpi, thresholded to 1 bit, as a leptonica image (caller frees
 * with preprocess_pix_free).  width: RENDER_FAX_WIDTH for the fax line
 * (A4 centred in it), 0 for A4's own width (millimetres map straight to
 * pixels).  Header-only (unit tests link only the library); include
 * after cmocka.h.
 */
#ifndef FAXINTAKE_TEST_FAXPAGE_H
#define FAXINTAKE_TEST_FAXPAGE_H

#include "faxintake/preprocess.h"
#include "faxintake/render.h"

static struct Pix *
fax_page(struct render_doc *doc, size_t i, double ydpi, int width)
{
	struct render_raster g, b;
	struct Pix *pix;

	assert_int_equal(render_page_gray(doc, i, RENDER_FAX_XDPI, ydpi,
	    width, &g), 0);
	assert_int_equal(render_raster_bilevel(&g, 128, RENDER_DITHER_NONE,
	    &b), 0);
	assert_int_equal(preprocess_pix_from_raw(b.data, b.width, b.height,
	    b.stride, 1, 204, (int)ydpi, &pix), 0);
	render_raster_free(&g);
	render_raster_free(&b);
	return pix;
}

#endif
