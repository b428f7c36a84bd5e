/*
 * test_render.c — the render module and the forms drawn through it:
 * reproducible PDF, fax TIFF tags, QR codes that read back, field boxes.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "qrread.h"
#include <tiffio.h>
#include <zbar.h>

#include "faxintake/form.h"
#include "faxintake/render.h"
#include "faxintake/lsan.h"

static const struct form_department depts[] = {
	{ "消化器内科", 1 }, { "呼吸器内科", 0 }, { "血液内科", 1 },
	{ "外科", 0 }, { "小児科", 0 }, { "泌尿器科", 0 },
	{ "産婦人科", 0 }, { "放射線治療科", 1 }, { "歯科口腔外科", 0 },
};

static const struct form_hospital hosp = {
	.id = "testhosp", .name = "試験市立病院", .office = "地域医療連携室",
	.postcode = "100-0001", .address = "東京都千代田区千代田1-1",
	.tel = "03-0000-0001", .fax = "03-0000-0002",
	.hours = "平日 9時から16時", .departments = depts,
	.ndepartments = sizeof(depts) / sizeof(depts[0]), .online = 1,
};

/* A two-page document with text, boxes and a QR code. */
static struct render_doc *
sample_doc(const char *qr)
{
	struct render_style st = { .size = 18, .bold = 1,
	    .align = RENDER_CENTER };
	struct render_doc *doc;
	struct render_page *p;
	struct render_box b;

	doc = render_doc_new();
	assert_non_null(doc);
	assert_int_equal(render_page_add(doc, &p), 0);
	assert_int_equal(render_text(p, &st, 105, 20, 0, 0,
	    "セカンドオピニオン外来申込書", &b), 0);
	assert_true(b.w > 50 && b.w < 150);
	render_rect(p, 20, 40, 170, 30, 0.4);
	render_checkbox(p, 25, 45, 4, RENDER_CHECK_TICK);
	render_checkbox(p, 35, 45, 4, RENDER_CHECK_FILL);
	render_regmark(p, 8, 8, 5);
	assert_int_equal(render_qr(p, 60, 120, 90, qr), 0);
	assert_int_equal(render_page_add(doc, &p), 0);
	st.size = 10.5;
	st.bold = 0;
	st.align = RENDER_LEFT;
	assert_int_equal(render_text(p, &st, 20, 20, 170, 0,
	    "二枚目のページです。", NULL), 0);
	return doc;
}

static void
test_pdf_deterministic(void **state)
{
	struct render_doc *d1, *d2;
	unsigned char *a, *b;
	size_t alen, blen;

	(void)state;
	d1 = sample_doc("FXI1|form=application|v=1|h=testhosp|p=1");
	d2 = sample_doc("FXI1|form=application|v=1|h=testhosp|p=1");
	render_doc_set_title(d1, "t");
	render_doc_set_title(d2, "t");
	assert_int_equal(render_doc_pdf(d1, &a, &alen), 0);
	assert_int_equal(render_doc_pdf(d2, &b, &blen), 0);
	assert_true(alen > 1000);
	assert_memory_equal(a, "%PDF-", 5);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	/* The same document written twice gives the same bytes too. */
	free(b);
	assert_int_equal(render_doc_pdf(d1, &b, &blen), 0);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	assert_non_null(memmem(a, alen, "2000", 4));
	free(a);
	free(b);
	render_doc_free(d1);
	render_doc_free(d2);
}

