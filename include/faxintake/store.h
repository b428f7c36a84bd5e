/*
 * store.h — the database (SQLite, WAL, synchronous=FULL).  The only module
 * that includes sqlite3.h; every query uses bound parameters.  Functions
 * return 0 on success or a negative errno-style code (-EIO for a database
 * error, -EBUSY when locked past the busy timeout, -ENOENT for no row,
 * -ENOSPC when the disk is full); store_errmsg() says what SQLite said.
 */
#ifndef FAXINTAKE_STORE_H
#define FAXINTAKE_STORE_H

#include <stddef.h>

struct store;

/* File states as stored.  FILE_CLAIMING is shown as "processing". */
enum file_state {
	FILE_CLAIMING,		/* recorded, not yet in the spool */
	FILE_PROCESSING,	/* in the spool, waiting for or in a worker */
	FILE_DONE,
	FILE_QUARANTINED,
	FILE_DUPLICATE,
	FILE_REJECTED,
};

struct store_file {
	long long	 id;
	char		 sha256[65];	/* "" for rejected entries */
	char		*name;
	char		*inbox;
	char		*src_path;	/* where it was claimed from */
	long long	 received;	/* epoch seconds */
	enum file_state	 state;
	char		*reason;
	char		*reason_code;
	long long	 duplicate_of;	/* 0 when none */
	int		 pages;
	char		*sender;
	char		*mime;
	int		 attempts;
};

struct store_page {
	int		 pageno;	/* from 1 */
	int		 width, height, xres, yres, depth;
};

#define STORE_CREATE	0x1	/* create the file and schema if missing */
#define STORE_READONLY	0x2

/* Open (and migrate) the database.  *ret is the caller's (store_close).
 * On failure *err is a malloc'd message naming the file. */
int	 store_open(const char *path, int flags, struct store **ret, char **err);
void	 store_close(struct store *);
const char *store_errmsg(struct store *);
int	 store_schema_version(struct store *);

/* Transactions nest: the outermost is BEGIN IMMEDIATE, inner ones are
 * savepoints, so a caller can make several calls one change. */
int	 store_begin(struct store *);
int	 store_commit(struct store *);
void	 store_rollback(struct store *);

/* Files. */
int	 store_file_add(struct store *, const struct store_file *,
	    long long *ret_id);
int	 store_file_get(struct store *, long long id, struct store_file *);
/* The first record that holds these bytes (not a duplicate nor rejected);
 * -ENOENT when none. */
int	 store_file_find_sha(struct store *, const char *sha256,
	    long long *ret_id);
/* Whether a rejected entry was already recorded for inbox/name. */
int	 store_file_rejected_seen(struct store *, const char *inbox,
	    const char *name);
int	 store_file_set_state(struct store *, long long id, enum file_state,
	    const char *reason_code, const char *reason);
/* Forget a claim that could not be completed (the file stays in its inbox). */
int	 store_file_delete(struct store *, long long id);
int	 store_file_add_attempt(struct store *, long long id, int *ret_attempts);
/* Mark done with what the worker read: pages, type and sender. */
int	 store_file_done(struct store *, long long id, const char *mime,
	    const char *sender, const struct store_page *, int npages);
/* Every file in a state, oldest first; ids malloc'd, caller frees. */
int	 store_file_ids(struct store *, enum file_state, long long **ret_ids,
	    size_t *ret_n);
/* Every file for listing, oldest first; free with store_files_free(). */
int	 store_file_list(struct store *, struct store_file **ret, size_t *ret_n);
void	 store_file_clear(struct store_file *);
void	 store_files_free(struct store_file *, size_t);
/* The case ids a file's documents belong to; malloc'd strings. */
int	 store_file_cases(struct store *, long long id, char ***ret, size_t *ret_n);

const char *store_file_state_name(enum file_state);	/* JSON name */

/* --- What the reading stage found (store_case.c) -------------------- */

