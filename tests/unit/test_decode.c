/*
 * test_decode.c — decode.c and pdf.c against generated fixtures
 * (tests/unit/fixture.h, the same generator as build/tools/mkfixture):
 * every kind the daemon must read, and every way a file is rejected.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "faxintake/decode.h"
#include "fixture.h"

#define MAXPAGES	16

struct seen {
	int			npages;
	struct decode_page	page[MAXPAGES];
	long			ink[MAXPAGES];	/* dark pixels */
	int			stop_at;	/* return 42 at this page */
};

static const struct decode_limits deflim = {
	.max_bytes = 50u << 20,
	.max_pages = 100,
	.max_page_pixels = 40000000ULL,
};

static int
collect(void *arg, const struct decode_page *p, struct Pix *pix)
{
	struct seen *s = arg;
	l_int32 n = 0;
	PIX *t;

	assert_non_null(pix);
	assert_int_equal(p->pageno, s->npages + 1);
	assert_int_equal(p->width, pixGetWidth(pix));
	assert_int_equal(p->height, pixGetHeight(pix));
	assert_int_equal(p->depth, pixGetDepth(pix));
	assert_null(pixGetColormap(pix));
	if (s->npages < MAXPAGES) {
		s->page[s->npages] = *p;
		/* Dark pixels: 1 bpp black, else grey below 128. */
		if (p->depth == 1)
			pixCountPixels(pix, &n, NULL);
		else {
			t = pixConvertTo1(pix, 128);
			assert_non_null(t);
			pixCountPixels(t, &n, NULL);
			pixDestroy(&t);
		}
		s->ink[s->npages] = n;
	}
	s->npages++;
	if (s->stop_at == s->npages)
		return 42;
	return 0;
}

/* Make a fixture; fail the test if the generator fails. */
static unsigned char *
make(const char *kind, int pages, size_t *len)
{
	struct fixture_opts o;
	unsigned char *data = NULL;

	memset(&o, 0, sizeof(o));
	o.pages = pages;
	assert_int_equal(fixture_make(kind, &o, &data, len), 0);
	return data;
}

static int
decode_kind(const char *kind, int pages, const struct decode_limits *lim,
    struct decode_info *info, struct seen *s)
{
	unsigned char *data;
	size_t len;
	int rc;

	data = make(kind, pages, &len);
	memset(s, 0, sizeof(*s));
	rc = decode_buffer(data ? data : (unsigned char *)"", len, lim, info,
	    collect, s);
	free(data);
	return rc;
}

static void
assert_contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("\"%s\" does not contain \"%s\"", hay, needle);
}

static void
assert_page(const struct seen *s, int i, int w, int h, int d, int xres,
    int yres)
{
	const struct decode_page *p = &s->page[i];

	assert_int_equal(p->pageno, i + 1);
	assert_int_equal(p->width, w);
	assert_int_equal(p->height, h);
	assert_int_equal(p->depth, d);
	assert_int_equal(p->xres, xres);
	assert_int_equal(p->yres, yres);
	/* Something drawn, but not a black page. */
	assert_true(s->ink[i] > 1000);
	assert_true(s->ink[i] < (long)w * h / 4);
}

static void
assert_ok(int rc, const struct decode_info *info, const char *mime,
    int npages, const struct seen *s)
{
	if (rc != 0)
		fail_msg("rc %d: %s: %s", rc, info->reason_code, info->reason);
	assert_string_equal(info->mime, mime);
	assert_string_equal(info->reason_code, "");
	assert_string_equal(info->reason, "");
	assert_int_equal(info->npages, npages);
	assert_int_equal(s->npages, npages);
}

static void
assert_rejected(int rc, const struct decode_info *info, const char *code,
    const char *text, const struct seen *s)
{
	assert_int_equal(rc, DECODE_REJECTED);
	assert_string_equal(info->reason_code, code);
	assert_contains(info->reason, text);
	assert_int_equal(info->npages, 0);
	if (s != NULL)
		assert_int_equal(s->npages, 0);
}

/* ------------------------------------------------------------------ */

