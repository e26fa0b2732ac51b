/*
 * broadcast: check, preview and queue a broadcast; decide at send time
 * whether a broadcast message may go.  See broadcast.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audience.h"
#include "broadcast.h"
#include "config.h"
#include "log.h"
#include "provider.h"
#include "resolve.h"
#include "schedule.h"
#include "segment.h"
#include "store.h"
#include "util.h"
#include "when.h"

/* State of one pass over the audience. */
struct pass {
	const struct broadcast_env	*env;
	const struct broadcast_request *req;
	struct broadcast_preview	*pv;
	struct schedule_rules	 rules;
	int			 promotional;
	int64_t			 base_ms;	/* now, or the --at time */
	int64_t			 window_ms;	/* first time the windows allow */
	int64_t			 late_ms;	/* earliest send after the meeting */
	int64_t			 id;		/* 0 while previewing */
	int64_t			 reminder_id;
	int			 own_txn;
	size_t			 in_batch;
	int64_t			 queued;
	int64_t			 late;		/* left out: after the meeting */
	int64_t			 segments;
	char			 err[256];
};

void
broadcast_preview_clear(struct broadcast_preview *pv)
{
	size_t i;

	if (pv == NULL)
		return;
	for (i = 0; i < pv->nlangs; i++)
		free(pv->langs[i].text);
	for (i = 0; i < pv->nreminders; i++)
		free(pv->reminders[i].text);
	free(pv->audience);
	memset(pv, 0, sizeof(*pv));
}

int
broadcast_var_parse(char *s, struct templates_var *v)
{
	char *eq = strchr(s, '=');

	if (eq == NULL || eq == s)
		return -1;
	*eq = '\0';
	v->name = s;
	v->value = eq + 1;
	return 0;
}

int
broadcast_parse_time(const char *s, int64_t *ms)
{
	return when_parse(s, util_wall_ms(), ms, NULL, 0);
}

int
broadcast_parse_meeting(char *spec, struct broadcast_request *req, char *err,
    size_t errlen)
{
	char *place, *when;

	if ((place = strchr(spec, '|')) == NULL ||
	    (when = strchr(place + 1, '|')) == NULL) {
		util_err(err, errlen, "a meeting is \"title|place|time\"");
		return -1;
	}
	*place++ = '\0';
	*when++ = '\0';
	if (when_parse(when, util_wall_ms(), &req->meeting_ms, err,
	    errlen) == -1)
		return -1;
	req->meeting_title = spec;
	req->meeting_place = place;
	return 0;
}

static int
rules_of(const struct config *cfg, struct schedule_rules *r, char *err,
    size_t errlen)
{
	return schedule_rules_init(r, config_str(cfg, "quiet_hours"),
	    config_int(cfg, "daily_cap"), err, errlen);
}

/* Render every text of t into out[] (seg counted).  0 or -1 with err. */
static int
render_all(const struct template *t, const struct templates_var *vars,
    size_t nvars, struct broadcast_lang *out, size_t *nout, char *err,
    size_t errlen)
{
	struct segment_info si;
	size_t i;

	*nout = 0;
	for (i = 0; i < t->ntexts && i < BROADCAST_MAX_LANGS; i++) {
		struct broadcast_lang *l = &out[(*nout)++];

		memset(l, 0, sizeof(*l));
		util_strlcpy(l->lang, t->texts[i].lang, sizeof(l->lang));
		l->dlt_id = t->texts[i].dlt_id;
		if ((l->text = templates_render(t, &t->texts[i], vars, nvars, err,
		    errlen)) == NULL)
			return -1;
		segment_count(l->text, strlen(l->text), &si);
		l->encoding = segment_encoding_name(si.encoding);
		l->segments = si.segments;
	}
	return 0;
}

/* The meeting's values for variables the template uses and req lacks. */
static size_t
meeting_vars(const struct template *t, const struct broadcast_request *req,
    struct templates_var *vars, size_t n, char date[32], char tm[16])
{
	const struct { const char *name; const char *value; } mv[] = {
		{ "title", req->meeting_title }, { "place", req->meeting_place },
		{ "date", date }, { "time", tm },
	};
	size_t i, j;

