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

/*
 * What a route served outside daemon.c (voice.c) may use of the daemon:
 * the store (no transaction open between loop turns), the current
 * runtime, the sender to kick, and the directory ops for handlers.  Valid
 * during the request callback only.
 */
struct sp_daemon;
struct daemon_parts {
	struct store		*store;
	const struct sp_runtime	*rt;
	struct sender		*sender;
	const struct sp_ctx_ops	*ops;
	void			*ops_arg;
};
void	daemon_parts(struct sp_daemon *, struct daemon_parts *);

#endif
