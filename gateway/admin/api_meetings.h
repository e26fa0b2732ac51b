/*
 * api_meetings: a meeting broadcast's people and its calling off, over
 * the admin API (role coordinator; admin may too), for the console's
 * broadcast page.  A meeting is named by the id of the broadcast that
 * announced it.  Routes and JSON shapes: see api_meetings.c.
 */
#ifndef SP_API_MEETINGS_H
#define SP_API_MEETINGS_H

#include "admin.h"

/* NULL-terminated; listed in admin.c's route_tables[]. */
extern const struct admin_route api_meetings_routes[];

#endif
