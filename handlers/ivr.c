/*
 * ivr: load config/ivr.conf and walk it.  See ivr.h for the format and
 * the contract.  The loader reports every problem with its file:line
 * before failing; references to nodes are resolved once the whole file is
 * read, so a node may be used before it is defined.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "confscan.h"
#include "district.h"
#include "ivr.h"
#include "prompts.h"
#include "text.h"
#include "util.h"

#define IVR_KEYS	"0123456789*#"
#define IVR_MAX_CHOICES	12

struct ivr_choice {
	char		 key;		/* one of IVR_KEYS, 0 for on_fail */
	enum ivr_action	 action;
	char		*arg;
	char		*arg2;
	char		*next;		/* node after the action, or NULL */
	size_t		 line;
};

struct ivr_node {
	char		*name;
	char		*prompt;
	int		 timeout_s;
	int		 retries;
	struct ivr_choice choices[IVR_MAX_CHOICES];
	size_t		 nchoices;
	struct ivr_choice on_fail;	/* action IVR_NONE: hang up */
	size_t		 line;
};

struct ivr_menu {
	char		*path;
	struct ivr_node	*nodes;
	size_t		 n;
	size_t		 cap;
	char		*start;
	char		*district_node;
	size_t		 start_line;
	size_t		 district_line;
};

static const struct {
	const char	*name;
	enum ivr_action	 action;
	int		 min_args;
	int		 max_args;
	int		 may_move;	/* "-> NODE" allowed */
} actions[] = {
	{ "goto",	IVR_GOTO,	1, 1, 0 },
	{ "info",	IVR_INFO,	1, 1, 1 },
	{ "handler",	IVR_HANDLER,	1, 2, 1 },
	{ "say",	IVR_SAY,	1, 1, 1 },
	{ "district",	IVR_DISTRICT,	1, 1, 1 },
	{ "language",	IVR_LANGUAGE,	1, 1, 1 },
	{ "sms",	IVR_SMS,	0, 0, 1 },
	{ "repeat",	IVR_REPEAT,	0, 0, 0 },
	{ "back",	IVR_BACK,	0, 0, 0 },
	{ "connect",	IVR_CONNECT,	1, 1, 0 },
	{ "hangup",	IVR_HANGUP,	0, 0, 0 },
};

struct ivr_parse {
	struct confscan_errors err;
	struct ivr_menu	*m;
	struct ivr_node	*cur;		/* NULL outside a section */
	int		 skip;		/* broken section: ignore its lines */
};

const char *
ivr_action_name(enum ivr_action a)
{
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(actions); i++)
		if (actions[i].action == a)
			return actions[i].name;
	return "none";
}

/* [a-z][a-z0-9_-]*, shorter than IVR_NAME_MAX. */
static int
valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= IVR_NAME_MAX || *s < 'a' || *s > 'z')
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

static int
valid_key(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < 64 &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_.") == n;
}

static int
valid_lang(const char *s)
{
	size_t n = strlen(s);

	return n >= 2 && n <= 7 && strspn(s, "abcdefghijklmnopqrstuvwxyz") == n;
}

static int
valid_number(const char *s)
{
	size_t n = strlen(s);

	return n >= 8 && n <= 16 && s[0] == '+' &&
	    strspn(s + 1, "0123456789") == n - 1;
}

static struct ivr_node *
find_node(const struct ivr_menu *m, const char *name)
{
	size_t i;

	if (m == NULL || name == NULL)
		return NULL;
	for (i = 0; i < m->n; i++)
		if (strcmp(m->nodes[i].name, name) == 0)
			return &m->nodes[i];
	return NULL;
}

static void
start_section(void *arg, struct confscan_line *ln)
{
	struct ivr_parse *p = arg;
	struct ivr_menu *m = p->m;
	const char *name = ln->name;

	p->cur = NULL;
	p->skip = 1;
	if (name == NULL) {
		confscan_error(&p->err, "section header must be [node]");
		return;
	}
	if (!valid_name(name)) {
		confscan_error(&p->err, "bad node name \"%s\" (want "
		    "[a-z][a-z0-9_-]*, under %d characters)", name,
		    IVR_NAME_MAX);
		return;
	}
	if (find_node(m, name) != NULL) {
		confscan_error(&p->err, "node \"%s\" defined twice", name);
		return;
	}
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 8;
		m->nodes = xreallocarray(m->nodes, m->cap, sizeof(*m->nodes));
	}
	p->cur = &m->nodes[m->n++];
	memset(p->cur, 0, sizeof(*p->cur));
	p->cur->name = xstrdup(name);
	p->cur->timeout_s = 6;
	p->cur->retries = 2;
	p->cur->line = p->err.line;
	p->skip = 0;
}

