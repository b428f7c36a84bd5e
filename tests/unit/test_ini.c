/*
 * test_ini.c — the INI reader: every key reaches the handler with its own
 * line number, every error of a file is reported (FILE:LINE: ...), long
 * lines are errors unless they are comments, and reading never silently
 * drops or splits an entry.
 */
#include <errno.h>
#include <ftw.h>
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

#include "tmpdir.h"

#include "faxintake/buf.h"
#include "faxintake/ini.h"

static char *tmpdir;

static int
group_setup(void **state)
{
	(void)state;
	tmpdir = tmpdir_make("ini");
	return tmpdir ? 0 : -1;
}

static int
group_teardown(void **state)
{
	(void)state;
	tmpdir_remove(tmpdir);
	return 0;
}

/* Records "LINE [SECTION] KEY=VALUE\n"; keys starting "bad" are refused
 * with a message, keys starting "quiet" are refused without one. */
static int
record(struct ini_ctx *ctx, void *arg, const char *section, const char *key,
    const char *value)
{
	struct buf *b = arg;

	assert_non_null(strstr(ini_path(ctx), "/t.ini"));
	(void)buf_printf(b, "%d [%s] %s=%s\n", ini_line(ctx), section, key,
	    value);
	if (strncmp(key, "bad", 3) == 0)
		return ini_error(ctx, "'%s' is bad", key);
	if (strncmp(key, "quiet", 5) == 0)
		return -1;
	return 0;
}

static char *
write_ini(const char *name, const char *text)
{
	char *path;
	FILE *fp;

	assert_true(asprintf(&path, "%s/%s", tmpdir, name) > 0);
	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
	return path;
}

/* Replace every "@" in a pattern with the file's path. */
static char *
expand(const char *pattern, const char *path)
{
	struct buf b;

	buf_init(&b, 1 << 20);
	for (const char *p = pattern; *p; p++)
		if (*p == '@')
			buf_addstr(&b, path);
		else
			buf_add(&b, p, 1);
	return buf_take(&b);
}

static void
run(const char *text, int rc, const char *seen, const char *errs)
{
	struct buf b;
	char *path, *e = (char *)"untouched", *want;

	buf_init(&b, 1 << 20);
	path = write_ini("t.ini", text);
	assert_int_equal(ini_read(path, record, &b, &e), rc);
	assert_string_equal(b.data ? b.data : "", seen);
	if (errs == NULL)
		assert_null(e);
	else {
		want = expand(errs, path);
		assert_non_null(e);
		assert_string_equal(e, want);
		free(want);
	}
	free(e);
	buf_free(&b);
	free(path);
}

static void
test_keys_and_lines(void **state)
{
	(void)state;
	run("", 0, "", NULL);
	run("; only a comment\n# and another\n\n", 0, "", NULL);
	run("[daemon]\nworkers = 2\n\n; c\nstate_dir=/x\n", 0,
	    "2 [daemon] workers=2\n5 [daemon] state_dir=/x\n", NULL);
	/* Inline comments need a space before ';'; '#' is not inline. */
	run("[d]\na = 1 ; the number\nb = x;y\nc = p # q\nd =\n", 0,
	    "2 [d] a=1\n3 [d] b=x;y\n4 [d] c=p # q\n5 [d] d=\n", NULL);
	/* ':' is inih's other separator; whitespace is trimmed. */
	run("[s t]\n  k: v w  \n", 0, "2 [s t] k=v w\n", NULL);
	/* Keys outside a section come with section "". */
	run("top = 1\n[s]\nk = 2\n", 0, "1 [] top=1\n3 [s] k=2\n", NULL);
	/* No newline at the end; CRLF line ends. */
	run("[s]\nk = v", 0, "2 [s] k=v\n", NULL);
	run("[s]\r\nk = v\r\n\r\nm = w\r\n", 0, "2 [s] k=v\n4 [s] m=w\n", NULL);
	/* A UTF-8 byte order mark; Japanese values untouched. */
	run("\xef\xbb\xbf[s]\nname = 市立旭川病院\n", 0,
	    "2 [s] name=市立旭川病院\n", NULL);
}

/* An indented line is an entry of its own, not a continuation of the one
 * above (inih's multi-line values would glue "hospital = keio" onto path). */
static void
test_indented(void **state)
{
	(void)state;
	run("[inbox fax]\n    path = /var/spool/fax\n    hospital = keio\n", 0,
	    "2 [inbox fax] path=/var/spool/fax\n3 [inbox fax] hospital=keio\n",
	    NULL);
	run("[s]\n\ta = 1\n\t; indented comment\n\tb = 2\n", 0,
	    "2 [s] a=1\n4 [s] b=2\n", NULL);
}

