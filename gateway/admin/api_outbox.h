/*
 * api_outbox: the outbox over the admin API (role coordinator; admin may
 * too): what is waiting, when it will go and why it waits, and what
 * failed with the provider's own error.  Routes and JSON shapes: see
 * api_outbox.c.
 */
#ifndef SP_API_OUTBOX_H
#define SP_API_OUTBOX_H

#include "admin.h"

/* NULL-terminated; listed in admin.c's route_tables[]. */
extern const struct admin_route api_outbox_routes[];

#endif
