/*
 * voice: the /voice/<provider> webhook.  See voice.h for the contract.
 *
 * One webhook is one short transaction: read the call's row, take one
 * menu step, carry out what it asks (read a directory answer through the
 * same handler as SMS, queue an SMS or a callback in the outbox), save the
 * row and the step's interactions, commit, answer.  Nothing about the call
 * lives in memory between webhooks, which is what lets a restarted daemon
 * pick a call up where it was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "district.h"
#include "handler.h"
#include "http.h"
#include "ivr.h"
#include "log.h"
#include "prompts.h"
#include "provider_voice.h"
#include "reply_templates.h"
#include "runtime.h"
#include "segment.h"
#include "sender.h"
#include "speak.h"
#include "store.h"
#include "util.h"
#include "voice.h"
#include "voice_audio.h"

#define POOL_MAX	48
/* "Send it by SMS": at most this many texts, the rest behind MORE, as
 * any answer she texts for. */
#define SMS_PAGES	2
#define ANSWER_MAX	(256 * 1024)

/* One webhook's working set; the answer borrows strings from the pool. */
struct turn {
	struct voice_env	 env;
	const struct provider	*p;
	const struct provider_conf *pc;
	struct sp_voice_event	 ev;
	enum sp_voice_kind	 kind;
	const char		*person;	/* the caller, E.164 */
	const char		*ours;		/* our number, maybe "" */
	struct store_call	 call;
	struct ivr_state	 st;
	struct sp_voice_answer	 ans;
	char			*pool[POOL_MAX];
	size_t			 npool;
	struct buf		 spoken;	/* everything said, for the log */
	int			 status_only;	/* a status callback */
	int			 queued;	/* the outbox got something */
	int64_t			 now;
};

static const char *
keep(struct turn *t, char *s)
{
	if (t->npool == POOL_MAX) {
		/* A bug in this file, not input: say nothing more. */
		free(s);
		return NULL;
	}
	return t->pool[t->npool++] = s;
}

static const char *
cfg(const struct turn *t, const char *name)
{
	return config_str(t->env.rt->cfg, name);
}

static const char *
lang_of(const struct turn *t)
{
	if (t->st.language[0] != '\0' &&
	    prompts_has_language(t->env.rt->prompts, t->st.language))
		return t->st.language;
	return cfg(t, "default_language");
}

static void
spoken_add(struct turn *t, const char *text)
{
	if (t->spoken.len > 0)
		buf_putc(&t->spoken, '\n');
	buf_puts(&t->spoken, text);
}

/*
 * Text as the provider's voice must read it: phone numbers as digits in
 * groups (speak.h), for every provider alike.  The log keeps the text as
 * written, which is what an analyst searches for.
 */
static const char *
voiced(struct turn *t, const char *text, const char *lang)
{
	return keep(t, speak_numbers_dup(text, lang));
}

static void
say_text(struct turn *t, const char *text)
{
	const char *s = voiced(t, text, lang_of(t));

	if (s == NULL)
		return;
	provider_voice_say(&t->ans, s, lang_of(t), NULL);
	spoken_add(t, text);
}

/* A prompt key: its recorded or generated audio when there is one. */
static void
say_key(struct turn *t, const char *key)
{
	const char *lang = lang_of(t), *text, *url = NULL, *s;
	const char *dir = keep(t, xasprintf("%s/audio", cfg(t, "prompts_dir")));

	if ((text = prompts_get(t->env.rt->prompts, lang, key)) == NULL ||
	    (s = voiced(t, text, lang)) == NULL)
		return;
	if (dir != NULL && voice_audio_exists(dir, lang, key))
		url = keep(t, xasprintf("%s/audio/%s/%s.wav",
		    cfg(t, "public_url"), lang, key));
	provider_voice_say(&t->ans, s, lang, url);
	spoken_add(t, text);
}

/* Our voice URL for this provider, with what ev says. */
static const char *
our_url(struct turn *t, const char *ev)
{
	const char *token = t->pc->url_token;

	return keep(t, xasprintf("%s/voice/%s%s%s?ev=%s", cfg(t, "public_url"),
	    t->p->name, token != NULL ? "/" : "", token != NULL ? token : "",
	    ev));
}

