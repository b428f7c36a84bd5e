/*
 * worker.h — the worker processes.  The daemon re-executes itself as
 * `faxintaked --worker` (fork then exec at once, so no state is shared)
 * with the socket on WORKER_FD; the worker sets its own limits, loads what
 * it keeps loaded (the OCR engine, in the reading stage), then serves
 * jobs: a file descriptor in, page results out.  It never opens the
 * database and dies with the daemon (PR_SET_PDEATHSIG).
 */
#ifndef FAXINTAKE_WORKER_H
#define FAXINTAKE_WORKER_H

#include <sys/types.h>

#define WORKER_FD	3

struct worker_limits {
	unsigned long long max_file_bytes;
	int		 max_pages;
	unsigned long long max_page_pixels;
	int		 memory_mb;	/* RLIMIT_DATA */
	int		 read_pages;	/* OCR and classify, or only decode */
};

/* Format and parse the limits as one argv word. */
void	 worker_limits_format(const struct worker_limits *, char *, size_t);
int	 worker_limits_parse(const char *, struct worker_limits *);

/* The worker process: serve jobs on WORKER_FD until it closes.  parent is
 * the daemon's pid (the worker exits if it is already gone); templates the
 * folder of the forms the reader knows.  Returns the exit code. */
int	 worker_main(pid_t parent, const struct worker_limits *,
	    const char *templates);

#endif
