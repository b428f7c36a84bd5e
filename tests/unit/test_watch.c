/*
 * test_watch.c — which names are ignored, what inotify reports for each
 * way a file arrives or leaves (on real temporary directories), and scans.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "faxintake/buf.h"
#include "faxintake/watch.h"

static void
test_name_ignored(void **state)
{
	static const struct {
		const char	*name;
		int		 ignored;
	} t[] = {
		{ "fax000123.tif", 0 }, { "scan_20261120_0001.pdf", 0 },
		{ "紹介状.pdf", 0 }, { "seqf1", 0 }, { "myseqf", 0 },
		{ "a.tmpl", 0 }, { "lock", 0 }, { "tmp", 0 }, { "x.pdf.bak", 0 },
		{ "", 1 }, { ".", 1 }, { "..", 1 }, { ".hidden.tif", 1 },
		{ ".tmp.12345", 1 },		/* FaxDispatch's temporary name */
		{ "seqf", 1 }, { "seqf.lock", 1 },	/* HylaFAX recvq */
		{ "#autosave#", 1 }, { "~$scan.pdf", 1 },
		{ "scan.pdf~", 1 }, { "scan.tmp", 1 }, { "scan.TMP", 1 },
		{ "scan.pdf.part", 1 }, { "scan.pdf.partial", 1 },
		{ "scan.pdf.crdownload", 1 }, { "scan.pdf.filepart", 1 },
		{ "scan.swp", 1 }, { "fax.lock", 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (watch_name_ignored(t[i].name) != t[i].ignored)
			fail_msg("'%s': expected %s", t[i].name,
			    t[i].ignored ? "ignored" : "kept");
}

struct fx {
	char		*dir[3];	/* two inboxes and one elsewhere */
	struct watch	*w;
	struct buf	 seen;		/* "INBOX NAME EVENT\n" */
};

static int
rm_one(const char *p, const struct stat *st, int type, struct FTW *f)
{
	(void)st; (void)type; (void)f;
	return remove(p);
}

static int
setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));
	char *err = NULL;

	for (int i = 0; i < 3; i++) {
		x->dir[i] = strdup("/tmp/fi-watch-XXXXXX");
		if (mkdtemp(x->dir[i]) == NULL)
			return -1;
	}
	if (watch_open((const char *const *)x->dir, 2, &x->w, &err) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	buf_init(&x->seen, 1 << 20);
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *x = *state;

	watch_close(x->w);
	for (int i = 0; i < 3; i++) {
		nftw(x->dir[i], rm_one, 16, FTW_DEPTH | FTW_PHYS);
		free(x->dir[i]);
	}
	buf_free(&x->seen);
	free(x);
	return 0;
}

static const char *const ev_names[] = { "SEEN", "WRITING", "CLOSED", "GONE" };

static void
record(void *arg, size_t inbox, const char *name, enum watch_event ev)
{
	struct fx *x = arg;

	(void)buf_printf(&x->seen, "%zu %s %s\n", inbox, name, ev_names[ev]);
}

/* Drain what inotify has now; returns what was reported, then clears. */
static char *
drain(struct fx *x)
{
	struct pollfd p = { .fd = watch_fd(x->w), .events = POLLIN };

	while (poll(&p, 1, 50) > 0)
		assert_int_equal(watch_read(x->w, record, x), 0);
	return buf_take(&x->seen);
}

static void
expect(struct fx *x, const char *want)
{
	char *got = drain(x);

	assert_string_equal(got, want);
	free(got);
}

