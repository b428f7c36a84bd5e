/* send.c — the outbound fax command, run by argv with back-off. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "faxintake/buf.h"
#include "faxintake/log.h"
#include "faxintake/normalize.h"
#include "faxintake/send.h"
#include "faxintake/xmalloc.h"

#define SEND_PARALLEL	2

extern char **environ;

/* Seconds to wait before attempt n+1 after n failures. */
static const long long backoff[SEND_MAX_ATTEMPTS] = { 60, 300, 900, 3600, 14400 };

struct running {
	pid_t		 pid;
	long long	 letter;
	long long	 deadline;
	int		 killed;
};

struct send {
	struct running	 r[SEND_PARALLEL];
};

struct send *
send_new(void)
{
	return xcalloc(1, sizeof(struct send));
}

void
send_free(struct send *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < SEND_PARALLEL; i++)
		if (s->r[i].pid > 0) {
			kill(s->r[i].pid, SIGTERM);
			while (waitpid(s->r[i].pid, NULL, 0) == -1 &&
			    errno == EINTR)
				;
		}
	free(s);
}

int
send_busy(const struct send *s)
{
	int n = 0;

	for (int i = 0; i < SEND_PARALLEL; i++)
		n += s->r[i].pid > 0;
	return n;
}

int
send_number(const char *in, char out[16])
{
	char digits[NORM_PHONE_LEN];
	const char *rest;
	size_t n;

	if (in == NULL)
		return -EINVAL;
	/* Only what a phone number is written with reaches the command. */
	rest = strncmp(in, "+81", 3) == 0 ? in + 3 : in;
	if (strspn(rest, "0123456789 -()") != strlen(rest))
		return -EINVAL;
	if (norm_phone_digits(in, digits, sizeof(digits)) != 0)
		return -EINVAL;
	n = strlen(digits);
	if ((n != 10 && n != 11) || digits[0] != '0' || digits[1] == '0')
		return -EINVAL;
	memcpy(out, digits, n + 1);
	return 0;
}

/* One argv word with the placeholders filled in. */
static char *
expand(const char *word, const struct store_letter *l, const char *fax)
{
	static const char *const keys[] = { "{fax}", "{file}", "{pdf}",
	    "{case}", "{letter}" };
	char id[32];
	const char *vals[5];
	struct buf b;

	snprintf(id, sizeof(id), "%lld", l->id);
	vals[0] = fax;
	vals[1] = l->tiff;
	vals[2] = l->pdf;
	vals[3] = l->case_id;
	vals[4] = id;
	buf_init(&b, 8192);
	while (*word) {
		size_t k;

		for (k = 0; k < 5; k++)
			if (strncmp(word, keys[k], strlen(keys[k])) == 0)
				break;
		if (k < 5) {
			(void)buf_addstr(&b, vals[k] ? vals[k] : "");
			word += strlen(keys[k]);
		} else
			(void)buf_add(&b, word++, 1);
	}
	return buf_take(&b);
}

static void
record(struct store *st, const struct store_letter *l, int ok, int status,
    long long now, const char *why)
{
	int attempts = l->attempts + 1;
	const char *state = ok ? "sent" :
	    attempts >= SEND_MAX_ATTEMPTS ? "failed" : "queued";
	long long next = ok || attempts >= SEND_MAX_ATTEMPTS ? 0 :
	    now + backoff[attempts - 1];

	if (store_letter_set_status(st, l->id, state, attempts, next, status) != 0)
		log_warnx("letter %lld: recording the send: %s", l->id,
		    store_errmsg(st));
	(void)store_event_add(st, "faxintaked", ok ? "letter_sent" :
	    "letter_send_failed", l->case_id, 0, why);
	if (ok)
		log_info("letter %lld (case %s): sent", l->id, l->case_id);
	else
		log_warnx("letter %lld (case %s): sending failed (%s); %s",
		    l->id, l->case_id, why, attempts >= SEND_MAX_ATTEMPTS ?
		    "given up: see `faxintake letters`" : "tried again later");
}

