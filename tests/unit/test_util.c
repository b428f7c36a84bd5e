/*
 * test_util.c — times in Asia/Tokyo whatever TZ says, mkdir -p with the
 * mode asked for (setgid included), atomic whole-file writes, bounded
 * whole-file reads.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "faxintake/util.h"

static int
rm_one(const char *p, const struct stat *st, int type, struct FTW *f)
{
	(void)st; (void)type; (void)f;
	return remove(p);
}

static int
setup_dir(void **state)
{
	char *t = strdup("/tmp/fi-util-XXXXXX");

	if (t == NULL || mkdtemp(t) == NULL)
		return -1;
	*state = t;
	return 0;
}

static int
teardown_dir(void **state)
{
	nftw(*state, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(*state);
	return 0;
}

static void
test_time_iso(void **state)
{
	static const struct {
		long long	 epoch;
		const char	*iso, *date;
	} t[] = {
		{ 0, "1970-01-01T09:00:00+09:00", "1970-01-01" },
		/* DESIGN.md's example: 14:03 in Tokyo is 05:03 UTC. */
		{ 1795150980, "2026-11-20T14:03:00+09:00", "2026-11-20" },
		/* Midsummer: Japan has no daylight saving time. */
		{ 1783000800, "2026-07-02T23:00:00+09:00", "2026-07-02" },
		/* The day changes at 15:00 UTC. */
		{ 1798729199, "2026-12-31T23:59:59+09:00", "2026-12-31" },
		{ 1798729200, "2027-01-01T00:00:00+09:00", "2027-01-01" },
		{ 1709218800, "2024-03-01T00:00:00+09:00", "2024-03-01" },
		{ 1709218799, "2024-02-29T23:59:59+09:00", "2024-02-29" },
		{ -32400, "1970-01-01T00:00:00+09:00", "1970-01-01" },
	};
	static const char *const zones[] = {
		NULL, "UTC", "America/New_York", "Europe/London", "Asia/Tokyo",
	};
	const char *old = getenv("TZ");
	char *saved = old ? strdup(old) : NULL;

	(void)state;
	for (size_t z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		if (zones[z])
			setenv("TZ", zones[z], 1);
		else
			unsetenv("TZ");
		tzset();
		for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
			char out[UTIL_ISO_LEN];

			util_time_iso(t[i].epoch, out);
			assert_string_equal(out, t[i].iso);
			util_date_iso(t[i].epoch, out);
			assert_string_equal(out, t[i].date);
		}
	}
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
}

static mode_t
mode_of(const char *p)
{
	struct stat st;

	assert_int_equal(lstat(p, &st), 0);
	return st.st_mode;
}

static void
test_mkdir_p(void **state)
{
	const char *dir = *state;
	char p[512], q[512];
	mode_t old = umask(0);

	snprintf(p, sizeof(p), "%s/a/b/c", dir);
	assert_int_equal(util_mkdir_p(p, 0750), 0);
	assert_true(S_ISDIR(mode_of(p)));
	assert_int_equal(mode_of(p) & 07777, 0750);
	snprintf(q, sizeof(q), "%s/a", dir);
	assert_int_equal(mode_of(q) & 07777, 0750);
	assert_int_equal(util_mkdir_p(p, 0750), 0);	/* exists: fine */

	/* Trailing slash and doubled slashes. */
	snprintf(p, sizeof(p), "%s/x//y/", dir);
	assert_int_equal(util_mkdir_p(p, 0700), 0);
	snprintf(q, sizeof(q), "%s/x/y", dir);
	assert_true(S_ISDIR(mode_of(q)));

	/* The state dir is 2770: files made in it keep the group. */
	snprintf(p, sizeof(p), "%s/state/spool", dir);
	assert_int_equal(util_mkdir_p(p, 02770), 0);
	assert_int_equal(mode_of(p) & 07777, 02770);
	snprintf(q, sizeof(q), "%s/state", dir);
	assert_int_equal(mode_of(q) & 07777, 02770);

	/* A file in the way. */
	snprintf(p, sizeof(p), "%s/file", dir);
	assert_int_equal(util_write_file(p, "x", 1, 0600), 0);
	assert_int_equal(util_mkdir_p(p, 0700), -ENOTDIR);
	snprintf(p, sizeof(p), "%s/file/sub", dir);
	assert_int_equal(util_mkdir_p(p, 0700), -ENOTDIR);
	assert_true(util_mkdir_p("", 0700) < 0);
	umask(old);
}

