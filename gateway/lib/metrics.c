/*
 * metrics: the registry behind metrics.h.
 *
 * A few dozen families with at most a few hundred series each: linear
 * scans over rendered label strings are cheaper than any hash at this
 * size, and keep the render order stable (declaration, then creation).
 */
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "util.h"

#define LABELS_MAX	512

/* Latency buckets in seconds: a webhook answers in milliseconds, a
 * provider's API in up to tens of seconds. */
static const double buckets[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
    0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
#define NBUCKETS	SP_ARRAY_LEN(buckets)

struct series {
	char		*labels;	/* rendered: k="v",k2="v2" (or "") */
	uint64_t	 hash;		/* of labels: compared before them */
	double		 value;		/* counter, gauge */
	uint64_t	 counts[NBUCKETS];	/* histogram, not cumulative */
	uint64_t	 count;
	double		 sum;
};

struct family {
	char		*name;
	char		*help;
	enum metric_kind kind;
	struct series	*series;
	size_t		 n;
};

/*
 * Every webhook counts several times, each by a family's name, nearly
 * always a string literal: the family last found for a name's address is
 * remembered (and its name still compared, the address being no proof).
 */
#define HOT_SLOTS	64

struct metrics {
	struct family	*families;
	size_t		 n;
	int64_t		 start_mono;
	struct {
		const char	*name;
		size_t		 i;
	} hot[HOT_SLOTS];
};

struct metrics *
metrics_new(void)
{
	struct metrics *m = xcalloc(1, sizeof(*m));

	m->start_mono = util_mono_ms();
	return m;
}

void
metrics_free(struct metrics *m)
{
	size_t i, j;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++) {
		for (j = 0; j < m->families[i].n; j++)
			free(m->families[i].series[j].labels);
		free(m->families[i].series);
		free(m->families[i].name);
		free(m->families[i].help);
	}
	free(m->families);
	free(m);
}

static int
valid_name(const char *s, int colon_ok)
{
	const char *p;

	if (s == NULL || *s == '\0' || (*s >= '0' && *s <= '9'))
		return 0;
	for (p = s; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' ||
		    (colon_ok && *p == ':')))
			return 0;
	return 1;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static struct family *
family_find(const struct metrics *m, const char *name)
{
	size_t i;

	for (i = 0; m != NULL && i < m->n; i++)
		if (strcmp(m->families[i].name, name) == 0)
			return &m->families[i];
	return NULL;
}

static struct family *
family_find_hot(struct metrics *m, const char *name)
{
	size_t slot = ((uintptr_t)name >> 3) % HOT_SLOTS;
	struct family *f;

	if (m->hot[slot].name == name && m->hot[slot].i < m->n &&
	    strcmp(m->families[m->hot[slot].i].name, name) == 0)
		return &m->families[m->hot[slot].i];
	if ((f = family_find(m, name)) != NULL) {
		m->hot[slot].name = name;
		m->hot[slot].i = (size_t)(f - m->families);
	}
	return f;
}

int
metrics_declare(struct metrics *m, const char *name, enum metric_kind kind,
    const char *help, char *err, size_t errlen)
{
	struct family *f;

	if (!valid_name(name, 1) || (kind == METRIC_HISTOGRAM &&
	    (ends_with(name, "_bucket") || ends_with(name, "_sum") ||
	    ends_with(name, "_count")))) {
		util_err(err, errlen, "invalid metric name \"%s\"", name);
		return -1;
	}
	if ((f = family_find(m, name)) != NULL) {
		if (f->kind == kind)
			return 0;
		util_err(err, errlen, "metric %s declared twice with different "
		    "kinds", name);
		return -1;
	}
	m->families = xreallocarray(m->families, m->n + 1,
	    sizeof(*m->families));
	f = &m->families[m->n++];
	memset(f, 0, sizeof(*f));
	f->name = xstrdup(name);
	/* Help text: one line, backslashes escaped (the format's rule). */
	{
		struct buf b;
		const char *p;

		buf_init(&b, 0);
		for (p = help != NULL ? help : ""; *p != '\0'; p++) {
			if (*p == '\\')
				buf_puts(&b, "\\\\");
			else if (*p == '\n')
				buf_puts(&b, "\\n");
			else
				buf_putc(&b, *p);
		}
		f->help = b.data != NULL ? buf_steal(&b) : xstrdup("");
	}
	f->kind = kind;
	return 0;
}

/*
 * Render the label pairs of ap into out: k="v",...  With fold set every
 * value becomes "_other".  0, or -1 on an invalid label name or overflow.
 */
static int
render_labels(va_list ap, int fold, char *out, size_t outlen)
{
	const char *k, *v, *p;
	size_t o = 0;
	int first = 1;

	/* Straight into out: this runs on every count, on the hot path. */
#define PUT(c) do {							\
		if (o + 1 >= outlen)					\
			return -1;					\
		out[o++] = (c);						\
	} while (0)
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		if (!valid_name(k, 0) || strncmp(k, "__", 2) == 0)
			return -1;
		if (fold)
			v = "_other";
		if (!first)
			PUT(',');
		first = 0;
		for (p = k; *p != '\0'; p++)
			PUT(*p);
		PUT('=');
		PUT('"');
		for (p = v != NULL ? v : ""; *p != '\0'; p++) {
			if (*p == '\\' || *p == '"') {
				PUT('\\');
				PUT(*p);
			} else if (*p == '\n') {
				PUT('\\');
				PUT('n');
			} else {
				PUT(*p);
			}
		}
		PUT('"');
	}