static void
test_text_fit_and_errors(void **state)
{
	struct render_doc *doc = render_doc_new();
	struct render_page *p;
	struct render_style st = { .size = 10.5 };
	const char *text = "第一行のテキストです。\n第二行のテキストです。\n"
	    "第三行のテキストです。\n第四行のテキストです。";
	double w, h1, h4;
	size_t n;

	(void)state;
	assert_int_equal(render_page_add(doc, &p), 0);
	assert_int_equal(render_text_measure(doc, &st, 0, "第一行",
	    &w, &h1), 0);
	assert_int_equal(render_text_measure(doc, &st, 0, text, &w, &h4), 0);
	assert_true(h4 > 3.5 * h1 && h4 < 4.5 * h1);
	assert_int_equal(render_text_fit(doc, &st, 170, h1 * 2.5, text, &n),
	    0);
	assert_int_equal(n, strlen("第一行のテキストです。\n"
	    "第二行のテキストです。\n"));
	assert_int_equal(render_text_fit(doc, &st, 170, 1000, text, &n), 0);
	assert_int_equal(n, strlen(text));
	assert_int_equal(render_text(p, &st, 0, 0, 0, 0, "\xff\xfe", NULL),
	    -EINVAL);
	st.markup = 1;
	assert_int_equal(render_text(p, &st, 0, 0, 0, 0, "<b>x", NULL),
	    -EINVAL);
	assert_int_equal(render_text(p, &st, 0, 0, 0, 0, "<b>太字</b>", NULL),
	    0);
	render_doc_free(doc);
}

static int
tiff_check(const char *path, uint16_t comp, double yres, uint32_t height,
    int pages)
{
	TIFF *t;
	uint32_t w = 0, h = 0;
	uint16_t c = 0, unit = 0, bps = 0, pg = 0, np = 0;
	float xr = 0, yr = 0;
	int n = 0;

	t = TIFFOpen(path, "r");
	assert_non_null(t);
	do {
		assert_int_equal(TIFFGetField(t, TIFFTAG_IMAGEWIDTH, &w), 1);
		assert_int_equal(TIFFGetField(t, TIFFTAG_IMAGELENGTH, &h), 1);
		TIFFGetField(t, TIFFTAG_COMPRESSION, &c);
		TIFFGetField(t, TIFFTAG_BITSPERSAMPLE, &bps);
		TIFFGetField(t, TIFFTAG_XRESOLUTION, &xr);
		TIFFGetField(t, TIFFTAG_YRESOLUTION, &yr);
		TIFFGetField(t, TIFFTAG_RESOLUTIONUNIT, &unit);
		TIFFGetField(t, TIFFTAG_PAGENUMBER, &pg, &np);
		assert_int_equal(w, RENDER_FAX_WIDTH);
		assert_int_equal(h, height);
		assert_int_equal(c, comp);
		assert_int_equal(bps, 1);
		assert_true(xr > 203.9 && xr < 204.1);
		assert_true(yr > yres - 0.1 && yr < yres + 0.1);
		assert_int_equal(unit, RESUNIT_INCH);
		assert_int_equal(pg, n);
		assert_int_equal(np, pages);
		n++;
	} while (TIFFReadDirectory(t));
	TIFFClose(t);
	return n;
}

static void
test_fax_tiff(void **state)
{
	struct render_doc *doc = sample_doc("FXI1|form=separator|v=1");
	struct render_tiff_opts o = { .compression = RENDER_TIFF_G3,
	    .description = "0113829314", .fax_recv_params = 1 };
	char dir[] = "/tmp/test_render.XXXXXX", path[128], path2[128];
	struct render_raster g, bits[2];
	unsigned char *a, *b;
	size_t alen, blen, i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fine.tif", dir);
	snprintf(path2, sizeof(path2), "%s/normal.tif", dir);
	assert_int_equal(render_doc_write_fax(doc, path, 0600,
	    RENDER_FAX_FINE_YDPI, NULL), 0);
	assert_int_equal(tiff_check(path, COMPRESSION_CCITTFAX4, 196, 2292, 2),
	    2);
	assert_int_equal(render_doc_write_fax(doc, path2, 0600,
	    RENDER_FAX_NORMAL_YDPI, NULL), 0);
	assert_int_equal(tiff_check(path2, COMPRESSION_CCITTFAX4, 98, 1146,
	    2), 2);
	unlink(path);
	unlink(path2);

	/* Rasters by hand: gray, then 1-bit, then G3 with HylaFAX's tags. */
	for (i = 0; i < 2; i++) {
		assert_int_equal(render_page_gray(doc, i, RENDER_FAX_XDPI,
		    RENDER_FAX_FINE_YDPI, RENDER_FAX_WIDTH, &g), 0);
		assert_int_equal(g.width, 1728);
		assert_int_equal(g.depth, 8);
		assert_int_equal(render_raster_bilevel(&g, 0,
		    RENDER_DITHER_NONE, &bits[i]), 0);
		assert_int_equal(bits[i].stride, 1728 / 8);
		render_raster_free(&g);
	}
	assert_int_equal(render_tiff_write(path, 0600, bits, 2, &o), 0);
	assert_int_equal(tiff_check(path, COMPRESSION_CCITTFAX3, 196, 2292, 2),
	    2);
	/* Deterministic: same bytes twice. */
	assert_int_equal(render_tiff_encode(bits, 2, &o, &a, &alen), 0);
	assert_int_equal(render_tiff_encode(bits, 2, &o, &b, &blen), 0);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	free(a);
	free(b);
	/* A raster PDF (the scanner's kind) of the same pages. */
	assert_int_equal(render_raster_pdf(bits, 2, &a, &alen), 0);
	assert_memory_equal(a, "%PDF-", 5);
	free(a);
	for (i = 0; i < 2; i++)
		render_raster_free(&bits[i]);
	unlink(path);
	rmdir(dir);
	render_doc_free(doc);
}

