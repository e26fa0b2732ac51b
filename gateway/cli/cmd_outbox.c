/*
 * cmd_outbox: `sampark outbox` lists what the outbox holds, newest first
 * (`sampark send` queues a message in it).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "log.h"
#include "schedule.h"
#include "store.h"
#include "util.h"

static const char outbox_usage[] =
    "usage: sampark outbox [--state STATE] [--limit N] [--reveal-phones] [-c CONFIG] [--db PATH]\n"
    "\n"
    "Lists outbox messages, newest first: id, created (UTC), state, provider,\n"
    "to, attempts, segments, provider id, when it is due (DUE_IST: India\n"
    "time, for a message still to go; a broadcast's waits for quiet hours and\n"
    "each contact's daily_cap) and last error.  STATE is one of\n"
    "queued, sending, sent, delivered, undelivered, failed, expired or\n"
    "cancelled (stopped by a broadcast's cancel before it went).\n"
    "Numbers are masked but for the last 4 digits unless --reveal-phones.\n";

struct list_state {
	int	reveal;
	size_t	rows;
};

static int
print_msg(void *arg, const struct outbox_msg *m)
{
	struct list_state *ls = arg;
	char created[32], due[32], masked[32], *pid, *code, *error;

	util_iso8601(m->created_ms, created);
	created[19] = '\0';	/* seconds are enough here */
	/* Due matters only while it waits; a coordinator reads India time. */
	if (strcmp(m->state, "queued") == 0 || strcmp(m->state, "held") == 0) {
		util_iso8601(m->next_attempt_ms + SCHEDULE_IST_OFFSET_MS, due);
		due[16] = '\0';
	} else {
		util_strlcpy(due, "-", sizeof(due));
	}
	if (ls->rows++ == 0)
		printf("%-8s %-19s %-11s %-8s %-16s %4s %4s  %-24s %-16s %s\n",
		    "ID", "CREATED", "STATE", "PROVIDER", "TO", "TRY", "SEG",
		    "PROVIDER_ID", "DUE_IST", "ERROR");
	/* The id and the error are the provider's words, not ours. */
	pid = buf_term_dup(m->provider_id ? m->provider_id : "-");
	code = buf_term_dup(m->error_code);
	error = buf_term_dup(m->error);
	printf("%-8lld %-19s %-11s %-8s %-16s %4d %4d  %-24s %-16s %s%s%s\n",
	    (long long)m->id, created, records_outbox_state(m), m->provider,
	    ls->reveal ? m->to : log_phone(m->to, masked, sizeof(masked)),
	    m->attempts, m->segments, pid, due, code, m->error_code && m->error ?
	    " " : "", error);
	free(pid);
	free(code);
	free(error);
	return 0;
}

static int
run_outbox(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "state", required_argument, NULL, 's' },
		{ "limit", required_argument, NULL, 'l' },
		{ "reveal-phones", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config_path = NULL, *db = NULL, *state = NULL;
	struct list_state ls = { 0, 0 };
	enum msg_state parsed;
	struct config *cfg = NULL;
	struct store *st = NULL;
	long limit = 0;
	int ch, rc = 1;

	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': config_path = optarg; break;
		case 'd': db = optarg; break;
		case 's': state = optarg; break;
		case 'l': limit = strtol(optarg, NULL, 10); break;
		case 'r': ls.reveal = 1; break;
		case 'h': fputs(outbox_usage, stdout); return 0;
		default: fputs(outbox_usage, stderr); return 2;
		}
	}
	if (optind != argc || limit < 0 ||
	    (state != NULL && strcmp(state, "held") != 0 &&
	    strcmp(state, "cancelled") != 0 &&
	    records_state_parse(state, &parsed) == -1)) {
		fputs(outbox_usage, stderr);
		return 2;
	}
	if ((cfg = cmd_config_for(config_path, db)) == NULL ||
	    (st = cmd_open_store_existing(cfg, db)) == NULL)
		goto out;
	if (store_outbox_list(st, state, (size_t)limit, print_msg, &ls) == -1)
		goto out;
	if (ls.rows == 0)
		printf("no messages%s%s\n", state ? " in state " : "",
		    state ? state : "");
	rc = 0;
out:
	store_close(st);
	config_free(cfg);
	return rc;
}

const struct cmd_desc cmd_outbox = {
	.name = "outbox",
	.summary = "list the outbox and each message's state",
	.usage = outbox_usage,
	.run = run_outbox,
};