struct store_page_read {
	int		 pageno;
	const char	*text;		/* NFKC'd page text, or NULL */
	const char	*doc_type;
	double		 confidence;
	const char	*sender_line;	/* number in the fax header line */
	const char	*qr;		/* the QR text faxintake printed */
};
int	 store_page_read_set(struct store *, long long file_id,
	    const struct store_page_read *);

struct store_document {
	long long	 id;
	char		*case_id;	/* NULL until attached */
	long long	 file_id;
	char		*file_sha;	/* filled by the getters */
	char		*type;
	int		 first_page, last_page;
	int		 dedicated_form;
	char		*language;
	double		 confidence;
	int		 app;		/* which application of the file (batches) */
	long long	 superseded_by;	/* file id of the whole resend, or 0 */
};
int	 store_document_add(struct store *, const struct store_document *,
	    long long *ret_id);
int	 store_document_get(struct store *, long long id, struct store_document *);
int	 store_document_move(struct store *, long long id, const char *case_id);
int	 store_document_supersede(struct store *, long long id, long long by_file);
/* A case's documents (superseded ones too), in arrival order. */
int	 store_case_documents(struct store *, const char *case_id,
	    struct store_document **ret, size_t *ret_n);
/* The documents of a file, in page order. */
int	 store_file_documents(struct store *, long long file_id,
	    struct store_document **ret, size_t *ret_n);
void	 store_document_clear(struct store_document *);
void	 store_documents_free(struct store_document *, size_t);

struct store_field {
	long long	 id;
	char		*case_id;
	long long	 document_id;	/* 0 for a staff correction */
	char		*field;		/* DESIGN.md field id */
	char		*value;
	char		*raw;
	double		 confidence;
	long long	 file_id;
	char		*file_sha;	/* filled by the getters */
	int		 pageno;
	char		*set_by;	/* login of the staff member, or NULL */
	/* the value and confidence as the file was read (before any
	 * consensus of the case's files); filled by the getters */
	char		*read_value;
	double		 read_confidence;
};
int	 store_field_add(struct store *, const struct store_field *);
/*
 * The value of every field of a case, one each: a staff correction first
 * (newest), else the most confident reading from a document that is not
 * superseded.  Sorted by field id.
 */
int	 store_case_fields(struct store *, const char *case_id,
	    struct store_field **ret, size_t *ret_n);
/* A reading's value and confidence changed by the case's consensus (its
 * raw text stays what the page said; the value as read is kept the
 * first time).  Staff corrections are never changed. */
int	 store_field_update(struct store *, long long id, const char *value,
	    double confidence);
/* The fields read from one document. */
int	 store_document_fields(struct store *, long long document_id,
	    struct store_field **ret, size_t *ret_n);
void	 store_fields_free(struct store_field *, size_t);

/* --- Cases (store_case.c) --------------------------------------------- */

#define STORE_CASE_ID_LEN	16	/* "20261120-0007" and a NUL */

struct store_case {
	char		*id;
	char		*hospital;
	long long	 received;
	char		*status;	/* receiving incomplete complete
					   needs_review declined accepted */
	long long	 updated;
	long long	 last_arrival;	/* the last document, epoch seconds */
	char		*result;	/* the rules' result as JSON, or NULL */
	int		 settled;	/* its letters for this state are written */
	char		*review;	/* "flag\tevidence" lines, or NULL */
};

/* A new case "YYYYMMDD-NNNN" (Asia/Tokyo date of received, then the
 * day's sequence number); status receiving. */
int	 store_case_create(struct store *, const char *hospital,
	    long long received, char ret_id[STORE_CASE_ID_LEN]);
int	 store_case_list(struct store *, const char *status,
	    struct store_case **ret, size_t *ret_n);
/* Cases of a hospital that may still take documents (not accepted or
 * declined). */
int	 store_case_open_list(struct store *, const char *hospital,
	    struct store_case **ret, size_t *ret_n);
