/*
 * log.h — logging to stderr with syslog priority prefixes ("<3>") that
 * journald understands.  Modules do not log above debug; the caller that
 * can act on an error logs it once.  Patient data only at debug level.
 */
#ifndef FAXINTAKE_LOG_H
#define FAXINTAKE_LOG_H

#include <stdarg.h>

enum log_level {
	LOG_LEVEL_ERR = 3,
	LOG_LEVEL_WARNING = 4,
	LOG_LEVEL_NOTICE = 5,
	LOG_LEVEL_INFO = 6,
	LOG_LEVEL_DEBUG = 7,
};

/* Set the process tag ("faxintaked", "worker 1") and the threshold. */
void	log_init(const char *procname, int level);
void	log_set_level(int level);
/* Send lines to syslog instead of stderr (a daemon in the background). */
void	log_to_syslog(void);
int	log_level_parse(const char *s);		/* -1 when unknown */

void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_notice(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_errx(const char *, ...) __attribute__((format(printf, 1, 2)));
/* fatal() appends strerror(errno); both exit(1). */
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
