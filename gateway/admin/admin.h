/*
 * admin: the admin and analyst surface — /api/v1/..., /dashboard, /metrics
 * — served on its own listener (admin_listen, loopback by default), apart
 * from the public webhook listener.
 *
 * Every route names the least role it needs.  A request proves its role
 * with "Authorization: Bearer <token>" (or, for the dashboard, a session
 * cookie); tokens per role come from the environment (SAMPARK_ADMIN_TOKEN,
 * SAMPARK_COORDINATOR_TOKEN, SAMPARK_ANALYST_TOKEN) or a 0600 file
 * (tokens_file, lines "role token"), and are compared in constant time.
 * Sessions live in the daemon's memory: logout and expiry end them there,
 * and a request that changes something on the strength of the cookie
 * alone must come from this listener's own page (Origin or Referer
 * matching Host) and, under /api/, carry a JSON body.
 * admin may do everything; coordinator and analyst only their own routes.
 * Every request that changes something is audit-logged.  Tokens never
 * reach the log.
 *
 * Adding routes = a NULL-terminated const struct admin_route table in the
 * feature's own file and one line in admin.c's route_tables[].
 */
#ifndef SP_ADMIN_H
#define SP_ADMIN_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct buf;
struct event_base;
struct sp_request;
struct sp_runtime;
struct store;
struct sender;
struct metrics;

enum admin_role {
	ROLE_NONE,
	ROLE_ANALYST,
	ROLE_COORDINATOR,
	ROLE_ADMIN,
	ROLE_ANY,	/* in a route table only: whichever role is proven */
};

const char *admin_role_name(enum admin_role);

struct admin_response;

/* What route handlers may use; owned by the daemon, valid during a call. */
struct admin_ctx {
	struct store		*store;
	const struct sp_runtime	*rt;
	struct sender		*sender;
	void			*daemon;	/* opaque, for daemon-owned hooks */
	struct admin_auth	*auth;
	struct metrics		*metrics;	/* the daemon's registry, or NULL */
	/* Where the daemon's database is, for a job's own connection. */
	const char		*db_path;
	/* 1: the daemon runs jobs off the loop; 0: admin_dispatch runs
	 * them at once (tests, a daemon without a worker). */
	int			 can_defer;
};

/*
 * Long work (a broadcast to a whole district) must not hold the event
 * loop: every webhook would wait for it.  A route leaves a job in
 * res->job instead of a body; the daemon runs work() on a worker thread,
 * then finish() on the loop, which fills the response, then free().
 * work() may use only the job's own data and a store connection it opens
 * itself at ctx->db_path; what it reads of the runtime stays alive until
 * the job is freed.
 */
struct admin_job {
	void	(*work)(struct admin_job *);
	void	(*finish)(struct admin_job *, struct admin_ctx *,
		    struct admin_response *);
	void	(*free)(struct admin_job *);
};

/* Run res->job's work now, then its finish, and free it (no worker). */
void	admin_job_run_here(struct admin_ctx *, struct admin_response *);

struct admin_job;

struct admin_response {
	/* Set by a route whose work is long (see struct admin_job): the
	 * rest of the response is filled when the job is done. */
	struct admin_job *job;
	int		 status;
	const char	*content_type;	/* static string */
	struct buf	 body;
	char		*set_cookie;	/* a Set-Cookie value, or NULL */
	char		*location;	/* a Location value (redirects), or NULL */
};

/* Set a JSON error body {"error": msg} with status. */
void	admin_error(struct admin_response *, int status, const char *msg);
/* Set the body to v, compact, and a newline, with status; v is released
 * (NULL, as json_pack() gives on a bad format, is sent as null). */
struct json_t;
void	admin_json_reply(struct admin_response *, int status,
	    struct json_t *v);
/* Answer status with html (len bytes), or with NULL the head of a short
 * page for the caller to append to. */
void	admin_html(struct admin_response *, int status, const void *html,
	    size_t len);
