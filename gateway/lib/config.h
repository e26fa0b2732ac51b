/*
 * config: sampark.conf, an INI file whose whole vocabulary is the
 * directive table in config.c plus the tables its caller adds (each
 * provider's section, built by the runtime from the provider table).
 *
 *     # comment (also ';')
 *     listen = 127.0.0.1:8080         top-level keys have no section
 *     [twilio]
 *     enabled = yes                   known as "twilio.enabled"
 *
 * Values are trimmed; a value may be wrapped in double quotes.  Relative
 * paths (directives of type PATH) are resolved against the directory of
 * the config file, so the daemon can be started from anywhere.  Overrides
 * ("--set name=value") are applied after the file and checked the same
 * way.  Every problem is reported, each on its own line, as
 * "FILE:LINE: message" (or "--set NAME: message"), and loading fails if
 * there was any.
 */
#ifndef SP_CONFIG_H
#define SP_CONFIG_H

#include <stddef.h>

struct buf;

enum config_type {
	CONFIG_STRING,
	CONFIG_INT,		/* decimal, within [min, max] */
	CONFIG_BOOL,		/* yes/no, true/false, on/off, 1/0 */
	CONFIG_PATH,		/* resolved against the config file's dir */
	CONFIG_ENUM,		/* one of choices, "a|b|c" */
};

struct config_directive {
	const char	*name;		/* "key" or "section.key" */
	enum config_type type;
	const char	*defval;	/* NULL: no default (empty) */
	long		 min, max;	/* CONFIG_INT */
	const char	*choices;	/* CONFIG_ENUM */
	const char	*help;		/* one line, for docs and --help */
};

/* Rows of a directive table. */
#define CONFIG_D_STR(n, def, help) \
	{ n, CONFIG_STRING, def, 0, 0, NULL, help }
#define CONFIG_D_PATH(n, def, help) \
	{ n, CONFIG_PATH, def, 0, 0, NULL, help }
#define CONFIG_D_BOOL(n, def, help) \
	{ n, CONFIG_BOOL, def, 0, 0, NULL, help }
#define CONFIG_D_INT(n, def, lo, hi, help) \
	{ n, CONFIG_INT, def, lo, hi, NULL, help }
#define CONFIG_D_ENUM(n, def, ch, help) \
	{ n, CONFIG_ENUM, def, 0, 0, ch, help }

/*
 * Directives a caller adds to config.c's own, e.g. one section's.  The
 * rows are copied, the strings they point to are not: they must outlive
 * the config (static tables do).  A name known twice is a programming
 * error and aborts.
 */
struct config_table {
	const struct config_directive	*d;
	size_t				 n;
};

struct config;

/* Read path (NULL: none) with the vocabulary of config.c and tables. */
struct config *config_load(const char *path, const struct config_table *,
	    size_t ntables, char *const *overrides, size_t noverrides,
	    struct buf *errors);
/*
 * The same, but the config comes back even when there were problems (each
 * reported, *problems counts them): the good lines are set, the others keep
 * their defaults.  So that check-config can go on to every file the config
 * names and report all their problems at once; never to run on.
 */
struct config *config_load_all(const char *path, const struct config_table *,
	    size_t ntables, char *const *overrides, size_t noverrides,
	    struct buf *errors, int *problems);
/* Configuration with every default, for commands run without -c. */
struct config *config_defaults(const struct config_table *, size_t ntables);
void	 config_free(struct config *);

/*
 * Typed getters.  name must be in the directive table (anything else is a
 * programming error and aborts).  Strings are owned by the config and are
 * never NULL ("" when unset).
 */
const char *config_str(const struct config *, const char *name);
long	 config_int(const struct config *, const char *name);
int	 config_bool(const struct config *, const char *name);
/* 1 if the value came from the file or an override, 0 if it is a default. */
int	 config_is_set(const struct config *, const char *name);
/* The line of the file that set name, 0 if it did not come from the file. */
size_t	 config_line(const struct config *, const char *name);
/* The file the config came from ("" for config_defaults()). */
const char *config_file(const struct config *);

/* Every directive cf knows (for documentation and its test): config.c's
 * own, then those of the tables in their order. */
const struct config_directive *config_directives(const struct config *cf,
	    size_t *n);
/* Append d's type as the reference writes it ("integer (1 to 10)",
 * "one of hi, en", ...). */
void	 config_type_text(const struct config_directive *d, struct buf *out);

#endif
