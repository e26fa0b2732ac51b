/*
 * api_compose: what the console's broadcast form needs besides the
 * broadcasts API itself: the templates with their variables, and when a
 * message asked for a given time may really go (quiet hours, the
 * promotional window).  Role coordinator (admin may too).  Routes and
 * JSON shapes: see api_compose.c.
 */
#ifndef SP_API_COMPOSE_H
#define SP_API_COMPOSE_H

#include "admin.h"

/* NULL-terminated; listed in admin.c's route_tables[]. */
extern const struct admin_route api_compose_routes[];

#endif
