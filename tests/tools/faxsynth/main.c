/*
 * faxsynth — synthetic second-opinion applications as they arrive by fax
 * or from the mailroom scanner, with their truth.  See README.
 *
 *	faxsynth case --hospital ID --scenario NAME --seed N --out DIR
 *	faxsynth corpus [--seed N | --split dev|test] --out DIR [--cases K]
 *	    [--jobs J]
 *	faxsynth scenarios
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "faxintake/util.h"
#include "faxintake/xmalloc.h"
#include "faxintake/lsan.h"

#include "faxsynth.h"

#define SEED_DEV	20261121ULL
#define SEED_TEST	777001ULL	/* held out: see README */

static const char *const hospitals[] = { "asahikawa", "tomakomai",
	"yokohama-cu", "keio", "tohoku" };
#define NHOSP	(sizeof(hospitals) / sizeof(hospitals[0]))

static void
usage(void)
{
	fprintf(stderr,
	    "usage: faxsynth case --hospital ID --scenario NAME --seed N "
	    "--out DIR [--fileno N]\n"
	    "       faxsynth corpus [--seed N | --split dev|test] --out DIR "
	    "[--cases K] [--jobs J]\n"
	    "       faxsynth scenarios\n");
	exit(2);
}

static uint64_t
mix(uint64_t a, const char *s)
{
	struct rng r;

	for (; s && *s; s++)
		a = (a ^ (unsigned char)*s) * 0x100000001b3ULL;
	rng_seed(&r, a);
	return rng_next(&r);
}

/* Draw one file's documents on a new render document and write it. */
static int
file_make(struct fs_case *c, struct fs_file *f, struct rng *r,
    const char *dir)
{
	struct render_doc *rd = render_doc_new();
	struct fs_draw dw;
	size_t i;
	int rc = 0;

	if (rd == NULL)
		return -EIO;
	memset(&dw, 0, sizeof(dw));
	dw.rd = rd;
	dw.rng = r;
	dw.c = c;
	dw.file = f;
	for (i = 0; i < f->ndocs && rc == 0; i++) {
		dw.a = &c->apps[f->docs[i].case_idx];
		rc = draw_doc(&dw, &f->docs[i]);
	}
	f->npages = (int)render_doc_npages(rd);
	/* cover sheets last: they state the page count */
	for (i = 0; i < f->ndocs && rc == 0; i++)
		if (f->docs[i].type == DOC_COVER_SHEET) {
			dw.a = &c->apps[f->docs[i].case_idx];
			rc = docs_cover(&dw, &f->docs[i]);
		}
	/* the text truth, before degrading (which adds fax headers) */
	if (rc == 0) {
		f->page_text = xcalloc((size_t)f->npages,
		    sizeof(*f->page_text));
		for (i = 0; i < (size_t)f->npages && rc == 0; i++)
			rc = render_page_text(rd, i, &f->page_text[i]);
	}
	if (rc == 0)
		rc = degrade_write(c, f, rd, r, dir);
	render_doc_free(rd);
	return rc;
}

