/* SPDX-License-Identifier: MIT */
/*
 * toolcall.c - the registry put together from the groups' rows, and the one
 * call path both MCP and the CLI use: arguments checked against the tool's
 * table, token, sandbox, cache (or a lean pass), handler, error contract.
 */
#include "tools.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"
#include "cache.h"
#include "json.h"
#include "jsonparse.h"
#include "resources.h"
#include "sandbox.h"
#include "urlcap.h"
#include "view.h"

#define PM_TOOLS_MAX PM_ARRAY_LEN(((struct pm_tool_ctx *)0)->enabled)

/* Shared argument rows. */
#define PATH_ROW(req)                                                                              \
	{                                                                                          \
		.name = "path", .type = PM_ARG_STR, .required = (req), .min_length = 1,            \
		.description = "Capture file (.pcap or .pcapng) below the allowed directory; "     \
		               "relative paths are relative to it. May be omitted after "          \
		               "load_pcap_file.",                                                  \
	}
#define SERVER_IP_ROW(req)                                                                         \
	{                                                                                          \
		.name = "server_ip", .type = PM_ARG_STR, .required = (req),                        \
		.description = "Only connections to this server address (IPv4 or IPv6).",          \
	}
const struct pm_tool_arg pm_arg_path = PATH_ROW(false);
const struct pm_tool_arg pm_arg_pcap_file = {
	.name = "pcap_file",
	.type = PM_ARG_STR,
	.min_length = 1,
	.description = "mcpcap's name for path: the same capture file. Give one of the two "
	               "(both only with the same value).",
};
const struct pm_tool_arg pm_arg_path_required = PATH_ROW(true);
const struct pm_tool_arg pm_arg_server_ip = SERVER_IP_ROW(false);
const struct pm_tool_arg pm_arg_server_ip_required = SERVER_IP_ROW(true);
const struct pm_tool_arg pm_arg_auth_token = {
	.name = "auth_token",
	.type = PM_ARG_STR,
	.description = "The server's token (PCAPMCP_TOKEN or PORT_HUNTER_TOKEN), when it "
	               "requires one (PCAPMCP_REQUIRE_TOKEN, or PortHunter's default when "
	               "PORT_HUNTER_TOKEN is set).",
};
const struct pm_tool_arg pm_arg_limit = {
	.name = "limit",
	.type = PM_ARG_INT,
	.description = "Items per list.",
	.has_min = true,
	.has_max = true,
	.max = PM_VIEW_MAX_LIMIT,
	.has_default = true,
	.def = PM_VIEW_DEFAULT_LIMIT,
};
const struct pm_tool_arg pm_arg_offset = {
	.name = "offset",
	.type = PM_ARG_INT,
	.description = "Items skipped before the page.",
	.has_min = true,
	.has_default = true,
};
static const char *const sort_values[] = { "bytes", "packets", "start", NULL };
const struct pm_tool_arg pm_arg_sort = {
	.name = "sort",
	.type = PM_ARG_ENUM,
	.description = "Order of the list: bytes or packets (both directions, most first) or "
	               "start (earliest first).",
	.values = sort_values,
	.has_default = true,
	.def_str = "bytes",
};
const struct pm_tool_arg pm_arg_server_port = {
	.name = "server_port",
	.type = PM_ARG_INT,
	.description = "Only connections to this server port.",
	.has_min = true,
	.has_max = true,
	.max = 65535,
};

const struct pm_field pm_field_int = { .type = PM_F_INT };
const struct pm_field pm_field_str = { .type = PM_F_STR };

const struct pm_field pm_field_page[] = {
	{ .name = "total", .type = PM_F_INT, .description = "items in the whole list" },
	{ .name = "truncated",
	  .type = PM_F_BOOL,
	  .description = "items past this page were left out" },
	{ .name = "limit",
	  .type = PM_F_INT,
	  .description = "items this page could hold (returned, when cut by size)" },
	{ .name = "offset", .type = PM_F_INT, .description = "items skipped before this page" },
	{ 0 },
};

