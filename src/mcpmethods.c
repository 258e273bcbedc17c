/* SPDX-License-Identifier: MIT */
/*
 * mcpmethods.c - the MCP methods: initialize, server/discover, ping,
 * logging/setLevel, tools, prompts and capture resources, each writing one
 * result (or error) for a request the dispatcher (mcp.c) checked. A tool
 * runs with this request's progress notifications and cancellation; its
 * result is written once and embedded as structuredContent and as the text
 * block without being parsed back.
 *
 * References: MCP 2025-11-25 basic/lifecycle, basic/utilities (progress,
 * cancellation), server/tools, prompts, resources; MCP 2026-07-28 schema.ts
 * (server/discover, resultType, CacheableResult).
 */
#include "mcpmethods.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "json.h"
#include "jsonparse.h"
#include "mcp.h"
#include "prompts.h"
#include "resources.h"
#include "rpc.h"
#include "sandbox.h"

#define MCP_NOT_FOUND   (-32002) /* MCP 2025-11-25 resources: resource not found */
#define PROMPT_MAX_PATH 1024     /* bytes of path a prompt embeds */
#define META_SERVER     "io.modelcontextprotocol/serverInfo"

static const char *const versions[] = { "2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25",
	                                "2026-07-28" };
#define N_LEGACY      4 /* versions[0..3] use the initialize handshake */
#define LATEST_LEGACY "2025-11-25"

static const char *const levels[] = { "debug", "info",     "notice", "warning",
	                              "error", "critical", "alert",  "emergency" };

static const char instructions[] =
    "pcapmcp analyses PCAP and PCAPNG network captures. Start with analyze_capinfos or "
    "get_pcap_summary on a capture, then use the flow, TCP and protocol tools to dig into "
    "what they show. Paths are relative to the server's allowed directory (get_info shows "
    "it, resources/list lists the captures); load_pcap_file lets later calls omit path. "
    "Lists are paged: results carry total and truncated, and tools take limit and offset.";

static void
server_info(struct pm_json *w, bool full)
{
	pm_json_obj_begin(w);
	pm_json_kstr(w, "name", "pcapmcp");
	pm_json_kstr(w, "version", PM_VERSION);
	if (full) {
		pm_json_kstr(w, "title", "pcapmcp: PCAP and PCAPNG analysis");
	}
	pm_json_obj_end(w);
}

static void
begin_result(struct pm_json *w, const struct pm_mcp_req *r)
{
	pm_rpc_begin(w, r->id);
	pm_json_key(w, "result");
	pm_json_obj_begin(w);
}

static void
end_result(struct pm_json *w, const struct pm_mcp_req *r)
{
	if (r->modern) {
		pm_json_kstr(w, "resultType", "complete");
		pm_json_key(w, "_meta");
		pm_json_obj_begin(w);
		pm_json_key(w, META_SERVER);
		server_info(w, false);
		pm_json_obj_end(w);
	}
	pm_json_obj_end(w);
	pm_json_obj_end(w);
}

/* CacheableResult members (2026-07-28), only in modern results. */
static void
cacheable(struct pm_json *w, const struct pm_mcp_req *r, const char *scope)
{
	if (r->modern) {
		pm_json_ku64(w, "ttlMs", PM_MCP_TTL_MS);
		pm_json_kstr(w, "cacheScope", scope);
	}
}

static void
capabilities(struct pm_json *w)
{
	pm_json_obj_begin(w);
	pm_json_key(w, "tools");
	pm_json_obj_begin(w);
	pm_json_kbool(w, "listChanged", false);
	pm_json_obj_end(w);
	pm_json_key(w, "prompts");
	pm_json_obj_begin(w);
	pm_json_kbool(w, "listChanged", false);
	pm_json_obj_end(w);
	pm_json_key(w, "resources");
	pm_json_obj_begin(w);
	pm_json_kbool(w, "subscribe", false);
	pm_json_kbool(w, "listChanged", false);
	pm_json_obj_end(w);
	pm_json_key(w, "logging");
	pm_json_obj_begin(w);
	pm_json_obj_end(w);
	pm_json_obj_end(w);
}

