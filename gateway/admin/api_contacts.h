/*
 * api_contacts: contacts over the admin API (role coordinator; admin may
 * too), for the coordinators' console: list with search and filters,
 * one contact, add, edit, and a spreadsheet import that is first a
 * preview of every problem of every row and then a commit of all or
 * nothing.  Routes and JSON shapes: see api_contacts.c and docs/api.md.
 */
#ifndef SP_API_CONTACTS_H
#define SP_API_CONTACTS_H

#include "admin.h"

/* NULL-terminated; listed in admin.c's route_tables[]. */
extern const struct admin_route api_contacts_routes[];

#endif
