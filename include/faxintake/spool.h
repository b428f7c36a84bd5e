/*
 * spool.h — taking files out of the inboxes into state_dir/spool/<sha256>,
 * and moving bad ones on to state_dir/quarantine/.  The database is written
 * before the file system is touched, and spool_reconcile() finishes any
 * step a crash interrupted, so at every instant each arrival is either
 * still in its inbox or recorded (and then in the spool, the quarantine
 * or, for a duplicate, removed because its bytes are already kept).
 */
#ifndef FAXINTAKE_SPOOL_H
#define FAXINTAKE_SPOOL_H

#include "faxintake/store.h"

struct spool;

enum spool_result {
	SPOOL_CLAIMED,		/* recorded and in the spool: read it */
	SPOOL_DUPLICATE,	/* same bytes as an earlier file */
	SPOOL_REJECTED,		/* not a regular file: recorded, left alone */
	SPOOL_IGNORED,		/* gone, or already recorded as rejected */
	SPOOL_BUSY,		/* locked by its writer or changed lately */
	SPOOL_UNREADABLE,	/* no permission: reported, tried again */
	SPOOL_NOSPACE,		/* disk full: left in the inbox */
	SPOOL_ERROR,		/* database or I/O error: left in the inbox */
};

struct spool_inbox {
	const char	*name;
	const char	*path;
};

/* Open (creating) state_dir/spool and state_dir/quarantine, mode 0700
 * or 2770 with the group. */
int	 spool_open(const char *state_dir, struct store *, struct spool **ret,
	    char **err);
void	 spool_close(struct spool *);

/*
 * Claim inbox/name if it is complete: not locked by a writer, not changed
 * for settle_ms.  *ret_id is the file's record (for CLAIMED, DUPLICATE,
 * REJECTED); *ret_why a malloc'd message for the caller to log (for BUSY,
 * UNREADABLE, NOSPACE, ERROR), else NULL.
 */
enum spool_result spool_claim(struct spool *, const struct spool_inbox *,
	    const char *name, long long settle_ms, long long *ret_id,
	    char **ret_why);

/* Finish what a crash interrupted.  Returns how many records it
 * finished, or -errno for a database error; *ret_failed counts records it
 * could not finish (left as they are, for the next start). */
int	 spool_reconcile(struct spool *, int *ret_failed);

/* Open a spooled file read-only (for a worker); -errno on failure. */
int	 spool_open_file(struct spool *, const char *sha256);
/* Move a quarantined file back into the spool, to be read again. */
int	 spool_unquarantine(struct spool *, const char *sha256);
/* The path of a file's bytes (spool or quarantine), malloc'd; NULL when
 * neither holds it. */
char	*spool_path(struct spool *, const char *sha256);
/* Record the file as quarantined, then move it to the quarantine. */
int	 spool_quarantine(struct spool *, long long id, const char *sha256,
	    const char *reason_code, const char *reason);

#endif
