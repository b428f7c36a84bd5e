/*
 * preprocess.c — leptonica clean-up of one page (see preprocess.h for the
 * measured choices).
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <leptonica/allheaders.h>

#include "faxintake/ocr.h"
#include "faxintake/preprocess.h"

#define PP_MAX_W	8000
#define PP_MAX_H	12000

static long long
now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void
preprocess_pix_free(struct Pix *pix)
{
	if (pix)
		pixDestroy(&pix);
}

int
preprocess_page(struct Pix *pix, const struct preprocess_opts *opts,
    struct Pix **ret, struct preprocess_info *info)
{
	struct preprocess_opts def = { -1, 0 };
	struct preprocess_info inf;
	PIX *p1 = NULL, *t;
	l_int32 w, h, d, xres, yres;
	long long t0 = now_usec();

	if (pix == NULL || ret == NULL)
		return -EINVAL;
	if (opts == NULL)
		opts = &def;
	memset(&inf, 0, sizeof(inf));
	if (pixGetDimensions(pix, &w, &h, &d) != 0)
		return -EINVAL;
	if (w <= 0 || h <= 0 || w > PP_MAX_W || h > PP_MAX_H)
		return -E2BIG;
	xres = pixGetXRes(pix);
	yres = pixGetYRes(pix);
	inf.in_xres = xres;
	inf.in_yres = yres;
	inf.in_depth = d;
	if (xres <= 0)
		xres = yres > 0 ? yres : 300;
	if (yres <= 0)
		yres = xres;

	/* 1 bit. */
	if (d == 1)
		p1 = pixCopy(NULL, pix);
	else
		p1 = pixConvertTo1(pix, 128);
	if (p1 == NULL)
		return -ENOMEM;

	/* Despeckle fine pages: keep components at least 3 px on a side.
	 * One pass of bounding boxes, not pixSelectBySize (three component
	 * passes and a pix per component, a tenth of the time outside
	 * recognition): every black pixel inside a box of at most 2x2 is
	 * 8-connected to the rest, so clearing the box clears exactly that
	 * component. */
	if (opts->despeckle == 1 || (opts->despeckle < 0 && yres >= 150)) {
		BOXA *ba;
		l_int32 i, n, bx, by, bw, bh;

		if ((ba = pixConnCompBB(p1, 8)) == NULL) {
			pixDestroy(&p1);
			return -ENOMEM;
		}
		n = boxaGetCount(ba);
		for (i = 0; i < n; i++) {
			if (boxaGetBoxGeometry(ba, i, &bx, &by, &bw, &bh) != 0 ||
			    bw >= 3 || bh >= 3)
				continue;
			pixRasterop(p1, bx, by, bw, bh, PIX_CLR, NULL, 0, 0);
			inf.despeckled++;
		}
		boxaDestroy(&ba);
	}

	/* Normal resolution (about half the horizontal): square pixels by
	 * copying each row. */
	if (yres * 3 < xres * 2 && yres * 2 <= PP_MAX_H) {
		float f = (float)xres / (float)yres;
		f = f > 2.5f ? 2.0f : roundf(f);
		if (f >= 2.0f && h * 2 <= PP_MAX_H) {
			if ((t = pixScaleBySampling(p1, 1.0f, 2.0f)) == NULL) {
				pixDestroy(&p1);
				return -ENOMEM;
			}
			pixDestroy(&p1);
			p1 = t;
			yres *= 2;
			inf.stretched = 1;
		}
	}
	pixSetResolution(p1, xres, yres);

	/* Skew: measured always (cheap), corrected only on request. */
	{
		l_float32 angle = 0, conf = 0;
		if (pixFindSkew(p1, &angle, &conf) == 0 && conf > 2.5)
			inf.skew_deg = angle;
		if (opts->deskew && fabs(inf.skew_deg) > 0.1) {
			if ((t = pixDeskew(p1, 0)) != NULL) {
				pixDestroy(&p1);
				p1 = t;
				inf.deskewed = 1;
			}
		}
	}
	inf.xres = xres;
	inf.yres = yres;
	inf.usec = now_usec() - t0;
	if (info)
		*info = inf;
	*ret = p1;
	return 0;
}

/*
 * One row of the page's ink spread across by the binomial 1 4 6 4 1
 * (sigma 1): out[x] in 0..16.  Set bits are added where they are, so a
 * white row costs a scan of its words.
 */
static void
blur_row(const l_uint32 *line, int wpl, int w, unsigned char *out)
{
	static const unsigned char k[5] = { 1, 4, 6, 4, 1 };

	memset(out, 0, (size_t)w);
	for (int i = 0; i < wpl; i++) {
		if (line[i] == 0)
			continue;
		for (int b = 0; b < 32; b++) {
			int x = i * 32 + b;
			if (x >= w || !(line[i] & (0x80000000u >> b)))
				continue;
			for (int j = 0; j < 5; j++)
				if (x + j - 2 >= 0 && x + j - 2 < w)
					out[x + j - 2] += k[j];
		}
	}
}

