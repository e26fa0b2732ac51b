/*
 * provider_twilio: inbound SMS webhooks from Twilio, answered with TwiML.
 *
 * Every webhook must carry a valid X-Twilio-Signature computed over the
 * public URL (config public_url + the path and query as received), since
 * the daemon usually sits behind a proxy that rewrites Host and scheme.
 * Without an auth token every webhook is refused: an unsigned gateway on
 * the internet would let anyone make it send SMS.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "form.h"
#include "log.h"
#include "provider.h"
#include "provider_twilio.h"
#include "util.h"

#define TWIML_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"

static int
field_cmp(const void *a, const void *b)
{
	const struct form_field *x = *(const struct form_field *const *)a;
	const struct form_field *y = *(const struct form_field *const *)b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : strcmp(x->value, y->value);
}

static void
signing_string(const char *url, const struct form *params, struct buf *s)
{
	const struct form_field **sorted;
	size_t i, n = params != NULL ? params->n : 0;

	buf_puts(s, url);
	if (n == 0)
		return;
	sorted = xreallocarray(NULL, n, sizeof(*sorted));
	for (i = 0; i < n; i++)
		sorted[i] = &params->fields[i];
	qsort(sorted, n, sizeof(*sorted), field_cmp);
	for (i = 0; i < n; i++) {
		/* A repeated name=value pair is signed once. */
		if (i > 0 && field_cmp(&sorted[i - 1], &sorted[i]) == 0)
			continue;
		buf_puts(s, sorted[i]->name);
		buf_puts(s, sorted[i]->value);
	}
	free(sorted);
}

void
twilio_signature(const char *auth_token, const char *url,
    const struct form *params, char out[CRYPTO_SHA1_B64_LEN + 1])
{
	struct buf s;

	buf_init(&s, 0);
	signing_string(url, params, &s);
	crypto_hmac_sha1_b64(auth_token, strlen(auth_token), buf_cstr(&s),
	    s.len, out);
	buf_free(&s);
}

/*
 * The URL variants Twilio may have signed: as given, without the port, and
 * with the scheme's default port.  Returns how many were written to v[].
 */
static size_t
url_variants(const char *url, char *v[3])
{
	const char *host, *hostend, *port = NULL, *p;
	size_t n = 0;
	int https;

	v[n++] = xstrdup(url);
	if ((p = strstr(url, "://")) == NULL)
		return n;
	https = strncmp(url, "https", 5) == 0;
	host = p + 3;
	hostend = host + strcspn(host, "/?#");
	for (p = host; p < hostend; p++)
		if (*p == ':')
			port = p;
	if (port != NULL)
		v[n++] = xasprintf("%.*s%s", (int)(port - url), url, hostend);
	else
		v[n++] = xasprintf("%.*s:%s%s", (int)(hostend - url), url,
		    https ? "443" : "80", hostend);
	return n;
}

int
twilio_signature_valid(const char *auth_token, const char *sig,
    const char *url, const struct form *params)
{
	char *v[3], expect[CRYPTO_SHA1_B64_LEN + 1];
	size_t i, n;
	int ok = 0;

	if (auth_token == NULL || sig == NULL)
		return 0;
	n = url_variants(url, v);
	for (i = 0; i < n; i++) {
		twilio_signature(auth_token, v[i], params, expect);
		ok |= crypto_str_equal(expect, sig);
		free(v[i]);
	}
	return ok;
}

int
twilio_signature_valid_body(const char *auth_token, const char *sig,
    const char *url, const char *body, size_t len)
{
	char hex[CRYPTO_SHA256_HEX_LEN + 1];
	const char *q = strchr(url, '?');
	struct form query;
	const char *claimed;
	int ok;

	if (q == NULL || form_parse(q + 1, strlen(q + 1), &query, NULL, 0)) {
		if (q != NULL)
			form_free(&query);
		return 0;
	}
	claimed = form_get(&query, "bodySHA256");
	crypto_sha256_hex(body, len, hex);
	ok = claimed != NULL && crypto_str_equal(hex, claimed) &&
	    twilio_signature_valid(auth_token, sig, url, NULL);
	form_free(&query);
	return ok;
}

static char *
public_request_url(const struct provider_conf *conf,
    const struct sp_request *req)
{
	const char *host;

	if (conf->public_url != NULL && *conf->public_url != '\0')
		return xasprintf("%s%s", conf->public_url, req->uri);
	/* Without public_url, trust Host: only right without a proxy. */
	host = req->header(req, "Host");
	return xasprintf("http://%s%s", host != NULL ? host : "localhost",
	    req->uri);
}

static int
twilio_parse_sms(const struct provider_conf *conf,
    const struct sp_request *req, struct sp_inbound *in, char *err,
    size_t errlen)
{
	struct form f;
	const char *sig, *from, *body, *account;
	char *url = NULL;
	int status;

	memset(in, 0, sizeof(*in));
	if ((status = provider_parse_form_post(req, &f, err, errlen)) != 0)
		goto out;
	if (conf->auth_token == NULL || *conf->auth_token == '\0') {
		sp_err(err, errlen, "no twilio auth token configured");
		status = 403;
		goto out;
	}
	sig = req->header(req, "X-Twilio-Signature");
	url = public_request_url(conf, req);
	if (sig == NULL || !twilio_signature_valid(conf->auth_token, sig, url,
	    &f)) {
		sp_err(err, errlen, "%s X-Twilio-Signature",
		    sig == NULL ? "missing" : "invalid");
		status = 403;
		goto out;
	}
	account = form_get(&f, "AccountSid");
	if (conf->account_sid != NULL && *conf->account_sid != '\0' &&
	    (account == NULL || strcmp(account, conf->account_sid) != 0)) {
		sp_err(err, errlen, "AccountSid is not ours");
		status = 403;
		goto out;
	}
	from = provider_required(&f, "From");
	body = form_get(&f, "Body");
	if (from == NULL || body == NULL) {
		sp_err(err, errlen, "From and Body are required");
		status = 400;
		goto out;
	}
	status = provider_fill_inbound(conf, from, form_get(&f, "To"), body,
	    form_get(&f, "MessageSid"), in, err, errlen);
	in->reply_inline_ok = 1;
out:
	free(url);
	form_free(&f);
	return status;
}

static int
twilio_render_sms_reply(const struct provider_conf *conf,
    const struct sp_inbound *in, char *const *texts, size_t n, struct buf *out, const char **content_type)
{
	size_t i;

	(void)conf;
	(void)in;
	*content_type = "text/xml; charset=utf-8";
	if (n == 0)
		return buf_puts(out, TWIML_HEAD "<Response/>");
	if (buf_puts(out, TWIML_HEAD "<Response>") == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (buf_puts(out, "<Message>") == -1 ||
		    buf_xml_escape(out, texts[i]) == -1 ||
		    buf_puts(out, "</Message>") == -1)
			return -1;
	return buf_puts(out, "</Response>");
}

static void
twilio_check_conf(const struct provider_conf *conf)
{
	if (conf->auth_token == NULL || *conf->auth_token == '\0')
		log_warn("provider_config", "provider=twilio problem=\"no auth "
		    "token: every Twilio webhook will be refused with 403\"");
	if (conf->public_url == NULL || *conf->public_url == '\0')
		log_warn("provider_config", "provider=twilio problem=\"public_url"
		    " not set: signatures are checked against the Host header\"");
}

const struct provider provider_twilio = {
	.name = "twilio",
	.parse_sms = twilio_parse_sms,
	.render_sms_reply = twilio_render_sms_reply,
	.check_conf = twilio_check_conf,
};