/* The registry: the groups' rows in a fixed order, copied once so indexes are stable. */
static struct pm_tool registry[PM_TOOLS_MAX];
static size_t registry_n;
static pthread_once_t registry_once = PTHREAD_ONCE_INIT;

static void
registry_build(void)
{
	static const struct {
		const struct pm_tool *rows;
		const size_t *n;
	} groups[] = {
		{ pm_tools_capture, &pm_tools_capture_n },
		{ pm_tools_flows, &pm_tools_flows_n },
		{ pm_tools_scans, &pm_tools_scans_n },
		{ pm_tools_protocols, &pm_tools_protocols_n },
		{ pm_tools_enrichment, &pm_tools_enrichment_n },
		{ pm_tools_web, &pm_tools_web_n },
		{ pm_tools_quic, &pm_tools_quic_n },
		{ pm_tools_server, &pm_tools_server_n },
	};
	for (size_t g = 0; g < PM_ARRAY_LEN(groups); g++) {
		for (size_t i = 0; i < *groups[g].n && registry_n < PM_TOOLS_MAX; i++) {
			registry[registry_n++] = groups[g].rows[i];
		}
	}
}

/* see tools.h */
const struct pm_tool *
pm_tools(size_t *n)
{
	pthread_once(&registry_once, registry_build);
	*n = registry_n;
	return registry;
}

/* Guards what every ctx->loaded points at: calls run on several threads. */
static pthread_mutex_t loaded_lock = PTHREAD_MUTEX_INITIALIZER;

/* see tools.h */
size_t
pm_tool_loaded(const struct pm_tool_ctx *ctx, char out[PM_TOOL_PATH_MAX])
{
	pthread_mutex_lock(&loaded_lock);
	snprintf(out, PM_TOOL_PATH_MAX, "%s", ctx->loaded != NULL ? ctx->loaded : "");
	pthread_mutex_unlock(&loaded_lock);
	return strlen(out);
}

/* see tools.h */
void
pm_tool_set_loaded(struct pm_tool_ctx *ctx, const char *path)
{
	pthread_mutex_lock(&loaded_lock);
	if (ctx->loaded != NULL) {
		snprintf(ctx->loaded, PM_TOOL_PATH_MAX, "%s", path);
	}
	pthread_mutex_unlock(&loaded_lock);
}

/* see tools.h */
int
pm_tool_ctx_init(struct pm_tool_ctx *ctx, const struct pm_config *cfg, struct pm_error *err)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->cfg = cfg;
	ctx->cache = malloc(sizeof(*ctx->cache));
	if (ctx->cache == NULL) {
		return pm_error_setc(err, PM_E_NOMEM, PM_EC_INTERNAL_ERROR, 0, "out of memory");
	}
	pm_cache_init(ctx->cache, 0);
	if (cfg != NULL) {
		ctx->cache->opts.reasm_window = cfg->reasm_window_kb << 10;
		ctx->cache->opts.reasm_max_bytes = (size_t)cfg->reasm_max_mb << 20;
	}
	ctx->owns_cache = true;
	size_t n;
	pm_tools(&n);
	for (size_t i = 0; i < n && i < PM_ARRAY_LEN(ctx->enabled); i++) {
		ctx->enabled[i] = true;
	}
	return 0;
}

/* see tools.h */
void
pm_tool_ctx_free(struct pm_tool_ctx *ctx)
{
	if (ctx->owns_cache && ctx->cache != NULL) {
		pm_cache_free(ctx->cache);
		free(ctx->cache);
	}
	ctx->cache = NULL;
	ctx->owns_cache = false;
}

/* see tools.h */
const struct pm_tool *
pm_tool_find(const char *name)
{
	size_t n;
	const struct pm_tool *t = pm_tools(&n);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(t[i].name, name) == 0) {
			return &t[i];
		}
	}
	return NULL;
}

