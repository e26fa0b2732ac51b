/*
 * suppress: which cells of a published table to hide so that no small
 * count can be seen or worked out by subtraction.
 *
 * A table is cells (values), lines (sets of cells bound by one sum, such
 * as a column and its total, or inbound = matched + unmatched) and ties
 * (cells that must be hidden together).  Primary suppression hides the
 * cells marked as sensitive whose value is from 1 to below - 1; then,
 * until nothing changes, every line with exactly one hidden cell hides one
 * more (its visible member with the smallest value, a total only when
 * there is no other), every tie with a hidden cell hides all of it, and
 * any hidden cell that the lines, solved together as linear equations,
 * still give away gets a partner in one of its lines.  So no hidden cell
 * can be worked out from the published ones by adding and subtracting,
 * within one table.  A 0 may be hidden as a complement like any count
 * (the views that use this list every group of the period, those without
 * rows too, so that a missing group does not give a 0 away).
 * Deterministic: the same table hides the same cells, wherever it is
 * published.
 *
 * Pure: no I/O.
 */
#ifndef SP_SUPPRESS_H
#define SP_SUPPRESS_H

#include <stddef.h>
#include <stdint.h>

struct suppress;

/* A plan for ncells cells, none hidden, no lines.  Free with
 * suppress_free. */
struct suppress *suppress_new(size_t ncells);
void	 suppress_free(struct suppress *);	/* NULL is a no-op */

/*
 * Cell i holds value; primary: 1 when a small value must be hidden (a
 * count of people or of their messages), 0 when it may be shown as it is
 * unless a line needs it hidden; total: 1 for a line's total, hidden as a
 * complement only when nothing else will do.
 */
void	 suppress_cell(struct suppress *, size_t i, int64_t value,
	    int primary, int total);
/* One line: cells[0..n-2] sum to cells[n-1], the line's total. */
void	 suppress_line(struct suppress *, const size_t *cells, size_t n);
/* Cells hidden together or not at all. */
void	 suppress_tie(struct suppress *, const size_t *cells, size_t n);

/*
 * Cell i as another publication decided it: hidden 1, it is hidden there
 * and so must be here; hidden 0, it is shown there, so hiding it here
 * would protect nothing and it is never picked as a complement.  The
 * same figure then looks the same in every view that publishes it, and
 * no view's visible numbers undo another's suppression.
 */
void	 suppress_fix(struct suppress *, size_t i, int hidden);

/* Work the plan out for threshold below (<= 1: hide nothing). */
void	 suppress_run(struct suppress *, int below);
/* 1 if cell i is hidden; a NULL plan hides nothing. */
int	 suppress_hidden(const struct suppress *, size_t i);

#endif
