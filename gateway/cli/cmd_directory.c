/*
 * cmd_directory: `sampark directory` lists the stakeholder directory, and
 * `directory import|export|add|edit|retire` keep it, with the checks of
 * stakeholder_rows.h: names as people write them, every problem of every
 * row at once, and an import that says what it adds, changes and retires.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "district.h"
#include "keywords.h"
#include "records.h"
#include "stakeholder_rows.h"
#include "store.h"
#include "util.h"

static const char usage[] =
    "usage: sampark directory [--district D] [--category C]\n"
    "       sampark directory import FILE.csv [--replace] [--dry-run]\n"
    "       sampark directory export\n"
    "       sampark directory add --name N --category C --district D\n"
    "           --phone P [--languages L] [--description-en T]\n"
    "           [--description-hi T]\n"
    "       sampark directory edit ID [the options of add to change]\n"
    "       sampark directory retire ID\n"
    "       (each also takes -c CONFIG and --db PATH)\n"
    "\n"
    "Without a command, lists the directory: id, district, category, name,\n"
    "phone, languages; --district keeps one district (with the rows for\n"
    "every district, *), --category one category.  A district may be\n"
    "written by its key, English or Hindi name or any alias, a category by\n"
    "its keyword or any alias (Loan, karza), languages as hi|en or\n"
    "Hindi, English.\n"
    "import reads FILE.csv (the header of config/stakeholders.csv:\n"
    "name,category,district,phone,languages, or common other headings such\n"
    "as Naam, Zila, Mobile; description_en and description_hi may follow),\n"
    "reports every problem of every row, and changes nothing unless the\n"
    "whole file is good (a file of no rows is refused).  It merges: a\n"
    "stakeholder is the same when name (any case) and district are; new\n"
    "ones are added and changed ones updated.  With\n"
    "--replace, those the file no longer lists are retired.  It prints what\n"
    "it adds, changes and retires; --dry-run only prints it.  A column\n"
    "the file does not have (languages, descriptions) keeps what the\n"
    "directory holds.  Should the directory change meanwhile, nothing is\n"
    "written: run it again.\n"
    "export writes the directory as CSV (import's header) to stdout.\n"
    "retire takes a stakeholder out of the directory: replies stop naming\n"
    "her office.\n";

struct opts {
	const char	*config;
	const char	*db;
	const char	*district;
	const char	*category;
	const char	*cells[SC_COUNT];
	int		 replace;
	int		 dry_run;
};

/* What a command needs: the config, its tables and the store. */
struct env {
	struct config		*cfg;
	struct keywords_table	*kw;
	struct district_table	*dt;
	struct store		*st;
};

/* How a command opens the database: listing and export only read it,
 * and a mistyped --db must not leave an empty one behind. */
enum env_db { ENV_DB_WRITE, ENV_DB_EXISTING, ENV_DB_READONLY };

static int
env_open(struct env *e, const struct opts *o, enum env_db how)
{
	struct buf errors;

	memset(e, 0, sizeof(*e));
	if ((e->cfg = cmd_config(o->config)) == NULL)
		return -1;
	buf_init(&errors, 0);
	e->kw = keywords_load(config_str(e->cfg, "keywords"), &errors);
	e->dt = district_load(config_str(e->cfg, "districts"), &errors);
	if (e->kw == NULL || e->dt == NULL) {
		fprintf(stderr, "%s", buf_cstr(&errors));
		buf_free(&errors);
		return -1;
	}
	buf_free(&errors);
	e->st = how == ENV_DB_READONLY ? cmd_open_store_readonly(e->cfg,
	    o->db) : how == ENV_DB_EXISTING ? cmd_open_store_existing(e->cfg,
	    o->db) : cmd_open_store(e->cfg, o->db);
	return e->st == NULL ? -1 : 0;
}

static void
env_close(struct env *e)
{
	store_close(e->st);
	district_free(e->dt);
	keywords_free(e->kw);
	config_free(e->cfg);
}

static void
print_row(int64_t id, const struct stakeholder *r)
{
	char *name = buf_term_dup(r->name ? r->name : "");

	printf("%-5lld %-12s %-10s %-44s %-15s %s\n", (long long)id,
	    r->district, r->category, name, r->phone ? r->phone : "-",
	    r->languages ? r->languages : "");
	free(name);
}

