/*
 * cmd_broadcast: `sampark broadcast create|list|show|cancel|templates`.
 * `create` always shows the preview first (texts per language, segments,
 * recipients after opt-outs, the cost) and queues only with --yes; a
 * running daemon sends what it queued.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audience.h"
#include "broadcast.h"
#include "cmd.h"
#include "config.h"
#include "district.h"
#include "runtime.h"
#include "phone.h"
#include "schedule.h"
#include "store.h"
#include "templates.h"
#include "util.h"
#include "when.h"

static const char usage[] =
    "usage: sampark broadcast create --to EXPR --template KEY [--var NAME=VALUE]...\n"
    "           [--at TIME] [--meeting \"TITLE|PLACE|TIME\"] [--no-reminder]\n"
    "           [--provider NAME] [--dry-run] [--yes] [-c CONFIG] [--db PATH]\n"
    "       sampark broadcast list [--limit N]\n"
    "       sampark broadcast show ID\n"
    "       sampark broadcast cancel ID [--notify TEMPLATE [--var NAME=VALUE]...]\n"
    "       sampark broadcast rsvp ID [--answer yes|no|none] [--reveal-phones]\n"
    "       sampark broadcast templates\n"
    "\n"
    "create checks the template (DLT: fixed text as registered, variables of\n"
    "at most 30 characters) and prints a preview: the text per language, its\n"
    "SMS segments, the recipients after opt-outs and the total segments (the\n"
    "cost).  Nothing is queued without --yes.  EXPR is an audience, e.g.\n"
    "district:bhadohi+interest:loan or group:weavers-shg; a group or district\n"
    "that does not exist, or an audience that reaches nobody, is refused\n"
    "with the closest names.  TIME is IST: 12 Dec 11am, 12/12 11:00,\n"
    "12-12-2026 11:00, 2026-12-12 11:00 or ISO 8601 (with Z or an offset,\n"
    "that zone); how it was read is printed.  --meeting adds a\n"
    "meeting: replies YES / NO are counted, and those who say YES are reminded\n"
    "before it (reminder_minutes) unless --no-reminder.  Messages respect\n"
    "quiet_hours, daily_cap and, for promotional templates, 10:00-21:00 IST;\n"
    "the first send shown is when the first of them really goes.  A meeting\n"
    "notice that nobody would get before the meeting is refused; those whose\n"
    "daily_cap holds theirs until after it are left out (\"too late\").\n"
    "--provider defaults to broadcast_provider, else the first enabled\n"
    "provider that can send with its settings and secrets (the console,\n"
    "into the log, only when no other can).\n"
    "list shows every broadcast, reminders too (\"reminder of ID\"), newest\n"
    "first, with its state: queued while messages are left to send, sent\n"
    "when none is but some wait for a delivery report, done when all have\n"
    "their last state, or cancelled.\n"
    "show prints the counts (queued, sent, delivered, failed, opted out,\n"
    "RSVP); cancel stops every message not yet sent; with --notify, for a\n"
    "meeting, it also tells those who said YES with TEMPLATE (e.g.\n"
    "meeting_cancelled; the meeting's title, place, date and time fill its\n"
    "variables), all or nothing.  rsvp lists the people of a meeting by\n"
    "their answer (none: sent to, no answer yet); the audience\n"
    "rsvp:ID:yes reaches them.  templates prints each text as it must be\n"
    "registered on DLT.\n";

static void
print_time(const char *label, int64_t ms)
{
	char iso[32], d[32], t[16];

	util_iso8601(ms, iso);
	schedule_ist_date(ms, d, sizeof(d));
	schedule_ist_time(ms, t, sizeof(t));
	printf("%-12s %s %s IST (%s)\n", label, d, t, iso);
}

static void
print_preview(const struct broadcast_preview *pv)
{
	char *text;
	size_t i;

	printf("%-12s %s (%s, header %s)\n", "template", pv->tpl->key,
	    templates_category_name(pv->tpl->category), pv->tpl->header);
	printf("%-12s %s\n", "audience", pv->audience);
	printf("%-12s %s\n", "provider", pv->provider);
	printf("%-12s %lld (%lld opted out, left out)\n", "recipients",
	    (long long)pv->recipients, (long long)pv->opted_out);
	print_time("first send", pv->first_ms);
	if (pv->late > 0)
		printf("%-12s %lld left out: their daily_cap is used up until "
		    "after the meeting\n", "too late", (long long)pv->late);
	/* The texts carry variables (a title, a place) from outside. */
	for (i = 0; i < pv->nlangs; i++) {
		text = buf_term_dup(pv->langs[i].text);
		printf("\n[%s] DLT template %s, %s, %u SMS per message, %lld "
		    "recipients\n  %s\n", pv->langs[i].lang, pv->langs[i].dlt_id,
		    pv->langs[i].encoding, pv->langs[i].segments,
		    (long long)pv->langs[i].recipients, text);
		free(text);
	}
	if (pv->reminder_ms != 0) {
		printf("\n");
		print_time("reminders", pv->reminder_ms);
		printf("  to those who answer YES:\n");
		for (i = 0; i < pv->nreminders; i++) {
			text = buf_term_dup(pv->reminders[i].text);
			printf("  [%s] %s\n", pv->reminders[i].lang, text);
			free(text);
		}
	}
	printf("\n%-12s %lld SMS segments\n", "total", (long long)pv->segments);
}