static int
case_make(const char *templates, const char *hosp, const char *scenario,
    uint64_t seed, unsigned fileno, const char *dir)
{
	struct fs_case c;
	struct profile *p = NULL;
	struct form_hospital fh;
	struct form_department *depts = NULL;
	struct rng r;
	char path[4096], *errs = NULL;
	size_t i;
	int rc;

	memset(&c, 0, sizeof(c));
	snprintf(path, sizeof(path), "%s/hospitals/%s", templates, hosp);
	if ((rc = profile_load(path, &p, &errs)) != 0) {
		fprintf(stderr, "faxsynth: %s: %s\n", path, errs ? errs :
		    strerror(-rc));
		free(errs);
		return rc;
	}
	form_hospital_from_profile(p, &fh, &depts);
	c.profile = p;
	c.fh = &fh;
	c.hospital = hosp;
	c.seed = seed;
	rc = form_load_named(templates, "application", &c.f_app, &errs);
	if (rc == 0)
		rc = form_load_named(templates, "consent", &c.f_consent, &errs);
	if (rc == 0)
		rc = form_load_named(templates, "separator", &c.f_sep, &errs);
	if (rc != 0) {
		fprintf(stderr, "faxsynth: forms: %s\n", errs ? errs :
		    strerror(-rc));
		free(errs);
		goto out;
	}
	rng_seed(&r, mix(mix(seed, hosp), scenario));
	if ((rc = scenario_build(&c, &r, scenario)) != 0) {
		fprintf(stderr, "faxsynth: unknown scenario %s\n", scenario);
		goto out;
	}
	snprintf(c.id, sizeof(c.id), "%s-%s-%llu", hosp, scenario,
	    (unsigned long long)seed);
	for (i = 0; i < c.nfiles; i++) {
		struct fs_file *f = &c.files[i];

		if (f->medium == FS_SCAN_PDF)
			snprintf(f->name, sizeof(f->name),
			    "scan_%04d%02d%02d_%02d%02d%02u.pdf", f->y, f->m,
			    f->d, f->hh, f->mm, (fileno + (unsigned)i) % 60);
		else
			snprintf(f->name, sizeof(f->name), "fax%06u.tif",
			    (fileno + (unsigned)i) % 1000000);
	}
	if ((rc = util_mkdir_p(dir, 0755)) != 0) {
		fprintf(stderr, "faxsynth: %s: %s\n", dir, strerror(-rc));
		goto out;
	}
	for (i = 0; i < c.nfiles && rc == 0; i++)
		if ((rc = file_make(&c, &c.files[i], &r, dir)) != 0)
			fprintf(stderr, "faxsynth: %s/%s: %s\n", dir,
			    c.files[i].name, strerror(-rc));
	if (rc == 0 && (rc = truth_write(&c, dir)) != 0)
		fprintf(stderr, "faxsynth: %s/truth.json: %s\n", dir,
		    strerror(-rc));
out:
	fs_case_free(&c);
	form_free(c.f_app);
	form_free(c.f_consent);
	form_free(c.f_sep);
	free(depts);
	profile_free(p);
	return rc;
}

static int
parse_u64(const char *s, uint64_t *ret)
{
	char *e;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &e, 10);
	if (errno || e == s || *e)
		return -1;
	*ret = v;
	return 0;
}

static int
cmd_case(int argc, char **argv, const char *templates)
{
	const char *hosp = NULL, *sc = NULL, *out = NULL;
	uint64_t seed = 1, fileno = 0;
	int i, have_fileno = 0;

	for (i = 0; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--hospital") == 0)
			hosp = argv[++i];
		else if (strcmp(argv[i], "--scenario") == 0)
			sc = argv[++i];
		else if (strcmp(argv[i], "--out") == 0)
			out = argv[++i];
		else if (strcmp(argv[i], "--seed") == 0) {
			if (parse_u64(argv[++i], &seed) != 0)
				usage();
		} else if (strcmp(argv[i], "--fileno") == 0) {
			if (parse_u64(argv[++i], &fileno) != 0)
				usage();
			have_fileno = 1;
		} else
			usage();
	}
	if (hosp == NULL || sc == NULL || out == NULL)
		usage();
	if (!have_fileno)
		fileno = seed % 900000 + 100;
	return case_make(templates, hosp, sc, seed, (unsigned)fileno, out) ==
	    0 ? 0 : 1;
}