static void
test_qr_roundtrip(void **state)
{
	const char *text = "FXI1|form=application|v=1|h=keio|p=1";
	struct render_doc *doc = sample_doc(text);
	struct render_raster g, bits, g2;
	size_t i;
	char *s;

	(void)state;
	assert_int_equal(render_page_gray(doc, 0, RENDER_SCAN_DPI,
	    RENDER_SCAN_DPI, 0, &g), 0);
	assert_int_equal(g.width, 2480);
	assert_int_equal(g.height, 3508);
	s = qr_read(&g);
	assert_non_null(s);
	assert_string_equal(s, text);
	free(s);

	/* Through the fax path: 1-bit at fine resolution, back to 8-bit. */
	assert_int_equal(render_raster_bilevel(&g, 0, RENDER_DITHER_NONE,
	    &bits), 0);
	g2 = g;
	g2.data = malloc((size_t)g.width * g.height);
	assert_non_null(g2.data);
	for (i = 0; i < (size_t)g.width * g.height; i++)
		g2.data[i] = (bits.data[(i / g.width) * bits.stride +
		    (i % g.width) / 8] & (0x80 >> ((i % g.width) % 8))) ? 0 :
		    255;
	s = qr_read(&g2);
	assert_non_null(s);
	assert_string_equal(s, text);
	free(s);
	free(g2.data);
	render_raster_free(&bits);
	render_raster_free(&g);
	assert_int_equal(render_qr(render_doc_page(doc, 0), 0, 0, 10, ""),
	    -EINVAL);
	render_doc_free(doc);
}

static struct form *
load_form(const char *name)
{
	struct form *f = NULL;
	char *errs = NULL;

	if (form_load_named(FI_SRCDIR "/templates", name, &f, &errs) != 0)
		fail_msg("%s", errs ? errs : name);
	assert_null(errs);
	return f;
}

static int
inside(const struct render_box *in, const struct render_box *out)
{
	const double e = 0.01;

	return in->x >= out->x - e && in->y >= out->y - e &&
	    in->x + in->w <= out->x + out->w + e &&
	    in->y + in->h <= out->y + out->h + e;
}

static int
overlap(const struct render_box *a, const struct render_box *b)
{
	const double e = 0.05;

	return a->x + e < b->x + b->w && b->x + e < a->x + a->w &&
	    a->y + e < b->y + b->h && b->y + e < a->y + a->h;
}

static void
check_layout(const struct form_layout *lay)
{
	const struct render_box page = { 0, 0, RENDER_PAGE_W, RENDER_PAGE_H };
	const struct form_field *a, *b;
	size_t i, j;

	assert_true(lay->npages >= 1);
	for (i = 0; i < lay->nfields; i++) {
		a = &lay->fields[i];
		assert_true(a->page >= 1 && a->page <= lay->npages);
		assert_true(a->box.w > 1 && a->box.h > 1);
		if (!inside(&a->box, &page))
			fail_msg("%s outside the page", a->id);
		for (j = 0; j < a->noptions; j++)
			if (!inside(&a->options[j].box, &a->box))
				fail_msg("%s option %s outside its box", a->id,
				    a->options[j].value);
		for (j = i + 1; j < lay->nfields; j++) {
			b = &lay->fields[j];
			if (a->page == b->page && overlap(&a->box, &b->box))
				fail_msg("%s overlaps %s", a->id, b->id);
		}
	}
}

