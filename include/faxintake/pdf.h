/*
 * pdf.h — rasterise a PDF with poppler into 8-bit grey leptonica images,
 * one per page, for decode.c.  Worker-only (see decode.h).
 */
#ifndef FAXINTAKE_PDF_H
#define FAXINTAKE_PDF_H

#include <stddef.h>

#include "faxintake/decode.h"

/*
 * Open the PDF in data (which must stay valid during the call), check the
 * page count against limits->max_pages and each page's size against
 * limits->max_page_pixels, then render each page at DECODE_PDF_DPI (or
 * lower, see decode.h) and hand it to fn.  Returns as decode_buffer():
 * 0, DECODE_REJECTED with the reason in info (poppler's message for a
 * damaged or encrypted file), -errno, or fn's non-zero result.
 * info->npages is set on success.
 */
int	pdf_decode(const void *data, size_t len,
	    const struct decode_limits *limits, struct decode_info *info,
	    decode_page_fn fn, void *arg);

#endif