static bool
is_version(const char *s, size_t n)
{
	for (size_t i = 0; s != NULL && i < n; i++) {
		if (strcmp(s, versions[i]) == 0) {
			return true;
		}
	}
	return false;
}

/* see mcpmethods.h */
bool
pm_mcp_version_ok(const char *s)
{
	return is_version(s, PM_ARRAY_LEN(versions));
}

/* see mcpmethods.h */
void
pm_mcp_versions(struct pm_json *w)
{
	pm_json_arr_begin(w);
	for (size_t i = 0; i < PM_ARRAY_LEN(versions); i++) {
		pm_json_str(w, versions[i]);
	}
	pm_json_arr_end(w);
}

/*
 * Progress and cancellation of one request's tool call. The cache calls
 * these under its lock, from the thread running the pass the request waits
 * for (maybe another request's), so they are never called concurrently.
 */
struct hooks {
	struct pm_mcp *m;
	struct pm_mcpio_call *call; /* NULL: cannot be cancelled */
	const struct pm_jv *token;  /* progress token, NULL when none */
	uint64_t last;              /* last progress value sent */
	bool observed;              /* on_cancelled said true: the pass may have stopped */
};

static bool
on_cancelled(void *opaque)
{
	struct hooks *h = opaque;
	if (h->call == NULL || atomic_load(&h->call->cancelled) == PM_MCPIO_RUN) {
		return false;
	}
	h->observed = true;
	return true;
}

static void
on_progress(void *opaque, uint64_t done, uint64_t total)
{
	struct hooks *h = opaque;
	/* At most about 100 notifications a call: one per 1% of the file. */
	if (h->token == NULL || done <= h->last || (h->last != 0 && done - h->last < total / 100)) {
		return;
	}
	h->last = done;
	struct pm_json w;
	char msg[96];
	pm_json_init(&w, 4096);
	pm_json_obj_begin(&w);
	pm_json_kstr(&w, "jsonrpc", "2.0");
	pm_json_kstr(&w, "method", "notifications/progress");
	pm_json_key(&w, "params");
	pm_json_obj_begin(&w);
	pm_json_key(&w, "progressToken");
	pm_json_value(&w, h->token);
	pm_json_ku64(&w, "progress", done);
	if (total >= done) {
		pm_json_ku64(&w, "total", total);
	}
	snprintf(msg, sizeof(msg), "analysed %llu of %llu MiB", (unsigned long long)(done >> 20),
	         (unsigned long long)(total >> 20));
	pm_json_kstr(&w, "message", msg);
	pm_json_obj_end(&w);
	pm_json_obj_end(&w);
	if (pm_json_finish(&w) == 0) {
		pm_mcpio_send(&h->m->io, w.buf, w.len);
	}
	pm_json_free(&w);
}

/*
 * Run a tool for request r with its progress and cancellation wired in.
 * Returns pm_tools_call's result, or 1 when the request gets no response:
 * the client cancelled it, or went away and its pass stopped.
 */
static int
run_tool(struct pm_mcp *m, const struct pm_mcp_req *r, const struct pm_tool *t,
         const struct pm_jv *args, struct pm_json *tw, bool *is_error)
{
	const struct pm_jv *token = pm_jv_get(pm_jv_get(r->params, "_meta"), "progressToken");
	struct hooks h = { .m = m,
		           .call = r->call,
		           .token = pm_rpc_valid_id(token) ? token : NULL };
	struct pm_tool_ctx ctx = m->ctx;
	ctx.progress = on_progress;
	ctx.cancelled = on_cancelled;
	ctx.opaque = &h;
	int rc = pm_tools_call(&ctx, t, args, tw, is_error);
	int stop = r->call != NULL ? atomic_load(&r->call->cancelled) : PM_MCPIO_RUN;
	if (stop == PM_MCPIO_CANCEL || (stop == PM_MCPIO_GONE && h.observed)) {
		fprintf(stderr, "pcapmcp: %s cancelled\n", t->name);
		return 1;
	}
	return rc;
}

