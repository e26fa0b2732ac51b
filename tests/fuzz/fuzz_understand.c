/*
 * fuzz_understand: whole-message understanding (understand.h) against the
 * shipped config/ (keywords, districts, lexicon, other districts) taught
 * the sample directory (SAMPARK_FUZZ_CONFIG names another directory).
 *
 * The input is an SMS text, unless it starts with one of:
 *
 *     "#directory\n"  lines "category,name" up to an empty line: a
 *                     directory taught instead of the sample, then the
 *                     rest is the text (the next plain text is read with
 *                     the sample taught back)
 *     "#districts\n"  the rest is an other_districts.txt, loaded into a
 *                     table of its own, which then reads a few texts
 *
 * Whatever is decided must hold together: tokens in word order within
 * the text, an INFO with its category, a CHOOSE with two different ones,
 * a district not served only without a served one, every origin a
 * string.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "district.h"
#include "fuzz_common.h"
#include "keywords.h"
#include "log.h"
#include "records.h"
#include "text.h"
#include "understand.h"
#include "util.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAX_ROWS	64

/* Loaded once; the table is taught the sample directory back after a
 * "#directory" input, when a plain text comes. */
static struct keywords_table *kw;
static struct district_table *dt;
static struct understand_table *und;
static struct stakeholder sample[512];
static size_t nsample;
static char *lexicon_path;
static struct understand_result result;
static int taught_other;

static void
load_sample(const char *dir)
{
	char *path = xasprintf("%s/stakeholders.csv", dir), err[256], **f;
	struct csv_reader *r;
	size_t nf, line;
	int rc, header = 1;

	if ((r = csv_open(path, err, sizeof(err))) == NULL) {
		free(path);
		return;
	}
	while ((rc = csv_next(r, &f, &nf, &line, err, sizeof(err))) != 0 &&
	    nsample < SP_ARRAY_LEN(sample)) {
		if (rc == -1 || nf < 2)
			continue;
		if (header) {
			header = 0;
			continue;
		}
		sample[nsample].name = xstrdup(f[0]);
		sample[nsample].category = xstrdup(f[1]);
		nsample++;
	}
	csv_close(r);
	free(path);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir;
	struct buf errors;
	char *path;

	(void)argc;
	(void)argv;
	dir = fuzz_load_vocabulary("fuzz_understand", &kw, &dt);
	buf_init(&errors, 0);
	lexicon_path = xasprintf("%s/lexicon.conf", dir);
	und = understand_new(kw, dt, lexicon_path, &errors);
	path = xasprintf("%s/other_districts.txt", dir);
	if (und == NULL || understand_add_unserved(und, path, &errors) == -1) {
		fprintf(stderr, "fuzz_understand: cannot load %s (run from "
		    "the repository root): %s\n", dir, buf_cstr(&errors));
		exit(1);
	}
	free(path);
	buf_free(&errors);
	load_sample(dir);
	understand_set_directory(und, sample, nsample);
	return 0;
}

static int
is_info(const struct keyword *k)
{
	return k != NULL && k->handler != NULL &&
	    strcmp(k->handler, "info") == 0;
}