int
preprocess_ocr_gray(struct Pix *pix, struct Pix **ret)
{
	static const int k[5] = { 1, 4, 6, 4, 1 };
	unsigned char *rows = NULL;
	l_int32 w, h, wpl, gwpl;
	PIX *g;

	if (pix == NULL || ret == NULL || pixGetDepth(pix) != 1)
		return -EINVAL;
	pixGetDimensions(pix, &w, &h, NULL);
	wpl = pixGetWpl(pix);
	if ((g = pixCreate(w, h, 8)) == NULL ||
	    (rows = malloc((size_t)w * 5)) == NULL) {
		pixDestroy(&g);
		return -ENOMEM;
	}
	gwpl = pixGetWpl(g);
	/* rows[(y + 2) % 5] holds page row y spread across; rows outside
	 * the page are white */
	memset(rows, 0, (size_t)w * 5);
	for (int y = 0; y < 2 && y < h; y++)
		blur_row(pixGetData(pix) + (size_t)y * wpl, wpl, w,
		    rows + (size_t)((y + 2) % 5) * w);
	for (int y = 0; y < h; y++) {
		l_uint32 *gl = pixGetData(g) + (size_t)y * gwpl;
		int r = (y + 4) % 5;	/* row y + 2 enters */
		if (y + 2 < h)
			blur_row(pixGetData(pix) + (size_t)(y + 2) * wpl, wpl,
			    w, rows + (size_t)r * w);
		else
			memset(rows + (size_t)r * w, 0, (size_t)w);
		memset(gl, 255, (size_t)gwpl * 4);
		for (int x0 = 0; x0 < w; x0 += 8) {
			int x1 = x0 + 8 < w ? x0 + 8 : w;
			uint64_t z = 0;
			/* white across all five rows: stays white */
			for (int j = 0; j < 5 && x1 - x0 == 8; j++) {
				uint64_t q;
				memcpy(&q, rows + (size_t)j * w + x0, 8);
				z |= q;
			}
			if (x1 - x0 == 8 && z == 0)
				continue;
			for (int x = x0; x < x1; x++) {
				int v = 0;
				for (int j = 0; j < 5; j++)
					v += k[j] * rows[(size_t)((y + j) %
					    5) * w + x];
				SET_DATA_BYTE(gl, x, 255 - (v * 255 + 128) /
				    256);
			}
		}
	}
	free(rows);
	pixCopyResolution(g, pix);
	*ret = g;
	return 0;
}

int
preprocess_rotate(struct Pix *pix, int deg, struct Pix **ret)
{
	PIX *t;

	if (pix == NULL || ret == NULL)
		return -EINVAL;
	switch (deg) {
	case 0:
		t = pixCopy(NULL, pix);
		break;
	case 90:
		t = pixRotateOrth(pix, 1);
		break;
	case 180:
		t = pixRotate180(NULL, pix);
		break;
	case 270:
		t = pixRotateOrth(pix, 3);
		break;
	default:
		return -EINVAL;
	}
	if (t == NULL)
		return -ENOMEM;
	if (deg == 90 || deg == 270)
		pixSetResolution(t, pixGetYRes(pix), pixGetXRes(pix));
	*ret = t;
	return 0;
}

int
preprocess_orient(struct ocr *o, struct Pix *pix, int *deg, float *conf)
{
	return ocr_orientation(o, pix, deg, conf);
}

int
preprocess_pix_from_raw(const unsigned char *data, int width, int height,
    size_t stride, int depth, int xres, int yres, struct Pix **ret)
{
	PIX *p;
	l_uint32 *line;
	l_int32 wpl;
	int x, y;

	if (data == NULL || ret == NULL || width <= 0 || height <= 0 ||
	    (depth != 1 && depth != 8))
		return -EINVAL;
	if (width > PP_MAX_W || height > PP_MAX_H)
		return -E2BIG;
	if (stride < (size_t)(depth == 1 ? (width + 7) / 8 : width))
		return -EINVAL;
	if ((p = pixCreate(width, height, depth)) == NULL)
		return -ENOMEM;
	wpl = pixGetWpl(p);
	for (y = 0; y < height; y++) {
		const unsigned char *row = data + (size_t)y * stride;
		line = pixGetData(p) + (size_t)y * wpl;
		if (depth == 1) {
			for (x = 0; x < width; x++)
				if (row[x >> 3] & (0x80 >> (x & 7)))
					SET_DATA_BIT(line, x);
		} else {
			for (x = 0; x < width; x++)
				SET_DATA_BYTE(line, x, row[x]);
		}
	}
	pixSetResolution(p, xres, yres);
	*ret = p;
	return 0;
}
