/*
 * handler: the handler table, reply ownership, and paging of long answers
 * behind "MORE" so that every reply fits the segment budget.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handler.h"
#include "log.h"
#include "prompts.h"
#include "reply_templates.h"
#include "segment.h"
#include "util.h"

const struct handler *const handler_table[] = {
	&handler_info,
	&handler_help,
	&handler_more,
	&handler_choose,
	&handler_join,
	&handler_name,
	&handler_lang,
	&handler_stop,
	&handler_start,
	&handler_notice,
	&handler_rsvp,
	NULL,
};

const struct handler *
handler_find(const char *name)
{
	size_t i;

	for (i = 0; handler_table[i] != NULL; i++)
		if (strcmp(handler_table[i]->name, name) == 0)
			return handler_table[i];
	return NULL;
}

void
handler_reply_add(struct handler_reply *r, char *text)
{
	if (r->n == SP_REPLY_MAX) {
		/* A handler bug, not input: keep what we have. */
		free(text);
		return;
	}
	r->counted[r->n] = 0;
	r->keys[r->n] = NULL;
	r->texts[r->n++] = text;
}

void
handler_reply_add_keyed(struct handler_reply *r, char *text, const char *key)
{
	size_t i = r->n;

	handler_reply_add(r, text);
	if (r->n == i + 1 && key != NULL)
		r->keys[i] = xstrdup(key);
}

/*
 * 1 if every value of the name, value... list that text uses fits the
 * DLT variables of its field; else 0, logged with the field.
 */
static int
fields_fit(const char *text, const char *lang, const char *key, va_list ap)
{
	const char *name, *value;
	char ph[72], err[160];

	while ((name = va_arg(ap, const char *)) != NULL &&
	    (value = va_arg(ap, const char *)) != NULL) {
		snprintf(ph, sizeof(ph), "{%s}", name);
		if (strstr(text, ph) == NULL ||
		    reply_templates_field_check(name, value, err,
		    sizeof(err)) == 0)
			continue;
		log_warn("reply_not_sent", "reply %s (%s) would not match its "
		    "DLT template, not sent: %s", key, lang, err);
		return 0;
	}
	return 1;
}

void
handler_reply_add_counted(struct handler_reply *r, char *text,
    const struct segment_info *si)
{
	size_t i = r->n;

	handler_reply_add(r, text);
	if (r->n == i + 1) {
		r->seg[i] = *si;
		r->counted[i] = 1;
	}
}

int
handler_reply_prompt(struct handler_reply *r, const struct prompts *p,
    const char *lang, const char *key, ...)
{
	struct buf b;
	va_list ap;
	int rc;

	const char *text = prompts_get(p, lang, key);

	if (text == NULL)
		return -1;
	va_start(ap, key);
	rc = fields_fit(text, lang, key, ap);
	va_end(ap);
	if (!rc)
		return 0;
	buf_init(&b, 0);
	va_start(ap, key);
	rc = prompts_vformat(p, lang, key, &b, ap);
	va_end(ap);
	if (rc == -1) {
		buf_free(&b);
		return -1;
	}
	handler_reply_add_keyed(r, buf_steal(&b), key);
	return 0;
}

void
handler_reply_clear(struct handler_reply *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->texts[i]);
		free(r->keys[i]);
	}
	memset(r, 0, sizeof(*r));
}

static int
fits(unsigned budget, const char *s, size_t len, struct segment_info *si)
{
	return segment_count(s, len, si) == 0 && si->segments <= budget;
}

/* Page text[0..cut) followed by the MORE note. */
static char *
page_with_note(const char *text, size_t cut, const char *note)
{
	size_t nlen = strlen(note);
	char *page = xmalloc(cut + 1 + nlen + 1);

	memcpy(page, text, cut);
	page[cut] = '\n';
	memcpy(page + cut + 1, note, nlen + 1);
	return page;
}

/*
 * How a text is cut into its first page: a pure function of the text, the
 * note and the budget, which is what lets the memo below keep it.
 */
struct page_plan {
	enum {
		PAGE_WHOLE,	/* the text fits: sent as it is */
		PAGE_NOTE,	/* text[0..cut), then the note */
		PAGE_BARE,	/* not even a character fits beside the
				   note: text[0..cut) alone, no MORE */
	}		 kind;
	size_t		 cut;
	struct segment_info	 si;	/* of the page as sent (WHOLE, NOTE) */
};