static void
test_form_boxes(void **state)
{
	static const char *names[] = { "application", "consent", "separator" };
	struct form_hospital h = hosp;
	struct form_layout *lay;
	struct form *f;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		f = load_form(names[i]);
		assert_int_equal(form_layout(f, &h, &lay), 0);
		check_layout(lay);
		form_layout_free(lay);
		h.online = 0;			/* and without the online row */
		assert_int_equal(form_layout(f, &h, &lay), 0);
		check_layout(lay);
		if (i == 0)
			assert_null(form_layout_field(lay,
			    "consultation_mode"));
		form_layout_free(lay);
		h.online = 1;
		form_free(f);
	}
}

static void
test_form_application_fields(void **state)
{
	static const char *ids[] = {
		"patient_name", "patient_name_kana", "patient_birth_date",
		"patient_sex", "patient_phone", "patient_address",
		"applicant_name", "applicant_relationship", "patient_attends",
		"consultation_mode", "department", "desired_doctor",
		"referring_hospital", "referring_doctor", "referring_phone",
		"referring_fax", "diagnosis", "consultation_topic",
		"imaging_media", "attending_approval", "applicant_phone",
		"applicant_fax", "date", "signature",
	};
	struct form *f = load_form("application");
	struct form_layout *lay;
	const struct form_field *fl;
	size_t i;

	(void)state;
	assert_int_equal(form_layout(f, &hosp, &lay), 0);
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (form_layout_field(lay, ids[i]) == NULL)
			fail_msg("no field %s", ids[i]);
	fl = form_layout_field(lay, "department");
	assert_int_equal(fl->kind, FORM_MULTI);
	assert_int_equal(fl->noptions, hosp.ndepartments);
	assert_string_equal(fl->options[0].value, "消化器内科");
	fl = form_layout_field(lay, "patient_sex");
	assert_int_equal(fl->kind, FORM_CHOICE);
	assert_int_equal(fl->noptions, 2);
	assert_string_equal(fl->options[0].label, "男");
	assert_string_equal(fl->options[0].value, "M");
	fl = form_layout_field(lay, "patient_birth_date");
	assert_int_equal(fl->kind, FORM_DATE);
	assert_int_equal(fl->noptions, 5);
	assert_string_equal(fl->options[3].value, "heisei");
	assert_true(fl->parts[0].x > fl->options[4].box.x);
	fl = form_layout_field(lay, "consultation_topic");
	assert_int_equal(fl->kind, FORM_LINES);
	assert_true(fl->lines >= 4);
	form_layout_free(lay);
	form_free(f);
}

/* The QR of a rendered, filled-in form reads back with its page. */
static void
test_form_filled_qr(void **state)
{
	const struct form_value vals[] = {
		{ .id = "patient_name", .text = "髙橋 花子" },
		{ .id = "patient_sex", .text = "F",
		  .mark = RENDER_CHECK_CIRCLE },
		{ .id = "patient_birth_date", .text = "showa,45,3,12" },
		{ .id = "department", .text = "血液内科,外科",
		  .mark = RENDER_CHECK_FILL },
		{ .id = "consultation_topic", .text = "手術と化学療法で迷っている" },
	};
	const struct form_value bad[] = {
		{ .id = "patient_sex", .text = "X" },
	};
	const struct form_value unknown[] = {
		{ .id = "no_such_field", .text = "x" },
	};
	struct form *f = load_form("application");
	struct render_doc *doc = render_doc_new();
	struct form_layout *lay;
	struct render_raster g;
	char *s, *want;

	(void)state;
	assert_int_equal(form_render(f, &hosp, vals, 5, doc, &lay), 0);
	assert_int_equal(render_doc_npages(doc), (size_t)lay->npages);
	assert_int_equal(render_page_gray(doc, 0, RENDER_SCAN_DPI,
	    RENDER_SCAN_DPI, 0, &g), 0);
	s = qr_read(&g);
	want = form_qr_text(f, &hosp, 1);
	assert_string_equal(want, "FXI1|form=application|v=1|h=testhosp|p=1");
	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
	free(want);
	render_raster_free(&g);
	form_layout_free(lay);
	assert_int_equal(form_render(f, &hosp, bad, 1, doc, NULL), -EINVAL);
	assert_int_equal(form_render(f, &hosp, unknown, 1, doc, NULL),
	    -EINVAL);
	render_doc_free(doc);
	form_free(f);

	f = load_form("separator");
	want = form_qr_text(f, &hosp, 1);
	assert_string_equal(want, "FXI1|form=separator|v=1");
	free(want);
	form_free(f);
}