static void
test_tiff_g4_fine(void **state)
{
	struct decode_info info;
	struct seen s;
	int i, rc;

	(void)state;
	rc = decode_kind("tiff-g4-fine", 3, &deflim, &info, &s);
	assert_ok(rc, &info, "image/tiff", 3, &s);
	assert_contains(info.magic, "TIFF image data");
	for (i = 0; i < 3; i++)
		assert_page(&s, i, 1728, 2292, 1, 204, 196);
	assert_string_equal(info.sender, "");	/* not from HylaFAX */
}

static void
test_tiff_g3_normal(void **state)
{
	struct decode_info info;
	struct seen s;
	int rc;

	(void)state;
	rc = decode_kind("tiff-g3-normal", 2, &deflim, &info, &s);
	assert_ok(rc, &info, "image/tiff", 2, &s);
	assert_page(&s, 0, 1728, 1146, 1, 204, 98);
	assert_page(&s, 1, 1728, 1146, 1, 204, 98);

	rc = decode_kind("tiff-g3-1d", 1, &deflim, &info, &s);
	assert_ok(rc, &info, "image/tiff", 1, &s);
	assert_page(&s, 0, 1728, 1146, 1, 204, 98);
}

static void
test_tiff_grey_colour(void **state)
{
	struct decode_info info;
	struct seen s;
	int rc;

	(void)state;
	rc = decode_kind("tiff-lzw-gray", 0, &deflim, &info, &s);
	assert_ok(rc, &info, "image/tiff", 1, &s);
	assert_page(&s, 0, 1240, 1754, 8, 150, 150);

	rc = decode_kind("tiff-color", 2, &deflim, &info, &s);
	assert_ok(rc, &info, "image/tiff", 2, &s);
	assert_page(&s, 0, 1240, 1754, 32, 150, 150);
	assert_page(&s, 1, 1240, 1754, 32, 150, 150);
}

static int
decode_hylafax(const char *tsi, const char *callid, const char *cidname,
    struct decode_info *info, struct seen *s)
{
	struct fixture_opts o;
	unsigned char *data = NULL;
	size_t len;
	int rc;

	memset(&o, 0, sizeof(o));
	o.pages = 2;
	o.tsi = tsi;
	o.callid = callid;
	o.cidname = cidname;
	o.subaddr = "1234";
	assert_int_equal(fixture_make("hylafax", &o, &data, &len), 0);
	memset(s, 0, sizeof(*s));
	rc = decode_buffer(data, len, &deflim, info, collect, s);
	free(data);
	return rc;
}

static void
test_hylafax_sender(void **state)
{
	struct decode_info info;
	struct seen s;
	int rc;

	(void)state;
	/* TSI with blanks around it, caller id number then name. */
	rc = decode_hylafax("  +81 3 1234 5678 ", "0312345678",
	    "YAMADA CLINIC", &info, &s);
	assert_ok(rc, &info, "image/tiff", 2, &s);
	assert_page(&s, 0, 1728, 2292, 1, 204, 196);
	assert_string_equal(info.sender, "+81 3 1234 5678");
	assert_string_equal(info.callid, "0312345678");

	/* HylaFAX 4.x order: name, then number. */
	rc = decode_hylafax("0166-25-8370", "ASAHIKAWA", NULL, &info, &s);
	assert_int_equal(rc, 0);
	assert_string_equal(info.sender, "0166-25-8370");
	assert_string_equal(info.callid, "");

	/* No TSI sent: the caller id number stands in. */
	rc = decode_hylafax("<UNSPECIFIED>", "011-382-9314", NULL, &info, &s);
	assert_int_equal(rc, 0);
	assert_string_equal(info.sender, "011-382-9314");
	assert_string_equal(info.callid, "011-382-9314");

	/* Control characters never reach the store. */
	rc = decode_hylafax("AB\x01\x7f" "C", NULL, NULL, &info, &s);
	assert_int_equal(rc, 0);
	assert_string_equal(info.sender, "AB??C");
}

