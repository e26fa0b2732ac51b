/*
 * provider_voice: the voice half of the provider interface (the plain
 * structs behind parse_voice, render_voice and build_call in provider.h)
 * and helpers the adapters share.  Each adapter's voice functions sit in
 * its provider_<name>.c beside its SMS ones.
 *
 * As for SMS, adapters translate wire format to these structs and back and
 * nothing else: the menu, the call state and the store are voice.c's.
 */
#ifndef SP_PROVIDER_VOICE_H
#define SP_PROVIDER_VOICE_H

#include <stddef.h>
#include <stdint.h>

#include "phone.h"
#include "provider.h"

/* What a voice webhook is for; decided by voice.c from our own "ev"
 * query parameter, since that is in the URLs we hand out. */
enum sp_voice_kind {
	VOICE_CALL,		/* a call fetch: advance the menu */
	VOICE_PROMPT,		/* Exotel's Gather applet: only the prompt */
	VOICE_STATUS,		/* a status callback: nothing to say */
};

/* One voice webhook, as parse_voice reads it.  All strings plain UTF-8. */
struct sp_voice_event {
	char	call_id[128];		/* CallSid / CallUUID */
	char	from[PHONE_E164_MAX + 1];	/* E.164, "" if not a number */
	char	to[PHONE_E164_MAX + 1];
	int	outbound;		/* we placed the call: the person is to */
	int	has_digits;		/* a Digits field came (maybe empty) */
	char	digits[32];		/* keys pressed, quotes stripped */
	char	status[32];		/* the provider's call status word */
	int	ended;			/* that status means the call is over */
	int	new_call;		/* the provider's first fetch of a call
					   (no digits, not one of our menu
					   URLs); voice.c trusts its store */
	long	duration_s;		/* the call's length in seconds, from a
					   status callback; -1 not given */
};

#define SP_VOICE_SPEECH_MAX	8

/* Something said: a recorded/generated file when audio_url is set (played
 * instead of text when the provider's conf says audio_ok), else text spoken
 * by the provider's TTS in lang.  text is always set. */
struct sp_voice_speech {
	const char	*text;
	const char	*lang;		/* "hi", "en" */
	const char	*audio_url;	/* or NULL */
};

/*
 * The answer to one voice webhook, in the order the verbs run:
 * reject_busy alone; else the speech (inside the gather when there is one),
 * then the redirect (no key pressed) or the dial, then the hang-up.
 */
struct sp_voice_answer {
	enum sp_voice_kind kind;	/* what it answers */
	int		 reject_busy;	/* a missed call: busy, unanswered */
	struct sp_voice_speech speech[SP_VOICE_SPEECH_MAX];
	size_t		 nspeech;
	int		 gather;	/* wait for keys after the speech */
	int		 num_digits;
	int		 timeout_s;
	const char	*lang;		/* the gather's language */
	const char	*action_url;	/* where the keys go */
	const char	*redirect_url;	/* fetched when no key came */
	const char	*dial;		/* put the caller through (E.164) */
	int		 hangup;
};

/* Add speech to ans (ignored past SP_VOICE_SPEECH_MAX); strings borrowed. */
void	provider_voice_say(struct sp_voice_answer *, const char *text,
	    const char *lang, const char *audio_url);

/* An outbound call to place (build_call). */
struct sp_call {
	int64_t		 id;		/* outbox id */
	const char	*to;		/* E.164: the person to call */
	const char	*from;		/* our number ("" for the default) */
	const char	*answer_url;	/* our /voice/<provider> URL */
	const char	*status_url;	/* or NULL */
};

/* ---- helpers for the adapters ---- */

/* What every voice webhook carries, under each provider's own names. */
struct voice_fields {
	const char	*call_id;
	const char	*digits;	/* NULL: no keys came */
	const char	*from;
	const char	*to;
	const char	*status;	/* the call status word */
	const char	*duration;	/* seconds, as the status callback
					   gives them */
};

/*
 * Fill call_id, has_digits, digits, from, to, status, ended and
 * duration_s of *ev
 * from f (any field may be NULL); the rest is the adapter's.  0, or 400
 * with err when the call id or the keys are not what they must be.
 */
int	provider_voice_event_fill(const struct provider_conf *,
	    const struct voice_fields *f, struct sp_voice_event *ev,
	    char *err, size_t errlen);

/* The audio URL to play for s, or NULL when its text must be spoken: no
 * recording, or none confirmed reachable (conf->audio_ok). */
const char *provider_voice_play_url(const struct provider_conf *,
	    const struct sp_voice_speech *s);

/* The BCP-47 tag for a language: "hi" → "hi-IN", "en" → "en-IN". */
const char *provider_voice_lang_tag(const char *lang);
/* 1 if a call status word (any provider's) means the call is over. */
int	 provider_voice_status_ended(const char *status);
/* Copy a call id; 0, or 400 with err if empty, too long or not a token. */
int	 provider_voice_copy_call_id(const char *id, char *out, size_t outlen,
	    char *err, size_t errlen);
/* Copy keys pressed, dropping quotes and anything but 0-9 * #: 0 or 400. */
int	 provider_voice_copy_digits(const char *raw, char *out, size_t outlen,
	    char *err, size_t errlen);
/* A number as E.164 into out (size PHONE_E164_MAX + 1), "" if it is not
 * one; the international form without '+' ("9198...") is accepted
 * too. */
void	 provider_voice_number(const struct provider_conf *, const char *raw,
	    char *out, size_t outlen);

/*
 * A voice webhook posted as Twilio's are (Plivo's too): the same form
 * fields but for the call id's name and the Direction words.
 */
struct provider_voice_form {
	const char	*call_id;	/* the call id's field */
	const char	*duration;	/* the status callback's length field */
	const char	*outbound;	/* the Direction of a call we placed */
	int		 outbound_prefix; /* ...or any word it begins */
	/*
	 * 0 if the provider signed the request, else 403 with err; f holds
	 * the request's parameters, signed_params those the signature covers
	 * besides the URL (NULL for a GET: its query is in the URL).
	 */
	int		(*check)(const struct provider_conf *,
			    const struct sp_request *, const struct form *f,
			    const struct form *signed_params, char *err,
			    size_t errlen);
};

/* The parse_voice of an adapter whose webhook x describes. */
int	 provider_voice_parse_form(const struct provider_conf *,
	    const struct provider_voice_form *x, const struct sp_request *,
	    struct sp_voice_event *ev, char *err, size_t errlen);

/*
 * How a TwiML-like markup (Twilio's, Plivo's) spells the verbs of an
 * sp_voice_answer; provider_voice_render_xml() writes their common order.
 */
struct provider_voice_xml {
	const char	*content_type;
	const char	*head;		/* before <Response> */
	const char	*reject_busy;	/* the whole element */
	/* Open the gather element up to its action URL's opening quote. */
	int		(*gather_open)(struct buf *, const struct sp_voice_answer *);
	const char	*gather_close;
	const char	*say_open;	/* a format of the BCP-47 tag (%s) */
	const char	*say_close;
	const char	*dial_open;
	const char	*dial_close;
	int		 dial_no_plus;	/* the number without its '+' */
};

/* The render_voice of an adapter whose markup x describes. */
int	 provider_voice_render_xml(const struct provider_conf *,
	    const struct provider_voice_xml *x, const struct sp_voice_answer *,
	    struct buf *out, const char **content_type, int *http_status);

#endif
