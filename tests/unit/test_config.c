/*
 * test_config.c — faxintake.conf: the defaults, every key of every
 * section, and every kind of mistake reported as FILE:LINE: message, all
 * of them at once; the [outbound] command split into argv without a shell.
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
#include "faxintake/config.h"
#include "faxintake/log.h"

static char *tmpdir;

static int
group_setup(void **state)
{
	(void)state;
	tmpdir = tmpdir_make("config");
	return tmpdir ? 0 : -1;
}

static int
group_teardown(void **state)
{
	(void)state;
	tmpdir_remove(tmpdir);
	return 0;
}

static char *
write_conf(const char *text)
{
	char *path;
	FILE *fp;

	assert_true(asprintf(&path, "%s/faxintake.conf", tmpdir) > 0);
	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
	return path;
}

/* "@" in a pattern stands for the file's path, "%" for tmpdir. */
static char *
expand(const char *pattern, const char *path)
{
	struct buf b;

	buf_init(&b, 1 << 20);
	for (const char *p = pattern; *p; p++)
		if (*p == '@')
			buf_addstr(&b, path);
		else if (*p == '%')
			buf_addstr(&b, tmpdir);
		else
			buf_add(&b, p, 1);
	return buf_take(&b);
}

static struct config *
load_ok(const char *text)
{
	struct config *c = NULL;
	char *path = write_conf(text), *errs = (char *)"x";
	int rc = config_load(path, 0, &c, &errs);

	if (rc != 0)
		fail_msg("unexpected errors:\n%s", errs);
	assert_null(errs);
	assert_non_null(c);
	assert_string_equal(c->file, path);
	free(path);
	return c;
}

/* The file must be refused with exactly these messages. */
static void
load_bad(const char *text, const char *want_pattern)
{
	struct config *c = (struct config *)&c;	/* untouched on failure */
	char *t = expand(text, "@"), *path = write_conf(t), *errs = NULL, *want;

	if (config_load(path, 0, &c, &errs) != -1) {
		config_free(c);
		fail_msg("accepted:\n%s", t);
	}
	free(t);
	assert_ptr_equal(c, (struct config *)&c);
	want = expand(want_pattern, path);
	assert_non_null(errs);
	assert_string_equal(errs, want);
	free(want);
	free(errs);
	free(path);
}

static void
check_defaults(const struct config *c)
{
	assert_string_equal(c->state_dir, "/var/lib/faxintake");
	assert_int_equal(c->workers, 2);
	assert_int_equal(c->settle_seconds, 600);
	assert_int_equal(c->rescan_seconds, 0);
	assert_int_equal(c->ready_seconds, 2);
	assert_int_equal(c->log_level, LOG_LEVEL_INFO);
	assert_true(c->field_confidence > 0.7999 && c->field_confidence < 0.8001);
	assert_int_equal(c->max_file_bytes, 256ULL << 20);
	assert_int_equal(c->max_pages, 200);
	assert_int_equal(c->max_page_pixels, 40000000ULL);
	assert_int_equal(c->job_seconds, 300);
	assert_int_equal(c->job_memory_mb, 1024);
	assert_int_equal(c->ninboxes, 0);
	assert_null(c->outbound_argv);
	assert_int_equal(c->auto_send, 0);
	assert_non_null(c->templates_dir);
}

static void
test_defaults(void **state)
{
	struct config *c = NULL;
	char *path, *errs = (char *)"x";

	(void)state;
	/* A missing file is the defaults when allowed... */
	assert_true(asprintf(&path, "%s/none.conf", tmpdir) > 0);
	assert_int_equal(config_load(path, 1, &c, &errs), 0);
	assert_null(errs);
	check_defaults(c);
	config_free(c);
	/* ...and an error naming the file when not. */
	c = (struct config *)&c;
	assert_int_equal(config_load(path, 0, &c, &errs), -1);
	assert_ptr_equal(c, (struct config *)&c);
	assert_non_null(strstr(errs, path));
	assert_non_null(strstr(errs, "No such file"));
	free(errs);
	free(path);
	/* An empty file, or one of comments, is the defaults. */
	c = load_ok("");
	check_defaults(c);
	config_free(c);
	c = load_ok("; nothing\n[daemon]\n[review]\n");
	check_defaults(c);
	config_free(c);
	config_free(NULL);
}

