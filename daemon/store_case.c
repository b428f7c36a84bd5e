/*
 * store_case.c — cases and what hangs off them: the reading results of
 * pages, documents, fields, resolved flags and letters.  Part of the store
 * module (store_int.h): every query with bound parameters.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "faxintake/store.h"
#include "faxintake/util.h"
#include "faxintake/xmalloc.h"
#include "store_int.h"

static void id_row(sqlite3_stmt *, void *);

static int
changed_or_enoent(struct store *st, int rc)
{
	return rc == 0 && sqlite3_changes(st->db) == 0 ? -ENOENT : rc;
}

void
store_strings_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
string_row(sqlite3_stmt *s, void *elem)
{
	*(char **)elem = store_col_text(s, 0);
}

static void
string_clear(void *elem)
{
	free(*(char **)elem);
}

/* --- pages -------------------------------------------------------------- */

int
store_page_read_set(struct store *st, long long file_id,
    const struct store_page_read *p)
{
	sqlite3_stmt *s = store_prep(st, "UPDATE pages SET text = ?, doc_type = ?,"
	    " confidence = ?, sender_line = ?, qr = ? WHERE file_id = ? AND"
	    " pageno = ?");

	if (s == NULL)
		return -EIO;
	store_bind_text(s, 1, p->text);
	store_bind_text(s, 2, p->doc_type);
	sqlite3_bind_double(s, 3, p->confidence);
	store_bind_text(s, 4, p->sender_line);
	store_bind_text(s, 5, p->qr);
	sqlite3_bind_int64(s, 6, file_id);
	sqlite3_bind_int(s, 7, p->pageno);
	return changed_or_enoent(st, store_step_done(s));
}

/* --- documents ---------------------------------------------------------- */

#define DOC_COLS "d.id, d.case_id, d.file_id, f.sha256, d.type, d.first_page," \
	" d.last_page, d.dedicated_form, d.language, d.confidence, d.app," \
	" d.superseded_by FROM documents d JOIN files f ON f.id = d.file_id"

static void
document_row(sqlite3_stmt *s, void *elem)
{
	struct store_document *d = elem;

	d->id = sqlite3_column_int64(s, 0);
	d->case_id = store_col_text(s, 1);
	d->file_id = sqlite3_column_int64(s, 2);
	d->file_sha = store_col_text(s, 3);
	d->type = store_col_text(s, 4);
	d->first_page = sqlite3_column_int(s, 5);
	d->last_page = sqlite3_column_int(s, 6);
	d->dedicated_form = sqlite3_column_int(s, 7);
	d->language = store_col_text(s, 8);
	d->confidence = sqlite3_column_double(s, 9);
	d->app = sqlite3_column_int(s, 10);
	d->superseded_by = sqlite3_column_int64(s, 11);
}

void
store_document_clear(struct store_document *d)
{
	free(d->case_id);
	free(d->file_sha);
	free(d->type);
	free(d->language);
	memset(d, 0, sizeof(*d));
}

static void
document_clear(void *elem)
{
	store_document_clear(elem);
}

void
store_documents_free(struct store_document *ds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_document_clear(&ds[i]);
	free(ds);
}

int
store_document_add(struct store *st, const struct store_document *d,
    long long *ret_id)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO documents (case_id, file_id,"
	    " type, first_page, last_page, dedicated_form, language, confidence,"
	    " app) VALUES (?,?,?,?,?,?,?,?,?)");
	int rc;

	if (s == NULL)
		return -EIO;
	store_bind_text(s, 1, d->case_id);
	sqlite3_bind_int64(s, 2, d->file_id);
	store_bind_text(s, 3, d->type);
	sqlite3_bind_int(s, 4, d->first_page);
	sqlite3_bind_int(s, 5, d->last_page);
	sqlite3_bind_int(s, 6, d->dedicated_form);
	store_bind_text(s, 7, d->language ? d->language : "ja");
	sqlite3_bind_double(s, 8, d->confidence);
	sqlite3_bind_int(s, 9, d->app);
	if ((rc = store_step_done(s)) == 0 && ret_id)
		*ret_id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