static void
replace(char **slot, const char *v)
{
	free(*slot);
	*slot = v != NULL && *v != '\0' ? xstrdup(v) : NULL;
}

static void
state_from_call(const struct store_call *c, struct ivr_state *st)
{
	memset(st, 0, sizeof(*st));
	util_strlcpy(st->node, c->node ? c->node : "", sizeof(st->node));
	ivr_state_set_back(st, c->back);
	st->retries = c->retries;
	util_strlcpy(st->language, c->language ? c->language : "",
	    sizeof(st->language));
	util_strlcpy(st->district, c->district ? c->district : "",
	    sizeof(st->district));
	util_strlcpy(st->pending, c->pending ? c->pending : "",
	    sizeof(st->pending));
	util_strlcpy(st->pending_next, c->pending_next ? c->pending_next : "",
	    sizeof(st->pending_next));
}

static void
call_from_state(struct store_call *c, const struct ivr_state *st)
{
	char back[IVR_STACK_MAX * IVR_NAME_MAX];

	ivr_state_back_string(st, back, sizeof(back));
	replace(&c->node, st->node);
	replace(&c->back, back);
	c->retries = st->retries;
	replace(&c->language, st->language);
	replace(&c->district, st->district);
	replace(&c->pending, st->pending);
	replace(&c->pending_next, st->pending_next);
}

/* The caller's contact (caller clears), a new one if she has none: 1
 * found, 0 new, -1 error. */
static int
her_contact(struct turn *t, struct contact *c)
{
	int rc;

	if ((rc = store_contact_get(t->env.store, t->person, c)) != 0)
		return rc;
	memset(c, 0, sizeof(*c));
	c->phone = xstrdup(t->person);
	c->role = xstrdup("entrepreneur");
	c->first_seen_ms = t->now;
	c->last_seen_ms = t->now;
	return 0;
}

/* The rest of a texted list (or none), kept on her contact for MORE by
 * SMS. */
static int
keep_more(struct turn *t, const struct contact *asked)
{
	struct contact c;
	int rc;

	if (her_contact(t, &c) == -1)
		return -1;
	replace(&c.more_text, asked->more_text);
	c.more_until_ms = asked->more_until_ms;
	rc = store_contact_put(t->env.store, &c);
	records_contact_clear(&c);
	return rc;
}

/* What a menu choice asks a keyword handler, where and in which
 * language: the call's now, or as it was when the answer was heard. */
struct question {
	const char	*handler;
	const char	*category;	/* NULL: none */
	const char	*district;	/* key, "" for none */
	const char	*lang;
};

/*
 * What a keyword handler answers (reply, caller clears): spoken, the
 * whole answer as one text; texted, its first pages as the registered
 * reply templates an SMS must be, the rest kept for MORE.  0, or -1.
 */
static int
handler_answer(struct turn *t, const struct question *q, int texted,
    struct handler_reply *reply)
{
	const struct handler *h = handler_find(q->handler);
	const struct sp_runtime *rt = t->env.rt;
	struct handler_request hr;
	struct contact c;
	struct sp_ctx ctx;
	int rc;

	memset(reply, 0, sizeof(*reply));
	if (h == NULL)
		return -1;
	memset(&ctx, 0, sizeof(ctx));
	ctx.ops = t->env.ops;
	ctx.ops_arg = t->env.ops_arg;
	ctx.keywords = rt->keywords;
	ctx.districts = rt->districts;
	ctx.prompts = rt->prompts;
	ctx.default_language = cfg(t, "default_language");
	/* Heard whole: she is on a call, she cannot say MORE. */
	ctx.segment_budget = texted ?
	    (unsigned)config_int(rt->cfg, "segment_budget") : 1000;
	ctx.spoken = !texted;
	ctx.pages_at_once = texted ? SMS_PAGES : 0;
	ctx.now_ms = t->now;
	ctx.pending_ms = config_int(rt->cfg, "pending_minutes") * 60000;
	ctx.more_ms = config_int(rt->cfg, "more_minutes") * 60000;
	memset(&c, 0, sizeof(c));
	c.phone = xstrdup(t->person);
	c.language = xstrdup(q->lang);
	c.district = q->district[0] ? xstrdup(q->district) : NULL;
	c.role = xstrdup("entrepreneur");
	memset(&hr, 0, sizeof(hr));
	hr.keyword = q->category != NULL ? q->category : q->handler;
	hr.category = q->category;
	hr.args = "";
	hr.lang = q->lang;
	hr.district = district_find(rt->districts, q->district);
	hr.contact = &c;
	rc = h->run(&ctx, &hr, reply);
	/* Texted, it replaces whatever MORE she had left from before, even
	 * with nothing: MORE must not page an older list. */
	if (rc == 0 && texted)
		rc = keep_more(t, &c);
	handler_request_clear(&hr);
	records_contact_clear(&c);
	return rc == 0 ? 0 : -1;
}