static void
page_plan(const char *text, size_t len, const char *note, unsigned budget,
    struct page_plan *plan)
{
	size_t fit, cut = 0, end;
	struct segment_info si;
	char *page;
	int ok;

	/* One pass finds how much of the text fits at all. */
	fit = segment_fit_info(text, len, budget, &si);
	if (fit == len) {
		plan->kind = PAGE_WHOLE;
		plan->cut = len;
		plan->si = si;
		return;
	}
	/*
	 * The most whole lines that fit together with the note: a page ends
	 * at a line break no later than what fits without the note, and the
	 * note is short, so the first line break back from there that fits
	 * is nearly always the first one tried.
	 */
	for (end = fit; end > 0; end--) {
		if (text[end] != '\n')
			continue;
		page = page_with_note(text, end, note);
		ok = fits(budget, page, strlen(page), &si);
		free(page);
		if (ok) {
			cut = end;
			break;
		}
	}
	if (cut == 0) {
		/* Not even one line fits: cut inside it, on a character. */
		for (cut = fit; cut > 0; ) {
			page = page_with_note(text, cut, note);
			ok = fits(budget, page, strlen(page), &si);
			free(page);
			if (ok)
				break;
			do
				cut--;
			while (cut > 0 && ((unsigned char)text[cut] & 0xc0) == 0x80);
		}
	}
	if (cut == 0) {
		plan->kind = PAGE_BARE;
		plan->cut = fit;
		memset(&plan->si, 0, sizeof(plan->si));
		return;
	}
	plan->kind = PAGE_NOTE;
	plan->cut = cut;
	plan->si = si;
}

/* ---- the memo ---- */

/*
 * Replies repeat: every LOAN from Bhadohi in Hindi is the same list, cut
 * the same way, and counting its segments (grapheme clusters, twice) was
 * the dearest step of routing it.  The memo keeps the plans of recent
 * texts; the key is the whole input, so an entry is never stale, only
 * evicted by a text that hashes to the same slot.
 */
#define PAGE_MEMO_SLOTS	64
#define PAGE_MEMO_MAX	16384		/* longer texts are not kept */

struct page_memo_slot {
	uint64_t	 hash;
	char		*text;		/* NULL: empty slot */
	size_t		 len;
	char		*note;
	unsigned	 budget;
	struct page_plan plan;
};

struct handler_page_memo {
	struct page_memo_slot slot[PAGE_MEMO_SLOTS];
	uint64_t	 hits, misses;
};

struct handler_page_memo *
handler_page_memo_new(void)
{
	return xcalloc(1, sizeof(struct handler_page_memo));
}

void
handler_page_memo_free(struct handler_page_memo *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < PAGE_MEMO_SLOTS; i++) {
		free(m->slot[i].text);
		free(m->slot[i].note);
	}
	free(m);
}

void
handler_page_memo_stats(const struct handler_page_memo *m, uint64_t *hits, uint64_t *misses)
{
	*hits = m->hits;
	*misses = m->misses;
}

static void
page_plan_memo(struct handler_page_memo *m, const char *text, size_t len,
    const char *note, unsigned budget, struct page_plan *plan)
{
	struct page_memo_slot *s;
	uint64_t h;

	if (m == NULL || len > PAGE_MEMO_MAX) {
		page_plan(text, len, note, budget, plan);
		return;
	}
	h = util_hash_mix(util_hash_mix(budget, note, strlen(note)), text, len);
	s = &m->slot[h % PAGE_MEMO_SLOTS];
	if (s->text != NULL && s->hash == h && s->len == len &&
	    s->budget == budget && strcmp(s->note, note) == 0 &&
	    memcmp(s->text, text, len) == 0) {
		m->hits++;
		*plan = s->plan;
		return;
	}
	m->misses++;
	page_plan(text, len, note, budget, plan);
	free(s->text);
	free(s->note);
	s->hash = h;
	s->text = xstrndup(text, len);
	s->len = len;
	s->note = xstrdup(note);
	s->budget = budget;
	s->plan = *plan;
}

