/*
 * api_groups: named groups over the admin API (role coordinator; admin
 * may too).  JSON in and out:
 *
 *   GET    /api/v1/groups                  [{"name","display_name",
 *                                          "members","created"}]
 *   POST   /api/v1/groups                  {"name"} or {"display_name"}
 *                                          (any text: the name is made
 *                                          from it, group_key.h) → 201,
 *                                          or 200 if it existed
 *   GET    /api/v1/groups/NAME             the group and its contacts
 *                                          (at most GROUP_SHOW_MAX), phones
 *                                          masked as the CLI masks them;
 *                                          ?reveal=phones shows them whole,
 *                                          for role admin only (403 else),
 *                                          and is audit-logged
 *   DELETE /api/v1/groups/NAME
 *   POST   /api/v1/groups/NAME/members     {"phones": [...]}
 *   DELETE /api/v1/groups/NAME/members     {"phones": [...]}
 *
 * Member changes are all or nothing: one bad phone and nothing changes
 * (400 naming every bad one).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "admin.h"
#include "api_groups.h"
#include "audience.h"
#include "config.h"
#include "form.h"
#include "group_key.h"
#include "log.h"
#include "phone.h"
#include "provider.h"
#include "runtime.h"
#include "store.h"
#include "util.h"

#define GROUP_SHOW_MAX	1000
#define GROUPS_PREFIX	"/api/v1/groups/"

static void
store_error(struct admin_ctx *ctx, struct admin_response *res)
{
	(void)ctx;
	admin_error(res, 503, "store unavailable");
}

static int
list_one(void *arg, const struct store_group *g)
{
	char when[32];

	util_iso8601(g->created_ms, when);
	json_array_append_new(arg, json_pack("{s:s, s:s, s:I, s:s}", "name",
	    g->name, "display_name", g->display_name ? g->display_name :
	    g->name, "members", (json_int_t)g->members, "created", when));
	return 0;
}

static void
groups_list(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	json_t *a = json_array();

	(void)req;
	(void)role;
	if (store_groups_list(ctx->store, list_one, a) == -1) {
		json_decref(a);
		store_error(ctx, res);
		return;
	}
	admin_json_reply(res, 200, json_pack("{s:o}", "groups", a));
}

/*
 * The key for a display name: derived, and when another group has it
 * (under another display name), the first free alternative.  *existed
 * is set when a group of that display name is there already.  NULL
 * with err set, or on a store error (err "store").
 */
static char *
key_for_display(struct admin_ctx *ctx, const char *display, int *existed,
    char *err, size_t errlen)
{
	struct store_group g;
	char *base, *key;
	unsigned n;
	int rc;

	*existed = 0;
	if ((base = group_key_derive(display, err, errlen)) == NULL)
		return NULL;
	for (n = 1, key = xstrdup(base); n < 100; n++) {
		if (n > 1) {
			free(key);
			key = group_key_alternative(base, n);
		}
		if ((rc = store_group_get(ctx->store, key, &g)) == -1) {
			util_err(err, errlen, "store");
			break;
		}
		*existed = rc == 1 && strcmp(g.display_name != NULL ?
		    g.display_name : g.name, display) == 0;
		store_group_clear(&g);
		if (rc == 0 || *existed) {
			free(base);
			return key;
		}
	}
	if (n == 100)
		util_err(err, errlen, "too many groups named like \"%s\"",
		    base);
	free(base);
	free(key);
	return NULL;
}

static void
groups_create(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	json_t *v = admin_json_body(req, res);
	const char *raw, *display;
	char err[128], *name;
	int rc, existed = 0;

	(void)role;
	if (v == NULL)
		return;
	raw = json_string_value(json_object_get(v, "name"));
	display = json_string_value(json_object_get(v, "display_name"));
	if (display != NULL && strlen(display) > 200) {
		json_decref(v);
		admin_error(res, 400, "\"display_name\": at most 200 bytes");
		return;
	}
	if (raw == NULL && display != NULL)
		name = key_for_display(ctx, display, &existed, err,
		    sizeof(err));
	else
		name = audience_name_normalize(raw, err, sizeof(err));
	if (name == NULL) {
		json_decref(v);
		if (strcmp(err, "store") == 0)
			store_error(ctx, res);
		else
			admin_error(res, 400, err);
		return;
	}
	if ((rc = store_group_create(ctx->store, name, util_wall_ms())) == -1 ||
	    (display != NULL && store_group_set_display(ctx->store, name,
	    display) == -1))
		store_error(ctx, res);
	else
		admin_json_reply(res, rc ? 201 : 200, json_pack("{s:s, s:s, s:b}",
		    "name", name, "display_name", display ? display : name,
		    "created", rc));
	json_decref(v);
	free(name);
}