/*
 * A page's login and logout forms, one route handler for both, told
 * apart by the path's last segment.  POST .../login (token=...): a token
 * of role (or the admin's) starts a session and answers 303 to page;
 * anything else is answered by failed() with the status and the reason,
 * in the page's words.  POST .../logout ends the session of the cookie in
 * the daemon too (a copy of the cookie would otherwise still work),
 * clears the cookie and answers 303 to page.
 */
enum admin_login_failure {
	ADMIN_LOGIN_NO_TOKEN,
	ADMIN_LOGIN_BAD_TOKEN,
	ADMIN_LOGIN_WRONG_ROLE,
	ADMIN_LOGIN_NO_SESSION,
};
struct admin_login {
	const char	*page;		/* "/dashboard" */
	const char	*event;		/* its login's log event */
	const char	*logout_event;
	enum admin_role	 role;
	long		 max_age_s;
	void		(*failed)(struct admin_response *, int status,
			    enum admin_login_failure);
};
void	admin_session_post(struct admin_ctx *, const struct sp_request *,
	    struct admin_response *, const struct admin_login *);
/* The request's query string into *f (caller frees): 0, or -1 with res
 * answered 400. */
struct form;
int	admin_query_form(const struct sp_request *, struct form *,
	    struct admin_response *);
/* ID from path when it is prefix "ID" suffix (ID a positive decimal),
 * else 0. */
int64_t	admin_path_id(const char *path, const char *prefix,
	    const char *suffix);
/* A time in ms as an ISO 8601 JSON string, 0 as null. */
struct json_t *admin_json_time(int64_t ms);
/* The request's body as a JSON object (caller releases it), or NULL with
 * res answered 400. */
struct json_t *admin_json_body(const struct sp_request *,
	    struct admin_response *);

struct admin_route {
	const char	*method;	/* "GET", "POST", "DELETE" */
	const char	*path;		/* exact, or ending in '*' for a prefix */
	enum admin_role	 role;		/* least role that may call it
					   (ROLE_NONE: no credential needed,
					   ROLE_ANY: any credential) */
	int		 audit;		/* 1: log every call (changes state) */
	/* Fill *res; the role that was proven is passed for finer checks. */
	void		(*fn)(struct admin_ctx *, const struct sp_request *,
			    enum admin_role, struct admin_response *res);
};

/* ---- tokens ---- */

struct admin_auth;

/*
 * Load tokens from the environment and, if path is not empty, from a file
 * that must not be readable by group or others.  NULL with err set.  A
 * setup without any token is valid: every route then answers 401.
 */
struct admin_auth *admin_auth_load(const char *tokens_file, char *err,
	    size_t errlen);
void	 admin_auth_free(struct admin_auth *);
/* The role a bearer token (or session id) proves, ROLE_NONE if none.
 * Sessions whose time is up are forgotten on the way. */
enum admin_role admin_auth_check(struct admin_auth *, const char *token);
/* How many tokens are configured. */
size_t	 admin_auth_count(const struct admin_auth *);
/* Create a session for role (login form); returns the session id to set as
 * a cookie (owned by auth), or NULL.  Sessions expire after max_age_s. */
const char *admin_auth_session_new(struct admin_auth *, enum admin_role,
	    long max_age_s);
/* End the session id (logout): from now on it proves nothing.  1 if there
 * was such a session, 0 if not. */
int	 admin_auth_session_end(struct admin_auth *, const char *id);
/* The session id in the request's sampark_session cookie, copied to buf,
 * or NULL. */
const char *admin_session_cookie(const struct sp_request *, char *buf,
	    size_t buflen);

/* ---- dispatch ---- */

/*
 * Answer one request on the admin listener: authenticate, find the route,
 * check the role, call it, audit-log it.  res is initialised here; the
 * caller sends it and frees it with admin_response_clear().
 */
void	 admin_dispatch(struct admin_ctx *, const struct sp_request *,
	    struct admin_response *res);
void	 admin_response_clear(struct admin_response *);

#endif
