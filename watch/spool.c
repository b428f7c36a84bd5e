/*
 * spool.c — claim, reconcile, quarantine.
 *
 * Claim order: (1) test the file is complete and hash it, (2) record it as
 * "claiming" (committed, synchronous=FULL), (3) move it (rename, or copy +
 * fsync + rename + unlink across file systems), (4) record "processing".
 * A crash between any two steps leaves a "claiming" record that
 * spool_reconcile() completes from whichever side still has the bytes.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "faxintake/spool.h"
#include "faxintake/util.h"
#include "faxintake/xmalloc.h"

/* Room kept free for the database and logs when claiming. */
#define SPOOL_MARGIN_BYTES	(16ULL << 20)

struct spool {
	char		*state_dir;
	char		*spool_dir;
	char		*quarantine_dir;
	struct store	*st;
};

int
spool_open(const char *state_dir, struct store *st, struct spool **ret,
    char **err)
{
	struct spool *sp = xcalloc(1, sizeof(*sp));
	int rc;

	sp->st = st;
	sp->state_dir = xstrdup(state_dir);
	xasprintf(&sp->spool_dir, "%s/spool", state_dir);
	xasprintf(&sp->quarantine_dir, "%s/quarantine", state_dir);
	if ((rc = util_mkdir_p(sp->spool_dir, 02770)) != 0 ||
	    (rc = util_mkdir_p(sp->quarantine_dir, 02770)) != 0) {
		xasprintf(err, "%s: %s", state_dir, strerror(-rc));
		spool_close(sp);
		return rc;
	}
	*ret = sp;
	return 0;
}

void
spool_close(struct spool *sp)
{
	if (sp == NULL)
		return;
	free(sp->state_dir);
	free(sp->spool_dir);
	free(sp->quarantine_dir);
	free(sp);
}

/* sha256 of everything readable from fd (from offset 0) as hex. */
static int
hash_fd(int fd, char out[65])
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	unsigned char buf[65536];
	off_t off = 0;

	sha256_init(&ctx);
	for (;;) {
		ssize_t n = pread(fd, buf, sizeof(buf), off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		sha256_update(&ctx, (size_t)n, buf);
		off += n;
	}
	sha256_digest(&ctx, sizeof(digest), digest);
	for (size_t i = 0; i < sizeof(digest); i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
	return 0;
}

static int
hash_path(const char *path, char out[65])
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), rc;
	struct stat st;

	if (fd == -1)
		return -errno;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))
		rc = -EINVAL;
	else
		rc = hash_fd(fd, out);
	close(fd);
	return rc;
}

static const char *
kind_name(mode_t m)
{
	if (S_ISLNK(m))
		return "a symbolic link (not followed)";
	if (S_ISFIFO(m))
		return "a FIFO (named pipe)";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	return "not a regular file";
}

static char *
dir_of(const char *path)
{
	char *d = xstrdup(path), *s = strrchr(d, '/');

	if (s)
		*s = (s == d) ? (s[1] = '\0', '/') : '\0';
	return d;
}

/* Copy fd to dst (a new file), fsync it.  For a claim across file systems. */
static int
copy_fd(int fd, const char *dst)
{
	unsigned char buf[65536];
	off_t off = 0;
	int out, rc = 0;

	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0640);
	if (out == -1)
		return -errno;
	for (;;) {
		ssize_t n = pread(fd, buf, sizeof(buf), off), w;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		if (n == 0)
			break;
		for (ssize_t done = 0; done < n; done += w) {
			w = write(out, buf + done, (size_t)(n - done));
			if (w < 0) {
				if (errno == EINTR) {
					w = 0;
					continue;
				}
				rc = -errno;
				goto out;
			}
		}
		off += n;
	}
out:
	if (rc == 0 && fsync(out) == -1)
		rc = -errno;
	if (close(out) == -1 && rc == 0)
		rc = -errno;
	if (rc != 0)
		unlink(dst);
	return rc;
}

