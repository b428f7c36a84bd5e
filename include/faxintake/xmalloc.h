/*
 * xmalloc.h — allocation helpers that never return NULL: out of memory
 * is fatal (as in tmux and OpenSSH).  Inputs are capped before they are
 * allocated for, so this only fires when the machine itself is out.
 */
#ifndef FAXINTAKE_XMALLOC_H
#define FAXINTAKE_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
