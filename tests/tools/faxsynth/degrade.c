/*
 * degrade.c — pages to what arrives: a fax (1728 px, 204 x 196 or 98 dpi,
 * 1 bit, skewed, speckled, dropped and smeared scan lines, the sending
 * machine's header line, multi-page CCITT G3/G4 TIFF with HylaFAX's
 * receive tags) or a mailroom scan (300 dpi gray PDF, mild scan noise).
 * Each page is rasterised once and degraded in memory.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faxintake/util.h"
#include "faxintake/xmalloc.h"

#include "faxsynth.h"

/* Rotate an 8-bit raster by deg around its centre, shifted by (dx, dy)
 * pixels; white comes in at the edges.  Bilinear. */
static void
gray_rotate(struct render_raster *g, double deg, double dx, double dy)
{
	unsigned char *src = g->data, *dst;
	double a = deg * M_PI / 180.0, c = cos(a), s = sin(a);
	double cx = g->width / 2.0, cy = g->height / 2.0;
	/* y is scaled by the pixel aspect so the rotation is geometric */
	double asp = g->ydpi / g->xdpi;
	int x, y, w = g->width, h = g->height;

	dst = xmalloc((size_t)w * (size_t)h);
	for (y = 0; y < h; y++) {
		double ry = (y - cy - dy) / asp;
		double sx0 = c * (-cx - dx) + s * ry + cx;
		double sy0 = (-s * (-cx - dx) + c * ry) * asp + cy;
		unsigned char *out = dst + (size_t)y * (size_t)w;

		for (x = 0; x < w; x++) {
			double sx = sx0 + c * x, sy = sy0 - s * asp * x;
			int ix = (int)floor(sx), iy = (int)floor(sy);
			double fx = sx - ix, fy = sy - iy;
			unsigned p00, p01, p10, p11;

			if (ix < 0 || iy < 0 || ix + 1 >= w || iy + 1 >= h) {
				out[x] = 255;
				continue;
			}
			p00 = src[(size_t)iy * w + ix];
			p01 = src[(size_t)iy * w + ix + 1];
			p10 = src[(size_t)(iy + 1) * w + ix];
			p11 = src[(size_t)(iy + 1) * w + ix + 1];
			if ((p00 & p01 & p10 & p11) == 255) {
				out[x] = 255;
				continue;
			}
			out[x] = (unsigned char)lround(
			    (p00 * (1 - fx) + p01 * fx) * (1 - fy) +
			    (p10 * (1 - fx) + p11 * fx) * fy);
		}
	}
	free(src);
	g->data = dst;
	g->stride = (size_t)w;
}

/* Sensor noise on edge pixels (anti-aliased grays) only: cheap, and a
 * uniform background stays uniform. */
static void
gray_edge_noise(struct render_raster *g, struct rng *r, int amp)
{
	size_t i, n = (size_t)g->width * (size_t)g->height;
	uint64_t bits = 0;
	int nb = 0, v;

	for (i = 0; i < n; i++) {
		v = g->data[i];
		if (v < 16 || v > 239)
			continue;
		if (nb == 0) {
			bits = rng_next(r);
			nb = 8;
		}
		v += (int)(bits & 0xff) * amp / 128 - amp;
		bits >>= 8;
		nb--;
		g->data[i] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
	}
}

static void
bit_set(struct render_raster *b, int x, int y, int black)
{
	unsigned char *p;

	if (x < 0 || y < 0 || x >= b->width || y >= b->height)
		return;
	p = b->data + (size_t)y * b->stride + (size_t)(x >> 3);
	if (black)
		*p |= (unsigned char)(0x80 >> (x & 7));
	else
		*p &= (unsigned char)~(0x80 >> (x & 7));
}

