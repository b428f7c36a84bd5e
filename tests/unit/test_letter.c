/*
 * test_letter.c — reply letters: every kind for every shipped hospital
 * profile (business-letter parts, missing items by their Japanese names,
 * the hospital's FAX in the sender block, no clinical details), the fax
 * TIFF's format, the cover sheet's QR code read back with zbar, byte-
 * identical output, file modes, a hospital's template override, and bad
 * input.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "qrread.h"
#include <tiffio.h>
#include <zbar.h>

#include "faxintake/letter.h"
#include "faxintake/render.h"
#include "faxintake/rules.h"
#include "faxintake/util.h"
#include "faxintake/lsan.h"

/* fontconfig and pango keep process-wide caches (not ours). */

#define TEMPLATES	FI_SRCDIR "/templates"
#define DIAGNOSIS	"膵臓がん"
#define TOPIC		"抗がん剤の副作用"

static const char *hospitals[] = {
	"asahikawa", "keio", "tohoku", "tomakomai", "yokohama-cu"
};
#define NHOSP	(sizeof(hospitals) / sizeof(hospitals[0]))

/*
 * A family application: the daughter applies for her father (68), who
 * does not come; only the application form arrived.  The facts carry a
 * diagnosis and a topic that must never reach a letter.
 */
static const char *facts_json =
    "{\"received\":\"2026-11-20\","
    "\"documents\":[{\"type\":\"application_form\"}],"
    "\"fields\":{"
    "\"patient_name\":{\"value\":\"山田 太郎\"},"
    "\"applicant_name\":{\"value\":\"山田 花子\"},"
    "\"applicant_fax\":{\"value\":\"011-382-9314\"},"
    "\"patient_birth_date\":{\"value\":\"1958-04-02\"},"
    "\"applicant_relationship\":{\"value\":\"child\"},"
    "\"patient_attends\":{\"value\":\"no\"},"
    "\"department\":{\"value\":\"消化器内科\"},"
    "\"consultation_mode\":{\"value\":\"in_person\"},"
    "\"referring_hospital\":{\"value\":\"苫小牧中央クリニック\"},"
    "\"referring_doctor\":{\"value\":\"佐藤 一郎\"},"
    "\"diagnosis\":{\"value\":\"" DIAGNOSIS " ステージIV\"},"
    "\"consultation_topic\":{\"value\":\"" TOPIC "がつらい\"}}}";

struct fixture {
	struct profile		*pr;
	struct facts		 facts;
	struct rules_result	 rr;
};

static void
fixture_load(struct fixture *fx, const char *dir)
{
	char *errs = NULL, *err = NULL;

	if (profile_load(dir, &fx->pr, &errs) != 0)
		fail_msg("%s: %s", dir, errs);
	facts_init(&fx->facts);
	if (facts_from_json(facts_json, &fx->facts, &err) != 0)
		fail_msg("facts: %s", err);
	assert_int_equal(rules_eval(fx->pr, &fx->facts,
	    RULES_DEFAULT_THRESHOLD, &fx->rr), 0);
}

static void
fixture_hospital(struct fixture *fx, const char *id)
{
	char dir[512];

	snprintf(dir, sizeof(dir), "%s/hospitals/%s", TEMPLATES, id);
	fixture_load(fx, dir);
}

static void
fixture_free(struct fixture *fx)
{
	rules_result_free(&fx->rr);
	facts_clear(&fx->facts);
	profile_free(fx->pr);
}

static void
input_init(struct letter_input *in, struct fixture *fx, enum letter_kind k)
{
	memset(in, 0, sizeof(*in));
	in->kind = k;
	in->channel = LETTER_FAX;
	in->case_id = "20261121-0003";
	in->date = "2026-11-21";
	in->profile = fx->pr;
	in->applicant_is_patient = 0;	/* from the facts */
	in->rules = &fx->rr;
	in->facts = &fx->facts;		/* names come from here */
	in->reason = "ご相談の内容が当院でお受けしている範囲に含まれないため";
	in->appointment = "2026-12-03T10:00";
	in->department = "消化器内科";
}