/* Move src (open as fd) to spool/<sha>.  0 or -errno; src stays on failure. */
static int
spool_move(struct spool *sp, const char *src, int fd, const char *sha)
{
	char *dst, *tmp, *srcdir;
	int rc = 0;

	xasprintf(&dst, "%s/%s", sp->spool_dir, sha);
	if (rename(src, dst) == 0)
		goto synced;
	if (errno != EXDEV) {
		rc = -errno;
		goto done;
	}
	/* Another file system (an NFS or CIFS share): copy, fsync, rename,
	 * and only then unlink the original. */
	xasprintf(&tmp, "%s/.%s.tmp", sp->spool_dir, sha);
	if (fd < 0) {
		int sfd = open(src, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (sfd == -1)
			rc = -errno;
		else {
			rc = copy_fd(sfd, tmp);
			close(sfd);
		}
	} else
		rc = copy_fd(fd, tmp);
	if (rc == 0 && rename(tmp, dst) == -1) {
		rc = -errno;
		unlink(tmp);
	}
	free(tmp);
	if (rc != 0)
		goto done;
	if ((rc = util_fsync_dir(sp->spool_dir)) != 0)
		goto done;
	if (unlink(src) == -1 && errno != ENOENT) {
		rc = -errno;
		goto done;
	}
synced:
	if (rc == 0 && (rc = util_fsync_dir(sp->spool_dir)) == 0) {
		srcdir = dir_of(src);
		rc = util_fsync_dir(srcdir);
		free(srcdir);
	}
done:
	free(dst);
	return rc;
}

static long long
now_ms_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static enum spool_result
claim_fail(char **ret_why, enum spool_result r, const char *fmt,
    const char *path, int err)
{
	xasprintf(ret_why, fmt, path, strerror(err));
	return r;
}

static enum spool_result
record_rejected(struct spool *sp, const struct spool_inbox *in,
    const char *name, const char *path, mode_t mode, long long *ret_id,
    char **ret_why)
{
	struct store_file f;
	char *reason;
	int rc;

	rc = store_file_rejected_seen(sp->st, in->name, name);
	if (rc == 1)
		return SPOOL_IGNORED;
	memset(&f, 0, sizeof(f));
	xasprintf(&reason, "%s; left in the inbox", kind_name(mode));
	f.name = (char *)name;
	f.inbox = (char *)in->name;
	f.src_path = (char *)path;
	f.received = (long long)time(NULL);
	f.state = FILE_REJECTED;
	f.reason_code = "not_regular_file";
	f.reason = reason;
	if (rc == 0)
		rc = store_file_add(sp->st, &f, ret_id);
	free(reason);
	if (rc != 0) {
		xasprintf(ret_why, "%s: recording: %s", path, strerror(-rc));
		return rc == -ENOSPC ? SPOOL_NOSPACE : SPOOL_ERROR;
	}
	return SPOOL_REJECTED;
}

enum spool_result
spool_claim(struct spool *sp, const struct spool_inbox *in, const char *name,
    long long settle_ms, long long *ret_id, char **ret_why)
{
	struct store_file f;
	struct statvfs vfs;
	struct stat lst, st, st2;
	char *path, sha[65];
	long long age, dup = 0, id;
	enum spool_result res;
	int fd, rc;

	*ret_why = NULL;
	xasprintf(&path, "%s/%s", in->path, name);
	if (lstat(path, &lst) == -1) {
		res = errno == ENOENT ? SPOOL_IGNORED :
		    claim_fail(ret_why, SPOOL_UNREADABLE, "%s: %s", path, errno);
		goto out;
	}
	if (!S_ISREG(lst.st_mode)) {
		res = record_rejected(sp, in, name, path, lst.st_mode, ret_id,
		    ret_why);
		goto out;
	}
	age = now_ms_wall() - ((long long)lst.st_mtim.tv_sec * 1000 +
	    lst.st_mtim.tv_nsec / 1000000);
	if (age >= 0 && age < settle_ms) {
		res = SPOOL_BUSY;
		goto out;
	}
	/* O_NONBLOCK: a FIFO swapped in after lstat must not block us. */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd == -1) {
		res = errno == ENOENT ? SPOOL_IGNORED : errno == ELOOP ?
		    SPOOL_BUSY : claim_fail(ret_why, SPOOL_UNREADABLE,
		    "%s: cannot open: %s", path, errno);
		goto out;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_ino != lst.st_ino) {
		res = SPOOL_BUSY;
		goto out_fd;
	}
	/* HylaFAX's faxgetty holds a lock on a fax while it arrives. */
	if (flock(fd, LOCK_SH | LOCK_NB) == -1) {
		res = SPOOL_BUSY;
		goto out_fd;
	}
	if (statvfs(sp->spool_dir, &vfs) == 0 &&
	    (unsigned long long)vfs.f_bavail * vfs.f_frsize <
	    (unsigned long long)st.st_size + SPOOL_MARGIN_BYTES) {
		xasprintf(ret_why, "%s: disk full: %llu bytes free, need %llu",
		    sp->spool_dir, (unsigned long long)vfs.f_bavail * vfs.f_frsize,
		    (unsigned long long)st.st_size + SPOOL_MARGIN_BYTES);
		res = SPOOL_NOSPACE;
		goto out_fd;
	}
	if ((rc = hash_fd(fd, sha)) != 0) {
		res = claim_fail(ret_why, SPOOL_UNREADABLE, "%s: read: %s", path,
		    -rc);
		goto out_fd;
	}
	if (fstat(fd, &st2) == -1 || st2.st_size != st.st_size ||
	    st2.st_mtim.tv_sec != st.st_mtim.tv_sec ||
	    st2.st_mtim.tv_nsec != st.st_mtim.tv_nsec) {
		res = SPOOL_BUSY;	/* still being written */
		goto out_fd;
	}

	/* (2) Record first. */
	memset(&f, 0, sizeof(f));
	memcpy(f.sha256, sha, sizeof(f.sha256));
	f.name = (char *)name;
	f.inbox = (char *)in->name;
	f.src_path = path;
	f.received = (long long)time(NULL);
	f.state = FILE_CLAIMING;
	if ((rc = store_begin(sp->st)) == 0) {
		rc = store_file_find_sha(sp->st, sha, &dup);
		if (rc == -ENOENT) {
			dup = 0;
			rc = 0;
		}
		f.duplicate_of = dup;
		if (rc == 0)
			rc = store_file_add(sp->st, &f, &id);
		if (rc == 0)
			rc = store_commit(sp->st);
		if (rc != 0)
			store_rollback(sp->st);
	}
	if (rc != 0) {
		xasprintf(ret_why, "%s: recording: %s (%s)", path, strerror(-rc),
		    store_errmsg(sp->st));
		res = rc == -ENOSPC ? SPOOL_NOSPACE : SPOOL_ERROR;
		goto out_fd;
	}

	/* (3) Then move, (4) then say so. */
	if (dup) {
		/* The bytes are already kept under the first record. */
		if (unlink(path) == -1 && errno != ENOENT)
			rc = -errno;
		if (rc == 0)
			rc = store_file_set_state(sp->st, id, FILE_DUPLICATE,
			    NULL, NULL);
		res = SPOOL_DUPLICATE;
	} else {
		/* Patient data: not for others, whatever the sender's umask.
		 * Best effort: a file we do not own is still shielded by the
		 * spool directory's mode. */
		(void)fchmod(fd, 0640);
		rc = spool_move(sp, path, fd, sha);
		if (rc != 0) {
			/* Not moved: forget the claim, the file stays put. */
			int err = rc;
			(void)store_file_delete(sp->st, id);
			xasprintf(ret_why, "%s: moving into the spool: %s", path,
			    strerror(-err));
			res = err == -ENOSPC || err == -EDQUOT ? SPOOL_NOSPACE :
			    SPOOL_ERROR;
			goto out_fd;
		}
		rc = store_file_set_state(sp->st, id, FILE_PROCESSING, NULL, NULL);
		res = SPOOL_CLAIMED;
	}
	if (rc != 0) {
		/* Done on disk; the record catches up in spool_reconcile(). */
		xasprintf(ret_why, "%s: recording the claim: %s", path,
		    strerror(-rc));
	}
	*ret_id = id;
out_fd:
	close(fd);
out:
	free(path);
	return res;
}

