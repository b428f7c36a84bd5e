/*
 * test_store.c — the database: created and migrated by user_version, WAL
 * with synchronous=FULL on the store's own connection, a newer schema
 * refused, files/pages/cases/events round trips, and every string stored
 * verbatim through bound parameters.
 *
 * Test code may look at the database directly: sqlite3_open_v2 is
 * wrapped here (the program's definition wins over the shared library's)
 * to get hold of the store's own connection, and a second connection
 * checks what is on disk.
 */
#include <dlfcn.h>
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
#include <sqlite3.h>

#include "faxintake/store.h"

static sqlite3 *store_db;	/* the connection store_open() made last */

int
sqlite3_open_v2(const char *file, sqlite3 **db, int flags, const char *vfs)
{
	static int (*real)(const char *, sqlite3 **, int, const char *);
	int rc;

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "sqlite3_open_v2");
	rc = real(file, db, flags, vfs);
	store_db = *db;
	return rc;
}

struct fx {
	char		*dir;
	char		*db;
	struct store	*st;
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

	x->dir = strdup("/tmp/fi-store-XXXXXX");
	if (mkdtemp(x->dir) == NULL)
		return -1;
	if (asprintf(&x->db, "%s/faxintake.db", x->dir) < 0)
		return -1;
	if (store_open(x->db, STORE_CREATE, &x->st, &err) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *x = *state;

	store_close(x->st);
	nftw(x->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(x->db);
	free(x->dir);
	free(x);
	return 0;
}

/* One integer from SQL on a connection. */
static long long
sql_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	long long v = -999;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static char *
sql_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	char *v = NULL;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		v = strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return v;
}

static void
sql_exec(sqlite3 *db, const char *sql)
{
	char *e = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &e) != SQLITE_OK)
		fail_msg("%s: %s", sql, e);
}

static void
test_open_pragmas(void **state)
{
	struct fx *x = *state;
	struct store *st;
	sqlite3 *db;
	char *mode, *err = NULL;

	/* The connection the setup opened. */
	store_close(x->st);
	x->st = NULL;
	store_db = NULL;
	assert_int_equal(store_open(x->db, 0, &x->st, &err), 0);
	assert_non_null(store_db);
	assert_int_equal(sql_int(store_db, "PRAGMA synchronous"), 2);	/* FULL */
	assert_int_equal(sql_int(store_db, "PRAGMA foreign_keys"), 1);
	mode = sql_text(store_db, "PRAGMA journal_mode");
	assert_string_equal(mode, "wal");
	free(mode);
	assert_true(store_schema_version(x->st) >= 1);

	/* What is on disk, seen by another connection. */
	assert_int_equal(sqlite3_open(x->db, &db), SQLITE_OK);
	mode = sql_text(db, "PRAGMA journal_mode");
	assert_string_equal(mode, "wal");
	free(mode);
	assert_int_equal(sql_int(db, "PRAGMA user_version"),
	    store_schema_version(x->st));
	static const char *const tables[] = { "files", "pages", "documents",
	    "cases", "fields", "letters", "events" };
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char q[128];
		snprintf(q, sizeof(q), "SELECT count(*) FROM sqlite_master WHERE"
		    " type = 'table' AND name = '%s'", tables[i]);
		assert_int_equal(sql_int(db, q), 1);
	}
	sqlite3_close(db);

	/* Read-only: the same schema is fine, writing is not. */
	assert_int_equal(store_open(x->db, STORE_READONLY, &st, &err), 0);
	{
		struct store_file f = { .name = "a", .inbox = "b",
		    .state = FILE_CLAIMING };
		assert_int_equal(store_file_add(st, &f, NULL), -EACCES);
	}
	store_close(st);
	store_close(NULL);
}