/*
 * Ctrl-C, a dropped SSH session or a kill during `create`: the creation
 * stops at its next message and cancels what it wrote (broadcast.h).  A
 * signal handler can only set a flag, hence this one static.
 */
static volatile sig_atomic_t create_interrupted;

static void
on_interrupt(int sig)
{
	(void)sig;
	create_interrupted = 1;
}

static void
catch_interrupts(void)
{
	static const int sigs[] = { SIGINT, SIGHUP, SIGTERM };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_interrupt;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < SP_ARRAY_LEN(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

static int
do_create(int argc, char **argv, const char **config_path, const char **db)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "to", required_argument, NULL, 't' },
		{ "template", required_argument, NULL, 'T' },
		{ "var", required_argument, NULL, 'v' },
		{ "at", required_argument, NULL, 'a' },
		{ "meeting", required_argument, NULL, 'm' },
		{ "no-reminder", no_argument, NULL, 'R' },
		{ "provider", required_argument, NULL, 'p' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "yes", no_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct templates_var vars[TEMPLATES_MAX_VARS];
	struct broadcast_request req;
	struct broadcast_preview pv;
	struct broadcast_env env;
	struct config *cfg = NULL;
	struct store *st = NULL;
	struct templates_table *tpl = NULL;
	struct district_table *dt = NULL;
	struct buf errors;
	const char *at_text = NULL, *bar;
	char err[512], meeting_text[128] = "", read_as[WHEN_DESCRIBE_MAX];
	int ch, yes = 0, dry = 0, rc = 1;
	int64_t id;

	memset(&req, 0, sizeof(req));
	memset(&pv, 0, sizeof(pv));
	req.created_by = "cli";
	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': *config_path = optarg; break;
		case 'd': *db = optarg; break;
		case 't': req.to = optarg; break;
		case 'T': req.template_key = optarg; break;
		case 'p': req.provider = optarg; break;
		case 'R': req.no_reminder = 1; break;
		case 'n': dry = 1; break;
		case 'y': yes = 1; break;
		case 'v':
			if (req.nvars == TEMPLATES_MAX_VARS ||
			    broadcast_var_parse(optarg, &vars[req.nvars]) == -1) {
				fprintf(stderr, "sampark: --var NAME=VALUE "
				    "(at most %d)\n", TEMPLATES_MAX_VARS);
				return 2;
			}
			req.nvars++;
			break;
		case 'a':
			if (when_parse(optarg, util_wall_ms(), &req.at_ms, err,
			    sizeof(err)) == -1) {
				fprintf(stderr, "sampark: --at: %s\n", err);
				return 2;
			}
			at_text = optarg;
			break;
		case 'm':
			if ((bar = strrchr(optarg, '|')) != NULL)
				util_strlcpy(meeting_text, bar + 1,
				    sizeof(meeting_text));
			if (broadcast_parse_meeting(optarg, &req, err,
			    sizeof(err)) == -1) {
				fprintf(stderr, "sampark: --meeting: %s\n", err);
				return 2;
			}
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind != argc || req.to == NULL || req.template_key == NULL) {
		fputs(usage, stderr);
		return 2;
	}
	req.vars = vars;
	if ((cfg = cmd_config_for(*config_path, *db)) == NULL)
		return 1;
	buf_init(&errors, 0);
	if ((tpl = templates_load(config_str(cfg, "templates"), &errors)) == NULL) {
		fprintf(stderr, "%s", buf_cstr(&errors));
		goto out;
	}
	if ((dt = district_load(config_str(cfg, "districts"),
	    &errors)) == NULL) {
		fprintf(stderr, "%s", buf_cstr(&errors));
		goto out;
	}
	if ((st = cmd_open_store(cfg, *db)) == NULL)
		goto out;
	memset(&env, 0, sizeof(env));
	env.store = st;
	env.templates = tpl;
	env.cfg = cfg;
	env.default_provider = runtime_broadcast_provider;
	env.districts = dt;
	env.now_ms = util_wall_ms();
	/* What she typed, said back, so a misread date shows now. */
	if (req.meeting_title != NULL) {
		when_describe(req.meeting_ms, read_as);
		printf("%-12s \"%s\" read as %s\n", "meeting at", meeting_text,
		    read_as);
	}
	if (at_text != NULL) {
		when_describe(req.at_ms, read_as);
		printf("%-12s \"%s\" read as %s\n", "send at", at_text,
		    read_as);
	}
	if (!yes || dry) {
		if (broadcast_preview(&env, &req, &pv, err, sizeof(err)) == -1) {
			fprintf(stderr, "sampark: broadcast refused: %s\n", err);
			goto out;
		}
		print_preview(&pv);
		printf("\nNothing was queued.%s\n", dry ? "" : " To send it, "
		    "run the same command with --yes.");
		rc = 0;
		goto out;
	}
	catch_interrupts();
	req.interrupted = &create_interrupted;
	if (broadcast_create(&env, &req, &pv, &id, err, sizeof(err)) == -1) {
		fprintf(stderr, "sampark: broadcast refused: %s\n", err);
		goto out;
	}
	print_preview(&pv);
	printf("\nbroadcast %lld queued: %lld messages, %lld SMS segments\n",
	    (long long)id, (long long)pv.recipients, (long long)pv.segments);
	rc = 0;
out:
	broadcast_preview_clear(&pv);
	buf_free(&errors);
	store_close(st);
	district_free(dt);
	templates_free(tpl);
	config_free(cfg);
	return rc;
}

