/*
 * suppress: primary and complementary cell suppression (see suppress.h).
 *
 * Tables here are small (tens of groups, ten columns; a dashboard grid of
 * a few hundred cells), so each pass walks every line and tie; the loop
 * ends because a pass that changes anything hides at least one more cell.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "suppress.h"
#include "util.h"

struct set {
	size_t	*cells;
	size_t	 n;
};

struct suppress {
	size_t		 ncells;
	int64_t		*value;
	unsigned char	*primary;
	unsigned char	*total;
	unsigned char	*hidden;
	unsigned char	*fixed;		/* 0 free, FIX_HIDE, FIX_SHOW */
	struct set	*lines, *ties;
	size_t		 nlines, nties;
};

#define FIX_HIDE	1
#define FIX_SHOW	2

struct suppress *
suppress_new(size_t ncells)
{
	struct suppress *s = xcalloc(1, sizeof(*s));
	size_t n = ncells ? ncells : 1;

	s->ncells = ncells;
	s->value = xcalloc(n, sizeof(*s->value));
	s->primary = xcalloc(n, 1);
	s->total = xcalloc(n, 1);
	s->hidden = xcalloc(n, 1);
	s->fixed = xcalloc(n, 1);
	return s;
}

static void
sets_free(struct set *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].cells);
	free(v);
}

void
suppress_free(struct suppress *s)
{
	if (s == NULL)
		return;
	free(s->value);
	free(s->primary);
	free(s->total);
	free(s->hidden);
	free(s->fixed);
	sets_free(s->lines, s->nlines);
	sets_free(s->ties, s->nties);
	free(s);
}

void
suppress_cell(struct suppress *s, size_t i, int64_t value, int primary,
    int total)
{
	if (i >= s->ncells)
		return;
	s->value[i] = value;
	s->primary[i] = primary != 0;
	s->total[i] = total != 0;
}

static void
set_add(struct set **v, size_t *n, const size_t *cells, size_t count,
    size_t ncells)
{
	size_t i, k = 0;
	struct set *e;

	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	e = &(*v)[(*n)++];
	e->cells = xcalloc(count ? count : 1, sizeof(*e->cells));
	for (i = 0; i < count; i++)
		if (cells[i] < ncells)
			e->cells[k++] = cells[i];
	e->n = k;
}

void
suppress_fix(struct suppress *s, size_t i, int hidden)
{
	if (i < s->ncells)
		s->fixed[i] = hidden ? FIX_HIDE : FIX_SHOW;
}

void
suppress_line(struct suppress *s, const size_t *cells, size_t n)
{
	set_add(&s->lines, &s->nlines, cells, n, s->ncells);
}

void
suppress_tie(struct suppress *s, const size_t *cells, size_t n)
{
	set_add(&s->ties, &s->nties, cells, n, s->ncells);
}

/* The visible member of a line to hide with its one hidden cell. */
static int
complement(const struct suppress *s, const struct set *line, size_t *pick)
{
	size_t i, c;
	int found = 0, pass;

	/* Another cell of the line first; its total only if none is left. */
	for (pass = 0; pass < 2 && !found; pass++) {
		for (i = 0; i < line->n; i++) {
			c = line->cells[i];
			if (s->hidden[c] || s->total[c] != pass ||
			    s->fixed[c] == FIX_SHOW)
				continue;
			if (!found || s->value[c] < s->value[*pick]) {
				*pick = c;
				found = 1;
			}
		}
	}
	return found;
}

static int
pass_ties(struct suppress *s)
{
	size_t t, i;
	int changed = 0, any;

	for (t = 0; t < s->nties; t++) {
		any = 0;
		for (i = 0; i < s->ties[t].n; i++)
			any |= s->hidden[s->ties[t].cells[i]];
		if (!any)
			continue;
		/* A cell shown elsewhere stays shown: the others of the tie
		 * are then protected by the lines, like any hidden cell. */
		for (i = 0; i < s->ties[t].n; i++)
			if (!s->hidden[s->ties[t].cells[i]] &&
			    s->fixed[s->ties[t].cells[i]] != FIX_SHOW) {
				s->hidden[s->ties[t].cells[i]] = 1;
				changed = 1;
			}
	}
	return changed;
}

static int
pass_lines(struct suppress *s)
{
	size_t l, i, hidden, pick = 0;
	int changed = 0;

	for (l = 0; l < s->nlines; l++) {
		hidden = 0;
		for (i = 0; i < s->lines[l].n; i++)
			hidden += s->hidden[s->lines[l].cells[i]];
		if (hidden != 1 || !complement(s, &s->lines[l], &pick))
			continue;
		s->hidden[pick] = 1;
		changed = 1;
	}
	return changed;
}

