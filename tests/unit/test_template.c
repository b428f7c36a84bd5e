/*
 * test_template.c — the template expander: variables, if/else/unless,
 * each with scopes and @index, nesting, the standalone-line rule,
 * comments, errors that name FILE:LINE, and the output limit.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "faxintake/template.h"

/* The values every case sees. */
static struct template_vars *
sample_vars(void)
{
	struct template_vars *tv = template_vars_new(), *it, *sub;

	assert_int_equal(template_vars_set(tv, "name", "山田"), 0);
	assert_int_equal(template_vars_set(tv, "empty", ""), 0);
	assert_int_equal(template_vars_set(tv, "top", "T"), 0);
	assert_int_equal(template_vars_setf(tv, "num", "%d円", 22000), 0);
	it = template_vars_add(tv, "missing");
	assert_non_null(it);
	template_vars_set(it, "name", "同意書");
	template_vars_set(it, "how", "署名");
	sub = template_vars_add(it, "parts");
	template_vars_set(sub, "p", "a");
	sub = template_vars_add(it, "parts");
	template_vars_set(sub, "p", "b");
	it = template_vars_add(tv, "missing");
	template_vars_set(it, "name", "紹介状");
	template_vars_set(it, "how", "主治医");
	template_vars_list(it, "parts");
	assert_int_equal(template_vars_list(tv, "none"), 0);
	return tv;
}

struct tcase {
	const char	*tmpl;
	int		 flags;
	size_t		 max;		/* 0: 4096 */
	int		 rc;
	const char	*want;		/* output, or a substring of the error */
};

#define S	TEMPLATE_STRICT