static int
start_one(struct send *s, struct store *st, char *const *tmpl,
    const struct store_letter *l, long long now)
{
	posix_spawn_file_actions_t fa;
	char fax[16], **argv;
	size_t n = 0;
	pid_t pid;
	int slot = -1, rc;

	for (int i = 0; i < SEND_PARALLEL; i++)
		if (s->r[i].pid == 0)
			slot = i;
	if (slot < 0)
		return -EBUSY;
	if (send_number(l->to_fax, fax) != 0) {
		/* Never dial something that is not a phone number. */
		struct store_letter x = *l;
		x.attempts = SEND_MAX_ATTEMPTS - 1;
		record(st, &x, 0, -1, now, "the number is not a phone number");
		return 0;
	}
	while (tmpl[n])
		n++;
	argv = xcalloc(n + 1, sizeof(*argv));
	for (size_t i = 0; i < n; i++)
		argv[i] = expand(tmpl[i], l, fax);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
	    O_RDONLY, 0);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	for (size_t i = 0; i < n; i++)
		free(argv[i]);
	free(argv);
	if (rc != 0) {
		char why[128];
		snprintf(why, sizeof(why), "cannot run %s: %s", tmpl[0],
		    strerror(rc));
		record(st, l, 0, -1, now, why);
		return 0;
	}
	s->r[slot].pid = pid;
	s->r[slot].letter = l->id;
	s->r[slot].deadline = now + SEND_TIMEOUT_SECONDS;
	s->r[slot].killed = 0;
	/* In flight: not due again until it ends. */
	(void)store_letter_set_status(st, l->id, "queued", l->attempts,
	    now + SEND_TIMEOUT_SECONDS * 2, l->exit_status);
	log_info("letter %lld (case %s): sending", l->id, l->case_id);
	return 0;
}

int
send_start(struct send *s, struct store *st, char *const *argv, long long now)
{
	long long *ids;
	size_t n;
	int rc;

	if (argv == NULL || argv[0] == NULL)
		return 0;	/* no command: letters wait in the outbox */
	if ((rc = store_letters_due(st, now, &ids, &n)) != 0)
		return rc;
	for (size_t i = 0; i < n && send_busy(s) < SEND_PARALLEL; i++) {
		struct store_letter l;
		int running = 0;

		for (int k = 0; k < SEND_PARALLEL; k++)
			running |= s->r[k].pid > 0 && s->r[k].letter == ids[i];
		if (running || store_letter_get(st, ids[i], &l) != 0)
			continue;
		(void)start_one(s, st, argv, &l, now);
		store_letter_clear(&l);
	}
	free(ids);
	return 0;
}

void
send_reap(struct send *s, struct store *st, long long now)
{
	for (int i = 0; i < SEND_PARALLEL; i++) {
		struct running *r = &s->r[i];
		struct store_letter l;
		char why[96];
		int status;
		pid_t pid;

		if (r->pid <= 0)
			continue;
		do
			pid = waitpid(r->pid, &status, WNOHANG);
		while (pid == -1 && errno == EINTR);
		if (pid == 0) {
			if (now >= r->deadline && !r->killed) {
				kill(r->pid, SIGKILL);
				r->killed = 1;
			}
			continue;
		}
		if (store_letter_get(st, r->letter, &l) == 0) {
			int ok = pid == r->pid && WIFEXITED(status) &&
			    WEXITSTATUS(status) == 0;
			int code = pid == r->pid && WIFEXITED(status) ?
			    WEXITSTATUS(status) : -1;

			if (r->killed)
				snprintf(why, sizeof(why), "took longer than %d s",
				    SEND_TIMEOUT_SECONDS);
			else if (pid == r->pid && WIFSIGNALED(status))
				snprintf(why, sizeof(why), "killed by signal %d",
				    WTERMSIG(status));
			else
				snprintf(why, sizeof(why), "exit status %d", code);
			record(st, &l, ok, code, now, why);
			store_letter_clear(&l);
		}
		r->pid = 0;
	}
}

long long
send_next(struct send *s, struct store *st, long long now)
{
	long long next = -1, t;
	int have = 0;

	for (int i = 0; i < SEND_PARALLEL; i++)
		if (s->r[i].pid > 0 && (!have || s->r[i].deadline - now < next)) {
			next = s->r[i].deadline - now;
			have = 1;
		}
	/* With every slot busy a due letter must wait for a child to end
	 * (SIGCHLD wakes the loop), not make it spin. */
	if (send_busy(s) < SEND_PARALLEL &&
	    (t = store_letters_next(st)) >= 0 && (!have || t - now < next)) {
		next = t - now;
		have = 1;
	}
	if (!have)
		return -1;
	return next < 0 ? 0 : next;
}