/* Methods. Each writes exactly one response to w. */

static void
do_initialize(struct pm_mcp *m, const struct pm_mcp_req *r, struct pm_json *w)
{
	const char *want = pm_jv_str(pm_jv_get(r->params, "protocolVersion"));
	if (want == NULL) {
		pm_rpc_error(w, r->id, PM_RPC_INVALID_PARAMS,
		             "Invalid params: initialize needs protocolVersion as a string");
		return;
	}
	const char *v = is_version(want, N_LEGACY) ? want : LATEST_LEGACY;
	pthread_mutex_lock(&m->lock);
	snprintf(m->version, sizeof(m->version), "%s", v);
	m->initialized = true;
	pthread_mutex_unlock(&m->lock);
	begin_result(w, r);
	pm_json_kstr(w, "protocolVersion", v);
	pm_json_key(w, "capabilities");
	capabilities(w);
	pm_json_key(w, "serverInfo");
	server_info(w, true);
	pm_json_kstr(w, "instructions", instructions);
	end_result(w, r);
}

static void
do_discover(struct pm_mcp *m, const struct pm_mcp_req *r, struct pm_json *w)
{
	(void)m;
	struct pm_mcp_req modern = *r;
	modern.modern = true;
	begin_result(w, &modern);
	pm_json_key(w, "supportedVersions");
	pm_mcp_versions(w);
	pm_json_key(w, "capabilities");
	capabilities(w);
	pm_json_kstr(w, "instructions", instructions);
	cacheable(w, &modern, "public");
	end_result(w, &modern);
}

static void
do_ping(struct pm_mcp *m, const struct pm_mcp_req *r, struct pm_json *w)
{
	(void)m;
	begin_result(w, r);
	end_result(w, r);
}

static void
do_set_level(struct pm_mcp *m, const struct pm_mcp_req *r, struct pm_json *w)
{
	const char *level = pm_jv_str(pm_jv_get(r->params, "level"));
	for (size_t i = 0; level != NULL && i < PM_ARRAY_LEN(levels); i++) {
		if (strcmp(level, levels[i]) == 0) {
			pthread_mutex_lock(&m->lock);
			m->log_level = (int)i;
			pthread_mutex_unlock(&m->lock);
			do_ping(m, r, w);
			return;
		}
	}
	pm_rpc_error(w, r->id, PM_RPC_INVALID_PARAMS,
	             "Invalid params: level must be one of debug, info, notice, warning, error, "
	             "critical, alert, emergency");
}

/* The enabled tool called name, or NULL. */
static const struct pm_tool *
enabled_tool(const struct pm_mcp *m, const char *name)
{
	size_t n;
	const struct pm_tool *all = pm_tools(&n);
	const struct pm_tool *t = name != NULL ? pm_tool_find(name) : NULL;
	if (t == NULL) {
		return NULL;
	}
	size_t i = (size_t)(t - all);
	return i < n && i < PM_ARRAY_LEN(m->ctx.enabled) && m->ctx.enabled[i] ? t : NULL;
}