	schedule_ist_date(req->meeting_ms, date, 32);
	schedule_ist_time(req->meeting_ms, tm, 16);
	for (i = 0; i < SP_ARRAY_LEN(mv); i++) {
		for (j = 0; j < n; j++)
			if (strcmp(vars[j].name, mv[i].name) == 0)
				break;
		if (j == n && templates_has_var(t, mv[i].name)) {
			vars[n].name = mv[i].name;
			vars[n++].value = mv[i].value;
		}
	}
	return n;
}

/* The text for a contact: hers, else the default language's, else the
 * template's first. */
static size_t
lang_of(const struct pass *p, const struct template *t,
    const struct contact *c)
{
	const char *lang = c->language != NULL ? c->language :
	    config_str(p->env->cfg, "default_language");

	return (size_t)(templates_text_for(t, lang) - t->texts);
}

/* When a message to phone may go: the windows, then her daily cap. */
static int64_t
plan_time(struct pass *p, const char *phone)
{
	int64_t t = p->window_ms;
	int64_t end, n;
	int i;

	for (i = 0; p->rules.daily_cap > 0 && i < 31; i++) {
		end = schedule_next_day(t);
		if (store_broadcast_planned(p->env->store, phone,
		    end - SCHEDULE_DAY_MS, end, &n) == -1)
			return -1;
		if (n < p->rules.daily_cap)
			break;
		t = schedule_next_allowed(&p->rules, p->promotional, end);
	}
	return t;
}

/* A meeting's notice that could only reach her after the meeting is not
 * sent at all: it would invite her to something already over. */
static int
too_late(const struct pass *p, int64_t at)
{
	return p->req->meeting_title != NULL && at >= p->req->meeting_ms;
}

/*
 * Why a meeting's notice is refused: it could reach nobody in time.  A
 * coordinator's NOTICE has no meeting; its "meeting" time is when its
 * answers close (BROADCAST_NOTICE_ANSWER_DAYS), and is named so.
 */
static void
too_late_err(const struct pass *p, int64_t first, char *err, size_t errlen)
{
	char d[32], t[16], md[32], mt[16];
	const char *after = p->req->kind != NULL &&
	    strcmp(p->req->kind, "notice") == 0 ?
	    "after its answers close" : "after the meeting";

	schedule_ist_date(first, d, sizeof(d));
	schedule_ist_time(first, t, sizeof(t));
	schedule_ist_date(p->req->meeting_ms, md, sizeof(md));
	schedule_ist_time(p->req->meeting_ms, mt, sizeof(mt));
	if (p->base_ms >= p->req->meeting_ms) {
		util_err(err, errlen, "the broadcast is to start on %s at %s "
		    "IST, %s on %s at %s IST", d, t, after, md, mt);
		return;
	}
	util_err(err, errlen, "the first message could go only on %s at %s "
	    "IST (quiet_hours%s%s), %s on %s at %s IST; "
	    "nobody would hear of it in time", d, t, p->promotional ?
	    ", promotional only 10:00-21:00" : "", first > p->window_ms ?
	    ", each recipient's daily_cap" : "",
	    after, md, mt);
}

static int
count_cb(void *arg, const struct contact *c)
{
	struct pass *p = arg;
	struct broadcast_lang *l;
	int64_t at = p->window_ms;

	if (c->opted_out_ms != 0) {
		p->pv->opted_out++;
		return 0;
	}
	/*
	 * The first send is the earliest of the recipients' planned times,
	 * as queue_cb will plan them.  Once someone can have it as soon as
	 * the windows open, nobody can be earlier; only a meeting needs
	 * every time, to know who would get it too late.
	 */
	if (p->rules.daily_cap > 0 && (p->req->meeting_title != NULL ||
	    p->pv->first_ms != p->window_ms)) {
		if ((at = plan_time(p, c->phone)) == -1) {
			util_err(p->err, sizeof(p->err), "store: %s",
			    store_errmsg(p->env->store));
			return -1;
		}
	}
	if (too_late(p, at)) {
		p->pv->late++;
		if (p->late_ms == 0 || at < p->late_ms)
			p->late_ms = at;
		return 0;
	}
	if (p->pv->first_ms == 0 || at < p->pv->first_ms)
		p->pv->first_ms = at;
	l = &p->pv->langs[lang_of(p, p->pv->tpl, c)];
	l->recipients++;
	p->pv->recipients++;
	p->pv->segments += l->segments;
	return 0;
}

