/*
 * outbox.h — a case's reply letters: which one it needs, to whom, and
 * whether it may go out without a person's release; rendered to PDF and
 * fax TIFF in state_dir/outbox/ and recorded.  Used by the daemon (when a
 * case settles) and by the CLI (staff decisions).  Sending is send.h's.
 */
#ifndef FAXINTAKE_OUTBOX_H
#define FAXINTAKE_OUTBOX_H

#include "faxintake/cases.h"

struct profile;

struct outbox_env {
	struct cases_env	 cases;
	const char		*templates;	/* templates dir */
	const char		*dir;		/* state_dir/outbox */
	int			 auto_send;	/* [outbound] auto_send */
	long long		 now;		/* epoch seconds */
};

/* A staff decision a letter reports. */
struct outbox_decision {
	const char	*reason;	/* decline */
	const char	*appointment;	/* accept: "2026-12-03T10:00" */
};

/*
 * Write a letter of kind (letter_kind_name(), e.g. "receipt_notice") for
 * the case.  *ret_id (may be NULL) is the letter's id.  When the letter
 * cannot be written, *errs (may be NULL) says why (malloc'd).
 */
int	 outbox_letter(const struct outbox_env *, const struct profile *,
	    const char *case_id, const char *kind, const struct outbox_decision *,
	    long long *ret_id, char **errs);

/*
 * The letter a settled case needs for its status, if it has not had it:
 * an incomplete_notice when what is missing changed since the last one, a
 * receipt_notice once it is complete; none while it needs review.  Marks
 * the case settled.  *ret_id is 0 when no letter was due.
 */
int	 outbox_settle(const struct outbox_env *, const struct profile *,
	    const char *case_id, long long *ret_id, char **errs);

/*
 * May a letter to to_fax go without a person's release?  Only with
 * auto_send on, when to_fax is a number the application came from (one
 * of senders: TSI, caller id, fax header line) and agrees with doc_fax,
 * the number read from the documents.  A pure rule, for the tests.
 */
int	 outbox_may_send(int auto_send, const char *to_fax, const char *doc_fax,
	    char *const *senders, size_t nsenders);

#endif