/* The text before 拝啓: date, addressee, sender block, subject. */
static char *
head_of(const char *text)
{
	const char *e = strstr(text, "拝啓");

	assert_non_null(e);
	return strndup(text, (size_t)(e - text));
}

static void
test_kinds_all_hospitals(void **state)
{
	struct fixture fx;
	struct letter_input in;
	struct render_doc *doc;
	char *text, *errs, *head, want[128];
	size_t h, i;
	int k;

	(void)state;
	for (h = 0; h < NHOSP; h++) {
		fixture_hospital(&fx, hospitals[h]);
		for (k = 0; k < LETTER__COUNT; k++) {
			input_init(&in, &fx, (enum letter_kind)k);
			errs = NULL;
			if (letter_build(&in, TEMPLATES, &doc, &text,
			    &errs) != 0)
				fail_msg("%s %s: %s", hospitals[h],
				    letter_kind_name(k), errs);
			assert_true(render_doc_npages(doc) >= 1);
			/* Business-letter parts. */
			assert_non_null(strstr(text, "2026年11月21日"));
			assert_non_null(strstr(text, "拝啓"));
			assert_non_null(strstr(text, "敬具"));
			assert_non_null(strstr(text, "\n記\n"));
			assert_non_null(strstr(text, "以上"));
			assert_true(strstr(text, "敬具") <
			    strstr(text, "\n記\n"));
			assert_true(strstr(text, "\n記\n") <
			    strstr(text, "以上"));
			assert_null(strstr(text, "ご健勝"));
			/* Identification. */
			assert_non_null(strstr(text, "20261121-0003"));
			assert_non_null(strstr(text, "山田 太郎 様"));
			/* Sender block: the hospital and its numbers. */
			head = head_of(text);
			assert_non_null(strstr(head,
			    profile_name(fx.pr)));
			snprintf(want, sizeof(want), "TEL %s",
			    profile_tel(fx.pr));
			assert_non_null(strstr(head, want));
			if (profile_fax(fx.pr) != NULL) {
				snprintf(want, sizeof(want), "FAX %s",
				    profile_fax(fx.pr));
				assert_non_null(strstr(head, want));
			}
			if (k == LETTER_REFERRER_NOTICE) {
				assert_non_null(strstr(head,
				    "苫小牧中央クリニック"));
				assert_non_null(strstr(head,
				    "佐藤 一郎 先生　御侍史"));
			} else
				assert_non_null(strstr(head, "山田 花子 様"));
			free(head);
			/* Never clinical details. */
			assert_null(strstr(text, DIAGNOSIS));
			assert_null(strstr(text, TOPIC));
			/* The kind's content. */
			switch (k) {
			case LETTER_INCOMPLETE_NOTICE:
				for (i = 0; i < fx.rr.nmissing; i++)
					assert_non_null(strstr(text,
					    profile_doc_name(fx.pr,
					    fx.rr.missing[i])));
				/* letter + cover sheet */
				assert_true(render_doc_npages(doc) >= 2);
				break;
			case LETTER_RECEIPT_NOTICE:
				for (i = 0; i < fx.rr.ndue_later; i++) {
					assert_non_null(strstr(text,
					    profile_doc_name(fx.pr,
					    fx.rr.due_later[i].type)));
					assert_non_null(strstr(text,
					    fx.rr.due_later[i].by));
				}
				if (fx.rr.fee.yen > 0)
					assert_non_null(strstr(text, "円（税"));
				break;
			case LETTER_DECLINE_LETTER:
				assert_non_null(strstr(text, in.reason));
				assert_non_null(strstr(text, "一般外来"));
				break;
			case LETTER_SCHEDULE_LETTER:
			case LETTER_REFERRER_NOTICE:
				assert_non_null(strstr(text,
				    "2026年12月3日（木）"));
				assert_non_null(strstr(text, "午前10時00分"));
				break;
			default:
				break;
			}
			free(text);
			render_doc_free(doc);
		}
		fixture_free(&fx);
	}
}