static void
test_open_errors(void **state)
{
	struct fx *x = *state;
	struct store *st = (struct store *)&st;
	sqlite3 *db;
	char *path, *err = NULL;

	/* Missing, not created. */
	assert_true(asprintf(&path, "%s/none.db", x->dir) > 0);
	assert_int_equal(store_open(path, 0, &st, &err), -ENOENT);
	assert_ptr_equal(st, (struct store *)&st);
	assert_non_null(strstr(err, path));
	free(err);
	assert_int_equal(access(path, F_OK), -1);
	free(path);

	/* Not a database. */
	assert_true(asprintf(&path, "%s/text.db", x->dir) > 0);
	{
		FILE *fp = fopen(path, "w");
		fputs("this is not an SQLite database, it is a fax cover sheet\n"
		    "with quite a lot of text on it so that it is long enough\n",
		    fp);
		fclose(fp);
	}
	err = NULL;
	assert_true(store_open(path, STORE_CREATE, &st, &err) < 0);
	assert_non_null(strstr(err, path));
	free(err);
	free(path);

	/* Written by a newer faxintake: refused, said so, left alone. */
	assert_true(asprintf(&path, "%s/newer.db", x->dir) > 0);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sql_exec(db, "CREATE TABLE future (x); PRAGMA user_version = 99");
	sqlite3_close(db);
	err = NULL;
	assert_int_equal(store_open(path, STORE_CREATE, &st, &err), -EPROTO);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "schema version 99"));
	free(err);
	err = NULL;
	assert_int_equal(store_open(path, STORE_READONLY, &st, &err), -EPROTO);
	free(err);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sql_int(db, "PRAGMA user_version"), 99);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM sqlite_master WHERE"
	    " name = 'files'"), 0);
	sqlite3_close(db);
	assert_ptr_equal(st, (struct store *)&st);
	free(path);

	/* An existing empty database (version 0) is migrated. */
	assert_true(asprintf(&path, "%s/old.db", x->dir) > 0);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sql_exec(db, "PRAGMA user_version = 0");
	sqlite3_close(db);
	assert_int_equal(store_open(path, 0, &st, &err), 0);
	assert_true(store_schema_version(st) >= 1);
	store_close(st);
	free(path);
}

static struct store_file
file_of(const char *sha, const char *name, enum file_state state)
{
	struct store_file f;

	memset(&f, 0, sizeof(f));
	snprintf(f.sha256, sizeof(f.sha256), "%s", sha);
	f.name = (char *)name;
	f.inbox = (char *)"fax";
	f.src_path = (char *)"/var/spool/hylafax/recvq/x";
	f.received = 1795150980;
	f.state = state;
	return f;
}

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static void
test_file_roundtrip(void **state)
{
	struct fx *x = *state;
	struct store_file f = file_of(SHA_A, "fax000123.tif", FILE_CLAIMING), g;
	long long id = 0, id2 = 0;

	f.reason = (char *)"why";
	f.reason_code = (char *)"code";
	f.sender = (char *)"0113829314";
	assert_int_equal(store_file_add(x->st, &f, &id), 0);
	assert_true(id > 0);
	assert_int_equal(store_file_get(x->st, id, &g), 0);
	assert_int_equal(g.id, id);
	assert_string_equal(g.sha256, SHA_A);
	assert_string_equal(g.name, "fax000123.tif");
	assert_string_equal(g.inbox, "fax");
	assert_string_equal(g.src_path, "/var/spool/hylafax/recvq/x");
	assert_int_equal(g.received, 1795150980);
	assert_int_equal(g.state, FILE_CLAIMING);
	assert_string_equal(g.reason, "why");
	assert_string_equal(g.reason_code, "code");
	assert_string_equal(g.sender, "0113829314");
	assert_null(g.mime);
	assert_int_equal(g.duplicate_of, 0);
	assert_int_equal(g.pages, 0);
	assert_int_equal(g.attempts, 0);
	store_file_clear(&g);
	assert_null(g.name);

	/* A duplicate points at the first. */
	f = file_of(SHA_A, "again.tif", FILE_DUPLICATE);
	f.duplicate_of = id;
	assert_int_equal(store_file_add(x->st, &f, &id2), 0);
	assert_true(id2 > id);
	assert_int_equal(store_file_get(x->st, id2, &g), 0);
	assert_int_equal(g.duplicate_of, id);
	assert_int_equal(g.state, FILE_DUPLICATE);
	store_file_clear(&g);

	/* Every state survives the round trip. */
	for (int s = FILE_CLAIMING; s <= FILE_REJECTED; s++) {
		assert_int_equal(store_file_set_state(x->st, id, (enum file_state)s,
		    NULL, NULL), 0);
		assert_int_equal(store_file_get(x->st, id, &g), 0);
		assert_int_equal(g.state, s);
		assert_null(g.reason);
		store_file_clear(&g);
	}
	assert_int_equal(store_file_get(x->st, 424242, &g), -ENOENT);

	/* ret_id may be NULL. */
	f = file_of(SHA_B, "b", FILE_PROCESSING);
	assert_int_equal(store_file_add(x->st, &f, NULL), 0);
}

