/*
 * decode.c — sniff an arrival with libmagic and decode it into leptonica
 * images (TIFF here with libtiff, PNG/JPEG with leptonica, PDF in pdf.c).
 *
 * Runs in the sandboxed worker processes.  Inputs are hostile: sizes from
 * headers are checked against struct decode_limits before anything is
 * allocated for them, and a library's complaint about the data makes the
 * file "corrupt" rather than a page of garbage.
 *
 * libtiff's messages are caught per TIFF handle (libtiff 4.5
 * TIFFOpenOptionsSetErrorHandlerExtR), so no global libtiff handler is
 * touched.  Leptonica only offers a process-wide message hook
 * (leptSetStderrHandler); it is installed for the duration of a PNG/JPEG
 * decode and writes into lept_msg below.  That is this module's only
 * mutable global, acceptable because worker processes are single-threaded.
 *
 * The sender of a fax: HylaFAX writes what the calling machine told it
 * into the TIFF tags of each received page.  From HylaFAX's source:
 *  - faxd/CopyQuality.c++, FaxModem::recvSetupTIFF(): ImageDescription
 *    (270) is set to `id`; Software is HYLAFAX_VERSION; DateTime, Make,
 *    Model (the modem) and HostComputer are set too.
 *  - faxd/FaxRecv.c++, FaxServer::recvFaxPhaseD(): id is the sender's
 *    TSI (trimmed of blanks by FaxModem::recvTSI(), "<UNSPECIFIED>" when
 *    none was sent), followed by "\n" and each CallID value (HylaFAX 6 /
 *    HylaFAX+: info.callid[i], in CallIDPattern order; HylaFAX 4.x: cidname
 *    then cidnumber).
 *  - util/faxinfo.c++ reads it back the same way: the first line of
 *    ImageDescription is "Sender", the following lines CallID1..n.
 *  - faxd/CopyQuality.c++, FaxModem::recvEndPage(): FaxRecvParams (34908,
 *    Class 2 session parameters as a LONG), FaxDcs (34911, the DCS frame
 *    as hex text), FaxSubAddress (34909, the SUB frame, only when sent)
 *    and FaxRecvTime (34910, seconds spent receiving the page).
 * (ifax/HylaFAX on GitHub.)  We take the TSI as the sender and the first
 * CallID line that looks like a number as the caller id, and only when the
 * file is HylaFAX's (FaxRecvParams present or Software "HylaFAX..."), so a
 * scanner's ImageDescription is never taken for a sender.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <leptonica/allheaders.h>
#include <magic.h>
#include <tiffio.h>

#include "faxintake/buf.h"
#include "faxintake/decode.h"
#include "faxintake/pdf.h"

#define TIFF_MAX_DIRS	65536	/* we stop counting pages here */

/* tiff_sender() copies a caller id into sender. */
_Static_assert(sizeof(((struct decode_info *)0)->sender) >=
    sizeof(((struct decode_info *)0)->callid), "sender holds a callid");
#define RGBA_BAND	64	/* rows per TIFFRGBAImageGet() call */
#define TIFF_NAME	"input"	/* the name libtiff puts in its messages */

int
decode_reject(struct decode_info *info, const char *code, const char *fmt,
    ...)
{
	va_list ap;

	snprintf(info->reason_code, sizeof(info->reason_code), "%s", code);
	va_start(ap, fmt);
	vsnprintf(info->reason, sizeof(info->reason), fmt, ap);
	va_end(ap);
	return DECODE_REJECTED;
}

/* Chomp a library message: no trailing newline or blanks. */
static void
msg_trim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

/*
 * Bring an image to what the later stages expect: 1, 8 or 32 bits per
 * pixel, no colormap, no alpha.  Consumes pix; NULL when out of memory.
 */
