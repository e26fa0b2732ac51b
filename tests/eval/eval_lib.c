/*
 * eval_lib: the corpus runner shared by `make eval` and test_eval.  Each
 * case gets a phone number of its own; its context is set on the contact
 * before its texts are routed in order, and what the last one led to is
 * read back from the router's result, the contact and the fake meeting.
 *
 * Contacts and the directory are the real ones (handler_env over a
 * scratch store loaded from the sample directory), so that the corpus
 * also checks the ops the daemon uses; only the broadcast features are
 * the fake world's (fake_ops.h): a meeting open or not, NOTICE failing,
 * no YES code pending.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "directory.h"
#include "eval_lib.h"
#include "fake_ops.h"
#include "handler.h"
#include "handler_env.h"
#include "handler_fixture.h"
#include "keywords.h"
#include "router.h"
#include "store.h"
#include "text.h"
#include "understand.h"
#include "util.h"

#define EVAL_NOW_MS	1760000000000LL

static char *
field(char **p)
{
	char *s = *p, *tab;

	if (s == NULL)
		return NULL;
	if ((tab = strchr(s, '\t')) != NULL) {
		*tab = '\0';
		*p = tab + 1;
	} else
		*p = NULL;
	return s;
}

int
eval_load(const char *path, struct eval_set *set, struct buf *err)
{
	FILE *fp;
	char *line = NULL, *p, *f[4];
	size_t cap = 0, lineno = 0, alloc = 0, i;
	ssize_t len;

	memset(set, 0, sizeof(*set));
	if ((fp = fopen(path, "r")) == NULL) {
		buf_printf(err, "%s: cannot open\n", path);
		return -1;
	}
	while ((len = getline(&line, &cap, fp)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		p = line;
		for (i = 0; i < 4; i++)
			f[i] = field(&p);
		if (f[3] == NULL) {
			buf_printf(err, "%s:%zu: want group, context, "
			    "messages, expect\n", path, lineno);
			continue;
		}
		if (set->n == alloc) {
			alloc = alloc ? alloc * 2 : 256;
			set->c = xreallocarray(set->c, alloc, sizeof(*set->c));
		}
		memset(&set->c[set->n], 0, sizeof(set->c[0]));
		set->c[set->n].group = xstrdup(f[0]);
		set->c[set->n].context = xstrdup(f[1]);
		set->c[set->n].messages = xstrdup(f[2]);
		set->c[set->n].expect = xstrdup(f[3]);
		set->c[set->n].line = lineno;
		set->n++;
	}
	free(line);
	fclose(fp);
	return err->len > 0 ? -1 : 0;
}

void
eval_set_free(struct eval_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		free(set->c[i].group);
		free(set->c[i].context);
		free(set->c[i].messages);
		free(set->c[i].expect);
		free(set->c[i].got);
	}
	free(set->c);
	memset(set, 0, sizeof(*set));
}

/* Put the case's context on a fresh contact. */
static int
set_context(struct store *st, const char *phone, const char *context,
    struct fake_ops *world)
{
	struct contact c;
	char *ctx = xstrdup(context), *tok, *save = NULL;
	int rc;