void
handler_page(const struct sp_ctx *ctx, struct handler_request *req,
    const char *text, struct handler_reply *reply)
{
	struct contact *c = req->contact;
	struct page_plan plan;
	const char *note, *rest;
	size_t len = strlen(text);

	free(c->more_text);
	c->more_text = NULL;
	c->more_until_ms = 0;
	note = prompts_get(ctx->prompts, req->lang, "info.more");
	if (note == NULL)
		note = "MORE";
	page_plan_memo(ctx->page_memo, text, len, note, ctx->segment_budget,
	    &plan);
	switch (plan.kind) {
	case PAGE_WHOLE:
		handler_reply_add_counted(reply, xstrdup(text), &plan.si);
		return;
	case PAGE_BARE:
		handler_reply_add(reply, xstrndup(text, plan.cut));
		return;
	case PAGE_NOTE:
		break;
	}
	handler_reply_add_counted(reply, page_with_note(text, plan.cut, note),
	    &plan.si);
	rest = text + plan.cut;
	while (*rest == '\n' || *rest == ' ')
		rest++;
	if (*rest != '\0') {
		c->more_text = xstrdup(rest);
		c->more_until_ms = ctx->now_ms + ctx->more_ms;
	}
}

int
handler_outcome_unanswered(const char *o)
{
	return o != NULL && (strcmp(o, HANDLER_OUTCOME_NOT_UNDERSTOOD) == 0 ||
	    strcmp(o, HANDLER_OUTCOME_NO_STAKEHOLDER) == 0 ||
	    strcmp(o, HANDLER_OUTCOME_LIMITED) == 0);
}

/*
 * lead (if not '\0'), id in decimal, then tail (if not '\0'), appended
 * to b.  Every entry of a long list passes here: digits by hand, as a
 * printf per entry was a sixth of a list reply's cost.
 */
static void
put_id(struct buf *b, char lead, int64_t id, char tail)
{
	char digits[32], *d = digits + sizeof(digits);
	uint64_t v = id < 0 ? 0 - (uint64_t)id : (uint64_t)id;

	if (tail != '\0')
		*--d = tail;
	do
		*--d = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	if (id < 0)
		*--d = '-';
	if (lead != '\0')
		*--d = lead;
	buf_append(b, d, (size_t)(digits + sizeof(digits) - d));
}

void
handler_refer(struct handler_request *req, const struct stakeholder *s)
{
	const char *name = s->name != NULL ? s->name : "", *bar;
	size_t start;

	put_id(&req->referred, req->referred.len > 0 ? '|' : '\0', s->id,
	    ':');
	start = req->referred.len;
	buf_puts(&req->referred, name);
	/* The separator cannot appear inside an entry, so the field splits
	 * back without quoting rules. */
	while ((bar = memchr(req->referred.data + start, '|',
	    req->referred.len - start)) != NULL) {
		req->referred.data[bar - req->referred.data] = '/';
		start = (size_t)(bar - req->referred.data) + 1;
	}
}

void
handler_request_clear(struct handler_request *req)
{
	buf_free(&req->referred);
}

/* ---- lists of stakeholders ---- */

/* 1 if text fits the budget whole (through the memo, as pages repeat). */
static int
page_fits(const struct sp_ctx *ctx, const char *text, struct segment_info *si)
{
	struct page_plan plan;

	page_plan_memo(ctx->page_memo, text, strlen(text), "",
	    ctx->segment_budget, &plan);
	if (plan.kind != PAGE_WHOLE)
		return 0;
	*si = plan.si;
	return 1;
}

/* header (with {n} = n), lines[0..n), and the MORE note if more, else
 * the end note. */
static int
list_page(const struct sp_ctx *ctx, const char *lang, const char *header_key,
    const char *category, const char *district, char *const *lines, size_t n,
    int more, struct buf *b)
{
	char num[24];
	size_t i;

	snprintf(num, sizeof(num), "%zu", n);
	buf_init(b, 0);
	if (prompts_format(ctx->prompts, lang, header_key, b, "n", num,
	    "category", category ? category : "", "district",
	    district ? district : "", NULL) == -1)
		goto fail;
	for (i = 0; i < n; i++) {
		buf_putc(b, '\n');
		buf_puts(b, lines[i]);
	}
	if (!ctx->spoken) {
		buf_putc(b, '\n');
		if (prompts_format(ctx->prompts, lang, more ? "info.more" :
		    "info.end", b, NULL) == -1)
			goto fail;
	}
	return 0;
fail:
	buf_free(b);
	return -1;
}

/*
 * Up to pages pages of the entries of a list of n into reply, each its
 * own list template; lines[] holds the first entries formatted (at
 * least pages * REPLY_TEMPLATES_PAGE_MAX of them, or all n).  *used is
 * how many went; keeping the rest for MORE is the caller's.
 */
