/*
 * fixture.h — the test-input generator shared by tests/tools/mkfixture.c
 * and the unit tests (the Makefile links no tests/tools code into unit
 * tests, so the generator lives in this header, all static).  Include it
 * from exactly one .c file of a program.
 *
 * fixture_make(KIND, opts, out) writes one realistic input into a malloc'd
 * buffer: fax TIFFs (G4 fine, G3 2D normal, G3 1D, HylaFAX-received with
 * its tags), grey LZW and colour packbits TIFFs, PDFs, PNG, JPEG, and the
 * bad ones (truncated, huge, PDF bombs, garbage, text, empty).  Pages
 * carry drawn text (pango with IPAexGothic) and form boxes so that later
 * stages have something to read.  Output is deterministic: no clocks, and
 * the PDF dates are fixed.
 *
 * This is test code: it draws with cairo/pango directly rather than
 * through the render module.
 */
#ifndef FAXINTAKE_TESTS_FIXTURE_H
#define FAXINTAKE_TESTS_FIXTURE_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <leptonica/allheaders.h>
#include <pango/pangocairo.h>
#include <tiffio.h>

#include "faxintake/lsan.h"

/*
 * fontconfig and pango keep caches that LeakSanitizer counts as leaks at
 * exit (pango 1.50 fills fontsets from a thread); they are not ours.
 * Defined here, once per program, so that both the unit test and
 * mkfixture run clean under SANITIZE=1.
 */
FAXINTAKE_LSAN_SUPPRESSIONS

struct fixture_opts {
	int		 pages;		/* 0: the kind's default */
	const char	*tsi;		/* hylafax: sender TSI */
	const char	*callid;	/* hylafax: caller id number */
	const char	*cidname;	/* hylafax: caller id name */
	const char	*subaddr;	/* hylafax: SUB frame */
};

/* A growable, seekable memory file. */
struct fx_mem {
	unsigned char	*data;
	size_t		 len;
	size_t		 cap;
	size_t		 pos;
};

