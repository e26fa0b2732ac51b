/*
 * abuse: the limits behind abuse.h.
 *
 * Per-sender state is one fixed-size record in a preallocated array,
 * found through a chained hash table (bucket heads and chain links are
 * array indices) and kept in a doubly linked recency list: a lookup, an
 * insert and an eviction of the least recently seen sender are all O(1),
 * and memory is fixed at start-up whatever a flood of new numbers does.
 * The hash is salted so that the chains cannot be chosen from outside.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "abuse.h"
#include "config.h"
#include "log.h"
#include "metrics.h"
#include "util.h"

#define NIL		UINT32_MAX
#define PHONE_MAX	20		/* E.164 is at most 16 bytes */
#define HOUR_MS		3600000LL
#define DAY_MS		86400000LL
#define IST_OFFSET_MS	19800000LL	/* +05:30: the coalition's day */
#define RING		128		/* our recent distinct replies */
#define ECHO_MIN_LEN	20		/* shorter texts repeat by chance */

#define M_REFUSED	"sampark_abuse_refused_total"
#define M_TRIPS		"sampark_outbound_budget_trips_total"
#define M_SENDERS	"sampark_abuse_senders_tracked"
#define M_USED		"sampark_outbound_budget_used"
#define M_LIMIT		"sampark_outbound_budget_limit"

struct entry {
	char		 phone[PHONE_MAX];
	uint32_t	 hnext;		/* next in the hash chain */
	uint32_t	 newer, older;	/* recency list */
	struct abuse_sender st;	/* her limits' state (abuse.h) */
	uint32_t	 batch;		/* journalled in this batch (gen) */
};

/* A refusal decided in a batch, counted and logged if it commits. */
struct refusal {
	uint8_t		 v;
	char		 line[200];
};

/* A sender's record as it was before a batch first touched it. */
struct undo {
	uint32_t	 i;
	struct entry	 was;
};

struct abuse {
	struct abuse_conf	 conf;
	char			*prefixes;	/* conf.allowed_prefixes */
	struct metrics		*metrics;
	struct entry		*entries;
	size_t			 capacity, used;
	uint32_t		*buckets;
	size_t			 nbuckets;	/* power of two */
	uint32_t		 newest, oldest;
	uint64_t		 seed;
	uint64_t		 ring[RING];
	size_t			 ring_next;
	int64_t			 budget_hour;
	uint64_t		 budget_used;
	int			 budget_out;	/* exhausted this hour */
	uint64_t		 refused[ABUSE_NVERDICTS];
	uint64_t		 budget_trips;
	int64_t			 published_ms;	/* gauges last copied */
	/* The open batch (abuse_batch_begin): what to put back. */
	int			 in_batch;
	uint32_t		 gen;
	struct undo		*undo;
	size_t			 nundo, capundo;
	uint64_t		 was_ring[RING];
	size_t			 was_ring_next;
	int64_t			 was_budget_hour;
	uint64_t		 was_budget_used;
	int			 was_budget_out;
	struct refusal		*refusals;
	size_t			 nrefusals, caprefusals;
};

static const char *const verdict_names[ABUSE_NVERDICTS] = {
	"ok", "rate", "loop", "automated", "reply_cap", "prefix", "budget",
};

/* Phrases auto-responders put in their messages. */
static const char *const machine_markers[] = {
	"auto-reply", "autoreply", "auto reply", "automatic reply",
	"automated message", "this is an automated", "do not reply to this",
};

const char *
abuse_verdict_name(enum abuse_verdict v)
{
	return (unsigned)v < ABUSE_NVERDICTS ? verdict_names[v] : "unknown";
}

/* ---- the table ---- */

static uint64_t
hash_phone(uint64_t seed, const char *s)
{
	uint64_t h = util_fnv1a(seed, s);

	/* FNV's low bits mix poorly; the bucket index takes low bits. */
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 32);
}

/*
 * A text's fingerprint, blind to case, spaces and ASCII punctuation, so
 * that "Reply HELP." and "reply help" compare equal.  *len counts the
 * bytes that took part.
 */
