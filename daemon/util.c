/* util.c — times, paths and whole-file helpers. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "faxintake/util.h"
#include "faxintake/xmalloc.h"

#define JST_OFFSET	(9 * 3600)

void
util_time_iso(long long epoch, char out[UTIL_ISO_LEN])
{
	time_t t = (time_t)(epoch + JST_OFFSET);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, UTIL_ISO_LEN, "%Y-%m-%dT%H:%M:%S+09:00", &tm);
}

void
util_date_iso(long long epoch, char out[UTIL_ISO_LEN])
{
	time_t t = (time_t)(epoch + JST_OFFSET);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, UTIL_ISO_LEN, "%Y-%m-%d", &tm);
}

static int
is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

char *
util_templates_dir(const char *override)
{
	char exe[PATH_MAX], *src;
	ssize_t n;

	if (override && *override)
		return xstrdup(override);
	/* A binary under the checkout's build/ uses the checkout's templates. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		xasprintf(&src, "%s/build/", FI_SRCDIR);
		if (strncmp(exe, src, strlen(src)) == 0) {
			free(src);
			xasprintf(&src, "%s/templates", FI_SRCDIR);
			if (is_dir(src))
				return src;
		}
		free(src);
	}
	return xstrdup(FI_DATADIR);
}

const char *
util_config_path(const char *override)
{
	const char *env;

	if (override && *override)
		return override;
	env = getenv("FAXINTAKE_CONFIG");
	if (env && *env)
		return env;
	return FI_SYSCONFDIR "/faxintake/faxintake.conf";
}

/* mkdir(2) does not set the setgid bit from mode: a 2770 state dir needs
 * a chmod for the files made in it to keep the group. */
static int
mkdir_one(const char *path, mode_t mode)
{
	struct stat st;

	if (mkdir(path, mode) == -1)
		return errno == EEXIST ? 0 : -errno;
	if ((mode & 07000) && stat(path, &st) == 0 &&
	    chmod(path, (st.st_mode & 0777) | (mode & 07000)) == -1)
		return -errno;
	return 0;
}

int
util_mkdir_p(const char *path, mode_t mode)
{
	char tmp[PATH_MAX];
	size_t len = strlen(path);
	int rc;

	if (len == 0 || len >= sizeof(tmp))
		return -ENAMETOOLONG;
	memcpy(tmp, path, len + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if ((rc = mkdir_one(tmp, mode)) != 0)
			return rc;
		*p = '/';
	}
	if ((rc = mkdir_one(tmp, mode)) != 0)
		return rc;
	return is_dir(tmp) ? 0 : -ENOTDIR;
}

int
util_fsync_dir(const char *dir)
{
	int fd, rc = 0;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		return -errno;
	if (fsync(fd) == -1)
		rc = -errno;
	close(fd);
	return rc;
}

int
util_write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	char *tmp, *dir, *slash;
	const char *p = data;
	int fd, rc = 0;

	xasprintf(&tmp, "%s.tmp%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd == -1) {
		rc = -errno;
		free(tmp);
		return rc;
	}
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		p += w;
		len -= (size_t)w;
	}
	if (rc == 0 && fsync(fd) == -1)
		rc = -errno;
	if (close(fd) == -1 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) == -1)
		rc = -errno;
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	if (rc == 0) {
		dir = xstrdup(path);
		slash = strrchr(dir, '/');
		if (slash) {
			*slash = '\0';
			rc = util_fsync_dir(*dir ? dir : "/");
		}
		free(dir);
	}
	return rc;
}

int
util_read_file(const char *path, size_t max, char **ret, size_t *ret_len)
{
	struct stat st;
	char *data;
	size_t len = 0;
	int fd, rc = 0;

	/* O_NONBLOCK: a FIFO is refused below instead of blocking here. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1)
		return -errno;
	if (fstat(fd, &st) == -1) {
		rc = -errno;
		close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	if ((unsigned long long)st.st_size > max) {
		close(fd);
		return -EFBIG;
	}
	data = xmalloc((size_t)st.st_size + 1);
	while (len < (size_t)st.st_size) {
		ssize_t r = read(fd, data + len, (size_t)st.st_size - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	if (rc != 0) {
		free(data);
		return rc;
	}
	data[len] = '\0';
	*ret = data;
	if (ret_len)
		*ret_len = len;
	return 0;
}