static PIX *
decode_normalize(PIX *pix)
{
	PIX *t;
	int d;

	if (pixGetColormap(pix) != NULL) {
		t = pixRemoveColormap(pix, REMOVE_CMAP_BASED_ON_SRC);
		pixDestroy(&pix);
		if ((pix = t) == NULL)
			return NULL;
	}
	if (pixGetDepth(pix) == 32 && pixGetSpp(pix) == 4) {
		t = pixAlphaBlendUniform(pix, 0xffffff00);
		pixDestroy(&pix);
		if ((pix = t) == NULL)
			return NULL;
		pixSetSpp(pix, 3);
	}
	d = pixGetDepth(pix);
	if (d != 1 && d != 8 && d != 32) {
		t = pixConvertTo8(pix, 0);
		pixDestroy(&pix);
		pix = t;
	}
	return pix;
}

int
decode_page_deliver(PIX *pix, int pageno, decode_page_fn fn, void *arg)
{
	struct decode_page page;

	if (fn == NULL)
		return 0;
	memset(&page, 0, sizeof(page));
	page.pageno = pageno;
	page.width = pixGetWidth(pix);
	page.height = pixGetHeight(pix);
	page.depth = pixGetDepth(pix);
	page.xres = pixGetXRes(pix);
	page.yres = pixGetYRes(pix);
	return fn(arg, &page, pix);
}

static int
check_pixels(struct decode_info *info, const struct decode_limits *lim,
    int pageno, unsigned long long w, unsigned long long h)
{
	if (w == 0 || h == 0)
		return decode_reject(info, DECODE_CORRUPT,
		    "page %d is %llux%llu pixels", pageno, w, h);
	/* Both are at most 2^32-1 here, so the product does not wrap. */
	if (w * h > lim->max_page_pixels)
		return decode_reject(info, DECODE_OVER_LIMIT,
		    "page %d is %llux%llu pixels, over the limit of %llu "
		    "(max_page_pixels)", pageno, w, h, lim->max_page_pixels);
	if (w > INT_MAX / 32 || h > INT_MAX / 32)	/* leptonica's ints */
		return decode_reject(info, DECODE_OVER_LIMIT,
		    "page %d is %llux%llu pixels, too wide or tall to "
		    "decode", pageno, w, h);
	return 0;
}

/* ------------------------------------------------------------------ */
/* libmagic */

static int
decode_sniff(const void *data, size_t len, struct decode_info *info)
{
	magic_t m;
	const char *s;
	int rc = 0;

	if ((m = magic_open(MAGIC_MIME_TYPE)) == NULL)
		return errno ? -errno : -ENOMEM;
	if (magic_load(m, NULL) == -1) {
		rc = magic_errno(m) ? -magic_errno(m) : -ENOENT;
		magic_close(m);
		return rc;
	}
	if ((s = magic_buffer(m, data, len)) == NULL) {
		rc = magic_errno(m) ? -magic_errno(m) : -EIO;
		goto out;
	}
	snprintf(info->mime, sizeof(info->mime), "%s", s);
	if (magic_setflags(m, MAGIC_NONE) == -1 ||
	    (s = magic_buffer(m, data, len)) == NULL) {
		rc = magic_errno(m) ? -magic_errno(m) : -EIO;
		goto out;
	}
	snprintf(info->magic, sizeof(info->magic), "%s", s);
out:
	magic_close(m);
	return rc;
}

/* ------------------------------------------------------------------ */
/* TIFF */

struct tiff_src {
	const unsigned char	*data;
	uint64_t		 len;
	uint64_t		 pos;
	char			 err[256];	/* first libtiff error */
	int			 nerr;
};

static tmsize_t
tiff_read(thandle_t h, void *p, tmsize_t n)
{
	struct tiff_src *s = h;
	uint64_t left;

	if (n <= 0 || s->pos >= s->len)
		return 0;
	left = s->len - s->pos;
	if ((uint64_t)n > left)
		n = (tmsize_t)left;
	memcpy(p, s->data + s->pos, (size_t)n);
	s->pos += (uint64_t)n;
	return n;
}

static tmsize_t
tiff_write(thandle_t h, void *p, tmsize_t n)
{
	(void)h, (void)p, (void)n;
	return -1;
}

