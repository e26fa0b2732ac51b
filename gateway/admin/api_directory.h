/*
 * api_directory: the stakeholder directory over the admin API (role
 * coordinator; admin may too): list, add, edit, retire, import a
 * spreadsheet with its preview, export.  Routes and JSON shapes: see
 * api_directory.c.
 */
#ifndef SP_API_DIRECTORY_H
#define SP_API_DIRECTORY_H

#include "admin.h"

/* NULL-terminated; listed in admin.c's route_tables[]. */
extern const struct admin_route api_directory_routes[];

#endif