static uint64_t
hash_text(const char *s, size_t *len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	unsigned char c;

	*len = 0;
	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if (c < 0x80 && !((c >= '0' && c <= '9') ||
		    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
			continue;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h ^= c;
		h *= 0x100000001b3ULL;
		(*len)++;
	}
	return h;
}

static void
lru_unlink(struct abuse *a, uint32_t i)
{
	struct entry *e = &a->entries[i];

	if (e->newer != NIL)
		a->entries[e->newer].older = e->older;
	else
		a->newest = e->older;
	if (e->older != NIL)
		a->entries[e->older].newer = e->newer;
	else
		a->oldest = e->newer;
	e->newer = e->older = NIL;
}

static void
lru_push(struct abuse *a, uint32_t i)
{
	struct entry *e = &a->entries[i];

	e->newer = NIL;
	e->older = a->newest;
	if (a->newest != NIL)
		a->entries[a->newest].newer = i;
	a->newest = i;
	if (a->oldest == NIL)
		a->oldest = i;
}

static void
bucket_remove(struct abuse *a, uint32_t i)
{
	uint32_t *p = &a->buckets[hash_phone(a->seed, a->entries[i].phone) &
	    (a->nbuckets - 1)];

	while (*p != NIL && *p != i)
		p = &a->entries[*p].hnext;
	if (*p == i)
		*p = a->entries[i].hnext;
}

/* The sender's record, made (evicting the oldest if full) when new. */
static struct entry *
lookup(struct abuse *a, const char *phone)
{
	size_t b = hash_phone(a->seed, phone) & (a->nbuckets - 1);
	struct entry *e;
	uint32_t i;

	for (i = a->buckets[b]; i != NIL; i = a->entries[i].hnext)
		if (strcmp(a->entries[i].phone, phone) == 0)
			break;
	if (i == NIL) {
		if (a->used < a->capacity)
			i = (uint32_t)a->used++;
		else {
			i = a->oldest;
			bucket_remove(a, i);
			lru_unlink(a, i);
		}
		e = &a->entries[i];
		memset(e, 0, sizeof(*e));
		util_strlcpy(e->phone, phone, sizeof(e->phone));
		e->hnext = a->buckets[b];
		a->buckets[b] = i;
		e->newer = e->older = NIL;
	} else {
		if (a->newest == i)
			goto out;
		lru_unlink(a, i);
	}
	lru_push(a, i);
out:
	e = &a->entries[i];
	/* Every change to a sender goes through here first: journal it. */
	if (a->in_batch && e->batch != a->gen) {
		if (a->nundo == a->capundo) {
			a->capundo = a->capundo == 0 ? 64 : a->capundo * 2;
			a->undo = xreallocarray(a->undo, a->capundo,
			    sizeof(*a->undo));
		}
		a->undo[a->nundo].i = i;
		a->undo[a->nundo++].was = *e;
		e->batch = a->gen;
	}
	return e;
}

/* ---- batches: counters follow what the store committed ---- */

/* Count a refusal, and log it unless line is "" (already logged). */
static void
refusal_done(struct abuse *a, enum abuse_verdict v, const char *line)
{
	a->refused[v]++;
	metrics_add(a->metrics, M_REFUSED, 1, "reason", verdict_names[v],
	    NULL);
	if (*line != '\0')
		log_warn("abuse_limited", "%s", line);
}

void
abuse_batch_begin(struct abuse *a)
{
	a->in_batch = 1;
	if (++a->gen == 0)
		a->gen = 1;	/* 0 marks a record never journalled */
	a->nundo = 0;
	a->nrefusals = 0;
	memcpy(a->was_ring, a->ring, sizeof(a->ring));
	a->was_ring_next = a->ring_next;
	a->was_budget_hour = a->budget_hour;
	a->was_budget_used = a->budget_used;
	a->was_budget_out = a->budget_out;
}

void
abuse_batch_end(struct abuse *a, int committed)
{
	struct entry *e, keep;
	size_t k;

	if (!a->in_batch)
		return;
	a->in_batch = 0;
	if (committed) {
		for (k = 0; k < a->nrefusals; k++)
			refusal_done(a, (enum abuse_verdict)a->refusals[k].v,
			    a->refusals[k].line);
		a->nrefusals = 0;
		a->nundo = 0;
		return;
	}
	a->nrefusals = 0;
	for (k = a->nundo; k-- > 0;) {
		e = &a->entries[a->undo[k].i];
		/* Evicted and reused in the batch: the one forgotten was
		 * the least recently seen, as without a batch. */
		if (strcmp(e->phone, a->undo[k].was.phone) != 0)
			continue;
		/* The counters go back; its place in the table stays. */
		keep = *e;
		*e = a->undo[k].was;
		e->hnext = keep.hnext;
		e->newer = keep.newer;
		e->older = keep.older;
		e->batch = 0;
	}
	a->nundo = 0;
	memcpy(a->ring, a->was_ring, sizeof(a->ring));
	a->ring_next = a->was_ring_next;
	a->budget_hour = a->was_budget_hour;
	a->budget_used = a->was_budget_used;
	a->budget_out = a->was_budget_out;
}

/* ---- life cycle and settings ---- */

struct abuse *
abuse_new(size_t max_senders, uint64_t seed)
{
	struct abuse *a = xcalloc(1, sizeof(*a));
	size_t i;

	if (max_senders < 16)
		max_senders = 16;
	if (max_senders > NIL / 2)
		max_senders = NIL / 2;
	a->capacity = max_senders;
	for (a->nbuckets = 16; a->nbuckets < max_senders; a->nbuckets *= 2)
		;
	a->entries = xcalloc(a->capacity, sizeof(*a->entries));
	a->buckets = xreallocarray(NULL, a->nbuckets, sizeof(*a->buckets));
	for (i = 0; i < a->nbuckets; i++)
		a->buckets[i] = NIL;
	a->newest = a->oldest = NIL;
	a->seed = seed;
	a->budget_hour = -1;
	a->prefixes = xstrdup("");
	a->conf.allowed_prefixes = a->prefixes;
	return a;
}

void
abuse_free(struct abuse *a)
{
	if (a == NULL)
		return;
	free(a->entries);
	free(a->buckets);
	free(a->prefixes);
	free(a->undo);
	free(a->refusals);
	free(a);
}

void
abuse_set_conf(struct abuse *a, const struct abuse_conf *c)
{
	char *p = xstrdup(c->allowed_prefixes ? c->allowed_prefixes : "");

	free(a->prefixes);
	a->conf = *c;
	a->prefixes = p;
	a->conf.allowed_prefixes = p;
}

void
abuse_configure(struct abuse *a, const struct config *cfg)
{
	struct abuse_conf c;

	memset(&c, 0, sizeof(c));
	c.inbound_per_hour = config_int(cfg, "inbound_per_hour");
	c.replies_per_day = config_int(cfg, "replies_per_day");
	c.outbound_per_hour = config_int(cfg, "outbound_per_hour");
	c.loop_repeats = config_int(cfg, "loop_repeats");
	c.loop_window_s = config_int(cfg, "loop_window");
	c.loop_fast_ms = config_int(cfg, "loop_fast_ms");
	c.loop_fast_strikes = config_int(cfg, "loop_fast_strikes");
	c.allowed_prefixes = config_str(cfg, "allowed_prefixes");
	abuse_set_conf(a, &c);
}

void
abuse_set_metrics(struct abuse *a, struct metrics *m)
{
	a->metrics = m;
	a->published_ms = INT64_MIN / 2;
	if (m == NULL)
		return;
	metrics_declare(m, M_REFUSED, METRIC_COUNTER, "Messages not sent or "
	    "not answered because of an abuse limit, by reason", NULL, 0);
	metrics_declare(m, M_TRIPS, METRIC_COUNTER, "Clock hours in which "
	    "the global outbound budget ran out", NULL, 0);
	metrics_declare(m, M_SENDERS, METRIC_GAUGE, "Senders whose rate and "
	    "loop state is kept in memory", NULL, 0);
	metrics_declare(m, M_USED, METRIC_GAUGE, "Messages started this "
	    "clock hour against the outbound budget", NULL, 0);
	metrics_declare(m, M_LIMIT, METRIC_GAUGE, "The outbound budget per "
	    "hour (0: none)", NULL, 0);
}

void
abuse_metrics_update(const struct abuse *a, struct metrics *m)
{
	metrics_set(m, M_SENDERS, (double)a->used, NULL);
	metrics_set(m, M_USED, (double)a->budget_used, NULL);
	metrics_set(m, M_LIMIT, (double)a->conf.outbound_per_hour, NULL);
}

void
abuse_stats(const struct abuse *a, struct abuse_stats *st)
{
	memset(st, 0, sizeof(*st));
	memcpy(st->refused, a->refused, sizeof(st->refused));
	st->senders = a->used;
	st->capacity = a->capacity;
	st->budget_used = a->budget_used;
	st->budget_limit = a->conf.outbound_per_hour;
	st->budget_trips = a->budget_trips;
}

/* The gauges, at most once a second: cheap enough for the hot path. */
static void
publish(struct abuse *a, int64_t now_ms)
{
	if (a->metrics == NULL || (now_ms - a->published_ms < 1000 &&
	    now_ms >= a->published_ms))
		return;
	a->published_ms = now_ms;
	abuse_metrics_update(a, a->metrics);
}

/* ---- state kept elsewhere (several daemons) ---- */

void
abuse_sender_import(struct abuse *a, const char *phone,
    const struct abuse_sender *s)
{
	static const struct abuse_sender never_seen;

	lookup(a, phone)->st = s != NULL ? *s : never_seen;
}

/* The sender's record if kept, without making one or moving it. */
static const struct entry *
find(const struct abuse *a, const char *phone)
{
	uint32_t i = a->buckets[hash_phone(a->seed, phone) &
	    (a->nbuckets - 1)];

	for (; i != NIL; i = a->entries[i].hnext)
		if (strcmp(a->entries[i].phone, phone) == 0)
			return &a->entries[i];
	return NULL;
}

int
abuse_sender_export(const struct abuse *a, const char *phone,
    struct abuse_sender *s)
{
	const struct entry *e = find(a, phone);

	memset(s, 0, sizeof(*s));
	if (e == NULL)
		return 0;
	*s = e->st;
	return 1;
}

long
abuse_budget_limit(const struct abuse *a)
{
	return a->conf.outbound_per_hour;
}

/* ---- decisions ---- */

static enum abuse_verdict
refuse(struct abuse *a, struct entry *e, enum abuse_verdict v,
    const char *detail)
{
	char masked[32], line[200];
	struct refusal *r;

	line[0] = '\0';
	if (e == NULL) {
		snprintf(line, sizeof(line), "reason=%s %s", verdict_names[v],
		    detail);
	} else if (!(e->st.logged & (1u << v))) {
		/* Once per episode: a flood must not become a flood of log
		 * lines. */
		e->st.logged |= (uint8_t)(1u << v);
		snprintf(line, sizeof(line), "reason=%s phone=%s %s",
		    verdict_names[v], log_phone(e->phone, masked,
		    sizeof(masked)), detail);
	}
	if (!a->in_batch) {
		refusal_done(a, v, line);
		return v;
	}
	if (a->nrefusals == a->caprefusals) {
		a->caprefusals = a->caprefusals == 0 ? 16 : a->caprefusals * 2;
		a->refusals = xreallocarray(a->refusals, a->caprefusals,
		    sizeof(*a->refusals));
	}
	r = &a->refusals[a->nrefusals++];
	r->v = (uint8_t)v;
	memcpy(r->line, line, sizeof(r->line));
	return v;
}

/* GCRA: an even rate of n per hour with a burst of n. */
static int
rate_ok(struct entry *e, long per_hour, int64_t now)
{
	int64_t t = HOUR_MS / per_hour, tat = e->st.tat > now ? e->st.tat : now;

	if (tat - now > t * (per_hour - 1))
		return 0;
	e->st.tat = tat + t;
	return 1;
}

static int
is_ours(const struct abuse *a, uint64_t h)
{
	size_t i;

	for (i = 0; i < RING; i++)
		if (a->ring[i] == h)
			return 1;
	return 0;
}

static int
says_automatic(const char *text)
{
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(machine_markers); i++)
		if (strcasestr(text, machine_markers[i]) != NULL)
			return 1;
	return 0;
}

