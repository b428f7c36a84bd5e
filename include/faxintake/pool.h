/*
 * pool.h — the daemon's side of the worker processes: start them, hand
 * each an arrival, collect its pages, and notice when one dies or runs
 * past its time (then it is killed and restarted).
 */
#ifndef FAXINTAKE_POOL_H
#define FAXINTAKE_POOL_H

#include <poll.h>
#include <stddef.h>

#include "faxintake/store.h"
#include "faxintake/worker.h"

enum pool_outcome {
	POOL_DONE,	/* decoded: pages, mime, sender */
	POOL_REJECT,	/* bad input: reason_code, reason */
	POOL_CRASH,	/* the worker died or was killed: reason says how */
};

/* What a worker read on one page (when reading is on). */
struct pool_page_read {
	int			 read;		/* 0: decoded only */
	char			 doc_type[32];
	double			 confidence;
	char			*text;		/* malloc'd */
	char			 header_sender[32];
	char			 qr[256];
	int			 cover_total;	/* 全N枚, 0 unknown */
};

struct pool_field {
	char			 field[32];
	char			*value;		/* malloc'd */
	char			*raw;		/* malloc'd */
	double			 confidence;
	int			 page;
};

struct pool_doc {
	char			 type[32];
	int			 first_page, last_page;
	int			 application;
	int			 dedicated_form;	/* -1 n/a, 0, 1 */
	char			 language[8];
	double			 confidence;
	char			 case_id[32];
	struct pool_field	*fields;
	size_t			 nfields;
};

struct pool_result {
	long long		 file_id;
	enum pool_outcome	 outcome;
	char			 mime[64];
	char			 sender[128];
	char			 reason_code[32];
	char			 reason[512];
	/* All owned by the pool, valid during the callback. */
	struct store_page	*pages;
	struct pool_page_read	*reads;		/* one per page */
	int			 npages;
	struct pool_doc		*docs;
	size_t			 ndocs;
	int			 worker_pid;
};

typedef void (*pool_result_fn)(void *arg, const struct pool_result *);

struct pool;

/* templates: the folder the workers' reader finds the forms in. */
int	 pool_new(int nworkers, const struct worker_limits *, int job_seconds,
	    const char *templates, struct pool **ret);
/* Kill every worker and wait for them. */
void	 pool_free(struct pool *);
/* Workers ready for a job now. */
int	 pool_idle(const struct pool *);
int	 pool_busy(const struct pool *);
/* Give file_id (open as fd; the pool does not keep it) to an idle worker. */
int	 pool_submit(struct pool *, long long file_id, int fd, long long now_ms);
/* Fill pfd with the workers' sockets; returns how many. */
int	 pool_pollfds(const struct pool *, struct pollfd *, int max);
/* Read what the workers sent on the sockets that poll() marked. */
void	 pool_handle(struct pool *, const struct pollfd *, int n,
	    pool_result_fn, void *arg);
/* After SIGCHLD: reap dead workers, report their jobs, restart them. */
void	 pool_reap(struct pool *, pool_result_fn, void *arg, long long now_ms);
/* Kill workers past their job's deadline; ms until the next deadline or
 * restart is due, -1 when nothing is. */
long long pool_tick(struct pool *, long long now_ms);
/* Change the limits for workers started from now on. */
void	 pool_set_limits(struct pool *, const struct worker_limits *,
	    int job_seconds);

#endif
