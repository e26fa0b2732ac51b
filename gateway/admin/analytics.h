/*
 * analytics: the analysts' routes on the admin listener.
 *
 *   GET  /metrics                  Prometheus text format (role analyst)
 *   GET  /dashboard                the dashboard page (see below)
 *   POST /login                    form field token=... -> session cookie
 *   POST /logout                   ends the cookie
 *   GET  /api/v1/reports/summary   the report of `sampark report` as JSON
 *   GET  /api/v1/reports/crosstab  inbound queries by two dimensions
 *        query: since, until (YYYY-MM-DD or ISO 8601), district, channel,
 *        by (summary), rows and cols (crosstab), top (summary)
 *
 * The dashboard page is a shell with no data in it, so it is served to
 * anyone; every figure comes from /api/v1/reports/..., which needs role
 * analyst (or admin) proven by a bearer token or the session cookie set
 * by POST /login (HttpOnly, SameSite=Strict).  A token may also be handed
 * to the page in the URL fragment (/dashboard#token=...): fragments never
 * leave the browser, so the token reaches no server or proxy log; the page
 * sends it as a bearer token and removes it from the address bar.
 * Reports through the API are always suppressed (no --no-suppress).
 */
#ifndef SP_ANALYTICS_H
#define SP_ANALYTICS_H

#include <stddef.h>

#include "admin.h"

extern const struct admin_route analytics_routes[];

/* The page, generated from dashboard/index.html at build time. */
extern const char dashboard_html[];
extern const size_t dashboard_html_len;

#endif
