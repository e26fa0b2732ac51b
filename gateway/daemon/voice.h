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
 *   /audio/<lang>/<key>.wav  the prompt audio under <prompts_dir>/audio,
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
struct sp_daemon;
struct sp_request;

/* A route of daemon.c's routes[] table: /voice/<provider>. */
void	voice_webhook(struct sp_daemon *, struct http_exchange *,
	    const struct sp_request *, const struct provider *,
	    const struct provider_conf *);

/* GET|HEAD /audio/...: from the daemon's <prompts_dir>/audio. */
void	voice_audio_route(struct sp_daemon *, struct http_exchange *,
	    const struct sp_request *);
/* GET|HEAD /audio/...: serves a prompt file from dir. */
void	voice_audio(const char *dir, struct http_exchange *,
	    const struct sp_request *);

/*
 * 1 if dir holds <lang>/<key>.wav as a regular file (reached without
 * following a symlink), else 0.  lang and key must be plain names.
 */
int	voice_audio_exists(const char *dir, const char *lang, const char *key);

#endif
