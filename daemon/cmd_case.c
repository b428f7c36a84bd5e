/*
 * cmd_case.c — staff fix and decide: set, resolve, new-case, move, merge,
 * decide, letters, release, reprocess, page.  Every change is written to
 * the audit log with the staff member's login and re-runs the case's
 * rules; letters a change calls for are written at once (the daemon only
 * sends them).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "faxintake/cases.h"
#include "faxintake/cli.h"
#include "faxintake/config.h"
#include "faxintake/decode.h"
#include "faxintake/facts.h"
#include "faxintake/outbox.h"
#include "faxintake/profile.h"
#include "faxintake/send.h"
#include "faxintake/spool.h"
#include "faxintake/store.h"
#include "faxintake/util.h"
#include "faxintake/xmalloc.h"

static int
fail(const char *fmt, const char *a, int rc)
{
	fprintf(stderr, "faxintake: ");
	fprintf(stderr, fmt, a);
	if (rc)
		fprintf(stderr, ": %s", strerror(-rc));
	fputc('\n', stderr);
	return 1;
}

static int
usage(const char *u)
{
	fprintf(stderr, "usage: faxintake %s\n", u);
	return 2;
}

/* The case, or a message and NULL. */
static int
case_load(struct cli *cli, const char *id, struct store_case *c)
{
	if (store_case_get(cli_store(cli), id, c) != 0) {
		fprintf(stderr, "faxintake: no case %s\n", id);
		return -1;
	}
	return 0;
}

static void
env_init(struct cli *cli, struct outbox_env *env)
{
	struct config *cfg = cli_config(cli);
	static char outbox[4096];

	memset(env, 0, sizeof(*env));
	env->cases.st = cli_store(cli);
	env->cases.threshold = cfg->field_confidence;
	env->cases.actor = cli->user;
	env->templates = cli_templates(cli);
	snprintf(outbox, sizeof(outbox), "%s/outbox", cfg->state_dir);
	env->dir = outbox;
	env->auto_send = cfg->auto_send;
	env->now = (long long)time(NULL);
}

/*
 * After a change: run the rules (a case staff touch is settled unless
 * documents are still arriving) and write the letter its new status
 * calls for.  Prints the status.
 */
static int
case_refresh(struct cli *cli, const char *id)
{
	struct outbox_env env;
	struct store_case c;
	const struct profile *prof;
	char *status = NULL, *errs = NULL;
	long long letter = 0;
	int rc;

	if (case_load(cli, id, &c) != 0)
		return 1;
	prof = cli_profile(cli, c.hospital);
	env_init(cli, &env);
	rc = cases_evaluate(&env.cases, prof, id, strcmp(c.status, "receiving") != 0,
	    &status);
	if (rc == 0 && (strcmp(status, "incomplete") == 0 ||
	    strcmp(status, "complete") == 0))
		rc = outbox_settle(&env, prof, id, &letter, &errs);
	if (rc == 0) {
		printf("case %s: %s\n", id, status);
		if (letter)
			printf("letter %lld written (faxintake letters %s)\n",
			    letter, id);
		cli_wakeup(cli);
	}
	if (rc != 0 && errs)
		fprintf(stderr, "faxintake: case %s: the letter cannot be "
		    "written:\n%s\n", id, errs);
	free(errs);
	free(status);
	store_case_clear(&c);
	return rc ? fail("case %s", id, rc) : 0;
}

static int
audit(struct cli *cli, const char *action, const char *case_id,
    long long file_id, const char *detail)
{
	struct store *st = cli_store(cli);

	if (store_event_add(st, cli->user, action, case_id, file_id, detail) != 0) {
		fprintf(stderr, "faxintake: audit log: %s\n", store_errmsg(st));
		return -1;
	}
	return 0;
}

