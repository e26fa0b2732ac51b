/*
 * api_groups: the admin API for named groups of contacts (role
 * coordinator).  Routes and JSON shapes: see api_groups.c.  It only uses
 * the store's group and audience functions; nothing here sends anything.
 */
#ifndef SP_API_GROUPS_H
#define SP_API_GROUPS_H

#include "admin.h"

/* NULL-terminated; listed in admin.c's route_tables[]. */
extern const struct admin_route api_groups_routes[];

#endif
