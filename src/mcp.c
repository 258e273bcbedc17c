/* SPDX-License-Identifier: MIT */
/*
 * mcp.c - the dispatcher: parses each message line, checks the JSON-RPC
 * envelope and the modern _meta, and routes requests to the methods
 * (mcpmethods.c). Quick methods are answered on the reading thread; slow
 * ones (they run a tool) and batches become jobs for the transport's workers
 * (mcpio.c), each request registered under its id for cancellation.
 *
 * References: JSON-RPC 2.0 §4-§6; MCP 2025-11-25 basic (batches only in
 * 2025-03-26), basic/utilities/cancellation; MCP 2026-07-28 schema.ts
 * (_meta protocolVersion, -32022).
 */
#include "mcp.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cache.h"
#include "json.h"
#include "jsonparse.h"
#include "mcpmethods.h"
#include "rpc.h"
#include "sandbox.h"

#define MCP_BAD_VERSION (-32022) /* MCP 2026-07-28: unsupported protocol version */

#define META_VERSION "io.modelcontextprotocol/protocolVersion"
#define META_CAPS    "io.modelcontextprotocol/clientCapabilities"

static volatile sig_atomic_t stop_requested;

/* Every worker can hold a cache slot while more captures wait for theirs. */
_Static_assert(PM_MCPIO_WORKERS < PM_CACHE_SLOTS, "a free cache slot for every worker");

/* One message handed to a worker: a slow request or a batch, with its arena. */
struct job {
	struct pm_mcpio_job base;    /* first: the transport sees only this */
	struct pm_mcp *m;            /* the server */
	struct pm_arena a;           /* holds msg and calls */
	const struct pm_jv *msg;     /* the request object, or the batch array */
	struct pm_mcpio_call *calls; /* one per request (batch items in order) */
	size_t ncalls;
};

/* A paginated list method ("tools/list", "resources/templates/list", ...). */
static bool
is_list(const char *method)
{
	size_t n = strlen(method);
	return n > 5 && strcmp(method + n - 5, "/list") == 0;
}

/*
 * Modern _meta (2026-07-28): a request that names a protocol version is
 * served statelessly, whatever the process negotiated. Returns false when an
 * error was written instead.
 */
static bool
check_meta(struct pm_mcp_req *r, struct pm_json *w)
{
	const struct pm_jv *meta = pm_jv_get(r->params, "_meta");
	const struct pm_jv *v = pm_jv_get(meta, META_VERSION);
	if (v == NULL) {
		return true;
	}
	const char *want = pm_jv_str(v);
	if (want == NULL) {
		pm_rpc_error(w, r->id, PM_RPC_INVALID_PARAMS,
		             "Invalid params: _meta " META_VERSION " must be a string");
		return false;
	}
	if (!pm_mcp_version_ok(want)) {
		pm_rpc_error_begin(w, r->id, MCP_BAD_VERSION, "Unsupported protocol version");
		pm_json_key(w, "data");
		pm_json_obj_begin(w);
		pm_json_key(w, "supported");
		pm_mcp_versions(w);
		pm_json_kstr(w, "requested", want);
		pm_json_obj_end(w);
		pm_rpc_error_end(w);
		return false;
	}
	if (!pm_jv_is(pm_jv_get(meta, META_CAPS), PM_JV_OBJ)) {
		pm_rpc_error(w, r->id, PM_RPC_INVALID_PARAMS,
		             "Invalid params: _meta needs " META_CAPS " as an object");
		return false;
	}
	r->modern = true;
	return true;
}

