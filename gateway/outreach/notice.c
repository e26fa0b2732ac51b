/*
 * notice: the broadcast features handlers reach through handler_broadcast_ops —
 * a coordinator's NOTICE by SMS, its "YES <code>" confirmation, a
 * recipient's YES / NO to a meeting or a notice (BROADCAST_NOTICE_ANSWER_DAYS),
 * and the count of those answers for "NOTICE STATUS".
 *
 * DLT and free text: an operator delivers only texts that match a
 * registered template, and a coordinator's own words cannot be one.  So a
 * NOTICE goes out through the configured notice template (notice_template,
 * default "notice"), whose variables are {#district#} and text1..textN
 * placed next to each other ({#text1#}{#text2#}...): the free text is cut
 * into pieces of at most TEMPLATES_VAR_MAX characters, one per variable, which
 * read as the whole text once sent, while each piece stays within the
 * scrubber's limit.  A text longer than N x TEMPLATES_VAR_MAX characters is
 * refused with the limit, never cut short.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "broadcast.h"
#include "config.h"
#include "crypto.h"
#include "log.h"
#include "store.h"
#include "text.h"
#include "util.h"

#define NOTICE_PIECES	TEMPLATES_MAX_VARS
/* The start of the text names its answers in `broadcast show` and lists. */
#define NOTICE_TITLE_MAX	60

struct notice_vars {
	struct templates_var	 v[NOTICE_PIECES + 1];
	size_t		 n;
	char		 names[NOTICE_PIECES][16];
	char		*pieces[NOTICE_PIECES];
	char		*district;
};

static void
notice_vars_clear(struct notice_vars *nv)
{
	size_t i;

	for (i = 0; i < NOTICE_PIECES; i++)
		free(nv->pieces[i]);
	free(nv->district);
	memset(nv, 0, sizeof(*nv));
}

/* How many text1..textN variables t has. */
static size_t
text_vars(const struct template *t)
{
	char name[16];
	size_t n;

	for (n = 0; n < NOTICE_PIECES; n++) {
		snprintf(name, sizeof(name), "text%zu", n + 1);
		if (!templates_has_var(t, name))
			break;
	}
	return n;
}

/*
 * The variables for a notice of text to district.  0, or 1 if the text is
 * too long (*max_chars: the most that fits).
 */