/* render_page_text: lines by position, not by drawing order. */
static void
test_page_text(void **state)
{
	struct render_style st = { .size = 10.5 }, big = { .size = 20,
	    .markup = 1 }, right = { .align = RENDER_RIGHT };
	struct render_doc *doc = render_doc_new();
	struct render_page *p;
	char *s;

	(void)state;
	assert_non_null(doc);
	assert_int_equal(render_page_add(doc, &p), 0);
	assert_int_equal(render_page_add(doc, &p), 0);
	/* bottom first, then one line drawn right then left (the right
	 * one a little lower and right-aligned), a marked-up title on
	 * top, a text of two lines and one wrapped in a narrow box */
	assert_int_equal(render_text(p, &st, 20, 250, 0, 0, "おわり", NULL),
	    0);
	assert_int_equal(render_text(p, &right, 190, 60.8, 0, 0,
	    "山田 太郎  ", NULL), 0);
	assert_int_equal(render_text(p, &st, 20, 60, 0, 0, "氏名", NULL), 0);
	assert_int_equal(render_text(p, &big, 105, 20, 0, 0,
	    "<b>紹介状</b>", NULL), 0);
	assert_int_equal(render_text(p, &st, 20, 100, 0, 0,
	    "一行目\n\n二行目", NULL), 0);
	assert_int_equal(render_text(p, &st, 20, 150, 12, 0,
	    "あいうえおかきくけこ", NULL), 0);
	assert_int_equal(render_page_text(doc, 1, &s), 0);
	/* the blank line in between is dropped; the narrow box wraps */
	assert_true(strncmp(s, "紹介状\n氏名 山田 太郎\n一行目\n二行目\n",
	    strlen("紹介状\n氏名 山田 太郎\n一行目\n二行目\n")) == 0);
	assert_non_null(strstr(s, "\nおわり"));
	assert_int_equal(strlen(strstr(s, "\nおわり")), strlen("\nおわり"));
	{
		/* the wrapped text: several lines, all of it, in order */
		char *w = s + strlen("紹介状\n氏名 山田 太郎\n一行目\n二行目\n"),
		    *q, *o = w;
		size_t nl = 0;

		for (q = w; q < strstr(s, "\nおわり"); q++) {
			if (*q == '\n')
				nl++;
			else
				*o++ = *q;
		}
		*o = '\0';
		assert_true(nl >= 1);
		assert_string_equal(w, "あいうえおかきくけこ");
	}
	free(s);
	/* an empty page, and one past the end */
	assert_int_equal(render_page_text(doc, 0, &s), 0);
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(render_page_text(doc, 2, &s), -EINVAL);
	render_doc_free(doc);
}

/* fontconfig's and pango's caches live until exit (lsan.h) */
FAXINTAKE_LSAN_SUPPRESSIONS

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pdf_deterministic),
		cmocka_unit_test(test_text_fit_and_errors),
		cmocka_unit_test(test_fax_tiff),
		cmocka_unit_test(test_qr_roundtrip),
		cmocka_unit_test(test_form_boxes),
		cmocka_unit_test(test_form_application_fields),
		cmocka_unit_test(test_form_filled_qr),
		cmocka_unit_test(test_page_text),
	};

	int rc;

	rc = cmocka_run_group_tests(tests, NULL, NULL);
	return rc;
}