static toff_t
tiff_seek(thandle_t h, toff_t off, int whence)
{
	struct tiff_src *s = h;
	uint64_t base;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = s->pos;
		break;
	case SEEK_END:
		base = s->len;
		break;
	default:
		return (toff_t)-1;
	}
	if (off > UINT64_MAX - base)
		return (toff_t)-1;
	/* Seeking past the end is allowed; reads there return 0. */
	s->pos = base + off;
	return s->pos;
}

static int
tiff_close(thandle_t h)
{
	(void)h;
	return 0;
}

static toff_t
tiff_size(thandle_t h)
{
	return ((struct tiff_src *)h)->len;
}

static int
tiff_map(thandle_t h, void **base, toff_t *size)
{
	(void)h, (void)base, (void)size;
	return 0;
}

static void
tiff_unmap(thandle_t h, void *base, toff_t size)
{
	(void)h, (void)base, (void)size;
}

static int
tiff_on_error(TIFF *tif, void *ud, const char *module, const char *fmt,
    va_list ap)
{
	struct tiff_src *s = ud;
	char msg[200];

	const char *m;

	(void)tif;
	if (s->nerr++ == 0) {
		vsnprintf(msg, sizeof(msg), fmt, ap);
		msg_trim(msg);
		/* Most messages start with the handle's name: drop it. */
		m = msg;
		if (strncmp(m, TIFF_NAME ": ", sizeof(TIFF_NAME) + 1) == 0)
			m += sizeof(TIFF_NAME) + 1;
		if (module != NULL && *module != '\0' &&
		    strcmp(module, TIFF_NAME) != 0)
			snprintf(s->err, sizeof(s->err), "%s: %s", module, m);
		else
			snprintf(s->err, sizeof(s->err), "%s", m);
	}
	return 1;	/* handled: nothing on stderr */
}

static int
tiff_on_warning(TIFF *tif, void *ud, const char *module, const char *fmt,
    va_list ap)
{
	va_list cp;
	char msg[200];

	/* A fax codec reports data that ends before the page does as a
	 * warning; for us that is a truncated file.  Other warnings
	 * (unknown tags and the like) are harmless. */
	va_copy(cp, ap);
	vsnprintf(msg, sizeof(msg), fmt, cp);
	va_end(cp);
	if (strstr(msg, "Premature EOF") != NULL ||
	    strstr(msg, "premature EOF") != NULL)
		return tiff_on_error(tif, ud, module, fmt, ap);
	return 1;
}

/* Copy the printable ASCII of s[0..n) into out, trimmed; "" if none. */
static void
copy_printable(char *out, size_t outsz, const char *s, size_t n)
{
	size_t i, o = 0;

	while (n > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r'))
		s++, n--;
	for (i = 0; i < n && o + 1 < outsz; i++) {
		unsigned char c = (unsigned char)s[i];
		out[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '\t' ||
	    out[o - 1] == '\r'))
		o--;
	out[o] = '\0';
}

/* A caller id value that is a number: digits with + - ( ) . and blanks. */
static int
looks_like_number(const char *s)
{
	int digits = 0;

	for (; *s != '\0'; s++) {
		if (isdigit((unsigned char)*s))
			digits++;
		else if (strchr("+-(). ", *s) == NULL)
			return 0;
	}
	return digits >= 3;
}

/* See the top of this file for where HylaFAX puts these. */
static void
tiff_sender(TIFF *tif, struct decode_info *info)
{
	const char *desc = NULL, *sw = NULL, *p, *nl;
	uint32_t params = 0;
	uint16_t comp = COMPRESSION_NONE;
	char line[128];
	int hylafax = 0;

	if (TIFFGetField(tif, TIFFTAG_SOFTWARE, &sw) == 1 && sw != NULL &&
	    strncmp(sw, "HylaFAX", 7) == 0)
		hylafax = 1;
	/* The FAX* tags are known to libtiff only with the fax codecs. */
	TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &comp);
	if ((comp == COMPRESSION_CCITTFAX3 || comp == COMPRESSION_CCITTFAX4 ||
	    comp == COMPRESSION_CCITTRLE || comp == COMPRESSION_CCITTRLEW) &&
	    TIFFGetField(tif, TIFFTAG_FAXRECVPARAMS, &params) == 1)
		hylafax = 1;
	if (!hylafax ||
	    TIFFGetField(tif, TIFFTAG_IMAGEDESCRIPTION, &desc) != 1 ||
	    desc == NULL)
		return;

	nl = strchr(desc, '\n');
	copy_printable(line, sizeof(line), desc,
	    nl ? (size_t)(nl - desc) : strlen(desc));
	if (strcmp(line, "<UNSPECIFIED>") != 0)
		snprintf(info->sender, sizeof(info->sender), "%s", line);
	for (p = nl; p != NULL && info->callid[0] == '\0'; p = nl) {
		p++;
		nl = strchr(p, '\n');
		copy_printable(line, sizeof(line), p,
		    nl ? (size_t)(nl - p) : strlen(p));
		if (looks_like_number(line))
			copy_printable(info->callid, sizeof(info->callid),
			    line, strlen(line));
	}
	if (info->sender[0] == '\0' && info->callid[0] != '\0')
		memcpy(info->sender, info->callid, sizeof(info->callid));
}