int
store_document_get(struct store *st, long long id, struct store_document *d)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " DOC_COLS " WHERE d.id = ?");
	struct store_document *ds;
	size_t n;
	int rc;

	if (s)
		sqlite3_bind_int64(s, 1, id);
	rc = store_rows(s, sizeof(*ds), document_row, document_clear,
	    (void **)&ds, &n);
	if (rc != 0)
		return rc;
	if (n == 0)
		return -ENOENT;
	*d = ds[0];
	free(ds);
	return 0;
}

int
store_document_move(struct store *st, long long id, const char *case_id)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = store_begin(st)) != 0)
		return rc;
	s = store_prep(st, "UPDATE documents SET case_id = ? WHERE id = ?");
	if (s) {
		store_bind_text(s, 1, case_id);
		sqlite3_bind_int64(s, 2, id);
	}
	rc = s ? changed_or_enoent(st, store_step_done(s)) : -EIO;
	if (rc == 0) {
		/* Its fields go with it. */
		s = store_prep(st, "UPDATE fields SET case_id = ? WHERE"
		    " document_id = ?");
		if (s) {
			store_bind_text(s, 1, case_id);
			sqlite3_bind_int64(s, 2, id);
		}
		rc = s ? store_step_done(s) : -EIO;
	}
	if (rc == 0)
		return store_commit(st);
	store_rollback(st);
	return rc;
}

int
store_document_supersede(struct store *st, long long id, long long by_file)
{
	sqlite3_stmt *s = store_prep(st, "UPDATE documents SET superseded_by = ?"
	    " WHERE id = ?");

	if (s == NULL)
		return -EIO;
	sqlite3_bind_int64(s, 1, by_file);
	sqlite3_bind_int64(s, 2, id);
	return changed_or_enoent(st, store_step_done(s));
}

int
store_case_documents(struct store *st, const char *case_id,
    struct store_document **ret, size_t *ret_n)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " DOC_COLS " WHERE d.case_id = ?"
	    " ORDER BY d.file_id, d.first_page");

	if (s)
		store_bind_text(s, 1, case_id);
	return store_rows(s, sizeof(**ret), document_row, document_clear,
	    (void **)ret, ret_n);
}

int
store_file_documents(struct store *st, long long file_id,
    struct store_document **ret, size_t *ret_n)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " DOC_COLS " WHERE d.file_id = ?"
	    " ORDER BY d.first_page");

	if (s)
		sqlite3_bind_int64(s, 1, file_id);
	return store_rows(s, sizeof(**ret), document_row, document_clear,
	    (void **)ret, ret_n);
}

/* --- fields ------------------------------------------------------------- */

#define FIELD_COLS "x.id, x.case_id, x.document_id, x.field, x.value, x.raw," \
	" x.confidence, x.file_id, f.sha256, x.pageno, x.set_by," \
	" COALESCE(x.read_value, x.value)," \
	" COALESCE(x.read_confidence, x.confidence)"

static void
field_row(sqlite3_stmt *s, void *elem)
{
	struct store_field *f = elem;

	f->id = sqlite3_column_int64(s, 0);
	f->case_id = store_col_text(s, 1);
	f->document_id = sqlite3_column_int64(s, 2);
	f->field = store_col_text(s, 3);
	f->value = store_col_text(s, 4);
	f->raw = store_col_text(s, 5);
	f->confidence = sqlite3_column_double(s, 6);
	f->file_id = sqlite3_column_int64(s, 7);
	f->file_sha = store_col_text(s, 8);
	f->pageno = sqlite3_column_int(s, 9);
	f->set_by = store_col_text(s, 10);
	f->read_value = store_col_text(s, 11);
	f->read_confidence = sqlite3_column_double(s, 12);
}

