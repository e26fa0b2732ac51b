/*
 * admin: authentication, role checks, audit and routing for the admin
 * listener.  See admin.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "admin.h"
#include "form.h"
#include "analytics.h"
#include "api_broadcasts.h"
#include "api_compose.h"
#include "api_contacts.h"
#include "api_groups.h"
#include "api_meetings.h"
#include "api_directory.h"
#include "api_outbox.h"
#include "console_page.h"
#include "crypto.h"
#include "log.h"
#include "provider.h"
#include "util.h"

#define SESSION_MAX	64

struct token {
	enum admin_role	 role;
	char		*secret;
};

struct session {
	char		 id[65];
	enum admin_role	 role;
	int64_t		 expires_ms;
};

struct admin_auth {
	struct token	*tokens;
	size_t		 ntokens;
	struct session	 sessions[SESSION_MAX];
};

static const char *const role_names[] = {
	[ROLE_NONE] = "none",
	[ROLE_ANALYST] = "analyst",
	[ROLE_COORDINATOR] = "coordinator",
	[ROLE_ADMIN] = "admin",
	[ROLE_ANY] = "any",
};

const char *
admin_role_name(enum admin_role r)
{
	return (size_t)r < SP_ARRAY_LEN(role_names) ? role_names[r] : "?";
}

static int
role_parse(const char *s, enum admin_role *out)
{
	size_t i;

	/* Only the roles a token can hold ("any" is not one). */
	for (i = ROLE_ANALYST; i <= ROLE_ADMIN; i++)
		if (strcmp(s, role_names[i]) == 0) {
			*out = (enum admin_role)i;
			return 0;
		}
	return -1;
}

static void
token_add(struct admin_auth *a, enum admin_role role, const char *secret)
{
	a->tokens = xreallocarray(a->tokens, a->ntokens + 1,
	    sizeof(*a->tokens));
	a->tokens[a->ntokens].role = role;
	a->tokens[a->ntokens].secret = xstrdup(secret);
	a->ntokens++;
}

static int
load_file(struct admin_auth *a, const char *path, char *err, size_t errlen)
{
	char line[1024], role[32], secret[512];
	struct stat sb;
	enum admin_role r;
	size_t lineno = 0;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL) {
		util_err(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &sb) == -1 || (sb.st_mode & 077) != 0) {
		util_err(err, errlen, "%s: must not be readable by group or "
		    "others (chmod 600)", path);
		fclose(fp);
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		if (line[0] == '#' || strspn(line, " \t\r\n") == strlen(line))
			continue;
		if (sscanf(line, "%31s %511s", role, secret) != 2 ||
		    role_parse(role, &r) == -1 || strlen(secret) < 16) {
			/* Never echo the line: it may hold a secret. */
			util_err(err, errlen, "%s:%zu: expected \"ROLE TOKEN\" "
			    "with ROLE admin, coordinator or analyst and a "
			    "token of 16 characters or more", path, lineno);
			fclose(fp);
			return -1;
		}
		token_add(a, r, secret);
	}
	fclose(fp);
	return 0;
}

struct admin_auth *
admin_auth_load(const char *tokens_file, char *err, size_t errlen)
{
	static const struct { const char *env; enum admin_role role; } envs[] = {
		{ "SAMPARK_ADMIN_TOKEN", ROLE_ADMIN },
		{ "SAMPARK_COORDINATOR_TOKEN", ROLE_COORDINATOR },
		{ "SAMPARK_ANALYST_TOKEN", ROLE_ANALYST },
	};
	struct admin_auth *a = xcalloc(1, sizeof(*a));
	const char *v;
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(envs); i++)
		if ((v = getenv(envs[i].env)) != NULL && *v != '\0')
			token_add(a, envs[i].role, v);
	if (tokens_file != NULL && *tokens_file != '\0' &&
	    load_file(a, tokens_file, err, errlen) == -1) {
		admin_auth_free(a);
		return NULL;
	}
	return a;
}

void
admin_auth_free(struct admin_auth *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->ntokens; i++)
		free(a->tokens[i].secret);
	free(a->tokens);
	free(a);
}

