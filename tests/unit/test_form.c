/*
 * test_form.c — the form definition parser: the shipped forms load, and
 * every mistake is reported as "FILE:LINE: message".
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "faxintake/form.h"

static char tmpdir[] = "/tmp/test_form.XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	return rmdir(tmpdir);
}

/* Write text to a file in tmpdir; returns its path (static buffer). */
static const char *
write_form(const char *text)
{
	static char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/t.form", tmpdir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

static void
test_shipped_forms(void **state)
{
	static const struct {
		const char	*name;
		int		 version;
	} forms[] = {
		{ "application", 1 }, { "consent", 1 }, { "separator", 1 },
	};
	struct form *f;
	char *errs;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		errs = NULL;
		if (form_load_named(FI_SRCDIR "/templates", forms[i].name, &f,
		    &errs) != 0)
			fail_msg("%s", errs);
		assert_null(errs);
		assert_string_equal(form_id(f), forms[i].name);
		assert_int_equal(form_version(f), forms[i].version);
		form_free(f);
	}
	assert_int_equal(form_load_named(FI_SRCDIR "/templates", "../x", &f,
	    &errs), -EINVAL);
	assert_non_null(errs);
	free(errs);
}

static void
test_good(void **state)
{
	const char *path = write_form(
	    "# comment\n"
	    "form sample 3\n"
	    "title 見本\n"
	    "\n"
	    "marks\n"
	    "qr 20\n"
	    "footer\n"
	    "header\n"
	    "text size=9 bold align=center \"two  spaces\" kept\n"
	    "table group=8 label=30\n"
	    "group 患者\n"
	    "row 8 | label 氏名 | text patient_name pre=TEL post=様\n"
	    "row 8 if=online | label 方法 | choice consultation_mode "
	    "対面=in_person オンライン=online\n"
	    "row auto | label 科 | depts department\n"
	    "group -\n"
	    "row 20 | label 内容 | lines consultation_topic 3\n"
	    "row 8 | label 日 w=20 | date date era=reiwa\n"
	    "end\n"
	    "page\n"
	    "patch 20\n"
	    "qr 50 center\n");
	struct form *f = NULL;
	char *errs = NULL;

	(void)state;
	if (form_load(path, &f, &errs) != 0)
		fail_msg("%s", errs);
	assert_string_equal(form_id(f), "sample");
	assert_int_equal(form_version(f), 3);
	form_free(f);
	unlink(path);
}

static const struct {
	const char	*text;
	const char	*want;		/* expected in the errors, after path */
} bad[] = {
	{ "title x\n", ":1: the first line must be 'form ID VERSION'" },
	{ "form a 1\n", ":1: no 'title' line" },
	{ "form a 1\ntitle t\nform b 2\n", ":3: form: expected once" },
	{ "form A 1\ntitle t\n", ":1: form: expected once" },
	{ "form a 0\ntitle t\n", ":1: '0': expected a number" },
	{ "form a 1\ntitle t\nbogus\n", ":3: unknown or malformed line" },
	{ "form a 1\ntitle t\nrow 8 | label x\n", ":3: row outside a table" },
	{ "form a 1\ntitle t\ntable\nrow 8 | label x\n",
	  ":4: table not closed" },
	{ "form a 1\ntitle t\nend\n", ":3: end without table" },
	{ "form a 1\ntitle t\ntable\ntable\n", ":4: table inside a table" },
	{ "form a 1\ntitle t\ntable\nrow 8 | box x\nend\n",
	  ":4: unknown cell 'box'" },
	{ "form a 1\ntitle t\ntable\nrow 8 | text Bad\nend\n",
	  ":4: text: expected a field id" },
	{ "form a 1\ntitle t\ntable\nrow 8 | text a\nrow 8 | text a\nend\n",
	  ":5: field 'a' defined twice" },
	{ "form a 1\ntitle t\ntable\nrow 8 | choice s\nend\n",
	  ":4: choice s: expected options" },
	{ "form a 1\ntitle t\ntable\nrow 8 | choice s 男\nend\n",
	  ":4: choice s: unexpected '男'" },
	{ "form a 1\ntitle t\ntable\nrow 8 | date d era=edo\nend\n",
	  ":4: unknown era 'edo'" },
	{ "form a 1\ntitle t\ntable\nrow 8 | lines t\nend\n",
	  ":4: lines t: expected the number of lines" },
	{ "form a 1\ntitle t\ntable\nrow x | text a\nend\n",
	  ":4: 'x': expected a number" },
	{ "form a 1\ntitle t\ntable\nrow auto | text a\nend\n",
	  ":4: row auto needs a depts cell" },
	{ "form a 1\ntitle t\ntable\nrow 8\nend\n", ":4: row without cells" },
	{ "form a 1\ntitle t\ntable\nrow 8 | label\nend\n",
	  ":4: label without text" },
	{ "form a 1\ntitle t\ntext \"open\n", ":3: unterminated quote" },
	{ "form a 1\ntitle t\ntext size=2 x\n", ":3: '2': expected a number" },
	{ "form a 1\ntitle t\ntext align=middle x\n",
	  ":3: align: left, center or right" },
	{ "form a 1\ntitle t\nqr 20 left\n", ":3: qr: expected" },
	{ "form a 1\ntitle t\ntable x=100 w=150\nend\n",
	  ":3: table wider than the page" },
};

static void
test_errors_name_file_and_line(void **state)
{
	struct form *f;
	char *errs, want[512];
	const char *path;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		path = write_form(bad[i].text);
		f = NULL;
		errs = NULL;
		assert_int_equal(form_load(path, &f, &errs), -EINVAL);
		assert_null(f);
		assert_non_null(errs);
		snprintf(want, sizeof(want), "%s%s", path, bad[i].want);
		if (strstr(errs, want) == NULL)
			fail_msg("case %zu: want \"%s\" in \"%s\"", i, want,
			    errs);
		free(errs);
	}
	unlink(path);
}

static void
test_all_errors_reported(void **state)
{
	const char *path = write_form("form a 1\ntitle t\nbogus\n"
	    "table\nrow 8 | box\nrow 8 | text B\nend\n");
	struct form *f = NULL;
	char *errs = NULL;

	(void)state;
	assert_int_equal(form_load(path, &f, &errs), -EINVAL);
	assert_non_null(strstr(errs, ":3: "));
	assert_non_null(strstr(errs, ":5: "));
	assert_non_null(strstr(errs, ":6: "));
	free(errs);
	unlink(path);
}

static void
test_missing_file(void **state)
{
	struct form *f = NULL;
	char *errs = NULL;

	(void)state;
	assert_int_equal(form_load("/nonexistent/x.form", &f, &errs),
	    -ENOENT);
	assert_non_null(strstr(errs, "/nonexistent/x.form: "));
	free(errs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_forms),
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_errors_name_file_and_line),
		cmocka_unit_test(test_all_errors_reported),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