static int
notice_vars_fill(const struct template *t, const char *district,
    const char *text, struct notice_vars *nv, size_t *max_chars)
{
	size_t pieces = text_vars(t), i, k, cp, start;
	char *clean = xstrdup(text), *p;

	memset(nv, 0, sizeof(*nv));
	*max_chars = pieces * TEMPLATES_VAR_MAX;
	/* Line breaks would fail the scrubber: make them spaces. */
	for (p = clean; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	nv->district = xstrdup(district);
	for (p = nv->district; *p != '\0'; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	if (templates_has_var(t, "district")) {
		nv->v[nv->n].name = "district";
		nv->v[nv->n++].value = nv->district;
	}
	for (i = 0, k = 0; k < pieces; k++) {
		for (start = i, cp = 0; clean[i] != '\0' && cp < TEMPLATES_VAR_MAX;
		    cp++) {
			i++;
			while (((unsigned char)clean[i] & 0xc0) == 0x80)
				i++;
		}
		snprintf(nv->names[k], sizeof(nv->names[k]), "text%zu", k + 1);
		nv->pieces[k] = xstrndup(clean + start, i - start);
		nv->v[nv->n].name = nv->names[k];
		nv->v[nv->n++].value = nv->pieces[k];
	}
	k = clean[i] != '\0';
	free(clean);
	return (int)k;
}

/* A NOTICE to a district as the broadcast it becomes. */
struct notice_draft {
	struct notice_vars	 nv;
	struct broadcast_request req;
	char			 to[128];
	char			 title[NOTICE_TITLE_MAX + 1];
};

/* At most len - 1 bytes of text, cut between characters, one line. */
static void
notice_title(const char *text, char *out, size_t len)
{
	size_t n = 0, i;

	text += strspn(text, " ");
	while (text[n] != '\0' && n < len - 1)
		n++;
	if (text[n] != '\0')
		n = text_utf8_whole(text, n);
	memcpy(out, text, n);
	out[n] = '\0';
	for (i = 0; i < n; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = ' ';
	if (n == 0)
		util_strlcpy(out, "NOTICE", len);
}

/*
 * Fill d for phone's text to district: 0, 1 when the text does not fit
 * the template (*max_chars: the most that does), -1 when there is no
 * notice template.  Clear d with notice_draft_clear() after 0 or 1.
 */
static int
notice_draft(const struct broadcast_env *env, const char *phone,
    const char *district, const char *text, struct notice_draft *d,
    size_t *max_chars)
{
	const char *key = config_str(env->cfg, "notice_template");
	const struct template *t = templates_find(env->templates, key);

	memset(d, 0, sizeof(*d));
	if (t == NULL) {
		log_error("notice", "error=\"no template %s\"", key);
		return -1;
	}
	if (notice_vars_fill(t, district, text, &d->nv, max_chars) == 1)
		return 1;
	snprintf(d->to, sizeof(d->to), "district:%s", district);
	d->req.to = d->to;
	d->req.template_key = key;
	d->req.vars = d->nv.v;
	d->req.nvars = d->nv.n;
	d->req.kind = "notice";
	d->req.created_by = phone;
	notice_title(text, d->title, sizeof(d->title));
	d->req.meeting_title = d->title;
	d->req.meeting_place = district;
	d->req.meeting_ms = env->now_ms +
	    BROADCAST_NOTICE_ANSWER_DAYS * 86400000LL;
	d->req.no_reminder = 1;
	/*
	 * A district nobody can be reached in (none listed, or all opted
	 * out) is no failure to retry: the preview counts it so she can be
	 * told; a broadcast of nobody is never created (op_notice_confirm).
	 */
	d->req.allow_empty = 1;
	return 0;
}

static void
notice_draft_clear(struct notice_draft *d)
{
	notice_vars_clear(&d->nv);
}

/*
 * BROADCAST_NOTICE_DIGITS digits from the system's CSPRNG, each value equally
 * likely (draws past the last whole multiple of 10^digits are redrawn, so
 * no code is likelier than another).  0 or -1.
 */
static int
notice_code(char *code, size_t len)
{
	uint32_t space = 1, v, limit;
	int i;

	for (i = 0; i < BROADCAST_NOTICE_DIGITS; i++)
		space *= 10;
	limit = UINT32_MAX - UINT32_MAX % space;
	do {
		if (crypto_random(&v, sizeof(v)) == -1)
			return -1;
	} while (v >= limit);
	snprintf(code, len, "%0*u", BROADCAST_NOTICE_DIGITS,
	    (unsigned)(v % space));
	return 0;
}

static int
op_notice_prepare(void *arg, const char *phone, const char *district,
    const char *text, struct sp_notice_preview *out)
{
	const struct broadcast_env *env = arg;
	struct notice_draft d;
	struct store_notice n;
	struct broadcast_preview pv;
	char err[256], code[12];
	size_t i;
	int rc = -1, tries;

	memset(out, 0, sizeof(*out));
	if ((rc = notice_draft(env, phone, district, text, &d,
	    &out->max_chars)) != 0) {
		if (rc == 1)
			notice_draft_clear(&d);
		return rc;
	}
	if (broadcast_preview(env, &d.req, &pv, err, sizeof(err)) == -1) {
		log_warn("notice", "error=\"%s\"", err);
		notice_draft_clear(&d);
		return -1;
	}
	if (pv.recipients == 0) {
		broadcast_preview_clear(&pv);
		notice_draft_clear(&d);
		return 2;
	}
	rc = -1;
	out->recipients = pv.recipients;
	out->total_segments = pv.segments;
	for (i = 0; i < pv.nlangs; i++)
		if (pv.langs[i].segments > out->segments)
			out->segments = pv.langs[i].segments;
	memset(&n, 0, sizeof(n));
	n.phone = (char *)phone;
	n.district = (char *)district;
	n.text = (char *)text;
	n.created_ms = env->now_ms;
	n.expires_ms = env->now_ms + BROADCAST_NOTICE_MINUTES * 60000LL;
	n.code = code;
	for (tries = 0; tries < 8; tries++) {
		if (notice_code(code, sizeof(code)) == -1)
			break;
		if ((rc = store_notice_add(env->store, &n)) != 0)
			break;
	}
	if (rc == 1) {
		util_strlcpy(out->code, code, sizeof(out->code));
		rc = 0;
	} else {
		rc = -1;
	}
	broadcast_preview_clear(&pv);
	notice_draft_clear(&d);
	return rc;
}

static int
op_notice_confirm(void *arg, const char *phone, const char *code,
    int64_t *recipients)
{
	const struct broadcast_env *env = arg;
	struct notice_draft d;
	struct store_notice n;
	struct broadcast_preview pv;
	char err[256], err2[256];
	size_t max;
	int64_t id;
	int rc;

	*recipients = 0;
	if ((rc = store_notice_find(env->store, phone, code, env->now_ms,
	    &n)) == 0) {
		/* Counted in the store, so a restart does not forgive. */
		if ((rc = store_notice_wrong_try(env->store, phone,
		    env->now_ms, BROADCAST_NOTICE_TRIES)) == 2) {
			char masked[32];

			log_warn("notice_cancelled", "phone=%s reason="
			    "wrong_codes tries=%d", log_phone(phone, masked,
			    sizeof(masked)), BROADCAST_NOTICE_TRIES);
			return 2;
		}
		return rc == -1 ? -1 : 0;
	}
	if (rc != 1)
		return rc;
	if ((rc = notice_draft(env, phone, n.district, n.text, &d,
	    &max)) != 0) {
		if (rc == 1)
			notice_draft_clear(&d);
		rc = -1;
		goto out;
	}
	rc = -1;
	d.req.allow_empty = 0;
	if (broadcast_create(env, &d.req, &pv, &id, err, sizeof(err)) == -1) {
		/*
		 * Everyone may have opted out since the preview: then she is
		 * told nobody can be reached, not to try again; her code
		 * stays good until it expires.
		 */
		broadcast_preview_clear(&pv);
		d.req.allow_empty = 1;
		if (broadcast_preview(env, &d.req, &pv, err2,
		    sizeof(err2)) == 0 && pv.recipients == 0)
			rc = 3;
		else
			log_warn("notice", "error=\"%s\"", err);
	} else if (store_notice_confirmed(env->store, phone, code, id) == 0) {
		*recipients = pv.recipients;
		rc = 1;
	}
	broadcast_preview_clear(&pv);
	notice_draft_clear(&d);
out:
	store_notice_clear(&n);
	return rc;
}

static int
op_rsvp(void *arg, const char *phone, int yes, char **title,
    int64_t *meeting_ms)
{
	const struct broadcast_env *env = arg;
	struct store_meeting m;
	struct store_broadcast b;
	int64_t bid = 0;
	int rc, notice;

	*title = NULL;
	*meeting_ms = 0;
	if ((rc = store_meeting_open_for(env->store, phone, env->now_ms, &m,
	    &bid)) != 1)
		return rc;
	if (store_rsvp_set(env->store, m.id, phone, yes ? "yes" : "no", bid,
	    env->now_ms) == -1 ||
	    (rc = store_broadcast_get(env->store, bid, &b)) == -1) {
		store_meeting_clear(&m);
		return -1;
	}
	notice = rc == 1 && strcmp(b.kind, "notice") == 0;
	if (rc == 1)
		store_broadcast_clear(&b);
	if (notice) {
		*title = m.place;
		m.place = NULL;
	} else {
		*title = m.title;
		m.title = NULL;
	}
	*meeting_ms = m.time_ms;
	store_meeting_clear(&m);
	return notice ? 2 : 1;
}

static int
op_notice_status(void *arg, const char *phone, struct sp_notice_status *out)
{
	const struct broadcast_env *env = arg;
	struct store_broadcast_counts c;
	struct store_broadcast b;
	struct store_notice n;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_notice_latest(env->store, phone, &n)) != 1)
		return rc;
	util_strlcpy(out->district, n.district, sizeof(out->district));
	out->sent_ms = n.created_ms;
	rc = store_broadcast_get(env->store, n.broadcast_id, &b);
	if (rc == 1) {
		out->sent_ms = b.created_ms;
		out->recipients = b.recipients;
		store_broadcast_clear(&b);
		memset(&c, 0, sizeof(c));
		if (store_broadcast_counts(env->store, n.broadcast_id,
		    &c) == -1)
			rc = -1;
		out->yes = c.rsvp_yes;
		out->no = c.rsvp_no;
		out->no_answer = out->recipients - out->yes - out->no;
		if (out->no_answer < 0)
			out->no_answer = 0;
	}
	store_notice_clear(&n);
	return rc == -1 ? -1 : 1;
}

const struct handler_broadcast_ops notice_handler_ops = {
	.notice_prepare = op_notice_prepare,
	.notice_confirm = op_notice_confirm,
	.rsvp = op_rsvp,
	.notice_status = op_notice_status,
};
