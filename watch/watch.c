/* watch.c — inotify and directory scans over the inboxes. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "faxintake/watch.h"
#include "faxintake/xmalloc.h"

#define WATCH_MASK (IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | \
	IN_DELETE | IN_ONLYDIR)

struct watch {
	int	 fd;
	size_t	 n;
	char	**paths;
	int	*wd;
};

int
watch_open(const char *const *paths, size_t n, struct watch **ret, char **err)
{
	struct watch *w = xcalloc(1, sizeof(*w));

	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd == -1) {
		xasprintf(err, "inotify: %s", strerror(errno));
		free(w);
		return -1;
	}
	w->paths = xcalloc(n, sizeof(*w->paths));
	w->wd = xcalloc(n, sizeof(*w->wd));
	w->n = n;
	for (size_t i = 0; i < n; i++) {
		w->paths[i] = xstrdup(paths[i]);
		w->wd[i] = inotify_add_watch(w->fd, paths[i], WATCH_MASK);
		if (w->wd[i] == -1) {
			xasprintf(err, "%s: %s", paths[i], strerror(errno));
			watch_close(w);
			return -1;
		}
	}
	*ret = w;
	return 0;
}

void
watch_close(struct watch *w)
{
	if (w == NULL)
		return;
	if (w->fd >= 0)
		close(w->fd);
	for (size_t i = 0; i < w->n; i++)
		free(w->paths[i]);
	free(w->paths);
	free(w->wd);
	free(w);
}

int
watch_fd(const struct watch *w)
{
	return w->fd;
}

int
watch_name_ignored(const char *name)
{
	static const char *const suffixes[] = {
		"~", ".tmp", ".part", ".partial", ".swp", ".crdownload",
		".filepart", ".lock",
	};
	size_t len = strlen(name);

	if (len == 0 || name[0] == '.' || name[0] == '#' || name[0] == '~')
		return 1;
	/* HylaFAX's recvq keeps its sequence number file beside the faxes. */
	if (strcmp(name, "seqf") == 0 || strncmp(name, "seqf.", 5) == 0)
		return 1;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t sl = strlen(suffixes[i]);
		if (len > sl && strcasecmp(name + len - sl, suffixes[i]) == 0)
			return 1;
	}
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names in order: HylaFAX numbers faxes (and scanners date their files) in
 * the order they came, so the first of two identical arrivals is the one
 * that keeps its bytes and the later one becomes the duplicate. */
int
watch_scan(struct watch *w, size_t which, watch_fn fn, void *arg)
{
	int rc = 0;

	for (size_t i = 0; i < w->n; i++) {
		struct dirent *de;
		char **names = NULL;
		size_t n = 0;
		DIR *d;

		if (which != (size_t)-1 && which != i)
			continue;
		if ((d = opendir(w->paths[i])) == NULL) {
			rc = -errno;
			continue;
		}
		while ((de = readdir(d)) != NULL) {
			if (watch_name_ignored(de->d_name))
				continue;
			names = xreallocarray(names, n + 1, sizeof(*names));
			names[n++] = xstrdup(de->d_name);
		}
		closedir(d);
		if (n > 1)
			qsort(names, n, sizeof(*names), name_cmp);
		for (size_t k = 0; k < n; k++) {
			fn(arg, i, names[k], WATCH_SEEN);
			free(names[k]);
		}
		free(names);
	}
	return rc;
}

/* Whether dir/name is a regular file (or gone already: its writer's). */
static int
created_regular(const char *dir, const char *name)
{
	struct stat st;
	char *path;
	int rc;

	xasprintf(&path, "%s/%s", dir, name);
	rc = lstat(path, &st) == -1 || S_ISREG(st.st_mode);
	free(path);
	return rc;
}

int
watch_read(struct watch *w, watch_fn fn, void *arg)
{
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));

	for (;;) {
		ssize_t len = read(w->fd, buf, sizeof(buf));
		const struct inotify_event *ev;

		if (len < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN ? 0 : -errno;
		}
		for (char *p = buf; p < buf + len;
		    p += sizeof(*ev) + ev->len) {
			enum watch_event what;
			size_t i;

			ev = (const struct inotify_event *)p;
			if (ev->mask & IN_Q_OVERFLOW) {
				watch_scan(w, (size_t)-1, fn, arg);
				continue;
			}
			for (i = 0; i < w->n && w->wd[i] != ev->wd; i++)
				;
			if (i == w->n || ev->len == 0 ||
			    watch_name_ignored(ev->name))
				continue;
			if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO))
				what = WATCH_CLOSED;
			else if (ev->mask & IN_CREATE)
				/* A directory, a link, a FIFO or a socket never
				 * gets a close-write: the readiness check
				 * classifies it. */
				what = (ev->mask & IN_ISDIR) ||
				    !created_regular(w->paths[i], ev->name) ?
				    WATCH_SEEN : WATCH_WRITING;
			else if (ev->mask & (IN_DELETE | IN_MOVED_FROM))
				what = WATCH_GONE;
			else
				continue;
			fn(arg, i, ev->name, what);
		}
	}
}