static void
test_state_names(void **state)
{
	static const struct { enum file_state s; const char *name; } t[] = {
		{ FILE_CLAIMING, "processing" },	/* claiming is internal */
		{ FILE_PROCESSING, "processing" }, { FILE_DONE, "done" },
		{ FILE_QUARANTINED, "quarantined" },
		{ FILE_DUPLICATE, "duplicate" }, { FILE_REJECTED, "rejected" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_string_equal(store_file_state_name(t[i].s), t[i].name);
}

static void
test_find_sha(void **state)
{
	struct fx *x = *state;
	struct store_file f;
	long long dup, rej, first, later, found = -1;

	/* A duplicate and a rejected record carrying the sha do not count. */
	f = file_of(SHA_A, "d", FILE_DUPLICATE);
	assert_int_equal(store_file_add(x->st, &f, &dup), 0);
	f = file_of(SHA_A, "r", FILE_REJECTED);
	assert_int_equal(store_file_add(x->st, &f, &rej), 0);
	assert_int_equal(store_file_find_sha(x->st, SHA_A, &found), -ENOENT);
	assert_int_equal(found, -1);		/* untouched */

	f = file_of(SHA_A, "first", FILE_DONE);
	assert_int_equal(store_file_add(x->st, &f, &first), 0);
	f = file_of(SHA_A, "later", FILE_PROCESSING);
	assert_int_equal(store_file_add(x->st, &f, &later), 0);
	assert_int_equal(store_file_find_sha(x->st, SHA_A, &found), 0);
	assert_int_equal(found, first);
	assert_int_equal(store_file_find_sha(x->st, SHA_B, &found), -ENOENT);
	/* Quarantined bytes are kept too: a resend is a duplicate. */
	assert_int_equal(store_file_set_state(x->st, first, FILE_QUARANTINED,
	    "corrupt", "bad"), 0);
	assert_int_equal(store_file_find_sha(x->st, SHA_A, &found), 0);
	assert_int_equal(found, first);
	/* ...but a record whose file vanished before it reached the spool
	 * holds no bytes: a resend must be read, not deleted as a copy. */
	assert_int_equal(store_file_set_state(x->st, first, FILE_QUARANTINED,
	    "vanished", "removed from the inbox"), 0);
	assert_int_equal(store_file_find_sha(x->st, SHA_A, &found), 0);
	assert_int_equal(found, later);
	assert_int_equal(store_file_find_sha(x->st, "", &found), -ENOENT);
	(void)dup;
	(void)rej;
}

static void
test_rejected_seen(void **state)
{
	struct fx *x = *state;
	struct store_file f;

	assert_int_equal(store_file_rejected_seen(x->st, "fax", "fifo"), 0);
	f = file_of("", "fifo", FILE_REJECTED);
	assert_int_equal(store_file_add(x->st, &f, NULL), 0);
	assert_int_equal(store_file_rejected_seen(x->st, "fax", "fifo"), 1);
	assert_int_equal(store_file_rejected_seen(x->st, "scans", "fifo"), 0);
	assert_int_equal(store_file_rejected_seen(x->st, "fax", "FIFO"), 0);
	f = file_of(SHA_A, "regular", FILE_DONE);
	assert_int_equal(store_file_add(x->st, &f, NULL), 0);
	assert_int_equal(store_file_rejected_seen(x->st, "fax", "regular"), 0);
}

static void
test_set_state_attempts(void **state)
{
	struct fx *x = *state;
	struct store_file f = file_of(SHA_A, "a", FILE_PROCESSING), g;
	long long id;
	int n = -1;

	assert_int_equal(store_file_add(x->st, &f, &id), 0);
	assert_int_equal(store_file_set_state(x->st, id, FILE_QUARANTINED,
	    "worker_crash", "killed by signal 9, 2 times"), 0);
	assert_int_equal(store_file_get(x->st, id, &g), 0);
	assert_int_equal(g.state, FILE_QUARANTINED);
	assert_string_equal(g.reason_code, "worker_crash");
	assert_string_equal(g.reason, "killed by signal 9, 2 times");
	store_file_clear(&g);

	assert_int_equal(store_file_add_attempt(x->st, id, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_file_add_attempt(x->st, id, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_file_get(x->st, id, &g), 0);
	assert_int_equal(g.attempts, 2);
	store_file_clear(&g);

	/* No such file: said so, nothing made up. */
	n = -1;
	assert_int_equal(store_file_add_attempt(x->st, 9999, &n), -ENOENT);
	assert_int_equal(n, -1);
	assert_int_equal(store_file_set_state(x->st, 9999, FILE_DONE, NULL,
	    NULL), -ENOENT);
}

static void
test_file_done_pages(void **state)
{
	struct fx *x = *state;
	struct store_file f = file_of(SHA_A, "a", FILE_PROCESSING), g;
	struct store_page p[3] = {
		{ 1, 1728, 2200, 204, 196, 1 },
		{ 2, 1728, 1100, 204, 98, 1 },
		{ 3, 2480, 3508, 300, 300, 8 },
	};
	long long id, other;
	sqlite3 *db;

	assert_int_equal(store_file_add(x->st, &f, &id), 0);
	f = file_of(SHA_B, "b", FILE_PROCESSING);
	assert_int_equal(store_file_add(x->st, &f, &other), 0);
	assert_int_equal(store_file_done(x->st, other, "image/png", NULL, p, 1), 0);
	assert_int_equal(store_file_set_state(x->st, id, FILE_PROCESSING, "x",
	    "left over"), 0);
	assert_int_equal(store_file_done(x->st, id, "image/tiff", "0113829314",
	    p, 3), 0);
	assert_int_equal(store_file_get(x->st, id, &g), 0);
	assert_int_equal(g.state, FILE_DONE);
	assert_int_equal(g.pages, 3);
	assert_string_equal(g.mime, "image/tiff");
	assert_string_equal(g.sender, "0113829314");
	assert_null(g.reason);
	assert_null(g.reason_code);
	store_file_clear(&g);

	assert_int_equal(sqlite3_open(x->db, &db), SQLITE_OK);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM pages WHERE file_id ="
	    " (SELECT id FROM files WHERE name = 'a')"), 3);
	assert_int_equal(sql_int(db, "SELECT yres FROM pages WHERE pageno = 2 AND"
	    " file_id = (SELECT id FROM files WHERE name = 'a')"), 98);

	/* Redone after a crash: the pages are replaced, not added to; an
	 * empty sender is none. */
	assert_int_equal(store_file_done(x->st, id, "application/pdf", "", p + 2,
	    1), 0);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM pages WHERE file_id ="
	    " (SELECT id FROM files WHERE name = 'a')"), 1);
	assert_int_equal(sql_int(db, "SELECT depth FROM pages WHERE file_id ="
	    " (SELECT id FROM files WHERE name = 'a')"), 8);
	/* The other file's page is untouched. */
	assert_int_equal(sql_int(db, "SELECT count(*) FROM pages WHERE file_id ="
	    " (SELECT id FROM files WHERE name = 'b')"), 1);
	sqlite3_close(db);
	assert_int_equal(store_file_get(x->st, id, &g), 0);
	assert_int_equal(g.pages, 1);
	assert_null(g.sender);
	store_file_clear(&g);

	/* Zero pages (an unreadable file's count). */
	assert_int_equal(store_file_done(x->st, id, "image/tiff", NULL, NULL, 0), 0);
	/* Pages of a file that does not exist: refused, nothing left open. */
	assert_true(store_file_done(x->st, 9999, "x", NULL, p, 1) < 0);
	assert_int_equal(store_begin(x->st), 0);	/* no transaction leaked */
	store_rollback(x->st);
}