/* index.json from the cases' truth files. */
static int
index_write(const char *out, uint64_t seed, const char *split, int ncases)
{
	struct json_object *root = json_object_new_object();
	struct json_object *arr = json_object_new_array();
	long files = 0, pages = 0, fine = 0, normal = 0, scan = 0, g3 = 0,
	    g4 = 0, docs[DOC__COUNT];
	char path[4096], sub[64], *text = NULL;
	size_t len, k;
	int i, rc = 0;
	const char *s;

	memset(docs, 0, sizeof(docs));
	for (i = 0; i < ncases && rc == 0; i++) {
		struct json_object *t, *o, *jf, *jd, *v, *jc;
		size_t fi;

		snprintf(sub, sizeof(sub), "case%04d", i + 1);
		snprintf(path, sizeof(path), "%s/%s/truth.json", out, sub);
		if ((rc = util_read_file(path, 64u << 20, &text, &len)) != 0) {
			fprintf(stderr, "faxsynth: %s: %s\n", path,
			    strerror(-rc));
			break;
		}
		t = json_tokener_parse(text);
		free(text);
		text = NULL;
		if (t == NULL) {
			rc = -EINVAL;
			break;
		}
		o = json_object_new_object();
		json_object_object_add(o, "dir", json_object_new_string(sub));
		if (json_object_object_get_ex(t, "hospital", &v))
			json_object_object_add(o, "hospital",
			    json_object_get(v));
		if (json_object_object_get_ex(t, "scenario", &v))
			json_object_object_add(o, "scenario",
			    json_object_get(v));
		if (json_object_object_get_ex(t, "seed", &v))
			json_object_object_add(o, "seed", json_object_get(v));
		jf = json_object_new_array();
		json_object_object_get_ex(t, "files", &v);
		for (fi = 0; v && fi < json_object_array_length(v); fi++) {
			struct json_object *f = json_object_array_get_idx(v, fi),
			    *e = json_object_new_object(), *x;
			int np = 0;

			files++;
			if (json_object_object_get_ex(f, "name", &x))
				json_object_object_add(e, "name",
				    json_object_get(x));
			if (json_object_object_get_ex(f, "npages", &x))
				np = json_object_get_int(x);
			json_object_object_add(e, "pages",
			    json_object_new_int(np));
			pages += np;
			if (json_object_object_get_ex(f, "medium", &x)) {
				s = json_object_get_string(x);
				json_object_object_add(e, "medium",
				    json_object_get(x));
				if (strcmp(s, "fax_fine") == 0)
					fine += np;
				else if (strcmp(s, "fax_normal") == 0)
					normal += np;
				else
					scan += np;
			}
			if (json_object_object_get_ex(f, "compression", &x) &&
			    x != NULL) {
				s = json_object_get_string(x);
				json_object_object_add(e, "compression",
				    json_object_get(x));
				if (strcmp(s, "g4") == 0)
					g4++;
				else
					g3++;
			}
			json_object_array_add(jf, e);
		}
		json_object_object_add(o, "files", jf);
		if (json_object_object_get_ex(t, "documents", &jd))
			for (k = 0; k < json_object_array_length(jd); k++) {
				struct json_object *d =
				    json_object_array_get_idx(jd, k), *x, *pg;
				int dt = -1;

				if (json_object_object_get_ex(d, "type", &x))
					dt = doc_type_parse(
					    json_object_get_string(x));
				if (dt >= 0 && json_object_object_get_ex(d,
				    "pages", &pg))
					docs[dt] += (long)
					    json_object_array_length(pg);
			}
		if (json_object_object_get_ex(t, "cases", &jc)) {
			struct json_object *st = json_object_new_array();

			for (k = 0; k < json_object_array_length(jc); k++) {
				struct json_object *c1 =
				    json_object_array_get_idx(jc, k), *e, *x;

				if (json_object_object_get_ex(c1, "expected",
				    &e) && json_object_object_get_ex(e,
				    "status", &x))
					json_object_array_add(st,
					    json_object_get(x));
			}
			json_object_object_add(o, "status", st);
		}
		json_object_array_add(arr, o);
		json_object_put(t);
	}
	if (rc == 0) {
		struct json_object *tot = json_object_new_object();
		struct json_object *dp = json_object_new_object();
		int d;

		json_object_object_add(root, "schema",
		    json_object_new_string("faxsynth-index/1"));
		json_object_object_add(root, "seed",
		    json_object_new_uint64(seed));
		json_object_object_add(root, "split",
		    json_object_new_string(split));
		json_object_object_add(tot, "cases", json_object_new_int(ncases));
		json_object_object_add(tot, "files", json_object_new_int64(files));
		json_object_object_add(tot, "pages", json_object_new_int64(pages));
		json_object_object_add(tot, "fax_fine_pages",
		    json_object_new_int64(fine));
		json_object_object_add(tot, "fax_normal_pages",
		    json_object_new_int64(normal));
		json_object_object_add(tot, "scan_pages",
		    json_object_new_int64(scan));
		json_object_object_add(tot, "g3_files", json_object_new_int64(g3));
		json_object_object_add(tot, "g4_files", json_object_new_int64(g4));
		for (d = 0; d < DOC__COUNT; d++)
			json_object_object_add(dp, doc_type_name(d),
			    json_object_new_int64(docs[d]));
		json_object_object_add(tot, "pages_by_doc_type", dp);
		json_object_object_add(root, "totals", tot);
		json_object_object_add(root, "cases", arr);
		arr = NULL;
		snprintf(path, sizeof(path), "%s/index.json", out);
		s = json_object_to_json_string_ext(root,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		    JSON_C_TO_STRING_NOSLASHESCAPE);
		rc = util_write_file(path, s, strlen(s), 0644);
		printf("faxsynth: %d cases, %ld files, %ld pages (fax fine %ld, "
		    "fax normal %ld, scan %ld; G3 %ld files, G4 %ld) in %s\n",
		    ncases, files, pages, fine, normal, scan, g3, g4, out);
	}
	json_object_put(arr);
	json_object_put(root);
	return rc;
}