	memset(&c, 0, sizeof(c));
	c.phone = xstrdup(phone);
	c.role = xstrdup("entrepreneur");
	c.first_seen_ms = EVAL_NOW_MS - 86400000LL;
	c.last_seen_ms = c.first_seen_ms;
	world->bcast.rsvp_rc = 0;
	world->calls.rsvp = 0;
	for (tok = strtok_r(ctx, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		if (strncmp(tok, "district=", 9) == 0) {
			free(c.district);
			c.district = xstrdup(tok + 9);
		} else if (strncmp(tok, "lang=", 5) == 0) {
			free(c.language);
			c.language = xstrdup(tok + 5);
		} else if (strcmp(tok, "meeting") == 0)
			world->bcast.rsvp_rc = 1;
		else if (strcmp(tok, "opted_out") == 0)
			c.opted_out_ms = EVAL_NOW_MS - 3600000LL;
		else if (strcmp(tok, "paged") == 0) {
			free(c.more_text);
			c.more_text = xstrdup("FPO Halia +910000010209");
			c.more_until_ms = EVAL_NOW_MS + 3600000LL;
		}
	}
	free(ctx);
	rc = store_contact_put(st, &c);
	records_contact_clear(&c);
	return rc;
}

static const char *
category_of(const struct keywords_table *kw, const char *name)
{
	const struct keyword *k = keywords_find(kw, name);

	if (k == NULL)
		return name ? name : "?";
	return k->category ? k->category : k->name;
}

/* What the last text led to, in the corpus's words (caller frees). */
static char *
outcome(const struct sp_ctx *ctx, struct store *st, const char *phone,
    const char *text, const struct router_result *res,
    const struct fake_ops *world)
{
	struct contact c;
	struct understand_result *u;
	const char *h = res->handler ? res->handler : "error";
	char *out, *norm;
	int found;

	memset(&c, 0, sizeof(c));
	found = store_contact_get(st, phone, &c) == 1;
	if (strcmp(h, "opted-out") == 0)
		out = xstrdup("silent");
	else if (res->unserved != NULL) {
		out = xasprintf("unserved %s", res->unserved);
		for (norm = out; *norm != '\0'; norm++)
			if (*norm >= 'A' && *norm <= 'Z')
				*norm = (char)(*norm - 'A' + 'a');
	}
	else if (strcmp(h, "info") == 0) {
		if (found && c.pending_keyword != NULL)
			out = xasprintf("ask_district %s", category_of(
			    ctx->keywords, c.pending_keyword));
		else
			out = xasprintf("info %s %s", category_of(
			    ctx->keywords, res->keyword), res->district ?
			    res->district : "-");
	} else if (strcmp(h, "choose") == 0) {
		u = xmalloc(sizeof(*u));
		norm = text_normalize(text, strlen(text));
		understand_message(ctx->understand, text, norm ? norm : "", u);
		out = xasprintf("choose %s %s", u->kw ? (u->kw->category ?
		    u->kw->category : u->kw->name) : "?", u->kw2 ?
		    (u->kw2->category ? u->kw2->category : u->kw2->name) : "?");
		free(norm);
		free(u);
	} else if (strcmp(h, "rsvp") == 0 && world->bcast.rsvp_rc == 1 &&
	    world->calls.rsvp > 0)
		out = xstrdup(world->calls.yes ? "rsvp yes" : "rsvp no");
	else if (strcmp(h, "lang") == 0)
		out = xasprintf("lang %s", found && c.language ? c.language :
		    "-");
	else if (strcmp(h, "help") == 0 || strcmp(h, "rsvp") == 0) {
		if (!res->matched)
			out = xstrdup("unknown");
		else if (res->keyword != NULL && strcmp(res->keyword,
		    "district") == 0)
			out = xasprintf("district %s", res->district ?
			    res->district : "-");
		else
			out = xstrdup("help");
	} else
		out = xstrdup(h);
	records_contact_clear(&c);
	return out;
}

static int
starts_with_word(const char *s, const char *w)
{
	size_t n = strlen(w);

	return strncmp(s, w, n) == 0 && (s[n] == '\0' || s[n] == ' ');
}

/* Does got satisfy expect?  Also flags the two errors that matter most. */
static void
judge(struct eval_case *k)
{
	const char *e = k->expect, *g = k->got;
	char a[32] = "", b[32] = "", d[32] = "", ga[32] = "", gb[32] = "";

	k->ok = 0;
	if (strncmp(e, "not ", 4) == 0) {
		const char *x = e + 4;

		/* "ask_district" and "choose" send no stakeholders: they
		 * are not "info". */
		k->ok = !starts_with_word(g, x);
	} else if (starts_with_word(e, "choose")) {
		sscanf(e, "choose %31s %31s %31s", a, b, d);
		if (sscanf(g, "choose %31s %31s", ga, gb) == 2)
			k->ok = (strcmp(a, ga) == 0 && strcmp(b, gb) == 0) ||
			    (strcmp(a, gb) == 0 && strcmp(b, ga) == 0);
	} else
		k->ok = strcmp(e, g) == 0;
	k->optout_missed = strcmp(e, "stop") == 0 && strcmp(g, "stop") != 0;
	/* Stakeholders sent that she did not ask for. */
	k->wrong_send = 0;
	if (starts_with_word(g, "info") && !k->ok) {
		sscanf(g, "info %31s", ga);
		if (starts_with_word(e, "info") && strncmp(e, "not ", 4) != 0) {
			sscanf(e, "info %31s", a);
			k->wrong_send = strcmp(a, ga) != 0;
		} else if (starts_with_word(e, "choose"))
			k->wrong_send = 0;
		else if (starts_with_word(e, "ask_district")) {
			sscanf(e, "ask_district %31s", a);
			k->wrong_send = strcmp(a, ga) != 0;
		} else
			k->wrong_send = 1;
	}
}

int
eval_run(struct eval_set *set, const char *config_dir,
    const char *prompts_dir, struct buf *err)
{
	char dir[] = "/tmp/sampark-eval-XXXXXX", *path, *msgs, *text, *next;
	char why[256];
	struct handler_fixture *f;
	struct store *st = NULL;
	struct fake_ops_bcast *script;
	struct directory *dir_words;
	struct handler_env env = { 0 };
	struct router_result res;
	char phone[32], *last;
	size_t i;
	int rc = -1;

	if ((f = handler_fixture_new(config_dir, prompts_dir, err)) == NULL ||
	    mkdtemp(dir) == NULL)
		goto out;
	path = xasprintf("%s/eval.db", dir);
	st = store_open(path, NULL, NULL, 0);
	free(path);
	if (st == NULL)
		goto out;
	path = xasprintf("%s/stakeholders.csv", config_dir);
	if ((rc = directory_import_csv(st, path, why, sizeof(why))) == -1)
		buf_printf(err, "%s: %s\n", path, why);
	free(path);
	if (rc == -1)
		goto out;
	/* Its names' words count, as in the daemon. */
	if ((dir_words = directory_load(st)) == NULL) {
		rc = -1;
		goto out;
	}
	directory_teach(dir_words, f->und);
	directory_free(dir_words);

	env.store = st;
	f->ctx.ops = &handler_env_ops;
	f->ctx.ops_arg = &env;
	fake_ops_attach_bcast(f->world, &f->ctx);
	/* The meeting is tomorrow; a NOTICE cannot be prepared and no YES
	 * code is pending. */
	script = &f->world->bcast;
	script->rsvp_title = "SHG meeting";
	script->rsvp_meeting_ms = EVAL_NOW_MS + 86400000LL;
	script->prepare_rc = -1;
	script->confirm_rc = 0;
	for (i = 0; i < set->n; i++) {
		struct eval_case *k = &set->c[i];

		snprintf(phone, sizeof(phone), "+9190000%05zu", i);
		if (set_context(st, phone, k->context, f->world) == -1)
			goto out;
		f->ctx.now_ms = EVAL_NOW_MS;
		msgs = xstrdup(k->messages);
		last = msgs;
		for (text = msgs; text != NULL; text = next) {
			if ((next = strstr(text, " || ")) != NULL) {
				*next = '\0';
				next += 4;
			}
			last = text;
			memset(&res, 0, sizeof(res));
			if (router_route(&f->ctx, phone, text, &res) == -1) {
				free(msgs);
				goto out;
			}
			if (next != NULL)
				router_result_clear(&res);
			f->ctx.now_ms += 60000;
		}
		free(k->got);
		k->got = outcome(&f->ctx, st, phone, last, &res, f->world);
		router_result_clear(&res);
		free(msgs);
		judge(k);
	}
	rc = 0;
out:
	if (st != NULL) {
		store_close(st);
		path = xasprintf("rm -rf '%s'", dir);
		if (system(path) != 0)
			buf_printf(err, "could not remove %s\n", dir);
		free(path);
	}
	handler_fixture_free(f);
	return rc;
}

void
eval_report(const struct eval_set *set, struct buf *out)
{
	const char *groups[64];
	size_t ng = 0, i, j, n, ok, all_ok = 0, missed = 0, wrong = 0;

	for (i = 0; i < set->n; i++) {
		for (j = 0; j < ng; j++)
			if (strcmp(groups[j], set->c[i].group) == 0)
				break;
		if (j == ng && ng < SP_ARRAY_LEN(groups))
			groups[ng++] = set->c[i].group;
	}
	buf_printf(out, "%-14s %6s %6s %8s\n", "group", "cases", "right",
	    "accuracy");
	for (j = 0; j < ng; j++) {
		for (i = n = ok = 0; i < set->n; i++)
			if (strcmp(set->c[i].group, groups[j]) == 0) {
				n++;
				ok += set->c[i].ok;
			}
		buf_printf(out, "%-14s %6zu %6zu %7.1f%%\n", groups[j], n, ok,
		    100.0 * (double)ok / (double)n);
	}
	for (i = 0; i < set->n; i++) {
		all_ok += set->c[i].ok;
		missed += set->c[i].optout_missed;
		wrong += set->c[i].wrong_send;
	}
	buf_printf(out, "%-14s %6zu %6zu %7.1f%%\n", "overall", set->n, all_ok,
	    set->n ? 100.0 * (double)all_ok / (double)set->n : 0.0);
	buf_printf(out, "opt-outs missed: %zu\nwrong-category sends: %zu\n",
	    missed, wrong);
	if (all_ok < set->n)
		buf_printf(out, "\nconfusions (line, group, text, expected, "
		    "got):\n");
	for (i = 0; i < set->n; i++) {
		const struct eval_case *k = &set->c[i];

		if (!k->ok)
			buf_printf(out, "%zu\t%s\t%s\t%s\t%s%s%s\n", k->line,
			    k->group, k->messages, k->expect, k->got ?
			    k->got : "-", k->optout_missed ?
			    "\tOPT-OUT MISSED" : "", k->wrong_send ?
			    "\tWRONG SEND" : "");
	}
}