static int
check_meeting(const struct broadcast_env *env, const struct broadcast_request *req,
    char *err, size_t errlen)
{
	if (req->meeting_title == NULL)
		return 0;
	if (*req->meeting_title == '\0' || req->meeting_place == NULL ||
	    *req->meeting_place == '\0') {
		util_err(err, errlen, "a meeting needs a title, a place and a "
		    "time");
		return -1;
	}
	if (req->meeting_ms <= env->now_ms) {
		util_err(err, errlen, "the meeting time is in the past");
		return -1;
	}
	return 0;
}

/* The reminders: template, texts and when they are due (0: none). */
static int
plan_reminders(const struct broadcast_env *env, const struct broadcast_request *req,
    struct broadcast_preview *pv, const struct schedule_rules *rules, char *err,
    size_t errlen)
{
	const char *key = config_str(env->cfg, "reminder_template");
	long minutes = config_int(env->cfg, "reminder_minutes");
	const struct template *rt;
	struct templates_var vars[4];
	char date[32], tm[16];
	size_t n;
	int64_t at;

	if (req->meeting_title == NULL || req->no_reminder || minutes <= 0)
		return 0;
	at = req->meeting_ms - (int64_t)minutes * 60000;
	if (at <= env->now_ms)
		return 0;	/* too close to remind: the notice is enough */
	at = schedule_next_allowed(rules, 0, at);
	if (at >= req->meeting_ms)
		return 0;
	if ((rt = templates_find(env->templates, key)) == NULL) {
		util_err(err, errlen, "no reminder template \"%s\" in the "
		    "templates file (or send with no reminder)", key);
		return -1;
	}
	n = meeting_vars(rt, req, vars, 0, date, tm);
	if (render_all(rt, vars, n, pv->reminders, &pv->nreminders, err,
	    errlen) == -1)
		return -1;
	pv->reminder_ms = at;
	return 0;
}

/* Every rsvp: term names a broadcast that announced a meeting. */
static int
check_rsvp_terms(const struct broadcast_env *env, const struct audience *a,
    char *err, size_t errlen)
{
	struct store_broadcast b;
	const char *answer;
	long long id;
	size_t i, j;
	int rc, meeting;

	for (i = 0; a->needs_rsvps && i < a->nconjs; i++)
		for (j = 0; j < a->conjs[i].nterms; j++) {
			if (a->conjs[i].terms[j].kind != AUD_RSVP ||
			    audience_rsvp_split(a->conjs[i].terms[j].name, &id,
			    &answer) == -1)
				continue;
			memset(&b, 0, sizeof(b));
			if ((rc = store_broadcast_get(env->store, id,
			    &b)) == -1) {
				util_err(err, errlen, "store: %s",
				    store_errmsg(env->store));
				return -1;
			}
			meeting = rc == 1 && b.meeting_id != 0;
			store_broadcast_clear(&b);
			if (!meeting) {
				util_err(err, errlen, "rsvp:%lld: %s", id, rc == 0 ?
				    "no such broadcast" : "that broadcast "
				    "announced no meeting");
				return -1;
			}
		}
	return 0;
}

int
broadcast_preview(const struct broadcast_env *env, const struct broadcast_request *req,
    struct broadcast_preview *pv, char *err, size_t errlen)
{
	struct templates_var vars[TEMPLATES_MAX_VARS + 8];
	struct audience *aud = NULL;
	char date[32], tm[16];
	struct pass p;
	size_t nvars;
	int rc = -1;

