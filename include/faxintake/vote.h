/*
 * vote.h — one value from several noisy readings of it.
 *
 * An application names its patient and its clinic on many pages: the
 * form the family filled in, the clinic's letter, its lab sheets and its
 * cover sheet, each read by OCR with its own mistakes (佐く木 さくら,
 * 佐々木 きくら, 佐々木 さく5).  Aligned letter by letter to the reading
 * most like the others, each position takes the letter most of the
 * readings' weight says (ROVER voting), so three readings with one
 * different mistake each give the right value though none of them was.
 * Pure: no I/O, no allocation beyond the stack.
 */
#ifndef FAXINTAKE_VOTE_H
#define FAXINTAKE_VOTE_H

#include <stddef.h>

#define VOTE_MAX_CP	48	/* longer readings take no part */

struct vote_reading {
	const char	*s;		/* UTF-8 (NFKC'd by the caller) */
	double		 weight;	/* > 0: how much the reading is trusted */
};

struct vote_result {
	int		 voters;	/* readings aligned to the pivot */
	double		 margin;	/* the narrowest win of a position:
					   (winner - runner-up) / total, 0..1 */
};

/*
 * Vote among r[0..n): readings further than maxdist letters from the
 * reading most like the others (the pivot) take no part.  White space is
 * not voted letter by letter: the consensus keeps one space where most
 * weight of the readings that have one puts it (the space between 姓
 * and 名: OCR loses it often, adds it seldom).  0 and out set when at
 * least 3 readings took part; -ENOENT when fewer did, -EINVAL, -E2BIG
 * (out too small).
 */
int	vote_strings(const struct vote_reading *r, size_t n, int maxdist,
	    char *out, size_t outsz, struct vote_result *res);

/* Levenshtein distance in code points, white space ignored. */
int	vote_distance(const char *a, const char *b);

#endif