static void
field_clear(void *elem)
{
	struct store_field *f = elem;

	free(f->case_id);
	free(f->field);
	free(f->value);
	free(f->raw);
	free(f->file_sha);
	free(f->set_by);
	free(f->read_value);
	memset(f, 0, sizeof(*f));
}

void
store_fields_free(struct store_field *fs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		field_clear(&fs[i]);
	free(fs);
}

int
store_field_add(struct store *st, const struct store_field *f)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO fields (case_id, document_id,"
	    " field, value, raw, confidence, file_id, pageno, set_by)"
	    " VALUES (?,?,?,?,?,?,?,?,?)");

	if (s == NULL)
		return -EIO;
	store_bind_text(s, 1, f->case_id);
	if (f->document_id)
		sqlite3_bind_int64(s, 2, f->document_id);
	else
		sqlite3_bind_null(s, 2);
	store_bind_text(s, 3, f->field);
	store_bind_text(s, 4, f->value);
	store_bind_text(s, 5, f->raw);
	sqlite3_bind_double(s, 6, f->confidence);
	if (f->file_id)
		sqlite3_bind_int64(s, 7, f->file_id);
	else
		sqlite3_bind_null(s, 7);
	sqlite3_bind_int(s, 8, f->pageno);
	store_bind_text(s, 9, f->set_by);
	return store_step_done(s);
}

int
store_field_update(struct store *st, long long id, const char *value,
    double confidence)
{
	sqlite3_stmt *s = store_prep(st, "UPDATE fields SET"
	    " read_value = COALESCE(read_value, value),"
	    " read_confidence = COALESCE(read_confidence, confidence),"
	    " value = ?, confidence = ? WHERE id = ? AND set_by IS NULL");

	if (s == NULL)
		return -EIO;
	store_bind_text(s, 1, value);
	sqlite3_bind_double(s, 2, confidence);
	sqlite3_bind_int64(s, 3, id);
	return store_step_done(s);
}

int
store_case_fields(struct store *st, const char *case_id,
    struct store_field **ret, size_t *ret_n)
{
	/* One row per field: staff corrections first (newest), then the most
	 * confident reading of a document that is still live. */
	sqlite3_stmt *s = store_prep(st, "SELECT " FIELD_COLS " FROM ("
	    " SELECT x.*, ROW_NUMBER() OVER (PARTITION BY x.field ORDER BY"
	    "  x.set_by IS NULL, CASE WHEN x.set_by IS NULL THEN -x.confidence"
	    "  ELSE -x.id END, x.id) AS rn"
	    " FROM fields x LEFT JOIN documents d ON d.id = x.document_id"
	    " WHERE x.case_id = ? AND (d.id IS NULL OR d.superseded_by IS NULL)"
	    "  AND x.value IS NOT NULL) x"
	    " LEFT JOIN files f ON f.id = x.file_id WHERE x.rn = 1"
	    " ORDER BY x.field");

	if (s)
		store_bind_text(s, 1, case_id);
	return store_rows(s, sizeof(**ret), field_row, field_clear,
	    (void **)ret, ret_n);
}

int
store_document_fields(struct store *st, long long document_id,
    struct store_field **ret, size_t *ret_n)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " FIELD_COLS " FROM fields x"
	    " LEFT JOIN files f ON f.id = x.file_id WHERE x.document_id = ?"
	    " ORDER BY x.field, x.id");

	if (s)
		sqlite3_bind_int64(s, 1, document_id);
	return store_rows(s, sizeof(**ret), field_row, field_clear,
	    (void **)ret, ret_n);
}

/* --- cases -------------------------------------------------------------- */

#define CASE_COLS "id, hospital, received, status, updated, last_arrival," \
	" result, settled, review FROM cases"

static void
case_row(sqlite3_stmt *s, void *elem)
{
	struct store_case *c = elem;

	c->id = store_col_text(s, 0);
	c->hospital = store_col_text(s, 1);
	c->received = sqlite3_column_int64(s, 2);
	c->status = store_col_text(s, 3);
	c->updated = sqlite3_column_int64(s, 4);
	c->last_arrival = sqlite3_column_int64(s, 5);
	c->result = store_col_text(s, 6);
	c->settled = sqlite3_column_int(s, 7);
	c->review = store_col_text(s, 8);
}