static int
fx_mem_write_at(struct fx_mem *m, const void *p, size_t n)
{
	size_t need = m->pos + n;

	if (need < m->pos)
		return -1;
	if (need > m->cap) {
		size_t cap = m->cap ? m->cap : 65536;
		unsigned char *d;
		while (cap < need)
			cap *= 2;
		if ((d = realloc(m->data, cap)) == NULL)
			return -1;
		memset(d + m->cap, 0, cap - m->cap);
		m->data = d;
		m->cap = cap;
	}
	memcpy(m->data + m->pos, p, n);
	m->pos += n;
	if (m->pos > m->len)
		m->len = m->pos;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Drawing: one page of an application, in points on an A4 page. */

#define FX_A4_W	595.276
#define FX_A4_H	841.89

static void
fx_text(cairo_t *cr, const char *font, double x, double y, double width,
    const char *utf8)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string(font);

	pango_layout_set_font_description(l, fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_text(l, utf8, -1);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
	pango_font_description_free(fd);
	g_object_unref(l);
}

static void
fx_draw_page(cairo_t *cr, double w, double h, int pageno, int npages,
    const char *from, int colour)
{
	static const char *const titles[] = {
		"セカンドオピニオン外来申込書",
		"診療情報提供書",
		"同意書",
		"検査結果報告書",
	};
	static const char *const labels[] = {
		"患者氏名", "フリガナ", "生年月日", "住所", "電話番号",
		"主治医",
	};
	static const char *const values[] = {
		"山田 太郎", "ヤマダ タロウ", "1990年11月27日",
		"北海道旭川市金星町1丁目1番65号", "0166-25-8370",
		"佐藤 一郎 (旭川内科クリニック)",
	};
	char line[256];
	size_t i;

	cairo_save(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 1.0);

	if (from != NULL) {	/* the sending machine's header line */
		snprintf(line, sizeof(line),
		    "2026/11/20 14:03   FROM: %s   P.%03d/%03d", from, pageno,
		    npages);
		fx_text(cr, "IPAexGothic 8", 24, 6, 0, line);
	}
	if (colour)
		cairo_set_source_rgb(cr, 0.05, 0.15, 0.6);
	fx_text(cr, "IPAexGothic Bold 20", 60, 40, 0,
	    titles[(size_t)(pageno - 1) % (sizeof(titles) / sizeof(*titles))]);
	cairo_set_source_rgb(cr, 0, 0, 0);
	snprintf(line, sizeof(line), "faxintake test fixture - page %d of %d",
	    pageno, npages);
	fx_text(cr, "IPAexGothic 10", 60, 78, 0, line);

	for (i = 0; i < sizeof(labels) / sizeof(*labels); i++) {
		double y = 110 + (double)i * 34;
		fx_text(cr, "IPAexGothic 12", 62, y + 6, 0, labels[i]);
		cairo_rectangle(cr, 150, y, w - 210, 28);
		cairo_stroke(cr);
		fx_text(cr, "IPAexMincho 13", 158, y + 5, 0, values[i]);
	}
	fx_text(cr, "IPAexMincho 11", 60, 330, w - 120,
	    "ご相談内容：手術と化学療法のどちらを選ぶべきか迷っており、"
	    "専門の先生のご意見を伺いたく、セカンドオピニオン外来を申し込み"
	    "ます。これまでの経過は別紙の診療情報提供書のとおりです。"
	    "画像データ（CT・MRI）は後日郵送いたします。"
	    "The patient requests a second opinion on the treatment plan.");
	for (i = 0; i < 8; i++) {	/* ruled lines, as on a form */
		cairo_move_to(cr, 60, 470 + (double)i * 24);
		cairo_line_to(cr, w - 60, 470 + (double)i * 24);
		cairo_stroke(cr);
	}
	/* A solid block and a seal. */
	cairo_rectangle(cr, 60, h - 150, 140, 36);
	cairo_fill(cr);
	if (colour)
		cairo_set_source_rgb(cr, 0.8, 0.1, 0.1);
	cairo_arc(cr, w - 100, h - 130, 24, 0, 2 * 3.14159265358979);
	cairo_set_line_width(cr, 2.5);
	cairo_stroke(cr);
	fx_text(cr, "IPAexMincho 18", w - 111, h - 143, 0, "印");
	cairo_set_source_rgb(cr, 0, 0, 0);
	snprintf(line, sizeof(line), "- %d -", pageno);
	fx_text(cr, "IPAexGothic 9", w / 2 - 12, h - 40, 0, line);
	cairo_restore(cr);
}

/*
 * Render page pageno into a pw x ph RGB24 surface at xres x yres dpi
 * (fax pixels are not square).  NULL when cairo fails.
 */
static cairo_surface_t *
fx_render(int pw, int ph, double xres, double yres, int pageno, int npages,
    const char *from, int colour)
{
	cairo_surface_t *s;
	cairo_t *cr;

	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return NULL;
	}
	cr = cairo_create(s);
	cairo_scale(cr, xres / 72.0, yres / 72.0);
	fx_draw_page(cr, pw * 72.0 / xres, ph * 72.0 / yres, pageno, npages,
	    from, colour);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	return s;
}

static unsigned
fx_grey(uint32_t v)
{
	return (((v >> 16) & 0xff) * 299 + ((v >> 8) & 0xff) * 587 +
	    (v & 0xff) * 114 + 500) / 1000;
}

/* ------------------------------------------------------------------ */
/* TIFF */

static tmsize_t
fx_tiff_read(thandle_t h, void *p, tmsize_t n)
{
	struct fx_mem *m = h;
	size_t left = m->pos < m->len ? m->len - m->pos : 0;

	if ((size_t)n > left)
		n = (tmsize_t)left;
	memcpy(p, m->data + m->pos, (size_t)n);
	m->pos += (size_t)n;
	return n;
}

static tmsize_t
fx_tiff_write(thandle_t h, void *p, tmsize_t n)
{
	return fx_mem_write_at(h, p, (size_t)n) == 0 ? n : -1;
}

static toff_t
fx_tiff_seek(thandle_t h, toff_t off, int whence)
{
	struct fx_mem *m = h;

	if (whence == SEEK_CUR)
		off += m->pos;
	else if (whence == SEEK_END)
		off += m->len;
	m->pos = (size_t)off;
	return off;
}

static int
fx_tiff_close(thandle_t h)
{
	(void)h;
	return 0;
}

static toff_t
fx_tiff_size(thandle_t h)
{
	return ((struct fx_mem *)h)->len;
}

static int
fx_tiff_map(thandle_t h, void **base, toff_t *size)
{
	(void)h, (void)base, (void)size;
	return 0;
}

static void
fx_tiff_unmap(thandle_t h, void *base, toff_t size)
{
	(void)h, (void)base, (void)size;
}

