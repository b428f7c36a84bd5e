/*
 * template.h — the one template expander of faxintake (letters; anything
 * else that needs text with blanks uses this too, never a second one).
 *
 * Syntax (a strict, small subset of Mustache/Handlebars):
 *
 *   {{name}}                     the value of a string variable
 *   {{#if name}} … {{else}} … {{/if}}
 *                                name is true when it is a non-empty
 *                                string or a non-empty list
 *   {{#unless name}} … {{else}} … {{/unless}}
 *   {{#each list}} … {{else}} … {{/each}}
 *                                the body once per item (a map), the
 *                                {{else}} part when the list is empty
 *   {{! a comment }}             dropped (may span lines)
 *
 * Names are [A-Za-z_][A-Za-z0-9_]* (at most 63 bytes) and resolve in the
 * innermost {{#each}} item first, then outwards to the top map.  Inside
 * {{#each}}: {{@index}} is the item's number from 1, {{@first}} and
 * {{@last}} are "1" or "" (usable in {{#if}}).  Spaces inside the braces
 * are allowed: {{ name }}.
 *
 * Whitespace: a line that holds nothing but one block tag ({{#…}},
 * {{else}}, {{/…}}) or a comment, apart from spaces and tabs, is removed
 * together with its newline, so that block tags on their own lines leave
 * no blank lines behind.  Everything else is copied byte for byte.
 *
 * There is no escaping: the output is plain text.  (The letter module
 * hands it to pango as plain text, not markup, so '<' and '&' in a
 * patient's name are printed as they are.)  A literal "{{" cannot be
 * written in a template except through a variable.
 *
 * The whole template is parsed before anything is expanded, so a block
 * left open is an error even in a branch not taken.  Errors are one line,
 * "NAME:LINE: what", NAME being the file name (or the name the caller
 * gave); LINE is where the offending tag starts.
 */
#ifndef FAXINTAKE_TEMPLATE_H
#define FAXINTAKE_TEMPLATE_H

#include <stddef.h>

#define TEMPLATE_MAX_FILE	(64 * 1024)	/* bytes of one template */
#define TEMPLATE_MAX_DEPTH	16		/* nested blocks */
#define TEMPLATE_NAME_MAX	63

/* Flags for template_expand(). */
#define TEMPLATE_STRICT		0x1	/* an unknown name is an error; else
					   it is "" and false */

/*
 * The values: a map from names to strings or to lists of maps.  Every
 * value is copied in.  A map added to a list belongs to the map that
 * holds the list and dies with it; only the top map is freed by the
 * caller, with template_vars_free().
 */
struct template_vars;

struct template_vars *template_vars_new(void);
void	 template_vars_free(struct template_vars *);	/* NULL ok */

/* Set name to a copy of value (NULL means ""), replacing what it held.
 * -EINVAL for a bad name. */
int	 template_vars_set(struct template_vars *, const char *name,
	    const char *value);
int	 template_vars_setf(struct template_vars *, const char *name,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Declare name as a list (empty until items are added); a string of that
 * name is replaced.  -EINVAL for a bad name. */
int	 template_vars_list(struct template_vars *, const char *name);
/* Append a new empty map to list name (declaring the list when needed)
 * and return it, owned by vars; NULL for a bad name. */
struct template_vars *template_vars_add(struct template_vars *,
	    const char *list);
/* The string value of name in this map only; NULL when unset or a list. */
const char *template_vars_get(const struct template_vars *,
	    const char *name);

/*
 * Expand text (NUL-terminated UTF-8 or ASCII; not checked) with vars.
 * name is used in error messages only.  The output is at most max bytes.
 * Returns 0 and *ret (malloc'd, NUL-terminated; caller frees), or
 * -EINVAL (syntax, unknown name in strict mode, a list used as a string
 * or a string as a list) or -E2BIG (output over max, nesting too deep),
 * with a one-line message in *err (malloc'd; caller frees; err may be
 * NULL).  *ret is untouched on failure.
 */
int	 template_expand(const char *name, const char *text,
	    const struct template_vars *vars, int flags, size_t max,
	    char **ret, char **err);
/* Same for a file (at most TEMPLATE_MAX_FILE bytes); errors name the
 * path.  -ENOENT etc. when it cannot be read (with a message). */
int	 template_expand_file(const char *path,
	    const struct template_vars *vars, int flags, size_t max,
	    char **ret, char **err);

#endif