void
store_case_clear(struct store_case *c)
{
	free(c->id);
	free(c->hospital);
	free(c->status);
	free(c->result);
	free(c->review);
	memset(c, 0, sizeof(*c));
}

static void
case_clear(void *elem)
{
	store_case_clear(elem);
}

void
store_cases_free(struct store_case *cs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_case_clear(&cs[i]);
	free(cs);
}

int
store_case_create(struct store *st, const char *hospital, long long received,
    char ret_id[STORE_CASE_ID_LEN])
{
	char day[UTIL_ISO_LEN], ymd[16], id[STORE_CASE_ID_LEN];
	sqlite3_stmt *s;
	int rc, n = 0;

	util_date_iso(received, day);
	snprintf(ymd, sizeof(ymd), "%.4s%.2s%.2s", day, day + 5, day + 8);
	if ((rc = store_begin(st)) != 0)
		return rc;
	s = store_prep(st, "INSERT INTO case_seq (day, n) VALUES (?, 1)"
	    " ON CONFLICT (day) DO UPDATE SET n = n + 1 RETURNING n");
	if (s == NULL) {
		rc = -EIO;
		goto fail;
	}
	store_bind_text(s, 1, ymd);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	rc = sqlite3_step(s) == SQLITE_DONE && n > 0 ? 0 : store_rc_map(rc);
	sqlite3_finalize(s);
	if (rc != 0)
		goto fail;
	if (n > 9999) {		/* the id must stay short enough to say */
		rc = -ERANGE;
		goto fail;
	}
	snprintf(id, sizeof(id), "%.8s-%04u", ymd, (unsigned)n % 10000);
	s = store_prep(st, "INSERT INTO cases (id, hospital, received, status,"
	    " updated, last_arrival) VALUES (?,?,?,'receiving',?,?)");
	if (s == NULL) {
		rc = -EIO;
		goto fail;
	}
	store_bind_text(s, 1, id);
	store_bind_text(s, 2, hospital);
	sqlite3_bind_int64(s, 3, received);
	sqlite3_bind_int64(s, 4, (long long)time(NULL));
	sqlite3_bind_int64(s, 5, received);
	if ((rc = store_step_done(s)) != 0)
		goto fail;
	if ((rc = store_commit(st)) != 0)
		goto fail;
	memcpy(ret_id, id, STORE_CASE_ID_LEN);
	return 0;
fail:
	store_rollback(st);
	return rc;
}

int
store_case_list(struct store *st, const char *status, struct store_case **ret,
    size_t *ret_n)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " CASE_COLS
	    " WHERE ?1 IS NULL OR status = ?1 ORDER BY id");

	if (s)
		store_bind_text(s, 1, status);
	return store_rows(s, sizeof(**ret), case_row, case_clear, (void **)ret,
	    ret_n);
}

int
store_case_open_list(struct store *st, const char *hospital,
    struct store_case **ret, size_t *ret_n)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " CASE_COLS " WHERE hospital = ?"
	    " AND status NOT IN ('accepted', 'declined') ORDER BY id");

	if (s)
		store_bind_text(s, 1, hospital);
	return store_rows(s, sizeof(**ret), case_row, case_clear, (void **)ret,
	    ret_n);
}

int
store_case_get(struct store *st, const char *id, struct store_case *c)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " CASE_COLS " WHERE id = ?");
	struct store_case *cs;
	size_t n;
	int rc;

	if (s)
		store_bind_text(s, 1, id);
	if ((rc = store_rows(s, sizeof(*cs), case_row, case_clear, (void **)&cs,
	    &n)) != 0)
		return rc;
	if (n == 0)
		return -ENOENT;
	*c = cs[0];
	free(cs);
	return 0;
}

