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

struct ini_ctx {
	const char	*path;
	FILE		*fp;
	int		 line;
	int		 nerrors;
	struct buf	 errs;
	ini_handler_fn	 fn;
	void		*arg;
	char		 section[256];
	char		*linebuf;
	size_t		 linecap;
};

/*
 * Reads one whole line however long, so that line numbers stay true.
 * inih's buffer is small (200 bytes in Debian's build): a longer comment
 * is cut (harmless), a longer entry is an error rather than a silent split.
 */
static char *
ini_read_line(char *str, int num, void *stream)
{
	struct ini_ctx *ctx = stream;
	ssize_t n;
	size_t i;

	n = getline(&ctx->linebuf, &ctx->linecap, ctx->fp);
	if (n < 0)
		return NULL;
	ctx->line++;
	if (n < num) {
		memcpy(str, ctx->linebuf, (size_t)n + 1);
		return str;
	}
	for (i = 0; ctx->linebuf[i] == ' ' || ctx->linebuf[i] == '\t'; i++)
		;
	if (ctx->linebuf[i] != ';' && ctx->linebuf[i] != '#')
		ini_error(ctx, "line longer than %d bytes", num - 2);
	str[0] = '\n';
	str[1] = '\0';
	return str;
}

static int
ini_cb(void *user, const char *section, const char *name, const char *value)
{
	struct ini_ctx *ctx = user;

	/* inih calls with name == NULL on a new section (INI_CALL_HANDLER_ON_NEW_SECTION
	 * is off in Debian's build), so sections are seen with their first key. */
	if (name == NULL)
		return 1;
	snprintf(ctx->section, sizeof(ctx->section), "%s", section);
	if (ctx->fn(ctx, ctx->arg, section, name, value) != 0 &&
	    ctx->nerrors == 0)
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
	struct ini_ctx ctx;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	ctx.path = path;
	ctx.fn = fn;
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
	/* rc > 0: a syntax error inih found itself (no '=' or ']'). */
	if (rc > 0)
		(void)buf_printf(&ctx.errs, "%s:%d: syntax error\n", path, rc);
	else if (rc < 0)
		(void)buf_printf(&ctx.errs, "%s: cannot read\n", path);
	if (rc != 0 || ctx.nerrors > 0) {
		*errs = buf_take(&ctx.errs);
		return -1;
	}
	buf_free(&ctx.errs);
	*errs = NULL;
	return 0;
}
