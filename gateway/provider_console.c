/*
 * provider_console: a provider for local use and demos.  Inbound is a plain
 * form POST with From, Body and an optional MessageId (used for dedupe, so
 * retries can be tried by hand); the reply is the text itself.  Nothing is
 * signed: the console provider is meant for a loopback listener only.
 */
#include <string.h>

#include "form.h"
#include "provider.h"
#include "util.h"

static int
console_parse_sms(const struct provider_conf *conf,
    const struct sp_request *req, struct sp_inbound *in, char *err,
    size_t errlen)
{
	struct form f;
	const char *from, *body;
	int status;

	memset(in, 0, sizeof(*in));
	if ((status = provider_parse_form_post(req, &f, err, errlen)) != 0)
		goto out;
	from = provider_required(&f, "From");
	body = form_get(&f, "Body");
	if (from == NULL || body == NULL) {
		sp_err(err, errlen, "From and Body are required");
		status = 400;
		goto out;
	}
	status = provider_fill_inbound(conf, from, form_get(&f, "To"), body,
	    form_get(&f, "MessageId"), in, err, errlen);
	in->reply_inline_ok = 1;
out:
	form_free(&f);
	return status;
}

static int
console_render_sms_reply(const struct provider_conf *conf,
    const struct sp_inbound *in, char *const *texts, size_t n, struct buf *out, const char **content_type)
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

const struct provider provider_console = {
	.name = "console",
	.parse_sms = console_parse_sms,
	.render_sms_reply = console_render_sms_reply,
};
