/*
 * send.h — handing queued letters to the outbound fax command
 * ([outbound] command, e.g. HylaFAX's sendfax).  Only the daemon sends.
 * The command is an argv (never a shell) with {fax}, {file} (the TIFF),
 * {pdf}, {case} and {letter} replaced; the number is checked to be a
 * Japanese phone number first.  A failed send is retried with back-off.
 */
#ifndef FAXINTAKE_SEND_H
#define FAXINTAKE_SEND_H

#include "faxintake/store.h"

#define SEND_MAX_ATTEMPTS	5
#define SEND_TIMEOUT_SECONDS	120

struct send;

struct send	*send_new(void);
/* Kill what still runs and forget it (it is retried at the next start). */
void		 send_free(struct send *);
/* Start the command for every letter due now (at most a few at once). */
int		 send_start(struct send *, struct store *, char *const *argv,
		    long long now);
/* Collect finished commands (after SIGCHLD) and kill overdue ones;
 * records each outcome. */
void		 send_reap(struct send *, struct store *, long long now);
int		 send_busy(const struct send *);
/* Seconds until a queued letter is due or a running one times out;
 * -1 when nothing waits. */
long long	 send_next(struct send *, struct store *, long long now);
/* Digits of a Japanese phone number for the command ("0166258370"), or
 * -EINVAL when it is none (10 or 11 digits from 0; +81 allowed). */
int		 send_number(const char *in, char out[16]);

#endif
