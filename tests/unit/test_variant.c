/*
 * test_variant.c — 髙/高, 﨑/崎, 邉/邊, 齊/齋 and 德/徳 told apart by
 * shape: names printed in both faces at fax fine and normal resolution,
 * each glyph given with its exact box and with the sloppy boxes Tesseract
 * gives (half a neighbour taken in, shifted); the standard form must stay
 * standard.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <leptonica/allheaders.h>

#include "faxintake/preprocess.h"
#include "faxintake/render.h"
#include "faxintake/variant.h"
#include "faxintake/lsan.h"
#include "faxpage.h"

static const struct {
	const char	*name;	/* the first character is judged */
	const char	*std;	/* as the model reads it */
	const char	*want;
	int		 thin;	/* told by one thin stroke, which a normal
				 * fax may lose: then it stays standard */
} names[] = {
	{ "髙橋", "高", "髙", 0 },
	{ "高橋", "高", "高", 0 },
	{ "髙田", "高", "髙", 0 },
	{ "高田", "高", "高", 0 },
	{ "﨑山", "崎", "﨑", 0 },	/* first, so the box is easy to find */
	{ "崎山", "崎", "崎", 0 },
	{ "邉見", "邊", "邉", 0 },
	{ "邊見", "邊", "邊", 0 },
	{ "齊藤", "齋", "齊", 0 },
	{ "齋藤", "齋", "齋", 0 },
	{ "德田", "徳", "德", 1 },
	{ "徳田", "徳", "徳", 0 },
};
#define NNAMES	(sizeof(names) / sizeof(names[0]))

static const char *const fonts[] = { RENDER_FONT_GOTHIC, RENDER_FONT_MINCHO };
static const double sizes[] = { 10.5, 14 };
#define NFONTS	2
#define NSIZES	2

/* Every name in every font and size on one page; boxes in mm. */
static struct render_doc *
draw(struct render_box at[NNAMES][NFONTS][NSIZES])
{
	struct render_doc *doc = render_doc_new();
	struct render_page *pg;
	size_t i, f, z;

	assert_non_null(doc);
	assert_int_equal(render_page_add(doc, &pg), 0);
	for (i = 0; i < NNAMES; i++)
		for (f = 0; f < NFONTS; f++)
			for (z = 0; z < NSIZES; z++) {
				struct render_style st = { 0 };
				st.font = fonts[f];
				st.size = sizes[z];
				assert_int_equal(render_text(pg, &st,
				    15 + 45.0 * (double)(f * NSIZES + z),
				    15 + 10.0 * (double)i, 0, 0, names[i].name,
				    &at[i][f][z]), 0);
			}
	return doc;
}

/* The page as the reader gets it: a fax (A4's width, so millimetres
 * map to pixels), cleaned; normal resolution stretched to square. */
static struct Pix *
fax(struct render_doc *doc, double ydpi)
{
	struct Pix *raw = fax_page(doc, 0, ydpi, 0), *pix;
	struct preprocess_info pi;

	assert_int_equal(preprocess_page(raw, NULL, &pix, &pi), 0);
	assert_int_equal(pi.yres, 196);
	preprocess_pix_free(raw);
	return pix;
}

static void
judge(struct Pix *pix, struct render_box at[NNAMES][NFONTS][NSIZES],
    double xdpi, double ydpi, int normal)
{
	/* exact; half the next glyph taken in; shifted left a third */
	static const double dx[] = { 0, 0, -0.33 }, dw[] = { 1, 1.5, 1 };
	size_t i, f, z, k;

	for (i = 0; i < NNAMES; i++)
		for (f = 0; f < NFONTS; f++)
			for (z = 0; z < NSIZES; z++)
				for (k = 0; k < 3; k++) {
					const struct render_box *b = &at[i][f][z];
					double gw = b->w / 2;	/* one glyph */
					int x = (int)((b->x + dx[k] * gw) *
					    xdpi / 25.4);
					int y = (int)(b->y * ydpi / 25.4);
					int w = (int)(dw[k] * gw * xdpi / 25.4);
					int h = (int)(b->h * ydpi / 25.4);
					const char *got = NULL;

					assert_int_equal(variant_pick(pix, x,
					    y, w, h, names[i].std, &got), 0);
					if (normal && names[i].thin &&
					    strcmp(got, names[i].std) == 0)
						continue;
					if (strcmp(got, names[i].want) != 0)
						fail_msg("%s (%s %.1f pt, box %zu, "
						    "%.0f dpi) read %s",
						    names[i].name, fonts[f],
						    sizes[z], k, ydpi, got);
				}
}

/* Every name drawn and sent at ydpi, every glyph judged on the page the
 * reader gets (a normal page stretched to 196 lines per inch). */
static void
judge_at(double ydpi)
{
	struct render_box at[NNAMES][NFONTS][NSIZES];
	struct render_doc *doc = draw(at);
	struct Pix *pix = fax(doc, ydpi);
	int normal = ydpi < 150;

	judge(pix, at, RENDER_FAX_XDPI, normal ? 2 * ydpi : ydpi, normal);
	pixDestroy(&pix);
	render_doc_free(doc);
}

static void
test_fine(void **state)
{
	(void)state;
	judge_at(RENDER_FAX_FINE_YDPI);
}

static void
test_normal(void **state)
{
	(void)state;
	judge_at(RENDER_FAX_NORMAL_YDPI);
}

static void
test_args(void **state)
{
	struct Pix *pix = pixCreate(100, 100, 1);
	const char *got = NULL;
	uint8_t shape[VARIANT_N * VARIANT_N];

	(void)state;
	assert_string_equal(variant_of("高橋"), "髙");
	assert_string_equal(variant_of("崎"), "﨑");
	assert_null(variant_of("橋"));
	assert_null(variant_of(NULL));
	/* a character without a variant, a blank box, a box off the page */
	assert_int_equal(variant_pick(pix, 10, 10, 30, 30, "橋", &got),
	    -EINVAL);
	assert_int_equal(variant_pick(pix, 10, 10, 30, 30, "高", &got),
	    -EINVAL);
	assert_string_equal(got, "高");
	assert_int_equal(variant_pick(pix, 90, 90, 30, 30, "高", &got),
	    -EINVAL);
	assert_int_equal(variant_shape(pix, 10, 10, 30, 30, shape), -EINVAL);
	pixDestroy(&pix);
}

/* fontconfig's and pango's caches live until exit (lsan.h) */
FAXINTAKE_LSAN_SUPPRESSIONS

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_fine),
		cmocka_unit_test(test_normal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
