/*
 * qrread.h — the first QR code in an 8-bit gray raster, read with zbar,
 * for the tests that check what faxintake printed reads back.
 * Header-only (unit tests link only the library); include after cmocka.h.
 */
#ifndef FAXINTAKE_TEST_QRREAD_H
#define FAXINTAKE_TEST_QRREAD_H

#include <stdlib.h>
#include <string.h>

#include <zbar.h>

#include "faxintake/render.h"

/* Malloc'd text, or NULL when zbar finds no QR code. */
static char *
qr_read(const struct render_raster *g)
{
	zbar_image_scanner_t *sc;
	zbar_image_t *img;
	const zbar_symbol_t *sym;
	char *s = NULL;

	assert_int_equal(g->depth, 8);
	assert_int_equal(g->stride, (size_t)g->width);
	sc = zbar_image_scanner_create();
	zbar_image_scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	img = zbar_image_create();
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, (unsigned)g->width, (unsigned)g->height);
	zbar_image_set_data(img, g->data, (unsigned long)g->width * g->height,
	    NULL);
	if (zbar_scan_image(sc, img) > 0) {
		sym = zbar_image_first_symbol(img);
		if (sym)
			s = strdup(zbar_symbol_get_data(sym));
	}
	zbar_image_destroy(img);
	zbar_image_scanner_destroy(sc);
	return s;
}

#endif