/* A claim interrupted after step (2): finish it from what is on disk. */
static int
reconcile_claim(struct spool *sp, struct store_file *f)
{
	char *dst, src_sha[65];
	int rc, have_src, have_dst;
	struct stat st;

	xasprintf(&dst, "%s/%s", sp->spool_dir, f->sha256);
	have_dst = stat(dst, &st) == 0;
	have_src = f->src_path && hash_path(f->src_path, src_sha) == 0 &&
	    strcmp(src_sha, f->sha256) == 0;
	free(dst);
	if (f->duplicate_of) {
		if (have_src && unlink(f->src_path) == -1 && errno != ENOENT)
			return -errno;
		return store_file_set_state(sp->st, f->id, FILE_DUPLICATE, NULL,
		    NULL);
	}
	if (have_dst) {
		/* Copied across file systems but not yet unlinked. */
		if (have_src && unlink(f->src_path) == -1 && errno != ENOENT)
			return -errno;
		return store_file_set_state(sp->st, f->id, FILE_PROCESSING, NULL,
		    NULL);
	}
	if (have_src) {
		int fd = open(f->src_path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
		    O_CLOEXEC);

		if (fd == -1)
			return -errno;
		(void)fchmod(fd, 0640);		/* as spool_claim() */
		rc = spool_move(sp, f->src_path, fd, f->sha256);
		close(fd);
		if (rc != 0)
			return rc;
		return store_file_set_state(sp->st, f->id, FILE_PROCESSING, NULL,
		    NULL);
	}
	/* Neither side has the bytes: someone removed the file from the
	 * inbox between our record and our move.  Say so; keep the record. */
	return store_file_set_state(sp->st, f->id, FILE_QUARANTINED, "vanished",
	    "removed from the inbox before it could be moved to the spool");
}