/* Write the response to one message (none for a notification) into w. */
static void
dispatch(struct pm_mcp *m, const struct pm_jv *msg, struct pm_arena *a, struct pm_json *w,
         struct pm_mcpio_call *call)
{
	if (!pm_jv_is(msg, PM_JV_OBJ)) {
		pm_rpc_error(w, NULL, PM_RPC_INVALID_REQUEST, "Invalid Request: not a JSON object");
		return;
	}
	const struct pm_jv *id = pm_jv_get(msg, "id");
	const char *method = pm_jv_str(pm_jv_get(msg, "method"));
	const char *version = pm_jv_str(pm_jv_get(msg, "jsonrpc"));
	struct pm_mcp_req r = {
		.id = id, .params = pm_jv_get(msg, "params"), .a = a, .call = call
	};
	if (id != NULL && !pm_rpc_valid_id(id)) {
		pm_rpc_error(w, NULL, PM_RPC_INVALID_REQUEST,
		             "Invalid Request: id must be a string or an integer");
		return;
	}
	/*
	 * Notifications get no response, even when unknown or malformed;
	 * notifications/cancelled is acted on before dispatch (route).
	 */
	if (id == NULL && method != NULL) {
		return;
	}
	/* A response from the client (we send no requests) is never answered. */
	if (id != NULL && pm_jv_get(msg, "method") == NULL &&
	    (pm_jv_get(msg, "result") != NULL || pm_jv_get(msg, "error") != NULL)) {
		return;
	}
	if (version == NULL || strcmp(version, "2.0") != 0) {
		pm_rpc_error(w, id, PM_RPC_INVALID_REQUEST,
		             "Invalid Request: jsonrpc must be \"2.0\"");
		return;
	}
	if (method == NULL) {
		pm_rpc_error(w, id, PM_RPC_INVALID_REQUEST,
		             "Invalid Request: method must be a string");
		return;
	}
	if (r.params != NULL && !pm_jv_is(r.params, PM_JV_OBJ)) {
		pm_rpc_error(w, id, PM_RPC_INVALID_PARAMS,
		             "Invalid params: params must be an object");
		return;
	}
	if (!check_meta(&r, w)) {
		return;
	}
	const struct pm_mcp_method *mt = pm_mcp_method_find(method);
	if (mt == NULL) {
		pm_rpc_error(w, id, PM_RPC_METHOD_NOT_FOUND, "Method not found: %.100s", method);
	} else if (is_list(method) && strcmp(method, "resources/list") != 0 &&
	           pm_jv_get(r.params, "cursor") != NULL) {
		/* Every other list fits one page, so no cursor was ever handed out. */
		pm_rpc_error(w, id, PM_RPC_INVALID_PARAMS, "Invalid params: unknown cursor");
	} else {
		mt->fn(m, &r, w);
	}
}

/* dispatch, then make sure what w holds is a complete response (or nothing). */
static void
respond(struct pm_mcp *m, const struct pm_jv *msg, struct pm_arena *a, struct pm_json *w,
        struct pm_mcpio_call *call)
{
	dispatch(m, msg, a, w, call);
	if (w->len == 0 && !w->err) {
		return;
	}
	if (pm_json_finish(w) != 0) {
		const struct pm_jv *id = pm_jv_get(msg, "id");
		pm_rpc_error(w, pm_rpc_valid_id(id) ? id : NULL, PM_RPC_INTERNAL_ERROR,
		             "Internal error: the response exceeds %u bytes", PM_MCP_MAX_RESPONSE);
		if (pm_json_finish(w) != 0) {
			pm_json_free(w);
			pm_json_init(w, PM_MCP_MAX_RESPONSE);
		}
	}
}

/* Answer one request and send its response line. */
static void
respond_line(struct pm_mcp *m, const struct pm_jv *msg, struct pm_arena *a,
             struct pm_mcpio_call *call)
{
	struct pm_json w;
	pm_json_init(&w, PM_MCP_MAX_RESPONSE);
	respond(m, msg, a, &w, call);
	if (w.len > 0) {
		pm_mcpio_send(&m->io, w.buf, w.len);
	}
	pm_json_free(&w);
}

/*
 * JSON-RPC batches, which only MCP 2025-03-26 has: the items are answered in
 * order and their responses form one array line.
 */
static void
batch(struct pm_mcp *m, const struct pm_jv *arr, struct pm_arena *a, struct pm_mcpio_call *calls)
{
	char *out = malloc(PM_MCP_MAX_RESPONSE + 3);
	size_t len = 0;
	if (out == NULL) {
		pm_mcpio_send_error(&m->io, PM_RPC_INTERNAL_ERROR, "Internal error: out of memory");
		return;
	}
	out[len++] = '[';
	for (size_t i = 0; i < arr->len; i++) {
		struct pm_json w;
		pm_json_init(&w, PM_MCP_MAX_RESPONSE);
		respond(m, &arr->items[i], a, &w, &calls[i]);
		if (w.len > 0 && w.len > PM_MCP_MAX_RESPONSE - len) {
			const struct pm_jv *id = pm_jv_get(&arr->items[i], "id");
			pm_rpc_error(&w, pm_rpc_valid_id(id) ? id : NULL, PM_RPC_INTERNAL_ERROR,
			             "Internal error: the batch response is too large");
			if (pm_json_finish(&w) != 0 || w.len > PM_MCP_MAX_RESPONSE - len) {
				w.len = 0;
			}
		}
		if (w.len > 0) {
			if (len > 1) {
				out[len++] = ',';
			}
			memcpy(out + len, w.buf, w.len);
			len += w.len;
		}
		pm_json_free(&w);
	}
	out[len++] = ']';
	if (len > 2) {
		pm_mcpio_send(&m->io, out, len); /* out[len] is spare room for the newline */
	}
	free(out);
}