/* Keio: family without consent and without referral letter (both due
 * now); Tomakomai: both due three days before the appointment. */
static void
test_missing_wording(void **state)
{
	struct fixture fx;
	struct letter_input in;
	char *text;

	(void)state;
	fixture_hospital(&fx, "keio");
	assert_true(fx.rr.nmissing >= 2);
	input_init(&in, &fx, LETTER_INCOMPLETE_NOTICE);
	in.reply_by = "2026-12-05";
	assert_int_equal(letter_build(&in, TEMPLATES, NULL, &text, NULL), 0);
	assert_non_null(strstr(text, "診療情報提供書(紹介状)\n"));
	assert_non_null(strstr(text, "現在の主治医に作成をご依頼ください"));
	assert_non_null(strstr(text, "同意書\n"));
	assert_non_null(strstr(text, "患者さんご本人の署名が必要です"));
	assert_non_null(strstr(text, "2026年12月5日（土）までに"));
	assert_non_null(strstr(text, "申込から予約日まで概ね3週間"));
	assert_non_null(strstr(text, "FAX送信票（ご返送用）」を一番上に"));
	/* Layout marks and tabs are not part of the stored text. */
	assert_null(strstr(text, "\n> "));
	assert_null(strstr(text, "\n^ "));
	assert_null(strchr(text, '\t'));
	assert_null(strstr(text, "{{"));
	free(text);
	fixture_free(&fx);

	fixture_hospital(&fx, "tomakomai");
	assert_true(fx.rr.ndue_later >= 2);
	input_init(&in, &fx, LETTER_RECEIPT_NOTICE);
	assert_int_equal(letter_build(&in, TEMPLATES, NULL, &text, NULL), 0);
	assert_non_null(strstr(text, "相談同意書（予約日の3日前まで）"));
	assert_non_null(strstr(text, "5,500円（税込）"));
	assert_non_null(strstr(text, "ご来院になるご家族"));	/* family */
	free(text);
	in.applicant_is_patient = 1;
	assert_int_equal(letter_build(&in, TEMPLATES, NULL, &text, NULL), 0);
	assert_null(strstr(text, "ご来院になるご家族"));
	free(text);
	fixture_free(&fx);
}

static void
test_cover_qr(void **state)
{
	static const char *want[] = {
		"FXI1|form=cover|v=1|case=20261121-0003|h=keio",
		"FXI1|form=cover|v=1|case=20261121-0003|h=tomakomai",
	};
	struct fixture fx;
	struct letter_input in;
	struct render_doc *doc;
	struct render_raster g, bits;
	char *s;
	size_t n, i;

	(void)state;
	for (i = 0; i < 2; i++) {
		fixture_hospital(&fx, i == 0 ? "keio" : "tomakomai");
		s = letter_cover_qr("20261121-0003", profile_id(fx.pr));
		assert_string_equal(s, want[i]);
		free(s);
		input_init(&in, &fx, LETTER_INCOMPLETE_NOTICE);

		/* On its own, read at fax resolution. */
		assert_int_equal(letter_cover_build(&in, &doc, NULL), 0);
		assert_int_equal(render_doc_npages(doc), 1);
		assert_int_equal(render_page_gray(doc, 0, RENDER_FAX_XDPI,
		    RENDER_FAX_FINE_YDPI, RENDER_FAX_WIDTH, &g), 0);
		s = qr_read(&g);
		assert_non_null(s);
		assert_string_equal(s, want[i]);
		free(s);
		/* and after thresholding to fax bits and back to gray */
		assert_int_equal(render_raster_bilevel(&g, 0,
		    RENDER_DITHER_NONE, &bits), 0);
		{
			size_t x, y;

			for (y = 0; y < (size_t)g.height; y++)
				for (x = 0; x < (size_t)g.width; x++)
					g.data[y * g.stride + x] =
					    (bits.data[y * bits.stride + x / 8] &
					    (0x80 >> (x % 8))) ? 0 : 255;
		}
		s = qr_read(&g);
		assert_non_null(s);
		assert_string_equal(s, want[i]);
		free(s);
		render_raster_free(&bits);
		render_raster_free(&g);
		render_doc_free(doc);

		/* As the last page of the incomplete notice. */
		assert_int_equal(letter_build(&in, TEMPLATES, &doc, NULL,
		    NULL), 0);
		n = render_doc_npages(doc);
		assert_int_equal(render_page_gray(doc, n - 1, 150, 150, 0,
		    &g), 0);
		s = qr_read(&g);
		assert_non_null(s);
		assert_string_equal(s, want[i]);
		free(s);
		render_raster_free(&g);
		/* and on no letter page */
		assert_int_equal(render_page_gray(doc, 0, 150, 150, 0, &g), 0);
		assert_null(qr_read(&g));
		render_raster_free(&g);
		render_doc_free(doc);
		fixture_free(&fx);
	}
}

