/*
 * test_qr.c — FXI1 texts parsed, and QR codes found on rendered pages at
 * fax fine and normal resolution (normal made square as the reader does).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "faxintake/preprocess.h"
#include "faxintake/qr.h"
#include "faxintake/render.h"
#include "faxintake/lsan.h"
#include "faxpage.h"


static void
test_parse(void **state)
{
	struct qr_info q;

	(void)state;
	assert_int_equal(qr_parse("FXI1|form=cover|v=1|case=20261121-0001|"
	    "h=keio", &q), 0);
	assert_true(q.ours);
	assert_string_equal(q.form, "cover");
	assert_int_equal(q.version, 1);
	assert_string_equal(q.case_id, "20261121-0001");
	assert_string_equal(q.hospital, "keio");
	assert_int_equal(q.page, 0);

	assert_int_equal(qr_parse("FXI1|form=application|v=1|h=keio|p=2",
	    &q), 0);
	assert_string_equal(q.form, "application");
	assert_int_equal(q.page, 2);
	assert_string_equal(q.case_id, "");

	assert_int_equal(qr_parse("FXI1|form=separator|v=1", &q), 0);
	assert_string_equal(q.form, "separator");
	assert_string_equal(q.hospital, "");

	/* not ours: another text, bad values, no form */
	assert_int_equal(qr_parse("https://example.jp/", &q), QR_NOT_OURS);
	assert_false(q.ours);
	assert_string_equal(q.raw, "https://example.jp/");
	assert_int_equal(qr_parse("FXI1|v=1|h=keio", &q), QR_NOT_OURS);
	assert_int_equal(qr_parse("FXI1|form=cover|case=2026-1", &q),
	    QR_NOT_OURS);
	assert_int_equal(qr_parse("FXI1|form=cover|v=0", &q), QR_NOT_OURS);
	assert_int_equal(qr_parse("FXI1|form=co ver", &q), QR_NOT_OURS);
	assert_int_equal(qr_parse("FXI1|form=cover|h=../x", &q), QR_NOT_OURS);
	assert_int_equal(qr_parse(NULL, &q), -EINVAL);
	assert_int_equal(qr_parse("FXI1|form=cover", NULL), -EINVAL);
}

/* A page with a QR code (or none), as a cleaned 1-bit fax page. */
static struct Pix *
page(const char *text, double ydpi)
{
	struct render_doc *doc = render_doc_new();
	struct render_page *pg;
	struct render_style st = { 0 };
	struct Pix *raw, *pix;
	struct preprocess_info pi;

	assert_non_null(doc);
	assert_int_equal(render_page_add(doc, &pg), 0);
	st.size = 14;
	render_text(pg, &st, 20, 30, 0, 0, "FAX送付状", NULL);
	if (text)
		assert_int_equal(render_qr(pg, 165, 12, 30, text), 0);
	raw = fax_page(doc, 0, ydpi, RENDER_FAX_WIDTH);
	assert_int_equal(preprocess_page(raw, NULL, &pix, &pi), 0);
	preprocess_pix_free(raw);
	render_doc_free(doc);
	return pix;
}

static void
scan_one(double ydpi)
{
	const char *cover = "FXI1|form=cover|v=1|case=20261121-0001|h=keio";
	struct qr_info q[QR_MAX_CODES];
	struct Pix *pix = page(cover, ydpi);
	size_t n = 0;

	assert_int_equal(qr_scan(pix, q, QR_MAX_CODES, &n), 0);
	assert_int_equal(n, 1);
	assert_true(q[0].ours);
	assert_string_equal(q[0].raw, cover);
	assert_string_equal(q[0].form, "cover");
	assert_string_equal(q[0].case_id, "20261121-0001");
	assert_string_equal(q[0].hospital, "keio");
	/* the code is in the top right corner */
	assert_true(q[0].x > 1728 / 2);
	assert_true(q[0].w > 0 && q[0].h > 0);
	preprocess_pix_free(pix);

	pix = page(NULL, ydpi);
	n = 9;
	assert_int_equal(qr_scan(pix, q, QR_MAX_CODES, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(qr_scan(NULL, q, QR_MAX_CODES, &n), -EINVAL);
	preprocess_pix_free(pix);
}

static void
test_scan_fine(void **state)
{
	(void)state;
	scan_one(RENDER_FAX_FINE_YDPI);
}

static void
test_scan_normal(void **state)
{
	(void)state;
	scan_one(RENDER_FAX_NORMAL_YDPI);
}

/* fontconfig's and pango's caches live until exit (lsan.h) */
FAXINTAKE_LSAN_SUPPRESSIONS

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_scan_fine),
		cmocka_unit_test(test_scan_normal),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	return rc;
}
