/*
 * daemon.c — faxintaked's context and event loop.
 *
 * One thread, one poll(): the inotify descriptor, a signalfd and the
 * workers' sockets.  The timeout is the nearest of the readiness table,
 * the workers' deadlines, the rescan and the watchdog, so an idle daemon
 * with rescan off sleeps until something happens.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "faxintake/arrival.h"
#include "faxintake/cases.h"
#include "faxintake/config.h"
#include "faxintake/daemon.h"
#include "faxintake/log.h"
#include "faxintake/notify.h"
#include "faxintake/outbox.h"
#include "faxintake/pool.h"
#include "faxintake/profile.h"
#include "faxintake/ready.h"
#include "faxintake/send.h"
#include "faxintake/spool.h"
#include "faxintake/store.h"
#include "faxintake/util.h"
#include "faxintake/watch.h"
#include "faxintake/xmalloc.h"

#define ACTOR			"faxintaked"
#define RETRY_BUSY_MS		1000		/* locked or still changing */
#define RETRY_UNREADABLE_MS	(60 * 1000)
#define RETRY_NOSPACE_MS	(10 * 1000)
#define ONCE_BUSY_TRIES		20		/* --once: then leave it */
#define STOP_GRACE_MS		(10 * 1000)	/* in-flight jobs at SIGTERM */
#define MAX_POLLFDS		80

struct daemon {
	const char		*config_path;
	int			 flags;
	struct config		*cfg;
	int			 lockfd;
	int			 sigfd;
	int			 ctlfd;		/* inotify on state_dir/wakeup */
	struct store		*st;
	struct spool		*sp;
	struct watch		*watch;
	struct ready		*ready;
	struct pool		*pool;
	struct send		*send;
	char			*outbox;	/* state_dir/outbox */
	struct spool_inbox	*inboxes;
	struct profile		**profiles;	/* one per inbox */

	long long		*queue;		/* file ids waiting for a worker */
	size_t			 nqueue;