static int
do_list(const struct opts *o)
{
	struct stakeholder *rows = NULL;
	const char *category = NULL;
	char *district = NULL;
	int64_t *ids = NULL;
	struct env e;
	size_t n = 0, i;
	int rc = 1;

	if (env_open(&e, o, ENV_DB_EXISTING) == -1)
		goto out;
	if (o->district != NULL && strcmp(o->district, "*") != 0 &&
	    (district = cmd_district_key(e.cfg, "--district",
	    o->district)) == NULL)
		goto out;
	if (o->category != NULL && (category = stakeholder_rows_category(e.kw,
	    o->category)) == NULL) {
		cmd_problem("sampark: --category: no category \"%s\"",
		    o->category);
		goto out;
	}
	if (store_stakeholders_list(e.st, district ? district : o->district,
	    category, &rows, &ids, &n) == -1) {
		fprintf(stderr, "sampark: %s\n", store_errmsg(e.st));
		goto out;
	}
	printf("%-5s %-12s %-10s %-44s %-15s %s\n", "id", "district",
	    "category", "name", "phone", "languages");
	for (i = 0; i < n; i++)
		print_row(ids[i], &rows[i]);
	printf("%zu stakeholder%s\n", n, n == 1 ? "" : "s");
	rc = 0;
out:
	records_stakeholders_free(rows, n);
	free(ids);
	free(district);
	env_close(&e);
	return rc;
}

struct file_problems {
	const char	*path;
	size_t		 n;
};

static void
file_problem(void *arg, size_t line, int col, const char *cell,
    const char *msg)
{
	struct file_problems *fp = arg;

	(void)cell;
	fp->n++;
	if (col >= 0)
		cmd_problem("%s:%zu: %s: %s", fp->path, line,
		    stakeholder_rows_column_name((enum stakeholder_col)col),
		    msg);
	else
		cmd_problem("%s:%zu: %s", fp->path, line, msg);
}

/* The whole file (a directory is a few hundred rows). */
static char *
read_file(const char *path, size_t *len)
{
	struct buf b;
	char chunk[8192];
	size_t n;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	buf_init(&b, 0);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	if (ferror(f)) {
		fclose(f);
		buf_free(&b);
		return NULL;
	}
	fclose(f);
	*len = b.len;
	return b.len ? buf_steal(&b) : xstrdup("");
}

static void
print_plan(const char *verb, const size_t *idx, size_t n,
    const struct stakeholder *rows)
{
	size_t i;
	char *name;

	for (i = 0; i < n; i++) {
		name = buf_term_dup(rows[idx[i]].name);
		printf("  %-7s %s (%s, %s)\n", verb, name,
		    rows[idx[i]].district, rows[idx[i]].category);
		free(name);
	}
}

