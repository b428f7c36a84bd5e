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

/* Cases (the assembly arrives in a later stage; listing works now). */
struct store_case {
	char		*id;
	char		*hospital;
	long long	 received;
	char		*status;
	long long	 updated;
};
int	 store_case_list(struct store *, const char *status,
	    struct store_case **ret, size_t *ret_n);
int	 store_case_get(struct store *, const char *id, struct store_case *);
void	 store_case_clear(struct store_case *);
void	 store_cases_free(struct store_case *, size_t);

/* The audit log: who did what, when.  actor is "faxintaked" or a login. */
int	 store_event_add(struct store *, const char *actor, const char *action,
	    const char *case_id, long long file_id, const char *detail);

#endif