#undef PUT
	out[o] = '\0';
	return 0;
}

static struct series *
series_get(struct family *f, const char *labels)
{
	/* Labels are hashed on every count: a word at a time. */
	uint64_t h = util_hash_mix(0, labels, strlen(labels));
	struct series *s;
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->series[i].hash == h &&
		    strcmp(f->series[i].labels, labels) == 0)
			return &f->series[i];
	f->series = xreallocarray(f->series, f->n + 1, sizeof(*f->series));
	s = &f->series[f->n++];
	memset(s, 0, sizeof(*s));
	s->labels = xstrdup(labels);
	s->hash = h;
	return s;
}

static int
series_exists(const struct family *f, const char *labels)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->series[i].labels, labels) == 0)
			return 1;
	return 0;
}

enum op { OP_ADD, OP_SET, OP_OBSERVE };

static int
apply(struct metrics *m, const char *name, enum op op, double v, va_list ap)
{
	struct family *f = family_find_hot(m, name);
	struct series *s;
	char labels[LABELS_MAX];
	va_list again;
	size_t i;
	int rc;

	if (f == NULL || isnan(v))
		return -1;
	if ((op == OP_OBSERVE) != (f->kind == METRIC_HISTOGRAM) ||
	    (op == OP_SET && f->kind != METRIC_GAUGE) ||
	    (op == OP_ADD && f->kind == METRIC_COUNTER && v < 0))
		return -1;
	va_copy(again, ap);
	rc = render_labels(ap, 0, labels, sizeof(labels));
	if (rc == 0 && f->n >= METRICS_MAX_SERIES &&
	    !series_exists(f, labels))
		rc = render_labels(again, 1, labels, sizeof(labels));
	va_end(again);
	if (rc == -1)
		return -1;
	s = series_get(f, labels);
	switch (op) {
	case OP_ADD:
		s->value += v;
		break;
	case OP_SET:
		s->value = v;
		break;
	case OP_OBSERVE:
		for (i = 0; i < NBUCKETS; i++)
			if (v <= buckets[i]) {
				s->counts[i]++;
				break;
			}
		s->count++;
		s->sum += v;
		break;
	}
	return 0;
}

int
metrics_add(struct metrics *m, const char *name, double v, ...)
{
	va_list ap;
	int rc;

	if (m == NULL)
		return 0;
	va_start(ap, v);
	rc = apply(m, name, OP_ADD, v, ap);
	va_end(ap);
	return rc;
}

int
metrics_set(struct metrics *m, const char *name, double v, ...)
{
	va_list ap;
	int rc;

	if (m == NULL)
		return 0;
	va_start(ap, v);
	rc = apply(m, name, OP_SET, v, ap);
	va_end(ap);
	return rc;
}

int
metrics_observe(struct metrics *m, const char *name, double v, ...)
{
	va_list ap;
	int rc;

	if (m == NULL)
		return 0;
	va_start(ap, v);
	rc = apply(m, name, OP_OBSERVE, v, ap);
	va_end(ap);
	return rc;
}

void
metrics_zero(struct metrics *m, const char *name)
{
	struct family *f = family_find(m, name);
	size_t i;

	for (i = 0; f != NULL && f->kind == METRIC_GAUGE && i < f->n; i++)
		f->series[i].value = 0;
}

int
metrics_get(const struct metrics *m, const char *name, double *v, ...)
{
	struct family *f = family_find(m, name);
	char labels[LABELS_MAX];
	va_list ap;
	size_t i;
	int rc;

	if (f == NULL)
		return 0;
	va_start(ap, v);
	rc = render_labels(ap, 0, labels, sizeof(labels));
	va_end(ap);
	if (rc == -1)
		return 0;
	for (i = 0; i < f->n; i++)
		if (strcmp(f->series[i].labels, labels) == 0) {
			*v = f->kind == METRIC_HISTOGRAM ?
			    (double)f->series[i].count : f->series[i].value;
			return 1;
		}
	return 0;
}

/* ---- Sampark's families ---- */