static int
list_cb(void *arg, const struct store_broadcast *b)
{
	struct store_broadcast_counts c;
	char iso[32], of[32] = "";

	if (store_broadcast_counts(arg, b->id, &c) == -1) {
		fprintf(stderr, "sampark: %s\n", store_errmsg(arg));
		return -1;
	}
	util_iso8601(b->created_ms, iso);
	/* A reminder goes to those of its broadcast who said YES. */
	if (strcmp(b->kind, "reminder") == 0)
		snprintf(of, sizeof(of), "reminder of %lld: ",
		    (long long)b->parent_id);
	printf("%-6lld %-24s %-9s %-9s %8lld %-18s %s%s\n", (long long)b->id,
	    iso, b->kind, broadcast_state(b, &c), (long long)b->recipients,
	    b->template_key, of, b->audience);
	return 0;
}

static void
print_counts(const char *label, const struct store_broadcast_counts *c)
{
	printf("%-12s queued %lld  sent %lld  delivered %lld  failed %lld  "
	    "opted-out %lld  cancelled %lld\n", label, (long long)c->queued,
	    (long long)c->sent, (long long)c->delivered, (long long)c->failed,
	    (long long)c->opted_out, (long long)c->cancelled);
}

static int
do_show(struct store *st, int64_t id)
{
	struct store_broadcast b;
	struct store_broadcast_counts c, rc_;
	struct store_meeting m;
	int64_t rid;
	int rc;

	if ((rc = store_broadcast_get(st, id, &b)) != 1) {
		fprintf(stderr, "sampark: %s\n", rc == 0 ? "no such broadcast" :
		    store_errmsg(st));
		return 1;
	}
	if (store_broadcast_counts(st, id, &c) == -1) {
		store_broadcast_clear(&b);
		return 1;
	}
	printf("%-12s %lld (%s), %s\n", "broadcast", (long long)b.id, b.kind,
	    broadcast_state(&b, &c));
	printf("%-12s %s (%s)\n", "template", b.template_key, b.category);
	printf("%-12s %s\n", "audience", b.audience);
	printf("%-12s %s, by %s\n", "provider", b.provider,
	    b.created_by ? b.created_by : "-");
	print_time("created", b.created_ms);
	print_time("first send", b.send_at_ms);
	printf("%-12s %lld messages, %lld SMS segments, %lld opted out "
	    "before\n", "recipients", (long long)b.recipients,
	    (long long)b.segments, (long long)b.skipped_opted_out);
	print_counts("messages", &c);
	if (b.meeting_id != 0 && store_meeting_get(st, b.meeting_id, &m) == 1) {
		char d[32], t[16], *title, *place;

		schedule_ist_date(m.time_ms, d, sizeof(d));
		schedule_ist_time(m.time_ms, t, sizeof(t));
		/* Title and place may come from a coordinator's SMS. */
		title = buf_term_dup(m.title);
		place = buf_term_dup(m.place);
		/* A NOTICE's "meeting" is only the time its answers close
		 * (broadcast.h). */
		if (strcmp(b.kind, "notice") == 0)
			printf("%-12s open until %s %s IST\n", "answers", d, t);
		else
			printf("%-12s %s, %s, %s %s IST\n", "meeting", title,
			    place, d, t);
		free(title);
		free(place);
		printf("%-12s yes %lld  no %lld  no answer %lld\n", "RSVP",
		    (long long)c.rsvp_yes, (long long)c.rsvp_no,
		    (long long)(b.recipients - c.rsvp_yes - c.rsvp_no));
		store_meeting_clear(&m);
	}
	if (store_broadcast_reminder_of(st, id, &rid) == 1 &&
	    store_broadcast_counts(st, rid, &rc_) == 0) {
		printf("%-12s broadcast %lld\n", "reminders", (long long)rid);
		print_counts("", &rc_);
	}
	store_broadcast_clear(&b);
	return 0;
}

