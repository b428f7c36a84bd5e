/*
 * variant.h — variant kanji that the OCR model cannot produce.
 *
 * Tesseract's jpn model has no 髙 (はしご高), 﨑 (たつさき), 邉, 齊 or 德:
 * it reads them as 高, 崎, 邊, 齋 and 徳, so 髙橋, 山﨑 or 渡邉 never came
 * out as written.  For a character the model gave as one of these,
 * variant_pick() compares the glyph on the page with the printed shapes
 * of both forms (IPAex Gothic and Mincho, compiled in from
 * variant_data.c, made by tests/tools/mkvariants) and answers the variant
 * only when the glyph is clearly closer to it.  Handwriting and damaged
 * glyphs stay as read.  (𠮷 the model drops altogether: nothing to
 * compare.)
 */
#ifndef FAXINTAKE_VARIANT_H
#define FAXINTAKE_VARIANT_H

#include <stdint.h>

struct Pix;

#define VARIANT_N	32	/* templates are VARIANT_N x VARIANT_N grey */

/* One character shape: a standard form or its variant, in one font. */
struct variant_template {
	const char	*ch;		/* UTF-8 */
	const char	*font;
	uint8_t		 px[VARIANT_N * VARIANT_N];
};

extern const struct variant_template variant_templates[];
extern const unsigned variant_ntemplates;

/* The standard form has a variant the model lacks: its UTF-8, else NULL.
 * ch points at one UTF-8 character. */
const char *variant_of(const char *ch);

/*
 * The glyph in the box (x, y, w, h: pixels of pix, any depth, ink dark)
 * read as the standard form std: *ret the form it looks like (std or its
 * variant, static strings).  0, or -EINVAL (no variant for std, an empty
 * or too small box).
 */
int	variant_pick(struct Pix *pix, int x, int y, int w, int h,
	    const char *std, const char **ret);

/*
 * The normalised shape of the ink in the box, as templates are stored
 * (tests/tools/mkvariants makes the templates with it).  0, or -EINVAL
 * for a box without ink.
 */
int	variant_shape(struct Pix *pix, int x, int y, int w, int h,
	    uint8_t out[VARIANT_N * VARIANT_N]);

#endif