/* "ACTION [ARG [ARG2]] [-> NODE]" into *c; 0 or -1 (error reported). */
static int
parse_choice(struct ivr_parse *p, char *value, struct ivr_choice *c)
{
	char *words[4], *arrow, *w, *save = NULL;
	size_t i, nw = 0;
	int nargs;

	memset(c, 0, sizeof(*c));
	c->line = p->err.line;
	if ((arrow = strstr(value, "->")) != NULL) {
		*arrow = '\0';
		w = confscan_trim(arrow + 2);
		if (!valid_name(w)) {
			confscan_error(&p->err, "bad node after \"->\": "
			    "\"%s\"", w);
			return -1;
		}
		c->next = xstrdup(w);
	}
	for (w = strtok_r(value, " \t", &save); w != NULL;
	    w = strtok_r(NULL, " \t", &save)) {
		if (nw == SP_ARRAY_LEN(words)) {
			confscan_error(&p->err, "too many words");
			return -1;
		}
		words[nw++] = w;
	}
	if (nw == 0) {
		confscan_error(&p->err, "no action");
		return -1;
	}
	for (i = 0; i < SP_ARRAY_LEN(actions); i++)
		if (strcmp(words[0], actions[i].name) == 0)
			break;
	if (i == SP_ARRAY_LEN(actions)) {
		confscan_error(&p->err, "unknown action \"%s\"", words[0]);
		return -1;
	}
	nargs = (int)nw - 1;
	if (nargs < actions[i].min_args || nargs > actions[i].max_args) {
		confscan_error(&p->err, "%s takes %d%s argument%s", words[0],
		    actions[i].min_args, actions[i].max_args >
		    actions[i].min_args ? " or more" : "",
		    actions[i].max_args == 1 ? "" : "s");
		return -1;
	}
	if (c->next != NULL && !actions[i].may_move) {
		confscan_error(&p->err, "%s cannot be followed by \"->\"",
		    words[0]);
		return -1;
	}
	c->action = actions[i].action;
	if (nargs >= 1) {
		const char *a = words[1];
		int ok;

		switch (c->action) {
		case IVR_SAY:
			ok = valid_key(a);
			break;
		case IVR_LANGUAGE:
			ok = valid_lang(a);
			break;
		case IVR_CONNECT:
			ok = valid_number(a);
			break;
		default:
			ok = valid_name(a);
			break;
		}
		if (!ok || (nargs == 2 && !valid_name(words[2]))) {
			confscan_error(&p->err, "bad argument to %s: \"%s\"",
			    words[0], ok ? words[2] : a);
			return -1;
		}
		c->arg = xstrdup(a);
		if (nargs == 2)
			c->arg2 = xstrdup(words[2]);
	}
	return 0;
}

static void
choice_clear(struct ivr_choice *c)
{
	free(c->arg);
	free(c->arg2);
	free(c->next);
	memset(c, 0, sizeof(*c));
}

static int
parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

static void
node_key(struct ivr_parse *p, const char *key, char *value)
{
	struct ivr_node *n = p->cur;
	struct ivr_choice c;
	size_t i;

	if (strcmp(key, "prompt") == 0) {
		if (!valid_key(value))
			confscan_error(&p->err, "bad prompt key \"%s\"", value);
		else if (n->prompt != NULL)
			confscan_error(&p->err, "prompt given twice");
		else
			n->prompt = xstrdup(value);
	} else if (strcmp(key, "timeout") == 0) {
		if (parse_int(value, 1, 60, &n->timeout_s) == -1)
			confscan_error(&p->err, "timeout must be 1 to 60 "
			    "seconds");
	} else if (strcmp(key, "retries") == 0) {
		if (parse_int(value, 0, 9, &n->retries) == -1)
			confscan_error(&p->err, "retries must be 0 to 9");
	} else if (strcmp(key, "on_fail") == 0) {
		if (n->on_fail.action != IVR_NONE)
			confscan_error(&p->err, "on_fail given twice");
		else if (parse_choice(p, value, &c) == 0)
			n->on_fail = c;
		else
			choice_clear(&c);
	} else if ((strlen(key) == 1 && strchr(IVR_KEYS, key[0]) != NULL) ||
	    strcmp(key, "star") == 0 || strcmp(key, "hash") == 0) {
		/* '#' starts a comment, so that key is spelt "hash". */
		if (strcmp(key, "star") == 0)
			key = "*";
		else if (strcmp(key, "hash") == 0)
			key = "#";
		for (i = 0; i < n->nchoices; i++)
			if (n->choices[i].key == key[0]) {
				confscan_error(&p->err, "key %s given twice in "
				    "[%s]", key, n->name);
				return;
			}
		if (parse_choice(p, value, &c) == -1) {
			choice_clear(&c);
			return;
		}
		c.key = key[0];
		n->choices[n->nchoices++] = c;
	} else
		confscan_error(&p->err, "unknown key \"%s\" (want prompt, "
		    "timeout, retries, on_fail, star, hash or one of %s)", key,
		    IVR_KEYS);
}

