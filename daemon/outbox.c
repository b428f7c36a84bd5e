/*
 * outbox.c — deciding and writing reply letters.
 *
 * A fax to a wrong number leaks patient data (DESIGN.md, "Letters"): a
 * letter is queued for sending on its own only when auto_send is on and
 * its number is one the application itself came from (TSI, caller id or
 * the fax header line) and agrees with the number read from the
 * documents.  Everything else waits for `faxintake release`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "faxintake/buf.h"
#include "faxintake/casematch.h"
#include "faxintake/letter.h"
#include "faxintake/normalize.h"
#include "faxintake/outbox.h"
#include "faxintake/rules.h"
#include "faxintake/util.h"
#include "faxintake/xmalloc.h"

/* A field's value when it was read well enough to act on. */
static const char *
sure_value(const struct facts *f, enum field_id id, double threshold)
{
	const struct fact_field *x = &f->fields[id];

	return x->value && x->confidence >= threshold ? x->value : NULL;
}

/* The missing documents as the letter's basis: "consent_form,…". */
static char *
missing_basis(const struct rules_result *r)
{
	struct buf b;

	buf_init(&b, 4096);
	for (size_t i = 0; i < r->nmissing; i++)
		(void)buf_printf(&b, "%s%s", i ? "," : "",
		    doc_type_name(r->missing[i]));
	return buf_take(&b);
}

struct recipient {
	const char	*fax;		/* NULL: by post */
	int		 auto_ok;	/* may go without a release */
	char		 shown[NORM_PHONE_LEN];	/* fax, normalised */
};

/* A number as letters print it (03-9970-1409, also from a TSI's +81
 * form); as written when it will not normalise. */
static void
number_shown(const char *in, char out[NORM_PHONE_LEN])
{
	double penalty = 0;

	if (norm_phone(in, out, NORM_PHONE_LEN, NULL, 0, &penalty) != 0)
		snprintf(out, NORM_PHONE_LEN, "%.23s", in);
}

/*
 * Who the letter goes to.  Applicant letters: the applicant's FAX from
 * the application when it was read well, else the number the documents
 * came from.  The referrer notice: the referring hospital's FAX.
 */
static void
recipient_choose(const struct outbox_env *env, const struct facts *f,
    char **senders, size_t nsenders, int referrer, struct recipient *r)
{
	double t = env->cases.threshold;
	const char *read = referrer ?
	    sure_value(f, FIELD_REFERRING_FAX, t) :
	    sure_value(f, FIELD_APPLICANT_FAX, t);
	const char *doc = referrer ? f->fields[FIELD_REFERRING_FAX].value :
	    f->fields[FIELD_APPLICANT_FAX].value;

	r->fax = read;
	if (r->fax == NULL && !referrer && nsenders > 0)
		r->fax = senders[0];
	r->auto_ok = outbox_may_send(env->auto_send, r->fax, doc, senders,
	    nsenders);
	if (r->fax) {
		number_shown(r->fax, r->shown);
		r->fax = r->shown;
	}
}

int
outbox_may_send(int auto_send, const char *to_fax, const char *doc_fax,
    char *const *senders, size_t nsenders)
{
	int from_sender = 0;

	if (!auto_send || to_fax == NULL || doc_fax == NULL)
		return 0;
	for (size_t i = 0; i < nsenders; i++)
		if (casematch_same_number(to_fax, senders[i]))
			from_sender = 1;
	return from_sender && casematch_same_number(to_fax, doc_fax);
}

static int
letter_files(const struct outbox_env *env, const char *case_id,
    const char *kind, long long id, char **pdf, char **tiff)
{
	int rc;

	if ((rc = util_mkdir_p(env->dir, 02770)) != 0)
		return rc;
	xasprintf(pdf, "%s/%s-%s-%lld.pdf", env->dir, case_id, kind, id);
	xasprintf(tiff, "%s/%s-%s-%lld.tif", env->dir, case_id, kind, id);
	return 0;
}

