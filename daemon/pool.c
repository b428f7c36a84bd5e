/*
 * pool.c — worker supervision.  Workers are started by fork and an
 * immediate exec of our own binary, so they share nothing but the socket.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "faxintake/log.h"
#include "faxintake/msg.h"
#include "faxintake/pool.h"
#include "faxintake/xmalloc.h"

/* Restart a worker that died this soon after starting only after a pause,
 * so a broken installation does not spin. */
#define POOL_RESTART_MS		1000
#define POOL_FAST_DEATH_MS	2000

struct worker {
	pid_t			 pid;		/* 0: not running */
	int			 fd;		/* -1: closed */
	int			 ready;		/* said hello */
	long long		 file_id;	/* the job, 0 when idle */
	unsigned long long	 seq;		/* the job's place in order */
	long long		 deadline;	/* ms, for the job */
	int			 timed_out;
	long long		 started;
	long long		 restart_at;	/* ms, when pid == 0 */
	struct store_page	*pages;
	struct pool_page_read	*reads;
	int			 npages;
	int			 cap;
	struct pool_doc		*docs;
	size_t			 ndocs;
};

struct pool {
	struct worker		*w;
	int			 n;
	struct worker_limits	 limits;
	int			 job_seconds;
	char			*templates;
	char			*exe;		/* our binary, for the workers */
	char			*text;		/* MSG_MAX: a page's text */
	struct msg		 m;		/* receive buffer */
	/*
	 * Results are given out in the order the files were submitted (the
	 * order they arrived): a file read faster than the one sent before
	 * it waits here, owning its pages and documents, so that cases are
	 * matched as the files came and not as the workers finished.
	 */
	unsigned long long	 seq_next;	/* for the next submission */
	unsigned long long	 seq_out;	/* the next to give out */
	struct held {
		unsigned long long	 seq;
		struct pool_result	 r;
	}			*held;
	size_t			 nheld;
};

static void
reads_docs_free(struct pool_page_read *reads, int npages,
    struct pool_doc *docs, size_t ndocs)
{
	for (int i = 0; i < npages; i++)
		free(reads[i].text);
	for (size_t i = 0; i < ndocs; i++) {
		for (size_t k = 0; k < docs[i].nfields; k++) {
			free(docs[i].fields[k].value);
			free(docs[i].fields[k].raw);
		}
		free(docs[i].fields);
	}
	free(docs);
}

/* Forget what a worker sent of its current job. */
static void
worker_job_clear(struct worker *w)
{
	reads_docs_free(w->reads, w->npages, w->docs, w->ndocs);
	w->docs = NULL;
	w->ndocs = 0;
	w->npages = 0;
}

/* A held result's own copy is freed. */
static void
held_free(struct held *h)
{
	reads_docs_free(h->r.reads, h->r.npages, h->r.docs, h->r.ndocs);
	free(h->r.pages);
	free(h->r.reads);
}

static int
worker_spawn(struct pool *p, struct worker *w, long long now_ms)
{
	char limits[128], ppid[32];
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return -errno;
	worker_limits_format(&p->limits, limits, sizeof(limits));
	snprintf(ppid, sizeof(ppid), "%ld", (long)getpid());
	pid = fork();
	if (pid == -1) {
		int err = errno;
		close(sv[0]);
		close(sv[1]);
		return -err;
	}
	if (pid == 0) {
		sigset_t none;
		char *argv[] = { "faxintaked", "--worker", ppid, limits,
		    p->templates, NULL };

		/* The daemon blocks signals for its signalfd; the mask would
		 * survive exec. */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* One OpenMP thread per worker: libgomp reads this when the
		 * process starts, so it must be in the environment of exec. */
		setenv("OMP_THREAD_LIMIT", "1", 1);
		if (dup2(sv[1], WORKER_FD) == -1)
			_exit(127);
		execv(p->exe, argv);
		_exit(127);
	}
	close(sv[1]);
	w->pid = pid;
	w->fd = sv[0];
	w->ready = 0;
	w->file_id = 0;
	w->timed_out = 0;
	w->started = now_ms;
	worker_job_clear(w);
	return 0;
}

