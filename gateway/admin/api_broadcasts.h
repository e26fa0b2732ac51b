/*
 * api_broadcasts: broadcasts over the admin API (role coordinator; admin
 * may too), the same as `sampark broadcast`.  Routes and JSON shapes: see
 * api_broadcasts.c.
 */
#ifndef SP_API_BROADCASTS_H
#define SP_API_BROADCASTS_H

#include "admin.h"

/* NULL-terminated; listed in admin.c's route_tables[]. */
extern const struct admin_route api_broadcasts_routes[];

#endif