int
store_case_touch(struct store *st, const char *id, long long when)
{
	sqlite3_stmt *s = store_prep(st, "UPDATE cases SET status = 'receiving',"
	    " settled = 0, last_arrival = MAX(last_arrival, ?), updated = ?"
	    " WHERE id = ? AND status NOT IN ('accepted', 'declined')");

	if (s == NULL)
		return -EIO;
	sqlite3_bind_int64(s, 1, when);
	sqlite3_bind_int64(s, 2, (long long)time(NULL));
	store_bind_text(s, 3, id);
	return store_step_done(s);
}

int
store_case_set_result(struct store *st, const char *id, const char *status,
    const char *result_json, int settled)
{
	sqlite3_stmt *s = store_prep(st, "UPDATE cases SET status = ?, result = ?,"
	    " settled = ?, updated = ? WHERE id = ?");

	if (s == NULL)
		return -EIO;
	store_bind_text(s, 1, status);
	store_bind_text(s, 2, result_json);
	sqlite3_bind_int(s, 3, settled);
	sqlite3_bind_int64(s, 4, (long long)time(NULL));
	store_bind_text(s, 5, id);
	return changed_or_enoent(st, store_step_done(s));
}

int
store_case_set_status(struct store *st, const char *id, const char *status)
{
	sqlite3_stmt *s = store_prep(st, "UPDATE cases SET status = ?, updated = ?"
	    " WHERE id = ?");

	if (s == NULL)
		return -EIO;
	store_bind_text(s, 1, status);
	sqlite3_bind_int64(s, 2, (long long)time(NULL));
	store_bind_text(s, 3, id);
	return changed_or_enoent(st, store_step_done(s));
}

int
store_cases_settle_due(struct store *st, long long before, char ***ret_ids,
    size_t *ret_n)
{
	sqlite3_stmt *s = store_prep(st, "SELECT id FROM cases WHERE status ="
	    " 'receiving' AND last_arrival <= ? ORDER BY id");

	if (s)
		sqlite3_bind_int64(s, 1, before);
	return store_rows(s, sizeof(**ret_ids), string_row, string_clear,
	    (void **)ret_ids, ret_n);
}

long long
store_cases_receiving_oldest(struct store *st)
{
	sqlite3_stmt *s = store_prep(st, "SELECT MIN(last_arrival) FROM cases"
	    " WHERE status = 'receiving'");
	long long t = 0;

	if (s && sqlite3_step(s) == SQLITE_ROW)
		t = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return t;
}

int
store_case_add_review(struct store *st, const char *id, const char *flag,
    const char *evidence)
{
	sqlite3_stmt *s = store_prep(st, "UPDATE cases SET review ="
	    " COALESCE(review, '') || ?2 || char(9) || ?3 || char(10)"
	    " WHERE id = ?1 AND instr(COALESCE(review, ''), ?2 || char(9)) = 0");

	if (s == NULL)
		return -EIO;
	store_bind_text(s, 1, id);
	store_bind_text(s, 2, flag);
	store_bind_text(s, 3, evidence ? evidence : "");
	return store_step_done(s);
}

int
store_case_senders(struct store *st, const char *id, char ***ret,
    size_t *ret_n)
{
	/* the application form's numbers first, then by arrival: the
	 * applicant's letters go to senders[0] when the form gives none */
	sqlite3_stmt *s = store_prep(st, "SELECT n FROM ("
	    "SELECT f.sender AS n, f.id AS fid, d.type = 'application_form'"
	    " AS app FROM documents d JOIN files f ON f.id = d.file_id"
	    " WHERE d.case_id = ?1 AND f.sender IS NOT NULL"
	    " UNION ALL SELECT p.sender_line, p.file_id, d.type ="
	    " 'application_form' FROM documents d JOIN pages p ON"
	    " p.file_id = d.file_id AND p.pageno BETWEEN d.first_page AND"
	    " d.last_page WHERE d.case_id = ?1 AND p.sender_line IS NOT NULL)"
	    " GROUP BY n ORDER BY MAX(app) DESC, MIN(fid), n");

	if (s)
		store_bind_text(s, 1, id);
	return store_rows(s, sizeof(**ret), string_row, string_clear,
	    (void **)ret, ret_n);
}

