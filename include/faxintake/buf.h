/*
 * buf.h — one bounded, growable byte buffer (after curl's dynbuf).  Every
 * buffer has a limit set at init; an append past it fails with -E2BIG and
 * leaves the buffer as it was.  The data is always NUL-terminated.
 */
#ifndef FAXINTAKE_BUF_H
#define FAXINTAKE_BUF_H

#include <stddef.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
	size_t	 max;
};

void	 buf_init(struct buf *, size_t max);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
int	 buf_add(struct buf *, const void *, size_t);
int	 buf_addstr(struct buf *, const char *);
int	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Hands the NUL-terminated data to the caller (who frees it); the buffer
 * is empty afterwards. Never NULL. */
char	*buf_take(struct buf *);

#endif
