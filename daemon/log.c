/* log.c — stderr logging with journald priority prefixes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include "faxintake/log.h"

/* The log tag and level: the only process-wide mutable state besides the
 * daemon's context, set once at start-up (and by SIGHUP for the level). */
static const char *log_procname = "faxintake";
static int log_threshold = LOG_LEVEL_INFO;
static int log_syslog;

void
log_init(const char *procname, int level)
{
	log_procname = procname;
	log_threshold = level;
}

void
log_to_syslog(void)
{
	openlog(log_procname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	log_syslog = 1;
}

void
log_set_level(int level)
{
	log_threshold = level;
}

int
log_level_parse(const char *s)
{
	static const struct { const char *name; int level; } names[] = {
		{ "error", LOG_LEVEL_ERR }, { "warning", LOG_LEVEL_WARNING },
		{ "notice", LOG_LEVEL_NOTICE }, { "info", LOG_LEVEL_INFO },
		{ "debug", LOG_LEVEL_DEBUG },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(s, names[i].name) == 0)
			return names[i].level;
	return -1;
}

static void
log_vwrite(int level, int with_errno, const char *fmt, va_list ap)
{
	char msg[2048];
	int saved = errno;

	if (level > log_threshold)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_syslog) {
		if (with_errno)
			syslog(level, "%s: %s", msg, strerror(saved));
		else
			syslog(level, "%s", msg);
	} else if (with_errno)
		fprintf(stderr, "<%d>%s: %s: %s\n", level, log_procname, msg,
		    strerror(saved));
	else
		fprintf(stderr, "<%d>%s: %s\n", level, log_procname, msg);
	errno = saved;
}

#define LOG_FN(name, level, with_errno)			\
void							\
name(const char *fmt, ...)				\
{							\
	va_list ap;					\
	va_start(ap, fmt);				\
	log_vwrite(level, with_errno, fmt, ap);		\
	va_end(ap);					\
}

LOG_FN(log_warn, LOG_LEVEL_WARNING, 1)
LOG_FN(log_warnx, LOG_LEVEL_WARNING, 0)
LOG_FN(log_notice, LOG_LEVEL_NOTICE, 0)
LOG_FN(log_info, LOG_LEVEL_INFO, 0)
LOG_FN(log_debug, LOG_LEVEL_DEBUG, 0)
LOG_FN(log_errx, LOG_LEVEL_ERR, 0)

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_ERR, 1, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_ERR, 0, fmt, ap);
	va_end(ap);
	exit(1);
}
