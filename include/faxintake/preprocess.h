/*
 * preprocess.h — page clean-up before OCR and mark detection (leptonica
 * stays inside; struct Pix is only forward-declared).
 *
 * Choices, measured (OCR-NOTES.md and readbench, see README of
 * tests/tools/readbench):
 *   - every page becomes 1 bit (fax pages already are; grey scans are
 *     thresholded at 128);
 *   - fine faxes (y >= ~150 dpi): specks of at most 2x2 pixels removed;
 *   - normal faxes (yres about 98): stretched 2x vertically by pixel copy
 *     (square pixels); no despeckling, which removed dakuten and 。 at that
 *     resolution and cost CER; Tesseract is given a softened grey copy
 *     (preprocess_ocr_gray; dev split CER 26.0 -> 19.8 %), while marks,
 *     rules and zones are found on the 1-bit page;
 *   - no deskew by default (measured: no gain, unstable reading order);
 *     the skew is measured and reported;
 *   - no upscaling of 1-bit pages (enlarged noise reads as diacritics).
 * Upside-down pages are detected by the caller (reader.c) with
 * preprocess_orient(), only when the upright reading looks poor.
 */
#ifndef FAXINTAKE_PREPROCESS_H
#define FAXINTAKE_PREPROCESS_H

#include <stddef.h>

struct Pix;
struct ocr;

struct preprocess_opts {
	int	despeckle;	/* -1 auto (fine only), 0 off, 1 on */
	int	deskew;		/* 0 off (default), 1 rotate by the skew */
};

struct preprocess_info {
	int	in_xres, in_yres, in_depth;
	int	xres, yres;	/* of the result */
	int	stretched;	/* normal resolution made square */
	int	despeckled;	/* components removed */
	double	skew_deg;	/* measured; 0 when unknown */
	int	deskewed;
	long long usec;
};

/*
 * Clean pix into a new 1-bit page *ret (pixDestroy'd by the caller via
 * preprocess_pix_free()).  opts may be NULL (defaults).  Images over
 * 8000 x 12000 pixels are -E2BIG.
 */
int	preprocess_page(struct Pix *pix, const struct preprocess_opts *opts,
	    struct Pix **ret, struct preprocess_info *info);

/*
 * Orientation: *deg is 0 or 180 (or 90/270 from OSD) — the clockwise
 * rotation that makes the page upright — and *conf the OSD confidence.
 * Uses Tesseract OSD (ocr_orientation); -ENOENT without osd data.
 */
int	preprocess_orient(struct ocr *, struct Pix *pix, int *deg, float *conf);

/*
 * What Tesseract reads of a stretched normal-resolution page: the 1-bit
 * page as grey, smoothed by a Gaussian of one pixel (binomial 1 4 6 4 1
 * both ways).  Its LSTM reads the grey levels, and the rows copied in
 * pairs and the strokes the fax thinned read better softened.  -EINVAL
 * unless pix is 1 bit.  *ret: preprocess_pix_free().
 */
int	preprocess_ocr_gray(struct Pix *pix, struct Pix **ret);

/* A new image rotated by deg (0, 90, 180, 270) clockwise. */
int	preprocess_rotate(struct Pix *pix, int deg, struct Pix **ret);

void	preprocess_pix_free(struct Pix *);	/* NULL ok */

/*
 * A page from plain pixels (render.h's struct render_raster layout):
 * depth 8 (0 black .. 255 white) or depth 1 (packed, MSB first, set bit
 * black).  *ret: preprocess_pix_free().
 */
int	preprocess_pix_from_raw(const unsigned char *data, int width,
	    int height, size_t stride, int depth, int xres, int yres,
	    struct Pix **ret);

#endif