static char *
in(struct fx *x, int d, const char *name)
{
	static char p[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", x->dir[d], name);
	return p[k];
}

static void
test_events(void **state)
{
	struct fx *x = *state;
	int fd;

	expect(x, "");

	/* Written in place: created (open), then closed after writing. */
	fd = open(in(x, 0, "fax001.tif"), O_WRONLY | O_CREAT | O_EXCL, 0640);
	assert_true(fd >= 0);
	expect(x, "0 fax001.tif WRITING\n");
	assert_int_equal(write(fd, "II*\0", 4), 4);
	expect(x, "");
	close(fd);
	expect(x, "0 fax001.tif CLOSED\n");

	/* Written elsewhere and renamed in (FaxDispatch, scanners). */
	fd = open(in(x, 2, "fax002.tif"), O_WRONLY | O_CREAT, 0640);
	close(fd);
	assert_int_equal(rename(in(x, 2, "fax002.tif"), in(x, 1, "fax002.tif")), 0);
	expect(x, "1 fax002.tif CLOSED\n");

	/* Written under a temporary name in the inbox, then renamed. */
	fd = open(in(x, 0, ".tmp.77"), O_WRONLY | O_CREAT, 0640);
	close(fd);
	assert_int_equal(rename(in(x, 0, ".tmp.77"), in(x, 0, "fax003.tif")), 0);
	expect(x, "0 fax003.tif CLOSED\n");

	/* Deleted, and moved away. */
	assert_int_equal(unlink(in(x, 0, "fax001.tif")), 0);
	assert_int_equal(rename(in(x, 1, "fax002.tif"), in(x, 2, "away.tif")), 0);
	expect(x, "0 fax001.tif GONE\n1 fax002.tif GONE\n");

	/* Opened for reading and closed: nothing. */
	fd = open(in(x, 0, "fax003.tif"), O_RDONLY);
	close(fd);
	expect(x, "");

	/* A sub-directory is no file being written. */
	assert_int_equal(mkdir(in(x, 0, "sub"), 0700), 0);
	expect(x, "0 sub SEEN\n");
	/* Neither is a symbolic link, a FIFO or a socket: they never get a
	 * close-after-write and must not wait READY_WRITING_MS to be
	 * rejected. */
	assert_int_equal(symlink("/etc/passwd", in(x, 0, "link.tif")), 0);
	expect(x, "0 link.tif SEEN\n");
	assert_int_equal(mkfifo(in(x, 1, "fifo.tif"), 0600), 0);
	expect(x, "1 fifo.tif SEEN\n");
	{
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		int s = socket(AF_UNIX, SOCK_STREAM, 0);
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", in(x, 0, "sock"));
		assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
		close(s);
		expect(x, "0 sock SEEN\n");
	}

	/* Ignored names make no event; the directory elsewhere is not
	 * watched. */
	fd = open(in(x, 0, "seqf"), O_WRONLY | O_CREAT, 0600);
	close(fd);
	fd = open(in(x, 0, "scan.pdf.part"), O_WRONLY | O_CREAT, 0600);
	close(fd);
	fd = open(in(x, 2, "elsewhere.tif"), O_WRONLY | O_CREAT, 0600);
	close(fd);
	expect(x, "");
}

static void
test_scan(void **state)
{
	struct fx *x = *state;
	static const char *const names[] = { "fax010.tif", "fax002.tif",
	    ".hidden", "seqf", "a.pdf", "z~" };
	char *got;

	/* Empty inboxes. */
	assert_int_equal(watch_scan(x->w, (size_t)-1, record, x), 0);
	expect(x, "");

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		close(open(in(x, 0, names[i]), O_WRONLY | O_CREAT, 0600));
	close(open(in(x, 1, "other.tif"), O_WRONLY | O_CREAT, 0600));
	assert_int_equal(mkdir(in(x, 1, "adir"), 0700), 0);
	free(drain(x));		/* the inotify side of that */

	/* In name order: the first of two identical faxes keeps its bytes. */
	assert_int_equal(watch_scan(x->w, (size_t)-1, record, x), 0);
	got = buf_take(&x->seen);
	assert_string_equal(got, "0 a.pdf SEEN\n0 fax002.tif SEEN\n"
	    "0 fax010.tif SEEN\n1 adir SEEN\n1 other.tif SEEN\n");
	free(got);
	assert_int_equal(watch_scan(x->w, 1, record, x), 0);
	got = buf_take(&x->seen);
	assert_string_equal(got, "1 adir SEEN\n1 other.tif SEEN\n");
	free(got);

	/* An inbox that went away: reported, the others still scanned. */
	nftw(x->dir[0], rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(drain(x));
	assert_int_equal(watch_scan(x->w, (size_t)-1, record, x), -ENOENT);
	got = buf_take(&x->seen);
	assert_string_equal(got, "1 adir SEEN\n1 other.tif SEEN\n");
	free(got);
	assert_int_equal(mkdir(x->dir[0], 0700), 0);	/* for teardown */
}

static void
test_open_errors(void **state)
{
	struct fx *x = *state;
	struct watch *w = (struct watch *)&w;
	const char *paths[2];
	char *err = NULL, *file;

	paths[0] = x->dir[2];
	paths[1] = "/nonexistent/faxintake/inbox";
	assert_int_equal(watch_open(paths, 2, &w, &err), -1);
	assert_ptr_equal(w, (struct watch *)&w);
	assert_non_null(strstr(err, "/nonexistent/faxintake/inbox"));
	free(err);

	assert_true(asprintf(&file, "%s/plain", x->dir[2]) > 0);
	close(open(file, O_WRONLY | O_CREAT, 0600));
	paths[1] = file;
	err = NULL;
	assert_int_equal(watch_open(paths, 2, &w, &err), -1);
	assert_non_null(strstr(err, file));
	free(err);
	free(file);
	watch_close(NULL);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_ignored),
		T(test_events),
		T(test_scan),
		T(test_open_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