static void
key_value(void *arg, struct confscan_line *ln)
{
	struct ivr_parse *p = arg;
	const char *key = ln->name;
	char *value = ln->value;

	if (p->cur != NULL) {
		node_key(p, key, value);
		return;
	}
	if (p->skip)
		return;
	if (strcmp(key, "start") == 0 || strcmp(key, "district_node") == 0) {
		int start = key[0] == 's';
		char **slot = start ? &p->m->start : &p->m->district_node;

		if (!valid_name(value))
			confscan_error(&p->err, "bad node name \"%s\"", value);
		else if (*slot != NULL)
			confscan_error(&p->err, "%s given twice", key);
		else {
			*slot = xstrdup(value);
			*(start ? &p->m->start_line : &p->m->district_line) =
			    p->err.line;
		}
	} else
		confscan_error(&p->err, "unknown key \"%s\" outside a [node] "
		    "(want start or district_node)", key);
}

/* After the whole file: every node named exists, every node complete. */
static void
resolve(struct ivr_parse *p)
{
	struct ivr_menu *m = p->m;
	size_t i, j;
	int info = 0;

	for (i = 0; i < m->n; i++) {
		struct ivr_node *n = &m->nodes[i];

		if (n->prompt == NULL)
			confscan_error_at(&p->err, n->line, "node [%s] has no "
			    "prompt", n->name);
		for (j = 0; j <= n->nchoices; j++) {
			struct ivr_choice *c = j < n->nchoices ?
			    &n->choices[j] : &n->on_fail;

			if (c->action == IVR_GOTO && !find_node(m, c->arg))
				confscan_error_at(&p->err, c->line,
				    "no node [%s]", c->arg);
			if (c->next != NULL && !find_node(m, c->next))
				confscan_error_at(&p->err, c->line,
				    "no node [%s]", c->next);
			info |= c->action == IVR_INFO;
		}
	}
	if (m->start == NULL)
		confscan_error(&p->err, "no start node (start = NODE)");
	else if (find_node(m, m->start) == NULL)
		confscan_error_at(&p->err, m->start_line, "no node [%s]",
		    m->start);
	if (m->district_node != NULL && !find_node(m, m->district_node))
		confscan_error_at(&p->err, m->district_line, "no node [%s]",
		    m->district_node);
	else if (info && m->district_node == NULL)
		confscan_error(&p->err, "info is used but district_node is not "
		    "set");
}

static const struct confscan_syntax ivr_syntax = {
	.comment = "#",
	.flags = CONFSCAN_UTF8 | CONFSCAN_UNIQUE_KEYS,
	.section = start_section,
	.key = key_value,
};

struct ivr_menu *
ivr_load(const char *path, struct buf *errors)
{
	struct ivr_parse p;

	memset(&p, 0, sizeof(p));
	p.err.out = errors;
	p.m = xcalloc(1, sizeof(*p.m));
	p.m->path = xstrdup(path);
	if (confscan_file(path, &ivr_syntax, &p, &p.err) == -1) {
		confscan_error_file(&p.err, "%s", strerror(errno));
		ivr_free(p.m);
		return NULL;
	}
	resolve(&p);
	if (p.err.n > 0) {
		ivr_free(p.m);
		return NULL;
	}
	return p.m;
}

