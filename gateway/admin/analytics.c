/*
 * analytics: /metrics, /dashboard, /login and the report API (see
 * analytics.h).  The figures themselves come from report.c and the store;
 * this file only reads requests and writes answers.
 *
 * Reports run on the event loop: a report over a long period blocks
 * webhooks while it scans, so the page asks for 30 days unless told
 * otherwise, and the scan walks the time index.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics.h"
#include "config.h"
#include "form.h"
#include "log.h"
#include "metrics.h"
#include "provider.h"
#include "report.h"
#include "runtime.h"
#include "store.h"
#include "util.h"

/* How long a dashboard login lasts: a working day. */
#define SESSION_MAX_AGE_S	(8 * 3600)
#define PARAM_MAX		64

/* ---- /metrics ---- */

static void
outbox_gauge(void *arg, const char *state, int64_t n)
{
	metrics_set(arg, "sampark_outbox_messages", (double)n, "state", state,
	    NULL);
}

static void
get_metrics(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	struct metrics *own = NULL, *m = ctx->metrics;

	(void)req;
	(void)role;
	if (m == NULL)
		m = own = metrics_new_sampark();
	metrics_process(m);
	metrics_zero(m, "sampark_outbox_messages");
	if (store_outbox_counts(ctx->store, outbox_gauge, m) == -1) {
		metrics_free(own);
		admin_error(res, 503, "store unavailable");
		return;
	}
	metrics_render(m, &res->body);
	metrics_free(own);
	res->status = 200;
	res->content_type = "text/plain; version=0.0.4; charset=utf-8";
}

/* ---- the page and the login ---- */

static void
get_dashboard(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	(void)ctx;
	(void)req;
	(void)role;
	admin_html(res, 200, dashboard_html, dashboard_html_len);
}

static void
login_failed(struct admin_response *res, int status, const char *why)
{
	admin_html(res, status, NULL, 0);
	buf_puts(&res->body, "<p>");
	buf_xml_escape(&res->body, why);
	buf_puts(&res->body, " <a href=\"/dashboard\">Try again</a></p>"
	    "</html>\n");
}

/* The dashboard's words for a refused login. */
static void
login_refused(struct admin_response *res, int status,
    enum admin_login_failure why)
{
	static const char *const text[] = {
		[ADMIN_LOGIN_NO_TOKEN] = "The form needs a token.",
		[ADMIN_LOGIN_BAD_TOKEN] = "That token is not valid.",
		[ADMIN_LOGIN_WRONG_ROLE] = "That token may not read reports.",
		[ADMIN_LOGIN_NO_SESSION] = "Cannot start a session now.",
	};

	login_failed(res, status, text[why]);
}

static const struct admin_login dashboard_login = { "/dashboard", "dashboard_login",
	"dashboard_logout", ROLE_ANALYST, SESSION_MAX_AGE_S, login_refused };

static void
post_dashboard_session(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	(void)role;
	admin_session_post(ctx, req, res, &dashboard_login);
}

/* ---- the report API ---- */

/* District and channel keys: short, plain ASCII words. */
static int
plain_word(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= PARAM_MAX && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n;
}

/* Fill o from the query string; the strings stay in f.  0, or -1 (err). */
static int
read_query(const struct admin_ctx *ctx, const struct form *f,
    struct report_options *o, char *err, size_t errlen)
{
	const char *v;