	memset(pv, 0, sizeof(*pv));
	memset(&p, 0, sizeof(p));
	if (req->nvars > TEMPLATES_MAX_VARS) {
		util_err(err, errlen, "too many variables");
		return -1;
	}
	if ((pv->tpl = templates_find(env->templates, req->template_key)) == NULL) {
		util_err(err, errlen, "no template \"%s\" in the templates file",
		    req->template_key);
		return -1;
	}
	if (rules_of(env->cfg, &p.rules, err, errlen) == -1 ||
	    check_meeting(env, req, err, errlen) == -1)
		return -1;
	/* A meeting may have no variables of its own (vars NULL). */
	if (req->nvars > 0)
		memcpy(vars, req->vars, req->nvars * sizeof(*vars));
	nvars = req->nvars;
	if (req->meeting_title != NULL)
		nvars = meeting_vars(pv->tpl, req, vars, nvars, date, tm);
	if (render_all(pv->tpl, vars, nvars, pv->langs, &pv->nlangs, err,
	    errlen) == -1 ||
	    plan_reminders(env, req, pv, &p.rules, err, errlen) == -1)
		goto out;
	if (req->provider != NULL)
		pv->provider = req->provider;
	else if (env->default_provider != NULL)
		pv->provider = env->default_provider(env->cfg, err, errlen);
	else
		util_err(err, errlen, "no provider named for broadcasts");
	if (pv->provider == NULL)
		goto out;
	if (provider_find(pv->provider) == NULL) {
		util_err(err, errlen, "no provider named \"%s\"", pv->provider);
		goto out;
	}
	/* A typo in a group or district name would reach nobody. */
	if (resolve_audience(env->store, env->districts, req->to,
	    &pv->audience, err, errlen) != 1 ||
	    (aud = audience_parse(pv->audience, err, errlen)) == NULL ||
	    check_rsvp_terms(env, aud, err, errlen) == -1)
		goto out;
	audience_set_default_language(aud,
	    config_str(env->cfg, "default_language"));
	p.env = env;
	p.req = req;
	p.pv = pv;
	p.promotional = pv->tpl->category == TEMPLATES_PROMOTIONAL;
	p.base_ms = req->at_ms > env->now_ms ? req->at_ms : env->now_ms;
	p.window_ms = schedule_next_allowed(&p.rules, p.promotional, p.base_ms);
	if (store_audience_each(env->store, aud, 1, count_cb, &p) == -1) {
		if (p.err[0] == '\0')
			util_err(p.err, sizeof(p.err), "store: %s",
			    store_errmsg(env->store));
		util_err(err, errlen, "%s", p.err);
		goto out;
	}
	if (pv->first_ms == 0)
		pv->first_ms = p.late_ms != 0 ? p.late_ms : p.window_ms;
	if (req->meeting_title != NULL && pv->recipients == 0 &&
	    (pv->late > 0 || pv->first_ms >= req->meeting_ms)) {
		too_late_err(&p, pv->first_ms, err, errlen);
		goto out;
	}
	if (pv->recipients == 0 && !req->allow_empty) {
		util_err(err, errlen, "the audience %s reaches nobody%s",
		    pv->audience, pv->opted_out > 0 ? " (everyone in it "
		    "opted out)" : "");
		goto out;
	}
	rc = 0;
out:
	audience_free(aud);
	if (rc == -1)
		broadcast_preview_clear(pv);
	return rc;
}

/* The providers' SmsType for a template category (providers.md §5). */
static const char *
sms_type_of(enum templates_category c)
{
	return c == TEMPLATES_PROMOTIONAL ? "promotional" : "transactional";
}

static int
queue_one(struct pass *p, int64_t bid, const struct contact *c,
    const struct broadcast_lang *l, int64_t at, int64_t not_before)
{
	struct outbox_msg m;

	/*
	 * The claim passes over a broadcast being created only from its
	 * send time on (store_outbox_claim): none of its messages may be due
	 * earlier, or it would go before the creation is complete.
	 */
	if (at < not_before)
		at = not_before;
	memset(&m, 0, sizeof(m));
	m.provider = (char *)p->pv->provider;
	m.to = c->phone;
	/*
	 * DLT: the template's id and category travel with the message; the
	 * sender is the provider's "from", which must be the header the
	 * templates are registered under (templates.conf says which).
	 */
	m.from = (char *)"";
	m.dlt_template_id = (char *)l->dlt_id;
	m.sms_type = (char *)sms_type_of(p->pv->tpl->category);
	m.body = l->text;
	m.encoding = (char *)l->encoding;
	m.segments = (int)l->segments;
	/* Planned time, so that send_max_age counts from it. */
	m.created_ms = at > p->env->now_ms ? at : p->env->now_ms;
	m.next_attempt_ms = at;
	m.broadcast_id = bid;
	return store_outbox_queue(p->env->store, &m);
}