static void
tiff_check(const char *path, size_t npages)
{
	TIFF *t;
	uint32_t w;
	uint16_t comp, bps, unit;
	float xr, yr;
	size_t n = 0;

	t = TIFFOpen(path, "r");
	assert_non_null(t);
	do {
		assert_int_equal(TIFFGetField(t, TIFFTAG_IMAGEWIDTH, &w), 1);
		assert_int_equal(w, RENDER_FAX_WIDTH);
		assert_int_equal(TIFFGetField(t, TIFFTAG_COMPRESSION, &comp),
		    1);
		assert_int_equal(comp, COMPRESSION_CCITTFAX4);
		assert_int_equal(TIFFGetField(t, TIFFTAG_BITSPERSAMPLE, &bps),
		    1);
		assert_int_equal(bps, 1);
		assert_int_equal(TIFFGetField(t, TIFFTAG_XRESOLUTION, &xr), 1);
		assert_int_equal(TIFFGetField(t, TIFFTAG_YRESOLUTION, &yr), 1);
		TIFFGetFieldDefaulted(t, TIFFTAG_RESOLUTIONUNIT, &unit);
		assert_int_equal(unit, RESUNIT_INCH);
		assert_true(xr > 203.9 && xr < 204.1);
		assert_true(yr > 195.9 && yr < 196.1);
		n++;
	} while (TIFFReadDirectory(t));
	TIFFClose(t);
	assert_int_equal(n, npages);
}

static unsigned char *
slurp(const char *path, size_t *len)
{
	char *d = NULL;

	assert_int_equal(util_read_file(path, 64 << 20, &d, len), 0);
	return (unsigned char *)d;
}

static void
test_files_tiff_deterministic(void **state)
{
	char dir[] = "/tmp/fi-letterXXXXXX", p[4][128];
	struct fixture fx;
	struct letter_input in;
	struct render_doc *doc;
	struct stat st;
	unsigned char *a, *b;
	size_t alen, blen, npages, i;
	char *t1, *t2;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < 4; i++)
		snprintf(p[i], sizeof(p[i]), "%s/%zu.%s", dir, i,
		    i % 2 ? "tif" : "pdf");
	fixture_hospital(&fx, "keio");
	input_init(&in, &fx, LETTER_INCOMPLETE_NOTICE);
	assert_int_equal(letter_build(&in, TEMPLATES, &doc, NULL, NULL), 0);
	npages = render_doc_npages(doc);
	render_doc_free(doc);
	assert_int_equal(letter_render(&in, TEMPLATES, p[0], p[1], &t1, NULL),
	    0);
	assert_int_equal(letter_render(&in, TEMPLATES, p[2], p[3], &t2, NULL),
	    0);
	assert_string_equal(t1, t2);
	for (i = 0; i < 4; i++) {
		assert_int_equal(stat(p[i], &st), 0);
		assert_int_equal(st.st_mode & 07777, 0600);
	}
	tiff_check(p[1], npages);
	a = slurp(p[0], &alen);
	b = slurp(p[2], &blen);
	assert_true(alen > 1000 && alen == blen && memcmp(a, b, alen) == 0);
	assert_memory_equal(a, "%PDF", 4);
	free(a);
	free(b);
	a = slurp(p[1], &alen);
	b = slurp(p[3], &blen);
	assert_true(alen > 1000 && alen == blen && memcmp(a, b, alen) == 0);
	free(a);
	free(b);
	free(t1);
	free(t2);

	/* The cover sheet alone, and a letter with only a PDF. */
	assert_int_equal(letter_cover_render(&in, NULL, p[1], NULL), 0);
	tiff_check(p[1], 1);
	in.kind = LETTER_RECEIPT_NOTICE;
	unlink(p[0]);
	assert_int_equal(letter_render(&in, TEMPLATES, p[0], NULL, NULL,
	    NULL), 0);
	assert_int_equal(stat(p[0], &st), 0);
	/* A directory that does not exist. */
	{
		char bad[160], *errs = NULL;

		snprintf(bad, sizeof(bad), "%s/no/such.pdf", dir);
		assert_true(letter_render(&in, TEMPLATES, bad, NULL, NULL,
		    &errs) < 0);
		assert_non_null(strstr(errs, bad));
		free(errs);
	}
	for (i = 0; i < 4; i++)
		unlink(p[i]);
	rmdir(dir);
	fixture_free(&fx);
}

