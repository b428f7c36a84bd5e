/*
 * cmd_form.c — `faxintake form --hospital ID --form
 * application|consent|separator --out FILE.pdf`: a hospital's blank form
 * as a PDF for its web site.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faxintake/cli.h"
#include "faxintake/form.h"
#include "faxintake/profile.h"
#include "faxintake/render.h"
#include "faxintake/xmalloc.h"

static int
usage_form(void)
{
	fprintf(stderr, "usage: faxintake form --hospital ID --form "
	    "application|consent|separator --out FILE.pdf\n");
	return 2;
}

/* "--name value" or "--name=value"; advances *i past what it used. */
static int
opt_arg(int argc, char **argv, int *i, const char *name, const char **ret)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return 0;
	if (argv[*i][n] == '=') {
		*ret = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n] != '\0' || *i + 1 >= argc)
		return 0;
	*ret = argv[++*i];
	return 1;
}

int
cmd_form(struct cli *cli, int argc, char **argv)
{
	const char *hid = NULL, *name = NULL, *out = NULL, *templates;
	struct profile *prof = NULL;
	struct form *f = NULL;
	struct form_hospital h;
	struct form_department *depts = NULL;
	struct render_doc *doc = NULL;
	struct form_layout *lay = NULL;
	char *dir = NULL, *errs = NULL, *title = NULL;
	int i, rc, ex = 1;

	for (i = 1; i < argc; i++) {
		if (opt_arg(argc, argv, &i, "--hospital", &hid) ||
		    opt_arg(argc, argv, &i, "--form", &name) ||
		    opt_arg(argc, argv, &i, "--out", &out))
			continue;
		return usage_form();
	}
	if (hid == NULL || name == NULL || out == NULL || *out == '\0')
		return usage_form();
	if (strcmp(name, "application") != 0 && strcmp(name, "consent") != 0 &&
	    strcmp(name, "separator") != 0)
		return usage_form();
	if (!profile_id_valid(hid)) {
		fprintf(stderr, "faxintake form: %s: not a hospital id\n", hid);
		return 2;
	}
	templates = cli_templates(cli);

	xasprintf(&dir, "%s/hospitals/%s", templates, hid);
	if (profile_load(dir, &prof, &errs) != 0) {
		fprintf(stderr, "%s", errs ? errs : "");
		fprintf(stderr, "faxintake form: %s: cannot load the hospital "
		    "profile\n", dir);
		ex = 2;
		goto done;
	}
	free(errs);
	errs = NULL;
	if ((rc = form_hospital_from_profile(prof, &h, &depts)) != 0) {
		fprintf(stderr, "faxintake form: %s: %s\n", hid,
		    strerror(-rc));
		goto done;
	}
	if (strcmp(name, "application") == 0 &&
	    !profile_application_form(prof))
		fprintf(stderr, "faxintake form: note: %s does not use an "
		    "application form of its own\n", hid);
	if (form_load_named(templates, name, &f, &errs) != 0) {
		fprintf(stderr, "%s", errs ? errs : "");
		ex = 2;
		goto done;
	}
	if ((doc = render_doc_new()) == NULL) {
		fprintf(stderr, "faxintake form: cannot start cairo/pango\n");
		goto done;
	}
	xasprintf(&title, "%s %s", h.name ? h.name : hid, form_id(f));
	render_doc_set_title(doc, title);
	if ((rc = form_render(f, &h, NULL, 0, doc, &lay)) != 0) {
		fprintf(stderr, "faxintake form: %s for %s: %s\n", name, hid,
		    strerror(-rc));
		goto done;
	}
	if ((rc = render_doc_write_pdf(doc, out, 0644)) != 0) {
		fprintf(stderr, "faxintake form: %s: %s\n", out,
		    strerror(-rc));
		goto done;
	}
	printf("%s: %s, %d page%s\n", out, name, lay->npages,
	    lay->npages == 1 ? "" : "s");
	ex = 0;
done:
	form_layout_free(lay);
	render_doc_free(doc);
	form_free(f);
	free(depts);
	profile_free(prof);
	free(title);
	free(errs);
	free(dir);
	return ex;
}
