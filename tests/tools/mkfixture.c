/*
 * mkfixture — write one test input for faxintake.
 *
 *	mkfixture KIND OUT [N] [--tsi S] [--callid S] [--cidname S] [--sub S]
 *
 * N is the page count for the kinds that have pages.  The same arguments
 * always give the same bytes.  OUT is written whole (to a temporary name,
 * then renamed), so a watcher never sees half a fixture.  The generator
 * itself is tests/unit/fixture.h, shared with the unit tests.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../unit/fixture.h"

static void
usage(void)
{
	size_t i;

	fprintf(stderr, "usage: mkfixture KIND OUT [N] [--tsi S] "
	    "[--callid S] [--cidname S] [--sub S]\nkinds:\n");
	for (i = 0; i < sizeof(fixture_kinds) / sizeof(*fixture_kinds); i++)
		if (fixture_kinds[i].pages > 0)
			fprintf(stderr, "  %-15s %s (N, default %d)\n",
			    fixture_kinds[i].name, fixture_kinds[i].help,
			    fixture_kinds[i].pages);
		else
			fprintf(stderr, "  %-15s %s\n", fixture_kinds[i].name,
			    fixture_kinds[i].help);
	exit(2);
}

static int
write_all(const char *path, const unsigned char *p, size_t n)
{
	char tmp[PATH_MAX];
	const char *slash = strrchr(path, '/');
	ssize_t w;
	int fd;

	/* A dot name in the same directory: watchers ignore dotfiles. */
	if (slash != NULL)
		snprintf(tmp, sizeof(tmp), "%.*s/.%s.tmp",
		    (int)(slash - path), path, slash + 1);
	else
		snprintf(tmp, sizeof(tmp), ".%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1)
		return -1;
	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			close(fd);
			unlink(tmp);
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	if (close(fd) == -1 || rename(tmp, path) == -1) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct fixture_opts o;
	unsigned char *data = NULL;
	size_t len = 0;
	const char *kind, *out;
	char *end;
	long n;
	int i, rc;

	memset(&o, 0, sizeof(o));
	if (argc < 3)
		usage();
	kind = argv[1];
	out = argv[2];
	for (i = 3; i < argc; i++) {
		const char **opt = NULL;

		if (strcmp(argv[i], "--tsi") == 0)
			opt = &o.tsi;
		else if (strcmp(argv[i], "--callid") == 0)
			opt = &o.callid;
		else if (strcmp(argv[i], "--cidname") == 0)
			opt = &o.cidname;
		else if (strcmp(argv[i], "--sub") == 0)
			opt = &o.subaddr;
		if (opt != NULL) {
			if (++i >= argc)
				usage();
			*opt = argv[i];
			continue;
		}
		errno = 0;
		n = strtol(argv[i], &end, 10);
		if (errno != 0 || *end != '\0' || end == argv[i] || n < 1 ||
		    n > 9999 || o.pages != 0)
			usage();
		o.pages = (int)n;
	}
	rc = fixture_make(kind, &o, &data, &len);
	if (rc == -3) {
		fprintf(stderr, "mkfixture: unknown kind %s\n", kind);
		usage();
	}
	if (rc != 0) {
		fprintf(stderr, "mkfixture: %s: cannot make it\n", kind);
		return 1;
	}
	if (write_all(out, data, len) == -1) {
		fprintf(stderr, "mkfixture: %s: %s\n", out, strerror(errno));
		free(data);
		return 1;
	}
	free(data);
	return 0;
}