enum abuse_verdict
abuse_inbound(struct abuse *a, const char *phone, const char *text,
    int64_t now_ms)
{
	const struct abuse_conf *c = &a->conf;
	struct entry *e = lookup(a, phone);
	enum abuse_verdict why = ABUSE_OK;
	char detail[96];
	size_t len;
	uint64_t h;
	int fast = 0;

	publish(a, now_ms);
	if (c->inbound_per_hour > 0 && !rate_ok(e, c->inbound_per_hour,
	    now_ms)) {
		snprintf(detail, sizeof(detail), "limit=%ld/hour",
		    c->inbound_per_hour);
		return refuse(a, e, ABUSE_RATE, detail);
	}
	h = hash_text(text, &len);
	if (h == e->st.last_text && e->st.repeats > 0 &&
	    now_ms - e->st.repeat_since <= c->loop_window_s * 1000)
		e->st.repeats++;
	else {
		e->st.last_text = h;
		e->st.repeats = 1;
		e->st.repeat_since = now_ms;
	}
	/* Only an answer to our reply says how fast she answers. */
	if (e->st.last_reply_ms != 0) {
		if ((fast = now_ms - e->st.last_reply_ms < c->loop_fast_ms))
			e->st.fast++;
		else
			e->st.fast = 0;
		e->st.last_reply_ms = 0;
	}
	if (c->loop_repeats > 0 && e->st.repeats >= (uint32_t)c->loop_repeats) {
		why = ABUSE_LOOP;
		snprintf(detail, sizeof(detail), "repeats=%u window_s=%ld",
		    e->st.repeats, c->loop_window_s);
	} else if (c->loop_repeats > 0 && ((len >= ECHO_MIN_LEN &&
	    is_ours(a, h)) || says_automatic(text))) {
		why = ABUSE_AUTOMATED;
		snprintf(detail, sizeof(detail), "sign=echo_or_marker");
	} else if (fast && c->loop_fast_strikes > 0 &&
	    e->st.fast >= (uint32_t)c->loop_fast_strikes) {
		why = ABUSE_AUTOMATED;
		snprintf(detail, sizeof(detail), "sign=fast answers=%u "
		    "under_ms=%ld", e->st.fast, c->loop_fast_ms);
	}
	if (why != ABUSE_OK) {
		e->st.muted_until = now_ms + c->loop_window_s * 1000;
		e->st.muted_why = (uint8_t)why;
		return refuse(a, e, why, detail);
	}
	if (e->st.muted_until > now_ms) {
		snprintf(detail, sizeof(detail), "muted_for_s=%lld",
		    (long long)((e->st.muted_until - now_ms) / 1000));
		return refuse(a, e, (enum abuse_verdict)e->st.muted_why, detail);
	}
	e->st.logged = 0;
	return ABUSE_OK;
}

