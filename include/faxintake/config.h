/*
 * config.h — faxintake.conf (DESIGN.md, "Configuration").  Read once at
 * start-up (and on SIGHUP into a new struct); read-only afterwards.
 */
#ifndef FAXINTAKE_CONFIG_H
#define FAXINTAKE_CONFIG_H

#include <stddef.h>

struct config_inbox {
	char	*name;		/* [inbox NAME] */
	char	*path;
	char	*hospital;	/* profile id under templates/hospitals/ */
	int	 line;		/* where the section was, for messages */
};

struct config {
	char		*file;		/* the file it was read from */
	char		*state_dir;
	char		*templates_dir;	/* resolved: override, checkout or share */
	int		 workers;
	int		 settle_seconds;	/* case quiet time before letters */
	int		 rescan_seconds;	/* 0: inotify only */
	int		 ready_seconds;		/* a file unchanged this long is complete */
	int		 log_level;
	int		 read_pages;		/* OCR and cases; no: decode only */

	double		 field_confidence;

	/* [limits]: what one arrival may cost a worker. */
	unsigned long long max_file_bytes;
	int		 max_pages;
	unsigned long long max_page_pixels;
	int		 job_seconds;
	int		 job_memory_mb;

	struct config_inbox *inboxes;
	size_t		 ninboxes;

	char		**outbound_argv;	/* NULL-terminated, or NULL */
	int		 auto_send;
};

/*
 * Read the configuration at path.  A missing file is an error unless
 * allow_missing is set, in which case the defaults are returned.  On error
 * *errs holds every problem, one per line as "FILE:LINE: message"
 * (malloc'd; caller frees) and *ret is untouched.  *ret is the caller's,
 * freed with config_free().
 */
int	 config_load(const char *path, int allow_missing, struct config **ret,
	    char **errs);
void	 config_free(struct config *);

/* Split an [outbound] command into argv (whitespace, "double quotes");
 * no shell.  Returns NULL-terminated malloc'd argv, or NULL on a bad quote. */
char	**config_split_argv(const char *);
void	 config_argv_free(char **);

#endif