static void
test_pdf(void **state)
{
	struct decode_info info;
	struct seen s;
	struct decode_limits lim = deflim;
	int rc;

	(void)state;
	rc = decode_kind("pdf", 2, &deflim, &info, &s);
	assert_ok(rc, &info, "application/pdf", 2, &s);
	assert_page(&s, 0, 2481, 3508, 8, 300, 300);
	assert_page(&s, 1, 2481, 3508, 8, 300, 300);

	/* A lower pixel limit renders at a lower resolution, not over. */
	lim.max_page_pixels = 2000000;
	rc = decode_kind("pdf", 1, &lim, &info, &s);
	assert_ok(rc, &info, "application/pdf", 1, &s);
	assert_true(s.page[0].xres >= DECODE_PDF_MIN_DPI);
	assert_true(s.page[0].xres < DECODE_PDF_DPI);
	assert_true((unsigned long long)s.page[0].width *
	    (unsigned long long)s.page[0].height <= lim.max_page_pixels);
}

static void
test_png_jpeg(void **state)
{
	struct decode_info info;
	struct seen s;
	int rc;

	(void)state;
	rc = decode_kind("png", 0, &deflim, &info, &s);
	assert_ok(rc, &info, "image/png", 1, &s);
	assert_page(&s, 0, 1240, 1754, 8, 150, 150);

	rc = decode_kind("jpeg", 0, &deflim, &info, &s);
	assert_ok(rc, &info, "image/jpeg", 1, &s);
	assert_page(&s, 0, 1240, 1754, 32, 150, 150);
}

static void
test_empty_and_text(void **state)
{
	struct decode_info info;
	struct seen s;
	int rc;

	(void)state;
	rc = decode_kind("empty", 0, &deflim, &info, &s);
	assert_rejected(rc, &info, "empty", "zero-byte file", &s);

	/* What a file is called does not matter (x.tif in the e2e test). */
	rc = decode_kind("text", 0, &deflim, &info, &s);
	assert_rejected(rc, &info, "unsupported_type",
	    "unsupported type: ASCII text", &s);
	assert_string_equal(info.mime, "text/plain");
}

static void
test_corrupt_tiff(void **state)
{
	struct decode_info info;
	struct seen s;
	int rc;

	(void)state;
	/* Cut in the middle: the chain of pages breaks at page 2. */
	rc = decode_kind("tiff-truncated", 3, &deflim, &info, &s);
	assert_rejected(rc, &info, "corrupt", "TIFF page 2: ", &s);
	assert_contains(info.reason, "TIFFFetchDirectory");

	/* One page cut: its directory (written last) is gone. */
	rc = decode_kind("tiff-truncated", 1, &deflim, &info, &s);
	assert_rejected(rc, &info, "corrupt", "Can not read TIFF directory",
	    &s);

	/* Directory intact, image data short: never garbage pixels. */
	rc = decode_kind("tiff-short-strip", 0, &deflim, &info, &s);
	assert_rejected(rc, &info, "corrupt", "TIFF page 1: ", &s);
	assert_contains(info.reason, "Read error");
}

static void
test_limits(void **state)
{
	struct decode_info info;
	struct decode_limits lim = deflim;
	struct seen s;
	int rc;

	(void)state;
	rc = decode_kind("tiff-huge", 0, &deflim, &info, &s);
	assert_rejected(rc, &info, "over_limit",
	    "page 1 is 200000x200000 pixels, over the limit of 40000000 "
	    "(max_page_pixels)", &s);

	lim.max_pages = 2;
	rc = decode_kind("tiff-g4-fine", 3, &lim, &info, &s);
	assert_rejected(rc, &info, "over_limit",
	    "3 pages, over the limit of 2 (max_pages)", &s);
	rc = decode_kind("pdf", 3, &lim, &info, &s);
	assert_rejected(rc, &info, "over_limit",
	    "3 pages, over the limit of 2 (max_pages)", &s);

	lim = deflim;
	lim.max_page_pixels = 1000000;
	rc = decode_kind("png", 0, &lim, &info, &s);
	assert_rejected(rc, &info, "over_limit",
	    "page 1 is 1240x1754 pixels, over the limit of 1000000 "
	    "(max_page_pixels)", &s);
	rc = decode_kind("tiff-g3-normal", 1, &lim, &info, &s);
	assert_rejected(rc, &info, "over_limit", "(max_page_pixels)", &s);

	/* A PDF whose page is 200 inches square. */
	rc = decode_kind("pdf-bomb", 1, &deflim, &info, &s);
	assert_rejected(rc, &info, "over_limit",
	    "page 1 is 14400x14400 points", &s);
	assert_contains(info.reason, "(max_page_pixels)");
}

