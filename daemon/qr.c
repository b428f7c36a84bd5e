/*
 * qr.c — zbar QR scanning and FXI1 parsing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>
#include <zbar.h>

#include "faxintake/qr.h"

static int
word_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	return n > 0 && n < max &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

static int
num_ok(const char *s, int max, int *ret)
{
	long v;
	char *end;

	if (*s < '0' || *s > '9' || strlen(s) > 6)
		return 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < 1 || v > max)
		return 0;
	*ret = (int)v;
	return 1;
}

static int
case_ok(const char *s)
{
	size_t i;

	if (strlen(s) != 13 || s[8] != '-')
		return 0;
	for (i = 0; i < 13; i++)
		if (i != 8 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

int
qr_parse(const char *text, struct qr_info *ret)
{
	char buf[256], *p, *kv;
	struct qr_info q;
	size_t i;

	if (text == NULL || ret == NULL)
		return -EINVAL;
	memset(&q, 0, sizeof(q));
	snprintf(q.raw, sizeof(q.raw), "%s", text);
	for (i = 0; q.raw[i]; i++)
		if ((unsigned char)q.raw[i] < 0x20 || q.raw[i] == 0x7f)
			q.raw[i] = '?';
	*ret = q;
	if (strlen(text) >= sizeof(buf) || strncmp(text, "FXI1|", 5) != 0)
		return QR_NOT_OURS;
	strcpy(buf, text + 5);
	p = buf;
	while ((kv = strsep(&p, "|")) != NULL) {
		char *v = strchr(kv, '=');
		if (v == NULL)
			return QR_NOT_OURS;
		*v++ = '\0';
		if (strcmp(kv, "form") == 0) {
			if (!word_ok(v, sizeof(q.form)))
				return QR_NOT_OURS;
			strcpy(q.form, v);
		} else if (strcmp(kv, "v") == 0) {
			if (!num_ok(v, 9999, &q.version))
				return QR_NOT_OURS;
		} else if (strcmp(kv, "h") == 0) {
			if (!word_ok(v, sizeof(q.hospital)))
				return QR_NOT_OURS;
			strcpy(q.hospital, v);
		} else if (strcmp(kv, "p") == 0) {
			if (!num_ok(v, 999, &q.page))
				return QR_NOT_OURS;
		} else if (strcmp(kv, "case") == 0) {
			if (!case_ok(v))
				return QR_NOT_OURS;
			strcpy(q.case_id, v);
		}
		/* other keys: a later version's; ignored */
	}
	if (q.form[0] == '\0')
		return QR_NOT_OURS;
	q.ours = 1;
	*ret = q;
	return 0;
}

/*
 * zbar over one 8-bit image (white 255); codes appended to ret[*k..max),
 * ours first, their boxes mapped to page pixels by (ox, oy, scale).
 */
static int
scan_gray(PIX *g, int ox, int oy, int scale, struct qr_info *ret,
    size_t max, size_t *k)
{
	zbar_image_scanner_t *sc;
	zbar_image_t *img;
	const zbar_symbol_t *sym;
	unsigned char *buf;
	l_int32 w, h, wpl, y;

	pixGetDimensions(g, &w, &h, NULL);
	if ((buf = malloc((size_t)w * h)) == NULL)
		return -ENOMEM;
	wpl = pixGetWpl(g);
	for (y = 0; y < h; y++) {
		l_uint32 *line = pixGetData(g) + (size_t)y * wpl;
		for (l_int32 x = 0; x < w; x++)
			buf[(size_t)y * w + x] = GET_DATA_BYTE(line, x);
	}
	if ((sc = zbar_image_scanner_create()) == NULL) {
		free(buf);
		return -ENOMEM;
	}
	zbar_image_scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	if ((img = zbar_image_create()) == NULL) {
		zbar_image_scanner_destroy(sc);
		free(buf);
		return -ENOMEM;
	}
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, (unsigned)w, (unsigned)h);
	zbar_image_set_data(img, buf, (unsigned long)w * h, NULL);
	if (zbar_scan_image(sc, img) > 0) {
		for (int pass = 0; pass < 2; pass++)
		for (sym = zbar_image_first_symbol(img); sym && *k < max;
		    sym = zbar_symbol_next(sym)) {
			struct qr_info q;
			const char *data = zbar_symbol_get_data(sym);
			unsigned i, nl;
			int x0 = w, y0 = h, x1 = 0, y1 = 0;
			int ours;

			if (zbar_symbol_get_type(sym) != ZBAR_QRCODE || !data)
				continue;
			ours = qr_parse(data, &q) == 0;
			if (ours != (pass == 0))	/* ours first */
				continue;
			nl = zbar_symbol_get_loc_size(sym);
			for (i = 0; i < nl; i++) {
				int px = zbar_symbol_get_loc_x(sym, i);
				int py = zbar_symbol_get_loc_y(sym, i);
				x0 = px < x0 ? px : x0;
				y0 = py < y0 ? py : y0;
				x1 = px > x1 ? px : x1;
				y1 = py > y1 ? py : y1;
			}
			if (nl) {
				q.x = ox + x0 * scale;
				q.y = oy + y0 * scale;
				q.w = (x1 - x0 + 1) * scale;
				q.h = (y1 - y0 + 1) * scale;
			}
			ret[(*k)++] = q;
		}
	}
	zbar_image_destroy(img);
	zbar_image_scanner_destroy(sc);
	free(buf);
	return 0;
}

