/* faxintake — the staff's tool (see faxintake --help). */
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "faxintake/cli.h"
#include "faxintake/config.h"
#include "faxintake/log.h"
#include "faxintake/lsan.h"
#include "faxintake/profile.h"
#include "faxintake/store.h"
#include "faxintake/util.h"

static const struct command {
	const char	*name;
	int		(*fn)(struct cli *, int, char **);
	const char	*usage;
} commands[] = {
	{ "files", cmd_files, "files [--json]" },
	{ "cases", cmd_cases, "cases [--status S] [--json]" },
	{ "show", cmd_show, "show CASE [--json]" },
	{ "rules", cmd_rules, "rules --hospital ID FACTS.json [--threshold X] [--json]" },
	{ "profile", cmd_profile, "profile check DIR" },
	{ "form", cmd_form, "form --hospital ID --form application|consent|separator --out FILE.pdf" },
	{ "set", cmd_set, "set CASE FIELD=VALUE" },
	{ "resolve", cmd_resolve, "resolve CASE FLAG --note TEXT" },
	{ "new-case", cmd_new_case, "new-case --hospital ID" },
	{ "move", cmd_move, "move DOCUMENT CASE" },
	{ "merge", cmd_merge, "merge CASE INTO-CASE" },
	{ "decide", cmd_decide, "decide CASE accept [--date 2026-12-03T10:00] | decide CASE decline --reason TEXT" },
	{ "letters", cmd_letters, "letters CASE" },
	{ "release", cmd_release, "release LETTER [--fax NUMBER]" },
	{ "reprocess", cmd_reprocess, "reprocess FILE|CASE" },
	{ "page", cmd_page, "page FILE N --out X.png" },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: faxintake [--config FILE] COMMAND ...\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(fp, "       faxintake %s\n", commands[i].usage);
}

struct config *
cli_config(struct cli *cli)
{
	char *errs = NULL;

	if (cli->config)
		return cli->config;
	if (config_load(util_config_path(cli->config_arg), 0, &cli->config,
	    &errs) != 0) {
		fprintf(stderr, "%s", errs);
		free(errs);
		exit(2);
	}
	return cli->config;
}

struct store *
cli_store(struct cli *cli)
{
	struct config *c = cli_config(cli);
	char *path, *err = NULL;
	int rc;

	if (cli->store)
		return cli->store;
	if (asprintf(&path, "%s/faxintake.db", c->state_dir) < 0)
		exit(1);
	if (access(path, F_OK) != 0) {
		fprintf(stderr, "faxintake: no database at %s (has faxintaked "
		    "run with this configuration, %s?)\n", path, c->file);
		exit(1);
	}
	/* Never creates: the daemon owns the schema's birth. */
	rc = store_open(path, 0, &cli->store, &err);
	free(path);
	if (rc != 0) {
		fprintf(stderr, "faxintake: %s\n", err);
		free(err);
		exit(1);
	}
	return cli->store;
}

const struct profile *
cli_profile(struct cli *cli, const char *hospital)
{
	char *dir, *errs = NULL;

	if (cli->profile && strcmp(profile_id(cli->profile), hospital) == 0)
		return cli->profile;
	profile_free(cli->profile);
	cli->profile = NULL;
	if (!profile_id_valid(hospital)) {
		fprintf(stderr, "faxintake: '%s' is not a hospital id\n", hospital);
		exit(2);
	}
	if (asprintf(&dir, "%s/hospitals/%s", cli_templates(cli), hospital) < 0)
		exit(1);
	if (profile_load(dir, &cli->profile, &errs) != 0) {
		fprintf(stderr, "faxintake: hospital %s:\n%s", hospital,
		    errs ? errs : "");
		exit(2);
	}
	free(dir);
	return cli->profile;
}

void
cli_wakeup(struct cli *cli)
{
	char *path;
	int fd;

	if (asprintf(&path, "%s/wakeup", cli_config(cli)->state_dir) < 0)
		return;
	/* A running daemon watches for this file being written. */
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0660);
	if (fd >= 0) {
		(void)write(fd, "1\n", 2);
		close(fd);
	}
	free(path);
}

const char *
cli_templates(struct cli *cli)
{
	struct config *c = NULL;
	char *errs = NULL;

	if (cli->templates)
		return cli->templates;
	/* The config is optional here: rules and profiles work without. */
	if (cli->config == NULL && config_load(util_config_path(cli->config_arg),
	    1, &c, &errs) != 0) {
		fprintf(stderr, "%s", errs);
		free(errs);
		exit(2);
	}
	if (c)
		cli->config = c;
	cli->templates = strdup(cli->config->templates_dir);
	if (cli->templates == NULL)
		exit(1);
	return cli->templates;
}

FAXINTAKE_LSAN_SUPPRESSIONS

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli cli;
	struct passwd *pw;
	int ch, rc;

	memset(&cli, 0, sizeof(cli));
	log_init("faxintake", LOG_LEVEL_WARNING);
	/* '+': stop at the command; its own options are its own. */
	while ((ch = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			cli.config_arg = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	pw = getpwuid(getuid());
	cli.user = pw ? pw->pw_name : "unknown";
	for (size_t i = 0; i < NCOMMANDS; i++) {
		int cargc = argc - optind;
		char **cargv = argv + optind;

		if (strcmp(cargv[0], commands[i].name) != 0)
			continue;
		optind = 0;	/* glibc: 0 starts getopt afresh for the command */
		rc = commands[i].fn(&cli, cargc, cargv);
		store_close(cli.store);
		profile_free(cli.profile);
		config_free(cli.config);
		free(cli.templates);
		return rc;
	}
	fprintf(stderr, "faxintake: unknown command '%s'\n", argv[optind]);
	usage(stderr);
	return 2;
}