static void
fax_damage(struct render_raster *b, struct rng *r, int fine)
{
	int i, n, x, y, k, len;

	/* speckle: dust and line noise, 1-2 px dots, a few clusters */
	n = rng_int(r, 80, 700);
	for (i = 0; i < n; i++) {
		x = rng_int(r, 0, b->width - 1);
		y = rng_int(r, 0, b->height - 1);
		bit_set(b, x, y, 1);
		if (rng_chance(r, 0.4))
			bit_set(b, x + 1, y, 1);
		if (fine && rng_chance(r, 0.3))
			bit_set(b, x, y + 1, 1);
	}
	/* white dropouts inside strokes */
	n = rng_int(r, 50, 300);
	for (i = 0; i < n; i++)
		bit_set(b, rng_int(r, 0, b->width - 1),
		    rng_int(r, 0, b->height - 1), 0);
	/* dropped lines (white) and repeated lines (smear) */
	n = rng_int(r, fine ? 2 : 1, fine ? 10 : 5);
	for (i = 0; i < n; i++) {
		y = rng_int(r, 40, b->height - 2);
		if (rng_chance(r, 0.5))
			memset(b->data + (size_t)y * b->stride, 0, b->stride);
		else
			memcpy(b->data + (size_t)y * b->stride,
			    b->data + (size_t)(y - 1) * b->stride, b->stride);
	}
	/* one burst: a few lines smeared from the line above */
	if (rng_chance(r, 0.6)) {
		y = rng_int(r, 100, b->height - 10);
		len = rng_int(r, 2, fine ? 5 : 3);
		for (k = 0; k < len; k++)
			memcpy(b->data + (size_t)(y + k) * b->stride,
			    b->data + (size_t)(y - 1) * b->stride, b->stride);
	}
	/* a dirty spot on the sender's scanner glass: a thin vertical line */
	if (rng_chance(r, 0.12)) {
		x = rng_int(r, 100, b->width - 100);
		for (y = 0; y < b->height; y++)
			if (rng_chance(r, 0.93))
				bit_set(b, x, y, 1);
	}
}

static void
header_text(const struct fs_file *f, int page, int npages, char *out,
    size_t len)
{
	char num[32];

	snprintf(num, sizeof(num), "%s-%s-%s", f->sender_fax.a,
	    f->sender_fax.b, f->sender_fax.c);
	switch (f->header_style) {
	case 0:
		snprintf(out, len, "%04d/%02d/%02d %02d:%02d    FROM:%s    "
		    "%s              P.%03d/%03d", f->y, f->m, f->d, f->hh,
		    f->mm, num, f->sender_name ? f->sender_name : "", page,
		    npages);
		break;
	case 1:
		snprintf(out, len, "%2d月%2d日 %02d:%02d   %s   FAX %s%s%s"
		    "                 No.%04d   P. %d/ %d", f->m, f->d, f->hh,
		    f->mm, f->sender_name ? f->sender_name : "", f->sender_fax.a,
		    f->sender_fax.b, f->sender_fax.c, (f->d * 97 + f->mm) % 10000,
		    page, npages);
		break;
	case 2:
		snprintf(out, len, "%02d-%02d-'%02d %02d:%02d   FROM-%s   "
		    "ID=%s%s%s          P%02d/%02d", f->m, f->d, f->y % 100,
		    f->hh, f->mm, f->tsi ? f->tsi : "", f->sender_fax.a,
		    f->sender_fax.b, f->sender_fax.c, page, npages);
		break;
	default:
		snprintf(out, len, "%04d-%02d-%02d %02d:%02d  %s  →  %s"
		    "        %d/%d ページ", f->y, f->m, f->d, f->hh, f->mm, num,
		    f->sender_name ? f->sender_name : "", page, npages);
		break;
	}
}

/* Put the header line hd drew on page i first in that page's text truth:
 * it is on the page the reader gets. */
static int
header_truth(struct fs_file *f, struct render_doc *hd, int i)
{
	char *h, *t;
	size_t hl, tl;
	int rc;

	if (f->page_text == NULL || i >= f->npages || f->page_text[i] == NULL)
		return 0;
	if ((rc = render_page_text(hd, (size_t)i, &h)) != 0)
		return rc;
	hl = strlen(h);
	tl = strlen(f->page_text[i]);
	t = xmalloc(hl + 1 + tl + 1);
	memcpy(t, h, hl);
	t[hl] = '\n';
	memcpy(t + hl + 1, f->page_text[i], tl + 1);
	if (tl == 0)
		t[hl] = '\0';
	free(h);
	free(f->page_text[i]);
	f->page_text[i] = t;
	return 0;
}

