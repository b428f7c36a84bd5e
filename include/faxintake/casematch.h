/*
 * casematch.h — which case does an arriving application belong to?
 * Pure: the caller gives the open cases' identities and what the new
 * documents say; no database, no clock of its own.
 *
 * Order of evidence (DESIGN.md, issue 6): the case id in the QR of
 * faxintake's own cover sheet first (the caller handles that before
 * asking here); else the patient's identity (name and birth date, tolerant
 * of OCR noise and variant kanji) together with the sender's number; else
 * a new case.  Two or more plausible cases is AMBIGUOUS: the caller opens
 * a new case for review, never guessing.  A reading below the threshold
 * counts only where it agrees exactly.  The referring clinic a case names
 * (its FAX number, its name) confirms part of an identity as the
 * sender's number does: the clinic's letter to the family's case.
 */
#ifndef FAXINTAKE_CASEMATCH_H
#define FAXINTAKE_CASEMATCH_H

#include <stddef.h>

struct casematch_case {
	const char	 *id;
	const char	 *name;		/* patient_name value, or NULL */
	const char	 *birth;	/* ISO date, or NULL */
	const char *const *senders;	/* numbers documents came from */
	size_t		  nsenders;
	long long	  last_arrival;	/* epoch seconds */
	/* the referring clinic the case names (referring_fax and
	 * referring_hospital values), or NULL */
	const char	 *clinic_fax;
	const char	 *clinic;
};

struct casematch_probe {
	const char	*name;		/* NULL when not read */
	double		 name_conf;
	const char	*birth;
	double		 birth_conf;
	const char	*sender;	/* the file's sender, or NULL */
	const char	*clinic;	/* referring_hospital as read, or NULL */
	long long	 now;
	long long	 window;	/* seconds: a name-less document from the
					   same sender joins a case this recent */
	double		 threshold;	/* below it a field is not evidence */
};

enum casematch_result {
	CASEMATCH_NONE,		/* a new case */
	CASEMATCH_ONE,		/* *ret_index */
	CASEMATCH_AMBIGUOUS,	/* several fit: a new case, for review */
	CASEMATCH_POSSIBLE,	/* only a doubtful reading fits *ret_index:
				   a new case, for review, naming it */
};

enum casematch_result casematch_find(const struct casematch_probe *,
	    const struct casematch_case *, size_t n, size_t *ret_index,
	    char *why, size_t whylen);

/* A name folded for comparison: NFKC, no spaces, variant kanji to their
 * common form (髙→高, 﨑→崎 ...).  Malloc'd; NULL for NULL. */
char	*casematch_name_key(const char *);
/* Edit distance between two folded names, in code points (capped at 9). */
int	 casematch_name_distance(const char *, const char *);
/* How many code points a name may differ by and still be the same
 * person: OCR loses or swaps one character of a longer name (4+). */
int	 casematch_name_tolerance(const char *name);
/* Phone numbers equal once reduced to their digits (+81 → 0). */
int	 casematch_same_number(const char *, const char *);

#endif
