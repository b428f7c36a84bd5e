/*
 * store.c — SQLite.  WAL with synchronous=FULL: a committed claim survives
 * a power cut, which is what "record first, then move" relies on.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sqlite3.h>

#include "faxintake/store.h"
#include "store_int.h"
#include "faxintake/xmalloc.h"

#define BUSY_TIMEOUT_MS	10000


/* Each migration takes the schema from version i to i+1. */
static const char *const migrations[] = {
	/* 1: the first schema. */
	"CREATE TABLE files ("
	"  id INTEGER PRIMARY KEY,"
	"  sha256 TEXT NOT NULL DEFAULT '',"
	"  name TEXT NOT NULL,"
	"  inbox TEXT NOT NULL,"
	"  src_path TEXT,"
	"  received INTEGER NOT NULL,"
	"  state TEXT NOT NULL CHECK (state IN ('claiming','processing','done',"
	"    'quarantined','duplicate','rejected')),"
	"  reason TEXT, reason_code TEXT,"
	"  duplicate_of INTEGER REFERENCES files(id),"
	"  pages INTEGER NOT NULL DEFAULT 0,"
	"  sender TEXT, mime TEXT,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  updated INTEGER NOT NULL);"
	"CREATE INDEX files_sha ON files(sha256);"
	"CREATE INDEX files_state ON files(state);"
	"CREATE TABLE pages ("
	"  id INTEGER PRIMARY KEY,"
	"  file_id INTEGER NOT NULL REFERENCES files(id),"
	"  pageno INTEGER NOT NULL,"
	"  width INTEGER, height INTEGER, xres INTEGER, yres INTEGER,"
	"  depth INTEGER,"
	"  text TEXT, doc_type TEXT, confidence REAL,"
	"  UNIQUE (file_id, pageno));"
	"CREATE TABLE cases ("
	"  id TEXT PRIMARY KEY,"
	"  hospital TEXT NOT NULL,"
	"  received INTEGER NOT NULL,"
	"  status TEXT NOT NULL,"
	"  updated INTEGER NOT NULL);"
	"CREATE TABLE documents ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id TEXT REFERENCES cases(id),"
	"  file_id INTEGER NOT NULL REFERENCES files(id),"
	"  type TEXT NOT NULL,"
	"  first_page INTEGER NOT NULL, last_page INTEGER NOT NULL,"
	"  dedicated_form INTEGER NOT NULL DEFAULT 0,"
	"  language TEXT NOT NULL DEFAULT 'ja',"
	"  confidence REAL);"
	"CREATE TABLE fields ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id TEXT REFERENCES cases(id),"
	"  document_id INTEGER REFERENCES documents(id),"
	"  field TEXT NOT NULL,"
	"  value TEXT, raw TEXT, confidence REAL,"
	"  file_id INTEGER REFERENCES files(id), pageno INTEGER,"
	"  set_by TEXT);"
	"CREATE TABLE letters ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id TEXT NOT NULL REFERENCES cases(id),"
	"  kind TEXT NOT NULL, channel TEXT NOT NULL,"
	"  pdf TEXT, tiff TEXT, to_fax TEXT,"
	"  status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
	"  text TEXT, created INTEGER NOT NULL);"
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  time INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  case_id TEXT, file_id INTEGER, detail TEXT);",
	/* 2: cases that live: arrivals, rule results, resolved flags,
	 * superseded (partial) documents, letters that are sent. */
	"ALTER TABLE cases ADD COLUMN last_arrival INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE cases ADD COLUMN result TEXT;"
	"ALTER TABLE cases ADD COLUMN settled INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE cases ADD COLUMN review TEXT;"
	"ALTER TABLE documents ADD COLUMN app INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE documents ADD COLUMN superseded_by INTEGER"
	"  REFERENCES files(id);"
	"ALTER TABLE pages ADD COLUMN sender_line TEXT;"
	"ALTER TABLE pages ADD COLUMN qr TEXT;"
	"ALTER TABLE letters ADD COLUMN to_name TEXT;"
	"ALTER TABLE letters ADD COLUMN next_attempt INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE letters ADD COLUMN exit_status INTEGER;"
	"ALTER TABLE letters ADD COLUMN basis TEXT;"
	"CREATE TABLE flags_resolved ("
	"  case_id TEXT NOT NULL REFERENCES cases(id),"
	"  flag TEXT NOT NULL, note TEXT, actor TEXT NOT NULL,"
	"  time INTEGER NOT NULL, PRIMARY KEY (case_id, flag));"
	"CREATE TABLE case_seq (day TEXT PRIMARY KEY, n INTEGER NOT NULL);"
	"CREATE INDEX documents_case ON documents(case_id);"
	"CREATE INDEX documents_file ON documents(file_id);"
	"CREATE INDEX fields_case ON fields(case_id);"
	"CREATE INDEX letters_case ON letters(case_id);"
	"CREATE INDEX events_case ON events(case_id);",
	/* 3: a reading as its file gave it, kept when the case's consensus
	 * changes the value, so that moving a document out undoes it */
	"ALTER TABLE fields ADD COLUMN read_value TEXT;"
	"ALTER TABLE fields ADD COLUMN read_confidence REAL;",
};
#define SCHEMA_VERSION	((int)(sizeof(migrations) / sizeof(migrations[0])))

