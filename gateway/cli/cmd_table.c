/*
 * cmd_table: the one list of commands, in the order `sampark help` shows
 * them.  Adding a command = one cmd_<name>.c defining its cmd_desc and
 * one line here (and its extern above the table).
 */
#include <stddef.h>
#include <string.h>

#include "cmd.h"

extern const struct cmd_desc cmd_serve, cmd_import, cmd_export, cmd_report,
    cmd_send, cmd_outbox, cmd_broadcast, cmd_contacts, cmd_group,
    cmd_directory, cmd_check_config, cmd_explain, cmd_templates, cmd_backup,
    cmd_restore, cmd_migrate_store, cmd_help;

const struct cmd_desc *const cmd_table[] = {
	&cmd_serve,
	&cmd_import,
	&cmd_export,
	&cmd_report,
	&cmd_send,
	&cmd_outbox,
	&cmd_broadcast,
	&cmd_contacts,
	&cmd_group,
	&cmd_directory,
	&cmd_check_config,
	&cmd_explain,
	&cmd_templates,
	&cmd_backup,
	&cmd_restore,
	&cmd_migrate_store,
	&cmd_help,
	NULL,
};

const struct cmd_desc *
cmd_table_find(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && cmd_table[i] != NULL; i++)
		if (strcmp(cmd_table[i]->name, name) == 0)
			return cmd_table[i];
	return NULL;
}