int
abuse_prefix_match(const char *prefixes, const char *phone)
{
	const char *p = prefixes, *end;
	size_t len;

	if (phone == NULL)
		return 0;
	if (*phone == '+')
		phone++;
	for (;;) {
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		end = p + strcspn(p, ", \t");
		if (*p == '*' && end == p + 1)
			return 1;
		if (*p == '+')
			p++;
		len = (size_t)(end - p);
		if (len > 0 && strncmp(phone, p, len) == 0)
			return 1;
		p = end;
	}
	/* No prefix named at all: no restriction. */
	return strspn(prefixes, " ,\t") == strlen(prefixes);
}

int
abuse_destination_ok(struct abuse *a, const char *phone)
{
	char masked[32], detail[200];

	if (abuse_prefix_match(a->conf.allowed_prefixes, phone))
		return 1;
	snprintf(detail, sizeof(detail), "to=%s allowed_prefixes=\"%.100s\"",
	    log_phone(phone, masked, sizeof(masked)),
	    a->conf.allowed_prefixes);
	refuse(a, NULL, ABUSE_PREFIX, detail);
	return 0;
}

static void
budget_roll(struct abuse *a, int64_t now_ms)
{
	int64_t hour = now_ms / HOUR_MS;

	if (hour == a->budget_hour)
		return;
	if (a->budget_out)
		log_info("outbound_budget", "state=resumed used_last_hour=%llu",
		    (unsigned long long)a->budget_used);
	a->budget_hour = hour;
	a->budget_used = 0;
	a->budget_out = 0;
}

