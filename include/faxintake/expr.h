/*
 * expr.h — the condition language of hospital profiles
 * (faxintake-profile(5), "CONDITIONS").  A condition is parsed once when
 * the profile loads and evaluated per case, three-valued: a fact that is
 * absent, below the confidence threshold or (for the age) not derivable
 * makes a comparison UNKNOWN, and and/or/not follow Kleene's logic, so
 * "self or X" is still true when X is unknown.
 *
 *	expr    := or
 *	or      := and { "or" and }
 *	and     := not { "and" not }
 *	not     := "not" not | primary
 *	primary := "(" expr ")" | "true" | "false" | "has" "(" DOCTYPE ")"
 *		 | operand [ CMP value | "in" "(" value { "," value } ")" ]
 *	operand := FIELD | "patient_age" | "department_count"
 *		 | "department_offered" | "online_offered"
 *		 | DOCTYPE "." ( "language" | "dedicated_form" )
 *	CMP     := "==" | "!=" | "<" | "<=" | ">" | ">="
 *	value   := WORD | "quoted string" | NUMBER | "age_of_majority"
 *
 * A bare operand is allowed only for yes/no operands.
 */
#ifndef FAXINTAKE_EXPR_H
#define FAXINTAKE_EXPR_H

#include "faxintake/buf.h"
#include "faxintake/facts.h"

struct expr;

enum expr_tri {
	EXPR_FALSE = 0,
	EXPR_TRUE = 1,
	EXPR_UNKNOWN = 2
};

/* Why a value cannot decide. */
enum expr_state {
	EXPR_VAL_OK = 0,
	EXPR_VAL_ABSENT,	/* not read at all */
	EXPR_VAL_LOW,		/* read, below the confidence threshold */
	EXPR_VAL_NO_BIRTH	/* patient_age without a birth date */
};

/* What a profile lets a condition name; used while parsing only. */
struct expr_vocab {
	/* Canonical name of a department (aliases resolved) or NULL when
	 * the profile does not list it. */
	const char	*(*department)(void *arg, const char *name);
	void		*arg;
	int		 age_of_majority;
};

/* A derived value, computed by the caller once per case. */
struct expr_value {
	enum expr_state	 state;
	const char	*str;		/* normalised text, or NULL */
	double		 num;
	const char	*field;		/* field id it rests on, for flags */
};

/* Everything a condition may look at. */
struct expr_env {
	const struct facts *facts;
	double		 threshold;
	struct expr_value age;		/* patient_age */
	struct expr_value department;	/* canonical department name */
	struct expr_value dept_count;
	struct expr_value dept_offered;	/* num 1/0 */
	struct expr_value online_offered; /* num 1/0 */
};

/* Why an evaluation came out UNKNOWN, and which facts it read. */
struct expr_why {
	const char	*field;		/* first field that could not decide */
	enum expr_state	 state;
	struct buf	*evidence;	/* "field=value, ..." appended; may be NULL */
};

/*
 * Parse text.  0 and *ret (caller expr_free()s), or -EINVAL with a
 * message (no file:line; the caller adds it) in *err, malloc'd.
 */
int		 expr_parse(const char *text, const struct expr_vocab *,
		    struct expr **ret, char **err);
void		 expr_free(struct expr *);
enum expr_tri	 expr_eval(const struct expr *, const struct expr_env *,
		    struct expr_why *);

/* NFKC, case folded, white space removed: the form every comparison and
 * keyword match uses.  Malloc'd; never NULL (invalid UTF-8 is kept as
 * it is, minus white space). */
char		*expr_normalize(const char *);

#endif