/* Understand text with t and abort() on a decision that does not hold. */
static void
understand(const struct understand_table *t, const char *text, size_t len)
{
	struct understand_result *r = &result;
	char *norm, where[256];
	size_t i, next = 0;

	if ((norm = text_normalize(text, len)) == NULL)
		return;
	understand_message(t, text, norm, r);
	if (r->nwords > UNDERSTAND_MAX_WORDS || r->ntok > SP_ARRAY_LEN(r->tok))
		abort();
	for (i = 0; i < r->ntok; i++) {
		const struct understand_token *tk = &r->tok[i];

		/* Emoji come last, as words past the text. */
		if (tk->nwords == 0) {
			if (tk->word != r->nwords)
				abort();
			continue;
		}
		if (tk->word != next || tk->word + tk->nwords > r->nwords)
			abort();
		next = tk->word + tk->nwords;
		if (r->nstart[tk->word] + r->nlen[tk->word] > strlen(norm))
			abort();
		if (understand_origin(tk, where, sizeof(where)) != where ||
		    memchr(where, '\0', sizeof(where)) == NULL)
			abort();
		if (strcmp(understand_how_name(tk->how), "?") == 0)
			abort();
	}
	switch (r->action) {
	case UNDERSTAND_ACT_INFO:
		if (!is_info(r->kw) || r->kw2 != NULL)
			abort();
		break;
	case UNDERSTAND_ACT_CHOOSE:
		if (!is_info(r->kw) || !is_info(r->kw2) || r->kw == r->kw2)
			abort();
		break;
	case UNDERSTAND_ACT_DISTRICT:
		if (r->district == NULL)
			abort();
		break;
	case UNDERSTAND_ACT_COMMAND:
		if (r->kw == NULL || r->args_word > r->nwords)
			abort();
		break;
	case UNDERSTAND_ACT_UNSERVED:
		if (r->unserved == NULL || r->district != NULL ||
		    (r->kw != NULL && !is_info(r->kw)) ||
		    understand_unserved_name(r->unserved, "hi") == NULL ||
		    understand_unserved_name(r->unserved, "en") == NULL)
			abort();
		break;
	default:
		break;
	}
	free(norm);
}

/* "category,name" lines up to an empty one; the rest is the text. */
static void
with_directory(const char *s, size_t len)
{
	struct stakeholder rows[MAX_ROWS];
	const char *end = s + len, *eol, *comma;
	size_t n = 0, i;

	memset(rows, 0, sizeof(rows));
	while (s < end && *s != '\n' && n < MAX_ROWS) {
		if ((eol = memchr(s, '\n', (size_t)(end - s))) == NULL)
			eol = end;
		comma = memchr(s, ',', (size_t)(eol - s));
		rows[n].category = comma ? xstrndup(s, (size_t)(comma - s)) :
		    xstrdup("market");
		rows[n].name = comma ? xstrndup(comma + 1, (size_t)(eol -
		    comma - 1)) : xstrndup(s, (size_t)(eol - s));
		n++;
		s = eol < end ? eol + 1 : end;
	}
	if (s < end && *s == '\n')
		s++;
	understand_set_directory(und, rows, n);
	taught_other = 1;
	understand(und, s, (size_t)(end - s));
	for (i = 0; i < n; i++) {
		free(rows[i].category);
		free(rows[i].name);
	}
}

/* The rest is an other_districts.txt. */
static void
with_districts(const uint8_t *data, size_t size)
{
	static const char *const texts[] = { "patna", "gaya jile se hu",
	    "loan chahiye lucknow", "ho gaya", "bhadohi se hu" };
	struct understand_table *t;
	struct buf errors;
	const char *path;
	size_t i;

	if ((path = fuzz_write_file("other_districts.txt", data, size)) ==
	    NULL)
		return;
	buf_init(&errors, 0);
	t = understand_new(kw, dt, lexicon_path, &errors);
	if (t != NULL && understand_add_unserved(t, path, &errors) == 0)
		for (i = 0; i < SP_ARRAY_LEN(texts); i++)
			understand(t, texts[i], strlen(texts[i]));
	understand_free(t);
	buf_free(&errors);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char dir_mark[] = "#directory\n";
	static const char districts_mark[] = "#districts\n";
	char *text = fuzz_strndup(data, size);

	if (size >= sizeof(dir_mark) - 1 &&
	    memcmp(data, dir_mark, sizeof(dir_mark) - 1) == 0)
		with_directory(text + sizeof(dir_mark) - 1,
		    size - (sizeof(dir_mark) - 1));
	else if (size >= sizeof(districts_mark) - 1 &&
	    memcmp(data, districts_mark, sizeof(districts_mark) - 1) == 0)
		with_districts(data + sizeof(districts_mark) - 1,
		    size - (sizeof(districts_mark) - 1));
	else {
		if (taught_other)
			understand_set_directory(und, sample, nsample);
		taught_other = 0;
		understand(und, text, size);
	}
	free(text);
	return 0;
}