static int
do_import(const struct opts *o, const char *path)
{
	struct stakeholder *old = NULL, cur;
	int64_t *old_ids = NULL;
	struct stakeholder_sheet sh;
	struct stakeholder_plan plan;
	struct file_problems fp = { path, 0 };
	struct env e;
	char *text = NULL, *name;
	size_t nold = 0, len, i;
	int rc = 1;

	memset(&sh, 0, sizeof(sh));
	memset(&plan, 0, sizeof(plan));
	if (env_open(&e, o, ENV_DB_WRITE) == -1)
		goto out;
	if ((text = read_file(path, &len)) == NULL) {
		fprintf(stderr, "sampark: cannot read %s\n", path);
		goto out;
	}
	if (stakeholder_rows_read(e.kw, e.dt, config_str(e.cfg,
	    "default_country"), text, len, NULL, NULL, 0, &sh, file_problem,
	    &fp) != 0) {
		fprintf(stderr, "sampark: %s: %zu problem%s; nothing changed\n",
		    path, fp.n, fp.n == 1 ? "" : "s");
		goto out;
	}
	/* A sheet saved empty is a mistake, not "retire everyone". */
	if (sh.n == 0) {
		fprintf(stderr, "sampark: %s: no rows to import; nothing "
		    "changed\n", path);
		goto out;
	}
	if (store_stakeholders_list(e.st, NULL, NULL, &old, &old_ids,
	    &nold) == -1) {
		fprintf(stderr, "sampark: %s\n", store_errmsg(e.st));
		goto out;
	}
	stakeholder_rows_plan(old, old_ids, nold, sh.rows, sh.n,
	    stakeholder_sheet_columns(&sh), o->replace, &plan);
	printf("%s: %zu rows: %zu to add, %zu to change, %zu unchanged, "
	    "%zu to retire\n", path, sh.n, plan.nadd, plan.nchange,
	    plan.nsame, plan.nretire);
	print_plan("add", plan.add, plan.nadd, sh.rows);
	print_plan("change", plan.change, plan.nchange, sh.rows);
	for (i = 0; i < plan.nretire; i++)
		if (store_stakeholder_get(e.st, plan.retire[i], &cur) == 1) {
			name = buf_term_dup(cur.name);
			printf("  %-7s %s (%s, %s)\n", "retire", name,
			    cur.district, cur.category);
			free(name);
			records_stakeholder_clear(&cur);
		}
	if (o->dry_run) {
		printf("Nothing changed (--dry-run).\n");
		rc = 0;
		goto out;
	}
	switch (stakeholder_rows_apply(e.st, &plan, sh.rows, path,
	    util_wall_ms())) {
	case -1:
		fprintf(stderr, "sampark: import failed: %s\n",
		    store_errmsg(e.st));
		goto out;
	case 0:
		fprintf(stderr, "sampark: the directory changed while you were "
		    "importing; nothing changed: run the import again "
		    "(--dry-run to preview)\n");
		goto out;
	}
	printf("directory updated: %zu added, %zu changed, %zu retired\n",
	    plan.nadd, plan.nchange, plan.nretire);
	rc = 0;
out:
	stakeholder_plan_clear(&plan);
	stakeholder_sheet_clear(&sh);
	records_stakeholders_free(old, nold);
	free(old_ids);
	free(text);
	env_close(&e);
	return rc;
}

static int
do_export(const struct opts *o)
{
	struct stakeholder *rows = NULL;
	int64_t *ids = NULL;
	struct buf out;
	struct env e;
	size_t n = 0;
	int rc = 1;

	buf_init(&out, 0);
	if (env_open(&e, o, ENV_DB_READONLY) == -1)
		goto done;
	if (store_stakeholders_list(e.st, NULL, NULL, &rows, &ids, &n) == -1) {
		fprintf(stderr, "sampark: %s\n", store_errmsg(e.st));
		goto done;
	}
	stakeholder_rows_csv(&out, rows, n);
	if (fwrite(buf_cstr(&out), 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "sampark: cannot write the directory\n");
		goto done;
	}
	rc = 0;
done:
	records_stakeholders_free(rows, n);
	free(ids);
	buf_free(&out);
	env_close(&e);
	return rc;
}

static void
form_problem(void *arg, enum stakeholder_col col, const char *msg)
{
	(void)arg;
	cmd_problem("sampark: --%s: %s", col == SC_DESCRIPTION_EN ?
	    "description-en" : col == SC_DESCRIPTION_HI ? "description-hi" :
	    stakeholder_rows_column_name(col), msg);
}