static const struct tcase cases[] = {
	/* variables */
	{ "Hello {{name}}!", S, 0, 0, "Hello 山田!" },
	{ "{{ name }}{{num}}", S, 0, 0, "山田22000円" },
	{ "no tags at all", S, 0, 0, "no tags at all" },
	{ "", S, 0, 0, "" },
	{ "a{{nope}}b", 0, 0, 0, "ab" },
	{ "single { braces } stay", S, 0, 0, "single { braces } stay" },
	/* if / else / unless */
	{ "{{#if name}}A{{else}}B{{/if}}", S, 0, 0, "A" },
	{ "{{#if empty}}A{{else}}B{{/if}}", S, 0, 0, "B" },
	{ "{{#if empty}}A{{/if}}", S, 0, 0, "" },
	{ "{{#if nope}}A{{else}}B{{/if}}", 0, 0, 0, "B" },
	{ "{{#if missing}}L{{/if}}{{#if none}}N{{/if}}", S, 0, 0, "L" },
	{ "{{#unless empty}}U{{else}}V{{/unless}}", S, 0, 0, "U" },
	{ "{{#unless name}}U{{else}}V{{/unless}}", S, 0, 0, "V" },
	/* each */
	{ "{{#each missing}}・{{name}}（{{how}}）{{/each}}", S, 0, 0,
	  "・同意書（署名）・紹介状（主治医）" },
	{ "{{#each missing}}{{@index}}.{{name}}{{#unless @last}},{{/unless}}"
	  "{{/each}}", S, 0, 0, "1.同意書,2.紹介状" },
	{ "{{#each missing}}{{#if @first}}[{{/if}}{{name}}{{/each}}]", S, 0,
	  0, "[同意書紹介状]" },
	{ "{{#each none}}x{{else}}none{{/each}}", S, 0, 0, "none" },
	{ "{{#each missing}}{{name}}/{{top}};{{/each}}", S, 0, 0,
	  "同意書/T;紹介状/T;" },
	/* nesting: each in if in each, inner @index is the inner list's */
	{ "{{#each missing}}{{#if parts}}{{name}}:{{#each parts}}{{p}}"
	  "{{@index}}{{/each}}{{else}}{{name}}:-{{/if}} {{/each}}", S, 0, 0,
	  "同意書:a1b2 紹介状:- " },
	/* standalone block lines vanish with their newline */
	{ "a\n{{#if name}}\nb\n{{else}}\nc\n{{/if}}\nd\n", S, 0, 0,
	  "a\nb\nd\n" },
	{ "x\n  {{#each missing}}  \n- {{name}}\n{{/each}}\ny", S, 0, 0,
	  "x\n- 同意書\n- 紹介状\ny" },
	{ "x {{#if name}}in{{/if}}\n", S, 0, 0, "x in\n" },
	{ "a\n{{! a comment }}\nb{{! inline }}c\n", S, 0, 0, "a\nbc\n" },
	{ "a\n{{! spans\n two lines }}\n{{nope}}", S, 0, -EINVAL,
	  "t.tmpl:4: unknown variable 'nope'" },
	/* errors name file:line */
	{ "{{nope}}", S, 0, -EINVAL, "t.tmpl:1: unknown variable 'nope'" },
	{ "a\nb\n{{#if nope}}x{{/if}}", S, 0, -EINVAL,
	  "t.tmpl:3: unknown variable 'nope'" },
	{ "a\n{{#if name}}\nb", S, 0, -EINVAL,
	  "t.tmpl:2: {{#if name}} is not closed" },
	{ "{{#each missing}}\n{{#if name}}x\n{{/each}}", 0, 0, -EINVAL,
	  "t.tmpl:3: {{/each}} closes {{#if}} of line 2" },
	{ "{{#if empty}}a{{/if}}\n{{/if}}", 0, 0, -EINVAL,
	  "t.tmpl:2: {{/if}} without {{#if}}" },
	{ "x\n{{else}}", 0, 0, -EINVAL, "t.tmpl:2: {{else}} outside a block" },
	{ "{{#if name}}a{{else}}b{{else}}c{{/if}}", 0, 0, -EINVAL,
	  "t.tmpl:1: second {{else}}" },
	{ "ok\n{{name", 0, 0, -EINVAL, "t.tmpl:2: '{{' without '}}'" },
	{ "{{#for x}}{{/for}}", 0, 0, -EINVAL, "t.tmpl:1: unknown block" },
	{ "{{a-b}}", 0, 0, -EINVAL, "t.tmpl:1: bad name 'a-b'" },
	{ "{{}}", 0, 0, -EINVAL, "bad name" },
	{ "{{missing}}", S, 0, -EINVAL, "t.tmpl:1: 'missing' is a list" },
	{ "\n{{#each name}}x{{/each}}", S, 0, -EINVAL,
	  "t.tmpl:2: 'name' is not a list" },
	/* an error in a branch not taken is still an error */
	{ "{{#if empty}}{{#each none}}{{/if}}", 0, 0, -EINVAL, "closes" },
	/* output limit */
	{ "{{name}}", S, 6, 0, "山田" },
	{ "{{name}}{{name}}", S, 8, -E2BIG,
	  "t.tmpl:1: output longer than 8 bytes" },
	{ "line1\nline2 {{#each missing}}{{name}}{{/each}}", S, 12, -E2BIG,
	  "t.tmpl:2: output longer" },
};

static void
test_table(void **state)
{
	struct template_vars *tv = sample_vars();
	char *out, *err;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tcase *c = &cases[i];

		out = err = NULL;
		rc = template_expand("t.tmpl", c->tmpl, tv, c->flags,
		    c->max ? c->max : 4096, &out, &err);
		if (rc != c->rc || (rc == 0 && strcmp(out, c->want) != 0) ||
		    (rc != 0 && (err == NULL || strstr(err, c->want) == NULL)))
			fail_msg("case %zu \"%s\": rc %d (want %d), out \"%s\", "
			    "err \"%s\", want \"%s\"", i, c->tmpl, rc, c->rc,
			    out ? out : "(null)", err ? err : "(null)",
			    c->want);
		if (rc == 0)
			assert_null(err);
		else
			assert_null(out);
		free(out);
		free(err);
	}
	template_vars_free(tv);
}