size_t
admin_auth_count(const struct admin_auth *a)
{
	return a->ntokens;
}

/* Forget sessions whose time is up, so an expired id is gone from the
 * daemon and not merely refused. */
static void
sessions_sweep(struct admin_auth *a, int64_t now)
{
	size_t i;

	for (i = 0; i < SESSION_MAX; i++)
		if (a->sessions[i].id[0] != '\0' &&
		    a->sessions[i].expires_ms <= now)
			memset(&a->sessions[i], 0, sizeof(a->sessions[i]));
}

enum admin_role
admin_auth_check(struct admin_auth *a, const char *token)
{
	enum admin_role found = ROLE_NONE;
	int64_t now = util_wall_ms();
	size_t i;

	if (token == NULL || *token == '\0')
		return ROLE_NONE;
	sessions_sweep(a, now);
	/* Compare against every token, so timing says nothing. */
	for (i = 0; i < a->ntokens; i++)
		if (crypto_str_equal(a->tokens[i].secret, token))
			found = a->tokens[i].role;
	for (i = 0; i < SESSION_MAX; i++)
		if (a->sessions[i].id[0] != '\0' &&
		    crypto_str_equal(a->sessions[i].id, token))
			found = a->sessions[i].role;
	return found;
}

const char *
admin_auth_session_new(struct admin_auth *a, enum admin_role role,
    long max_age_s)
{
	unsigned char raw[32];
	struct session *slot = &a->sessions[0];
	size_t i;

	sessions_sweep(a, util_wall_ms());
	/* Reuse a free slot, else the one closest to expiry. */
	for (i = 0; i < SESSION_MAX; i++)
		if (a->sessions[i].expires_ms < slot->expires_ms)
			slot = &a->sessions[i];
	if (crypto_random(raw, sizeof(raw)) == -1)
		return NULL;
	for (i = 0; i < sizeof(raw); i++)
		snprintf(slot->id + 2 * i, 3, "%02x", raw[i]);
	slot->role = role;
	slot->expires_ms = util_wall_ms() + (int64_t)max_age_s * 1000;
	return slot->id;
}

int
admin_auth_session_end(struct admin_auth *a, const char *id)
{
	int ended = 0;
	size_t i;

	if (id == NULL || *id == '\0')
		return 0;
	for (i = 0; i < SESSION_MAX; i++)
		if (a->sessions[i].id[0] != '\0' &&
		    crypto_str_equal(a->sessions[i].id, id)) {
			memset(&a->sessions[i], 0, sizeof(a->sessions[i]));
			ended = 1;
		}
	return ended;
}

/* ---- dispatch ---- */

void
admin_error(struct admin_response *res, int status, const char *msg)
{
	res->status = status;
	res->content_type = "application/json";
	buf_reset(&res->body);
	buf_puts(&res->body, "{\"error\":\"");
	buf_json_escape(&res->body, msg);
	buf_puts(&res->body, "\"}\n");
}

void
admin_job_run_here(struct admin_ctx *ctx, struct admin_response *res)
{
	struct admin_job *job = res->job;

	res->job = NULL;
	job->work(job);
	job->finish(job, ctx, res);
	job->free(job);
}

void
admin_json_reply(struct admin_response *res, int status, json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT);

	res->status = status;
	res->content_type = "application/json";
	buf_reset(&res->body);
	buf_puts(&res->body, s ? s : "null");
	buf_putc(&res->body, '\n');
	free(s);
	json_decref(v);
}

/* Set (sid) or clear (NULL) the session cookie and answer 303 to page. */
static void
admin_session_redirect(struct admin_response *res, const char *sid,
    long max_age_s, const char *page)
{
	/* No Secure flag: the admin listener is plain HTTP on loopback or
	 * behind the operator's TLS proxy. */
	if (sid != NULL)
		res->set_cookie = xasprintf("sampark_session=%s; Path=/; "
		    "HttpOnly; SameSite=Strict; Max-Age=%ld", sid, max_age_s);
	else
		res->set_cookie = xstrdup("sampark_session=; Path=/; "
		    "HttpOnly; SameSite=Strict; Max-Age=0");
	res->location = xstrdup(page);
	res->status = 303;
	res->content_type = "text/plain; charset=utf-8";
	buf_printf(&res->body, "see %s\n", page);
}

