/*
 * test_suppress: the suppression plan holds against an attacker who knows
 * every published number and every sum that binds them, and solves the
 * linear system for each hidden cell (Gaussian elimination): no hidden
 * cell may come out determined.  Tables: grids with row, column and
 * grand totals (the dashboard's cross-tabulation) and group tables whose
 * rows also bind inbound = matched + unmatched (the report).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "suppress.h"
#include "util.h"

#define MAXV	64	/* unknowns */
#define MAXE	64	/* equations */

/* Equations over all cells: coef[e][cell], = 0. */
struct system {
	size_t	 ncells, neq;
	double	 coef[MAXE][MAXV];
};

static void
equation(struct system *sys, const size_t *members, size_t n, size_t total)
{
	size_t i;

	assert_true(sys->neq < MAXE);
	for (i = 0; i < n; i++)
		sys->coef[sys->neq][members[i]] += 1.0;
	sys->coef[sys->neq][total] -= 1.0;
	sys->neq++;
}

static size_t
rank_of(double m[][MAXV], size_t rows, size_t cols)
{
	size_t r = 0, c, i, k, best;
	double f, t;

	for (c = 0; c < cols && r < rows; c++) {
		best = r;
		for (i = r + 1; i < rows; i++)
			if (fabs(m[i][c]) > fabs(m[best][c]))
				best = i;
		if (fabs(m[best][c]) < 1e-9)
			continue;
		for (k = 0; k < cols; k++) {
			t = m[r][k]; m[r][k] = m[best][k]; m[best][k] = t;
		}
		for (i = 0; i < rows; i++) {
			if (i == r || fabs(m[i][c]) < 1e-12)
				continue;
			f = m[i][c] / m[r][c];
			for (k = 0; k < cols; k++)
				m[i][k] -= f * m[r][k];
		}
		r++;
	}
	return r;
}

/*
 * Is hidden cell `target` determined by the system, the visible cells
 * being known?  Only the hidden columns matter: it is determined when the
 * unit vector of target lies in the row space of those columns.
 */
static int
determined(const struct system *sys, const struct suppress *plan,
    size_t target)
{
	static double m[MAXE + 1][MAXV];
	size_t hid[MAXV], nh = 0, e, j, t = 0, r1, r2;

	for (j = 0; j < sys->ncells; j++)
		if (suppress_hidden(plan, j)) {
			if (j == target)
				t = nh;
			hid[nh++] = j;
		}
	for (e = 0; e < sys->neq; e++)
		for (j = 0; j < nh; j++)
			m[e][j] = sys->coef[e][hid[j]];
	r1 = rank_of(m, sys->neq, nh);
	for (e = 0; e < sys->neq; e++)
		for (j = 0; j < nh; j++)
			m[e][j] = sys->coef[e][hid[j]];
	for (j = 0; j < nh; j++)
		m[sys->neq][j] = j == t;
	r2 = rank_of(m, sys->neq + 1, nh);
	return r1 == r2;
}

static void
assert_nothing_determined(const struct system *sys,
    const struct suppress *plan, const int64_t *values, int below)
{
	size_t j;

	for (j = 0; j < sys->ncells; j++) {
		/* Every small value is hidden... */
		if (values[j] > 0 && values[j] < below && suppress_hidden(plan,
		    j) == 0) {
			/* ...unless it is a total allowed to show. */
			continue;
		}
		if (suppress_hidden(plan, j) && determined(sys, plan, j))
			fail_msg("hidden cell %zu (value %lld) can be worked out",
			    j, (long long)values[j]);
	}
}

/* A deterministic stream of small counts, mostly under the threshold. */
static int64_t
next_value(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	switch ((*seed >> 16) % 4) {
	case 0: return 0;
	case 1: return 1 + (*seed >> 20) % 4;		/* small */
	default: return 5 + (*seed >> 20) % 20;
	}
}

