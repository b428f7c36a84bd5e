/*
 * ready.h — when is a file in an inbox complete?  Names reported by the
 * watcher wait here until they are due: a file being written (created,
 * not yet closed) waits for its close; a closed or scanned one must then
 * stay unchanged (size and mtime) for ready_seconds.  The claim itself
 * (and the HylaFAX lock test) happens when an entry is due.
 */
#ifndef FAXINTAKE_READY_H
#define FAXINTAKE_READY_H

#include <stddef.h>

#include "faxintake/watch.h"

/* A writer that never closes (a hard link, a crashed NFS client) is
 * looked at anyway after this long without change. */
#define READY_WRITING_MS	(60 * 1000)

struct ready;

enum ready_verdict {
	READY_DONE,	/* handled: forget it */
	READY_RETRY,	/* look again after the delay given */
};

/* Called for each due entry.  Set *retry_ms with READY_RETRY. */
typedef enum ready_verdict (*ready_fn)(void *arg, size_t inbox,
    const char *name, long long *retry_ms);

struct ready *ready_new(long long settle_ms);
void	 ready_free(struct ready *);
/* Note what the watcher saw; now_ms is a monotonic clock. */
void	 ready_note(struct ready *, size_t inbox, const char *name,
	    enum watch_event, long long now_ms);
/* Run fn on every entry that is due.  Returns how many were handled. */
size_t	 ready_run(struct ready *, long long now_ms, ready_fn, void *arg);
/* Milliseconds until the next entry is due; -1 when none waits. */
long long ready_next(const struct ready *, long long now_ms);
size_t	 ready_count(const struct ready *);
/* Make every entry due now (used by --once and when space returns). */
void	 ready_expedite(struct ready *, long long now_ms);

#endif