static void
test_post(void **state)
{
	struct fixture fx;
	struct letter_input in;
	char *text, *errs = NULL;

	(void)state;
	fixture_hospital(&fx, "tohoku");		/* no hospital FAX */
	input_init(&in, &fx, LETTER_SCHEDULE_LETTER);
	in.channel = LETTER_POST;
	in.to_postcode = "060-0001";
	in.to_address = "札幌市中央区北1条西2丁目3-4";
	assert_int_equal(letter_build(&in, TEMPLATES, NULL, &text, NULL), 0);
	assert_non_null(strstr(text, "〒060-0001\n札幌市中央区北1条西2丁目3-4\n"
	    "山田 花子 様\n"));
	assert_non_null(strstr(text, "〒980-8574"));	/* the sender's */
	free(text);
	/* The recipient's block is printed inside the window box. */
	{
		struct render_doc *doc;
		struct render_raster g;
		int x, y, ink = 0, outside = 0;
		double dpm = 100 / 25.4;

		assert_int_equal(letter_build(&in, TEMPLATES, &doc, NULL,
		    NULL), 0);
		assert_int_equal(render_page_gray(doc, 0, 100, 100, 0, &g), 0);
		for (y = 0; y < g.height; y++)
			for (x = 0; x < (int)(120 * dpm); x++) {
				double mx = x / dpm, my = y / dpm;

				if (g.data[(size_t)y * g.stride + x] > 128)
					continue;
				if (mx >= LETTER_WINDOW_X &&
				    mx < LETTER_WINDOW_X + LETTER_WINDOW_W &&
				    my >= LETTER_WINDOW_Y &&
				    my < LETTER_WINDOW_Y + LETTER_WINDOW_H)
					ink++;
				else if (my > 25 && my < LETTER_WINDOW_Y - 2)
					outside++;	/* above the window */
			}
		assert_true(ink > 200);
		assert_int_equal(outside, 0);
		render_raster_free(&g);
		render_doc_free(doc);
	}
	/* Incomplete notice without a hospital FAX: returned by post. */
	in.kind = LETTER_INCOMPLETE_NOTICE;
	assert_int_equal(letter_build(&in, TEMPLATES, NULL, &text, NULL), 0);
	assert_non_null(strstr(text, "送付票（ご返送用）"));
	assert_null(strstr(text, "FAX送信票"));
	free(text);
	in.to_address = NULL;
	assert_int_equal(letter_build(&in, TEMPLATES, NULL, &text, &errs),
	    -EINVAL);
	assert_non_null(strstr(errs, "postal address"));
	free(errs);
	fixture_free(&fx);
}

static void
write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(s, f);
	fclose(f);
}