int
pool_new(int nworkers, const struct worker_limits *limits, int job_seconds,
    const char *templates, struct pool **ret)
{
	struct pool *p = xcalloc(1, sizeof(*p));
	int rc = 0;

	p->templates = xstrdup(templates);
	p->text = xmalloc(MSG_MAX);
	{
		/* Resolved once: the same binary for every worker (and a path
		 * that tools like valgrind see through, unlike /proc/self/exe). */
		char exe[4096];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

		if (n <= 0) {
			pool_free(p);
			return -errno;
		}
		exe[n] = '\0';
		p->exe = xstrdup(exe);
	}
	p->n = nworkers;
	p->w = xcalloc((size_t)nworkers, sizeof(*p->w));
	p->limits = *limits;
	p->job_seconds = job_seconds;
	for (int i = 0; i < nworkers; i++)
		p->w[i].fd = -1;
	for (int i = 0; i < nworkers && rc == 0; i++)
		rc = worker_spawn(p, &p->w[i], 0);
	if (rc != 0) {
		pool_free(p);
		return rc;
	}
	*ret = p;
	return 0;
}

void
pool_free(struct pool *p)
{
	if (p == NULL)
		return;
	for (int i = 0; i < p->n; i++) {
		struct worker *w = &p->w[i];
		if (w->fd >= 0)
			close(w->fd);
		if (w->pid > 0) {
			kill(w->pid, SIGKILL);
			while (waitpid(w->pid, NULL, 0) == -1 && errno == EINTR)
				;
		}
		worker_job_clear(w);
		free(w->pages);
		free(w->reads);
	}
	/* never given out: those files are read again on the next start */
	for (size_t i = 0; i < p->nheld; i++)
		held_free(&p->held[i]);
	free(p->held);
	free(p->w);
	free(p->templates);
	free(p->exe);
	free(p->text);
	free(p);
}

void
pool_set_limits(struct pool *p, const struct worker_limits *limits,
    int job_seconds)
{
	p->limits = *limits;
	p->job_seconds = job_seconds;
}

int
pool_idle(const struct pool *p)
{
	int n = 0;

	for (int i = 0; i < p->n; i++)
		if (p->w[i].pid > 0 && p->w[i].ready && p->w[i].file_id == 0)
			n++;
	return n;
}

int
pool_busy(const struct pool *p)
{
	int n = 0;

	for (int i = 0; i < p->n; i++)
		if (p->w[i].file_id != 0)
			n++;
	return n + (int)p->nheld;
}

int
pool_submit(struct pool *p, long long file_id, int fd, long long now_ms)
{
	struct msg *m = &p->m;

	for (int i = 0; i < p->n; i++) {
		struct worker *w = &p->w[i];
		int rc;

		if (w->pid <= 0 || !w->ready || w->file_id != 0)
			continue;
		msg_init(m, MSG_JOB_DECODE);
		msg_put_u64(m, (uint64_t)file_id);
		m->fd = fd;
		if ((rc = msg_send(w->fd, m)) != 0)
			return rc;	/* the worker is dying: reaped soon */
		w->file_id = file_id;
		w->seq = p->seq_next++;
		w->deadline = now_ms + (long long)p->job_seconds * 1000;
		w->timed_out = 0;
		worker_job_clear(w);
		log_debug("file %lld: to worker %ld", file_id, (long)w->pid);
		return 0;
	}
	return -EBUSY;
}

int
pool_pollfds(const struct pool *p, struct pollfd *pfd, int max)
{
	int n = 0;

	for (int i = 0; i < p->n && n < max; i++)
		if (p->w[i].fd >= 0) {
			pfd[n].fd = p->w[i].fd;
			pfd[n].events = POLLIN;
			pfd[n].revents = 0;
			n++;
		}
	return n;
}

static void
result_init(struct pool_result *r, struct worker *w, enum pool_outcome o)
{
	memset(r, 0, sizeof(*r));
	r->file_id = w->file_id;
	r->outcome = o;
	r->worker_pid = (int)w->pid;
}