/* A batch is answered only under 2025-03-26; false when an error line was sent instead. */
static bool
batch_allowed(struct pm_mcp *m, const struct pm_jv *arr)
{
	pthread_mutex_lock(&m->lock);
	bool ok = m->initialized && strcmp(m->version, "2025-03-26") == 0;
	pthread_mutex_unlock(&m->lock);
	if (!ok) {
		pm_mcpio_send_error(&m->io, PM_RPC_INVALID_REQUEST,
		                    "Invalid Request: batches are accepted only under protocol "
		                    "2025-03-26");
		return false;
	}
	if (arr->len == 0) {
		pm_mcpio_send_error(&m->io, PM_RPC_INVALID_REQUEST, "Invalid Request: empty batch");
		return false;
	}
	return true;
}

static void
run_job(struct pm_mcpio_job *base)
{
	struct job *j = (struct job *)base;
	if (pm_jv_is(j->msg, PM_JV_ARR)) {
		batch(j->m, j->msg, &j->a, j->calls);
	} else {
		respond_line(j->m, j->msg, &j->a, &j->calls[0]);
	}
	for (size_t i = 0; i < j->ncalls; i++) {
		pm_mcpio_call_remove(&j->m->io, &j->calls[i]);
	}
	pm_arena_free(&j->a);
	free(j);
}

/* A request whose method runs a tool. */
static bool
is_slow(const struct pm_jv *msg)
{
	const struct pm_mcp_method *mt = pm_mcp_method_find(pm_jv_str(pm_jv_get(msg, "method")));
	return mt != NULL && mt->slow && pm_rpc_valid_id(pm_jv_get(msg, "id"));
}

/*
 * Hand j (its message parsed) to a worker, its requests registered first so
 * that a cancellation on the next line finds them. Returns false when out of
 * memory (j is then the caller's to free).
 */
static bool
submit(struct pm_mcp *m, struct job *j)
{
	bool is_batch = pm_jv_is(j->msg, PM_JV_ARR);
	j->ncalls = is_batch ? j->msg->len : 1;
	j->calls =
	    pm_arena_array(&j->a, j->ncalls, sizeof(*j->calls), _Alignof(struct pm_mcpio_call));
	if (j->calls == NULL) {
		return false;
	}
	for (size_t i = 0; i < j->ncalls; i++) {
		const struct pm_jv *item = is_batch ? &j->msg->items[i] : j->msg;
		const struct pm_jv *id = pm_jv_get(item, "id");
		pm_mcpio_call_add(&m->io, &j->calls[i], pm_rpc_valid_id(id) ? id : NULL);
	}
	j->m = m;
	j->base.run = run_job;
	pm_mcpio_submit(&m->io, &j->base);
	return true;
}

/* notifications/cancelled (MCP basic/utilities/cancellation): stop that request. */
static void
cancel(struct pm_mcp *m, const struct pm_jv *msg)
{
	const char *method = pm_jv_str(pm_jv_get(msg, "method"));
	if (pm_jv_get(msg, "id") == NULL && method != NULL &&
	    strcmp(method, "notifications/cancelled") == 0) {
		pm_mcpio_cancel(&m->io, pm_jv_get(pm_jv_get(msg, "params"), "requestId"));
	}
}

/* Parse one line and answer it here or hand it to a worker. */
static void
route(struct pm_mcp *m, struct job *j, const char *line, size_t n)
{
	struct pm_error err = { 0 };
	const struct pm_json_limits lim = { .max_input = PM_MAX_MCP_LINE,
		                            .max_values = PM_MCP_MAX_VALUES,
		                            .max_depth = PM_JSON_MAX_PARSE_DEPTH };
	int rc = pm_json_parse_limits((const uint8_t *)line, n, &lim, &j->a, &j->msg, &err);
	if (rc == PM_E_MALFORMED) {
		char text[200];
		snprintf(text, sizeof(text), "Parse error at byte %zu: %s", err.offset, err.msg);
		pm_mcpio_send_error(&m->io, PM_RPC_PARSE_ERROR, text);
	} else if (rc == PM_E_LIMIT) {
		pm_mcpio_send_error(
		    &m->io, PM_RPC_INVALID_REQUEST,
		    "Invalid Request: too deeply nested (at most 64 levels) or too many values");
	} else if (rc != 0) {
		pm_mcpio_send_error(&m->io, PM_RPC_INTERNAL_ERROR, "Internal error: out of memory");
	} else if (pm_jv_is(j->msg, PM_JV_ARR) ? batch_allowed(m, j->msg) : is_slow(j->msg)) {
		if (submit(m, j)) {
			return; /* the job owns j now */
		}
		pm_mcpio_send_error(&m->io, PM_RPC_INTERNAL_ERROR, "Internal error: out of memory");
	} else if (!pm_jv_is(j->msg, PM_JV_ARR)) {
		cancel(m, j->msg);
		respond_line(m, j->msg, &j->a, NULL);
	}
	pm_arena_free(&j->a);
	free(j);
}

