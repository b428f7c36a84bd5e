/*
 * cmd_rules.c — `faxintake rules --hospital ID FACTS.json [--threshold X]
 * [--json]` and `faxintake profile check DIR`.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "faxintake/buf.h"
#include "faxintake/cli.h"
#include "faxintake/config.h"
#include "faxintake/facts.h"
#include "faxintake/profile.h"
#include "faxintake/rules.h"
#include "faxintake/util.h"
#include "faxintake/xmalloc.h"

#define FACTS_MAX_BYTES	(1024 * 1024)

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2
};

static int
usage_rules(void)
{
	fprintf(stderr, "usage: faxintake rules --hospital ID FACTS.json "
	    "[--threshold X] [--json]\n");
	return EXIT_USAGE;
}

static int
usage_profile(void)
{
	fprintf(stderr, "usage: faxintake profile check DIR\n");
	return EXIT_USAGE;
}

static int
read_facts(const char *path, char **ret)
{
	size_t len;
	char *data;
	int rc;

	if (strcmp(path, "-") == 0) {
		struct buf b;
		char chunk[4096];
		size_t n;

		buf_init(&b, FACTS_MAX_BYTES);
		while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
			if (buf_add(&b, chunk, n) != 0) {
				buf_free(&b);
				return -EFBIG;
			}
		*ret = buf_take(&b);
		return 0;
	}
	if ((rc = util_read_file(path, FACTS_MAX_BYTES, &data, &len)) != 0)
		return rc;
	if (strlen(data) != len) {
		free(data);
		return -EINVAL;		/* a NUL inside */
	}
	*ret = data;
	return 0;
}

static void
print_docs(const struct profile *p, const char *title,
    const enum doc_type *v, size_t n)
{
	size_t i;

	if (n == 0)
		return;
	printf("%s:\n", title);
	for (i = 0; i < n; i++)
		printf("  %s (%s)\n", profile_doc_name(p, v[i]),
		    doc_type_name(v[i]));
}

static void
print_result(const struct profile *p, const struct rules_result *r)
{
	size_t i;

	printf("hospital: %s (%s)\n", profile_name(p), profile_id(p));
	printf("status: %s\n", rules_status_name(r->status));
	if (r->age >= 0)
		printf("patient age: %d\n", r->age);
	print_docs(p, "missing now", r->missing, r->nmissing);
	if (r->ndue_later > 0) {
		printf("due later:\n");
		for (i = 0; i < r->ndue_later; i++)
			printf("  %s (%s): %s\n",
			    profile_doc_name(p, r->due_later[i].type),
			    doc_type_name(r->due_later[i].type),
			    r->due_later[i].by);
	}
	print_docs(p, "recommended", r->recommended, r->nrecommended);
	if (r->nflags > 0) {
		printf("flags:\n");
		for (i = 0; i < r->nflags; i++)
			printf("  %s: %s\n    rule: %s\n", r->flags[i].id,
			    r->flags[i].evidence, r->flags[i].rule);
	}
	printf("fee: %ld円 (%s) %s\n", r->fee.yen,
	    r->fee.tax_included ? "税込" : "税別", r->fee.basis);
	for (i = 0; i < r->fee.nsteps; i++)
		printf("  + %s\n", r->fee.steps[i]);
}

int
cmd_rules(struct cli *cli, int argc, char **argv)
{
	const char *hospital = NULL, *path = NULL;
	double threshold = RULES_DEFAULT_THRESHOLD;
	struct rules_result res;
	struct profile *p = NULL;
	struct facts facts;
	char *dir, *errs, *text, *end, *err, *json;
	int i, as_json = 0, rc, have_threshold = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--hospital") == 0 && i + 1 < argc)
			hospital = argv[++i];
		else if (strcmp(argv[i], "--threshold") == 0 && i + 1 < argc) {
			errno = 0;
			threshold = strtod(argv[++i], &end);
			have_threshold = 1;
			if (errno != 0 || end == argv[i] || *end != '\0' ||
			    !isfinite(threshold) || threshold < 0 ||
			    threshold > 1) {
				fprintf(stderr, "faxintake rules: --threshold "
				    "'%s': expected a number from 0 to 1\n",
				    argv[i]);
				return EXIT_USAGE;
			}
		} else if (strcmp(argv[i], "--json") == 0)
			as_json = 1;
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			return usage_rules();
		else if (path == NULL)
			path = argv[i];
		else
			return usage_rules();
	}
	if (hospital == NULL || path == NULL)
		return usage_rules();
	if (!profile_id_valid(hospital)) {
		fprintf(stderr, "faxintake rules: '%s' is not a hospital id\n",
		    hospital);
		return EXIT_USAGE;
	}
	xasprintf(&dir, "%s/hospitals/%s", cli_templates(cli), hospital);
	rc = profile_load(dir, &p, &errs);
	free(dir);
	if (rc != 0) {
		fputs(errs, stderr);
		free(errs);
		return EXIT_USAGE;
	}
	/* [review] field_confidence, unless --threshold says otherwise. */
	if (!have_threshold && cli->config != NULL)
		threshold = cli->config->field_confidence;
	if ((rc = read_facts(path, &text)) != 0) {
		fprintf(stderr, "faxintake rules: %s: %s\n", path,
		    rc == -EFBIG ? "file too large" : strerror(-rc));
		profile_free(p);
		return EXIT_FAIL;
	}
	facts_init(&facts);
	rc = facts_from_json(text, &facts, &err);
	free(text);
	if (rc != 0) {
		fprintf(stderr, "faxintake rules: %s: %s\n", path, err);
		free(err);
		facts_clear(&facts);
		profile_free(p);
		return EXIT_FAIL;
	}
	rc = rules_eval(p, &facts, threshold, &res);
	if (rc == 0) {
		if (as_json) {
			json = rules_result_json(&res, 1);
			printf("%s\n", json);
			free(json);
		} else
			print_result(p, &res);
	}
	rules_result_free(&res);
	facts_clear(&facts);
	profile_free(p);
	if (fflush(stdout) != 0 || ferror(stdout))
		return EXIT_FAIL;
	return rc == 0 ? EXIT_OK : EXIT_FAIL;
}

int
cmd_profile(struct cli *cli, int argc, char **argv)
{
	struct profile *p;
	struct stat st;
	char *dir, *errs;

	if (argc != 3 || strcmp(argv[1], "check") != 0)
		return usage_profile();
	/* A bare id means the shipped profile of that name. */
	if (stat(argv[2], &st) != 0 && profile_id_valid(argv[2]))
		xasprintf(&dir, "%s/hospitals/%s", cli_templates(cli),
		    argv[2]);
	else
		dir = xstrdup(argv[2]);
	if (profile_load(dir, &p, &errs) != 0) {
		fputs(errs, stderr);
		free(errs);
		free(dir);
		return EXIT_USAGE;
	}
	printf("%s: OK\n", argv[2]);
	profile_free(p);
	free(dir);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}