	memset(o, 0, sizeof(*o));
	o->suppress_below = (int)config_int(ctx->rt->cfg, "suppress_below");
	o->utc_offset_min = (int)config_int(ctx->rt->cfg, "report_utc_offset");
	/* The words of the unanswered, as `sampark report` lists them. */
	o->understand = ctx->rt->understand;
	if ((v = form_get(f, "since")) != NULL && *v != '\0' &&
	    report_parse_date(v, o->utc_offset_min, 0, &o->since_ms) == -1) {
		util_err(err, errlen, "since: not a date (YYYY-MM-DD)");
		return -1;
	}
	if ((v = form_get(f, "until")) != NULL && *v != '\0' &&
	    report_parse_date(v, o->utc_offset_min, 1, &o->until_ms) == -1) {
		util_err(err, errlen, "until: not a date (YYYY-MM-DD)");
		return -1;
	}
	if ((v = form_get(f, "district")) != NULL && *v != '\0') {
		if (!plain_word(v)) {
			util_err(err, errlen, "district: not a district key");
			return -1;
		}
		o->district = v;
	}
	if ((v = form_get(f, "channel")) != NULL && *v != '\0') {
		if (!plain_word(v)) {
			util_err(err, errlen, "channel: not a channel");
			return -1;
		}
		o->channel = v;
	}
	if ((v = form_get(f, "by")) != NULL && report_by_parse(v, &o->by) ==
	    -1) {
		util_err(err, errlen, "by: keyword, district, day, week, channel "
		    "or language");
		return -1;
	}
	return 0;
}

static void
summary(struct admin_ctx *ctx, const struct form *f,
    const struct report_options *o, struct admin_response *res)
{
	const char *v = form_get(f, "top");
	struct report *r;
	long top = v != NULL ? strtol(v, NULL, 10) : 20;

	if (top < 0 || top > 1000)
		top = 20;
	if ((r = report_collect(ctx->store, o, (size_t)top)) == NULL) {
		admin_error(res, 503, "store unavailable");
		return;
	}
	report_render_json(r, &res->body);
	report_free(r);
	res->status = 200;
	res->content_type = "application/json";
}

static void
crosstab(struct admin_ctx *ctx, const struct form *f,
    const struct report_options *o, struct admin_response *res)
{
	enum report_by rows = REPORT_BY_DAY, cols = REPORT_BY_KEYWORD;
	const char *v;
	struct report_xtab *x;

	if (((v = form_get(f, "rows")) != NULL && report_by_parse(v, &rows) ==
	    -1) || ((v = form_get(f, "cols")) != NULL &&
	    report_by_parse(v, &cols) == -1)) {
		admin_error(res, 400, "rows, cols: keyword, district, day, "
		    "week, channel or language");
		return;
	}
	if ((x = report_xtab_collect(ctx->store, rows, cols, o)) == NULL) {
		admin_error(res, 503, "store unavailable");
		return;
	}
	report_xtab_render_json(x, &res->body);
	report_xtab_free(x);
	res->status = 200;
	res->content_type = "application/json";
}

static void
get_report(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	static const struct {
		const char	*name;
		void		(*fn)(struct admin_ctx *, const struct form *,
				    const struct report_options *,
				    struct admin_response *);
	} reports[] = {
		{ "summary", summary },
		{ "crosstab", crosstab },
	};
	const char *name = req->path + strlen("/api/v1/reports/");
	struct report_options o;
	struct form f;
	char err[128];
	size_t i;

	(void)role;
	memset(&f, 0, sizeof(f));
	for (i = 0; i < SP_ARRAY_LEN(reports); i++)
		if (strcmp(name, reports[i].name) == 0)
			break;
	if (i == SP_ARRAY_LEN(reports)) {
		admin_error(res, 404, "reports: summary or crosstab");
		return;
	}
	if (form_parse(req->query != NULL ? req->query : "", req->query ?
	    strlen(req->query) : 0, &f, err, sizeof(err)) == -1 ||
	    read_query(ctx, &f, &o, err, sizeof(err)) == -1) {
		form_free(&f);
		admin_error(res, 400, err);
		return;
	}
	reports[i].fn(ctx, &f, &o, res);
	form_free(&f);
}

const struct admin_route analytics_routes[] = {
	{ "GET", "/metrics", ROLE_ANALYST, 0, get_metrics },
	{ "GET", "/dashboard", ROLE_NONE, 0, get_dashboard },
	{ "POST", "/login", ROLE_NONE, 1, post_dashboard_session },
	{ "POST", "/logout", ROLE_NONE, 1, post_dashboard_session },
	{ "GET", "/api/v1/reports/*", ROLE_ANALYST, 0, get_report },
	{ NULL, NULL, ROLE_NONE, 0, NULL },
};
