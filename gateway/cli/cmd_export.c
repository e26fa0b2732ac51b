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
 * --reveal-phones adds the number itself, and every export is audit-logged.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "csv.h"
#include "log.h"
#include "report.h"
#include "store.h"
#include "util.h"

static const char export_usage[] =
    "usage: sampark export [--format jsonl|csv] [--since ISO8601] [--until ISO8601]\n"
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
    "with).  The database is only read, never written.\n";

struct export_state {
	FILE		*out;
	int		 csv;
	int		 reveal;
	const char	*key;
	size_t		 rows;
	struct buf	 line;
};

static const char *const fields[] = { "time", "channel", "direction",
    "provider", "provider_msg_id", "contact", "text", "keyword", "handler",
    "district", "language", "encoding", "segments", "latency_ms", "status",
    "outcome", "category", "stakeholders", "phone" };

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
	char time[32], contact[REPORT_PSEUDONYM_LEN + 1], seg[16], lat[24];
	const char *v[SP_ARRAY_LEN(fields)];
	size_t i, nf = SP_ARRAY_LEN(fields) - (st->reveal ? 0 : 1);

	util_iso8601(r->time_ms, time);
	report_pseudonym(st->key, r->phone != NULL ? r->phone : "", contact);
	snprintf(seg, sizeof(seg), "%d", r->segments);
	snprintf(lat, sizeof(lat), "%lld", (long long)r->latency_ms);
	v[0] = time; v[1] = r->channel; v[2] = r->direction;
	v[3] = r->provider; v[4] = r->provider_msg_id; v[5] = contact;
	v[6] = r->text; v[7] = r->keyword; v[8] = r->handler;
	v[9] = r->district; v[10] = r->language; v[11] = r->encoding;
	v[12] = seg; v[13] = r->latency_ms >= 0 ? lat : NULL;
	v[14] = r->status; v[15] = r->outcome; v[16] = r->category;
	v[17] = r->stakeholders; v[18] = r->phone;

	buf_reset(&st->line);
	if (st->csv) {
		for (i = 0; i < nf; i++) {
			if (i > 0)
				buf_putc(&st->line, ',');
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
	if (fwrite(st->line.data, 1, st->line.len, st->out) != st->line.len)
		return -1;
	st->rows++;
	return 0;
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config_path = NULL, *db = NULL, *format = "jsonl";
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
		case 's':
		case 'u':
			if (util_parse_iso8601(optarg, ch == 's' ?
			    &filter.since_ms : &filter.until_ms) == -1) {
				fprintf(stderr, "sampark: --%s: \"%s\" is not "
				    "an ISO 8601 date or time\n", ch == 's' ?
				    "since" : "until", optarg);
				return 2;
			}
			break;
		case 'h': fputs(export_usage, stdout); return 0;
		default: fputs(export_usage, stderr); return 2;
		}
	}
	if (optind != argc || (strcmp(format, "jsonl") != 0 &&
	    strcmp(format, "csv") != 0)) {
		fputs(export_usage, stderr);
		return 2;
	}
	st.csv = strcmp(format, "csv") == 0;
	st.out = stdout;
	buf_init(&st.line, 0);
	if ((cfg = cmd_config_for(config_path, db)) == NULL)
		goto out;
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
	log_info("export_audit", "format=%s rows=%zu reveal_phones=%d "
	    "since=%lld until=%lld channel=%s district=%s status=%s", format,
	    st.rows, st.reveal, (long long)filter.since_ms,
	    (long long)filter.until_ms, filter.channel ? filter.channel : "all",
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