struct rsvp_list {
	int		 reveal;
	const char	*answer;
	int64_t		 n;
};

static int
print_rsvp(void *arg, const struct contact *c)
{
	struct rsvp_list *rl = arg;
	char phone[64], *name;

	if (rl->reveal)
		util_strlcpy(phone, c->phone, sizeof(phone));
	else
		phone_mask(c->phone, phone, sizeof(phone));
	name = buf_term_dup(c->name ? c->name : "-");
	printf("%-5s %-16s %-24s %s\n", rl->answer, phone, name,
	    c->district ? c->district : "-");
	free(name);
	rl->n++;
	return 0;
}

/* The people of broadcast id's meeting by answer (every answer when
 * answer is NULL). */
static int
do_rsvp(struct store *st, int64_t id, const char *answer, int reveal)
{
	static const char *const answers[] = { "yes", "no", "none" };
	struct rsvp_list rl = { reveal, NULL, 0 };
	struct store_broadcast b;
	struct audience *a;
	char expr[64], err[256];
	size_t i;
	int rc;

	memset(&b, 0, sizeof(b));
	if ((rc = store_broadcast_get(st, id, &b)) != 1 || b.meeting_id == 0) {
		fprintf(stderr, "sampark: %s\n", rc == -1 ? store_errmsg(st) :
		    rc == 0 ? "no such broadcast" : "that broadcast announced "
		    "no meeting");
		store_broadcast_clear(&b);
		return 1;
	}
	store_broadcast_clear(&b);
	for (i = 0; i < SP_ARRAY_LEN(answers); i++) {
		if (answer != NULL && strcmp(answer, answers[i]) != 0)
			continue;
		snprintf(expr, sizeof(expr), "rsvp:%lld:%s", (long long)id,
		    answers[i]);
		if ((a = audience_parse(expr, err, sizeof(err))) == NULL) {
			fprintf(stderr, "sampark: %s\n", err);
			return 1;
		}
		rl.answer = answers[i];
		rc = store_audience_each(st, a, 1, print_rsvp, &rl);
		audience_free(a);
		if (rc == -1)
			return 1;
	}
	printf("%lld %s\n", (long long)rl.n, rl.n == 1 ? "person" : "people");
	return 0;
}

