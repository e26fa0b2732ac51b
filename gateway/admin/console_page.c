/*
 * console_page: /console, its login and logout.  See console_page.h.
 */
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "console_page.h"
#include "form.h"
#include "log.h"
#include "provider.h"
#include "util.h"

/* A working day, as the dashboard's. */
#define SESSION_MAX_AGE_S	(8 * 3600)

static void
get_console(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	(void)ctx;
	(void)req;
	(void)role;
	buf_append(&res->body, console_html, console_html_len);
	res->status = 200;
	res->content_type = "text/html; charset=utf-8";
}

static void
login_failed(struct admin_response *res, int status, const char *en,
    const char *hi)
{
	res->status = status;
	res->content_type = "text/html; charset=utf-8";
	buf_reset(&res->body);
	buf_puts(&res->body, "<!doctype html><html lang=\"en\"><meta "
	    "charset=\"utf-8\"><meta name=\"viewport\" content=\"width="
	    "device-width\"><title>Sampark</title><p id=\"login-error\">");
	buf_xml_escape(&res->body, en);
	buf_puts(&res->body, " <span lang=\"hi\">");
	buf_xml_escape(&res->body, hi);
	buf_puts(&res->body, "</span> <a href=\"/console\">Try again · फिर "
	    "से</a></p></html>\n");
}

static void
post_login(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	struct form f;
	const char *token, *sid;
	enum admin_role proven;
	char err[128];

	(void)role;
	memset(&f, 0, sizeof(f));
	if (form_parse(req->body, req->body_len, &f, err, sizeof(err)) == -1 ||
	    (token = form_get(&f, "token")) == NULL) {
		form_free(&f);
		login_failed(res, 400, "The form needs a token.",
		    "टोकन डालें।");
		return;
	}
	proven = admin_auth_check(ctx->auth, token);
	form_free(&f);
	if (proven != ROLE_COORDINATOR && proven != ROLE_ADMIN) {
		log_warn("console_login", "outcome=refused role=%s",
		    admin_role_name(proven));
		if (proven == ROLE_NONE)
			login_failed(res, 401, "That token is not valid.",
			    "यह टोकन सही नहीं है।");
		else
			login_failed(res, 403, "That token is not a "
			    "coordinator's.", "यह टोकन समन्वयक का नहीं है।");
		return;
	}
	if ((sid = admin_auth_session_new(ctx->auth, proven,
	    SESSION_MAX_AGE_S)) == NULL) {
		login_failed(res, 503, "Cannot start a session now.",
		    "अभी लॉग इन नहीं हो सकता।");
		return;
	}
	admin_session_redirect(res, sid, SESSION_MAX_AGE_S, "/console");
	log_info("console_login", "outcome=ok role=%s",
	    admin_role_name(proven));
}

static void
post_logout(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	char sid[128];
	int ended;

	(void)role;
	ended = admin_auth_session_end(ctx->auth, admin_session_cookie(req,
	    sid, sizeof(sid)));
	log_info("console_logout", "session=%s", ended ? "ended" : "none");
	admin_session_redirect(res, NULL, 0, "/console");
}

const struct admin_route console_page_routes[] = {
	{ "GET", "/console", ROLE_NONE, 0, get_console },
	{ "POST", "/console/login", ROLE_NONE, 1, post_login },
	{ "POST", "/console/logout", ROLE_NONE, 1, post_logout },
	{ NULL, NULL, ROLE_NONE, 0, NULL },
};
