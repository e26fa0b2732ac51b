/*
 * fuzz_common: what several libFuzzer targets share: a temporary file
 * holding the input (for the file loaders), and a simple framing that
 * turns a fuzz input into an HTTP request as the HTTP layer would hand it
 * to a provider adapter.
 *
 * Request framing (text, so that seeds are written by hand):
 *
 *     OPTIONS\n          letters, each one a switch (see FUZZ_OPT_*)
 *     METHOD\n           any string ("GET", "POST", ...)
 *     URI\n              path and query, e.g. /sms/exotel/tok?From=...
 *     CONTENT-TYPE\n     empty line: no Content-Type header
 *     Name: value\n      zero or more headers
 *     \n                 end of headers
 *     BODY               every remaining byte (may hold NULs)
 *
 * A line may end in "\r\n".  Missing lines are empty.  The body is copied
 * into a buffer of exactly body_len + 1 bytes, NUL-terminated like the
 * HTTP layer's copy, so that ASan sees any read past its end.
 */
#ifndef SP_FUZZ_COMMON_H
#define SP_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "provider.h"

#define FUZZ_MAX_HEADERS	16

/* Options (letters on the first line). */
#define FUZZ_OPT_SIGN		's'	/* harness adds a valid signature */
#define FUZZ_OPT_STATUS		'S'	/* call parse_status, not parse_sms */
#define FUZZ_OPT_SEND		'R'	/* call parse_send on the body */
#define FUZZ_OPT_VOICE		'V'	/* call parse_voice, then render_voice */
#define FUZZ_OPT_NO_PUBLIC	'p'	/* no public_url: Host: header used */
#define FUZZ_OPT_NO_ACCOUNT	'a'	/* no account_sid configured */
#define FUZZ_OPT_KEY		'k'	/* android: webhook_key, not url_token */
#define FUZZ_OPT_REMOTE		'r'	/* the peer is not on loopback */

struct fuzz_header {
	char	*name;
	char	*value;
};

struct fuzz_request {
	struct sp_request r;
	char	*opts;
	char	*method;
	char	*uri;
	char	*path;
	char	*query;
	char	*content_type;
	char	*body;
	struct fuzz_header headers[FUZZ_MAX_HEADERS];
	size_t	 nheaders;
};

/* Split data into *fr (all strings owned by fr).  Never fails. */
void	 fuzz_request_parse(struct fuzz_request *fr, const uint8_t *data,
	    size_t size);
void	 fuzz_request_free(struct fuzz_request *fr);
/* 1 if option letter c was given. */
int	 fuzz_request_opt(const struct fuzz_request *fr, char c);
/* Add (or replace) a header, e.g. a signature the harness computed. */
void	 fuzz_request_set_header(struct fuzz_request *fr, const char *name,
	    const char *value);
/* The URL a signed provider rebuilds: public_url (or http://Host) + uri. */
char	*fuzz_request_url(const struct fuzz_request *fr,
	    const char *public_url);

/*
 * Write data to the file called name in this process's temporary
 * directory (rewritten each call) and return its path (valid until the
 * next call), or NULL on an I/O error.
 */
const char *fuzz_write_file(const char *name, const uint8_t *data,
	    size_t size);
/* A private temporary directory for this process (created once,
 * removed with its files at exit). */
const char *fuzz_tmpdir(void);

/* A NUL-terminated copy of data (caller frees). */
char	*fuzz_strndup(const uint8_t *data, size_t size);

/*
 * Provider targets only (these link fuzz_provider.o and the adapters).
 *
 * fuzz_provider_conf: the settings every provider target starts from:
 * public_url https://gw.example.in, default_cc 91, auth_token
 * "fuzz-auth-token", url_token "tok123", webhook_key "fuzz-webhook-key"
 * only with option 'k', account_sid as given unless option 'a'.
 *
 * fuzz_provider_run: feed the request to parse_sms (or parse_status with
 * option 'S', parse_voice with 'V', or parse_send with option 'R' and the
 * method line as the HTTP status), render a reply (or a voice answer) to
 * whatever parsed, and abort() if an
 * answer breaks the provider contract (a status code outside the list,
 * a sender not in E.164, a body that is not UTF-8, a string not
 * NUL-terminated).
 */
struct provider;
void	 fuzz_provider_conf(const struct fuzz_request *fr, const char *name,
	    const char *account_sid, struct provider_conf *conf);
void	 fuzz_provider_run(const struct provider *p,
	    const struct provider_conf *conf, struct fuzz_request *fr);

/*
 * For the targets that read messages or files against the shipped
 * vocabulary: quiet logs, then keywords.conf and districts.csv from
 * SAMPARK_FUZZ_CONFIG (default "config"), whose directory is returned.
 * A target cannot run without them: it says so, naming target, and
 * exits.
 */
struct district_table;
struct keywords_table;
const char *fuzz_load_vocabulary(const char *target,
	    struct keywords_table **kw, struct district_table **dt);

#endif
