/*
 * store_int.h — shared by the store's files (store.c: files and pages;
 * store_case.c: cases, documents, fields, letters, flags).  Private to
 * the store module: nothing else includes it or sqlite3.h.
 */
#ifndef FAXINTAKE_STORE_INT_H
#define FAXINTAKE_STORE_INT_H

#include <sqlite3.h>

struct store {
	sqlite3	*db;
	char	*path;
	int	 depth;		/* store_begin() nesting */
};

int		 store_rc_map(int sqlite_rc);		/* to -errno */
int		 store_exec(struct store *, const char *sql);
sqlite3_stmt	*store_prep(struct store *, const char *sql);	/* NULL on error */
void		 store_bind_text(sqlite3_stmt *, int, const char *);	/* NULL binds NULL */
char		*store_col_text(sqlite3_stmt *, int);		/* malloc'd or NULL */
/* Step a statement that returns no rows, and finalise it. */
int		 store_step_done(sqlite3_stmt *);
/*
 * Step a statement that returns rows, turning each into an element of
 * size bytes with fn, and finalise it.  *ret (malloc'd, NULL when empty)
 * and *ret_n are set on success only; on failure the elements made so far
 * are released with clear (may be NULL).
 */
int		 store_rows(sqlite3_stmt *, size_t size,
		    void (*fn)(sqlite3_stmt *, void *elem),
		    void (*clear)(void *elem), void **ret, size_t *ret_n);

#endif