static void
test_write_file(void **state)
{
	const char *dir = *state;
	char p[512], *data = NULL;
	size_t len = 0;
	struct stat st1, st2;
	DIR *d;
	struct dirent *de;
	int n = 0;
	mode_t old = umask(0);

	snprintf(p, sizeof(p), "%s/letter.pdf", dir);
	assert_int_equal(util_write_file(p, "first", 5, 0640), 0);
	assert_int_equal(stat(p, &st1), 0);
	assert_int_equal(st1.st_mode & 07777, 0640);
	assert_int_equal(st1.st_size, 5);
	/* Replaced by rename (a new inode), never rewritten in place, and
	 * with the new mode. */
	assert_int_equal(util_write_file(p, "second!", 7, 0600), 0);
	assert_int_equal(stat(p, &st2), 0);
	assert_int_not_equal(st1.st_ino, st2.st_ino);
	assert_int_equal(st2.st_mode & 07777, 0600);
	assert_int_equal(util_read_file(p, 100, &data, &len), 0);
	assert_int_equal(len, 7);
	assert_string_equal(data, "second!");
	free(data);
	/* Empty is a file too. */
	assert_int_equal(util_write_file(p, "", 0, 0600), 0);
	assert_int_equal(util_read_file(p, 100, &data, &len), 0);
	assert_int_equal(len, 0);
	assert_string_equal(data, "");
	free(data);
	/* No temporary left behind. */
	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.') {
			assert_string_equal(de->d_name, "letter.pdf");
			n++;
		}
	closedir(d);
	assert_int_equal(n, 1);
	/* A missing directory: an error, nothing created. */
	snprintf(p, sizeof(p), "%s/nodir/x", dir);
	assert_int_equal(util_write_file(p, "x", 1, 0600), -ENOENT);
	umask(old);
}

static void
test_read_file(void **state)
{
	static const struct {
		size_t	 size, max;
		int	 rc;
	} t[] = {
		{ 0, 0, 0 }, { 10, 10, 0 }, { 11, 10, -EFBIG }, { 10, 0, -EFBIG },
		{ 70000, 70000, 0 }, { 70000, 69999, -EFBIG },
	};
	const char *dir = *state;
	char p[512], *data, *big;

	big = malloc(70000);
	assert_non_null(big);
	for (size_t i = 0; i < 70000; i++)
		big[i] = (char)('a' + i % 26);
	snprintf(p, sizeof(p), "%s/f", dir);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t len = 12345;

		data = (char *)&len;	/* untouched on failure */
		assert_int_equal(util_write_file(p, big, t[i].size, 0600), 0);
		assert_int_equal(util_read_file(p, t[i].max, &data, &len),
		    t[i].rc);
		if (t[i].rc != 0) {
			assert_ptr_equal(data, (char *)&len);
			assert_int_equal(len, 12345);
			continue;
		}
		assert_int_equal(len, t[i].size);
		assert_memory_equal(data, big, t[i].size);
		assert_int_equal(data[len], '\0');
		free(data);
	}
	/* ret_len may be NULL. */
	assert_int_equal(util_read_file(p, 100000, &data, NULL), 0);
	free(data);
	free(big);
	snprintf(p, sizeof(p), "%s/missing", dir);
	assert_int_equal(util_read_file(p, 100, &data, NULL), -ENOENT);
	assert_int_equal(util_read_file(dir, 100, &data, NULL), -EINVAL);
}

/* A FIFO is not a file to read: refused, and without blocking. */
static void
test_read_fifo(void **state)
{
	const char *dir = *state;
	char p[512];
	pid_t pid;
	int status = 0;

	snprintf(p, sizeof(p), "%s/fifo", dir);
	assert_int_equal(mkfifo(p, 0600), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *data;
		alarm(3);
		_exit(util_read_file(p, 100, &data, NULL) == -EINVAL ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_false(WIFSIGNALED(status));	/* SIGALRM: it blocked */
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void
test_config_path(void **state)
{
	(void)state;
	setenv("FAXINTAKE_CONFIG", "/env/x.conf", 1);
	assert_string_equal(util_config_path("/cli/y.conf"), "/cli/y.conf");
	assert_string_equal(util_config_path(NULL), "/env/x.conf");
	setenv("FAXINTAKE_CONFIG", "", 1);
	assert_string_equal(util_config_path(NULL),
	    FI_SYSCONFDIR "/faxintake/faxintake.conf");
	unsetenv("FAXINTAKE_CONFIG");
	assert_string_equal(util_config_path(""),
	    FI_SYSCONFDIR "/faxintake/faxintake.conf");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_iso),
		cmocka_unit_test_setup_teardown(test_mkdir_p, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_write_file, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_read_file, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_read_fifo, setup_dir,
		    teardown_dir),
		cmocka_unit_test(test_config_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