int
store_case_merge(struct store *st, const char *from, const char *into)
{
	static const char *const moves[] = {
		"UPDATE documents SET case_id = ?2 WHERE case_id = ?1",
		"UPDATE fields SET case_id = ?2 WHERE case_id = ?1",
		"UPDATE letters SET case_id = ?2 WHERE case_id = ?1",
		"DELETE FROM flags_resolved WHERE case_id = ?1",
		"UPDATE cases SET last_arrival = MAX(last_arrival, (SELECT"
		" last_arrival FROM cases WHERE id = ?1)), settled = 0 WHERE id = ?2",
		"DELETE FROM cases WHERE id = ?1",
	};
	int rc;

	if (strcmp(from, into) == 0)
		return -EINVAL;
	if ((rc = store_begin(st)) != 0)
		return rc;
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]) && rc == 0; i++) {
		sqlite3_stmt *s = store_prep(st, moves[i]);

		if (s == NULL) {
			rc = -EIO;
			break;
		}
		store_bind_text(s, 1, from);
		store_bind_text(s, 2, into);
		rc = store_step_done(s);
		if (rc == 0 && i == sizeof(moves) / sizeof(moves[0]) - 1 &&
		    sqlite3_changes(st->db) == 0)
			rc = -ENOENT;
	}
	if (rc == 0)
		return store_commit(st);
	store_rollback(st);
	return rc;
}

/* --- flags -------------------------------------------------------------- */

int
store_flag_resolve(struct store *st, const char *case_id, const char *flag,
    const char *note, const char *actor)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO flags_resolved (case_id,"
	    " flag, note, actor, time) VALUES (?,?,?,?,?) ON CONFLICT"
	    " (case_id, flag) DO UPDATE SET note = excluded.note,"
	    " actor = excluded.actor, time = excluded.time");

	if (s == NULL)
		return -EIO;
	store_bind_text(s, 1, case_id);
	store_bind_text(s, 2, flag);
	store_bind_text(s, 3, note);
	store_bind_text(s, 4, actor);
	sqlite3_bind_int64(s, 5, (long long)time(NULL));
	return store_step_done(s);
}

int
store_flags_resolved(struct store *st, const char *case_id, char ***ret,
    size_t *ret_n)
{
	sqlite3_stmt *s = store_prep(st, "SELECT flag FROM flags_resolved"
	    " WHERE case_id = ? ORDER BY flag");

	if (s)
		store_bind_text(s, 1, case_id);
	return store_rows(s, sizeof(**ret), string_row, string_clear,
	    (void **)ret, ret_n);
}

/* --- letters ------------------------------------------------------------ */

#define LETTER_COLS "id, case_id, kind, channel, pdf, tiff, to_fax, to_name," \
	" status, attempts, text, created, next_attempt," \
	" COALESCE(exit_status, -1), basis FROM letters"

static void
letter_row(sqlite3_stmt *s, void *elem)
{
	struct store_letter *l = elem;

	l->id = sqlite3_column_int64(s, 0);
	l->case_id = store_col_text(s, 1);
	l->kind = store_col_text(s, 2);
	l->channel = store_col_text(s, 3);
	l->pdf = store_col_text(s, 4);
	l->tiff = store_col_text(s, 5);
	l->to_fax = store_col_text(s, 6);
	l->to_name = store_col_text(s, 7);
	l->status = store_col_text(s, 8);
	l->attempts = sqlite3_column_int(s, 9);
	l->text = store_col_text(s, 10);
	l->created = sqlite3_column_int64(s, 11);
	l->next_attempt = sqlite3_column_int64(s, 12);
	l->exit_status = sqlite3_column_int(s, 13);
	l->basis = store_col_text(s, 14);
}

