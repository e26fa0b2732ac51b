/*
 * provider: what the adapters share (their settings, form webhooks, URL
 * tokens, message states, the common reading of a send answer).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "crypto.h"
#include "form.h"
#include "provider.h"
#include "text.h"
#include "util.h"

const char *
provider_setting(const struct provider_conf *conf, const char *key)
{
	size_t i;

	for (i = 0; i < conf->nvalues; i++)
		if (strcmp(conf->values[i].key, key) == 0)
			return conf->values[i].value;
	return "";
}

int
provider_setting_bool(const struct provider_conf *conf, const char *key)
{
	return strcmp(provider_setting(conf, key), "yes") == 0;
}

int
provider_field_cmp(const void *a, const void *b)
{
	const struct form_field *x = *(const struct form_field *const *)a;
	const struct form_field *y = *(const struct form_field *const *)b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : strcmp(x->value, y->value);
}

const char *
provider_required(const struct form *f, const char *name)
{
	const char *v = form_get(f, name);

	return v != NULL && *v != '\0' ? v : NULL;
}

int
provider_fill_inbound(const struct provider_conf *conf, const char *from,
    const char *to, const char *body, const char *msg_id,
    struct inbound_msg *in, char *err, size_t errlen)
{
	char why[128];

	memset(in, 0, sizeof(*in));
	if (!text_utf8_valid(body, strlen(body))) {
		util_err(err, errlen, "message text is not valid UTF-8");
		return 400;
	}
	if (phone_to_e164(from, conf->default_cc, in->from, sizeof(in->from),
	    why, sizeof(why)) == -1) {
		util_err(err, errlen, "bad sender number: %s", why);
		return 400;
	}
	/* A short code or an alphanumeric "To" is not an error: keep it out. */
	if (to != NULL && phone_to_e164(to, conf->default_cc, in->to,
	    sizeof(in->to), NULL, 0) == -1)
		in->to[0] = '\0';
	if (msg_id != NULL && *msg_id != '\0') {
		if (strlen(msg_id) > 128 ||
		    !text_utf8_valid(msg_id, strlen(msg_id))) {
			util_err(err, errlen, "bad message id");
			return 400;
		}
		in->provider_msg_id = xstrdup(msg_id);
	}
	in->body = xstrdup(body);
	return 0;
}

int
provider_form_inbound(const struct provider_conf *conf, const struct form *f,
    const char *id_field, struct inbound_msg *in, char *err, size_t errlen)
{
	const char *from = provider_required(f, "From");
	const char *body = form_get(f, "Body");

	if (from == NULL || body == NULL) {
		memset(in, 0, sizeof(*in));
		util_err(err, errlen, "From and Body are required");
		return 400;
	}
	return provider_fill_inbound(conf, from, form_get(f, "To"), body,
	    form_get(f, id_field), in, err, errlen);
}

int
provider_parse_form_post(const struct sp_request *req, struct form *f,
    char *err, size_t errlen)
{
	const char *ct = req->content_type;

	memset(f, 0, sizeof(*f));
	if (strcmp(req->method, "POST") != 0) {
		util_err(err, errlen, "method %s not allowed", req->method);
		return 405;
	}
	if (ct == NULL || strncasecmp(ct, "application/x-www-form-urlencoded",
	    strlen("application/x-www-form-urlencoded")) != 0) {
		util_err(err, errlen, "content type must be "
		    "application/x-www-form-urlencoded");
		return 415;
	}
	if (form_parse(req->body, req->body_len, f, err, errlen) == -1)
		return 400;
	return 0;
}

void
provider_http_call_clear(struct sp_http_call *call)
{
	size_t i;

	free(call->url);
	free(call->userpwd);
	for (i = 0; i < call->nheaders; i++)
		free(call->headers[i]);
	if (call->body != NULL) {
		buf_free(call->body);
		free(call->body);
	}
	memset(call, 0, sizeof(*call));
}

void
provider_http_call_header(struct sp_http_call *call, const char *fmt, ...)
{
	va_list ap;
	char *h;

	if (call->nheaders == SP_CALL_MAX_HEADERS)
		return;		/* an adapter bug; the table is generous */
	va_start(ap, fmt);
	if (vasprintf(&h, fmt, ap) == -1)
		h = NULL;
	va_end(ap);
	if (h == NULL)
		h = xstrdup("X-Sampark-Oom: 1");
	call->headers[call->nheaders++] = h;
}

char *
provider_public_url(const struct provider_conf *conf,
    const struct sp_request *req)
{
	const char *host;

	if (conf->public_url != NULL && *conf->public_url != '\0')
		return xasprintf("%s%s", conf->public_url, req->uri);
	/* Without public_url, trust Host: only right without a proxy. */
	host = req->header != NULL ? req->header(req, "Host") : NULL;
	return xasprintf("http://%s%s", host != NULL ? host : "localhost",
	    req->uri);
}