/* add (id 0) or edit row id: the options given over what it has. */
static int
do_put(const struct opts *o, int64_t id)
{
	struct stakeholder cur, r;
	const char *cells[SC_COUNT];
	struct env e;
	int64_t nid;
	size_t c;
	int rc = 1, got;

	memset(&cur, 0, sizeof(cur));
	memset(&r, 0, sizeof(r));
	if (env_open(&e, o, ENV_DB_WRITE) == -1)
		goto out;
	if (id != 0) {
		if ((got = store_stakeholder_get(e.st, id, &cur)) != 1) {
			fprintf(stderr, "sampark: %s\n", got == 0 ?
			    "no such stakeholder" : store_errmsg(e.st));
			goto out;
		}
	}
	{
		const char *had[SC_COUNT];

		stakeholder_rows_cells(&cur, had);
		for (c = 0; c < SC_COUNT; c++)
			cells[c] = o->cells[c] != NULL ? o->cells[c] : had[c];
	}
	if (stakeholder_rows_check(e.kw, e.dt, config_str(e.cfg,
	    "default_country"), cells, &r, form_problem, NULL) != 0)
		goto out;
	if (id == 0) {
		if (store_stakeholder_add(e.st, &r, "cli", util_wall_ms(),
		    &nid) == -1) {
			fprintf(stderr, "sampark: %s\n", store_errmsg(e.st));
			goto out;
		}
		printf("added:\n");
	} else {
		if (store_stakeholder_update(e.st, id, &r, "cli",
		    util_wall_ms()) != 1) {
			fprintf(stderr, "sampark: %s\n", store_errmsg(e.st));
			goto out;
		}
		nid = id;
		printf("changed:\n");
	}
	print_row(nid, &r);
	rc = 0;
out:
	records_stakeholder_clear(&cur);
	records_stakeholder_clear(&r);
	env_close(&e);
	return rc;
}

static int
do_retire(const struct opts *o, int64_t id)
{
	struct stakeholder cur;
	struct env e;
	int rc = 1, got;

	memset(&cur, 0, sizeof(cur));
	if (env_open(&e, o, ENV_DB_WRITE) == -1)
		goto out;
	if ((got = store_stakeholder_get(e.st, id, &cur)) == 1)
		got = store_stakeholder_retire(e.st, id);
	if (got != 1) {
		fprintf(stderr, "sampark: %s\n", got == 0 ?
		    "no such stakeholder" : store_errmsg(e.st));
		goto out;
	}
	printf("retired:\n");
	print_row(id, &cur);
	rc = 0;
out:
	records_stakeholder_clear(&cur);
	env_close(&e);
	return rc;
}

static int
run_directory(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "district", required_argument, NULL, 'D' },
		{ "category", required_argument, NULL, 'C' },
		{ "replace", no_argument, NULL, 'R' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "name", required_argument, NULL, 1000 + SC_NAME },
		{ "phone", required_argument, NULL, 1000 + SC_PHONE },
		{ "languages", required_argument, NULL, 1000 + SC_LANGUAGES },
		{ "description-en", required_argument, NULL,
		    1000 + SC_DESCRIPTION_EN },
		{ "description-hi", required_argument, NULL,
		    1000 + SC_DESCRIPTION_HI },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sub = "list";
	struct opts o;
	int64_t id = 0;
	int ch, nargs;

	memset(&o, 0, sizeof(o));
	if (argc >= 2 && argv[1][0] != '-') {
		sub = argv[1];
		argc--;
		argv++;
	}
	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': o.config = optarg; break;
		case 'd': o.db = optarg; break;
		case 'D': o.district = optarg; break;
		case 'C': o.category = optarg; break;
		case 'R': o.replace = 1; break;
		case 'n': o.dry_run = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default:
			if (ch >= 1000 && ch < 1000 + SC_COUNT) {
				o.cells[ch - 1000] = optarg;
				break;
			}
			fputs(usage, stderr);
			return 2;
		}
	}
	/* add and edit take --category and --district as the fields. */
	o.cells[SC_CATEGORY] = o.category;
	o.cells[SC_DISTRICT] = o.district;
	nargs = argc - optind;
	if (strcmp(sub, "list") == 0 && nargs == 0)
		return do_list(&o);
	if (strcmp(sub, "import") == 0 && nargs == 1)
		return do_import(&o, argv[optind]);
	if (strcmp(sub, "export") == 0 && nargs == 0)
		return do_export(&o);
	if (strcmp(sub, "add") == 0 && nargs == 0)
		return do_put(&o, 0);
	if ((strcmp(sub, "edit") == 0 || strcmp(sub, "retire") == 0) &&
	    nargs == 1 && cmd_parse_id(argv[optind], &id) == 0)
		return strcmp(sub, "edit") == 0 ? do_put(&o, id) :
		    do_retire(&o, id);
	fputs(usage, stderr);
	return 2;
}

const struct cmd_desc cmd_directory = {
	.name = "directory",
	.summary = "list, import, export, add, edit and retire stakeholders",
	.usage = usage,
	.run = run_directory,
};