static int
page_on(const struct sp_ctx *ctx, struct handler_request *req,
    const char *stem, const char *header_key, const char *category,
    const char *district, char *const *lines, size_t n, unsigned pages,
    struct handler_reply *reply, size_t *used)
{
	struct segment_info si;
	char key[64];
	struct buf b;
	size_t k;
	int more;

	k = n < REPLY_TEMPLATES_PAGE_MAX ? n : REPLY_TEMPLATES_PAGE_MAX;
	for (;; k--) {
		more = k < n && pages <= 1;
		if (list_page(ctx, req->lang, header_key, category, district,
		    lines, k, more, &b) == -1)
			return -1;
		/* One entry goes even if it alone is over the budget: it
		 * is still its template, only dearer. */
		if (k == 1 || page_fits(ctx, buf_cstr(&b), &si))
			break;
		buf_free(&b);
	}
	snprintf(key, sizeof(key), "%s.%zu%s", stem, k, more ? ".more" : "");
	if (k > 1 || page_fits(ctx, buf_cstr(&b), &si)) {
		handler_reply_add_counted(reply, buf_steal(&b), &si);
		reply->keys[reply->n - 1] = xstrdup(key);
	} else
		handler_reply_add_keyed(reply, buf_steal(&b), key);
	*used += k;
	if (k < n && !more)
		return page_on(ctx, req, stem, header_key, category, district,
		    lines + k, n - k, pages - 1, reply, used);
	return 0;
}

/* How many pages a texted list may take now (0: the reply is full). */
static unsigned
pages_left(const struct sp_ctx *ctx, const struct handler_reply *reply)
{
	unsigned pages = ctx->pages_at_once > 1 ? ctx->pages_at_once : 1;

	/* Never more texts than a reply holds, whatever was asked; a full
	 * reply is a handler's bug, and a page added to it would take the
	 * key of the text before. */
	if (reply->n >= SP_REPLY_MAX)
		return 0;
	if (reply->n + pages > SP_REPLY_MAX)
		pages = SP_REPLY_MAX - (unsigned)reply->n;
	return pages;
}

static void
more_clear(struct contact *c)
{
	free(c->more_text);
	c->more_text = NULL;
	c->more_until_ms = 0;
}

/*
 * What MORE will give, kept on her contact: MORE_IDS and the ids of the
 * entries not sent yet, so that a list of seventy is seventy numbers on
 * her row rather than seventy formatted lines (written with every
 * message she sends), and MORE shows each entry as the directory has it
 * then.  Rows written before hold the lines themselves;
 * handler_list_more reads both.
 */
#define MORE_IDS	"\x1fids:"

static void
more_keep_ids(const struct sp_ctx *ctx, struct contact *c,
    const struct stakeholder *const *rows, size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	buf_puts(&b, MORE_IDS);
	for (i = 0; i < n; i++)
		put_id(&b, i > 0 ? ',' : '\0', rows[i]->id, '\0');
	c->more_text = buf_steal(&b);
	c->more_until_ms = ctx->now_ms + ctx->more_ms;
}

int
handler_list(const struct sp_ctx *ctx, struct handler_request *req,
    const char *stem, const char *header_key, const char *category,
    const char *district, const struct stakeholder *rows, size_t n,
    struct handler_reply *reply)
{
	const struct stakeholder **ok = xcalloc(n + 1, sizeof(*ok));
	char **lines = NULL;
	char err[160], who[96];
	size_t i, nok = 0, nlines = 0, used = 0, total, want;
	unsigned pages = ctx->spoken ? 1 : pages_left(ctx, reply);
	struct buf b;
	int rc = 0;