static const char *const state_names[] = {
	[FILE_CLAIMING] = "claiming",
	[FILE_PROCESSING] = "processing",
	[FILE_DONE] = "done",
	[FILE_QUARANTINED] = "quarantined",
	[FILE_DUPLICATE] = "duplicate",
	[FILE_REJECTED] = "rejected",
};

const char *
store_file_state_name(enum file_state s)
{
	/* A file being claimed is, to the outside, being processed. */
	return s == FILE_CLAIMING ? "processing" : state_names[s];
}

static enum file_state
state_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(state_names) / sizeof(state_names[0]); i++)
		if (s && strcmp(s, state_names[i]) == 0)
			return (enum file_state)i;
	return FILE_PROCESSING;
}

int
store_rc_map(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return 0;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return -EACCES;
	case SQLITE_CANTOPEN:
		return -ENOENT;
	default:
		return -EIO;
	}
}

const char *
store_errmsg(struct store *st)
{
	return sqlite3_errmsg(st->db);
}

int
store_exec(struct store *st, const char *sql)
{
	return store_rc_map(sqlite3_exec(st->db, sql, NULL, NULL, NULL));
}

sqlite3_stmt *
store_prep(struct store *st, const char *sql)
{
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return NULL;
	return s;
}

void
store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

char *
store_col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t ? xstrdup((const char *)t) : NULL;
}

/* Run a statement that returns no rows; finalises it. */
int
store_step_done(sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_rc_map(rc == SQLITE_ROW ? SQLITE_MISUSE : rc);
}

int
store_rows(sqlite3_stmt *s, size_t size, void (*fn)(sqlite3_stmt *, void *),
    void (*clear)(void *), void **ret, size_t *ret_n)
{
	unsigned char *elems = NULL;
	size_t n = 0;
	int rc;

	if (s == NULL)
		return -EIO;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		elems = xreallocarray(elems, n + 1, size);
		memset(elems + n * size, 0, size);
		fn(s, elems + n * size);
		n++;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		for (size_t i = 0; clear && i < n; i++)
			clear(elems + i * size);
		free(elems);
		return store_rc_map(rc);
	}
	*ret = elems;
	*ret_n = n;
	return 0;
}