static void
test_every_key(void **state)
{
	struct config *c;

	(void)state;
	c = load_ok(
	    "[daemon]\n"
	    "state_dir = /srv/faxintake\n"
	    "templates_dir = /opt/fi/templates\n"
	    "workers = 7\n"
	    "settle_seconds = 0\n"
	    "rescan_seconds = 30\n"
	    "ready_seconds = 5\n"
	    "log_level = debug\n"
	    "[review]\n"
	    "field_confidence = 0.65\n"
	    "[limits]\n"
	    "max_file_bytes = 1048576\n"
	    "max_pages = 12\n"
	    "max_page_pixels = 4294967296\n"
	    "job_seconds = 86400\n"
	    "job_memory_mb = 64\n"
	    "[inbox fax]\n"
	    "path = /var/spool/hylafax/recvq\n"
	    "hospital = keio\n"
	    "[inbox scans-2_B]\n"
	    "hospital = tohoku\n"
	    "path = /srv/scans\n"
	    "[outbound]\n"
	    "command = /usr/bin/sendfax -n -d {fax} {file}\n"
	    "auto_send = yes\n");
	assert_string_equal(c->state_dir, "/srv/faxintake");
	assert_string_equal(c->templates_dir, "/opt/fi/templates");
	assert_int_equal(c->workers, 7);
	assert_int_equal(c->settle_seconds, 0);
	assert_int_equal(c->rescan_seconds, 30);
	assert_int_equal(c->ready_seconds, 5);
	assert_int_equal(c->log_level, LOG_LEVEL_DEBUG);
	assert_true(c->field_confidence > 0.6499 && c->field_confidence < 0.6501);
	assert_int_equal(c->max_file_bytes, 1048576);
	assert_int_equal(c->max_pages, 12);
	assert_int_equal(c->max_page_pixels, 4294967296ULL);
	assert_int_equal(c->job_seconds, 86400);
	assert_int_equal(c->job_memory_mb, 64);
	assert_int_equal(c->ninboxes, 2);
	assert_string_equal(c->inboxes[0].name, "fax");
	assert_string_equal(c->inboxes[0].path, "/var/spool/hylafax/recvq");
	assert_string_equal(c->inboxes[0].hospital, "keio");
	assert_string_equal(c->inboxes[1].name, "scans-2_B");
	assert_string_equal(c->inboxes[1].path, "/srv/scans");
	assert_string_equal(c->inboxes[1].hospital, "tohoku");
	assert_non_null(c->outbound_argv);
	assert_string_equal(c->outbound_argv[0], "/usr/bin/sendfax");
	assert_string_equal(c->outbound_argv[3], "{fax}");
	assert_string_equal(c->outbound_argv[4], "{file}");
	assert_null(c->outbound_argv[5]);
	assert_int_equal(c->auto_send, 1);
	config_free(c);

	/* Every boolean spelling; a name found in PATH; an empty command. */
	static const struct { const char *v; int b; } bools[] = {
		{ "yes", 1 }, { "YES", 1 }, { "true", 1 }, { "1", 1 },
		{ "no", 0 }, { "No", 0 }, { "false", 0 }, { "0", 0 },
	};
	for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++) {
		char text[256];
		snprintf(text, sizeof(text), "[outbound]\ncommand = sendfax\n"
		    "auto_send = %s\n", bools[i].v);
		c = load_ok(text);
		assert_int_equal(c->auto_send, bools[i].b);
		assert_string_equal(c->outbound_argv[0], "sendfax");
		assert_null(c->outbound_argv[1]);
		config_free(c);
	}
	c = load_ok("[outbound]\ncommand =   ; none\n");
	assert_null(c->outbound_argv);
	config_free(c);
	/* A key given twice is a mistake, not "the last one wins". */
	load_bad("[outbound]\ncommand = /bin/x\ncommand =   ; none after all\n",
	    "@:3: 'command' is given twice in [outbound] (first at line 2)\n");

	static const struct { const char *v; int lvl; } levels[] = {
		{ "error", LOG_LEVEL_ERR }, { "warning", LOG_LEVEL_WARNING },
		{ "notice", LOG_LEVEL_NOTICE }, { "info", LOG_LEVEL_INFO },
		{ "DEBUG", LOG_LEVEL_DEBUG },
	};
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		char text[256];
		snprintf(text, sizeof(text), "[daemon]\nlog_level = %s\n",
		    levels[i].v);
		c = load_ok(text);
		assert_int_equal(c->log_level, levels[i].lvl);
		config_free(c);
	}
}

