/*
 * cmd_export: `sampark export`, the interaction log as JSON lines or CSV,
 * streamed row by row (constant memory on any log size).
 *
 * Contacts appear as pseudonyms: a keyed hash of the phone number, so the
 * same woman has the same id in every export made with the same key and
 * her number cannot be recovered without it.  The key comes from the
 * environment variable named by pseudonym_key_env; without one, from the
 * database, which has had one since it was made (store_open).  The export
 * opens the database read-only and writes nothing to it, so it works on a
 * full disk and leaves a backup it reads exactly as it was.
 * Phone numbers and e-mail addresses typed inside inbound texts are masked
 * as the report masks them (redact.h): a pseudonym beside "mera number
 * 98765 43210" would hide nobody.  --reveal-phones adds the number itself
 * and keeps the texts whole, and every export is audit-logged.
 *
 * Times carry their offset in the zone of --tz (default: the report's,
 * report_utc_offset, which is Asia/Kolkata unless configured), and a bare
 * --since/--until date is a whole day in that zone, as in the report.
 * --excel is CSV for a spreadsheet: a UTF-8 byte-order mark, so Excel
 * reads Devanagari as UTF-8, and text that a spreadsheet would turn into
 * a number (an id or a phone with a leading 0 or +, a text "0542") written
 * as the string formula ="0542", so it stays text, digits and all.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cmd.h"
#include "config.h"
#include "csv.h"
#include "log.h"
#include "redact.h"
#include "report.h"
#include "store.h"
#include "util.h"

static const char export_usage[] =
    "usage: sampark export [--format jsonl|csv] [--excel] [--tz ZONE]\n"
    "                      [--since DATE] [--until DATE]\n"
    "                      [--channel sms|voice|missed_call] [--district KEY]\n"
    "                      [--reveal-phones] [-c CONFIG] [--db PATH]\n"
    "\n"
    "Writes every interaction (inbound message or reply) to standard output,\n"
    "oldest first.  Fields: time, channel, direction, provider, provider_msg_id,\n"
    "contact, text, keyword, handler, district, language, encoding, segments,\n"
    "latency_ms, status, outcome, category, stakeholders (and phone with\n"
    "--reveal-phones).  outcome is what an inbound message came to: answered,\n"
    "no_stakeholder, asked_district, asked_category, not_understood, limited,\n"
    "opted_out, control, rsvp, notice or error.  stakeholders are the directory\n"
    "entries its reply gave, \"id:name\" joined by '|'.  contact is a\n"
    "pseudonym: a keyed hash of the phone number (key from the environment\n"
    "variable named by pseudonym_key_env, else the one the database was made\n"
    "with).  Phone numbers and e-mail addresses inside the texts women sent\n"
    "are masked (#####, [email]) unless --reveal-phones is given.  The\n"
    "database is only read, never written.\n"
    "Times are ISO 8601 with their offset in ZONE (an IANA name such as\n"
    "Asia/Kolkata, UTC, or +05:30; default: the report's zone,\n"
    "report_utc_offset, +05:30 unless configured).  DATE is YYYY-MM-DD (a\n"
    "whole day in ZONE, both ends included, as in the report) or an ISO 8601\n"
    "time.  --excel writes CSV for Excel and LibreOffice: a UTF-8 byte-order\n"
    "mark, and ids, phones and texts that look like numbers kept as text.\n";

/* A zone: a fixed offset, or an IANA name the C library resolves
 * (daylight saving included) through TZ. */
struct export_zone {
	int	 named;
	int	 offset_min;
};

struct export_state {
	FILE		*out;
	int		 csv;
	int		 excel;
	int		 reveal;
	struct export_zone zone;
	const char	*key;
	size_t		 rows;
	struct buf	 line;
};

static const char *const fields[] = { "time", "channel", "direction",
    "provider", "provider_msg_id", "contact", "text", "keyword", "handler",
    "district", "language", "encoding", "segments", "latency_ms", "status",
    "outcome", "category", "stakeholders", "phone" };

/* Minutes east of UTC at ms. */
static int
zone_offset(const struct export_zone *z, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (!z->named || localtime_r(&t, &tm) == NULL)
		return z->offset_min;
	return (int)(tm.tm_gmtoff / 60);
}