static void
do_tools_list(struct pm_mcp *m, const struct pm_mcp_req *r, struct pm_json *w)
{
	size_t n;
	const struct pm_tool *t = pm_tools(&n);
	begin_result(w, r);
	pm_json_key(w, "tools");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < n; i++) {
		if (enabled_tool(m, t[i].name) == NULL) {
			continue;
		}
		pm_json_obj_begin(w);
		pm_json_kstr(w, "name", t[i].name);
		pm_json_kstr(w, "title", t[i].title);
		pm_json_kstr(w, "description", t[i].description);
		pm_json_key(w, "inputSchema");
		pm_tool_input_schema(w, &t[i]);
		pm_json_key(w, "outputSchema");
		pm_tool_output_schema(w, &t[i]);
		pm_json_key(w, "annotations");
		pm_json_obj_begin(w);
		pm_json_kstr(w, "title", t[i].title);
		pm_json_kbool(w, "readOnlyHint", true);
		pm_json_kbool(w, "destructiveHint", false);
		pm_json_kbool(w, "idempotentHint", true);
		pm_json_kbool(w, "openWorldHint", t[i].open_world);
		pm_json_obj_end(w);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	cacheable(w, r, "public");
	end_result(w, r);
}

static void
do_tools_call(struct pm_mcp *m, const struct pm_mcp_req *r, struct pm_json *w)
{
	const char *name = pm_jv_str(pm_jv_get(r->params, "name"));
	const struct pm_jv *args = pm_jv_get(r->params, "arguments");
	if (name == NULL) {
		pm_rpc_error(w, r->id, PM_RPC_INVALID_PARAMS,
		             "Invalid params: tools/call needs name as a string");
		return;
	}
	const struct pm_tool *t = enabled_tool(m, name);
	if (t == NULL) {
		pm_rpc_error(w, r->id, PM_RPC_INVALID_PARAMS, "Unknown tool: %.100s", name);
		return;
	}
	if (args != NULL && !pm_jv_is(args, PM_JV_OBJ)) {
		pm_rpc_error(w, r->id, PM_RPC_INVALID_PARAMS,
		             "Invalid params: arguments must be an object");
		return;
	}
	struct pm_json tw;
	bool is_error = false;
	pm_json_init(&tw, PM_MCP_MAX_RESULT);
	int rc = run_tool(m, r, t, args, &tw, &is_error);
	if (rc == 1) {
		goto out_free; /* cancelled: no response */
	}
	if (rc != 0) {
		pm_rpc_error(w, r->id, PM_RPC_INTERNAL_ERROR,
		             rc == PM_E_LIMIT
		                 ? "Internal error: the result of %s is too large; ask "
		                   "for fewer items with limit and offset"
		                 : "Internal error: %s could not produce its result",
		             t->name);
		goto out_free;
	}
	begin_result(w, r);
	pm_json_key(w, "content");
	pm_json_arr_begin(w);
	pm_json_obj_begin(w);
	pm_json_kstr(w, "type", "text");
	pm_json_key(w, "text");
	pm_json_strn(w, tw.buf, tw.len);
	pm_json_obj_end(w);
	pm_json_arr_end(w);
	pm_json_key(w, "structuredContent");
	pm_json_raw(w, tw.buf, tw.len); /* pm_tools_call finished it: valid JSON */
	pm_json_kbool(w, "isError", is_error);
	end_result(w, r);
out_free:
	pm_json_free(&tw);
}

static void
do_prompts_list(struct pm_mcp *m, const struct pm_mcp_req *r, struct pm_json *w)
{
	(void)m;
	size_t n;
	const struct pm_prompt *p = pm_prompts(&n);
	begin_result(w, r);
	pm_json_key(w, "prompts");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < n; i++) {
		pm_json_obj_begin(w);
		pm_json_kstr(w, "name", p[i].name);
		pm_json_kstr(w, "title", p[i].title);
		pm_json_kstr(w, "description", p[i].description);
		pm_json_key(w, "arguments");
		pm_json_arr_begin(w);
		pm_json_obj_begin(w);
		pm_json_kstr(w, "name", "path");
		pm_json_kstr(w, "description",
		             "The capture to examine, relative to the server's allowed directory");
		pm_json_kbool(w, "required", true);
		pm_json_obj_end(w);
		pm_json_arr_end(w);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	cacheable(w, r, "public");
	end_result(w, r);
}

static void append(char *buf, size_t cap, size_t *len, const char *fmt, ...) PM_PRINTF(4, 5);

