/*
 * fuzz_ivr: ivr.conf parsing and the menu state machine.  The input is
 * split at its first form feed (0x0c): before it the ivr.conf text, after
 * it the caller's keys, one byte each ('t' is a timeout, 'r' a restart,
 * anything else a key press).  A menu that loads is cross-checked
 * against the shipped prompts and districts (SAMPARK_FUZZ_ROOT names
 * another repository root), then walked; the state must always name a
 * node of the menu and keep its strings terminated.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "district.h"
#include "fuzz_common.h"
#include "ivr.h"
#include "log.h"
#include "prompts.h"
#include "util.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAX_STEPS	64

/* Loaded once: read-only afterwards. */
static struct prompts *prompts;
static struct district_table *districts;

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_ivr: %s\n", what);
		abort();
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *root = getenv("SAMPARK_FUZZ_ROOT");
	struct buf errors;
	char *path;

	(void)argc;
	(void)argv;
	log_set_level(LOG_LEVEL_ERROR);
	if (root == NULL)
		root = ".";
	buf_init(&errors, 0);
	path = xasprintf("%s/prompts", root);
	prompts = prompts_load(path, &errors);
	free(path);
	path = xasprintf("%s/config/districts.csv", root);
	districts = district_load(path, &errors);
	free(path);
	if (prompts == NULL || districts == NULL) {
		fprintf(stderr, "fuzz_ivr: cannot load prompts/ and config/ "
		    "under %s (run from the repository root): %s\n", root,
		    buf_cstr(&errors));
		exit(1);
	}
	buf_free(&errors);
	return 0;
}

static int
handler_exists(const char *name)
{
	return strcmp(name, "info") == 0 || strcmp(name, "help") == 0;
}

static void
check_state(const struct ivr_state *st)
{
	char back[IVR_STACK_MAX * (IVR_NAME_MAX + 1) + 1];
	int i;

	check(memchr(st->node, '\0', sizeof(st->node)) != NULL, "node");
	check(st->nback >= 0 && st->nback <= IVR_STACK_MAX, "nback");
	for (i = 0; i < st->nback; i++)
		check(memchr(st->back[i], '\0', sizeof(st->back[i])) != NULL,
		    "back entry");
	check(memchr(st->language, '\0', sizeof(st->language)) != NULL &&
	    memchr(st->district, '\0', sizeof(st->district)) != NULL &&
	    memchr(st->pending, '\0', sizeof(st->pending)) != NULL &&
	    memchr(st->pending_next, '\0', sizeof(st->pending_next)) != NULL,
	    "state strings");
	ivr_state_back_string(st, back, sizeof(back));
	ivr_state_back_string(st, back, 5);
}

static void
check_result(const struct ivr_result *res)
{
	size_t i;

	check(res->nsay <= IVR_SAY_MAX, "nsay");
	for (i = 0; i < res->nsay; i++)
		check(res->say[i] != NULL, "say NULL");
	check(!res->gather || res->prompt != NULL, "gather without prompt");
	(void)ivr_action_name(res->action);
}

static void
walk(const struct ivr_menu *menu, const uint8_t *keys, size_t n)
{
	struct ivr_state st;
	struct ivr_result res;
	char digits[2];
	size_t i;

	memset(&st, 0, sizeof(st));
	ivr_step(menu, &st, IVR_IN_START, NULL, &res);
	check_state(&st);
	check_result(&res);
	for (i = 0; i < n && i < MAX_STEPS; i++) {
		memset(&res, 0, sizeof(res));
		if (keys[i] == 't')
			ivr_step(menu, &st, IVR_IN_TIMEOUT, NULL, &res);
		else if (keys[i] == 'r')
			ivr_step(menu, &st, IVR_IN_START, NULL, &res);
		else {
			digits[0] = (char)keys[i];
			digits[1] = '\0';
			ivr_step(menu, &st, IVR_IN_DIGITS, digits, &res);
		}
		check_state(&st);
		check_result(&res);
	}
	/* A saved state from an older menu, and a hostile back stack. */
	util_strlcpy(st.node, "no-such-node", sizeof(st.node));
	ivr_state_set_back(&st, n > 0 ? "main/answer//x" : "");
	ivr_step(menu, &st, IVR_IN_DIGITS, "1", &res);
	check_state(&st);
	check_result(&res);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *ff = memchr(data, '\f', size);
	size_t conflen = ff != NULL ? (size_t)(ff - data) : size;
	struct ivr_menu *menu;
	struct ivr_state st;
	struct buf errors;
	const char *path;
	char *back;

	if ((path = fuzz_write_file("ivr.conf", data, conflen)) == NULL)
		return 0;
	buf_init(&errors, 64 * 1024);
	if ((menu = ivr_load(path, &errors)) != NULL) {
		(void)ivr_check(menu, prompts, districts, handler_exists,
		    &errors);
		(void)ivr_check(menu, prompts, districts, NULL, &errors);
		walk(menu, ff != NULL ? ff + 1 : data, ff != NULL ?
		    size - conflen - 1 : 0);
	}
	ivr_free(menu);
	buf_free(&errors);

	/* The back stack as the store saves it, from any string. */
	back = fuzz_strndup(data, conflen < 512 ? conflen : 512);
	memset(&st, 0, sizeof(st));
	ivr_state_set_back(&st, back);
	check_state(&st);
	free(back);
	return 0;
}