	long long		 nospace_until;	/* ms: claiming paused */
	int			 nospace_logged;
	long long		 next_rescan;
	long long		 watchdog_ms;
	long long		 next_watchdog;
	long long		 stop_deadline;
	long long		 settle_hold;	/* ms: settling failed, wait */
	int			 stopping;
	int			 once_busy;	/* --once: busy retries so far */
};

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
profiles_free(struct profile **profs, size_t n)
{
	if (profs == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		profile_free(profs[i]);
	free(profs);
}

static void
queue_push(struct daemon *d, long long id, int front)
{
	for (size_t i = 0; i < d->nqueue; i++)
		if (d->queue[i] == id)
			return;
	d->queue = xreallocarray(d->queue, d->nqueue + 1, sizeof(*d->queue));
	if (front) {
		memmove(d->queue + 1, d->queue, d->nqueue * sizeof(*d->queue));
		d->queue[0] = id;
	} else
		d->queue[d->nqueue] = id;
	d->nqueue++;
}

static void
event(struct daemon *d, const char *action, long long file_id,
    const char *detail)
{
	int rc = store_event_add(d->st, ACTOR, action, NULL, file_id, detail);

	if (rc != 0)
		log_warnx("audit log: %s", store_errmsg(d->st));
}

/* --- arrivals ---------------------------------------------------------- */

static void
on_watch(void *arg, size_t inbox, const char *name, enum watch_event ev)
{
	struct daemon *d = arg;

	ready_note(d->ready, inbox, name, ev, now_ms());
}

static enum ready_verdict
on_ready(void *arg, size_t inbox, const char *name, long long *retry_ms)
{
	struct daemon *d = arg;
	const struct spool_inbox *in = &d->inboxes[inbox];
	long long settle = (d->flags & DAEMON_ONCE) ? 0 :
	    (long long)d->cfg->ready_seconds * 1000;
	long long id = 0;
	char *why = NULL;
	enum spool_result r;

	if (d->stopping || now_ms() < d->nospace_until) {
		*retry_ms = d->stopping ? 3600 * 1000 : d->nospace_until - now_ms();
		return READY_RETRY;
	}
	r = spool_claim(d->sp, in, name, settle, &id, &why);
	if (why && r != SPOOL_NOSPACE)
		log_debug("inbox %s: %s", in->name, why);
	switch (r) {
	case SPOOL_CLAIMED:
		log_info("file %lld: claimed from inbox %s", id, in->name);
		event(d, "claimed", id, in->name);
		queue_push(d, id, 0);
		break;
	case SPOOL_DUPLICATE:
		log_info("file %lld: duplicate of an earlier arrival (inbox %s)",
		    id, in->name);
		event(d, "duplicate", id, in->name);
		break;
	case SPOOL_REJECTED:
		log_notice("file %lld: rejected: not a regular file (inbox %s)",
		    id, in->name);
		event(d, "rejected", id, in->name);
		break;
	case SPOOL_IGNORED:
		break;
	case SPOOL_BUSY:
		free(why);
		if ((d->flags & DAEMON_ONCE) && ++d->once_busy > ONCE_BUSY_TRIES) {
			log_warnx("inbox %s: a file is still locked or being "
			    "written; left for the next run", in->name);
			return READY_DONE;
		}
		*retry_ms = RETRY_BUSY_MS;
		return READY_RETRY;
	case SPOOL_UNREADABLE:
		/* The name may say whose file it is: only at debug. */
		log_warnx("inbox %s: a file cannot be read yet; trying again "
		    "in %d s (its name and the cause at log_level=debug)",
		    in->name, RETRY_UNREADABLE_MS / 1000);
		free(why);
		if (d->flags & DAEMON_ONCE)
			return READY_DONE;
		*retry_ms = RETRY_UNREADABLE_MS;
		return READY_RETRY;
	case SPOOL_NOSPACE:
		/* why may name the file (a scan named after the patient): the
		 * details only at debug. */
		if (!d->nospace_logged) {
			log_errx("%s is full: files stay in the inboxes until "
			    "there is room", d->cfg->state_dir);
			log_debug("%s", why);
		}
		d->nospace_logged = 1;
		free(why);
		d->nospace_until = now_ms() + RETRY_NOSPACE_MS;
		if (d->flags & DAEMON_ONCE)
			return READY_DONE;
		*retry_ms = RETRY_NOSPACE_MS;
		return READY_RETRY;
	case SPOOL_ERROR:
		log_warnx("inbox %s: claiming a file failed; trying again "
		    "(the file and the cause at log_level=debug)", in->name);
		log_debug("inbox %s: %s", in->name, why);
		free(why);
		if (d->flags & DAEMON_ONCE)
			return READY_DONE;
		*retry_ms = RETRY_UNREADABLE_MS;
		return READY_RETRY;
	}
	if (r != SPOOL_NOSPACE && d->nospace_logged) {
		log_notice("there is room again; claiming resumed");
		d->nospace_logged = 0;
	}
	free(why);
	return READY_DONE;
}

/* --- results ----------------------------------------------------------- */

static void
quarantine(struct daemon *d, long long id, const char *code, const char *reason)
{
	struct store_file f;
	int rc;

	if ((rc = store_file_get(d->st, id, &f)) == 0) {
		rc = spool_quarantine(d->sp, id, f.sha256, code, reason);
		store_file_clear(&f);
	}
	if (rc != 0)
		log_warnx("file %lld: quarantining: %s", id, strerror(-rc));
	log_notice("file %lld: quarantined (%s): %s", id, code, reason);
	event(d, "quarantined", id, code);
}

static size_t
inbox_index(const struct daemon *d, const char *name)
{
	for (size_t i = 0; i < d->cfg->ninboxes; i++)
		if (strcmp(d->cfg->inboxes[i].name, name) == 0)
			return i;
	return (size_t)-1;
}

/* Store what the worker read, and attach it to cases. */
static int
file_recorded(struct daemon *d, const struct pool_result *r, int *ncases)
{
	struct arrival_env env;
	struct store_file f;
	size_t in;
	int rc;

	if ((rc = store_file_get(d->st, r->file_id, &f)) != 0)
		return rc;
	in = inbox_index(d, f.inbox);
	memset(&env, 0, sizeof(env));
	env.st = d->st;
	env.threshold = d->cfg->field_confidence;
	env.window = d->cfg->settle_seconds > 3600 ? d->cfg->settle_seconds : 3600;
	env.actor = ACTOR;
	if (in != (size_t)-1) {
		env.profile = d->profiles[in];
		env.hospital = d->cfg->inboxes[in].hospital;
	}
	if (env.profile == NULL && r->ndocs > 0) {
		/* Its inbox left the configuration since: keep the pages,
		 * the documents wait for a reprocess. */
		log_warnx("file %lld: inbox %s is no longer configured; its "
		    "documents are not attached", r->file_id, f.inbox);
		store_file_clear(&f);
		return store_file_done(d->st, r->file_id, r->mime, r->sender,
		    r->pages, r->npages);
	}
	rc = arrival_record(&env, r, f.received, ncases);
	store_file_clear(&f);
	return rc;
}

/* The profile of a hospital, from the inbox that names it. */
static const struct profile *
hospital_profile(const struct daemon *d, const char *hospital)
{
	for (size_t i = 0; i < d->cfg->ninboxes; i++)
		if (strcmp(d->cfg->inboxes[i].hospital, hospital) == 0)
			return d->profiles[i];
	return NULL;
}

/*
 * Settled cases (by time, or by a staff change through the CLI) whose
 * letters for their status are not written yet get them now.
 */
static void
write_letters(struct daemon *d)
{
	struct outbox_env env;
	char **ids;
	size_t n;

	memset(&env, 0, sizeof(env));
	env.cases.st = d->st;
	env.cases.threshold = d->cfg->field_confidence;
	env.cases.actor = ACTOR;
	env.templates = d->cfg->templates_dir;
	env.dir = d->outbox;
	env.auto_send = d->cfg->auto_send;
	env.now = (long long)time(NULL);
	if (store_cases_unsettled(d->st, &ids, &n) != 0) {
		log_warnx("letters: %s", store_errmsg(d->st));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct store_case c;
		const struct profile *prof;
		long long id = 0;
		int rc;

		if (store_case_get(d->st, ids[i], &c) != 0)
			continue;
		char *errs = NULL;

		if ((prof = hospital_profile(d, c.hospital)) != NULL &&
		    (rc = outbox_settle(&env, prof, c.id, &id, &errs)) != 0)
			log_warnx("case %s: its letter cannot be written: %s",
			    c.id, errs ? errs : strerror(-rc));
		else if (id)
			log_info("case %s: letter %lld written", c.id, id);
		free(errs);
		store_case_clear(&c);
	}
	store_strings_free(ids, n);
}

/*
 * Cases whose last document came settle_seconds ago (all of them at the
 * end of --once) are settled: their rules decide the status and their
 * letters are written.
 */
static void
settle_cases(struct daemon *d, int all)
{
	struct cases_env env = { d->st, d->cfg->field_confidence, ACTOR };
	long long before = all ? (long long)time(NULL) + 1 :
	    (long long)time(NULL) - d->cfg->settle_seconds;
	char **ids;
	size_t n;
	int failed = 0;

	if (store_cases_settle_due(d->st, before, &ids, &n) != 0) {
		log_warnx("settling cases: %s", store_errmsg(d->st));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct store_case c;
		const struct profile *prof;
		char *status = NULL;
		int rc;

		if (store_case_get(d->st, ids[i], &c) != 0)
			continue;
		prof = hospital_profile(d, c.hospital);
		if (prof == NULL) {
			/* Its inbox left the configuration: a person decides. */
			log_warnx("case %s: hospital %s has no inbox now; left "
			    "for review", c.id, c.hospital);
			if (store_case_add_review(d->st, c.id, "review:no_profile",
			    c.hospital) != 0 || store_case_set_status(d->st, c.id,
			    "needs_review") != 0)
				failed++;
			store_case_clear(&c);
			continue;
		}
		rc = cases_evaluate(&env, prof, c.id, 1, &status);
		if (rc == 0)
			log_info("case %s: %s", c.id, status);
		else {
			log_warnx("case %s: %s", c.id, strerror(-rc));
			failed++;
		}
		free(status);
		store_case_clear(&c);
	}
	store_strings_free(ids, n);
	/* What could not be settled is tried again in a minute, not in a
	 * tight loop. */
	d->settle_hold = failed ? now_ms() + 60 * 1000 : 0;
	write_letters(d);
}

/* Milliseconds until the next case settles, -1 when none is receiving. */
static long long
settle_next(struct daemon *d)
{
	long long oldest = store_cases_receiving_oldest(d->st), ms;

	if (oldest == 0)
		return -1;
	ms = (oldest + d->cfg->settle_seconds - (long long)time(NULL)) * 1000;
	if (d->settle_hold && ms < d->settle_hold - now_ms())
		ms = d->settle_hold - now_ms();
	return ms < 0 ? 0 : ms;
}

static void
on_result(void *arg, const struct pool_result *r)
{
	struct daemon *d = arg;
	int rc, attempts = 0, ncases = 0;

	switch (r->outcome) {
	case POOL_DONE:
		if ((rc = file_recorded(d, r, &ncases)) != 0) {
			/* Not recorded: it stays "processing" and is read
			 * again on the next start. */
			log_warnx("file %lld: storing the result: %s (%s)",
			    r->file_id, strerror(-rc), store_errmsg(d->st));
			return;
		}
		log_info("file %lld: %d page%s (%s), %zu document%s, %d case%s",
		    r->file_id, r->npages, r->npages == 1 ? "" : "s", r->mime,
		    r->ndocs, r->ndocs == 1 ? "" : "s", ncases,
		    ncases == 1 ? "" : "s");
		event(d, "decoded", r->file_id, r->mime);
		break;
	case POOL_REJECT:
		quarantine(d, r->file_id, r->reason_code, r->reason);
		break;
	case POOL_CRASH:
		log_warnx("file %lld: %s", r->file_id, r->reason);
		rc = store_file_add_attempt(d->st, r->file_id, &attempts);
		if (rc == 0 && attempts < 2) {
			event(d, "worker_crash", r->file_id, r->reason);
			queue_push(d, r->file_id, 1);	/* once more */
		} else {
			char reason[600];
			snprintf(reason, sizeof(reason), "%s, %d times",
			    r->reason, attempts);
			quarantine(d, r->file_id, "worker_crash", reason);
		}
		break;
	}
}

static void
dispatch(struct daemon *d)
{
	while (d->nqueue > 0 && !d->stopping && pool_idle(d->pool) > 0) {
		long long id = d->queue[0];
		struct store_file f;
		int fd, rc;

		memmove(d->queue, d->queue + 1, --d->nqueue * sizeof(*d->queue));
		if ((rc = store_file_get(d->st, id, &f)) != 0) {
			log_warnx("file %lld: %s", id, strerror(-rc));
			continue;
		}
		if (f.state != FILE_PROCESSING) {
			store_file_clear(&f);
			continue;
		}
		fd = spool_open_file(d->sp, f.sha256);
		if (fd < 0) {
			char reason[256];
			snprintf(reason, sizeof(reason), "spool file cannot be "
			    "opened: %s", strerror(-fd));
			quarantine(d, id, "spool_missing", reason);
		} else {
			rc = pool_submit(d->pool, id, fd, now_ms());
			close(fd);
			if (rc != 0) {
				queue_push(d, id, 1);
				store_file_clear(&f);
				break;
			}
		}
		store_file_clear(&f);
	}
}

/* --- start-up and configuration ----------------------------------------- */

static void
inboxes_build(struct daemon *d)
{
	free(d->inboxes);
	d->inboxes = xcalloc(d->cfg->ninboxes ? d->cfg->ninboxes : 1,
	    sizeof(*d->inboxes));
	for (size_t i = 0; i < d->cfg->ninboxes; i++) {
		d->inboxes[i].name = d->cfg->inboxes[i].name;
		d->inboxes[i].path = d->cfg->inboxes[i].path;
	}
}

static int
watch_start(struct daemon *d)
{
	const char **paths;
	char *err = NULL;
	int rc;

	paths = xcalloc(d->cfg->ninboxes ? d->cfg->ninboxes : 1, sizeof(*paths));
	for (size_t i = 0; i < d->cfg->ninboxes; i++)
		paths[i] = d->cfg->inboxes[i].path;
	rc = watch_open(paths, d->cfg->ninboxes, &d->watch, &err);
	free(paths);
	if (rc != 0) {
		log_errx("inbox %s", err);
		free(err);
		return -1;
	}
	return 0;
}

static void
worker_limits_from(const struct config *c, struct worker_limits *wl)
{
	wl->max_file_bytes = c->max_file_bytes;
	wl->max_pages = c->max_pages;
	wl->max_page_pixels = c->max_page_pixels;
	wl->memory_mb = c->job_memory_mb;
	wl->read_pages = c->read_pages;
}

/*
 * Load the profile of every inbox's hospital: a broken or missing one
 * stops the start (or a reload) with every error, FILE:LINE, logged.
 * On success *ret holds one profile per inbox (caller frees).
 */
static int
profiles_load(const struct config *c, struct profile ***ret)
{
	struct profile **profs;
	int bad = 0;

	profs = xcalloc(c->ninboxes ? c->ninboxes : 1, sizeof(*profs));
	for (size_t i = 0; i < c->ninboxes; i++) {
		char *dir, *errs = NULL;

		xasprintf(&dir, "%s/hospitals/%s", c->templates_dir,
		    c->inboxes[i].hospital);
		if (profile_load(dir, &profs[i], &errs) != 0) {
			log_errx("%s:%d: [inbox %s]: hospital '%s': the profile "
			    "cannot be used:\n%s", c->file, c->inboxes[i].line,
			    c->inboxes[i].name, c->inboxes[i].hospital,
			    errs ? errs : "");
			bad = 1;
		}
		free(errs);
		free(dir);
	}
	if (bad) {
		profiles_free(profs, c->ninboxes);
		return -1;
	}
	*ret = profs;
	return 0;
}

static int
state_lock(struct daemon *d)
{
	char *path, pid[32];
	int rc, n;

	xasprintf(&path, "%s/faxintaked.lock", d->cfg->state_dir);
	d->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0660);
	if (d->lockfd == -1) {
		log_warn("%s", path);
		free(path);
		return -1;
	}
	if (flock(d->lockfd, LOCK_EX | LOCK_NB) == -1) {
		n = (int)pread(d->lockfd, pid, sizeof(pid) - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		log_errx("%s is in use by another faxintaked (pid %s)",
		    d->cfg->state_dir, *pid ? pid : "?");
		free(path);
		return -1;
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	rc = ftruncate(d->lockfd, 0) == 0 && pwrite(d->lockfd, pid, (size_t)n, 0)
	    == n ? 0 : -1;
	free(path);
	return rc == 0 ? 0 : (log_warn("lock file"), 0);
}

static int
store_start(struct daemon *d)
{
	char *path, *err = NULL;
	long long *ids;
	size_t n;
	int rc, failed;

	xasprintf(&path, "%s/faxintake.db", d->cfg->state_dir);
	rc = store_open(path, STORE_CREATE, &d->st, &err);
	if (rc == 0)
		(void)chmod(path, 0660);
	free(path);
	if (rc != 0) {
		log_errx("database %s", err);
		free(err);
		return -1;
	}
	if (spool_open(d->cfg->state_dir, d->st, &d->sp, &err) != 0) {
		log_errx("spool %s", err);
		free(err);
		return -1;
	}
	if ((rc = spool_reconcile(d->sp, &failed)) < 0) {
		log_errx("reconciling the spool: %s", strerror(-rc));
		return -1;
	}
	if (rc > 0)
		log_notice("finished %d step%s interrupted by a stop", rc,
		    rc == 1 ? "" : "s");
	if (failed > 0)
		log_warnx("%d interrupted claim%s could not be finished (see "
		    "`faxintake files`); tried again at the next start", failed,
		    failed == 1 ? "" : "s");
	/* Whatever was being read when we stopped is read again. */
	if (store_file_ids(d->st, FILE_PROCESSING, &ids, &n) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		queue_push(d, ids[i], 0);
	if (n)
		log_info("%zu file%s waiting to be read", n, n == 1 ? "" : "s");
	free(ids);
	return 0;
}

static void
reload(struct daemon *d)
{
	struct config *nc;
	struct worker_limits wl;
	struct profile **profs;
	char *errs = NULL;
	int inboxes_same = 1, rc;

	if (config_load(d->config_path, 0, &nc, &errs) != 0) {
		log_errx("reload: configuration not changed:\n%s", errs);
		free(errs);
		return;
	}
	if (strcmp(nc->state_dir, d->cfg->state_dir) != 0) {
		log_errx("reload: state_dir changed; restart faxintaked to use it");
		config_free(nc);
		return;
	}
	if (profiles_load(nc, &profs) != 0) {
		log_errx("reload: configuration not changed");
		config_free(nc);
		return;
	}
	if (nc->ninboxes != d->cfg->ninboxes)
		inboxes_same = 0;
	for (size_t i = 0; inboxes_same && i < nc->ninboxes; i++)
		if (strcmp(nc->inboxes[i].name, d->cfg->inboxes[i].name) ||
		    strcmp(nc->inboxes[i].path, d->cfg->inboxes[i].path))
			inboxes_same = 0;
	if (!inboxes_same) {
		struct watch *old = d->watch;
		struct config *oc = d->cfg;

		d->cfg = nc;		/* watch_start() reads the paths */
		rc = watch_start(d);
		d->cfg = oc;
		if (rc != 0) {
			log_errx("reload: configuration not changed");
			d->watch = old;
			profiles_free(profs, nc->ninboxes);
			config_free(nc);
			return;
		}
		watch_close(old);
		/* Entries of the old inboxes are forgotten; the scan below
		 * finds whatever is still there. */
		ready_free(d->ready);
		d->ready = ready_new((long long)nc->ready_seconds * 1000);
	}
	profiles_free(d->profiles, d->cfg->ninboxes);
	d->profiles = profs;
	config_free(d->cfg);
	d->cfg = nc;
	inboxes_build(d);	/* its names point into the config */
	if (!inboxes_same)
		watch_scan(d->watch, (size_t)-1, on_watch, d);
	log_set_level(nc->log_level);
	worker_limits_from(nc, &wl);
	pool_set_limits(d->pool, &wl, nc->job_seconds);
	d->next_rescan = nc->rescan_seconds ?
	    now_ms() + nc->rescan_seconds * 1000LL : 0;
	log_notice("configuration reloaded from %s", d->config_path);
}

/*
 * The CLI touches state_dir/wakeup after a change the daemon must act on
 * (a released letter, a file to read again, a case a person settled).
 */
static int
control_start(struct daemon *d)
{
	d->ctlfd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (d->ctlfd == -1)
		return -1;
	if (inotify_add_watch(d->ctlfd, d->cfg->state_dir, IN_CLOSE_WRITE |
	    IN_MOVED_TO | IN_ONLYDIR) == -1)
		return -1;
	return 0;
}

static void
on_control(struct daemon *d)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	long long *ids;
	ssize_t len;
	size_t n;
	int wake = 0;

	while ((len = read(d->ctlfd, buf, sizeof(buf))) > 0)
		for (char *p = buf; p < buf + len; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)p;
			if (ev->len && strcmp(ev->name, "wakeup") == 0)
				wake = 1;
		}
	if (!wake)
		return;
	log_debug("woken by the CLI");
	if (store_file_ids(d->st, FILE_PROCESSING, &ids, &n) == 0) {
		for (size_t i = 0; i < n; i++)
			queue_push(d, ids[i], 0);	/* reprocess */
		free(ids);
	}
	write_letters(d);		/* cases a person settled */
}

static int
signals_start(struct daemon *d)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	d->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return d->sigfd == -1 ? -1 : 0;
}