static void
append(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(buf + *len, cap - *len, fmt, ap);
	va_end(ap);
	*len = k < 0 ? *len : (size_t)k >= cap - *len ? cap - 1 : *len + (size_t)k;
}

static void
do_prompts_get(struct pm_mcp *m, const struct pm_mcp_req *r, struct pm_json *w)
{
	const char *name = pm_jv_str(pm_jv_get(r->params, "name"));
	const struct pm_prompt *p = name != NULL ? pm_prompt_find(name) : NULL;
	const char *path = pm_jv_str(pm_jv_get(pm_jv_get(r->params, "arguments"), "path"));
	if (p == NULL) {
		pm_rpc_error(w, r->id, PM_RPC_INVALID_PARAMS, "Unknown prompt: %.100s",
		             name != NULL ? name : "(name must be a string)");
		return;
	}
	if (path == NULL || path[0] == '\0' || strlen(path) > PROMPT_MAX_PATH) {
		pm_rpc_error(w, r->id, PM_RPC_INVALID_PARAMS,
		             "Invalid params: prompt %s needs the argument path (a capture path "
		             "of at most %d bytes)",
		             p->name, PROMPT_MAX_PATH);
		return;
	}
	char text[8192];
	size_t len = 0;
	unsigned k = 0;
	append(text, sizeof(text), &len,
	       "%s \"%s\" with the pcapmcp tools. Paths are relative to the server's allowed "
	       "directory. Call the tools in this order, passing path \"%s\":\n",
	       p->intro, path, path);
	for (size_t i = 0; i < p->nsteps; i++) {
		if (enabled_tool(m, p->steps[i].tool) != NULL) {
			append(text, sizeof(text), &len, "%u. %s: %s.\n", ++k, p->steps[i].tool,
			       p->steps[i].why);
		}
	}
	append(text, sizeof(text), &len,
	       "Lists are paged: when a result says truncated, call again with a larger offset "
	       "or a narrower filter rather than a huge limit. %s",
	       p->outro);
	begin_result(w, r);
	pm_json_kstr(w, "description", p->description);
	pm_json_key(w, "messages");
	pm_json_arr_begin(w);
	pm_json_obj_begin(w);
	pm_json_kstr(w, "role", "user");
	pm_json_key(w, "content");
	pm_json_obj_begin(w);
	pm_json_kstr(w, "type", "text");
	pm_json_kstr(w, "text", text);
	pm_json_obj_end(w);
	pm_json_obj_end(w);
	pm_json_arr_end(w);
	end_result(w, r);
}

/* Resources: the captures under the allowed directory. */

static void
do_resources_list(struct pm_mcp *m, const struct pm_mcp_req *r, struct pm_json *w)
{
	const struct pm_jv *cur = pm_jv_get(r->params, "cursor");
	char next[PM_RESOURCES_CURSOR_MAX];
	if (cur != NULL && pm_jv_str(cur) == NULL) {
		pm_rpc_error(w, r->id, PM_RPC_INVALID_PARAMS,
		             "Invalid params: cursor must be a string");
		return;
	}
	begin_result(w, r);
	pm_json_key(w, "resources");
	int rc = pm_resources_list_page(w, m->cfg->allowed_dir, r->a, pm_jv_str(cur), next);
	if (rc == PM_E_MALFORMED) {
		pm_rpc_error(w, r->id, PM_RPC_INVALID_PARAMS, "Invalid params: unknown cursor");
		return;
	}
	if (rc != 0) {
		pm_rpc_error(w, r->id, PM_RPC_INTERNAL_ERROR, "Internal error: out of memory");
		return;
	}
	if (next[0] != '\0') {
		pm_json_kstr(w, "nextCursor", next);
	}
	cacheable(w, r, "public");
	end_result(w, r);
}