/* The example shipped in the checkout is a valid configuration. */
static void
test_example(void **state)
{
	struct config *c = NULL;
	char *path, *errs = NULL;

	(void)state;
	assert_true(asprintf(&path, "%s/faxintake.conf.example", FI_SRCDIR) > 0);
	if (config_load(path, 0, &c, &errs) != 0)
		fail_msg("%s", errs);
	assert_int_equal(c->ninboxes, 1);
	assert_string_equal(c->inboxes[0].hospital, "keio");
	assert_null(c->outbound_argv);
	config_free(c);
	free(path);
}

static void
test_bad_values(void **state)
{
	static const struct {
		const char *text, *errs;
	} t[] = {
		{ "[daemon]\nworkers = 0\n",
		  "@:2: workers: '0' is not a whole number from 1 to 64\n" },
		{ "[daemon]\nworkers = 65\n",
		  "@:2: workers: '65' is not a whole number from 1 to 64\n" },
		{ "[daemon]\nworkers = 2x\n",
		  "@:2: workers: '2x' is not a whole number from 1 to 64\n" },
		{ "[daemon]\nworkers = 0x10\n",
		  "@:2: workers: '0x10' is not a whole number from 1 to 64\n" },
		{ "[daemon]\nworkers =\n",
		  "@:2: workers: '' is not a whole number from 1 to 64\n" },
		{ "[daemon]\nsettle_seconds = -1\n",
		  "@:2: settle_seconds: '-1' is not a whole number from 0 to 604800\n" },
		{ "[daemon]\nrescan_seconds = 99999999999999999999\n",
		  "@:2: rescan_seconds: '99999999999999999999' is not a whole "
		  "number from 0 to 86400\n" },
		{ "[daemon]\nready_seconds = 3601\n",
		  "@:2: ready_seconds: '3601' is not a whole number from 0 to 3600\n" },
		{ "[daemon]\nstate_dir = var/lib/faxintake\n",
		  "@:2: state_dir: 'var/lib/faxintake' is not an absolute path\n" },
		{ "[daemon]\nstate_dir =\n",
		  "@:2: state_dir: '' is not an absolute path\n" },
		{ "[daemon]\ntemplates_dir = ./templates\n",
		  "@:2: templates_dir: './templates' is not an absolute path\n" },
		{ "[daemon]\nlog_level = loud\n",
		  "@:2: log_level: 'loud' is not one of error, warning, notice, "
		  "info, debug\n" },
		{ "[review]\nfield_confidence = 1.5\n",
		  "@:2: field_confidence: '1.5' is not a number from 0 to 1\n" },
		{ "[review]\nfield_confidence = -0.1\n",
		  "@:2: field_confidence: '-0.1' is not a number from 0 to 1\n" },
		{ "[review]\nfield_confidence = 0.8x\n",
		  "@:2: field_confidence: '0.8x' is not a number from 0 to 1\n" },
		/* NaN compares false with everything: it must not pass. */
		{ "[review]\nfield_confidence = nan\n",
		  "@:2: field_confidence: 'nan' is not a number from 0 to 1\n" },
		{ "[review]\nfield_confidence = inf\n",
		  "@:2: field_confidence: 'inf' is not a number from 0 to 1\n" },
		{ "[limits]\nmax_file_bytes = 1023\n",
		  "@:2: max_file_bytes: '1023' is not a whole number from 1024 "
		  "to 4294967296\n" },
		{ "[limits]\nmax_pages = 10001\n",
		  "@:2: max_pages: '10001' is not a whole number from 1 to 10000\n" },
		{ "[limits]\nmax_page_pixels = 9999\n",
		  "@:2: max_page_pixels: '9999' is not a whole number from 10000 "
		  "to 4294967296\n" },
		{ "[limits]\njob_seconds = 0\n",
		  "@:2: job_seconds: '0' is not a whole number from 1 to 86400\n" },
		{ "[limits]\njob_memory_mb = 63\n",
		  "@:2: job_memory_mb: '63' is not a whole number from 64 to 1048576\n" },
		{ "[outbound]\nauto_send = maybe\n",
		  "@:2: auto_send: 'maybe' is not yes or no\n" },
		{ "[outbound]\nauto_send =\n",
		  "@:2: auto_send: '' is not yes or no\n" },
		{ "[outbound]\ncommand = \"/usr/bin/sendfax -n\n",
		  "@:2: command: unbalanced quote\n" },
		{ "[outbound]\ncommand = bin/sendfax {file}\n",
		  "@:2: command: 'bin/sendfax' must be an absolute path or a name "
		  "found in PATH\n" },
		{ "[inbox fax]\npath = spool/fax\nhospital = keio\n",
		  "@:2: path: 'spool/fax' is not an absolute path\n"
		  "@:1: [inbox fax] has no path\n" },
		{ "[inbox fax]\npath = /x\nhospital = ../../etc\n",
		  "@:3: hospital: '../../etc' is not a profile id\n"
		  "@:1: [inbox fax] has no hospital\n" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		load_bad(t[i].text, t[i].errs);
}

static void
test_unknown(void **state)
{
	(void)state;
	load_bad("[daemon]\nworkerz = 2\n",
	    "@:2: unknown key 'workerz' in [daemon]\n");
	load_bad("[review]\nconfidence = 0.5\n",
	    "@:2: unknown key 'confidence' in [review]\n");
	load_bad("[limits]\nmax_bytes = 5000\n",
	    "@:2: unknown key 'max_bytes' in [limits]\n");
	load_bad("[outbound]\nnumber = 03\n",
	    "@:2: unknown key 'number' in [outbound]\n");
	load_bad("[inbox fax]\npath = /x\nhospital = keio\nuser = uucp\n",
	    "@:4: unknown key 'user' in [inbox fax]\n");
	load_bad("; top\nworkers = 2\n[daemon]\n",
	    "@:2: 'workers' is outside any [section]\n");
	/* A section's own problems are reported at its line, once. */
	load_bad("[deamon]\nworkers = 2\n",
	    "@:1: unknown section [deamon]\n");
	load_bad("[inbox]\npath = /x\n",
	    "@:1: unknown section [inbox]\n");
	load_bad("[inbox fax!]\npath = /x\nhospital = keio\n",
	    "@:1: inbox name 'fax!': use letters, digits, '-' and '_'\n");
	load_bad("[bogus]\n[daemon]\nworkers = 2\n",
	    "@:1: unknown section [bogus]\n");
	load_bad("[daemon]\nworkers = 2\n[daemon]\nworkers = 3\n",
	    "@:3: [daemon] appears twice (first at line 1)\n");
}

static void
test_inbox_checks(void **state)
{
	(void)state;
	load_bad("[inbox fax]\nhospital = keio\n",
	    "@:1: [inbox fax] has no path\n");
	load_bad("[inbox fax]\npath = /srv/fax\n",
	    "@:1: [inbox fax] has no hospital\n");
	/* An empty section is still seen. */
	load_bad("[inbox fax]\n[daemon]\nworkers = 2\n",
	    "@:1: [inbox fax] has no path\n@:1: [inbox fax] has no hospital\n");
	load_bad("[inbox a]\npath = /srv/fax\nhospital = keio\n"
	    "[inbox b]\nhospital = tohoku\npath = /srv/fax\n",
	    "@:4: [inbox b] has the same path as [inbox a]\n");
	/* The same directory spelt differently is still the same directory:
	 * inotify would give both one watch, and one hospital the other's
	 * faxes. */
	load_bad("[inbox a]\npath = /srv/fax\nhospital = keio\n"
	    "[inbox b]\npath = /srv//fax/\nhospital = tohoku\n",
	    "@:4: [inbox b] has the same path as [inbox a]\n");
	load_bad("[inbox a]\npath = %\nhospital = keio\n"
	    "[inbox b]\npath = %/.\nhospital = tohoku\n",
	    "@:4: [inbox b] has the same path as [inbox a]\n");
	{
		char *a, *b;
		assert_true(asprintf(&a, "%s/real", tmpdir) > 0);
		assert_true(asprintf(&b, "%s/link", tmpdir) > 0);
		assert_int_equal(mkdir(a, 0700), 0);
		assert_int_equal(symlink(a, b), 0);
		load_bad("[inbox a]\npath = %/real\nhospital = keio\n"
		    "[inbox b]\npath = %/link\nhospital = tohoku\n",
		    "@:4: [inbox b] has the same path as [inbox a]\n");
		unlink(b);
		rmdir(a);
		free(a);
		free(b);
	}
	/* An inbox in the state dir would claim the database itself. */
	load_bad("[daemon]\nstate_dir = /var/lib/faxintake\n"
	    "[inbox a]\npath = /var/lib/faxintake\nhospital = keio\n",
	    "@:3: [inbox a] is inside state_dir\n");
	load_bad("[daemon]\nstate_dir = /var/lib/faxintake/\n"
	    "[inbox a]\npath = /var/lib/faxintake/spool\nhospital = keio\n",
	    "@:3: [inbox a] is inside state_dir\n");
}

/* Every mistake of a file at once, each with its line. */
static void
test_all_errors(void **state)
{
	(void)state;
	load_bad(
	    "[daemon]\n"			/* 1 */
	    "workers = many\n"			/* 2 */
	    "state_dir = relative\n"		/* 3 */
	    "bogus = 1\n"			/* 4 */
	    "[limits]\n"			/* 5 */
	    "max_pages = 0\n"			/* 6 */
	    "[inbox fax]\n"			/* 7 */
	    "path = /srv/fax\n"			/* 8 */
	    "no equals here\n"			/* 9 */
	    "[outbound]\n"			/* 10 */
	    "auto_send = perhaps\n",		/* 11 */
	    "@:2: workers: 'many' is not a whole number from 1 to 64\n"
	    "@:3: state_dir: 'relative' is not an absolute path\n"
	    "@:4: unknown key 'bogus' in [daemon]\n"
	    "@:6: max_pages: '0' is not a whole number from 1 to 10000\n"
	    "@:9: syntax error: expected 'key = value'\n"
	    "@:11: auto_send: 'perhaps' is not yes or no\n"
	    "@:7: [inbox fax] has no hospital\n");
}

static void
check_argv(const char *cmd, const char *const *want)
{
	char **argv = config_split_argv(cmd);
	size_t i;

	if (want == NULL) {
		assert_null(argv);
		return;
	}
	assert_non_null(argv);
	for (i = 0; want[i]; i++) {
		assert_non_null(argv[i]);
		assert_string_equal(argv[i], want[i]);
	}
	assert_null(argv[i]);
	config_argv_free(argv);
}

static void
test_split_argv(void **state)
{
	static const char *const w_sendfax[] = { "sendfax", "-n", "-d", "{fax}",
	    "{file}", NULL };
	static const char *const w_quoted[] = { "/opt/my fax/send", "-d",
	    "{fax}", NULL };
	static const char *const w_inner[] = { "ab cd", NULL };
	static const char *const w_empty_arg[] = { "a", "", "b", NULL };
	static const char *const w_only_empty[] = { "", NULL };
	static const char *const w_tabs[] = { "a", "b", NULL };
	/* No shell: nothing is expanded, substituted or split on ';'. */
	static const char *const w_shell[] = { "send", "$(rm", "-rf", "/);",
	    "`id`", "'a", "b'", "a\\", "b", "*", "|", "x", NULL };
	static const char *const w_none[] = { NULL };
	static const char *const w_utf8[] = { "送信", "{fax}", NULL };

	(void)state;
	check_argv("sendfax -n -d {fax} {file}", w_sendfax);
	check_argv("  sendfax   -n -d\t{fax}  {file}  ", w_sendfax);
	check_argv("\"/opt/my fax/send\" -d {fax}", w_quoted);
	check_argv("a\"b c\"d", w_inner);
	check_argv("a \"\" b", w_empty_arg);
	check_argv("\"\"", w_only_empty);
	check_argv("a\tb", w_tabs);
	check_argv("send $(rm -rf /); `id` 'a b' a\\ b * | x", w_shell);
	check_argv("送信 {fax}", w_utf8);
	check_argv("\"unterminated", NULL);
	check_argv("a \"b", NULL);
	check_argv("a b\"", NULL);
	/* Nothing to split is an empty argv, not the "bad quote" NULL. */
	check_argv("", w_none);
	check_argv("   ", w_none);
	config_argv_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_inbox_checks),
		cmocka_unit_test(test_all_errors),
		cmocka_unit_test(test_split_argv),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