void
admin_html(struct admin_response *res, int status, const void *html,
    size_t len)
{
	res->status = status;
	res->content_type = "text/html; charset=utf-8";
	buf_reset(&res->body);
	if (html != NULL)
		buf_append(&res->body, html, len);
	else
		buf_puts(&res->body, "<!doctype html><html lang=\"en\"><meta "
		    "charset=\"utf-8\"><meta name=\"viewport\" content=\""
		    "width=device-width\"><title>Sampark</title>");
}

static void
session_login(struct admin_ctx *ctx, const struct sp_request *req,
    struct admin_response *res, const struct admin_login *lg)
{
	struct form f;
	const char *token, *sid;
	enum admin_role proven;
	char err[128];

	memset(&f, 0, sizeof(f));
	if (form_parse(req->body, req->body_len, &f, err, sizeof(err)) == -1 ||
	    (token = form_get(&f, "token")) == NULL) {
		form_free(&f);
		lg->failed(res, 400, ADMIN_LOGIN_NO_TOKEN);
		return;
	}
	proven = admin_auth_check(ctx->auth, token);
	form_free(&f);
	if (proven != lg->role && proven != ROLE_ADMIN) {
		log_warn(lg->event, "outcome=refused role=%s",
		    admin_role_name(proven));
		if (proven == ROLE_NONE)
			lg->failed(res, 401, ADMIN_LOGIN_BAD_TOKEN);
		else
			lg->failed(res, 403, ADMIN_LOGIN_WRONG_ROLE);
		return;
	}
	if ((sid = admin_auth_session_new(ctx->auth, proven,
	    lg->max_age_s)) == NULL) {
		lg->failed(res, 503, ADMIN_LOGIN_NO_SESSION);
		return;
	}
	admin_session_redirect(res, sid, lg->max_age_s, lg->page);
	log_info(lg->event, "outcome=ok role=%s", admin_role_name(proven));
}

static void
session_logout(struct admin_ctx *ctx, const struct sp_request *req,
    struct admin_response *res, const struct admin_login *lg)
{
	char sid[128];
	int ended;

	ended = admin_auth_session_end(ctx->auth, admin_session_cookie(req,
	    sid, sizeof(sid)));
	log_info(lg->logout_event, "session=%s", ended ? "ended" : "none");
	admin_session_redirect(res, NULL, 0, lg->page);
}

void
admin_session_post(struct admin_ctx *ctx, const struct sp_request *req,
    struct admin_response *res, const struct admin_login *lg)
{
	const char *last = strrchr(req->path, '/');

	if (last != NULL && strcmp(last, "/logout") == 0)
		session_logout(ctx, req, res, lg);
	else
		session_login(ctx, req, res, lg);
}

int
admin_query_form(const struct sp_request *req, struct form *f,
    struct admin_response *res)
{
	char err[128];

	memset(f, 0, sizeof(*f));
	if (form_parse(req->query ? req->query : "", req->query ?
	    strlen(req->query) : 0, f, err, sizeof(err)) == -1) {
		form_free(f);
		admin_error(res, 400, err);
		return -1;
	}
	return 0;
}

int64_t
admin_path_id(const char *path, const char *prefix, const char *suffix)
{
	size_t len = strlen(prefix);
	const char *p = path + len;
	char *end;
	long long id;

	if (strncmp(path, prefix, len) != 0 || *p < '1' || *p > '9')
		return 0;
	id = strtoll(p, &end, 10);
	return strcmp(end, suffix) == 0 ? id : 0;
}

json_t *
admin_json_time(int64_t ms)
{
	char s[32];

	if (ms == 0)
		return json_null();
	util_iso8601(ms, s);
	return json_string(s);
}