int
store_schema_version(struct store *st)
{
	sqlite3_stmt *s = store_prep(st, "PRAGMA user_version");
	int v = -1;

	if (s && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

static int
store_migrate(struct store *st)
{
	int v = store_schema_version(st), rc = 0;
	char pragma[64];

	if (v < 0)
		return -EIO;
	if (v > SCHEMA_VERSION)
		return -EPROTO;		/* written by a newer faxintake */
	for (; v < SCHEMA_VERSION && rc == 0; v++) {
		if ((rc = store_exec(st, "BEGIN IMMEDIATE")) != 0)
			break;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
		if ((rc = store_exec(st, migrations[v])) == 0)
			rc = store_exec(st, pragma);
		if (rc == 0)
			rc = store_exec(st, "COMMIT");
		else
			store_exec(st, "ROLLBACK");
	}
	return rc;
}

int
store_open(const char *path, int flags, struct store **ret, char **err)
{
	struct store *st = xcalloc(1, sizeof(*st));
	int oflags, rc;

	oflags = (flags & STORE_READONLY) ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE | ((flags & STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);
	st->path = xstrdup(path);
	rc = sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		xasprintf(err, "%s: %s", path, st->db ? sqlite3_errmsg(st->db) :
		    sqlite3_errstr(rc));
		rc = store_rc_map(rc);
		store_close(st);
		return rc;
	}
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(st->db, 1);
	if (!(flags & STORE_READONLY)) {
		if ((rc = store_exec(st, "PRAGMA journal_mode=WAL")) == 0 &&
		    (rc = store_exec(st, "PRAGMA synchronous=FULL")) == 0 &&
		    (rc = store_exec(st, "PRAGMA foreign_keys=ON")) == 0)
			rc = store_migrate(st);
	} else
		rc = store_schema_version(st) == SCHEMA_VERSION ? 0 : -EPROTO;
	if (rc != 0) {
		if (rc == -EPROTO)
			xasprintf(err, "%s: schema version %d, this faxintake "
			    "knows %d", path, store_schema_version(st),
			    SCHEMA_VERSION);
		else
			xasprintf(err, "%s: %s", path, sqlite3_errmsg(st->db));
		store_close(st);
		return rc;
	}
	*ret = st;
	return 0;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

int
store_begin(struct store *st)
{
	char sql[32];
	int rc;

	/* Inside a transaction, a savepoint: what a caller groups (a whole
	 * arrival) commits or rolls back as one, whatever its parts do. */
	if (st->depth == 0)
		rc = store_exec(st, "BEGIN IMMEDIATE");
	else {
		snprintf(sql, sizeof(sql), "SAVEPOINT s%d", st->depth);
		rc = store_exec(st, sql);
	}
	if (rc == 0)
		st->depth++;
	return rc;
}

int
store_commit(struct store *st)
{
	char sql[32];
	int rc;

	if (st->depth <= 1)
		rc = store_exec(st, "COMMIT");
	else {
		snprintf(sql, sizeof(sql), "RELEASE s%d", st->depth - 1);
		rc = store_exec(st, sql);
	}
	if (rc == 0 && st->depth > 0)
		st->depth--;
	return rc;
}

void
store_rollback(struct store *st)
{
	char sql[64];

	if (st->depth <= 1)
		(void)store_exec(st, "ROLLBACK");
	else {
		snprintf(sql, sizeof(sql), "ROLLBACK TO s%d; RELEASE s%d",
		    st->depth - 1, st->depth - 1);
		(void)store_exec(st, sql);
	}
	if (st->depth > 0)
		st->depth--;
}

int
store_file_add(struct store *st, const struct store_file *f, long long *ret_id)
{
	sqlite3_stmt *s = store_prep(st,
	    "INSERT INTO files (sha256, name, inbox, src_path, received, state,"
	    " reason, reason_code, duplicate_of, sender, updated)"
	    " VALUES (?,?,?,?,?,?,?,?,?,?,?)");
	int rc;

	if (s == NULL)
		return -EIO;
	store_bind_text(s, 1, f->sha256);
	store_bind_text(s, 2, f->name);
	store_bind_text(s, 3, f->inbox);
	store_bind_text(s, 4, f->src_path);
	sqlite3_bind_int64(s, 5, f->received);
	store_bind_text(s, 6, state_names[f->state]);
	store_bind_text(s, 7, f->reason);
	store_bind_text(s, 8, f->reason_code);
	if (f->duplicate_of)
		sqlite3_bind_int64(s, 9, f->duplicate_of);
	else
		sqlite3_bind_null(s, 9);
	store_bind_text(s, 10, f->sender);
	sqlite3_bind_int64(s, 11, (long long)time(NULL));
	if ((rc = store_step_done(s)) == 0 && ret_id)
		*ret_id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

#define FILE_COLS "id, sha256, name, inbox, src_path, received, state, reason," \
	" reason_code, duplicate_of, pages, sender, mime, attempts"

static void
file_from_row(sqlite3_stmt *s, struct store_file *f)
{
	const unsigned char *sha = sqlite3_column_text(s, 1);
	char *state;

	memset(f, 0, sizeof(*f));
	f->id = sqlite3_column_int64(s, 0);
	snprintf(f->sha256, sizeof(f->sha256), "%s", sha ? (const char *)sha : "");
	f->name = store_col_text(s, 2);
	f->inbox = store_col_text(s, 3);
	f->src_path = store_col_text(s, 4);
	f->received = sqlite3_column_int64(s, 5);
	state = store_col_text(s, 6);
	f->state = state_parse(state);
	free(state);
	f->reason = store_col_text(s, 7);
	f->reason_code = store_col_text(s, 8);
	f->duplicate_of = sqlite3_column_int64(s, 9);
	f->pages = sqlite3_column_int(s, 10);
	f->sender = store_col_text(s, 11);
	f->mime = store_col_text(s, 12);
	f->attempts = sqlite3_column_int(s, 13);
}

void
store_file_clear(struct store_file *f)
{
	free(f->name);
	free(f->inbox);
	free(f->src_path);
	free(f->reason);
	free(f->reason_code);
	free(f->sender);
	free(f->mime);
	memset(f, 0, sizeof(*f));
}

void
store_files_free(struct store_file *fs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_file_clear(&fs[i]);
	free(fs);
}

int
store_file_get(struct store *st, long long id, struct store_file *f)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " FILE_COLS " FROM files WHERE id = ?");
	int rc;

	if (s == NULL)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		file_from_row(s, f);
		rc = 0;
	} else
		rc = rc == SQLITE_DONE ? -ENOENT : store_rc_map(rc);
	sqlite3_finalize(s);
	return rc;
}

/* One integer from a one-row query with text parameters; -ENOENT if none. */
static int
query_id(struct store *st, const char *sql, const char *a, const char *b,
    long long *ret)
{
	sqlite3_stmt *s = store_prep(st, sql);
	int rc;

	if (s == NULL)
		return -EIO;
	store_bind_text(s, 1, a);
	if (b)
		store_bind_text(s, 2, b);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		if (ret)
			*ret = sqlite3_column_int64(s, 0);
		rc = 0;
	} else
		rc = rc == SQLITE_DONE ? -ENOENT : store_rc_map(rc);
	sqlite3_finalize(s);
	return rc;
}

int
store_file_find_sha(struct store *st, const char *sha256, long long *ret_id)
{
	/* A claim whose file vanished from the inbox before the move holds
	 * no bytes (spool_reconcile() quarantines it as "vanished"). */
	return query_id(st, "SELECT id FROM files WHERE sha256 = ? AND state"
	    " NOT IN ('duplicate','rejected') AND NOT (state = 'quarantined'"
	    " AND reason_code IS 'vanished') ORDER BY id LIMIT 1",
	    sha256, NULL, ret_id);
}

int
store_file_rejected_seen(struct store *st, const char *inbox, const char *name)
{
	int rc = query_id(st, "SELECT id FROM files WHERE inbox = ? AND name = ?"
	    " AND state = 'rejected' LIMIT 1", inbox, name, NULL);

	return rc == 0 ? 1 : rc == -ENOENT ? 0 : rc;
}

int
store_file_set_state(struct store *st, long long id, enum file_state state,
    const char *reason_code, const char *reason)
{
	sqlite3_stmt *s = store_prep(st, "UPDATE files SET state = ?, reason_code = ?,"
	    " reason = ?, updated = ? WHERE id = ?");
	int rc;

	if (s == NULL)
		return -EIO;
	store_bind_text(s, 1, state_names[state]);
	store_bind_text(s, 2, reason_code);
	store_bind_text(s, 3, reason);
	sqlite3_bind_int64(s, 4, (long long)time(NULL));
	sqlite3_bind_int64(s, 5, id);
	if ((rc = store_step_done(s)) == 0 && sqlite3_changes(st->db) == 0)
		rc = -ENOENT;
	return rc;
}

int
store_file_delete(struct store *st, long long id)
{
	sqlite3_stmt *s = store_prep(st, "DELETE FROM files WHERE id = ? AND"
	    " NOT EXISTS (SELECT 1 FROM files d WHERE d.duplicate_of = files.id)");

	if (s == NULL)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	return store_step_done(s);
}

int
store_file_add_attempt(struct store *st, long long id, int *ret_attempts)
{
	sqlite3_stmt *s = store_prep(st, "UPDATE files SET attempts = attempts + 1"
	    " WHERE id = ? RETURNING attempts");
	int rc;

	if (s == NULL)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		rc = -ENOENT;		/* no such file */
	else if (rc == SQLITE_ROW) {
		*ret_attempts = sqlite3_column_int(s, 0);
		rc = sqlite3_step(s);
		rc = rc == SQLITE_DONE ? 0 : store_rc_map(rc);
	} else
		rc = store_rc_map(rc);
	sqlite3_finalize(s);
	return rc;
}

int
store_file_done(struct store *st, long long id, const char *mime,
    const char *sender, const struct store_page *pages, int npages)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = store_begin(st)) != 0)
		return rc;
	/* A redone file (after a crash mid-result) replaces its pages. */
	s = store_prep(st, "DELETE FROM pages WHERE file_id = ?");
	if (s == NULL) {
		rc = -EIO;
		goto fail;
	}
	sqlite3_bind_int64(s, 1, id);
	if ((rc = store_step_done(s)) != 0)
		goto fail;
	for (int i = 0; i < npages; i++) {
		s = store_prep(st, "INSERT INTO pages (file_id, pageno, width, height,"
		    " xres, yres, depth) VALUES (?,?,?,?,?,?,?)");
		if (s == NULL) {
			rc = -EIO;
			goto fail;
		}
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int(s, 2, pages[i].pageno);
		sqlite3_bind_int(s, 3, pages[i].width);
		sqlite3_bind_int(s, 4, pages[i].height);
		sqlite3_bind_int(s, 5, pages[i].xres);
		sqlite3_bind_int(s, 6, pages[i].yres);
		sqlite3_bind_int(s, 7, pages[i].depth);
		if ((rc = store_step_done(s)) != 0)
			goto fail;
	}
	s = store_prep(st, "UPDATE files SET state = 'done', reason = NULL,"
	    " reason_code = NULL, pages = ?, mime = ?, sender = ?, updated = ?"
	    " WHERE id = ?");
	if (s == NULL) {
		rc = -EIO;
		goto fail;
	}
	sqlite3_bind_int(s, 1, npages);
	store_bind_text(s, 2, mime);
	store_bind_text(s, 3, sender && *sender ? sender : NULL);
	sqlite3_bind_int64(s, 4, (long long)time(NULL));
	sqlite3_bind_int64(s, 5, id);
	if ((rc = store_step_done(s)) != 0)
		goto fail;
	return store_commit(st);
