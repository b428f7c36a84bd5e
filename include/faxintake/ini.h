/*
 * ini.h — the one INI reader (inih underneath) for the config and the
 * hospital profiles.  The handler sees every key with its line number and
 * returns 0, or -1 after adding a message with ini_error(); reading goes
 * on so that all errors of a file are reported together, each as
 * "FILE:LINE: message".
 */
#ifndef FAXINTAKE_INI_H
#define FAXINTAKE_INI_H

#include "faxintake/buf.h"

struct ini_ctx;

/* section is "" before the first [section]. */
typedef int (*ini_handler_fn)(struct ini_ctx *, void *arg,
    const char *section, const char *key, const char *value);

/*
 * Read path.  Returns 0 when the file was read and the handler accepted
 * every key; -1 with the messages (one per line, "FILE:LINE: ...") in
 * *errs otherwise.  *errs is malloc'd; caller frees (NULL on success).
 */
int	 ini_read(const char *path, ini_handler_fn, void *arg, char **errs);

/* With INI_SECTIONS the handler is also called at every [section] line,
 * with key and value NULL, so that an empty or unknown section is seen
 * (and reported at its own line). */
#define INI_SECTIONS	0x1
int	 ini_read_flags(const char *path, int flags, ini_handler_fn, void *arg,
	    char **errs);

/* For handlers: the line being read, and recording an error at it. */
int	 ini_line(const struct ini_ctx *);
const char *ini_path(const struct ini_ctx *);
int	 ini_error(struct ini_ctx *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));	/* returns -1 */

#endif