static void
test_errors_all_collected(void **state)
{
	(void)state;
	run("[s]\nbad1 = x\nok = 1\nbad2 = y\n\nbad3 = z\n", -1,
	    "2 [s] bad1=x\n3 [s] ok=1\n4 [s] bad2=y\n6 [s] bad3=z\n",
	    "@:2: 'bad1' is bad\n@:4: 'bad2' is bad\n@:6: 'bad3' is bad\n");
	/* A handler that fails without a message still gets one, at its line,
	 * also after an earlier error. */
	run("[s]\nquiet = 1\n", -1, "2 [s] quiet=1\n",
	    "@:2: invalid entry 'quiet'\n");
	run("[s]\nbad = 1\nquiet = 2\n", -1, "2 [s] bad=1\n3 [s] quiet=2\n",
	    "@:2: 'bad' is bad\n@:3: invalid entry 'quiet'\n");
}

static void
test_syntax_errors(void **state)
{
	(void)state;
	/* Every syntax error has its line, in order, and reading goes on. */
	run("[s]\nno equals sign\nk = 1\n[broken\nm = 2\n[t]\nalso none\n"
	    "bad = 3\n", -1, "3 [s] k=1\n8 [t] bad=3\n",
	    "@:2: syntax error: expected 'key = value'\n"
	    "@:4: syntax error: ']' missing\n"
	    "@:7: syntax error: expected 'key = value'\n"
	    "@:8: 'bad' is bad\n");
	/* " ;" starts a comment before any '=': still no '='. */
	run("[s]\nkey ; = 1\n", -1, "",
	    "@:2: syntax error: expected 'key = value'\n");
}

static void
test_long_lines(void **state)
{
	char text[4096], *seen;
	char a190[191], a300[301];

	(void)state;
	memset(a190, 'v', 190);
	a190[190] = '\0';
	memset(a300, 'v', 300);
	a300[300] = '\0';

	/* A long comment (indented or not) is fine, and lines after it keep
	 * their numbers. */
	snprintf(text, sizeof(text), "[s]\n; %s\n   # %s\nk = 1\n", a300, a300);
	run(text, 0, "4 [s] k=1\n", NULL);

	/* Just under inih's 200-byte buffer: read whole. */
	snprintf(text, sizeof(text), "[s]\nk = %s\n", a190);
	assert_true(asprintf(&seen, "2 [s] k=%s\n", a190) > 0);
	run(text, 0, seen, NULL);
	free(seen);

	/* A long entry is an error at its line, not a silent split, and
	 * everything around it is still read. */
	snprintf(text, sizeof(text), "[s]\na = 1\nk = %s\nb = 2\nc = %s\nbad = 3\n",
	    a300, a300);
	run(text, -1, "2 [s] a=1\n4 [s] b=2\n6 [s] bad=3\n",
	    "@:3: line longer than 198 bytes\n"
	    "@:5: line longer than 198 bytes\n"
	    "@:6: 'bad' is bad\n");

	/* Whatever its length, a line is one line: 10 kB. */
	{
		char *big = malloc(10050);
		memset(big, 'x', 10000);
		snprintf(big + 10000, 50, "\n[s]\nk = 1\n");
		run(big, -1, "3 [s] k=1\n", "@:1: line longer than 198 bytes\n");
		free(big);
	}
}

/* inih keeps 50 bytes of a section name: a longer one must not be cut
 * (two [inbox ...] sections sharing their first 43 bytes would merge). */
static void
test_long_section_name(void **state)
{
	char name[61], text[512], *seen;

	(void)state;
	memset(name, 'n', 60);
	name[60] = '\0';
	snprintf(text, sizeof(text), "[inbox %s]\npath = /x\n", name);
	run(text, -1, "", "@:1: section name longer than 49 bytes\n");
	/* Its entries are not taken for the section above. */
	snprintf(text, sizeof(text), "[a]\nk = 1\n[inbox %s]\npath = /x\n"
	    "[b]\nm = 2\n", name);
	run(text, -1, "2 [a] k=1\n6 [b] m=2\n",
	    "@:3: section name longer than 49 bytes\n");
	/* 49 bytes is kept whole. */
	name[49 - 6] = '\0';
	snprintf(text, sizeof(text), "[inbox %s]\npath = /x\n", name);
	assert_true(asprintf(&seen, "2 [inbox %s] path=/x\n", name) > 0);
	run(text, 0, seen, NULL);
	free(seen);
}

static void
test_unreadable(void **state)
{
	struct buf b;
	char *e = NULL, *path;

	(void)state;
	buf_init(&b, 4096);
	assert_true(asprintf(&path, "%s/missing.ini", tmpdir) > 0);
	assert_int_equal(ini_read(path, record, &b, &e), -1);
	assert_non_null(e);
	assert_non_null(strstr(e, path));
	assert_non_null(strstr(e, "No such file or directory"));
	assert_null(b.data);
	free(e);
	free(path);

	/* A directory opens, but cannot be read: an error, not an empty file. */
	e = NULL;
	assert_int_equal(ini_read(tmpdir, record, &b, &e), -1);
	assert_non_null(e);
	assert_non_null(strstr(e, tmpdir));
	free(e);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_and_lines),
		cmocka_unit_test(test_indented),
		cmocka_unit_test(test_errors_all_collected),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_long_section_name),
		cmocka_unit_test(test_unreadable),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