/* cancel ID --notify TEMPLATE: the meeting is off, YES people told. */
static int
do_cancel_notify(struct config *cfg, struct store *st, int64_t id,
    const char *template_key, const struct templates_var *vars, size_t nvars)
{
	struct templates_table *tpl;
	struct broadcast_preview pv;
	struct broadcast_env env;
	struct buf errors;
	int64_t nid, stopped;
	char err[512];
	int rc = 1;

	buf_init(&errors, 0);
	if ((tpl = templates_load(config_str(cfg, "templates"), &errors)) == NULL) {
		fprintf(stderr, "%s", buf_cstr(&errors));
		buf_free(&errors);
		return 1;
	}
	memset(&env, 0, sizeof(env));
	env.store = st;
	env.templates = tpl;
	env.cfg = cfg;
	env.default_provider = runtime_broadcast_provider;
	env.now_ms = util_wall_ms();
	if (broadcast_cancel_notify(&env, id, template_key, vars, nvars, "cli",
	    &pv, &nid, &stopped, err, sizeof(err)) == -1) {
		fprintf(stderr, "sampark: not cancelled: %s\n", err);
	} else {
		printf("broadcast %lld cancelled: %lld messages not sent\n",
		    (long long)id, (long long)stopped);
		if (nid != 0)
			printf("broadcast %lld queued: %lld messages to those "
			    "who said YES\n", (long long)nid,
			    (long long)pv.recipients);
		else
			printf("nobody had said YES: no one to tell\n");
		broadcast_preview_clear(&pv);
		rc = 0;
	}
	templates_free(tpl);
	buf_free(&errors);
	return rc;
}

static int
do_templates(const struct config *cfg)
{
	struct templates_table *tab;
	struct buf errors;
	size_t i, j;

	buf_init(&errors, 0);
	if ((tab = templates_load(config_str(cfg, "templates"), &errors)) == NULL) {
		fprintf(stderr, "%s", buf_cstr(&errors));
		buf_free(&errors);
		return 1;
	}
	for (i = 0; i < templates_count(tab); i++) {
		const struct template *t = templates_at(tab, i);

		printf("[%s] %s, header %s\n", t->key,
		    templates_category_name(t->category), t->header);
		for (j = 0; j < t->ntexts; j++)
			printf("  %s  DLT %s\n    %s\n", t->texts[j].lang,
			    t->texts[j].dlt_id, t->texts[j].registered);
	}
	templates_free(tab);
	buf_free(&errors);
	return 0;
}