static void
test_ids_list_delete(void **state)
{
	struct fx *x = *state;
	static const enum file_state states[] = { FILE_PROCESSING, FILE_DONE,
	    FILE_PROCESSING, FILE_CLAIMING, FILE_PROCESSING };
	long long id[5], *ids;
	struct store_file *fs, f;
	size_t n;

	for (size_t i = 0; i < 5; i++) {
		char name[32];
		snprintf(name, sizeof(name), "f%zu", i);
		f = file_of(i == 4 ? SHA_B : SHA_A, name, states[i]);
		if (i == 4)
			f.duplicate_of = 0;
		assert_int_equal(store_file_add(x->st, &f, &id[i]), 0);
	}
	assert_int_equal(store_file_ids(x->st, FILE_PROCESSING, &ids, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(ids[0], id[0]);
	assert_int_equal(ids[1], id[2]);
	assert_int_equal(ids[2], id[4]);
	free(ids);
	assert_int_equal(store_file_ids(x->st, FILE_QUARANTINED, &ids, &n), 0);
	assert_int_equal(n, 0);
	free(ids);

	assert_int_equal(store_file_list(x->st, &fs, &n), 0);
	assert_int_equal(n, 5);
	for (size_t i = 0; i < n; i++) {
		char name[32];
		snprintf(name, sizeof(name), "f%zu", i);
		assert_int_equal(fs[i].id, id[i]);
		assert_string_equal(fs[i].name, name);
		assert_int_equal(fs[i].state, states[i]);
	}
	store_files_free(fs, n);
	store_files_free(NULL, 0);

	/* Forgetting a claim; not one a duplicate refers to. */
	f = file_of(SHA_B, "dup", FILE_DUPLICATE);
	f.duplicate_of = id[4];
	assert_int_equal(store_file_add(x->st, &f, NULL), 0);
	assert_int_equal(store_file_delete(x->st, id[3]), 0);
	assert_int_equal(store_file_get(x->st, id[3], &f), -ENOENT);
	(void)store_file_delete(x->st, id[4]);
	assert_int_equal(store_file_get(x->st, id[4], &f), 0);
	store_file_clear(&f);
}

static void
test_cases_and_events(void **state)
{
	struct fx *x = *state;
	struct store_file f = file_of(SHA_A, "batch.pdf", FILE_DONE);
	struct store_case *cs, c;
	long long id;
	char **ids, sql[1024];
	size_t n;
	sqlite3 *db;

	assert_int_equal(store_file_add(x->st, &f, &id), 0);
	assert_int_equal(store_file_cases(x->st, id, &ids, &n), 0);
	assert_int_equal(n, 0);
	free(ids);
	assert_int_equal(store_case_list(x->st, NULL, &cs, &n), 0);
	assert_int_equal(n, 0);
	free(cs);

	assert_int_equal(sqlite3_open(x->db, &db), SQLITE_OK);
	snprintf(sql, sizeof(sql),
	    "INSERT INTO cases (id, hospital, received, status, updated) VALUES ('20261120-0007','keio',100,'incomplete',101);"
	    "INSERT INTO cases (id, hospital, received, status, updated) VALUES ('20261120-0003','tohoku',90,'complete',91);"
	    "INSERT INTO cases (id, hospital, received, status, updated) VALUES ('20261121-0001','keio',200,'incomplete',201);"
	    "INSERT INTO documents (case_id, file_id, type, first_page, last_page)"
	    " VALUES ('20261120-0007', %lld, 'application_form', 1, 1),"
	    " ('20261120-0007', %lld, 'referral_letter', 2, 3),"
	    " ('20261120-0003', %lld, 'consent_form', 4, 4),"
	    " (NULL, %lld, 'other', 5, 5);", id, id, id, id);
	sql_exec(db, sql);

	/* A mailroom batch: one file, two cases, each once, in order. */
	assert_int_equal(store_file_cases(x->st, id, &ids, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(ids[0], "20261120-0003");
	assert_string_equal(ids[1], "20261120-0007");
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);

	assert_int_equal(store_case_list(x->st, NULL, &cs, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(cs[0].id, "20261120-0003");
	assert_string_equal(cs[2].id, "20261121-0001");
	store_cases_free(cs, n);
	assert_int_equal(store_case_list(x->st, "incomplete", &cs, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(cs[0].id, "20261120-0007");
	assert_string_equal(cs[0].hospital, "keio");
	assert_int_equal(cs[0].received, 100);
	assert_int_equal(cs[0].updated, 101);
	assert_string_equal(cs[1].id, "20261121-0001");
	store_cases_free(cs, n);
	assert_int_equal(store_case_list(x->st, "accepted", &cs, &n), 0);
	assert_int_equal(n, 0);
	store_cases_free(cs, n);
	assert_int_equal(store_case_get(x->st, "20261120-0003", &c), 0);
	assert_string_equal(c.hospital, "tohoku");
	assert_string_equal(c.status, "complete");
	store_case_clear(&c);
	assert_int_equal(store_case_get(x->st, "20261120-9999", &c), -ENOENT);

	/* The audit log. */
	assert_int_equal(store_event_add(x->st, "yamada", "show",
	    "20261120-0007", 0, NULL), 0);
	assert_int_equal(store_event_add(x->st, "faxintaked", "claimed", NULL,
	    id, "fax"), 0);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM events"), 2);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM events WHERE actor ="
	    " 'yamada' AND action = 'show' AND case_id = '20261120-0007' AND"
	    " file_id IS NULL AND detail IS NULL AND time > 1700000000"), 1);
	assert_int_equal(sql_int(db, "SELECT file_id FROM events WHERE actor ="
	    " 'faxintaked'"), id);
	sqlite3_close(db);
}

/* Strings that would break a query built by pasting are stored as text. */
static void
test_injection_verbatim(void **state)
{
	static const char *const evil[] = {
		"x'); DROP TABLE files; --",
		"' OR '1'='1",
		"\"; DELETE FROM events; --",
		"fax%_\\'\"\n\t;",
		"申込書'--.tif",
	};
	struct fx *x = *state;
	struct store_file f, g;
	long long id, found;
	sqlite3 *db;

	for (size_t i = 0; i < sizeof(evil) / sizeof(evil[0]); i++) {
		f = file_of(SHA_A, evil[i], FILE_REJECTED);
		f.inbox = (char *)evil[i];
		f.src_path = (char *)evil[i];
		f.reason = (char *)evil[i];
		f.reason_code = (char *)evil[i];
		f.sender = (char *)evil[i];
		assert_int_equal(store_file_add(x->st, &f, &id), 0);
		assert_int_equal(store_file_get(x->st, id, &g), 0);
		assert_string_equal(g.name, evil[i]);
		assert_string_equal(g.inbox, evil[i]);
		assert_string_equal(g.src_path, evil[i]);
		assert_string_equal(g.reason, evil[i]);
		assert_string_equal(g.reason_code, evil[i]);
		assert_string_equal(g.sender, evil[i]);
		store_file_clear(&g);
		assert_int_equal(store_file_rejected_seen(x->st, evil[i],
		    evil[i]), 1);
		assert_int_equal(store_file_rejected_seen(x->st, "fax", evil[i]), 0);
		assert_int_equal(store_file_find_sha(x->st, evil[i], &found),
		    -ENOENT);
		assert_int_equal(store_event_add(x->st, evil[i], evil[i], evil[i],
		    id, evil[i]), 0);
		assert_int_equal(store_case_get(x->st, evil[i], &(struct store_case){0}),
		    -ENOENT);
	}
	assert_int_equal(sqlite3_open(x->db, &db), SQLITE_OK);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM files"), 5);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM events"), 5);
	sqlite3_close(db);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_open_pragmas),
		T(test_open_errors),
		T(test_file_roundtrip),
		cmocka_unit_test(test_state_names),
		T(test_find_sha),
		T(test_rejected_seen),
		T(test_set_state_attempts),
		T(test_file_done_pages),
		T(test_ids_list_delete),
		T(test_cases_and_events),
		T(test_injection_verbatim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