/* The reminder in the language of her message, else the first. */
static const struct broadcast_lang *
reminder_for(const struct broadcast_preview *pv, const char *lang)
{
	size_t i;

	for (i = 0; i < pv->nreminders; i++)
		if (strcmp(pv->reminders[i].lang, lang) == 0)
			return &pv->reminders[i];
	return &pv->reminders[0];
}

/*
 * Between two slices, leave the write lock free for a moment: a webhook's
 * commit waiting in SQLite's busy handler (which retries after 1, then 2
 * more ms) finds it free at its next try instead of losing the race to
 * the next slice.  Short and fixed, so that the creation of 100,000
 * takes under a second more (POST /api/v1/broadcasts waits for it).
 */
static void
slice_pause(void)
{
	struct timespec ts = { 0, 2 * 1000000L };

	nanosleep(&ts, NULL);
}

static int
queue_cb(void *arg, const struct contact *c)
{
	struct pass *p = arg;
	struct store *st = p->env->store;
	size_t i = lang_of(p, p->pv->tpl, c);
	int64_t at;

	if (p->req->interrupted != NULL && *p->req->interrupted) {
		util_err(p->err, sizeof(p->err), "interrupted; the broadcast "
		    "was cancelled and nothing was sent");
		return -1;
	}
	if ((at = plan_time(p, c->phone)) == -1)
		goto fail;
	if (too_late(p, at)) {
		p->late++;
		return 0;
	}
	if (queue_one(p, p->id, c, &p->pv->langs[i], at,
	    p->pv->first_ms) == -1)
		goto fail;
	p->queued++;
	p->segments += p->pv->langs[i].segments;
	if (p->reminder_id != 0 && queue_one(p, p->reminder_id, c,
	    reminder_for(p->pv, p->pv->langs[i].lang),
	    p->pv->reminder_ms, p->pv->reminder_ms) == -1)
		goto fail;
	/*
	 * Commit in slices: the daemon's writes go on in between.  The
	 * broadcast stays "creating", so the sender leaves these messages
	 * alone, and a creation cut short here sends nothing.
	 */
	if (p->own_txn && ++p->in_batch >= BROADCAST_BATCH) {
		p->in_batch = 0;
		if (store_commit(st) == -1)
			goto fail;
		slice_pause();
		if (store_begin(st) == -1)
			goto fail;
		store_pipeline(st);
	}
	return 0;
fail:
	util_err(p->err, sizeof(p->err), "store: %s", store_errmsg(st));
	return -1;
}

/* Write the vars as "name=value" lines. */
static char *
vars_text(const struct broadcast_request *req)
{
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	for (i = 0; i < req->nvars; i++)
		buf_printf(&b, "%s=%s\n", req->vars[i].name,
		    req->vars[i].value);
	return buf_steal(&b);
}

