/*
 * cmd_send: `sampark send` queues a message in the outbox; a running
 * daemon picks it up within outbox_poll_ms (`sampark outbox` lists it).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "phone.h"
#include "provider.h"
#include "runtime.h"
#include "segment.h"
#include "store.h"
#include "text.h"
#include "util.h"

static const char send_usage[] =
    "usage: sampark send --to NUMBER --text TEXT [--provider NAME] [-c CONFIG] [--db PATH]\n"
    "\n"
    "Queues one SMS in the outbox and prints its id; a running daemon sends\n"
    "it within a second.  NUMBER may be E.164 (+91...) or a national number.\n"
    "--provider defaults to the first enabled provider that can send with\n"
    "its settings and secrets (account, sender, and the token in its\n"
    "environment variable, as `sampark check-config` reports them); the\n"
    "console, which only writes the message to the daemon's log, when it\n"
    "is enabled and no other provider can send.  With none, send fails.\n";

/*
 * The provider named, or the default sender.  A provider named is taken
 * as asked with a warning if it cannot send from here (the daemon may
 * have settings of its own, e.g. --set); the default is never one that
 * cannot.
 */
static const struct provider *
pick_provider(const struct config *cfg, const char *name)
{
	const struct provider *p = NULL;
	struct provider_conf *pconf;
	struct buf errors;
	char why[256];
	size_t n, i;

	buf_init(&errors, 0);
	pconf = runtime_providers_new(cfg, &n, &errors);
	if (name == NULL) {
		if ((p = runtime_default_sender(pconf, n, why,
		    sizeof(why))) == NULL)
			fprintf(stderr, "sampark: %s\n", why);
		goto out;
	}
	if ((p = provider_find(name)) == NULL) {
		fprintf(stderr, "sampark: no provider named \"%s\"\n", name);
		goto out;
	}
	for (i = 0; i < n; i++)
		if (provider_table[i] == p)
			break;
	if (i == n || !pconf[i].enabled)
		fprintf(stderr, "sampark: warning: provider %s is not "
		    "enabled; the message waits until it is\n", name);
	else if (!provider_can_send(p, &pconf[i], why, sizeof(why)))
		fprintf(stderr, "sampark: warning: provider %s cannot send "
		    "with these settings (%s); the message fails unless the "
		    "daemon's differ\n", name, why);
out:
	runtime_providers_free(pconf, n);
	buf_free(&errors);
	return p;
}

static int
run_send(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "to", required_argument, NULL, 't' },
		{ "text", required_argument, NULL, 'x' },
		{ "provider", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config_path = NULL, *db = NULL, *to = NULL, *text = NULL;
	const char *pname = NULL;
	const struct provider *p;
	struct outbox_msg m;
	struct config *cfg = NULL;
	struct store *st = NULL;
	struct segment_info si;
	char e164[PHONE_E164_MAX + 1], why[128];
	int ch, rc = 1;

	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': config_path = optarg; break;
		case 'd': db = optarg; break;
		case 't': to = optarg; break;
		case 'x': text = optarg; break;
		case 'p': pname = optarg; break;
		case 'h': fputs(send_usage, stdout); return 0;
		default: fputs(send_usage, stderr); return 2;
		}
	}
	if (optind != argc || to == NULL || text == NULL) {
		fputs(send_usage, stderr);
		return 2;
	}
	if (*text == '\0' || !text_utf8_valid(text, strlen(text))) {
		fprintf(stderr, "sampark: the text must be non-empty UTF-8\n");
		return 1;
	}
	if ((cfg = cmd_config_for(config_path, db)) == NULL)
		goto out;
	if (phone_to_e164(to, config_str(cfg, "default_country"), e164,
	    sizeof(e164), why, sizeof(why)) == -1) {
		fprintf(stderr, "sampark: bad number \"%s\": %s\n", to, why);
		goto out;
	}
	if ((p = pick_provider(cfg, pname)) == NULL ||
	    (st = cmd_open_store(cfg, db)) == NULL)
		goto out;
	segment_count(text, strlen(text), &si);
	memset(&m, 0, sizeof(m));
	m.provider = (char *)p->name;
	m.to = e164;
	m.from = (char *)"";
	m.body = (char *)text;
	m.encoding = (char *)segment_encoding_name(si.encoding);
	m.segments = (int)si.segments;
	m.created_ms = util_wall_ms();
	if (store_outbox_add(st, &m) == -1) {
		fprintf(stderr, "sampark: %s\n", store_errmsg(st));
		goto out;
	}
	printf("%lld\n", (long long)m.id);
	rc = 0;
out:
	store_close(st);
	config_free(cfg);
	return rc;
}

const struct cmd_desc cmd_send = {
	.name = "send",
	.summary = "queue an SMS in the outbox",
	.usage = send_usage,
	.run = run_send,
};
