/*
 * provider_console: a provider for local use and demos.  Inbound is a plain
 * form POST with From, Body and an optional MessageId (used for dedupe, so
 * retries can be tried by hand); the reply is the text itself.  Nothing is
 * signed and any From is believed, so whoever reaches it can act as any
 * woman or coordinator: it answers only a peer on this machine that is not
 * a proxy relaying someone else (allow_remote lifts both checks).
 */
#include <string.h>

#include "form.h"
#include "provider.h"
#include "util.h"

/*
 * A proxy on this machine connects from loopback too: a request it relays
 * carries one of these headers, and is someone else's.
 */
static const char *const proxy_headers[] = {
	"X-Forwarded-For", "Forwarded", "X-Real-IP",
};

static int
console_local_only(const struct sp_request *req, char *err, size_t errlen)
{
	size_t i;

	if (!req->peer_loopback) {
		util_err(err, errlen, "console answers loopback peers only "
		    "(console.allow_remote)");
		return 403;
	}
	for (i = 0; i < SP_ARRAY_LEN(proxy_headers); i++)
		if (req->header != NULL &&
		    req->header(req, proxy_headers[i]) != NULL) {
			util_err(err, errlen, "console refuses requests relayed "
			    "by a proxy (%s; console.allow_remote)",
			    proxy_headers[i]);
			return 403;
		}
	return 0;
}

static int
console_parse_sms(const struct provider_conf *conf,
    const struct sp_request *req, struct inbound_msg *in, char *err,
    size_t errlen)
{
	struct form f;
	int status;

	memset(in, 0, sizeof(*in));
	if (!provider_setting_bool(conf, "allow_remote") &&
	    (status = console_local_only(req, err, errlen)) != 0)
		return status;
	if ((status = provider_parse_form_post(req, &f, err, errlen)) != 0)
		goto out;
	status = provider_form_inbound(conf, &f, "MessageId", in, err, errlen);
	in->reply_inline_ok = 1;
out:
	form_free(&f);
	return status;
}

static int
console_render_sms_reply(const struct provider_conf *conf,
    const struct inbound_msg *in, char *const *texts, size_t n, struct buf *out, const char **content_type)
{
	size_t i;

	(void)conf;
	(void)in;
	*content_type = "text/plain; charset=utf-8";
	/* No reply (e.g. to someone who opted out) is an empty body. */
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (i > 0 && buf_puts(out, "\n\n") == -1)
			return -1;
		if (buf_puts(out, texts[i]) == -1)
			return -1;
	}
	return buf_putc(out, '\n');
}

/* No secrets, no API: it delivers into the log. */
static const struct config_directive console_settings[] = {
	/* Off unless a file turns it on: the console trusts any From, so an
	 * installed configuration must not expose it by default. */
	CONFIG_D_BOOL("console.enabled", "no",
	    "accept the local console provider at /sms/console"),
	CONFIG_D_BOOL("console.allow_remote", "no", "console: also answer "
	    "requests from a non-loopback peer or relayed by a proxy "
	    "(X-Forwarded-For, Forwarded, X-Real-IP); otherwise they get 403"),
	CONFIG_D_STR("console.rate", "0",
	    "console: messages per second (0: no limit)"),
	CONFIG_D_INT("console.max_inflight", "8", 1, 1000,
	    "console: most send requests at once"),
};

const struct provider provider_console = {
	.name = "console",
	.settings = console_settings,
	.nsettings = SP_ARRAY_LEN(console_settings),
	.parse_sms = console_parse_sms,
	.render_sms_reply = console_render_sms_reply,
};
