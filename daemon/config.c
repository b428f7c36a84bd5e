/* config.c — faxintake.conf through the one INI reader. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "faxintake/config.h"
#include "faxintake/ini.h"
#include "faxintake/log.h"
#include "faxintake/profile.h"
#include "faxintake/util.h"
#include "faxintake/xmalloc.h"

#define DEFAULT_STATE_DIR	"/var/lib/faxintake"

static int
parse_int(struct ini_ctx *ctx, const char *key, const char *v, long long lo,
    long long hi, long long *out)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno || end == v || *end != '\0' || n < lo || n > hi)
		return ini_error(ctx, "%s: '%s' is not a whole number from %lld "
		    "to %lld", key, v, lo, hi);
	*out = n;
	return 0;
}

static int
parse_bool(struct ini_ctx *ctx, const char *key, const char *v, int *out)
{
	if (strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0 ||
	    strcmp(v, "1") == 0)
		*out = 1;
	else if (strcasecmp(v, "no") == 0 || strcasecmp(v, "false") == 0 ||
	    strcmp(v, "0") == 0)
		*out = 0;
	else
		return ini_error(ctx, "%s: '%s' is not yes or no", key, v);
	return 0;
}

/* One spelling per directory: no "//", no "/./", no trailing '/'. */
static char *
path_clean(const char *v)
{
	char *out = xstrdup(v), *o = out;

	for (const char *p = v; *p; p++) {
		if (*p == '/' && (p[1] == '/' || p[1] == '\0' ||
		    (p[1] == '.' && (p[2] == '/' || p[2] == '\0')))) {
			if (p[1] == '.')
				p++;
			continue;
		}
		*o++ = *p;
	}
	if (o == out)
		*o++ = '/';
	*o = '\0';
	return out;
}

static int
parse_path(struct ini_ctx *ctx, const char *key, const char *v, char **out)
{
	if (v[0] != '/')
		return ini_error(ctx, "%s: '%s' is not an absolute path", key, v);
	if (strlen(v) >= PATH_MAX - 128)
		return ini_error(ctx, "%s: path too long", key);
	free(*out);
	*out = path_clean(v);
	return 0;
}

