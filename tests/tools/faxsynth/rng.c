/*
 * rng.c — splitmix64: the synthesizer's only source of randomness, so a
 * seed gives the same bytes on every machine (no libc rand, no floats
 * from the platform beyond IEEE double arithmetic).
 */
#include <math.h>
#include <stdint.h>

#include "faxsynth.h"

void
rng_seed(struct rng *r, uint64_t seed)
{
	r->s = seed ^ 0x6a09e667f3bcc909ULL;
}

uint64_t
rng_next(struct rng *r)
{
	uint64_t z;

	z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

int
rng_int(struct rng *r, int lo, int hi)
{
	uint64_t span;

	if (hi <= lo)
		return lo;
	span = (uint64_t)((int64_t)hi - lo + 1);
	return lo + (int)(rng_next(r) % span);
}

double
rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

double
rng_range(struct rng *r, double lo, double hi)
{
	return lo + (hi - lo) * rng_unit(r);
}

int
rng_chance(struct rng *r, double p)
{
	return rng_unit(r) < p;
}

/* Irwin-Hall approximation: no libm transcendental functions, so the
 * result cannot differ between libm versions. */
double
rng_gauss(struct rng *r)
{
	double s = 0;
	int i;

	for (i = 0; i < 12; i++)
		s += rng_unit(r);
	return s - 6.0;
}