/* "2026-12-05T10:00:00+05:30": to the second, as spreadsheets and people
 * read it; the offset says which clock. */
static void
zone_time(const struct export_zone *z, int64_t ms, char out[40])
{
	int off = zone_offset(z, ms), a = off < 0 ? -off : off;
	time_t t = (time_t)(ms / 1000) + (time_t)off * 60;
	struct tm tm;
	char tmp[96];	/* roomy enough that no int can truncate it */

	gmtime_r(&t, &tm);
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+', a / 60, a % 60);
	util_strlcpy(out, tmp, 40);
}

/* A compiled zone (the zone database also holds tables and notes). */
static int
is_tzif(const char *path)
{
	FILE *f = fopen(path, "rb");
	char magic[4];
	int ok;

	if (f == NULL)
		return 0;
	ok = fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
	fclose(f);
	return ok;
}

/*
 * --tz: "UTC", "Z", "+05:30" / "-0300" / "+5", or an IANA name.  glibc
 * takes an unknown name for UTC without a word, so the name must be a
 * file of the zone database; it then becomes this process's TZ (the
 * export is one command in its own process and reads no other clock).
 */
static int
zone_parse(const char *s, struct export_zone *z)
{
	const char *dir = getenv("TZDIR");
	char path[512], *end;
	struct stat sb;
	long h, m = 0;

	memset(z, 0, sizeof(*z));
	if (strcmp(s, "UTC") == 0 || strcmp(s, "Z") == 0)
		return 0;
	if (*s == '+' || *s == '-') {
		if (s[1] < '0' || s[1] > '9')
			return -1;
		h = strtol(s + 1, &end, 10);
		if (end - (s + 1) == 4 && *end == '\0') {
			m = h % 100;
			h /= 100;
		} else if (*end == ':') {
			if (end - (s + 1) > 2)
				return -1;
			if (end[1] < '0' || end[1] > '9')
				return -1;
			m = strtol(end + 1, &end, 10);
		}
		if (*end != '\0' || end == s + 1 || h > 14 || m > 59)
			return -1;
		z->offset_min = (int)((*s == '-' ? -1 : 1) * (h * 60 + m));
		return 0;
	}
	if (*s == '\0' || *s == '/' || strstr(s, "..") != NULL ||
	    strlen(s) > 200)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir != NULL && *dir != '\0' ?
	    dir : "/usr/share/zoneinfo", s);
	if (stat(path, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    !is_tzif(path)) {
		/* India's zone has one offset since 1945: without the zone
		 * database, still known. */
		if (strcmp(s, "Asia/Kolkata") == 0 ||
		    strcmp(s, "Asia/Calcutta") == 0) {
			z->offset_min = 330;
			return 0;
		}
		return -1;
	}
	if (setenv("TZ", s, 1) == -1)
		return -1;
	tzset();
	z->named = 1;
	return 0;
}

/*
 * --since/--until in the zone: a bare date is its midnight there (the
 * next one for --until), with the offset of that day; a time as given.
 */
static int
zone_date(const struct export_zone *z, const char *s, int end, int64_t *ms)
{
	int64_t utc;

	if (util_parse_iso8601(s, &utc) == -1)
		return -1;
	return report_parse_date(s, zone_offset(z, utc), end, ms);
}

/* Text a spreadsheet would read as a number, date or time and so change
 * ("0042" to 42, "+9198..." to 9198..., 20 digits to 1.2E+19). */
static int
looks_numeric(const char *s)
{
	int digit = 0;

	if (s == NULL || *s == '\0')
		return 0;
	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			digit = 1;
		else if (strchr("+-., /:()", *s) == NULL)
			return 0;
	}
	return digit;
}

/* One cell of --excel's CSV: such text as the string formula ="...",
 * which Excel and LibreOffice show as the text itself.  Only digits and
 * those marks go between the quotes, so the cell needs quoting just for
 * a comma, and nothing in it computes. */