int	 store_case_get(struct store *, const char *id, struct store_case *);
/* A document arrived: receiving again, not settled. */
int	 store_case_touch(struct store *, const char *id, long long when);
/* The rules ran: status and result; settled says whether its letters
 * for this state are written. */
int	 store_case_set_result(struct store *, const char *id,
	    const char *status, const char *result_json, int settled);
int	 store_case_set_status(struct store *, const char *id, const char *status);
/* Flags the case assembly raised (not the rules): one "id\tevidence"
 * line each, e.g. review:ambiguous_case; added once. */
int	 store_case_add_review(struct store *, const char *id, const char *flag,
	    const char *evidence);
/* Every number the case's documents came from (file senders and fax
 * header lines), once each: those that sent an application form first,
 * then in the order they first arrived; malloc'd strings. */
int	 store_case_senders(struct store *, const char *id, char ***ret,
	    size_t *ret_n);
/* Move every document, field and letter of from into into; delete from. */
int	 store_case_merge(struct store *, const char *from, const char *into);
/* Cases receiving whose last arrival is at or before `before`. */
int	 store_cases_settle_due(struct store *, long long before,
	    char ***ret_ids, size_t *ret_n);
/* The earliest last arrival of a case still receiving; 0 when none. */
long long store_cases_receiving_oldest(struct store *);
void	 store_case_clear(struct store_case *);
void	 store_cases_free(struct store_case *, size_t);

/* Flags staff checked and dismissed. */
int	 store_flag_resolve(struct store *, const char *case_id,
	    const char *flag, const char *note, const char *actor);
int	 store_flags_resolved(struct store *, const char *case_id,
	    char ***ret, size_t *ret_n);
void	 store_strings_free(char **, size_t);

/* --- Letters (store_case.c) ------------------------------------------- */

struct store_letter {
	long long	 id;
	char		*case_id;
	char		*kind;		/* incomplete_notice ... */
	char		*channel;	/* fax | post */
	char		*pdf, *tiff;
	char		*to_fax;
	char		*to_name;
	char		*status;	/* pending_approval queued sent failed */
	int		 attempts;
	char		*text;
	long long	 created;
	long long	 next_attempt;
	int		 exit_status;	/* of the last send, -1 when none */
	char		*basis;		/* what it was written for (the missing
					   documents), to write it only once */
};
int	 store_letter_add(struct store *, const struct store_letter *,
	    long long *ret_id);
int	 store_letter_get(struct store *, long long id, struct store_letter *);
int	 store_case_letters(struct store *, const char *case_id,
	    struct store_letter **ret, size_t *ret_n);
int	 store_letter_set_status(struct store *, long long id, const char *status,
	    int attempts, long long next_attempt, int exit_status);
int	 store_letter_set_fax(struct store *, long long id, const char *to_fax);
int	 store_letter_set_files(struct store *, long long id, const char *pdf,
	    const char *tiff, const char *text);
/* The case's letters for its current status are written. */
int	 store_case_set_settled(struct store *, const char *id);
/* Read a file again: its documents and fields are forgotten, its state
 * is processing (the daemon picks it up). */
int	 store_file_reprocess(struct store *, long long id);
/* The files of a case's documents. */
int	 store_case_files(struct store *, const char *case_id, long long **ret,
	    size_t *ret_n);
/* Cases incomplete or complete whose letters are not yet written. */
int	 store_cases_unsettled(struct store *, char ***ret_ids, size_t *ret_n);
/* Letters queued whose next attempt is due by now. */
int	 store_letters_due(struct store *, long long now, long long **ret_ids,
	    size_t *ret_n);
/* The earliest next attempt of a queued letter, or -1 when none. */
long long store_letters_next(struct store *);
void	 store_letter_clear(struct store_letter *);
void	 store_letters_free(struct store_letter *, size_t);

/* The audit log: who did what, when.  actor is "faxintaked" or a login. */
int	 store_event_add(struct store *, const char *actor, const char *action,
	    const char *case_id, long long file_id, const char *detail);

#endif
