/*
 * vote.c — one value from several noisy readings of it (vote.h).
 *
 * Each reading is aligned to the pivot (the reading with the least
 * weighted edit distance to the others) by a Levenshtein backtrace; each
 * pivot position then holds a ballot of letters (or "none", a deletion),
 * each slot between positions a ballot of one inserted letter, and the
 * weightiest choice wins.  Small fixed arrays: a name or a number is a
 * few letters, and a page gives at most a few readings.
 */
#include <errno.h>
#include <string.h>

#include <utf8proc.h>

#include "faxintake/normalize.h"
#include "faxintake/vote.h"

#define MAXR	16		/* readings taken */
#define MAXB	6		/* distinct letters on one ballot */

struct ballot {
	int32_t		 c[MAXB];	/* 0: none (deleted, or no insert) */
	double		 w[MAXB];
	int		 n;
};

struct rd {
	int32_t		 cp[VOTE_MAX_CP];
	int		 n;
	int		 space;		/* letters before the space; -1 none */
	double		 w;
};

static int
is_ws(int32_t c)
{
	return c == ' ' || c == 0x3000 || c == '\t';
}

/* Code points of s without white space; -1 when too long or invalid. */
static int
decode(const char *s, struct rd *r)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t c;
	utf8proc_ssize_t k;

	r->n = 0;
	r->space = -1;
	for (; *p; p += k) {
		if ((k = utf8proc_iterate(p, -1, &c)) <= 0)
			return -1;
		if (is_ws(c)) {
			if (r->space < 0 && r->n > 0)
				r->space = r->n;
			continue;
		}
		if (r->n >= VOTE_MAX_CP)
			return -1;
		r->cp[r->n++] = c;
	}
	if (r->space == r->n)
		r->space = -1;		/* trailing */
	return 0;
}

static int
dist(const int32_t *a, int n, const int32_t *b, int m,
    int d[VOTE_MAX_CP + 1][VOTE_MAX_CP + 1])
{
	for (int i = 0; i <= n; i++)
		d[i][0] = i;
	for (int j = 0; j <= m; j++)
		d[0][j] = j;
	for (int i = 1; i <= n; i++)
		for (int j = 1; j <= m; j++) {
			int sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
			d[i][j] = sub < del ? (sub < ins ? sub : ins) :
			    (del < ins ? del : ins);
		}
	return d[n][m];
}

int
vote_distance(const char *a, const char *b)
{
	static const int big = 99;
	struct rd x, y;
	int d[VOTE_MAX_CP + 1][VOTE_MAX_CP + 1];

	if (a == NULL || b == NULL || decode(a, &x) != 0 || decode(b, &y) != 0)
		return big;
	return dist(x.cp, x.n, y.cp, y.n, d);
}

static void
cast(struct ballot *b, int32_t c, double w)
{
	for (int i = 0; i < b->n; i++)
		if (b->c[i] == c) {
			b->w[i] += w;
			return;
		}
	if (b->n < MAXB) {
		b->c[b->n] = c;
		b->w[b->n++] = w;
	}
}

/* The winner of a ballot; *margin: (winner - runner-up) / total. */
static int32_t
count(const struct ballot *b, double total, double *margin)
{
	double w1 = 0, w2 = 0;
	int32_t c1 = 0;

	for (int i = 0; i < b->n; i++) {
		if (b->w[i] > w1) {
			w2 = w1;
			w1 = b->w[i];
			c1 = b->c[i];
		} else if (b->w[i] > w2)
			w2 = b->w[i];
	}
	*margin = total > 0 ? (w1 - w2) / total : 0;
	return c1;
}

/* Code point c (none when 0) as UTF-8 at out (5 bytes free); the bytes
 * written. */
static size_t
put(char *out, int32_t c)
{
	return c == 0 ? 0 : (size_t)norm_cps_utf8(&c, 1, out, 5);
}

