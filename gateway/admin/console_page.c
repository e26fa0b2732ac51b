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
	admin_html(res, 200, console_html, console_html_len);
}

static void
login_failed(struct admin_response *res, int status, const char *en,
    const char *hi)
{
	admin_html(res, status, NULL, 0);
	buf_puts(&res->body, "<p id=\"login-error\">");
	buf_xml_escape(&res->body, en);
	buf_puts(&res->body, " <span lang=\"hi\">");
	buf_xml_escape(&res->body, hi);
	buf_puts(&res->body, "</span> <a href=\"/console\">Try again · फिर "
	    "से</a></p></html>\n");
}

/* The console's words for a refused login, in both languages. */
static void
login_refused(struct admin_response *res, int status,
    enum admin_login_failure why)
{
	static const char *const text[][2] = {
		[ADMIN_LOGIN_NO_TOKEN] = { "The form needs a token.",
		    "टोकन डालें।" },
		[ADMIN_LOGIN_BAD_TOKEN] = { "That token is not valid.",
		    "यह टोकन सही नहीं है।" },
		[ADMIN_LOGIN_WRONG_ROLE] = { "That token is not a "
		    "coordinator's.", "यह टोकन समन्वयक का नहीं है।" },
		[ADMIN_LOGIN_NO_SESSION] = { "Cannot start a session now.",
		    "अभी लॉग इन नहीं हो सकता।" },
	};

	login_failed(res, status, text[why][0], text[why][1]);
}

static const struct admin_login console_login = { "/console", "console_login",
	"console_logout", ROLE_COORDINATOR, SESSION_MAX_AGE_S, login_refused };

static void
post_console_session(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	(void)role;
	admin_session_post(ctx, req, res, &console_login);
}

const struct admin_route console_page_routes[] = {
	{ "GET", "/console", ROLE_NONE, 0, get_console },
	{ "POST", "/console/login", ROLE_NONE, 1, post_console_session },
	{ "POST", "/console/logout", ROLE_NONE, 1, post_console_session },
	{ NULL, NULL, ROLE_NONE, 0, NULL },
};
