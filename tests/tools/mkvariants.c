/*
 * mkvariants — write daemon/variant_data.c, the printed shapes of the
 * standard and variant kanji that variant.c tells apart.
 *
 *	mkvariants OUT.c
 *
 * Each character is drawn in IPAex Gothic and Mincho (the fonts faxintake
 * itself prints with, and the usual printed faces) at 12 pt, rasterised
 * at 300 dpi and reduced with variant_shape(), so templates and glyphs
 * are normalised by the same code.  `make variants` runs it; the output
 * is committed (the daemon does not load fonts).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>

#include "faxintake/render.h"
#include "faxintake/variant.h"

static const char *const chars[] = {
	"高", "髙", "崎", "﨑", "邊", "邉", "齋", "齊", "徳", "德",
};
static const char *const fonts[] = { RENDER_FONT_GOTHIC, RENDER_FONT_MINCHO };

#define DPI	300.0
#define PX(mm)	((int)((mm) * DPI / 25.4 + 0.5))

/* The raster as a leptonica image (8-bit grey, copied). */
static PIX *
to_pix(const struct render_raster *r)
{
	PIX *p;
	int y;

	if ((p = pixCreate(r->width, r->height, 8)) == NULL)
		return NULL;
	for (y = 0; y < r->height; y++) {
		l_uint32 *line = pixGetData(p) + y * pixGetWpl(p);
		int x;
		for (x = 0; x < r->width; x++)
			SET_DATA_BYTE(line, x, r->data[y * r->stride + x]);
	}
	return p;
}

int
main(int argc, char *argv[])
{
	struct render_doc *doc;
	struct render_page *pg;
	struct render_raster ras;
	struct render_box at[sizeof(chars) / sizeof(*chars) * 2];
	uint8_t shape[VARIANT_N * VARIANT_N];
	size_t nc = sizeof(chars) / sizeof(*chars);
	size_t nf = sizeof(fonts) / sizeof(*fonts), i, k;
	FILE *f;
	PIX *pix;

	if (argc != 2) {
		fprintf(stderr, "usage: mkvariants OUT.c\n");
		return 2;
	}
	if ((doc = render_doc_new()) == NULL ||
	    render_page_add(doc, &pg) != 0)
		return 1;
	for (i = 0; i < nc * nf; i++) {
		struct render_style st = { 0 };
		st.font = fonts[i % nf];
		st.size = 12;
		if (render_text(pg, &st, 10 + 9.0 * (double)i, 20, 0, 0,
		    chars[i / nf], &at[i]) != 0)
			return 1;
	}
	if (render_page_gray(doc, 0, DPI, DPI, 0, &ras) != 0 ||
	    (pix = to_pix(&ras)) == NULL)
		return 1;
	if ((f = fopen(argv[1], "w")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	fprintf(f, "/*\n * variant_data.c — written by tests/tools/mkvariants"
	    " (make variants); do not edit.\n */\n#include \"faxintake/"
	    "variant.h\"\n\nconst struct variant_template "
	    "variant_templates[] = {\n");
	for (i = 0; i < nc * nf; i++) {
		/* the text's box with a margin: the ink is found inside */
		int x = PX(at[i].x) - 4, y = PX(at[i].y) - 4;
		int w = PX(at[i].w) + 8, h = PX(at[i].h) + 8;

		if (variant_shape(pix, x, y, w, h, shape) != 0) {
			fprintf(stderr, "mkvariants: no ink for %s\n",
			    chars[i / nf]);
			return 1;
		}
		fprintf(f, "\t{ \"%s\", \"%s\", {", chars[i / nf],
		    fonts[i % nf]);
		for (k = 0; k < sizeof(shape); k++)
			fprintf(f, "%s%u,", k % 16 ? " " : "\n\t    ",
			    shape[k]);
		fprintf(f, "\n\t} },\n");
	}
	fprintf(f, "};\nconst unsigned variant_ntemplates = %zu;\n", nc * nf);
	if (fclose(f) != 0) {
		perror(argv[1]);
		return 1;
	}
	pixDestroy(&pix);
	render_raster_free(&ras);
	render_doc_free(doc);
	return 0;
}