int
vote_strings(const struct vote_reading *r, size_t n, int maxdist,
    char *out, size_t outsz, struct vote_result *res)
{
	struct rd rd[MAXR];
	struct ballot pos[VOTE_MAX_CP], slot[VOTE_MAX_CP + 1],
	    space[1];
	int d[VOTE_MAX_CP + 1][VOTE_MAX_CP + 1], dd[MAXR][MAXR];
	int nr = 0, piv = -1, m, voters = 0;
	double best = -1, total = 0, margin = 1, mg;
	size_t k = 0;

	if (r == NULL || out == NULL || res == NULL || outsz == 0)
		return -EINVAL;
	memset(res, 0, sizeof(*res));
	for (size_t i = 0; i < n && nr < MAXR; i++) {
		if (r[i].s == NULL || r[i].weight <= 0 ||
		    decode(r[i].s, &rd[nr]) != 0 || rd[nr].n == 0)
			continue;
		rd[nr++].w = r[i].weight;
	}
	if (nr < 3)
		return -ENOENT;
	for (int i = 0; i < nr; i++)
		for (int j = i; j < nr; j++)
			dd[i][j] = dd[j][i] = i == j ? 0 :
			    dist(rd[i].cp, rd[i].n, rd[j].cp, rd[j].n, d);
	/* the pivot: most weight close to it */
	for (int i = 0; i < nr; i++) {
		double s = 0;
		for (int j = 0; j < nr; j++)
			if (dd[i][j] <= maxdist)
				s += rd[j].w * (1.0 - (double)dd[i][j] /
				    (rd[i].n + 1));
		if (s > best) {
			best = s;
			piv = i;
		}
	}
	m = rd[piv].n;
	memset(pos, 0, sizeof(pos));
	memset(slot, 0, sizeof(slot));
	memset(space, 0, sizeof(space));
	for (int j = 0; j < nr; j++) {
		const struct rd *x = &rd[j];
		int i, l, sp = -1, ins[VOTE_MAX_CP + 1];
		if (dd[piv][j] > maxdist)
			continue;
		voters++;
		total += x->w;
		memset(ins, 0, sizeof(ins));
		dist(rd[piv].cp, m, x->cp, x->n, d);
		for (i = m, l = x->n; i > 0 || l > 0; ) {
			if (i > 0 && l > 0 && d[i][l] == d[i - 1][l - 1] +
			    (rd[piv].cp[i - 1] != x->cp[l - 1])) {
				cast(&pos[i - 1], x->cp[l - 1], x->w);
				if (x->space == l - 1)
					sp = i - 1;
				i--;
				l--;
			} else if (i > 0 && d[i][l] == d[i - 1][l] + 1) {
				cast(&pos[i - 1], 0, x->w);	/* deleted */
				i--;
			} else {
				/* inserted before pivot position i: the
				 * letter nearest the position counts */
				cast(&slot[i], x->cp[l - 1], x->w);
				ins[i] = 1;
				if (x->space == l - 1)
					sp = i;
				l--;
			}
		}
		for (i = 0; i <= m; i++)
			if (!ins[i])
				cast(&slot[i], 0, x->w);
		if (sp >= 0)	/* OCR loses a space, seldom adds one */
			cast(&space[0], sp + 1, x->w);
	}
	if (voters < 3)
		return -ENOENT;
	{
		int32_t spc = count(&space[0], total, &mg) - 1;
		char buf[VOTE_MAX_CP * 2 * 4 + 8];
		for (int i = 0; i <= m; i++) {
			if (spc == i && k > 0)
				buf[k++] = ' ';
			/* what is inserted before position i, then what
			 * stands there */
			k += put(buf + k, count(&slot[i], total, &mg));
			if (mg < margin)
				margin = mg;
			if (i == m)
				break;
			k += put(buf + k, count(&pos[i], total, &mg));
			if (mg < margin)
				margin = mg;
		}
		while (k > 0 && buf[k - 1] == ' ')
			k--;
		buf[k] = '\0';
		if (k + 1 > outsz)
			return -E2BIG;
		memcpy(out, buf, k + 1);
	}
	res->voters = voters;
	res->margin = margin;
	return 0;
}