/* see tools.h */
const struct pm_tool_arg *
pm_tool_arg_find(const struct pm_tool *t, const char *name)
{
	for (size_t i = 0; t->args[i] != NULL; i++) {
		if (strcmp(t->args[i]->name, name) == 0) {
			return t->args[i];
		}
	}
	return NULL;
}

/* see tools.h */
const char *
pm_tool_group_name(enum pm_tool_group g)
{
	static const char *const names[PM_GROUP_COUNT] = {
		"capture",    "flows",  "scans",   "protocols",
		"enrichment", "server", "hunting", "packets",
	};
	return (size_t)g < PM_GROUP_COUNT ? names[g] : "unknown";
}

static bool
select_one(struct pm_tool_ctx *ctx, const char *item)
{
	size_t n;
	const struct pm_tool *t = pm_tools(&n);
	bool found = false;
	/* A documented group is a valid name even before its tools land. */
	for (int g = 0; g < PM_GROUP_COUNT && !found; g++) {
		found = strcmp(item, pm_tool_group_name((enum pm_tool_group)g)) == 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (strcmp(item, "all") == 0 || strcmp(item, t[i].name) == 0 ||
		    strcmp(item, pm_tool_group_name(t[i].group)) == 0) {
			ctx->enabled[i] = true;
			found = true;
		}
	}
	return found;
}

/* see tools.h */
int
pm_tools_select(struct pm_tool_ctx *ctx, const char *spec, struct pm_error *err)
{
	char buf[1024];
	if (snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(buf)) {
		return pm_error_set(err, PM_E_MALFORMED, 0, "tool selection too long");
	}
	memset(ctx->enabled, 0, sizeof(ctx->enabled));
	char *save = NULL;
	for (char *item = strtok_r(buf, ", ", &save); item != NULL;
	     item = strtok_r(NULL, ", ", &save)) {
		if (!select_one(ctx, item)) {
			return pm_error_set(
			    err, PM_E_MALFORMED, 0,
			    "unknown tool or group '%s' (groups: capture, flows, "
			    "scans, protocols, enrichment, hunting, packets, server)",
			    item);
		}
	}
	return 0;
}

/* see tools.h */
size_t
pm_tool_result_cap(const struct pm_tool_ctx *ctx)
{
	size_t max = ctx->cfg != NULL ? ctx->cfg->max_result_chars : 0;
	if (max == 0) {
		return 0;
	}
	return max > 2 * PM_TOOL_RESULT_RESERVE ? max - PM_TOOL_RESULT_RESERVE : max / 2;
}

/* see tools.h */
void
pm_tools_now(char out[32])
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t now = sde != NULL && *sde != '\0' ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
	struct tm tm;
	if (gmtime_r(&now, &tm) == NULL || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		snprintf(out, 32, "1970-01-01T00:00:00Z");
	}
}

/*
 * Argument checks.
 */

/* An argument error: invalid_argument and the message. */
#define BAD_ARG(err, ...)                                                                          \
	pm_error_setc((err), PM_E_MALFORMED, PM_EC_INVALID_ARGUMENT, 0, __VA_ARGS__)

/* Every key named in the table, every required argument present. */
static int
check_names(const struct pm_tool *t, const struct pm_jv *args, struct pm_error *err)
{
	if (args != NULL && !pm_jv_is(args, PM_JV_OBJ)) {
		return BAD_ARG(err, "arguments must be an object");
	}
	for (size_t i = 0; args != NULL && i < args->len; i++) {
		const char *k = args->members[i].key;
		if (strlen(k) != args->members[i].key_len || pm_tool_arg_find(t, k) == NULL) {
			return BAD_ARG(err, "%s does not take the argument '%.80s'", t->name, k);
		}
	}
	const struct pm_jv *path = pm_jv_get(args, "path"), *alias = pm_jv_get(args, "pcap_file");
	for (size_t i = 0; t->args[i] != NULL; i++) {
		const char *name = t->args[i]->name;
		bool aliased = strcmp(name, "path") == 0 && alias != NULL;
		if (t->args[i]->required && !aliased && pm_jv_get(args, name) == NULL) {
			return BAD_ARG(err, "%s needs '%s'", t->name, name);
		}
	}
	if (path != NULL && alias != NULL &&
	    (!pm_jv_is(path, PM_JV_STR) || !pm_jv_is(alias, PM_JV_STR) || path->len != alias->len ||
	     memcmp(path->s, alias->s, path->len) != 0)) {
		return BAD_ARG(err, "path and pcap_file name different captures; give one of them");
	}
	return 0;
}

