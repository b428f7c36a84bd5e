/* ini.c — inih with line numbers for every key (a counting reader). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "faxintake/ini.h"
#include "faxintake/xmalloc.h"

#define INI_MAX_ERRORS	(64 * 1024)
#define INI_SECTION_MAX	49	/* inih's MAX_SECTION, less the NUL */

struct ini_ctx {
	const char	*path;
	FILE		*fp;
	int		 line;
	int		 nerrors;
	struct buf	 errs;
	ini_handler_fn	 fn;
	void		*arg;
	int		 read_errno;
	int		 bad_section;	/* skip entries up to the next one */
	int		 flags;
	char		*linebuf;
	size_t		 linecap;
};

/*
 * What inih would refuse in a line (s: without leading whitespace), found
 * here so that every problem is reported at its own line: inih itself
 * returns only the first.  As inih, a ';' after whitespace starts a comment.
 */
static const char *
ini_line_problem(struct ini_ctx *ctx, const char *s)
{
	const char *chars = "=:";
	int was_space = 0;

	if (ctx->line == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	if (*s == '\0' || *s == '\n' || *s == '\r')
		return NULL;
	if (*s == '[') {
		chars = "]";
		s++;
	}
	for (const char *p = s; *p && *p != '\n'; p++) {
		if (strchr(chars, *p)) {
			/* inih keeps 49 bytes of a section name and drops
			 * the rest without a word. */
			if (*p == ']' && p - s > INI_SECTION_MAX)
				return "section name longer than 49 bytes";
			return NULL;
		}
		if (was_space && *p == ';')
			break;
		was_space = *p == ' ' || *p == '\t' || *p == '\r';
	}
	return *chars == ']' ? "syntax error: ']' missing" :
	    "syntax error: expected 'key = value'";
}

/*
 * Reads one whole line however long, so that line numbers stay true.
 * inih's buffer is small (200 bytes in Debian's build): a longer comment
 * is cut (harmless), a longer entry is an error rather than a silent split.
 * Leading whitespace goes: an indented entry is an entry, not the
 * continuation of the value above (inih's multi-line values).
 */
/* Tell the handler of a [section] line (s: after the '['), trimmed as
 * inih trims it. */
static void
section_seen(struct ini_ctx *ctx, const char *s)
{
	char name[INI_SECTION_MAX + 1];
	size_t n = strcspn(s, "]");

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	if (n > INI_SECTION_MAX)
		n = INI_SECTION_MAX;
	memcpy(name, s, n);
	name[n] = '\0';
	(void)ctx->fn(ctx, ctx->arg, name, NULL, NULL);
}

static char *
ini_read_line(char *str, int num, void *stream)
{
	struct ini_ctx *ctx = stream;
	const char *why;
	ssize_t n;
	size_t i;

	n = getline(&ctx->linebuf, &ctx->linecap, ctx->fp);
	if (n < 0) {
		if (ferror(ctx->fp))
			ctx->read_errno = errno;
		return NULL;
	}
	ctx->line++;
	for (i = 0; ctx->linebuf[i] == ' ' || ctx->linebuf[i] == '\t'; i++)
		;
	str[0] = '\n';
	str[1] = '\0';
	if (ctx->linebuf[i] == ';' || ctx->linebuf[i] == '#')
		return str;
	if ((size_t)n - i >= (size_t)num) {
		ini_error(ctx, "line longer than %d bytes", num - 2);
		why = "";
	} else if ((why = ini_line_problem(ctx, ctx->linebuf + i)) != NULL)
		ini_error(ctx, "%s", why);
	/* The entries under a refused [section] line would land in the
	 * section above: skip them. */
	if (ctx->linebuf[i] == '[')
		ctx->bad_section = why != NULL;
	if (ctx->linebuf[i] == '[' && why == NULL && (ctx->flags & INI_SECTIONS))
		section_seen(ctx, ctx->linebuf + i + 1);
	if (why == NULL && !ctx->bad_section)
		memcpy(str, ctx->linebuf + i, (size_t)n - i + 1);
	return str;
}

static int
ini_cb(void *user, const char *section, const char *name, const char *value)
{
	struct ini_ctx *ctx = user;
	int nerrors = ctx->nerrors;

	/* inih calls with name == NULL on a new section (INI_CALL_HANDLER_ON_NEW_SECTION
	 * is off in Debian's build), so sections are seen with their first key. */
	if (name == NULL)
		return 1;
	if (ctx->fn(ctx, ctx->arg, section, name, value) != 0 &&
	    ctx->nerrors == nerrors)
		ini_error(ctx, "invalid entry '%s'", name);
	return 1;
}

int
ini_line(const struct ini_ctx *ctx)
{
	return ctx->line;
}

const char *
ini_path(const struct ini_ctx *ctx)
{
	return ctx->path;
}

int
ini_error(struct ini_ctx *ctx, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctx->nerrors++;
	(void)buf_printf(&ctx->errs, "%s:%d: %s\n", ctx->path, ctx->line, msg);
	return -1;
}

int
ini_read(const char *path, ini_handler_fn fn, void *arg, char **errs)
{
	return ini_read_flags(path, 0, fn, arg, errs);
}

int
ini_read_flags(const char *path, int flags, ini_handler_fn fn, void *arg,
    char **errs)
{
	struct ini_ctx ctx;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	ctx.path = path;
	ctx.fn = fn;
	ctx.flags = flags;
	ctx.arg = arg;
	buf_init(&ctx.errs, INI_MAX_ERRORS);
	ctx.fp = fopen(path, "re");
	if (ctx.fp == NULL) {
		(void)buf_printf(&ctx.errs, "%s: %s\n", path, strerror(errno));
		*errs = buf_take(&ctx.errs);
		return -1;
	}
	rc = ini_parse_stream(ini_read_line, &ctx, ini_cb, &ctx);
	fclose(ctx.fp);
	free(ctx.linebuf);
	/* rc > 0: a syntax error inih found and ini_line_problem() did not. */
	if (ctx.read_errno != 0)
		(void)buf_printf(&ctx.errs, "%s: %s\n", path,
		    strerror(ctx.read_errno));
	else if (rc > 0)
		(void)buf_printf(&ctx.errs, "%s:%d: syntax error\n", path, rc);
	else if (rc < 0)
		(void)buf_printf(&ctx.errs, "%s: cannot read\n", path);
	if (ctx.read_errno != 0)
		rc = -1;
	if (rc != 0 || ctx.nerrors > 0) {
		*errs = buf_take(&ctx.errs);
		return -1;
	}
	buf_free(&ctx.errs);
	*errs = NULL;
	return 0;
}
