/*
 * watch.h — the inbox watcher: inotify on every drop directory plus full
 * scans (at start-up, after an inotify overflow, and every rescan_seconds
 * for network shares inotify cannot see).  It knows names in directories,
 * nothing about what the files hold.
 */
#ifndef FAXINTAKE_WATCH_H
#define FAXINTAKE_WATCH_H

#include <stddef.h>

enum watch_event {
	WATCH_SEEN,	/* found by a scan: state unknown */
	WATCH_WRITING,	/* created: a writer has it open */
	WATCH_CLOSED,	/* closed after writing, or moved in: complete */
	WATCH_GONE,	/* deleted or moved away */
};

struct watch;

typedef void (*watch_fn)(void *arg, size_t inbox, const char *name,
    enum watch_event);

/* Watch the n directories.  On failure *err names the directory. */
int	 watch_open(const char *const *paths, size_t n, struct watch **ret,
	    char **err);
void	 watch_close(struct watch *);
int	 watch_fd(const struct watch *);	/* for poll() */
/* Drain pending inotify events.  An overflow turns into a full scan. */
int	 watch_read(struct watch *, watch_fn, void *arg);
/* Report every entry of inbox i (or of all when i == (size_t)-1). */
int	 watch_scan(struct watch *, size_t i, watch_fn, void *arg);
/* Dotfiles and the temporary names of editors, uploaders and scanners. */
int	 watch_name_ignored(const char *name);

#endif