void
store_letter_clear(struct store_letter *l)
{
	free(l->case_id);
	free(l->kind);
	free(l->channel);
	free(l->pdf);
	free(l->tiff);
	free(l->to_fax);
	free(l->to_name);
	free(l->status);
	free(l->text);
	free(l->basis);
	memset(l, 0, sizeof(*l));
}

static void
letter_clear(void *elem)
{
	store_letter_clear(elem);
}

void
store_letters_free(struct store_letter *ls, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_letter_clear(&ls[i]);
	free(ls);
}

int
store_letter_add(struct store *st, const struct store_letter *l,
    long long *ret_id)
{
	sqlite3_stmt *s = store_prep(st, "INSERT INTO letters (case_id, kind,"
	    " channel, pdf, tiff, to_fax, to_name, status, attempts, text,"
	    " created, next_attempt, basis) VALUES (?,?,?,?,?,?,?,?,0,?,?,?,?)");
	int rc;

	if (s == NULL)
		return -EIO;
	store_bind_text(s, 1, l->case_id);
	store_bind_text(s, 2, l->kind);
	store_bind_text(s, 3, l->channel);
	store_bind_text(s, 4, l->pdf);
	store_bind_text(s, 5, l->tiff);
	store_bind_text(s, 6, l->to_fax);
	store_bind_text(s, 7, l->to_name);
	store_bind_text(s, 8, l->status);
	store_bind_text(s, 9, l->text);
	sqlite3_bind_int64(s, 10, l->created ? l->created : (long long)time(NULL));
	sqlite3_bind_int64(s, 11, l->next_attempt);
	store_bind_text(s, 12, l->basis);
	if ((rc = store_step_done(s)) == 0 && ret_id)
		*ret_id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

int
store_letter_get(struct store *st, long long id, struct store_letter *l)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " LETTER_COLS " WHERE id = ?");
	struct store_letter *ls;
	size_t n;
	int rc;

	if (s)
		sqlite3_bind_int64(s, 1, id);
	if ((rc = store_rows(s, sizeof(*ls), letter_row, letter_clear,
	    (void **)&ls, &n)) != 0)
		return rc;
	if (n == 0)
		return -ENOENT;
	*l = ls[0];
	free(ls);
	return 0;
}

int
store_case_letters(struct store *st, const char *case_id,
    struct store_letter **ret, size_t *ret_n)
{
	sqlite3_stmt *s = store_prep(st, "SELECT " LETTER_COLS
	    " WHERE case_id = ? ORDER BY id");

	if (s)
		store_bind_text(s, 1, case_id);
	return store_rows(s, sizeof(**ret), letter_row, letter_clear,
	    (void **)ret, ret_n);
}

int
store_letter_set_status(struct store *st, long long id, const char *status,
    int attempts, long long next_attempt, int exit_status)
{
	sqlite3_stmt *s = store_prep(st, "UPDATE letters SET status = ?,"
	    " attempts = ?, next_attempt = ?, exit_status = ? WHERE id = ?");

	if (s == NULL)
		return -EIO;
	store_bind_text(s, 1, status);
	sqlite3_bind_int(s, 2, attempts);
	sqlite3_bind_int64(s, 3, next_attempt);
	if (exit_status >= 0)
		sqlite3_bind_int(s, 4, exit_status);
	else
		sqlite3_bind_null(s, 4);
	sqlite3_bind_int64(s, 5, id);
	return changed_or_enoent(st, store_step_done(s));
}

int
store_letter_set_files(struct store *st, long long id, const char *pdf,
    const char *tiff, const char *text)
{
	sqlite3_stmt *s = store_prep(st, "UPDATE letters SET pdf = ?, tiff = ?,"
	    " text = ? WHERE id = ?");

	if (s == NULL)
		return -EIO;
	store_bind_text(s, 1, pdf);
	store_bind_text(s, 2, tiff);
	store_bind_text(s, 3, text);
	sqlite3_bind_int64(s, 4, id);
	return changed_or_enoent(st, store_step_done(s));
}