int
cmd_set(struct cli *cli, int argc, char **argv)
{
	struct store_field f;
	struct store_case c;
	char *eq, *name;
	int rc;

	if (argc != 3 || (eq = strchr(argv[2], '=')) == NULL)
		return usage("set CASE FIELD=VALUE");
	name = xstrndup(argv[2], (size_t)(eq - argv[2]));
	if (field_id_parse(name) < 0) {
		fprintf(stderr, "faxintake: unknown field '%s' (see DESIGN.md "
		    "field ids, e.g. patient_birth_date)\n", name);
		free(name);
		return 2;
	}
	if (case_load(cli, argv[1], &c) != 0) {
		free(name);
		return 1;
	}
	memset(&f, 0, sizeof(f));
	f.case_id = c.id;
	f.field = name;
	f.value = eq + 1;
	f.raw = eq + 1;
	f.confidence = 1.0;
	f.set_by = (char *)cli->user;
	rc = store_field_add(cli_store(cli), &f);
	if (rc == 0)
		rc = audit(cli, "set", c.id, 0, name);	/* the field, not its value */
	free(name);
	store_case_clear(&c);
	if (rc != 0)
		return 1;
	return case_refresh(cli, argv[1]);
}

/* --name VALUE options of a command, from argv[first] on. */
static const char *
opt(int argc, char **argv, int first, const char *name)
{
	for (int i = first; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return NULL;
}

int
cmd_resolve(struct cli *cli, int argc, char **argv)
{
	const char *note = opt(argc, argv, 3, "--note");
	struct store_case c;
	int rc;

	if (argc != 5 || note == NULL)
		return usage("resolve CASE FLAG --note TEXT");
	if (case_load(cli, argv[1], &c) != 0)
		return 1;
	rc = store_flag_resolve(cli_store(cli), c.id, argv[2], note, cli->user);
	if (rc == 0)
		rc = audit(cli, "resolve", c.id, 0, argv[2]);
	store_case_clear(&c);
	if (rc != 0)
		return 1;
	return case_refresh(cli, argv[1]);
}

int
cmd_new_case(struct cli *cli, int argc, char **argv)
{
	const char *h = opt(argc, argv, 1, "--hospital");
	char id[STORE_CASE_ID_LEN];
	int rc;

	if (argc != 3 || h == NULL)
		return usage("new-case --hospital ID");
	(void)cli_profile(cli, h);	/* a hospital faxintake knows */
	rc = store_case_create(cli_store(cli), h, (long long)time(NULL), id);
	if (rc != 0)
		return fail("new case for %s", h, rc);
	if (audit(cli, "new_case", id, 0, h) != 0)
		return 1;
	printf("%s\n", id);
	return 0;
}

/* A case given documents of other files: their readings weighed
 * together, as on arrival (cases_consensus). */
static int
consensus(struct cli *cli, const char *id)
{
	struct outbox_env env;
	int rc;

	env_init(cli, &env);
	if ((rc = cases_consensus(&env.cases, id, 0)) != 0)
		return fail("weighing the readings of case %s", id, rc);
	return 0;
}

int
cmd_move(struct cli *cli, int argc, char **argv)
{
	struct store_document d;
	struct store_case c;
	char *end, *from;
	long long doc;
	int rc;

	if (argc != 3)
		return usage("move DOCUMENT CASE");
	doc = strtoll(argv[1], &end, 10);
	if (*end || doc <= 0)
		return usage("move DOCUMENT CASE");
	if (store_document_get(cli_store(cli), doc, &d) != 0)
		return fail("no document %s", argv[1], 0);
	if (case_load(cli, argv[2], &c) != 0) {
		store_document_clear(&d);
		return 1;
	}
	from = d.case_id ? xstrdup(d.case_id) : NULL;
	rc = store_document_move(cli_store(cli), doc, c.id);
	if (rc == 0)
		rc = audit(cli, "move", c.id, d.file_id, argv[1]);
	if (rc == 0)
		rc = consensus(cli, c.id);
	store_document_clear(&d);
	store_case_clear(&c);
	/* what the document's readings changed in its old case goes */
	if (rc == 0 && from)
		rc = consensus(cli, from);
	if (rc == 0 && from)
		rc = case_refresh(cli, from);
	free(from);
	if (rc != 0)
		return 1;
	return case_refresh(cli, argv[2]);
}

int
cmd_merge(struct cli *cli, int argc, char **argv)
{
	struct store_case a, b;
	int rc, same;

	if (argc != 3)
		return usage("merge CASE INTO-CASE");
	if (case_load(cli, argv[1], &a) != 0)
		return 1;
	if (case_load(cli, argv[2], &b) != 0) {
		store_case_clear(&a);
		return 1;
	}
	same = strcmp(a.hospital, b.hospital) == 0;
	store_case_clear(&a);
	store_case_clear(&b);
	if (!same)
		return fail("%s: the two cases are for different hospitals",
		    argv[1], 0);
	if ((rc = store_case_merge(cli_store(cli), argv[1], argv[2])) != 0)
		return fail("merging %s", argv[1], rc);
	if (audit(cli, "merge", argv[2], 0, argv[1]) != 0)
		return 1;
	if (consensus(cli, argv[2]) != 0)
		return 1;
	return case_refresh(cli, argv[2]);
}

int
cmd_decide(struct cli *cli, int argc, char **argv)
{
	struct outbox_decision dec = { NULL, NULL };
	struct outbox_env env;
	struct store_case c;
	const struct profile *prof;
	const char *kinds[2] = { NULL, NULL };
	char *errs = NULL;
	int rc = 0, accept;

	if (argc < 3 || (strcmp(argv[2], "accept") != 0 &&
	    strcmp(argv[2], "decline") != 0))
		return usage("decide CASE accept [--date 2026-12-03T10:00] | "
		    "decide CASE decline --reason TEXT");
	accept = strcmp(argv[2], "accept") == 0;
	dec.appointment = opt(argc, argv, 3, "--date");
	dec.reason = opt(argc, argv, 3, "--reason");
	if ((!accept && dec.reason == NULL) || (accept && dec.reason) ||
	    argc != 3 + 2 * ((dec.appointment != NULL) + (dec.reason != NULL)))
		return usage("decide CASE accept [--date 2026-12-03T10:00] | "
		    "decide CASE decline --reason TEXT");
	if (dec.appointment && (strlen(dec.appointment) != 16 ||
	    dec.appointment[10] != 'T'))
		return usage("decide CASE accept --date YYYY-MM-DDTHH:MM");
	if (case_load(cli, argv[1], &c) != 0)
		return 1;
	prof = cli_profile(cli, c.hospital);
	env_init(cli, &env);
	/* The decision and its letters are one change: all or nothing. */
	if ((rc = store_begin(cli_store(cli))) != 0) {
		store_case_clear(&c);
		return fail("case %s", argv[1], rc);
	}
	/* People decide: a decline is never automatic (DESIGN.md). */
	rc = store_case_set_status(cli_store(cli), c.id,
	    accept ? "accepted" : "declined");
	if (rc == 0)
		rc = audit(cli, accept ? "accept" : "decline", c.id, 0,
		    accept ? dec.appointment : dec.reason);
	if (accept) {
		kinds[0] = dec.appointment ? "schedule_letter" : NULL;
		kinds[1] = "referrer_notice";
	} else
		kinds[0] = "decline_letter";
	for (int i = 0; i < 2 && rc == 0; i++) {
		long long id;

		if (kinds[i] == NULL)
			continue;
		if ((rc = outbox_letter(&env, prof, c.id, kinds[i], &dec,
		    &id, &errs)) == 0)
			printf("letter %lld: %s\n", id, kinds[i]);
	}
	if (rc == 0)
		rc = store_commit(cli_store(cli));
	else
		store_rollback(cli_store(cli));
	if (rc == 0) {
		printf("case %s: %s\n", c.id, accept ? "accepted" : "declined");
		cli_wakeup(cli);
	} else if (errs)
		fprintf(stderr, "faxintake: case %s: nothing was changed: the "
		    "letter cannot be written:\n%s\n", c.id, errs);
	free(errs);
	store_case_clear(&c);
	return rc ? fail("case %s", argv[1], rc) : 0;
}

int
cmd_letters(struct cli *cli, int argc, char **argv)
{
	struct store_letter *ls;
	struct store_case c;
	size_t n;

	if (argc != 2)
		return usage("letters CASE");
	if (case_load(cli, argv[1], &c) != 0)
		return 1;
	store_case_clear(&c);
	if (store_case_letters(cli_store(cli), argv[1], &ls, &n) != 0)
		return fail("letters of %s", argv[1], -EIO);
	printf("%-6s %-18s %-5s %-17s %-14s %s\n", "ID", "KIND", "BY", "STATUS",
	    "TO FAX", "FILES");
	for (size_t i = 0; i < n; i++)
		printf("%-6lld %-18s %-5s %-17s %-14s %s %s\n", ls[i].id,
		    ls[i].kind, ls[i].channel, ls[i].status,
		    ls[i].to_fax ? ls[i].to_fax : "-", ls[i].pdf ? ls[i].pdf : "",
		    ls[i].tiff ? ls[i].tiff : "");
	store_letters_free(ls, n);
	return 0;
}

int
cmd_release(struct cli *cli, int argc, char **argv)
{
	const char *fax = opt(argc, argv, 2, "--fax");
	struct store *st;
	struct store_letter l;
	char digits[16], *end;
	long long id;
	int rc;

	if ((argc != 2 && argc != 4) || (argc == 4 && fax == NULL))
		return usage("release LETTER [--fax NUMBER]");
	id = strtoll(argv[1], &end, 10);
	if (*end || id <= 0)
		return usage("release LETTER [--fax NUMBER]");
	st = cli_store(cli);
	if (store_letter_get(st, id, &l) != 0)
		return fail("no letter %s", argv[1], 0);
	if (strcmp(l.status, "pending_approval") != 0 &&
	    strcmp(l.status, "failed") != 0) {
		fprintf(stderr, "faxintake: letter %lld is %s, not waiting for a "
		    "release\n", id, l.status);
		store_letter_clear(&l);
		return 1;
	}
	if (fax && send_number(fax, digits) != 0) {
		fprintf(stderr, "faxintake: '%s' is not a phone number\n", fax);
		store_letter_clear(&l);
		return 2;
	}
	if (fax == NULL && strcmp(l.channel, "fax") == 0 &&
	    send_number(l.to_fax, digits) != 0) {
		fprintf(stderr, "faxintake: letter %lld has no fax number; give "
		    "one with --fax\n", id);
		store_letter_clear(&l);
		return 1;
	}
	rc = fax ? store_letter_set_fax(st, id, fax) : 0;
	/* A post letter is released to be printed: nothing to send. */
	if (rc == 0)
		rc = store_letter_set_status(st, id, fax || strcmp(l.channel,
		    "fax") == 0 ? "queued" : "sent", 0, 0, -1);
	if (rc == 0)
		rc = audit(cli, "release", l.case_id, 0, argv[1]) ? -EIO : 0;
	if (rc == 0) {
		printf("letter %lld released%s\n", id, fax || strcmp(l.channel,
		    "fax") == 0 ? " for sending" : " (post: print and mail it)");
		cli_wakeup(cli);
	}
	store_letter_clear(&l);
	return rc ? fail("letter %s", argv[1], rc) : 0;
}

static int
file_id_of(struct cli *cli, const char *arg, struct store_file *f)
{
	char *end;
	long long id = strtoll(arg, &end, 10);

	if (*end || id <= 0 || store_file_get(cli_store(cli), id, f) != 0) {
		fprintf(stderr, "faxintake: no file %s (see faxintake files)\n",
		    arg);
		return -1;
	}
	return 0;
}

static int
reprocess_file(struct cli *cli, struct spool *sp, long long id)
{
	struct store_file f;
	int rc;

	if ((rc = store_file_get(cli_store(cli), id, &f)) != 0)
		return rc;
	if (f.state == FILE_QUARANTINED)
		rc = spool_unquarantine(sp, f.sha256);
	if (rc == 0)
		rc = store_file_reprocess(cli_store(cli), id);
	if (rc == 0)
		rc = audit(cli, "reprocess", NULL, id, NULL) ? -EIO : 0;
	if (rc == 0)
		printf("file %lld: to be read again\n", id);
	store_file_clear(&f);
	return rc;
}

int
cmd_reprocess(struct cli *cli, int argc, char **argv)
{
	struct store_case c;
	struct spool *sp;
	long long *ids = NULL;
	size_t n = 0;
	char *err = NULL;
	int rc = 0;

	if (argc != 2)
		return usage("reprocess FILE|CASE");
	if (spool_open(cli_config(cli)->state_dir, cli_store(cli), &sp, &err)) {
		fprintf(stderr, "faxintake: %s\n", err);
		free(err);
		return 1;
	}
	if (strchr(argv[1], '-')) {
		if (case_load(cli, argv[1], &c) != 0) {
			spool_close(sp);
			return 1;
		}
		store_case_clear(&c);
		rc = store_case_files(cli_store(cli), argv[1], &ids, &n);
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = reprocess_file(cli, sp, ids[i]);
		free(ids);
	} else {
		struct store_file f;

		if (file_id_of(cli, argv[1], &f) != 0) {
			spool_close(sp);
			return 1;
		}
		rc = reprocess_file(cli, sp, f.id);
		store_file_clear(&f);
	}
	spool_close(sp);
	if (rc == 0)
		cli_wakeup(cli);
	return rc ? fail("reprocess %s", argv[1], rc) : 0;
}

/*
 * `page FILE N --out X.png`: the page decoded again in a child process
 * with the workers' memory limit (its bytes came from outside), written
 * as PNG for a person to look at.  Audited for each case it belongs to.
 */
int
cmd_page(struct cli *cli, int argc, char **argv)
{
	const char *out = opt(argc, argv, 3, "--out");
	struct config *cfg = cli_config(cli);
	struct store_file f;
	struct spool *sp;
	char **cases = NULL, *path, *data = NULL, *err = NULL, *end;
	size_t ncases = 0, len = 0;
	long pageno;
	pid_t pid;
	int status, rc;

	if (argc != 5 || out == NULL)
		return usage("page FILE N --out X.png");
	pageno = strtol(argv[2], &end, 10);
	if (*end || pageno < 1)
		return usage("page FILE N --out X.png");
	if (file_id_of(cli, argv[1], &f) != 0)
		return 1;
	if (spool_open(cfg->state_dir, cli_store(cli), &sp, &err) != 0) {
		fprintf(stderr, "faxintake: %s\n", err);
		free(err);
		store_file_clear(&f);
		return 1;
	}
	path = f.sha256[0] ? spool_path(sp, f.sha256) : NULL;
	spool_close(sp);
	if (path == NULL) {
		store_file_clear(&f);
		return fail("file %s: its bytes are not in the spool", argv[1], 0);
	}
	/* Who looked at which patient's page. */
	if (store_file_cases(cli_store(cli), f.id, &cases, &ncases) == 0) {
		for (size_t i = 0; i < ncases; i++)
			(void)audit(cli, "page", cases[i], f.id, argv[2]);
		store_strings_free(cases, ncases);
	}
	if (ncases == 0)
		(void)audit(cli, "page", NULL, f.id, argv[2]);
	rc = util_read_file(path, (size_t)cfg->max_file_bytes, &data, &len);
	free(path);
	store_file_clear(&f);
	if (rc != 0)
		return fail("reading file %s", argv[1], rc);
	fflush(NULL);
	if ((pid = fork()) == -1) {
		free(data);
		return fail("fork", "", -errno);
	}
	if (pid == 0) {
		struct decode_limits lim = { (size_t)cfg->max_file_bytes,
		    cfg->max_pages, cfg->max_page_pixels };
		struct decode_info info;
		struct rlimit rl;
		unsigned char *png;
		size_t plen;

		rl.rlim_cur = rl.rlim_max = (rlim_t)cfg->job_memory_mb << 21;
		(void)setrlimit(RLIMIT_DATA, &rl);
		memset(&info, 0, sizeof(info));
		rc = decode_page_png(data, len, &lim, (int)pageno, &png, &plen,
		    &info);
		if (rc == -ENOENT)
			_exit(3);
		if (rc != 0 || util_write_file(out, png, plen, 0600) != 0)
			_exit(4);
		_exit(0);
	}
	free(data);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		printf("%s\n", out);
		return 0;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
		return fail("file %s has no such page", argv[1], 0);
	return fail("page %s could not be written", argv[2], 0);
}