/* Resolution in dots per inch from the TIFF tags; 0 when unknown. */
static void
tiff_resolution(TIFF *tif, int *xres, int *yres)
{
	float x = 0, y = 0;
	uint16_t unit = RESUNIT_INCH;
	double f = 1.0;

	*xres = *yres = 0;
	TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &unit);
	if (unit == RESUNIT_CENTIMETER)
		f = 2.54;
	else if (unit != RESUNIT_INCH)
		return;
	if (TIFFGetField(tif, TIFFTAG_XRESOLUTION, &x) == 1 && isfinite(x) &&
	    x > 0 && x * f < 100000)
		*xres = (int)lround(x * f);
	if (TIFFGetField(tif, TIFFTAG_YRESOLUTION, &y) == 1 && isfinite(y) &&
	    y > 0 && y * f < 100000)
		*yres = (int)lround(y * f);
	if (*xres == 0)
		*xres = *yres;
	if (*yres == 0)
		*yres = *xres;
}

/*
 * Bilevel and 8-bit grey strips, the common case (every fax): read
 * scanlines straight into a 1 or 8 bpp PIX.  *ret on success.
 */
static int
tiff_read_grey(TIFF *tif, struct tiff_src *src, struct decode_info *info,
    int pageno, uint32_t w, uint32_t h, int bps, uint16_t photo, PIX **ret)
{
	PIX *pix;
	l_uint32 *data;
	unsigned char *line;
	tmsize_t ssize;
	size_t rowbytes, wpl;
	uint32_t y;

	if ((pix = pixCreate((int)w, (int)h, bps)) == NULL)
		return -ENOMEM;
	data = pixGetData(pix);
	wpl = (size_t)pixGetWpl(pix);
	rowbytes = ((size_t)w * (size_t)bps + 7) / 8;
	ssize = TIFFScanlineSize(tif);
	if (ssize <= 0 || (size_t)ssize < rowbytes) {
		pixDestroy(&pix);
		return decode_reject(info, DECODE_CORRUPT,
		    "TIFF page %d: bad scanline size %lld", pageno,
		    (long long)ssize);
	}
	if ((line = malloc((size_t)ssize)) == NULL) {
		pixDestroy(&pix);
		return -ENOMEM;
	}
	for (y = 0; y < h; y++) {
		if (TIFFReadScanline(tif, line, y, 0) < 0 || src->nerr > 0)
			break;
		memcpy(data + (size_t)y * wpl, line, rowbytes);
	}
	free(line);
	if (y < h || src->nerr > 0) {
		pixDestroy(&pix);
		return decode_reject(info, DECODE_CORRUPT,
		    "TIFF page %d: %s", pageno,
		    src->nerr ? src->err : "cannot read the image data");
	}
	/* Bytes went in in file order; leptonica keeps 32-bit words. */
	pixEndianByteSwap(pix);
	/* Leptonica: 1 bpp 1 = black, 8 bpp 0 = black. */
	if ((bps == 1 && photo == PHOTOMETRIC_MINISBLACK) ||
	    (bps == 8 && photo == PHOTOMETRIC_MINISWHITE))
		pixInvert(pix, pix);
	pixSetPadBits(pix, 0);
	*ret = pix;
	return 0;
}