/*
 * The group named in the path after GROUPS_PREFIX, and whether the path
 * goes on with "/members".  NULL (answered) if the name is bad.
 */
static char *
path_group(const struct sp_request *req, int *members,
    struct admin_response *res)
{
	const char *p = req->path + strlen(GROUPS_PREFIX), *slash;
	char err[128], *raw, *name;

	*members = 0;
	if ((slash = strchr(p, '/')) != NULL) {
		if (strcmp(slash, "/members") != 0) {
			admin_error(res, 404, "no such resource");
			return NULL;
		}
		*members = 1;
	}
	raw = slash ? xstrndup(p, (size_t)(slash - p)) : xstrdup(p);
	name = audience_name_normalize(raw, err, sizeof(err));
	free(raw);
	if (name == NULL)
		admin_error(res, 400, err);
	return name;
}

/* 1 the group exists, 0 answered 404, -1 answered 503. */
static int
group_exists(struct admin_ctx *ctx, const char *name, json_int_t *count,
    char **display, struct admin_response *res)
{
	struct store_group g;
	int rc = store_group_get(ctx->store, name, &g);

	if (rc == 1 && count != NULL)
		*count = (json_int_t)g.members;
	if (rc == 1 && display != NULL)
		*display = xstrdup(g.display_name ? g.display_name : name);
	store_group_clear(&g);
	if (rc == 0)
		admin_error(res, 404, "no such group");
	else if (rc == -1)
		store_error(ctx, res);
	return rc;
}

struct show {
	json_t	*contacts;
	size_t	 n;
	int	 full;
	int	 reveal;
};

static int
show_one(void *arg, const struct contact *c)
{
	struct show *sh = arg;
	char when[32], masked[PHONE_E164_MAX + 1];

	if (sh->n == GROUP_SHOW_MAX) {
		sh->full = 1;
		return -1;
	}
	if (c->opted_out_ms)
		util_iso8601(c->opted_out_ms, when);
	json_array_append_new(sh->contacts, json_pack(
	    "{s:s, s:s?, s:s?, s:s?, s:s?, s:s?}", "phone", sh->reveal ?
	    c->phone : phone_mask(c->phone, masked, sizeof(masked)),
	    "name", c->name, "district", c->district, "language",
	    c->language, "role", c->role, "opted_out",
	    c->opted_out_ms ? when : NULL));
	sh->n++;
	return 0;
}

/*
 * Whether the query asks for whole phone numbers (?reveal=phones): 1 yes,
 * 0 no, -1 answered (a bad query, or a role that may not see them).  A
 * coordinator manages members by the numbers she adds, and needs no list
 * of everyone's whole number; the admin may, as the CLI's --reveal-phones
 * is for whoever holds the database.
 */
static int
wants_phones(const struct sp_request *req, enum admin_role role,
    struct admin_response *res)
{
	struct form f;
	const char *v;
	char err[128];
	int reveal;

	memset(&f, 0, sizeof(f));
	if (form_parse(req->query ? req->query : "", req->query ?
	    strlen(req->query) : 0, &f, err, sizeof(err)) == -1) {
		form_free(&f);
		admin_error(res, 400, err);
		return -1;
	}
	v = form_get(&f, "reveal");
	reveal = v != NULL;
	if (reveal && strcmp(v, "phones") != 0) {
		form_free(&f);
		admin_error(res, 400, "reveal: only \"phones\"");
		return -1;
	}
	form_free(&f);
	if (reveal && role != ROLE_ADMIN) {
		admin_error(res, 403, "only the admin role may reveal phones");
		return -1;
	}
	return reveal;
}

static void
group_show(struct admin_ctx *ctx, const char *name, int reveal,
    enum admin_role role, struct admin_response *res)
{
	struct show sh = { json_array(), 0, 0, reveal };
	struct audience *a;
	json_int_t count = 0;
	char *expr, err[128], *display = NULL;
	int rc;

	if (group_exists(ctx, name, &count, &display, res) != 1) {
		json_decref(sh.contacts);
		return;
	}
	expr = xasprintf("group:%s", name);
	a = audience_parse(expr, err, sizeof(err));
	free(expr);
	rc = a ? store_audience_each(ctx->store, a, 1, show_one, &sh) : -1;
	audience_free(a);
	if (rc == -1 && !sh.full) {
		json_decref(sh.contacts);
		free(display);
		store_error(ctx, res);
		return;
	}
	if (reveal)
		log_info("group_reveal_phones", "group=%s contacts=%zu role=%s",
		    name, sh.n, admin_role_name(role));
	admin_json_reply(res, 200, json_pack("{s:s, s:s, s:I, s:o, s:b, s:s}",
	    "name", name, "display_name", display, "members", count,
	    "contacts", sh.contacts, "truncated", sh.full, "phones", reveal ?
	    "revealed" : "masked"));
	free(display);
}

