/*
 * util.h — small helpers shared by the programs: times, paths, files.
 */
#ifndef FAXINTAKE_UTIL_H
#define FAXINTAKE_UTIL_H

#include <stddef.h>
#include <sys/types.h>

#define UTIL_ISO_LEN	32

/* ISO 8601 in Asia/Tokyo (UTC+9, no DST), e.g. 2026-11-20T14:03:00+09:00. */
void	 util_time_iso(long long epoch, char out[UTIL_ISO_LEN]);
/* The calendar date in Asia/Tokyo, YYYY-MM-DD. */
void	 util_date_iso(long long epoch, char out[UTIL_ISO_LEN]);

/* The templates folder: override if set, else the source checkout's when
 * the running binary was built there, else the installed share dir.
 * Malloc'd; caller frees. */
char	*util_templates_dir(const char *override);

/* The config path: override, else $FAXINTAKE_CONFIG, else the default. */
const char *util_config_path(const char *override);

int	 util_mkdir_p(const char *path, mode_t mode);	/* 0 or -errno */
int	 util_fsync_dir(const char *dir);		/* 0 or -errno */
/* Write data to path atomically (tmp, fsync, rename) with mode. */
int	 util_write_file(const char *path, const void *data, size_t len,
	    mode_t mode);
/* Read a whole file (at most max bytes, else -EFBIG). *ret malloc'd and
 * NUL-terminated; untouched on failure. */
int	 util_read_file(const char *path, size_t max, char **ret,
	    size_t *ret_len);

#endif