/* Everything else libtiff can turn into RGBA: read in bands of rows. */
static int
tiff_read_rgba(TIFF *tif, struct tiff_src *src, struct decode_info *info,
    int pageno, uint32_t w, uint32_t h, PIX **ret)
{
	TIFFRGBAImage img;
	char emsg[1024];
	PIX *pix;
	uint32_t *raster, y, rows, r, x;
	l_uint32 *data, *row;
	size_t wpl;
	int rc = 0;

	if (!TIFFRGBAImageOK(tif, emsg)) {
		msg_trim(emsg);
		return decode_reject(info, DECODE_UNSUPPORTED,
		    "TIFF page %d: %s", pageno, emsg);
	}
	if (!TIFFRGBAImageBegin(&img, tif, 0, emsg)) {
		msg_trim(emsg);
		return decode_reject(info, DECODE_CORRUPT,
		    "TIFF page %d: %s", pageno,
		    src->nerr ? src->err : emsg);
	}
	img.req_orientation = ORIENTATION_TOPLEFT;
	if ((pix = pixCreate((int)w, (int)h, 32)) == NULL) {
		TIFFRGBAImageEnd(&img);
		return -ENOMEM;
	}
	if ((raster = calloc((size_t)w * RGBA_BAND, sizeof(*raster))) ==
	    NULL) {
		TIFFRGBAImageEnd(&img);
		pixDestroy(&pix);
		return -ENOMEM;
	}
	data = pixGetData(pix);
	wpl = (size_t)pixGetWpl(pix);
	for (y = 0; y < h && rc == 0; y += rows) {
		rows = h - y < RGBA_BAND ? h - y : RGBA_BAND;
		img.row_offset = (int)y;
		img.col_offset = 0;
		if (!TIFFRGBAImageGet(&img, raster, w, rows) ||
		    src->nerr > 0) {
			rc = decode_reject(info, DECODE_CORRUPT,
			    "TIFF page %d: %s", pageno, src->nerr ?
			    src->err : "cannot read the image data");
			break;
		}
		for (r = 0; r < rows; r++) {
			row = data + (size_t)(y + r) * wpl;
			for (x = 0; x < w; x++) {
				uint32_t v = raster[(size_t)r * w + x];
				composeRGBPixel((l_int32)TIFFGetR(v),
				    (l_int32)TIFFGetG(v),
				    (l_int32)TIFFGetB(v), &row[x]);
			}
		}
	}
	free(raster);
	TIFFRGBAImageEnd(&img);
	if (rc != 0) {
		pixDestroy(&pix);
		return rc;
	}
	*ret = pix;
	return 0;
}

static int
tiff_read_page(TIFF *tif, struct tiff_src *src, struct decode_info *info,
    int pageno, PIX **ret)
{
	uint32_t w = 0, h = 0;
	uint16_t bps = 1, spp = 1, planar = PLANARCONFIG_CONTIG, photo;
	int xres, yres, rc;

	TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w);
	TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h);
	TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
	TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
	TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
	if (TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photo) != 1)
		photo = bps == 1 ? PHOTOMETRIC_MINISWHITE :
		    PHOTOMETRIC_MINISBLACK;

	if (!TIFFIsTiled(tif) && spp == 1 && (bps == 1 || bps == 8) &&
	    (photo == PHOTOMETRIC_MINISWHITE ||
	    photo == PHOTOMETRIC_MINISBLACK))
		rc = tiff_read_grey(tif, src, info, pageno, w, h, bps, photo,
		    ret);
	else
		rc = tiff_read_rgba(tif, src, info, pageno, w, h, ret);
	if (rc != 0)
		return rc;
	tiff_resolution(tif, &xres, &yres);
	pixSetResolution(*ret, xres, yres);
	return 0;
}