/* Meeting, broadcast and reminder rows.  0 or -1. */
static int
add_rows(struct pass *p)
{
	const struct broadcast_request *req = p->req;
	struct store *st = p->env->store;
	struct store_broadcast b;
	struct store_meeting m;
	const struct template *rt;
	char *vars = vars_text(req);
	int rc = -1;

	memset(&b, 0, sizeof(b));
	memset(&m, 0, sizeof(m));
	if (req->meeting_title != NULL) {
		m.title = (char *)req->meeting_title;
		m.place = (char *)req->meeting_place;
		m.time_ms = req->meeting_ms;
		if (store_meeting_add(st, &m, p->env->now_ms) == -1)
			goto out;
	}
	b.kind = (char *)(req->kind != NULL ? req->kind : "broadcast");
	b.audience = p->pv->audience;
	b.template_key = p->pv->tpl->key;
	b.category = (char *)templates_category_name(p->pv->tpl->category);
	b.vars = vars;
	b.provider = (char *)p->pv->provider;
	b.created_by = (char *)(req->created_by ? req->created_by : "cli");
	b.created_ms = p->env->now_ms;
	b.send_at_ms = p->pv->first_ms;
	b.meeting_id = m.id;
	b.reminder = p->pv->reminder_ms != 0;
	if (store_broadcast_add(st, &b) == -1)
		goto out;
	p->id = b.id;
	if (p->pv->reminder_ms != 0) {
		rt = templates_find(p->env->templates,
		    config_str(p->env->cfg, "reminder_template"));
		b.kind = (char *)"reminder";
		b.parent_id = p->id;
		b.template_key = rt->key;
		b.category = (char *)templates_category_name(rt->category);
		b.send_at_ms = p->pv->reminder_ms;
		b.reminder = 0;
		if (store_broadcast_add(st, &b) == -1)
			goto out;
		p->reminder_id = b.id;
	}
	rc = 0;
out:
	free(vars);
	return rc;
}

int
broadcast_create(const struct broadcast_env *env, const struct broadcast_request *req,
    struct broadcast_preview *pv, int64_t *id, char *err, size_t errlen)
{
	struct store *st = env->store;
	struct audience *aud;
	struct pass p;
	int64_t stopped;
	char by[32];
	int rc = 0;

	*id = 0;
	if (broadcast_preview(env, req, pv, err, errlen) == -1)
		return -1;
	memset(&p, 0, sizeof(p));
	p.env = env;
	p.req = req;
	p.pv = pv;
	rules_of(env->cfg, &p.rules, NULL, 0);
	p.promotional = pv->tpl->category == TEMPLATES_PROMOTIONAL;
	p.base_ms = req->at_ms > env->now_ms ? req->at_ms : env->now_ms;
	p.window_ms = schedule_next_allowed(&p.rules, p.promotional, p.base_ms);
	if ((aud = audience_parse(pv->audience, err, errlen)) == NULL)
		return -1;
	audience_set_default_language(aud,
	    config_str(env->cfg, "default_language"));
	p.own_txn = !store_in_transaction(st);
	if (p.own_txn ? store_begin(st) == -1 :
	    store_savepoint_begin(st) == -1) {
		util_err(err, errlen, "store: %s", store_errmsg(st));
		audience_free(aud);
		return -1;
	}
	if (add_rows(&p) == -1) {
		util_err(p.err, sizeof(p.err), "store: %s", store_errmsg(st));
		goto fail;
	}
	/* Each recipient's message need not wait for its answer: a slice
	 * commits or fails whole. */
	if (p.own_txn)
		store_pipeline(st);
	if (store_audience_each(st, aud, 0, queue_cb, &p) == -1 ||
	    (rc = store_broadcast_finish(st, p.id, "queued", p.queued,
	    p.segments, pv->opted_out)) == -1 || (rc == 1 &&
	    p.reminder_id != 0 && (rc = store_broadcast_finish(st,
	    p.reminder_id, "queued", p.queued, 0, 0)) == -1)) {
		if (p.err[0] == '\0')
			util_err(p.err, sizeof(p.err), "store: %s",
			    store_errmsg(st));
		goto fail;
	}
	if (rc == 0) {
		util_err(p.err, sizeof(p.err), "broadcast %lld was cancelled "
		    "while it was being created; nothing was sent",
		    (long long)p.id);
		goto fail;
	}
	/*
	 * This commit, of one row (the broadcast leaves "creating"), makes
	 * the whole audience sendable at once, or none of it.
	 */
	if (p.own_txn ? store_commit(st) == -1 :
	    store_savepoint_end(st, 1) == -1) {
		util_err(p.err, sizeof(p.err), "store: %s", store_errmsg(st));
		goto fail;
	}
	audience_free(aud);
	/* The preview counted before; what was queued is what counts. */
	pv->recipients = p.queued;
	pv->segments = p.segments;
	pv->late = p.late;
	*id = p.id;
	/* A NOTICE's creator is the coordinator's phone: masked. */
	log_info("broadcast_created", "id=%lld template=%s audience=%s "
	    "recipients=%lld segments=%lld by=%s", (long long)p.id,
	    pv->tpl->key, pv->audience, (long long)p.queued,
	    (long long)p.segments, log_phone(req->created_by ?
	    req->created_by : "cli", by, sizeof(by)));
	return 0;
fail:
	util_err(err, errlen, "%s", p.err);
	audience_free(aud);
	if (p.own_txn) {
		store_rollback(st);
		/* Slices already committed wait for a broadcast still
		 * "creating": cancel it with them. */
		if (p.id != 0)
			store_broadcast_cancel(st, p.id, env->now_ms, &stopped);
	} else {
		store_savepoint_end(st, 0);
	}
	return -1;
}

