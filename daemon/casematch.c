/* casematch.c — attaching arrivals to cases by identity and sender. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "faxintake/casematch.h"
#include "faxintake/normalize.h"
#include "faxintake/xmalloc.h"

#define NAME_MAX_CP	64

/* Variant forms seen in names (戸籍 spellings, and what OCR and fonts
 * make of them) folded to the form most documents print. */
static const struct { utf8proc_int32_t from, to; } variants[] = {
	{ 0x9ad9, 0x9ad8 },	/* 髙 → 高 */
	{ 0xfa11, 0x5d0e },	/* 﨑 → 崎 */
	{ 0x5d5c, 0x5d0e },	/* 嵜 → 崎 */
	{ 0x6fa4, 0x6ca2 },	/* 澤 → 沢 */
	{ 0x6ff1, 0x6d5c },	/* 濱 → 浜 */
	{ 0x908a, 0x8fba },	/* 邊 → 辺 */
	{ 0x9089, 0x8fba },	/* 邉 → 辺 */
	{ 0x9f4b, 0x658e },	/* 齋 → 斎 */
	{ 0x9f4a, 0x658e },	/* 齊 → 斎 */
	{ 0x5d8b, 0x5cf6 },	/* 嶋 → 島 */
	{ 0x5d8c, 0x5cf6 },	/* 嶌 → 島 */
	{ 0x570b, 0x56fd },	/* 國 → 国 */
	{ 0x5ee3, 0x5e83 },	/* 廣 → 広 */
	{ 0x7027, 0x6edd },	/* 瀧 → 滝 */
	{ 0x771e, 0x771f },	/* 眞 → 真 */
};

static utf8proc_int32_t
fold_variant(utf8proc_int32_t c)
{
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++)
		if (variants[i].from == c)
			return variants[i].to;
	return c;
}

/* Decode s to folded code points, without white space. */
static size_t
name_cps(const char *s, utf8proc_int32_t *out, size_t max)
{
	utf8proc_uint8_t *nfkc;
	utf8proc_int32_t c;
	utf8proc_ssize_t k;
	size_t n = 0;

	nfkc = utf8proc_NFKC((const utf8proc_uint8_t *)s);
	if (nfkc == NULL)
		return 0;
	for (const utf8proc_uint8_t *p = nfkc; *p && n < max; p += k) {
		k = utf8proc_iterate(p, -1, &c);
		if (k <= 0)
			break;
		if (c == ' ' || c == 0x3000 || c == '\t' || c == 0x30fb ||
		    c == 0xff65)		/* spaces, ・ */
			continue;
		out[n++] = fold_variant(c);
	}
	free(nfkc);
	return n;
}

char *
casematch_name_key(const char *s)
{
	utf8proc_int32_t cps[NAME_MAX_CP];
	char *out;
	size_t n;

	if (s == NULL)
		return NULL;
	n = name_cps(s, cps, NAME_MAX_CP);
	out = xmalloc(n * 4 + 1);
	(void)norm_cps_utf8(cps, n, out, n * 4 + 1);	/* fits */
	return out;
}

int
casematch_name_distance(const char *a, const char *b)
{
	utf8proc_int32_t x[NAME_MAX_CP], y[NAME_MAX_CP];
	int d[NAME_MAX_CP + 1][NAME_MAX_CP + 1];
	size_t n = name_cps(a, x, NAME_MAX_CP), m = name_cps(b, y, NAME_MAX_CP);

	for (size_t i = 0; i <= n; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= n; i++)
		for (size_t j = 1; j <= m; j++) {
			int sub = d[i - 1][j - 1] + (x[i - 1] != y[j - 1]);
			int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
			d[i][j] = sub < del ? (sub < ins ? sub : ins) :
			    (del < ins ? del : ins);
		}
	return d[n][m] > 9 ? 9 : d[n][m];
}