json_t *
admin_json_body(const struct sp_request *req, struct admin_response *res)
{
	json_error_t e;
	json_t *v;

	v = json_loadb(req->body ? req->body : "", req->body_len, 0, &e);
	if (v == NULL || !json_is_object(v)) {
		json_decref(v);
		admin_error(res, 400, "body must be a JSON object");
		return NULL;
	}
	return v;
}

void
admin_response_clear(struct admin_response *res)
{
	if (res->job != NULL)
		res->job->free(res->job);
	buf_free(&res->body);
	free(res->set_cookie);
	free(res->location);
	memset(res, 0, sizeof(*res));
}

static void
whoami(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	(void)ctx;
	(void)req;
	admin_json_reply(res, 200, json_pack("{s:s}", "role",
	    admin_role_name(role)));
}

static const struct admin_route core_routes[] = {
	/* Every role may ask which it is. */
	{ "GET", "/api/v1/whoami", ROLE_ANY, 0, whoami },
	{ NULL, NULL, ROLE_NONE, 0, NULL },
};

/* Every feature's routes; adding a feature = one line here. */
static const struct admin_route *const route_tables[] = {
	core_routes,
	api_groups_routes,
	analytics_routes,
	api_broadcasts_routes,
	api_contacts_routes,
	api_meetings_routes,
	api_compose_routes,
	api_outbox_routes,
	api_directory_routes,
	console_page_routes,
	NULL,
};

const char *
admin_session_cookie(const struct sp_request *req, char *buf, size_t buflen)
{
	const char *h, *c, *end;
	size_t len;

	if ((h = req->header(req, "Cookie")) == NULL)
		return NULL;
	for (c = h; (c = strstr(c, "sampark_session=")) != NULL; c++) {
		if (c != h && c[-1] != ' ' && c[-1] != ';')
			continue;
		c += strlen("sampark_session=");
		end = c + strcspn(c, "; ");
		len = (size_t)(end - c);
		if (len >= buflen)
			return NULL;
		memcpy(buf, c, len);
		buf[len] = '\0';
		return buf;
	}
	return NULL;
}

/* The bearer token, or the session cookie's value (*by_cookie set). */
static const char *
credential(const struct sp_request *req, char *buf, size_t buflen,
    int *by_cookie)
{
	const char *h = req->header(req, "Authorization"), *c;

	*by_cookie = 0;
	if (h != NULL && strncasecmp(h, "Bearer ", 7) == 0)
		return h + 7;
	if ((c = admin_session_cookie(req, buf, buflen)) != NULL)
		*by_cookie = 1;
	return c;
}

/* GET, HEAD and OPTIONS read; every other method may change something. */
static int
changes_state(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
	    strcmp(method, "OPTIONS") != 0;
}

/* Whether host (a Host header's "name[:port]") is the authority of an
 * http or https URL. */
static int
authority_is(const char *url, const char *host)
{
	const char *p;
	size_t n;

	if (host == NULL || *host == '\0')
		return 0;
	if (strncasecmp(url, "http://", 7) == 0)
		p = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		p = url + 8;
	else
		return 0;
	n = strcspn(p, "/?#");
	return n == strlen(host) && strncasecmp(p, host, n) == 0;
}

/*
 * Whether a request came from a page of this listener: the host and port
 * of its Origin (or, without one, of its Referer) must be those the
 * browser was asked for -- Host, or X-Forwarded-Host when a proxy in
 * front sets Host to its upstream.  A page elsewhere can make the browser
 * send neither our Host with its own Origin nor an X-Forwarded-Host (a
 * header of its choosing would need the CORS consent we never give).  No
 * Origin and no Referer, or "Origin: null", is refused: a browser sends
 * one of them on every cross-site POST, so only a crafted request lacks
 * both.
 */
static int
same_origin(const struct sp_request *req)
{
	const char *o = req->header(req, "Origin");

	if (o == NULL)
		o = req->header(req, "Referer");
	if (o == NULL)
		return 0;
	return authority_is(o, req->header(req, "Host")) ||
	    authority_is(o, req->header(req, "X-Forwarded-Host"));
}