/* An R x C grid with its margins, as report_xtab publishes it. */
static void
grid_case(size_t R, size_t C, uint32_t seed)
{
	size_t rt = R * C, ct = rt + R, gt = ct + C, i, j, line[8];
	int64_t v[MAXV];
	struct system sys;
	struct suppress *plan;

	memset(&sys, 0, sizeof(sys));
	memset(v, 0, sizeof(v));
	sys.ncells = gt + 1;
	plan = suppress_new(sys.ncells);
	for (i = 0; i < R; i++)
		for (j = 0; j < C; j++) {
			v[i * C + j] = next_value(&seed);
			v[rt + i] += v[i * C + j];
			v[ct + j] += v[i * C + j];
			v[gt] += v[i * C + j];
		}
	for (i = 0; i < sys.ncells; i++)
		suppress_cell(plan, i, v[i], i != gt, i >= rt);
	for (i = 0; i < R; i++) {
		for (j = 0; j < C; j++)
			line[j] = i * C + j;
		equation(&sys, line, C, rt + i);
		line[C] = rt + i;
		suppress_line(plan, line, C + 1);
	}
	for (j = 0; j < C; j++) {
		for (i = 0; i < R; i++)
			line[i] = i * C + j;
		equation(&sys, line, R, ct + j);
		line[R] = ct + j;
		suppress_line(plan, line, R + 1);
	}
	for (i = 0; i < R; i++)
		line[i] = rt + i;
	equation(&sys, line, R, gt);
	line[R] = gt;
	suppress_line(plan, line, R + 1);
	for (j = 0; j < C; j++)
		line[j] = ct + j;
	equation(&sys, line, C, gt);
	line[C] = gt;
	suppress_line(plan, line, C + 1);
	suppress_run(plan, 5);
	assert_nothing_determined(&sys, plan, v, 5);
	for (i = 0; i < gt; i++)
		if (v[i] > 0 && v[i] < 5)
			assert_true(suppress_hidden(plan, i));
	suppress_free(plan);
}

static void
test_grids(void **state)
{
	uint32_t seed;
	size_t R, C;

	(void)state;
	for (seed = 1; seed <= 200; seed++)
		for (R = 2; R <= 4; R++)
			for (C = 2; C <= 4; C++)
				grid_case(R, C, seed * 7919u + (uint32_t)(R * 10 + C));
}

/*
 * G groups of (inbound, matched, unmatched, opt_outs) and a TOTAL row:
 * every column sums to its total, and inbound = matched + unmatched in
 * each row (tied, as the report ties them).
 */
static void
groups_case(size_t G, uint32_t seed)
{
	enum { IN, MA, UN, OO, NC };
	size_t rows = G + 1, g, i, line[16];
	int64_t v[MAXV];
	struct system sys;
	struct suppress *plan;

	memset(&sys, 0, sizeof(sys));
	memset(v, 0, sizeof(v));
	sys.ncells = rows * NC;
	plan = suppress_new(sys.ncells);
	for (g = 0; g < G; g++) {
		v[g * NC + MA] = next_value(&seed);
		v[g * NC + UN] = next_value(&seed);
		v[g * NC + IN] = v[g * NC + MA] + v[g * NC + UN];
		v[g * NC + OO] = next_value(&seed) % 3;
		for (i = 0; i < NC; i++)
			v[G * NC + i] += v[g * NC + i];
	}
	for (g = 0; g < rows; g++) {
		for (i = 0; i < NC; i++)
			suppress_cell(plan, g * NC + i, v[g * NC + i], g < G,
			    g == G);
		line[0] = g * NC + MA;
		line[1] = g * NC + UN;
		equation(&sys, line, 2, g * NC + IN);
		line[2] = g * NC + IN;
		suppress_tie(plan, line, 3);
	}
	for (i = 0; i < NC; i++) {
		for (g = 0; g < G; g++)
			line[g] = g * NC + i;
		equation(&sys, line, G, G * NC + i);
		line[G] = G * NC + i;
		suppress_line(plan, line, G + 1);
	}
	suppress_run(plan, 5);
	assert_nothing_determined(&sys, plan, v, 5);
	suppress_free(plan);
}

static void
test_groups(void **state)
{
	uint32_t seed;
	size_t G;

	(void)state;
	for (seed = 1; seed <= 300; seed++)
		for (G = 1; G <= 6; G++)
			groups_case(G, seed * 104729u + (uint32_t)G);
}