/* What a keyword handler answers, spoken, as one text (caller frees), or
 * NULL. */
static char *
run_handler(struct turn *t, const char *name, const char *category)
{
	struct question q = { name, category, t->st.district, lang_of(t) };
	struct handler_reply reply;
	struct buf b;
	size_t i;
	int rc;

	rc = handler_answer(t, &q, 0, &reply);
	buf_init(&b, 0);
	for (i = 0; rc == 0 && i < reply.n; i++) {
		if (i > 0)
			buf_putc(&b, '\n');
		buf_puts(&b, reply.texts[i]);
	}
	handler_reply_clear(&reply);
	if (rc != 0 || b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/*
 * Queue text, reply template key of lang, to the caller by SMS through
 * the call's provider, with that template's DLT id: 0, 1 not sent (it
 * does not match its template, so an Indian operator would drop it
 * unseen), -1 error.
 */
static int
queue_sms(struct turn *t, const char *text, const char *key,
    const char *lang, const char *why)
{
	const struct reply_template *tpl;
	const char *unsent;
	struct interaction row;
	struct outbox_msg m;
	struct segment_info si;

	segment_count(text, strlen(text), &si);
	memset(&m, 0, sizeof(m));
	m.provider = (char *)t->p->name;
	m.to = (char *)t->person;
	m.from = (char *)"";
	m.body = (char *)text;
	m.encoding = (char *)segment_encoding_name(si.encoding);
	m.segments = (int)si.segments;
	m.created_ms = t->now;
	/* On Indian routes it needs the DLT id of the template it is. */
	if ((tpl = reply_templates_check(t->env.rt->replies, lang, key, text,
	    &unsent)) == NULL) {
		log_warn("reply_not_sent", "%s SMS %s (%s) not sent: %s", why,
		    key ? key : "?", lang, unsent);
		return 1;
	}
	m.dlt_template_id = tpl->dlt_id;
	if (store_outbox_add(t->env.store, &m) == -1)
		return -1;
	memset(&row, 0, sizeof(row));
	row.time_ms = t->now;
	row.channel = "sms";
	row.direction = "out";
	row.provider = t->p->name;
	row.phone = t->person;
	row.text = text;
	row.handler = why;
	row.district = t->st.district[0] ? t->st.district : NULL;
	row.language = lang;
	row.encoding = m.encoding;
	row.segments = m.segments;
	row.latency_ms = -1;
	row.status = "queued";
	t->queued = 1;
	return store_interaction_insert(t->env.store, &row) == -1 ? -1 : 0;
}

/* What came in on this call, as its log row (to fill in and insert). */
static void
call_row(const struct turn *t, struct interaction *row, const char *channel,
    const char *text, const char *handler, const char *status)
{
	memset(row, 0, sizeof(*row));
	row->time_ms = t->now;
	row->channel = channel;
	row->direction = "in";
	row->provider = t->p->name;
	/* Every row of a call carries its id, in the export too. */
	row->provider_msg_id = t->ev.call_id;
	row->phone = t->person;
	row->text = text;
	row->handler = handler;
	row->latency_ms = -1;
	row->status = status;
}

/* Record the step: what came in at which node, and what was said. */
static int
log_step(struct turn *t, const struct ivr_result *res, const char *input)
{
	struct interaction in, out;
	char masked[32];

	call_row(t, &in, "voice", input, ivr_action_name(res->action),
	    res->event);
	in.keyword = res->from_node;
	in.district = t->st.district[0] ? t->st.district : NULL;
	in.language = lang_of(t);
	if (store_interaction_insert(t->env.store, &in) == -1)
		return -1;
	out = in;
	out.direction = "out";
	out.text = buf_cstr(&t->spoken);
	out.keyword = t->st.node;
	out.handler = "ivr";
	out.reply_to = in.id;
	out.status = res->gather ? "gather" : ivr_action_name(res->action);
	if (store_interaction_insert(t->env.store, &out) == -1)
		return -1;
	log_info("voice_step", "provider=%s call=%s from=%s event=%s "
	    "node=%s next=%s action=%s", t->p->name, t->ev.call_id,
	    log_phone(t->person, masked, sizeof(masked)), res->event,
	    res->from_node, t->st.node, ivr_action_name(res->action));
	return 0;
}

/* Keep the caller's chosen district and language on her contact. */
static int
update_contact(struct turn *t)
{
	struct contact c;
	int rc, changed = 0;

	if ((rc = her_contact(t, &c)) == -1)
		return -1;
	changed = rc == 0;
	if (t->st.district[0] != '\0' && (c.district == NULL ||
	    strcmp(c.district, t->st.district) != 0)) {
		replace(&c.district, t->st.district);
		changed = 1;
	}
	if (t->st.language[0] != '\0' && (c.language == NULL ||
	    strcmp(c.language, t->st.language) != 0)) {
		replace(&c.language, t->st.language);
		changed = 1;
	}
	c.last_seen_ms = t->now;
	rc = changed ? store_contact_put(t->env.store, &c) : 0;
	records_contact_clear(&c);
	return rc;
}

/*
 * What the answer just read out was asked for, to text it on request:
 * "handler\tcategory\tdistrict\tlanguage" (she may change district or
 * language before she presses 9; the text is the list she heard).
 */
static void
remember_query(struct turn *t, const char *handler, const char *category)
{
	char q[128];

	snprintf(q, sizeof(q), "%s\t%s\t%s\t%s", handler ? handler : "",
	    category ? category : "", t->st.district, lang_of(t));
	replace(&t->call.last_query, q);
}

/*
 * "Send it by SMS": the last answer, asked again as a text would ask it,
 * in the district and language it was heard in, every page its
 * registered reply template.  0 queued, 1 nothing to send, -1 error.
 */
static int
text_last_answer(struct turn *t)
{
	struct handler_reply reply;
	struct question q;
	char *copy, *s, *f[4];
	size_t i, n;
	int rc = 0, queued = 0;

	if (t->call.last_query == NULL)
		return 1;
	s = copy = xstrdup(t->call.last_query);
	for (n = 0; n < 4 && s != NULL; n++)
		f[n] = strsep(&s, "\t");
	if (n < 4 || f[0][0] == '\0') {
		free(copy);
		return 1;
	}
	q.handler = f[0];
	q.category = f[1][0] ? f[1] : NULL;
	q.district = f[2];
	q.lang = f[3];
	if (handler_answer(t, &q, 1, &reply) == -1)
		rc = -1;
	for (i = 0; rc != -1 && i < reply.n; i++)
		if ((rc = queue_sms(t, reply.texts[i], reply.keys[i], q.lang,
		    "ivr")) == 0)
			queued++;
	handler_reply_clear(&reply);
	free(copy);
	return rc == -1 ? -1 : queued > 0 ? 0 : 1;
}

/* Carry out one menu step and build the answer. */
static int
step(struct turn *t, enum ivr_input input)
{
	struct ivr_result res;
	char *text = NULL;
	int rc = 0;
	size_t i;

	ivr_step(t->env.rt->ivr, &t->st, input, t->ev.digits, &res);
	for (i = 0; i < res.nsay; i++)
		say_key(t, res.say[i]);
	switch (res.action) {
	case IVR_INFO:
	case IVR_HANDLER:
		text = res.action == IVR_INFO ? run_handler(t, "info",
		    res.arg) : run_handler(t, res.arg, res.arg2);
		if (text == NULL)
			say_key(t, "error.internal");
		else {
			say_text(t, text);
			replace(&t->call.last_answer, text);
			remember_query(t, res.action == IVR_INFO ? "info" :
			    res.arg, res.action == IVR_INFO ? res.arg :
			    res.arg2);
		}
		free(text);
		break;
	case IVR_SMS:
		if ((rc = text_last_answer(t)) == 0)
			say_key(t, IVR_KEY_SMS_SENT);
		else if (rc == 1) {
			say_key(t, IVR_KEY_SMS_NOTHING);
			rc = 0;
		}
		break;
	case IVR_REPEAT:
		if (t->call.last_answer != NULL)
			say_text(t, t->call.last_answer);
		break;
	case IVR_CONNECT:
		t->ans.dial = res.arg;
		replace(&t->call.status, "connected");
		t->call.end_ms = t->now;
		break;
	case IVR_HANGUP:
		t->ans.hangup = 1;
		replace(&t->call.status, "completed");
		t->call.end_ms = t->now;
		break;
	default:
		break;
	}
	/* Exotel speaks this at its next Gather fetch (see voice.h). */
	replace(&t->call.say_next, t->kind == VOICE_CALL ?
	    buf_cstr(&t->spoken) : NULL);
	if (res.gather) {
		say_key(t, res.prompt);
		t->ans.gather = 1;
		t->ans.num_digits = 1;
		t->ans.timeout_s = res.timeout_s;
		t->ans.lang = lang_of(t);
		t->ans.action_url = our_url(t, "menu");
		t->ans.redirect_url = our_url(t, "timeout");
	}
	t->call.steps++;
	call_from_state(&t->call, &t->st);
	if (rc == 0)
		rc = log_step(t, &res, input == IVR_IN_DIGITS ? t->ev.digits :
		    "");
	if (rc == 0)
		rc = update_contact(t);
	return rc;
}

/* Exotel's Gather fetch: what the last step left to say, then the prompt. */
static void
prompt_only(struct turn *t)
{
	const char *prompt;
	int timeout_s;

	if (t->call.say_next != NULL)
		say_text(t, t->call.say_next);
	replace(&t->call.say_next, NULL);
	if (!ivr_node_prompt(t->env.rt->ivr, t->st.node, &prompt, &timeout_s))
		return;		/* the node is gone (reload): next step starts */
	say_key(t, prompt);
	t->ans.gather = 1;
	t->ans.num_digits = 1;
	t->ans.timeout_s = timeout_s;
	t->ans.lang = lang_of(t);
}

static int
missed_number(const struct turn *t)
{
	const char *list = cfg(t, "missed_call_numbers");
	size_t n = strlen(t->ours);
	const char *p;

	if (n == 0)
		return 0;
	for (p = strstr(list, t->ours); p != NULL; p = strstr(p + 1, t->ours))
		if ((p == list || p[-1] == ',' || p[-1] == ' ') &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return 1;
	return 0;
}

/* A missed call: busy, then an SMS or a callback, once per window. */
static int
missed_call(struct turn *t)
{
	struct interaction row;
	struct outbox_msg m;
	struct contact c;
	const char *followup, *menu;
	char masked[32];
	int rc;

	t->ans.reject_busy = 1;
	if ((rc = store_contact_get(t->env.store, t->person, &c)) == -1)
		return -1;
	if (rc == 1 && c.language != NULL)
		util_strlcpy(t->st.language, c.language, sizeof(t->st.language));
	if (rc == 1 && c.opted_out_ms != 0)
		followup = "opted_out";
	else if ((rc = store_call_recent_followup(t->env.store, t->person,
	    t->now - config_int(t->env.rt->cfg, "missed_call_window_s") *
	    1000)) != 0)
		followup = "duplicate";
	else if (strcmp(cfg(t, "missed_call_action"), "sms") == 0) {
		followup = "sms";
		menu = prompts_get(t->env.rt->prompts, lang_of(t), "help.menu");
		if (menu != NULL && queue_sms(t, menu, "help.menu",
		    lang_of(t), "missed_call") == -1)
			rc = -1;
	} else {
		followup = "callback";
		memset(&m, 0, sizeof(m));
		m.provider = (char *)t->p->name;
		m.to = (char *)t->person;
		m.from = (char *)"";
		m.body = (char *)"callback";
		m.created_ms = t->now;
		rc = store_outbox_add_call(t->env.store, &m);
		t->queued = 1;
	}
	records_contact_clear(&c);
	if (rc == -1)
		return -1;
	t->call.call_id = xstrdup(t->ev.call_id);
	t->call.provider = xstrdup(t->p->name);
	t->call.caller = xstrdup(t->person);
	replace(&t->call.our_number, t->ours);
	t->call.direction = xstrdup("in");
	t->call.start_ms = t->call.end_ms = t->call.updated_ms = t->now;
	t->call.status = xstrdup("missed");
	t->call.followup = xstrdup(followup);
	t->call.duration_s = -1;
	if (store_call_put(t->env.store, &t->call) == -1)
		return -1;
	call_row(t, &row, "missed_call", followup, "missed_call", followup);
	if (store_interaction_insert(t->env.store, &row) == -1)
		return -1;
	log_info("missed_call", "provider=%s call=%s from=%s followup=%s",
	    t->p->name, t->ev.call_id, log_phone(t->person, masked,
	    sizeof(masked)), followup);
	return 0;
}

/* A new call: her row, her district and language from her contact. */
static int
new_call(struct turn *t)
{
	struct contact c;
	int rc;

	memset(&t->st, 0, sizeof(t->st));
	if ((rc = store_contact_get(t->env.store, t->person, &c)) == -1)
		return -1;
	if (rc == 1) {
		if (c.language != NULL)
			util_strlcpy(t->st.language, c.language,
			    sizeof(t->st.language));
		if (c.district != NULL)
			util_strlcpy(t->st.district, c.district,
			    sizeof(t->st.district));
		records_contact_clear(&c);
	}
	t->call.call_id = xstrdup(t->ev.call_id);
	t->call.provider = xstrdup(t->p->name);
	t->call.caller = xstrdup(t->person);
	replace(&t->call.our_number, t->ours);
	t->call.direction = xstrdup(t->ev.outbound ? "out" : "in");
	t->call.start_ms = t->now;
	t->call.status = xstrdup("active");
	t->call.duration_s = -1;
	return 0;
}

/*
 * A status callback: the provider's word on how the call ended.  It is
 * the truth about the end, whatever the menu last did (a call put
 * through to a stakeholder goes on long after our last answer), so it
 * sets the status, the end and the length; a repeated callback changes
 * nothing.  A missed call stays "missed": busy is what we answered.  A
 * callback she never picked up has no row yet, so it gets one.
 */
static int
status_callback(struct turn *t, int found)
{
	const char *word = t->ev.status[0] != '\0' ? t->ev.status :
	    "completed";
	int64_t dur = t->ev.duration_s;

	t->status_only = 1;
	if (t->ev.status[0] != '\0' && !t->ev.ended)
		return 0;	/* ringing, answered: the end comes later */
	if (found == 1 && t->call.duration_s >= 0)
		return 0;
	if (found == 0) {
		if (t->person[0] == '\0')
			return 0;	/* nothing to tie it to */
		t->call.call_id = xstrdup(t->ev.call_id);
		t->call.provider = xstrdup(t->p->name);
		t->call.caller = xstrdup(t->person);
		replace(&t->call.our_number, t->ours);
		t->call.direction = xstrdup(t->ev.outbound ? "out" : "in");
		t->call.start_ms = t->now - (dur > 0 ? dur * 1000 : 0);
	}
	if (t->call.status == NULL || strcmp(t->call.status, "missed") != 0) {
		replace(&t->call.status, word);
		t->call.end_ms = t->now;
	}
	t->call.updated_ms = t->now;
	t->call.duration_s = dur >= 0 ? dur :
	    (t->call.end_ms - t->call.start_ms) / 1000;
	return store_call_put(t->env.store, &t->call);
}

static int
handle(struct turn *t)
{
	int found;

	found = store_call_get(t->env.store, t->p->name, t->ev.call_id,
	    &t->call);
	if (found == -1)
		return -1;
	if (t->kind == VOICE_STATUS)
		return status_callback(t, found);
	if (found == 0 && !t->ev.outbound && missed_number(t))
		return missed_call(t);
	if (found == 1 && t->call.status != NULL &&
	    strcmp(t->call.status, "missed") == 0) {
		t->ans.reject_busy = 1;		/* the provider asked again */
		return 0;
	}
	if (found == 1 && t->call.end_ms != 0) {
		t->ans.hangup = 1;
		return 0;
	}
	t->call.updated_ms = t->now;
	if (found == 0) {
		if (new_call(t) == -1 || step(t, IVR_IN_START) == -1)
			return -1;
	} else {
		state_from_call(&t->call, &t->st);
		if (t->kind == VOICE_PROMPT)
			prompt_only(t);
		else if (step(t, t->ev.digits[0] != '\0' ? IVR_IN_DIGITS :
		    IVR_IN_TIMEOUT) == -1)
			return -1;
	}
	return store_call_put(t->env.store, &t->call);
}

/* Our "ev" query parameter, or what the adapter saw. */
static enum sp_voice_kind
voice_kind(const struct sp_request *req, const struct sp_voice_event *ev)
{
	const char *q = req->query != NULL ? req->query : "", *p;

	for (p = strstr(q, "ev="); p != NULL; p = strstr(p + 1, "ev="))
		if (p == q || p[-1] == '&') {
			if (strncmp(p + 3, "prompt", 6) == 0)
				return VOICE_PROMPT;
			if (strncmp(p + 3, "status", 6) == 0)
				return VOICE_STATUS;
			break;
		}
	return ev->ended ? VOICE_STATUS : VOICE_CALL;
}

static void
turn_free(struct turn *t)
{
	size_t i;

	for (i = 0; i < t->npool; i++)
		free(t->pool[i]);
	store_call_clear(&t->call);
	buf_free(&t->spoken);
}

static void
answer(struct turn *t, struct http_exchange *x)
{
	const char *ctype;
	struct buf body;
	int status;

	if (t->status_only) {
		http_respond(x, 200, "text/plain", "", 0);
		return;
	}
	t->ans.kind = t->kind;
	buf_init(&body, ANSWER_MAX);
	if (t->p->render_voice(t->pc, &t->ans, &body, &ctype, &status) == -1)
		http_respond_text(x, 500, "answer too large\n");
	else
		http_respond(x, status, ctype, buf_cstr(&body), body.len);
	buf_free(&body);
}

void
voice_webhook(const struct voice_env *env, struct http_exchange *x,
    const struct sp_request *req, const struct provider *p,
    const struct provider_conf *pc)
{
	struct turn t;
	char err[256], quoted[300];
	int status;

	if (p->parse_voice == NULL || p->render_voice == NULL) {
		http_respond_text(x, 404, "no voice for this provider\n");
		return;
	}
	memset(&t, 0, sizeof(t));
	t.env = *env;
	t.p = p;
	t.pc = pc;
	t.now = util_wall_ms();
	buf_init(&t.spoken, 0);
	status = p->parse_voice(pc, req, &t.ev, err, sizeof(err));
	t.person = t.ev.outbound ? t.ev.to : t.ev.from;
	t.ours = t.ev.outbound ? t.ev.from : t.ev.to;
	if (status == 0)
		t.kind = voice_kind(req, &t.ev);
	/* Exotel's StatusCallback names only the call: its row has the rest. */
	if (status == 0 && t.person[0] == '\0' && t.kind != VOICE_STATUS) {
		util_err(err, sizeof(err), "no caller number");
		status = 400;
	}
	if (status != 0) {
		log_warn("voice_rejected", "provider=%s status=%d reason=%s",
		    p->name, status, log_quote(err, 200, quoted,
		    sizeof(quoted)));
		snprintf(quoted, sizeof(quoted), "%s\n", err);
		http_respond_text(x, status, quoted);
		turn_free(&t);
		return;
	}
	/* Her lock, as her SMS batches take it (store_senders_lock): a call
	 * and a message of hers on two daemons never write her contact
	 * over each other. */
	if (store_begin(t.env.store) == -1 || (t.person[0] != '\0' &&
	    store_senders_lock(t.env.store, &t.person, 1) == -1) ||
	    handle(&t) == -1 || store_commit(t.env.store) == -1) {
		store_rollback(t.env.store);
		log_error("voice_failed", "provider=%s call=%s error=\"%s\" "
		    "answer=503", p->name, t.ev.call_id,
		    store_errmsg(t.env.store));
		http_respond_text(x, 503, "store unavailable, retry\n");
		turn_free(&t);
		return;
	}
	answer(&t, x);
	if (t.queued && t.env.sender != NULL)
		sender_kick(t.env.sender);
	turn_free(&t);
}
