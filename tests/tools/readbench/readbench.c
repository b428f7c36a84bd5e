/*
 * readbench — accuracy and speed of the reading pipeline on a faxsynth
 * corpus (index.json + caseNNNN/truth.json + the files).
 *
 *	readbench [--jobs N] [--json] [--dump] [--medium fine|normal|scan]
 *	    [--fax] [--files K] [--speed STEP] [--templates DIR]
 *	    [--save FILE | --results FILE] CORPUS
 *
 * Every file is decoded with decode.h and read exactly as a worker does
 * (reader_page per page in order, then reader_file_finish), in N forked
 * processes that each load one reader (OMP_THREAD_LIMIT=1), taking files
 * from a shared queue.  The files of a case directory are then joined as
 * the daemon joins them (casematch, in the order they were sent) and a
 * case's readings weighed together, as cases_consensus() does on arrival.
 * Then it is scored against the truth:
 *   - page doc_type accuracy;
 *   - per field id, the exact-match rate of the normalised value over the
 *     truth documents that print it (the reader's document holding the
 *     truth document's first page must carry the same value; free text,
 *     such as a hospital's name, compared without white space:
 *     same_value);
 *   - "confidently wrong": of all values output, those that are wrong
 *     (differ from the truth document or, failing that, the case; a value
 *     for a field neither has counts as wrong) with confidence >= 0.80;
 *   - CER of the page text against the text faxsynth drew on the page
 *     (truth page "text", a fax's header line first): Levenshtein distance
 *     over code points, both sides NFKC'd (norm_nfkc) and stripped of
 *     whitespace; total distance / total truth characters, and the median
 *     page.  Pages without truth text are skipped.  Pages the reader reads
 *     only in part by design (our forms: header strip and zones; lab,
 *     imaging and pathology reports: the top strip; separators) count
 *     only on a line of their own, "incl. partly read pages";
 * split by medium (fax fine, fax normal, scan).  Speed: pages/min over
 * the wall time, time inside Tesseract recognition vs the rest
 * (reader_page's usec_ocr/usec_other, decoding counted in the rest),
 * per-page time by kind (referral letters, our own forms, everything),
 * peak RSS per worker (getrusage).
 *
 * --speed STEP (make bench) takes every STEP'th file and reads it with 1
 * and 2 workers, and also runs /usr/bin/tesseract (posix_spawn, no shell)
 * once per decoded page image (written as PNG by leptonica beforehand,
 * not timed) with -l jpn, 1 and 2 processes in parallel, and once
 * /usr/bin/ocrmypdf -l jpn --jobs 1 and 2 --output-type pdf --optimize 0
 * over one PDF of the same images (G4 at the pages' dpi, not timed; no
 * PDF/A pass, no optimising: OCR plus its text layer only), and prints
 * the ratios.  Without ocrmypdf (Debian package, make bench-deps) that
 * column is skipped.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <leptonica/allheaders.h>

#include "faxintake/casematch.h"
#include "faxintake/decode.h"
#include "faxintake/facts.h"
#include "faxintake/normalize.h"
#include "faxintake/reader.h"
#include "faxintake/util.h"

extern char **environ;

#define CONF_THRESHOLD	0.80
#define MAXJOBS		16

enum medium { MED_FINE = 0, MED_NORMAL, MED_SCAN, MED__COUNT };
static const char *const med_name[MED__COUNT] = { "fine", "normal", "scan" };

enum kind { KIND_LETTER = 0, KIND_FORM, KIND_OTHER, KIND__COUNT };
static const char *const kind_name[KIND__COUNT] = {
	"referral letters", "own forms (zones)", "other pages" };

struct bfile {
	char		 path[PATH_MAX];
	char		 name[64];
	int		 casei;
	enum medium	 med;
	struct json_object *truth;	/* the file's object in truth.json */
	struct json_object *result;	/* parsed result line */
};

struct bcase {
	char		 dir[PATH_MAX / 2];
	struct json_object *truth;
};

static struct bcase *cases;
static size_t ncases;
static struct bfile *files;
static size_t nfiles;

static long long
now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
usage(void)
{
	fprintf(stderr, "usage: readbench [--jobs N] [--json] [--dump] "
	    "[--medium fine|normal|scan | --fax] [--files K] [--speed STEP] "
	    "[--templates DIR] [--save FILE | --results FILE] CORPUS\n");
	exit(2);
}

static struct json_object *
jget(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;

	if (o == NULL || !json_object_object_get_ex(o, k, &v))
		return NULL;
	return v;
}

static const char *
jstr(struct json_object *o, const char *k)
{
	struct json_object *v = jget(o, k);

	return v && json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : NULL;
}

static int
jint(struct json_object *o, const char *k, int def)
{
	struct json_object *v = jget(o, k);

	return v ? json_object_get_int(v) : def;
}

static struct json_object *
load_json(const char *path)
{
	char *text = NULL;
	size_t len;
	struct json_object *o;

	if (util_read_file(path, 64u << 20, &text, &len) != 0)
		return NULL;
	o = json_tokener_parse(text);
	free(text);
	return o;
}

/* --- loading the corpus ---------------------------------------------- */

static int
corpus_load(const char *dir, int only_med, int maxfiles)
{
	char path[PATH_MAX + 64];
	struct json_object *idx, *arr;
	size_t i, k;

	snprintf(path, sizeof(path), "%s/index.json", dir);
	if ((idx = load_json(path)) == NULL) {
		fprintf(stderr, "readbench: %s: cannot read\n", path);
		return -1;
	}
	arr = jget(idx, "cases");
	ncases = arr ? json_object_array_length(arr) : 0;
	cases = calloc(ncases ? ncases : 1, sizeof(*cases));
	for (i = 0; i < ncases; i++) {
		struct json_object *c = json_object_array_get_idx(arr, i), *tf;
		const char *d = jstr(c, "dir");

		if (strlen(dir) + 80 > sizeof(cases[i].dir))
			return -1;
		snprintf(cases[i].dir, sizeof(cases[i].dir), "%.2000s/%.64s", dir,
		    d ? d : "");
		snprintf(path, sizeof(path), "%s/truth.json", cases[i].dir);
		if ((cases[i].truth = load_json(path)) == NULL) {
			fprintf(stderr, "readbench: %s: cannot read\n", path);
			return -1;
		}
		tf = jget(cases[i].truth, "files");
		for (k = 0; tf && k < json_object_array_length(tf); k++) {
			struct json_object *f = json_object_array_get_idx(tf, k);
			const char *m = jstr(f, "medium"), *n = jstr(f, "name");
			enum medium med = m == NULL ? MED_SCAN :
			    strcmp(m, "fax_fine") == 0 ? MED_FINE :
			    strcmp(m, "fax_normal") == 0 ? MED_NORMAL : MED_SCAN;
			struct bfile *b;

			if (n == NULL || (only_med >= 0 && (int)med != only_med) ||
			    (only_med == -2 && med == MED_SCAN))
				continue;
			if (maxfiles > 0 && nfiles >= (size_t)maxfiles)
				continue;
			files = realloc(files, (nfiles + 1) * sizeof(*files));
			b = &files[nfiles++];
			memset(b, 0, sizeof(*b));
			snprintf(b->path, sizeof(b->path), "%s/%.63s", cases[i].dir,
			    n);
			snprintf(b->name, sizeof(b->name), "%s", n);
			b->casei = (int)i;
			b->med = med;
			b->truth = f;
		}
	}
	json_object_put(idx);
	return 0;
}

/* --- reading (in the children) ---------------------------------------- */

struct rctx {
	struct reader		*reader;
	struct json_object	*pages;
	int			 err;
};

static int
on_page(void *arg, const struct decode_page *p, struct Pix *pix)
{
	struct rctx *c = arg;
	struct reader_page rp;
	struct json_object *o;
	int rc;

	memset(&rp, 0, sizeof(rp));
	if ((rc = reader_page(c->reader, pix, p->pageno, &rp)) != 0) {
		c->err = rc;
		return rc;
	}
	o = json_object_new_object();
	json_object_object_add(o, "p", json_object_new_int(p->pageno));
	json_object_object_add(o, "t",
	    json_object_new_string(doc_type_name(rp.doc_type)));
	json_object_object_add(o, "c", json_object_new_double(rp.confidence));
	json_object_object_add(o, "o", json_object_new_int64(rp.usec_ocr));
	json_object_object_add(o, "x", json_object_new_int64(rp.usec_other));
	json_object_object_add(o, "title", json_object_new_string(rp.title));
	json_object_object_add(o, "text", json_object_new_string(rp.text ?
	    rp.text : ""));
	json_object_array_add(c->pages, o);
	reader_page_clear(&rp);
	return 0;
}

