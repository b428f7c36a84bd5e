/*
 * render.c — pages recorded with cairo, text set with pango, written as
 * PDF, rasters and CCITT TIFF.  The only code besides the PDF rasteriser
 * that includes cairo or pango.
 *
 * Each page is a cairo recording surface whose device units are PDF points
 * (1/72 in); the page's cairo_t is scaled so that user space is mm.  Text
 * is laid out with hinting off and unrounded glyph positions, so a layout
 * is the same whatever the output resolution.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <tiffio.h>

#include "faxintake/buf.h"
#include "faxintake/render.h"
#include "faxintake/util.h"
#include "faxintake/xmalloc.h"

#define PT_PER_MM	(72.0 / 25.4)
#define PAGE_PT_W	(RENDER_PAGE_W * PT_PER_MM)
#define PAGE_PT_H	(RENDER_PAGE_H * PT_PER_MM)
#define DEFAULT_DATE	"2000-01-01T00:00:00"
#define MAX_PIXELS_SIDE	16384
#define MAX_OUTPUT	(512u * 1024 * 1024)	/* bytes of one PDF or TIFF */
#define MAX_TEXT	(256 * 1024)		/* bytes of one text call */

/* One line of drawn text, for render_page_text(). */
struct text_ent {
	char			*s;
	double			 x, y, h;	/* mm: left, top, height */
	size_t			 seq;		/* drawing order */
};

struct render_page {
	struct render_doc	*doc;
	cairo_surface_t		*rec;
	cairo_t			*cr;
	struct text_ent		*texts;
	size_t			 ntexts, texts_cap;
};

struct render_doc {
	PangoFontMap		*fontmap;
	PangoContext		*pctx;
	cairo_surface_t		*measure_rec;
	cairo_t			*measure_cr;
	struct render_page	**pages;
	size_t			 npages;
	char			*title;
	char			*date;
};

/* --- documents ------------------------------------------------------- */

static void
page_setup(cairo_t *cr)
{
	cairo_scale(cr, PT_PER_MM, PT_PER_MM);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_SQUARE);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
	cairo_set_source_rgb(cr, 0, 0, 0);
}

static cairo_surface_t *
page_surface(void)
{
	cairo_rectangle_t ext = { 0, 0, PAGE_PT_W, PAGE_PT_H };

	return cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
}

