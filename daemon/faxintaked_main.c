/* faxintaked — the intake daemon (see faxintaked --help). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "faxintake/daemon.h"
#include "faxintake/log.h"
#include "faxintake/lsan.h"
#include "faxintake/util.h"
#include "faxintake/worker.h"

#define VERSION	"0.1"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: faxintaked [--config FILE] [--once] [--foreground]\n"
	    "  --config FILE  configuration (default $FAXINTAKE_CONFIG, else\n"
	    "                 " FI_SYSCONFDIR "/faxintake/faxintake.conf)\n"
	    "  --once         process what is in the inboxes now, then exit\n"
	    "  --foreground   stay in the foreground, log to stderr (systemd)\n");
}

/* Detach from the terminal: fork, new session, stdio to /dev/null. */
static int
background(void)
{
	pid_t pid = fork();
	int fd;

	if (pid == -1)
		return -1;
	if (pid > 0)
		_exit(0);
	if (setsid() == -1)
		return -1;
	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	log_to_syslog();
	return 0;
}

FAXINTAKE_LSAN_SUPPRESSIONS

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "once", no_argument, NULL, 'o' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL;
	int flags = 0, ch;

	/* A worker: `faxintaked --worker PARENT_PID LIMITS TEMPLATES`, from
	 * pool.c. */
	if (argc == 5 && strcmp(argv[1], "--worker") == 0) {
		struct worker_limits wl;
		char *end;
		long ppid = strtol(argv[2], &end, 10);

		log_init("faxintaked[worker]", LOG_LEVEL_INFO);
		if (*end != '\0' || worker_limits_parse(argv[3], &wl) != 0) {
			log_errx("bad worker arguments");
			return 2;
		}
		return worker_main((pid_t)ppid, &wl, argv[4]);
	}
	log_init("faxintaked", LOG_LEVEL_INFO);
	while ((ch = getopt_long(argc, argv, "c:ofhV", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config = optarg;
			break;
		case 'o':
			flags |= DAEMON_ONCE;
			break;
		case 'f':
			flags |= DAEMON_FOREGROUND;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("faxintaked %s\n", VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (!(flags & (DAEMON_ONCE | DAEMON_FOREGROUND)) && background() != 0) {
		log_warn("going to the background");
		return 1;
	}
	return daemon_main(util_config_path(config), flags);
}
