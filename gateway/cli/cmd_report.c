/*
 * cmd_report: `sampark report`, the analysts' figures from the command
 * line (the dashboard shows the same report through the admin API).
 *
 * A bare date is a whole day in the report's time zone (config
 * report_utc_offset, India by default): --since 2026-11-01 --until
 * 2026-11-30 covers all of November 30.  A time of day is taken as given.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "district.h"
#include "keywords.h"
#include "log.h"
#include "report.h"
#include "store.h"
#include "understand.h"
#include "util.h"

static const char report_usage[] =
    "usage: sampark report [--since DATE] [--until DATE] [--district KEY]\n"
    "                      [--channel sms|voice|missed_call]\n"
    "                      [--by keyword|district|day|week|channel|language|\n"
    "                            stakeholder]\n"
    "                      [--format table|csv|json] [--section S] [--top N]\n"
    "                      [--no-suppress] [-c CONFIG] [--db PATH]\n"
    "\n"
    "Per group: inbound queries, unique contacts, matched and unmatched,\n"
    "replies and their SMS segments (the cost), median and p95 reply\n"
    "latency, opt-ins (JOIN, START) and opt-outs (STOP); then the top\n"
    "unmatched texts and the words that come up most in them, broadcast\n"
    "funnels and IVR drop-off when those exist.\n"
    "Every report also shows the outcomes (what each message came to:\n"
    "answered, no_stakeholder, asked_district, asked_category,\n"
    "not_understood, limited, opted_out, control, rsvp, notice, error), the\n"
    "unanswered (not_understood + no_stakeholder + limited) by district,\n"
    "category and week with their most frequent words, and the referrals:\n"
    "how many messages each stakeholder was given out in, per week,\n"
    "district and category.  --by stakeholder shows the referrals alone\n"
    "(and makes them CSV's default section).\n"
    "DATE is YYYY-MM-DD (a whole day, both ends included, in the zone of\n"
    "report_utc_offset) or an ISO 8601 time.  In district- or week-level\n"
    "groups, and for one --district, counts below suppress_below (default 5)\n"
    "show as <5, and so do as many others as it takes that none can be\n"
    "worked out from this or any other view of the period (docs/privacy.md),\n"
    "unless --no-suppress is given; the referrals, the unanswered by\n"
    "district and all outcomes of one --district are rounded instead (<5,\n"
    "else ~N, the nearest multiple of 5).  CSV holds one section\n"
    "(--section groups|outcomes|referrals|unmatched|funnels|rsvps|ivr,\n"
    "default groups; unmatched\n"
    "is the most frequent words of the messages not understood, filler\n"
    "and districts left out: the words to add to lexicon.conf); the table\n"
    "and JSON hold them all.\n";

static int
run_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "district", required_argument, NULL, 'D' },
		{ "channel", required_argument, NULL, 'C' },
		{ "by", required_argument, NULL, 'b' },
		{ "format", required_argument, NULL, 'f' },
		{ "section", required_argument, NULL, 'S' },
		{ "top", required_argument, NULL, 't' },
		{ "no-suppress", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config_path = NULL, *db = NULL, *format = "table",
	    *since = NULL, *until = NULL, *section = NULL;
	struct report_options o;
	struct config *cfg = NULL;
	struct store *store = NULL;
	struct report *r = NULL;
	struct keywords_table *kw = NULL;
	struct district_table *dt = NULL;
	struct understand_table *und = NULL;
	struct buf out, errors;
	long top = 20;
	char *end, *district_key = NULL;
	int ch, rc = 1, by_stakeholder = 0;

	memset(&o, 0, sizeof(o));
	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': config_path = optarg; break;
		case 'd': db = optarg; break;
		case 'f': format = optarg; break;
		case 's': since = optarg; break;
		case 'u': until = optarg; break;
		case 'D': o.district = optarg; break;
		case 'C': o.channel = optarg; break;
		case 'S': section = optarg; break;
		case 'n': o.no_suppress = 1; break;
		case 'b':
			if (strcmp(optarg, "stakeholder") == 0) {
				by_stakeholder = 1;
				break;
			}
			if (report_by_parse(optarg, &o.by) == -1) {
				fprintf(stderr, "sampark: --by: \"%s\" is not "
				    "keyword, district, day, week, channel, "
				    "language or stakeholder\n", optarg);
				return 2;
			}
			break;
		case 't':
			top = strtol(optarg, &end, 10);
			if (*end != '\0' || top < 0 || top > 10000) {
				fprintf(stderr, "sampark: --top: a number "
				    "from 0 to 10000\n");
				return 2;
			}
			break;
		case 'h': fputs(report_usage, stdout); return 0;
		default: fputs(report_usage, stderr); return 2;
		}
	}
	if (optind != argc || (strcmp(format, "table") != 0 &&
	    strcmp(format, "csv") != 0 && strcmp(format, "json") != 0) ||
	    (section != NULL && strcmp(format, "csv") != 0)) {
		fputs(report_usage, stderr);
		return 2;
	}
	if ((cfg = cmd_config_for(config_path, db)) == NULL)
		return 1;
	/* A district that is not one would count nothing, silently. */
	if (o.district != NULL && (district_key = cmd_district_key(cfg,
	    "--district", o.district)) == NULL) {
		config_free(cfg);
		return 1;
	}
	o.district = district_key;
	o.suppress_below = (int)config_int(cfg, "suppress_below");
	o.utc_offset_min = (int)config_int(cfg, "report_utc_offset");
	if ((since != NULL && report_parse_date(since, o.utc_offset_min, 0,
	    &o.since_ms) == -1) || (until != NULL && report_parse_date(until,
	    o.utc_offset_min, 1, &o.until_ms) == -1)) {
		fprintf(stderr, "sampark: --since/--until: expected a date "
		    "(YYYY-MM-DD) or an ISO 8601 time\n");
		config_free(cfg);
		return 2;
	}
	/* The lexicon drops filler and districts from the words of the
	 * messages not understood; without one, the section lists texts. */
	buf_init(&errors, 0);
	kw = keywords_load(config_str(cfg, "keywords"), &errors);
	dt = district_load(config_str(cfg, "districts"), &errors);
	if (kw != NULL && dt != NULL)
		und = understand_new(kw, dt, config_str(cfg, "lexicon"), &errors);
	buf_free(&errors);
	o.understand = und;
	buf_init(&out, 0);
	if ((store = cmd_open_store_existing(cfg, db)) == NULL)
		goto done;
	if ((r = report_collect(store, &o, (size_t)top)) == NULL) {
		fprintf(stderr, "sampark: report failed: %s\n",
		    store_errmsg(store));
		goto done;
	}
	if (strcmp(format, "json") == 0)
		report_render_json(r, &out);
	else if (strcmp(format, "csv") == 0) {
		if (section == NULL && by_stakeholder)
			section = "referrals";
		if (report_render_csv(r, section, &out) == -1) {
			buf_reset(&out);
			report_render_csv_names(&out);
			fprintf(stderr, "sampark: --section: \"%s\" is not "
			    "%s\n", section, buf_cstr(&out));
			rc = 2;
			goto done;
		}
	} else if (by_stakeholder)
		report_render_table_section(r, "referrals", &out);
	else
		report_render_table(r, &out);
	if (fwrite(buf_cstr(&out), 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "sampark: cannot write the report\n");
		goto done;
	}
	rc = 0;
done:
	log_info("report", "by=%s format=%s district=%s suppressed=%d "
	    "status=%s", by_stakeholder ? "stakeholder" : report_by_name(o.by),
	    format, o.district ?
	    o.district : "all", r != NULL && report_suppressing(r),
	    rc == 0 ? "ok" : "failed");
	buf_free(&out);
	report_free(r);
	store_close(store);
	understand_free(und);
	keywords_free(kw);
	district_free(dt);
	free(district_key);
	config_free(cfg);
	return rc;
}

const struct cmd_desc cmd_report = {
	.name = "report",
	.summary = "figures for analysts: queries, replies, opt-outs, funnels",
	.usage = report_usage,
	.run = run_report,
};