static void
excel_cell(struct buf *b, const char *s)
{
	if (!looks_numeric(s)) {
		csv_put_cell(b, s);
		return;
	}
	if (strchr(s, ',') != NULL)
		buf_printf(b, "\"=\"\"%s\"\"\"", s);
	else
		buf_printf(b, "=\"%s\"", s);
}

static void
json_field(struct buf *b, const char *name, const char *s, int first)
{
	buf_printf(b, "%s\"%s\":", first ? "" : ",", name);
	buf_json_string(b, s);
}

static int
write_row(void *arg, const struct interaction *r)
{
	struct export_state *st = arg;
	char time[40], contact[REPORT_PSEUDONYM_LEN + 1], seg[16], lat[24];
	/* What women typed; the replies are the gateway's own words, whose
	 * numbers are the stakeholders' public ones. */
	char *masked = st->reveal || strcmp(r->direction, "in") != 0 ? NULL :
	    redact_contacts(r->text);
	const char *v[SP_ARRAY_LEN(fields)];
	size_t i, nf = SP_ARRAY_LEN(fields) - (st->reveal ? 0 : 1);
	int rc = 0;

	zone_time(&st->zone, r->time_ms, time);
	report_pseudonym(st->key, r->phone != NULL ? r->phone : "", contact);
	snprintf(seg, sizeof(seg), "%d", r->segments);
	snprintf(lat, sizeof(lat), "%lld", (long long)r->latency_ms);
	v[0] = time; v[1] = r->channel; v[2] = r->direction;
	v[3] = r->provider; v[4] = r->provider_msg_id; v[5] = contact;
	v[6] = masked != NULL ? masked : r->text; v[7] = r->keyword; v[8] = r->handler;
	v[9] = r->district; v[10] = r->language; v[11] = r->encoding;
	v[12] = seg; v[13] = r->latency_ms >= 0 ? lat : NULL;
	v[14] = r->status; v[15] = r->outcome; v[16] = r->category;
	v[17] = r->stakeholders; v[18] = r->phone;

	buf_reset(&st->line);
	if (st->csv) {
		for (i = 0; i < nf; i++) {
			if (i > 0)
				buf_putc(&st->line, ',');
			/* Counts stay numbers in a spreadsheet. */
			if (st->excel && i != 12 && i != 13)
				excel_cell(&st->line, v[i]);
			else
				csv_put_cell(&st->line, v[i]);
		}
		buf_puts(&st->line, "\r\n");
	} else {
		buf_putc(&st->line, '{');
		for (i = 0; i < nf; i++) {
			/* Numbers stay numbers in JSON. */
			if (i == 12 || i == 13)
				buf_printf(&st->line, ",\"%s\":%s", fields[i],
				    v[i] != NULL ? v[i] : "null");
			else
				json_field(&st->line, fields[i], v[i], i == 0);
		}
		buf_puts(&st->line, "}\n");
	}
	free(masked);
	if (fwrite(st->line.data, 1, st->line.len, st->out) != st->line.len)
		rc = -1;
	else
		st->rows++;
	return rc;
}

/* The pseudonym key: from the environment, else the database's.  NULL
 * with a message printed. */
static char *
pseudonym_key(const struct config *cfg, struct store *db)
{
	const char *name = config_str(cfg, "pseudonym_key_env");
	const char *env = getenv(name);
	char *key = NULL;

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	switch (store_meta_get(db, "pseudonym_key", &key)) {
	case 1:
		return key;
	case -1:
		fprintf(stderr, "sampark: cannot read the pseudonym key: %s\n",
		    store_errmsg(db));
		return NULL;
	}
	/* Only a database that no writer has opened since it was made by
	 * an older sampark lacks one. */
	fprintf(stderr, "sampark: this database has no pseudonym key; open "
	    "it once with a command that writes (sampark serve, import...) or "
	    "set %s\n", name);
	return NULL;
}