/* The sending machine's header line: rendered on its own page (straight,
 * while the scanned paper is skewed) and laid over the top rows. */
static int
fax_headers(struct fs_file *f, double ydpi, struct render_raster *pages,
    int n)
{
	struct render_doc *hd = render_doc_new();
	struct render_page *p;
	struct render_style st;
	struct render_raster g, b;
	char line[512];
	int i, rc = 0, rows, y;

	if (hd == NULL)
		return -EIO;
	memset(&st, 0, sizeof(st));
	st.font = RENDER_FONT_GOTHIC;
	st.size = 8;
	for (i = 0; i < n && rc == 0; i++) {
		if ((rc = render_page_add(hd, &p)) != 0)
			break;
		header_text(f, i + 1, n, line, sizeof(line));
		rc = render_text(p, &st, 4, 1.2, 0, 0, line, NULL);
		if (rc == 0)
			rc = header_truth(f, hd, i);
	}
	rows = (int)lround(4.6 / 25.4 * ydpi);
	for (i = 0; i < n && rc == 0; i++) {
		memset(&g, 0, sizeof(g));
		memset(&b, 0, sizeof(b));
		rc = render_page_gray(hd, (size_t)i, RENDER_FAX_XDPI, ydpi,
		    RENDER_FAX_WIDTH, &g);
		if (rc == 0)
			rc = render_raster_bilevel(&g, 0, RENDER_DITHER_NONE, &b);
		for (y = 0; rc == 0 && y < rows && y < pages[i].height; y++)
			memcpy(pages[i].data + (size_t)y * pages[i].stride,
			    b.data + (size_t)y * b.stride, pages[i].stride);
		render_raster_free(&g);
		render_raster_free(&b);
	}
	render_doc_free(hd);
	return rc;
}

static int
write_fax(struct fs_case *c, struct fs_file *f, struct render_doc *rd,
    struct rng *r, const char *dir)
{
	int fine = f->medium == FS_FAX_FINE;
	double ydpi = fine ? RENDER_FAX_FINE_YDPI : RENDER_FAX_NORMAL_YDPI;
	int n = (int)render_doc_npages(rd), i, rc = 0;
	struct render_raster *bits, g;
	struct render_tiff_opts o;
	double skew = rng_range(r, -2.0, 2.0);
	int thr = rng_int(r, 105, 165);
	char path[4096], dt[32], dcs[32];
	unsigned char *data = NULL;
	size_t len = 0;

	bits = xcalloc((size_t)n, sizeof(*bits));
	for (i = 0; i < n && rc == 0; i++) {
		memset(&g, 0, sizeof(g));
		rc = render_page_gray(rd, (size_t)i, RENDER_FAX_XDPI, ydpi,
		    RENDER_FAX_WIDTH, &g);
		if (rc != 0)
			break;
		/* the paper wanders a little between pages */
		gray_rotate(&g, skew + rng_range(r, -0.3, 0.3),
		    rng_range(r, -12, 12), rng_range(r, 4, 16) * ydpi / 196);
		gray_edge_noise(&g, r, 40);
		rc = render_raster_bilevel(&g, thr + rng_int(r, -8, 8),
		    RENDER_DITHER_NONE, &bits[i]);
		render_raster_free(&g);
		if (rc == 0)
			fax_damage(&bits[i], r, fine);
	}
	if (rc == 0)
		rc = fax_headers(f, ydpi, bits, n);
	if (rc == 0) {
		memset(&o, 0, sizeof(o));
		o.compression = f->comp;
		o.description = f->tsi;
		o.software = "HylaFAX (tm) Version 7.0.7";
		snprintf(dt, sizeof(dt), "%04d:%02d:%02d %02d:%02d:%02d", f->y,
		    f->m, f->d, f->hh, f->mm, rng_int(r, 0, 59));
		o.datetime = dt;
		/* Class2Params-like: vr, br 14400, wd 1728, ln A4, df */
		o.fax_recv_params = (uint32_t)((fine ? 1 : 0) | 5u << 1 |
		    0u << 5 | 0u << 8 |
		    (uint32_t)(f->comp == RENDER_TIFF_G4 ? 3 :
		    f->comp == RENDER_TIFF_G3_2D ? 1 : 0) << 10);
		o.fax_recv_time = (uint32_t)(n * rng_int(r, 12, 35));
		snprintf(dcs, sizeof(dcs), "00 %s 1F 00", fine ? "C6" : "86");
		o.fax_dcs = dcs;
		rc = render_tiff_encode(bits, (size_t)n, &o, &data, &len);
	}
	if (rc == 0) {
		snprintf(path, sizeof(path), "%s/%s", dir, f->name);
		rc = util_write_file(path, data, len, 0644);
	}
	free(data);
	for (i = 0; i < n; i++)
		render_raster_free(&bits[i]);
	free(bits);
	(void)c;
	return rc;
}