int
casematch_same_number(const char *a, const char *b)
{
	char x[NORM_PHONE_LEN], y[NORM_PHONE_LEN];

	/* Fewer than 9 digits is no phone number: never "the same". */
	if (a == NULL || b == NULL ||
	    norm_phone_digits(a, x, sizeof(x)) != 0 || strlen(x) < 9 ||
	    norm_phone_digits(b, y, sizeof(y)) != 0 || strlen(y) < 9)
		return 0;
	return strcmp(x, y) == 0;
}

int
casematch_name_tolerance(const char *name)
{
	utf8proc_int32_t cps[NAME_MAX_CP];

	return name_cps(name, cps, NAME_MAX_CP) >= 4 ? 1 : 0;
}

enum strength { NO_MATCH, WEAK, STRONG };

/* Name a is within an OCR slip of case name b (slack letters more). */
static int
near_name(const char *a, const char *b, int slack)
{
	return casematch_name_distance(a, b) <=
	    casematch_name_tolerance(b) + slack;
}

/* Whether the probe comes from or names the referring clinic case c
 * names: its FAX number, or its name read alike on both sides. */
static int
same_clinic(const struct casematch_probe *p, const struct casematch_case *c)
{
	utf8proc_int32_t cps[NAME_MAX_CP];

	if (casematch_same_number(p->sender, c->clinic_fax))
		return 1;
	return p->clinic && c->clinic &&
	    name_cps(c->clinic, cps, NAME_MAX_CP) >= 3 &&
	    casematch_name_distance(p->clinic, c->clinic) == 0;
}

/* The probe came from a number one of case c's files came from. */
static int
sent_by_case(const struct casematch_probe *p, const struct casematch_case *c)
{
	for (size_t i = 0; i < c->nsenders; i++)
		if (casematch_same_number(p->sender, c->senders[i]))
			return 1;
	return 0;
}

/*
 * How well the probe's identity fits case c.  *sender_same: the file came
 * from a number the case's files came from.  *clinic_same: the patient's
 * name agrees exactly and the file is from or names the referring clinic
 * the case names: that confirms the name as the sender's number would,
 * but alone it is no identity (the clinic writes for other patients too),
 * nor with a birth date alone or a name one letter off (twins).
 */
static enum strength
identity_strength(const struct casematch_probe *p, const struct casematch_case *c,
    int *sender_same, int *clinic_same)
{
	int name_ok = -1, birth_ok = -1;	/* -1: cannot tell */

	*sender_same = sent_by_case(p, c);
	*clinic_same = 0;
	/* A reading below the threshold says nothing when it differs (it
	 * may be misread), but OCR does not misread into exactly what an
	 * open case holds: agreeing exactly, it counts. */
	if (p->name && c->name) {
		int dist = casematch_name_distance(p->name, c->name);
		if (dist == 0)
			name_ok = 2;
		else if (p->name_conf >= p->threshold)
			name_ok = dist <= casematch_name_tolerance(c->name);
	}
	if (p->birth && c->birth) {
		if (strcmp(p->birth, c->birth) == 0)
			birth_ok = 1;
		else if (p->birth_conf >= p->threshold)
			birth_ok = 0;
	}
	if (name_ok == 0 || birth_ok == 0)
		return NO_MATCH;
	if (name_ok == 2)
		*clinic_same = same_clinic(p, c);
	if (name_ok == 2 && birth_ok == 1)
		return STRONG;
	if (name_ok == 1 && birth_ok == 1)
		return *sender_same ? STRONG : WEAK;
	if (name_ok == 2 || birth_ok == 1)	/* one of the two, the other unread */
		return WEAK;
	return NO_MATCH;
}

/* Whether the probe reads a name further from case c's than an OCR slip. */
static int
far_name(const struct casematch_probe *p, const struct casematch_case *c)
{
	return p->name && c->name && !near_name(p->name, c->name, 0);
}

/*
 * Nothing read well enough fits: does a doubtful reading look like an
 * open case?  (The family's form and the clinic's letter of one patient,
 * each read poorly.)  Never a merge: the new case names the likely one
 * for a person to check.
 */