static void
on_signals(struct daemon *d)
{
	struct signalfd_siginfo si;

	while (read(d->sigfd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			if (!d->stopping) {
				log_notice("stopping (signal %u)", si.ssi_signo);
				notify_send("STOPPING=1");
				d->stopping = 1;
				d->stop_deadline = now_ms() + STOP_GRACE_MS;
			}
			break;
		case SIGHUP:
			notify_send("RELOADING=1");
			reload(d);
			notify_send("READY=1");
			break;
		case SIGCHLD:
			pool_reap(d->pool, on_result, d, now_ms());
			send_reap(d->send, d->st, (long long)time(NULL));
			break;
		}
	}
}

static int
daemon_done(struct daemon *d)
{
	if (d->stopping)
		return pool_busy(d->pool) == 0 || now_ms() >= d->stop_deadline;
	if (!(d->flags & DAEMON_ONCE))
		return 0;
	return ready_count(d->ready) == 0 && d->nqueue == 0 &&
	    pool_busy(d->pool) == 0;
}

static long long
min_timeout(long long a, long long b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

/* --once: send what is due, waiting for each command (no retries now:
 * a failed letter is tried again by a later run). */
static void
send_once(struct daemon *d)
{
	if (d->cfg->outbound_argv == NULL)
		return;
	for (;;) {
		long long now = (long long)time(NULL);

		send_reap(d->send, d->st, now);
		send_start(d->send, d->st, d->cfg->outbound_argv, now);
		if (!send_busy(d->send))
			break;
		usleep(50 * 1000);	/* a few commands, bounded by their timeout */
	}
}

static int
daemon_loop(struct daemon *d)
{
	struct pollfd pfd[MAX_POLLFDS];

	while (!daemon_done(d)) {
		long long now = now_ms(), timeout, settle;
		int n, nw;

		if (d->next_rescan && now >= d->next_rescan) {
			watch_scan(d->watch, (size_t)-1, on_watch, d);
			d->next_rescan = now + d->cfg->rescan_seconds * 1000LL;
		}
		if (d->watchdog_ms && now >= d->next_watchdog) {
			notify_send("WATCHDOG=1");
			d->next_watchdog = now + d->watchdog_ms;
		}
		ready_run(d->ready, now, on_ready, d);
		dispatch(d);
		/* One query for the next settle time (every event passes here):
		 * again only when settling changed it. */
		settle = (d->flags & DAEMON_ONCE) ? -1 : settle_next(d);
		if (settle == 0) {
			settle_cases(d, 0);
			settle = settle_next(d);
		}
		if (!(d->flags & DAEMON_ONCE) && !d->stopping) {
			long long sn;

			send_reap(d->send, d->st, (long long)time(NULL));
			send_start(d->send, d->st, d->cfg->outbound_argv,
			    (long long)time(NULL));
			if (d->cfg->outbound_argv &&
			    (sn = send_next(d->send, d->st,
			    (long long)time(NULL))) >= 0)
				timeout = sn * 1000;
			else
				timeout = -1;
		} else
			timeout = -1;
		timeout = min_timeout(timeout, pool_tick(d->pool, now));
		timeout = min_timeout(timeout, settle);
		timeout = min_timeout(timeout, ready_next(d->ready, now));
		if (d->next_rescan)
			timeout = min_timeout(timeout, d->next_rescan - now);
		if (d->watchdog_ms)
			timeout = min_timeout(timeout, d->next_watchdog - now);
		if (d->stopping)
			timeout = min_timeout(timeout, d->stop_deadline - now);
		if (d->nqueue > 0 && pool_idle(d->pool) > 0)
			timeout = 0;
		if (daemon_done(d))
			break;

		pfd[0].fd = d->sigfd;
		pfd[0].events = POLLIN;
		pfd[1].fd = watch_fd(d->watch);
		pfd[1].events = POLLIN;
		pfd[2].fd = d->ctlfd;
		pfd[2].events = POLLIN;
		nw = pool_pollfds(d->pool, pfd + 3, MAX_POLLFDS - 3);
		n = poll(pfd, (nfds_t)(3 + nw), timeout < 0 ? -1 :
		    timeout > 86400000 ? 86400000 : (int)timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_warn("poll");
			return -1;
		}
		if (pfd[0].revents & POLLIN)
			on_signals(d);
		if (pfd[1].revents & POLLIN)
			watch_read(d->watch, on_watch, d);
		if (pfd[2].revents & POLLIN)
			on_control(d);
		pool_handle(d->pool, pfd + 3, nw, on_result, d);
	}
	return 0;
}

int
daemon_main(const char *config_path, int flags)
{
	struct daemon dd, *d = &dd;
	struct worker_limits wl;
	char *errs = NULL;
	int rc = 1;

	memset(d, 0, sizeof(*d));
	d->config_path = config_path;
	d->flags = flags;
	d->lockfd = d->sigfd = d->ctlfd = -1;
	if (config_load(config_path, 0, &d->cfg, &errs) != 0) {
		fprintf(stderr, "%s", errs);
		free(errs);
		return 2;
	}
	log_set_level(d->cfg->log_level);
	umask(0007);
	if (d->cfg->ninboxes == 0)
		log_warnx("%s: no [inbox] sections: nothing to watch",
		    d->cfg->file);
	if (profiles_load(d->cfg, &d->profiles) != 0) {
		rc = 2;
		goto out;
	}
	if (util_mkdir_p(d->cfg->state_dir, 02770) != 0) {
		log_warn("state_dir %s", d->cfg->state_dir);
		goto out;
	}
	if (state_lock(d) != 0) {
		rc = 2;
		goto out;
	}
	if (signals_start(d) != 0) {
		log_warn("signals");
		goto out;
	}
	if (control_start(d) != 0) {
		log_warn("watching %s", d->cfg->state_dir);
		goto out;
	}
	if (store_start(d) != 0)
		goto out;
	inboxes_build(d);
	if (watch_start(d) != 0) {
		rc = 2;
		goto out;
	}
	d->ready = ready_new((long long)d->cfg->ready_seconds * 1000);
	d->send = send_new();
	xasprintf(&d->outbox, "%s/outbox", d->cfg->state_dir);
	worker_limits_from(d->cfg, &wl);
	if ((rc = pool_new(d->cfg->workers, &wl, d->cfg->job_seconds,
	    d->cfg->templates_dir, &d->pool)) != 0) {
		log_errx("starting workers: %s", strerror(-rc));
		rc = 1;
		goto out;
	}
	watch_scan(d->watch, (size_t)-1, on_watch, d);
	write_letters(d);	/* cases people settled while it was stopped */
	if (flags & DAEMON_ONCE)
		ready_expedite(d->ready, now_ms());
	if (d->cfg->rescan_seconds && !(flags & DAEMON_ONCE))
		d->next_rescan = now_ms() + d->cfg->rescan_seconds * 1000LL;
	d->watchdog_ms = notify_watchdog_ms();
	d->next_watchdog = now_ms();
	log_info("started: %zu inbox%s, %d worker%s, state in %s",
	    d->cfg->ninboxes, d->cfg->ninboxes == 1 ? "" : "es",
	    d->cfg->workers, d->cfg->workers == 1 ? "" : "s", d->cfg->state_dir);
	notify_send("READY=1");
	rc = daemon_loop(d) == 0 ? 0 : 1;
	/* --once treats every case as settled: no waiting for more pages;
	 * its letters are written, and those that may go are sent. */
	if (rc == 0 && (flags & DAEMON_ONCE) && !d->stopping) {
		settle_cases(d, 1);
		write_letters(d);
		send_once(d);
	}
	log_info("%s", d->stopping ? "stopped" : "done");
out:
	send_free(d->send);
	free(d->outbox);
	pool_free(d->pool);
	ready_free(d->ready);
	watch_close(d->watch);
	spool_close(d->sp);
	store_close(d->st);
	free(d->inboxes);
	if (d->cfg)
		profiles_free(d->profiles, d->cfg->ninboxes);
	free(d->queue);
	if (d->sigfd >= 0)
		close(d->sigfd);
	if (d->ctlfd >= 0)
		close(d->ctlfd);
	if (d->lockfd >= 0)
		close(d->lockfd);
	config_free(d->cfg);
	return rc;
}
