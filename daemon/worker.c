/* worker.c — a worker process: decode (and later read) one file per job. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "faxintake/decode.h"
#include "faxintake/log.h"
#include "faxintake/msg.h"
#include "faxintake/worker.h"

void
worker_limits_format(const struct worker_limits *l, char *out, size_t size)
{
	snprintf(out, size, "%llu:%d:%llu:%d", l->max_file_bytes, l->max_pages,
	    l->max_page_pixels, l->memory_mb);
}

int
worker_limits_parse(const char *s, struct worker_limits *l)
{
	char end;

	if (sscanf(s, "%llu:%d:%llu:%d%c", &l->max_file_bytes, &l->max_pages,
	    &l->max_page_pixels, &l->memory_mb, &end) != 4)
		return -EINVAL;
	return 0;
}

struct job {
	int		 sock;
	uint64_t	 file_id;
};

static int
send_page(void *arg, const struct decode_page *p, struct Pix *pix)
{
	struct job *job = arg;
	struct msg m;

	(void)pix;
	msg_init(&m, MSG_PAGE);
	msg_put_u64(&m, job->file_id);
	msg_put_u32(&m, (uint32_t)p->pageno);
	msg_put_u32(&m, (uint32_t)p->width);
	msg_put_u32(&m, (uint32_t)p->height);
	msg_put_u32(&m, (uint32_t)p->xres);
	msg_put_u32(&m, (uint32_t)p->yres);
	msg_put_u32(&m, (uint32_t)p->depth);
	return msg_send(job->sock, &m);
}

static int
worker_job(int sock, struct msg *in, const struct worker_limits *wl)
{
	struct decode_limits dl;
	struct decode_info info;
	struct job job;
	struct msg out;
	int rc;

	job.sock = sock;
	job.file_id = msg_get_u64(in);
	if (msg_end(in) != 0 || in->fd < 0)
		return -EBADMSG;
	dl.max_bytes = (size_t)wl->max_file_bytes;
	dl.max_pages = wl->max_pages;
	dl.max_page_pixels = wl->max_page_pixels;
	memset(&info, 0, sizeof(info));
	rc = decode_fd(in->fd, &dl, &info, send_page, &job);
	close(in->fd);
	in->fd = -1;
	if (rc == -ENOMEM) {
		/* Over RLIMIT_DATA: the file asks for more than we allow. */
		rc = decode_reject(&info, DECODE_OVER_LIMIT, "decoding needs more "
		    "memory than job_memory_mb (%d MB)", wl->memory_mb);
	}
	if (rc < 0)
		return rc;	/* a page could not be sent: the daemon is gone */
	if (rc == 0) {
		msg_init(&out, MSG_DONE);
		msg_put_u64(&out, job.file_id);
		msg_put_u32(&out, (uint32_t)info.npages);
		msg_put_str(&out, info.mime);
		msg_put_str(&out, info.sender);
	} else {
		msg_init(&out, MSG_REJECT);
		msg_put_u64(&out, job.file_id);
		msg_put_str(&out, info.mime);
		msg_put_str(&out, info.reason_code);
		msg_put_str(&out, info.reason);
	}
	return msg_send(sock, &out);
}

/* VmData of this process now, in bytes (0 if unknown). */
static unsigned long long
data_now(void)
{
	unsigned long long kb = 0;
	char line[256];
	FILE *fp = fopen("/proc/self/status", "re");

	if (fp == NULL)
		return 0;
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "VmData: %llu kB", &kb) == 1)
			break;
	fclose(fp);
	return kb << 10;
}

int
worker_main(pid_t parent, const struct worker_limits *wl)
{
	struct rlimit rl;
	struct msg *m;
	int rc;

	/* Die with the daemon, even on its kill -9. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	/*
	 * job_memory_mb is what a job may add to what the worker already
	 * maps (its libraries, later the OCR model; under AddressSanitizer
	 * also the shadow, which Linux counts as data).
	 */
	rl.rlim_cur = rl.rlim_max = (rlim_t)(data_now() +
	    ((unsigned long long)wl->memory_mb << 20));
	if (setrlimit(RLIMIT_DATA, &rl) == -1)
		log_warn("setrlimit RLIMIT_DATA");
	rl.rlim_cur = rl.rlim_max = 0;
	(void)setrlimit(RLIMIT_CORE, &rl);	/* no patient data in cores */

	m = malloc(sizeof(*m));
	if (m == NULL)
		return 1;
	msg_init(m, MSG_HELLO);
	msg_put_u32(m, (uint32_t)getpid());
	if (msg_send(WORKER_FD, m) != 0) {
		free(m);
		return 1;
	}
	for (;;) {
		rc = msg_recv(WORKER_FD, m);
		if (rc == -EPIPE) {
			rc = 0;
			break;
		}
		if (rc != 0)
			break;
		if (m->type != MSG_JOB_DECODE) {
			rc = -EBADMSG;
			break;
		}
		if ((rc = worker_job(WORKER_FD, m, wl)) != 0)
			break;
	}
	if (m->fd >= 0)
		close(m->fd);
	free(m);
	if (rc != 0)
		log_warnx("worker: %s", strerror(-rc));
	return rc == 0 ? 0 : 1;
}
