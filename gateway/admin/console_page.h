/*
 * console_page: the coordinators' console on the admin listener.
 *
 *   GET  /console          the page (console.html, embedded at build time)
 *   POST /console/login    form field token=... (role coordinator or
 *                          admin) → the session cookie, and back to /console
 *   POST /console/logout   ends the session
 *
 * As the dashboard (analytics.h), the page is a shell with no data in it,
 * served to anyone; everything it shows comes from the /api/v1/ routes
 * of the contacts, groups, broadcasts, meetings and outbox, with the
 * session cookie (HttpOnly, SameSite=Strict) or a token handed over in
 * the URL fragment (/console#token=...).  A change made with the cookie
 * must come from this page: same origin and a JSON body (admin.h).
 */
#ifndef SP_CONSOLE_PAGE_H
#define SP_CONSOLE_PAGE_H

#include <stddef.h>

#include "admin.h"

/* NULL-terminated; listed in admin.c's route_tables[]. */
extern const struct admin_route console_page_routes[];

/* The page, generated from console.html at build time. */
extern const char console_html[];
extern const size_t console_html_len;

#endif