static PIX *
to_gray(PIX *pix)
{
	if (pixGetDepth(pix) == 1)
		return pixConvert1To8(NULL, pix, 255, 0);
	return pixConvertTo8(pix, 0);
}

/*
 * Our forms print their QR in the top right corner (form.c: 22 mm,
 * 11 mm from the top): that corner is scanned first at full resolution
 * and, with one of ours there, nothing else.  Otherwise the whole page
 * at half resolution: the separator's (90 mm) and the cover sheet's
 * (40 mm) codes and a form upside down still have modules of 3 px or
 * more there, and zbar's time goes with the pixels (a full-page scan
 * was most of the time outside recognition).  Small images (a code on
 * its own) are scanned whole at full resolution.
 */
#define QR_SMALL	(1200 * 1200)
#define QR_CORNER_X	0.6	/* corner: right of this fraction */
#define QR_CORNER_Y	0.18	/* and above this one */

int
qr_scan(struct Pix *pix, struct qr_info *ret, size_t max, size_t *n)
{
	PIX *g, *c;
	BOX *box;
	l_int32 w, h;
	size_t k = 0, i;
	int rc, cx, ch;

	if (pix == NULL || ret == NULL || n == NULL)
		return -EINVAL;
	*n = 0;
	pixGetDimensions(pix, &w, &h, NULL);
	if ((l_int64)w * h <= QR_SMALL) {
		if ((g = to_gray(pix)) == NULL)
			return -ENOMEM;
		rc = scan_gray(g, 0, 0, 1, ret, max, &k);
		pixDestroy(&g);
		*n = k;
		return rc;
	}
	cx = (int)(w * QR_CORNER_X);
	ch = (int)(h * QR_CORNER_Y);
	if ((box = boxCreate(cx, 0, w - cx, ch)) == NULL)
		return -ENOMEM;
	c = pixClipRectangle(pix, box, NULL);
	boxDestroy(&box);
	if (c == NULL)
		return -ENOMEM;
	g = to_gray(c);
	pixDestroy(&c);
	if (g == NULL)
		return -ENOMEM;
	rc = scan_gray(g, cx, 0, 1, ret, max, &k);
	pixDestroy(&g);
	if (rc != 0)
		return rc;
	for (i = 0; i < k; i++)
		if (ret[i].ours) {
			*n = k;
			return 0;
		}
	/* none of ours in the corner: the whole page, halved; what the
	 * corner found (another's code) only if the page gave nothing */
	if (pixGetDepth(pix) == 1)
		g = pixScaleToGray2(pix);
	else if ((c = pixConvertTo8(pix, 0)) != NULL) {
		g = pixScaleAreaMap2(c);
		pixDestroy(&c);
	} else
		g = NULL;
	if (g == NULL)
		return -ENOMEM;
	{
		size_t k2 = 0;
		struct qr_info tmp[QR_MAX_CODES];
		size_t m = max < QR_MAX_CODES ? max : QR_MAX_CODES;
		rc = scan_gray(g, 0, 0, 2, tmp, m, &k2);
		pixDestroy(&g);
		if (rc != 0)
			return rc;
		if (k2 > 0) {
			memcpy(ret, tmp, k2 * sizeof(*ret));
			k = k2;
		}
	}
	*n = k;
	return 0;
}