/* A quarantine interrupted between its record and its rename: 1 when it
 * moved the file, 0 when there was nothing to do, or -errno. */
static int
reconcile_quarantine(struct spool *sp, struct store_file *f)
{
	char *src, *dst;
	int rc = 0;

	if (f->sha256[0] == '\0')
		return 0;
	xasprintf(&src, "%s/%s", sp->spool_dir, f->sha256);
	xasprintf(&dst, "%s/%s", sp->quarantine_dir, f->sha256);
	if (access(src, F_OK) == 0 && access(dst, F_OK) != 0) {
		if (rename(src, dst) == -1)
			rc = -errno;
		else if ((rc = util_fsync_dir(sp->quarantine_dir)) == 0)
			rc = 1;
	}
	free(src);
	free(dst);
	return rc;
}

/* A copy a crash interrupted (spool/.<sha>.tmp) holds nothing recorded:
 * its original is still in the inbox or the claim was finished. */
static void
remove_stale_copies(struct spool *sp)
{
	struct dirent *de;
	DIR *d = opendir(sp->spool_dir);

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' && len == 1 + 64 + 4 &&
		    strcmp(de->d_name + 65, ".tmp") == 0)
			(void)unlinkat(dirfd(d), de->d_name, 0);
	}
	closedir(d);
}

int
spool_reconcile(struct spool *sp, int *ret_failed)
{
	static const enum file_state states[] = { FILE_CLAIMING, FILE_QUARANTINED };
	int fixed = 0, rc;

	*ret_failed = 0;
	remove_stale_copies(sp);
	for (size_t s = 0; s < 2; s++) {
		long long *ids;
		size_t n;

		if ((rc = store_file_ids(sp->st, states[s], &ids, &n)) != 0)
			return rc;
		for (size_t i = 0; i < n; i++) {
			struct store_file f;

			if ((rc = store_file_get(sp->st, ids[i], &f)) != 0) {
				free(ids);
				return rc;
			}
			/* One stuck record (a file we may not unlink) must not
			 * keep the daemon from starting: it is left as it is
			 * and tried again at the next start. */
			rc = states[s] == FILE_CLAIMING ? reconcile_claim(sp, &f) :
			    reconcile_quarantine(sp, &f);
			if (rc < 0)
				(*ret_failed)++;
			else if (rc > 0 || states[s] == FILE_CLAIMING)
				fixed++;
			store_file_clear(&f);
		}
		free(ids);
	}
	return fixed;
}

int
spool_open_file(struct spool *sp, const char *sha256)
{
	char *path;
	int fd;

	xasprintf(&path, "%s/%s", sp->spool_dir, sha256);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	free(path);
	return fd == -1 ? -errno : fd;
}

int
spool_unquarantine(struct spool *sp, const char *sha256)
{
	char *src, *dst;
	int rc = 0;

	xasprintf(&src, "%s/%s", sp->quarantine_dir, sha256);
	xasprintf(&dst, "%s/%s", sp->spool_dir, sha256);
	if (access(dst, F_OK) != 0) {
		if (rename(src, dst) == -1)
			rc = -errno;
		else
			rc = util_fsync_dir(sp->spool_dir);
	}
	free(src);
	free(dst);
	return rc;
}

char *
spool_path(struct spool *sp, const char *sha256)
{
	char *p;

	xasprintf(&p, "%s/%s", sp->spool_dir, sha256);
	if (access(p, F_OK) == 0)
		return p;
	free(p);
	xasprintf(&p, "%s/%s", sp->quarantine_dir, sha256);
	if (access(p, F_OK) == 0)
		return p;
	free(p);
	return NULL;
}

int
spool_quarantine(struct spool *sp, long long id, const char *sha256,
    const char *reason_code, const char *reason)
{
	struct store_file f;
	int rc;

	if ((rc = store_file_set_state(sp->st, id, FILE_QUARANTINED, reason_code,
	    reason)) != 0)
		return rc;
	memset(&f, 0, sizeof(f));
	f.id = id;
	snprintf(f.sha256, sizeof(f.sha256), "%s", sha256);
	rc = reconcile_quarantine(sp, &f);
	return rc < 0 ? rc : 0;
}
