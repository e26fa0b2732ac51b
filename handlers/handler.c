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

static uint64_t
hash_mix(uint64_t h, const char *s, size_t len)
{
	uint64_t w;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	w = 0;
	memcpy(&w, s, len);
	h = (h ^ w ^ (uint64_t)len) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 32);
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
	h = hash_mix(hash_mix(budget, note, strlen(note)), text, len);
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

void
handler_refer(struct handler_request *req, const struct stakeholder *s)
{
	const char *p;

	if (req->referred.len > 0)
		buf_putc(&req->referred, '|');
	buf_printf(&req->referred, "%lld:", (long long)s->id);
	/* The separator cannot appear inside an entry, so the field splits
	 * back without quoting rules. */
	for (p = s->name != NULL ? s->name : ""; *p != '\0'; p++)
		buf_putc(&req->referred, *p == '|' ? '/' : *p);
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
 * Up to pages pages of lines[0..n) into reply, each its own list
 * template; the lines left are kept on the contact for MORE.
 */
static int
page_on(const struct sp_ctx *ctx, struct handler_request *req,
    const char *stem, const char *header_key, const char *category,
    const char *district, char *const *lines, size_t n, unsigned pages,
    struct handler_reply *reply)
{
	struct contact *c = req->contact;
	struct segment_info si;
	char key[64];
	struct buf b, rest;
	size_t k, i;
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
	if (k < n && !more)
		return page_on(ctx, req, stem, header_key, category, district,
		    lines + k, n - k, pages - 1, reply);
	if (more) {
		buf_init(&rest, 0);
		for (i = k; i < n; i++) {
			if (i > k)
				buf_putc(&rest, '\n');
			buf_puts(&rest, lines[i]);
		}
		c->more_text = buf_steal(&rest);
		c->more_until_ms = ctx->now_ms + ctx->more_ms;
	}
	return 0;
}

/* The list heard whole, or texted a page (ctx->pages_at_once) at a time. */
static int
list_pages(const struct sp_ctx *ctx, struct handler_request *req,
    const char *stem, const char *header_key, const char *category,
    const char *district, char *const *lines, size_t n,
    struct handler_reply *reply)
{
	struct contact *c = req->contact;
	unsigned pages = ctx->pages_at_once > 1 ? ctx->pages_at_once : 1;
	struct buf b;

	free(c->more_text);
	c->more_text = NULL;
	c->more_until_ms = 0;
	if (ctx->spoken) {
		/* Heard, not texted: the whole list at once. */
		if (list_page(ctx, req->lang, header_key, category, district,
		    lines, n, 0, &b) == -1)
			return -1;
		handler_reply_add(reply, buf_steal(&b));
		return 0;
	}
	/* Never more texts than a reply holds, whatever was asked; a full
	 * reply is a handler's bug, and a page added to it would take the
	 * key of the text before. */
	if (reply->n >= SP_REPLY_MAX)
		return 0;
	if (reply->n + pages > SP_REPLY_MAX)
		pages = SP_REPLY_MAX - (unsigned)reply->n;
	return page_on(ctx, req, stem, header_key, category, district, lines,
	    n, pages, reply);
}

int
handler_list(const struct sp_ctx *ctx, struct handler_request *req,
    const char *stem, const char *header_key, const char *category,
    const char *district, const struct stakeholder *rows, size_t n,
    struct handler_reply *reply)
{
	char **lines = xcalloc(n + 1, sizeof(*lines));
	char err[160], who[96];
	size_t i, nl = 0;
	struct buf b;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
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
		buf_init(&b, 0);
		rc = prompts_format(ctx->prompts, req->lang, "info.entry", &b,
		    "name", rows[i].name, "phone", rows[i].phone, NULL);
		if (rc == 0)
			lines[nl++] = buf_steal(&b);
		else
			buf_free(&b);
		/* Every entry of the answer counts as given, those behind
		 * MORE too: the answer is hers, whether she pages through it
		 * or not. */
		if (rc == 0)
			handler_refer(req, &rows[i]);
	}
	if (rc == 0 && nl > 0)
		rc = list_pages(ctx, req, stem, header_key, category, district,
		    lines, nl, reply);
	for (i = 0; i < nl; i++)
		free(lines[i]);
	free(lines);
	return rc;
}

int
handler_list_more(const struct sp_ctx *ctx, struct handler_request *req,
    const char *kept, struct handler_reply *reply)
{
	char **lines;
	size_t n = 1, i, len;
	const char *s, *e;
	int rc;

	for (s = kept; *s != '\0'; s++)
		n += *s == '\n';
	lines = xcalloc(n, sizeof(*lines));
	for (s = kept, i = 0; i < n; i++) {
		e = strchr(s, '\n');
		len = e != NULL ? (size_t)(e - s) : strlen(s);
		lines[i] = xstrndup(s, len);
		s += len + (e != NULL);
	}
	rc = list_pages(ctx, req, "more.list", "more.header", NULL, NULL,
	    lines, n, reply);
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	return rc;
}
