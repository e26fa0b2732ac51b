/*
 * daemon: `sampark serve`.  Owns the one daemon context (struct sp_daemon,
 * private to daemon.c): event loop, runtime, store, HTTP server and the
 * group-commit queue of webhooks waiting for their transaction.
 */
#ifndef SP_DAEMON_H
#define SP_DAEMON_H

#include <stddef.h>

struct serve_options {
	const char	*config_path;
	char *const	*overrides;	/* "--set name=value" values */
	size_t		 noverrides;
};

/* Run until SIGTERM/SIGINT.  Returns the process exit status. */
int	daemon_serve(const struct serve_options *);

#endif