int
broadcast_cancel_notify(const struct broadcast_env *env, int64_t id,
    const char *template_key, const struct templates_var *vars, size_t nvars,
    const char *created_by, struct broadcast_preview *pv, int64_t *notify_id,
    int64_t *stopped, char *err, size_t errlen)
{
	struct templates_var all[TEMPLATES_MAX_VARS + 4];
	struct store_broadcast b;
	struct store_meeting m;
	struct broadcast_request req;
	const struct template *t;
	char to[48], date[32], tm[16];
	size_t n = nvars;
	int rc, ret = -1, own;

	*notify_id = 0;
	*stopped = 0;
	memset(pv, 0, sizeof(*pv));
	memset(&m, 0, sizeof(m));
	if ((rc = store_broadcast_get(env->store, id, &b)) != 1) {
		util_err(err, errlen, "%s", rc == 0 ? "no such broadcast" :
		    store_errmsg(env->store));
		return -1;
	}
	rc = b.meeting_id != 0 ? store_meeting_get(env->store, b.meeting_id,
	    &m) : 0;
	store_broadcast_clear(&b);
	if (rc != 1) {
		util_err(err, errlen, "%s", rc == 0 ? "that broadcast announced "
		    "no meeting" : store_errmsg(env->store));
		return -1;
	}
	if ((t = templates_find(env->templates, template_key)) == NULL) {
		util_err(err, errlen, "no template \"%s\" in the templates file",
		    template_key);
		goto out;
	}
	if (nvars > TEMPLATES_MAX_VARS) {
		util_err(err, errlen, "too many variables");
		goto out;
	}
	memcpy(all, vars, nvars * sizeof(*vars));
	memset(&req, 0, sizeof(req));
	req.meeting_title = m.title;
	req.meeting_place = m.place;
	req.meeting_ms = m.time_ms;
	n = meeting_vars(t, &req, all, n, date, tm);
	memset(&req, 0, sizeof(req));
	snprintf(to, sizeof(to), "rsvp:%lld:yes", (long long)id);
	req.to = to;
	req.template_key = template_key;
	req.vars = all;
	req.nvars = n;
	req.no_reminder = 1;
	req.allow_empty = 1;
	req.created_by = created_by;
	/* Checked whole before anything changes. */
	if (broadcast_preview(env, &req, pv, err, errlen) == -1)
		goto out;
	own = !store_in_transaction(env->store);
	if (own && store_begin(env->store) == -1) {
		util_err(err, errlen, "store: %s", store_errmsg(env->store));
		goto out;
	}
	if (store_broadcast_cancel(env->store, id, env->now_ms,
	    stopped) != 1) {
		util_err(err, errlen, "store: %s", store_errmsg(env->store));
		goto undo;
	}
	if (pv->recipients > 0) {
		broadcast_preview_clear(pv);
		if (broadcast_create(env, &req, pv, notify_id, err, errlen) == -1)
			goto undo;
	}
	if (own && store_commit(env->store) == -1) {
		util_err(err, errlen, "store: %s", store_errmsg(env->store));
		goto undo;
	}
	log_info("meeting_cancelled", "broadcast=%lld stopped=%lld "
	    "notify=%lld told=%lld", (long long)id, (long long)*stopped,
	    (long long)*notify_id, (long long)pv->recipients);
	ret = 0;
	goto out;
undo:
	if (own)
		store_rollback(env->store);
	*notify_id = 0;
	*stopped = 0;
out:
	store_meeting_clear(&m);
	if (ret == -1)
		broadcast_preview_clear(pv);
	return ret;
}