/* The case the analysts found: bhadohi 12, (unknown) 8, mirzapur 4 and a
 * TOTAL of 24.  Mirzapur alone hidden gave 24 - 12 - 8. */
static void
test_single_small_cell_gets_a_partner(void **state)
{
	struct suppress *plan = suppress_new(4);
	size_t col[] = { 0, 1, 2, 3 };

	(void)state;
	suppress_cell(plan, 0, 12, 1, 0);
	suppress_cell(plan, 1, 8, 1, 0);
	suppress_cell(plan, 2, 4, 1, 0);
	suppress_cell(plan, 3, 24, 0, 1);
	suppress_line(plan, col, 4);
	suppress_run(plan, 5);
	assert_true(suppress_hidden(plan, 2));
	assert_true(suppress_hidden(plan, 1));	/* the smallest other */
	assert_false(suppress_hidden(plan, 0));
	assert_false(suppress_hidden(plan, 3));	/* the total stays */
	/* No threshold: nothing hidden; a NULL plan hides nothing. */
	suppress_run(plan, 0);
	assert_false(suppress_hidden(plan, 2));
	assert_false(suppress_hidden(NULL, 0));
	suppress_free(plan);
	suppress_free(NULL);
}

/* One group only: its small cell can only be covered by the total. */
static void
test_total_hidden_when_nothing_else_will_do(void **state)
{
	struct suppress *plan = suppress_new(2);
	size_t col[] = { 0, 1 };

	(void)state;
	suppress_cell(plan, 0, 3, 1, 0);
	suppress_cell(plan, 1, 3, 0, 1);
	suppress_line(plan, col, 2);
	suppress_run(plan, 5);
	assert_true(suppress_hidden(plan, 0));
	assert_true(suppress_hidden(plan, 1));
	suppress_free(plan);
}

/*
 * Figures other views decided: districts 12 (bhadohi), 3 (mirzapur), 6
 * (samastipur) and the region's 21, which every view without a district
 * shows.  The total fixed as shown is never the complement, so another
 * district is; a cell hidden elsewhere is hidden here, even at 12, and
 * one shown elsewhere stays shown even when small.
 */
static void
test_fixed_cells(void **state)
{
	struct suppress *plan = suppress_new(4);
	size_t col[] = { 0, 1, 2, 3 };

	(void)state;
	suppress_cell(plan, 0, 12, 1, 0);
	suppress_cell(plan, 1, 3, 1, 0);
	suppress_cell(plan, 2, 6, 1, 0);
	suppress_cell(plan, 3, 21, 0, 1);
	suppress_line(plan, col, 4);
	suppress_fix(plan, 3, 0);
	suppress_run(plan, 5);
	assert_false(suppress_hidden(plan, 0));
	assert_true(suppress_hidden(plan, 1));
	assert_true(suppress_hidden(plan, 2));
	assert_false(suppress_hidden(plan, 3));

	/* Samastipur shown elsewhere: bhadohi, though large, covers. */
	suppress_fix(plan, 2, 0);
	suppress_run(plan, 5);
	assert_true(suppress_hidden(plan, 0));
	assert_true(suppress_hidden(plan, 1));
	assert_false(suppress_hidden(plan, 2));
	assert_false(suppress_hidden(plan, 3));

	/* Only the total is left and it is public: the small cell cannot
	 * be covered, and the plan does not pretend to by hiding it. */
	suppress_fix(plan, 0, 0);
	suppress_run(plan, 5);
	assert_false(suppress_hidden(plan, 3));
	assert_false(suppress_hidden(plan, 0));

	/* Hidden elsewhere: hidden here whatever its size. */
	suppress_fix(plan, 0, 1);
	suppress_run(plan, 5);
	assert_true(suppress_hidden(plan, 0));
	suppress_free(plan);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_small_cell_gets_a_partner),
		cmocka_unit_test(test_total_hidden_when_nothing_else_will_do),
		cmocka_unit_test(test_grids),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_fixed_cells),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