static int
run_broadcast(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "limit", required_argument, NULL, 'l' },
		{ "notify", required_argument, NULL, 'N' },
		{ "var", required_argument, NULL, 'v' },
		{ "answer", required_argument, NULL, 'A' },
		{ "reveal-phones", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config_path = NULL, *db = NULL, *sub, *notify = NULL;
	const char *answer = NULL;
	struct templates_var vars[TEMPLATES_MAX_VARS];
	size_t nvars = 0;
	int reveal = 0;
	struct config *cfg = NULL;
	struct store *st = NULL;
	int64_t id = 0, stopped;
	long limit = 20;
	int ch, rc = 1;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	sub = argv[1];
	if (strcmp(sub, "create") == 0)
		return do_create(argc - 1, argv + 1, &config_path, &db);
	argc--;
	argv++;
	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': config_path = optarg; break;
		case 'd': db = optarg; break;
		case 'l': limit = strtol(optarg, NULL, 10); break;
		case 'N': notify = optarg; break;
		case 'A': answer = optarg; break;
		case 'r': reveal = 1; break;
		case 'v':
			if (nvars == TEMPLATES_MAX_VARS ||
			    broadcast_var_parse(optarg, &vars[nvars]) == -1) {
				fprintf(stderr, "sampark: --var NAME=VALUE "
				    "(at most %d)\n", TEMPLATES_MAX_VARS);
				return 2;
			}
			nvars++;
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if ((strcmp(sub, "show") == 0 || strcmp(sub, "cancel") == 0 ||
	    strcmp(sub, "rsvp") == 0) &&
	    (optind + 1 != argc || cmd_parse_id(argv[optind], &id) == -1)) {
		fputs(usage, stderr);
		return 2;
	}
	if ((answer != NULL && (strcmp(answer, "yes") != 0 &&
	    strcmp(answer, "no") != 0 && strcmp(answer, "none") != 0)) ||
	    (nvars > 0 && notify == NULL)) {
		fputs(usage, stderr);
		return 2;
	}
	if ((cfg = cmd_config_for(config_path, db)) == NULL)
		return 1;
	if (strcmp(sub, "templates") == 0) {
		rc = do_templates(cfg);
		goto out;
	}
	if (strcmp(sub, "list") != 0 && strcmp(sub, "show") != 0 &&
	    strcmp(sub, "cancel") != 0 && strcmp(sub, "rsvp") != 0) {
		fprintf(stderr, "sampark: no broadcast command \"%s\"\n", sub);
		rc = 2;
		goto out;
	}
	/* Each of these works on broadcasts already made: a database that
	 * is not there is the wrong one, not an empty one. */
	if ((st = cmd_open_store_existing(cfg, db)) == NULL)
		goto out;
	if (strcmp(sub, "list") == 0) {
		printf("%-6s %-24s %-9s %-9s %8s %-18s %s\n", "id", "created",
		    "kind", "state", "messages", "template", "audience");
		rc = store_broadcasts_list(st, limit > 0 ? (size_t)limit : 0,
		    list_cb, st) == 0 ? 0 : 1;
	} else if (strcmp(sub, "show") == 0) {
		rc = do_show(st, id);
	} else if (strcmp(sub, "rsvp") == 0) {
		rc = do_rsvp(st, id, answer, reveal);
	} else if (notify != NULL) {
		rc = do_cancel_notify(cfg, st, id, notify, vars, nvars);
	} else {
		switch (store_broadcast_cancel(st, id, util_wall_ms(), &stopped)) {
		case 1:
			printf("broadcast %lld cancelled: %lld messages not "
			    "sent\n", (long long)id, (long long)stopped);
			rc = 0;
			break;
		case 0:
			fprintf(stderr, "sampark: no such broadcast\n");
			break;
		default:
			fprintf(stderr, "sampark: %s\n", store_errmsg(st));
		}
	}
out:
	store_close(st);
	config_free(cfg);
	return rc;
}

const struct cmd_desc cmd_broadcast = {
	.name = "broadcast",
	.summary = "preview, queue, list, show and cancel broadcasts",
	.usage = usage,
	.run = run_broadcast,
};
