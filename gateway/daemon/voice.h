/*
 * voice: the voice side of the daemon.
 *
 *   /voice/<provider>[/<token>]  the IVR and missed-call webhook: the
 *       adapter reads the request, the call's state comes from the store,
 *       the menu (handlers/ivr) takes one step, and the answer goes back
 *       in the provider's verbs.  Each webhook is its own transaction,
 *       committed before the answer, so a restart mid-call continues it.
 *       The URLs we hand out carry "ev": ?ev=menu (keys), ?ev=timeout (no
 *       key), ?ev=prompt (Exotel's Gather fetch), ?ev=status (callbacks).
 *   /audio/<lang>/<key>.wav  the prompt audio (voice_audio.h), under <prompts_dir>/audio,
 *       strictly that shape: no listing, no "..", no symlinks.
 *
 * Every call is a row of the calls table and every step two interactions
 * (channel "voice": the key pressed at a node, and what was said back),
 * so analysts see where callers drop off.  A call to one of the
 * missed_call_numbers is rejected busy and answered by SMS or by a
 * callback queued in the outbox (once per missed_call_window_s).
 */
#ifndef SP_VOICE_H
#define SP_VOICE_H

#include <stddef.h>

struct http_exchange;
struct provider;
struct provider_conf;
struct sender;
struct sp_ctx_ops;
struct sp_request;
struct sp_runtime;
struct store;

/*
 * What the voice routes use of the daemon, valid during one request: the
 * store (no transaction open between loop turns), the current runtime,
 * the sender to kick (NULL: none), and the handlers' door.
 */
struct voice_env {
	struct store		*store;
	const struct sp_runtime	*rt;
	struct sender		*sender;
	const struct sp_ctx_ops	*ops;
	void			*ops_arg;
};

/* /voice/<provider>[/<token>]. */
void	voice_webhook(const struct voice_env *, struct http_exchange *,
	    const struct sp_request *, const struct provider *,
	    const struct provider_conf *);


#endif
