/*
 * profile.h — a hospital profile, templates/hospitals/<id>/profile.ini
 * (format in faxintake-profile(5)).  profile_load() checks the whole file
 * and either returns a complete profile or none: every problem is
 * reported as "FILE:LINE: what".  A loaded profile is read-only; the
 * element structs below are views into it, valid until profile_free().
 */
#ifndef FAXINTAKE_PROFILE_H
#define FAXINTAKE_PROFILE_H

#include <stddef.h>

#include "faxintake/facts.h"

struct profile;
struct expr;

enum profile_mode {
	PROFILE_MODE_IN_PERSON,
	PROFILE_MODE_ONLINE,
	PROFILE_MODE__COUNT
};

enum profile_level {
	PROFILE_REQUIRED,
	PROFILE_RECOMMENDED
};

enum profile_due {
	PROFILE_DUE_NOW,		/* before the hospital reviews/schedules */
	PROFILE_DUE_DAYS_BEFORE,	/* N days before the appointment */
	PROFILE_DUE_ON_DAY		/* brought on the day */
};

struct profile_department {
	char		*name;		/* as written; "*" = any other */
	char		*norm;		/* expr_normalize(name) */
	int		 modes[PROFILE_MODE__COUNT];	/* 1 offered */
};

/* [need LABEL]: a document asked for, perhaps under a condition. */
struct profile_need {
	char		*label;
	enum doc_type	 doc;
	enum profile_level level;
	struct expr	*when;		/* NULL: always */
	enum profile_due due;
	int		 days;		/* PROFILE_DUE_DAYS_BEFORE */
	char		*by;		/* deadline text, never NULL */
	unsigned	 also;		/* bit per doc_type that satisfies too */
	char		*rule;		/* the hospital's wording, never NULL */
	int		 line;
};

/* [flag LABEL]: something staff must look at. */
struct profile_flag {
	char		*label;
	char		*id;		/* DESIGN.md flag id or "<profile>:..." */
	struct expr	*when;		/* NULL: always (keywords decide) */
	char		**keywords;	/* as written */
	char		**keywords_norm;
	size_t		 nkeywords;
	int		 match_none;	/* raise when no keyword is there */
	unsigned	 fields;	/* bit per field_id searched */
	char		*rule;		/* never NULL */
	int		 line;
};

struct profile_fee {
	int		 set;
	long		 yen;		/* base slot, tax included */
	char		*basis;
	char		**steps;
	size_t		 nsteps;
};

/*
 * Load dir/profile.ini; the profile id is dir's last component.
 * 0 and *ret (caller profile_free()s), or -EINVAL with every error, one
 * per line, in *errs (malloc'd; caller frees); *ret untouched then.
 */
int		 profile_load(const char *dir, struct profile **ret,
		    char **errs);
void		 profile_free(struct profile *);
/* Whether id can name a profile: the folder name under
 * templates/hospitals/ (lower-case letters, digits, '-', '_'; no dots). */
int		 profile_id_valid(const char *id);

/* [hospital]; text getters return NULL when the profile leaves it out. */
const char	*profile_id(const struct profile *);
const char	*profile_path(const struct profile *);
const char	*profile_name(const struct profile *);
const char	*profile_office(const struct profile *);
const char	*profile_postcode(const struct profile *);
const char	*profile_address(const struct profile *);
const char	*profile_tel(const struct profile *);
const char	*profile_fax(const struct profile *);
const char	*profile_hours(const struct profile *);
const char	*profile_apply_by(const struct profile *);
const char	*profile_scope(const struct profile *);
const char	*profile_lead_time(const struct profile *);
int		 profile_lead_days(const struct profile *);	/* -1 unset */
int		 profile_age_of_majority(const struct profile *);
/* 1 when the hospital has its own application form (Yokohama: no). */
int		 profile_application_form(const struct profile *);

/* Departments in file order. */
size_t		 profile_department_count(const struct profile *);
const struct profile_department *profile_department(
		    const struct profile *, size_t);
/* The listed department a name (or alias) means, by normalised
 * comparison; NULL when not listed ("*" is not returned). */
const struct profile_department *profile_department_find(
		    const struct profile *, const char *name);
/* 1 when the department (or "*" for an unlisted one) offers the mode,
 * 0 when not. */
int		 profile_department_offers(const struct profile *,
		    const char *name, enum profile_mode);
/* 1 when any department offers the mode. */
int		 profile_offers_mode(const struct profile *, enum profile_mode);

/* Japanese name of a document type: the profile's [documents] or the
 * default. */
const char	*profile_doc_name(const struct profile *, enum doc_type);

size_t		 profile_need_count(const struct profile *);
const struct profile_need *profile_need(const struct profile *, size_t);
size_t		 profile_flag_count(const struct profile *);
const struct profile_flag *profile_flag(const struct profile *, size_t);

/* Fee for a mode (set == 0 when the profile has none), and the steps
 * that apply to every mode ([fee extra]). */
const struct profile_fee *profile_fee(const struct profile *,
		    enum profile_mode);
const struct profile_fee *profile_fee_extra(const struct profile *);

#endif