/*
 * The lines as equations over the hidden cells (members +1, the total -1),
 * brought to reduced row echelon form: a hidden cell is determined by the
 * published figures exactly when its column is a pivot whose row has no
 * other entry.  Marks those in det[]; returns how many there are.
 */
static size_t
determined_cells(const struct suppress *s, unsigned char *det)
{
	size_t *col = xcalloc(s->ncells ? s->ncells : 1, sizeof(*col));
	size_t nh = 0, i, j, k, l, r = 0, best, n = 0;
	double *m, f, t;
	size_t *pivot;

	for (i = 0; i < s->ncells; i++)
		col[i] = s->hidden[i] ? nh++ : (size_t)-1;
	memset(det, 0, s->ncells ? s->ncells : 1);
	if (nh == 0 || s->nlines == 0) {
		free(col);
		return 0;
	}
	m = xcalloc(s->nlines * nh, sizeof(*m));
	pivot = xcalloc(s->nlines, sizeof(*pivot));
	for (l = 0; l < s->nlines; l++)
		for (i = 0; i < s->lines[l].n; i++) {
			k = s->lines[l].cells[i];
			if (col[k] != (size_t)-1)
				m[l * nh + col[k]] += i + 1 == s->lines[l].n ?
				    -1.0 : 1.0;
		}
	for (j = 0; j < nh && r < s->nlines; j++) {
		best = r;
		for (i = r + 1; i < s->nlines; i++)
			if (fabs(m[i * nh + j]) > fabs(m[best * nh + j]))
				best = i;
		if (fabs(m[best * nh + j]) < 1e-9)
			continue;
		for (k = 0; k < nh; k++) {
			t = m[r * nh + k];
			m[r * nh + k] = m[best * nh + k];
			m[best * nh + k] = t;
		}
		f = m[r * nh + j];
		for (k = 0; k < nh; k++)
			m[r * nh + k] /= f;
		for (i = 0; i < s->nlines; i++) {
			if (i == r || fabs(m[i * nh + j]) < 1e-12)
				continue;
			f = m[i * nh + j];
			for (k = 0; k < nh; k++)
				m[i * nh + k] -= f * m[r * nh + k];
		}
		pivot[r++] = j;
	}
	for (i = 0; i < r; i++) {
		for (k = 0; k < nh; k++)
			if (k != pivot[i] && fabs(m[i * nh + k]) > 1e-9)
				break;
		if (k < nh)
			continue;
		for (l = 0; l < s->ncells; l++)
			if (col[l] == pivot[i]) {
				det[l] = 1;
				n++;
			}
	}
	free(pivot);
	free(m);
	free(col);
	return n;
}

/*
 * Two hidden cells in every line are not always enough: in a grid, a
 * hidden cell that lies on no cycle of hidden cells still follows from
 * the margins.  Each determined cell gets a partner in one of its lines
 * (the smallest visible member there), and the lines are worked again.
 */
static int
pass_determined(struct suppress *s, unsigned char *det)
{
	size_t l, i, c, pick = 0;
	int changed = 0, has;

	if (determined_cells(s, det) == 0)
		return 0;
	for (c = 0; c < s->ncells; c++) {
		if (!det[c])
			continue;
		for (l = 0; l < s->nlines; l++) {
			has = 0;
			for (i = 0; i < s->lines[l].n; i++)
				has |= s->lines[l].cells[i] == c;
			if (has && complement(s, &s->lines[l], &pick)) {
				s->hidden[pick] = 1;
				changed = 1;
				break;
			}
		}
		if (changed)
			break;		/* one at a time: the rest may follow */
	}
	return changed;
}

void
suppress_run(struct suppress *s, int below)
{
	unsigned char *det;
	size_t i;
	int changed;

	memset(s->hidden, 0, s->ncells ? s->ncells : 1);
	if (below <= 1)
		return;
	for (i = 0; i < s->ncells; i++)
		s->hidden[i] = s->fixed[i] == FIX_HIDE ||
		    (s->fixed[i] != FIX_SHOW && s->primary[i] &&
		    s->value[i] > 0 && s->value[i] < below);
	det = xcalloc(s->ncells ? s->ncells : 1, 1);
	do {
		do {
			changed = pass_ties(s);
			changed |= pass_lines(s);
		} while (changed);
	} while (pass_determined(s, det));
	free(det);
}

int
suppress_hidden(const struct suppress *s, size_t i)
{
	return s != NULL && i < s->ncells && s->hidden[i];
}