/* Whether a and b name the same directory (also through a symbolic link). */
static int
same_dir(const char *a, const char *b)
{
	struct stat sa, sb;

	if (strcmp(a, b) == 0)
		return 1;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int
path_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return 1;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static int
config_daemon_key(struct ini_ctx *ctx, struct config *c, const char *k,
    const char *v)
{
	long long n;
	int lvl;

	if (strcmp(k, "state_dir") == 0)
		return parse_path(ctx, k, v, &c->state_dir);
	if (strcmp(k, "templates_dir") == 0)
		return parse_path(ctx, k, v, &c->templates_dir);
	if (strcmp(k, "log_level") == 0) {
		if ((lvl = log_level_parse(v)) < 0)
			return ini_error(ctx, "log_level: '%s' is not one of "
			    "error, warning, notice, info, debug", v);
		c->log_level = lvl;
		return 0;
	}
	if (strcmp(k, "read_pages") == 0)
		return parse_bool(ctx, k, v, &c->read_pages);
	if (strcmp(k, "workers") == 0) {
		if (parse_int(ctx, k, v, 1, 64, &n))
			return -1;
		c->workers = (int)n;
	} else if (strcmp(k, "settle_seconds") == 0) {
		if (parse_int(ctx, k, v, 0, 7 * 86400, &n))
			return -1;
		c->settle_seconds = (int)n;
	} else if (strcmp(k, "rescan_seconds") == 0) {
		if (parse_int(ctx, k, v, 0, 86400, &n))
			return -1;
		c->rescan_seconds = (int)n;
	} else if (strcmp(k, "ready_seconds") == 0) {
		if (parse_int(ctx, k, v, 0, 3600, &n))
			return -1;
		c->ready_seconds = (int)n;
	} else
		return ini_error(ctx, "unknown key '%s' in [daemon]", k);
	return 0;
}

static int
config_limits_key(struct ini_ctx *ctx, struct config *c, const char *k,
    const char *v)
{
	long long n;

	if (strcmp(k, "max_file_bytes") == 0) {
		if (parse_int(ctx, k, v, 1024, 4LL << 30, &n))
			return -1;
		c->max_file_bytes = (unsigned long long)n;
	} else if (strcmp(k, "max_pages") == 0) {
		if (parse_int(ctx, k, v, 1, 10000, &n))
			return -1;
		c->max_pages = (int)n;
	} else if (strcmp(k, "max_page_pixels") == 0) {
		if (parse_int(ctx, k, v, 10000, 1LL << 32, &n))
			return -1;
		c->max_page_pixels = (unsigned long long)n;
	} else if (strcmp(k, "job_seconds") == 0) {
		if (parse_int(ctx, k, v, 1, 86400, &n))
			return -1;
		c->job_seconds = (int)n;
	} else if (strcmp(k, "job_memory_mb") == 0) {
		if (parse_int(ctx, k, v, 64, 1 << 20, &n))
			return -1;
		c->job_memory_mb = (int)n;
	} else
		return ini_error(ctx, "unknown key '%s' in [limits]", k);
	return 0;
}

static int
config_review_key(struct ini_ctx *ctx, struct config *c, const char *k,
    const char *v)
{
	char *end;
	double d;

	if (strcmp(k, "field_confidence") != 0)
		return ini_error(ctx, "unknown key '%s' in [review]", k);
	errno = 0;
	d = strtod(v, &end);
	if (errno || end == v || *end != '\0' || !(d >= 0.0 && d <= 1.0))
		return ini_error(ctx, "field_confidence: '%s' is not a number "
		    "from 0 to 1", v);
	c->field_confidence = d;
	return 0;
}

static int
config_outbound_key(struct ini_ctx *ctx, struct config *c, const char *k,
    const char *v)
{
	if (strcmp(k, "auto_send") == 0)
		return parse_bool(ctx, k, v, &c->auto_send);
	if (strcmp(k, "command") != 0)
		return ini_error(ctx, "unknown key '%s' in [outbound]", k);
	config_argv_free(c->outbound_argv);
	c->outbound_argv = NULL;
	if (*v == '\0')
		return 0;
	if ((c->outbound_argv = config_split_argv(v)) == NULL)
		return ini_error(ctx, "command: unbalanced quote");
	if (c->outbound_argv[0] == NULL) {
		config_argv_free(c->outbound_argv);
		c->outbound_argv = NULL;
		return 0;
	}
	if (c->outbound_argv[0][0] != '/' &&
	    strchr(c->outbound_argv[0], '/') != NULL)
		return ini_error(ctx, "command: '%s' must be an absolute path "
		    "or a name found in PATH", c->outbound_argv[0]);
	return 0;
}

static int
inbox_name_ok(const char *name)
{
	if (*name == '\0' || strlen(name) > 64)
		return 0;
	for (const char *p = name; *p; p++)
		if (!(('a' <= *p && *p <= 'z') || ('A' <= *p && *p <= 'Z') ||
		    ('0' <= *p && *p <= '9') || *p == '-' || *p == '_'))
			return 0;
	return 1;
}

static int
config_inbox_key(struct ini_ctx *ctx, struct config *c, const char *name,
    const char *k, const char *v)
{
	struct config_inbox *in = NULL;

	for (size_t i = 0; i < c->ninboxes; i++)
		if (strcmp(c->inboxes[i].name, name) == 0)
			in = &c->inboxes[i];
	if (in == NULL) {
		if (!inbox_name_ok(name))
			return ini_error(ctx, "inbox name '%s': use letters, "
			    "digits, '-' and '_'", name);
		c->inboxes = xreallocarray(c->inboxes, c->ninboxes + 1,
		    sizeof(*c->inboxes));
		in = &c->inboxes[c->ninboxes++];
		memset(in, 0, sizeof(*in));
		in->name = xstrdup(name);
		in->line = ini_line(ctx);
	}
	if (k == NULL)
		return 0;		/* the [inbox NAME] line itself */
	if (strcmp(k, "path") == 0)
		return parse_path(ctx, k, v, &in->path);
	if (strcmp(k, "hospital") == 0) {
		if (!profile_id_valid(v))
			return ini_error(ctx, "hospital: '%s' is not a profile id", v);
		free(in->hospital);
		in->hospital = xstrdup(v);
		return 0;
	}
	return ini_error(ctx, "unknown key '%s' in [inbox %s]", k, name);
}

/* What the reading of one file remembers besides the values. */
struct config_parse {
	struct config	*c;
	int		 skip;		/* an unknown section, already reported */
	char		**seen;		/* "section" and "section\nkey" */
	int		*seen_line;
	size_t		 nseen;
};

/* Remember name at line; the line it was first seen at, or 0 if new. */
static int
seen_before(struct config_parse *cp, const char *name, int line)
{
	for (size_t i = 0; i < cp->nseen; i++)
		if (strcmp(cp->seen[i], name) == 0)
			return cp->seen_line[i];
	cp->seen = xreallocarray(cp->seen, cp->nseen + 1, sizeof(*cp->seen));
	cp->seen_line = xreallocarray(cp->seen_line, cp->nseen + 1,
	    sizeof(*cp->seen_line));
	cp->seen[cp->nseen] = xstrdup(name);
	cp->seen_line[cp->nseen++] = line;
	return 0;
}

static int
config_section(struct ini_ctx *ctx, struct config_parse *cp, const char *section)
{
	int first;

	cp->skip = 0;
	if (strcmp(section, "daemon") != 0 && strcmp(section, "review") != 0 &&
	    strcmp(section, "limits") != 0 && strcmp(section, "outbound") != 0 &&
	    strncmp(section, "inbox ", 6) != 0) {
		cp->skip = 1;
		return ini_error(ctx, "unknown section [%s]", section);
	}
	if ((first = seen_before(cp, section, ini_line(ctx))) != 0) {
		cp->skip = 1;
		return ini_error(ctx, "[%s] appears twice (first at line %d)",
		    section, first);
	}
	if (strncmp(section, "inbox ", 6) == 0 &&
	    config_inbox_key(ctx, cp->c, section + 6, NULL, NULL) != 0) {
		cp->skip = 1;	/* a bad name: said once, at the section */
		return -1;
	}
	return 0;
}

static int
config_handler(struct ini_ctx *ctx, void *arg, const char *section,
    const char *k, const char *v)
{
	struct config_parse *cp = arg;
	struct config *c = cp->c;
	char *name;
	int first;

	if (k == NULL)
		return config_section(ctx, cp, section);
	if (cp->skip)
		return 0;
	if (*section == '\0')
		return ini_error(ctx, "'%s' is outside any [section]", k);
	xasprintf(&name, "%s\n%s", section, k);
	first = seen_before(cp, name, ini_line(ctx));
	free(name);
	if (first)
		return ini_error(ctx, "'%s' is given twice in [%s] (first at "
		    "line %d)", k, section, first);
	if (strcmp(section, "daemon") == 0)
		return config_daemon_key(ctx, c, k, v);
	if (strcmp(section, "review") == 0)
		return config_review_key(ctx, c, k, v);
	if (strcmp(section, "limits") == 0)
		return config_limits_key(ctx, c, k, v);
	if (strcmp(section, "outbound") == 0)
		return config_outbound_key(ctx, c, k, v);
	return config_inbox_key(ctx, c, section + 6, k, v);
}

static struct config *
config_defaults(const char *path)
{
	struct config *c = xcalloc(1, sizeof(*c));

	c->file = xstrdup(path);
	c->state_dir = xstrdup(DEFAULT_STATE_DIR);
	c->workers = 2;
	c->settle_seconds = 600;
	c->rescan_seconds = 0;
	c->ready_seconds = 2;
	c->log_level = LOG_LEVEL_INFO;
	c->read_pages = 1;
	c->field_confidence = 0.80;
	c->max_file_bytes = 256ULL << 20;
	c->max_pages = 200;
	c->max_page_pixels = 40000000ULL;	/* A4 at 600 dpi is 35 Mpx */
	c->job_seconds = 300;
	c->job_memory_mb = 1024;
	return c;
}

/* What the file cannot say key by key: checked once it is all read. */
static void
config_check(struct config *c, struct buf *errs)
{
	for (size_t i = 0; i < c->ninboxes; i++) {
		struct config_inbox *in = &c->inboxes[i];
		if (in->path == NULL)
			buf_printf(errs, "%s:%d: [inbox %s] has no path\n",
			    c->file, in->line, in->name);
		if (in->hospital == NULL)
			buf_printf(errs, "%s:%d: [inbox %s] has no hospital\n",
			    c->file, in->line, in->name);
		/* The daemon would claim its own database and spool. */
		if (in->path && (path_under(in->path, c->state_dir) ||
		    same_dir(in->path, c->state_dir)))
			buf_printf(errs, "%s:%d: [inbox %s] is inside state_dir\n",
			    c->file, in->line, in->name);
		for (size_t j = 0; j < i; j++)
			if (in->path && c->inboxes[j].path &&
			    same_dir(in->path, c->inboxes[j].path))
				buf_printf(errs, "%s:%d: [inbox %s] has the same "
				    "path as [inbox %s]\n", c->file, in->line,
				    in->name, c->inboxes[j].name);
	}
}

int
config_load(const char *path, int allow_missing, struct config **ret,
    char **errs)
{
	struct config *c = config_defaults(path);
	struct stat st;
	struct config_parse cp;
	struct buf eb;
	char *override, *ierrs = NULL;

	*errs = NULL;
	if (allow_missing && stat(path, &st) == -1 && errno == ENOENT) {
		c->templates_dir = util_templates_dir(NULL);
		*ret = c;
		return 0;
	}
	/* Report every problem at once: the entries', then the whole's. */
	buf_init(&eb, 64 * 1024);
	memset(&cp, 0, sizeof(cp));
	cp.c = c;
	if (ini_read_flags(path, INI_SECTIONS, config_handler, &cp, &ierrs) != 0) {
		(void)buf_addstr(&eb, ierrs);
		free(ierrs);
	}
	for (size_t i = 0; i < cp.nseen; i++)
		free(cp.seen[i]);
	free(cp.seen);
	free(cp.seen_line);
	config_check(c, &eb);
	if (eb.len > 0) {
		*errs = buf_take(&eb);
		config_free(c);
		return -1;
	}
	buf_free(&eb);
	override = c->templates_dir;
	c->templates_dir = util_templates_dir(override);
	free(override);
	*ret = c;
	return 0;
}

void
config_free(struct config *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->ninboxes; i++) {
		free(c->inboxes[i].name);
		free(c->inboxes[i].path);
		free(c->inboxes[i].hospital);
	}
	free(c->inboxes);
	config_argv_free(c->outbound_argv);
	free(c->file);
	free(c->state_dir);
	free(c->templates_dir);
	free(c);
}

char **
config_split_argv(const char *s)
{
	char **argv = xcalloc(1, sizeof(*argv));
	size_t argc = 0;
	struct buf word;

	buf_init(&word, 4096);
	for (;;) {
		int quoted = 0, have = 0;

		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		buf_reset(&word);
		while (*s && (quoted || (*s != ' ' && *s != '\t'))) {
			if (*s == '"') {
				quoted = !quoted;
				have = 1;
			} else if (buf_add(&word, s, 1) != 0) {
				quoted = 1;	/* over-long: treat as bad */
				break;
			}
			s++;
		}
		if (quoted) {
			buf_free(&word);
			config_argv_free(argv);
			return NULL;
		}
		(void)have;
		argv = xreallocarray(argv, argc + 2, sizeof(*argv));
		argv[argc++] = xstrdup(word.data ? word.data : "");
		argv[argc] = NULL;
	}
	buf_free(&word);
	return argv;
}

void
config_argv_free(char **argv)
{
	if (argv == NULL)
		return;
	for (char **p = argv; *p; p++)
		free(*p);
	free(argv);
}