enum fx_tiff_kind {
	FX_G4_FINE,
	FX_G3_NORMAL,	/* 2D (MR) */
	FX_G3_1D,	/* MH */
	FX_HYLAFAX,	/* G4 fine with HylaFAX's receive tags */
	FX_LZW_GREY,
	FX_PACKBITS_RGB,
};

static TIFF *
fx_tiff_open(struct fx_mem *m)
{
	return TIFFClientOpen("fixture", "w", m, fx_tiff_read, fx_tiff_write,
	    fx_tiff_seek, fx_tiff_close, fx_tiff_size, fx_tiff_map,
	    fx_tiff_unmap);
}

static int
fx_tiff_page(TIFF *tif, enum fx_tiff_kind kind, int pageno, int npages,
    const struct fixture_opts *o)
{
	int fax = kind <= FX_HYLAFAX;
	double xres = fax ? 204 : 150;
	double yres = kind == FX_G3_NORMAL || kind == FX_G3_1D ? 98 :
	    fax ? 196 : 150;
	int pw = fax ? 1728 : 1240;
	int ph = (int)(FX_A4_H / 72.0 * yres + 0.5);
	cairo_surface_t *s;
	const unsigned char *sd;
	unsigned char *row;
	int stride, x, y, rc = 0, spp = kind == FX_PACKBITS_RGB ? 3 : 1;
	size_t rowbytes;
	char desc[256];

	/* Pango lays text out badly on a 2:1 grid, so a normal-resolution
	 * fax is drawn at fine resolution and every two rows averaged, much
	 * as a fax machine's scanner samples. */
	int vsub = yres == 98 ? 2 : 1;

	s = fx_render(pw, ph * vsub, xres, yres * vsub, pageno, npages,
	    fax ? (o->tsi ? o->tsi : "+81 11 555 0100") : NULL,
	    kind == FX_PACKBITS_RGB);
	if (s == NULL)
		return -1;
	TIFFSetField(tif, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
	TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, (uint32_t)pw);
	TIFFSetField(tif, TIFFTAG_IMAGELENGTH, (uint32_t)ph);
	TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, fax ? 1 : 8);
	TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, spp);
	TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
	TIFFSetField(tif, TIFFTAG_ORIENTATION, ORIENTATION_TOPLEFT);
	TIFFSetField(tif, TIFFTAG_XRESOLUTION, (float)xres);
	TIFFSetField(tif, TIFFTAG_YRESOLUTION, (float)yres);
	TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
	TIFFSetField(tif, TIFFTAG_PAGENUMBER, (uint16_t)(pageno - 1),
	    (uint16_t)npages);
	switch (kind) {
	case FX_G4_FINE:
	case FX_HYLAFAX:
		TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
		TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
		TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, (uint32_t)ph);
		break;
	case FX_G3_NORMAL:
	case FX_G3_1D:
		TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
		TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX3);
		TIFFSetField(tif, TIFFTAG_GROUP3OPTIONS, (uint32_t)(
		    (kind == FX_G3_NORMAL ? GROUP3OPT_2DENCODING : 0) |
		    GROUP3OPT_FILLBITS));
		/* HylaFAX writes LSB first; readers must honour FillOrder. */
		TIFFSetField(tif, TIFFTAG_FILLORDER, FILLORDER_LSB2MSB);
		TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, (uint32_t)ph);
		break;
	case FX_LZW_GREY:
		TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
		TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
		TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, 64u);
		break;
	case FX_PACKBITS_RGB:
		TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
		TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_PACKBITS);
		TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, 32u);
		break;
	}
	if (kind == FX_HYLAFAX) {
		/* What faxd/CopyQuality.c++ recvSetupTIFF()/recvEndPage()
		 * write: ImageDescription = TSI "\n" CallID1 "\n" CallID2. */
		snprintf(desc, sizeof(desc), "%s%s%s%s%s",
		    o->tsi ? o->tsi : "<UNSPECIFIED>", o->callid ? "\n" : "",
		    o->callid ? o->callid : "",
		    o->callid && o->cidname ? "\n" : "",
		    o->callid && o->cidname ? o->cidname : "");
		TIFFSetField(tif, TIFFTAG_FILLORDER, FILLORDER_LSB2MSB);
		TIFFSetField(tif, TIFFTAG_SOFTWARE,
		    "HylaFAX (tm) Version 7.0.7");
		TIFFSetField(tif, TIFFTAG_IMAGEDESCRIPTION, desc);
		TIFFSetField(tif, TIFFTAG_DATETIME, "2026:11:20 14:03:00");
		TIFFSetField(tif, TIFFTAG_MAKE, "USRobotics");
		TIFFSetField(tif, TIFFTAG_MODEL, "Courier V.Everything");
		TIFFSetField(tif, TIFFTAG_HOSTCOMPUTER, "fax.hospital.example");
		TIFFSetField(tif, TIFFTAG_FAXRECVPARAMS, (uint32_t)0x00c4021d);
		TIFFSetField(tif, TIFFTAG_FAXDCS,
		    "00 46 1F 01 00 00 00 00 00 00 00 00 00 00 00 00");
		TIFFSetField(tif, TIFFTAG_FAXRECVTIME, (uint32_t)(20 + pageno));
		if (o->subaddr != NULL)
			TIFFSetField(tif, TIFFTAG_FAXSUBADDRESS, o->subaddr);
	}

	sd = cairo_image_surface_get_data(s);
	stride = cairo_image_surface_get_stride(s);
	rowbytes = fax ? ((size_t)pw + 7) / 8 : (size_t)pw * (size_t)spp;
	if ((row = malloc(rowbytes)) == NULL) {
		cairo_surface_destroy(s);
		return -1;
	}
	for (y = 0; y < ph && rc == 0; y++) {
		const uint32_t *src = (const uint32_t *)(const void *)
		    (sd + (size_t)y * (size_t)vsub * (size_t)stride);
		const uint32_t *src2 = (const uint32_t *)(const void *)
		    ((const unsigned char *)src + (size_t)(vsub - 1) *
		    (size_t)stride);
		memset(row, 0, rowbytes);
		for (x = 0; x < pw; x++) {
			if (fax) {
				if (fx_grey(src[x]) + fx_grey(src2[x]) <
				    256)	/* black = 1 */
					row[x / 8] |= (unsigned char)
					    (0x80 >> (x % 8));
			} else if (spp == 1) {
				row[x] = (unsigned char)fx_grey(src[x]);
			} else {
				row[3 * x] = (unsigned char)(src[x] >> 16);
				row[3 * x + 1] = (unsigned char)(src[x] >> 8);
				row[3 * x + 2] = (unsigned char)src[x];
			}
		}
		if (TIFFWriteScanline(tif, row, (uint32_t)y, 0) < 0)
			rc = -1;
	}
	free(row);
	cairo_surface_destroy(s);
	if (rc == 0 && !TIFFWriteDirectory(tif))
		rc = -1;
	return rc;
}