static double
from_millionths(uint32_t v)
{
	return v > 1000000 ? 1.0 : v / 1e6;
}

/* MSG_PAGE: the page's facts, and what it says when it was read. */
static int
page_message(struct pool *p, struct worker *w, struct msg *m)
{
	struct store_page pg;
	struct pool_page_read rd;
	uint64_t id;

	memset(&rd, 0, sizeof(rd));
	id = msg_get_u64(m);
	pg.pageno = (int)msg_get_u32(m);
	pg.width = (int)msg_get_u32(m);
	pg.height = (int)msg_get_u32(m);
	pg.xres = (int)msg_get_u32(m);
	pg.yres = (int)msg_get_u32(m);
	pg.depth = (int)msg_get_u32(m);
	rd.read = msg_get_u32(m) != 0;
	if (rd.read) {
		msg_get_str(m, rd.doc_type, sizeof(rd.doc_type));
		rd.confidence = from_millionths(msg_get_u32(m));
		msg_get_str(m, p->text, MSG_MAX);
		msg_get_str(m, rd.header_sender, sizeof(rd.header_sender));
		msg_get_str(m, rd.qr, sizeof(rd.qr));
		rd.cover_total = (int)msg_get_u32(m);
	}
	if (msg_end(m) != 0 || (long long)id != w->file_id ||
	    pg.pageno != w->npages + 1 || w->npages >= p->limits.max_pages)
		return -EBADMSG;
	if (w->npages == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 8;
		w->pages = xreallocarray(w->pages, (size_t)w->cap,
		    sizeof(*w->pages));
		w->reads = xreallocarray(w->reads, (size_t)w->cap,
		    sizeof(*w->reads));
	}
	rd.text = rd.read ? xstrdup(p->text) : NULL;
	w->pages[w->npages] = pg;
	w->reads[w->npages] = rd;
	w->npages++;
	return 0;
}

/* MSG_DOC and MSG_DOC_FIELD: the file's documents, in order. */
static int
doc_message(struct pool *p, struct worker *w, struct msg *m)
{
	struct pool_doc d;
	uint64_t id;
	uint32_t index;

	memset(&d, 0, sizeof(d));
	id = msg_get_u64(m);
	index = msg_get_u32(m);
	msg_get_str(m, d.type, sizeof(d.type));
	d.first_page = (int)msg_get_u32(m);
	d.last_page = (int)msg_get_u32(m);
	d.application = (int)msg_get_u32(m);
	d.dedicated_form = (int)(int32_t)msg_get_u32(m);
	msg_get_str(m, d.language, sizeof(d.language));
	d.confidence = from_millionths(msg_get_u32(m));
	msg_get_str(m, d.case_id, sizeof(d.case_id));
	if (msg_end(m) != 0 || (long long)id != w->file_id ||
	    index != w->ndocs || w->ndocs >= (size_t)w->npages ||
	    d.first_page < 1 || d.last_page < d.first_page ||
	    d.last_page > w->npages)
		return -EBADMSG;
	(void)p;
	w->docs = xreallocarray(w->docs, w->ndocs + 1, sizeof(*w->docs));
	w->docs[w->ndocs++] = d;
	return 0;
}

static int
field_message(struct pool *p, struct worker *w, struct msg *m)
{
	struct pool_field f;
	struct pool_doc *d;
	char raw[1024];
	uint64_t id;
	uint32_t index;

	memset(&f, 0, sizeof(f));
	id = msg_get_u64(m);
	index = msg_get_u32(m);
	msg_get_str(m, f.field, sizeof(f.field));
	msg_get_str(m, p->text, 1024);
	msg_get_str(m, raw, sizeof(raw));
	f.confidence = from_millionths(msg_get_u32(m));
	f.page = (int)msg_get_u32(m);
	if (msg_end(m) != 0 || (long long)id != w->file_id ||
	    w->ndocs == 0 || index != w->ndocs - 1 ||
	    w->docs[index].nfields >= 64 || f.page < 1 || f.page > w->npages)
		return -EBADMSG;
	d = &w->docs[index];
	f.value = xstrdup(p->text);
	f.raw = xstrdup(raw);
	d->fields = xreallocarray(d->fields, d->nfields + 1, sizeof(*d->fields));
	d->fields[d->nfields++] = f;
	return 0;
}