/*
 * First pass: walk every directory (page) without decoding pixels and
 * check the limits, the codecs and that the directory chain is sound.
 */
static int
tiff_walk(TIFF *tif, struct tiff_src *src, const struct decode_limits *lim,
    struct decode_info *info, int *ret_npages)
{
	uint32_t w, h;
	uint16_t comp;
	int n = 0, rc;

	do {
		if (++n > lim->max_pages) {
			while (n < TIFF_MAX_DIRS && TIFFReadDirectory(tif))
				n++;
			if (n >= TIFF_MAX_DIRS)
				return decode_reject(info, DECODE_OVER_LIMIT,
				    "more than %d pages, over the limit of "
				    "%d (max_pages)", TIFF_MAX_DIRS - 1,
				    lim->max_pages);
			return decode_reject(info, DECODE_OVER_LIMIT,
			    "%d pages, over the limit of %d (max_pages)", n,
			    lim->max_pages);
		}
		if (n == 1)
			tiff_sender(tif, info);
		if (TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w) != 1 ||
		    TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h) != 1)
			return decode_reject(info, DECODE_CORRUPT,
			    "TIFF page %d: no image width or length", n);
		if ((rc = check_pixels(info, lim, n, w, h)) != 0)
			return rc;
		comp = COMPRESSION_NONE;
		TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &comp);
		if (!TIFFIsCODECConfigured(comp)) {
			const TIFFCodec *c = TIFFFindCODEC(comp);
			return decode_reject(info, DECODE_UNSUPPORTED,
			    "TIFF page %d: compression %u (%s) is not "
			    "supported", n, comp, c ? c->name : "unknown");
		}
	} while (TIFFReadDirectory(tif));
	/* TIFFReadDirectory() returns 0 at the end of the chain and on an
	 * error; only the error handler tells them apart. */
	if (src->nerr > 0)
		return decode_reject(info, DECODE_CORRUPT,
		    "TIFF page %d: %s", n + 1, src->err);
	*ret_npages = n;
	return 0;
}

static int
decode_tiff(const void *data, size_t len, const struct decode_limits *lim,
    struct decode_info *info, decode_page_fn fn, void *arg)
{
	struct tiff_src src;
	TIFFOpenOptions *opts;
	TIFF *tif;
	PIX *pix = NULL;
	unsigned long long maxalloc;
	int rc, npages = 0, i;

	memset(&src, 0, sizeof(src));
	src.data = data;
	src.len = len;
	if ((opts = TIFFOpenOptionsAlloc()) == NULL)
		return -ENOMEM;
	TIFFOpenOptionsSetErrorHandlerExtR(opts, tiff_on_error, &src);
	TIFFOpenOptionsSetWarningHandlerExtR(opts, tiff_on_warning, &src);
	/* No single libtiff allocation larger than a 32-bit page at the
	 * pixel limit (a strip of raw RGB fits in that), at least 64 MiB. */
	maxalloc = lim->max_page_pixels * 4;
	if (maxalloc < 64ULL << 20)
		maxalloc = 64ULL << 20;
	if (maxalloc > (unsigned long long)TIFF_TMSIZE_T_MAX)
		maxalloc = (unsigned long long)TIFF_TMSIZE_T_MAX;
	TIFFOpenOptionsSetMaxSingleMemAlloc(opts, (tmsize_t)maxalloc);
	/* "m": no memory mapping; reads go through tiff_read(). */
	tif = TIFFClientOpenExt(TIFF_NAME, "rm", &src, tiff_read, tiff_write,
	    tiff_seek, tiff_close, tiff_size, tiff_map, tiff_unmap, opts);
	TIFFOpenOptionsFree(opts);
	if (tif == NULL)
		return decode_reject(info, DECODE_CORRUPT, "TIFF: %s",
		    src.nerr ? src.err : "cannot read the header or the "
		    "first page");

