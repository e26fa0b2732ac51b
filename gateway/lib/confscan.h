/*
 * confscan: what every hand-written configuration file of Sampark shares
 * (keywords.conf, lexicon.conf, ivr.conf, templates.conf,
 * prompts/<lang>.txt, sampark.conf): reading it line by line, and telling
 * its problems.
 *
 * Reading.  Lines may be of any length, end in LF or CRLF, and the last
 * one may lack its line end.  A UTF-8 byte-order mark at the start of the
 * file is skipped.  With CONFSCAN_UTF8, a line that is not UTF-8 (or holds
 * a NUL) is the problem "invalid UTF-8" and goes no further.  Each line is
 * trimmed of spaces and tabs (and its CR LF); blank lines and lines that
 * start with a comment character are skipped.  What is left has one of
 * three shapes, each handed to the reader's function for it:
 *
 *     [name]          a section; the name is what the brackets hold
 *     key = value     cut at the first '='
 *     anything else
 *
 * Every piece is trimmed too.  What a section or a key means is the
 * reader's own grammar: this module knows none.
 *
 * Problems are lines "FILE:LINE: message" appended to a buffer, one per
 * problem, all of them, so that whoever edits the file fixes everything
 * in one go; a loader fails if there was any.
 */
#ifndef SP_CONFSCAN_H
#define SP_CONFSCAN_H

#include <stdarg.h>
#include <stddef.h>

struct buf;

/*
 * The problems of one load.  The reader fills in out (NULL: problems are
 * only counted) and zeroes the rest; confscan_file() sets file and keeps
 * line at the line being read, so a reader's own problems name their
 * place without saying it.  A loader that reports on other files (or on
 * no file) sets file and line itself.
 */
struct confscan_errors {
	struct buf	*out;
	const char	*file;
	size_t		 line;
	int		 n;		/* problems so far */
};

/* "FILE:LINE: message" at the current line, or at the line given (a
 * section's header, once its end shows what it lacks). */
void	 confscan_error(struct confscan_errors *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 confscan_error_at(struct confscan_errors *, size_t line,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The same for a reader that words its problems through a function of
 * its own. */
void	 confscan_verror(struct confscan_errors *, const char *fmt, va_list)
	    __attribute__((format(printf, 2, 0)));
/* "FILE: message": the file as a whole (it cannot be opened, say). */
void	 confscan_error_file(struct confscan_errors *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* One line as handed to the reader; its strings may be cut further. */
struct confscan_line {
	/* [name]: the name, or NULL when the header is not "[name]" alone
	 * (the reader says so in its own words); key = value: the key. */
	char	*name;
	/* key = value: the value; [name] with CONFSCAN_SECTION_TAIL: what
	 * follows the ']'. */
	char	*value;
	/* A line of neither shape; NULL for the others. */
	char	*text;
};

/* A line that is not UTF-8 is a problem, not handed on (without it,
 * bytes go through as they are, and a NUL ends the line). */
#define CONFSCAN_UTF8		0x1
/* Text after a section's ']' is handed on in value for the reader to
 * judge, instead of making the header malformed. */
#define CONFSCAN_SECTION_TAIL	0x2

/* A key given twice in one section (or twice before the first) is the
 * problem "key K given twice ...", and the second is not handed on: for
 * files whose keys each hold one value (a list kept on several lines, as
 * in lexicon.conf, goes without it). */
#define CONFSCAN_UNIQUE_KEYS	0x4

/* How one kind of file is read.  The functions get confscan_file's arg. */
struct confscan_syntax {
	const char	*comment;	/* characters that start a comment */
	unsigned	 flags;		/* CONFSCAN_* */
	/* NULL: the file has no sections; a line starting '[' is a key or
	 * other line like any. */
	void		(*section)(void *, struct confscan_line *);
	void		(*key)(void *, struct confscan_line *);
	/* NULL: such a line is the problem "expected key = value". */
	void		(*other)(void *, struct confscan_line *);
};

/*
 * Read path through syntax, problems to errs.  Returns 0 once the file is
 * read (errs->n says whether it was any good; a read error is a problem
 * too), or -1 with errno set if it cannot be opened: nothing is reported
 * then, so that each loader says it in its own words.
 */
int	 confscan_file(const char *path, const struct confscan_syntax *,
	    void *arg, struct confscan_errors *errs);

/* s without the spaces and tabs (and CR LF) at either end: cut in place. */
char	*confscan_trim(char *s);

/* 1 if s (trimmed) is empty or starts a comment of syntax. */
int	 confscan_comment(const struct confscan_syntax *, const char *s);

/*
 * A value as written in files that allow quotes and comments after it: a
 * value in double quotes is taken literally up to the next quote (only a
 * comment may follow); any other value ends before a comment character
 * that follows white space, and is trimmed.  Cuts value in place and
 * returns the result, or NULL with the reason in err.
 */
char	*confscan_value(const struct confscan_syntax *, char *value,
	    char *err, size_t errlen);

#endif