/*
 * Worker w's job ended with r (its pages, reads and documents are the
 * worker's): give it out now if every earlier file's is, else hold it
 * with what it owns moved out of the worker.  Then give out the held
 * results that are next in order.
 */
static void
finish(struct pool *p, struct worker *w, struct pool_result *r,
    pool_result_fn fn, void *arg)
{
	unsigned long long seq = w->seq;
	size_t i;

	w->file_id = 0;
	if (seq != p->seq_out) {
		struct held *h;

		p->held = xreallocarray(p->held, p->nheld + 1,
		    sizeof(*p->held));
		h = &p->held[p->nheld++];
		h->seq = seq;
		h->r = *r;
		if (r->outcome == POOL_DONE) {
			/* the worker's buffers become the held result's */
			w->pages = NULL;
			w->reads = NULL;
			w->cap = 0;
			w->docs = NULL;
			w->npages = 0;
			w->ndocs = 0;
		} else {
			h->r.pages = NULL;
			h->r.reads = NULL;
			h->r.docs = NULL;
			h->r.npages = 0;
			h->r.ndocs = 0;
			worker_job_clear(w);
		}
		log_debug("file %lld: read before an earlier file; held",
		    r->file_id);
		return;
	}
	fn(arg, r);
	worker_job_clear(w);
	p->seq_out++;
	for (i = 0; i < p->nheld; ) {
		if (p->held[i].seq != p->seq_out) {
			i++;
			continue;
		}
		fn(arg, &p->held[i].r);
		held_free(&p->held[i]);
		p->held[i] = p->held[--p->nheld];
		p->seq_out++;
		i = 0;			/* the next may be anywhere */
	}
}

/* The worker broke the protocol: it is not to be trusted with more. */
static void
worker_drop(struct worker *w, const char *why)
{
	log_warnx("worker %ld: %s; restarting it", (long)w->pid, why);
	if (w->pid > 0)
		kill(w->pid, SIGKILL);
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}

static void
worker_message(struct pool *p, struct worker *w, pool_result_fn fn, void *arg)
{
	struct msg *m = &p->m;
	struct pool_result r;
	uint64_t id;

	switch (m->type) {
	case MSG_HELLO:
		(void)msg_get_u32(m);
		if (msg_end(m) != 0) {
			worker_drop(w, "bad hello");
			return;
		}
		w->ready = 1;
		return;
	case MSG_PAGE:
		if (page_message(p, w, m) != 0)
			worker_drop(w, "bad page message");
		return;
	case MSG_DOC:
		if (doc_message(p, w, m) != 0)
			worker_drop(w, "bad document message");
		return;
	case MSG_DOC_FIELD:
		if (field_message(p, w, m) != 0)
			worker_drop(w, "bad field message");
		return;
	case MSG_DONE:
		result_init(&r, w, POOL_DONE);
		id = msg_get_u64(m);
		r.npages = (int)msg_get_u32(m);
		r.ndocs = msg_get_u32(m);
		msg_get_str(m, r.mime, sizeof(r.mime));
		msg_get_str(m, r.sender, sizeof(r.sender));
		if (msg_end(m) != 0 || (long long)id != w->file_id ||
		    r.npages != w->npages || r.ndocs != w->ndocs) {
			worker_drop(w, "bad done message");
			return;
		}
		r.pages = w->pages;
		r.reads = w->reads;
		r.docs = w->docs;
		break;
	case MSG_REJECT:
		result_init(&r, w, POOL_REJECT);
		id = msg_get_u64(m);
		msg_get_str(m, r.mime, sizeof(r.mime));
		msg_get_str(m, r.reason_code, sizeof(r.reason_code));
		msg_get_str(m, r.reason, sizeof(r.reason));
		if (msg_end(m) != 0 || (long long)id != w->file_id) {
			worker_drop(w, "bad reject message");
			return;
		}
		break;
	default:
		worker_drop(w, "unknown message");
		return;
	}
	finish(p, w, &r, fn, arg);
}