	more_clear(req->contact);
	/*
	 * Entries that a template cannot carry are left out.  Texted, only
	 * as many are checked as the pages sent now can hold: the rest wait
	 * behind MORE unchecked, and MORE checks them when it gets to them.
	 */
	want = ctx->spoken ? n : (size_t)pages * REPLY_TEMPLATES_PAGE_MAX;
	for (i = 0; i < n && nok < want; i++) {
		if (!ctx->spoken && (reply_templates_field_check("name",
		    rows[i].name, err, sizeof(err)) == -1 ||
		    reply_templates_field_check("phone", rows[i].phone, err,
		    sizeof(err)) == -1)) {
			log_warn("reply_entry_left_out", "stakeholder %s left "
			    "out of a %s reply: it would not match the DLT "
			    "template: %s", log_quote(rows[i].name, 60, who,
			    sizeof(who)), stem, err);
			continue;
		}
		ok[nok++] = &rows[i];
	}
	for (total = nok; i < n; i++)
		ok[total++] = &rows[i];
	if (nok == 0 || pages == 0)
		goto done;
	/* Heard, the whole list at once; texted, only what the pages sent
	 * now can hold is formatted. */
	nlines = nok;
	lines = xcalloc(nlines + 1, sizeof(*lines));
	for (i = 0; i < nlines && rc == 0; i++) {
		buf_init(&b, 0);
		if ((rc = prompts_format(ctx->prompts, req->lang, "info.entry",
		    &b, "name", ok[i]->name, "phone", ok[i]->phone,
		    NULL)) == 0)
			lines[i] = buf_steal(&b);
		else
			buf_free(&b);
	}
	if (rc != 0)
		goto done;
	if (ctx->spoken) {
		if ((rc = list_page(ctx, req->lang, header_key, category,
		    district, lines, nok, 0, &b)) == 0)
			handler_reply_add(reply, buf_steal(&b));
		used = nok;
	} else
		rc = page_on(ctx, req, stem, header_key, category, district,
		    lines, total, pages, reply, &used);
	if (rc != 0)
		goto done;
	/* She is referred to what she was given; what waits behind MORE
	 * counts when MORE gives it. */
	for (i = 0; i < used; i++)
		handler_refer(req, ok[i]);
	if (used < total)
		more_keep_ids(ctx, req->contact, ok + used, total - used);
done:
	for (i = 0; lines != NULL && i < nlines; i++)
		free(lines[i]);
	free(lines);
	free(ok);
	return rc;
}

/* The entries an older version kept as lines: their next pages. */
static int
list_more_lines(const struct sp_ctx *ctx, struct handler_request *req,
    const char *kept, struct handler_reply *reply)
{
	struct contact *c = req->contact;
	char **lines;
	size_t n = 1, i, len, used = 0;
	unsigned pages = pages_left(ctx, reply);
	const char *s, *e;
	struct buf rest;
	int rc = 0;

	for (s = kept; *s != '\0'; s++)
		n += *s == '\n';
	lines = xcalloc(n, sizeof(*lines));
	for (s = kept, i = 0; i < n; i++) {
		e = strchr(s, '\n');
		len = e != NULL ? (size_t)(e - s) : strlen(s);
		lines[i] = xstrndup(s, len);
		s += len + (e != NULL);
	}
	more_clear(c);
	if (pages > 0)
		rc = page_on(ctx, req, "more.list", "more.header", NULL, NULL,
		    lines, n, pages, reply, &used);
	if (rc == 0 && used < n) {
		buf_init(&rest, 0);
		for (i = used; i < n; i++) {
			if (i > used)
				buf_putc(&rest, '\n');
			buf_puts(&rest, lines[i]);
		}
		c->more_text = buf_steal(&rest);
		c->more_until_ms = ctx->now_ms + ctx->more_ms;
	}
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	return rc;
}

int
handler_list_more(const struct sp_ctx *ctx, struct handler_request *req,
    const char *kept, struct handler_reply *reply)
{
	struct stakeholder *rows = NULL;
	int64_t *ids;
	size_t n = 1, nrows = 0, i, before = reply->n;
	const char *s;
	char *end;
	int rc;

	if (strncmp(kept, MORE_IDS, strlen(MORE_IDS)) != 0)
		return list_more_lines(ctx, req, kept, reply);
	s = kept + strlen(MORE_IDS);
	for (i = 0; s[i] != '\0'; i++)
		n += s[i] == ',';
	ids = xcalloc(n, sizeof(*ids));
	for (i = 0; i < n && *s != '\0'; s = end + (*end == ',')) {
		ids[i] = strtoll(s, &end, 10);
		if (end == s)
			break;
		i++;
	}
	n = i;
	more_clear(req->contact);
	rc = ctx->ops->stakeholders_get(ctx->ops_arg, ids, n, &rows, &nrows);
	free(ids);
	if (rc == -1)
		return -1;
	/* Those that left the directory since are not given, nor those a
	 * template cannot carry (checked only now). */
	if (nrows > 0)
		rc = handler_list(ctx, req, "more.list", "more.header", NULL,
		    NULL, rows, nrows, reply);
	ctx->ops->stakeholders_free(ctx->ops_arg, rows, nrows);
	if (rc == 0 && reply->n == before)
		rc = handler_reply_prompt(reply, ctx->prompts, req->lang,
		    "more.none", NULL);
	return rc;
}