/* --- scanner ------------------------------------------------------------------ */

static void
scan_noise(struct render_raster *g, struct rng *r)
{
	int i, n, x, y, k, ink = rng_int(r, 0, 40), paper = rng_int(r, 246, 255);
	size_t j, np = (size_t)g->width * (size_t)g->height;
	unsigned char lut[256];

	/* toner and paper: ink is not quite black, paper not quite white */
	for (k = 0; k < 256; k++)
		lut[k] = (unsigned char)(ink + (paper - ink) * k / 255);
	for (j = 0; j < np; j++)
		g->data[j] = lut[g->data[j]];
	gray_edge_noise(g, r, 14);
	/* dust */
	n = rng_int(r, 10, 60);
	for (i = 0; i < n; i++) {
		x = rng_int(r, 2, g->width - 4);
		y = rng_int(r, 2, g->height - 4);
		k = rng_int(r, 60, 180);
		g->data[(size_t)y * g->stride + x] = (unsigned char)k;
		if (rng_chance(r, 0.5))
			g->data[(size_t)y * g->stride + x + 1] = (unsigned char)k;
	}
	/* the shadow of the page edge at the left */
	if (rng_chance(r, 0.5))
		for (y = 0; y < g->height; y++)
			for (x = 0; x < 6; x++)
				g->data[(size_t)y * g->stride + x] =
				    (unsigned char)(120 + x * 20);
}

static int
write_scan(struct fs_file *f, struct render_doc *rd, struct rng *r,
    const char *dir)
{
	int n = (int)render_doc_npages(rd), i, rc = 0;
	struct render_raster *pages;
	unsigned char *data = NULL;
	size_t len = 0;
	char path[4096];

	pages = xcalloc((size_t)n, sizeof(*pages));
	for (i = 0; i < n && rc == 0; i++) {
		rc = render_page_gray(rd, (size_t)i, RENDER_SCAN_DPI,
		    RENDER_SCAN_DPI, 0, &pages[i]);
		if (rc != 0)
			break;
		gray_rotate(&pages[i], rng_range(r, -0.8, 0.8),
		    rng_range(r, -10, 10), rng_range(r, -10, 10));
		scan_noise(&pages[i], r);
	}
	if (rc == 0)
		rc = render_raster_pdf(pages, (size_t)n, &data, &len);
	if (rc == 0) {
		snprintf(path, sizeof(path), "%s/%s", dir, f->name);
		rc = util_write_file(path, data, len, 0644);
	}
	free(data);
	for (i = 0; i < n; i++)
		render_raster_free(&pages[i]);
	free(pages);
	return rc;
}

int
degrade_write(struct fs_case *c, struct fs_file *f, struct render_doc *rd,
    struct rng *r, const char *dir)
{
	if (f->medium == FS_SCAN_PDF)
		return write_scan(f, rd, r, dir);
	return write_fax(c, f, rd, r, dir);
}
