/*
 * provider: the table of adapters, found by name.  No if/else chains on
 * provider names anywhere else.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "form.h"
#include "provider.h"
#include "text.h"
#include "util.h"

const struct provider *const provider_table[] = {
	&provider_console,
	&provider_twilio,
	NULL,
};

const struct provider *
provider_find(const char *name)
{
	size_t i;

	for (i = 0; provider_table[i] != NULL; i++)
		if (strcmp(provider_table[i]->name, name) == 0)
			return provider_table[i];
	return NULL;
}

void
sp_inbound_clear(struct sp_inbound *in)
{
	free(in->provider_msg_id);
	free(in->body);
	memset(in, 0, sizeof(*in));
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
    struct sp_inbound *in, char *err, size_t errlen)
{
	char why[128];

	memset(in, 0, sizeof(*in));
	if (!text_utf8_valid(body, strlen(body))) {
		sp_err(err, errlen, "message text is not valid UTF-8");
		return 400;
	}
	if (phone_to_e164(from, conf->default_cc, in->from, sizeof(in->from),
	    why, sizeof(why)) == -1) {
		sp_err(err, errlen, "bad sender number: %s", why);
		return 400;
	}
	/* A short code or an alphanumeric "To" is not an error: keep it out. */
	if (to != NULL && phone_to_e164(to, conf->default_cc, in->to,
	    sizeof(in->to), NULL, 0) == -1)
		in->to[0] = '\0';
	if (msg_id != NULL && *msg_id != '\0') {
		if (strlen(msg_id) > 128 ||
		    !text_utf8_valid(msg_id, strlen(msg_id))) {
			sp_err(err, errlen, "bad message id");
			return 400;
		}
		in->provider_msg_id = xstrdup(msg_id);
	}
	in->body = xstrdup(body);
	return 0;
}

int
provider_parse_form_post(const struct sp_request *req, struct form *f,
    char *err, size_t errlen)
{
	const char *ct = req->content_type;

	memset(f, 0, sizeof(*f));
	if (strcmp(req->method, "POST") != 0) {
		sp_err(err, errlen, "method %s not allowed", req->method);
		return 405;
	}
	if (ct == NULL || strncasecmp(ct, "application/x-www-form-urlencoded",
	    strlen("application/x-www-form-urlencoded")) != 0) {
		sp_err(err, errlen, "content type must be "
		    "application/x-www-form-urlencoded");
		return 415;
	}
	if (form_parse(req->body, req->body_len, f, err, errlen) == -1)
		return 400;
	return 0;
}