int
outbox_letter(const struct outbox_env *env, const struct profile *prof,
    const char *case_id, const char *kind_name, const struct outbox_decision *dec,
    long long *ret_id, char **ret_errs)
{
	struct store *st = env->cases.st;
	struct rules_result rr;
	struct letter_input in;
	struct store_letter sl;
	struct recipient rcpt;
	struct facts f, sure;
	char date[UTIL_ISO_LEN], **senders = NULL;
	char *pdf = NULL, *tiff = NULL, *text = NULL, *errs = NULL, *basis;
	size_t nsenders = 0;
	long long id = 0;
	int kind = letter_kind_parse(kind_name), rc;

	if (kind < 0)
		return -EINVAL;
	if ((rc = cases_rules(&env->cases, prof, case_id, &f, &rr)) != 0)
		return rc;
	if ((rc = store_case_senders(st, case_id, &senders, &nsenders)) != 0)
		goto out;
	recipient_choose(env, &f, senders, nsenders,
	    kind == LETTER_REFERRER_NOTICE, &rcpt);
	util_date_iso(env->now, date);
	memset(&in, 0, sizeof(in));
	in.kind = (enum letter_kind)kind;
	in.channel = rcpt.fax ? LETTER_FAX : LETTER_POST;
	in.case_id = case_id;
	in.date = date;
	in.profile = prof;
	in.to_fax = rcpt.fax;
	in.applicant_is_patient = -1;
	in.rules = &rr;
	/* A letter prints only what was read well: a doubtful name or number
	 * is left to the letter's neutral wording (お申込者 様), never
	 * guessed.  A shallow copy: its values belong to f. */
	sure = f;
	for (int i = 0; i < FIELD__COUNT; i++)
		if (sure.fields[i].confidence < env->cases.threshold)
			sure.fields[i].value = NULL;
	in.facts = &sure;
	if (dec) {
		in.reason = dec->reason;
		in.appointment = dec->appointment;
	}
	if (kind == LETTER_REFERRER_NOTICE) {
		in.to_org = f.fields[FIELD_REFERRING_HOSPITAL].value;
		in.to_name = f.fields[FIELD_REFERRING_DOCTOR].value;
	}
	basis = missing_basis(&rr);

	/* Record first (the id names the files), then render. */
	if ((rc = store_begin(st)) != 0) {
		free(basis);
		goto out;
	}
	memset(&sl, 0, sizeof(sl));
	sl.case_id = (char *)case_id;
	sl.kind = (char *)kind_name;
	sl.channel = rcpt.fax ? "fax" : "post";
	sl.to_fax = (char *)rcpt.fax;
	sl.to_name = (char *)(in.to_name ? in.to_name :
	    f.fields[FIELD_APPLICANT_NAME].value);
	sl.status = rcpt.fax && rcpt.auto_ok ? "queued" : "pending_approval";
	sl.created = env->now;
	sl.basis = basis;
	rc = store_letter_add(st, &sl, &id);
	free(basis);
	if (rc == 0)
		rc = letter_files(env, case_id, kind_name, id, &pdf, &tiff);
	/* A broken template or missing input: nothing is recorded, the
	 * caller says why (and the case waits for a person). */
	if (rc == 0)
		rc = letter_render(&in, env->templates, pdf, tiff, &text, &errs);
	if (rc == 0)
		rc = store_letter_set_files(st, id, pdf, tiff, text);
	if (rc == 0)
		rc = store_event_add(st, env->cases.actor, "letter", case_id, 0,
		    kind_name);
	if (rc == 0)
		rc = store_commit(st);
	else
		store_rollback(st);
	if (rc == 0 && ret_id)
		*ret_id = id;
	if (rc != 0 && ret_errs && errs) {
		*ret_errs = errs;
		errs = NULL;
	}
out:
	free(pdf);
	free(tiff);
	free(text);
	free(errs);
	store_strings_free(senders, nsenders);
	rules_result_free(&rr);
	facts_clear(&f);
	return rc;
}

/* The basis of the latest letter of kind, malloc'd; NULL when none. */
static int
last_basis(struct store *st, const char *case_id, const char *kind,
    int *found, char **basis)
{
	struct store_letter *ls;
	size_t n;
	int rc;

	*found = 0;
	*basis = NULL;
	if ((rc = store_case_letters(st, case_id, &ls, &n)) != 0)
		return rc;
	for (size_t i = n; i-- > 0;)
		if (strcmp(ls[i].kind, kind) == 0) {
			*found = 1;
			*basis = ls[i].basis ? xstrdup(ls[i].basis) : NULL;
			break;
		}
	store_letters_free(ls, n);
	return 0;
}

int
outbox_settle(const struct outbox_env *env, const struct profile *prof,
    const char *case_id, long long *ret_id, char **errs)
{
	struct store *st = env->cases.st;
	struct store_case c;
	const char *kind = NULL;
	int rc, found;

	*ret_id = 0;
	if ((rc = store_case_get(st, case_id, &c)) != 0)
		return rc;
	if (strcmp(c.status, "incomplete") == 0)
		kind = "incomplete_notice";
	else if (strcmp(c.status, "complete") == 0)
		kind = "receipt_notice";
	if (kind) {
		struct rules_result rr;
		struct facts f;
		char *prev = NULL, *now = NULL;

		rc = last_basis(st, case_id, kind, &found, &prev);
		if (rc == 0 && found && strcmp(kind, "incomplete_notice") == 0 &&
		    (rc = cases_rules(&env->cases, prof, case_id, &f, &rr)) == 0) {
			now = missing_basis(&rr);
			rules_result_free(&rr);
			facts_clear(&f);
		}
		/* Once per state: the same missing list is not sent twice. */
		if (rc == 0 && (!found || (now && (prev == NULL ||
		    strcmp(prev, now) != 0))))
			rc = outbox_letter(env, prof, case_id, kind, NULL, ret_id,
			    errs);
		free(prev);
		free(now);
	}
	if (rc == 0)
		rc = store_case_set_settled(st, case_id);
	store_case_clear(&c);
	return rc;
}