/* see mcp.h */
void
pm_mcp_handle_line(struct pm_mcp *m, const char *line, size_t n)
{
	if (n > 0 && line[n - 1] == '\r') {
		n--;
	}
	size_t blank = 0;
	while (blank < n && strchr(" \t\r", line[blank]) != NULL && line[blank] != '\0') {
		blank++;
	}
	if (blank == n || atomic_load(&m->io.out_failed)) {
		return;
	}
	if (n > PM_MAX_MCP_LINE) {
		pm_mcpio_send_error(&m->io, PM_RPC_INVALID_REQUEST,
		                    "Invalid Request: line longer than 4 MiB");
		return;
	}
	struct job *j = calloc(1, sizeof(*j));
	if (j == NULL) {
		pm_mcpio_send_error(&m->io, PM_RPC_INTERNAL_ERROR, "Internal error: out of memory");
		return;
	}
	pm_arena_init(&j->a, PM_MCP_ARENA_CAP);
	route(m, j, line, n);
}

/* see mcp.h */
int
pm_mcp_init(struct pm_mcp *m, const struct pm_config *cfg, const char *tools_spec, int out_fd)
{
	struct pm_error err = { 0 };
	memset(m, 0, sizeof(*m));
	m->cfg = cfg;
	pm_mcpio_init(&m->io, out_fd);
	pthread_mutex_init(&m->lock, NULL);
	m->cache = malloc(sizeof(*m->cache));
	if (m->cache == NULL) {
		return PM_E_NOMEM;
	}
	pm_cache_init(m->cache, 0);
	if (cfg != NULL) {
		m->cache->opts.reasm_window = cfg->reasm_window_kb << 10;
		m->cache->opts.reasm_max_bytes = (size_t)cfg->reasm_max_mb << 20;
	}
	m->ctx.cfg = cfg;
	m->ctx.cache = m->cache;
	m->ctx.loaded = m->loaded;
	const char *spec = tools_spec != NULL && tools_spec[0] != '\0' ? tools_spec
	                   : cfg->tools[0] != '\0'                     ? cfg->tools
	                                                               : "all";
	if (pm_tools_select(&m->ctx, spec, &err) != 0) {
		fprintf(stderr, "pcapmcp: tools: %s\n", err.msg);
		return PM_E_MALFORMED;
	}
	return 0;
}

/* see mcp.h */
void
pm_mcp_free(struct pm_mcp *m)
{
	pm_mcpio_free(&m->io);
	if (m->cache != NULL) {
		pm_cache_free(m->cache);
		free(m->cache);
		m->cache = NULL;
	}
	pthread_mutex_destroy(&m->lock);
}

static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void
on_line(void *opaque, const char *line, size_t n)
{
	pm_mcp_handle_line(opaque, line, n);
}

/* see mcp.h */
int
pm_mcp_serve(const struct pm_config *cfg, const char *tools_spec, int in_fd, int out_fd)
{
	struct pm_mcp m;
	struct sigaction sa;
	if (pm_mcp_init(&m, cfg, tools_spec, out_fd) != 0) {
		pm_mcp_free(&m);
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: a blocked poll() returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	stop_requested = 0;
	fprintf(stderr, "pcapmcp %s: serving MCP on stdio, captures under %s\n", PM_VERSION,
	        cfg->allowed_dir);
	int rc = pm_mcpio_serve(&m.io, in_fd, &stop_requested, on_line, &m);
	pthread_mutex_lock(&m.cache->lock);
	fprintf(stderr, "pcapmcp: cache: %llu analyses, %llu hits, %llu shared\n",
	        (unsigned long long)m.cache->misses, (unsigned long long)m.cache->hits,
	        (unsigned long long)m.cache->shared);
	pthread_mutex_unlock(&m.cache->lock);
	pm_mcp_free(&m);
	return rc != 0 ? 1 : 0;
}