static int
fx_tiff(enum fx_tiff_kind kind, int npages, const struct fixture_opts *o,
    struct fx_mem *m)
{
	TIFF *tif;
	int i, rc = 0;

	if ((tif = fx_tiff_open(m)) == NULL)
		return -1;
	for (i = 1; i <= npages && rc == 0; i++)
		rc = fx_tiff_page(tif, kind, i, npages, o);
	TIFFClose(tif);
	return rc;
}

/* A well-formed little TIFF whose one page claims 200000x200000. */
static int
fx_tiff_huge(struct fx_mem *m)
{
	static const unsigned char eofb[] = { 0x00, 0x10, 0x01, 0x00 };
	TIFF *tif;
	int rc = 0;

	if ((tif = fx_tiff_open(m)) == NULL)
		return -1;
	TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, 200000u);
	TIFFSetField(tif, TIFFTAG_IMAGELENGTH, 200000u);
	TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 1);
	TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
	TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
	TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
	TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, 200000u);
	TIFFSetField(tif, TIFFTAG_XRESOLUTION, 204.0f);
	TIFFSetField(tif, TIFFTAG_YRESOLUTION, 196.0f);
	TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
	if (TIFFWriteRawStrip(tif, 0, (void *)(uintptr_t)eofb,
	    sizeof(eofb)) < 0 || !TIFFWriteDirectory(tif))
		rc = -1;
	TIFFClose(tif);
	return rc;
}

static uint32_t
fx_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/*
 * A one-page fax whose directory is intact but whose image data is cut
 * short: StripByteCounts (279) claims 64 KiB more than the file holds.
 */