	if ((rc = tiff_walk(tif, &src, lim, info, &npages)) != 0)
		goto out;
	if (!TIFFSetDirectory(tif, 0) || src.nerr > 0) {
		rc = decode_reject(info, DECODE_CORRUPT, "TIFF: %s",
		    src.nerr ? src.err : "cannot return to the first page");
		goto out;
	}
	for (i = 1; i <= npages; i++) {
		if (i > 1 && (!TIFFReadDirectory(tif) || src.nerr > 0)) {
			rc = decode_reject(info, DECODE_CORRUPT,
			    "TIFF page %d: %s", i, src.nerr ? src.err :
			    "cannot read the directory");
			goto out;
		}
		if ((rc = tiff_read_page(tif, &src, info, i, &pix)) != 0)
			goto out;
		rc = decode_page_deliver(pix, i, fn, arg);
		pixDestroy(&pix);
		if (rc != 0)
			goto out;
	}
	info->npages = npages;
out:
	TIFFClose(tif);
	return rc;
}

/* ------------------------------------------------------------------ */
/* PNG and JPEG, through leptonica */

static char lept_msg[256];	/* see the top of this file */

static void
lept_capture(const char *msg)
{
	if (lept_msg[0] == '\0') {
		snprintf(lept_msg, sizeof(lept_msg), "%s", msg);
		msg_trim(lept_msg);
	}
}

static int
decode_lept(const void *data, size_t len, const struct decode_limits *lim,
    struct decode_info *info, decode_page_fn fn, void *arg, int jpeg)
{
	const char *what = jpeg ? "JPEG" : "PNG";
	l_int32 format, w, h, bps, spp, iscmap, nwarn = 0;
	PIX *pix = NULL, *t;
	int rc;

	lept_msg[0] = '\0';
	leptSetStderrHandler(lept_capture);
	if (pixReadHeaderMem(data, len, &format, &w, &h, &bps, &spp,
	    &iscmap) != 0) {
		rc = decode_reject(info, DECODE_CORRUPT,
		    "%s: cannot read the header%s%s", what,
		    lept_msg[0] ? ": " : "", lept_msg);
		goto out;
	}
	if (w < 0 || h < 0) {
		rc = decode_reject(info, DECODE_CORRUPT,
		    "%s: header says %dx%d pixels", what, w, h);
		goto out;
	}
	if ((rc = check_pixels(info, lim, 1, (unsigned long long)w,
	    (unsigned long long)h)) != 0)
		goto out;
	if (jpeg)
		pix = pixReadMemJpeg(data, len, 0, 1, &nwarn, 0);
	else
		pix = pixReadMemPng(data, len);
	if (pix == NULL || nwarn > 0) {
		if (nwarn > 0)
			rc = decode_reject(info, DECODE_CORRUPT,
			    "JPEG: damaged data (%d libjpeg warnings)%s%s",
			    nwarn, lept_msg[0] ? ": " : "", lept_msg);
		else
			rc = decode_reject(info, DECODE_CORRUPT,
			    "%s: cannot decode the image%s%s", what,
			    lept_msg[0] ? ": " : "", lept_msg);
		goto out;
	}
	if (pixGetWidth(pix) != w || pixGetHeight(pix) != h) {
		rc = decode_reject(info, DECODE_CORRUPT,
		    "%s: decoded %dx%d pixels, header said %dx%d", what,
		    pixGetWidth(pix), pixGetHeight(pix), w, h);
		goto out;
	}
	t = pix;
	pix = NULL;
	if ((pix = decode_normalize(t)) == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	leptSetStderrHandler(NULL);
	rc = decode_page_deliver(pix, 1, fn, arg);
	if (rc == 0)
		info->npages = 1;
out:
	leptSetStderrHandler(NULL);
	pixDestroy(&pix);
	return rc;
}

/* ------------------------------------------------------------------ */

int
decode_buffer(const void *data, size_t len, const struct decode_limits *lim,
    struct decode_info *info, decode_page_fn fn, void *arg)
{
	int rc;

