/*
 * fake_ops: a handler's world in memory.  Small linear tables: a test
 * holds a few dozen contacts at most.
 */
#include <stdlib.h>
#include <string.h>

#include "fake_ops.h"
#include "util.h"

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
contact_copy(struct contact *dst, const struct contact *src)
{
	*dst = *src;
	dst->phone = dup_or_null(src->phone);
	dst->name = dup_or_null(src->name);
	dst->language = dup_or_null(src->language);
	dst->district = dup_or_null(src->district);
	dst->role = dup_or_null(src->role);
	dst->pending_keyword = dup_or_null(src->pending_keyword);
	dst->more_text = dup_or_null(src->more_text);
}

static struct contact *
contact_slot(const struct fake_ops *fo, const char *phone)
{
	size_t i;

	for (i = 0; i < fo->ncontacts; i++)
		if (strcmp(fo->contacts[i].phone, phone) == 0)
			return &fo->contacts[i];
	return NULL;
}

struct fake_ops *
fake_ops_new(void)
{
	return xcalloc(1, sizeof(struct fake_ops));
}

void
fake_ops_free(struct fake_ops *fo)
{
	size_t i;

	if (fo == NULL)
		return;
	for (i = 0; i < fo->ncontacts; i++)
		records_contact_clear(&fo->contacts[i]);
	free(fo->contacts);
	for (i = 0; i < fo->ninterests; i++) {
		free(fo->interests[i].phone);
		free(fo->interests[i].category);
	}
	free(fo->interests);
	records_stakeholders_free(fo->stakeholders, fo->nstakeholders);
	free(fo);
}

void
fake_ops_contact_set(struct fake_ops *fo, const struct contact *c)
{
	struct contact *slot = contact_slot(fo, c->phone);

	if (slot == NULL) {
		fo->contacts = xreallocarray(fo->contacts, fo->ncontacts + 1,
		    sizeof(*fo->contacts));
		slot = &fo->contacts[fo->ncontacts++];
	} else
		records_contact_clear(slot);
	contact_copy(slot, c);
	/* The store's default: everyone is an entrepreneur until made a
	 * coordinator. */
	if (slot->role == NULL)
		slot->role = xstrdup("entrepreneur");
}

const struct contact *
fake_ops_contact_find(const struct fake_ops *fo, const char *phone)
{
	return contact_slot(fo, phone);
}

int
fake_ops_interest_has(const struct fake_ops *fo, const char *phone,
    const char *category)
{
	size_t i;

	for (i = 0; i < fo->ninterests; i++)
		if (strcmp(fo->interests[i].phone, phone) == 0 &&
		    strcmp(fo->interests[i].category, category) == 0)
			return 1;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *
fake_ops_interests(const struct fake_ops *fo, const char *phone)
{
	const char **names = xcalloc(fo->ninterests + 1, sizeof(*names));
	size_t i, n = 0;
	struct buf b;

	for (i = 0; i < fo->ninterests; i++)
		if (strcmp(fo->interests[i].phone, phone) == 0)
			names[n++] = fo->interests[i].category;
	qsort(names, n, sizeof(*names), cmp_str);
	buf_init(&b, 0);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(&b, ',');
		buf_puts(&b, names[i]);
	}
	free(names);
	return buf_steal(&b);
}

void
fake_ops_stakeholder_add(struct fake_ops *fo, const char *name,
    const char *category, const char *district, const char *phone)
{
	struct stakeholder *s;

	fo->stakeholders = xreallocarray(fo->stakeholders,
	    fo->nstakeholders + 1, sizeof(*fo->stakeholders));
	s = &fo->stakeholders[fo->nstakeholders++];
	s->name = xstrdup(name);
	s->category = xstrdup(category);
	s->district = xstrdup(district);
	s->phone = xstrdup(phone);
	s->languages = xstrdup("hi|en");
	s->description_en = xstrdup("");
	s->description_hi = xstrdup("");
	/* As the store numbers an imported directory. */
	s->id = (int64_t)fo->nstakeholders;
}

/* ---- struct sp_ctx_ops ---- */

static int
fake_contact_get(void *arg, const char *phone, struct contact *c)
{
	struct fake_ops *fo = arg;
	const struct contact *have;

	fo->calls.contact_get++;
	memset(c, 0, sizeof(*c));
	if (fo->fail & FAKE_OPS_FAIL_GET)
		return -1;
	if ((have = contact_slot(fo, phone)) == NULL)
		return 0;
	contact_copy(c, have);
	return 1;
}

static int
fake_contact_put(void *arg, const struct contact *c)
{
	struct fake_ops *fo = arg;

	fo->calls.contact_put++;
	if (fo->fail & FAKE_OPS_FAIL_PUT)
		return -1;
	fake_ops_contact_set(fo, c);
	return 0;
}

static int
fake_interest_add(void *arg, const char *phone, const char *category,
    int64_t now_ms)
{
	struct fake_ops *fo = arg;
	struct fake_ops_interest *it;

	(void)now_ms;
	fo->calls.interest_add++;
	if (fo->fail & FAKE_OPS_FAIL_INTEREST)
		return -1;
	if (fake_ops_interest_has(fo, phone, category))
		return 0;
	fo->interests = xreallocarray(fo->interests, fo->ninterests + 1,
	    sizeof(*fo->interests));
	it = &fo->interests[fo->ninterests++];
	it->phone = xstrdup(phone);
	it->category = xstrdup(category);
	return 0;
}

