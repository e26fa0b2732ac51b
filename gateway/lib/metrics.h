/*
 * metrics: a small registry of counters, gauges and histograms with
 * labels, rendered in the Prometheus text exposition format (version
 * 0.0.4) for GET /metrics.
 *
 * The daemon owns one registry (no globals) and passes it down to the
 * modules that count.  Families are declared once with their help text;
 * a series is created on first use of a label set.  Each family holds at
 * most METRICS_MAX_SERIES series: later label sets are folded into one
 * series whose label values are all "_other", so a hostile client that
 * invents provider names cannot grow memory without bound.
 *
 * Never does I/O except metrics_process(), which reads /proc/self.
 */
#ifndef SP_METRICS_H
#define SP_METRICS_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct metrics;

#define METRICS_MAX_SERIES	256

enum metric_kind {
	METRIC_COUNTER,
	METRIC_GAUGE,
	METRIC_HISTOGRAM,
};

struct metrics *metrics_new(void);
void	 metrics_free(struct metrics *);	/* NULL is a no-op */

/*
 * Declare a family.  name must be a valid metric name and not end in
 * _bucket/_sum/_count for histograms.  Declaring the same name again with
 * the same kind is a no-op.  0, or -1 with err set (bad name, kind clash).
 */
int	 metrics_declare(struct metrics *, const char *name,
	    enum metric_kind, const char *help, char *err, size_t errlen);

/*
 * The label arguments are pairs of strings "name", "value", ended by a
 * NULL.  Label values may hold any UTF-8 (escaped when rendered); a NULL
 * value is rendered as "".  Each returns 0, or -1 when the family is not
 * declared, is of another kind, or a label name is invalid.  The registry
 * m may be NULL (nothing is counted): modules need not check.
 */
/* Counter or gauge: add v (v >= 0 for counters). */
int	 metrics_add(struct metrics *, const char *name, double v, ...)
	    __attribute__((sentinel));
/* Gauge: set to v. */
int	 metrics_set(struct metrics *, const char *name, double v, ...)
	    __attribute__((sentinel));
/* Histogram: one observation (seconds, for _seconds families). */
int	 metrics_observe(struct metrics *, const char *name, double v, ...)
	    __attribute__((sentinel));
/* Gauge: every series of the family back to 0 (before a fresh reading). */
void	 metrics_zero(struct metrics *, const char *name);

/* The value of one series (tests): 1 found, 0 not found. */
int	 metrics_get(const struct metrics *, const char *name, double *v, ...)
	    __attribute__((sentinel));

/*
 * Read the process facts into gauges: sampark_process_resident_memory_bytes
 * (VmRSS of /proc/self/status), sampark_process_open_fds (entries of
 * /proc/self/fd), sampark_uptime_seconds (since metrics_new).  Facts that
 * cannot be read are left out.
 */
void	 metrics_process(struct metrics *);

/*
 * Declare every family Sampark counts (the whole vocabulary, one table in
 * metrics.c), so that they are exposed, with HELP and TYPE, from the
 * first scrape.  A fresh registry from metrics_new_sampark() has them.
 */
void	 metrics_declare_sampark(struct metrics *);
struct metrics *metrics_new_sampark(void);

/* Append the whole registry in the text format, families in declaration
 * order, series in creation order. */
void	 metrics_render(const struct metrics *, struct buf *out);

#endif