/*
 * A number argument as given: a JSON number, or a string holding one ("60",
 * "0.5"), as PortHunter's Python framework coerces them. The string must be
 * a plain decimal: optional '-', digits, optionally '.' and digits and an
 * exponent; no spaces, signs elsewhere, hex, inf or nan.
 */
static bool
lax_number(const struct pm_jv *v, double *d, bool *integral, int64_t *i)
{
	if (pm_jv_is(v, PM_JV_NUM)) {
		*integral = v->is_int;
		*i = v->i;
		return pm_jv_num(v, d);
	}
	if (!pm_jv_is(v, PM_JV_STR) || v->len == 0 || v->len > 40 || strlen(v->s) != v->len) {
		return false;
	}
	const char *p = v->s + (v->s[0] == '-');
	size_t digits = strspn(p, "0123456789");
	const char *q = p + digits;
	bool frac = *q == '.';
	if (digits == 0 || strspn(q, "0123456789.eE+-") != strlen(q)) {
		return false;
	}
	char *end;
	*d = strtod(v->s, &end);
	if (*end != '\0' || !isfinite(*d)) {
		return false;
	}
	*integral = !frac && q[0] == '\0' && *d >= -9.2e18 && *d <= 9.2e18;
	*i = *integral ? strtoll(v->s, NULL, 10) : 0;
	return true;
}

/* An integer argument, lax as above; false when it is not one. */
static bool
lax_int(const struct pm_jv *v, int64_t *out)
{
	double d;
	bool integral;
	if (!lax_number(v, &d, &integral, out)) {
		return false;
	}
	return integral || pm_jv_int(v, out);
}

/* "bytes, packets or start" into out. */
static void
enum_words(const char *const *values, char *out, size_t cap)
{
	size_t n = 0, len = 0;
	while (values[n] != NULL) {
		n++;
	}
	out[0] = '\0';
	for (size_t i = 0; i < n && len < cap; i++) {
		const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
		int k = snprintf(out + len, cap - len, "%s%s", sep, values[i]);
		len += k > 0 ? (size_t)k : 0;
	}
}

static int
check_number(const struct pm_tool_arg *r, const struct pm_jv *v, struct pm_error *err)
{
	if (r->type == PM_ARG_INT) {
		int64_t x;
		long long lo = r->has_min ? (long long)r->min : INT64_MIN;
		long long hi = r->has_max ? (long long)r->max : INT64_MAX;
		if (!lax_int(v, &x) || x < lo || x > hi) {
			return pm_error_setc(err, PM_E_MALFORMED, PM_EC_INVALID_ARGUMENT, 0,
			                     "%s must be an integer from %lld to %lld", r->name, lo,
			                     hi);
		}
		return 0;
	}
	double x;
	bool integral;
	int64_t ix;
	double lo = r->has_min ? r->min : -HUGE_VAL, hi = r->has_max ? r->max : HUGE_VAL;
	if (!lax_number(v, &x, &integral, &ix) || !(r->exclusive_min ? x > lo : x >= lo) ||
	    !(x <= hi)) {
		return pm_error_setc(err, PM_E_MALFORMED, PM_EC_INVALID_ARGUMENT, 0,
		                     "%s must be a number from %g to %g", r->name, lo, hi);
	}
	return 0;
}

