/*
 * handler_env: the door of a handler's context (struct sp_ctx_ops in
 * handler.h) opened on the real world: contacts and interests in the
 * store, stakeholders from the in-memory directory when there is one and
 * from the store when there is not (a command that runs once).
 */
#ifndef SP_HANDLER_ENV_H
#define SP_HANDLER_ENV_H

struct directory;
struct store;

struct handler_env {
	struct store		*store;
	const struct directory	*directory;	/* NULL: ask the store */
};

/* ops_arg is a struct handler_env *. */
extern const struct sp_ctx_ops handler_env_ops;

#endif