static const struct {
	const char	*name;
	enum metric_kind kind;
	const char	*help;
} sampark_families[] = {
	{ "sampark_webhook_requests_total", METRIC_COUNTER,
	    "Webhook requests answered, by kind (sms, status, voice, other), "
	    "provider and HTTP status code." },
	{ "sampark_http_request_duration_seconds", METRIC_HISTOGRAM,
	    "Time from a request's arrival to its answer, by listener "
	    "(webhook, admin)." },
	{ "sampark_inbound_messages_total", METRIC_COUNTER,
	    "Inbound messages recorded, by matched keyword (\"none\" when "
	    "unmatched)." },
	{ "sampark_replies_total", METRIC_COUNTER,
	    "Replies made to inbound messages." },
	{ "sampark_reply_segments_total", METRIC_COUNTER,
	    "SMS segments of those replies (what they cost)." },
	{ "sampark_outbox_messages", METRIC_GAUGE,
	    "Messages in the outbox by state, read at scrape time." },
	{ "sampark_send_attempts_total", METRIC_COUNTER,
	    "Send requests made to a provider's API." },
	{ "sampark_send_errors_total", METRIC_COUNTER,
	    "Sends that did not get through, by provider, reason (config, "
	    "dns, connect, tls, timeout, network, http_4xx, http_5xx, "
	    "rejected, expired, internal) and outcome (retry, failed, "
	    "expired)." },
	{ "sampark_send_duration_seconds", METRIC_HISTOGRAM,
	    "Duration of send requests, by provider." },
	{ "sampark_delivery_reports_total", METRIC_COUNTER,
	    "Delivery reports that changed a message's state, by provider and "
	    "new state." },
};

void
metrics_declare_sampark(struct metrics *m)
{
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(sampark_families); i++)
		metrics_declare(m, sampark_families[i].name,
		    sampark_families[i].kind, sampark_families[i].help, NULL,
		    0);
}

struct metrics *
metrics_new_sampark(void)
{
	struct metrics *m = metrics_new();

	metrics_declare_sampark(m);
	return m;
}

/* ---- process facts ---- */

static void
declare_quietly(struct metrics *m, const char *name, const char *help)
{
	metrics_declare(m, name, METRIC_GAUGE, help, NULL, 0);
}

void
metrics_process(struct metrics *m)
{
	char line[256];
	long long kb;
	struct dirent *de;
	FILE *fp;
	DIR *dir;
	double n = 0;

	if (m == NULL)
		return;
	declare_quietly(m, "sampark_process_resident_memory_bytes",
	    "Resident set size (VmRSS) in bytes.");
	declare_quietly(m, "sampark_process_open_fds",
	    "Open file descriptors.");
	declare_quietly(m, "sampark_uptime_seconds",
	    "Seconds since the daemon started.");
	if ((fp = fopen("/proc/self/status", "r")) != NULL) {
		while (fgets(line, sizeof(line), fp) != NULL)
			if (sscanf(line, "VmRSS: %lld kB", &kb) == 1) {
				metrics_set(m, "sampark_process_resident_memory_"
				    "bytes", (double)kb * 1024, NULL);
				break;
			}
		fclose(fp);
	}
	if ((dir = opendir("/proc/self/fd")) != NULL) {
		while ((de = readdir(dir)) != NULL)
			if (de->d_name[0] != '.')
				n++;
		closedir(dir);
		/* The directory handle itself is not one of ours. */
		metrics_set(m, "sampark_process_open_fds", n > 0 ? n - 1 : 0,
		    NULL);
	}
	metrics_set(m, "sampark_uptime_seconds",
	    (double)(util_mono_ms() - m->start_mono) / 1000.0, NULL);
}

/* ---- rendering ---- */

static void
put_number(struct buf *out, double v)
{
	if (isinf(v))
		buf_puts(out, v > 0 ? "+Inf" : "-Inf");
	else if (v == floor(v) && fabs(v) < 1e15)
		buf_printf(out, "%.0f", v);
	else
		buf_printf(out, "%.9g", v);
}

static void
put_sample(struct buf *out, const char *name, const char *suffix,
    const char *labels, const char *extra, double v)
{
	int any = *labels != '\0' || extra != NULL;

	buf_printf(out, "%s%s", name, suffix);
	if (any)
		buf_printf(out, "{%s%s%s}", labels, *labels != '\0' &&
		    extra != NULL ? "," : "", extra != NULL ? extra : "");
	buf_putc(out, ' ');
	put_number(out, v);
	buf_putc(out, '\n');
}

void
metrics_render(const struct metrics *m, struct buf *out)
{
	static const char *const kinds[] = { "counter", "gauge", "histogram" };
	const struct family *f;
	const struct series *s;
	char le[48];
	uint64_t cum;
	size_t i, j, k;

	for (i = 0; m != NULL && i < m->n; i++) {
		f = &m->families[i];
		buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", f->name,
		    f->help, f->name, kinds[f->kind]);
		for (j = 0; j < f->n; j++) {
			s = &f->series[j];
			if (f->kind != METRIC_HISTOGRAM) {
				put_sample(out, f->name, "", s->labels, NULL,
				    s->value);
				continue;
			}
			for (cum = 0, k = 0; k < NBUCKETS; k++) {
				cum += s->counts[k];
				snprintf(le, sizeof(le), "le=\"%g\"",
				    buckets[k]);
				put_sample(out, f->name, "_bucket", s->labels,
				    le, (double)cum);
			}
			put_sample(out, f->name, "_bucket", s->labels,
			    "le=\"+Inf\"", (double)s->count);
			put_sample(out, f->name, "_sum", s->labels, NULL,
			    s->sum);
			put_sample(out, f->name, "_count", s->labels, NULL,
			    (double)s->count);
		}
	}
}