static void
test_max_bytes(void **state)
{
	struct decode_info info;
	struct decode_limits lim = deflim;
	struct seen s;
	unsigned char *data;
	char path[] = "/tmp/test_decode.XXXXXX";
	size_t len;
	int fd, p[2], rc;

	(void)state;
	data = make("tiff-g4-fine", 1, &len);
	lim.max_bytes = len - 1;
	memset(&s, 0, sizeof(s));
	rc = decode_buffer(data, len, &lim, &info, collect, &s);
	assert_rejected(rc, &info, "over_limit", "(max_bytes)", &s);

	/* decode_fd: a regular file over the limit ... */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	rc = decode_fd(fd, &lim, &info, collect, &s);
	assert_rejected(rc, &info, "over_limit", "(max_bytes)", &s);
	/* ... and within it, the same as from memory. */
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	rc = decode_fd(fd, &deflim, &info, collect, &s);
	assert_ok(rc, &info, "image/tiff", 1, &s);
	close(fd);

	/* A pipe: no size known, reading stops after max_bytes + 1. */
	assert_int_equal(pipe(p), 0);
	lim.max_bytes = 1000;
	assert_int_equal(write(p[1], data, 4096), 4096);
	close(p[1]);
	memset(&s, 0, sizeof(s));
	rc = decode_fd(p[0], &lim, &info, collect, &s);
	assert_rejected(rc, &info, "over_limit", "more than 1000 bytes", &s);
	close(p[0]);
	free(data);
}

static void
test_corrupt_other(void **state)
{
	struct decode_info info;
	struct seen s;
	unsigned char *data;
	size_t len;
	int rc;

	(void)state;
	rc = decode_kind("pdf-garbage", 0, &deflim, &info, &s);
	assert_rejected(rc, &info, "corrupt", "PDF: ", &s);

	data = make("png", 0, &len);
	memset(&s, 0, sizeof(s));
	rc = decode_buffer(data, len / 2, &deflim, &info, collect, &s);
	assert_rejected(rc, &info, "corrupt", "PNG", &s);
	free(data);

	data = make("jpeg", 0, &len);
	memset(&s, 0, sizeof(s));
	rc = decode_buffer(data, len / 2, &deflim, &info, collect, &s);
	assert_rejected(rc, &info, "corrupt", "JPEG", &s);
	free(data);
}

static void
test_callback_stops(void **state)
{
	struct decode_info info;
	struct seen s;
	unsigned char *data;
	size_t len;
	int rc;

	(void)state;
	data = make("tiff-g4-fine", 3, &len);
	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	rc = decode_buffer(data, len, &deflim, &info, collect, &s);
	assert_int_equal(rc, 42);
	assert_int_equal(s.npages, 2);
	/* No callback: only checked. */
	rc = decode_buffer(data, len, &deflim, &info, NULL, NULL);
	assert_int_equal(rc, 0);
	assert_int_equal(info.npages, 3);
	free(data);
}

static void
test_fixtures_deterministic(void **state)
{
	static const char *const kinds[] = {
		"tiff-g4-fine", "hylafax", "pdf", "png", "jpeg", "tiff-huge",
	};
	unsigned char *a, *b;
	size_t i, alen, blen;

	(void)state;
	for (i = 0; i < sizeof(kinds) / sizeof(*kinds); i++) {
		a = make(kinds[i], 0, &alen);
		b = make(kinds[i], 0, &blen);
		assert_int_equal(alen, blen);
		assert_memory_equal(a, b, alen);
		free(a);
		free(b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tiff_g4_fine),
		cmocka_unit_test(test_tiff_g3_normal),
		cmocka_unit_test(test_tiff_grey_colour),
		cmocka_unit_test(test_hylafax_sender),
		cmocka_unit_test(test_pdf),
		cmocka_unit_test(test_png_jpeg),
		cmocka_unit_test(test_empty_and_text),
		cmocka_unit_test(test_corrupt_tiff),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_max_bytes),
		cmocka_unit_test(test_corrupt_other),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_fixtures_deterministic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