static enum casematch_result
possible_match(const struct casematch_probe *p, const struct casematch_case *cs,
    size_t n, size_t *ret_index, char *why, size_t whylen)
{
	size_t found = 0, idx = 0;

	for (size_t i = 0; i < n; i++) {
		/* only a hint for staff: from the case's own sender, a short
		 * name one letter off (阿部 清 read 何部清) is worth naming */
		int name = p->name && cs[i].name && near_name(p->name,
		    cs[i].name, sent_by_case(p, &cs[i]));
		int birth = p->birth && cs[i].birth &&
		    strcmp(p->birth, cs[i].birth) == 0;
		/* What was read well and differs says: another patient. */
		int contradicts = (p->birth && cs[i].birth && !birth &&
		    p->birth_conf >= p->threshold) || (p->name && cs[i].name &&
		    !name && p->name_conf >= p->threshold);

		/* one of them alike: only from a recent case (a namesake
		 * or a shared birthday is no news across a month of cases);
		 * both: whenever (the clinic's letter sent days after the
		 * family's form) */
		if (!contradicts && ((name && birth) || ((name || birth) &&
		    p->now - cs[i].last_arrival <= p->window))) {
			found++;
			idx = i;
		}
	}
	if (found == 1) {
		*ret_index = idx;
		snprintf(why, whylen, "may be the same patient as case %s (name "
		    "or birth date read with low confidence): faxintake merge",
		    cs[idx].id);
		return CASEMATCH_POSSIBLE;
	}
	snprintf(why, whylen, "no case fits");
	return CASEMATCH_NONE;
}

enum casematch_result
casematch_find(const struct casematch_probe *p, const struct casematch_case *cs,
    size_t n, size_t *ret_index, char *why, size_t whylen)
{
	size_t strong = 0, weak_sender = 0, recent_sender = 0;
	size_t strong_i = 0, weak_i = 0, recent_i = 0;
	int identity = (p->name && p->name_conf >= p->threshold) ||
	    (p->birth && p->birth_conf >= p->threshold);

	for (size_t i = 0; i < n; i++) {
		int same, clinic;
		enum strength s = identity_strength(p, &cs[i], &same, &clinic);

		if (s == STRONG) {
			strong++;
			strong_i = i;
		} else if (s == WEAK && (same || clinic)) {
			weak_sender++;
			weak_i = i;
		}
		/* a continuation names no one legibly; a doubtful name far
		 * from the case's is maybe another patient of the sender's */
		if (!identity && same && p->now - cs[i].last_arrival <= p->window &&
		    !far_name(p, &cs[i])) {
			recent_sender++;
			recent_i = i;
		}
	}
	if (strong == 1) {
		*ret_index = strong_i;
		snprintf(why, whylen, "patient name and birth date");
		return CASEMATCH_ONE;
	}
	if (strong > 1) {
		snprintf(why, whylen, "%zu cases have this patient's name and "
		    "birth date", strong);
		return CASEMATCH_AMBIGUOUS;
	}
	if (weak_sender == 1) {
		*ret_index = weak_i;
		snprintf(why, whylen, "part of the patient's identity and the "
		    "sender's number");
		return CASEMATCH_ONE;
	}
	if (weak_sender > 1) {
		snprintf(why, whylen, "%zu cases from this sender fit in part",
		    weak_sender);
		return CASEMATCH_AMBIGUOUS;
	}
	if (recent_sender == 1) {
		*ret_index = recent_i;
		snprintf(why, whylen, "no patient identity read; the same "
		    "sender's recent case");
		return CASEMATCH_ONE;
	}
	if (recent_sender > 1) {
		snprintf(why, whylen, "no patient identity read and %zu recent "
		    "cases from this sender", recent_sender);
		return CASEMATCH_AMBIGUOUS;
	}
	return possible_match(p, cs, n, ret_index, why, whylen);
}
