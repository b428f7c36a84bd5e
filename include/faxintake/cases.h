/*
 * cases.h — a case's life: arrivals attached to it, the hospital
 * profile's rules run on every change, and the JSON staff see.  Works
 * through the store's API only; used by the daemon and by the CLI (staff
 * changes re-run the rules too).
 */
#ifndef FAXINTAKE_CASES_H
#define FAXINTAKE_CASES_H

#include "faxintake/store.h"

struct profile;

struct cases_env {
	struct store	*st;
	double		 threshold;	/* [review] field_confidence */
	const char	*actor;		/* "faxintaked" or the staff login */
};

/* One application of an arrival, as read. */
struct cases_arrival {
	long long	 file_id;
	const char	*hospital;
	long long	 received;	/* epoch seconds */
	const char	*qr_case;	/* case id on faxintake's cover sheet */
	const char	*sender;	/* the number it came from, or NULL */
	const char	*clinic;	/* referring_hospital as read, or NULL */
	const char	*name;		/* patient_name as read, or NULL */
	double		 name_conf;
	const char	*birth;		/* patient_birth_date (ISO), or NULL */
	double		 birth_conf;
	long long	 window;	/* seconds a name-less arrival may join
					   the same sender's case */
};

/*
 * The case the arrival joins: the cover sheet's case id first, else the
 * patient's identity with the sender's number, else a new case.  When
 * several cases fit, a new case is opened with review:ambiguous_case
 * (never the wrong patient's).  The case is marked receiving.
 * *ret_created says whether it is new.
 */
int	 cases_attach(const struct cases_env *, const struct cases_arrival *,
	    char ret_id[STORE_CASE_ID_LEN], int *ret_created);

/*
 * A case whose documents came in several files (the family's form, then
 * the clinic's letter, or two cases merged by staff): its readings are
 * weighed together as one file's are (reader_consensus), so a name or
 * number one letter off what the other files read better takes their
 * value, below the review threshold.  Staff corrections take no part and
 * are never changed; the raw text keeps what each page said.  It starts
 * from the readings as their files gave them every time, so after a
 * document is moved out, running it again on both cases takes back what
 * that document's readings changed.  file_id: the file that arrived, for
 * the audit log (0: none).
 */
int	 cases_consensus(const struct cases_env *, const char *case_id,
	    long long file_id);

/*
 * Run the profile's rules on the case's live documents and fields and
 * store the result.  A case still receiving stays so unless settle is
 * set; then its status is needs_review (an unresolved flag), incomplete
 * (something missing now) or complete.  Accepted and declined cases keep
 * their status.  *ret_status (may be NULL) gets the status, malloc'd.
 */
int	 cases_evaluate(const struct cases_env *, const struct profile *,
	    const char *case_id, int settle, char **ret_status);

struct facts;
struct rules_result;

/* The case's facts and what the rules make of them now, without storing
 * anything (for letters).  Caller frees with facts_clear() and
 * rules_result_free(). */
int	 cases_rules(const struct cases_env *, const struct profile *,
	    const char *case_id, struct facts *ret_facts,
	    struct rules_result *ret);

/* The case as DESIGN.md's "A case" JSON; malloc'd; caller frees. */
int	 cases_json(const struct cases_env *, const char *case_id, int pretty,
	    char **ret);

#endif