static void
test_deep_nesting(void **state)
{
	char tmpl[1024] = "", *out = NULL, *err = NULL;
	struct template_vars *tv = sample_vars();
	int i;

	(void)state;
	for (i = 0; i < TEMPLATE_MAX_DEPTH + 1; i++)
		strcat(tmpl, "{{#if name}}");
	for (i = 0; i < TEMPLATE_MAX_DEPTH + 1; i++)
		strcat(tmpl, "{{/if}}");
	assert_int_equal(template_expand("d", tmpl, tv, S, 100, &out, &err),
	    -E2BIG);
	assert_non_null(strstr(err, "nested deeper"));
	free(err);
	/* One level less is fine. */
	tmpl[0] = '\0';
	for (i = 0; i < TEMPLATE_MAX_DEPTH; i++)
		strcat(tmpl, "{{#if name}}");
	strcat(tmpl, "ok");
	for (i = 0; i < TEMPLATE_MAX_DEPTH; i++)
		strcat(tmpl, "{{/if}}");
	assert_int_equal(template_expand("d", tmpl, tv, S, 100, &out, NULL),
	    0);
	assert_string_equal(out, "ok");
	free(out);
	template_vars_free(tv);
}

static void
test_vars_api(void **state)
{
	struct template_vars *tv = template_vars_new();
	char *out = NULL;

	(void)state;
	assert_int_equal(template_vars_set(tv, "x", "1"), 0);
	assert_int_equal(template_vars_set(tv, "x", "2"), 0);	/* replaces */
	assert_string_equal(template_vars_get(tv, "x"), "2");
	assert_int_equal(template_vars_set(tv, "n", NULL), 0);
	assert_string_equal(template_vars_get(tv, "n"), "");
	assert_int_equal(template_vars_set(tv, "9x", "bad"), -EINVAL);
	assert_int_equal(template_vars_set(tv, "a b", "bad"), -EINVAL);
	assert_int_equal(template_vars_list(tv, ""), -EINVAL);
	assert_null(template_vars_add(tv, "bad-name"));
	/* A string turned into a list and back. */
	assert_non_null(template_vars_add(tv, "x"));
	assert_null(template_vars_get(tv, "x"));
	assert_int_equal(template_expand("t", "{{#each x}}i{{/each}}", tv, S,
	    10, &out, NULL), 0);
	assert_string_equal(out, "i");
	free(out);
	assert_int_equal(template_vars_set(tv, "x", "s"), 0);
	assert_string_equal(template_vars_get(tv, "x"), "s");
	assert_null(template_vars_get(tv, "unknown"));
	assert_null(template_vars_get(NULL, "x"));
	template_vars_free(tv);
	template_vars_free(NULL);
}

static void
test_file(void **state)
{
	char dir[] = "/tmp/fi-tmplXXXXXX", path[64];
	struct template_vars *tv = sample_vars();
	char *out = NULL, *err = NULL;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/x.tmpl", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{{! header }}\nDear {{name}},\n{{#if none}}\nnever\n{{/if}}\n"
	    "{{bogus}}\n", f);
	fclose(f);
	assert_int_equal(template_expand_file(path, tv, S, 1000, &out, &err),
	    -EINVAL);
	assert_null(out);
	{
		char want[128];

		snprintf(want, sizeof(want), "%s:6: unknown variable 'bogus'",
		    path);
		assert_string_equal(err, want);
	}
	free(err);
	err = NULL;
	assert_int_equal(template_expand_file(path, tv, 0, 1000, &out, &err),
	    0);
	assert_string_equal(out, "Dear 山田,\n\n");
	free(out);
	unlink(path);
	assert_int_equal(template_expand_file(path, tv, 0, 1000, &out, &err),
	    -ENOENT);
	assert_non_null(strstr(err, path));
	free(err);
	rmdir(dir);
	template_vars_free(tv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_vars_api),
		cmocka_unit_test(test_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
