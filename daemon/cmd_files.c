/* cmd_files.c — `faxintake files`, `cases` and `show`: what arrived, and
 * the cases it became. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "faxintake/jsonout.h"

#include "faxintake/cases.h"
#include "faxintake/cli.h"
#include "faxintake/config.h"
#include "faxintake/send.h"
#include "faxintake/store.h"
#include "faxintake/util.h"

static int
print_json(json_object *o)
{
	const char *s = json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	int rc = puts(s) < 0 ? 1 : 0;

	json_object_put(o);
	return rc;
}

/* Parse `--json` (and `--status S` where status is non-NULL). */
static int
parse_opts(int argc, char **argv, int *json, char **status)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "status", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	*json = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'j')
			*json = 1;
		else if (ch == 's' && status)
			*status = optarg;
		else
			return -1;
	}
	return 0;
}

/* The sender as DESIGN.md shows it: the digits of the number the TSI
 * names (+81 as 0), or the TSI as written when it names no number. */
static json_object *
sender_json(const char *tsi)
{
	char digits[16];

	if (tsi && send_number(tsi, digits) == 0)
		return json_object_new_string(digits);
	return jsonout_str(tsi);
}

static json_object *
file_json(struct store *st, const struct store_file *f)
{
	json_object *o = json_object_new_object(), *cases = json_object_new_array();
	char **ids = NULL;
	size_t n = 0;

	json_object_object_add(o, "id", jsonout_id(f->id));
	json_object_object_add(o, "sha256",
	    jsonout_str(f->sha256[0] ? f->sha256 : NULL));
	json_object_object_add(o, "name", json_object_new_string(f->name));
	json_object_object_add(o, "inbox", json_object_new_string(f->inbox));
	json_object_object_add(o, "received", jsonout_time(f->received));
	json_object_object_add(o, "state",
	    json_object_new_string(store_file_state_name(f->state)));
	json_object_object_add(o, "reason", jsonout_str(f->reason));
	json_object_object_add(o, "reason_code", jsonout_str(f->reason_code));
	json_object_object_add(o, "duplicate_of",
	    f->duplicate_of ? jsonout_id(f->duplicate_of) : NULL);
	json_object_object_add(o, "pages", json_object_new_int(f->pages));
	json_object_object_add(o, "sender", sender_json(f->sender));
	if (store_file_cases(st, f->id, &ids, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			json_object_array_add(cases, json_object_new_string(ids[i]));
			free(ids[i]);
		}
		free(ids);
	}
	json_object_object_add(o, "cases", cases);
	return o;
}

int
cmd_files(struct cli *cli, int argc, char **argv)
{
	struct store *st;
	struct store_file *fs;
	size_t n;
	int json, rc;

	if (parse_opts(argc, argv, &json, NULL) != 0 || optind != argc) {
		fprintf(stderr, "usage: faxintake files [--json]\n");
		return 2;
	}
	st = cli_store(cli);
	if ((rc = store_file_list(st, &fs, &n)) != 0) {
		fprintf(stderr, "faxintake: %s\n", store_errmsg(st));
		return 1;
	}
	if (json) {
		json_object *a = json_object_new_array();
		for (size_t i = 0; i < n; i++)
			json_object_array_add(a, file_json(st, &fs[i]));
		store_files_free(fs, n);
		return print_json(a);
	}
	printf("%-6s %-25s %-11s %5s %-8s %-16s %s\n", "ID", "RECEIVED",
	    "STATE", "PAGES", "INBOX", "SENDER", "NAME / REASON");
	for (size_t i = 0; i < n; i++) {
		char iso[UTIL_ISO_LEN];

		util_time_iso(fs[i].received, iso);
		printf("%-6lld %-25s %-11s %5d %-8s %-16s %s", fs[i].id, iso,
		    store_file_state_name(fs[i].state), fs[i].pages,
		    fs[i].inbox, fs[i].sender ? fs[i].sender : "-", fs[i].name);
		if (fs[i].duplicate_of)
			printf(" (same as file %lld)", fs[i].duplicate_of);
		if (fs[i].reason)
			printf(" — %s", fs[i].reason);
		putchar('\n');
	}
	store_files_free(fs, n);
	return 0;
}

static json_object *
case_json(const struct store_case *c)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_string(c->id));
	json_object_object_add(o, "hospital", json_object_new_string(c->hospital));
	json_object_object_add(o, "received", jsonout_time(c->received));
	json_object_object_add(o, "status", json_object_new_string(c->status));
	return o;
}

int
cmd_cases(struct cli *cli, int argc, char **argv)
{
	struct store_case *cs;
	struct store *st;
	char *status = NULL;
	size_t n;
	int json;

	if (parse_opts(argc, argv, &json, &status) != 0 || optind != argc) {
		fprintf(stderr, "usage: faxintake cases [--status S] [--json]\n");
		return 2;
	}
	st = cli_store(cli);
	if (store_case_list(st, status, &cs, &n) != 0) {
		fprintf(stderr, "faxintake: %s\n", store_errmsg(st));
		return 1;
	}
	if (json) {
		json_object *a = json_object_new_array();
		for (size_t i = 0; i < n; i++)
			json_object_array_add(a, case_json(&cs[i]));
		store_cases_free(cs, n);
		return print_json(a);
	}
	printf("%-15s %-12s %-13s %s\n", "CASE", "HOSPITAL", "STATUS", "RECEIVED");
	for (size_t i = 0; i < n; i++) {
		char iso[UTIL_ISO_LEN];

		util_time_iso(cs[i].received, iso);
		printf("%-15s %-12s %-13s %s\n", cs[i].id, cs[i].hospital,
		    cs[i].status, iso);
	}
	store_cases_free(cs, n);
	return 0;
}