void
ivr_free(struct ivr_menu *m)
{
	size_t i, j;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++) {
		free(m->nodes[i].name);
		free(m->nodes[i].prompt);
		for (j = 0; j < m->nodes[i].nchoices; j++)
			choice_clear(&m->nodes[i].choices[j]);
		choice_clear(&m->nodes[i].on_fail);
	}
	free(m->nodes);
	free(m->start);
	free(m->district_node);
	free(m->path);
	free(m);
}

int
ivr_check(const struct ivr_menu *m, const struct prompts *pr,
    const struct district_table *dt, int (*handler_exists)(const char *),
    struct buf *errors)
{
	static const char *const fixed[] = { IVR_KEY_INVALID,
	    IVR_KEY_NO_INPUT, IVR_KEY_GOODBYE, IVR_KEY_CONNECTING,
	    IVR_KEY_SMS_SENT, IVR_KEY_SMS_NOTHING };
	size_t before = errors->len, i, j;

	for (i = 0; i < SP_ARRAY_LEN(fixed); i++)
		if (prompts_get(pr, "en", fixed[i]) == NULL)
			buf_printf(errors, "%s: the voice menu needs prompt "
			    "key %s in en.txt\n", m->path, fixed[i]);
	for (i = 0; i < m->n; i++) {
		const struct ivr_node *n = &m->nodes[i];

		if (prompts_get(pr, "en", n->prompt) == NULL)
			buf_printf(errors, "%s:%zu: no prompt key %s in "
			    "en.txt\n", m->path, n->line, n->prompt);
		for (j = 0; j <= n->nchoices; j++) {
			const struct ivr_choice *c = j < n->nchoices ?
			    &n->choices[j] : &n->on_fail;
			const char *bad = NULL;

			if (c->action == IVR_SAY &&
			    prompts_get(pr, "en", c->arg) == NULL)
				bad = "no such prompt key in en.txt";
			else if (c->action == IVR_DISTRICT &&
			    district_find(dt, c->arg) == NULL)
				bad = "no such district";
			else if (c->action == IVR_LANGUAGE &&
			    !prompts_has_language(pr, c->arg))
				bad = "no prompts for this language";
			else if (c->action == IVR_HANDLER &&
			    handler_exists != NULL &&
			    !handler_exists(c->arg))
				bad = "no such handler";
			if (bad != NULL)
				buf_printf(errors, "%s:%zu: %s %s: %s\n",
				    m->path, c->line, ivr_action_name(c->action),
				    c->arg, bad);
		}
	}
	return errors->len == before ? 0 : -1;
}

/* ---- the state machine ---- */

static void
copy_name(char *dst, const char *src)
{
	util_strlcpy(dst, src != NULL ? src : "", IVR_NAME_MAX);
}

static void
push(struct ivr_state *st)
{
	if (st->node[0] == '\0')
		return;
	if (st->nback == IVR_STACK_MAX) {
		memmove(st->back[0], st->back[1],
		    (IVR_STACK_MAX - 1) * sizeof(st->back[0]));
		st->nback--;
	}
	copy_name(st->back[st->nback++], st->node);
}

static void
move_to(struct ivr_state *st, const char *node)
{
	if (strcmp(st->node, node) == 0)
		return;
	push(st);
	copy_name(st->node, node);
	st->retries = 0;
}

static void
pop(struct ivr_state *st)
{
	if (st->nback == 0)
		return;
	copy_name(st->node, st->back[--st->nback]);
	st->retries = 0;
}

static void
say(struct ivr_result *res, const char *key)
{
	if (res->nsay < IVR_SAY_MAX)
		res->say[res->nsay++] = key;
}