static int
corpus_range(const char *templates, uint64_t seed, const char *out,
    int ncases, int job, int jobs)
{
	char dir[4096];
	int i, rc = 0;
	struct rng r;

	for (i = job; i < ncases && rc == 0; i += jobs) {
		const char *h = hospitals[(size_t)i % NHOSP];
		const char *sc = fs_scenarios[((size_t)i / NHOSP) %
		    fs_nscenarios];
		uint64_t cs;

		rng_seed(&r, seed + (uint64_t)i);
		cs = rng_next(&r) % 1000000000ULL;
		snprintf(dir, sizeof(dir), "%s/case%04d", out, i + 1);
		rc = case_make(templates, h, sc, cs, (unsigned)(100 + i * 4),
		    dir);
	}
	return rc;
}

static int
cmd_corpus(int argc, char **argv, const char *templates)
{
	const char *out = NULL, *split = "dev";
	uint64_t seed = SEED_DEV, v;
	int i, ncases = (int)(NHOSP * fs_nscenarios), jobs = 2, have_seed = 0;
	int rc = 0, status;
	pid_t *pids;

	for (i = 0; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--out") == 0)
			out = argv[++i];
		else if (strcmp(argv[i], "--split") == 0)
			split = argv[++i];
		else if (strcmp(argv[i], "--seed") == 0) {
			if (parse_u64(argv[++i], &seed) != 0)
				usage();
			have_seed = 1;
		} else if (strcmp(argv[i], "--cases") == 0) {
			if (parse_u64(argv[++i], &v) != 0 || v < 1 || v > 10000)
				usage();
			ncases = (int)v;
		} else if (strcmp(argv[i], "--jobs") == 0) {
			if (parse_u64(argv[++i], &v) != 0 || v < 1 || v > 64)
				usage();
			jobs = (int)v;
		} else
			usage();
	}
	if (out == NULL)
		usage();
	if (strcmp(split, "test") == 0) {
		if (have_seed && seed != SEED_TEST) {
			fprintf(stderr, "faxsynth: --split test uses the "
			    "held-out seed %llu\n", (unsigned long long)SEED_TEST);
			return 2;
		}
		seed = SEED_TEST;
	} else if (strcmp(split, "dev") != 0)
		usage();
	if ((rc = util_mkdir_p(out, 0755)) != 0) {
		fprintf(stderr, "faxsynth: %s: %s\n", out, strerror(-rc));
		return 1;
	}
	if (jobs == 1)
		rc = corpus_range(templates, seed, out, ncases, 0, 1);
	else {
		/* Cases are independent (each has its own seed), so workers
		 * give the same bytes as one process. */
		fflush(NULL);
		pids = xcalloc((size_t)jobs, sizeof(*pids));
		for (i = 0; i < jobs; i++) {
			pids[i] = fork();
			if (pids[i] == 0) {
				rc = corpus_range(templates, seed, out, ncases,
				    i, jobs);
				free(pids);
				_exit(rc == 0 ? 0 : 1);
			}
			if (pids[i] == -1)
				rc = -errno;
		}
		for (i = 0; i < jobs; i++)
			if (pids[i] > 0 && (waitpid(pids[i], &status, 0) == -1 ||
			    !WIFEXITED(status) || WEXITSTATUS(status) != 0))
				rc = -EIO;
		free(pids);
	}
	if (rc == 0)
		rc = index_write(out, seed, split, ncases);
	return rc == 0 ? 0 : 1;
}

/* fontconfig's and pango's caches live until exit (lsan.h) */
FAXINTAKE_LSAN_SUPPRESSIONS

int
main(int argc, char **argv)
{
	char *templates;
	int rc;
	size_t i;

	if (argc < 2)
		usage();
	if (strcmp(argv[1], "scenarios") == 0) {
		for (i = 0; i < fs_nscenarios; i++)
			printf("%s\n", fs_scenarios[i]);
		return 0;
	}
	templates = util_templates_dir(getenv("FAXSYNTH_TEMPLATES"));
	if (strcmp(argv[1], "case") == 0)
		rc = cmd_case(argc - 2, argv + 2, templates);
	else if (strcmp(argv[1], "corpus") == 0)
		rc = cmd_corpus(argc - 2, argv + 2, templates);
	else {
		free(templates);
		usage();
		return 2;
	}
	free(templates);
	return rc;
}
