/*
 * test_spool.c — claiming files out of an inbox, and finishing claims a
 * crash interrupted.  Claims run on real temporary directories; crashes
 * are simulated by writing the records with store_file_add() and placing
 * the files by hand, then calling spool_reconcile().  An inbox under
 * /dev/shm (tmpfs) is another file system than /tmp: that is the EXDEV
 * copy path.
 */
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
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <nettle/sha2.h>

#include "faxintake/spool.h"
#include "faxintake/store.h"

struct fx {
	char		*root;		/* /tmp/fi-spool-XXXXXX */
	char		*state;		/* root/state */
	char		*inbox;		/* root/inbox, or under /dev/shm */
	char		*shm;		/* the /dev/shm dir, if any */
	struct store	*st;
	struct spool	*sp;
	struct spool_inbox in;
};

static int
rm_one(const char *p, const struct stat *st, int type, struct FTW *f)
{
	(void)st; (void)type; (void)f;
	return remove(p);
}

static int
fx_setup(void **state, int exdev)
{
	struct fx *x = calloc(1, sizeof(*x));
	char *db, *err = NULL;

	x->root = strdup("/tmp/fi-spool-XXXXXX");
	if (mkdtemp(x->root) == NULL)
		return -1;
	if (asprintf(&x->state, "%s/state", x->root) < 0 ||
	    mkdir(x->state, 0770) == -1)
		return -1;
	if (exdev) {
		x->shm = strdup("/dev/shm/fi-spool-XXXXXX");
		if (mkdtemp(x->shm) == NULL)
			return -1;
		x->inbox = strdup(x->shm);
	} else if (asprintf(&x->inbox, "%s/inbox", x->root) < 0 ||
	    mkdir(x->inbox, 0770) == -1)
		return -1;
	if (asprintf(&db, "%s/faxintake.db", x->state) < 0 ||
	    store_open(db, STORE_CREATE, &x->st, &err) != 0 ||
	    spool_open(x->state, x->st, &x->sp, &err) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	free(db);
	x->in.name = "fax";
	x->in.path = x->inbox;
	*state = x;
	return 0;
}

static int
setup(void **state)
{
	return fx_setup(state, 0);
}

static int
setup_shm(void **state)
{
	return fx_setup(state, 1);
}

static int
teardown(void **state)
{
	struct fx *x = *state;

	spool_close(x->sp);
	store_close(x->st);
	nftw(x->root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	if (x->shm)
		nftw(x->shm, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(x->root);
	free(x->state);
	free(x->inbox);
	free(x->shm);
	free(x);
	return 0;
}

/* dir/name in a rotating static buffer. */
static const char *
pj(const char *dir, const char *name)
{
	static char p[8][1024];
	static int k;

	k = (k + 1) % 8;
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
	return p[k];
}

static const char *
spooled(struct fx *x, const char *sha)
{
	static char p[1024];

	snprintf(p, sizeof(p), "%s/spool/%s", x->state, sha);
	return p;
}

static const char *
quarantined(struct fx *x, const char *sha)
{
	static char p[1024];

	snprintf(p, sizeof(p), "%s/quarantine/%s", x->state, sha);
	return p;
}

static void
sha_of(const char *data, char out[65])
{
	struct sha256_ctx c;
	uint8_t d[SHA256_DIGEST_SIZE];

	sha256_init(&c);
	sha256_update(&c, strlen(data), (const uint8_t *)data);
	sha256_digest(&c, sizeof(d), d);
	for (size_t i = 0; i < sizeof(d); i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* Write a file; age_s > 0 makes it that many seconds old (settled). */
static void
put(const char *path, const char *data, int age_s)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, strlen(data)), (ssize_t)strlen(data));
	close(fd);
	if (age_s > 0) {
		struct timespec ts[2];
		clock_gettime(CLOCK_REALTIME, &ts[0]);
		ts[0].tv_sec -= age_s;
		ts[1] = ts[0];
		assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
	}
}

static void
assert_content(const char *path, const char *data)
{
	char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		fail_msg("%s: %s", path, strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n >= 0);
	buf[n] = '\0';
	assert_string_equal(buf, data);
}

static int
exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static int
count_dir(const char *dir)
{
	char cmd[1100];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	p = popen(cmd, "r");
	if (fscanf(p, "%d", &n) != 1)
		n = -1;
	pclose(p);
	return n;
}

static enum spool_result
claim(struct fx *x, const char *name, long long settle_ms, long long *id,
    char **why)
{
	char *w = NULL;
	enum spool_result r;

	*id = 0;
	r = spool_claim(x->sp, &x->in, name, settle_ms, id, &w);
	if (why)
		*why = w;
	else
		free(w);
	return r;
}

static void
get(struct fx *x, long long id, struct store_file *f)
{
	assert_int_equal(store_file_get(x->st, id, f), 0);
}

static void
test_claim_regular(void **state)
{
	struct fx *x = *state;
	const char *data = "II*\0 a three-page G4 fax";
	char sha[65], *why;
	struct store_file f;
	struct stat st;
	long long id;

	sha_of(data, sha);
	put(pj(x->inbox, "fax000123.tif"), data, 10);
	assert_int_equal(claim(x, "fax000123.tif", 2000, &id, &why),
	    SPOOL_CLAIMED);
	assert_null(why);
	assert_true(id > 0);
	assert_false(exists(pj(x->inbox, "fax000123.tif")));
	assert_content(spooled(x, sha), data);
	assert_int_equal(stat(spooled(x, sha), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);	/* patient data */
	get(x, id, &f);
	assert_int_equal(f.state, FILE_PROCESSING);
	assert_string_equal(f.sha256, sha);
	assert_string_equal(f.name, "fax000123.tif");
	assert_string_equal(f.inbox, "fax");
	assert_string_equal(f.src_path, pj(x->inbox, "fax000123.tif"));
	assert_int_equal(f.duplicate_of, 0);
	assert_true(f.received > 1700000000);
	store_file_clear(&f);

	/* The worker's side. */
	{
		int fd = spool_open_file(x->sp, sha);
		assert_true(fd >= 0);
		assert_int_equal(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY);
		close(fd);
		assert_int_equal(spool_open_file(x->sp, "0000"), -ENOENT);
	}
	/* Gone in the meantime: ignored, nothing recorded. */
	assert_int_equal(claim(x, "fax000123.tif", 0, &id, NULL), SPOOL_IGNORED);
	assert_int_equal(claim(x, "never-there", 0, &id, NULL), SPOOL_IGNORED);
}

static void
test_duplicate(void **state)
{
	struct fx *x = *state;
	const char *data = "%PDF-1.4 the same application sent twice";
	char sha[65];
	struct store_file f;
	long long first, second, third;

	sha_of(data, sha);
	put(pj(x->inbox, "a.pdf"), data, 10);
	put(pj(x->inbox, "b.pdf"), data, 10);
	put(pj(x->inbox, "c.pdf"), data, 10);
	assert_int_equal(claim(x, "a.pdf", 0, &first, NULL), SPOOL_CLAIMED);
	assert_int_equal(claim(x, "b.pdf", 0, &second, NULL), SPOOL_DUPLICATE);
	assert_int_equal(claim(x, "c.pdf", 0, &third, NULL), SPOOL_DUPLICATE);
	assert_true(second > first && third > second);
	assert_false(exists(pj(x->inbox, "b.pdf")));
	assert_false(exists(pj(x->inbox, "c.pdf")));
	assert_int_equal(count_dir(pj(x->state, "spool")), 1);
	assert_content(spooled(x, sha), data);
	get(x, second, &f);
	assert_int_equal(f.state, FILE_DUPLICATE);
	assert_int_equal(f.duplicate_of, first);
	assert_string_equal(f.sha256, sha);
	assert_string_equal(f.name, "b.pdf");
	store_file_clear(&f);
	get(x, third, &f);
	assert_int_equal(f.duplicate_of, first);	/* the one with bytes */
	store_file_clear(&f);

	/* Also when the first was quarantined: its bytes are kept there. */
	assert_int_equal(spool_quarantine(x->sp, first, sha, "corrupt",
	    "TIFF directory is damaged"), 0);
	assert_false(exists(spooled(x, sha)));
	assert_content(quarantined(x, sha), data);
	get(x, first, &f);
	assert_int_equal(f.state, FILE_QUARANTINED);
	assert_string_equal(f.reason_code, "corrupt");
	store_file_clear(&f);
	put(pj(x->inbox, "d.pdf"), data, 10);
	assert_int_equal(claim(x, "d.pdf", 0, &third, NULL), SPOOL_DUPLICATE);
	assert_false(exists(pj(x->inbox, "d.pdf")));
}

/* Let a claim that blocks (a FIFO opened for reading) fail the test. */
static void
on_alarm(int sig)
{
	(void)sig;
	static const char m[] = "spool_claim blocked\n";
	(void)!write(2, m, sizeof(m) - 1);
	_exit(3);
}

static void
test_not_regular(void **state)
{
	struct fx *x = *state;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	static const char *const names[] = { "link.tif", "fifo.tif", "dir",
	    "sock", "dangling" };
	int s;

	assert_int_equal(symlink("/etc/passwd", pj(x->inbox, "link.tif")), 0);
	assert_int_equal(mkfifo(pj(x->inbox, "fifo.tif"), 0600), 0);
	assert_int_equal(mkdir(pj(x->inbox, "dir"), 0700), 0);
	assert_int_equal(symlink("/nonexistent", pj(x->inbox, "dangling")), 0);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", pj(x->inbox, "sock"));
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(s);

	signal(SIGALRM, on_alarm);
	alarm(10);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct store_file f;
		long long id;

		/* Recorded once, with the reason; no settle time asked. */
		assert_int_equal(claim(x, names[i], 0, &id, NULL), SPOOL_REJECTED);
		get(x, id, &f);
		assert_int_equal(f.state, FILE_REJECTED);
		assert_string_equal(f.sha256, "");
		assert_string_equal(f.reason_code, "not_regular_file");
		assert_non_null(f.reason);
		assert_string_equal(f.name, names[i]);
		store_file_clear(&f);
		/* Then left alone. */
		assert_int_equal(claim(x, names[i], 0, &id, NULL), SPOOL_IGNORED);
		assert_int_equal(claim(x, names[i], 100000, &id, NULL),
		    SPOOL_IGNORED);
		assert_true(exists(pj(x->inbox, names[i])));
	}
	alarm(0);
	signal(SIGALRM, SIG_DFL);
	assert_int_equal(count_dir(pj(x->state, "spool")), 0);
	/* The link's target was not touched. */
	assert_true(exists("/etc/passwd"));
	{
		struct store_file *fs;
		size_t n;
		assert_int_equal(store_file_list(x->st, &fs, &n), 0);
		assert_int_equal(n, 5);
		store_files_free(fs, n);
	}
}

static void
test_settle_and_lock(void **state)
{
	struct fx *x = *state;
	char *why = NULL;
	long long id;
	int fd;

	/* Changed just now: busy, untouched, nothing recorded. */
	put(pj(x->inbox, "fresh.tif"), "fresh bytes", 0);
	assert_int_equal(claim(x, "fresh.tif", 5000, &id, &why), SPOOL_BUSY);
	assert_null(why);
	assert_true(exists(pj(x->inbox, "fresh.tif")));
	assert_int_equal(count_dir(pj(x->state, "spool")), 0);
	/* Settle 0 (--once): taken. */
	assert_int_equal(claim(x, "fresh.tif", 0, &id, NULL), SPOOL_CLAIMED);

	/* faxgetty holds an exclusive lock while the fax arrives. */
	put(pj(x->inbox, "fax1.tif"), "arriving", 10);
	fd = open(pj(x->inbox, "fax1.tif"), O_RDWR);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	assert_int_equal(claim(x, "fax1.tif", 2000, &id, NULL), SPOOL_BUSY);
	assert_true(exists(pj(x->inbox, "fax1.tif")));
	{
		struct store_file *fs;
		size_t n;
		assert_int_equal(store_file_list(x->st, &fs, &n), 0);
		assert_int_equal(n, 1);		/* only fresh.tif */
		store_files_free(fs, n);
	}
	/* A shared lock (a reader) does not hold it back. */
	assert_int_equal(flock(fd, LOCK_SH), 0);
	assert_int_equal(claim(x, "fax1.tif", 2000, &id, NULL), SPOOL_CLAIMED);
	close(fd);
}

static void
test_unreadable(void **state)
{
	struct fx *x = *state;
	char *why = NULL;
	long long id;

	put(pj(x->inbox, "secret.tif"), "0600 to uucp", 10);
	assert_int_equal(chmod(pj(x->inbox, "secret.tif"), 0), 0);
	if (geteuid() == 0) {
		/* root reads anything: what can be tested is that a mode-000
		 * file is taken whole and spooled 0640. */
		struct stat st;
		char sha[65];
		assert_int_equal(claim(x, "secret.tif", 0, &id, NULL),
		    SPOOL_CLAIMED);
		sha_of("0600 to uucp", sha);
		assert_int_equal(stat(spooled(x, sha), &st), 0);
		assert_int_equal(st.st_mode & 07777, 0640);
		return;
	}
	assert_int_equal(claim(x, "secret.tif", 0, &id, &why), SPOOL_UNREADABLE);
	assert_non_null(why);
	assert_non_null(strstr(why, "secret.tif"));
	free(why);
	/* Reported and retried, never dropped. */
	assert_true(exists(pj(x->inbox, "secret.tif")));
	assert_int_equal(claim(x, "secret.tif", 0, &id, NULL), SPOOL_UNREADABLE);
	assert_int_equal(chmod(pj(x->inbox, "secret.tif"), 0640), 0);
	assert_int_equal(claim(x, "secret.tif", 0, &id, NULL), SPOOL_CLAIMED);
}

/* A record as claim step (2) leaves it. */
static long long
add_claiming(struct fx *x, const char *name, const char *sha,
    long long dup)
{
	struct store_file f;
	long long id;

	memset(&f, 0, sizeof(f));
	snprintf(f.sha256, sizeof(f.sha256), "%s", sha);
	f.name = (char *)name;
	f.inbox = (char *)"fax";
	f.src_path = (char *)pj(x->inbox, name);
	f.received = time(NULL);
	f.state = FILE_CLAIMING;
	f.duplicate_of = dup;
	assert_int_equal(store_file_add(x->st, &f, &id), 0);
	return id;
}

static void
expect_state(struct fx *x, long long id, enum file_state s, const char *code)
{
	struct store_file f;

	get(x, id, &f);
	assert_int_equal(f.state, s);
	if (code)
		assert_string_equal(f.reason_code, code);
	store_file_clear(&f);
}

static void
test_reconcile(void **state)
{
	struct fx *x = *state;
	char sa[65], sb[65], sc[65], sd[65], se[65], sf[65], stale[128];
	long long a, b, c0, c, d, e, f;
	struct stat st;
	int failed;

	sha_of("AAAA", sa);
	sha_of("BBBB", sb);
	sha_of("CCCC", sc);
	sha_of("DDDD", sd);
	sha_of("EEEE", se);
	sha_of("FFFF", sf);

	/* (a) recorded, not moved: the file is still in the inbox. */
	put(pj(x->inbox, "a.tif"), "AAAA", 10);
	a = add_claiming(x, "a.tif", sa, 0);
	/* (b) copied across file systems, the inbox copy not yet unlinked. */
	put(pj(x->inbox, "b.tif"), "BBBB", 10);
	put(spooled(x, sb), "BBBB", 10);
	b = add_claiming(x, "b.tif", sb, 0);
	/* (c) a duplicate recorded, its inbox copy not yet removed. */
	put(spooled(x, sc), "CCCC", 10);
	c0 = add_claiming(x, "c0.tif", sc, 0);
	assert_int_equal(store_file_set_state(x->st, c0, FILE_PROCESSING,
	    NULL, NULL), 0);
	put(pj(x->inbox, "c.tif"), "CCCC", 10);
	c = add_claiming(x, "c.tif", sc, c0);
	/* (d) recorded, then someone took the file away. */
	d = add_claiming(x, "d.tif", sd, 0);
	/* (e) quarantined in the database, still in the spool. */
	put(spooled(x, se), "EEEE", 10);
	e = add_claiming(x, "e.tif", se, 0);
	assert_int_equal(store_file_set_state(x->st, e, FILE_QUARANTINED,
	    "corrupt", "bad"), 0);
	/* (f) recorded; the file was taken away and another fax came under
	 * the same name: the new one is not this record's, it stays. */
	put(pj(x->inbox, "f.tif"), "a different fax", 10);
	f = add_claiming(x, "f.tif", sf, 0);
	/* (g) a copy across file systems the crash cut short. */
	snprintf(stale, sizeof(stale), "spool/.%s.tmp", sa);
	put(pj(x->state, stale), "AA", 10);

	/* Five claims finished and one quarantine move. */
	assert_int_equal(spool_reconcile(x->sp, &failed), 6);
	assert_int_equal(failed, 0);

	expect_state(x, a, FILE_PROCESSING, NULL);
	assert_false(exists(pj(x->state, stale)));
	assert_false(exists(pj(x->inbox, "a.tif")));
	assert_content(spooled(x, sa), "AAAA");
	assert_int_equal(stat(spooled(x, sa), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);	/* as a claim does */

	expect_state(x, b, FILE_PROCESSING, NULL);
	assert_false(exists(pj(x->inbox, "b.tif")));
	assert_content(spooled(x, sb), "BBBB");

	expect_state(x, c, FILE_DUPLICATE, NULL);
	expect_state(x, c0, FILE_PROCESSING, NULL);
	assert_false(exists(pj(x->inbox, "c.tif")));
	assert_content(spooled(x, sc), "CCCC");

	expect_state(x, d, FILE_QUARANTINED, "vanished");

	expect_state(x, e, FILE_QUARANTINED, "corrupt");
	assert_false(exists(spooled(x, se)));
	assert_content(quarantined(x, se), "EEEE");

	expect_state(x, f, FILE_QUARANTINED, "vanished");
	assert_content(pj(x->inbox, "f.tif"), "a different fax");

	/* Nothing left to do the second time; nothing changes. */
	assert_int_equal(spool_reconcile(x->sp, &failed), 0);
	assert_int_equal(failed, 0);
	assert_int_equal(count_dir(pj(x->state, "spool")), 3);
	assert_int_equal(count_dir(pj(x->state, "quarantine")), 1);
	assert_int_equal(count_dir(x->inbox), 1);

	/* The new fax under f.tif is claimed as itself. */
	{
		long long id;
		assert_int_equal(claim(x, "f.tif", 0, &id, NULL), SPOOL_CLAIMED);
	}
	/* The bytes of (d) arrive again: read, not thrown away as a copy
	 * of a record that holds nothing. */
	{
		long long id;
		put(pj(x->inbox, "d-again.tif"), "DDDD", 10);
		assert_int_equal(claim(x, "d-again.tif", 0, &id, NULL),
		    SPOOL_CLAIMED);
		assert_content(spooled(x, sd), "DDDD");
	}
}

/* An inbox on another file system: copy, fsync, rename, unlink. */
static void
test_exdev(void **state)
{
	struct fx *x = *state;
	struct stat a, b;
	struct store_file f;
	char data[200000], sha[65], sha2[65];
	long long id, id2;
	int failed;

	assert_int_equal(stat(x->inbox, &a), 0);
	assert_int_equal(stat(x->state, &b), 0);
	if (a.st_dev == b.st_dev)
		skip();		/* /dev/shm is not another file system here */
	for (size_t i = 0; i < sizeof(data) - 1; i++)
		data[i] = (char)('A' + (i * 7) % 26);
	data[sizeof(data) - 1] = '\0';
	sha_of(data, sha);
	put(pj(x->inbox, "scan0001.pdf"), data, 10);
	assert_int_equal(claim(x, "scan0001.pdf", 0, &id, NULL), SPOOL_CLAIMED);
	assert_false(exists(pj(x->inbox, "scan0001.pdf")));
	{
		char *got = malloc(sizeof(data));
		int fd = open(spooled(x, sha), O_RDONLY);
		assert_true(fd >= 0);
		assert_int_equal(read(fd, got, sizeof(data)),
		    (ssize_t)sizeof(data) - 1);
		assert_memory_equal(got, data, sizeof(data) - 1);
		close(fd);
		free(got);
	}
	assert_int_equal(stat(spooled(x, sha), &a), 0);
	assert_int_equal(a.st_mode & 0077, 0040 & a.st_mode);	/* no others */
	assert_int_equal(a.st_mode & 0007, 0);
	assert_int_equal(count_dir(pj(x->state, "spool")), 1);	/* no .tmp */
	get(x, id, &f);
	assert_int_equal(f.state, FILE_PROCESSING);
	store_file_clear(&f);

	/* A crash right after the record, across file systems. */
	sha_of("cross", sha2);
	put(pj(x->inbox, "scan0002.pdf"), "cross", 10);
	id2 = add_claiming(x, "scan0002.pdf", sha2, 0);
	assert_int_equal(spool_reconcile(x->sp, &failed), 1);
	assert_int_equal(failed, 0);
	expect_state(x, id2, FILE_PROCESSING, NULL);
	assert_false(exists(pj(x->inbox, "scan0002.pdf")));
	assert_content(spooled(x, sha2), "cross");
	assert_int_equal(count_dir(pj(x->state, "spool")), 2);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_claim_regular),
		T(test_duplicate),
		T(test_not_regular),
		T(test_settle_and_lock),
		T(test_unreadable),
		T(test_reconcile),
		cmocka_unit_test_setup_teardown(test_exdev, setup_shm, teardown),
	};

	umask(0022);	/* a sender's ordinary umask; the daemon uses 0007 */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
