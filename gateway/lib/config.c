/*
 * config: the INI reader behind sampark.conf.  The directive table below
 * and the tables the caller adds (config_table) are the whole vocabulary;
 * the parser knows nothing about any one directive, and nothing here
 * names a provider: their sections come from the caller.
 *
 * Every problem in the file and in the overrides is collected, one line
 * each, before config_load() fails, so an operator fixes them all in one
 * go.  The only abort() is a getter asked for a name that is not in the
 * table: that is a typo in our code, not in the operator's file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "confscan.h"
#include "log.h"
#include "text.h"
#include "util.h"

/* Adding a directive is one line here; nothing else in this file changes. */
static const struct config_directive directives[] = {
	CONFIG_D_STR("listen", "127.0.0.1:8080",
	    "address:port of the webhook listener"),
	CONFIG_D_PATH("db", "../var/sampark.db", "the store: an SQLite file"
	    " (PATH or sqlite:PATH) or a postgresql:// URI; also named store"),
	CONFIG_D_STR("public_url", "",
	    "public base URL providers call (e.g. https://sms.example.org); "
	    "used for signature checks"),
	CONFIG_D_ENUM("log_level", "info", "error|warn|info|debug",
	    "least severe log level written to stderr"),
	CONFIG_D_ENUM("default_language", "hi", "hi|en",
	    "reply language when the contact has none"),
	CONFIG_D_STR("default_country", "91",
	    "country calling code for national numbers"),
	CONFIG_D_INT("segment_budget", "2", 1, 10,
	    "most SMS segments in one reply"),
	CONFIG_D_INT("max_body", "65536", 1024, 10485760,
	    "largest webhook body accepted, bytes"),
	CONFIG_D_INT("request_timeout", "10", 1, 300,
	    "seconds a client may take to send a request"),
	CONFIG_D_INT("pending_minutes", "30", 1, 1440,
	    "how long a question (e.g. which district) waits for its answer"),
	CONFIG_D_INT("more_minutes", "60", 1, 10080,
	    "how long a paged answer waits for MORE"),
	CONFIG_D_ENUM("synchronous", "normal", "normal|full",
	    "SQLite durability: normal survives a killed process, full also "
	    "power loss"),
	CONFIG_D_PATH("keywords", "keywords.conf",
	    "keyword aliases (English, Hindi, Hinglish, menu digits)"),
	CONFIG_D_PATH("districts", "districts.csv",
	    "districts and their spellings, found anywhere in a message"),
	CONFIG_D_PATH("lexicon", "lexicon.conf",
	    "synonyms, word forms, schemes, filler, opt-out and RSVP phrases"),
	CONFIG_D_PATH("other_districts", "other_districts.txt",
	    "districts of India not served yet, so that naming one is "
	    "answered, not asked again"),
	CONFIG_D_PATH("stakeholders", "stakeholders.csv",
	    "sample directory imported by make run into an empty database"),
	CONFIG_D_PATH("ivr", "ivr.conf", "voice menu (nodes, keys, actions)"),
	CONFIG_D_STR("missed_call_numbers", "",
	    "comma-separated E.164 numbers whose "
	    "calls are missed calls: rejected busy, then answered per "
	    "missed_call_action"),
	CONFIG_D_ENUM("missed_call_action", "callback", "sms|callback",
	    "after a missed call: send the SMS menu, or call back into the "
	    "voice menu"),
	CONFIG_D_INT("missed_call_window_s", "300", 0, 86400,
	    "repeated missed calls within this many seconds get one answer"),
	CONFIG_D_BOOL("audio_public", "no",
	    "the proxy in front passes /audio/ to "
	    "the daemon (docs/operations.md), so providers can fetch recorded "
	    "prompts: voice answers play them (with an https public_url); "
	    "otherwise the provider speaks their text"),
	CONFIG_D_PATH("prompts_dir", "../prompts",
	    "message catalogue directory, one <language>.txt per language"),
	CONFIG_D_STR("pseudonym_key_env", "SAMPARK_PSEUDONYM_KEY",
	    "environment variable holding the export pseudonym key (unset: "
	    "the random key made with the database)"),
	CONFIG_D_INT("suppress_below", "5", 0, 1000,
	    "reports: counts from 1 to this minus 1 in district-level "
	    "figures show as <N (0 or 1: never)"),
	CONFIG_D_INT("report_utc_offset", "330", -720, 840,
	    "reports: minutes east of UTC of the days and weeks (India: 330)"),
	CONFIG_D_STR("admin_listen", "127.0.0.1:8081",
	    "address:port of the admin listener (/api, /dashboard, /metrics); "
	    "empty: none"),
	CONFIG_D_PATH("tokens_file", "",
	    "file of \"role token\" lines (mode 0600) for the admin listener, "
	    "besides SAMPARK_ADMIN_TOKEN, SAMPARK_COORDINATOR_TOKEN and "
	    "SAMPARK_ANALYST_TOKEN"),
	CONFIG_D_INT("send_attempts", "6", 1, 100,
	    "most attempts to send one message before it fails"),
	CONFIG_D_INT("send_max_age", "86400", 60, 604800,
	    "seconds after which a message not yet sent expires"),
	CONFIG_D_INT("send_timeout", "15", 1, 300,
	    "seconds one send request to a provider may take"),
	CONFIG_D_INT("retry_base_ms", "1000", 10, 600000,
	    "first retry delay; doubles per attempt, with jitter"),
	CONFIG_D_INT("retry_max_ms", "600000", 100, 86400000,
	    "longest delay between two attempts"),
	CONFIG_D_INT("outbox_poll_ms", "250", 10, 10000,
	    "how often the daemon looks for messages queued by other "
	    "processes (sampark send)"),
	CONFIG_D_INT("sending_lease_s", "600", 1, 86400,
	    "on a PostgreSQL store shared by several daemons: a message "
	    "claimed this long ago and still sending was left by a daemon "
	    "that died, and is queued again (longer than any send)"),
	/* Broadcasts (broadcast.h, schedule.h). */
	CONFIG_D_PATH("templates", "templates.conf",
	    "broadcast templates as registered on DLT (key, texts, ids)"),
	CONFIG_D_PATH("reply_templates", "reply_templates.conf",
	    "DLT template id of each reply template and language "
	    "(`sampark templates --replies`); missing: none registered"),
	CONFIG_D_STR("quiet_hours", "21:00-08:00",
	    "IST window (HH:MM-HH:MM) in "
	    "which no broadcast message is sent; empty: none"),
	CONFIG_D_INT("daily_cap", "3", 0, 100,
	    "most broadcast messages per contact per IST day (0: no cap)"),
	CONFIG_D_STR("broadcast_provider", "", "provider broadcasts go through "
	    "(empty: the first enabled one that can send)"),
	CONFIG_D_STR("notice_template", "notice",
	    "template of a NOTICE sent from a coordinator's phone"),
	CONFIG_D_STR("reminder_template", "meeting_reminder",
	    "template of the reminder before a meeting"),
	CONFIG_D_INT("reminder_minutes", "1440", 0, 20160, "how long before a "
	    "meeting those who said yes are reminded (0: never)"),
	/* Abuse limits (abuse.h); 0 turns a limit off. */
	CONFIG_D_INT("inbound_per_hour", "20", 0, 1000000,
	    "messages per hour from "
	    "one sender that get a reply; later ones are stored, not answered "
	    "and not carried out (but STOP)"),
	CONFIG_D_INT("replies_per_day", "30", 0, 1000000,
	    "most replies to one contact per day (India time)"),
	CONFIG_D_STR("allowed_prefixes", "+91",
	    "comma-separated number prefixes "
	    "replies and broadcasts may go to (\"*\": anywhere)"),
	CONFIG_D_INT("loop_repeats", "4", 0, 1000,
	    "the same text this many times "
	    "within loop_window (or an echo of our reply) stops the replies"),
	CONFIG_D_INT("loop_window", "600", 1, 86400,
	    "seconds of the loop check, "
	    "and of the silence towards a sender found looping"),
	CONFIG_D_INT("loop_fast_ms", "2000", 0, 60000,
	    "an answer sooner than this "
	    "after our reply is not typed by a person"),
	CONFIG_D_INT("loop_fast_strikes", "3", 0, 1000,
	    "so many such answers in a "
	    "row mark the sender as a machine"),
	CONFIG_D_INT("outbound_per_hour", "50000", 0, 100000000,
	    "global budget of "
	    "messages sent per clock hour through paid providers"),
	CONFIG_D_INT("abuse_senders", "20000", 16, 10000000,
	    "senders whose limits are tracked in memory (read at start)"),
};