static int
fake_stakeholders_find(void *arg, const char *category, const char *district,
    struct stakeholder **rows, size_t *n)
{
	struct fake_ops *fo = arg;
	const struct stakeholder *s;
	size_t i;

	fo->calls.stakeholders_find++;
	util_strlcpy(fo->calls.category, category, sizeof(fo->calls.category));
	util_strlcpy(fo->calls.district, district, sizeof(fo->calls.district));
	*rows = NULL;
	*n = 0;
	if (fo->fail & FAKE_OPS_FAIL_FIND)
		return -1;
	*rows = xcalloc(fo->nstakeholders + 1, sizeof(**rows));
	for (i = 0; i < fo->nstakeholders; i++) {
		s = &fo->stakeholders[i];
		if (strcmp(s->category, category) == 0 &&
		    (strcmp(s->district, district) == 0 ||
		    strcmp(s->district, "*") == 0))
			(*rows)[(*n)++] = *s;
	}
	fo->calls.rows_held++;
	return 0;
}

static void
fake_stakeholders_free(void *arg, struct stakeholder *rows, size_t n)
{
	struct fake_ops *fo = arg;

	(void)n;
	fo->calls.stakeholders_free++;
	fo->calls.rows_held--;
	free(rows);	/* shallow copies of the world's rows */
}

static int
fake_stakeholders_get(void *arg, const int64_t *ids, size_t n,
    struct stakeholder **rows, size_t *nrows)
{
	struct fake_ops *fo = arg;
	size_t i, j;

	fo->calls.stakeholders_get++;
	*rows = NULL;
	*nrows = 0;
	if (fo->fail & FAKE_OPS_FAIL_FIND)
		return -1;
	*rows = xcalloc(n + 1, sizeof(**rows));
	for (i = 0; i < n; i++)
		for (j = 0; j < fo->nstakeholders; j++)
			if (fo->stakeholders[j].id == ids[i]) {
				(*rows)[(*nrows)++] = fo->stakeholders[j];
				break;
			}
	fo->calls.rows_held++;
	return 0;
}

static const struct sp_ctx_ops fake_ctx_ops = {
	.contact_get = fake_contact_get,
	.contact_put = fake_contact_put,
	.interest_add = fake_interest_add,
	.stakeholders_find = fake_stakeholders_find,
	.stakeholders_free = fake_stakeholders_free,
	.stakeholders_get = fake_stakeholders_get,
};

/* ---- struct handler_broadcast_ops ---- */

static int
fake_notice_prepare(void *arg, const char *phone, const char *district,
    const char *text, struct sp_notice_preview *pv)
{
	struct fake_ops *fo = arg;

	fo->calls.notice_prepare++;
	util_strlcpy(fo->calls.phone, phone, sizeof(fo->calls.phone));
	util_strlcpy(fo->calls.district, district, sizeof(fo->calls.district));
	util_strlcpy(fo->calls.text, text, sizeof(fo->calls.text));
	*pv = fo->bcast.preview;
	return fo->bcast.prepare_rc;
}

static int
fake_notice_confirm(void *arg, const char *phone, const char *code,
    int64_t *recipients)
{
	struct fake_ops *fo = arg;

	fo->calls.notice_confirm++;
	util_strlcpy(fo->calls.phone, phone, sizeof(fo->calls.phone));
	util_strlcpy(fo->calls.code, code, sizeof(fo->calls.code));
	*recipients = fo->bcast.confirm_recipients;
	return fo->bcast.confirm_rc;
}

static int
fake_rsvp(void *arg, const char *phone, int yes, char **title,
    int64_t *meeting_ms)
{
	struct fake_ops *fo = arg;

	fo->calls.rsvp++;
	util_strlcpy(fo->calls.phone, phone, sizeof(fo->calls.phone));
	fo->calls.yes = yes;
	if (fo->bcast.rsvp_rc != 1 && fo->bcast.rsvp_rc != 2)
		return fo->bcast.rsvp_rc;
	*title = xstrdup(fo->bcast.rsvp_title ? fo->bcast.rsvp_title : "");
	*meeting_ms = fo->bcast.rsvp_meeting_ms;
	return fo->bcast.rsvp_rc;
}

static int
fake_notice_status(void *arg, const char *phone, struct sp_notice_status *st)
{
	struct fake_ops *fo = arg;

	fo->calls.notice_status++;
	util_strlcpy(fo->calls.phone, phone, sizeof(fo->calls.phone));
	memset(st, 0, sizeof(*st));
	if (fo->bcast.status_rc == 1)
		*st = fo->bcast.status;
	return fo->bcast.status_rc;
}

static const struct handler_broadcast_ops fake_bcast_ops = {
	.notice_prepare = fake_notice_prepare,
	.notice_confirm = fake_notice_confirm,
	.rsvp = fake_rsvp,
	.notice_status = fake_notice_status,
};

void
fake_ops_attach(struct fake_ops *fo, struct sp_ctx *ctx)
{
	ctx->ops = &fake_ctx_ops;
	ctx->ops_arg = fo;
}

void
fake_ops_attach_bcast(struct fake_ops *fo, struct sp_ctx *ctx)
{
	ctx->broadcast = &fake_bcast_ops;
	ctx->broadcast_arg = fo;
}
