/*
 * voice_audio: the recorded prompts under <prompts_dir>/audio, served to
 * providers at /audio/<lang>/<key>.wav, strictly that shape: no listing,
 * no "..", no symlinks.
 */
#ifndef SP_VOICE_AUDIO_H
#define SP_VOICE_AUDIO_H

struct http_exchange;
struct sp_request;

/* GET|HEAD /audio/...: serves a prompt file from dir (the audio dir). */
void	voice_audio(const char *dir, struct http_exchange *,
	    const struct sp_request *);

/*
 * 1 if dir holds <lang>/<key>.wav as a regular file (reached without
 * following a symlink), else 0.  lang and key must be plain names.
 */
int	voice_audio_exists(const char *dir, const char *lang, const char *key);

#endif
