/*
 * rules.h — the rules engine: a hospital profile and one case's facts in,
 * the result out (DESIGN.md "Rules: facts in, result out").  Pure: no
 * files, clock or database; the application date is in the facts.
 *
 * A field below the confidence threshold, or not read at all, never
 * decides: a rule that rests on it gives review:low_confidence naming the
 * field (for a document requirement, or for any rule when the field was
 * read but is uncertain) instead of a verdict.  An age needed without a
 * birth date gives review:unknown_birth_date.
 */
#ifndef FAXINTAKE_RULES_H
#define FAXINTAKE_RULES_H

#include <stddef.h>

#include "faxintake/facts.h"
#include "faxintake/profile.h"

#define RULES_DEFAULT_THRESHOLD	0.80

enum rules_status {
	RULES_INCOMPLETE,
	RULES_COMPLETE,
	RULES_NEEDS_REVIEW
};

struct rules_due {
	enum doc_type	 type;
	char		*by;		/* "予約日の3日前まで" */
};

struct rules_flag {
	char		*id;		/* "exclusion:litigation" */
	char		*rule;		/* the profile's wording */
	char		*evidence;	/* keyword, facts, or field id */
};

struct rules_fee {
	long		 yen;		/* base slot, tax included */
	int		 tax_included;
	char		*basis;
	char		**steps;
	size_t		 nsteps;
};

struct rules_result {
	enum rules_status status;
	enum doc_type	*missing;	/* required now, absent */
	size_t		 nmissing;
	struct rules_due *due_later;	/* required later, absent */
	size_t		 ndue_later;
	enum doc_type	*recommended;
	size_t		 nrecommended;
	struct rules_flag *flags;
	size_t		 nflags;
	struct rules_fee fee;
	int		 age;		/* -1 when unknown */
};

/*
 * Evaluate facts against a profile.  threshold: fields with a lower
 * confidence cannot decide (RULES_DEFAULT_THRESHOLD).  Fills *ret, which
 * the caller frees with rules_result_free().  Returns 0, or -EINVAL when
 * the facts lack a valid received date.
 */
int		 rules_eval(const struct profile *, const struct facts *,
		    double threshold, struct rules_result *ret);
void		 rules_result_free(struct rules_result *);

const char	*rules_status_name(enum rules_status);

/* Completed years on date y-m-d for a birth date by-bm-bd. */
int		 rules_age(int by, int bm, int bd, int y, int m, int d);

/* JSON in DESIGN.md's shape; malloc'd, caller frees (facts_json.c). */
char		*rules_result_json(const struct rules_result *, int pretty);

#endif