/* Add (add = 1) or remove the body's phones, all or nothing. */
static void
group_members(struct admin_ctx *ctx, const struct sp_request *req,
    const char *name, int add, struct admin_response *res)
{
	const char *cc = config_str(ctx->rt->cfg, "default_country");
	json_t *v, *phones, *p, *bad;
	char e164[PHONE_E164_MAX + 1], why[128];
	json_int_t changed = 0, same = 0;
	size_t i;
	int rc = 0;

	if (group_exists(ctx, name, NULL, NULL, res) != 1)
		return;
	if ((v = admin_json_body(req, res)) == NULL)
		return;
	phones = json_object_get(v, "phones");
	if (!json_is_array(phones) || json_array_size(phones) == 0 ||
	    json_array_size(phones) > 10000) {
		json_decref(v);
		admin_error(res, 400, "\"phones\" must be an array of 1 to "
		    "10000 phone numbers");
		return;
	}
	bad = json_array();
	json_array_foreach(phones, i, p) {
		if (!json_is_string(p) || phone_to_e164(json_string_value(p),
		    cc, e164, sizeof(e164), why, sizeof(why)) == -1)
			json_array_append_new(bad, json_pack("{s:I, s:s}",
			    "index", (json_int_t)i, "error",
			    json_is_string(p) ? why : "not a string"));
	}
	if (json_array_size(bad) > 0) {
		json_decref(v);
		admin_json_reply(res, 400, json_pack("{s:s, s:o}", "error",
		    "bad phone numbers; nothing changed", "bad", bad));
		return;
	}
	json_decref(bad);
	if (store_begin(ctx->store) == -1) {
		json_decref(v);
		store_error(ctx, res);
		return;
	}
	json_array_foreach(phones, i, p) {
		phone_to_e164(json_string_value(p), cc, e164, sizeof(e164),
		    why, sizeof(why));
		rc = add ? store_group_add(ctx->store, name, e164,
		    util_wall_ms()) : store_group_remove(ctx->store, name, e164);
		if (rc == -1)
			break;
		if (rc == 1)
			changed++;
		else
			same++;
	}
	json_decref(v);
	if (rc == -1 || store_commit(ctx->store) == -1) {
		store_rollback(ctx->store);
		store_error(ctx, res);
		return;
	}
	admin_json_reply(res, 200, add ?
	    json_pack("{s:s, s:I, s:I}", "name", name, "added", changed,
	    "already_members", same) :
	    json_pack("{s:s, s:I, s:I}", "name", name, "removed", changed,
	    "not_members", same));
}

static void
group_item(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	char *name;
	int members, rc, reveal;

	if ((name = path_group(req, &members, res)) == NULL)
		return;
	if (members) {
		if (strcmp(req->method, "GET") == 0 ||
		    strcmp(req->method, "HEAD") == 0)
			admin_error(res, 405, "use GET /api/v1/groups/NAME");
		else
			group_members(ctx, req, name,
			    strcmp(req->method, "POST") == 0, res);
	} else if (strcmp(req->method, "DELETE") == 0) {
		if ((rc = store_group_delete(ctx->store, name)) == -1)
			store_error(ctx, res);
		else if (rc == 0)
			admin_error(res, 404, "no such group");
		else
			admin_json_reply(res, 200, json_pack("{s:s}", "deleted",
			    name));
	} else if (strcmp(req->method, "POST") == 0) {
		admin_error(res, 405, "POST /api/v1/groups/NAME/members");
	} else if ((reveal = wants_phones(req, role, res)) != -1) {
		group_show(ctx, name, reveal, role, res);
	}
	free(name);
}

const struct admin_route api_groups_routes[] = {
	{ "GET", "/api/v1/groups", ROLE_COORDINATOR, 0, groups_list },
	{ "POST", "/api/v1/groups", ROLE_COORDINATOR, 1, groups_create },
	{ "GET", GROUPS_PREFIX "*", ROLE_COORDINATOR, 0, group_item },
	{ "POST", GROUPS_PREFIX "*", ROLE_COORDINATOR, 1, group_item },
	{ "DELETE", GROUPS_PREFIX "*", ROLE_COORDINATOR, 1, group_item },
	{ NULL, NULL, ROLE_NONE, 0, NULL },
};