int
provider_parse_params(const struct sp_request *req, struct form *f,
    char *err, size_t errlen)
{
	const char *q = req->query != NULL ? req->query : "";

	memset(f, 0, sizeof(*f));
	if (strcmp(req->method, "GET") != 0)
		return provider_parse_form_post(req, f, err, errlen);
	return form_parse(q, strlen(q), f, err, errlen) == 0 ? 0 : 400;
}

int
provider_can_send(const struct provider *p, const struct provider_conf *conf,
    char *why, size_t whylen)
{
	struct sp_outbound msg;
	struct sp_http_call call;
	int rc;

	if (p->build_send == NULL)
		return 1;
	if (conf == NULL || !conf->enabled) {
		util_err(why, whylen, "%s is not enabled", p->name);
		return 0;
	}
	memset(&msg, 0, sizeof(msg));
	msg.to = "+919000000000";
	msg.from = "";
	msg.body = "check";
	memset(&call, 0, sizeof(call));
	rc = p->build_send(conf, &msg, &call, why, whylen);
	provider_http_call_clear(&call);
	return rc == 0;
}

void
provider_check(const struct provider *p, const struct provider_conf *conf,
    struct buf *problems, struct buf *warnings)
{
	size_t before = problems->len;
	char why[256];

	if (p->check_conf != NULL)
		p->check_conf(conf, problems, warnings);
	if (problems->len == before && !provider_can_send(p, conf, why,
	    sizeof(why)))
		buf_printf(warnings, "cannot send: %s\n", why);
}

const char *
provider_env_name(const char *env)
{
	return env != NULL && *env != '\0' ? env :
	    "(no variable: set its *_env key)";
}

void
provider_classify_send(long http_status, struct sp_send_result *res)
{
	memset(res, 0, sizeof(*res));
	if (http_status >= 200 && http_status < 300)
		res->outcome = SEND_ACCEPTED;
	else if (http_status == 0 || http_status == 408 ||
	    http_status == 429 || http_status >= 500)
		res->outcome = SEND_RETRY;
	else
		res->outcome = SEND_FAILED;
	if (res->outcome != SEND_ACCEPTED)
		snprintf(res->error_message, sizeof(res->error_message),
		    http_status ? "HTTP %ld" : "no answer", http_status);
}

/* The first non-blank line of body as plain text, cut to outlen - 1. */
static void
first_line(const char *body, size_t len, char *out, size_t outlen)
{
	size_t i = 0, n = 0;

	while (i < len && (body[i] == ' ' || body[i] == '\t' ||
	    body[i] == '\r' || body[i] == '\n'))
		i++;
	for (; i < len && body[i] != '\n' && body[i] != '\r' &&
	    n + 1 < outlen; i++) {
		unsigned char c = (unsigned char)body[i];

		if (c == '\0')
			break;
		out[n++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	/* Never end inside a UTF-8 sequence that the cut split. */
	n = text_utf8_whole(out, n);
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

void
provider_explain_failure(long http_status, const char *body, size_t len,
    struct sp_send_result *res)
{
	static const char *const members[] = { "title", "detail", "message",
	    "error" };
	char bare[32], why[160];
	json_t *root = NULL;
	size_t i;

	if (res->outcome == SEND_ACCEPTED || http_status == 0 ||
	    body == NULL || len == 0)
		return;
	snprintf(bare, sizeof(bare), "HTTP %ld", http_status);
	if (res->error_message[0] != '\0' &&
	    strcmp(res->error_message, bare) != 0)
		return;
	why[0] = '\0';
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
	if (json_is_object(root)) {
		for (i = 0; i < SP_ARRAY_LEN(members) && why[0] == '\0'; i++)
			provider_json_text(json_object_get(root, members[i]),
			    why, sizeof(why));
		first_line(why, strlen(why), why, sizeof(why));
	} else
		/* Not a JSON object: read it as text. */
		first_line(body, len, why, sizeof(why));
	json_decref(root);
	if (why[0] == '\0')
		snprintf(res->error_message, sizeof(res->error_message), "%s",
		    bare);
	else
		snprintf(res->error_message, sizeof(res->error_message),
		    "%s: %s", bare, why);
}

int
provider_json_text(const struct json_t *v, char *out, size_t outlen)
{
	out[0] = '\0';
	if (json_is_string(v))
		util_strlcpy(out, json_string_value(v), outlen);
	else if (json_is_integer(v))
		snprintf(out, outlen, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
	else
		return -1;
	return 0;
}

int
provider_check_url_token(const struct provider_conf *conf,
    const struct sp_request *req, char *err, size_t errlen)
{
	const char *given = req->path_arg;
	struct form q;
	int ok;

	memset(&q, 0, sizeof(q));
	if ((given == NULL || *given == '\0') && req->query != NULL &&
	    form_parse(req->query, strlen(req->query), &q, NULL, 0) == 0)
		given = form_get(&q, "token");
	ok = conf->url_token != NULL && *conf->url_token != '\0' &&
	    crypto_str_equal(given, conf->url_token);
	form_free(&q);
	if (!ok) {
		util_err(err, errlen, "%s URL token",
		    given == NULL ? "missing" : "wrong");
		return 403;
	}
	return 0;
}