int
store_case_set_settled(struct store *st, const char *id)
{
	sqlite3_stmt *s = store_prep(st, "UPDATE cases SET settled = 1"
	    " WHERE id = ?");

	if (s == NULL)
		return -EIO;
	store_bind_text(s, 1, id);
	return changed_or_enoent(st, store_step_done(s));
}

int
store_file_reprocess(struct store *st, long long id)
{
	static const char *const steps[] = {
		"DELETE FROM fields WHERE document_id IN (SELECT id FROM"
		" documents WHERE file_id = ?1)",
		"UPDATE documents SET superseded_by = NULL WHERE superseded_by = ?1",
		"DELETE FROM documents WHERE file_id = ?1",
		"UPDATE files SET state = 'processing', reason = NULL,"
		" reason_code = NULL, attempts = 0 WHERE id = ?1 AND state IN"
		" ('done', 'quarantined', 'processing')",
	};
	int rc;

	if ((rc = store_begin(st)) != 0)
		return rc;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]) && rc == 0; i++) {
		sqlite3_stmt *s = store_prep(st, steps[i]);

		if (s == NULL) {
			rc = -EIO;
			break;
		}
		sqlite3_bind_int64(s, 1, id);
		rc = store_step_done(s);
		if (rc == 0 && i == sizeof(steps) / sizeof(steps[0]) - 1 &&
		    sqlite3_changes(st->db) == 0)
			rc = -ENOENT;	/* no such file, or not one to read */
	}
	if (rc == 0)
		return store_commit(st);
	store_rollback(st);
	return rc;
}

int
store_case_files(struct store *st, const char *case_id, long long **ret,
    size_t *ret_n)
{
	sqlite3_stmt *s = store_prep(st, "SELECT DISTINCT file_id FROM documents"
	    " WHERE case_id = ? ORDER BY file_id");

	if (s)
		store_bind_text(s, 1, case_id);
	return store_rows(s, sizeof(**ret), id_row, NULL, (void **)ret, ret_n);
}

/* Settled-status cases whose letters are not written yet. */
int
store_cases_unsettled(struct store *st, char ***ret_ids, size_t *ret_n)
{
	sqlite3_stmt *s = store_prep(st, "SELECT id FROM cases WHERE settled = 0"
	    " AND status IN ('incomplete', 'complete') ORDER BY id");

	return store_rows(s, sizeof(**ret_ids), string_row, string_clear,
	    (void **)ret_ids, ret_n);
}

int
store_letter_set_fax(struct store *st, long long id, const char *to_fax)
{
	sqlite3_stmt *s = store_prep(st, "UPDATE letters SET to_fax = ?,"
	    " channel = CASE WHEN ? IS NULL THEN 'post' ELSE 'fax' END"
	    " WHERE id = ?");

	if (s == NULL)
		return -EIO;
	store_bind_text(s, 1, to_fax);
	store_bind_text(s, 2, to_fax);
	sqlite3_bind_int64(s, 3, id);
	return changed_or_enoent(st, store_step_done(s));
}

static void
id_row(sqlite3_stmt *s, void *elem)
{
	*(long long *)elem = sqlite3_column_int64(s, 0);
}

int
store_letters_due(struct store *st, long long now, long long **ret_ids,
    size_t *ret_n)
{
	sqlite3_stmt *s = store_prep(st, "SELECT id FROM letters WHERE status ="
	    " 'queued' AND next_attempt <= ? ORDER BY id");

	if (s)
		sqlite3_bind_int64(s, 1, now);
	return store_rows(s, sizeof(**ret_ids), id_row, NULL, (void **)ret_ids,
	    ret_n);
}

long long
store_letters_next(struct store *st)
{
	sqlite3_stmt *s = store_prep(st, "SELECT COALESCE(MIN(next_attempt), -1)"
	    " FROM letters WHERE status = 'queued'");
	long long t = -1;

	if (s && sqlite3_step(s) == SQLITE_ROW)
		t = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return t;
}
