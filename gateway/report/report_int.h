/*
 * report_int: what the files of the report module (report.c, the
 * aggregation, and report_render.c, the output) share and nothing else
 * may include.
 */
#ifndef SP_REPORT_INT_H
#define SP_REPORT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "report.h"
#include "store.h"

struct idset {
	uint64_t	*slots;		/* 0 = empty */
	size_t		 cap, n;
};

struct group {
	char			*key;
	struct report_counts	 c;
	struct idset		 contacts;
	int64_t			*lat;
	size_t			 nlat, caplat;
};

struct unmatched {
	char	*text;
	int64_t	 n, contacts;
};

struct named_count {
	char	*name;
	int64_t	 n;
};

/* A word of the messages not understood, and how many had it. */
struct unmatched_word {
	char	*word;
	int64_t	 n;
};

struct report {
	struct report_options	 o;
	char			*district, *channel;
	struct group		*groups;
	size_t			 ngroups;
	size_t			 last;
	struct group		 total;
	int			 finished;
	struct unmatched	*unmatched;
	size_t			 nunmatched;
	struct unmatched_word	*words;		/* merged by report_add_words */
	size_t			 nwords, capwords;
	int			 words_done;
	struct store_funnel	*funnels;
	size_t			 nfunnels;
	int			 funnels_available;
	struct named_count	*ivr;
	size_t			 nivr;
	int			 ivr_available;
	struct named_count	*outbox;
	size_t			 noutbox;
	int64_t			 opted_out;
};

/* The group a row belongs to under by (tmp holds day and week keys). */
const char *report_row_key(enum report_by, int utc_offset_min,
	    const struct interaction *, char tmp[16]);

#endif
