/*
 * plan_check: what the store tests assert after each test: no statement
 * the test made the store prepare plans a full scan of a table that grows
 * with use (store_plan_scans), unless it names itself a batch or report
 * job.  A test that adds a statement to the store is checked for free.
 */
#ifndef SP_PLAN_CHECK_H
#define SP_PLAN_CHECK_H

struct store;

/* Fails the running cmocka test, listing each scan, if there is one. */
void	plan_check_no_growing_scans(struct store *);

#endif