	memset(info, 0, sizeof(*info));
	if (len == 0) {
		snprintf(info->mime, sizeof(info->mime), "application/x-empty");
		snprintf(info->magic, sizeof(info->magic), "empty");
		return decode_reject(info, DECODE_EMPTY, "zero-byte file");
	}
	if (len > lim->max_bytes)
		return decode_reject(info, DECODE_OVER_LIMIT,
		    "file is %zu bytes, over the limit of %zu (max_bytes)",
		    len, lim->max_bytes);
	if ((rc = decode_sniff(data, len, info)) != 0)
		return rc;

	if (strcmp(info->mime, "image/tiff") == 0)
		return decode_tiff(data, len, lim, info, fn, arg);
	if (strcmp(info->mime, "application/pdf") == 0)
		return pdf_decode(data, len, lim, info, fn, arg);
	if (strcmp(info->mime, "image/png") == 0)
		return decode_lept(data, len, lim, info, fn, arg, 0);
	if (strcmp(info->mime, "image/jpeg") == 0)
		return decode_lept(data, len, lim, info, fn, arg, 1);
	/* Only the type, up to the first comma: some descriptions go on
	 * with text from inside the file (a document's title or author),
	 * and the reason may end up in a log. */
	return decode_reject(info, DECODE_UNSUPPORTED, "unsupported type: %.*s",
	    (int)strcspn(info->magic, ","), info->magic);
}

int
decode_fd(int fd, const struct decode_limits *lim, struct decode_info *info,
    decode_page_fn fn, void *arg)
{
	struct buf b;
	struct stat st;
	char chunk[65536];
	ssize_t n;
	size_t max;
	int rc = 0;

	memset(info, 0, sizeof(*info));
	max = lim->max_bytes < SIZE_MAX - 1 ? lim->max_bytes + 1 :
	    lim->max_bytes;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (unsigned long long)st.st_size > lim->max_bytes)
		return decode_reject(info, DECODE_OVER_LIMIT,
		    "file is %lld bytes, over the limit of %zu (max_bytes)",
		    (long long)st.st_size, lim->max_bytes);
	buf_init(&b, max);
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == -1) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		if (n == 0)
			break;
		if (buf_add(&b, chunk, (size_t)n) != 0) {
			rc = decode_reject(info, DECODE_OVER_LIMIT,
			    "file is more than %zu bytes, over the limit "
			    "(max_bytes)", lim->max_bytes);
			break;
		}
	}
	if (rc == 0)
		rc = decode_buffer(b.data ? b.data : "", b.len, lim, info, fn,
		    arg);
	buf_free(&b);
	return rc;
}

/* --- one page as PNG (for `faxintake page`) ----------------------------- */

#define PNG_STOP	100	/* the page is taken: stop decoding */

struct png_want {
	int		 pageno;
	l_uint8		*png;
	size_t		 len;
};

static int
png_page(void *arg, const struct decode_page *page, struct Pix *pix)
{
	struct png_want *w = arg;

	if (page->pageno != w->pageno)
		return 0;
	if (pixWriteMemPng(&w->png, &w->len, pix, 0.0) != 0)
		return -ENOMEM;
	return PNG_STOP;
}

int
decode_page_png(const void *data, size_t len, const struct decode_limits *limits,
    int pageno, unsigned char **ret, size_t *ret_len, struct decode_info *info)
{
	struct png_want w = { pageno, NULL, 0 };
	int rc;

	if (pageno < 1)
		return -EINVAL;
	rc = decode_buffer(data, len, limits, info, png_page, &w);
	if (rc == PNG_STOP) {
		*ret = w.png;
		*ret_len = w.len;
		return 0;
	}
	free(w.png);
	return rc == 0 ? -ENOENT : rc;	/* 0: the file has fewer pages */
}
