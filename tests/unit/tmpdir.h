/*
 * tmpdir.h — a temporary directory for a unit test program, removed with
 * everything in it.  Header-only: unit tests link only the library.
 */
#ifndef FAXINTAKE_TEST_TMPDIR_H
#define FAXINTAKE_TEST_TMPDIR_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
tmpdir_rm_one(const char *p, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)type;
	(void)f;
	return remove(p);
}

/* "/tmp/fi-NAME-XXXXXX" made; malloc'd, or NULL. */
static char *
tmpdir_make(const char *name)
{
	char *dir;

	if (asprintf(&dir, "/tmp/fi-%s-XXXXXX", name) < 0)
		return NULL;
	if (mkdtemp(dir) == NULL) {
		free(dir);
		return NULL;
	}
	return dir;
}

/* Remove dir and what it holds; frees dir. */
static void
tmpdir_remove(char *dir)
{
	if (dir == NULL)
		return;
	nftw(dir, tmpdir_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

#endif