static struct json_object *
read_file(struct reader *reader, const struct bfile *b)
{
	struct json_object *o = json_object_new_object(), *docs;
	struct decode_limits dl = { 256u << 20, 500, 8000ULL * 12000ULL };
	struct decode_info info;
	struct reader_file rf;
	struct rctx c = { reader, json_object_new_array(), 0 };
	char *data = NULL;
	size_t len = 0;
	long long t0 = now_usec(), tread;
	int rc;

	memset(&info, 0, sizeof(info));
	memset(&rf, 0, sizeof(rf));
	if ((rc = util_read_file(b->path, dl.max_bytes, &data, &len)) == 0)
		rc = decode_buffer(data, len, &dl, &info, on_page, &c);
	free(data);
	json_object_object_add(o, "pages", c.pages);
	if (rc != 0) {
		reader_file_abort(reader);
		json_object_object_add(o, "error", json_object_new_string(
		    info.reason[0] ? info.reason : strerror(rc < 0 ? -rc : EIO)));
	} else if ((rc = reader_file_finish(reader, &rf)) != 0) {
		json_object_object_add(o, "error",
		    json_object_new_string(strerror(-rc)));
	}
	docs = json_object_new_array();
	for (size_t i = 0; i < rf.ndocs; i++) {
		const struct reader_document *d = &rf.docs[i];
		struct json_object *jd = json_object_new_object();
		struct json_object *jf = json_object_new_array();

		json_object_object_add(jd, "t",
		    json_object_new_string(doc_type_name(d->type)));
		json_object_object_add(jd, "first",
		    json_object_new_int(d->first_page));
		json_object_object_add(jd, "last",
		    json_object_new_int(d->last_page));
		for (size_t k = 0; k < d->nfields; k++) {
			const struct extract_field *f = &d->fields[k];
			struct json_object *e = json_object_new_object();

			json_object_object_add(e, "id", json_object_new_string(
			    field_id_name(f->id)));
			json_object_object_add(e, "v",
			    json_object_new_string(f->value));
			json_object_object_add(e, "r",
			    json_object_new_string(f->raw));
			json_object_object_add(e, "c",
			    json_object_new_double(f->confidence));
			json_object_object_add(e, "p",
			    json_object_new_int(f->page));
			json_object_object_add(e, "s",
			    json_object_new_int((int)f->source));
			json_object_array_add(jf, e);
		}
		json_object_object_add(jd, "fields", jf);
		json_object_array_add(docs, jd);
	}
	json_object_object_add(o, "docs", docs);
	json_object_object_add(o, "apps",
	    json_object_new_int(rf.napplications));
	json_object_object_add(o, "hs",
	    json_object_new_string(rf.header_sender));
	reader_file_clear(&rf);
	tread = now_usec() - t0;
	json_object_object_add(o, "wall", json_object_new_int64(tread));
	return o;
}