/* A PM_ARG_STRS value: an array of at most max strings of min_length bytes, or a string. */
static int
check_strs(const struct pm_tool_arg *r, const struct pm_jv *v, struct pm_error *err)
{
	if (pm_jv_is(v, PM_JV_STR)) {
		return v->len < r->min_length ? BAD_ARG(err, "%s must not be empty", r->name) : 0;
	}
	if (!pm_jv_is(v, PM_JV_ARR)) {
		return BAD_ARG(err, "%s must be an array of strings", r->name);
	}
	if (r->has_max && (double)v->len > r->max) {
		return BAD_ARG(err, "%s takes at most %.0f items", r->name, r->max);
	}
	for (size_t i = 0; i < v->len; i++) {
		const struct pm_jv *it = &v->items[i];
		if (!pm_jv_is(it, PM_JV_STR) || it->len < r->min_length || pm_jv_str(it) == NULL) {
			return BAD_ARG(err, "%s: item %zu must be a non-empty string", r->name,
			               i + 1);
		}
	}
	return 0;
}

/* Each given value of its type, within its bounds, one of its values. */
static int
check_values(const struct pm_tool *t, const struct pm_jv *args, struct pm_error *err)
{
	for (size_t i = 0; t->args[i] != NULL; i++) {
		const struct pm_tool_arg *r = t->args[i];
		const struct pm_jv *v = pm_jv_get(args, r->name);
		if (v == NULL) {
			continue;
		}
		int rc = 0;
		switch (r->type) {
		case PM_ARG_INT:
		case PM_ARG_NUM:
			rc = check_number(r, v, err);
			break;
		case PM_ARG_STRS:
			rc = check_strs(r, v, err);
			break;
		case PM_ARG_BOOL:
			if (!pm_jv_is(v, PM_JV_BOOL)) {
				rc = BAD_ARG(err, "%s must be true or false", r->name);
			}
			break;
		case PM_ARG_STR:
		case PM_ARG_ENUM:
			if (!pm_jv_is(v, PM_JV_STR)) {
				rc = BAD_ARG(err, "%s must be a string", r->name);
			} else if (v->len < r->min_length) {
				rc = BAD_ARG(err, "%s must not be empty", r->name);
			} else if (r->type == PM_ARG_ENUM) {
				bool found = false;
				for (size_t k = 0; r->values[k] != NULL && !found; k++) {
					found = strcmp(v->s, r->values[k]) == 0;
				}
				char words[96];
				enum_words(r->values, words, sizeof(words));
				rc = found ? 0 : BAD_ARG(err, "%s must be %s", r->name, words);
			}
			break;
		}
		if (rc != 0) {
			return rc;
		}
	}
	return 0;
}

/* see tools.h */
int
pm_tool_check_args(const struct pm_tool *t, const struct pm_jv *args, struct pm_error *err)
{
	int rc = check_names(t, args, err);
	return rc != 0 ? rc : check_values(t, args, err);
}

/*
 * Typed reads.
 */

/* see tools.h */
bool
pm_arg_given(const struct pm_tool_args *a, const char *name)
{
	return pm_jv_get(a->v, name) != NULL;
}

/* see tools.h */
int64_t
pm_arg_int(const struct pm_tool_args *a, const char *name)
{
	int64_t x;
	if (lax_int(pm_jv_get(a->v, name), &x)) {
		return x;
	}
	const struct pm_tool_arg *r = pm_tool_arg_find(a->tool, name);
	return r != NULL && r->has_default ? (int64_t)r->def : 0;
}

/* see tools.h */
double
pm_arg_num(const struct pm_tool_args *a, const char *name)
{
	double x;
	bool integral;
	int64_t ix;
	if (lax_number(pm_jv_get(a->v, name), &x, &integral, &ix)) {
		return x;
	}
	const struct pm_tool_arg *r = pm_tool_arg_find(a->tool, name);
	return r != NULL && r->has_default ? r->def : 0.0;
}