struct render_doc *
render_doc_new(void)
{
	struct render_doc *doc;
	cairo_font_options_t *fo;

	doc = xcalloc(1, sizeof(*doc));
	doc->date = xstrdup(DEFAULT_DATE);
	/* Our own font map: its caches die with the document. */
	doc->fontmap = pango_cairo_font_map_new();
	if (doc->fontmap == NULL)
		goto fail;
	doc->pctx = pango_font_map_create_context(doc->fontmap);
	doc->measure_rec = page_surface();
	doc->measure_cr = cairo_create(doc->measure_rec);
	if (doc->pctx == NULL || cairo_status(doc->measure_cr) != 0)
		goto fail;
	page_setup(doc->measure_cr);

	fo = cairo_font_options_create();
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	pango_cairo_context_set_font_options(doc->pctx, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_round_glyph_positions(doc->pctx, FALSE);
	pango_cairo_update_context(doc->measure_cr, doc->pctx);
	pango_context_set_language(doc->pctx,
	    pango_language_from_string("ja-jp"));
	return doc;
fail:
	render_doc_free(doc);
	return NULL;
}

static void
page_free(struct render_page *p)
{
	size_t i;

	for (i = 0; i < p->ntexts; i++)
		free(p->texts[i].s);
	free(p->texts);
	cairo_destroy(p->cr);
	cairo_surface_destroy(p->rec);
	free(p);
}

void
render_doc_free(struct render_doc *doc)
{
	size_t i;

	if (doc == NULL)
		return;
	for (i = 0; i < doc->npages; i++)
		page_free(doc->pages[i]);
	free(doc->pages);
	if (doc->measure_cr)
		cairo_destroy(doc->measure_cr);
	if (doc->measure_rec)
		cairo_surface_destroy(doc->measure_rec);
	if (doc->pctx)
		g_object_unref(doc->pctx);
	if (doc->fontmap)
		g_object_unref(doc->fontmap);
	free(doc->title);
	free(doc->date);
	free(doc);
}

void
render_doc_set_title(struct render_doc *doc, const char *title)
{
	free(doc->title);
	doc->title = title ? xstrdup(title) : NULL;
}

void
render_doc_set_date(struct render_doc *doc, const char *date)
{
	free(doc->date);
	doc->date = xstrdup(date ? date : DEFAULT_DATE);
}

int
render_page_add(struct render_doc *doc, struct render_page **ret)
{
	struct render_page *p;

	if (doc->npages >= RENDER_MAX_PAGES)
		return -E2BIG;
	p = xcalloc(1, sizeof(*p));
	p->doc = doc;
	p->rec = page_surface();
	p->cr = cairo_create(p->rec);
	if (cairo_status(p->cr) != CAIRO_STATUS_SUCCESS) {
		page_free(p);
		return -EIO;
	}
	page_setup(p->cr);
	doc->pages = xreallocarray(doc->pages, doc->npages + 1,
	    sizeof(*doc->pages));
	doc->pages[doc->npages++] = p;
	*ret = p;
	return 0;
}

size_t
render_doc_npages(const struct render_doc *doc)
{
	return doc->npages;
}

struct render_page *
render_doc_page(struct render_doc *doc, size_t i)
{
	return i < doc->npages ? doc->pages[i] : NULL;
}

/* --- drawing ------------------------------------------------------------- */

static double
clamp01(double v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

void
render_set_gray(struct render_page *p, double gray)
{
	gray = clamp01(gray);
	cairo_set_source_rgb(p->cr, gray, gray, gray);
}

void
render_set_dash(struct render_page *p, double on, double off)
{
	double d[2] = { on, off };

	if (on <= 0 || off <= 0)
		cairo_set_dash(p->cr, NULL, 0, 0);
	else
		cairo_set_dash(p->cr, d, 2, 0);
}

void
render_line(struct render_page *p, double x0, double y0, double x1,
    double y1, double width)
{
	cairo_move_to(p->cr, x0, y0);
	cairo_line_to(p->cr, x1, y1);
	cairo_set_line_width(p->cr, width);
	cairo_stroke(p->cr);
}

void
render_polyline(struct render_page *p, const double *xy, size_t n,
    int closed, double width)
{
	size_t i;

	if (n < 2)
		return;
	cairo_save(p->cr);
	cairo_set_line_cap(p->cr, CAIRO_LINE_CAP_ROUND);
	cairo_set_line_join(p->cr, CAIRO_LINE_JOIN_ROUND);
	cairo_move_to(p->cr, xy[0], xy[1]);
	for (i = 1; i < n; i++)
		cairo_line_to(p->cr, xy[2 * i], xy[2 * i + 1]);
	if (closed)
		cairo_close_path(p->cr);
	cairo_set_line_width(p->cr, width);
	cairo_stroke(p->cr);
	cairo_restore(p->cr);
}

void
render_rect(struct render_page *p, double x, double y, double w, double h,
    double width)
{
	cairo_rectangle(p->cr, x, y, w, h);
	cairo_set_line_width(p->cr, width);
	cairo_stroke(p->cr);
}

void
render_fill(struct render_page *p, double x, double y, double w, double h)
{
	cairo_rectangle(p->cr, x, y, w, h);
	cairo_fill(p->cr);
}

void
render_ellipse(struct render_page *p, double x, double y, double w,
    double h, double width)
{
	if (w <= 0 || h <= 0)
		return;
	cairo_save(p->cr);
	cairo_translate(p->cr, x + w / 2, y + h / 2);
	cairo_scale(p->cr, w / 2, h / 2);
	cairo_arc(p->cr, 0, 0, 1, 0, 2 * M_PI);
	cairo_restore(p->cr);		/* stroke in unscaled space */
	cairo_set_line_width(p->cr, width);
	cairo_stroke(p->cr);
}

void
render_checkbox(struct render_page *p, double x, double y, double s,
    enum render_check state)
{
	double tick[6];

	render_rect(p, x, y, s, s, s * 0.07 < 0.2 ? 0.2 : s * 0.07);
	switch (state) {
	case RENDER_CHECK_TICK:
		tick[0] = x + s * 0.12; tick[1] = y + s * 0.50;
		tick[2] = x + s * 0.42; tick[3] = y + s * 0.85;
		tick[4] = x + s * 1.05; tick[5] = y - s * 0.20;
		render_polyline(p, tick, 3, 0, s * 0.16);
		break;
	case RENDER_CHECK_CROSS:
		render_line(p, x + s * .2, y + s * .2, x + s * .8, y + s * .8,
		    s * 0.12);
		render_line(p, x + s * .8, y + s * .2, x + s * .2, y + s * .8,
		    s * 0.12);
		break;
	case RENDER_CHECK_FILL:
		render_fill(p, x, y, s, s);
		break;
	case RENDER_CHECK_EMPTY:
	case RENDER_CHECK_CIRCLE:
		break;
	}
}

void
render_regmark(struct render_page *p, double cx, double cy, double size)
{
	render_fill(p, cx - size / 2, cy - size / 2, size, size);
}

int
render_qr(struct render_page *p, double x, double y, double size,
    const char *data)
{
	QRcode *qr;
	double m;
	int w, r, c, c0;
	size_t len = strlen(data);

	if (len == 0 || len > 2048 || size <= 0)
		return -EINVAL;
	qr = QRcode_encodeData((int)len, (const unsigned char *)data, 0,
	    QR_ECLEVEL_M);
	if (qr == NULL)
		return -EINVAL;
	w = qr->width;
	m = size / (w + 8);
	cairo_save(p->cr);
	cairo_set_source_rgb(p->cr, 1, 1, 1);
	cairo_rectangle(p->cr, x, y, size, size);
	cairo_fill(p->cr);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	/* One path of horizontal runs: no seams between modules. */
	for (r = 0; r < w; r++) {
		for (c = 0; c < w; c++) {
			if (!(qr->data[r * w + c] & 1))
				continue;
			for (c0 = c; c < w && (qr->data[r * w + c] & 1); c++)
				;
			cairo_rectangle(p->cr, x + (4 + c0) * m,
			    y + (4 + r) * m, (c - c0) * m, m);
		}
	}
	cairo_fill(p->cr);
	cairo_restore(p->cr);
	QRcode_free(qr);
	return 0;
}

/* --- text ------------------------------------------------------------------ */

static int
text_ok(const char *s, int markup)
{
	GError *err = NULL;

	if (s == NULL || strlen(s) > MAX_TEXT || !g_utf8_validate(s, -1, NULL))
		return 0;
	if (markup && !pango_parse_markup(s, -1, 0, NULL, NULL, NULL, &err)) {
		g_error_free(err);
		return 0;
	}
	return 1;
}

static PangoLayout *
layout_make(struct render_doc *doc, const struct render_style *st,
    double w, const char *text)
{
	struct render_style def;
	PangoLayout *l;
	PangoFontDescription *fd;
	PangoAttrList *al;
	double size;

	if (st == NULL) {
		memset(&def, 0, sizeof(def));
		st = &def;
	}
	size = st->size > 0 ? st->size : 10.5;
	l = pango_layout_new(doc->pctx);
	fd = pango_font_description_new();
	pango_font_description_set_family(fd,
	    st->font ? st->font : RENDER_FONT_GOTHIC);
	pango_font_description_set_absolute_size(fd,
	    size / PT_PER_MM * PANGO_SCALE);
	pango_font_description_set_weight(fd,
	    st->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (w > 0) {
		pango_layout_set_width(l, (int)lround(w * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_alignment(l, st->align == RENDER_CENTER ?
	    PANGO_ALIGN_CENTER : st->align == RENDER_RIGHT ?
	    PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
	if (st->spacing > 0)
		pango_layout_set_line_spacing(l, (float)st->spacing);
	if (st->markup)
		pango_layout_set_markup(l, text, -1);
	else
		pango_layout_set_text(l, text, -1);
	if (st->tracking != 0) {
		al = pango_layout_get_attributes(l);
		al = al ? pango_attr_list_copy(al) : pango_attr_list_new();
		pango_attr_list_insert(al, pango_attr_letter_spacing_new(
		    (int)lround(st->tracking * PANGO_SCALE)));
		pango_layout_set_attributes(l, al);
		pango_attr_list_unref(al);
	}
	return l;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Log each line of a drawn layout (origin ox, oy) for
 * render_page_text(): its text without markup, left, top, height. */
static void
text_log(struct render_page *p, PangoLayout *l, double ox, double oy)
{
	PangoLayoutIter *it;
	PangoLayoutLine *ll;
	PangoRectangle lr;
	struct text_ent *e;
	const char *t = pango_layout_get_text(l), *s;
	size_t n;

	it = pango_layout_get_iter(l);
	do {
		ll = pango_layout_iter_get_line_readonly(it);
		s = t + ll->start_index;
		n = (size_t)ll->length;
		while (n > 0 && is_blank(*s)) {
			s++;
			n--;
		}
		while (n > 0 && is_blank(s[n - 1]))
			n--;
		if (n == 0)
			continue;
		pango_layout_iter_get_line_extents(it, NULL, &lr);
		if (p->ntexts == p->texts_cap) {
			p->texts_cap = p->texts_cap ? p->texts_cap * 2 : 32;
			p->texts = xreallocarray(p->texts, p->texts_cap,
			    sizeof(*p->texts));
		}
		e = &p->texts[p->ntexts];
		e->s = xstrndup(s, n);
		e->x = ox + (double)lr.x / PANGO_SCALE;
		e->y = oy + (double)lr.y / PANGO_SCALE;
		e->h = (double)lr.height / PANGO_SCALE;
		e->seq = p->ntexts++;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

int
render_text(struct render_page *p, const struct render_style *st, double x,
    double y, double w, double h, const char *utf8, struct render_box *ret)
{
	PangoLayout *l;
	PangoRectangle lr;
	double lx, ly, lw, lh, dx = 0, dy = 0;
	int markup = st && st->markup;

	if (!text_ok(utf8, markup))
		return -EINVAL;
	l = layout_make(p->doc, st, w, utf8);
	pango_layout_get_extents(l, NULL, &lr);
	lx = (double)lr.x / PANGO_SCALE;
	ly = (double)lr.y / PANGO_SCALE;
	lw = (double)lr.width / PANGO_SCALE;
	lh = (double)lr.height / PANGO_SCALE;
	if (w <= 0 && st && st->align == RENDER_CENTER)
		dx = -lw / 2;
	else if (w <= 0 && st && st->align == RENDER_RIGHT)
		dx = -lw;
	if (h > 0 && st && st->valign == RENDER_MIDDLE)
		dy = (h - lh) / 2;
	else if (h > 0 && st && st->valign == RENDER_BOTTOM)
		dy = h - lh;
	cairo_move_to(p->cr, x + dx, y + dy);
	pango_cairo_show_layout(p->cr, l);
	cairo_new_path(p->cr);
	text_log(p, l, x + dx, y + dy);
	g_object_unref(l);
	if (ret) {
		ret->x = x + dx + lx;
		ret->y = y + dy + ly;
		ret->w = lw;
		ret->h = lh;
	}
	return 0;
}

int
render_text_measure(struct render_doc *doc, const struct render_style *st,
    double w, const char *utf8, double *ret_w, double *ret_h)
{
	PangoLayout *l;
	PangoRectangle lr;

	if (!text_ok(utf8, st && st->markup))
		return -EINVAL;
	l = layout_make(doc, st, w, utf8);
	pango_layout_get_extents(l, NULL, &lr);
	g_object_unref(l);
	if (ret_w)
		*ret_w = (double)lr.width / PANGO_SCALE;
	if (ret_h)
		*ret_h = (double)lr.height / PANGO_SCALE;
	return 0;
}

int
render_text_fit(struct render_doc *doc, const struct render_style *st,
    double w, double max_h, const char *utf8, size_t *ret_len)
{
	PangoLayout *l;
	PangoLayoutIter *it;
	PangoRectangle lr;
	size_t fit = 0, len;

	if ((st && st->markup) || !text_ok(utf8, 0))
		return -EINVAL;
	len = strlen(utf8);
	l = layout_make(doc, st, w, utf8);
	it = pango_layout_get_iter(l);
	do {
		pango_layout_iter_get_line_extents(it, NULL, &lr);
		if ((double)(lr.y + lr.height) / PANGO_SCALE > max_h) {
			fit = (size_t)pango_layout_iter_get_line_readonly(it)->
			    start_index;
			break;
		}
		fit = len;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	g_object_unref(l);
	*ret_len = fit > len ? len : fit;
	return 0;
}

static double
ent_mid(const struct text_ent *e)
{
	return e->y + e->h / 2;
}

static int
ent_cmp_y(const void *a, const void *b)
{
	const struct text_ent *x = *(const struct text_ent *const *)a;
	const struct text_ent *y = *(const struct text_ent *const *)b;

	if (ent_mid(x) != ent_mid(y))
		return ent_mid(x) < ent_mid(y) ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
ent_cmp_x(const void *a, const void *b)
{
	const struct text_ent *x = *(const struct text_ent *const *)a;
	const struct text_ent *y = *(const struct text_ent *const *)b;

	if (x->x != y->x)
		return x->x < y->x ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int
render_page_text(const struct render_doc *doc, size_t i, char **ret)
{
	const struct render_page *p;
	const struct text_ent **v;
	struct buf b;
	size_t k, j, n;
	double mid, h;
	int rc = 0;

	if (i >= doc->npages || ret == NULL)
		return -EINVAL;
	p = doc->pages[i];
	n = p->ntexts;
	v = xreallocarray(NULL, n ? n : 1, sizeof(*v));
	for (k = 0; k < n; k++)
		v[k] = &p->texts[k];
	qsort(v, n, sizeof(*v), ent_cmp_y);
	buf_init(&b, MAX_OUTPUT);
	for (k = 0; k < n && rc == 0; k = j) {
		/* A line: what is centred within half a line height of its
		 * first (topmost) entry, the smaller height deciding, so a
		 * big title does not swallow the line under it. */
		mid = ent_mid(v[k]);
		for (j = k + 1; j < n; j++) {
			h = v[j]->h < v[k]->h ? v[j]->h : v[k]->h;
			if (ent_mid(v[j]) - mid > h / 2)
				break;
		}
		qsort(v + k, j - k, sizeof(*v), ent_cmp_x);
		if (k > 0)
			rc = buf_add(&b, "\n", 1);
		for (size_t e = k; e < j && rc == 0; e++) {
			if (e > k)
				rc = buf_add(&b, " ", 1);
			if (rc == 0)
				rc = buf_addstr(&b, v[e]->s);
		}
	}
	free(v);
	if (rc != 0) {
		buf_free(&b);
		return rc;
	}
	*ret = buf_take(&b);
	return 0;
}

/* --- PDF ------------------------------------------------------------------- */

static cairo_status_t
pdf_sink(void *arg, const unsigned char *data, unsigned int len)
{
	return buf_add(arg, data, len) == 0 ? CAIRO_STATUS_SUCCESS :
	    CAIRO_STATUS_WRITE_ERROR;
}

static cairo_surface_t *
pdf_open(struct buf *b, const char *title, const char *date)
{
	cairo_surface_t *s;

	s = cairo_pdf_surface_create_for_stream(pdf_sink, b, PAGE_PT_W,
	    PAGE_PT_H);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
	if (title)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
		    title);
	return s;
}

static int
pdf_close(cairo_surface_t *s, cairo_t *cr, struct buf *b, unsigned char **ret,
    size_t *ret_len)
{
	int rc = 0;

	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		rc = -EIO;
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (rc == 0 && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		rc = -EIO;
	cairo_surface_destroy(s);
	if (rc != 0) {
		buf_free(b);
		return rc;
	}
	*ret_len = b->len;
	*ret = (unsigned char *)buf_take(b);
	return 0;
}

int
render_doc_pdf(struct render_doc *doc, unsigned char **ret, size_t *ret_len)
{
	struct buf b;
	cairo_surface_t *s;
	cairo_t *cr;
	size_t i;

	for (i = 0; i < doc->npages; i++)
		if (cairo_status(doc->pages[i]->cr) != CAIRO_STATUS_SUCCESS)
			return -EIO;
	buf_init(&b, MAX_OUTPUT);
	s = pdf_open(&b, doc->title, doc->date);
	cr = cairo_create(s);
	for (i = 0; i < doc->npages; i++) {
		cairo_set_source_surface(cr, doc->pages[i]->rec, 0, 0);
		cairo_paint(cr);
		cairo_show_page(cr);
	}
	return pdf_close(s, cr, &b, ret, ret_len);
}

int
render_doc_write_pdf(struct render_doc *doc, const char *path, mode_t mode)
{
	unsigned char *data;
	size_t len;
	int rc;

	if ((rc = render_doc_pdf(doc, &data, &len)) != 0)
		return rc;
	rc = util_write_file(path, data, len, mode);
	free(data);
	return rc;
}

/* --- rasters --------------------------------------------------------------- */

void
render_raster_free(struct render_raster *r)
{
	if (r == NULL)
		return;
	free(r->data);
	memset(r, 0, sizeof(*r));
}

int
render_page_gray(struct render_doc *doc, size_t i, double xdpi, double ydpi,
    int width, struct render_raster *ret)
{
	cairo_surface_t *img;
	cairo_t *cr;
	double natural;
	int height, x, y, stride;
	unsigned char *src, *dst;
	uint32_t px;

	if (i >= doc->npages || xdpi < 10 || xdpi > 1200 || ydpi < 10 ||
	    ydpi > 1200 || width < 0)
		return -EINVAL;
	natural = RENDER_PAGE_W / 25.4 * xdpi;
	if (width == 0)
		width = (int)lround(natural);
	height = (int)lround(RENDER_PAGE_H / 25.4 * ydpi);
	if (width > MAX_PIXELS_SIDE || height > MAX_PIXELS_SIDE)
		return -E2BIG;
	if (cairo_status(doc->pages[i]->cr) != CAIRO_STATUS_SUCCESS)
		return -EIO;
	img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
	cr = cairo_create(img);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_translate(cr, (width - natural) / 2, 0);
	cairo_scale(cr, xdpi / 72.0, ydpi / 72.0);
	cairo_set_source_surface(cr, doc->pages[i]->rec, 0, 0);
	cairo_paint(cr);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
		cairo_destroy(cr);
		cairo_surface_destroy(img);
		return -EIO;
	}
	cairo_destroy(cr);
	cairo_surface_flush(img);
	src = cairo_image_surface_get_data(img);
	stride = cairo_image_surface_get_stride(img);
	dst = xmalloc((size_t)width * (size_t)height);
	for (y = 0; y < height; y++) {
		const uint32_t *row = (const uint32_t *)(src + (size_t)y * stride);
		for (x = 0; x < width; x++) {
			px = row[x];
			dst[(size_t)y * width + x] = (unsigned char)
			    ((((px >> 16) & 0xff) * 77 + ((px >> 8) & 0xff) *
			    150 + (px & 0xff) * 29) >> 8);
		}
	}
	cairo_surface_destroy(img);
	ret->data = dst;
	ret->width = width;
	ret->height = height;
	ret->stride = (size_t)width;
	ret->depth = 8;
	ret->xdpi = xdpi;
	ret->ydpi = ydpi;
	return 0;
}

static const unsigned char bayer8[8][8] = {
	{  0, 32,  8, 40,  2, 34, 10, 42 },
	{ 48, 16, 56, 24, 50, 18, 58, 26 },
	{ 12, 44,  4, 36, 14, 46,  6, 38 },
	{ 60, 28, 52, 20, 62, 30, 54, 22 },
	{  3, 35, 11, 43,  1, 33,  9, 41 },
	{ 51, 19, 59, 27, 49, 17, 57, 25 },
	{ 15, 47,  7, 39, 13, 45,  5, 37 },
	{ 63, 31, 55, 23, 61, 29, 53, 21 },
};

int
render_raster_bilevel(const struct render_raster *g, int threshold,
    enum render_dither dither, struct render_raster *ret)
{
	unsigned char *dst;
	size_t stride;
	int x, y, t, v;

	if (g->depth != 8 || g->data == NULL || g->width <= 0 ||
	    g->height <= 0 || threshold < 0 || threshold > 256)
		return -EINVAL;
	if (threshold == 0)
		threshold = 128;
	stride = ((size_t)g->width + 7) / 8;
	dst = xcalloc((size_t)g->height, stride);
	for (y = 0; y < g->height; y++) {
		const unsigned char *row = g->data + (size_t)y * g->stride;
		unsigned char *out = dst + (size_t)y * stride;
		for (x = 0; x < g->width; x++) {
			v = row[x];
			if (dither == RENDER_DITHER_ORDERED)
				t = bayer8[y & 7][x & 7] * 4 + 2;
			else
				t = threshold;
			if (v < t)
				out[x >> 3] |= (unsigned char)(0x80 >> (x & 7));
		}
	}
	ret->data = dst;
	ret->width = g->width;
	ret->height = g->height;
	ret->stride = stride;
	ret->depth = 1;
	ret->xdpi = g->xdpi;
	ret->ydpi = g->ydpi;
	return 0;
}

/* --- TIFF ------------------------------------------------------------------ */

struct tiff_mem {
	unsigned char	*data;
	size_t		 len, cap, pos;
};

static tmsize_t
tm_read(thandle_t h, void *p, tmsize_t n)
{
	struct tiff_mem *m = h;
	size_t k;

	if (n < 0)
		return -1;
	k = m->pos >= m->len ? 0 : m->len - m->pos;
	if ((size_t)n < k)
		k = (size_t)n;
	memcpy(p, m->data + m->pos, k);
	m->pos += k;
	return (tmsize_t)k;
}

static tmsize_t
tm_write(thandle_t h, void *p, tmsize_t n)
{
	struct tiff_mem *m = h;
	size_t need, cap;

	if (n < 0 || m->pos > MAX_OUTPUT || (size_t)n > MAX_OUTPUT - m->pos)
		return -1;
	need = m->pos + (size_t)n;
	if (need > m->cap) {
		for (cap = m->cap ? m->cap : 65536; cap < need; cap *= 2)
			;
		m->data = xreallocarray(m->data, cap, 1);
		m->cap = cap;
	}
	if (m->pos > m->len)
		memset(m->data + m->len, 0, m->pos - m->len);
	memcpy(m->data + m->pos, p, (size_t)n);
	m->pos = need;
	if (need > m->len)
		m->len = need;
	return n;
}

static toff_t
tm_seek(thandle_t h, toff_t off, int whence)
{
	struct tiff_mem *m = h;
	uint64_t base;

	base = whence == SEEK_CUR ? m->pos : whence == SEEK_END ? m->len : 0;
	if (base + off > MAX_OUTPUT)
		return (toff_t)-1;
	m->pos = (size_t)(base + off);
	return m->pos;
}

static int
tm_close(thandle_t h)
{
	(void)h;
	return 0;
}

static toff_t
tm_size(thandle_t h)
{
	return ((struct tiff_mem *)h)->len;
}

static int
tm_map(thandle_t h, void **base, toff_t *size)
{
	(void)h; (void)base; (void)size;
	return 0;
}

static void
tm_unmap(thandle_t h, void *base, toff_t size)
{
	(void)h; (void)base; (void)size;
}

/* libtiff's messages stay inside the module; the caller gets -EIO. */
static int
tiff_quiet(TIFF *tif, void *arg, const char *module, const char *fmt,
    va_list ap)
{
	(void)tif; (void)arg; (void)module; (void)fmt; (void)ap;
	return 1;
}

static int
tiff_page(TIFF *tif, const struct render_raster *r, size_t i, size_t n,
    const struct render_tiff_opts *o)
{
	uint16_t comp = o->compression == RENDER_TIFF_G4 ?
	    COMPRESSION_CCITTFAX4 : COMPRESSION_CCITTFAX3;
	int y;

	if (r->depth != 1 || r->data == NULL || r->width <= 0 ||
	    r->height <= 0 || r->xdpi <= 0 || r->ydpi <= 0)
		return -EINVAL;
	TIFFSetField(tif, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
	TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, (uint32_t)r->width);
	TIFFSetField(tif, TIFFTAG_IMAGELENGTH, (uint32_t)r->height);
	TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 1);
	TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
	TIFFSetField(tif, TIFFTAG_COMPRESSION, comp);
	if (o->compression == RENDER_TIFF_G3)
		TIFFSetField(tif, TIFFTAG_GROUP3OPTIONS,
		    (uint32_t)GROUP3OPT_FILLBITS);
	else if (o->compression == RENDER_TIFF_G3_2D)
		TIFFSetField(tif, TIFFTAG_GROUP3OPTIONS,
		    (uint32_t)(GROUP3OPT_FILLBITS | GROUP3OPT_2DENCODING));
	TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
	TIFFSetField(tif, TIFFTAG_FILLORDER, FILLORDER_MSB2LSB);
	TIFFSetField(tif, TIFFTAG_ORIENTATION, ORIENTATION_TOPLEFT);
	TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
	TIFFSetField(tif, TIFFTAG_XRESOLUTION, r->xdpi);
	TIFFSetField(tif, TIFFTAG_YRESOLUTION, r->ydpi);
	TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
	TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, (uint32_t)r->height);
	TIFFSetField(tif, TIFFTAG_PAGENUMBER, (uint16_t)i, (uint16_t)n);
	if (o->description)
		TIFFSetField(tif, TIFFTAG_IMAGEDESCRIPTION, o->description);
	if (o->software)
		TIFFSetField(tif, TIFFTAG_SOFTWARE, o->software);
	if (o->datetime)
		TIFFSetField(tif, TIFFTAG_DATETIME, o->datetime);
	if (o->fax_recv_params)
		TIFFSetField(tif, TIFFTAG_FAXRECVPARAMS, o->fax_recv_params);
	if (o->fax_recv_time)
		TIFFSetField(tif, TIFFTAG_FAXRECVTIME, o->fax_recv_time);
	if (o->fax_subaddress)
		TIFFSetField(tif, TIFFTAG_FAXSUBADDRESS, o->fax_subaddress);
	if (o->fax_dcs)
		TIFFSetField(tif, TIFFTAG_FAXDCS, o->fax_dcs);
	for (y = 0; y < r->height; y++)
		if (TIFFWriteScanline(tif, r->data + (size_t)y * r->stride,
		    (uint32_t)y, 0) < 0)
			return -EIO;
	return TIFFWriteDirectory(tif) ? 0 : -EIO;
}

int
render_tiff_encode(const struct render_raster *pages, size_t n,
    const struct render_tiff_opts *opts, unsigned char **ret, size_t *ret_len)
{
	struct render_tiff_opts def;
	struct tiff_mem m;
	TIFFOpenOptions *to;
	TIFF *tif;
	size_t i;
	int rc = 0;

	if (n == 0 || n > RENDER_MAX_PAGES)
		return n == 0 ? -EINVAL : -E2BIG;
	if (opts == NULL) {
		memset(&def, 0, sizeof(def));
		opts = &def;
	}
	memset(&m, 0, sizeof(m));
	to = TIFFOpenOptionsAlloc();
	TIFFOpenOptionsSetErrorHandlerExtR(to, tiff_quiet, NULL);
	TIFFOpenOptionsSetWarningHandlerExtR(to, tiff_quiet, NULL);
	tif = TIFFClientOpenExt("render", "wlm", &m, tm_read, tm_write,
	    tm_seek, tm_close, tm_size, tm_map, tm_unmap, to);
	TIFFOpenOptionsFree(to);
	if (tif == NULL) {
		free(m.data);
		return -EIO;
	}
	for (i = 0; i < n && rc == 0; i++)
		rc = tiff_page(tif, &pages[i], i, n, opts);
	TIFFClose(tif);
	if (rc != 0) {
		free(m.data);
		return rc;
	}
	*ret = m.data;
	*ret_len = m.len;
	return 0;
}

int
render_tiff_write(const char *path, mode_t mode,
    const struct render_raster *pages, size_t n,
    const struct render_tiff_opts *opts)
{
	unsigned char *data;
	size_t len;
	int rc;

	if ((rc = render_tiff_encode(pages, n, opts, &data, &len)) != 0)
		return rc;
	rc = util_write_file(path, data, len, mode);
	free(data);
	return rc;
}

int
render_doc_write_fax(struct render_doc *doc, const char *path, mode_t mode,
    double ydpi, const struct render_tiff_opts *opts)
{
	struct render_raster *bits, gray;
	size_t i, n = doc->npages;
	int rc = 0;

	if (n == 0)
		return -EINVAL;
	bits = xcalloc(n, sizeof(*bits));
	for (i = 0; i < n && rc == 0; i++) {
		rc = render_page_gray(doc, i, RENDER_FAX_XDPI, ydpi,
		    RENDER_FAX_WIDTH, &gray);
		if (rc == 0) {
			rc = render_raster_bilevel(&gray, 0,
			    RENDER_DITHER_NONE, &bits[i]);
			render_raster_free(&gray);
		}
	}
	if (rc == 0)
		rc = render_tiff_write(path, mode, bits, n, opts);
	for (i = 0; i < n; i++)
		render_raster_free(&bits[i]);
	free(bits);
	return rc;
}

/* --- PDF of rasters ------------------------------------------------------- */

int
render_raster_pdf(const struct render_raster *pages, size_t n,
    unsigned char **ret, size_t *ret_len)
{
	struct buf b;
	cairo_surface_t *s, *img;
	cairo_t *cr;
	const struct render_raster *r;
	unsigned char *dst;
	uint32_t *row;
	size_t i;
	int x, y, stride, v;
	double w_pt;

	if (n == 0 || n > RENDER_MAX_PAGES)
		return n == 0 ? -EINVAL : -E2BIG;
	for (i = 0; i < n; i++) {
		r = &pages[i];
		if ((r->depth != 1 && r->depth != 8) || r->data == NULL ||
		    r->width <= 0 || r->height <= 0 || r->xdpi <= 0 ||
		    r->ydpi <= 0 || r->width > MAX_PIXELS_SIDE ||
		    r->height > MAX_PIXELS_SIDE)
			return -EINVAL;
	}
	buf_init(&b, MAX_OUTPUT);
	s = pdf_open(&b, NULL, DEFAULT_DATE);
	cr = cairo_create(s);
	for (i = 0; i < n; i++) {
		r = &pages[i];
		img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, r->width,
		    r->height);
		cairo_surface_flush(img);
		dst = cairo_image_surface_get_data(img);
		stride = cairo_image_surface_get_stride(img);
		for (y = 0; y < r->height && dst; y++) {
			row = (uint32_t *)(dst + (size_t)y * stride);
			for (x = 0; x < r->width; x++) {
				if (r->depth == 8)
					v = r->data[(size_t)y * r->stride + x];
				else
					v = (r->data[(size_t)y * r->stride +
					    (x >> 3)] & (0x80 >> (x & 7))) ?
					    0 : 255;
				row[x] = 0xff000000u | (uint32_t)v << 16 |
				    (uint32_t)v << 8 | (uint32_t)v;
			}
		}
		cairo_surface_mark_dirty(img);
		w_pt = r->width / r->xdpi * 72.0;
		cairo_save(cr);
		cairo_translate(cr, (PAGE_PT_W - w_pt) / 2, 0);
		cairo_scale(cr, 72.0 / r->xdpi, 72.0 / r->ydpi);
		cairo_set_source_surface(cr, img, 0, 0);
		cairo_pattern_set_filter(cairo_get_source(cr),
		    CAIRO_FILTER_NEAREST);
		cairo_paint(cr);
		cairo_restore(cr);
		cairo_show_page(cr);
		cairo_surface_destroy(img);
	}
	return pdf_close(s, cr, &b, ret, ret_len);
}