static void
do_templates_list(struct pm_mcp *m, const struct pm_mcp_req *r, struct pm_json *w)
{
	begin_result(w, r);
	pm_json_key(w, "resourceTemplates");
	pm_resources_templates(w, m->cfg->allowed_dir);
	cacheable(w, r, "public");
	end_result(w, r);
}

static void
do_resources_read(struct pm_mcp *m, const struct pm_mcp_req *r, struct pm_json *w)
{
	const char *uri = pm_jv_str(pm_jv_get(r->params, "uri"));
	char path[PATH_MAX], resolved[PATH_MAX];
	struct pm_error err = { 0 };
	if (uri == NULL) {
		pm_rpc_error(w, r->id, PM_RPC_INVALID_PARAMS,
		             "Invalid params: resources/read needs uri as a string");
		return;
	}
	if (pm_resources_uri_path(uri, path, sizeof(path)) != 0 ||
	    pm_sandbox_resolve(m->cfg, path, resolved, &err) != 0) {
		pm_rpc_error_begin(w, r->id, r->modern ? PM_RPC_INVALID_PARAMS : MCP_NOT_FOUND,
		                   "Resource not found");
		pm_json_key(w, "data");
		pm_json_obj_begin(w);
		pm_json_kstr(w, "uri", uri);
		pm_json_obj_end(w);
		pm_rpc_error_end(w);
		return;
	}
	/* The arguments a client would pass to analyze_capinfos, built in memory. */
	const struct pm_jv *token = pm_jv_get(r->params, "auth_token");
	struct pm_jv_member members[2] = {
		{ .key = "path",
		  .key_len = 4,
		  .value = { .type = PM_JV_STR, .s = resolved, .len = strlen(resolved) } },
		{ .key = "auth_token", .key_len = 10 },
	};
	struct pm_jv args = { .type = PM_JV_OBJ, .len = 1, .members = members };
	if (pm_jv_str(token) != NULL) {
		members[1].value = *token;
		args.len = 2;
	}
	const struct pm_tool *t = pm_tool_find("analyze_capinfos");
	struct pm_json tw;
	bool is_error = false;
	pm_json_init(&tw, PM_MCP_MAX_RESULT);
	int rc = t == NULL ? PM_E_NOMEM : run_tool(m, r, t, &args, &tw, &is_error);
	if (rc == 1) {
		goto out_free;
	}
	if (rc != 0) {
		pm_rpc_error(w, r->id, PM_RPC_INTERNAL_ERROR,
		             "Internal error: the capture facts of "
		             "this resource could not be produced");
		goto out_free;
	}
	begin_result(w, r);
	pm_json_key(w, "contents");
	pm_json_arr_begin(w);
	pm_json_obj_begin(w);
	pm_json_kstr(w, "uri", uri);
	pm_json_kstr(w, "mimeType", "application/json");
	pm_json_key(w, "text");
	pm_json_strn(w, tw.buf, tw.len);
	pm_json_obj_end(w);
	pm_json_arr_end(w);
	cacheable(w, r, "private");
	end_result(w, r);
out_free:
	pm_json_free(&tw);
}

static const struct pm_mcp_method methods[] = {
	{ "initialize", do_initialize, false },
	{ "ping", do_ping, false },
	{ "logging/setLevel", do_set_level, false },
	{ "server/discover", do_discover, false },
	{ "tools/list", do_tools_list, false },
	{ "tools/call", do_tools_call, true },
	{ "prompts/list", do_prompts_list, false },
	{ "prompts/get", do_prompts_get, false },
	{ "resources/list", do_resources_list, false },
	{ "resources/templates/list", do_templates_list, false },
	{ "resources/read", do_resources_read, true },
};

/* see mcpmethods.h */
const struct pm_mcp_method *
pm_mcp_method_find(const char *name)
{
	for (size_t i = 0; name != NULL && i < PM_ARRAY_LEN(methods); i++) {
		if (strcmp(name, methods[i].name) == 0) {
			return &methods[i];
		}
	}
	return NULL;
}