/* The case for a person: the same JSON, laid out. */
static int
case_print(const char *text)
{
	json_object *o = json_tokener_parse(text), *v, *a;

	if (o == NULL)
		return 1;
	printf("case      %s (%s)\n", json_object_get_string(
	    json_object_object_get(o, "id")), json_object_get_string(
	    json_object_object_get(o, "hospital")));
	printf("status    %s\nreceived  %s\n", json_object_get_string(
	    json_object_object_get(o, "status")), json_object_get_string(
	    json_object_object_get(o, "received")));
	if (json_object_object_get_ex(o, "fields", &v)) {
		printf("fields:\n");
		json_object_object_foreach(v, key, f) {
			json_object *val = json_object_object_get(f, "value");
			double conf = json_object_get_double(
			    json_object_object_get(f, "confidence"));
			printf("  %-24s %s%s\n", key, json_object_get_string(val),
			    conf < 0.80 ? "   (unsure: please check)" : "");
		}
	}
	if (json_object_object_get_ex(o, "documents", &a)) {
		printf("documents:\n");
		for (size_t i = 0; i < json_object_array_length(a); i++) {
			json_object *d = json_object_array_get_idx(a, i), *pg;
			size_t np;

			pg = json_object_object_get(d, "pages");
			np = json_object_array_length(pg);
			printf("  %-4s %-20s file %.12s pages %d-%d%s\n",
			    json_object_get_string(json_object_object_get(d, "id")),
			    json_object_get_string(json_object_object_get(d, "type")),
			    json_object_get_string(json_object_object_get(d, "file")),
			    json_object_get_int(json_object_array_get_idx(pg, 0)),
			    json_object_get_int(json_object_array_get_idx(pg, np - 1)),
			    json_object_object_get(d, "superseded_by") ?
			    " (superseded by a later resend)" : "");
		}
	}
	if (json_object_object_get_ex(o, "missing", &a) &&
	    json_object_array_length(a) > 0) {
		printf("missing now:");
		for (size_t i = 0; i < json_object_array_length(a); i++)
			printf(" %s", json_object_get_string(
			    json_object_array_get_idx(a, i)));
		putchar('\n');
	}
	if (json_object_object_get_ex(o, "due_later", &a))
		for (size_t i = 0; i < json_object_array_length(a); i++) {
			json_object *d = json_object_array_get_idx(a, i);
			printf("due later: %s (%s)\n", json_object_get_string(
			    json_object_object_get(d, "type")),
			    json_object_get_string(json_object_object_get(d, "by")));
		}
	if (json_object_object_get_ex(o, "flags", &a))
		for (size_t i = 0; i < json_object_array_length(a); i++) {
			json_object *f = json_object_array_get_idx(a, i);
			printf("flag:     %s%s — %s\n", json_object_get_string(
			    json_object_object_get(f, "id")),
			    json_object_get_boolean(json_object_object_get(f,
			    "resolved")) ? " (resolved)" : "",
			    json_object_get_string(json_object_object_get(f,
			    "evidence")));
		}
	if (json_object_object_get_ex(o, "fee", &v) && v)
		printf("fee:      %d yen (%s)\n", json_object_get_int(
		    json_object_object_get(v, "yen")), json_object_get_string(
		    json_object_object_get(v, "basis")));
	if (json_object_object_get_ex(o, "letters", &a))
		for (size_t i = 0; i < json_object_array_length(a); i++) {
			json_object *l = json_object_array_get_idx(a, i);
			printf("letter %s: %s, %s, %s\n", json_object_get_string(
			    json_object_object_get(l, "id")), json_object_get_string(
			    json_object_object_get(l, "kind")),
			    json_object_get_string(json_object_object_get(l, "status")),
			    json_object_get_string(json_object_object_get(l, "pdf")));
		}
	json_object_put(o);
	return 0;
}

int
cmd_show(struct cli *cli, int argc, char **argv)
{
	struct cases_env env;
	struct store_case c;
	struct store *st;
	char *json = NULL;
	int as_json, rc;

	if (parse_opts(argc, argv, &as_json, NULL) != 0 || optind != argc - 1) {
		fprintf(stderr, "usage: faxintake show CASE [--json]\n");
		return 2;
	}
	st = cli_store(cli);
	if (store_case_get(st, argv[optind], &c) != 0) {
		fprintf(stderr, "faxintake: no case %s\n", argv[optind]);
		return 1;
	}
	/* Who looked at which patient's data (the audit the guideline asks). */
	if (store_event_add(st, cli->user, "show", c.id, 0, NULL) != 0) {
		fprintf(stderr, "faxintake: audit log: %s\n", store_errmsg(st));
		store_case_clear(&c);
		return 1;
	}
	env.st = st;
	env.threshold = cli_config(cli)->field_confidence;
	env.actor = cli->user;
	if ((rc = cases_json(&env, c.id, 1, &json)) != 0) {
		fprintf(stderr, "faxintake: case %s: %s\n", c.id, strerror(-rc));
		store_case_clear(&c);
		return 1;
	}
	if (as_json)
		rc = puts(json) < 0;
	else
		rc = case_print(json);
	free(json);
	store_case_clear(&c);
	return rc ? 1 : 0;
}