/* "application/json", with or without parameters (charset). */
static int
json_content(const char *ctype)
{
	size_t n = strlen("application/json");

	if (ctype == NULL)
		return 0;
	ctype += strspn(ctype, " \t");
	return strncasecmp(ctype, "application/json", n) == 0 &&
	    (ctype[n] == '\0' || ctype[n] == ';' || ctype[n] == ' ' ||
	    ctype[n] == '\t');
}

/*
 * A browser sends the session cookie with requests that other sites'
 * pages make, so a request that changes something on the strength of the
 * cookie alone must prove it came from our own page: same origin, and for
 * the JSON API a JSON body (a form or text/plain POST, which any page may
 * send without asking, is refused).  A bearer token is never sent by a
 * browser on its own, so it needs neither.  0 to go on, or -1 with res
 * filled.
 */
static int
cookie_request_allowed(const struct sp_request *req,
    struct admin_response *res)
{
	char quoted[200];

	if (!same_origin(req)) {
		log_warn("admin_cross_site", "method=%s path=%s",
		    req->method, log_quote(req->path, 100, quoted,
		    sizeof(quoted)));
		admin_error(res, 403, "a request with a session cookie must "
		    "come from this site (Origin)");
		return -1;
	}
	if (strncmp(req->path, "/api/", 5) == 0 &&
	    strcmp(req->method, "DELETE") != 0 &&
	    !json_content(req->content_type)) {
		admin_error(res, 415, "the body must be application/json");
		return -1;
	}
	return 0;
}

static int
path_matches(const char *pattern, const char *path)
{
	size_t n = strlen(pattern);

	if (n > 0 && pattern[n - 1] == '*')
		return strncmp(pattern, path, n - 1) == 0;
	return strcmp(pattern, path) == 0;
}

void
admin_dispatch(struct admin_ctx *ctx, const struct sp_request *req,
    struct admin_response *res)
{
	const struct admin_route *route = NULL, *t;
	char cookie[128], quoted[200];
	const char *cred;
	enum admin_role role;
	int by_cookie, path_known = 0;
	size_t i;

	memset(res, 0, sizeof(*res));
	buf_init(&res->body, 0);
	for (i = 0; route == NULL && route_tables[i] != NULL; i++)
		for (t = route_tables[i]; t->path != NULL; t++) {
			if (!path_matches(t->path, req->path))
				continue;
			path_known = 1;
			if (strcmp(t->method, req->method) == 0 ||
			    (strcmp(t->method, "GET") == 0 &&
			    strcmp(req->method, "HEAD") == 0)) {
				route = t;
				break;
			}
		}
	if (route == NULL) {
		admin_error(res, path_known ? 405 : 404, path_known ?
		    "method not allowed" : "not found");
		return;
	}
	cred = credential(req, cookie, sizeof(cookie), &by_cookie);
	if (by_cookie && changes_state(req->method) &&
	    cookie_request_allowed(req, res) == -1)
		return;
	role = admin_auth_check(ctx->auth, cred);
	if (route->role != ROLE_NONE && role == ROLE_NONE) {
		admin_error(res, 401, "a bearer token is required");
		return;
	}
	if (route->role != ROLE_NONE && route->role != ROLE_ANY &&
	    role != route->role && role != ROLE_ADMIN) {
		log_warn("admin_denied", "method=%s path=%s role=%s need=%s",
		    req->method, log_quote(req->path, 100, quoted,
		    sizeof(quoted)), admin_role_name(role),
		    admin_role_name(route->role));
		admin_error(res, 403, "this token's role may not do that");
		return;
	}
	route->fn(ctx, req, role, res);
	if (res->job != NULL && !ctx->can_defer)
		admin_job_run_here(ctx, res);
	/* A job's answer comes later: its status is logged as 0. */
	if (route->audit)
		log_info("admin_audit", "method=%s path=%s role=%s status=%d%s",
		    req->method, log_quote(req->path, 100, quoted,
		    sizeof(quoted)), admin_role_name(role), res->status,
		    res->job != NULL ? " answer=after_job" : "");
}
