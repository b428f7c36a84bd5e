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
#include "faxintake/facts.h"
#include "faxintake/reader.h"
#include "faxintake/log.h"
#include "faxintake/msg.h"
#include "faxintake/worker.h"

void
worker_limits_format(const struct worker_limits *l, char *out, size_t size)
{
	snprintf(out, size, "%llu:%d:%llu:%d:%d", l->max_file_bytes,
	    l->max_pages, l->max_page_pixels, l->memory_mb, l->read_pages);
}

int
worker_limits_parse(const char *s, struct worker_limits *l)
{
	char end;

	if (sscanf(s, "%llu:%d:%llu:%d:%d%c", &l->max_file_bytes, &l->max_pages,
	    &l->max_page_pixels, &l->memory_mb, &l->read_pages, &end) != 5)
		return -EINVAL;
	return 0;
}

struct job {
	int		 sock;
	uint64_t	 file_id;
	struct reader	*reader;	/* NULL: decode only */
	struct msg	*m;		/* send buffer (large: not on the stack) */
};

static uint32_t
millionths(double conf)
{
	if (conf < 0)
		conf = 0;
	if (conf > 1)
		conf = 1;
	return (uint32_t)(conf * 1e6 + 0.5);
}

/* Each page as it is decoded: its facts and, when reading, what it says. */
static int
send_page(void *arg, const struct decode_page *p, struct Pix *pix)
{
	struct job *job = arg;
	struct reader_page rp;
	struct msg *m = job->m;
	int rc;

	msg_init(m, MSG_PAGE);
	msg_put_u64(m, job->file_id);
	msg_put_u32(m, (uint32_t)p->pageno);
	msg_put_u32(m, (uint32_t)p->width);
	msg_put_u32(m, (uint32_t)p->height);
	msg_put_u32(m, (uint32_t)p->xres);
	msg_put_u32(m, (uint32_t)p->yres);
	msg_put_u32(m, (uint32_t)p->depth);
	msg_put_u32(m, job->reader != NULL);
	if (job->reader) {
		memset(&rp, 0, sizeof(rp));
		if ((rc = reader_page(job->reader, pix, p->pageno, &rp)) != 0)
			return rc;
		msg_put_str(m, doc_type_name(rp.doc_type));
		msg_put_u32(m, millionths(rp.confidence));
		msg_put_str(m, rp.text);
		msg_put_str(m, rp.header_sender);
		msg_put_str(m, rp.has_qr ? rp.qr.raw : "");
		msg_put_u32(m, (uint32_t)(rp.cover_total > 0 ? rp.cover_total : 0));
		reader_page_clear(&rp);
	}
	return msg_send(job->sock, m);
}

/* After the last page: the documents the pages make, with their fields. */
static int
send_documents(struct job *job, int *ret_ndocs)
{
	struct reader_file rf;
	struct msg *m = job->m;
	int rc = 0;

	*ret_ndocs = 0;
	if (job->reader == NULL)
		return 0;
	memset(&rf, 0, sizeof(rf));
	if ((rc = reader_file_finish(job->reader, &rf)) != 0)
		return rc;
	for (size_t i = 0; i < rf.ndocs && rc == 0; i++) {
		const struct reader_document *d = &rf.docs[i];

		msg_init(m, MSG_DOC);
		msg_put_u64(m, job->file_id);
		msg_put_u32(m, (uint32_t)i);
		msg_put_str(m, doc_type_name(d->type));
		msg_put_u32(m, (uint32_t)d->first_page);
		msg_put_u32(m, (uint32_t)d->last_page);
		msg_put_u32(m, (uint32_t)d->application);
		msg_put_u32(m, (uint32_t)(int32_t)d->dedicated_form);
		msg_put_str(m, d->language);
		msg_put_u32(m, millionths(d->confidence));
		msg_put_str(m, d->case_id);
		rc = msg_send(job->sock, m);
		for (size_t k = 0; k < d->nfields && rc == 0; k++) {
			const struct extract_field *f = &d->fields[k];

			msg_init(m, MSG_DOC_FIELD);
			msg_put_u64(m, job->file_id);
			msg_put_u32(m, (uint32_t)i);
			msg_put_str(m, field_id_name(f->id));
			msg_put_str(m, f->value);
			msg_put_str(m, f->raw);
			msg_put_u32(m, millionths(f->confidence));
			msg_put_u32(m, (uint32_t)f->page);
			rc = msg_send(job->sock, m);
		}
	}
	*ret_ndocs = (int)rf.ndocs;
	reader_file_clear(&rf);
	return rc;
}

static int
worker_job(int sock, struct msg *in, const struct worker_limits *wl,
    struct reader *reader, struct msg *out)
{
	struct decode_limits dl;
	struct decode_info info;
	struct job job;
	int rc, ndocs = 0;

	job.sock = sock;
	job.reader = reader;
	job.m = out;
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
	if (rc == 0)
		rc = send_documents(&job, &ndocs);
	else if (reader)
		reader_file_abort(reader);
	if (rc == -ENOMEM) {
		/* Over RLIMIT_DATA: the file asks for more than we allow. */
		rc = decode_reject(&info, DECODE_OVER_LIMIT, "decoding needs more "
		    "memory than job_memory_mb (%d MB)", wl->memory_mb);
	}
	if (rc < 0)
		return rc;	/* a page could not be sent: the daemon is gone */
	if (rc == 0) {
		msg_init(out, MSG_DONE);
		msg_put_u64(out, job.file_id);
		msg_put_u32(out, (uint32_t)info.npages);
		msg_put_u32(out, (uint32_t)ndocs);
		msg_put_str(out, info.mime);
		msg_put_str(out, info.sender);
	} else {
		msg_init(out, MSG_REJECT);
		msg_put_u64(out, job.file_id);
		msg_put_str(out, info.mime);
		msg_put_str(out, info.reason_code);
		msg_put_str(out, info.reason);
	}
	return msg_send(sock, out);
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
worker_main(pid_t parent, const struct worker_limits *wl, const char *templates)
{
	struct reader *reader = NULL;
	struct rlimit rl;
	struct msg *m, *out;
	int rc;

	/* Die with the daemon, even on its kill -9. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	if (wl->read_pages) {
		/* One OCR engine per worker, loaded once (OMP_THREAD_LIMIT=1 is
		 * set by the pool before exec: workers, not threads, scale over
		 * the cores). */
		struct reader_opts ro;

		memset(&ro, 0, sizeof(ro));
		ro.templates = templates;
		if ((rc = reader_new(&ro, &reader)) != 0) {
			log_warnx("worker: loading the reader: %s", strerror(-rc));
			return 1;
		}
	}
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
	out = malloc(sizeof(*out));
	if (m == NULL || out == NULL) {
		free(m);
		free(out);
		reader_free(reader);
		return 1;
	}
	msg_init(m, MSG_HELLO);
	msg_put_u32(m, (uint32_t)getpid());
	if (msg_send(WORKER_FD, m) != 0) {
		free(m);
		free(out);
		reader_free(reader);
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
		if ((rc = worker_job(WORKER_FD, m, wl, reader, out)) != 0)
			break;
	}
	if (m->fd >= 0)
		close(m->fd);
	free(m);
	free(out);
	reader_free(reader);
	if (rc != 0)
		log_warnx("worker: %s", strerror(-rc));
	return rc == 0 ? 0 : 1;
}