static int
child_main(int qfd, FILE *out, const char *templates)
{
	struct reader_opts ro;
	struct reader *reader;
	struct rusage ru;
	uint32_t idx;
	int rc;

	setenv("OMP_THREAD_LIMIT", "1", 1);
	memset(&ro, 0, sizeof(ro));
	ro.templates = templates;
	if ((rc = reader_new(&ro, &reader)) != 0) {
		fprintf(stderr, "readbench: reader_new: %s\n", strerror(-rc));
		return 1;
	}
	while (read(qfd, &idx, sizeof(idx)) == (ssize_t)sizeof(idx)) {
		struct json_object *o;

		if (idx >= nfiles)
			break;
		o = read_file(reader, &files[idx]);
		json_object_object_add(o, "f", json_object_new_int((int)idx));
		fprintf(out, "%s\n", json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	}
	reader_free(reader);
	getrusage(RUSAGE_SELF, &ru);
	fprintf(out, "{\"rss_kb\":%ld}\n", ru.ru_maxrss);
	fflush(out);
	return 0;
}

struct runstat {
	long long	wall;		/* usec */
	long		rss_kb[MAXJOBS];
	int		jobs;
};

/* A file's result line (its "f" the file's index) into files[]; taken
 * over (dropped when it names no file). */
static void
result_put(struct json_object *o)
{
	int f = o ? jint(o, "f", -1) : -1;

	if (f >= 0 && (size_t)f < nfiles) {
		json_object_put(files[f].result);
		files[f].result = o;
	} else
		json_object_put(o);
}

/* Read every file with jobs processes; results into files[].result. */
static int
run_reader(int jobs, const char *templates, struct runstat *st)
{
	FILE *tmp[MAXJOBS];
	pid_t pid[MAXJOBS];
	int q[2], i, status, rc = 0;
	long long t0;

	memset(st, 0, sizeof(*st));
	st->jobs = jobs;
	if (pipe(q) != 0)
		return -errno;
	for (uint32_t k = 0; k < nfiles; k++)
		if (write(q[1], &k, sizeof(k)) != (ssize_t)sizeof(k))
			return -EIO;	/* pipe full: more than 16k files */
	close(q[1]);
	fflush(NULL);
	t0 = now_usec();
	for (i = 0; i < jobs; i++) {
		if ((tmp[i] = tmpfile()) == NULL)
			return -errno;
		if ((pid[i] = fork()) == 0) {
			int r = child_main(q[0], tmp[i], templates);
			fflush(tmp[i]);
			_exit(r);
		}
	}
	close(q[0]);
	for (i = 0; i < jobs; i++)
		if (waitpid(pid[i], &status, 0) == -1 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			rc = -ECHILD;
	st->wall = now_usec() - t0;
	for (i = 0; i < jobs; i++) {
		char *line = NULL;
		size_t cap = 0;

		rewind(tmp[i]);
		while (getline(&line, &cap, tmp[i]) > 0) {
			struct json_object *o = json_tokener_parse(line), *v;

			if (o == NULL)
				continue;
			if ((v = jget(o, "rss_kb")) != NULL) {
				st->rss_kb[i] = json_object_get_int64(v);
				json_object_put(o);
				continue;
			}
			result_put(o);
		}
		free(line);
		fclose(tmp[i]);
	}
	return rc;
}

/* --save FILE: the readings, a line per file, to score again later
 * (--results FILE) without reading the pages again. */
static int
results_save(const char *path)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL) {
		fprintf(stderr, "readbench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (size_t k = 0; k < nfiles; k++)
		if (files[k].result)
			fprintf(fp, "%s\n", json_object_to_json_string_ext(
			    files[k].result, JSON_C_TO_STRING_PLAIN |
			    JSON_C_TO_STRING_NOSLASHESCAPE));
	return fclose(fp) == 0 ? 0 : -1;
}

/* --results FILE: what --save wrote, in place of reading (no speed). */
static int
results_load(const char *path, struct runstat *st)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;

	memset(st, 0, sizeof(*st));
	st->jobs = 1;
	if (fp == NULL) {
		fprintf(stderr, "readbench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, fp) > 0)
		result_put(json_tokener_parse(line));
	free(line);
	fclose(fp);
	return 0;
}

/* --- joining a case's files, as the daemon does ------------------------- */

#define JOIN_WINDOW	3600	/* the daemon's: max(settle_seconds, 1 h) */
#define JOIN_MAX_DOCS	256

/* The most confident value of field id among the documents of a result. */
static struct json_object *
best_reading(struct json_object *res, const char *id)
{
	struct json_object *docs = jget(res, "docs"), *best = NULL;

	for (size_t i = 0; docs && i < json_object_array_length(docs); i++) {
		struct json_object *fs = jget(json_object_array_get_idx(docs,
		    i), "fields");
		for (size_t k = 0; fs && k < json_object_array_length(fs);
		    k++) {
			struct json_object *e = json_object_array_get_idx(fs, k);
			const char *f = jstr(e, "id"), *v = jstr(e, "v");
			if (f && v && *v && strcmp(f, id) == 0 &&
			    (best == NULL || json_object_get_double(jget(e,
			    "c")) > json_object_get_double(jget(best, "c"))))
				best = e;
		}
	}
	return best;
}

/* "2026-11-17T09:06:00+09:00" in epoch seconds (the zone ignored: only
 * differences count); 0 if unreadable. */
static long long
iso_seconds(const char *s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || sscanf(s, "%d-%d-%dT%d:%d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min) != 5)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon--;
	return (long long)timegm(&tm);
}

/* One case the daemon would hold: the files joined to it. */
struct jcase {
	size_t		 files[16];
	size_t		 n;
	const char	*senders[16];
	long long	 last;
};

/*
 * The identity casematch sees of a case: its most confident name, birth
 * date, referring FAX and clinic (store_case_fields), the numbers its
 * files came from.
 */
static void
jcase_identity(const struct jcase *g, struct casematch_case *c)
{
	static const char *const ids[] = { "patient_name",
	    "patient_birth_date", "referring_fax", "referring_hospital" };
	struct json_object *best[4] = { NULL, NULL, NULL, NULL };

	for (size_t i = 0; i < g->n; i++)
		for (size_t k = 0; k < 4; k++) {
			struct json_object *e = best_reading(
			    files[g->files[i]].result, ids[k]);
			if (e && (best[k] == NULL ||
			    json_object_get_double(jget(e, "c")) >
			    json_object_get_double(jget(best[k], "c"))))
				best[k] = e;
		}
	memset(c, 0, sizeof(*c));
	c->id = "";
	c->name = best[0] ? jstr(best[0], "v") : NULL;
	c->birth = best[1] ? jstr(best[1], "v") : NULL;
	c->clinic_fax = best[2] ? jstr(best[2], "v") : NULL;
	c->clinic = best[3] ? jstr(best[3], "v") : NULL;
	c->senders = g->senders;
	c->nsenders = g->n;
	c->last_arrival = g->last;
}

/* reader_consensus over every document of the files of g, from the
 * readings as read, the values written back into their results
 * (cases_consensus, on what the daemon stores). */
static void
jcase_consensus(const struct jcase *g)
{
	struct json_object **map;
	struct reader_file rf;
	size_t nd = 0;

	memset(&rf, 0, sizeof(rf));
	rf.docs = calloc(JOIN_MAX_DOCS, sizeof(*rf.docs));
	map = calloc(JOIN_MAX_DOCS * READER_MAX_FIELDS, sizeof(*map));
	if (rf.docs == NULL || map == NULL)
		goto out;
	for (size_t i = 0; i < g->n; i++) {
		struct json_object *docs = jget(files[g->files[i]].result,
		    "docs");
		for (size_t k = 0; docs && k < json_object_array_length(docs) &&
		    nd < JOIN_MAX_DOCS; k++) {
			struct json_object *fs = jget(
			    json_object_array_get_idx(docs, k), "fields");
			struct reader_document *d = &rf.docs[nd];
			for (size_t l = 0; fs && l < json_object_array_length(
			    fs) && d->nfields < READER_MAX_FIELDS; l++) {
				struct json_object *e =
				    json_object_array_get_idx(fs, l);
				struct extract_field *f =
				    &d->fields[d->nfields];
				/* as read ("rv", "rc" once changed): the
				 * daemon weighs the readings as read */
				int read = jget(e, "rv") != NULL;
				const char *v = jstr(e, read ? "rv" : "v");
				int id = field_id_parse(jstr(e, "id"));
				if (id < 0 || v == NULL)
					continue;
				f->id = (enum field_id)id;
				snprintf(f->value, sizeof(f->value), "%s", v);
				f->confidence = json_object_get_double(jget(e,
				    read ? "rc" : "c"));
				f->page = jint(e, "p", 1);
				f->source = (enum extract_source)jint(e, "s",
				    0);
				map[nd * READER_MAX_FIELDS + d->nfields++] = e;
			}
			nd++;
		}
	}
	rf.ndocs = nd;
	rf.napplications = 1;
	reader_consensus(&rf);
	for (size_t i = 0; i < nd; i++)
		for (size_t l = 0; l < rf.docs[i].nfields; l++) {
			struct json_object *e = map[i * READER_MAX_FIELDS + l];
			const struct extract_field *f = &rf.docs[i].fields[l];
			if (strcmp(jstr(e, "v"), f->value) == 0 &&
			    json_object_get_double(jget(e, "c")) ==
			    f->confidence)
				continue;
			if (jget(e, "rv") == NULL) {
				json_object_object_add(e, "rv",
				    json_object_new_string(jstr(e, "v")));
				json_object_object_add(e, "rc",
				    json_object_new_double(
				    json_object_get_double(jget(e, "c"))));
			}
			json_object_object_add(e, "v",
			    json_object_new_string(f->value));
			json_object_object_add(e, "c",
			    json_object_new_double(f->confidence));
		}
out:
	free(map);
	free(rf.docs);
}

/*
 * The daemon joins a file to an open case when casematch says so, then
 * reads the case's documents together (arrival.c).  Here each case
 * directory's files, in the order they were sent, are joined the same
 * way among themselves (a file of one directory is never tried against
 * another's: the corpus has no two cases of one patient).  Returns how
 * many files joined an earlier one; *named: how many opened a case that
 * names an earlier one for staff to merge (review:ambiguous_case).
 */
static int
join_cases(int *named)
{
	struct jcase *gs = calloc(16, sizeof(*gs));
	int joined = 0;

	*named = 0;
	for (size_t ci = 0; gs && ci < ncases; ci++) {
		size_t ng = 0;

		for (size_t k = 0; k < nfiles; k++) {
			struct json_object *res = files[k].result, *n, *b, *h;
			struct casematch_case cm[16];
			struct casematch_probe p;
			char why[160];
			size_t idx = 0;
			struct jcase *g;
			enum casematch_result r;

			if (files[k].casei != (int)ci || res == NULL ||
			    jget(res, "error") || jint(res, "apps", 1) != 1)
				continue;
			n = best_reading(res, "patient_name");
			b = best_reading(res, "patient_birth_date");
			h = best_reading(res, "referring_hospital");
			memset(&p, 0, sizeof(p));
			p.name = n ? jstr(n, "v") : NULL;
			p.name_conf = n ? json_object_get_double(jget(n, "c")) :
			    0;
			p.birth = b ? jstr(b, "v") : NULL;
			p.birth_conf = b ? json_object_get_double(jget(b, "c")) :
			    0;
			p.sender = jstr(res, "hs");
			p.clinic = h ? jstr(h, "v") : NULL;
			p.now = iso_seconds(jstr(files[k].truth, "received"));
			p.window = JOIN_WINDOW;
			p.threshold = CONF_THRESHOLD;
			for (size_t i = 0; i < ng; i++)
				jcase_identity(&gs[i], &cm[i]);
			r = casematch_find(&p, cm, ng, &idx, why, sizeof(why));
			if (r == CASEMATCH_ONE && gs[idx].n < 16) {
				g = &gs[idx];
				joined++;
			} else if (ng < 16) {
				*named += r == CASEMATCH_POSSIBLE;
				g = &gs[ng++];
				memset(g, 0, sizeof(*g));
			} else
				continue;
			g->senders[g->n] = p.sender ? p.sender : "";
			g->files[g->n++] = k;
			g->last = p.now;
			if (g->n > 1)
				jcase_consensus(g);
		}
	}
	free(gs);
	return joined;
}

/* --- scoring ---------------------------------------------------------- */

struct fstat {
	int	truth[MED__COUNT];	/* truth values */
	int	exact[MED__COUNT];
	int	wrong[MED__COUNT];	/* output, different */
	int	missed[MED__COUNT];
	int	out[MED__COUNT];	/* values output (any doc) */
	int	cwrong[MED__COUNT];	/* wrong with conf >= threshold */
};

struct score {
	int	pages[MED__COUNT], pages_ok[MED__COUNT];
	int	confusion[DOC__COUNT][DOC__COUNT];	/* truth x got */
	struct fstat f[FIELD__COUNT];
	int	out[MED__COUNT], wrongout[MED__COUNT], cwrong[MED__COUNT];
	int	spurious[MED__COUNT];
	int	errors;
	long long usec_ocr, usec_other, usec_decode;
	long long kind_usec[KIND__COUNT];
	long long kind_other[KIND__COUNT];	/* outside recognition */
	int	kind_pages[KIND__COUNT];
	int	npages;
	int	joined;		/* files joined to an earlier one's case */
	int	named;		/* files of a new case naming that one */
	/* page text CER (score_cer): [0] wholly read pages, [1] all pages
	 * with truth text; per-page CERs of [0] for the median */
	long long cer_dist[2][MED__COUNT], cer_chars[2][MED__COUNT];
	int	cer_pages[2][MED__COUNT];
	double	*cer_page[MED__COUNT];
};

/* The truth document of file f holding page p, or NULL. */
static struct json_object *
truth_doc(const struct bfile *b, int p)
{
	struct json_object *docs = jget(cases[b->casei].truth, "documents");

	for (size_t i = 0; docs && i < json_object_array_length(docs); i++) {
		struct json_object *d = json_object_array_get_idx(docs, i);
		struct json_object *pg = jget(d, "pages");
		const char *fn = jstr(d, "file");

		if (fn == NULL || strcmp(fn, b->name) != 0 || pg == NULL)
			continue;
		for (size_t k = 0; k < json_object_array_length(pg); k++)
			if (json_object_get_int(
			    json_object_array_get_idx(pg, k)) == p)
				return d;
	}
	return NULL;
}

static const char *
truth_field(struct json_object *d, const char *id)
{
	return jstr(jget(jget(d, "fields"), id), "value");
}

/* The case-level truth of application ci for field id. */
static const char *
case_field(const struct bfile *b, int ci, const char *id)
{
	struct json_object *cs = jget(cases[b->casei].truth, "cases");

	if (cs == NULL || ci < 0 || (size_t)ci >= json_object_array_length(cs))
		return NULL;
	return jstr(jget(json_object_array_get_idx(cs, (size_t)ci), "truth"),
	    id);
}

static enum kind
page_kind(const struct bfile *b, int p)
{
	struct json_object *d = truth_doc(b, p);
	const char *t = jstr(d, "type"), *l = jstr(d, "layout");

	if (t && strcmp(t, "referral_letter") == 0)
		return KIND_LETTER;
	if (l && strcmp(l, "form") == 0)
		return KIND_FORM;
	return KIND_OTHER;
}


/* s without ASCII spaces and U+3000, into out. */
static void
squeeze(const char *s, char *out, size_t outsz)
{
	size_t k = 0;

	for (; *s && k + 1 < outsz; s++) {
		if (*s == ' ')
			continue;
		if (strncmp(s, "\u3000", 3) == 0) {
			s += 2;
			continue;
		}
		out[k++] = *s;
	}
	out[k] = '\0';
}

/*
 * A value read equals the truth's: byte for byte, except free text
 * (a hospital's name, an address, a diagnosis ...), which faxintake
 * normalises without white space (DESIGN.md fixes a space only between
 * 姓 and 名), so white space in the truth's value does not count.
 */
static int
same_value(int fid, const char *tv, const char *gv)
{
	char a[512], b[512];

	if (strcmp(tv, gv) == 0)
		return 1;
	if (fid != FIELD_REFERRING_HOSPITAL && fid != FIELD_PATIENT_ADDRESS &&
	    fid != FIELD_APPLICANT_ADDRESS && fid != FIELD_DIAGNOSIS &&
	    fid != FIELD_CONSULTATION_TOPIC && fid != FIELD_DEPARTMENT)
		return 0;
	squeeze(tv, a, sizeof(a));
	squeeze(gv, b, sizeof(b));
	return strcmp(a, b) == 0;
}

static void
score_file(const struct bfile *b, struct score *s, int dump)
{
	struct json_object *res = b->result, *pages, *docs, *tp;
	enum medium m = b->med;
	size_t i, k;

	if (res == NULL) {
		s->errors++;
		return;
	}
	if (jstr(res, "error")) {
		s->errors++;
		if (dump)
			printf("ERROR %s: %s\n", b->path, jstr(res, "error"));
	}
	pages = jget(res, "pages");
	tp = jget(b->truth, "pages");
	s->usec_decode += json_object_get_int64(jget(res, "wall"));
	for (i = 0; pages && i < json_object_array_length(pages); i++) {
		struct json_object *p = json_object_array_get_idx(pages, i);
		int pn = jint(p, "p", 0);
		long long o = json_object_get_int64(jget(p, "o"));
		long long x = json_object_get_int64(jget(p, "x"));
		enum kind kd = page_kind(b, pn);

		s->usec_ocr += o;
		s->usec_other += x;
		s->usec_decode -= o + x;
		s->kind_usec[kd] += o + x;
		s->kind_other[kd] += x;
		s->kind_pages[kd]++;
		s->npages++;
		/* the page text too, to see what the labels look like */
		if (dump > 1)
			printf("TEXT %s p%d %s:\n%s\n", b->path, pn,
			    jstr(p, "t"), jstr(p, "text") ? jstr(p, "text") :
			    "");
	}
	for (i = 0; tp && i < json_object_array_length(tp); i++) {
		struct json_object *t = json_object_array_get_idx(tp, i), *got = NULL;
		int pn = jint(t, "page", 0), tt, gt = DOC_OTHER;

		tt = doc_type_parse(jstr(t, "doc_type") ? jstr(t, "doc_type") :
		    "other");
		for (k = 0; pages && k < json_object_array_length(pages); k++)
			if (jint(json_object_array_get_idx(pages, k), "p", 0) ==
			    pn)
				got = json_object_array_get_idx(pages, k);
		if (got)
			gt = doc_type_parse(jstr(got, "t"));
		if (tt < 0)
			tt = DOC_OTHER;
		if (gt < 0)
			gt = DOC_OTHER;
		s->pages[m]++;
		s->pages_ok[m] += tt == gt && got;
		s->confusion[tt][gt]++;
		if (dump && (tt != gt || !got))
			printf("DOCTYPE %s p%d (%s): truth %s got %s [%s]\n",
			    b->path, pn, med_name[m], doc_type_name(tt),
			    doc_type_name(gt), got ? jstr(got, "title") : "-");
	}
	/* truth documents of this file: their fields */
	docs = jget(res, "docs");
	{
		struct json_object *tds = jget(cases[b->casei].truth,
		    "documents");
		for (i = 0; tds && i < json_object_array_length(tds); i++) {
			struct json_object *td = json_object_array_get_idx(tds, i);
			struct json_object *tf = jget(td, "fields"), *gd = NULL;
			struct json_object *pg = jget(td, "pages");
			const char *fn = jstr(td, "file");
			int first;

			if (fn == NULL || strcmp(fn, b->name) != 0 || !pg ||
			    json_object_array_length(pg) == 0)
				continue;
			first = json_object_get_int(
			    json_object_array_get_idx(pg, 0));
			for (k = 0; docs && k < json_object_array_length(docs);
			    k++) {
				struct json_object *d =
				    json_object_array_get_idx(docs, k);
				if (jint(d, "first", 0) <= first &&
				    first <= jint(d, "last", 0))
					gd = d;
			}
			json_object_object_foreach(tf, key, val) {
				int id = field_id_parse(key);
				const char *tv = jstr(val, "value"), *gv = NULL;
				struct json_object *gf = jget(gd, "fields");
				double gc = 0;

				if (id < 0 || tv == NULL)
					continue;
				for (k = 0; gf && k < json_object_array_length(
				    gf); k++) {
					struct json_object *e =
					    json_object_array_get_idx(gf, k);
					if (strcmp(jstr(e, "id"), key) == 0) {
						gv = jstr(e, "v");
						gc = json_object_get_double(
						    jget(e, "c"));
					}
				}
				s->f[id].truth[m]++;
				if (gv == NULL)
					s->f[id].missed[m]++;
				else if (same_value(id, tv, gv))
					s->f[id].exact[m]++;
				else
					s->f[id].wrong[m]++;
				if (dump && (gv == NULL || !same_value(id, tv, gv)))
					printf("FIELD %s p%d %s %s %s: truth "
					    "\"%s\" got \"%s\" %.2f\n", b->path,
					    first, med_name[m], jstr(td, "type"),
					    key, tv, gv ? gv : "-", gc);
			}
		}
	}
	/* every value output: right or wrong, and how sure */
	for (i = 0; docs && i < json_object_array_length(docs); i++) {
		struct json_object *d = json_object_array_get_idx(docs, i);
		struct json_object *gf = jget(d, "fields");
		int first = jint(d, "first", 0), last = jint(d, "last", 0);

		for (k = 0; gf && k < json_object_array_length(gf); k++) {
			struct json_object *e = json_object_array_get_idx(gf, k);
			const char *id = jstr(e, "id"), *gv = jstr(e, "v");
			double c = json_object_get_double(jget(e, "c"));
			int fid = field_id_parse(id), right = 0, known = 0;
			int ci = -1;

			for (int p = first; p <= last; p++) {
				struct json_object *td = truth_doc(b, p);
				const char *tv = truth_field(td, id);
				if (td && ci < 0)
					ci = jint(td, "case", 0);
				if (tv) {
					known = 1;
					right |= same_value(fid, tv, gv);
				}
			}
			if (!known) {
				const char *tv = case_field(b, ci < 0 ? 0 : ci,
				    id);
				if (tv) {
					known = 1;
					right = same_value(fid, tv, gv);
				}
			}
			s->out[m]++;
			if (fid >= 0)
				s->f[fid].out[m]++;
			if (!known)
				s->spurious[m]++;
			if (!right) {
				s->wrongout[m]++;
				if (c >= CONF_THRESHOLD) {
					s->cwrong[m]++;
					if (fid >= 0)
						s->f[fid].cwrong[m]++;
					if (dump)
						printf("CONFWRONG %s p%d-%d %s %s:"
						    " \"%s\" (raw \"%s\") %.2f%s\n",
						    b->path, first, last,
						    med_name[m], id, gv,
						    jstr(e, "r"), c, known ? "" :
						    " [not in truth]");
				}
			}
		}
	}
}

/* --- page text CER ------------------------------------------------------ */

static int
is_space_cp(uint32_t c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 ||
	    c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
	    c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f ||
	    c == 0x3000;
}

/* The code points of s NFKC'd, whitespace left out; *ret malloc'd. */
static size_t
cer_points(const char *s, uint32_t **ret)
{
	const unsigned char *p;
	char *nf = NULL;
	uint32_t *v, c;
	size_t n = 0;
	int k;

	if (norm_nfkc(s ? s : "", 64u << 20, &nf) != 0)
		nf = strdup("");
	if (nf == NULL || (v = malloc((strlen(nf) + 1) * sizeof(*v))) ==
	    NULL) {
		fprintf(stderr, "readbench: out of memory\n");
		exit(1);
	}
	/* norm_nfkc gives valid UTF-8 */
	for (p = (const unsigned char *)nf; *p; p += k) {
		if (*p < 0x80) {
			c = *p;
			k = 1;
		} else if (*p < 0xe0) {
			c = *p & 0x1f;
			k = 2;
		} else if (*p < 0xf0) {
			c = *p & 0x0f;
			k = 3;
		} else {
			c = *p & 0x07;
			k = 4;
		}
		for (int j = 1; j < k; j++) {
			if (p[j] == 0) {
				k = j;
				break;
			}
			c = c << 6 | (p[j] & 0x3f);
		}
		if (!is_space_cp(c))
			v[n++] = c;
	}
	free(nf);
	*ret = v;
	return n;
}

/* Edit distance: O(n * m) time, one row of the shorter side. */
static size_t
levenshtein(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
	const uint32_t *t;
	size_t *row, i, j, diag, up, d;

	if (n < m) {		/* the row along the shorter side */
		t = a;
		a = b;
		b = t;
		i = n;
		n = m;
		m = i;
	}
	if ((row = malloc((m + 1) * sizeof(*row))) == NULL) {
		fprintf(stderr, "readbench: out of memory\n");
		exit(1);
	}
	for (j = 0; j <= m; j++)
		row[j] = j;
	for (i = 1; i <= n; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= m; j++) {
			up = row[j];
			d = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < d)
				d = up + 1;
			if (row[j - 1] + 1 < d)
				d = row[j - 1] + 1;
			row[j] = d;
			diag = up;
		}
	}
	d = row[m];
	free(row);
	return d;
}

/* A page the reader reads only in part by design (reader.c): our own
 * forms (header strip and zones), lab/imaging/pathology reports (the top
 * strip) and separator sheets. */
static int
cer_partial(const struct bfile *b, struct json_object *tpage)
{
	struct json_object *d = truth_doc(b, jint(tpage, "page", 0));
	const char *t = jstr(d, "type"), *l = jstr(d, "layout");

	if (jget(tpage, "separator") != NULL)
		return 1;
	if (l && (strcmp(l, "form") == 0 || strcmp(l, "separator") == 0))
		return 1;
	return t && (strcmp(t, "lab_results") == 0 ||
	    strcmp(t, "imaging_report") == 0 ||
	    strcmp(t, "pathology_report") == 0);
}

/* The CER of every page of b with truth text (a page the reader gave no
 * result for counts as read empty). */
static void
score_cer(const struct bfile *b, struct score *s, int dump)
{
	struct json_object *tp = jget(b->truth, "pages");
	struct json_object *pages = jget(b->result, "pages");
	enum medium m = b->med;
	size_t i, k, nt, no, d;
	uint32_t *t, *o;
	int part;

	for (i = 0; tp && i < json_object_array_length(tp); i++) {
		struct json_object *p = json_object_array_get_idx(tp, i);
		const char *tt = jstr(p, "text"), *ot = NULL;
		int pn = jint(p, "page", 0);

		if (tt == NULL || *tt == '\0')
			continue;
		for (k = 0; pages && k < json_object_array_length(pages); k++)
			if (jint(json_object_array_get_idx(pages, k), "p", 0)
			    == pn)
				ot = jstr(json_object_array_get_idx(pages, k),
				    "text");
		nt = cer_points(tt, &t);
		no = cer_points(ot, &o);
		if (nt == 0) {
			free(t);
			free(o);
			continue;
		}
		d = levenshtein(t, nt, o, no);
		part = cer_partial(b, p);
		s->cer_dist[1][m] += (long long)d;
		s->cer_chars[1][m] += (long long)nt;
		s->cer_pages[1][m]++;
		if (!part) {
			s->cer_dist[0][m] += (long long)d;
			s->cer_chars[0][m] += (long long)nt;
			s->cer_page[m] = realloc(s->cer_page[m],
			    (size_t)(s->cer_pages[0][m] + 1) * sizeof(double));
			if (s->cer_page[m] == NULL) {
				fprintf(stderr, "readbench: out of memory\n");
				exit(1);
			}
			s->cer_page[m][s->cer_pages[0][m]++] = (double)d / nt;
		}
		if (dump)
			printf("CER %s p%d %s: %.1f%% (%zu of %zu)%s\n", b->path,
			    pn, med_name[m], 100.0 * d / nt, d, nt, part ?
			    " [partly read]" : "");
		if (dump > 1)
			printf("TRUTH %s p%d:\n%s\n", b->path, pn, tt);
		free(t);
		free(o);
	}
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Once every file is scored: per-page CERs in order, for the median. */
static void
cer_sort(struct score *s)
{
	for (int m = 0; m < MED__COUNT; m++)
		if (s->cer_pages[0][m] > 0)
			qsort(s->cer_page[m], (size_t)s->cer_pages[0][m],
			    sizeof(double), dbl_cmp);
}

/* Median per-page CER of medium m (after cer_sort); NAN if none. */
static double
cer_median(const struct score *s, int m)
{
	int n = s->cer_pages[0][m];

	if (n == 0)
		return NAN;
	return n % 2 ? s->cer_page[m][n / 2] :
	    (s->cer_page[m][n / 2 - 1] + s->cer_page[m][n / 2]) / 2;
}

static double
cer_rate(const struct score *s, int set, int m)
{
	return s->cer_chars[set][m] ? (double)s->cer_dist[set][m] /
	    s->cer_chars[set][m] : NAN;
}

static void
cer_cell(double v, int n)
{
	if (n)
		printf(" %6.1f%% %4d", 100 * v, n);
	else
		printf(" %7s %4s", "-", "");
}

static double
pct(int a, int b)
{
	return b ? 100.0 * a / b : NAN;
}

static void
pcell(int a, int b)
{
	if (b)
		printf(" %6.1f%% %4d", pct(a, b), b);
	else
		printf(" %7s %4s", "-", "");
}

static const enum field_id key_fields[] = {
	FIELD_PATIENT_NAME, FIELD_PATIENT_BIRTH_DATE, FIELD_REFERRING_HOSPITAL,
	FIELD_REFERRING_FAX, FIELD_APPLICANT_RELATIONSHIP,
};

static int
is_key(int id)
{
	for (size_t i = 0; i < sizeof(key_fields) / sizeof(key_fields[0]); i++)
		if ((int)key_fields[i] == id)
			return 1;
	return 0;
}

static void
print_table(const struct score *s, const struct runstat *st)
{
	int m, id, tot_ok = 0, tot = 0;
	long rss = 0;

	printf("\nreadbench: %zu files, %d pages, %d jobs, %d errors\n",
	    nfiles, s->npages, st->jobs, s->errors);
	printf("files joined to an earlier file's case (casematch): %d; "
	    "named for staff to merge: %d\n", s->joined, s->named);
	printf("%-26s %12s %12s %12s\n", "", "fax fine", "fax normal", "scan");
	printf("%-26s", "page doc_type");
	for (m = 0; m < MED__COUNT; m++) {
		pcell(s->pages_ok[m], s->pages[m]);
		tot_ok += s->pages_ok[m];
		tot += s->pages[m];
	}
	printf("   all %.1f%%\n", pct(tot_ok, tot));
	printf("%-26s", "confidently wrong");
	for (m = 0; m < MED__COUNT; m++)
		pcell(s->cwrong[m], s->out[m]);
	{
		int a = 0, b = 0;
		for (m = 0; m < MED__COUNT; m++) {
			a += s->cwrong[m];
			b += s->out[m];
		}
		printf("   all %.2f%% (%d of %d values)\n", pct(a, b), a, b);
	}
	printf("%-26s", "wrong (any confidence)");
	for (m = 0; m < MED__COUNT; m++)
		pcell(s->wrongout[m], s->out[m]);
	printf("\n%-26s", "  of which not in truth");
	for (m = 0; m < MED__COUNT; m++)
		pcell(s->spurious[m], s->out[m]);
	printf("\n%-26s", "page text CER");
	for (m = 0; m < MED__COUNT; m++)
		cer_cell(cer_rate(s, 0, m), s->cer_pages[0][m]);
	{
		long long d = 0, c = 0;
		for (m = 0; m < MED__COUNT; m++) {
			d += s->cer_dist[0][m];
			c += s->cer_chars[0][m];
		}
		printf("   all %.1f%% (%lld of %lld chars)\n", c ? 100.0 * d / c :
		    NAN, d, c);
	}
	printf("%-26s", "  median page");
	for (m = 0; m < MED__COUNT; m++)
		cer_cell(cer_median(s, m), s->cer_pages[0][m]);
	printf("\n%-26s", "  incl. partly read pages");
	for (m = 0; m < MED__COUNT; m++)
		cer_cell(cer_rate(s, 1, m), s->cer_pages[1][m]);
	printf("\n");
	printf("\nfield exact match (value == truth, over truth documents "
	    "that print it; * = key field)\n");
	for (id = 0; id < FIELD__COUNT; id++) {
		int any = 0;
		for (m = 0; m < MED__COUNT; m++)
			any |= s->f[id].truth[m];
		if (!any)
			continue;
		printf("%c%-25s", is_key(id) ? '*' : ' ', field_id_name(id));
		for (m = 0; m < MED__COUNT; m++)
			pcell(s->f[id].exact[m], s->f[id].truth[m]);
		printf("   cw");
		for (m = 0; m < MED__COUNT; m++)
			printf(" %d", s->f[id].cwrong[m]);
		printf("\n");
	}
	printf("\ndoc_type confusion (truth -> got, off-diagonal)\n");
	for (int a = 0; a < DOC__COUNT; a++)
		for (int b = 0; b < DOC__COUNT; b++)
			if (a != b && s->confusion[a][b])
				printf("  %-20s -> %-20s %d\n", doc_type_name(a),
				    doc_type_name(b), s->confusion[a][b]);
	printf("\nspeed: %.1f pages/min wall (%.1f s for %d pages, %d "
	    "jobs)\n", st->wall ? s->npages * 60e6 / st->wall : 0,
	    st->wall / 1e6, s->npages, st->jobs);
	{
		long long all = s->usec_ocr + s->usec_other + s->usec_decode;
		printf("  time in Tesseract recognition %.1f%%, reader other "
		    "%.1f%%, decode %.1f%%\n", pct((int)(s->usec_ocr / 1000),
		    (int)(all / 1000)), pct((int)(s->usec_other / 1000),
		    (int)(all / 1000)), pct((int)(s->usec_decode / 1000),
		    (int)(all / 1000)));
	}
	for (int k = 0; k < KIND__COUNT; k++)
		if (s->kind_pages[k])
			printf("  %-20s %4d pages, %.2f s/page, %.1f%% outside "
			    "recognition\n", kind_name[k], s->kind_pages[k],
			    s->kind_usec[k] / 1e6 / s->kind_pages[k],
			    s->kind_usec[k] ? 100.0 * s->kind_other[k] /
			    s->kind_usec[k] : 0);
	for (int j = 0; j < st->jobs; j++)
		if (st->rss_kb[j] > rss)
			rss = st->rss_kb[j];
	printf("  peak RSS per worker %.1f MB\n", rss / 1024.0);
}

static struct json_object *
jcell(int a, int b)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "n", json_object_new_int(b));
	json_object_object_add(o, "ok", json_object_new_int(a));
	if (b)
		json_object_object_add(o, "rate",
		    json_object_new_double(round(1e4 * a / b) / 1e4));
	return o;
}

static void
print_json(const struct score *s, const struct runstat *st)
{
	struct json_object *root = json_object_new_object();
	struct json_object *jm = json_object_new_object();
	long rss = 0;
	int m;

	for (m = 0; m < MED__COUNT; m++) {
		struct json_object *o = json_object_new_object();
		struct json_object *f = json_object_new_object();
		json_object_object_add(o, "doc_type",
		    jcell(s->pages_ok[m], s->pages[m]));
		json_object_object_add(o, "confidently_wrong",
		    jcell(s->cwrong[m], s->out[m]));
		json_object_object_add(o, "wrong",
		    jcell(s->wrongout[m], s->out[m]));
		for (int id = 0; id < FIELD__COUNT; id++)
			if (s->f[id].truth[m])
				json_object_object_add(f, field_id_name(id),
				    jcell(s->f[id].exact[m],
				    s->f[id].truth[m]));
		json_object_object_add(o, "fields", f);
		json_object_object_add(jm, med_name[m], o);
	}
	json_object_object_add(root, "accuracy", jm);
	{
		struct json_object *jc = json_object_new_object();

		for (m = 0; m < MED__COUNT; m++) {
			struct json_object *o = json_object_new_object();
			int set;

			for (set = 0; set < 2; set++) {
				struct json_object *e = json_object_new_object();

				json_object_object_add(e, "pages",
				    json_object_new_int(s->cer_pages[set][m]));
				json_object_object_add(e, "distance",
				    json_object_new_int64(s->cer_dist[set][m]));
				json_object_object_add(e, "chars",
				    json_object_new_int64(s->cer_chars[set][m]));
				if (s->cer_chars[set][m])
					json_object_object_add(e, "cer",
					    json_object_new_double(round(1e4 *
					    cer_rate(s, set, m)) / 1e4));
				if (set == 0 && s->cer_pages[0][m])
					json_object_object_add(e, "median",
					    json_object_new_double(round(1e4 *
					    cer_median(s, m)) / 1e4));
				json_object_object_add(o, set == 0 ? "whole" :
				    "incl_partly_read", e);
			}
			json_object_object_add(jc, med_name[m], o);
		}
		json_object_object_add(root, "cer", jc);
	}
	json_object_object_add(root, "pages", json_object_new_int(s->npages));
	json_object_object_add(root, "jobs", json_object_new_int(st->jobs));
	json_object_object_add(root, "wall_s",
	    json_object_new_double(st->wall / 1e6));
	json_object_object_add(root, "pages_per_min", json_object_new_double(
	    st->wall ? s->npages * 60e6 / st->wall : 0));
	json_object_object_add(root, "usec_ocr",
	    json_object_new_int64(s->usec_ocr));
	json_object_object_add(root, "usec_other",
	    json_object_new_int64(s->usec_other));
	json_object_object_add(root, "usec_decode",
	    json_object_new_int64(s->usec_decode));
	for (int j = 0; j < st->jobs; j++)
		if (st->rss_kb[j] > rss)
			rss = st->rss_kb[j];
	json_object_object_add(root, "peak_rss_kb", json_object_new_int64(rss));
	printf("%s\n", json_object_to_json_string_ext(root,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
}

/* --- the tesseract command baseline ------------------------------------ */

struct bpage {
	char		 png[PATH_MAX];
	enum kind	 kind;
	long long	 usec;
};

struct wctx {
	const struct bfile *b;
	const char	*dir;
	struct bpage	**pages;
	size_t		*n;
};

static int
on_page_write(void *arg, const struct decode_page *p, struct Pix *pix)
{
	struct wctx *c = arg;
	struct bpage *bp;

	*c->pages = realloc(*c->pages, (*c->n + 1) * sizeof(**c->pages));
	bp = &(*c->pages)[(*c->n)++];
	memset(bp, 0, sizeof(*bp));
	snprintf(bp->png, sizeof(bp->png), "%s/p%05zu.png", c->dir, *c->n);
	bp->kind = page_kind(c->b, p->pageno);
	return pixWrite(bp->png, pix, IFF_PNG) == 0 ? 0 : -EIO;
}

static pid_t
spawn_tess(const char *png)
{
	posix_spawn_file_actions_t fa;
	char *argv[] = { "/usr/bin/tesseract", (char *)png, "stdout", "-l",
	    "jpn", NULL };
	pid_t pid;
	int rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return rc == 0 ? pid : -1;
}

/* Run the tesseract command on every page, jobs at a time; wall usec. */
static long long
run_tesseract(struct bpage *bp, size_t n, int jobs)
{
	pid_t run[MAXJOBS];
	long long start[MAXJOBS], t0 = now_usec();
	size_t slot[MAXJOBS], next = 0;
	int active = 0, status;

	setenv("OMP_THREAD_LIMIT", "1", 1);
	memset(run, 0, sizeof(run));
	while (next < n || active > 0) {
		while (active < jobs && next < n) {
			for (int j = 0; j < jobs; j++)
				if (run[j] == 0) {
					run[j] = spawn_tess(bp[next].png);
					start[j] = now_usec();
					slot[j] = next++;
					if (run[j] > 0)
						active++;
					else
						run[j] = 0;
					break;
				}
		}
		pid_t pid = wait(&status);
		if (pid <= 0)
			break;
		for (int j = 0; j < jobs; j++)
			if (run[j] == pid) {
				bp[slot[j]].usec = now_usec() - start[j];
				run[j] = 0;
				active--;
			}
	}
	return now_usec() - t0;
}

/* --- the ocrmypdf baseline --------------------------------------------- */

#define OCRMYPDF	"/usr/bin/ocrmypdf"
/* OCR every page into a plain PDF: no PDF/A conversion (a ghostscript
 * pass faxintake has no counterpart for), no image optimisation.  Keep
 * in step with argv in run_ocrmypdf. */
#define OCRMYPDF_FLAGS	"--output-type pdf --optimize 0"

static void
lept_quiet(const char *msg)
{
	(void)msg;
}

/* The same page images as one PDF (G4 for 1 bpp, at each page's dpi),
 * since ocrmypdf takes a single image only; not timed.  Leptonica uses
 * the x dpi for both axes, so a normal-mode fax page stays 1728 x 1146
 * pixels when ocrmypdf rasterises it: the pixels the tesseract command
 * gets. */
static int
write_input_pdf(const struct bpage *bp, size_t n, const char *pdf)
{
	SARRAY *sa;
	int rc;

	if ((sa = sarrayCreate((l_int32)n)) == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		sarrayAddString(sa, bp[i].png, L_COPY);
	/* It prints progress ("concatenating ... done") to stderr. */
	leptSetStderrHandler(lept_quiet);
	rc = saConvertFilesToPdf(sa, 0, 1.0, 0, 0, NULL, pdf);
	leptSetStderrHandler(NULL);
	sarrayDestroy(&sa);
	if (rc != 0)
		fprintf(stderr, "readbench: cannot write %s for ocrmypdf\n",
		    pdf);
	return rc == 0 ? 0 : -EIO;
}

/* One run of ocrmypdf over all pages with jobs workers; wall usec, or -1
 * (its stderr shown) when it fails. */
static long long
run_ocrmypdf(const char *dir, int jobs)
{
	posix_spawn_file_actions_t fa;
	char in[PATH_MAX], out[PATH_MAX], err[PATH_MAX], nj[16];
	char *argv[] = { OCRMYPDF, "-l", "jpn", "--jobs", nj, "--output-type",
	    "pdf", "--optimize", "0", in, out, NULL };
	long long t0, wall = -1;
	pid_t pid;
	int status;

	snprintf(in, sizeof(in), "%s/in.pdf", dir);
	snprintf(out, sizeof(out), "%s/out.pdf", dir);
	snprintf(err, sizeof(err), "%s/ocrmypdf.err", dir);
	snprintf(nj, sizeof(nj), "%d", jobs);
	setenv("OMP_THREAD_LIMIT", "1", 1);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, err,
	    O_WRONLY | O_CREAT | O_TRUNC, 0600);
	t0 = now_usec();
	if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) == 0 &&
	    waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0)
		wall = now_usec() - t0;
	posix_spawn_file_actions_destroy(&fa);
	if (wall < 0) {
		FILE *f = fopen(err, "r");
		char line[512];

		fprintf(stderr, "readbench: ocrmypdf --jobs %d failed:\n", jobs);
		while (f != NULL && fgets(line, sizeof(line), f) != NULL)
			fprintf(stderr, "  %s", line);
		if (f != NULL)
			fclose(f);
	}
	unlink(in);
	unlink(out);
	unlink(err);
	return wall;
}

struct basestat {
	size_t		n;
	long long	wall;
	long long	ku[KIND__COUNT];
	int		kn[KIND__COUNT];
	long long	ocrm_wall;	/* 0 not installed, -1 failed */
};

static int
baseline(int jobs, struct basestat *bs)
{
	char dir[] = "/tmp/readbench.XXXXXX", pdf[PATH_MAX];
	struct bpage *bp = NULL;
	size_t n = 0, i;

	memset(bs, 0, sizeof(*bs));
	if (access("/usr/bin/tesseract", X_OK) != 0)
		return -ENOENT;
	if (mkdtemp(dir) == NULL)
		return -errno;
	for (i = 0; i < nfiles; i++) {
		struct decode_limits dl = { 256u << 20, 500, 8000ULL * 12000ULL };
		struct decode_info info;
		struct wctx c = { &files[i], dir, &bp, &n };
		char *data = NULL;
		size_t len;

		if (util_read_file(files[i].path, dl.max_bytes, &data, &len)
		    == 0)
			(void)decode_buffer(data, len, &dl, &info, on_page_write,
			    &c);
		free(data);
	}
	bs->wall = run_tesseract(bp, n, jobs);
	bs->n = n;
	if (access(OCRMYPDF, X_OK) == 0) {
		snprintf(pdf, sizeof(pdf), "%s/in.pdf", dir);
		bs->ocrm_wall = write_input_pdf(bp, n, pdf) == 0 ?
		    run_ocrmypdf(dir, jobs) : -1;
		unlink(pdf);
	}
	for (i = 0; i < n; i++) {
		bs->ku[bp[i].kind] += bp[i].usec;
		bs->kn[bp[i].kind]++;
		unlink(bp[i].png);
	}
	rmdir(dir);
	free(bp);
	return 0;
}

static double
ppm(int pages, long long wall)
{
	return wall > 0 ? pages * 60e6 / wall : 0;
}

static long
max_rss(const struct runstat *st)
{
	long rss = 0;

	for (int j = 0; j < st->jobs; j++)
		if (st->rss_kb[j] > rss)
			rss = st->rss_kb[j];
	return rss;
}

/* The ocrmypdf lines of the speed table; a failed run prints "failed". */
static void
print_ocrmypdf(struct score *const sc[2], const struct runstat st[2],
    const struct basestat bs[2])
{
	char cell[2][16];
	int j;

	if (bs[0].ocrm_wall == 0 || bs[1].ocrm_wall == 0) {
		printf("ocrmypdf: %s missing: skipped; as root:\n"
		    "  apt-get install --no-install-recommends ocrmypdf\n",
		    OCRMYPDF);
		return;
	}
	for (j = 0; j < 2; j++)
		if (bs[j].ocrm_wall < 0)
			snprintf(cell[j], sizeof(cell[j]), "failed");
		else
			snprintf(cell[j], sizeof(cell[j]), "%.1f",
			    ppm((int)bs[j].n, bs[j].ocrm_wall));
	printf("%-34s %10s %10s\n", "ocrmypdf -l jpn --jobs N pages/min",
	    cell[0], cell[1]);
	for (j = 0; j < 2; j++)
		if (bs[j].ocrm_wall < 0)
			snprintf(cell[j], sizeof(cell[j]), "-");
		else
			snprintf(cell[j], sizeof(cell[j]), "%.2fx",
			    ppm(sc[j]->npages, st[j].wall) /
			    ppm((int)bs[j].n, bs[j].ocrm_wall));
	printf("%-34s %10s %10s\n", "ratio (faxintake / ocrmypdf)",
	    cell[0], cell[1]);
	printf("  (one run over one PDF of the same images, G4 at their dpi; "
	    "also " OCRMYPDF_FLAGS ")\n");
}

/* The speed part of `make bench`: every step'th file, read with 1 and 2
 * workers, by the tesseract command with 1 and 2 processes and by
 * ocrmypdf --jobs 1 and 2. */
static int
speed_bench(int step, const char *templates)
{
	struct bfile *all = files;
	size_t nall = nfiles, i;
	struct bfile *sub = calloc(nall, sizeof(*sub));
	struct runstat st[2];
	struct score *sc[2];
	struct basestat bs[2];
	int j, have_base = 1;

	nfiles = 0;
	for (i = 0; i < nall; i += (size_t)step) {
		sub[nfiles] = all[i];
		sub[nfiles++].result = NULL;
	}
	files = sub;
	for (j = 0; j < 2; j++) {
		sc[j] = calloc(1, sizeof(*sc[j]));
		if (run_reader(j + 1, templates, &st[j]) != 0)
			fprintf(stderr, "readbench: a reader process failed\n");
		for (i = 0; i < nfiles; i++) {
			score_file(&files[i], sc[j], 0);
			json_object_put(files[i].result);
			files[i].result = NULL;
		}
		if (baseline(j + 1, &bs[j]) != 0)
			have_base = 0;
	}
	printf("\nspeed (every %d. file: %zu files, %d pages; OMP_THREAD_LIMIT=1 "
	    "everywhere)\n", step, nfiles, sc[0]->npages);
	printf("%-34s %10s %10s\n", "", "1 worker", "2 workers");
	printf("%-34s %10.1f %10.1f\n", "faxintake pages/min (whole pipeline)",
	    ppm(sc[0]->npages, st[0].wall), ppm(sc[1]->npages, st[1].wall));
	if (have_base) {
		printf("%-34s %10.1f %10.1f\n", "tesseract command pages/min",
		    ppm((int)bs[0].n, bs[0].wall), ppm((int)bs[1].n,
		    bs[1].wall));
		printf("%-34s %9.2fx %9.2fx\n", "ratio (faxintake / tesseract)",
		    ppm(sc[0]->npages, st[0].wall) / ppm((int)bs[0].n,
		    bs[0].wall), ppm(sc[1]->npages, st[1].wall) /
		    ppm((int)bs[1].n, bs[1].wall));
		for (int k = 0; k < KIND__COUNT; k++) {
			char lab[64];
			double r[2];
			if (!sc[0]->kind_pages[k] || !bs[0].kn[k])
				continue;
			for (j = 0; j < 2; j++)
				r[j] = (bs[j].ku[k] / (double)bs[j].kn[k]) /
				    (sc[j]->kind_usec[k] /
				    (double)sc[j]->kind_pages[k]);
			snprintf(lab, sizeof(lab), "  ratio on %s (%d p.)",
			    kind_name[k], sc[0]->kind_pages[k]);
			printf("%-34s %9.2fx %9.2fx\n", lab, r[0], r[1]);
		}
		print_ocrmypdf(sc, st, bs);
	} else
		printf("tesseract command: /usr/bin/tesseract missing: "
		    "skipped (and ocrmypdf with it)\n");
	printf("%-34s %10s %9.2fx\n", "2 workers vs 1", "",
	    ppm(sc[1]->npages, st[1].wall) / ppm(sc[0]->npages, st[0].wall));
	{
		long long a0 = sc[0]->usec_ocr + sc[0]->usec_other +
		    sc[0]->usec_decode, a1 = sc[1]->usec_ocr +
		    sc[1]->usec_other + sc[1]->usec_decode;
		printf("%-34s %9.1f%% %9.1f%%\n",
		    "time in Tesseract recognition", a0 ? 100.0 *
		    sc[0]->usec_ocr / a0 : 0, a1 ? 100.0 * sc[1]->usec_ocr /
		    a1 : 0);
		printf("seconds per page (reader, per process):\n");
		for (int k = 0; k < KIND__COUNT; k++)
			if (sc[0]->kind_pages[k])
				printf("  %-32s %8.2f s %8.2f s\n", kind_name[k],
				    sc[0]->kind_usec[k] / 1e6 /
				    sc[0]->kind_pages[k], sc[1]->kind_usec[k] /
				    1e6 / sc[1]->kind_pages[k]);
	}
	printf("%-34s %8.1f MB %7.1f MB\n", "peak RSS per worker",
	    max_rss(&st[0]) / 1024.0, max_rss(&st[1]) / 1024.0);
	files = all;
	nfiles = nall;
	free(sub);
	free(sc[0]);
	free(sc[1]);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *corpus = NULL, *templates = NULL, *results = NULL;
	const char *save = NULL;
	int jobs = 1, json = 0, dump = 0, med = -1, maxfiles = 0, base = 0;
	struct runstat st;
	struct score *s;
	char *tdir;
	int i, rc;

	/* libgomp reads OMP_THREAD_LIMIT when the program starts: setting
	 * it later (as ocr_new does) is too late, so run again with it. */
	if (getenv("OMP_THREAD_LIMIT") == NULL ||
	    strcmp(getenv("OMP_THREAD_LIMIT"), "1") != 0) {
		setenv("OMP_THREAD_LIMIT", "1", 1);
		execv("/proc/self/exe", argv);
		perror("readbench: exec");
		return 1;
	}
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--jobs") == 0 && i + 1 < argc) {
			jobs = atoi(argv[++i]);
			if (jobs < 1 || jobs > MAXJOBS)
				usage();
		} else if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (strcmp(argv[i], "--dump") == 0)
			dump = 1;
		else if (strcmp(argv[i], "--dump-text") == 0)
			dump = 2;
		else if (strcmp(argv[i], "--speed") == 0 && i + 1 < argc)
			base = atoi(argv[++i]);
		else if (strcmp(argv[i], "--fax") == 0)
			med = -2;
		else if (strcmp(argv[i], "--files") == 0 && i + 1 < argc)
			maxfiles = atoi(argv[++i]);
		else if (strcmp(argv[i], "--templates") == 0 && i + 1 < argc)
			templates = argv[++i];
		else if (strcmp(argv[i], "--save") == 0 && i + 1 < argc)
			save = argv[++i];
		else if (strcmp(argv[i], "--results") == 0 && i + 1 < argc)
			results = argv[++i];
		else if (strcmp(argv[i], "--medium") == 0 && i + 1 < argc) {
			i++;
			for (med = 0; med < MED__COUNT; med++)
				if (strcmp(argv[i], med_name[med]) == 0)
					break;
			if (med == MED__COUNT)
				usage();
		} else if (argv[i][0] == '-')
			usage();
		else if (corpus == NULL)
			corpus = argv[i];
		else
			usage();
	}
	if (corpus == NULL)
		usage();
	if (corpus_load(corpus, med, maxfiles) != 0)
		return 1;
	tdir = util_templates_dir(templates);
	if (results != NULL)
		rc = results_load(results, &st);
	else if ((rc = run_reader(jobs, tdir, &st)) != 0)
		fprintf(stderr, "readbench: a reader process failed\n");
	if (save != NULL && results_save(save) != 0)
		rc = -EIO;
	s = calloc(1, sizeof(*s));
	s->joined = join_cases(&s->named);
	for (size_t k = 0; k < nfiles; k++) {
		score_file(&files[k], s, dump);
		score_cer(&files[k], s, dump);
	}
	cer_sort(s);
	if (json)
		print_json(s, &st);
	else
		print_table(s, &st);
	if (base > 0)
		speed_bench(base, tdir);
	for (size_t k = 0; k < nfiles; k++)
		json_object_put(files[k].result);
	for (size_t k = 0; k < ncases; k++)
		json_object_put(cases[k].truth);
	free(files);
	free(cases);
	for (int m = 0; m < MED__COUNT; m++)
		free(s->cer_page[m]);
	free(s);
	free(tdir);
	return rc == 0 ? 0 : 1;
}
