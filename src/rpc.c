/* SPDX-License-Identifier: MIT */
/*
 * rpc.c - the JSON-RPC 2.0 envelope (JSON-RPC 2.0 §4-§5): responses, error
 * objects and id checks. Nothing here knows an MCP method.
 */
#include "rpc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "jsonparse.h"

/* see rpc.h */
void
pm_rpc_begin(struct pm_json *w, const struct pm_jv *id)
{
	pm_json_obj_begin(w);
	pm_json_kstr(w, "jsonrpc", "2.0");
	if (id != NULL) {
		pm_json_key(w, "id");
		pm_json_value(w, id);
	}
}

/* see rpc.h */
void
pm_rpc_error_begin(struct pm_json *w, const struct pm_jv *id, int code, const char *msg)
{
	pm_rpc_begin(w, id);
	pm_json_key(w, "error");
	pm_json_obj_begin(w);
	pm_json_ki64(w, "code", code);
	pm_json_kstr(w, "message", msg);
}

/* see rpc.h */
void
pm_rpc_error_end(struct pm_json *w)
{
	pm_json_obj_end(w);
	pm_json_obj_end(w);
}

/* see rpc.h */
void
pm_rpc_error(struct pm_json *w, const struct pm_jv *id, int code, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	size_t limit = w->limit;
	pm_json_free(w);
	pm_json_init(w, limit);
	pm_rpc_error_begin(w, id, code, msg);
	pm_rpc_error_end(w);
}

/* see rpc.h */
bool
pm_rpc_valid_id(const struct pm_jv *id)
{
	return pm_jv_is(id, PM_JV_STR) || (pm_jv_is(id, PM_JV_NUM) && id->is_int);
}

/* see rpc.h */
bool
pm_rpc_same_id(const struct pm_jv *a, const struct pm_jv *b)
{
	if (!pm_rpc_valid_id(a) || !pm_rpc_valid_id(b) || a->type != b->type) {
		return false;
	}
	if (a->type == PM_JV_STR) {
		return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
	}
	return a->i == b->i;
}