static void
test_override(void **state)
{
	char dir[] = "/tmp/fi-ovrXXXXXX", p[256], *text, *errs = NULL, *ini;
	struct fixture fx;
	struct letter_input in;
	struct render_doc *doc;
	size_t len;
	int i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* 1: the profile's own letters/ directory. */
	snprintf(p, sizeof(p), "%s/hospitals", dir);
	assert_int_equal(util_mkdir_p(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/hospitals/keio/letters", dir);
	assert_int_equal(util_mkdir_p(p, 0700), 0);
	assert_int_equal(util_read_file(TEMPLATES "/hospitals/keio/profile.ini",
	    1 << 20, &ini, &len), 0);
	snprintf(p, sizeof(p), "%s/hospitals/keio/profile.ini", dir);
	write_file(p, ini);
	free(ini);
	snprintf(p, sizeof(p), "%s/hospitals/keio/letters/receipt_notice.tmpl",
	    dir);
	write_file(p, "> {{date}}\n# 慶應独自の受付通知 {{case_id}}\n");
	snprintf(p, sizeof(p), "%s/hospitals/keio", dir);
	fixture_load(&fx, p);
	input_init(&in, &fx, LETTER_RECEIPT_NOTICE);
	assert_int_equal(letter_build(&in, TEMPLATES, NULL, &text, NULL), 0);
	assert_string_equal(text,
	    "2026年11月21日\n慶應独自の受付通知 20261121-0003\n");
	free(text);
	/* Other kinds still come from the defaults. */
	in.kind = LETTER_DECLINE_LETTER;
	assert_int_equal(letter_build(&in, TEMPLATES, NULL, &text, NULL), 0);
	assert_non_null(strstr(text, "拝啓"));
	free(text);

	/* An error in an override names its file and line. */
	snprintf(p, sizeof(p), "%s/hospitals/keio/letters/decline_letter.tmpl",
	    dir);
	write_file(p, "ok\n{{#if reason}}\n{{diagnosis}}\n{{/if}}\n");
	assert_int_equal(letter_build(&in, TEMPLATES, NULL, &text, &errs),
	    -EINVAL);
	{
		char want[300];

		snprintf(want, sizeof(want),
		    "%s:3: unknown variable 'diagnosis'", p);
		assert_string_equal(errs, want);
	}
	free(errs);
	unlink(p);

	/* Long letters paginate, with a footer on every page. */
	{
		FILE *f;

		snprintf(p, sizeof(p),
		    "%s/hospitals/keio/letters/schedule_letter.tmpl", dir);
		f = fopen(p, "w");
		assert_non_null(f);
		fputs("> {{date}}\n", f);
		for (i = 0; i < 150; i++)
			fprintf(f, "　%d 行目の段落です。{{hospital_name}}"
			    "の{{office}}からのお知らせが続きます。\n", i);
		fclose(f);
		in.kind = LETTER_SCHEDULE_LETTER;
		assert_int_equal(letter_build(&in, TEMPLATES, &doc, &text,
		    NULL), 0);
		assert_true(render_doc_npages(doc) >= 3);
		assert_true(render_doc_npages(doc) <= LETTER_MAX_PAGES);
		assert_non_null(strstr(text, "149 行目"));
		free(text);
		render_doc_free(doc);
		/* ... but not past the page cap. */
		f = fopen(p, "a");
		for (i = 0; i < 1000; i++)
			fputs("---\n", f);
		fclose(f);
		assert_int_equal(letter_build(&in, TEMPLATES, NULL, &text,
		    &errs), -EINVAL);
		assert_non_null(strstr(errs, "page limit"));
		free(errs);
		unlink(p);
	}
	fixture_free(&fx);

	/* 2: <templates_dir>/hospitals/<id>/letters, profile elsewhere. */
	fixture_hospital(&fx, "keio");
	input_init(&in, &fx, LETTER_RECEIPT_NOTICE);
	assert_int_equal(letter_build(&in, dir, NULL, &text, NULL), 0);
	assert_non_null(strstr(text, "慶應独自の受付通知"));
	free(text);
	/* ... and no default letters/ there: a clear error. */
	in.kind = LETTER_DECLINE_LETTER;
	assert_int_equal(letter_build(&in, dir, NULL, &text, &errs), -ENOENT);
	assert_non_null(strstr(errs, "decline_letter.tmpl"));
	free(errs);
	fixture_free(&fx);

	snprintf(p, sizeof(p), "%s/hospitals/keio/letters/receipt_notice.tmpl",
	    dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/hospitals/keio/profile.ini", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/hospitals/keio/letters", dir);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/hospitals/keio", dir);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/hospitals", dir);
	rmdir(p);
	rmdir(dir);
}

static void
test_bad_input(void **state)
{
	struct fixture fx;
	struct letter_input in;
	char *text = (char *)"untouched", *errs;
	struct render_doc *doc = NULL;

	(void)state;
	fixture_hospital(&fx, "keio");
	input_init(&in, &fx, LETTER_RECEIPT_NOTICE);

	in.case_id = "2026|h=evil";
	errs = NULL;
	assert_int_equal(letter_build(&in, TEMPLATES, &doc, &text, &errs),
	    -EINVAL);
	assert_non_null(errs);
	free(errs);
	assert_int_equal(letter_cover_build(&in, &doc, NULL), -EINVAL);
	assert_null(doc);
	assert_string_equal(text, "untouched");
	in.case_id = "20261121-0003";

	in.date = "2026-02-30";
	assert_int_equal(letter_build(&in, TEMPLATES, NULL, NULL, NULL),
	    -EINVAL);
	in.date = "2026-11-21";

	in.kind = LETTER_DECLINE_LETTER;
	in.reason = NULL;
	assert_int_equal(letter_build(&in, TEMPLATES, NULL, NULL, NULL),
	    -EINVAL);
	in.kind = LETTER_SCHEDULE_LETTER;
	in.appointment = NULL;
	assert_int_equal(letter_build(&in, TEMPLATES, NULL, NULL, NULL),
	    -EINVAL);
	in.appointment = "next week";
	assert_int_equal(letter_build(&in, TEMPLATES, NULL, NULL, NULL),
	    -EINVAL);
	in.appointment = "2026-12-03T13:30";
	assert_int_equal(letter_build(&in, TEMPLATES, NULL, &text, NULL), 0);
	assert_non_null(strstr(text, "午後1時30分"));
	free(text);

	/* Newlines in a value cannot inject layout marks or lines. */
	in.kind = LETTER_RECEIPT_NOTICE;
	in.facts = NULL;
	in.to_name = "山田 花子\n> 偽の行";
	in.patient_name = "<b>太郎</b> & 次郎";
	assert_int_equal(letter_build(&in, TEMPLATES, NULL, &text, NULL), 0);
	assert_non_null(strstr(text, "山田 花子 > 偽の行 様"));
	assert_non_null(strstr(text, "<b>太郎</b> & 次郎 様"));
	free(text);
	/* Invalid UTF-8 is refused, not printed. */
	in.patient_name = "\xff\xfe";
	errs = NULL;
	assert_int_equal(letter_build(&in, TEMPLATES, NULL, NULL, &errs),
	    -EINVAL);
	free(errs);

	assert_int_equal(letter_kind_parse("referrer_notice"),
	    LETTER_REFERRER_NOTICE);
	assert_int_equal(letter_kind_parse("nope"), -1);
	assert_string_equal(letter_kind_name(LETTER_DECLINE_LETTER),
	    "decline_letter");
	fixture_free(&fx);
}

/* fontconfig's and pango's caches live until exit (lsan.h) */
FAXINTAKE_LSAN_SUPPRESSIONS

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds_all_hospitals),
		cmocka_unit_test(test_missing_wording),
		cmocka_unit_test(test_cover_qr),
		cmocka_unit_test(test_files_tiff_deterministic),
		cmocka_unit_test(test_post),
		cmocka_unit_test(test_override),
		cmocka_unit_test(test_bad_input),
	};
	int rc;

	/* FI_TEST=name runs one test. */
	if (getenv("FI_TEST") != NULL)
		cmocka_set_test_filter(getenv("FI_TEST"));
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	return rc;
}