void
pool_handle(struct pool *p, const struct pollfd *pfd, int n, pool_result_fn fn,
    void *arg)
{
	for (int k = 0; k < n; k++) {
		struct worker *w = NULL;
		int rc;

		if (!(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		for (int i = 0; i < p->n; i++)
			if (p->w[i].fd == pfd[k].fd)
				w = &p->w[i];
		if (w == NULL)
			continue;
		rc = msg_recv(w->fd, &p->m);
		if (p->m.fd >= 0) {	/* workers send no descriptors */
			close(p->m.fd);
			p->m.fd = -1;
		}
		if (rc == -EAGAIN || rc == -EINTR)
			continue;
		if (rc != 0) {
			/* EOF: it died; pool_reap() reports it. */
			close(w->fd);
			w->fd = -1;
			continue;
		}
		worker_message(p, w, fn, arg);
	}
}

static void
describe_death(const struct worker *w, int status, char *out, size_t size)
{
	if (w->timed_out)
		snprintf(out, size, "the worker reading it took longer than "
		    "job_seconds and was killed");
	else if (WIFSIGNALED(status))
		snprintf(out, size, "the worker reading it was killed by signal "
		    "%d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(out, size, "the worker reading it exited with status %d",
		    WEXITSTATUS(status));
}

void
pool_reap(struct pool *p, pool_result_fn fn, void *arg, long long now_ms)
{
	/* Each worker by its pid: other children (the outbound fax command)
	 * are reaped by their own owner. */
	for (int i = 0; i < p->n; i++) {
		struct worker *w = &p->w[i];
		struct pool_result r;
		pid_t pid;
		int status;

		if (w->pid <= 0)
			continue;
		do
			pid = waitpid(w->pid, &status, WNOHANG);
		while (pid == -1 && errno == EINTR);
		if (pid != w->pid)
			continue;
		if (w->fd >= 0)
			close(w->fd);
		w->fd = -1;
		w->pid = 0;
		w->ready = 0;
		if (w->file_id != 0) {
			result_init(&r, w, POOL_CRASH);
			r.worker_pid = (int)pid;
			describe_death(w, status, r.reason, sizeof(r.reason));
			snprintf(r.reason_code, sizeof(r.reason_code),
			    "worker_crash");
			finish(p, w, &r, fn, arg);
		} else
			log_warnx("worker %ld exited (status 0x%x) while idle",
			    (long)pid, status);
		w->restart_at = now_ms - w->started < POOL_FAST_DEATH_MS ?
		    now_ms + POOL_RESTART_MS : now_ms;
	}
}

long long
pool_tick(struct pool *p, long long now_ms)
{
	long long next = -1;

	for (int i = 0; i < p->n; i++) {
		struct worker *w = &p->w[i];
		long long due = -1;

		if (w->pid == 0) {
			if (w->restart_at <= now_ms) {
				int rc = worker_spawn(p, w, now_ms);
				if (rc != 0) {
					log_warnx("starting a worker: %s",
					    strerror(-rc));
					w->restart_at = now_ms + POOL_RESTART_MS;
					due = w->restart_at;
				}
			} else
				due = w->restart_at;
		} else if (w->file_id != 0) {
			if (w->deadline <= now_ms && !w->timed_out) {
				log_warnx("file %lld: worker %ld over job_seconds;"
				    " killing it", w->file_id, (long)w->pid);
				w->timed_out = 1;
				kill(w->pid, SIGKILL);
			} else if (!w->timed_out)
				due = w->deadline;
		}
		if (due >= 0 && (next < 0 || due - now_ms < next))
			next = due - now_ms < 0 ? 0 : due - now_ms;
	}
	return next;
}