fail:
	store_rollback(st);
	return rc;
}

int
store_file_ids(struct store *st, enum file_state state, long long **ret_ids,
    size_t *ret_n)
{
	sqlite3_stmt *s = store_prep(st, "SELECT id FROM files WHERE state = ?"
	    " ORDER BY id");
	long long *ids = NULL;
	size_t n = 0;
	int rc;

	if (s == NULL)
		return -EIO;
	store_bind_text(s, 1, state_names[state]);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ids = xreallocarray(ids, n + 1, sizeof(*ids));
		ids[n++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		free(ids);
		return store_rc_map(rc);
	}
	*ret_ids = ids;
	*ret_n = n;
	return 0;
}

int
store_file_list(struct store *st, struct store_file **ret, size_t *ret_n)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " FILE_COLS " FROM files ORDER BY id");
	struct store_file *fs = NULL;
	size_t n = 0;
	int rc;

	if (s == NULL)
		return -EIO;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		fs = xreallocarray(fs, n + 1, sizeof(*fs));
		file_from_row(s, &fs[n++]);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		store_files_free(fs, n);
		return store_rc_map(rc);
	}
	*ret = fs;
	*ret_n = n;
	return 0;
}

int
store_file_cases(struct store *st, long long id, char ***ret, size_t *ret_n)
{
	sqlite3_stmt *s = store_prep(st, "SELECT DISTINCT case_id FROM documents"
	    " WHERE file_id = ? AND case_id IS NOT NULL ORDER BY case_id");
	char **ids = NULL;
	size_t n = 0;
	int rc;

	if (s == NULL)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ids = xreallocarray(ids, n + 1, sizeof(*ids));
		ids[n++] = store_col_text(s, 0);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		for (size_t i = 0; i < n; i++)
			free(ids[i]);
		free(ids);
		return store_rc_map(rc);
	}
	*ret = ids;
	*ret_n = n;
	return 0;
}

int
store_event_add(struct store *st, const char *actor, const char *action,
    const char *case_id, long long file_id, const char *detail)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO events (time, actor, action,"
	    " case_id, file_id, detail) VALUES (?,?,?,?,?,?)");

	if (s == NULL)
		return -EIO;
	sqlite3_bind_int64(s, 1, (long long)time(NULL));
	store_bind_text(s, 2, actor);
	store_bind_text(s, 3, action);
	store_bind_text(s, 4, case_id);
	if (file_id)
		sqlite3_bind_int64(s, 5, file_id);
	else
		sqlite3_bind_null(s, 5);
	store_bind_text(s, 6, detail);
	return store_step_done(s);
}