const char *
broadcast_state(const struct store_broadcast *b,
    const struct store_broadcast_counts *c)
{
	if (b->state == NULL)
		return "queued";
	if (strcmp(b->state, "queued") != 0)
		return b->state;
	if (c->queued > 0)
		return "queued";
	return c->sent > 0 ? "sent" : "done";
}

struct broadcast_check_memo {
	int64_t			 id;	/* 0: nothing kept */
	int			 found;	/* the row existed */
	struct store_broadcast	 b;
};

struct broadcast_check_memo *
broadcast_check_memo_new(void)
{
	return xcalloc(1, sizeof(struct broadcast_check_memo));
}

void
broadcast_check_memo_forget(struct broadcast_check_memo *memo)
{
	if (memo->id != 0 && memo->found)
		store_broadcast_clear(&memo->b);
	memset(memo, 0, sizeof(*memo));
}

void
broadcast_check_memo_free(struct broadcast_check_memo *memo)
{
	if (memo == NULL)
		return;
	broadcast_check_memo_forget(memo);
	free(memo);
}

enum broadcast_verdict
broadcast_send_check(struct store *st, const struct config *cfg,
    struct broadcast_check_memo *memo, const struct outbox_msg *m,
    int64_t now_ms, int64_t *next_ms, const char **why)
{
	struct broadcast_check_memo own = { 0 }, *bm = memo != NULL ? memo :
	    &own;
	const struct store_broadcast *b = &bm->b;
	struct store_meeting mt;
	struct schedule_rules rules;
	enum broadcast_verdict v = BROADCAST_SEND;
	const char *answer = NULL;
	int rc;

	*next_ms = 0;
	*why = NULL;
	if (bm->id != m->broadcast_id) {
		broadcast_check_memo_forget(bm);
		if ((rc = store_broadcast_get(st, m->broadcast_id, &bm->b)) == -1)
			return BROADCAST_SEND;
		/* An error is not remembered: the next message asks again. */
		bm->id = m->broadcast_id;
		bm->found = rc == 1;
	}
	if (!bm->found)
		v = BROADCAST_SEND;
	else if (strcmp(b->state, "cancelled") == 0) {
		*why = "cancelled";
		v = BROADCAST_DROP;
	} else if (strcmp(b->state, "creating") == 0) {
		/* The claim passes these over; should one slip through, it
		 * still waits for the whole audience. */
		*next_ms = now_ms + 1000;
		v = BROADCAST_DEFER;
	} else if (strcmp(b->kind, "reminder") == 0) {
		/* Only those who said yes, and only before the meeting. */
		rc = store_rsvp_get(st, b->meeting_id, m->to, &answer);
		if (rc != 1 || strcmp(answer, "yes") != 0) {
			*why = rc == -1 ? "store error" : "no yes to the "
			    "meeting";
			v = BROADCAST_DROP;
		} else if (store_meeting_get(st, b->meeting_id, &mt) == 1) {
			if (mt.time_ms <= now_ms) {
				*why = "meeting over";
				v = BROADCAST_DROP;
			}
			store_meeting_clear(&mt);
		}
	}
	if (v == BROADCAST_SEND && bm->found &&
	    rules_of(cfg, &rules, NULL, 0) == 0 &&
	    !schedule_allowed(&rules, strcmp(b->category, "promotional") == 0,
	    now_ms)) {
		*next_ms = schedule_next_allowed(&rules,
		    strcmp(b->category, "promotional") == 0, now_ms);
		v = BROADCAST_DEFER;
	}
	if (bm == &own)
		broadcast_check_memo_forget(&own);
	return v;
}
