/*
 * cli.h — the staff tool's command interface.  Each command is
 * `int cmd_NAME(struct cli *, int argc, char **argv)` with argv[0] the
 * command name, returning the exit code: 0 success, 1 the command
 * failed, 2 bad usage or configuration (message names the file:line).
 */
#ifndef FAXINTAKE_CLI_H
#define FAXINTAKE_CLI_H

struct config;
struct store;

struct cli {
	const char	*config_arg;	/* --config, or NULL */
	struct config	*config;	/* loaded by cli_config(); owned */
	char		*templates;	/* resolved by cli_templates(); owned */
	const char	*user;		/* login name, for the audit log */
	struct store	*store;		/* opened by cli_store(); owned */
	struct profile	*profile;	/* the last cli_profile(); owned */
};

/* The loaded configuration; prints the errors and exits 2 if it is bad. */
struct config	*cli_config(struct cli *);
/* The templates folder: [daemon] templates_dir when a config file is
 * there, else the checkout's or the installed one.  Never NULL. */
const char	*cli_templates(struct cli *);

/* The daemon's database; prints why and exits 1 if it cannot be opened. */
struct store	*cli_store(struct cli *);

/* A hospital's profile; prints why and exits 2 if it is broken. */
const struct profile *cli_profile(struct cli *, const char *hospital);
/* Tell a running daemon to look at the database again (letters released,
 * files to read again): touches state_dir/wakeup. */
void	cli_wakeup(struct cli *);

int	cmd_files(struct cli *, int, char **);
int	cmd_cases(struct cli *, int, char **);
int	cmd_show(struct cli *, int, char **);
int	cmd_rules(struct cli *, int, char **);
int	cmd_profile(struct cli *, int, char **);
int	cmd_form(struct cli *, int, char **);
int	cmd_set(struct cli *, int, char **);
int	cmd_resolve(struct cli *, int, char **);
int	cmd_new_case(struct cli *, int, char **);
int	cmd_move(struct cli *, int, char **);
int	cmd_merge(struct cli *, int, char **);
int	cmd_decide(struct cli *, int, char **);
int	cmd_letters(struct cli *, int, char **);
int	cmd_release(struct cli *, int, char **);
int	cmd_reprocess(struct cli *, int, char **);
int	cmd_page(struct cli *, int, char **);

#endif
