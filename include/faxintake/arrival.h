/*
 * arrival.h — what becomes of a file once a worker has read it: its
 * pages' reading stored, its documents grouped into applications, each
 * application attached to a case (cases.h), and the case's rules run.
 */
#ifndef FAXINTAKE_ARRIVAL_H
#define FAXINTAKE_ARRIVAL_H

#include "faxintake/pool.h"
#include "faxintake/store.h"

struct profile;

struct arrival_env {
	struct store		*st;
	const struct profile	*profile;	/* the inbox's hospital */
	const char		*hospital;
	double			 threshold;
	long long		 window;	/* seconds: see cases_arrival */
	const char		*actor;
};

/*
 * Record a read file r (received at `received`): pages, documents, fields,
 * cases.  *ret_ncases counts the cases it touched.  0 or -errno (the file
 * stays "processing" and is read again).
 */
int	 arrival_record(const struct arrival_env *, const struct pool_result *r,
	    long long received, int *ret_ncases);

#endif