struct config_value {
	char	*str;		/* as given (ENUM: canonical; PATH: resolved) */
	long	 num;		/* INT value, BOOL 0/1 */
	size_t	 line;		/* line in the file, 0 if not from the file */
	int	 set;
};

struct config {
	char			*file;
	/* The vocabulary: the table above, then the caller's. */
	struct config_directive	*d;
	struct config_value	*values;
	size_t			 n;
};

static const char *bool_true[] = { "yes", "true", "on", "1" };
static const char *bool_false[] = { "no", "false", "off", "0" };

/* "store" is the name for the database, the same key as "db". */
static const char *
key_alias(const char *name)
{
	return strcmp(name, "store") == 0 ? "db" : name;
}

static int
directive_index(const struct config *cf, const char *name)
{
	size_t i;

	for (i = 0; i < cf->n; i++)
		if (strcmp(cf->d[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int
section_known(const struct config *cf, const char *section)
{
	size_t i, n = strlen(section);

	for (i = 0; i < cf->n; i++)
		if (strncmp(cf->d[i].name, section, n) == 0 &&
		    cf->d[i].name[n] == '.')
			return 1;
	return 0;
}

/* Canonical spelling of s among "a|b|c", or NULL. */
static char *
enum_match(const char *choices, const char *s)
{
	const char *p = choices, *bar;
	size_t n;

	for (;;) {
		bar = strchr(p, '|');
		n = bar ? (size_t)(bar - p) : strlen(p);
		if (n == strlen(s) && strncasecmp(p, s, n) == 0)
			return xstrndup(p, n);
		if (bar == NULL)
			return NULL;
		p = bar + 1;
	}
}

static int
bool_parse(const char *s, long *out)
{
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(bool_true); i++) {
		if (strcasecmp(s, bool_true[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(s, bool_false[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

/*
 * Check value against directive d and store it in v.  dir is the directory
 * relative PATH values are resolved against ("" leaves them as is).
 * Returns 0, or -1 with a message in err.
 */
static int
value_set(const struct config_directive *d, struct config_value *v,
    const char *value, const char *dir, char *err, size_t errlen)
{
	char *str = NULL, *end;
	long num = 0;

	switch (d->type) {
	case CONFIG_STRING:
		str = xstrdup(value);
		break;
	case CONFIG_PATH:
		/* A server's address is no file; "sqlite:" only says which
		 * kind of store a path is. */
		if (strncmp(value, "postgresql://", 13) == 0 ||
		    strncmp(value, "postgres://", 11) == 0) {
			str = xstrdup(value);
			break;
		}
		if (strcmp(d->name, "db") == 0 &&
		    strncmp(value, "sqlite:", 7) == 0)
			value += 7;
		if (value[0] != '/' && value[0] != '\0' && dir[0] != '\0')
			str = xasprintf("%s%s%s", dir,
			    dir[strlen(dir) - 1] == '/' ? "" : "/", value);
		else
			str = xstrdup(value);
		break;
	case CONFIG_INT:
		errno = 0;
		num = strtol(value, &end, 10);
		if (value[0] == '\0' || end == value || *end != '\0') {
			util_err(err, errlen, "%s: '%s' is not an integer",
			    d->name, value);
			return -1;
		}
		if (errno == ERANGE || num < d->min || num > d->max) {
			util_err(err, errlen, "%s: %s is out of range (%ld..%ld)",
			    d->name, value, d->min, d->max);
			return -1;
		}
		str = xstrdup(value);
		break;
	case CONFIG_BOOL:
		if (bool_parse(value, &num) == -1) {
			util_err(err, errlen, "%s: '%s' is not a boolean "
			    "(yes/no, true/false, on/off, 1/0)", d->name, value);
			return -1;
		}
		str = xstrdup(num ? "yes" : "no");
		break;
	case CONFIG_ENUM:
		if ((str = enum_match(d->choices, value)) == NULL) {
			util_err(err, errlen, "%s: '%s' is not one of %s",
			    d->name, value, d->choices);
			return -1;
		}
		break;
	}
	free(v->str);
	v->str = str;
	v->num = num;
	return 0;
}

/* The vocabulary of cf: our table, then the caller's, each name once.
 * The tables are ours: a name known twice is a build bug. */
static void
vocabulary(struct config *cf, const struct config_table *tables,
    size_t ntables)
{
	size_t i, n = SP_ARRAY_LEN(directives);

	for (i = 0; i < ntables; i++)
		n += tables[i].n;
	cf->d = xreallocarray(NULL, n, sizeof(*cf->d));
	memcpy(cf->d, directives, sizeof(directives));
	cf->n = SP_ARRAY_LEN(directives);
	for (i = 0; i < ntables; i++) {
		memcpy(cf->d + cf->n, tables[i].d,
		    tables[i].n * sizeof(*cf->d));
		cf->n += tables[i].n;
	}
	for (i = 0; i < cf->n; i++)
		if (directive_index(cf, cf->d[i].name) != (int)i) {
			log_error("config_duplicate_directive", "name=%s",
			    cf->d[i].name);
			abort();
		}
}

/* Every directive at its default; PATH defaults resolved against dir. */
static struct config *
config_new(const char *file, const char *dir,
    const struct config_table *tables, size_t ntables)
{
	struct config *cf = xcalloc(1, sizeof(*cf));
	char err[256];
	size_t i;

	cf->file = xstrdup(file);
	vocabulary(cf, tables, ntables);
	cf->values = xcalloc(cf->n, sizeof(*cf->values));
	for (i = 0; i < cf->n; i++) {
		const struct config_directive *d = &cf->d[i];

		if (value_set(d, &cf->values[i], d->defval ? d->defval : "",
		    dir, err, sizeof(err)) == -1) {
			/* The tables are ours: a bad default is a build bug. */
			log_error("config_bad_default", "name=%s", d->name);
			abort();
		}
	}
	return cf;
}

/* Reading the file: what its lines share. */
struct config_parse {
	struct config		*cf;
	const char		*dir;
	char			*section;	/* the last [section] */
	size_t			 section_line;
	int			 section_ok;
	struct confscan_errors	 err;
};

static void	 section_line(void *, struct confscan_line *);
static void	 key_line(void *, struct confscan_line *);
static void	 other_line(void *, struct confscan_line *);

/*
 * '#' and ';' start comments, after a value or a section header too; a
 * quoted value keeps them (see confscan_value).
 */
static const struct confscan_syntax config_syntax = {
	.comment = "#;",
	.flags = CONFSCAN_UTF8 | CONFSCAN_SECTION_TAIL,
	.section = section_line,
	.key = key_line,
	.other = other_line,
};

static void
section_line(void *arg, struct confscan_line *ln)
{
	struct config_parse *p = arg;

	if (ln->name == NULL) {
		confscan_error(&p->err, "missing ']' in section header");
		return;
	}
	free(p->section);
	p->section = xstrdup(ln->name);
	p->section_line = p->err.line;
	p->section_ok = section_known(p->cf, ln->name);
	if (!confscan_comment(&config_syntax, ln->value))
		confscan_error(&p->err, "unexpected text after [%s]",
		    ln->name);
	else if (!p->section_ok)
		confscan_error(&p->err, "unknown section [%s]", ln->name);
}

static void
key_line(void *arg, struct confscan_line *ln)
{
	struct config_parse *p = arg;
	struct config *cf = p->cf;
	char *value, *name, err[512];
	int idx;

	if (*ln->name == '\0') {
		confscan_error(&p->err, "missing key before '='");
		return;
	}
	if ((value = confscan_value(&config_syntax, ln->value, err,
	    sizeof(err))) == NULL) {
		confscan_error(&p->err, "%s", err);
		return;
	}
	/* Keys under an unknown section were already reported with it. */
	if (!p->section_ok)
		return;
	name = p->section ? xasprintf("%s.%s", p->section, ln->name) :
	    xstrdup(ln->name);
	if ((idx = directive_index(cf, key_alias(name))) == -1 &&
	    p->section != NULL &&
	    directive_index(cf, ln->name) != -1)
		/* INI has no end of section: a top-level key written after
		 * one belongs to it. */
		confscan_error(&p->err, "unknown key '%s': '%s' is a top-level "
		    "key, and top-level keys go before the first section "
		    "([%s] starts on line %zu)", name, ln->name, p->section,
		    p->section_line);
	else if (idx == -1)
		confscan_error(&p->err, "unknown key '%s'", name);
	else if (cf->values[idx].line != 0)
		confscan_error(&p->err, "duplicate key '%s' (first set on "
		    "line %zu)", name, cf->values[idx].line);
	else if (value_set(&cf->d[idx], &cf->values[idx], value, p->dir,
	    err, sizeof(err)) == -1)
		confscan_error(&p->err, "%s", err);
	else {
		cf->values[idx].line = p->err.line;
		cf->values[idx].set = 1;
	}
	free(name);
}

static void
other_line(void *arg, struct confscan_line *ln)
{
	struct config_parse *p = arg;

	confscan_error(&p->err, "missing '=' in \"%.60s\"", ln->text);
}

/* An override's problems read "--set NAME: message". */
static void
apply_override(struct config *cf, const char *ov, struct confscan_errors *e)
{
	const char *eq = strchr(ov, '=');
	char *name, err[512], where[300];
	int idx;

	name = eq ? xstrndup(ov, (size_t)(eq - ov)) : xstrdup(ov);
	snprintf(where, sizeof(where), "--set %.200s", name);
	e->file = where;
	if (eq == NULL)
		confscan_error_file(e, "missing '='");
	else if (!text_utf8_valid(ov, strlen(ov)))
		confscan_error_file(e, "invalid UTF-8");
	else if ((idx = directive_index(cf, key_alias(name))) == -1)
		confscan_error_file(e, "unknown key");
	else if (value_set(&cf->d[idx], &cf->values[idx], eq + 1, "",
	    err, sizeof(err)) == -1)
		confscan_error_file(e, "%s", err);
	else {
		cf->values[idx].set = 1;
		cf->values[idx].line = 0;	/* no longer the file's value */
	}
	e->file = NULL;
	free(name);
}

struct config *
config_load_all(const char *path, const struct config_table *tables,
    size_t ntables, char *const *overrides, size_t noverrides,
    struct buf *errors, int *problems)
{
	struct config_parse p;
	struct config *cf;
	char *dir = NULL, *slash;
	size_t i;

	if (path != NULL) {
		dir = xstrdup(path);
		if ((slash = strrchr(dir, '/')) == NULL)
			dir[0] = '\0';
		else if (slash == dir)
			slash[1] = '\0';	/* "/x.conf": the root */
		else
			*slash = '\0';
	}
	cf = config_new(path ? path : "", dir ? dir : "", tables, ntables);
	memset(&p, 0, sizeof(p));
	p.cf = cf;
	p.dir = dir;
	p.section_ok = 1;
	p.err.out = errors;
	if (path != NULL && confscan_file(path, &config_syntax, &p,
	    &p.err) == -1)
		confscan_error_file(&p.err, "cannot open: %s", strerror(errno));
	free(p.section);
	for (i = 0; i < noverrides; i++)
		apply_override(cf, overrides[i], &p.err);
	free(dir);
	*problems = p.err.n;
	return cf;
}

struct config *
config_load(const char *path, const struct config_table *tables,
    size_t ntables, char *const *overrides, size_t noverrides,
    struct buf *errors)
{
	struct config *cf;
	int problems;

	cf = config_load_all(path, tables, ntables, overrides, noverrides,
	    errors, &problems);
	if (problems > 0) {
		config_free(cf);
		return NULL;
	}
	return cf;
}

struct config *
config_defaults(const struct config_table *tables, size_t ntables)
{
	return config_new("", "", tables, ntables);
}

void
config_free(struct config *cf)
{
	size_t i;

	if (cf == NULL)
		return;
	for (i = 0; i < cf->n; i++)
		free(cf->values[i].str);
	free(cf->values);
	free(cf->d);
	free(cf->file);
	free(cf);
}

static const struct config_value *
lookup(const struct config *cf, const char *name, int type)
{
	int idx = directive_index(cf, name);

	if (idx == -1) {
		log_error("config_unknown_directive", "name=%s", name);
		abort();
	}
	if (type != -1 && (int)cf->d[idx].type != type)
		log_error("config_type_mismatch", "name=%s", name);
	return &cf->values[idx];
}

const char *
config_str(const struct config *cf, const char *name)
{
	return lookup(cf, name, -1)->str;
}

long
config_int(const struct config *cf, const char *name)
{
	return lookup(cf, name, CONFIG_INT)->num;
}

int
config_bool(const struct config *cf, const char *name)
{
	return (int)lookup(cf, name, CONFIG_BOOL)->num;
}

int
config_is_set(const struct config *cf, const char *name)
{
	return lookup(cf, name, -1)->set;
}

size_t
config_line(const struct config *cf, const char *name)
{
	return lookup(cf, name, -1)->line;
}

const char *
config_file(const struct config *cf)
{
	return cf->file;
}

/* The type as docs/configuration.md writes it. */
void
config_type_text(const struct config_directive *d, struct buf *out)
{
	const char *p;

	switch (d->type) {
	case CONFIG_STRING:
		buf_puts(out, "string");
		break;
	case CONFIG_PATH:
		buf_puts(out, "path");
		break;
	case CONFIG_BOOL:
		buf_puts(out, "boolean");
		break;
	case CONFIG_INT:
		buf_printf(out, "integer (%ld to %ld)", d->min, d->max);
		break;
	case CONFIG_ENUM:
		buf_puts(out, "one of ");
		for (p = d->choices; *p != '\0'; p++)
			if (*p == '|')
				buf_puts(out, ", ");
			else
				buf_putc(out, *p);
		break;
	}
}

const struct config_directive *
config_directives(const struct config *cf, size_t *n)
{
	if (n != NULL)
		*n = cf->n;
	return cf->d;
}