static int
fx_tiff_short_strip(const struct fixture_opts *o, struct fx_mem *m)
{
	uint32_t ifd, v;
	unsigned n, i;
	unsigned char *e;

	if (fx_tiff(FX_G4_FINE, 1, o, m) != 0 || m->len < 8 ||
	    memcmp(m->data, "II", 2) != 0)
		return -1;
	ifd = fx_le32(m->data + 4);
	if (ifd > m->len - 2)
		return -1;
	n = (unsigned)m->data[ifd] | (unsigned)m->data[ifd + 1] << 8;
	for (i = 0; i < n && ifd + 2 + 12 * (i + 1) <= m->len; i++) {
		e = m->data + ifd + 2 + 12 * i;
		if ((e[0] | e[1] << 8) != 279 || fx_le32(e + 4) != 1)
			continue;
		v = (e[2] | e[3] << 8) == TIFF_SHORT ?
		    (uint32_t)(e[8] | e[9] << 8) : fx_le32(e + 8);
		v += 65536;
		e[2] = TIFF_LONG, e[3] = 0;
		e[8] = (unsigned char)v, e[9] = (unsigned char)(v >> 8);
		e[10] = (unsigned char)(v >> 16);
		e[11] = (unsigned char)(v >> 24);
		return 0;
	}
	return -1;
}

/* ------------------------------------------------------------------ */
/* PDF */

static cairo_status_t
fx_pdf_write(void *closure, const unsigned char *p, unsigned int n)
{
	return fx_mem_write_at(closure, p, n) == 0 ? CAIRO_STATUS_SUCCESS :
	    CAIRO_STATUS_WRITE_ERROR;
}

static int
fx_pdf(int npages, double w, double h, struct fx_mem *m)
{
	cairo_surface_t *s;
	cairo_t *cr;
	int i, rc = 0;

	s = cairo_pdf_surface_create_for_stream(fx_pdf_write, m, w, h);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
	    "faxintake fixture");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR,
	    "mkfixture");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE,
	    "2026-11-20T14:03:00+09:00");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE,
	    "2026-11-20T14:03:00+09:00");
	cr = cairo_create(s);
	for (i = 1; i <= npages; i++) {
		fx_draw_page(cr, w, h, i, npages, NULL, 1);
		cairo_show_page(cr);
	}
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		rc = -1;
	cairo_surface_destroy(s);
	return rc;
}

