/*
 * api_import: the common start of the console's imports (api_import.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "admin.h"
#include "api_import.h"
#include "config.h"
#include "runtime.h"
#include "util.h"

static void
import_free(void *arg)
{
	struct api_import *ij = arg;

	json_decref(ij->body);
	free(ij);
}

void
api_import_start(struct admin_ctx *ctx, const struct sp_request *req,
    struct admin_response *res, const char *heads, api_job_work *work)
{
	struct api_import *ij;
	json_t *v, *csv, *cols;
	char err[160];

	if ((v = admin_json_body(req, res)) == NULL)
		return;
	csv = json_object_get(v, "csv");
	cols = json_object_get(v, "columns");
	if (!json_is_string(csv) || (cols != NULL && !json_is_null(cols) &&
	    !json_is_object(cols))) {
		json_decref(v);
		snprintf(err, sizeof(err), "\"csv\" (the file's text) is "
		    "required; \"columns\" maps %s to columns", heads);
		admin_error(res, 400, err);
		return;
	}
	ij = xcalloc(1, sizeof(*ij));
	ij->body = v;
	ij->csv = json_string_value(csv);
	ij->columns = json_is_object(cols) ? cols : NULL;
	ij->kw = ctx->rt->keywords;
	ij->dt = ctx->rt->districts;
	ij->cc = config_str(ctx->rt->cfg, "default_country");
	ij->replace = json_is_true(json_object_get(v, "replace"));
	ij->commit = json_is_true(json_object_get(v, "commit"));
	ij->now_ms = util_wall_ms();
	api_job_start(ctx, res, work, ij, import_free, 0);
}