/* see tools.h */
const char *
pm_arg_str(const struct pm_tool_args *a, const char *name)
{
	const char *s = pm_jv_str(pm_jv_get(a->v, name));
	if (s != NULL) {
		return s;
	}
	const struct pm_tool_arg *r = pm_tool_arg_find(a->tool, name);
	return r != NULL && r->has_default ? r->def_str : NULL;
}

/* see tools.h */
const struct pm_jv *
pm_arg_value(const struct pm_tool_args *a, const char *name)
{
	return pm_jv_get(a->v, name);
}

/* see tools.h */
bool
pm_arg_bool(const struct pm_tool_args *a, const char *name)
{
	const struct pm_jv *v = pm_jv_get(a->v, name);
	if (pm_jv_is(v, PM_JV_BOOL)) {
		return v->b;
	}
	const struct pm_tool_arg *r = pm_tool_arg_find(a->tool, name);
	return r != NULL && r->has_default && r->def != 0;
}

/*
 * The call path.
 */

static int
fail(struct pm_json *w, const struct pm_error *err, bool *is_error)
{
	char at[32];
	enum pm_ecode code = pm_error_ecode(err);
	*is_error = true;
	pm_json_obj_begin(w);
	pm_json_kbool(w, "ok", false);
	pm_json_kstr(w, "error", pm_ecode_name(code));
	pm_json_kstr(w, "message", err->msg);
	if (code == PM_EC_CAPTURE_DAMAGED) {
		pm_json_ku64(w, "offset", err->offset);
	}
	pm_tools_now(at);
	pm_json_kstr(w, "generated_at", at);
	pm_json_obj_end(w);
	return pm_json_finish(w);
}

/*
 * Open the capture a call is about (its `path`, else the loaded one) through
 * the sandbox, which checks the file and hands back the descriptor it
 * checked, so the file analysed is the file checked. Returns the descriptor
 * (the caller closes it) or -1 with err filled.
 */
static int
capture_open(struct pm_tool_ctx *ctx, const struct pm_jv *args, char out[PATH_MAX],
             struct pm_error *err)
{
	const struct pm_jv *v = pm_jv_get(args, "path");
	char loaded[PM_TOOL_PATH_MAX];
	const char *path = loaded;
	size_t len = pm_tool_loaded(ctx, loaded);
	char uri_path[PATH_MAX];
	if (v == NULL) {
		v = pm_jv_get(args, "pcap_file"); /* the same value when both are given */
	}
	if (v != NULL) {
		path = v->s; /* a string: check_values saw to it */
		len = v->len;
	} else if (len == 0) {
		pm_error_setc(err, PM_E_MALFORMED, PM_EC_INVALID_ARGUMENT, 0,
		              "path is required (or call load_pcap_file first)");
		return -1;
	}
	/* mcpcap's pcap_file: "https://...": fetched under urlcap.h's rules. */
	if (pm_urlcap_is_url(path, len)) {
		return pm_urlcap_open(ctx->cfg, path, len, out, err);
	}
	/* A resource URI from resources/list names the same file. */
	if (len > 7 && strncmp(path, "file://", 7) == 0 && strlen(path) == len) {
		if (pm_resources_uri_path(path, uri_path, sizeof(uri_path)) != 0) {
			pm_error_setc(err, PM_E_MALFORMED, PM_EC_INVALID_ARGUMENT, 0,
			              "path is a file:// URI that does not decode to a path "
			              "(file:///absolute/path, %%XX escapes)");
			return -1;
		}
		path = uri_path;
		len = strlen(uri_path);
	}
	if (ctx->open != NULL) {
		return ctx->open(path, len, out, PATH_MAX, err);
	}
	int fd = -1;
	return pm_sandbox_open(ctx->cfg, path, len, out, &fd, err) == 0 ? fd : -1;
}