static int
fx_pdf_garbage(struct fx_mem *m)
{
	unsigned char junk[4096];
	uint32_t x = 2463534242u;	/* xorshift: same bytes every time */
	size_t i;

	if (fx_mem_write_at(m, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", 15) != 0)
		return -1;
	for (i = 0; i < sizeof(junk); i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		junk[i] = (unsigned char)x;
	}
	return fx_mem_write_at(m, junk, sizeof(junk));
}

/* ------------------------------------------------------------------ */
/* PNG, JPEG: a 150 dpi scan */

static int
fx_scan(int jpeg, struct fx_mem *m)
{
	cairo_surface_t *s;
	const unsigned char *sd;
	PIX *pix;
	l_uint32 *line;
	l_uint8 *data = NULL;
	size_t size = 0;
	int pw = 1240, ph = 1754, stride, x, y, wpl, rc;

	if ((s = fx_render(pw, ph, 150, 150, 1, 1, NULL, jpeg)) == NULL)
		return -1;
	if ((pix = pixCreate(pw, ph, jpeg ? 32 : 8)) == NULL) {
		cairo_surface_destroy(s);
		return -1;
	}
	sd = cairo_image_surface_get_data(s);
	stride = cairo_image_surface_get_stride(s);
	wpl = pixGetWpl(pix);
	for (y = 0; y < ph; y++) {
		const uint32_t *src = (const uint32_t *)(const void *)
		    (sd + (size_t)y * (size_t)stride);
		line = pixGetData(pix) + (size_t)y * (size_t)wpl;
		for (x = 0; x < pw; x++) {
			if (jpeg)
				composeRGBPixel((src[x] >> 16) & 0xff,
				    (src[x] >> 8) & 0xff, src[x] & 0xff,
				    &line[x]);
			else
				SET_DATA_BYTE(line, x, fx_grey(src[x]));
		}
	}
	cairo_surface_destroy(s);
	pixSetResolution(pix, 150, 150);
	if (jpeg)
		rc = pixWriteMemJpeg(&data, &size, pix, 85, 0);
	else
		rc = pixWriteMemPng(&data, &size, pix, 0.0);
	pixDestroy(&pix);
	if (rc != 0 || fx_mem_write_at(m, data, size) != 0)
		rc = -1;
	free(data);
	return rc;
}

/* ------------------------------------------------------------------ */

struct fixture_kind {
	const char	*name;
	int		 pages;		/* default page count; 0: none */
	const char	*help;
};

static const struct fixture_kind fixture_kinds[] = {
	{ "tiff-g4-fine", 3, "CCITT G4 fax, 1728x2292 at 204x196 dpi" },
	{ "tiff-g3-normal", 2, "CCITT G3 2D fax, 1728x1146 at 204x98 dpi" },
	{ "tiff-g3-1d", 1, "CCITT G3 1D (MH) fax, 204x98 dpi" },
	{ "hylafax", 2, "G4 fine fax as HylaFAX receives it (--tsi, "
	    "--callid, --cidname, --sub)" },
	{ "tiff-lzw-gray", 1, "8-bit grey LZW scan, 150 dpi" },
	{ "tiff-color", 1, "RGB packbits scan, 150 dpi" },
	{ "tiff-huge", 0, "a tiny TIFF claiming 200000x200000 pixels" },
	{ "tiff-truncated", 3, "a G4 fine fax cut in the middle" },
	{ "tiff-short-strip", 0, "a G4 fax whose image data ends before "
	    "its StripByteCounts says" },
	{ "pdf", 2, "A4 PDF with text (cairo)" },
	{ "pdf-bomb", 1, "PDF whose pages are 14400x14400 points" },
	{ "pdf-garbage", 0, "%PDF header, then noise" },
	{ "png", 0, "8-bit grey PNG scan, 150 dpi" },
	{ "jpeg", 0, "colour JPEG scan, 150 dpi" },
	{ "text", 0, "ASCII text" },
	{ "empty", 0, "zero bytes" },
};

/*
 * Make a fixture of kind.  On success *ret (malloc'd; caller frees; NULL
 * for an empty one) and *ret_len are set and 0 is returned; -1 when a
 * library fails, -2 for a bad page count, -3 for an unknown kind.
 */
static int
fixture_make(const char *kind, const struct fixture_opts *o,
    unsigned char **ret, size_t *ret_len)
{
	struct fx_mem m;
	const struct fixture_kind *k = NULL;
	size_t i;
	int n, rc;

	for (i = 0; i < sizeof(fixture_kinds) / sizeof(*fixture_kinds); i++)
		if (strcmp(kind, fixture_kinds[i].name) == 0)
			k = &fixture_kinds[i];
	if (k == NULL)
		return -3;
	n = o->pages > 0 ? o->pages : k->pages;
	if (n > 9999)
		return -2;
	memset(&m, 0, sizeof(m));
	if (strcmp(kind, "tiff-g4-fine") == 0)
		rc = fx_tiff(FX_G4_FINE, n, o, &m);
	else if (strcmp(kind, "tiff-g3-normal") == 0)
		rc = fx_tiff(FX_G3_NORMAL, n, o, &m);
	else if (strcmp(kind, "tiff-g3-1d") == 0)
		rc = fx_tiff(FX_G3_1D, n, o, &m);
	else if (strcmp(kind, "hylafax") == 0)
		rc = fx_tiff(FX_HYLAFAX, n, o, &m);
	else if (strcmp(kind, "tiff-lzw-gray") == 0)
		rc = fx_tiff(FX_LZW_GREY, n, o, &m);
	else if (strcmp(kind, "tiff-color") == 0)
		rc = fx_tiff(FX_PACKBITS_RGB, n, o, &m);
	else if (strcmp(kind, "tiff-huge") == 0)
		rc = fx_tiff_huge(&m);
	else if (strcmp(kind, "tiff-truncated") == 0) {
		rc = fx_tiff(FX_G4_FINE, n, o, &m);
		m.len /= 2;
	} else if (strcmp(kind, "tiff-short-strip") == 0)
		rc = fx_tiff_short_strip(o, &m);
	else if (strcmp(kind, "pdf") == 0)
		rc = fx_pdf(n, FX_A4_W, FX_A4_H, &m);
	else if (strcmp(kind, "pdf-bomb") == 0)
		rc = fx_pdf(n, 14400, 14400, &m);
	else if (strcmp(kind, "pdf-garbage") == 0)
		rc = fx_pdf_garbage(&m);
	else if (strcmp(kind, "png") == 0)
		rc = fx_scan(0, &m);
	else if (strcmp(kind, "jpeg") == 0)
		rc = fx_scan(1, &m);
	else if (strcmp(kind, "text") == 0) {
		static const char t[] = "This is not a TIFF.\n"
		    "Just a note that was saved with the wrong name.\n";
		rc = fx_mem_write_at(&m, t, sizeof(t) - 1);
	} else
		rc = 0;		/* empty */
	if (rc != 0) {
		free(m.data);
		return -1;
	}
	*ret = m.data;
	*ret_len = m.len;
	return 0;
}

#endif
