/*
 * onethread.h — run a unit test program with OMP_THREAD_LIMIT=1.
 * libgomp reads it when the program starts (ocr_new's setenv is too
 * late): without it Tesseract spins threads over both cores, several
 * times slower (under ASan minutes).  Call first in main(): the program
 * runs again with it set.  Header-only: unit tests link only the
 * library.
 */
#ifndef FAXINTAKE_TEST_ONETHREAD_H
#define FAXINTAKE_TEST_ONETHREAD_H

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
one_thread(char **argv)
{
	const char *v = getenv("OMP_THREAD_LIMIT");

	if (v == NULL || strcmp(v, "1") != 0) {
		setenv("OMP_THREAD_LIMIT", "1", 1);
		execv("/proc/self/exe", argv);
	}
}

#endif