/*
 * The lean path (CLI `info`): capinfos facts only, no cache, so a large
 * capture costs a few MiB. Returns the analysis (the caller frees it with
 * pm_analysis_free and free) or NULL with err filled.
 */
static struct pm_analysis *
lean_run(struct pm_tool_ctx *ctx, int fd, const char *path, struct pm_error *err)
{
	struct pm_analysis_opts o = { 0 };
	if (ctx->cache != NULL) {
		o = ctx->cache->opts;
	}
	o.info_only = true;
	o.io = (enum pm_io)ctx->io;
	struct pm_analysis *a = malloc(sizeof(*a));
	if (a == NULL) {
		pm_error_setc(err, PM_E_NOMEM, PM_EC_INTERNAL_ERROR, 0, "out of memory");
		return NULL;
	}
	int rc = pm_analysis_run_fd(a, fd, path, &o, err);
	if (rc != 0) {
		free(a);
		if (err->ecode == PM_EC_NONE) {
			err->ecode = pm_ecode_for_read(rc);
		}
		return NULL;
	}
	return a;
}

/* see tools.h */
int
pm_tools_call(struct pm_tool_ctx *ctx, const struct pm_tool *t, const struct pm_jv *args,
              struct pm_json *w, bool *is_error)
{
	struct pm_error err = { 0 };
	*is_error = false;
	if (check_names(t, args, &err) != 0) {
		return fail(w, &err, is_error);
	}
	const struct pm_jv *token = pm_jv_get(args, "auth_token");
	/* A tool that needs no token still refuses a wrong one. */
	bool exempt = t->no_token && token == NULL;
	if (!exempt && ((token != NULL && !pm_jv_is(token, PM_JV_STR)) ||
	                !pm_sandbox_token_ok(ctx->cfg, pm_jv_str(token)))) {
		pm_error_setc(&err, PM_E_MALFORMED, PM_EC_UNAUTHORIZED, 0,
		              "this server requires auth_token equal to the token in %s",
		              ctx->cfg->token_var != NULL ? ctx->cfg->token_var : "PCAPMCP_TOKEN");
		return fail(w, &err, is_error);
	}
	if (check_values(t, args, &err) != 0) {
		return fail(w, &err, is_error);
	}
	const struct pm_analysis *a = NULL;
	struct pm_analysis *own = NULL;
	if (t->reads_capture) {
		char path[PATH_MAX];
		int fd = capture_open(ctx, args, path, &err);
		if (fd < 0) {
			return fail(w, &err, is_error);
		}
		if (ctx->lean && t->info_only) {
			a = own = lean_run(ctx, fd, path, &err);
		} else {
			if (ctx->io != 0) {
				ctx->cache->opts.io =
				    (enum pm_io)ctx->io; /* one-shot CLI: no other call */
			}
			const struct pm_cache_hooks h = { ctx->progress, ctx->cancelled,
				                          ctx->opaque };
			a = pm_cache_get(ctx->cache, fd, path, &h, &err);
		}
		close(fd);
		if (a == NULL) {
			return fail(w, &err, is_error);
		}
	}
	struct pm_tool_args ta = { .tool = t, .v = args };
	pm_json_obj_begin(w);
	pm_json_kbool(w, "ok", true);
	int rc = t->fn(ctx, a, &ta, w, &err);
	if (own != NULL) {
		pm_analysis_free(own);
		free(own);
	} else if (a != NULL) {
		pm_cache_put(ctx->cache, a);
	}
	if (rc != 0) {
		bool pretty = w->pretty;
		size_t limit = w->limit;
		pm_json_free(w);
		pm_json_init(w, limit);
		w->pretty = pretty;
		return fail(w, &err, is_error);
	}
	char at[32];
	pm_tools_now(at);
	pm_json_kstr(w, "generated_at", at);
	pm_json_obj_end(w);
	return pm_json_finish(w);
}