static int
run_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "channel", required_argument, NULL, 'C' },
		{ "district", required_argument, NULL, 'D' },
		{ "reveal-phones", no_argument, NULL, 'r' },
		{ "excel", no_argument, NULL, 'x' },
		{ "tz", required_argument, NULL, 'z' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config_path = NULL, *db = NULL, *format = NULL,
	    *since = NULL, *until = NULL, *tz = NULL, *bad = NULL;
	struct store_filter filter;
	struct export_state st;
	struct config *cfg = NULL;
	struct store *store = NULL;
	char *key = NULL, *district_key = NULL;
	size_t i;
	int ch, rc = 1;

	memset(&filter, 0, sizeof(filter));
	memset(&st, 0, sizeof(st));
	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': config_path = optarg; break;
		case 'd': db = optarg; break;
		case 'f': format = optarg; break;
		case 'C': filter.channel = optarg; break;
		case 'D': filter.district = optarg; break;
		case 'r': st.reveal = 1; break;
		case 'x': st.excel = 1; break;
		case 'z': tz = optarg; break;
		case 's': since = optarg; break;
		case 'u': until = optarg; break;
		case 'h': fputs(export_usage, stdout); return 0;
		default: fputs(export_usage, stderr); return 2;
		}
	}
	/* --excel is CSV; asked for together with JSON lines, it is a
	 * mistake to say, not to guess at. */
	if (format == NULL)
		format = st.excel ? "csv" : "jsonl";
	if (optind != argc || (strcmp(format, "jsonl") != 0 &&
	    strcmp(format, "csv") != 0) || (st.excel &&
	    strcmp(format, "csv") != 0)) {
		fputs(export_usage, stderr);
		return 2;
	}
	st.csv = strcmp(format, "csv") == 0;
	st.out = stdout;
	buf_init(&st.line, 0);
	if ((cfg = cmd_config_for(config_path, db)) == NULL)
		goto out;
	st.zone.offset_min = (int)config_int(cfg, "report_utc_offset");
	bad = tz != NULL && zone_parse(tz, &st.zone) == -1 ? "tz" :
	    since != NULL && zone_date(&st.zone, since, 0,
	    &filter.since_ms) == -1 ? "since" : until != NULL &&
	    zone_date(&st.zone, until, 1, &filter.until_ms) == -1 ? "until" :
	    NULL;
	if (bad != NULL) {
		fprintf(stderr, "sampark: --%s: \"%s\" is not %s\n", bad,
		    *bad == 't' ? tz : *bad == 's' ? since : until, *bad == 't' ?
		    "a time zone (Asia/Kolkata, UTC, +05:30)" :
		    "a date (YYYY-MM-DD) or an ISO 8601 time");
		rc = 2;
		goto out;
	}
	if (filter.district != NULL) {
		if ((district_key = cmd_district_key(cfg, "--district",
		    filter.district)) == NULL)
			goto out;
		filter.district = district_key;
	}
	if ((store = cmd_open_store_readonly(cfg, db)) == NULL)
		goto out;
	if ((key = pseudonym_key(cfg, store)) == NULL)
		goto out;
	st.key = key;
	if (st.excel)
		fputs("\xef\xbb\xbf", st.out);
	if (st.csv) {
		for (i = 0; i < SP_ARRAY_LEN(fields) - (st.reveal ? 0 : 1); i++)
			fprintf(st.out, "%s%s", i ? "," : "", fields[i]);
		fputs("\r\n", st.out);
	}
	if (store_export(store, &filter, write_row, &st) == -1 ||
	    fflush(st.out) != 0) {
		fprintf(stderr, "sampark: export failed after %zu rows\n",
		    st.rows);
		goto out;
	}
	rc = 0;
out:
	log_info("export_audit", "format=%s%s rows=%zu reveal_phones=%d "
	    "since=%lld until=%lld channel=%s district=%s status=%s", format,
	    st.excel ? " excel=1" : "", st.rows, st.reveal,
	    (long long)filter.since_ms, (long long)filter.until_ms, filter.channel ? filter.channel : "all",
	    filter.district ? filter.district : "all", rc ? "failed" : "ok");
	free(key);
	free(district_key);
	store_close(store);
	config_free(cfg);
	buf_free(&st.line);
	return rc;
}

const struct cmd_desc cmd_export = {
	.name = "export",
	.summary = "write the interaction log as JSON lines or CSV",
	.usage = export_usage,
	.run = run_export,
};