size_t
abuse_budget_left(struct abuse *a, int64_t now_ms)
{
	uint64_t limit = (uint64_t)a->conf.outbound_per_hour;

	budget_roll(a, now_ms);
	if (limit == 0)
		return SIZE_MAX;
	if (a->budget_used < limit)
		return (size_t)(limit - a->budget_used);
	if (!a->budget_out) {
		a->budget_out = 1;
		a->budget_trips++;
		metrics_add(a->metrics, M_TRIPS, 1, NULL);
		log_warn("outbound_budget", "state=exhausted limit=%llu/hour "
		    "resumes_in_s=%lld", (unsigned long long)limit,
		    (long long)(abuse_budget_wait_ms(now_ms) / 1000));
	}
	return 0;
}

void
abuse_budget_seen(struct abuse *a, uint64_t used, int64_t now_ms)
{
	budget_roll(a, now_ms);
	a->budget_used = used;
	publish(a, now_ms);
}

void
abuse_budget_take(struct abuse *a, size_t n, int64_t now_ms)
{
	budget_roll(a, now_ms);
	a->budget_used += n;
	publish(a, now_ms);
}

int64_t
abuse_budget_wait_ms(int64_t now_ms)
{
	return HOUR_MS - now_ms % HOUR_MS;
}

enum abuse_verdict
abuse_reply(struct abuse *a, const char *phone, const char *const *texts,
    size_t n, int costs, int64_t now_ms)
{
	const struct abuse_conf *c = &a->conf;
	struct entry *e;
	int64_t day = (now_ms + IST_OFFSET_MS) / DAY_MS;
	char detail[64];
	size_t i, len;
	uint64_t h;

	if (n == 0)
		return ABUSE_OK;
	if (!abuse_destination_ok(a, phone))
		return ABUSE_PREFIX;
	e = lookup(a, phone);
	if (e->st.day != day) {
		e->st.day = day;
		e->st.replies_today = 0;
	}
	if (c->replies_per_day > 0 &&
	    e->st.replies_today + n > (size_t)c->replies_per_day) {
		snprintf(detail, sizeof(detail), "limit=%ld/day",
		    c->replies_per_day);
		return refuse(a, e, ABUSE_REPLY_CAP, detail);
	}
	if (costs && abuse_budget_left(a, now_ms) < n) {
		snprintf(detail, sizeof(detail), "limit=%ld/hour",
		    c->outbound_per_hour);
		return refuse(a, e, ABUSE_BUDGET, detail);
	}
	if (costs)
		abuse_budget_take(a, n, now_ms);
	e->st.replies_today += (uint32_t)n;
	e->st.last_reply_ms = now_ms ? now_ms : 1;
	for (i = 0; i < n; i++) {
		h = hash_text(texts[i], &len);
		if (len >= ECHO_MIN_LEN && !is_ours(a, h)) {
			a->ring[a->ring_next] = h;
			a->ring_next = (a->ring_next + 1) % RING;
		}
	}
	return ABUSE_OK;
}