static void
apply(const struct ivr_menu *m, struct ivr_state *st,
    const struct ivr_choice *c, struct ivr_result *res)
{
	switch (c->action) {
	case IVR_NONE:
	case IVR_HANGUP:
		res->action = IVR_HANGUP;
		say(res, IVR_KEY_GOODBYE);
		return;
	case IVR_CONNECT:
		res->action = IVR_CONNECT;
		res->arg = c->arg;
		say(res, IVR_KEY_CONNECTING);
		return;
	case IVR_GOTO:
		move_to(st, c->arg);
		return;
	case IVR_BACK:
		st->pending[0] = st->pending_next[0] = '\0';
		pop(st);
		return;
	case IVR_REPEAT:
		res->action = IVR_REPEAT;
		return;
	case IVR_INFO:
		if (st->district[0] == '\0') {
			/* Ask first; choosing the district completes it. */
			copy_name(st->pending, c->arg);
			copy_name(st->pending_next, c->next);
			move_to(st, m->district_node);
			return;
		}
		res->action = IVR_INFO;
		res->arg = c->arg;
		break;
	case IVR_HANDLER:
		res->action = IVR_HANDLER;
		res->arg = c->arg;
		res->arg2 = c->arg2;
		break;
	case IVR_SAY:
		say(res, c->arg);
		break;
	case IVR_SMS:
		res->action = IVR_SMS;
		break;
	case IVR_LANGUAGE:
		util_strlcpy(st->language, c->arg, sizeof(st->language));
		if (c->next == NULL)
			pop(st);
		break;
	case IVR_DISTRICT:
		copy_name(st->district, c->arg);
		if (st->pending[0] != '\0') {
			/* Complete the request that asked for the district:
			 * back where it was made, then on to its node. */
			res->action = IVR_INFO;
			util_strlcpy(res->arg_buf, st->pending,
			    sizeof(res->arg_buf));
			res->arg = res->arg_buf;
			pop(st);
			if (st->pending_next[0] != '\0' &&
			    find_node(m, st->pending_next) != NULL)
				move_to(st, st->pending_next);
			st->pending[0] = st->pending_next[0] = '\0';
			return;
		}
		if (c->next == NULL)
			pop(st);
		break;
	}
	if (c->next != NULL)
		move_to(st, c->next);
}

void
ivr_step(const struct ivr_menu *m, struct ivr_state *st,
    enum ivr_input input, const char *digits, struct ivr_result *res)
{
	const struct ivr_node *n = find_node(m, st->node), *now;
	const struct ivr_choice *c = NULL;
	size_t i;

	memset(res, 0, sizeof(*res));
	if (input == IVR_IN_START || n == NULL) {
		copy_name(st->node, m->start);
		st->nback = 0;
		st->retries = 0;
		st->pending[0] = st->pending_next[0] = '\0';
		res->event = "start";
		res->from_node = m->start;
	} else {
		res->from_node = n->name;
		if (input == IVR_IN_DIGITS && digits != NULL &&
		    digits[0] != '\0') {
			for (i = 0; i < n->nchoices; i++)
				if (n->choices[i].key == digits[0])
					c = &n->choices[i];
			res->event = c != NULL ? "digit" : "invalid";
		} else
			res->event = "timeout";
		if (c != NULL) {
			st->retries = 0;
			apply(m, st, c, res);
		} else if (++st->retries > n->retries) {
			res->event = "failed";
			st->retries = 0;
			apply(m, st, &n->on_fail, res);
		} else
			say(res, res->event[0] == 'i' ? IVR_KEY_INVALID :
			    IVR_KEY_NO_INPUT);
	}
	if (res->action == IVR_HANGUP || res->action == IVR_CONNECT)
		return;
	now = find_node(m, st->node);
	res->gather = 1;
	res->prompt = now->prompt;
	res->timeout_s = now->timeout_s;
}

int
ivr_node_prompt(const struct ivr_menu *m, const char *node,
    const char **prompt, int *timeout_s)
{
	const struct ivr_node *n = find_node(m, node);

	if (n == NULL)
		return 0;
	*prompt = n->prompt;
	*timeout_s = n->timeout_s;
	return 1;
}

void
ivr_state_back_string(const struct ivr_state *st, char *out, size_t outlen)
{
	struct buf b;
	int i;

	buf_init(&b, 0);
	for (i = 0; i < st->nback && i < IVR_STACK_MAX; i++) {
		if (i > 0)
			buf_putc(&b, '/');
		buf_puts(&b, st->back[i]);
	}
	util_strlcpy(out, buf_cstr(&b), outlen);
	buf_free(&b);
}

void
ivr_state_set_back(struct ivr_state *st, const char *s)
{
	const char *p = s != NULL ? s : "", *slash;
	size_t len;

	st->nback = 0;
	while (*p != '\0' && st->nback < IVR_STACK_MAX) {
		slash = strchr(p, '/');
		len = slash != NULL ? (size_t)(slash - p) : strlen(p);
		if (len > 0 && len < IVR_NAME_MAX) {
			memcpy(st->back[st->nback], p, len);
			st->back[st->nback++][len] = '\0';
		}
		if (slash == NULL)
			break;
		p = slash + 1;
	}
}
